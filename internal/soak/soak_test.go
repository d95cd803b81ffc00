//go:build soak

package soak_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/internal/soak"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
)

var (
	soakDuration   = flag.Duration("soak.duration", 20*time.Second, "how long to send load")
	soakConns      = flag.Int("soak.conns", 200, "concurrent keep-alive connections (FC's largest instance concurrency)")
	soakHugeEvery  = flag.Duration("soak.huge-every", 5*time.Second, "send an event of the body limit (32 MB, or one byte less) this often; 0: never")
	soakFreezeEach = flag.Duration("soak.freeze-every", 3*time.Second, "freeze the function (SIGSTOP) this often; 0: never")
	soakFreezeFor  = flag.Duration("soak.freeze-for", 150*time.Millisecond, "how long each freeze lasts")
	soakSettle     = flag.Duration("soak.settle", 45*time.Second, "how long to wait for goroutines to return to the baseline once the connections are closed")
	soakKeep       = flag.String("soak.keep", "", "copy the function's stdout to this file")
)

// kind is the kind of a soak request.
type kind uint8

const (
	kEvent       kind = iota // valid event, 1 B to 1 MB
	kHuge                    // valid event at the body limit
	kSlow                    // valid event that waits 1.2 s between its lines (the flush timer writes the first half)
	kInvalid                 // undecodable payload: InvalidPayload
	kError                   // event.Error: SoakError
	kPlain                   // plain error: HandlerError
	kPanic                   // panic: Panic
	kTimeout                 // waits out x-fc-function-timeout: FunctionTimeout
	kNative                  // native fasthttp HTTP invoke
	kStd                     // net/http HTTP invoke through httpfn.Std
	kNativePanic             // panicking native HTTP handler: 500
	kStdPanic                // panicking net/http handler: 500
	kInit                    // initializer hook
	kPreFreeze               // pre-freeze hook
	kPreStop                 // pre-stop hook
	kStats                   // GET /debug/stats (the test's own probe)
	numKinds
)

var kindNames = [numKinds]string{
	"event", "event-32MB", "event-slow", "invalid-payload", "event-error", "plain-error", "panic", "timeout",
	"http-native", "http-std", "http-native-panic", "http-std-panic", "initialize", "pre-freeze", "pre-stop", "stats",
}

// weights of the kinds the connections pick from (kHuge and kStats are
// sent apart).
var weights = [numKinds]int{
	kEvent: 400, kSlow: 4, kInvalid: 60, kError: 40, kPlain: 25, kPanic: 30, kTimeout: 3,
	kNative: 120, kStd: 120, kNativePanic: 15, kStdPanic: 15, kInit: 15, kPreFreeze: 15, kPreStop: 15,
}

// markerKind is the word in a kind's marker lines.
func (k kind) markerKind() string {
	switch k {
	case kInit:
		return "Initialize"
	case kPreFreeze:
		return "PreFreeze"
	case kPreStop:
		return "PreStop"
	}
	return "Invoke"
}

func (k kind) hookName() string {
	switch k {
	case kInit:
		return "initialize"
	case kPreFreeze:
		return "pre-freeze"
	}
	return "pre-stop"
}

// Hook outcomes, chosen by the request id's suffix.
const (
	hookOK uint8 = iota
	hookFail
	hookRestart
)

// record is what the test expects of one request, kept small: a long run
// holds millions. Its ids are derived from its place (connection, number).
type record struct {
	kind     kind
	failed   bool  // the end marker must carry the failure suffix
	hook     uint8 // hookOK, hookFail, hookRestart
	print    bool  // a "soak direct print" line
	lines    uint8 // "soak line" lines
	lineSize uint32

	// What stdout held, filled by the checker.
	starts, ends uint8
	seenLines    uint64 // bit n: line n seen
	seenFail     bool   // the failure line
	seenPrint    bool
	seenHook     bool
}

// requestID is the x-fc-request-id of request n on connection c.
func requestID(c, n int, hook uint8) string {
	id := "s" + strconv.Itoa(c) + "-" + strconv.Itoa(n)
	switch hook {
	case hookFail:
		id += "~fail"
	case hookRestart:
		id += "~restart"
	}
	return id
}

// payloadID is the id a request carries in its payload or query: not the
// request id, so that the echo proves the function read the body.
func payloadID(c, n int) string { return "p" + strconv.Itoa(c) + "." + strconv.Itoa(n) }

