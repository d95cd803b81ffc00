package fcserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/fcgo/fcgo/headers"
	"github.com/fcgo/fcgo/logging"
	"github.com/valyala/fasthttp"
)

// ErrServerClosed is returned by [Server.Serve] and
// [Server.ListenAndServe] after [Server.Shutdown].
var ErrServerClosed = errors.New("fcserver: server closed")

// ErrRestartInstance makes a lifecycle hook that returns (or wraps) it
// answer with status 500, which makes FC restart the instance (SPEC §4).
// Any other error answers 404: for the initializer FC retries
// initialisation; for pre-freeze and pre-stop it goes on anyway.
var ErrRestartInstance = errors.New("fcserver: restart the instance")

// Server is a Function Compute function server. Create it with [New]; its
// methods are safe for concurrent use.
type Server struct {
	cfg    config
	log    *logging.Logger
	srv    *fasthttp.Server
	closed atomic.Bool

	inflight atomic.Int64 // event and HTTP invocations running, counted only under WithMaxConcurrency

	parser   headers.Parser // shares the function's header values between requests
	rawHints rawHints       // where the last request's secret values stood in its raw header block

	mu sync.Mutex
	ln *onceCloseListener // set by Serve

	drained     chan struct{} // closed when Shutdown returns
	drainedOnce sync.Once
}

// New returns a Server configured by opts. It reads the listen port from
// the environment (FC_CUSTOM_LISTEN_PORT, then FC_SERVER_PORT, then 9000)
// unless [WithAddr] is given, and does nothing else until it serves.
func New(opts ...Option) *Server {
	c := config{
		maxBodySize:  DefaultMaxRequestBodySize,
		drainTimeout: DefaultDrainTimeout,
	}
	for _, o := range opts {
		o(&c)
	}
	if c.addr == "" {
		c.addr = "0.0.0.0:" + portFromEnv()
	}
	if c.logger == nil {
		c.logger = logging.New(os.Stdout)
	}
	if c.maxBodySize <= 0 {
		c.maxBodySize = DefaultMaxRequestBodySize
	}
	if c.drainTimeout <= 0 {
		c.drainTimeout = DefaultDrainTimeout
	}
	s := &Server{cfg: c, log: c.logger, drained: make(chan struct{})}
	s.srv = &fasthttp.Server{
		Handler:      s.handle,
		ErrorHandler: s.handleError,
		Logger:       fasthttpLogger{s.log},

		// FC keeps connections alive and an invocation may run for the
		// function's whole timeout (up to 24 h): no timeouts (SPEC §1).
		ReadTimeout:  0,
		WriteTimeout: 0,
		IdleTimeout:  0,
		TCPKeepalive: true,

		MaxRequestBodySize: c.maxBodySize,
		ReadBufferSize:     readBufferSize,

		// FC forbids Server and Date on responses; the body of an event
		// answer goes back byte for byte, with no invented Content-Type.
		NoDefaultServerHeader: true,
		NoDefaultDate:         true,
		NoDefaultContentType:  true,

		// fasthttp's error messages must not quote raw requests: they
		// carry the STS secret and token.
		SecureErrorLogMessage: true,

		DisablePreParseMultipartForm: true,
		CloseOnShutdown:              true,
	}
	return s
}

// portFromEnv returns the port FC tells the function to listen on.
func portFromEnv() string {
	for _, name := range []string{"FC_CUSTOM_LISTEN_PORT", "FC_SERVER_PORT"} {
		if p := strings.TrimSpace(os.Getenv(name)); p != "" {
			return p
		}
	}
	return DefaultPort
}

// Addr returns the address ListenAndServe listens on, or the listener's
// address once the server is serving.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln != nil {
		return s.ln.Addr().String()
	}
	return s.cfg.addr
}

// Logger returns the server's logger.
func (s *Server) Logger() *logging.Logger { return s.log }

