package logging

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
)

// Environment variables read once by [New]. Their names do not start with
// FC_, which the platform reserves for itself.
const (
	// EnvLevel sets the level: trace, debug, info, warn, error or disabled.
	EnvLevel = "FCGO_LOG_LEVEL"
	// EnvFormat sets the layout: text or json.
	EnvFormat = "FCGO_LOG_FORMAT"
)

// Defaults for the flushing of buffered invocations.
const (
	// DefaultFlushSize is how many bytes an invocation collects before it
	// writes them out early.
	DefaultFlushSize = 32 << 10
	// DefaultFlushAge is how long an invocation's oldest unwritten line
	// may wait before it is written out early (by the next line, or by a
	// timer when no line follows), so the start marker and progress of a
	// long invocation show while it runs.
	DefaultFlushAge = time.Second
)

// Logger is the process-wide destination of FC log lines: stdout by default,
// in a [Format], at a level. It is safe for concurrent use (it serialises
// its writes to the output); one Logger serves every invocation of a
// server.
type Logger struct {
	// The output and the combining of concurrent writes (see write).
	outMu    sync.Mutex
	outCond  sync.Cond // signalled when a Write ends; L is &outMu
	out      io.Writer
	writing  bool   // a Write to out is in progress, or being gathered
	batch    []byte // bytes waiting for the next Write
	spare    []byte // a written batch's buffer, for reuse
	batchSeq uint64 // number of the batch now collecting (from 1)
	written  uint64 // number of the last batch written
	waiters  int    // goroutines waiting for their batch
	lonely   int    // gathers in a row that nobody joined
	skipped  int    // writes not gathered since the last gather

	format    Format
	level     zerolog.Level
	buffered  bool
	startMode startMode
	// For startWhileAlone: invocations begun and not yet ended, counted
	// until two overlap; overlapped records that they have.
	running    atomic.Int64
	overlapped atomic.Bool
	flushSize  int
	flushAge   time.Duration
	clock      func() time.Time // WithClock's; nil for time.Now
	base       zerolog.Logger   // lines outside any invocation
	baseWriter lineWriter

	sweepMu sync.Mutex
	sweep   sweepList // buffered invocations with pending lines

	stamps atomic.Pointer[stamp] // the last second a line was stamped with
}

// Option configures a [Logger].
type Option func(*Logger)

// WithFormat sets the layout of application lines. Default [Text]; the
// FCGO_LOG_FORMAT environment variable overrides it.
func WithFormat(f Format) Option { return func(l *Logger) { l.format = f } }

// WithLevel sets the minimum level. Default zerolog.InfoLevel; the
// FCGO_LOG_LEVEL environment variable overrides it.
func WithLevel(level zerolog.Level) Option { return func(l *Logger) { l.level = level } }

// Unbuffered writes every line, markers included, as soon as it is
// logged, instead of collecting an invocation's lines and writing them
// together. A line is a Write of its own, except that lines of
// concurrent invocations logged at about the same time share one (see the
// package documentation). With a single invocation running, it costs one
// write system call per line.
func Unbuffered() Option { return func(l *Logger) { l.buffered = false } }

// BufferStartMarker collects every invocation's start marker with its other
// lines, so that a short invocation costs one Write instead of two, even
// while it runs alone. Output the function writes directly (fmt.Println,
// the standard log package, a library's own prints) then lands before the
// start marker, outside the lines FC attributes to the request, unless the
// invocation's lines were already written out early (see [WithFlush]). By
// default the start marker is collected only once invocations have
// overlapped (see [Logger.Begin]).
func BufferStartMarker() Option { return func(l *Logger) { l.startMode = startCollected } }

// StartMarkerAtOnce writes every invocation's start marker at once, before
// Begin returns, even when invocations run concurrently, so that output
// the function writes directly during an invocation always follows its
// start marker. It costs a concurrent invocation a second Write. By
// default the start marker is written at once only until invocations
// overlap (see [Logger.Begin]).
func StartMarkerAtOnce() Option { return func(l *Logger) { l.startMode = startAtOnce } }

// startMode is when an invocation's start marker is written.
type startMode uint8

const (
	// startWhileAlone writes it at once until two invocations have run
	// at the same time, and collects it with the lines after that.
	startWhileAlone startMode = iota
	startCollected            // always with the lines (BufferStartMarker)
	startAtOnce               // always at once (StartMarkerAtOnce)
)

