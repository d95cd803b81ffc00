package httpfn

import (
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
func StripBasePath(next fasthttp.RequestHandler) fasthttp.RequestHandler {
	return func(rc *fasthttp.RequestCtx) {
		base := basePath(rc)
		if rest, ok := stripPrefix(rc.Path(), base); ok {
			rc.URI().SetPathBytes(rest)
		}
		next(rc)
	}
}

func basePath(rc *fasthttp.RequestCtx) []byte {
	if info, ok := headers.FromContext(Context(rc)); ok {
		return []byte(info.BasePath)
	}
	return rc.Request.Header.Peek(headers.XFCBasePath)
}

// stripPrefix returns path without base when base is a leading run of whole
// segments of path.
func stripPrefix(path, base []byte) ([]byte, bool) {
	for len(base) > 0 && base[len(base)-1] == '/' {
		base = base[:len(base)-1]
	}
	if len(base) == 0 || len(path) < len(base) || string(path[:len(base)]) != string(base) {
		return nil, false
	}
	rest := path[len(base):]
	if len(rest) == 0 {
		return []byte("/"), true
	}
	if rest[0] != '/' {
		return nil, false
	}
	return rest, true
}
