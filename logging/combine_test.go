package logging

import (
	"bytes"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gatedWriter records every Write; the first one blocks until released, so
// that the writes arriving meanwhile must queue behind it.
type gatedWriter struct {
	mu      sync.Mutex
	writes  [][]byte
	entered chan struct{}
	release chan struct{}
	first   sync.Once
}

func (w *gatedWriter) Write(p []byte) (int, error) {
	w.first.Do(func() {
		close(w.entered)
		<-w.release
	})
	w.mu.Lock()
	w.writes = append(w.writes, bytes.Clone(p))
	w.mu.Unlock()
	return len(p), nil
}

func (w *gatedWriter) all() []byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	return bytes.Join(w.writes, nil)
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
	}
}

// Writes that arrive while another is in progress go out together in one
// Write once it ends, whole and each exactly once, and no write returns
// before its bytes are on the output.
func TestConcurrentWritesCombine(t *testing.T) {
	w := &gatedWriter{entered: make(chan struct{}), release: make(chan struct{})}
	l := New(w, Unbuffered())
	go l.write([]byte("first\n"))
	<-w.entered

	const n = 20
	var wg sync.WaitGroup
	returned := make(chan string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			line := fmt.Sprintf("line %02d\n", i)
			l.write([]byte(line))
			// Returning means written: the line must be on the output.
			if !bytes.Contains(w.all(), []byte(line)) {
				returned <- "returned before written: " + line
			}
		}()
	}
	waitFor(t, func() bool {
		l.outMu.Lock()
		defer l.outMu.Unlock()
		return l.waiters == n
	})
	close(w.release)
	wg.Wait()
	close(returned)
	for msg := range returned {
		t.Error(msg)
	}

	require.Len(t, w.writes, 2, "the %d queued lines share one Write", n)
	assert.Equal(t, "first\n", string(w.writes[0]))
	out := string(w.all())
	for i := range n {
		assert.Equal(t, 1, bytes.Count([]byte(out), fmt.Appendf(nil, "line %02d\n", i)), "line %d", i)
	}
}

// A panicking output does not leave the others waiting forever.
func TestPanickingOutputReleasesWriters(t *testing.T) {
	l := New(panicWriter{}, Unbuffered())
	for range 3 {
		assert.Panics(t, func() { l.write([]byte("x\n")) })
	}
	l.outMu.Lock()
	defer l.outMu.Unlock()
	assert.False(t, l.writing)
}

type panicWriter struct{}

func (panicWriter) Write([]byte) (int, error) { panic("output broken") }

// A writer that finds a batch waiting for its writers to wake joins it and
// writes it, rather than going ahead of it.
func TestNewcomerTakesWaitingBatch(t *testing.T) {
	w := &gatedWriter{entered: make(chan struct{}), release: make(chan struct{})}
	close(w.release)
	l := New(w, Unbuffered())
	l.outMu.Lock()
	l.batch = append(l.batch, "queued\n"...) // as if its writer had not woken yet
	l.outMu.Unlock()
	l.write([]byte("newcomer\n"))
	require.Len(t, w.writes, 1)
	assert.Equal(t, "queued\nnewcomer\n", string(w.writes[0]))
	l.outMu.Lock()
	defer l.outMu.Unlock()
	assert.Equal(t, uint64(1), l.written, "the batch is marked written for its waiters")
	assert.Empty(t, l.batch)
}

// A flush whose output panics leaves nothing pending to be written twice.
func TestPanickingFlushWritesNothingTwice(t *testing.T) {
	w := &flakyWriter{}
	l := New(w)
	inv := l.Begin(KindInvoke, "r1")
	inv.Logger().Info().Msg("once")
	w.panicNext = true
	assert.Panics(t, inv.Flush)
	inv.End(false)
	assert.Equal(t, 0, bytes.Count(w.out.Bytes(), []byte("once")), "the lost line is not written later")
	assert.Contains(t, w.out.String(), "FC Invoke End RequestId: r1\n")
}

type flakyWriter struct {
	out       bytes.Buffer
	panicNext bool
}

func (w *flakyWriter) Write(p []byte) (int, error) {
	if w.panicNext {
		w.panicNext = false
		panic("output broken")
	}
	return w.out.Write(p)
}

// A write that finds the output idle lets the goroutines that are ready to
// run go first, so that the writes they reach meanwhile share its Write
// instead of each making a system call of its own. On one P, nothing but
// that yield lets them overlap: the output never blocks.
func TestIdleWriteGathersReadyWriters(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	w := &gatedWriter{entered: make(chan struct{}), release: make(chan struct{})}
	close(w.release)
	l := New(w, Unbuffered())
	const n = 16
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			l.write(fmt.Appendf(nil, "line %02d\n", i))
		}()
	}
	close(start)
	wg.Wait()

	out := w.all()
	for i := range n {
		assert.Equal(t, 1, bytes.Count(out, fmt.Appendf(nil, "line %02d\n", i)), "line %d", i)
	}
	for _, p := range w.writes {
		assert.True(t, bytes.HasSuffix(p, []byte("\n")), "every Write holds whole lines: %q", p)
	}
	assert.Less(t, len(w.writes), n/2, "%d ready writers made %d Writes", n, len(w.writes))
}

// A large write goes out as it is, without a copy into the batch.
func TestLargeWriteIsNotCopied(t *testing.T) {
	var got []byte
	l := New(writerFunc(func(p []byte) (int, error) { got = p; return len(p), nil }), Unbuffered())
	p := bytes.Repeat([]byte("x"), maxGathered+1)
	l.write(p)
	require.Len(t, got, len(p))
	assert.Same(t, &p[0], &got[0])
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// A quiet logger stops gathering once gathers keep finding nobody to join
// them, except for a probe every probeEvery writes, and starts again as
// soon as writes overlap.
func TestGatheringBacksOffWhenAlone(t *testing.T) {
	var copied []bool
	var gate chan struct{}
	var p []byte
	l := New(writerFunc(func(b []byte) (int, error) {
		if gate != nil {
			<-gate
		}
		copied = append(copied, &b[0] != &p[0])
		return len(b), nil
	}), Unbuffered())
	for range lonelyGathers + 2*probeEvery {
		p = []byte("line\n")
		l.write(p)
	}
	want := make([]bool, lonelyGathers+2*probeEvery)
	for i := range want {
		want[i] = i < lonelyGathers || (i-lonelyGathers+1)%probeEvery == 0
	}
	assert.Equal(t, want, copied, "which writes gathered (were copied into a batch)")

	// Two writes overlap: the next one that finds the output idle gathers.
	gate = make(chan struct{})
	p = []byte("slow\n")
	done := make(chan struct{})
	go func() { l.write(p); close(done) }()
	waitFor(t, func() bool { l.outMu.Lock(); defer l.outMu.Unlock(); return l.writing })
	go func() { l.write([]byte("overlapping\n")) }()
	waitFor(t, func() bool { l.outMu.Lock(); defer l.outMu.Unlock(); return l.waiters == 1 })
	close(gate)
	<-done
	waitFor(t, func() bool { l.outMu.Lock(); defer l.outMu.Unlock(); return !l.writing && l.waiters == 0 })
	gate = nil
	copied = nil
	p = []byte("after\n")
	l.write(p)
	assert.Equal(t, []bool{true}, copied, "gathering is back on after overlapping writes")
}
