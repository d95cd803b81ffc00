package logging_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fcgo/fcgo/logging"
)

const reqID = "1-67a59f35-150c1267-f381ba1c085c"

// lineOf logs one event through an unbuffered invocation and returns the
// single line it produced.
func lineOf(t *testing.T, format logging.Format, log func(zl *zerolog.Logger)) string {
	t.Helper()
	var rec recorder
	l := newLogger(t, &rec, logging.Unbuffered(), logging.WithFormat(format), logging.WithLevel(zerolog.TraceLevel))
	inv := l.Begin(logging.KindInvoke, reqID)
	rec.Reset()
	log(inv.Logger())
	writes := rec.Writes()
	require.Len(t, writes, 1, "one line, one Write")
	inv.End(false)
	return writes[0]
}

func TestTextLevels(t *testing.T) {
	cases := []struct {
		want string
		log  func(zl *zerolog.Logger)
	}{
		{"[TRACE] t", func(zl *zerolog.Logger) { zl.Trace().Msg("t") }},
		{"[DEBUG] d", func(zl *zerolog.Logger) { zl.Debug().Msg("d") }},
		{"[INFO] i", func(zl *zerolog.Logger) { zl.Info().Msg("i") }},
		{"[WARN] w", func(zl *zerolog.Logger) { zl.Warn().Msg("w") }},
		{"[ERROR] e", func(zl *zerolog.Logger) { zl.Error().Msg("e") }},
		{"[INFO] no level", func(zl *zerolog.Logger) { zl.Log().Msg("no level") }},
		{"[DEBUG] printed", func(zl *zerolog.Logger) { zl.Print("printed") }}, // zerolog prints at debug
		{"[WARN] 3 items", func(zl *zerolog.Logger) { zl.WithLevel(zerolog.WarnLevel).Msgf("%d items", 3) }},
	}
	for _, tc := range cases {
		assert.Equal(t, stamp+" "+reqID+" "+tc.want+"\n", lineOf(t, logging.Text, tc.log))
	}
}

func TestTextFields(t *testing.T) {
	cases := []struct {
		name, want string
		log        func(zl *zerolog.Logger)
	}{
		{"str", "msg name=bob", func(zl *zerolog.Logger) { zl.Info().Str("name", "bob").Msg("msg") }},
		{"int", "msg n=42 neg=-7 big=18446744073709551615", func(zl *zerolog.Logger) {
			zl.Info().Int("n", 42).Int64("neg", -7).Uint64("big", 1<<64-1).Msg("msg")
		}},
		{"bool", "msg ok=true bad=false", func(zl *zerolog.Logger) { zl.Info().Bool("ok", true).Bool("bad", false).Msg("msg") }},
		{"float", "msg f=1.5 g=-0.25", func(zl *zerolog.Logger) { zl.Info().Float64("f", 1.5).Float32("g", -0.25).Msg("msg") }},
		{"err", "failed error=boom", func(zl *zerolog.Logger) { zl.Error().Err(errors.New("boom")).Msg("failed") }},
		{"err with spaces", `failed error="disk full"`, func(zl *zerolog.Logger) { zl.Error().Err(errors.New("disk full")).Msg("failed") }},
		{"dict", `msg d={"a":"b","c":1,"e":{"f":true}}`, func(zl *zerolog.Logger) {
			zl.Info().Dict("d", zerolog.Dict().Str("a", "b").Int("c", 1).Dict("e", zerolog.Dict().Bool("f", true))).Msg("msg")
		}},
		{"interface", `msg i={"x":[1,2]} nil=null`, func(zl *zerolog.Logger) {
			zl.Info().Interface("i", map[string][]int{"x": {1, 2}}).Interface("nil", nil).Msg("msg")
		}},
		{"array", `msg tags=["a","b c"]`, func(zl *zerolog.Logger) { zl.Info().Strs("tags", []string{"a", "b c"}).Msg("msg") }},
		{"raw json", `msg raw={"x":1}`, func(zl *zerolog.Logger) { zl.Info().RawJSON("raw", []byte(`{"x":1}`)).Msg("msg") }},
		{"space", `msg s="a b"`, func(zl *zerolog.Logger) { zl.Info().Str("s", "a b").Msg("msg") }},
		{"quote", `msg q="say \"hi\""`, func(zl *zerolog.Logger) { zl.Info().Str("q", `say "hi"`).Msg("msg") }},
		{"equals", `msg eq="a=b"`, func(zl *zerolog.Logger) { zl.Info().Str("eq", "a=b").Msg("msg") }},
		{"empty", `msg empty=""`, func(zl *zerolog.Logger) { zl.Info().Str("empty", "").Msg("msg") }},
		{"newline value", `msg nl="a\nb" cr="a\r\nb"`, func(zl *zerolog.Logger) { zl.Info().Str("nl", "a\nb").Str("cr", "a\r\nb").Msg("msg") }},
		{"tab value", `msg tab="a\tb"`, func(zl *zerolog.Logger) { zl.Info().Str("tab", "a\tb").Msg("msg") }},
		{"backslash", `msg path="C:\\x"`, func(zl *zerolog.Logger) { zl.Info().Str("path", `C:\x`).Msg("msg") }},
		{"unicode", `msg city=杭州`, func(zl *zerolog.Logger) { zl.Info().Str("city", "杭州").Msg("msg") }},
		{"time", `msg at=2026-11-28T06:33:08Z`, func(zl *zerolog.Logger) { zl.Info().Time("at", t0.Truncate(time.Second)).Msg("msg") }},
		{"no message", `k=v`, func(zl *zerolog.Logger) { zl.Info().Str("k", "v").Send() }},
		{"message only", `just this`, func(zl *zerolog.Logger) { zl.Info().Msg("just this") }},
		{"message with newline", `line1\nline2\r\nline3`, func(zl *zerolog.Logger) { zl.Info().Msg("line1\nline2\r\nline3") }},
		{"message with quotes", `say "hi" to a=b`, func(zl *zerolog.Logger) { zl.Info().Msg(`say "hi" to a=b`) }},
		{"message with tab", "a\tb", func(zl *zerolog.Logger) { zl.Info().Msg("a\tb") }},
		{"message with control", `bell\u0007`, func(zl *zerolog.Logger) { zl.Info().Msg("bell\a") }},
		{"context fields", `msg user=u1 k=v`, func(zl *zerolog.Logger) {
			sub := zl.With().Str("user", "u1").Logger()
			sub.Info().Str("k", "v").Msg("msg")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			line := lineOf(t, logging.Text, tc.log)
			assert.Equal(t, stamp+" "+reqID+" [INFO] "+tc.want+"\n",
				strings.Replace(strings.Replace(line, "[ERROR]", "[INFO]", 1), "[WARN]", "[INFO]", 1))
			assert.Equal(t, 1, strings.Count(line, "\n"), "one line: %q", line)
		})
	}
}

