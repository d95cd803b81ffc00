package fcserver

import (
	"context"
	"net/http"
	"time"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/httpfn"
	"github.com/fcgo/fcgo/logging"
	"github.com/valyala/fasthttp"
)

// Hook is a lifecycle hook: the initializer, pre-freeze or pre-stop
// handler. ctx carries the hook's deadline (when FC sends a timeout), its
// headers.Info and its logger. Return nil for success, an error for
// failure, or an error wrapping [ErrRestartInstance] to have FC restart the
// instance.
type Hook func(ctx context.Context) error

// Option configures a [Server].
type Option func(*config)

type config struct {
	event        event.Handler
	http         fasthttp.RequestHandler
	initializer  Hook
	preFreeze    Hook
	preStop      Hook
	logger       *logging.Logger
	addr         string
	maxBodySize  int
	drainTimeout time.Duration

	maxConcurrency int // see WithMaxConcurrency
}

// Defaults.
const (
	// DefaultPort is used when neither FC_CUSTOM_LISTEN_PORT nor
	// FC_SERVER_PORT is set.
	DefaultPort = "9000"
	// DefaultMaxRequestBodySize is FC's limit for synchronous invocations
	// (32 MB). FC rejects larger bodies before they reach the function.
	DefaultMaxRequestBodySize = 32 << 20
	// DefaultDrainTimeout bounds how long Run waits for in-flight
	// invocations after SIGTERM.
	DefaultDrainTimeout = 30 * time.Second
	// readBufferSize bounds the request line and headers: FC's 8 KB of
	// headers (a 1 KB STS token among them) plus the client's own on HTTP
	// invokes. fasthttp's default (4 KB) would answer 431 to real requests.
	readBufferSize = 32 << 10
)

// WithEvent sets the handler of event invocations (POST /invoke): API
// calls, SDK invocations and every event trigger.
func WithEvent(h event.Handler) Option { return func(c *config) { c.event = h } }

// WithHTTP sets the native fasthttp handler of HTTP invokes (HTTP
// triggers, custom domains). A Fiber app mounts as WithHTTP(app.Handler()).
// In the handler, headers.FromContext(rc) and zerolog.Ctx(rc) work on the
// RequestCtx, and httpfn.Context(rc) returns the invocation context with
// the FC deadline.
func WithHTTP(h fasthttp.RequestHandler) Option { return func(c *config) { c.http = h } }

// WithStdHTTP sets a net/http handler (http.ServeMux, chi, gin, echo …) as
// the handler of HTTP invokes, through [httpfn.Std]. r.Context() is the
// invocation context.
func WithStdHTTP(h http.Handler) Option { return WithHTTP(httpfn.Std(h)) }

// WithInitializer sets the initializer hook (POST /initialize), which FC
// calls once per instance before its first invocation, when an initializer
// is configured for the function.
func WithInitializer(h Hook) Option { return func(c *config) { c.initializer = h } }

// WithPreFreeze sets the pre-freeze hook (GET /pre-freeze, FC 2.0), called
// before the instance is frozen between invocations.
func WithPreFreeze(h Hook) Option { return func(c *config) { c.preFreeze = h } }

// WithPreStop sets the pre-stop hook (GET /pre-stop), called before the
// instance is destroyed; close connections and flush data here.
func WithPreStop(h Hook) Option { return func(c *config) { c.preStop = h } }

// WithLogger sets where log lines and markers go, their layout and level.
// Default: logging.New(os.Stdout), configurable through FCGO_LOG_LEVEL and
// FCGO_LOG_FORMAT.
func WithLogger(l *logging.Logger) Option { return func(c *config) { c.logger = l } }

// WithAddr sets the address ListenAndServe and Run listen on, overriding
// the port from the environment. Default "0.0.0.0:" + the port from
// FC_CUSTOM_LISTEN_PORT, FC_SERVER_PORT or 9000 (all interfaces: FC cannot
// reach a server that listens on 127.0.0.1).
func WithAddr(addr string) Option { return func(c *config) { c.addr = addr } }

// WithMaxRequestBodySize sets the largest request body accepted, in bytes;
// larger ones are answered 413 (an event invocation also with x-fc-status:
// 404 and errorType "PayloadTooLarge", so that FC records the failure).
// Default [DefaultMaxRequestBodySize].
func WithMaxRequestBodySize(n int) Option { return func(c *config) { c.maxBodySize = n } }

// WithDrainTimeout sets how long Run waits for in-flight invocations after
// SIGTERM or SIGINT before it exits anyway. Default [DefaultDrainTimeout];
// zero or less means the default.
func WithDrainTimeout(d time.Duration) Option { return func(c *config) { c.drainTimeout = d } }
