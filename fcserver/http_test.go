package fcserver_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/headers"
	"github.com/fcgo/fcgo/httpfn"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
)

// seenRequest is what an HTTP handler observed, sent back to the test.
type seenRequest struct {
	method, path, query, body, accept string
	infoOK                            bool
	requestID, functionName           string
	deadline                          time.Time
	hasDeadline                       bool
	ctx                               context.Context
}

func TestHTTPNativeHandler(t *testing.T) {
	seen := make(chan seenRequest, 1)
	h := start(t, fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) {
		s := seenRequest{
			method: string(rc.Method()),
			path:   string(rc.Path()),
			query:  string(rc.QueryArgs().QueryString()),
			body:   string(rc.PostBody()),
			accept: string(rc.Request.Header.Peek("Accept")),
			ctx:    httpfn.Context(rc),
		}
		info, ok := headers.FromContext(rc)
		s.infoOK = ok
		if ok {
			s.requestID, s.functionName = info.RequestID, info.Function.Name
		}
		s.deadline, s.hasDeadline = httpfn.Context(rc).Deadline()
		zerolog.Ctx(rc).Info().Str("path", s.path).Msg("native handler")
		seen <- s

		rc.SetStatusCode(fasthttp.StatusCreated)
		rc.Response.Header.Set("X-Custom", "yes")
		rc.SetContentType("application/json")
		rc.SetBodyString(`{"id":42,"created":true}`)
	}))

	before := time.Now()
	req := newRequest("PUT", "/users/42?x=1&y=two", "http-native", "/http-invoke", []byte("hello body"),
		header{"Accept", "application/json"}, header{"X-Fc-Function-Timeout", "5"})
	resp := h.do(t, req)
	s := recv(t, seen)

	assert.Equal(t, fasthttp.StatusCreated, resp.StatusCode())
	assert.Equal(t, "yes", string(resp.Header.Peek("X-Custom")))
	assert.Equal(t, "application/json", string(resp.Header.ContentType()))
	assert.JSONEq(t, `{"id":42,"created":true}`, string(resp.Body()))
	assert.Empty(t, resp.Header.Peek("x-fc-status"), "HTTP invokes answer with the function's own status")

	assert.Equal(t, "PUT", s.method)
	assert.Equal(t, "/users/42", s.path)
	assert.Equal(t, "x=1&y=two", s.query)
	assert.Equal(t, "hello body", s.body)
	assert.Equal(t, "application/json", s.accept)
	assert.True(t, s.infoOK, "headers.FromContext(rc)")
	assert.Equal(t, "http-native", s.requestID)
	assert.Equal(t, "greet", s.functionName)
	assert.True(t, s.hasDeadline, "httpfn.Context(rc) carries the FC deadline")
	assert.WithinDuration(t, before.Add(5*time.Second), s.deadline, time.Second)
	assert.ErrorIs(t, s.ctx.Err(), context.Canceled, "the invocation context ends with the invocation")

	assertInvocationLog(t, h.log, "Invoke", "http-native", false, "http-native [INFO] native handler path=/users/42")
}

func TestHTTPStdHandler(t *testing.T) {
	seen := make(chan seenRequest, 1)
	h := start(t, fcserver.WithStdHTTP(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ctx := r.Context()
		s := seenRequest{
			method: r.Method,
			path:   r.URL.Path,
			query:  r.URL.RawQuery,
			body:   string(body),
			accept: r.Header.Get("Accept"),
			ctx:    ctx,
		}
		info, ok := headers.FromContext(ctx)
		s.infoOK = ok
		if ok {
			s.requestID, s.functionName = info.RequestID, info.Function.Name
		}
		s.deadline, s.hasDeadline = ctx.Deadline()
		zerolog.Ctx(ctx).Warn().Str("method", r.Method).Msg("std handler")
		seen <- s

		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Custom", "std")
		w.WriteHeader(http.StatusAccepted)
		_ = json.NewEncoder(w).Encode(map[string]any{"path": r.URL.Path, "q": r.URL.Query().Get("q")})
	})))

	before := time.Now()
	req := newRequest("POST", "/search?q=fc", "http-std", "/http-invoke", []byte(`{"k":"v"}`),
		header{"Accept", "application/json"}, header{"X-Fc-Function-Timeout", "7"})
	resp := h.do(t, req)
	s := recv(t, seen)

	assert.Equal(t, fasthttp.StatusAccepted, resp.StatusCode())
	assert.Equal(t, "std", string(resp.Header.Peek("X-Custom")))
	assert.Equal(t, "application/json", string(resp.Header.ContentType()))
	assert.JSONEq(t, `{"path":"/search","q":"fc"}`, string(resp.Body()))

	assert.Equal(t, "POST", s.method)
	assert.Equal(t, "/search", s.path)
	assert.Equal(t, "q=fc", s.query)
	assert.Equal(t, `{"k":"v"}`, s.body)
	assert.Equal(t, "application/json", s.accept)
	assert.True(t, s.infoOK, "headers.FromContext(r.Context())")
	assert.Equal(t, "http-std", s.requestID)
	assert.Equal(t, "greet", s.functionName)
	assert.True(t, s.hasDeadline, "r.Context() carries the FC deadline")
	assert.WithinDuration(t, before.Add(7*time.Second), s.deadline, time.Second)
	assert.ErrorIs(t, s.ctx.Err(), context.Canceled, "r.Context() ends with the invocation")

	assertInvocationLog(t, h.log, "Invoke", "http-std", false, "http-std [WARN] std handler method=POST")
}

