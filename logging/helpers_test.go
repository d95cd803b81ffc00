package logging_test

import (
	"bytes"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/fcgo/fcgo/logging"
)

// t0 is the fixed clock of the tests: 2026-11-28T06:33:08.123Z.
var t0 = time.Date(2026, 11, 28, 6, 33, 8, 123456789, time.UTC)

const stamp = "2026-11-28T06:33:08.123Z"

func fixedClock() time.Time { return t0 }

// timestampRE matches the start of every application line.
var timestampRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z `)

// recorder keeps every Write as a separate copy, so tests can count them.
type recorder struct {
	mu     sync.Mutex
	writes [][]byte
}

func (r *recorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	r.writes = append(r.writes, bytes.Clone(p))
	r.mu.Unlock()
	return len(p), nil
}

// Writes returns the recorded writes.
func (r *recorder) Writes() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, len(r.writes))
	for i, w := range r.writes {
		out[i] = string(w)
	}
	return out
}

func (r *recorder) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return string(bytes.Join(r.writes, nil))
}

// Lines returns everything written, split into lines (without newlines).
func (r *recorder) Lines() []string {
	s := r.String()
	if s == "" {
		return nil
	}
	lines := bytes.Split(bytes.TrimSuffix([]byte(s), []byte("\n")), []byte("\n"))
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = string(l)
	}
	return out
}

func (r *recorder) Reset() {
	r.mu.Lock()
	r.writes = nil
	r.mu.Unlock()
}

// clock is a settable clock for WithClock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// clearEnv keeps the FCGO_LOG_* variables of the environment the tests run
// in from changing the Logger under test.
func clearEnv(t interface{ Setenv(k, v string) }) {
	t.Setenv(logging.EnvLevel, "")
	t.Setenv(logging.EnvFormat, "")
}

// newLogger returns a Logger with a fixed clock, unaffected by the
// FCGO_LOG_* variables of the environment the tests run in.
func newLogger(t testing.TB, w *recorder, opts ...logging.Option) *logging.Logger {
	t.Helper()
	clearEnv(t)
	return logging.New(w, append([]logging.Option{logging.WithClock(fixedClock)}, opts...)...)
}

// discard is an io.Writer that neither retains nor copies what it is given.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
