package fcserver_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/headers"
	"github.com/fcgo/fcgo/logging"
	"github.com/valyala/fasthttp"
)

// memConn is a connection whose client side is fixed in advance: reads
// return the request bytes, then end of file; writes are collected. Close
// tells the test the server is done with it.
type memConn struct {
	r      *bytes.Reader
	mu     sync.Mutex
	out    bytes.Buffer
	closed chan struct{}
	once   sync.Once
}

func newMemConn(in []byte) *memConn {
	return &memConn{r: bytes.NewReader(in), closed: make(chan struct{})}
}

func (c *memConn) Read(p []byte) (int, error) { return c.r.Read(p) }

func (c *memConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.Write(p)
}

func (c *memConn) Close() error {
	c.once.Do(func() { close(c.closed) })
	return nil
}

func (c *memConn) output() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Clone(c.out.Bytes())
}

func (c *memConn) LocalAddr() net.Addr              { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9000} }
func (c *memConn) RemoteAddr() net.Addr             { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000} }
func (c *memConn) SetDeadline(time.Time) error      { return nil }
func (c *memConn) SetReadDeadline(time.Time) error  { return nil }
func (c *memConn) SetWriteDeadline(time.Time) error { return nil }

// chanListener hands the server the connections sent on it.
type chanListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func (l *chanListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *chanListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *chanListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9000} }

// fuzzServer is one server with every kind of handler, serving the
// connections a fuzz target sends it.
type fuzzServer struct {
	ln  *chanListener
	log *syncBuffer
}

func startFuzzServer(f *testing.F) *fuzzServer {
	s := &fuzzServer{ln: &chanListener{conns: make(chan net.Conn), done: make(chan struct{})}, log: &syncBuffer{}}
	srv := fcserver.New(fcserver.WithLogger(logging.New(s.log)),
		fcserver.WithMaxRequestBodySize(4<<10),
		fcserver.WithEvent(event.JSON(func(ctx context.Context, in hostileIn) (hostileOut, error) {
			info, _ := headers.FromContext(ctx)
			switch in.Name {
			case "fail":
				return hostileOut{}, event.NewError("Failed", "asked to fail")
			case "panic":
				panic(info)
			}
			return hostileOut{RequestID: info.RequestID, Name: in.Name}, nil
		})),
		fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) {
			if string(rc.Path()) == "/panic" {
				panic("http panic")
			}
			rc.Response.Header.Set("X-Fc-Forbidden", "dropped")
			rc.SetBody(rc.Request.Body())
		}),
		fcserver.WithInitializer(func(context.Context) error { return nil }),
		fcserver.WithPreFreeze(func(context.Context) error { panic("pre-freeze panic") }),
		fcserver.WithPreStop(func(context.Context) error { return fcserver.ErrRestartInstance }))
	served := make(chan error, 1)
	go func() { served <- srv.Serve(s.ln) }()
	f.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			f.Errorf("Shutdown: %v", err)
		}
		<-served
	})
	return s
}

// serve has the server serve one connection whose client sends in and
// returns what the server wrote back.
func (s *fuzzServer) serve(t *testing.T, in []byte) []byte {
	c := newMemConn(in)
	s.ln.conns <- c
	select {
	case <-c.closed:
	case <-time.After(requestTimeout):
		t.Fatalf("the server did not finish with a connection whose input ended: %q", in)
	}
	return c.output()
}

// checkResponses checks that out is a sequence of well-formed HTTP/1.1
// responses with a valid status and a body of exactly the declared length,
// and that event answers carry a valid x-fc-status. With head, responses
// to HEAD requests may have declared a length they do not carry, so only
// the first is checked.
func checkResponses(t *testing.T, in, out []byte, head bool) int {
	br := bufio.NewReader(bytes.NewReader(out))
	var req *http.Request // a GET, for ReadResponse
	if head {
		req = &http.Request{Method: http.MethodHead} // an answer without its body
	}
	n := 0
	for {
		if _, err := br.Peek(1); errors.Is(err, io.EOF) {
			return n
		}
		resp, err := http.ReadResponse(br, req)
		if err != nil {
			t.Fatalf("response %d is not well-formed HTTP: %v\nrequest: %q\nanswer: %q", n+1, err, in, out)
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("response %d: body: %v\nrequest: %q\nanswer: %q", n+1, err, in, out)
		}
		if resp.ProtoMajor != 1 || resp.ProtoMinor != 1 {
			t.Fatalf("response %d: protocol %s", n+1, resp.Proto)
		}
		if resp.StatusCode < 100 || resp.StatusCode > 599 {
			t.Fatalf("response %d: status %d", n+1, resp.StatusCode)
		}
		if resp.StatusCode >= 200 && resp.ContentLength != int64(len(body)) && !head {
			t.Fatalf("response %d: Content-Length %d, body %d bytes", n+1, resp.ContentLength, len(body))
		}
		if v := resp.Header.Values(headers.XFCStatus); len(v) > 1 || (len(v) == 1 && v[0] != "200" && v[0] != "404") {
			t.Fatalf("response %d: x-fc-status %q", n+1, v)
		}
		for name := range resp.Header {
			if name != "X-Fc-Status" && strings.HasPrefix(name, "X-Fc-") {
				t.Fatalf("response %d: reserved header %s sent", n+1, name)
			}
		}
		n++
		if head {
			return n
		}
	}
}

