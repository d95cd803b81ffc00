package fcserver_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/headers"
	"github.com/fcgo/fcgo/logging"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
)

// tcpServer is a Server on a real loopback listener: unlike the in-memory
// one, a client that stops reading fills the kernel's buffers and blocks
// the server's writes, as on FC.
type tcpServer struct {
	srv    *fcserver.Server
	addr   string
	log    *syncBuffer
	served chan error
	once   sync.Once

	mu    sync.Mutex
	conns []net.Conn // every client connection, closed by closeClients
	probe atomic.Int32
}

func startTCP(t *testing.T, opts ...fcserver.Option) *tcpServer {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	s := &tcpServer{addr: ln.Addr().String(), log: &syncBuffer{}, served: make(chan error, 1)}
	s.srv = fcserver.New(append([]fcserver.Option{fcserver.WithLogger(logging.New(s.log))}, opts...)...)
	go func() { s.served <- s.srv.Serve(ln) }()
	t.Cleanup(func() { s.stop(t) })
	return s
}

// stop closes the client connections, shuts the server down and checks
// that Serve returned ErrServerClosed.
func (s *tcpServer) stop(t *testing.T) {
	s.once.Do(func() {
		s.closeClients()
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		defer cancel()
		assert.NoError(t, s.srv.Shutdown(ctx), "Shutdown")
		select {
		case err := <-s.served:
			assert.ErrorIs(t, err, fcserver.ErrServerClosed, "Serve's result")
		case <-time.After(requestTimeout):
			t.Error("Serve did not return after Shutdown")
		}
	})
}

func (s *tcpServer) closeClients() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		_ = c.Close()
	}
	s.conns = nil
}

func (s *tcpServer) dial(t *testing.T) *rawConn {
	t.Helper()
	c, err := net.DialTimeout("tcp4", s.addr, requestTimeout)
	require.NoError(t, err, "dial")
	s.mu.Lock()
	s.conns = append(s.conns, c)
	s.mu.Unlock()
	return &rawConn{t: t, c: c, br: bufio.NewReader(c)}
}

// assertServes checks that a normal event invocation on a fresh connection
// is answered: nothing before it crashed or blocked the server.
func (s *tcpServer) assertServes(t *testing.T) {
	t.Helper()
	id := fmt.Sprintf("probe-%d", s.probe.Add(1))
	c := s.dial(t)
	defer c.c.Close()
	resp := c.roundTrip(rawRequest("POST", "/invoke", id, "/invoke", []byte(`{"name":"probe"}`)))
	require.Equal(t, fasthttp.StatusOK, resp.status, "a normal invocation after the hostile one: %s", resp.body)
	assert.Equal(t, []string{"200"}, resp.get("x-fc-status"))
	assert.JSONEq(t, `{"requestId":"`+id+`","name":"probe"}`, string(resp.body))
	assertInvocationLog(t, s.log, "Invoke", id, false)
}

// assertClosed checks that the server closed the connection: the next
// read sees end of file (or a reset), never another response.
func (c *rawConn) assertClosed() {
	c.t.Helper()
	require.NoError(c.t, c.c.SetReadDeadline(time.Now().Add(requestTimeout)))
	n, err := c.br.Read(make([]byte, 1))
	assert.Equal(c.t, 0, n, "bytes after the last response")
	assert.Error(c.t, err, "the server closes the connection")
	var ne net.Error
	assert.False(c.t, errors.As(err, &ne) && ne.Timeout(), "the connection stayed open: %v", err)
}

// assertLogWellFormed checks that every line of the log is whole: a
// marker line or an application line of the text layout.
func assertLogWellFormed(t *testing.T, log *syncBuffer) {
	t.Helper()
	out := log.String()
	require.True(t, out == "" || strings.HasSuffix(out, "\n"), "the log ends mid-line")
	for _, l := range log.Lines() {
		if !strings.HasPrefix(l, "FC ") && !appLine.MatchString(l) {
			assert.Fail(t, "malformed log line", "%.300q", l)
		}
	}
}

