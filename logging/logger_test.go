package logging_test

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fcgo/fcgo/logging"
)

func TestBeginEndOneWrite(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec, logging.BufferStartMarker())
	inv := l.Begin(logging.KindInvoke, reqID)
	assert.Equal(t, reqID, inv.RequestID())
	zl := inv.Logger()
	zl.Info().Str("name", "bob").Msg("one")
	zl.Warn().Msg("two")
	zl.Error().Msg("three")
	assert.Empty(t, rec.Writes(), "a buffered invocation writes nothing before it ends")

	inv.End(false)
	assert.Equal(t, []string{
		"FC Invoke Start RequestId: " + reqID + "\n" +
			stamp + " " + reqID + " [INFO] one name=bob\n" +
			stamp + " " + reqID + " [WARN] two\n" +
			stamp + " " + reqID + " [ERROR] three\n" +
			"FC Invoke End RequestId: " + reqID + "\n",
	}, rec.Writes())
}

func TestBeginEndFailure(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec)
	inv := l.Begin(logging.KindInitialize, reqID)
	assert.Equal(t, []string{"FC Initialize Start RequestId: " + reqID + "\n"}, rec.Writes(),
		"by default, while invocations run one at a time, the start marker is written at once")
	inv.Logger().Info().Msg("opening")
	inv.End(true)
	assert.Equal(t, []string{
		"FC Initialize Start RequestId: " + reqID + "\n",
		stamp + " " + reqID + " [INFO] opening\n" +
			"FC Initialize End RequestId: " + reqID + ", Error: Unhandled function error\n",
	}, rec.Writes())
}

// BeginIn starts an Invocation held in the caller's own state exactly as
// Begin does, and refuses one already begun: its logger refers to it.
func TestBeginIn(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec)
	var state struct {
		other int
		inv   logging.Invocation
	}
	l.BeginIn(&state.inv, logging.KindPreFreeze, reqID)
	assert.Equal(t, []string{"FC PreFreeze Start RequestId: " + reqID + "\n"}, rec.Writes())
	assert.Equal(t, reqID, state.inv.RequestID())
	state.inv.Logger().Warn().Msg("freezing")
	state.inv.End(false)
	assert.Equal(t, []string{
		"FC PreFreeze Start RequestId: " + reqID + "\n",
		stamp + " " + reqID + " [WARN] freezing\n" +
			"FC PreFreeze End RequestId: " + reqID + "\n",
	}, rec.Writes())

	assert.PanicsWithValue(t, "logging: BeginIn of an Invocation already begun", func() {
		l.BeginIn(&state.inv, logging.KindInvoke, "again")
	})
	assert.Len(t, rec.Writes(), 2, "a refused BeginIn writes no marker")
}

func TestUnbufferedOneWritePerLine(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec, logging.Unbuffered())
	inv := l.Begin(logging.KindPreStop, reqID)
	assert.Equal(t, []string{"FC PreStop Start RequestId: " + reqID + "\n"}, rec.Writes(), "the start marker goes out at once")
	inv.Logger().Info().Msg("one")
	inv.Logger().Info().Msg("two")
	inv.End(false)
	assert.Equal(t, []string{
		"FC PreStop Start RequestId: " + reqID + "\n",
		stamp + " " + reqID + " [INFO] one\n",
		stamp + " " + reqID + " [INFO] two\n",
		"FC PreStop End RequestId: " + reqID + "\n",
	}, rec.Writes())
}