// parseRequestID returns the connection and number of a request id.
func parseRequestID(id string) (c, n int, ok bool) {
	id, _, _ = strings.Cut(id, "~")
	rest, found := strings.CutPrefix(id, "s")
	if !found {
		return 0, 0, false
	}
	cs, ns, found := strings.Cut(rest, "-")
	if !found {
		return 0, 0, false
	}
	c, err1 := strconv.Atoi(cs)
	n, err2 := strconv.Atoi(ns)
	return c, n, err1 == nil && err2 == nil
}

// problems collects what went wrong, by category, with the first few
// messages of each.
type problems struct {
	mu     sync.Mutex
	counts map[string]int
	first  []string
}

func (p *problems) add(category, format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.counts == nil {
		p.counts = map[string]int{}
	}
	p.counts[category]++
	if len(p.first) < 40 {
		p.first = append(p.first, category+": "+fmt.Sprintf(format, args...))
	}
}

func (p *problems) count(category string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.counts[category]
}

func (p *problems) total() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, c := range p.counts {
		n += c
	}
	return n
}

// Problem categories: each is something lost or wrong.
const (
	lostAnswer   = "answer lost"    // the connection failed before the answer
	wrongAnswer  = "answer wrong"   // status, x-fc-status, body or header not what the request demands
	badMarkers   = "markers wrong"  // not exactly one start and one end marker, or a wrong suffix
	lostLine     = "log line lost"  // a line the handler or server wrote is missing
	strayLine    = "log line stray" // a line of no known grammar, duplicated, cut, or outside its markers
	leakedMemory = "leak"           // goroutines or heap above the baseline
)

// load is the state shared by the connections.
type load struct {
	f       *function
	pad     []byte // filler of event payloads and HTTP bodies
	records [][]record
	sent    [numKinds]atomic.Int64
	probs   *problems
	huge    chan int // a token per 32 MB event to send: the size
	stop    atomic.Bool
}