func TestTextEmptyMessage(t *testing.T) {
	line := lineOf(t, logging.Text, func(zl *zerolog.Logger) { zl.Info().Msg("") })
	assert.Equal(t, stamp+" "+reqID+" [INFO]\n", line)
}

// Lines outside any invocation (start-up, shutdown) have no request id.
func TestTextOutsideInvocation(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec)
	l.Zerolog().Info().Str("port", "9000").Msg("listening")
	l.Zerolog().Error().Err(errors.New("bind: address in use")).Msg("stopped")
	assert.Equal(t, []string{
		stamp + " [INFO] listening port=9000\n",
		stamp + ` [ERROR] stopped error="bind: address in use"` + "\n",
	}, rec.Writes())
}

func TestTextTimeIsUTCMilliseconds(t *testing.T) {
	clearEnv(t)
	var rec recorder
	shanghai := time.FixedZone("CST", 8*3600)
	at := time.Date(2027, 1, 1, 7, 5, 9, 7_999_999, shanghai) // 2026-12-31T23:05:09.007Z
	l := logging.New(&rec, logging.WithClock(func() time.Time { return at }))
	l.Zerolog().Info().Msg("x")
	assert.Equal(t, "2026-12-31T23:05:09.007Z [INFO] x\n", rec.String())

	rec.Reset()
	at = time.Date(2026, 3, 4, 5, 6, 7, 999_999_999, time.UTC)
	l.Zerolog().Info().Msg("x")
	assert.Equal(t, "2026-03-04T05:06:07.999Z [INFO] x\n", rec.String())
}

func TestTextRequestIDCannotSplitLine(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec, logging.Unbuffered())
	inv := l.Begin(logging.KindInvoke, "evil\nFC Invoke End RequestId: x\r")
	inv.Logger().Info().Msg("hello")
	inv.End(true)
	assert.Equal(t, []string{
		"FC Invoke Start RequestId: evil?FC?Invoke?End?RequestId:?x?\n",
		stamp + " evil?FC?Invoke?End?RequestId:?x? [INFO] hello\n",
		"FC Invoke End RequestId: evil?FC?Invoke?End?RequestId:?x?, Error: Unhandled function error\n",
	}, rec.Writes())
}

