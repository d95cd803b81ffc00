package logging_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rs/zerolog"

	"github.com/fcgo/fcgo/logging"
)

// fuzzSeeds returns the malformed inputs of the table tests and lines as
// zerolog writes them.
func fuzzSeeds() [][]byte {
	var seeds [][]byte
	for _, in := range malformedInputs {
		seeds = append(seeds, []byte(in))
	}
	var buf bytes.Buffer
	zl := zerolog.New(&buf)
	zl.Info().Str("name", "bob").Int("n", 42).Bool("ok", true).Float64("f", 1.5).Msg("greeting")
	zl.Error().Err(errors.New("disk full")).Dict("d", zerolog.Dict().Str("a", "b")).Interface("i", []int{1}).Msg("failed")
	zl.Debug().Str("s", "a \"b\" = c\nd").Msg("line1\nline2")
	zl.Warn().RawJSON("raw", []byte("{\n\"x\": [1, 2]\n}")).Send()
	zl.Info().RawJSON("bad", []byte("{nope")).Msg("raw garbage")
	zl.Info().Msg("")
	for _, line := range bytes.SplitAfter(buf.Bytes(), []byte("\n")) {
		if len(line) > 0 {
			seeds = append(seeds, line)
		}
	}
	return seeds
}

// writeOne writes p through a buffered invocation and returns the output.
func writeOne(t *testing.T, format logging.Format, id string, level zerolog.Level, p []byte) string {
	var rec recorder
	l := logging.New(&rec, logging.WithClock(fixedClock), logging.WithFormat(format), logging.WithLevel(zerolog.TraceLevel))
	inv := l.Begin(logging.KindInvoke, id)
	n, err := inv.WriteLevel(level, p)
	if err != nil || n != len(p) {
		t.Fatalf("WriteLevel = %d, %v", n, err)
	}
	inv.End(false)
	return rec.String()
}

// checkLines verifies that out is the start marker, one application line
// and the end marker, each whole, and returns the application line.
func checkLines(t *testing.T, out string) string {
	if !strings.HasSuffix(out, "\n") {
		t.Fatalf("output does not end a line: %q", out)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 lines, got %d: %q", len(lines), out)
	}
	if !strings.HasPrefix(lines[0], "FC Invoke Start RequestId: ") || !strings.HasPrefix(lines[2], "FC Invoke End RequestId: ") {
		t.Fatalf("markers broken: %q", out)
	}
	if strings.ContainsRune(out, '\r') {
		t.Fatalf("carriage return in output: %q", out)
	}
	return lines[1]
}

func FuzzTextLine(f *testing.F) {
	clearEnv(f)
	for i, seed := range fuzzSeeds() {
		f.Add(reqID, int8(i%8)-1, seed)
	}
	f.Add("evil\nid\r", int8(1), []byte(`{"level":"info","message":"x"}`))
	f.Fuzz(func(t *testing.T, id string, level int8, p []byte) {
		line := checkLines(t, writeOne(t, logging.Text, id, zerolog.Level(level), p))
		if !timestampRE.MatchString(line) {
			t.Fatalf("line does not start with the timestamp: %q", line)
		}
		rest := line[len(stamp)+1:]
		if id != "" {
			safe := string(logging.AppendStart(nil, logging.KindInvoke, id))
			safe = strings.TrimSuffix(strings.TrimPrefix(safe, "FC Invoke Start RequestId: "), "\n")
			if !strings.HasPrefix(rest, safe+" [") {
				t.Fatalf("request id %q missing: %q", safe, line)
			}
		} else if !strings.HasPrefix(rest, "[") {
			t.Fatalf("level missing: %q", line)
		}
	})
}

func FuzzJSONLine(f *testing.F) {
	clearEnv(f)
	for i, seed := range fuzzSeeds() {
		f.Add(reqID, int8(i%8)-1, seed)
	}
	f.Fuzz(func(t *testing.T, id string, level int8, p []byte) {
		line := checkLines(t, writeOne(t, logging.JSON, id, zerolog.Level(level), p))
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not a JSON object: %v: %q (input %q)", err, line, p)
		}
		if m["time"] != stamp {
			t.Fatalf("time %v: %q", m["time"], line)
		}
		if id != "" && m["requestId"] == nil {
			t.Fatalf("no requestId: %q", line)
		}

		// Differential check of the scanner against encoding/json: a valid
		// object is merged, anything else is wrapped whole as the message.
		trimmed := bytes.Trim(p, " \t\r\n")
		if !utf8.Valid(trimmed) || bytes.Count(trimmed, []byte("{"))+bytes.Count(trimmed, []byte("[")) > 90 {
			return // unmarshalling changes invalid UTF-8; deep nesting is wrapped on purpose
		}
		isObject := json.Valid(trimmed) && len(trimmed) > 0 && trimmed[0] == '{'
		wrapped := m["message"] == string(trimmed) && len(m) == 2+btoi(id != "")
		if isObject && wrapped && len(trimmed) > 2 {
			t.Fatalf("valid object wrapped as a message: %q → %q", p, line)
		}
		if !isObject && !wrapped {
			t.Fatalf("invalid input not wrapped: %q → %q", p, line)
		}
	})
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// perByteValid replaces each byte of s that is not part of valid UTF-8
// with U+FFFD, as zerolog's JSON encoding does.
func perByteValid(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r)
	}
	return b.String()
}

