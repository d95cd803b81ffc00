// Package fctest tests Function Compute functions in memory, with the
// requests FC sends and the log lines FC would collect.
//
// A request built here carries the full x-fc-* header set of a real
// deployment (request id, STS credentials with a 1 KB token, function name,
// memory, timeout, region, account, qualifier, log project, tracing
// headers, control path); every header can be changed with an [Option].
// [NewServer] configures an fcserver.Server exactly as main does, with a
// logger that writes into memory, and serves it on an in-memory listener:
// each request is written as bytes on a connection of its own and the
// answer read back, as FC does, so fasthttp's limits (body size set by
// fcserver.WithMaxRequestBodySize, header size) apply as in production. No
// port is opened, so tests run in parallel and under -race; the server is
// shut down when the test ends.
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
// Not exercised: keep-alive (each request has a connection of its own),
// SIGTERM and the drain of fcserver.Run. Test those with the fcinvoke
// command, which starts the function's own process.
package fctest