// FuzzDispatch feeds arbitrary bytes to the whole server as one client
// connection: nothing may panic or hang, whatever comes back is well-formed
// HTTP, every log line is whole, and a valid request is still served
// afterwards.
func FuzzDispatch(f *testing.F) {
	invoke := func(id string, body []byte, extra ...header) []byte {
		return rawRequest("POST", "/invoke", id, "/invoke", body, extra...)
	}
	seeds := [][]byte{
		invoke("ok", []byte(`{"name":"a"}`)),
		invoke("fail", []byte(`{"name":"fail"}`)),
		invoke("panic", []byte(`{"name":"panic"}`)),
		invoke("bad-json", []byte(`{"name":`)),
		invoke("deep", bytes.Repeat([]byte("["), 3000)),
		invoke("over", bytes.Repeat([]byte("b"), 4<<10+1)),
		invoke("bad-memory", nil, header{"X-Fc-Function-Memory", "abc"}, header{"X-Fc-Function-Timeout", "99999999999999999999"}),
		invoke("id with spaces [ERROR] forged", []byte(`{"name":"a"}`)),
		invoke("over-with spaces", bytes.Repeat([]byte("b"), 4<<10+1)),
		rawRequest("GET", "/page?q=1", "http", "/http-invoke", []byte("body")),
		rawRequest("GET", "/panic", "http-panic", "/http-invoke", nil),
		rawRequest("POST", "/initialize", "init", "/initialize", nil),
		rawRequest("GET", "/pre-freeze", "freeze", "/pre-freeze", nil),
		rawRequest("GET", "/pre-stop", "stop", "/pre-stop", nil),
		rawRequest("GET", "/initialize", "wrong-method", "", nil),
		rawRequest("POST", "/", "bogus", "/bogus", nil),
		append(invoke("pipe-1", nil), rawRequest("GET", "/x", "pipe-2", "/http-invoke", nil)...),
		[]byte(strings.Replace(string(invoke("http10", nil)), "HTTP/1.1", "HTTP/1.0", 1)),
		[]byte(strings.Replace(string(invoke("chunked", nil)), "Content-Length: 0\r\n", "Transfer-Encoding: chunked\r\n", 1) + "5\r\nhello\r\n0\r\n\r\n"),
		[]byte(strings.Replace(string(invoke("cl", nil)), "Content-Length: 0", "Content-Length: -1", 1)),
		[]byte(strings.Replace(string(invoke("expect", []byte("{}"))), "Host: function\r\n", "Host: function\r\nExpect: 100-continue\r\n", 1)),
		[]byte("HEAD /x HTTP/1.1\r\nHost: f\r\nX-Fc-Control-Path: /http-invoke\r\n\r\n"),
		[]byte(strings.Replace(string(invoke("no-colon", nil)), "X-Fc-Security-Token: ", "X-Fc-Security-Token ", 1)),
		[]byte(strings.Replace(string(rawRequest("GET", "/", "dup", "/http-invoke", nil)), "Host: function\r\n", "Host: function\r\nx-fc-security-token: again\r\n", 1)),
		[]byte("POST /inv"),
		[]byte("\x00\x01\x02 garbage\r\n\r\n"),
		[]byte(""),
	}
	for _, s := range seeds {
		f.Add(s)
	}
	s := startFuzzServer(f)
	valid := invoke("after-fuzz", []byte(`{"name":"still here"}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		// Each input is judged on its own log: a failed one must not
		// leave its lines to the next (the minimiser replays inputs).
		s.log.reset()
		out := s.serve(t, in)
		checkResponses(t, in, out, bytes.Contains(in, []byte("HEAD")))

		out = s.serve(t, valid)
		if n := checkResponses(t, valid, out, false); n != 1 {
			t.Fatalf("%d answers to one valid request after %q", n, in)
		}
		if !bytes.HasPrefix(out, []byte("HTTP/1.1 200 OK\r\n")) || !bytes.HasSuffix(out, []byte(`{"requestId":"after-fuzz","name":"still here"}`)) {
			t.Fatalf("a valid request after %q is answered %q", in, out)
		}

		log := s.log.String()
		if log != "" && !strings.HasSuffix(log, "\n") {
			t.Fatalf("the log ends mid-line: %q", log)
		}
		for _, l := range s.log.Lines() {
			if !markerLine.MatchString(l) && !appLine.MatchString(l) && !strings.HasPrefix(l, "FC ") {
				t.Fatalf("malformed log line %q after %q", l, in)
			}
		}
	})
}

func (b *syncBuffer) reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Reset()
}