// A request id with spaces cannot pass for the fields after it: a line
// still reads as time, one id, [LEVEL].
func TestTextRequestIDCannotForgeFields(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec, logging.Unbuffered())
	inv := l.Begin(logging.KindInvoke, "x [ERROR] forged")
	inv.Logger().Info().Msg("hello")
	inv.End(false)
	assert.Equal(t, []string{
		"FC Invoke Start RequestId: x?[ERROR]?forged\n",
		stamp + " x?[ERROR]?forged [INFO] hello\n",
		"FC Invoke End RequestId: x?[ERROR]?forged\n",
	}, rec.Writes())
}

func TestJSONLayout(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec, logging.WithFormat(logging.JSON), logging.WithLevel(zerolog.DebugLevel))
	inv := l.Begin(logging.KindInvoke, reqID)
	zl := inv.Logger()
	zl.Info().Str("name", "bob").Int("n", 42).Bool("ok", true).Float64("f", 1.5).Msg("greeting")
	zl.Error().Err(errors.New("disk full")).Dict("d", zerolog.Dict().Str("a", "b")).Interface("i", []int{1}).Msg("failed")
	zl.Debug().Str("s", "a \"b\" = c\nd").Msg("line1\nline2")
	zl.Info().Send()
	inv.End(false)
	l.Zerolog().Warn().Msg("outside")

	lines := rec.Lines()
	require.Len(t, lines, 7)
	assert.Equal(t, "FC Invoke Start RequestId: "+reqID, lines[0])
	assert.Equal(t, "FC Invoke End RequestId: "+reqID, lines[5])

	var objs []map[string]any
	for _, line := range append(lines[1:5:5], lines[6]) {
		require.True(t, json.Valid([]byte(line)), "%s", line)
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m))
		assert.Equal(t, stamp, m["time"])
		objs = append(objs, m)
	}
	assert.Equal(t, map[string]any{
		"time": stamp, "requestId": reqID, "level": "info", "message": "greeting",
		"name": "bob", "n": 42.0, "ok": true, "f": 1.5,
	}, objs[0])
	assert.Equal(t, map[string]any{
		"time": stamp, "requestId": reqID, "level": "error", "message": "failed",
		"error": "disk full", "d": map[string]any{"a": "b"}, "i": []any{1.0},
	}, objs[1])
	assert.Equal(t, map[string]any{
		"time": stamp, "requestId": reqID, "level": "debug", "message": "line1\nline2", "s": "a \"b\" = c\nd",
	}, objs[2])
	assert.Equal(t, map[string]any{"time": stamp, "requestId": reqID, "level": "info"}, objs[3])
	assert.Equal(t, map[string]any{"time": stamp, "level": "warn", "message": "outside"}, objs[4])

	// time and requestId lead, so a line reads well unparsed too.
	assert.True(t, strings.HasPrefix(lines[1], `{"time":"`+stamp+`","requestId":"`+reqID+`","level":"info"`), lines[1])
}

func TestJSONRequestIDEscaped(t *testing.T) {
	line := func() string {
		var rec recorder
		l := newLogger(t, &rec, logging.Unbuffered(), logging.WithFormat(logging.JSON))
		inv := l.Begin(logging.KindInvoke, "a\"b\\c\nd\x01")
		rec.Reset()
		inv.Logger().Info().Msg("m")
		return rec.String()
	}()
	assert.Equal(t, 1, strings.Count(line, "\n"))
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(line), &m), line)
	assert.Equal(t, "a\"b\\c\nd\x01", m["requestId"])
}

// malformedInputs are bytes written straight to an Invocation, not through
// zerolog: they must still come out as one line each.
var malformedInputs = []string{
	"plain text",
	"plain text\nsecond line\r\nthird",
	"",
	"\n",
	"\n\n\n",
	"   ",
	"{",
	"}",
	"{}",
	"{broken",
	`{"a":1`,
	`{"a":1,}`,
	`{bad}`,
	`{"a":xyz}`,
	`{"a":"\x"}`,
	`{"a":1}{"b":2}`,
	`{"a":1} trailing`,
	"{\n  \"pretty\": true,\n  \"n\": [1,\n 2]\n}",
	"{\"raw\":\"line\nbreak\"}",
	`{"message":"unterminated}`,
	`{"a":{"b":[1,2,{"c":"d"}]}}`,
	`{"a":[1,2}`,
	`{"a":{"b":1]}`,
	`{"a":01}`,
	`{"a":-}`,
	`{"a":1.}`,
	`{"a":1e}`,
	`{"a":tru}`,
	`{"a":nulll}`,
	`{"a":"b":"c"}`,
	`{"a" "b"}`,
	`{1:2}`,
	`[1,2]`,
	`"just a string"`,
	"{\"a\":\"\xff\xfe\"}",
	"\x00\x01\x02",
	`{"level":"info","message":"looks right"}`,
}