func TestSoak(t *testing.T) {
	began := time.Now()
	phase := func(name string) { t.Logf("soak: %v %s", time.Since(began).Round(time.Millisecond), name) }
	f := startFunction(t)
	phase("function started")
	l := &load{
		f:       f,
		pad:     makePad(fcserver.DefaultMaxRequestBodySize),
		records: make([][]record, *soakConns+1),
		probs:   &problems{},
		huge:    make(chan int, 1),
	}
	statsConn := *soakConns // the index of the probe's connection
	probe, err := f.dial()
	require.NoError(t, err)
	stats := func() soak.Stats { return l.stats(t, probe, statsConn) }

	cold := stats()

	// Open every connection and send one event on each: the server now
	// has a goroutine per connection, as during the load.
	conns := make([]*conn, *soakConns)
	for i := range conns {
		conns[i], err = f.dial()
		require.NoError(t, err)
	}
	var wg sync.WaitGroup
	// Each with a payload near the largest body buffer a connection
	// keeps (64 KB), so that its buffer is at the size it reaches under
	// the load.
	for i, c := range conns {
		wg.Go(func() { l.sendEvent(c, i, kEvent, 60<<10, rand.New(rand.NewPCG(uint64(i), 0))) })
	}
	wg.Wait()
	// And one event at the body limit, so that buffers of that size have
	// been allocated (and released) before the baseline.
	l.send(conns[0], 0, kHuge, rand.New(rand.NewPCG(0, 1)))
	warm := stats()
	phase("warmed up")
	require.Zero(t, l.probs.total(), "problems during the warm-up: %v", l.probs.first)

	// The load.
	start := time.Now()
	done := make(chan struct{})
	var side sync.WaitGroup
	freezes := 0
	if *soakHugeEvery > 0 {
		side.Go(func() {
			tick := time.NewTicker(*soakHugeEvery)
			defer tick.Stop()
			sizes := []int{fcserver.DefaultMaxRequestBodySize, fcserver.DefaultMaxRequestBodySize - 1}
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				case <-tick.C:
					select {
					case l.huge <- sizes[i%2]:
					default: // the last one is not taken yet
					}
				}
			}
		})
	}
	if *soakFreezeEach > 0 {
		side.Go(func() {
			tick := time.NewTicker(*soakFreezeEach)
			defer tick.Stop()
			for {
				select {
				case <-done:
					return
				case <-tick.C:
					// FC freezes an instance between invocations with
					// the cgroup freezer; SIGSTOP is the nearest a test
					// can come: no CPU, connections and timers pending.
					if f.cmd.Process.Signal(syscall.SIGSTOP) == nil {
						time.Sleep(*soakFreezeFor)
						_ = f.cmd.Process.Signal(syscall.SIGCONT)
						freezes++
					}
				}
			}
		})
	}
	for i, c := range conns {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(i), uint64(start.UnixNano())))
			for !l.stop.Load() {
				k := pick(rng)
				select {
				case size := <-l.huge:
					if !l.sendEvent(c, i, kHuge, size, rng) {
						return
					}
					continue
				default:
				}
				if !l.send(c, i, k, rng) {
					return
				}
			}
		})
	}
	time.Sleep(*soakDuration)
	l.stop.Store(true)
	wg.Wait()
	close(done)
	side.Wait()
	elapsed := time.Since(start)
	phase("load done")

	// The connections are still open, idle: goroutines and heap as after
	// the warm-up.
	loaded := stats()
	for _, c := range conns {
		c.close()
	}
	// With the connections closed, fasthttp's idle workers exit after its
	// idle duration (10 s, checked every 10 s).
	settled := stats()
	settleStart := time.Now()
	for settled.Goroutines > cold.Goroutines+goroutineSlack && time.Since(settleStart) < *soakSettle {
		time.Sleep(500 * time.Millisecond)
		settled = stats()
	}
	settleTime := time.Since(settleStart)
	phase("settled")
	probe.close()

	if loaded.Goroutines > warm.Goroutines+goroutineSlack {
		l.probs.add(leakedMemory, "goroutines after the load, connections open: %d, after the warm-up: %d", loaded.Goroutines, warm.Goroutines)
	}
	if settled.Goroutines > cold.Goroutines+goroutineSlack {
		l.probs.add(leakedMemory, "goroutines %v after closing the connections: %d, before opening them: %d", settleTime, settled.Goroutines, cold.Goroutines)
	}
	if loaded.HeapAlloc > heapLimit(warm.HeapAlloc) {
		l.probs.add(leakedMemory, "heap after the load: %s, after the warm-up: %s", mb(loaded.HeapAlloc), mb(warm.HeapAlloc))
	}
	if settled.HeapAlloc > heapLimit(warm.HeapAlloc) {
		l.probs.add(leakedMemory, "heap after closing the connections: %s, after the warm-up: %s", mb(settled.HeapAlloc), mb(warm.HeapAlloc))
	}

	// Stop it as FC does, and check all it printed.
	f.signal(syscall.SIGTERM)
	exit := f.wait()
	assert.Equal(t, 0, exit, "exit code")
	assert.Empty(t, f.stderrText(), "stderr")
	if *soakKeep != "" {
		b, err := os.ReadFile(f.stdout)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(*soakKeep, b, 0o644))
	}
	phase("function stopped")
	lines, bytesOut := l.checkLog(t)
	phase("stdout checked")

	var served int64
	var perKind []string
	for k := range numKinds {
		n := l.sent[k].Load()
		served += n
		perKind = append(perKind, fmt.Sprintf("%s=%d", kindNames[k], n))
	}
	injected := l.sent[kInvalid].Load() + l.sent[kError].Load() + l.sent[kPlain].Load() + l.sent[kPanic].Load() +
		l.sent[kTimeout].Load() + l.sent[kNativePanic].Load() + l.sent[kStdPanic].Load() + l.hookFailures()
	lost := l.probs.total()
	t.Logf("soak: %d requests served in %v on %d keep-alive connections (%.0f/s), %d failures injected, %d freezes of %v; "+
		"stdout %d lines, %s; lost or wrong: %d (answers lost %d, wrong %d; markers wrong %d; log lines lost %d, stray %d; leaks %d)",
		served, elapsed.Round(time.Millisecond), *soakConns, float64(served)/elapsed.Seconds(), injected, freezes, *soakFreezeFor,
		lines, mb(uint64(bytesOut)), lost, l.probs.count(lostAnswer), l.probs.count(wrongAnswer), l.probs.count(badMarkers),
		l.probs.count(lostLine), l.probs.count(strayLine), l.probs.count(leakedMemory))
	t.Logf("soak: per kind: %s", strings.Join(perKind, " "))
	t.Logf("soak: goroutines: %d before connecting, %d warm (%d connections open), %d after the load (open), %d %v after closing them; "+
		"heap (after GC): %s warm, %s after the load, %s after closing",
		cold.Goroutines, warm.Goroutines, *soakConns, loaded.Goroutines, settled.Goroutines, settleTime.Round(time.Second),
		mb(warm.HeapAlloc), mb(loaded.HeapAlloc), mb(settled.HeapAlloc))
	for _, p := range l.probs.first {
		t.Error(p)
	}
	assert.Zero(t, lost, "nothing may be lost")
}

