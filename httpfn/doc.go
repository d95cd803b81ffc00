// Package httpfn adapts HTTP handlers to Function Compute HTTP invokes: the
// requests FC forwards from an HTTP trigger or a custom domain with the
// client's own method, path, query, headers and body (SPEC §2).
//
// Native handlers are plain fasthttp.RequestHandler functions, so a Fiber
// app's app.Handler() mounts as it is. [Std] runs a net/http handler (the
// standard ServeMux, chi, gin, echo …); its r.Context() is the invocation
// context, with the FC deadline, the headers.Info and the request logger.
// In a native handler, [Context] returns the same context. Std builds r from
// owned copies, so its strings may be kept after the handler returns (its
// body may not), and it leaves the STS secret headers out of r.Header.
//
// [StripBasePath] removes the prefix FC adds on FC 2.0 default URLs
// (x-fc-base-path); it is opt-in because one FC 3.0 deployment sends the
// whole request path as its base path. [SanitizeResponse] drops the
// response headers FC forbids (SPEC §4); the server calls it after every
// HTTP invoke.
//
// HTTP trigger documentation:
// https://www.alibabacloud.com/help/en/functioncompute/fc-3-0/user-guide/http-triggers-overview
package httpfn
