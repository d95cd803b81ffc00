package main

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fcgo/fcgo/headers"
)

// specHeaders lists every request header of SPEC §3.
var specHeaders = []string{
	headers.XFCRequestID,
	headers.XFCAccessKeyID,
	headers.XFCAccessKeySecret,
	headers.XFCSecurityToken,
	headers.XFCFunctionName,
	headers.XFCFunctionHandler,
	headers.XFCFunctionMemory,
	headers.XFCFunctionTimeout,
	headers.XFCFunctionInitializer,
	headers.XFCInitializationTimeout,
	headers.XFCPreStopHandler,
	headers.XFCPreFreezeHandler,
	headers.XFCServiceName,
	headers.XFCServiceLogProject,
	headers.XFCServiceLogStore,
	headers.XFCRegion,
	headers.XFCAccountID,
	headers.XFCQualifier,
	headers.XFCVersionID,
	headers.XFCRetryCount,
	headers.XFCControlPath,
	headers.XFCBasePath,
	headers.XFCClientIP,
	headers.XFCTracingSpanContext,
	headers.XFCTracingSpanBaggages,
	headers.XFCTracingJaegerEndpoint,
	headers.XFCEagleEyeTraceID,
	headers.XFCEagleEyeRPCID,
	headers.XFCEagleEyeUserData,
}

var requestIDForm = regexp.MustCompile(`^1-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{12}$`)

// requireSpecHeaders checks that h has every SPEC §3 header, once.
func requireSpecHeaders(t *testing.T, h http.Header) {
	t.Helper()
	for _, name := range specHeaders {
		values, ok := h[http.CanonicalHeaderKey(name)]
		require.Truef(t, ok, "header %s missing", name)
		require.Lenf(t, values, 1, "header %s", name)
	}
}

func testOptions(mutate ...func(*options)) *options {
	o := &options{function: "fn", timeout: 60}
	for _, m := range mutate {
		m(o)
	}
	return o
}

func TestFCHeadersComplete(t *testing.T) {
	inst := newInstance(testOptions())
	h := inst.fcHeaders(kindInvoke, "1-67a59f35-150c1267-f381ba1c085c")
	requireSpecHeaders(t, h)

	var fc int
	for name := range h {
		if strings.HasPrefix(strings.ToLower(name), "x-fc-") {
			fc++
		}
	}
	assert.Equal(t, len(specHeaders), fc, "no x-fc-* headers beyond SPEC §3")

	get := func(name string) string { return h.Get(name) }
	assert.Equal(t, "1-67a59f35-150c1267-f381ba1c085c", get(headers.XFCRequestID))
	assert.Equal(t, "STS.local-fcinvoke-key", get(headers.XFCAccessKeyID))
	assert.Len(t, get(headers.XFCAccessKeySecret), 44)
	assert.Equal(t, "fn", get(headers.XFCFunctionName))
	assert.Equal(t, "index.handler", get(headers.XFCFunctionHandler))
	assert.Equal(t, "512", get(headers.XFCFunctionMemory))
	assert.Equal(t, "60", get(headers.XFCFunctionTimeout))
	assert.Equal(t, "60", get(headers.XFCInitializationTimeout))
	assert.Empty(t, get(headers.XFCFunctionInitializer), "no initializer without -init")
	assert.Empty(t, get(headers.XFCPreStopHandler))
	assert.Empty(t, get(headers.XFCPreFreezeHandler))
	assert.NotEmpty(t, get(headers.XFCServiceName))
	assert.NotEmpty(t, get(headers.XFCServiceLogProject))
	assert.NotEmpty(t, get(headers.XFCServiceLogStore))
	assert.Equal(t, "cn-hangzhou", get(headers.XFCRegion))
	assert.Equal(t, "1234567890123456", get(headers.XFCAccountID))
	assert.Equal(t, "LATEST", get(headers.XFCQualifier))
	assert.Empty(t, get(headers.XFCVersionID))
	assert.Equal(t, "0", get(headers.XFCRetryCount))
	assert.Equal(t, "/invoke", get(headers.XFCControlPath))
	assert.Empty(t, get(headers.XFCBasePath))
	assert.Empty(t, get(headers.XFCClientIP), "client ip is for HTTP invocations")
	assert.Regexp(t, `^[0-9a-f]{16}:[0-9a-f]{16}:0:1$`, get(headers.XFCTracingSpanContext))
	assert.NotEmpty(t, get(headers.XFCTracingJaegerEndpoint))
	assert.Regexp(t, `^7f000001[0-9]{17}[0-9a-f]{4}$`, get(headers.XFCEagleEyeTraceID))
	assert.Equal(t, "0.1", get(headers.XFCEagleEyeRPCID))
	assert.Empty(t, get(headers.XFCEagleEyeUserData))

	baggage, err := base64.StdEncoding.DecodeString(get(headers.XFCTracingSpanBaggages))
	require.NoError(t, err)
	assert.JSONEq(t, `{"fcinvoke":"local"}`, string(baggage))

	token := get(headers.XFCSecurityToken)
	assert.Len(t, token, 1024)
	assert.True(t, strings.HasPrefix(token, "CAIS"))
	assert.Regexp(t, `^[A-Za-z0-9+/]+$`, token)
}