func TestFlushOnSize(t *testing.T) {
	var rec recorder
	const size = 200
	l := newLogger(t, &rec, logging.WithFlush(size, time.Hour), logging.BufferStartMarker())
	inv := l.Begin(logging.KindInvoke, reqID)
	pending := len("FC Invoke Start RequestId: " + reqID + "\n")
	var all strings.Builder
	all.WriteString("FC Invoke Start RequestId: " + reqID + "\n")
	flushes := 0
	for i := range 20 {
		inv.Logger().Info().Int("i", i).Msg("progress")
		line := fmt.Sprintf("%s %s [INFO] progress i=%d\n", stamp, reqID, i)
		all.WriteString(line)
		pending += len(line)
		if pending >= size {
			flushes++
			pending = 0
		}
		require.Len(t, rec.Writes(), flushes, "after line %d", i)
	}
	require.Greater(t, flushes, 3)
	for _, w := range rec.Writes() {
		assert.True(t, strings.HasSuffix(w, "\n"), "only whole lines: %q", w)
		assert.GreaterOrEqual(t, len(w), size)
	}
	inv.End(false)
	all.WriteString("FC Invoke End RequestId: " + reqID + "\n")
	assert.Len(t, rec.Writes(), flushes+1)
	assert.Equal(t, all.String(), rec.String())
}

func TestFlushOnAge(t *testing.T) {
	var rec recorder
	c := &clock{now: t0}
	t.Setenv(logging.EnvLevel, "")
	t.Setenv(logging.EnvFormat, "")
	l := logging.New(&rec, logging.WithClock(c.Now), logging.WithFlush(1<<20, time.Second), logging.BufferStartMarker())

	inv := l.Begin(logging.KindInvoke, reqID)
	c.Advance(500 * time.Millisecond)
	inv.Logger().Info().Msg("a")
	assert.Empty(t, rec.Writes())

	c.Advance(600 * time.Millisecond) // the start marker has waited 1.1 s
	inv.Logger().Info().Msg("b")
	require.Len(t, rec.Writes(), 1)
	assert.Equal(t, "FC Invoke Start RequestId: "+reqID+"\n"+
		"2026-11-28T06:33:08.623Z "+reqID+" [INFO] a\n"+
		"2026-11-28T06:33:09.223Z "+reqID+" [INFO] b\n", rec.Writes()[0])

	// The age counts from the oldest line still pending.
	c.Advance(900 * time.Millisecond)
	inv.Logger().Info().Msg("c") // 1.8 s after the start marker, but the first line pending
	assert.Len(t, rec.Writes(), 1)
	c.Advance(999 * time.Millisecond)
	inv.Logger().Info().Msg("d")
	assert.Len(t, rec.Writes(), 1)
	c.Advance(time.Millisecond)
	inv.Logger().Info().Msg("e") // c has waited exactly the age
	require.Len(t, rec.Writes(), 2)
	assert.Equal(t, "2026-11-28T06:33:10.123Z "+reqID+" [INFO] c\n"+
		"2026-11-28T06:33:11.122Z "+reqID+" [INFO] d\n"+
		"2026-11-28T06:33:11.123Z "+reqID+" [INFO] e\n", rec.Writes()[1])

	inv.End(false)
	assert.Equal(t, []string{"FC Invoke End RequestId: " + reqID + "\n"}, rec.Writes()[2:])
}

func TestExplicitFlush(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec, logging.BufferStartMarker())
	inv := l.Begin(logging.KindInvoke, reqID)
	inv.Logger().Info().Msg("x")
	inv.Flush()
	require.Len(t, rec.Writes(), 1)
	inv.Flush() // nothing pending
	assert.Len(t, rec.Writes(), 1)
	inv.End(false)
	assert.Equal(t, []string{"FC Invoke End RequestId: " + reqID + "\n"}, rec.Writes()[1:])
}

func TestEndTwice(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec, logging.BufferStartMarker())
	inv := l.Begin(logging.KindInvoke, reqID)
	inv.End(false)
	inv.End(true)
	inv.End(false)
	assert.Equal(t, "FC Invoke Start RequestId: "+reqID+"\nFC Invoke End RequestId: "+reqID+"\n", rec.String())
	assert.Len(t, rec.Writes(), 1)
}

