// Command doccheck lists the exported identifiers of the module that have
// no doc comment, and exits with status 1 when there is any.
//
//	go run ./internal/doccheck [root]
//
// It parses every non-test Go file of the module rooted at root (default
// "."), skipping testdata, directories starting with "." or "_", nested
// modules (directories with a go.mod of their own) and the package main of
// the examples, and checks that
//
//   - every package has a package comment;
//   - every exported top-level function, type, constant and variable has a
//     doc comment: its own, its trailing line comment inside a group, or
//     the comment of its group (const ( … ) and var ( … ) blocks);
//   - every exported method of an exported type has a doc comment;
//   - every exported field of an exported struct type, and every method
//     of an exported interface type, has a doc or line comment. A field
//     with a struct tag (`json:"eventName"`) mirrors a field of a wire
//     format and is documented by its type's comment and its tag; -all
//     requires a comment on those too.
//
// Findings are printed one a line as "path:line: kind name", sorted.
package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// all is -all: tagged struct fields need a comment too.
var all = flag.Bool("all", false, "require a comment on struct fields with a tag too")

func main() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: doccheck [-all] [module root, default .]")
		flag.PrintDefaults()
	}
	flag.Parse()
	root := "."
	if flag.NArg() > 0 {
		root = flag.Arg(0)
	}
	findings, err := check(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "doccheck:", err)
		os.Exit(2)
	}
	for _, f := range findings {
		fmt.Println(f)
	}
	if len(findings) > 0 {
		fmt.Fprintf(os.Stderr, "doccheck: %d exported identifiers without a doc comment\n", len(findings))
		os.Exit(1)
	}
}

// check returns the findings for the module rooted at root.
func check(root string) ([]string, error) {
	var findings []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		name := d.Name()
		if path != root {
			if name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir // a nested module
			}
		}
		f, err := checkDir(root, path)
		findings = append(findings, f...)
		return err
	})
	sort.Strings(findings)
	return findings, err
}

// checkDir checks the package in dir, if there is one.
func checkDir(root, dir string) ([]string, error) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	// The files of each package in dir (a directory may also hold an
	// external test package, but those are _test.go files, skipped).
	pkgs := map[string]*pkgFiles{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		path := filepath.Join(dir, name)
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		p := pkgs[f.Name.Name]
		if p == nil {
			p = &pkgFiles{name: f.Name.Name, files: map[string]*ast.File{}}
			pkgs[f.Name.Name] = p
		}
		p.files[path] = f
	}
	rel, _ := filepath.Rel(root, dir)
	rel = filepath.ToSlash(rel)
	var findings []string
	report := func(pos token.Pos, what string) {
		p := fset.Position(pos)
		name, _ := filepath.Rel(root, p.Filename)
		findings = append(findings, fmt.Sprintf("%s:%d: %s", filepath.ToSlash(name), p.Line, what))
	}
	for _, pkg := range pkgs {
		if pkg.name == "main" && (rel == "examples" || strings.HasPrefix(rel, "examples/")) {
			continue
		}
		hasDoc := false
		var files []string
		for name := range pkg.files {
			files = append(files, name)
		}
		sort.Strings(files)
		for _, name := range files {
			f := pkg.files[name]
			if f.Doc != nil {
				hasDoc = true
			}
			checkFile(f, report)
		}
		if !hasDoc {
			report(pkg.files[files[0]].Package, "package "+pkg.name+" (no package comment)")
		}
	}
	return findings, nil
}

// pkgFiles is one package's parsed files, by path.
type pkgFiles struct {
	name  string
	files map[string]*ast.File
}

// checkFile reports the undocumented exported identifiers of f.
func checkFile(f *ast.File, report func(token.Pos, string)) {
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() {
				continue
			}
			what := "func " + d.Name.Name
			if d.Recv != nil {
				recv := receiverName(d.Recv)
				if !ast.IsExported(recv) {
					continue
				}
				what = "method " + recv + "." + d.Name.Name
			}
			if d.Doc == nil {
				report(d.Name.Pos(), what)
			}
		case *ast.GenDecl:
			checkGenDecl(d, report)
		}
	}
}

func checkGenDecl(d *ast.GenDecl, report func(token.Pos, string)) {
	grouped := d.Lparen.IsValid()
	for _, spec := range d.Specs {
		switch s := spec.(type) {
		case *ast.TypeSpec:
			if !s.Name.IsExported() {
				continue
			}
			if s.Doc == nil && s.Comment == nil && (d.Doc == nil || grouped) {
				report(s.Name.Pos(), "type "+s.Name.Name)
			}
			checkTypeMembers(s, report)
		case *ast.ValueSpec:
			documented := s.Doc != nil || s.Comment != nil || d.Doc != nil
			for _, n := range s.Names {
				if n.IsExported() && !documented {
					report(n.Pos(), d.Tok.String()+" "+n.Name)
				}
			}
		}
	}
}

// checkTypeMembers reports the undocumented exported fields of a struct
// type and methods of an interface type.
func checkTypeMembers(s *ast.TypeSpec, report func(token.Pos, string)) {
	var list *ast.FieldList
	kind := "field "
	switch t := s.Type.(type) {
	case *ast.StructType:
		list = t.Fields
	case *ast.InterfaceType:
		list, kind = t.Methods, "method "
	default:
		return
	}
	for _, f := range list.List {
		if f.Doc != nil || f.Comment != nil || (f.Tag != nil && !*all) {
			continue
		}
		for _, n := range f.Names {
			if n.IsExported() {
				report(n.Pos(), kind+s.Name.Name+"."+n.Name)
			}
		}
	}
}

// receiverName returns the type name of a method's receiver.
func receiverName(recv *ast.FieldList) string {
	if len(recv.List) == 0 {
		return ""
	}
	t := recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
		case *ast.IndexExpr: // T[P]
			t = x.X
		case *ast.IndexListExpr: // T[P, Q]
			t = x.X
		case *ast.ParenExpr:
			t = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}
