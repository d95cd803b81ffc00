package fctest

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/headers"
	"github.com/fcgo/fcgo/logging"
	"github.com/valyala/fasthttp"
)

// Server is an fcserver.Server whose log goes to memory, driven without a
// network. Its methods are safe for concurrent use (t.Parallel subtests may
// share one Server); each request runs on a RequestCtx of its own.
type Server struct {
	h   fasthttp.RequestHandler
	log *logging.Logger
	out *logBuffer
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
	s := &Server{h: fcserver.New(all...).Handler(), log: log, out: out}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("fctest: the function's log:\n%s", out.String())
		}
	})
	return s
}

// Do runs req through the server's handler on an in-memory RequestCtx, as
// if FC had sent it, and returns the answer with the log lines of its
// request id. req is copied and may be reused once Do returns.
func (s *Server) Do(req *fasthttp.Request) *Result {
	start := s.out.Len()
	var rc fasthttp.RequestCtx
	rc.Init(req, nil, nil)
	s.h(&rc)

	r := &Result{
		StatusCode: rc.Response.StatusCode(),
		Header:     http.Header{},
		Body:       bytes.Clone(rc.Response.Body()),
		RequestID:  string(req.Header.Peek(headers.XFCRequestID)),
		kind:       kindOf(req),
	}
	if r.Body == nil {
		r.Body = []byte{}
	}
	for k, v := range rc.Response.Header.All() {
		r.Header.Add(string(k), string(v))
	}
	if v := rc.Response.Header.Peek(headers.XFCStatus); len(v) > 0 {
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

// Log returns everything the server has logged so far, every invocation's
// lines and the lines outside any, as one string of newline-ended lines.
func (s *Server) Log() string { return s.out.String() }

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
