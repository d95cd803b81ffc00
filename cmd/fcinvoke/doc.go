// Command fcinvoke is a local stand-in for Alibaba Cloud Function Compute
// (FC): it sends a function server the same HTTP/1.1 requests FC sends to a
// custom runtime or custom container, so a function can be tried out and
// scripted against without deploying it.
//
// Install it with
//
//	go install github.com/fcgo/fcgo/cmd/fcinvoke@latest
//
// # Target
//
// fcinvoke either talks to a server that is already running,
//
//	fcinvoke -url http://127.0.0.1:9000 -event '{"name":"Ada"}'
//
// (without -url and without a command the target is
// http://127.0.0.1:$FC_CUSTOM_LISTEN_PORT, else http://127.0.0.1:$FC_SERVER_PORT,
// else http://127.0.0.1:9000), or it starts the server itself from the
// command given after "--":
//
//	fcinvoke -event '{"name":"Ada"}' -- go run ./examples/hello
//
// In the second form fcinvoke picks a free loopback port, passes it to the
// command in FC_CUSTOM_LISTEN_PORT and FC_SERVER_PORT (plus a few of the
// other FC_* variables an instance sees, unless they are already set), and
// waits up to -wait (default 120s, as FC does) for the port to accept a TCP
// connection. The command runs in its own process group with stdin closed;
// everything it writes to stdout or stderr goes to fcinvoke's stderr, so that
// fcinvoke's stdout holds only the function's answer. When done, fcinvoke sends
// SIGTERM to the whole process group (so that the server started by "go run"
// gets it too), waits up to 10 seconds for the group to exit, then sends
// SIGKILL. A non-zero exit status of the command is reported on stderr.
// On Linux fcinvoke also warns when the server listens on 127.0.0.1 only:
// on FC such a server never receives a request (it must listen on 0.0.0.0).
//
// # Requests
//
// By default fcinvoke makes an event invocation: POST /invoke with
// x-fc-control-path: /invoke, Content-Type: application/octet-stream and the
// payload as the body. The payload comes from -event, from -event-file (a
// path, or "-" for stdin) or, when neither is given and stdin is not a
// terminal, from stdin:
//
//	echo '{"name":"Ada"}' | fcinvoke -- ./bootstrap
//
// With -http it makes an HTTP invocation instead (x-fc-control-path:
// /http-invoke), as an HTTP trigger would:
//
//	fcinvoke -http -method POST -path /users -query 'debug=1' \
//		-H 'Content-Type: application/json' -body '{"name":"Ada"}' -- go run ./examples/http
//
// The HTTP body comes from -body or -body-file (a path, or "-" for stdin);
// stdin is not read otherwise.
//
// -init calls the initializer (POST /initialize) before the invocation;
// -prefreeze (GET /pre-freeze) and -prestop (GET /pre-stop) call those hooks
// after it, in that order. An initializer that fails stops the run before
// the invocation.
//
// Every request carries the full set of x-fc-* headers FC sends (request id,
// fake local STS credentials, function name, handler, memory, timeout,
// region, account id, qualifier, tracing headers and so on). Any of them, and
// any other request header, can be replaced with -H 'Name: value' (the name
// is matched case-insensitively; -H may be repeated).
//
// # Flags
//
//	-url URL           server to call (not together with a command)
//	-wait DURATION     how long a started command may take to listen (default 120s)
//	-event STRING      event payload
//	-event-file PATH   event payload file ("-" = stdin)
//	-http              make an HTTP invocation instead of an event invocation
//	-method METHOD     HTTP method (default GET)
//	-path PATH         HTTP path (default /)
//	-query QUERY       raw HTTP query string, without "?"
//	-body STRING       HTTP request body
//	-body-file PATH    HTTP request body file ("-" = stdin)
//	-H 'Name: value'   request header, repeatable; overrides x-fc-* headers too
//	-init              call the initializer first
//	-prefreeze         call the pre-freeze hook after the invocation
//	-prestop           call the pre-stop hook after the invocation
//	-request-id ID     request id of the invocation (default: random, FC 3.0 form)
//	-timeout SECONDS   function timeout sent in x-fc-function-timeout and
//	                   x-fc-initialization-timeout (default 60, at most 86400)
//	-function NAME     function name (default: derived from the command, or my-function)
//	-v                 print response status lines and headers to stderr
//
// # Output and exit status
//
// The invocation's response body is written to stdout byte for byte (with -v
// a newline is added when the body does not end in one). With -v the
// status line and headers of every response are written to stderr first.
// Hook answers never go to stdout: their bodies are written to stderr with
// -v, or when the hook failed.
// For every request a summary line goes to stderr:
//
//	fcinvoke: invoke status=200 x-fc-status=200 duration=3ms
//
// (x-fc-status=- means the response had no such header). The exit status is
//
//	0    success
//	1    the function failed: an event invocation answered with a status
//	     other than 200 or an x-fc-status other than 200; a hook answered
//	     with a non-2xx status; an HTTP invocation answered with a 5xx status
//	2    usage error
//	3    the function could not be reached or started
//	130  interrupted (SIGINT or SIGTERM)
//
// As on FC, an event invocation answered with status 200 and no x-fc-status
// header counts as a success; fcinvoke prints a warning for it.
//
// Requests share one keep-alive connection, as FC's do. The only client-side
// time limit is the function timeout plus 30 seconds.
package main
