package logging

import (
	"bytes"
	"testing"

	"github.com/rs/zerolog"
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

	// Short lines, too short for a word read.
	`{"a":1}`,
	`{"a":""}`,
	`{"":"v"}`,
	`{"message":"m"}`,
	// Keys of 7, 8, 9 to 16 and more bytes; an empty key.
	`{"abcdefg":1,"abcdefgh":2,"abcdefghi":3,"abcdefghijklmnop":4,"abcdefghijklmnopq":5,"message":"m"}`,
	`{"level":"info","a_field_name_longer_than_sixteen":"v","message":"m"}`,
	`{"":"v","message":"m"}`,
	// Strings of every length around a word, with and without bytes
	// that need quotes, in every position.
	`{"a":"1234567","b":"12345678","c":"123456789","d":"123456789012345678","message":"m"}`,
	`{"a":" 234567","b":"1234567=","c":"12345678 ","d":"123456789012345=678","e":"=","message":"m"}`,
	`{"k":"a\"b","message":"escape in a field"}`,
	`{"city":"杭州","message":"héllo wörld"}`,
	"{\"k\":\"a\x01b\",\"message\":\"m\"}",
	"{\"k\":\"ab\",\"message\":\"m\x7f\"}",
	// Numbers: the usual ones, exponents, and malformed ones.
	`{"n":-0.5,"z":0,"i":-12,"f":3.25,"big":12345678901234567890,"message":"m"}`,
	`{"e":1e10,"E":-2.5E-3,"p":1e+2,"message":"m"}`,
	`{"n":01}`,
	`{"n":-}`,
	`{"n":1.}`,
	`{"n":.5}`,
	`{"n":+1}`,
	`{"n":-01}`,
	`{"n":0.}`,
	`{"n":1.5.5}`,
	// Literals, whole and broken.
	`{"t":true,"f":false,"z":null,"message":"m"}`,
	`{"t":truex}`,
	`{"t":tru}`,
	`{"f":fals}`,
	`{"z":nul}`,
	`{"t":true}`,
	// The message not last, twice, not a string, escaped, empty.
	`{"message":"m","k":"v"}`,
	`{"k":"v","message":"a","message":"b"}`,
	`{"k":"v","message":null}`,
	`{"k":"v","message":"say \"hi\"\n\t\u00e9 \\"}`,
	`{"k":"v","message":"a\"}`,
	`{"message":""}`,
	`{"level":5,"k":1,"level":"x","message":"m"}`,
	// Broken structure.
	`{"k":"v",}`,
	`{"k":"v"}}`,
	`{"k" :"v"}`,
	`{"k":"v" }`,
	`{"k":"v","}`,
	`{"k":"v"`,
	`{"k"}`,
	`{"k":}`,
	`{"k":"v""m":1}`,
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
		if ok && !bytes.Equal(got, want) {
			t.Fatalf("one pass %q\ngeneral  %q\nline     %q", got, want, line)
		}

		// appendMembers alone, from the first member: appendTextBody
		// hands it only what its own loop does not take, so check it on
		// everything too. Both reject the same lines.
		if len(line) <= 2 || line[0] != '{' || line[len(line)-1] != '}' {
			return
		}
		out := append(make([]byte, 0, len(prefix)+len(line)+16), prefix...)
		got, okMembers := appendMembers(out[:cap(out)], len(prefix), len(prefix), line, 1, currentFieldKeys())
		if okMembers != ok {
			t.Fatalf("one pass took the line: %v, appendMembers: %v; line %q", ok, okMembers, line)
		}
		if ok && !bytes.Equal(got, want) {
			t.Fatalf("members  %q\ngeneral  %q\nline     %q", got, want, line)
		}
	})
}

// Field names other than zerolog's defaults (an application may set them)
// take the general loop when longer than a word, and are matched either
// way.
func TestTextBodyFieldNames(t *testing.T) {
	level, message := zerolog.LevelFieldName, zerolog.MessageFieldName
	t.Cleanup(func() { zerolog.LevelFieldName, zerolog.MessageFieldName = level, message })
	for _, names := range [][2]string{{"severity_level", "msg"}, {"lvl", "the_message_text"}, {"l", "m"}, {"", "msg"}} {
		zerolog.LevelFieldName, zerolog.MessageFieldName = names[0], names[1]
		line := []byte(`{"` + names[0] + `":"info","level":"x","k":"v","message":"y","` + names[1] + `":"text"}`)
		want := appendTextBodySlow(nil, line)
		got, ok := appendTextBody(nil, line)
		if !ok || !bytes.Equal(got, want) {
			t.Errorf("names %q: one pass %q (%v), general %q", names, got, ok, want)
		}
		if !bytes.HasPrefix(want, []byte("text ")) || bytes.Contains(want, []byte("info")) {
			t.Errorf("names %q: message or level misplaced: %q", names, want)
		}
	}
}

func TestTextBodyFastPathTaken(t *testing.T) {
	for _, s := range differentialSeeds[:7] {
		if _, ok := appendTextBody(nil, []byte(s)); !ok {
			t.Errorf("usual line %q left the one-pass conversion", s)
		}
	}
}
