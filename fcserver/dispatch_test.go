package fcserver_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
)

// recorder configures every kind of handler; each records its name, so a
// test can tell which one a request reached.
type recorder struct{ calls chan string }

func newRecorder() *recorder { return &recorder{calls: make(chan string, 16)} }

func (r *recorder) options() []fcserver.Option {
	hook := func(name string) fcserver.Hook {
		return func(context.Context) error { r.calls <- name; return nil }
	}
	return []fcserver.Option{
		fcserver.WithEvent(event.HandlerFunc(func(context.Context, []byte) ([]byte, error) {
			r.calls <- "event"
			return []byte("event"), nil
		})),
		fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) {
			r.calls <- "http " + string(rc.Method()) + " " + string(rc.Path())
			rc.SetBodyString("http")
		}),
		fcserver.WithInitializer(hook("initialize")),
		fcserver.WithPreFreeze(hook("pre-freeze")),
		fcserver.WithPreStop(hook("pre-stop")),
	}
}

func TestDispatch(t *testing.T) {
	rec := newRecorder()
	h := start(t, rec.options()...)

	tests := []struct {
		name        string
		method      string
		path        string
		controlPath string
		wantCall    string
		wantKind    string // word in the marker lines
		wantBody    string
	}{
		// As FC sends them: path and header agree.
		{"invoke", "POST", "/invoke", "/invoke", "event", "Invoke", "event"},
		{"http-invoke", "GET", "/users/7", "/http-invoke", "http GET /users/7", "Invoke", "http"},
		{"initialize", "POST", "/initialize", "/initialize", "initialize", "Initialize", ""},
		{"pre-freeze", "GET", "/pre-freeze", "/pre-freeze", "pre-freeze", "PreFreeze", ""},
		{"pre-stop", "GET", "/pre-stop", "/pre-stop", "pre-stop", "PreStop", ""},

		// One emulator posts every kind to one path: the header decides.
		{"header only invoke", "POST", "/", "/invoke", "event", "Invoke", "event"},
		{"header only http-invoke", "POST", "/", "/http-invoke", "http POST /", "Invoke", "http"},
		{"header only initialize", "POST", "/", "/initialize", "initialize", "Initialize", ""},
		{"header only pre-freeze", "POST", "/", "/pre-freeze", "pre-freeze", "PreFreeze", ""},
		{"header only pre-stop", "POST", "/", "/pre-stop", "pre-stop", "PreStop", ""},

		// Another posts with no control-path header: method and path decide.
		{"path only invoke", "POST", "/invoke", "", "event", "Invoke", "event"},
		{"path only initialize", "POST", "/initialize", "", "initialize", "Initialize", ""},
		{"path only pre-freeze", "GET", "/pre-freeze", "", "pre-freeze", "PreFreeze", ""},
		{"path only pre-stop", "GET", "/pre-stop", "", "pre-stop", "PreStop", ""},
		{"path only other path", "GET", "/healthz", "", "http GET /healthz", "Invoke", "http"},
		{"path only root", "POST", "/", "", "http POST /", "Invoke", "http"},
		{"path only invoke with GET", "GET", "/invoke", "", "http GET /invoke", "Invoke", "http"},
		{"path only pre-stop with POST", "POST", "/pre-stop", "", "http POST /pre-stop", "Invoke", "http"},

		// An HTTP function may own POST /invoke itself: the header wins.
		{"http-invoke on /invoke", "POST", "/invoke", "/http-invoke", "http POST /invoke", "Invoke", "http"},
		{"http-invoke on /initialize", "POST", "/initialize", "/http-invoke", "http POST /initialize", "Invoke", "http"},
		{"invoke header on another path", "POST", "/somewhere", "/invoke", "event", "Invoke", "event"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id := fmt.Sprintf("dispatch-%02d", i)
			resp := h.do(t, newRequest(tc.method, tc.path, id, tc.controlPath, []byte("payload")))

			assert.Equal(t, fasthttp.StatusOK, resp.StatusCode())
			assert.Equal(t, tc.wantBody, string(resp.Body()))
			assert.Equal(t, tc.wantCall, recv(t, rec.calls), "handler reached")
			if tc.wantCall == "event" {
				assert.Equal(t, "200", string(resp.Header.Peek("x-fc-status")))
			}
			assertInvocationLog(t, h.log, tc.wantKind, id, false)
		})
	}
	assert.Empty(t, rec.calls, "no handler ran twice")
}

func TestDispatchUnknownControlPath(t *testing.T) {
	rec := newRecorder()
	h := start(t, rec.options()...)
	conn := h.dialRaw(t)

	resp := conn.roundTrip(rawRequest("POST", "/invoke", "bad-cp", "/bogus", []byte("{}")))

	assert.Equal(t, fasthttp.StatusBadRequest, resp.status)
	assert.Equal(t, []string{"text/plain; charset=utf-8"}, resp.get("Content-Type"))
	assert.Equal(t, "fcserver: unknown x-fc-control-path \"/bogus\" (expected /invoke, /http-invoke, /initialize, /pre-freeze or /pre-stop)\n",
		string(resp.body))
	assert.Empty(t, resp.get("x-fc-status"))
	assert.Empty(t, rec.calls, "no handler runs")
	assert.Contains(t, untimed(h.log.Lines()),
		"[WARN] fcserver: unknown x-fc-control-path requestId=bad-cp controlPath=/bogus")
	assert.Empty(t, linesOf(h.log, "bad-cp"), "no markers for a request that is not run")

	// The connection and the server go on serving.
	resp = conn.roundTrip(rawRequest("POST", "/invoke", "after-bad-cp", "/invoke", []byte("{}")))
	assert.Equal(t, fasthttp.StatusOK, resp.status)
	assert.Equal(t, "event", string(resp.body))
	assert.Equal(t, "event", recv(t, rec.calls))
	assertInvocationLog(t, h.log, "Invoke", "after-bad-cp", false)
}

