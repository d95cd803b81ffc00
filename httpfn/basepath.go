package httpfn

import (
	"unsafe"

	"github.com/fcgo/fcgo/headers"
	"github.com/valyala/fasthttp"
)

// StripBasePath wraps next so that it sees the request path without the
// prefix FC added (x-fc-base-path), as on FC 2.0 default URLs such as
// /2016-08-15/proxy/<service>/<function>/users → /users.
//
// The prefix is removed only when it is a whole leading segment run of the
// path; otherwise, or when the base path is empty, the path is left as it
// is. A path equal to the base path becomes "/". The query is kept.
//
// Both views of the path change: rc.URI() (rc.Path(), what routers such as
// Fiber read) and the request line (rc.RequestURI()), and a net/http
// handler wrapped in [Std] sees the stripped path in r.URL.Path and
// r.RequestURI. The base path is read from the headers.Info of the
// invocation context, or from the header when none is attached.
// StripBasePath does not allocate.
func StripBasePath(next fasthttp.RequestHandler) fasthttp.RequestHandler {
	return func(rc *fasthttp.RequestCtx) {
		// Strip from the path as received (still percent-encoded), so that
		// SetPathBytes decodes the rest exactly once: stripping the decoded
		// path would decode it twice and turn %252F.. into a real "/..".
		if rest, ok := stripPrefix(rc.URI().PathOriginal(), basePath(rc)); ok {
			uri := rc.URI()
			if len(rest) == 0 {
				uri.SetPath("/")
			} else {
				uri.SetPathBytes(rest)
			}
			rc.Request.Header.SetRequestURIBytes(uri.RequestURI())
		}
		next(rc)
	}
}

// basePath returns the base path of the request. The string may view the
// request's header buffer: it must not outlive the call.
func basePath(rc *fasthttp.RequestCtx) string {
	if info, ok := headers.FromContext(Context(rc)); ok {
		return info.BasePath
	}
	v := rc.Request.Header.Peek(headers.XFCBasePath)
	if len(v) == 0 {
		return ""
	}
	return unsafe.String(&v[0], len(v))
}

// stripPrefix returns path without base when base is a leading run of whole
// segments of path; an empty rest stands for "/".
func stripPrefix(path []byte, base string) ([]byte, bool) {
	for len(base) > 0 && base[len(base)-1] == '/' {
		base = base[:len(base)-1]
	}
	if len(base) == 0 || len(path) < len(base) || string(path[:len(base)]) != base {
		return nil, false
	}
	rest := path[len(base):]
	if len(rest) > 0 && rest[0] != '/' {
		return nil, false
	}
	return rest, true
}