func TestMalformedInputOneLine(t *testing.T) {
	for _, format := range []logging.Format{logging.Text, logging.JSON} {
		for _, in := range malformedInputs {
			var rec recorder
			l := newLogger(t, &rec, logging.Unbuffered(), logging.WithFormat(format))
			inv := l.Begin(logging.KindInvoke, reqID)
			rec.Reset()
			n, err := inv.Write([]byte(in))
			assert.NoError(t, err)
			assert.Equal(t, len(in), n)
			out := rec.String()
			assert.Equal(t, 1, strings.Count(out, "\n"), "%v %q → %q", format, in, out)
			assert.True(t, strings.HasSuffix(out, "\n"), "%v %q → %q", format, in, out)
			if format == logging.JSON {
				assert.True(t, json.Valid([]byte(out)), "%q → %s", in, out)
				var m map[string]any
				if assert.NoError(t, json.Unmarshal([]byte(out), &m), "%q → %s", in, out) {
					assert.Equal(t, stamp, m["time"])
					assert.Equal(t, reqID, m["requestId"])
				}
			} else {
				assert.True(t, strings.HasPrefix(out, stamp+" "+reqID+" [INFO]"), "%q → %q", in, out)
			}

			// The next line still starts on a line of its own.
			inv.Logger().Info().Msg("next")
			lines := rec.Lines()
			require.Len(t, lines, 2, "%v %q", format, in)
			assert.Contains(t, lines[1], "next")
		}
	}
}

func TestTextMalformedExact(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec, logging.Unbuffered())
	inv := l.Begin(logging.KindInvoke, reqID)
	rec.Reset()
	_, _ = inv.Write([]byte("plain text\nsecond line\n"))
	_, _ = inv.Write([]byte("{\n  \"message\": \"pretty\",\n  \"n\": 1\n}\n"))
	assert.Equal(t, []string{
		stamp + " " + reqID + " [INFO] plain text second line\n",
		stamp + " " + reqID + " [INFO] pretty n=1\n",
	}, rec.Writes())
}

func TestFormatString(t *testing.T) {
	assert.Equal(t, "text", logging.Text.String())
	assert.Equal(t, "json", logging.JSON.String())
}

func TestTextTimeEdges(t *testing.T) {
	clearEnv(t)
	for at, want := range map[time.Time]string{
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC):                   "0001-01-01T00:00:00.000Z [INFO] x\n",
		time.Date(9999, 12, 31, 23, 59, 59, 999_000_000, time.UTC): "9999-12-31T23:59:59.999Z [INFO] x\n",
		time.Date(2000, 2, 29, 12, 0, 0, 1_000_000, time.UTC):      "2000-02-29T12:00:00.001Z [INFO] x\n",
		time.Unix(0, 0): "1970-01-01T00:00:00.000Z [INFO] x\n",
	} {
		var rec recorder
		l := logging.New(&rec, logging.WithClock(func() time.Time { return at }))
		l.Zerolog().Info().Msg("x")
		assert.Equal(t, want, rec.String())
	}
	// Years outside 0000-9999 do not garble the line.
	var rec recorder
	l := logging.New(&rec, logging.WithClock(func() time.Time { return time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC) }))
	l.Zerolog().Info().Msg("x")
	assert.Equal(t, 1, strings.Count(rec.String(), "\n"))
	assert.True(t, strings.HasSuffix(rec.String(), "Z [INFO] x\n"), rec.String())
}