// A goroutine the handler left running may log after End.
func TestLineAfterEnd(t *testing.T) {
	for _, opts := range [][]logging.Option{nil, {logging.Unbuffered()}, {logging.WithFormat(logging.JSON)}} {
		var rec recorder
		l := newLogger(t, &rec, opts...)
		inv := l.Begin(logging.KindInvoke, reqID)
		zl := inv.Logger()
		inv.End(false)
		n := len(rec.Writes())
		zl.Info().Msg("late")
		writes := rec.Writes()
		require.Len(t, writes, n+1, "a late line is written at once")
		assert.Contains(t, writes[n], reqID)
		assert.Contains(t, writes[n], "late")
		assert.True(t, strings.HasPrefix(writes[n], stamp) || strings.HasPrefix(writes[n], `{"time":"`+stamp), writes[n])
		inv.End(true) // still harmless
		assert.Len(t, rec.Writes(), n+1)
	}
}

func TestLevelFilter(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec, logging.WithLevel(zerolog.WarnLevel), logging.Unbuffered())
	assert.Equal(t, zerolog.WarnLevel, l.Level())
	inv := l.Begin(logging.KindInvoke, "r")
	inv.Logger().Debug().Msg("debug")
	inv.Logger().Info().Msg("info")
	inv.Logger().Warn().Msg("warn")
	inv.Logger().Error().Msg("error")
	inv.End(false)
	l.Zerolog().Info().Msg("base info")
	l.Zerolog().Error().Msg("base error")
	assert.Equal(t, []string{
		"FC Invoke Start RequestId: r",
		stamp + " r [WARN] warn",
		stamp + " r [ERROR] error",
		"FC Invoke End RequestId: r",
		stamp + " [ERROR] base error",
	}, rec.Lines())
}

// Markers are not application lines: they go out at every level.
func TestDisabledLevelKeepsMarkers(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec, logging.WithLevel(zerolog.Disabled))
	inv := l.Begin(logging.KindInvoke, "r")
	inv.Logger().Error().Msg("error")
	inv.End(true)
	l.Zerolog().Error().Msg("base")
	assert.Equal(t, []string{"FC Invoke Start RequestId: r", "FC Invoke End RequestId: r, Error: Unhandled function error"}, rec.Lines())
}

func TestDefaults(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec)
	assert.Equal(t, zerolog.InfoLevel, l.Level())
	assert.Equal(t, logging.Text, l.Format())
	assert.Empty(t, rec.Writes(), "New writes nothing when the environment is fine")
}

func TestEnvOverridesOptions(t *testing.T) {
	cases := []struct {
		level, format string
		wantLevel     zerolog.Level
		wantFormat    logging.Format
	}{
		{"debug", "json", zerolog.DebugLevel, logging.JSON},
		{" WARN ", "TEXT", zerolog.WarnLevel, logging.Text},
		{"warning", "Json", zerolog.WarnLevel, logging.JSON},
		{"trace", "", zerolog.TraceLevel, logging.Text},
		{"", "json", zerolog.ErrorLevel, logging.JSON},
		{"off", "", zerolog.Disabled, logging.Text},
		{"disabled", "", zerolog.Disabled, logging.Text},
	}
	for _, tc := range cases {
		t.Run(tc.level+"/"+tc.format, func(t *testing.T) {
			t.Setenv(logging.EnvLevel, tc.level)
			t.Setenv(logging.EnvFormat, tc.format)
			var rec recorder
			l := logging.New(&rec, logging.WithClock(fixedClock), logging.WithLevel(zerolog.ErrorLevel), logging.WithFormat(logging.Text))
			assert.Equal(t, tc.wantLevel, l.Level())
			assert.Equal(t, tc.wantFormat, l.Format())
			assert.Empty(t, rec.Writes())
		})
	}

	// The override is effective, not just reported.
	t.Setenv(logging.EnvLevel, "debug")
	t.Setenv(logging.EnvFormat, "json")
	var rec recorder
	l := logging.New(&rec, logging.WithClock(fixedClock), logging.WithLevel(zerolog.ErrorLevel), logging.Unbuffered())
	inv := l.Begin(logging.KindInvoke, "r")
	inv.Logger().Debug().Msg("shown")
	assert.Equal(t, `{"time":"`+stamp+`","requestId":"r","level":"debug","message":"shown"}`, rec.Lines()[1])
}

