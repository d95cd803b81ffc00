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
		mixed := []byte(name)
		for i := 0; i < len(mixed); i += 2 {
			mixed[i] = strings.ToUpper(string(mixed[i]))[0]
		}
		for _, spelling := range []string{name, strings.Join(words, "-"), strings.ToUpper(name), string(mixed)} {
			if got := lookup([]byte(spelling)); got != f {
				t.Errorf("lookup(%q) = %d, want %d", spelling, got, f)
			}
		}
	}
}

// Names that are not FC's, in canonical case or not, feed no field, even
// when they hash to a field's slot.
func TestLookupRejectsOtherNames(t *testing.T) {
	for _, name := range []string{
		"", "X", "X-Fc-", "x-fc-", "Host", "User-Agent", "X-Forwarded-For", "x-forwarded-for",
		"X-Fc-Request-Ie", "x-fc-request-ie", "X-Fc-Request-Idd", "Y-Fc-Request-Id",
		"X-Fc-Request_id", "X-Fc-Requestid", "X-Fc-Instance-Lifecycle-Pre-Freeze-Handlers",
	} {
		if got := lookup([]byte(name)); got != fNone {
			t.Errorf("lookup(%q) = %d, want none", name, got)
		}
	}
	// Every slot's neighbours by one letter.
	for f := fRequestID; f < numFields; f++ {
		name := []byte(fieldNames[f])
		for i := range name {
			c := name[i]
			name[i] = c ^ 0x01
			if got := lookup(name); got != fNone && got != f {
				t.Errorf("lookup(%q) = %d, a different field", name, got)
			} else if got == f && !strings.EqualFold(string(name), fieldNames[f]) {
				t.Errorf("lookup(%q) = %d, the name of another", name, got)
			}
			name[i] = c
		}
	}
}