func TestHTTPReservedResponseHeaders(t *testing.T) {
	// What a handler may not send (SPEC §4), and what it may.
	forbidden := []header{
		{"X-Fc-Foo", "bar"},
		{"X-Fc-Request-Id", "forged"},
		{"Connection", "close"},
		{"Keep-Alive", "timeout=5"},
		{"Server", "my-server/1.0"},
		{"Date", "Mon, 02 Jan 2006 15:04:05 GMT"},
		{"Content-Disposition", "attachment; filename=report.csv"},
	}
	allowed := []header{
		{"X-Fc-Status", "200"},
		{"X-Allowed", "yes"},
	}
	handlers := map[string]fcserver.Option{
		"native": fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) {
			for _, hd := range append(append([]header(nil), forbidden...), allowed...) {
				rc.Response.Header.Set(hd.name, hd.value)
			}
			rc.SetBodyString("ok")
		}),
		"std": fcserver.WithStdHTTP(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			for _, hd := range append(append([]header(nil), forbidden...), allowed...) {
				w.Header().Set(hd.name, hd.value)
			}
			_, _ = io.WriteString(w, "ok")
		})),
	}
	for name, opt := range handlers {
		t.Run(name, func(t *testing.T) {
			h := start(t, opt)
			conn := h.dialRaw(t)
			id := "reserved-" + name

			resp := conn.roundTrip(rawRequest("GET", "/download", id, "/http-invoke", nil))

			assert.Equal(t, fasthttp.StatusOK, resp.status)
			assert.Equal(t, "ok", string(resp.body))
			for _, hd := range forbidden {
				assert.Empty(t, resp.get(hd.name), "%s must not be sent", hd.name)
			}
			assert.Equal(t, []string{"200"}, resp.get("x-fc-status"), "x-fc-status is allowed")
			assert.Equal(t, []string{"yes"}, resp.get("X-Allowed"))

			var warned []string
			for _, l := range linesOf(h.log, id) {
				if strings.HasPrefix(l, id+" [WARN] ") {
					warned = append(warned, strings.TrimPrefix(l, id+" [WARN] "))
				}
			}
			var want []string
			for _, hd := range forbidden {
				if hd.name == "Date" && name == "native" {
					// fasthttp discards a Date set on its response (it
					// manages Date itself, here disabled), so it never
					// reaches the sanitizer and draws no warning; Std
					// sees it in the net/http header map and warns.
					continue
				}
				want = append(want, "httpfn: dropped a response header that FC does not allow header="+hd.name)
			}
			assert.ElementsMatch(t, want, warned, "one WARN line per dropped header")
			assert.Equal(t, endLine("Invoke", id), last(linesOf(h.log, id)), "dropping headers is not a failure")

			// Connection: close was dropped, so the connection stays open.
			again := conn.roundTrip(rawRequest("GET", "/download", id+"-again", "/http-invoke", nil))
			assert.Equal(t, fasthttp.StatusOK, again.status)
		})
	}
}

func TestHTTPInlineContentDispositionKept(t *testing.T) {
	h := start(t, fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) {
		rc.Response.Header.Set("Content-Disposition", `inline; filename="a.pdf"`)
		rc.SetBodyString("pdf")
	}))

	resp := h.do(t, newRequest("GET", "/a.pdf", "inline-cd", "/http-invoke", nil))

	assert.Equal(t, fasthttp.StatusOK, resp.StatusCode())
	assert.Equal(t, `inline; filename="a.pdf"`, string(resp.Header.Peek("Content-Disposition")))
	assertInvocationLog(t, h.log, "Invoke", "inline-cd", false)
}

func TestHTTPPanic(t *testing.T) {
	handlers := map[string]fcserver.Option{
		"native": fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) {
			if string(rc.Path()) == "/ok" {
				rc.SetBodyString("fine")
				return
			}
			rc.Response.Header.Set("X-Partial", "yes")
			rc.SetStatusCode(fasthttp.StatusTeapot)
			rc.SetBodyString("half a response")
			panic("native handler exploded")
		}),
		"std": fcserver.WithStdHTTP(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/ok" {
				_, _ = io.WriteString(w, "fine")
				return
			}
			w.Header().Set("X-Partial", "yes")
			w.WriteHeader(http.StatusTeapot)
			_, _ = io.WriteString(w, "half a response")
			panic("std handler exploded")
		})),
	}
	for name, opt := range handlers {
		t.Run(name, func(t *testing.T) {
			h := start(t, opt)
			conn := h.dialRaw(t)
			id := "http-panic-" + name

			resp := conn.roundTrip(rawRequest("GET", "/boom", id, "/http-invoke", nil))

			assert.Equal(t, fasthttp.StatusInternalServerError, resp.status)
			assert.Equal(t, "Internal Server Error\n", string(resp.body))
			assert.Empty(t, resp.get("X-Partial"), "nothing of the panicked response is sent")
			assert.Empty(t, resp.get("x-fc-status"))

			lines := linesOf(h.log, id)
			require.Len(t, lines, 3, "start, error, end: %q", lines)
			assert.Equal(t, startLine("Invoke", id), lines[0])
			assert.True(t, strings.HasPrefix(lines[1],
				id+" [ERROR] HTTP handler panicked errorType=Panic errorMessage=\""+name+" handler exploded\" stackTrace=["),
				"error line %q", lines[1])
			assert.Equal(t, failedEndLine("Invoke", id), lines[2])

			// The connection and the server keep serving.
			again := conn.roundTrip(rawRequest("GET", "/ok", id+"-next", "/http-invoke", nil))
			assert.Equal(t, fasthttp.StatusOK, again.status)
			assert.Equal(t, "fine", string(again.body))
			assertInvocationLog(t, h.log, "Invoke", id+"-next", false)
		})
	}
}
