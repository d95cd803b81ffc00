package soak_test

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fcgo/fcgo/internal/soak"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
)

// inFlight is a request started before SIGTERM, and the full answer it must
// still get.
type inFlight struct {
	req       request
	status    int
	xfcStatus string // "" when the answer must have none
	body      string
	lines     []string // its application lines, untimed, in order
	answered  chan answer
}

type answer struct {
	resp *fasthttp.Response
	err  error
	// closed reports that the server closed the connection after the
	// answer (a read then found EOF).
	closed bool
}

// TestShutdownDrainsInFlight runs the sequence FC follows to stop an
// instance that is still busy: pre-stop, then SIGTERM. In-flight event,
// native HTTP and net/http invocations block until the test releases
// them, so every step is checked while they are provably still running:
// the pre-stop hook completes beside them, after SIGTERM new connections
// are refused and idle ones closed, and only then are they released; each
// must get its full answer, the process must exit 0, and stdout must hold
// every marker and line, ending with the server's last line.
func TestShutdownDrainsInFlight(t *testing.T) {
	f := startFunction(t, "-drain", "30s")
	release := filepath.Join(t.TempDir(), "release")

	payload, err := json.Marshal(soak.Event{ID: "ev", Lines: 4, WaitFile: release})
	require.NoError(t, err)
	reply, err := json.Marshal(soak.Reply{RequestID: "drain-event", ID: "ev", PadCRC: soak.Checksum(nil)})
	require.NoError(t, err)
	flights := []*inFlight{{
		req:    request{method: "POST", target: "/invoke", id: "drain-event", controlPath: "/invoke", timeout: 60, body: [][]byte{payload}},
		status: 200, xfcStatus: "200", body: string(reply),
		lines: []string{soakLine("drain-event", "ev", 0, 0), soakLine("drain-event", "ev", 1, 0),
			soakLine("drain-event", "ev", 2, 0), soakLine("drain-event", "ev", 3, 0)},
	}, {
		req:    request{method: "GET", target: "/native/sleep?file=" + release, id: "drain-native", controlPath: "/http-invoke", timeout: 60},
		status: 200, body: "slept",
	}, {
		req:    request{method: "GET", target: "/std/sleep?file=" + release, id: "drain-std", controlPath: "/http-invoke", timeout: 60},
		status: 200, body: "slept",
	}}

	// A keep-alive connection that served one invocation and sits idle.
	idle, err := f.dial()
	require.NoError(t, err)
	defer idle.close()
	idleReply, err := json.Marshal(soak.Reply{RequestID: "drain-idle", ID: "idle", PadCRC: soak.Checksum(nil)})
	require.NoError(t, err)
	resp := &fasthttp.Response{}
	require.NoError(t, idle.roundTrip(request{method: "POST", target: "/invoke", id: "drain-idle",
		controlPath: "/invoke", timeout: 60, body: [][]byte{[]byte(`{"id":"idle"}`)}}, resp))
	require.Equal(t, 200, resp.StatusCode(), "body: %s", resp.Body())
	require.Equal(t, string(idleReply), string(resp.Body()))

	for _, fl := range flights {
		c, err := f.dial()
		require.NoError(t, err)
		defer c.close()
		require.NoError(t, c.write(fl.req))
		fl.answered = make(chan answer, 1)
		go func() {
			a := answer{resp: &fasthttp.Response{}}
			if a.err = c.read(a.resp); a.err == nil {
				_, err := c.br.ReadByte()
				a.closed = errors.Is(err, io.EOF)
			}
			fl.answered <- a
		}()
	}
	for _, fl := range flights {
		f.waitForLine(func(l string) bool { return l == "FC Invoke Start RequestId: "+fl.req.id }, fl.req.id+"'s start marker")
	}

	// FC calls pre-stop first; the instance is still serving.
	pre, err := f.dial()
	require.NoError(t, err)
	defer pre.close()
	require.NoError(t, pre.roundTrip(request{method: "GET", target: "/pre-stop", id: "drain-prestop~sleep200",
		controlPath: "/pre-stop", timeout: 60}, resp))
	assert.Equal(t, 200, resp.StatusCode(), "pre-stop: %s", resp.Body())
	assertNotAnswered(t, flights, "after pre-stop")

	f.signal(syscall.SIGTERM)
	shuttingDown := func(l string) bool {
		return strings.HasSuffix(l, " [INFO] fcgo: shutting down, draining in-flight invocations")
	}
	f.waitForLine(shuttingDown, "the shutting-down line")

	// New connections are refused once the listener is closed, which
	// Shutdown does first; poll, since the line comes just before.
	var dialErr error
	for deadline := time.Now().Add(waitLimit); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		c, err := net.DialTimeout("tcp", f.addr, time.Second)
		if err != nil {
			dialErr = err
			break
		}
		_ = c.Close()
	}
	assert.ErrorIs(t, dialErr, syscall.ECONNREFUSED, "a new connection after SIGTERM")

	// The idle keep-alive connection is closed, not left for FC to send
	// another request on.
	require.NoError(t, idle.c.SetReadDeadline(time.Now().Add(waitLimit)))
	_, err = idle.br.ReadByte()
	assert.ErrorIs(t, err, io.EOF, "the idle connection after SIGTERM")
	assertNotAnswered(t, flights, "after SIGTERM, before release")

	require.NoError(t, os.WriteFile(release, nil, 0o600))
	for _, fl := range flights {
		var a answer
		select {
		case a = <-fl.answered:
		case <-time.After(waitLimit):
			require.FailNow(t, "no answer to "+fl.req.id)
		}
		require.NoError(t, a.err, "%s is answered in full", fl.req.id)
		assert.Equal(t, fl.status, a.resp.StatusCode(), fl.req.id)
		assert.Equal(t, fl.xfcStatus, string(a.resp.Header.Peek("X-Fc-Status")), fl.req.id)
		assert.Equal(t, fl.body, string(a.resp.Body()), fl.req.id)
		assert.True(t, a.closed, "%s: the server closes the connection after the answer", fl.req.id)
	}

	assert.Equal(t, 0, f.wait(), "exit code after a complete drain")
	assert.Empty(t, f.stderrText(), "stderr")

	lines := f.lines()
	logs := map[string][]string{
		"drain-idle":             {startLine("Invoke", "drain-idle"), endLine("Invoke", "drain-idle", false)},
		"drain-prestop~sleep200": {startLine("PreStop", "drain-prestop~sleep200"), "drain-prestop~sleep200 [INFO] soak hook hook=pre-stop", endLine("PreStop", "drain-prestop~sleep200", false)},
	}
	for _, fl := range flights {
		logs[fl.req.id] = append(append([]string{startLine("Invoke", fl.req.id)}, fl.lines...), endLine("Invoke", fl.req.id, false))
	}
	assertLog(t, lines, logs, []string{
		"[INFO] fcgo: function server listening addr=" + f.addr,
		"[INFO] fcgo: shutting down, draining in-flight invocations",
		"[INFO] fcgo: function server stopped",
	})
	// The order FC relies on: pre-stop done before the shutdown began, the
	// in-flight invocations ended after it, and nothing after the last line.
	shutdown := indexOf(lines, "[INFO] fcgo: shutting down, draining in-flight invocations")
	assert.Less(t, indexOf(lines, endLine("PreStop", "drain-prestop~sleep200", false)), shutdown)
	for _, fl := range flights {
		assert.Greater(t, indexOf(lines, endLine("Invoke", fl.req.id, false)), shutdown, fl.req.id)
	}
	assert.Equal(t, len(lines)-1, indexOf(lines, "[INFO] fcgo: function server stopped"), "the last line")
}

