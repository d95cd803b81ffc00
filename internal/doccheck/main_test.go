package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func write(t *testing.T, root, name, text string) {
	t.Helper()
	path := filepath.Join(root, name)
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
}

func TestCheckFindsUndocumentedIdentifiers(t *testing.T) {
	root := t.TempDir()
	write(t, root, "go.mod", "module example.com/m\n")
	write(t, root, "lib/lib.go", `// Package lib is documented.
package lib

// Documented is documented.
func Documented() {}

func Bare() {}

func unexported() {}

// T is documented.
type T struct {
	// A is documented.
	A int
	B int
	C int `+"`json:\"c\"`"+`
	d int
}

func (T) M() {}

// N is documented.
func (*T) N() {}

type u struct{}

func (u) Hidden() {}

// Group doc covers its constants.
const (
	X = 1
	Y = 2
)

const (
	Z = 3 // a line comment counts
	W = 4
)

var V = 5

// I is documented.
type I interface {
	Do()
	// Done is documented.
	Done()
}

type (
	// G is documented.
	G int
	H int
)
`)
	write(t, root, "lib/lib_test.go", "package lib\n\nfunc TestOnly() {}\n")
	write(t, root, "lib/testdata/x.go", "package x\n\nfunc Skipped() {}\n")
	write(t, root, "nodoc/nodoc.go", "package nodoc\n")
	write(t, root, "examples/hello/main.go", "package main\n\nfunc Exported() {}\n")
	write(t, root, "cmd/tool/main.go", "// Command tool.\npackage main\n\nfunc Exported() {}\n")
	write(t, root, "nested/go.mod", "module example.com/nested\n")
	write(t, root, "nested/n.go", "package n\n\nfunc Other() {}\n")

	got, err := check(root)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"cmd/tool/main.go:4: func Exported",
		"lib/lib.go:15: field T.B",
		"lib/lib.go:20: method T.M",
		"lib/lib.go:37: const W",
		"lib/lib.go:40: var V",
		"lib/lib.go:44: method I.Do",
		"lib/lib.go:52: type H",
		"lib/lib.go:7: func Bare",
		"nodoc/nodoc.go:1: package nodoc (no package comment)",
	}, got)

	*all = true
	defer func() { *all = false }()
	got, err = check(root)
	require.NoError(t, err)
	assert.Contains(t, got, "lib/lib.go:16: field T.C")
}

func TestModuleIsDocumented(t *testing.T) {
	got, err := check("../..")
	require.NoError(t, err)
	assert.Empty(t, got)
}
