package fcserver_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/logging"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"
)

// requestTimeout bounds every client round trip and every wait for a
// handler, so a server bug fails a test instead of hanging it. It is
// generous because the machine may be shared and the race detector slow;
// a passing test never waits for it.
const requestTimeout = 20 * time.Second

// Secrets of the realistic header set. The token is about the size of a
// real STS token (~1 KB).
var (
	testKeyID  = "STS.NUgYrLnoC37mZZCNnAbez2xyz"
	testSecret = "Gv7YQkz4TLwQ9yFz3nDQcSecretValue0123456789"
	testToken  = "CAIS" + strings.Repeat("tOkEnBoDy0123456789", 54) + "GoAB"
)

// syncBuffer is a goroutine-safe bytes.Buffer: the server's stdout.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	n   int // number of Write calls
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.n++
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Lines returns the complete lines written so far, without newlines.
func (b *syncBuffer) Lines() []string {
	s := b.String()
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// harness is a server serving on an in-memory listener, its captured log
// and a client dialling it.
type harness struct {
	srv    *fcserver.Server
	ln     *fasthttputil.InmemoryListener
	log    *syncBuffer
	client *fasthttp.HostClient
	served chan error // Serve's result
}

// start serves a Server built from opts (plus a logger writing to the
// harness buffer) on an in-memory listener. The server is shut down when
// the test ends, and Serve must then have returned ErrServerClosed.
func start(t *testing.T, opts ...fcserver.Option) *harness {
	return startWithLogger(t, nil, opts...)
}

// startWithLogger is start with extra logging options.
func startWithLogger(t *testing.T, logOpts []logging.Option, opts ...fcserver.Option) *harness {
	t.Helper()
	h := &harness{
		ln:     fasthttputil.NewInmemoryListener(),
		log:    &syncBuffer{},
		served: make(chan error, 1),
	}
	all := append([]fcserver.Option{fcserver.WithLogger(logging.New(h.log, logOpts...))}, opts...)
	h.srv = fcserver.New(all...)
	h.client = &fasthttp.HostClient{
		Addr: "function",
		Dial: func(string) (net.Conn, error) { return h.ln.Dial() },
	}
	go func() { h.served <- h.srv.Serve(h.ln) }()
	t.Cleanup(func() {
		h.client.CloseIdleConnections()
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		defer cancel()
		assert.NoError(t, h.srv.Shutdown(ctx), "Shutdown")
		select {
		case err := <-h.served:
			assert.ErrorIs(t, err, fcserver.ErrServerClosed, "Serve's result")
		case <-time.After(requestTimeout):
			t.Error("Serve did not return after Shutdown")
		}
	})
	return h
}

// header is one request header, in order.
type header struct{ name, value string }

// fcHeaders is the header set FC sends with every request (SPEC §3), in the
// case real deployments use, with a 1 KB security token.
func fcHeaders(requestID, controlPath string) []header {
	hs := []header{
		{"X-Fc-Request-Id", requestID},
		{"X-Fc-Access-Key-Id", testKeyID},
		{"X-Fc-Access-Key-Secret", testSecret},
		{"X-Fc-Security-Token", testToken},
		{"X-Fc-Function-Name", "greet"},
		{"X-Fc-Function-Handler", "index.handler"},
		{"X-Fc-Function-Memory", "512"},
		{"X-Fc-Region", "cn-hangzhou"},
		{"X-Fc-Account-Id", "1234567890123456"},
		{"X-Fc-Qualifier", "LATEST"},
		{"X-Fc-Version-Id", ""},
		{"X-Fc-Service-Name", ""},
		{"X-Fc-Service-Logproject", "aliyun-fc-cn-hangzhou-logs"},
		{"X-Fc-Service-Logstore", "function-log"},
		{"X-Fc-Retry-Count", "0"},
		{"X-Fc-Tracing-Opentracing-Span-Context", ""},
		{"X-Fc-Tracing-Opentracing-Span-Baggages", ""},
	}
	if controlPath != "" {
		hs = append(hs, header{"X-Fc-Control-Path", controlPath})
	}
	return hs
}

// newRequest returns a request as FC sends it: method, path, the FC header
// set (with controlPath unless it is empty), extra headers and body. The
// caller releases it with fasthttp.ReleaseRequest, or lets it be collected.
func newRequest(method, path, requestID, controlPath string, body []byte, extra ...header) *fasthttp.Request {
	req := fasthttp.AcquireRequest()
	req.Header.SetMethod(method)
	req.SetRequestURI("http://function" + path)
	for _, h := range fcHeaders(requestID, controlPath) {
		req.Header.Set(h.name, h.value)
	}
	for _, h := range extra {
		req.Header.Set(h.name, h.value)
	}
	if body != nil {
		req.SetBody(body)
	}
	return req
}

// do sends req and returns the response (released at the end of the test).
func (h *harness) do(t *testing.T, req *fasthttp.Request) *fasthttp.Response {
	t.Helper()
	resp := &fasthttp.Response{}
	require.NoError(t, h.client.DoTimeout(req, resp, requestTimeout), "round trip")
	return resp
}

// invoke sends an event invocation the way FC does: POST /invoke with
// x-fc-control-path: /invoke.
func (h *harness) invoke(t *testing.T, requestID string, payload []byte, extra ...header) *fasthttp.Response {
	t.Helper()
	return h.do(t, newRequest(fasthttp.MethodPost, "/invoke", requestID, "/invoke", payload, extra...))
}

// Marker lines, written out by hand: FC's console matches them byte for
// byte (SPEC §6).
func startLine(kind, id string) string { return "FC " + kind + " Start RequestId: " + id }

func endLine(kind, id string) string { return "FC " + kind + " End RequestId: " + id }

func failedEndLine(kind, id string) string {
	return "FC " + kind + " End RequestId: " + id + ", Error: Unhandled function error"
}

// timePrefix is the text layout's timestamp: UTC, milliseconds, then a space.
var timePrefix = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z `)

// appLine matches an application line of the text layout:
// "<time> [<request-id> ][LEVEL] message k=v …".
var appLine = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (\S+ )?\[(TRACE|DEBUG|INFO|WARN|ERROR|FATAL|PANIC)\]( .*)?$`)

