// Package fcgo is the Go SDK for Alibaba Cloud Function Compute (FC)
// custom-runtime and custom-container functions: import it to get a
// correctly configured function server instead of hand-writing one.
//
// FC's built-in go1 runtime has an official SDK; custom runtimes and custom
// containers (any Go version, any framework, container images) have none:
// every sample hand-writes an HTTP server and gets some platform detail
// wrong — the listen address, the timeouts, x-fc-status, the log markers,
// the 32 MB body limit. fcgo gets all of them right and costs almost
// nothing over a bare fasthttp server.
//
// # Quick start
//
//	package main
//
//	import (
//		"context"
//
//		"github.com/fcgo/fcgo/event"
//		"github.com/fcgo/fcgo/fcserver"
//		"github.com/fcgo/fcgo/headers"
//		"github.com/rs/zerolog"
//	)
//
//	type Input struct{ Name string `json:"name"` }
//	type Output struct{ Greeting string `json:"greeting"` }
//
//	func greet(ctx context.Context, in Input) (Output, error) {
//		if info, ok := headers.FromContext(ctx); ok { // typed FC metadata
//			zerolog.Ctx(ctx).Info().Str("fn", info.Function.Name).Msg("greeting")
//		}
//		return Output{Greeting: "hello, " + in.Name}, nil
//	}
//
//	func main() {
//		fcserver.Run(fcserver.WithEvent(event.JSON(greet)))
//	}
//
// # Packages
//
//   - [github.com/fcgo/fcgo/fcserver]: the server, its options and Run.
//   - [github.com/fcgo/fcgo/fcserver/fctest]: in-memory tests with the
//     requests FC sends, the captured log and assertions.
//   - [github.com/fcgo/fcgo/event]: event handlers (POST /invoke) and the
//     failure contract (404, x-fc-status: 404, error JSON).
//   - [github.com/fcgo/fcgo/event/trigger]: typed payloads of the triggers
//     (OSS, MNS, Kafka, EventBridge …) for event.JSON;
//     [github.com/fcgo/fcgo/event/trigger/tablestore] decodes Tablestore's
//     CBOR.
//   - [github.com/fcgo/fcgo/httpfn]: HTTP handlers, native fasthttp or
//     net/http through httpfn.Std, base-path stripping, reserved headers.
//   - [github.com/fcgo/fcgo/headers]: the x-fc-* headers as a typed Info.
//   - [github.com/fcgo/fcgo/logging]: FC's log layout and marker lines
//     through zerolog, and a log/slog handler writing the same lines.
//   - cmd/fcinvoke: a local stand-in for FC, to invoke a function end to end.
//
// # Testing
//
// fctest drives the server main would run, in memory, with a realistic
// x-fc-* header set on every request (each header can be overridden) and
// the log captured per invocation:
//
//	func TestGreet(t *testing.T) {
//		r := fctest.InvokeEvent(t, event.JSON(greet), []byte(`{"name":"Ada"}`))
//		r.AssertSuccess(t) // 200, x-fc-status: 200, markers without error suffix
//		r.AssertLogLine(t, "INFO", "greeting")
//		fctest.InvokeEvent(t, event.JSON(greet), []byte(`{}`)).AssertErrorType(t, "InvalidName")
//	}
//
// cmd/fcinvoke does the same end to end over HTTP: it starts the function's
// command, waits for its port as FC does, sends the requests and stops it
// with SIGTERM.
//
// # Logging with zerolog or log/slog
//
// zerolog.Ctx(ctx) in a handler is the invocation's logger. For log/slog,
// logging.NewSlogHandler (or Logger.SlogHandler) writes the same lines; a
// record logged with the invocation's context (slog.InfoContext(ctx, …))
// carries its request id and lands between its markers.
//
// # Request flow
//
// For each request FC sends, the server:
//
//  1. parses the x-fc-* headers once into a headers.Info (an owned copy);
//  2. builds the invocation context: deadline = arrival +
//     x-fc-function-timeout, the Info and a request logger attached,
//     cancelled when the invocation ends;
//  3. logs "FC Invoke Start RequestId: <id>" (Initialize, PreFreeze,
//     PreStop for hooks);
//  4. dispatches on x-fc-control-path, or on method and path when the
//     header is absent: /invoke → event handler, /http-invoke → HTTP
//     handler, /initialize, /pre-freeze, /pre-stop → hooks; an unknown
//     value is answered 400;
//  5. answers: events 200 + x-fc-status: 200, or 404 + x-fc-status: 404 and
//     {"errorMessage","errorType","stackTrace"}; HTTP functions with their
//     own response (a panic answers 500); hooks 200, 404 on error, 500 for
//     fcserver.ErrRestartInstance;
//  6. logs "FC Invoke End RequestId: <id>", with ", Error: Unhandled
//     function error" when the invocation failed, and writes every line to
//     stdout before the response is sent.
//
// # Headers and fields
//
//	x-fc-request-id                          Info.RequestID
//	x-fc-access-key-id, -secret, security-token  Info.Credentials (AccessKeySecret(), SecurityToken() never print)
//	x-fc-function-name, -handler             Info.Function.Name, .Handler
//	x-fc-function-memory                     Info.Function.MemoryMB (int)
//	x-fc-function-timeout                    Info.Function.Timeout (time.Duration), and the context deadline
//	x-fc-function-initializer                Info.Function.Initializer
//	x-fc-initialization-timeout              Info.Function.InitializationTimeout
//	x-fc-instance-lifecycle-pre-*-handler    Info.Function.PreStopHandler, .PreFreezeHandler
//	x-fc-service-name, -logproject, -logstore  Info.Service.Name, .LogProject, .LogStore
//	x-fc-region, x-fc-account-id             Info.Region, Info.AccountID
//	x-fc-qualifier, x-fc-version-id          Info.Qualifier, Info.VersionID
//	x-fc-retry-count                         Info.RetryCount (int)
//	x-fc-control-path                        Info.ControlPath (headers.ControlPath)
//	x-fc-base-path, x-fc-client-ip           Info.BasePath, Info.ClientIP
//	x-fc-tracing-*                           Info.Tracing (Baggage() decodes the base64 JSON)
//	x-fc-eagleeye-*                          Info.EagleEye
//
// # Caveats
//
// Lifetimes: an event handler's payload and everything a
// *fasthttp.RequestCtx returns (Path, Body, header values) are valid only
// until the handler returns, because fasthttp reuses their memory for the
// next request on the connection; copy what you keep. A headers.Info is an
// owned copy and may be kept. Behind httpfn.Std, the *http.Request's
// strings (method, URL, headers) are owned copies too, but, as in net/http,
// its body must not be read after ServeHTTP returns. Do not use the
// *fasthttp.RequestCtx as a context.Context for deadlines: it has none; use
// httpfn.Context(rc).
//
// Logging: while invocations run one at a time, the start marker is
// written at once, so that direct prints follow it; once two have run at
// the same time, it is collected with the invocation's other lines. Those
// are written when it ends, or earlier when they are many or have waited a
// second (a timer writes them even if the invocation logs nothing more). A
// process killed mid-invocation loses at most that last second of lines,
// a collected start marker included; logging.StartMarkerAtOnce writes the
// start marker at once always, and logging.Unbuffered every line.
//
// Concurrency: FC may send up to 200 requests to one instance at once;
// handlers must be safe for concurrent use.
package fcgo
