// Package fctest tests Function Compute functions in memory, with the
// requests FC sends and the log lines FC would collect.
//
// A request built here carries the full x-fc-* header set of a real
// deployment (request id, STS credentials with a 1 KB token, function name,
// memory, timeout, region, account, qualifier, log project, tracing
// headers, control path); every header can be changed with an [Option].
// [NewServer] configures an fcserver.Server exactly as main does, with a
// logger that writes into memory, and runs requests through
// Server.Handler on an in-memory fasthttp.RequestCtx: no port is opened,
// so tests run in parallel and under -race with nothing to clean up.
//
//	func TestGreet(t *testing.T) {
//		r := fctest.InvokeEvent(t, event.JSON(greet), []byte(`{"name":"Ada"}`))
//		r.AssertSuccess(t)
//		assert.JSONEq(t, `{"greeting":"hello, Ada"}`, string(r.Body))
//		r.AssertLogLine(t, "INFO", "greeting")
//	}
//
// A [Result] holds the answer (status, x-fc-status, headers, body) and the
// lines this invocation logged: its start and end markers and its
// application lines, picked out of the shared log by request id. The
// Assert methods check what FC depends on (status codes, x-fc-status, the
// errorType of the failure body, the markers and their failure suffix) and
// report through testify's assert: they mark the test failed and return
// false, without stopping it.
//
// What the in-memory path does not exercise: the limits fasthttp applies
// while reading a request from a connection (body size set by
// fcserver.WithMaxRequestBodySize, header size), connection handling and
// shutdown. Test those over a listener (fasthttputil.NewInmemoryListener
// with Server.Serve) or with the fcinvoke command.
package fctest
