package logging_test

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fcgo/fcgo/logging"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type lockedWriter struct {
	mu     sync.Mutex
	b      strings.Builder
	writes int
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes++
	return w.b.Write(p)
}

func (w *lockedWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// A long invocation that logs once and then goes quiet still gets its
// start marker and line out once they are older than the flush age,
// without waiting for another line or for End.
func TestSweeperWritesQuietInvocations(t *testing.T) {
	out := &lockedWriter{}
	l := logging.New(out, logging.WithFlush(1<<20, 20*time.Millisecond))

	quiet := l.Begin(logging.KindInvoke, "quiet-1")
	quiet.Logger().Info().Msg("calling the database")
	other := l.Begin(logging.KindInitialize, "quiet-2")

	require.Eventually(t, func() bool {
		s := out.String()
		return strings.Contains(s, "quiet-1 [INFO] calling the database\n") &&
			strings.Contains(s, "FC Initialize Start RequestId: quiet-2\n")
	}, 5*time.Second, 5*time.Millisecond, "pending lines written by the sweeper")
	assert.True(t, strings.HasPrefix(out.String(), "FC Invoke Start RequestId: quiet-1\n") ||
		strings.HasPrefix(out.String(), "FC Initialize Start RequestId: quiet-2\n"))

	// Lines after a sweep are collected again and written at the end.
	quiet.Logger().Info().Msg("done")
	quiet.End(false)
	other.End(true)
	s := out.String()
	assert.Equal(t, 1, strings.Count(s, "FC Invoke Start RequestId: quiet-1\n"))
	assert.Contains(t, s, "quiet-1 [INFO] done\nFC Invoke End RequestId: quiet-1\n")
	assert.Contains(t, s, "FC Initialize End RequestId: quiet-2, Error: Unhandled function error\n")
}

// Invocations that end before the flush age are written once, at End: the
// sweeper adds no writes to short invocations.
func TestSweeperLeavesShortInvocationsAlone(t *testing.T) {
	out := &lockedWriter{}
	l := logging.New(out, logging.WithFlush(1<<20, time.Hour), logging.BufferStartMarker())
	for i := range 100 {
		inv := l.Begin(logging.KindInvoke, "short")
		inv.Logger().Info().Int("i", i).Msg("work")
		inv.End(false)
	}
	out.mu.Lock()
	defer out.mu.Unlock()
	assert.Equal(t, 100, out.writes)
}

// Many invocations ending while the sweeper runs: every line is written
// exactly once (run under -race).
func TestSweeperConcurrentWithEnd(t *testing.T) {
	out := &lockedWriter{}
	l := logging.New(out, logging.WithFlush(1<<20, time.Millisecond))
	var wg sync.WaitGroup
	for g := range 20 {
		wg.Go(func() {
			for i := range 50 {
				inv := l.Begin(logging.KindInvoke, "c")
				inv.Logger().Info().Int("g", g).Int("i", i).Msg("step")
				if i%7 == 0 {
					time.Sleep(2 * time.Millisecond)
				}
				inv.End(false)
			}
		})
	}
	wg.Wait()
	s := out.String()
	assert.Equal(t, 1000, strings.Count(s, "FC Invoke Start RequestId: c\n"))
	assert.Equal(t, 1000, strings.Count(s, "[INFO] step "))
	assert.Equal(t, 1000, strings.Count(s, "FC Invoke End RequestId: c\n"))
}

func TestLoggerFlushWritesRunningInvocations(t *testing.T) {
	out := &lockedWriter{}
	l := logging.New(out, logging.WithFlush(1<<20, time.Hour), logging.BufferStartMarker())
	a := l.Begin(logging.KindInvoke, "run-a")
	a.Logger().Info().Msg("still working")
	b := l.Begin(logging.KindPreStop, "run-b")
	assert.Empty(t, out.String())

	l.Flush()
	s := out.String()
	assert.Contains(t, s, "FC Invoke Start RequestId: run-a\n")
	assert.Contains(t, s, "run-a [INFO] still working\n")
	assert.Contains(t, s, "FC PreStop Start RequestId: run-b\n")
	b.End(false)
	assert.Contains(t, out.String(), "FC PreStop End RequestId: run-b\n")
}

// Flush ends even while invocations keep logging: it writes what was
// pending when it was called.
func TestLoggerFlushEndsUnderLoad(t *testing.T) {
	// Each write takes a while, as on a slow disk or a full pipe: while one
	// invocation is written out, the others (and the one just written) log
	// again.
	slow := writerFunc(func(p []byte) (int, error) { time.Sleep(time.Millisecond); return len(p), nil })
	l := logging.New(slow, logging.WithFlush(1<<30, time.Hour))
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			inv := l.Begin(logging.KindInvoke, fmt.Sprint("busy-", g))
			defer inv.End(false)
			for {
				select {
				case <-stop:
					return
				default:
					inv.Logger().Info().Msg("tick")
					time.Sleep(50 * time.Microsecond)
				}
			}
		})
	}
	time.Sleep(20 * time.Millisecond)
	done := make(chan struct{})
	go func() { l.Flush(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Error("Flush did not return while invocations kept logging")
	}
	close(stop)
	wg.Wait()
}

// zerolog closes its writer before Fatal exits the process: the collected
// lines reach the output.
func TestInvocationCloseFlushes(t *testing.T) {
	out := &lockedWriter{}
	l := logging.New(out, logging.WithFlush(1<<20, time.Hour))
	inv := l.Begin(logging.KindInvoke, "fatal")
	inv.Logger().Info().Msg("before")
	assert.Equal(t, "FC Invoke Start RequestId: fatal\n", out.String(), "the start marker is written at once")
	var closer io.Closer = inv
	require.NoError(t, closer.Close())
	assert.Contains(t, out.String(), "FC Invoke Start RequestId: fatal\n")
	assert.Contains(t, out.String(), "fatal [INFO] before\n")
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// Close (what zerolog calls before Fatal exits) writes the pending lines
// of every invocation, not only its own.
func TestInvocationCloseFlushesAll(t *testing.T) {
	out := &lockedWriter{}
	l := logging.New(out, logging.WithFlush(1<<20, time.Hour))
	a := l.Begin(logging.KindInvoke, "fatal-a")
	b := l.Begin(logging.KindInvoke, "fatal-b")
	b.Logger().Info().Msg("progress")
	a.Logger().Error().Msg("about to exit")
	require.NoError(t, a.Close())
	assert.Contains(t, out.String(), "fatal-b [INFO] progress\n")
	assert.Contains(t, out.String(), "fatal-a [ERROR] about to exit\n")
}