// untimed returns the application lines of the log with their timestamp
// removed ("<id> [LEVEL] message k=v"), and the marker lines as they are.
func untimed(lines []string) []string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		out = append(out, timePrefix.ReplaceAllString(l, ""))
	}
	return out
}

// linesOf returns, in order, the lines of the log that belong to the
// request id: its markers and its application lines, timestamps removed.
func linesOf(log *syncBuffer, id string) []string {
	var out []string
	for _, l := range untimed(log.Lines()) {
		if strings.HasPrefix(l, id+" [") || strings.HasSuffix(l, "RequestId: "+id) ||
			strings.HasSuffix(l, "RequestId: "+id+", Error: Unhandled function error") {
			out = append(out, l)
		}
	}
	return out
}

// assertInvocationLog checks that the log holds exactly one start and one
// end marker of kind for id, the start first, with want (timestamps
// removed) between them in order.
func assertInvocationLog(t *testing.T, log *syncBuffer, kind, id string, failed bool, want ...string) {
	t.Helper()
	end := endLine(kind, id)
	if failed {
		end = failedEndLine(kind, id)
	}
	exp := append(append([]string{startLine(kind, id)}, want...), end)
	assert.Equal(t, exp, linesOf(log, id), "log lines of request %s", id)
}

// rawResponse is an HTTP/1.1 response read from the wire.
type rawResponse struct {
	status  int
	headers []header
	body    []byte
}

// get returns the values of the header name, matched case-insensitively.
func (r rawResponse) get(name string) []string {
	var vs []string
	for _, h := range r.headers {
		if strings.EqualFold(h.name, name) {
			vs = append(vs, h.value)
		}
	}
	return vs
}