// WithFlush sets when a buffered invocation writes its lines out before it
// ends: once they reach size bytes, or once the oldest has waited age.
// Defaults [DefaultFlushSize] and [DefaultFlushAge].
func WithFlush(size int, age time.Duration) Option {
	return func(l *Logger) { l.flushSize, l.flushAge = size, age }
}

// WithClock replaces time.Now for the timestamps of lines; for tests.
func WithClock(now func() time.Time) Option { return func(l *Logger) { l.clock = now } }

// New returns a Logger writing to out (os.Stdout when nil). Explicit
// options are applied first; then FCGO_LOG_LEVEL and FCGO_LOG_FORMAT, when
// set, override them, so an operator can change logging without a new
// build. An invalid value in either variable is reported on the returned
// Logger's first line and otherwise ignored.
func New(out io.Writer, opts ...Option) *Logger {
	if out == nil {
		out = os.Stdout
	}
	l := &Logger{
		out:       out,
		level:     zerolog.InfoLevel,
		buffered:  true,
		flushSize: DefaultFlushSize,
		flushAge:  DefaultFlushAge,
		batchSeq:  1,
	}
	l.outCond.L = &l.outMu
	for _, o := range opts {
		o(l)
	}
	envErr := l.applyEnv(os.Getenv(EnvLevel), os.Getenv(EnvFormat))
	l.baseWriter = lineWriter{l: l}
	l.base = zerolog.New(&l.baseWriter).Level(l.level)
	if envErr != nil {
		// Reported whatever the level: with a level above warn (or one
		// the operator meant to lower) the typo would otherwise pass
		// silently.
		warn := zerolog.New(&l.baseWriter)
		warn.Warn().Err(envErr).Msg("logging: ignoring invalid environment setting")
	}
	return l
}

func (l *Logger) applyEnv(level, format string) error {
	var errs []string
	if level != "" {
		if lv, err := ParseLevel(level); err == nil {
			l.level = lv
		} else {
			errs = append(errs, err.Error())
		}
	}
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "":
	case "text":
		l.format = Text
	case "json":
		l.format = JSON
	default:
		errs = append(errs, fmt.Sprintf("%s=%q is not text or json", EnvFormat, format))
	}
	if errs != nil {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

// ParseLevel parses a level name as FCGO_LOG_LEVEL accepts it: trace, debug,
// info, warn (or warning), error, fatal, panic, disabled (or off), in any
// case.
func ParseLevel(s string) (zerolog.Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "trace":
		return zerolog.TraceLevel, nil
	case "debug":
		return zerolog.DebugLevel, nil
	case "info":
		return zerolog.InfoLevel, nil
	case "warn", "warning":
		return zerolog.WarnLevel, nil
	case "error":
		return zerolog.ErrorLevel, nil
	case "fatal":
		return zerolog.FatalLevel, nil
	case "panic":
		return zerolog.PanicLevel, nil
	case "disabled", "off", "none":
		return zerolog.Disabled, nil
	}
	return zerolog.NoLevel, fmt.Errorf("%s=%q is not a level (trace, debug, info, warn, error, disabled)", EnvLevel, s)
}

// Format returns the layout of application lines.
func (l *Logger) Format() Format { return l.format }

// Level returns the minimum level of application lines.
func (l *Logger) Level() zerolog.Level { return l.level }

// Zerolog returns the logger for lines outside any invocation (start-up,
// shutdown): they carry no request id. Each line is one Write.
func (l *Logger) Zerolog() *zerolog.Logger { return &l.base }

// now returns the time to stamp on a line.
func (l *Logger) now() time.Time {
	if l.clock != nil {
		return l.clock()
	}
	return time.Now()
}

// writeLine formats one zerolog line outside any buffer and writes it.
func (l *Logger) writeLine(requestID string, level zerolog.Level, p []byte) {
	bp := getBuf()
	lc := newLineCtx(requestID, &l.stamps)
	b := appendLine((*bp)[:0], l.format, l.now(), &lc, level, p)
	l.write(b)
	*bp = b
	putBuf(bp)
}