// goroutineSlack allows for runtime goroutines that come and go (timers of
// the flush sweep, the signal handler).
const goroutineSlack = 5

// heapLimit is the largest heap accepted after the load: the warm heap
// plus a quarter, plus 8 MB of noise. A leak of a body at the limit
// (32 MB), or of a few hundred bytes per request, exceeds it.
func heapLimit(warm uint64) uint64 { return warm + warm/4 + 8<<20 }

func mb(n uint64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }

// makePad returns n bytes of printable filler that needs no JSON escaping.
func makePad(n int) []byte {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	b := make([]byte, n)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return b
}

func pick(rng *rand.Rand) kind {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := rng.IntN(total)
	for k, w := range weights {
		if x < w {
			return kind(k)
		}
		x -= w
	}
	return kEvent
}

func (l *load) hookFailures() int64 {
	n := int64(0)
	for _, rs := range l.records {
		for i := range rs {
			if rs[i].hook != hookOK {
				n++
			}
		}
	}
	return n
}

// stats asks the function for its goroutines and heap.
func (l *load) stats(t *testing.T, c *conn, ci int) soak.Stats {
	t.Helper()
	n := len(l.records[ci])
	id := requestID(ci, n, hookOK)
	l.records[ci] = append(l.records[ci], record{kind: kStats})
	l.sent[kStats].Add(1)
	resp := &fasthttp.Response{}
	require.NoError(t, c.roundTrip(request{method: "GET", target: "/debug/stats", id: id, controlPath: "/http-invoke", timeout: 600}, resp))
	require.Equal(t, 200, resp.StatusCode(), "stats: %s", resp.Body())
	var s soak.Stats
	require.NoError(t, json.Unmarshal(resp.Body(), &s))
	return s
}

// send sends one request of kind k on connection ci and checks its
// answer. It returns false when the connection is lost (and reported).
func (l *load) send(c *conn, ci int, k kind, rng *rand.Rand) bool {
	switch k {
	case kEvent, kSlow, kError, kPlain, kPanic, kTimeout:
		// Sizes spread evenly over the orders of magnitude from 1 B to 1 MB.
		size := int(math.Exp(rng.Float64() * math.Log(1<<20)))
		return l.sendEvent(c, ci, k, size, rng)
	case kHuge:
		return l.sendEvent(c, ci, kHuge, fcserver.DefaultMaxRequestBodySize, rng)
	case kInvalid:
		return l.sendInvalid(c, ci, rng)
	case kNative, kStd, kNativePanic, kStdPanic:
		return l.sendHTTP(c, ci, k, rng)
	default:
		return l.sendHook(c, ci, k, rng)
	}
}

// logShape picks how many lines a handler logs and how long they are:
// mostly short, some of a few KB, a few over the 32 KB at which an
// invocation writes its lines out early.
func logShape(rng *rand.Rand) (lines int, size int) {
	lines = rng.IntN(7)
	switch x := rng.IntN(1000); {
	case x < 900:
		size = rng.IntN(200)
	case x < 995:
		size = 200 + rng.IntN(4000)
	default:
		size = 20000 + rng.IntN(20000)
	}
	return lines, size
}

func (l *load) add(ci int, r record) (id string, n int) {
	n = len(l.records[ci])
	l.records[ci] = append(l.records[ci], r)
	l.sent[r.kind].Add(1)
	return requestID(ci, n, r.hook), n
}

func (l *load) roundTrip(c *conn, r request, resp *fasthttp.Response) bool {
	if err := c.roundTrip(r, resp); err != nil {
		l.probs.add(lostAnswer, "%v", err)
		return false
	}
	return true
}