// Handler returns the server's request handler, to serve it on a listener
// or connection of one's own, or to call it in tests. Served by a
// fasthttp.Server that streams request bodies (StreamRequestBody), it reads
// an HTTP invoke's body before calling the HTTP handler: the trailers of a
// chunked body may carry the secret headers, and are redacted only once
// read. Since the application's own code may have changed a request's
// headers before it runs, it finds the secret headers of the raw header
// block by walking every line, a little more slowly than the server's own
// handler, which knows the headers are as fasthttp read them.
func (s *Server) Handler() fasthttp.RequestHandler { return s.handleForeign }

// ListenAndServe listens on the configured address (TCP, all interfaces)
// and serves. It returns [ErrServerClosed] after Shutdown, or the error that
// stopped it.
func (s *Server) ListenAndServe() error {
	network := "tcp"
	if strings.HasPrefix(s.cfg.addr, "0.0.0.0:") {
		// Exactly what FC documents; "tcp" would open a dual-stack socket
		// and report itself as [::].
		network = "tcp4"
	}
	ln, err := net.Listen(network, s.cfg.addr)
	if err != nil {
		return fmt.Errorf("fcserver: listen on %s: %w", s.cfg.addr, err)
	}
	return s.Serve(ln)
}

// Serve accepts connections on ln and serves them until Shutdown. After
// Shutdown it returns [ErrServerClosed] once Shutdown has returned, that is
// when the in-flight invocations have finished or Shutdown's context
// ended; otherwise it returns the error that stopped it.
func (s *Server) Serve(ln net.Listener) error {
	// The check and the registration happen under s.mu, which Shutdown
	// also takes: either Shutdown sees the listener and closes it, or
	// Serve sees that the server is closed.
	s.mu.Lock()
	if s.closed.Load() {
		s.mu.Unlock()
		_ = ln.Close()
		return ErrServerClosed
	}
	oln := &onceCloseListener{Listener: ln}
	s.ln = oln
	s.mu.Unlock()
	s.log.Zerolog().Info().Str("addr", ln.Addr().String()).Msg("fcgo: function server listening")
	err := s.srv.Serve(oln)
	if s.closed.Load() {
		// fasthttp returns as soon as the listener closes; wait for the
		// drain, so that a main returning with Serve loses no invocation.
		<-s.drained
		return ErrServerClosed
	}
	return err
}

// Shutdown stops accepting connections, closes idle ones, and waits for
// in-flight invocations to finish (their answers and log lines complete)
// or for ctx to be done, whichever comes first. Serve and ListenAndServe
// return ErrServerClosed when it returns.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closed.Store(true)
	ln := s.ln
	s.mu.Unlock()
	// Serve may not have handed the listener to fasthttp yet (Run shuts
	// down at once when its context is already done): fasthttp's Shutdown
	// would then find no listener and return, and Serve would go on
	// accepting for ever. Closing it here makes that Serve return at once.
	if ln != nil {
		_ = ln.Close()
	}
	defer s.drainedOnce.Do(func() { close(s.drained) })
	return s.srv.ShutdownWithContext(ctx)
}

// onceCloseListener lets both Shutdown and fasthttp close the listener:
// the second Close does nothing and reports what the first did.
type onceCloseListener struct {
	net.Listener
	once sync.Once
	err  error
}

func (l *onceCloseListener) Close() error {
	l.once.Do(func() { l.err = l.Listener.Close() })
	return l.err
}

// fasthttpLogger sends fasthttp's own messages (connection errors) to the
// FC log without a request id. SecureErrorLogMessage keeps most request
// contents out of them; safeErrors removes the header lines fasthttp
// quotes anyway.
type fasthttpLogger struct{ l *logging.Logger }

func (f fasthttpLogger) Printf(format string, args ...any) {
	f.l.Zerolog().Warn().Msgf("fasthttp: "+format, safeErrors(args)...)
}
