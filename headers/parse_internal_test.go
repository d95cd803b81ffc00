package headers

import (
	"strings"
	"testing"
)

// The canonical-case switch in lookup and the fieldNames table must name
// the same headers: every field is found in both spellings.
func TestLookupTablesAgree(t *testing.T) {
	for f := fRequestID; f < numFields; f++ {
		name := fieldNames[f]
		if name == "" {
			t.Fatalf("field %d has no name", f)
		}
		words := strings.Split(name, "-")
		for i, w := range words {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
		for _, spelling := range []string{name, strings.Join(words, "-"), strings.ToUpper(name)} {
			if got := lookup([]byte(spelling)); got != f {
				t.Errorf("lookup(%q) = %d, want %d", spelling, got, f)
			}
		}
	}
}