// Each line of an invocation carries its own time and level, whether the
// clock stays in the same second, moves on, or leaves the years the
// layout holds and comes back.
func TestTextTimeAndLevelPerLine(t *testing.T) {
	clearEnv(t)
	for _, id := range []string{reqID, "", strings.Repeat("long-id-", 12)} {
		var rec recorder
		var now time.Time
		l := logging.New(&rec, logging.Unbuffered(), logging.WithLevel(zerolog.DebugLevel),
			logging.WithClock(func() time.Time { return now }))
		inv := l.Begin(logging.KindInvoke, id)
		rec.Reset()
		prefix := " "
		if id != "" {
			prefix = " " + id + " "
		}
		var want []string
		for _, step := range []struct {
			at    time.Time
			level zerolog.Level
			text  string
		}{
			{time.Date(2026, 11, 28, 6, 33, 8, 123_456_789, time.UTC), zerolog.InfoLevel, "2026-11-28T06:33:08.123Z"},
			{time.Date(2026, 11, 28, 6, 33, 8, 124_000_000, time.UTC), zerolog.InfoLevel, "2026-11-28T06:33:08.124Z"},
			{time.Date(2026, 11, 28, 6, 33, 9, 5_000_000, time.UTC), zerolog.WarnLevel, "2026-11-28T06:33:09.005Z"},
			{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), zerolog.ErrorLevel, "10000-01-01T00:00:00.000Z"},
			{time.Date(2026, 11, 28, 6, 33, 9, 6_000_000, time.UTC), zerolog.ErrorLevel, "2026-11-28T06:33:09.006Z"},
			{time.Date(2027, 1, 1, 7, 0, 0, 999_000_000, time.FixedZone("CST", 8*3600)), zerolog.DebugLevel, "2026-12-31T23:00:00.999Z"},
			{time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), zerolog.InfoLevel, "2027-01-01T00:00:00.000Z"},
		} {
			now = step.at
			inv.Logger().WithLevel(step.level).Int("n", len(want)).Msg("m")
			level := strings.ToUpper(step.level.String())
			want = append(want, fmt.Sprintf("%s%s[%s] m n=%d\n", step.text, prefix, level, len(want)))
		}
		assert.Equal(t, want, rec.Writes(), "id %q", id)
		inv.End(false)
	}
}

// The text of a second is kept for every line of the Logger, not per
// invocation: lines of other invocations, in the same second or not, in
// order or not, each carry their own time; and so do lines logged at once
// by many goroutines while the clock jumps between seconds.
func TestTextTimeAcrossInvocations(t *testing.T) {
	clearEnv(t)
	var rec recorder
	var now time.Time
	l := logging.New(&rec, logging.Unbuffered(), logging.WithClock(func() time.Time { return now }))
	a := l.Begin(logging.KindInvoke, "a")
	b := l.Begin(logging.KindInvoke, "b")
	rec.Reset()
	var want []string
	for _, step := range []struct {
		inv  *logging.Invocation
		at   time.Time
		text string
	}{
		{a, time.Date(2026, 11, 28, 6, 33, 8, 123_000_000, time.UTC), "2026-11-28T06:33:08.123Z a"},
		{b, time.Date(2026, 11, 28, 6, 33, 8, 500_000_000, time.UTC), "2026-11-28T06:33:08.500Z b"},
		{a, time.Date(2026, 11, 28, 6, 33, 9, 1_000_000, time.UTC), "2026-11-28T06:33:09.001Z a"},
		{b, time.Date(2026, 11, 28, 6, 33, 7, 999_000_000, time.UTC), "2026-11-28T06:33:07.999Z b"},
		{a, time.Date(2026, 11, 29, 6, 33, 7, 0, time.UTC), "2026-11-29T06:33:07.000Z a"},
	} {
		now = step.at
		step.inv.Logger().Info().Msg("m")
		want = append(want, step.text+" [INFO] m\n")
	}
	assert.Equal(t, want, rec.Writes())

	// Concurrent lines: the clock's n-th reading is n%7 seconds and n%7
	// milliseconds past a minute, so a line stamped with another line's
	// second shows a millisecond that does not match its second.
	var n atomic.Int64
	base := time.Date(2026, 11, 28, 6, 33, 0, 0, time.UTC)
	var out recorder
	l = logging.New(&out, logging.Unbuffered(), logging.WithClock(func() time.Time {
		k := time.Duration(n.Add(1) % 7)
		return base.Add(k*time.Second + k*time.Millisecond)
	}))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			inv := l.Begin(logging.KindInvoke, fmt.Sprint("g", g))
			for range 200 {
				inv.Logger().Info().Msg("m")
			}
			inv.End(false)
		})
	}
	wg.Wait()
	lines := 0
	for _, line := range out.Lines() {
		if strings.HasPrefix(line, "FC Invoke") {
			continue
		}
		lines++
		var sec, ms int
		_, err := fmt.Sscanf(line, "2026-11-28T06:33:%02d.%03dZ", &sec, &ms)
		require.NoError(t, err, line)
		require.Equal(t, sec, ms, "a line stamped with another line's second: %q", line)
	}
	assert.Equal(t, 8*200, lines)
}
