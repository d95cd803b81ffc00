// Command chi is an HTTP function for Function Compute written with the chi
// router and its middleware, mounted with fcserver.WithStdHTTP (through
// httpfn.Std): r.Context() is the invocation context, carrying the FC
// metadata, the deadline and the request logger.
//
//	GET  /greet/{name}                           →  {"greeting":"hello, Ada","requestId":"…"}
//	POST /echo   (Content-Type: application/json) →  {"bytes":13,"json":{…},"requestId":"…"}
//	POST /echo   (any other type)                →  415
//	anything else                                →  404 {"error":"…","requestId":"…"}
//
// Middleware: accessLog writes one log line per request (method, path,
// status, bytes) on the invocation's logger, so it lands between FC's
// markers with the request id; middleware.StripSlashes lets /greet/Ada/
// match /greet/{name}; every answer carries X-Request-Id.
package main

import (
	"encoding/json"
	"net/http"

	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/headers"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/rs/zerolog"
)

// Greeting is the answer of GET /greet/{name}.
type Greeting struct {
	Greeting  string `json:"greeting"`
	RequestID string `json:"requestId"`
}

// Echo is the answer of POST /echo.
type Echo struct {
	Bytes     int             `json:"bytes"`
	JSON      json.RawMessage `json:"json"`
	RequestID string          `json:"requestId"`
}

// Problem is the body of an error answer.
type Problem struct {
	Error     string `json:"error"`
	RequestID string `json:"requestId"`
}

// maxEcho bounds the body of POST /echo, in bytes.
const maxEcho = 1 << 20

// router returns the function's chi router.
func router() http.Handler {
	r := chi.NewRouter()
	r.Use(accessLog, requestIDHeader, middleware.StripSlashes)
	r.Get("/greet/{name}", greet)
	r.With(middleware.AllowContentType("application/json")).Post("/echo", echo)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		reply(w, r, http.StatusNotFound, Problem{Error: "no route for " + r.Method + " " + r.URL.Path})
	})
	return r
}

// accessLog logs each request's method, path, status and response size
// once the handler has answered.
func accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		zerolog.Ctx(r.Context()).Info().
			Str("method", r.Method).Str("path", r.URL.Path).
			Int("status", ww.Status()).Int("bytes", ww.BytesWritten()).
			Msg("request")
	})
}

// requestIDHeader sets X-Request-Id to the FC request id, so a client can
// find the invocation's log lines.
func requestIDHeader(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", requestID(r))
		next.ServeHTTP(w, r)
	})
}

func greet(w http.ResponseWriter, r *http.Request) {
	reply(w, r, http.StatusOK, Greeting{Greeting: "hello, " + chi.URLParam(r, "name"), RequestID: requestID(r)})
}

func echo(w http.ResponseWriter, r *http.Request) {
	var v json.RawMessage
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxEcho))
	if err := dec.Decode(&v); err != nil {
		reply(w, r, http.StatusBadRequest, Problem{Error: "the body is not JSON: " + err.Error(), RequestID: requestID(r)})
		return
	}
	reply(w, r, http.StatusOK, Echo{Bytes: len(v), JSON: v, RequestID: requestID(r)})
}

// requestID returns the FC request id of r.
func requestID(r *http.Request) string {
	if info, ok := headers.FromContext(r.Context()); ok {
		return info.RequestID
	}
	return ""
}

// reply writes v as JSON with the status.
func reply(w http.ResponseWriter, r *http.Request, status int, v any) {
	if p, ok := v.(Problem); ok && p.RequestID == "" {
		p.RequestID = requestID(r)
		v = p
	}
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func main() {
	fcserver.Run(fcserver.WithStdHTTP(router()))
}
