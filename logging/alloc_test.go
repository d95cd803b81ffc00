//go:build !race

package logging_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"

	"github.com/fcgo/fcgo/logging"
)

// Measured (go test -count=1 -run Alloc ./logging/, go1.26 linux/amd64):
// 0 allocations for a pair of marker lines, and 0 per request log line in
// the text and the JSON layout, buffered and unbuffered, and 0 per line
// through Logger.Zerolog().

func TestMarkerAllocs(t *testing.T) {
	buf := make([]byte, 0, 256)
	allocs := testing.AllocsPerRun(1000, func() {
		buf = logging.AppendStart(buf[:0], logging.KindPreFreeze, reqID)
		buf = logging.AppendEnd(buf, logging.KindPreFreeze, reqID, true)
	})
	t.Logf("markers: %v allocs/op", allocs)
	assert.Zero(t, allocs)
}

var errAlloc = errors.New("connection reset")

func logRequestLine(zl *zerolog.Logger) {
	zl.Info().Str("user", "bob").Int("attempt", 3).Bool("cached", false).Float64("ms", 12.5).Err(errAlloc).Msg("handled request")
}

func TestRequestLineAllocs(t *testing.T) {
	for name, opts := range map[string][]logging.Option{
		"text":            {logging.WithFormat(logging.Text)},
		"json":            {logging.WithFormat(logging.JSON)},
		"text unbuffered": {logging.WithFormat(logging.Text), logging.Unbuffered()},
		"json unbuffered": {logging.WithFormat(logging.JSON), logging.Unbuffered()},
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv(logging.EnvLevel, "")
			t.Setenv(logging.EnvFormat, "")
			l := logging.New(discard{}, append([]logging.Option{logging.WithClock(fixedClock)}, opts...)...)
			inv := l.Begin(logging.KindInvoke, reqID)
			zl := inv.Logger()
			// Warm up: zerolog's event pool and our line buffers, grown to
			// the flush size and back in the pool.
			for range 2000 {
				logRequestLine(zl)
			}
			allocs := testing.AllocsPerRun(2000, func() { logRequestLine(zl) })
			t.Logf("%s request line: %v allocs/op", name, allocs)
			assert.Zero(t, allocs)
			inv.End(false)
		})
	}
}

func TestBaseLineAllocs(t *testing.T) {
	t.Setenv(logging.EnvLevel, "")
	t.Setenv(logging.EnvFormat, "")
	l := logging.New(discard{}, logging.WithClock(fixedClock))
	zl := l.Zerolog()
	for range 100 {
		logRequestLine(zl)
	}
	allocs := testing.AllocsPerRun(1000, func() { logRequestLine(zl) })
	t.Logf("Logger.Zerolog line: %v allocs/op", allocs)
	assert.Zero(t, allocs)
}

// A whole buffered invocation costs a fixed few allocations (the
// Invocation itself), not one per line.
func TestInvocationAllocs(t *testing.T) {
	t.Setenv(logging.EnvLevel, "")
	t.Setenv(logging.EnvFormat, "")
	l := logging.New(discard{}, logging.WithClock(fixedClock))
	run := func() {
		inv := l.Begin(logging.KindInvoke, reqID)
		for range 10 {
			logRequestLine(inv.Logger())
		}
		inv.End(false)
	}
	for range 100 {
		run()
	}
	allocs := testing.AllocsPerRun(1000, run)
	t.Logf("invocation with 10 lines: %v allocs/op", allocs)
	assert.LessOrEqual(t, allocs, 1.0)
}

// The slog bridge: request lines through slog.Logger with the invocation's
// context. Measured (go test -count=1 -run Alloc ./logging/, go1.26
// linux/amd64): 0 allocations per line for every case below; a value slog
// must box (a struct, a long group key) costs its own.
func TestSlogAllocs(t *testing.T) {
	t.Setenv(logging.EnvLevel, "")
	t.Setenv(logging.EnvFormat, "")
	l := logging.New(discard{}, logging.WithClock(fixedClock))
	inv := l.Begin(logging.KindInvoke, reqID)
	ctx := inv.WithContext(context.Background())
	log := slog.New(l.SlogHandler())
	grouped := log.With("svc", "orders").WithGroup("http")
	lines := map[string]func(){
		"five attrs": func() {
			log.InfoContext(ctx, "handled request", "user", "bob", "attempt", 3, "cached", false, "ms", 12.5, "err", errAlloc)
		},
		"LogAttrs": func() {
			log.LogAttrs(ctx, slog.LevelInfo, "handled request", slog.String("user", "bob"), slog.Int("attempt", 3))
		},
		"grouped":  func() { grouped.InfoContext(ctx, "handled request", "status", 200) },
		"disabled": func() { log.DebugContext(ctx, "not logged", "user", "bob") },
	}
	for name, f := range lines {
		for range 2000 {
			f()
		}
		allocs := testing.AllocsPerRun(2000, f)
		t.Logf("slog %s: %v allocs/op", name, allocs)
		assert.Zero(t, allocs, name)
	}
	inv.End(false)
}