// TestShutdownDrainTimeout: an invocation that outlives the drain timeout
// does not keep the instance alive. The process exits 1 after the drain
// timeout, with the lines the invocation had logged so far on stdout
// (Run flushes them) and no end marker for it, since it never ended.
func TestShutdownDrainTimeout(t *testing.T) {
	f := startFunction(t, "-drain", "300ms")
	never := filepath.Join(t.TempDir(), "never")
	payload, err := json.Marshal(soak.Event{ID: "stuck", Lines: 4, WaitFile: never})
	require.NoError(t, err)

	c, err := f.dial()
	require.NoError(t, err)
	defer c.close()
	require.NoError(t, c.write(request{method: "POST", target: "/invoke", id: "drain-stuck", controlPath: "/invoke",
		timeout: 600, body: [][]byte{payload}}))
	f.waitForLine(func(l string) bool { return l == startLine("Invoke", "drain-stuck") }, "the start marker")

	f.signal(syscall.SIGTERM)
	assert.Equal(t, 1, f.wait(), "exit code after the drain timed out")
	assert.Empty(t, f.stderrText(), "stderr")

	resp := &fasthttp.Response{}
	assert.Error(t, c.read(resp), "the stuck invocation gets no answer: the process is gone")

	lines := f.lines()
	assertLog(t, lines, map[string][]string{
		"drain-stuck": {startLine("Invoke", "drain-stuck"), soakLine("drain-stuck", "stuck", 0, 0), soakLine("drain-stuck", "stuck", 1, 0)},
	}, []string{
		"[INFO] fcgo: function server listening addr=" + f.addr,
		"[INFO] fcgo: shutting down, draining in-flight invocations",
		`[ERROR] fcgo: function server stopped error="fcserver: drain: context deadline exceeded"`,
	})
	assert.Equal(t, len(lines)-1, indexOf(lines, `[ERROR] fcgo: function server stopped error="fcserver: drain: context deadline exceeded"`), "the last line")
}

