package jsonstr_test

import (
	"encoding/json"
	"testing"

	"github.com/fcgo/fcgo/internal/jsonstr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAppend(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote`, `back\slash`, "new\nline", "tab\tand\x01\x1f", "ünïcode ✓", "a/b<c>&"} {
		b := jsonstr.Append([]byte("x"), s)
		require.True(t, json.Valid(b[1:]), "%q → %s", s, b)
		var back string
		require.NoError(t, json.Unmarshal(b[1:], &back))
		assert.Equal(t, s, back)
		assert.Equal(t, jsonstr.Append(nil, s), jsonstr.Append(nil, []byte(s)))
	}
	assert.Equal(t, `"a\nb"`, string(jsonstr.Append(nil, "a\nb")))
}

func FuzzAppend(f *testing.F) {
	f.Add("seed\n\"\\")
	f.Fuzz(func(t *testing.T, s string) {
		b := jsonstr.Append(nil, s)
		if !json.Valid(b) {
			t.Fatalf("invalid JSON for %q: %s", s, b)
		}
	})
}
