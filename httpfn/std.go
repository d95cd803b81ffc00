package httpfn

import (
	"bytes"
	"net/http"
	"sync"

	"github.com/rs/zerolog"

	"github.com/valyala/fasthttp"
)

// Std adapts a net/http handler (http.ServeMux, chi, gin, echo …) to a
// fasthttp.RequestHandler that runs it for HTTP invokes.
//
// The handler runs on the request's goroutine, so a panic reaches the
// server, which answers 500 and marks the invocation failed. r.Context() is
// the invocation context ([Context]): headers.FromContext, zerolog.Ctx and
// the FC deadline all work on it. The response is buffered and sent when
// ServeHTTP returns; http.Flusher and http.Hijacker are not supported,
// since FC forwards a complete response.
//
// The request is built much as net/http's server builds it: r.Host is the Host
// header (which is not in r.Header), header names are canonical and
// repeated headers keep all their values in order, r.RequestURI and r.URL
// carry the path as the chain of handlers left it (so a handler wrapped in
// [StripBasePath] sees the stripped path), r.Close reports a connection
// that closes after the request (Connection: close, or HTTP/1.0 without
// keep-alive), and a chunked request has r.ContentLength -1 and
// r.TransferEncoding ["chunked"]. The path is the one fasthttp normalised,
// as native handlers see it: "//a/../b" arrives as "/b" and "%2F" as "/"
// (so r.URL.RawPath is empty).
//
// It is built from fasthttp's parsed view of the request, which differs
// from net/http's in a few corners: an HTTP/1.0 request without keep-alive
// carries a Connection: close header; several Cookie lines arrive merged
// into one, re-encoded (quotes around values dropped); a repeated
// Content-Type or User-Agent keeps only its last value; a Trailer header
// fills r.Trailer even on a request that is not chunked; an absolute-form
// request URI loses its scheme and host (r.Host is the Host header); and
// "OPTIONS *" arrives with the path "/*".
//
// The credentials headers, x-fc-access-key-secret and x-fc-security-token,
// are left out of r.Header (whatever their case), so that middleware that
// prints headers (httputil.DumpRequest, request loggers) cannot print the
// function's STS secrets. Handlers get them from the Credentials field of
// headers.FromContext(r.Context()), which redacts them when printed.
//
// Lifetime: every string of r (method, URI, URL, host, remote address,
// header names and values) is an owned copy, safe to keep after ServeHTTP
// returns and to hand to other goroutines. The body is not: as with
// net/http, r.Body must not be read after ServeHTTP returns. It reads the
// request's buffer in place, and it is closed when ServeHTTP returns (Close
// waits for a read in progress), so a late read fails with
// http.ErrBodyReadAfterClose. Copy what must outlive
// the call. An empty body is http.NoBody.
//
// Cost: the conversion copies the request line, the host, the remote
// address and all headers into one buffer, and allocates the header map
// (4 allocations for a full FC header set), the values' backing slice, the
// URL, the *http.Request and, for a request with a body, the body reader.
// Measured for a realistic FC HTTP invoke (34 headers with a 1 KB security
// token; TestStdAllocs, go1.26 linux/amd64): 8 allocations per GET, 9 per
// POST with a body, where fasthttpadaptor.ConvertRequest took dozens (51
// and 53). A native fasthttp handler pays none of them.
func Std(h http.Handler) fasthttp.RequestHandler {
	return func(rc *fasthttp.RequestCtx) {
		var r http.Request
		body, err := newRequest(rc, &r)
		if err != nil {
			rc.Error("httpfn: cannot convert the request for net/http: "+err.Error(), fasthttp.StatusBadRequest)
			return
		}
		if body != nil {
			defer body.Close()
		}
		w := acquireWriter()
		defer releaseWriter(w)
		h.ServeHTTP(w, r.WithContext(Context(rc)))

		resp := &rc.Response
		resp.SetStatusCode(w.statusCode())
		if _, ok := w.header["Date"]; ok {
			// fasthttp discards a Date set on its response without a
			// trace; FC forbids it anyway (SPEC §4): say so, as
			// SanitizeResponse does for the other reserved headers.
			delete(w.header, "Date")
			warnDropped(zerolog.Ctx(Context(rc)), "Date")
		}
		for k, vs := range w.header {
			for _, v := range vs {
				resp.Header.Add(k, v)
			}
		}
		if _, ok := w.header["Content-Type"]; !ok && w.body.Len() > 0 {
			// As net/http does when the handler sets no Content-Type.
			resp.Header.SetContentType(http.DetectContentType(w.body.Bytes()))
		}
		resp.SetBody(w.body.Bytes())
	}
}

// responseWriter buffers a net/http response.
type responseWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

var writerPool = sync.Pool{New: func() any { return &responseWriter{header: make(http.Header)} }}

func acquireWriter() *responseWriter { return writerPool.Get().(*responseWriter) }

func releaseWriter(w *responseWriter) {
	clear(w.header)
	w.status = 0
	if w.body.Cap() > 1<<20 {
		w.body = bytes.Buffer{}
	}
	w.body.Reset()
	writerPool.Put(w)
}

func (w *responseWriter) Header() http.Header { return w.header }

func (w *responseWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *responseWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(p)
}

// WriteString spares io.WriteString (and fmt.Fprint) a copy of s, as
// net/http's own response writer does.
func (w *responseWriter) WriteString(s string) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.WriteString(s)
}

func (w *responseWriter) statusCode() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}