type hostileIn struct {
	Name string `json:"name"`
}

type hostileOut struct {
	RequestID string `json:"requestId"`
	Name      string `json:"name"`
}

// fcHeaderNames returns the value of every header-name constant declared
// in headers/names.go, read from the source so a header added there is
// covered here without anyone remembering to.
func fcHeaderNames(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "../headers/names.go", nil, 0)
	require.NoError(t, err)
	var names []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			for _, v := range spec.(*ast.ValueSpec).Values {
				if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					name, err := strconv.Unquote(lit.Value)
					require.NoError(t, err)
					names = append(names, name)
				}
			}
		}
	}
	require.Contains(t, names, headers.XFCSecurityToken)
	require.Len(t, names, 30, "every x-fc-* name in headers/names.go, x-fc-status included")
	return names
}

// numericHeaders are the headers parsed as numbers: a bad value in one is
// reported as a warning naming it.
var numericHeaders = map[string]bool{
	headers.XFCFunctionMemory: true, headers.XFCFunctionTimeout: true,
	headers.XFCInitializationTimeout: true, headers.XFCRetryCount: true,
}

// TestHostileInput sends malformed, oversize and ill-behaved requests over
// real TCP. Each gets a clear answer or a clean close; afterwards a normal
// invocation on a fresh connection is served, and once the servers are
// shut down every goroutine they started is gone.
func TestHostileInput(t *testing.T) {
	warmUpFasthttp(t)
	baseline, _ := goroutines()

	var eventCalls, httpCalls atomic.Int32
	const limit = 64 << 10
	echo := fcserver.WithEvent(event.JSON(func(ctx context.Context, in hostileIn) (hostileOut, error) {
		eventCalls.Add(1)
		info, _ := headers.FromContext(ctx)
		return hostileOut{RequestID: info.RequestID, Name: in.Name}, nil
	}))
	bigServed := make(chan struct{}, 1)
	bigResponse := bytes.Repeat([]byte("r"), 16<<20)
	full := startTCP(t,
		fcserver.WithMaxRequestBodySize(limit),
		echo,
		fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) {
			httpCalls.Add(1)
			if string(rc.Path()) == "/big" {
				rc.SetBody(bigResponse)
				bigServed <- struct{}{}
				return
			}
			rc.SetBodyString("http " + string(rc.Method()) + " " + string(rc.Path()))
		}),
		fcserver.WithInitializer(func(context.Context) error { return nil }),
		fcserver.WithPreFreeze(func(context.Context) error { return nil }),
		fcserver.WithPreStop(func(context.Context) error { return nil }))
	// An event-only server with the default body limit.
	eventOnly := startTCP(t, echo)

	invoke := func(id string, body []byte, extra ...header) []byte {
		return rawRequest("POST", "/invoke", id, "/invoke", body, extra...)
	}
	// failedEvent checks a failed event answer: status, x-fc-status: 404,
	// the error JSON's type, and that its message says what went wrong.
	failedEvent := func(t *testing.T, resp rawResponse, status int, errorType, msgPart string) {
		t.Helper()
		assert.Equal(t, status, resp.status)
		assert.Equal(t, []string{"404"}, resp.get("x-fc-status"))
		assert.Equal(t, []string{"application/json"}, resp.get("Content-Type"))
		var e event.ErrorResponse
		require.NoError(t, json.Unmarshal(resp.body, &e), "%s", resp.body)
		assert.Equal(t, errorType, e.ErrorType)
		assert.Contains(t, e.ErrorMessage, msgPart)
	}
	textAnswer := func(t *testing.T, resp rawResponse, status int, body string) {
		t.Helper()
		assert.Equal(t, status, resp.status)
		assert.Empty(t, resp.get("x-fc-status"))
		assert.Equal(t, []string{"text/plain; charset=utf-8"}, resp.get("Content-Type"))
		assert.Equal(t, body, string(resp.body))
	}

	type hostileCase struct {
		name string
		srv  *tcpServer
		run  func(t *testing.T, s *tcpServer)
	}
	var cases []hostileCase

	// Every x-fc-* header, malformed and absurdly long (20 KB, within the
	// 32 KB read buffer): the invocation goes on, a bad number is a
	// warning naming the header, a bad control path a 400.
	absurd := strings.Repeat("9", 20<<10)
	for _, name := range fcHeaderNames(t) {
		for _, v := range []struct{ kind, value string }{
			{"malformed", "-1 \"bad\" \\ é \xff =?%00"},
			{"20KB", absurd},
		} {
			cases = append(cases, hostileCase{name + " " + v.kind, full, func(t *testing.T, s *tcpServer) {
				id := "hdr-" + name + "-" + v.kind
				var h []header
				if name == headers.XFCRequestID {
					id = v.value
				} else {
					h = append(h, header{name, v.value})
				}
				resp := s.dial(t).roundTrip(invoke(id, []byte(`{"name":"x"}`), h...))
				if name == headers.XFCControlPath {
					assert.Equal(t, fasthttp.StatusBadRequest, resp.status)
					assert.Empty(t, resp.get("x-fc-status"))
					assert.Contains(t, string(resp.body), "fcserver: unknown x-fc-control-path ")
					assert.Less(t, len(resp.body), 400, "the answer cuts an absurd value")
					assert.Empty(t, linesOf(s.log, id), "no markers for a request of no known kind")
					return
				}
				assert.Equal(t, fasthttp.StatusOK, resp.status, "%s", resp.body)
				assert.Equal(t, []string{"200"}, resp.get("x-fc-status"))
				var out hostileOut
				require.NoError(t, json.Unmarshal(resp.body, &out))
				assert.Equal(t, "x", out.Name)
				if name == headers.XFCRequestID {
					assert.Equal(t, strings.ToValidUTF8(id, "\uFFFD"), out.RequestID)
					return
				}
				lines := strings.Join(linesOf(s.log, id), "\n")
				if numericHeaders[name] {
					assert.Contains(t, lines, "[WARN] fcserver: ignoring malformed x-fc-* header error=\"headers: malformed "+name+" value ")
					assert.Less(t, len(lines), 1000, "the warning cuts an absurd value")
				} else {
					assert.NotContains(t, lines, "WARN")
				}
			}})
		}
	}

	cases = append(cases,
		hostileCase{"every x-fc-* header 1 KB at once", full, func(t *testing.T, s *tcpServer) {
			var h []header
			for _, name := range fcHeaderNames(t) {
				if name != headers.XFCRequestID && name != headers.XFCControlPath {
					h = append(h, header{name, strings.Repeat("7", 1<<10)})
				}
			}
			resp := s.dial(t).roundTrip(invoke("all-1kb", nil, h...))
			assert.Equal(t, fasthttp.StatusOK, resp.status)
			assert.JSONEq(t, `{"requestId":"all-1kb","name":""}`, string(resp.body))
		}},
		hostileCase{"headers over the read buffer", full, func(t *testing.T, s *tcpServer) {
			c := s.dial(t)
			resp := c.roundTrip(invoke("huge-headers", nil, extraHeaders(40<<10)...))
			textAnswer(t, resp, fasthttp.StatusRequestHeaderFieldsTooLarge, "fcserver: request headers exceed the limit of 32768 bytes\n")
			c.assertClosed()
			assert.Empty(t, linesOf(s.log, "huge-headers"))
		}},
		hostileCase{"one x-fc-* header over the read buffer", full, func(t *testing.T, s *tcpServer) {
			c := s.dial(t)
			resp := c.roundTrip(invoke("huge-token", nil, header{"X-Fc-Security-Token", strings.Repeat("T", 40<<10)}))
			textAnswer(t, resp, fasthttp.StatusRequestHeaderFieldsTooLarge, "fcserver: request headers exceed the limit of 32768 bytes\n")
			c.assertClosed()
		}},
		hostileCase{"empty body", full, func(t *testing.T, s *tcpServer) {
			resp := s.dial(t).roundTrip(invoke("empty", nil))
			assert.Equal(t, fasthttp.StatusOK, resp.status)
			assert.Equal(t, []string{"200"}, resp.get("x-fc-status"))
			assert.JSONEq(t, `{"requestId":"empty","name":""}`, string(resp.body), "an empty payload is In's zero value")
		}},
		hostileCase{"invalid JSON", full, func(t *testing.T, s *tcpServer) {
			resp := s.dial(t).roundTrip(invoke("bad-json", []byte(`{"name":`)))
			failedEvent(t, resp, fasthttp.StatusNotFound, event.TypeInvalidPayload, "cannot decode payload into fcserver_test.hostileIn: unexpected end of JSON input")
			assertInvocationLog(t, s.log, "Invoke", "bad-json", true,
				`bad-json [ERROR] invocation failed errorType=InvalidPayload errorMessage="event: cannot decode payload into fcserver_test.hostileIn: unexpected end of JSON input"`)
		}},
		hostileCase{"JSON of the wrong type", full, func(t *testing.T, s *tcpServer) {
			resp := s.dial(t).roundTrip(invoke("wrong-type", []byte(`{"name":[1,2]}`)))
			failedEvent(t, resp, fasthttp.StatusNotFound, event.TypeInvalidPayload, "cannot unmarshal array into Go struct field hostileIn.name of type string")
		}},
		hostileCase{"JSON nested 100000 deep", eventOnly, func(t *testing.T, s *tcpServer) {
			resp := s.dial(t).roundTrip(invoke("deep", bytes.Repeat([]byte("["), 100000)))
			failedEvent(t, resp, fasthttp.StatusNotFound, event.TypeInvalidPayload, "exceeded max depth")
		}},
		hostileCase{"JSON objects nested 50000 deep", eventOnly, func(t *testing.T, s *tcpServer) {
			body := append(bytes.Repeat([]byte(`{"name":`), 50000), '1')
			resp := s.dial(t).roundTrip(invoke("deep-objects", body))
			failedEvent(t, resp, fasthttp.StatusNotFound, event.TypeInvalidPayload, "exceeded max depth")
		}},
		hostileCase{"body at the limit", full, func(t *testing.T, s *tcpServer) {
			body := append(append([]byte(`{"name":"`), bytes.Repeat([]byte("b"), limit-11)...), '"', '}')
			require.Len(t, body, limit)
			resp := s.dial(t).roundTrip(invoke("at-limit", body))
			assert.Equal(t, fasthttp.StatusOK, resp.status)
		}},
		hostileCase{"body one byte over the limit", full, func(t *testing.T, s *tcpServer) {
			c := s.dial(t)
			resp := c.roundTrip(invoke("over-limit", bytes.Repeat([]byte("b"), limit+1)))
			failedEvent(t, resp, fasthttp.StatusRequestEntityTooLarge, "PayloadTooLarge",
				"fcserver: request body exceeds the limit of 65536 bytes (64 KB)")
			assert.Equal(t, []string{"close"}, resp.get("Connection"))
			c.assertClosed()
			assertInvocationLog(t, s.log, "Invoke", "over-limit", true,
				`over-limit [WARN] fcserver: rejected a request error="fasthttp: body size exceeds the given limit" status=413`)
		}},
		hostileCase{"chunked body over the limit", full, func(t *testing.T, s *tcpServer) {
			c := s.dial(t)
			head := strings.Replace(string(invoke("chunked-over", nil)), "Content-Length: 0\r\n", "Transfer-Encoding: chunked\r\n", 1)
			chunk := bytes.Repeat([]byte("c"), limit/2+1)
			req := fmt.Appendf([]byte(head), "%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n", len(chunk), chunk, len(chunk), chunk)
			resp := c.roundTrip(req)
			// fasthttp discards the headers of a chunked request whose body
			// fails: the answer must still be one FC records as a failure.
			failedEvent(t, resp, fasthttp.StatusRequestEntityTooLarge, "PayloadTooLarge",
				"fcserver: request body exceeds the limit of 65536 bytes (64 KB)")
			c.assertClosed()
			assert.Contains(t, untimed(s.log.Lines()), `[WARN] fcserver: rejected a request (its chunked body exceeds the limit; its headers are lost) error="fasthttp: body size exceeds the given limit" status=413`)
		}},
		hostileCase{"Content-Length over the default limit, no body sent", eventOnly, func(t *testing.T, s *tcpServer) {
			// fasthttp rejects on the Content-Length alone: the default
			// limit's path without sending 32 MB.
			c := s.dial(t)
			req := strings.Replace(string(invoke("cl-over-default", nil)), "Content-Length: 0", "Content-Length: 33554433", 1)
			resp := c.roundTrip([]byte(req))
			failedEvent(t, resp, fasthttp.StatusRequestEntityTooLarge, "PayloadTooLarge",
				"fcserver: request body exceeds the limit of 33554432 bytes (32 MB)")
			c.assertClosed()
		}},
		hostileCase{"Content-Length not a number", full, func(t *testing.T, s *tcpServer) {
			c := s.dial(t)
			req := strings.Replace(string(invoke("cl-garbage", nil)), "Content-Length: 0", "Content-Length: -5x", 1)
			textAnswer(t, c.roundTrip([]byte(req)), fasthttp.StatusBadRequest, "fcserver: malformed HTTP request\n")
			c.assertClosed()
		}},
		hostileCase{"header line without a colon", full, func(t *testing.T, s *tcpServer) {
			c := s.dial(t)
			req := strings.Replace(string(invoke("no-colon", nil)), "X-Fc-Security-Token: ", "X-Fc-Security-Token ", 1)
			textAnswer(t, c.roundTrip([]byte(req)), fasthttp.StatusBadRequest, "fcserver: malformed HTTP request\n")
			c.assertClosed()
			// fasthttp quotes the line in its error; the log withholds it.
			assert.Contains(t, s.log.String(), `[WARN] fcserver: rejected a request error="error when reading request headers: malformed mime header: missing colon: \"…\": buffer size=`)
			assert.NotContains(t, s.log.String(), testToken[:32])
		}},
		hostileCase{"garbage instead of a request", full, func(t *testing.T, s *tcpServer) {
			c := s.dial(t)
			textAnswer(t, c.roundTrip([]byte("\x00\x01\x02 \xff\xfe garbage\r\n\r\n")), fasthttp.StatusBadRequest, "fcserver: malformed HTTP request\n")
			c.assertClosed()
		}},
		hostileCase{"unknown control path", full, func(t *testing.T, s *tcpServer) {
			resp := s.dial(t).roundTrip(rawRequest("POST", "/invoke", "bogus-cp", "/invoke/../initialize", nil))
			textAnswer(t, resp, fasthttp.StatusBadRequest,
				"fcserver: unknown x-fc-control-path \"/invoke/../initialize\" (expected /invoke, /http-invoke, /initialize, /pre-freeze or /pre-stop)\n")
		}},
		hostileCase{"hook path with the wrong method and no HTTP handler", eventOnly, func(t *testing.T, s *tcpServer) {
			for _, tc := range []struct{ method, path, want string }{
				{"GET", "/initialize", "POST"},
				{"PUT", "/initialize", "POST"},
				{"POST", "/pre-stop", "GET"},
				{"DELETE", "/pre-freeze", "GET"},
				{"GET", "/invoke", "POST"},
			} {
				id := "wrong-method-" + tc.method + tc.path
				resp := s.dial(t).roundTrip(rawRequest(tc.method, tc.path, id, "", nil))
				textAnswer(t, resp, fasthttp.StatusMethodNotAllowed, "fcserver: "+tc.method+" "+tc.path+
					" is not a request FC sends (it sends "+tc.want+" "+tc.path+"), and this function has no HTTP handler (use fcserver.WithHTTP or WithStdHTTP)\n")
				assert.Equal(t, []string{tc.want}, resp.get("Allow"))
				assertInvocationLog(t, s.log, "Invoke", id, true,
					id+" [ERROR] fcserver: "+tc.method+" "+tc.path+" is not a request FC sends (it sends "+tc.want+" "+tc.path+"), and this function has no HTTP handler (use fcserver.WithHTTP or WithStdHTTP)")
			}
		}},
		hostileCase{"hook path with the wrong method goes to the HTTP handler", full, func(t *testing.T, s *tcpServer) {
			// Without x-fc-control-path, only POST /initialize is the
			// hook: an HTTP function may own GET /initialize (SPEC §2).
			resp := s.dial(t).roundTrip(rawRequest("GET", "/initialize", "http-initialize", "", nil))
			assert.Equal(t, fasthttp.StatusOK, resp.status)
			assert.Equal(t, "http GET /initialize", string(resp.body))
		}},
		hostileCase{"hook with the wrong method but its control path", full, func(t *testing.T, s *tcpServer) {
			// The header decides (SPEC §2).
			resp := s.dial(t).roundTrip(rawRequest("GET", "/initialize", "cp-initialize", "/initialize", nil))
			assert.Equal(t, fasthttp.StatusOK, resp.status)
			assertInvocationLog(t, s.log, "Initialize", "cp-initialize", false)
		}},
		hostileCase{"HTTP/1.0 without keep-alive", full, func(t *testing.T, s *tcpServer) {
			c := s.dial(t)
			req := strings.Replace(string(invoke("http10", []byte(`{"name":"old"}`))), "HTTP/1.1", "HTTP/1.0", 1)
			resp := c.roundTrip([]byte(req))
			assert.Equal(t, fasthttp.StatusOK, resp.status)
			assert.JSONEq(t, `{"requestId":"http10","name":"old"}`, string(resp.body))
			c.assertClosed()
		}},
		hostileCase{"pipelined requests", full, func(t *testing.T, s *tcpServer) {
			c := s.dial(t)
			var all []byte
			all = append(all, invoke("pipe-1", []byte(`{"name":"one"}`))...)
			all = append(all, rawRequest("GET", "/two", "pipe-2", "/http-invoke", nil)...)
			all = append(all, invoke("pipe-3", []byte(`{"name":`))...)
			all = append(all, rawRequest("POST", "/initialize", "pipe-4", "/initialize", nil)...)
			all = append(all, invoke("pipe-5", nil)...)
			c.send(all)
			assert.JSONEq(t, `{"requestId":"pipe-1","name":"one"}`, string(c.read().body))
			assert.Equal(t, "http GET /two", string(c.read().body))
			failedEvent(t, c.read(), fasthttp.StatusNotFound, event.TypeInvalidPayload, "unexpected end of JSON input")
			assert.Equal(t, fasthttp.StatusOK, c.read().status)
			assert.JSONEq(t, `{"requestId":"pipe-5","name":""}`, string(c.read().body))
			// And the connection is still good.
			assert.JSONEq(t, `{"requestId":"pipe-6","name":""}`, string(c.roundTrip(invoke("pipe-6", nil)).body))
		}},
		hostileCase{"half a request line, then gone", full, func(t *testing.T, s *tcpServer) {
			before := eventCalls.Load()
			c := s.dial(t)
			c.send([]byte("POST /inv"))
			require.NoError(t, c.c.Close())
			assert.Equal(t, before, eventCalls.Load())
		}},
		hostileCase{"half the headers, then gone", full, func(t *testing.T, s *tcpServer) {
			c := s.dial(t)
			req := invoke("half-headers", []byte(`{}`))
			c.send(req[:len(req)/2])
			require.NoError(t, c.c.Close())
		}},
		hostileCase{"half the body, then gone", full, func(t *testing.T, s *tcpServer) {
			before := eventCalls.Load()
			c := s.dial(t)
			req := invoke("half-body", bytes.Repeat([]byte("h"), 1000))
			c.send(req[:len(req)-500])
			require.NoError(t, c.c.Close())
			s.assertServes(t)
			assert.Equal(t, before+1, eventCalls.Load(), "only the probe ran")
			assert.Empty(t, linesOf(s.log, "half-body"), "no invocation for a request never received")
		}},
		hostileCase{"client never reads a large response", full, func(t *testing.T, s *tcpServer) {
			before := httpCalls.Load()
			c := s.dial(t)
			c.send(rawRequest("GET", "/big", "never-reads", "/http-invoke", nil))
			recv(t, bigServed)
			// The server is now blocked writing 16 MB no one reads; others
			// are served meanwhile, on connections of their own.
			for range 3 {
				s.assertServes(t)
			}
			resp := s.dial(t).roundTrip(rawRequest("GET", "/small", "meanwhile", "/http-invoke", nil))
			assert.Equal(t, "http GET /small", string(resp.body))
			assert.Equal(t, before+2, httpCalls.Load())
			// Its end marker is written before the response, which may
			// still be on its way in.
			require.Eventually(t, func() bool { return len(linesOf(s.log, "never-reads")) == 2 }, requestTimeout, time.Millisecond)
			assertInvocationLog(t, s.log, "Invoke", "never-reads", false)
			require.NoError(t, c.c.Close())
		}},
	)

	for _, tc := range cases {
		if !t.Run(tc.name, func(t *testing.T) {
			tc.run(t, tc.srv)
			tc.srv.assertServes(t)
			assertLogWellFormed(t, tc.srv.log)
		}) {
			var b strings.Builder
			for _, l := range tc.srv.log.Lines() {
				fmt.Fprintf(&b, "%.300s\n", l)
			}
			t.Logf("log of the server (lines cut to 300 bytes):\n%s", b.String())
		}
	}
	for _, s := range []*tcpServer{full, eventOnly} {
		assert.NotContains(t, s.log.String(), "internal error", "no request broke the dispatcher")
		s.stop(t)
	}
	assertGoroutinesBackTo(t, baseline)
}