func TestEnvInvalidWarns(t *testing.T) {
	cases := []struct {
		name, level, format string
		opts                []logging.Option
		want                []string
		wantLevel           zerolog.Level
		wantFormat          logging.Format
	}{
		{"level", "loud", "", nil, []string{logging.EnvLevel, "loud"}, zerolog.InfoLevel, logging.Text},
		{"format", "", "xml", nil, []string{logging.EnvFormat, "xml"}, zerolog.InfoLevel, logging.Text},
		{"both", "loud", "xml", nil, []string{logging.EnvLevel, logging.EnvFormat}, zerolog.InfoLevel, logging.Text},
		{"keeps options", "loud", "", []logging.Option{logging.WithLevel(zerolog.DebugLevel), logging.WithFormat(logging.JSON)},
			[]string{logging.EnvLevel}, zerolog.DebugLevel, logging.JSON},
		// The operator must learn about a typo even when warnings are filtered.
		{"above warn", "loud", "", []logging.Option{logging.WithLevel(zerolog.ErrorLevel)}, []string{logging.EnvLevel}, zerolog.ErrorLevel, logging.Text},
		{"valid level, bad format", "error", "yaml", nil, []string{logging.EnvFormat}, zerolog.ErrorLevel, logging.Text},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(logging.EnvLevel, tc.level)
			t.Setenv(logging.EnvFormat, tc.format)
			var rec recorder
			l := logging.New(&rec, append([]logging.Option{logging.WithClock(fixedClock)}, tc.opts...)...)
			assert.Equal(t, tc.wantLevel, l.Level())
			assert.Equal(t, tc.wantFormat, l.Format())
			writes := rec.Writes()
			require.Len(t, writes, 1, "one warning line")
			line := writes[0]
			assert.Equal(t, 1, strings.Count(line, "\n"))
			if tc.wantFormat == logging.JSON {
				assert.Contains(t, line, `"level":"warn"`)
			} else {
				assert.True(t, strings.HasPrefix(line, stamp+" [WARN] "), line)
			}
			for _, w := range tc.want {
				assert.Contains(t, line, w)
			}
		})
	}
}

func TestParseLevel(t *testing.T) {
	for in, want := range map[string]zerolog.Level{
		"trace": zerolog.TraceLevel, "DEBUG": zerolog.DebugLevel, " info ": zerolog.InfoLevel,
		"warn": zerolog.WarnLevel, "Warning": zerolog.WarnLevel, "error": zerolog.ErrorLevel,
		"fatal": zerolog.FatalLevel, "panic": zerolog.PanicLevel,
		"disabled": zerolog.Disabled, "off": zerolog.Disabled, "none": zerolog.Disabled,
	} {
		got, err := logging.ParseLevel(in)
		assert.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "loud", "1", "inf"} {
		_, err := logging.ParseLevel(in)
		assert.Error(t, err, in)
	}
}

type zerologGlobals struct {
	Level                                                                 zerolog.Level
	TimeFieldFormat, TimestampFieldName, LevelFieldName, MessageFieldName string
	ErrorFieldName, CallerFieldName, ErrorStackFieldName, DurationFormat  string
	DurationFieldUnit                                                     time.Duration
	DurationFieldInteger                                                  bool
	CallerSkipFrameCount, FloatingPointPrecision                          int
	DefaultContextLogger                                                  *zerolog.Logger
	Funcs                                                                 [8]uintptr
	FormattedLevels                                                       string
}