func TestDispatchControlPathIsCaseSensitiveValue(t *testing.T) {
	// FC sends the values in lower case; anything else is not guessed at.
	rec := newRecorder()
	h := start(t, rec.options()...)

	resp := h.do(t, newRequest("POST", "/invoke", "upper-cp", "/INVOKE", nil))

	assert.Equal(t, fasthttp.StatusBadRequest, resp.StatusCode())
	assert.Contains(t, string(resp.Body()), `"/INVOKE"`)
	assert.Empty(t, rec.calls)
}

func TestDispatchMissingHandler(t *testing.T) {
	// A server with no handler at all: every kind gets a clear answer and
	// the server keeps serving.
	h := start(t)

	t.Run("event", func(t *testing.T) {
		resp := h.invoke(t, "no-event", []byte(`{"a":1}`))

		assert.Equal(t, fasthttp.StatusNotFound, resp.StatusCode())
		assert.Equal(t, "404", string(resp.Header.Peek("x-fc-status")))
		assert.Equal(t, "application/json", string(resp.Header.ContentType()))
		assert.JSONEq(t, `{
			"errorType": "NoEventHandler",
			"errorMessage": "fcserver: this function has no event handler (use fcserver.WithEvent) but received an event invocation"
		}`, string(resp.Body()))
		assertInvocationLog(t, h.log, "Invoke", "no-event", true,
			`no-event [ERROR] invocation failed errorType=NoEventHandler errorMessage="fcserver: this function has no event handler (use fcserver.WithEvent) but received an event invocation"`)
	})

	t.Run("http", func(t *testing.T) {
		resp := h.do(t, newRequest("GET", "/page", "no-http", "/http-invoke", nil))

		assert.Equal(t, fasthttp.StatusNotImplemented, resp.StatusCode(), "misconfigured, not the application's own 404")
		assert.Equal(t, "fcserver: this function has no HTTP handler\n", string(resp.Body()))
		assertInvocationLog(t, h.log, "Invoke", "no-http", true,
			"no-http [ERROR] fcserver: this function has no HTTP handler (use fcserver.WithHTTP or WithStdHTTP) but received an HTTP invocation")
	})

	hooks := []struct {
		method, path, kind, option string
	}{
		{"POST", "/initialize", "Initialize", "WithInitializer"},
		{"GET", "/pre-freeze", "PreFreeze", "WithPreFreeze"},
		{"GET", "/pre-stop", "PreStop", "WithPreStop"},
	}
	for _, hk := range hooks {
		t.Run(hk.kind, func(t *testing.T) {
			id := "no-" + hk.kind
			resp := h.do(t, newRequest(hk.method, hk.path, id, hk.path, nil))

			msg := "fcserver: FC called the " + hk.kind + " hook but none is configured (use fcserver." + hk.option + ")"
			assert.Equal(t, fasthttp.StatusNotFound, resp.StatusCode())
			assert.Equal(t, msg+"\n", string(resp.Body()))
			assert.Empty(t, resp.Header.Peek("x-fc-status"))
			assertInvocationLog(t, h.log, hk.kind, id, true, id+" [ERROR] "+msg)
		})
	}
}

func TestDispatchPathOnlyPrefersHTTPHandlerForUnconfiguredKinds(t *testing.T) {
	// Without the header, a function with only an HTTP handler owns every
	// route, /invoke and the hook paths included.
	calls := make(chan string, 8)
	h := start(t, fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) {
		calls <- string(rc.Method()) + " " + string(rc.Path())
		rc.SetBodyString("mine")
	}))

	for i, r := range []struct{ method, path string }{
		{"POST", "/invoke"}, {"POST", "/initialize"}, {"GET", "/pre-freeze"}, {"GET", "/pre-stop"},
	} {
		id := fmt.Sprintf("own-route-%d", i)
		resp := h.do(t, newRequest(r.method, r.path, id, "", nil))
		assert.Equal(t, fasthttp.StatusOK, resp.StatusCode(), r.path)
		assert.Equal(t, "mine", string(resp.Body()), r.path)
		assert.Empty(t, resp.Header.Peek("x-fc-status"), r.path)
		assert.Equal(t, r.method+" "+r.path, recv(t, calls))
		assertInvocationLog(t, h.log, "Invoke", id, false)
	}

	// With the header, FC's meaning wins: no event handler is an error.
	resp := h.invoke(t, "header-wins", nil)
	assert.Equal(t, fasthttp.StatusNotFound, resp.StatusCode())
	assert.Equal(t, "404", string(resp.Header.Peek("x-fc-status")))
	require.Empty(t, calls)
}
