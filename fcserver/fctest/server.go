package fctest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/headers"
	"github.com/fcgo/fcgo/logging"
	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"
)

// Server is an fcserver.Server whose log goes to memory, served on an
// in-memory listener (no port, no network): each request is written as
// bytes on a connection of its own and read back as FC would read it, so
// the limits fasthttp applies while reading (body and header size) hold as
// in production. Its methods are safe for concurrent use (t.Parallel
// subtests may share one Server).
type Server struct {
	ln   *fasthttputil.InmemoryListener
	log  *logging.Logger
	out  *logBuffer
	base int // where the log starts after the server's own start-up line
}

// NewServer returns a Server configured with opts, exactly as fcserver.New
// would be in main, plus a logger in the default text layout writing to
// memory (FCGO_LOG_LEVEL and FCGO_LOG_FORMAT still apply, as on FC). A
// WithLogger among opts is overridden; choose the logger's options with
// [NewServerWithLog]. When the test fails, the whole captured log is
// printed with t.Log.
func NewServer(t testing.TB, opts ...fcserver.Option) *Server {
	t.Helper()
	return NewServerWithLog(t, nil, opts...)
}

// NewServerWithLog is [NewServer] with options for the capturing logger,
// such as logging.WithFormat(logging.JSON), logging.WithLevel or
// logging.WithClock.
func NewServerWithLog(t testing.TB, logOpts []logging.Option, opts ...fcserver.Option) *Server {
	t.Helper()
	out := &logBuffer{}
	log := logging.New(out, logOpts...)
	all := append(opts[:len(opts):len(opts)], fcserver.WithLogger(log))
	srv := fcserver.New(all...)
	ln := fasthttputil.NewInmemoryListener()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	// Serve logs one line before it accepts; the function's log starts
	// after it.
	for deadline := time.Now().Add(10 * time.Second); out.Len() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("fctest: the server did not start within 10 s")
		}
	}
	s := &Server{ln: ln, log: log, out: out, base: out.Len()}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("fctest: shutting the server down: %v", err)
		}
		<-served
		if t.Failed() {
			t.Logf("fctest: the function's log:\n%s", out.String())
		}
	})
	return s
}

// Do sends req to the server on a connection of its own, as FC would, and
// returns the answer with the log lines of its request id. req is not
// modified and may be reused once Do returns. A request the server cannot
// be reached with (or whose answer cannot be read) fails with a panic
// naming the cause: it is a broken test, not a failed function.
func (s *Server) Do(req *fasthttp.Request) *Result {
	start := s.out.Len()
	conn, err := s.ln.Dial()
	if err != nil {
		panic("fctest: cannot reach the server: " + err.Error())
	}
	defer conn.Close()
	// Written while the answer is read: a server refusing a large body
	// answers before it has read it all.
	wrote := make(chan error, 1)
	go func() {
		w := bufio.NewWriter(conn)
		err := req.Write(w)
		if err == nil {
			err = w.Flush()
		}
		wrote <- err
	}()
	var resp fasthttp.Response
	resp.SkipBody = req.Header.IsHead()
	if err := resp.Read(bufio.NewReader(conn)); err != nil {
		if werr := <-wrote; werr != nil {
			err = fmt.Errorf("%w (writing the request: %v)", err, werr)
		}
		panic("fctest: no answer from the server: " + err.Error())
	}
	_ = conn.Close() // a request body the server did not read ends here

	r := &Result{
		StatusCode: resp.StatusCode(),
		Header:     http.Header{},
		Body:       bytes.Clone(resp.Body()),
		RequestID:  string(req.Header.Peek(headers.XFCRequestID)),
		kind:       kindOf(req),
	}
	if r.Body == nil {
		r.Body = []byte{}
	}
	for k, v := range resp.Header.All() {
		r.Header.Add(string(k), string(v))
	}
	if v := resp.Header.Peek(headers.XFCStatus); len(v) > 0 {
		r.FCStatus, _ = strconv.Atoi(string(v))
	}
	r.Log = invocationLines(s.out.From(start), r.RequestID)
	return r
}

