package logging

import (
	"context"
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// Invocation collects the log lines of one invocation or hook between its
// start and end markers. Its methods are safe for concurrent use, so a
// handler may log from goroutines of its own.
type Invocation struct {
	l         *Logger
	kind      Kind
	requestID string
	zl        zerolog.Logger

	mu      sync.Mutex
	lc      lineCtx   // the request id and the Logger's last second stamped
	buf     *[]byte   // pending lines; nil when nothing is pending
	oldest  time.Time // when the oldest pending line was logged (link.since too, under sweepMu)
	ended   bool
	counted bool      // counted in l.running (startWhileAlone)
	link    sweepLink // guarded by l.sweepMu
}

// Begin starts an invocation of kind k: it logs the start marker and
// returns the Invocation whose [Invocation.Logger] stamps requestID on
// every line. requestID must stay valid (unchanged) until the last line is
// logged: pass an owned string such as headers.Info.RequestID. Call
// [Invocation.End] exactly once, before the response is sent.
//
// While invocations run one at a time (FC's default instance concurrency
// of 1), Begin writes the start marker before it returns, so that output
// the function writes to stdout directly (fmt.Println, the standard log
// package) follows it and lands between the markers, where FC's console
// and log tail look for it. Once two invocations of the Logger have run at
// the same time, the instance serves concurrent requests: their direct
// output lands between the markers of every invocation running, and
// carries no request id to tell whose it is. From then on the start marker
// is collected with the invocation's lines, and a short invocation is
// written in one Write (SPEC §6 and DESIGN rule 5: its lines stay
// together); direct output then lands before the start marker (unless
// the lines were written out early, see [WithFlush]), and only lines
// logged through the invocation's loggers are attributed to it. A
// collected start marker is written out with the lines at the latest, so a
// process that dies first loses it with them. An invocation that is never
// ended counts as running for good, and the next one to begin collects its
// start marker. [StartMarkerAtOnce] and [BufferStartMarker] choose one way
// for good; with [Unbuffered], every line, the start marker included, is
// written at once.
func (l *Logger) Begin(k Kind, requestID string) *Invocation {
	inv := new(Invocation)
	l.BeginIn(inv, k, requestID)
	return inv
}

// BeginIn is [Logger.Begin] for an Invocation the caller allocated,
// typically as a field of its own per-request state, which saves an
// allocation per request. inv must be a zero Invocation; it must not be
// copied or reused afterwards, since its Logger refers to it (late lines
// included). BeginIn panics if inv was already begun.
func (l *Logger) BeginIn(inv *Invocation, k Kind, requestID string) {
	if inv.l != nil {
		panic("logging: BeginIn of an Invocation already begun")
	}
	inv.l, inv.kind, inv.requestID, inv.lc = l, k, requestID, newLineCtx(requestID, &l.stamps)
	inv.zl = zerolog.New(inv).Level(l.level)
	if !l.collectsStart(inv) {
		// At once, so that anything the handler writes to stdout
		// directly follows it (SPEC §6).
		l.writeStart(inv, k, requestID)
		return
	}
	now := l.now()
	inv.mu.Lock()
	defer inv.mu.Unlock()
	b := inv.pending(now)
	*b = appendStart(*b, k, requestID, inv.lc.idSafe)
	inv.maybeFlush(now)
}

// writeStart writes inv's start marker at once. When the output panics,
// Begin does not return inv, so nobody ends it: it stops counting as
// running, or the Logger would take every later invocation for an
// overlapping one.
func (l *Logger) writeStart(inv *Invocation, k Kind, requestID string) {
	bp := getBuf()
	*bp = appendStart((*bp)[:0], k, requestID, inv.lc.idSafe)
	written := false
	defer func() {
		if !written && inv.counted {
			inv.counted = false
			l.running.Add(-1)
		}
	}()
	l.write(*bp)
	written = true
	putBuf(bp)
}

// collectsStart reports whether inv's start marker is collected with its
// lines rather than written at once (see [Logger.Begin]). For the default
// mode it counts inv as running until the instance has run two
// invocations at once; after that nothing is counted, so an invocation
// costs one atomic load here.
func (l *Logger) collectsStart(inv *Invocation) bool {
	if !l.buffered {
		return false
	}
	switch l.startMode {
	case startCollected:
		return true
	case startAtOnce:
		return false
	}
	if l.overlapped.Load() {
		return true
	}
	inv.counted = true
	if l.running.Add(1) > 1 {
		l.overlapped.Store(true)
		return true
	}
	return false
}

// Logger returns the zerolog logger of the invocation. Lines logged through
// it carry the request id and go out with the invocation's other lines. It
// stays usable after End: late lines (from goroutines the handler left
// running) are then written at once, still with the request id.
func (inv *Invocation) Logger() *zerolog.Logger { return &inv.zl }

// RequestID returns the id the invocation was begun with.
func (inv *Invocation) RequestID() string { return inv.requestID }

// WithContext returns ctx carrying the invocation's logger, for
// zerolog.Ctx. See [ContextWithLogger].
func (inv *Invocation) WithContext(ctx context.Context) context.Context {
	return ContextWithLogger(ctx, &inv.zl)
}

// End logs the end marker, with [FailureSuffix] when failed, and writes
// everything pending in one Write. Calls after the first do nothing.
func (inv *Invocation) End(failed bool) {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	if inv.ended {
		return
	}
	if inv.counted {
		inv.counted = false
		inv.l.running.Add(-1)
	}
	b := inv.buf
	if b == nil {
		// Nothing pending: the end marker goes out alone, at once, and
		// needs neither the clock nor a place in the sweep list.
		b = getBuf()
		inv.buf = b
	}
	*b = appendEnd(*b, inv.kind, inv.requestID, inv.lc.idSafe, failed)
	inv.flush()
	inv.ended = true
}

// Flush writes the pending lines now.
func (inv *Invocation) Flush() {
	inv.mu.Lock()
	defer inv.mu.Unlock() // an output that panics must not leave it locked
	inv.flush()
}

// Close writes out the pending lines of this and every other invocation of
// its Logger ([Logger.Flush]). zerolog calls it before a Fatal line exits
// the process (os.Exit skips deferred calls and the end of other
// invocations), so no collected line, the fatal one included, is lost.
// The invocation stays usable.
func (inv *Invocation) Close() error {
	inv.Flush()
	inv.l.Flush()
	return nil
}

// Write logs p, one zerolog line, at no level; it implements io.Writer.
func (inv *Invocation) Write(p []byte) (int, error) {
	return inv.WriteLevel(zerolog.NoLevel, p)
}

// WriteLevel logs p, one zerolog line, at level; it implements
// zerolog.LevelWriter. p is formatted before WriteLevel returns and not
// retained.
func (inv *Invocation) WriteLevel(level zerolog.Level, p []byte) (int, error) {
	now := inv.l.now()
	inv.mu.Lock()
	if inv.ended {
		inv.mu.Unlock()
		inv.l.writeLine(inv.requestID, level, p)
		return len(p), nil
	}
	defer inv.mu.Unlock() // an output that panics must not leave it locked
	b := inv.pending(now)
	*b = appendLine(*b, inv.l.format, now, &inv.lc, level, p)
	inv.maybeFlush(now)
	return len(p), nil
}

// pending returns the buffer of unwritten lines, taking one from the pool
// when there is none. inv.mu must be held.
func (inv *Invocation) pending(now time.Time) *[]byte {
	if inv.buf == nil {
		inv.buf = getBuf()
		inv.oldest = now
		if inv.l.buffered {
			inv.l.listPending(inv, now)
		}
	}
	return inv.buf
}

// maybeFlush writes the pending lines if the logger is unbuffered, or they
// are many, or the oldest has waited too long. inv.mu must be held.
func (inv *Invocation) maybeFlush(now time.Time) {
	l := inv.l
	if !l.buffered || len(*inv.buf) >= l.flushSize || now.Sub(inv.oldest) >= l.flushAge {
		inv.flush()
	}
}

// flush writes the pending lines in one Write and returns the buffer to
// the pool. inv.mu must be held.
func (inv *Invocation) flush() {
	if inv.buf == nil {
		return
	}
	if inv.l.buffered {
		inv.l.unlistPending(inv)
	}
	// Taken out first: an output that panics must not see these lines
	// written a second time by a later flush.
	bp := inv.buf
	inv.buf = nil
	if len(*bp) > 0 {
		inv.l.write(*bp)
	}
	putBuf(bp)
}