// FuzzLoggerFields logs arbitrary messages, field keys and values through
// zerolog's API, inside an invocation and outside any, in both layouts:
// every line stays whole, markers intact; JSON lines decode to the values
// logged; text lines carry no control character but tab.
func FuzzLoggerFields(f *testing.F) {
	clearEnv(f)
	for _, s := range []struct{ id, msg, key, val string }{
		{reqID, "greeting", "name", "bob"},
		{"evil\nid\r", "line1\nline2\r\n", "k\"ey", "v\\al\"ue\x00"},
		{"", "", "", ""},
		{"id with spaces", "msg=with=equals and \"quotes\"", "a b", "c=d e"},
		{reqID, "\xff\xfe invalid utf-8 \xc3", "\xffkey", "\xe2\x28\xa1"},
		{reqID, "tab\there \u2028 \u0085 \x7f", "time", "overrides"},
		{reqID, `{"message":"json in a message"}`, "message", "dup"},
		{reqID, strings.Repeat("long ", 2000), "level", "fatal"},
	} {
		f.Add(s.id, s.msg, s.key, s.val, int8(1), false)
		f.Add(s.id, s.msg, s.key, s.val, int8(3), true)
	}
	f.Fuzz(func(t *testing.T, id, msg, key, val string, level int8, asJSON bool) {
		format := logging.Text
		if asJSON {
			format = logging.JSON
		}
		lvl := zerolog.Level((int(level)%7+7)%7 - 1) // trace … panic, never disabled
		var rec recorder
		l := logging.New(&rec, logging.WithClock(fixedClock), logging.WithFormat(format), logging.WithLevel(zerolog.TraceLevel))
		l.Zerolog().WithLevel(lvl).Str(key, val).Int("n", 7).Msg(msg)
		inv := l.Begin(logging.KindInvoke, id)
		inv.Logger().WithLevel(lvl).Str(key, val).Int("n", 7).Msg(msg)
		inv.End(false)

		out := rec.String()
		if !strings.HasSuffix(out, "\n") {
			t.Fatalf("output does not end a line: %q", out)
		}
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if len(lines) != 4 {
			t.Fatalf("want 4 lines, got %d: %q", len(lines), out)
		}
		safeID := strings.TrimSuffix(strings.TrimPrefix(string(logging.AppendStart(nil, logging.KindInvoke, id)), "FC Invoke Start RequestId: "), "\n")
		if lines[1] != "FC Invoke Start RequestId: "+safeID || lines[3] != "FC Invoke End RequestId: "+safeID {
			t.Fatalf("markers broken: %q", out)
		}
		for _, line := range []string{lines[0], lines[2]} {
			for i := 0; i < len(line); i++ {
				if c := line[i]; c < 0x20 && c != '\t' {
					t.Fatalf("control character %q in line %q", c, line)
				}
			}
			if !asJSON {
				if !timestampRE.MatchString(line) {
					t.Fatalf("line does not start with the timestamp: %q", line)
				}
				continue
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatalf("not a JSON object: %v: %q", err, line)
			}
			if m["time"] != stamp && key != "time" { // a field of the same name comes later and wins
				t.Fatalf("time %v: %q", m["time"], line)
			}
			reserved := map[string]bool{"time": true, "requestId": true, "level": true, "message": true, "n": true}
			if !reserved[perByteValid(key)] && m[perByteValid(key)] != perByteValid(val) {
				t.Fatalf("field %q = %q, logged %q: %q", key, m[key], val, line)
			}
			if perByteValid(key) != "message" && msg != "" && m["message"] != perByteValid(msg) {
				t.Fatalf("message %q, logged %q: %q", m["message"], msg, line)
			}
		}
		if asJSON {
			var m map[string]any
			_ = json.Unmarshal([]byte(lines[2]), &m)
			if id != "" && perByteValid(key) != "requestId" && m["requestId"] != perByteValid(id) {
				t.Fatalf("requestId %q, logged %q", m["requestId"], id)
			}
		} else if !strings.HasPrefix(lines[2], stamp+" "+safeID) {
			t.Fatalf("request id %q missing: %q", safeID, lines[2])
		}
	})
}