func (l *load) sendEvent(c *conn, ci int, k kind, size int, rng *rand.Rand) bool {
	rec := record{kind: k}
	ev := soak.Event{}
	switch k {
	case kError:
		ev.Fail = soak.FailError
	case kPlain:
		ev.Fail = soak.FailPlain
	case kPanic:
		ev.Fail = soak.FailPanic
	case kTimeout:
		ev.Fail = soak.FailTimeout
	case kSlow:
		ev.SleepMS = 1200
	}
	rec.failed = ev.Fail != ""
	ev.Lines, ev.LineSize = logShape(rng)
	if k == kSlow && ev.Lines < 2 {
		ev.Lines = 2
	}
	ev.Goroutines = rng.IntN(4)
	ev.Print = rng.IntN(10) == 0
	id, n := l.add(ci, rec) // completed below, once the payload is known
	ev.ID = payloadID(ci, n)

	// The payload: the JSON of ev up to the pad, the pad, `"}`. One too
	// small for that is blank, which decodes to a zero Event (no lines).
	head, err := json.Marshal(ev)
	if err != nil {
		panic(err)
	}
	head = append(head[:len(head)-1], `,"pad":"`...)
	var body [][]byte
	padLen := size - len(head) - 2
	blank := padLen < 0 && k == kEvent
	if padLen < 0 {
		padLen = 0
	}
	if blank {
		body = [][]byte{bytes.Repeat([]byte(" "), size)}
		ev = soak.Event{}
	} else {
		body = [][]byte{head, l.pad[:padLen], []byte(`"}`)}
		rec.lines, rec.lineSize, rec.print = uint8(ev.Lines), uint32(ev.LineSize), ev.Print
	}
	l.records[ci][n] = rec

	timeout := 600
	if k == kTimeout {
		timeout = 1
	}
	resp := &fasthttp.Response{}
	if !l.roundTrip(c, request{method: "POST", target: "/invoke", id: id, controlPath: "/invoke", timeout: timeout, body: body}, resp) {
		return false
	}

	wantStatus, wantBody := 200, ""
	switch {
	case blank:
		wantBody = mustJSON(soak.Reply{RequestID: id, PadCRC: soak.Checksum(nil)})
	case ev.Fail == "":
		wantBody = mustJSON(soak.Reply{RequestID: id, ID: ev.ID, PadLen: padLen, PadCRC: soak.Checksum(l.pad[:padLen])})
	case ev.Fail == soak.FailError:
		wantStatus, wantBody = 404, `{"errorMessage":"requested failure `+ev.ID+`","errorType":"SoakError"}`
	case ev.Fail == soak.FailPlain:
		wantStatus, wantBody = 404, `{"errorMessage":"plain failure `+ev.ID+`","errorType":"HandlerError"}`
	case ev.Fail == soak.FailTimeout:
		wantStatus, wantBody = 404, `{"errorMessage":"context deadline exceeded","errorType":"FunctionTimeout"}`
	case ev.Fail == soak.FailPanic:
		wantStatus = 404
	}
	if resp.StatusCode() != wantStatus || string(resp.Header.Peek("X-Fc-Status")) != strconv.Itoa(wantStatus) {
		l.probs.add(wrongAnswer, "%s (%s): status %d, x-fc-status %q, want %d: %.200s", id, kindNames[k],
			resp.StatusCode(), resp.Header.Peek("X-Fc-Status"), wantStatus, resp.Body())
		return true
	}
	if ev.Fail == soak.FailPanic {
		var er struct {
			ErrorMessage string   `json:"errorMessage"`
			ErrorType    string   `json:"errorType"`
			StackTrace   []string `json:"stackTrace"`
		}
		if err := json.Unmarshal(resp.Body(), &er); err != nil || er.ErrorType != "Panic" ||
			er.ErrorMessage != "soak panic "+ev.ID || len(er.StackTrace) < 2 || !strings.HasPrefix(er.StackTrace[0], "main.handleEvent(") {
			l.probs.add(wrongAnswer, "%s (panic): %.300s", id, resp.Body())
		}
		return true
	}
	if string(resp.Body()) != wantBody {
		l.probs.add(wrongAnswer, "%s (%s): body %.300q, want %.300q", id, kindNames[k], resp.Body(), wantBody)
	}
	return true
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// invalidPayloads do not decode into a soak.Event.
var invalidPayloads = [][]byte{
	[]byte(`{"id":`),
	[]byte(`not json at all`),
	[]byte(`[1,2,3]`),
	[]byte(`{"id":"x","lines":"three"}`),
	[]byte(`{"id":"x"} trailing`),
	[]byte("\x00\x01\x02\xff\xfe binary"),
	[]byte(`"a string"`),
}

func (l *load) sendInvalid(c *conn, ci int, rng *rand.Rand) bool {
	id, _ := l.add(ci, record{kind: kInvalid, failed: true})
	payload := invalidPayloads[rng.IntN(len(invalidPayloads))]
	resp := &fasthttp.Response{}
	if !l.roundTrip(c, request{method: "POST", target: "/invoke", id: id, controlPath: "/invoke", timeout: 600, body: [][]byte{payload}}, resp) {
		return false
	}
	var er struct {
		ErrorMessage string `json:"errorMessage"`
		ErrorType    string `json:"errorType"`
	}
	err := json.Unmarshal(resp.Body(), &er)
	if resp.StatusCode() != 404 || string(resp.Header.Peek("X-Fc-Status")) != "404" || err != nil ||
		er.ErrorType != "InvalidPayload" || !strings.HasPrefix(er.ErrorMessage, "event: cannot decode payload into soak.Event: ") ||
		string(resp.Header.ContentType()) != "application/json" {
		l.probs.add(wrongAnswer, "%s (invalid payload): status %d, x-fc-status %q: %.300s", id, resp.StatusCode(), resp.Header.Peek("X-Fc-Status"), resp.Body())
	}
	return true
}

var httpMethods = []string{"GET", "POST", "PUT", "DELETE", "PATCH"}

func (l *load) sendHTTP(c *conn, ci int, k kind, rng *rand.Rand) bool {
	rec := record{kind: k, failed: k == kNativePanic || k == kStdPanic}
	lines, size := logShape(rng)
	if !rec.failed {
		rec.lines, rec.lineSize = uint8(lines), uint32(size)
	}
	id, n := l.add(ci, rec)
	pid := payloadID(ci, n)
	prefix := "/native"
	if k == kStd || k == kStdPanic {
		prefix = "/std"
	}
	method := httpMethods[rng.IntN(len(httpMethods))]
	var body []byte
	if method != "GET" && method != "DELETE" {
		body = l.pad[rng.IntN(1000) : rng.IntN(64<<10)+1000]
	}
	status := []int{200, 200, 200, 201, 202, 404, 418, 503}[rng.IntN(8)]
	var target string
	if rec.failed {
		target = prefix + "/panic?id=" + pid
	} else {
		target = fmt.Sprintf("%s/echo?id=%s&lines=%d&size=%d&status=%d", prefix, pid, lines, size, status)
	}
	resp := &fasthttp.Response{}
	if !l.roundTrip(c, request{method: method, target: target, id: id, controlPath: "/http-invoke", timeout: 600, body: [][]byte{body}}, resp) {
		return false
	}
	if rec.failed {
		if resp.StatusCode() != 500 || string(resp.Body()) != "Internal Server Error\n" || len(resp.Header.Peek("X-Fc-Status")) != 0 {
			l.probs.add(wrongAnswer, "%s (%s): status %d: %.200q", id, kindNames[k], resp.StatusCode(), resp.Body())
		}
		return true
	}
	want := fmt.Sprintf("%s %s %s/echo id=%s requestId=%s len=%d crc=%d",
		prefix[1:], method, prefix, pid, id, len(body), soak.Checksum(body))
	if resp.StatusCode() != status || string(resp.Body()) != want || string(resp.Header.Peek("X-Soak-Id")) != pid ||
		len(resp.Header.Peek("X-Fc-Status")) != 0 {
		l.probs.add(wrongAnswer, "%s (%s): status %d (want %d), X-Soak-Id %q, body %.200q, want %.200q",
			id, kindNames[k], resp.StatusCode(), status, resp.Header.Peek("X-Soak-Id"), resp.Body(), want)
	}
	return true
}

func (l *load) sendHook(c *conn, ci int, k kind, rng *rand.Rand) bool {
	rec := record{kind: k}
	switch x := rng.IntN(10); {
	case x < 2:
		rec.hook, rec.failed = hookFail, true
	case x < 3:
		rec.hook, rec.failed = hookRestart, true
	}
	id, _ := l.add(ci, rec)
	method, path := "GET", "/"+k.hookName()
	if k == kInit {
		method = "POST"
	}
	resp := &fasthttp.Response{}
	if !l.roundTrip(c, request{method: method, target: path, id: id, controlPath: path, timeout: 600}, resp) {
		return false
	}
	wantStatus, wantBody := 200, ""
	switch rec.hook {
	case hookFail:
		wantStatus, wantBody = 404, k.markerKind()+" hook failed: requested failure "+id+"\n"
	case hookRestart:
		wantStatus, wantBody = 500, k.markerKind()+" hook failed: requested restart "+id+": fcserver: restart the instance\n"
	}
	if resp.StatusCode() != wantStatus || string(resp.Body()) != wantBody {
		l.probs.add(wrongAnswer, "%s (%s): status %d (want %d), body %.200q, want %.200q",
			id, kindNames[k], resp.StatusCode(), wantStatus, resp.Body(), wantBody)
	}
	return true
}

var (
	stdoutMarker = regexp.MustCompile(`^FC (Invoke|Initialize|PreFreeze|PreStop) (Start|End) RequestId: (\S+?)(, Error: Unhandled function error)?$`)
	stdoutApp    = regexp.MustCompile(`^` + timestamp + ` (?:(\S+) )?\[(INFO|WARN|ERROR)\] (.*)$`)
	soakLineRE   = regexp.MustCompile(`^soak line n=(\d+)(?: fill=(\S+))?$`)
	jsonString   = `"(?:[^"\\]|\\.)*"`
	invalidLine  = regexp.MustCompile(`^invocation failed errorType=InvalidPayload errorMessage="event: cannot decode payload into soak\.Event: (?:[^"\\]|\\.)*"$`)
	stackField   = regexp.MustCompile(`^ stackTrace=\[` + jsonString + `(?:,` + jsonString + `)*\]$`)
	serverLines  = []*regexp.Regexp{
		regexp.MustCompile(`^fcgo: function server listening addr=127\.0\.0\.1:\d+$`),
		regexp.MustCompile(`^fcgo: shutting down, draining in-flight invocations$`),
		regexp.MustCompile(`^fcgo: function server stopped$`),
	}
)

// checkLog reads the function's stdout and checks every line against what
// the requests demand; it returns the number of lines and bytes.
func (l *load) checkLog(t *testing.T) (lines int, size int64) {
	t.Helper()
	file, err := os.Open(l.f.stdout)
	require.NoError(t, err)
	defer file.Close()
	r := bufio.NewReaderSize(file, 1<<20)
	serverSeen := make([]int, len(serverLines))
	for {
		line, err := r.ReadString('\n')
		size += int64(len(line))
		if err != nil {
			if line != "" {
				l.probs.add(strayLine, "stdout ends in a cut line %.200q", line)
			}
			break
		}
		lines++
		l.checkLine(line[:len(line)-1], serverSeen)
	}
	for i, n := range serverSeen {
		if n != 1 {
			l.probs.add(lostLine, "server line %s seen %d times", serverLines[i], n)
		}
	}
	for ci, rs := range l.records {
		for n := range rs {
			rec := &rs[n]
			id := requestID(ci, n, rec.hook)
			if rec.starts != 1 || rec.ends != 1 {
				l.probs.add(badMarkers, "%s (%s): %d start and %d end markers", id, kindNames[rec.kind], rec.starts, rec.ends)
			}
		}
	}
	return lines, size
}

func (l *load) lookup(id string) (*record, int, int) {
	ci, n, ok := parseRequestID(id)
	if !ok || ci >= len(l.records) || n >= len(l.records[ci]) || requestID(ci, n, l.records[ci][n].hook) != id {
		return nil, 0, 0
	}
	return &l.records[ci][n], ci, n
}

func (l *load) checkLine(line string, serverSeen []int) {
	if m := stdoutMarker.FindStringSubmatch(line); m != nil {
		rec, _, _ := l.lookup(m[3])
		switch {
		case rec == nil:
			l.probs.add(strayLine, "marker of an unknown request: %q", line)
		case m[1] != rec.kind.markerKind():
			l.probs.add(badMarkers, "%q: a %s marker", line, rec.kind.markerKind())
		case m[2] == "Start":
			if rec.starts++; rec.starts > 1 {
				l.probs.add(badMarkers, "second start marker %q", line)
			}
		default:
			rec.ends++
			switch {
			case rec.ends > 1:
				l.probs.add(badMarkers, "second end marker %q", line)
			case rec.starts != 1:
				l.probs.add(badMarkers, "end marker before the start marker: %q", line)
			case (m[4] != "") != rec.failed:
				l.probs.add(badMarkers, "%q: want the failure suffix: %v", line, rec.failed)
			}
			l.checkComplete(m[3], rec)
		}
		return
	}
	if id, ok := strings.CutPrefix(line, "soak direct print "); ok {
		// Printed while the handler ran: once, and before the request's
		// end marker. Not necessarily after its start marker: once
		// invocations have overlapped, fcgo collects the start marker
		// with the invocation's lines (logging.Logger.Begin), and the
		// soak's requests overlap from the start.
		rec, _, _ := l.lookup(id)
		if rec == nil || !rec.print || rec.seenPrint || rec.ends != 0 {
			l.probs.add(strayLine, "%q: not expected here", line)
			return
		}
		rec.seenPrint = true
		return
	}
	m := stdoutApp.FindStringSubmatch(line)
	if m == nil {
		l.probs.add(strayLine, "a line of no known grammar: %.300q", line)
		return
	}
	id, level, msg := m[1], m[2], m[3]
	if id == "" {
		for i, re := range serverLines {
			if level == "INFO" && re.MatchString(msg) {
				serverSeen[i]++
				return
			}
		}
		l.probs.add(strayLine, "an unexpected server line: %.300q", line)
		return
	}
	rec, ci, n := l.lookup(id)
	if rec == nil || !l.inside(rec) {
		l.probs.add(strayLine, "a line outside its request's markers: %.300q", line)
		return
	}
	if sm := soakLineRE.FindStringSubmatch(msg); sm != nil && level == "INFO" {
		k, _ := strconv.Atoi(sm[1])
		switch {
		case k >= int(rec.lines) || rec.seenLines&(1<<k) != 0:
			l.probs.add(strayLine, "%s: unexpected or repeated line %d: %.200q", id, k, line)
		case sm[2] != soak.Fill(payloadID(ci, n), k, int(rec.lineSize)):
			l.probs.add(strayLine, "%s: line %d cut or mixed up (%d bytes of fill, want %d): %.200q", id, k, len(sm[2]), rec.lineSize, line)
		default:
			rec.seenLines |= 1 << k
		}
		return
	}
	if !l.expectedLine(rec, id, payloadID(ci, n), level, msg) {
		l.probs.add(strayLine, "%s (%s): unexpected line %.300q", id, kindNames[rec.kind], line)
	}
}

// inside reports that rec's start marker has been seen and its end marker
// not yet.
func (l *load) inside(rec *record) bool { return rec.starts == 1 && rec.ends == 0 }

// expectedLine checks a line other than a soak line: the hook's own line,
// and the failure line fcserver writes.
func (l *load) expectedLine(rec *record, id, pid, level, msg string) bool {
	if level == "INFO" && rec.kind >= kInit && rec.kind <= kPreStop && msg == "soak hook hook="+rec.kind.hookName() && !rec.seenHook {
		rec.seenHook = true
		return true
	}
	if level != "ERROR" || !rec.failed || rec.seenFail {
		return false
	}
	var ok bool
	switch rec.kind {
	case kInvalid:
		ok = invalidLine.MatchString(msg)
	case kError:
		ok = msg == `invocation failed errorType=SoakError errorMessage="requested failure `+pid+`"`
	case kPlain:
		ok = msg == `invocation failed errorType=HandlerError errorMessage="plain failure `+pid+`"`
	case kTimeout:
		ok = msg == `invocation failed errorType=FunctionTimeout errorMessage="context deadline exceeded"`
	case kPanic:
		rest, found := strings.CutPrefix(msg, `invocation failed errorType=Panic errorMessage="soak panic `+pid+`"`)
		ok = found && stackField.MatchString(rest)
	case kNativePanic, kStdPanic:
		rest, found := strings.CutPrefix(msg, `HTTP handler panicked errorType=Panic errorMessage="soak panic `+pid+`"`)
		ok = found && stackField.MatchString(rest)
	case kInit, kPreFreeze, kPreStop:
		name := rec.kind.markerKind()
		if rec.hook == hookFail {
			ok = msg == name+` hook failed error="requested failure `+id+`" status=404`
		} else {
			ok = msg == name+` hook failed error="requested restart `+id+`: fcserver: restart the instance" status=500`
		}
	}
	if ok {
		rec.seenFail = true
	}
	return ok
}

// checkComplete checks, at a request's end marker, that every line it
// should have written came before it.
func (l *load) checkComplete(id string, rec *record) {
	if want := uint64(1)<<rec.lines - 1; rec.seenLines != want {
		l.probs.add(lostLine, "%s (%s): soak lines seen %b, want %b", id, kindNames[rec.kind], rec.seenLines, want)
	}
	if rec.print && !rec.seenPrint {
		l.probs.add(lostLine, "%s: the direct print", id)
	}
	if rec.failed && !rec.seenFail {
		l.probs.add(lostLine, "%s (%s): the failure line", id, kindNames[rec.kind])
	}
	if rec.kind >= kInit && rec.kind <= kPreStop && !rec.seenHook {
		l.probs.add(lostLine, "%s: the hook's line", id)
	}
}