// Invoke sends an event invocation with payload ([NewEventRequest]).
func (s *Server) Invoke(payload []byte, opts ...Option) *Result {
	return s.Do(NewEventRequest(payload, opts...))
}

// HTTP sends an HTTP invoke ([NewHTTPRequest]).
func (s *Server) HTTP(method, uri string, body []byte, opts ...Option) *Result {
	return s.Do(NewHTTPRequest(method, uri, body, opts...))
}

// Hook calls a lifecycle hook ([NewHookRequest]): initializer, pre-freeze
// or pre-stop.
func (s *Server) Hook(p headers.ControlPath, opts ...Option) *Result {
	return s.Do(NewHookRequest(p, opts...))
}

// Log returns everything the function has logged so far, every
// invocation's lines and the lines outside any, as one string of
// newline-ended lines. The server's own "listening" line is left out.
func (s *Server) Log() string { return s.out.From(s.base) }

// Logger returns the capturing logger, for lines outside any invocation
// (Logger().Zerolog()) or a slog handler (Logger().SlogHandler()) whose
// lines land in [Server.Log].
func (s *Server) Logger() *logging.Logger { return s.log }

// InvokeEvent runs one event invocation of h with payload on a new
// [Server].
func InvokeEvent(t testing.TB, h event.Handler, payload []byte, opts ...Option) *Result {
	t.Helper()
	return NewServer(t, fcserver.WithEvent(h)).Invoke(payload, opts...)
}

// InvokeHTTP runs one HTTP invoke of the native fasthttp handler h on a
// new [Server].
func InvokeHTTP(t testing.TB, h fasthttp.RequestHandler, method, uri string, body []byte, opts ...Option) *Result {
	t.Helper()
	return NewServer(t, fcserver.WithHTTP(h)).HTTP(method, uri, body, opts...)
}

// InvokeStd runs one HTTP invoke of the net/http handler h (through
// httpfn.Std, as fcserver.WithStdHTTP does) on a new [Server].
func InvokeStd(t testing.TB, h http.Handler, method, uri string, body []byte, opts ...Option) *Result {
	t.Helper()
	return NewServer(t, fcserver.WithStdHTTP(h)).HTTP(method, uri, body, opts...)
}

// kindOf returns the marker word FC uses for req, as fcserver dispatches
// it: by x-fc-control-path, else by method and path. "" when unknown.
func kindOf(req *fasthttp.Request) string {
	cp := headers.ParseControlPath(req.Header.Peek(headers.XFCControlPath))
	if cp == headers.ControlPathNone {
		switch m, p := string(req.Header.Method()), string(req.URI().Path()); {
		case m == fasthttp.MethodPost && p == "/initialize":
			cp = headers.ControlPathInitialize
		case m == fasthttp.MethodGet && p == "/pre-freeze":
			cp = headers.ControlPathPreFreeze
		case m == fasthttp.MethodGet && p == "/pre-stop":
			cp = headers.ControlPathPreStop
		case m == fasthttp.MethodPost && p == "/invoke":
			cp = headers.ControlPathInvoke
		default:
			cp = headers.ControlPathHTTPInvoke
		}
	}
	switch cp {
	case headers.ControlPathInvoke:
		return kindEvent
	case headers.ControlPathHTTPInvoke:
		return kindHTTP
	case headers.ControlPathInitialize:
		return logging.KindInitialize.String()
	case headers.ControlPathPreFreeze:
		return logging.KindPreFreeze.String()
	case headers.ControlPathPreStop:
		return logging.KindPreStop.String()
	}
	return ""
}

// Kinds of Result that are not hooks; both log "Invoke" markers.
const (
	kindEvent = "event"
	kindHTTP  = "http"
)

// logBuffer is the capturing logger's output.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Len()
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// From returns the log from byte offset start on.
func (l *logBuffer) From(start int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.b.Bytes()[start:])
}

// split returns the lines of s without their newlines.
func split(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