// warmUpFasthttp serves one request on a throwaway server, so that
// anything fasthttp starts once per process exists before a test takes its
// goroutine baseline.
func warmUpFasthttp(t *testing.T) {
	t.Helper()
	s := startTCP(t, fcserver.WithEvent(event.JSON(func(context.Context, hostileIn) (hostileOut, error) {
		return hostileOut{RequestID: "warm-up", Name: "probe"}, nil
	})))
	c := s.dial(t)
	assert.Equal(t, fasthttp.StatusOK, c.roundTrip(rawRequest("POST", "/invoke", "warm-up", "/invoke", nil)).status)
	s.stop(t)
}

// lingering are goroutines that outlive a stopped server by design and
// end by themselves: fasthttp's worker-pool cleaner sleeps its
// MaxIdleWorkerDuration (10 s) before it sees the pool stopped, and its
// date updater lives as long as the process.
var lingering = []string{"fasthttp.(*workerPool).Start.func2", "fasthttp.updateServerDate"}

// goroutines returns the number of goroutines other than the lingering
// ones, and a dump of them.
func goroutines() (int, string) {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var kept []string
next:
	for _, g := range strings.Split(string(buf), "\n\n") {
		for _, l := range lingering {
			if strings.Contains(g, l) {
				continue next
			}
		}
		kept = append(kept, g)
	}
	return len(kept), strings.Join(kept, "\n\n")
}

// assertGoroutinesBackTo waits, a bounded time, for the number of
// goroutines to fall back to baseline, and dumps them if it does not.
func assertGoroutinesBackTo(t *testing.T, baseline int) {
	t.Helper()
	deadline := time.Now().Add(requestTimeout)
	n, dump := goroutines()
	for n > baseline && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		n, dump = goroutines()
	}
	if n > baseline {
		t.Errorf("%d goroutines remain, %d before the test:\n%s", n, baseline, dump)
	}
}