// write writes p, whole, to the output and returns once it is written.
// Writes never overlap, so any io.Writer may be the output, not only one
// that, like os.Stdout, tolerates concurrent writes. p is not retained.
//
// Concurrent writes are combined into one Write, that is one system call
// for stdout. A writer that finds the output idle first gathers: it lets
// the goroutines that are ready to run go first (one runtime.Gosched), so
// that those reaching a write meanwhile (other requests' start markers,
// lines and end markers) add their bytes to its batch and wait; then it
// writes the batch for all. Writers that arrive while a Write is in
// progress join the next batch, which the first of them to find the output
// idle writes. Under load that turns a system call per write into one per
// batch of requests. Gathering costs a trip through the scheduler and a
// copy of p; when gathers keep finding nobody to join them, writes skip it
// (see gathers), as do writes over 16 KB.
func (l *Logger) write(p []byte) {
	l.outMu.Lock()
	if !l.writing && len(l.batch) == 0 {
		l.writing = true
		if !l.gathers(p) {
			l.outMu.Unlock()
			l.lead(p, 0)
			return
		}
		l.batch = append(l.batch, p...)
		l.outMu.Unlock()
		runtime.Gosched()
		l.outMu.Lock()
		if len(l.batch) == len(p) {
			l.lonely++
		} else {
			l.lonely = 0
		}
		l.leadBatch()
		return
	}
	l.lonely = 0 // writes overlap: gathering pays
	l.batch = append(l.batch, p...)
	id := l.batchSeq
	for l.written < id {
		if !l.writing {
			// No Write is in progress and nobody has taken the batch
			// holding p (its other writers have not woken yet, or p
			// just joined it): write it for everyone in it.
			l.writing = true
			l.leadBatch()
			return
		}
		l.waiters++
		l.outCond.Wait()
		l.waiters--
	}
	l.outMu.Unlock()
}

// Gathering is skipped when it cannot pay.
const (
	// maxGathered is the largest write that gathers: copying a larger
	// one into the batch costs more than the system calls it could
	// save. Writes arriving meanwhile still share the Write after it.
	maxGathered = 16 << 10
	// After lonelyGathers gathers in a row that nobody joined (a quiet
	// instance, or a single request at a time), writes go out at once,
	// except every probeEvery-th, which gathers again to notice load
	// coming back; overlapping writes turn gathering back on at once. A
	// probe costs a quiet instance a scheduler trip that may wake an idle
	// thread (tens of µs of CPU in all), so probes are rare: at 1024,
	// sequential invocations run about 9% faster in process than at 64.
	lonelyGathers = 4
	probeEvery    = 1024
)

// gathers reports whether a write of p that finds the output idle should
// gather before it is written. outMu must be held.
func (l *Logger) gathers(p []byte) bool {
	if len(p) > maxGathered {
		return false
	}
	if l.lonely < lonelyGathers {
		return true
	}
	l.skipped++
	if l.skipped < probeEvery {
		return false
	}
	l.skipped = 0
	return true
}

// leadBatch takes the collecting batch and writes it for all its writers.
// outMu must be held, with writing set; leadBatch releases outMu.
func (l *Logger) leadBatch() {
	b, id := l.batch, l.batchSeq
	l.batch, l.spare = l.spare[:0], nil
	l.batchSeq++
	l.outMu.Unlock()
	l.lead(b, id)
}

// lead writes b as the one writer, then lets the next one in. id is the
// number of the batch b is, or 0 for a caller's own bytes. A panicking
// output (a user's io.Writer) still releases the others.
func (l *Logger) lead(b []byte, id uint64) {
	defer func() {
		l.outMu.Lock()
		if id != 0 {
			l.written = id
			if cap(b) <= maxPooled {
				l.spare = b[:0]
			}
		}
		l.writing = false
		if l.waiters > 0 {
			l.outCond.Broadcast()
		}
		l.outMu.Unlock()
	}()
	_, _ = l.out.Write(b)
}

// lineWriter is the zerolog writer of lines outside any invocation.
type lineWriter struct{ l *Logger }

func (w *lineWriter) Write(p []byte) (int, error) {
	return w.WriteLevel(zerolog.NoLevel, p)
}

// Close writes out the pending lines of every invocation; zerolog calls it
// before a Fatal line exits the process.
func (w *lineWriter) Close() error {
	w.l.Flush()
	return nil
}

func (w *lineWriter) WriteLevel(level zerolog.Level, p []byte) (int, error) {
	w.l.writeLine("", level, p)
	return len(p), nil
}

// maxPooled keeps buffers grown by one huge line out of the pool, as
// zerolog does.
const maxPooled = 64 << 10

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

func getBuf() *[]byte { return bufPool.Get().(*[]byte) }

func putBuf(bp *[]byte) {
	if cap(*bp) > maxPooled {
		return
	}
	*bp = (*bp)[:0]
	bufPool.Put(bp)
}