// rawConn is a client connection that writes request bytes as they are
// and reads responses off the wire, for keep-alive and pipelining tests.
type rawConn struct {
	t  *testing.T
	c  net.Conn
	br *bufio.Reader
}

func (h *harness) dialRaw(t *testing.T) *rawConn {
	t.Helper()
	c, err := h.ln.Dial()
	require.NoError(t, err, "dial")
	t.Cleanup(func() { _ = c.Close() })
	return &rawConn{t: t, c: c, br: bufio.NewReader(c)}
}

// withHeaders returns hs with each of extra replacing the header of the
// same name, or appended when there is none.
func withHeaders(hs, extra []header) []header {
	out := append([]header(nil), hs...)
next:
	for _, e := range extra {
		for i := range out {
			if strings.EqualFold(out[i].name, e.name) {
				out[i] = e
				continue next
			}
		}
		out = append(out, e)
	}
	return out
}

// rawRequest serialises a request with a Host, the FC header set (extra
// headers replace those of the same name) and a Content-Length.
func rawRequest(method, path, requestID, controlPath string, body []byte, extra ...header) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: function\r\n", method, path)
	for _, h := range withHeaders(fcHeaders(requestID, controlPath), extra) {
		fmt.Fprintf(&b, "%s: %s\r\n", h.name, h.value)
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", len(body))
	b.Write(body)
	return b.Bytes()
}

func (rc *rawConn) send(p []byte) {
	rc.t.Helper()
	require.NoError(rc.t, rc.c.SetWriteDeadline(time.Now().Add(requestTimeout)))
	_, err := rc.c.Write(p)
	require.NoError(rc.t, err, "write request")
}

// read reads one response.
func (rc *rawConn) read() rawResponse {
	rc.t.Helper()
	require.NoError(rc.t, rc.c.SetReadDeadline(time.Now().Add(requestTimeout)))
	resp, err := readResponse(rc.br)
	require.NoError(rc.t, err, "read response")
	return resp
}

// readResponse reads one HTTP/1.1 response: status line, headers and a
// Content-Length body. It reports errors rather than failing the test, so
// other goroutines may call it.
func readResponse(br *bufio.Reader) (rawResponse, error) {
	var resp rawResponse
	status, err := br.ReadString('\n')
	if err != nil {
		return resp, fmt.Errorf("status line: %w", err)
	}
	parts := strings.SplitN(strings.TrimRight(status, "\r\n"), " ", 3)
	if len(parts) < 2 || parts[0] != "HTTP/1.1" {
		return resp, fmt.Errorf("bad status line %q", status)
	}
	if resp.status, err = strconv.Atoi(parts[1]); err != nil {
		return resp, fmt.Errorf("bad status line %q", status)
	}
	length := -1
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return resp, fmt.Errorf("header line: %w", err)
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return resp, fmt.Errorf("bad header line %q", line)
		}
		value = strings.TrimSpace(value)
		resp.headers = append(resp.headers, header{name, value})
		if strings.EqualFold(name, "Content-Length") {
			if length, err = strconv.Atoi(value); err != nil {
				return resp, fmt.Errorf("bad Content-Length %q", value)
			}
		}
	}
	if length < 0 {
		return resp, errors.New("response has no Content-Length")
	}
	resp.body = make([]byte, length)
	if _, err := io.ReadFull(br, resp.body); err != nil {
		return resp, fmt.Errorf("body: %w", err)
	}
	return resp, nil
}

// roundTrip sends one request and reads its response.
func (rc *rawConn) roundTrip(p []byte) rawResponse {
	rc.t.Helper()
	rc.send(p)
	return rc.read()
}

// recv waits for a value a handler sent, for at most requestTimeout.
func recv[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(requestTimeout):
		require.FailNow(t, "timed out waiting for a value from the handler")
	}
	panic("unreachable")
}