func captureZerologGlobals() zerologGlobals {
	fn := func(f any) uintptr {
		v := reflect.ValueOf(f)
		if !v.IsValid() || v.IsNil() {
			return 0
		}
		return v.Pointer()
	}
	return zerologGlobals{
		Level:                  zerolog.GlobalLevel(),
		TimeFieldFormat:        zerolog.TimeFieldFormat,
		TimestampFieldName:     zerolog.TimestampFieldName,
		LevelFieldName:         zerolog.LevelFieldName,
		MessageFieldName:       zerolog.MessageFieldName,
		ErrorFieldName:         zerolog.ErrorFieldName,
		CallerFieldName:        zerolog.CallerFieldName,
		ErrorStackFieldName:    zerolog.ErrorStackFieldName,
		DurationFormat:         zerolog.DurationFieldFormat,
		DurationFieldUnit:      zerolog.DurationFieldUnit,
		DurationFieldInteger:   zerolog.DurationFieldInteger,
		CallerSkipFrameCount:   zerolog.CallerSkipFrameCount,
		FloatingPointPrecision: zerolog.FloatingPointPrecision,
		DefaultContextLogger:   zerolog.DefaultContextLogger,
		Funcs: [8]uintptr{
			fn(zerolog.TimestampFunc), fn(zerolog.LevelFieldMarshalFunc), fn(zerolog.ErrorMarshalFunc),
			fn(zerolog.InterfaceMarshalFunc), fn(zerolog.ErrorHandler), fn(zerolog.CallerMarshalFunc),
			fn(zerolog.ErrorStackMarshaler),
		},
		FormattedLevels: fmt.Sprint(zerolog.FormattedLevels),
	}
}

func TestZerologGlobalsUnchanged(t *testing.T) {
	before := captureZerologGlobals()
	for _, format := range []logging.Format{logging.Text, logging.JSON} {
		var rec recorder
		l := newLogger(t, &rec, logging.WithFormat(format), logging.WithLevel(zerolog.TraceLevel))
		inv := l.Begin(logging.KindInvoke, "r")
		inv.Logger().Trace().Msg("x")
		_ = inv.WithContext(context.Background())
		inv.End(false)
		l.Zerolog().Info().Msg("y")
	}
	t.Setenv(logging.EnvLevel, "bogus")
	_ = logging.New(discard{})
	assert.Equal(t, before, captureZerologGlobals())
}

func TestInvocationWithContext(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec, logging.Unbuffered())
	inv := l.Begin(logging.KindInvoke, "ctx-id")
	ctx := inv.WithContext(context.Background())
	assert.Same(t, inv.Logger(), zerolog.Ctx(ctx))
	zerolog.Ctx(ctx).Info().Msg("via ctx")
	assert.Equal(t, stamp+" ctx-id [INFO] via ctx\n", rec.Writes()[1])
}

// lineRE matches an application line of the concurrency tests.
var lineRE = regexp.MustCompile(`^` + regexp.QuoteMeta(stamp) + ` (inv-\d+) \[INFO\] line g=(\d+) i=(\d+) pad=x+$`)

var concurrencyOptions = map[string][]logging.Option{
	"buffered":       {logging.BufferStartMarker()},
	"default":        nil,
	"start at once":  {logging.StartMarkerAtOnce()},
	"unbuffered":     {logging.Unbuffered()},
	"flush on size":  {logging.WithFlush(300, time.Hour)},
	"flush each age": {logging.WithFlush(1<<20, 0)},
}

// checkOrder verifies every line is intact and that each invocation's lines
// sit between its own markers; it returns the lines seen per invocation.
func checkOrder(t *testing.T, lines []string) map[string][]string {
	t.Helper()
	started := map[string]bool{}
	ended := map[string]bool{}
	seen := map[string][]string{}
	for _, line := range lines {
		if id, ok := strings.CutPrefix(line, "FC Invoke Start RequestId: "); ok {
			require.False(t, started[id], "two start markers for %s", id)
			started[id] = true
			continue
		}
		if id, ok := strings.CutPrefix(line, "FC Invoke End RequestId: "); ok {
			require.True(t, started[id], "end before start for %s", id)
			require.False(t, ended[id], "two end markers for %s", id)
			ended[id] = true
			continue
		}
		m := lineRE.FindStringSubmatch(line)
		require.NotNil(t, m, "broken line %q", line)
		id := m[1]
		require.True(t, started[id] && !ended[id], "line outside the markers of %s: %q", id, line)
		seen[id] = append(seen[id], m[2]+"/"+m[3])
	}
	for id := range started {
		require.True(t, ended[id], "no end marker for %s", id)
	}
	return seen
}

