package httpfn

import (
	"bytes"
	"net/http"
	"sync"

	"github.com/rs/zerolog"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"
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
// Converting each request to net/http costs a few allocations that a native
// fasthttp handler does not pay.
func Std(h http.Handler) fasthttp.RequestHandler {
	return func(rc *fasthttp.RequestCtx) {
		var r http.Request
		if err := fasthttpadaptor.ConvertRequest(rc, &r, true); err != nil {
			rc.Error("httpfn: cannot convert the request for net/http: "+err.Error(), fasthttp.StatusBadRequest)
			return
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

func (w *responseWriter) statusCode() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}