func assertNotAnswered(t *testing.T, flights []*inFlight, when string) {
	t.Helper()
	for _, fl := range flights {
		select {
		case a := <-fl.answered:
			fl.answered <- a
			assert.Failf(t, "answered too early", "%s was answered %s, before the test released it (err %v)", fl.req.id, when, a.err)
		default:
		}
	}
}

// Marker lines, written out by hand: FC matches them byte for byte
// (SPEC §6).
func startLine(kind, id string) string { return "FC " + kind + " Start RequestId: " + id }

func endLine(kind, id string, failed bool) string {
	if failed {
		return "FC " + kind + " End RequestId: " + id + ", Error: Unhandled function error"
	}
	return "FC " + kind + " End RequestId: " + id
}

// soakLine is line n of soakfn's logLines for request requestID, timestamp
// removed.
func soakLine(requestID, id string, n, size int) string {
	l := requestID + " [INFO] soak line n=" + itoa(n)
	if size > 0 {
		l += " fill=" + soak.Fill(id, n, size)
	}
	return l
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

var (
	markerLine = regexp.MustCompile(`^FC (Invoke|Initialize|PreFreeze|PreStop) (Start|End) RequestId: (\S+?)(, Error: Unhandled function error)?$`)
	// appLine is "<time> [<request-id> ][LEVEL] message"; the time is
	// checked and removed.
	appLine = regexp.MustCompile(`^` + timestamp + ` ((?:\S+ )?\[(?:TRACE|DEBUG|INFO|WARN|ERROR|FATAL|PANIC)\] .*)$`)
)

// assertLog checks that stdout is exactly the given invocations' lines
// (markers as they are, application lines without their time, each
// invocation's in its order) and the server's own lines (without time, in
// order), in some interleaving: no line missing, none added, none cut.
func assertLog(t *testing.T, lines []string, invocations map[string][]string, server []string) {
	t.Helper()
	got := map[string][]string{}
	var gotServer []string
	for _, l := range lines {
		if m := markerLine.FindStringSubmatch(l); m != nil {
			got[m[3]] = append(got[m[3]], l)
			continue
		}
		m := appLine.FindStringSubmatch(l)
		if m == nil {
			assert.Failf(t, "a line of no known grammar", "%q", l)
			continue
		}
		untimed := m[1]
		if id, _, ok := strings.Cut(untimed, " ["); ok && !strings.HasPrefix(untimed, "[") {
			got[id] = append(got[id], untimed)
			continue
		}
		gotServer = append(gotServer, untimed)
	}
	assert.Equal(t, invocations, got, "invocation lines")
	assert.Equal(t, server, gotServer, "server lines")
}

// indexOf returns the index of the first line equal to s, or ending in s
// after a timestamp; -1 if none.
func indexOf(lines []string, s string) int {
	for i, l := range lines {
		if l == s {
			return i
		}
		if m := appLine.FindStringSubmatch(l); m != nil && m[1] == s {
			return i
		}
	}
	return -1
}
