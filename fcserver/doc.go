// Package fcserver runs a Function Compute custom-runtime or
// custom-container function: the HTTP server FC starts and talks to.
//
//	func main() {
//		fcserver.Run(fcserver.WithEvent(event.JSON(handle)))
//	}
//
// [Run] needs no configuration to be correct on FC. It listens on 0.0.0.0 at
// the port from FC_CUSTOM_LISTEN_PORT, then FC_SERVER_PORT, then 9000; sets no
// read, write or idle timeout (an invocation may legally run for hours) and
// keeps connections alive; accepts request bodies up to FC's 32 MB and
// headers beyond FC's 8 KB; and on SIGTERM or SIGINT stops accepting, lets
// in-flight invocations finish and exits 0.
//
// For every request the server parses the x-fc-* headers into a
// headers.Info, builds the invocation context (deadline = arrival +
// x-fc-function-timeout, the Info, a logger stamping the request id; it is
// cancelled when the invocation ends), logs FC's start marker, dispatches
// on x-fc-control-path (falling back to method and path when the header is
// absent) to the event handler, the HTTP handler or a lifecycle hook,
// answers with the status and x-fc-status FC expects, recovers panics, and
// writes the end marker — all log lines reach stdout before the response
// is sent.
//
// Lifecycle and protocol: https://www.alibabacloud.com/help/en/functioncompute/fc-3-0/user-guide/custom-runtime-function-instance-lifecycle
package fcserver
