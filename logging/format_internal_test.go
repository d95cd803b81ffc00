package logging

import (
	"bytes"
	"testing"
)

// differentialSeeds are lines on which the one-pass conversion and the
// general one must agree: zerolog's usual output, and the shapes that send
// the one-pass conversion back to the general one.
var differentialSeeds = []string{
	`{"level":"info","user":"bob","attempt":3,"cached":false,"ms":12.5,"error":"unexpected EOF","message":"handled request"}`,
	`{"level":"info","message":"only a message"}`,
	`{"level":"info","message":""}`,
	`{"level":"info","k":"v","message":""}`,
	`{"level":"info","k":"v"}`,
	`{}`,
	`{"message":"first","k":1}`,
	`{"message":1,"k":1}`,
	`{"message":"a","message":"b","k":"c"}`,
	`{"k":{"a": [1,
 2]},"message":"nested"}`,
	`{"k":"needs quoting = yes","e":"","message":"esc \"q\" \n \t \\ \/ \u00e9"}`,
	`{"level":"info",`,
	`not json at all`,
	`{"k":"v","message":"m"} trailing`,
}

func FuzzTextBodyMatchesSlow(f *testing.F) {
	for _, s := range differentialSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		line = trimSpace(line)
		prefix := []byte("prefix ")
		want := appendTextBodySlow(bytes.Clone(prefix), line)
		got, ok := appendTextBody(bytes.Clone(prefix), line)
		if !ok {
			return
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("one pass %q\ngeneral  %q\nline     %q", got, want, line)
		}
	})
}

func TestTextBodyFastPathTaken(t *testing.T) {
	for _, s := range differentialSeeds[:7] {
		if _, ok := appendTextBody(nil, []byte(s)); !ok {
			t.Errorf("usual line %q left the one-pass conversion", s)
		}
	}
}