func TestConcurrentOneInvocation(t *testing.T) {
	const goroutines, perG = 50, 40
	for name, opts := range concurrencyOptions {
		t.Run(name, func(t *testing.T) {
			var rec recorder
			l := newLogger(t, &rec, opts...)
			inv := l.Begin(logging.KindInvoke, "inv-0")
			pad := strings.Repeat("x", 20)
			var wg sync.WaitGroup
			for g := range goroutines {
				wg.Go(func() {
					for i := range perG {
						inv.Logger().Info().Int("g", g).Int("i", i).Str("pad", pad).Msg("line")
					}
				})
			}
			wg.Wait()
			inv.End(false)

			for _, w := range rec.Writes() {
				assert.True(t, strings.HasSuffix(w, "\n"), "a Write ends a line: %q", w)
			}
			if name == "buffered" {
				// Whole buffers of DefaultFlushSize, then the rest at End.
				writes := rec.Writes()
				total := 0
				for i, w := range writes {
					total += len(w)
					if i < len(writes)-1 {
						assert.GreaterOrEqual(t, len(w), logging.DefaultFlushSize)
						assert.Less(t, len(w), logging.DefaultFlushSize+200)
					}
				}
				assert.Equal(t, total/logging.DefaultFlushSize+1, len(writes), "buffered writes are few")
			}
			seen := checkOrder(t, rec.Lines())["inv-0"]
			require.Len(t, seen, goroutines*perG)
			next := make([]int, goroutines)
			for _, s := range seen {
				g, i := splitGI(t, s)
				assert.Equal(t, next[g], i, "goroutine %d's lines in order", g)
				next[g] = i + 1
			}
		})
	}
}

func TestConcurrentInvocations(t *testing.T) {
	const invocations, perInv, helpers = 50, 30, 3
	for name, opts := range concurrencyOptions {
		t.Run(name, func(t *testing.T) {
			var rec recorder
			l := newLogger(t, &rec, opts...)
			pad := strings.Repeat("x", 10)
			var wg sync.WaitGroup
			for n := range invocations {
				wg.Go(func() {
					inv := l.Begin(logging.KindInvoke, "inv-"+strconv.Itoa(n))
					var inner sync.WaitGroup
					for g := range helpers {
						inner.Go(func() {
							for i := range perInv {
								inv.Logger().Info().Int("g", g).Int("i", i).Str("pad", pad).Msg("line")
							}
						})
					}
					inner.Wait()
					inv.End(false)
				})
			}
			wg.Wait()

			if name == "buffered" {
				// At most one Write per invocation (concurrent ones may
				// share a Write), and each invocation's lines together.
				writes := rec.Writes()
				assert.LessOrEqual(t, len(writes), invocations)
				for _, w := range writes {
					assert.True(t, strings.HasPrefix(w, "FC Invoke Start RequestId: inv-"), w[:40])
					assert.True(t, strings.HasSuffix(w, "\n"))
				}
				current := ""
				for _, line := range rec.Lines() {
					if id, ok := strings.CutPrefix(line, "FC Invoke Start RequestId: "); ok {
						require.Empty(t, current, "%s starts inside %s", id, current)
						current = id
						continue
					}
					if id, ok := strings.CutPrefix(line, "FC Invoke End RequestId: "); ok {
						require.Equal(t, current, id)
						current = ""
						continue
					}
					require.Contains(t, line, " "+current+" [INFO] ", "a line of another invocation inside %s", current)
				}
			}
			seen := checkOrder(t, rec.Lines())
			require.Len(t, seen, invocations)
			for id, lines := range seen {
				assert.Len(t, lines, helpers*perInv, id)
			}
		})
	}
}

func splitGI(t *testing.T, s string) (int, int) {
	g, i, _ := strings.Cut(s, "/")
	gn, err := strconv.Atoi(g)
	require.NoError(t, err)
	in, err := strconv.Atoi(i)
	require.NoError(t, err)
	return gn, in
}