func TestFCHeadersPerKind(t *testing.T) {
	inst := newInstance(testOptions(func(o *options) { o.init, o.preFreeze, o.preStop = true, true, true }))
	for kind, path := range map[requestKind]string{
		kindInvoke:     "/invoke",
		kindHTTPInvoke: "/http-invoke",
		kindInitialize: "/initialize",
		kindPreFreeze:  "/pre-freeze",
		kindPreStop:    "/pre-stop",
	} {
		h := inst.fcHeaders(kind, newRequestID())
		requireSpecHeaders(t, h)
		assert.Equal(t, path, h.Get(headers.XFCControlPath), kind.String())
		assert.Equal(t, "index.initializer", h.Get(headers.XFCFunctionInitializer))
		assert.Equal(t, "index.preFreeze", h.Get(headers.XFCPreFreezeHandler))
		assert.Equal(t, "index.preStop", h.Get(headers.XFCPreStopHandler))
		if kind == kindHTTPInvoke {
			assert.Equal(t, "127.0.0.1", h.Get(headers.XFCClientIP))
		} else {
			assert.Empty(t, h.Get(headers.XFCClientIP))
		}
	}
	// The credentials belong to the instance: the same on every request.
	a, b := inst.fcHeaders(kindInvoke, "a"), inst.fcHeaders(kindPreStop, "b")
	assert.Equal(t, a.Get(headers.XFCSecurityToken), b.Get(headers.XFCSecurityToken))
	assert.Equal(t, a.Get(headers.XFCAccessKeySecret), b.Get(headers.XFCAccessKeySecret))
	// Fresh fake credentials per instance.
	other := newInstance(testOptions())
	assert.NotEqual(t, inst.securityToken, other.securityToken)
}

func TestNewRequestID(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		id := newRequestID()
		require.Regexp(t, requestIDForm, id)
		require.False(t, seen[id], "duplicate id %s", id)
		seen[id] = true
	}
}

func TestNewRequestOverrides(t *testing.T) {
	var hf headerFlag
	for _, s := range []string{
		"X-FC-REGION: cn-shanghai",
		"x-fc-request-id:custom-id",
		"x-fc-function-memory :  1024 ",
		"X-Extra: a",
		"x-extra: b",
		"Host: fc.example.com",
		"Content-Type: application/json",
		"x-fc-qualifier:",
	} {
		require.NoError(t, hf.Set(s), s)
	}
	inst := newInstance(testOptions(func(o *options) { o.headers = hf }))
	req, err := inst.newRequest(context.Background(), "http://127.0.0.1:1", call{
		kind:      kindInvoke,
		method:    http.MethodPost,
		target:    "/invoke",
		body:      []byte("payload"),
		requestID: "original-id",
		header:    http.Header{"Content-Type": {"application/octet-stream"}},
	})
	require.NoError(t, err)

	requireSpecHeaders(t, req.Header)
	assert.Equal(t, []string{"cn-shanghai"}, req.Header.Values(headers.XFCRegion))
	assert.Equal(t, []string{"custom-id"}, req.Header.Values(headers.XFCRequestID))
	assert.Equal(t, []string{"1024"}, req.Header.Values(headers.XFCFunctionMemory))
	assert.Equal(t, []string{""}, req.Header.Values(headers.XFCQualifier))
	assert.Equal(t, []string{"a", "b"}, req.Header.Values("X-Extra"))
	assert.Equal(t, []string{"application/json"}, req.Header.Values("Content-Type"))
	assert.Equal(t, "fc.example.com", req.Host)
	assert.Empty(t, req.Header.Values("Host"))
	assert.Equal(t, "/invoke", req.Header.Get(headers.XFCControlPath), "untouched headers stay")

	body, err := io.ReadAll(req.Body)
	require.NoError(t, err)
	assert.Equal(t, "payload", string(body))
}

func TestHeaderFlagSet(t *testing.T) {
	for _, bad := range []string{"no colon", ": value", "bad name: x", "X-A: b\r\nX-B: c", "(x): y"} {
		var hf headerFlag
		assert.Error(t, hf.Set(bad), bad)
	}
	var hf headerFlag
	require.NoError(t, hf.Set("X-Time: 12:30:00"))
	assert.Equal(t, headerFlag{{name: "X-Time", value: "12:30:00"}}, hf)
}

func TestFunctionNameFromCommand(t *testing.T) {
	for _, tc := range []struct {
		command []string
		want    string
	}{
		{nil, "my-function"},
		{[]string{"./bootstrap"}, "bootstrap"},
		{[]string{"/code/bootstrap", "-x"}, "bootstrap"},
		{[]string{"go", "run", "./examples/hello"}, "hello"},
		{[]string{"go", "run", "-race", "./examples/hello/"}, "hello"},
		{[]string{"go", "run", "main.go"}, "main"},
		{[]string{"go", "run", "example.com/fn/cmd/greeter@latest"}, "greeter"},
		{[]string{"/usr/local/go/bin/go", "run", "./x"}, "x"},
		{[]string{"go", "build"}, "go"},
	} {
		assert.Equal(t, tc.want, functionNameFromCommand(tc.command), "%q", tc.command)
	}
}
