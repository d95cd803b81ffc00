package httpfn_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/fcgo/fcgo/headers"
	"github.com/fcgo/fcgo/httpfn"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
)

func newCtx(t *testing.T, method, uri, body string, hdr map[string]string) *fasthttp.RequestCtx {
	t.Helper()
	var req fasthttp.Request
	req.Header.SetMethod(method)
	req.SetRequestURI(uri)
	req.SetBodyString(body)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rc := &fasthttp.RequestCtx{}
	rc.Init(&req, nil, nil)
	return rc
}

func TestStdSeesRequestAndWritesResponse(t *testing.T) {
	h := httpfn.Std(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		assert.Equal(t, http.MethodPut, r.Method)
		assert.Equal(t, "/items/7", r.URL.Path)
		assert.Equal(t, "b", r.URL.Query().Get("a"))
		assert.Equal(t, "v", r.Header.Get("X-Custom"))
		assert.Equal(t, "payload", string(body))
		w.Header().Set("X-Out", "1")
		w.Header().Add("Set-Cookie", "a=1")
		w.Header().Add("Set-Cookie", "b=2")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"ok":true}`)
	}))
	rc := newCtx(t, http.MethodPut, "/items/7?a=b", "payload", map[string]string{"X-Custom": "v"})
	h(rc)
	assert.Equal(t, http.StatusCreated, rc.Response.StatusCode())
	assert.Equal(t, "1", string(rc.Response.Header.Peek("X-Out")))
	assert.Equal(t, `{"ok":true}`, string(rc.Response.Body()))
	assert.Equal(t, "text/plain; charset=utf-8", string(rc.Response.Header.ContentType()), "sniffed like net/http")
	var cookies []string
	for _, v := range rc.Response.Header.Cookies() {
		cookies = append(cookies, string(v))
	}
	assert.Len(t, cookies, 2)
}

func TestStdDefaultStatusAndEmptyBody(t *testing.T) {
	h := httpfn.Std(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	rc := newCtx(t, http.MethodGet, "/", "", nil)
	h(rc)
	assert.Equal(t, http.StatusOK, rc.Response.StatusCode())
	assert.Empty(t, rc.Response.Body())
}

func TestStdContextCarriesInvocationContext(t *testing.T) {
	deadline := time.Now().Add(time.Minute)
	info := &headers.Info{RequestID: "req-1"}
	var logs bytes.Buffer
	logger := zerolog.New(&logs)
	ctx := headers.NewContext(context.Background(), info)
	ctx = logger.WithContext(ctx)
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()

	var got *headers.Info
	var gotDeadline time.Time
	h := httpfn.Std(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = headers.FromContext(r.Context())
		gotDeadline, _ = r.Context().Deadline()
		zerolog.Ctx(r.Context()).Info().Msg("inside")
	}))
	rc := newCtx(t, http.MethodGet, "/", "", nil)
	httpfn.WithContext(rc, ctx)
	h(rc)
	require.NotNil(t, got)
	assert.Equal(t, "req-1", got.RequestID)
	assert.Equal(t, deadline, gotDeadline)
	assert.Contains(t, logs.String(), `"message":"inside"`)
}

func TestStdPanicReachesCaller(t *testing.T) {
	h := httpfn.Std(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rc := newCtx(t, http.MethodGet, "/", "", nil)
	assert.PanicsWithValue(t, "boom", func() { h(rc) }, "the server must see the panic to answer 500")
}

func TestContextFallsBackToRequestCtx(t *testing.T) {
	rc := newCtx(t, http.MethodGet, "/", "", nil)
	assert.Same(t, rc, httpfn.Context(rc))
}

func TestStripBasePath(t *testing.T) {
	cases := []struct {
		base, uri, wantPath, wantQuery string
	}{
		{"/2016-08-15/proxy/svc/fn", "/2016-08-15/proxy/svc/fn/users?id=1", "/users", "id=1"},
		{"/2016-08-15/proxy/svc/fn/", "/2016-08-15/proxy/svc/fn/users", "/users", ""},
		{"/2016-08-15/proxy/svc/fn", "/2016-08-15/proxy/svc/fn", "/", ""},
		{"/2016-08-15/proxy/svc/fn", "/2016-08-15/proxy/svc/fnord/x", "/2016-08-15/proxy/svc/fnord/x", ""},
		{"/other", "/users", "/users", ""},
		{"", "/users", "/users", ""},
	}
	for _, tc := range cases {
		t.Run(tc.base+"|"+tc.uri, func(t *testing.T) {
			var path, query string
			h := httpfn.StripBasePath(func(rc *fasthttp.RequestCtx) {
				path, query = string(rc.Path()), string(rc.QueryArgs().QueryString())
			})
			rc := newCtx(t, http.MethodGet, tc.uri, "", map[string]string{headers.XFCBasePath: tc.base})
			h(rc)
			assert.Equal(t, tc.wantPath, path)
			assert.Equal(t, tc.wantQuery, query)
		})
	}
}

func TestStripBasePathPrefersInfo(t *testing.T) {
	rc := newCtx(t, http.MethodGet, "/base/x", "", map[string]string{headers.XFCBasePath: "/ignored"})
	headers.NewContext(rc, &headers.Info{BasePath: "/base"})
	var path string
	httpfn.StripBasePath(func(rc *fasthttp.RequestCtx) { path = string(rc.Path()) })(rc)
	assert.Equal(t, "/x", path)
}

func TestSanitizeResponse(t *testing.T) {
	var resp fasthttp.Response
	resp.Header.Set("X-Fc-Request-Id", "forged")
	resp.Header.Set("x-fc-status", "200")
	resp.Header.Set("Keep-Alive", "timeout=5")
	resp.Header.Set("Server", "mine")
	resp.Header.Set("Date", "Mon, 01 Jan 2024 00:00:00 GMT")
	resp.Header.Set("Content-Disposition", "Attachment; filename=a.txt")
	resp.Header.Set("X-App", "kept")
	resp.Header.SetConnectionClose()
	resp.SetBodyString("body")

	var logs bytes.Buffer
	log := zerolog.New(&logs)
	httpfn.SanitizeResponse(&resp, &log)

	raw := resp.String()
	for _, gone := range []string{"X-Fc-Request-Id", "Keep-Alive", "Server: mine", "Date: Mon", "Content-Disposition", "Connection: close"} {
		assert.NotContains(t, raw, gone)
	}
	assert.Equal(t, "200", string(resp.Header.Peek("X-Fc-Status")))
	assert.Equal(t, "kept", string(resp.Header.Peek("X-App")))
	assert.Equal(t, "body", string(resp.Body()))
	// fasthttp itself discards a Date set by hand (the server owns it), so
	// five headers are dropped here, each with a warning.
	assert.Equal(t, 5, bytes.Count(logs.Bytes(), []byte(`"level":"warn"`)), logs.String())

	// An inline Content-Disposition is allowed.
	resp.Reset()
	resp.Header.Set("Content-Disposition", "inline")
	httpfn.SanitizeResponse(&resp, nil)
	assert.Equal(t, "inline", string(resp.Header.Peek("Content-Disposition")))

	// Names match in any ASCII case; a name with a look-alike letter from
	// outside ASCII (U+017F for s) is not the reserved header, and stays.
	resp.Reset()
	resp.Header.DisableNormalizing()
	resp.Header.Set("SERVER", "upper")
	resp.Header.Set("kEEP-aLIVE", "mixed")
	resp.Header.Set("\u017Ferver", "look-alike")
	httpfn.SanitizeResponse(&resp, nil)
	assert.Empty(t, resp.Header.Peek("SERVER"))
	assert.Empty(t, resp.Header.Peek("kEEP-aLIVE"))
	assert.Equal(t, "look-alike", string(resp.Header.Peek("\u017Ferver")))
}
