package main

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fcgo/fcgo/headers"
)

// seen is one request as the fake function server received it.
type seen struct {
	method   string
	path     string
	rawQuery string
	host     string
	header   http.Header
	body     string
}

// fakeFC is a function server on 127.0.0.1:0 that records what it receives.
type fakeFC struct {
	*httptest.Server
	mu       sync.Mutex
	requests []seen
	conns    atomic.Int32 // connections opened
}

func newFakeFC(t *testing.T, handler http.HandlerFunc) *fakeFC {
	t.Helper()
	f := &fakeFC{}
	f.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.requests = append(f.requests, seen{
			method:   r.Method,
			path:     r.URL.Path,
			rawQuery: r.URL.RawQuery,
			host:     r.Host,
			header:   r.Header.Clone(),
			body:     string(body),
		})
		f.mu.Unlock()
		handler(w, r)
	}))
	f.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			f.conns.Add(1)
		}
	}
	f.Start()
	t.Cleanup(f.Close)
	require.True(t, strings.HasPrefix(f.URL, "http://127.0.0.1:"), f.URL)
	return f
}

func (f *fakeFC) seen() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.requests...)
}

// answer returns a handler answering with status, x-fc-status (unless
// empty) and body.
func answer(status int, xfcStatus, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		if xfcStatus != "" {
			w.Header().Set(headers.XFCStatus, xfcStatus)
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// result is what one run of fcinvoke produced.
type result struct {
	code   int
	stdout string
	stderr string
}

func runFC(t *testing.T, stdin io.Reader, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, stdin, &stdout, &stderr)
	t.Logf("fcinvoke %q: exit %d\nstderr:\n%s", args, code, stderr.String())
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

func TestEventInvokeSuccess(t *testing.T) {
	f := newFakeFC(t, answer(http.StatusOK, "200", `{"greeting":"hello, Ada"}`))

	r := runFC(t, nil, "-url", f.URL, "-event", `{"name":"Ada"}`, "-request-id", "1-00000000-11111111-222222222222")

	require.Equal(t, exitOK, r.code)
	assert.Equal(t, `{"greeting":"hello, Ada"}`, r.stdout, "body byte for byte, no newline added")
	assert.Regexp(t, `(?m)^fcinvoke: invoke status=200 x-fc-status=200 duration=\d+ms$`, r.stderr)

	reqs := f.seen()
	require.Len(t, reqs, 1)
	req := reqs[0]
	assert.Equal(t, http.MethodPost, req.method)
	assert.Equal(t, "/invoke", req.path)
	assert.Equal(t, `{"name":"Ada"}`, req.body)
	assert.Equal(t, "application/octet-stream", req.header.Get("Content-Type"))
	assert.Empty(t, req.header.Get("Accept-Encoding"), "FC does not ask for compression")
	requireSpecHeaders(t, req.header)
	assert.Equal(t, "/invoke", req.header.Get(headers.XFCControlPath))
	assert.Equal(t, "1-00000000-11111111-222222222222", req.header.Get(headers.XFCRequestID))
	assert.Equal(t, "my-function", req.header.Get(headers.XFCFunctionName))
	assert.Equal(t, "60", req.header.Get(headers.XFCFunctionTimeout))
}

func TestEventInvokeFailure(t *testing.T) {
	const errBody = `{"errorMessage":"boom","errorType":"Boom"}`
	for _, tc := range []struct {
		name      string
		status    int
		xfcStatus string
		want      int
	}{
		{"function error", http.StatusNotFound, "404", exitFailed},
		{"x-fc-status 404 with status 200", http.StatusOK, "404", exitFailed},
		{"status 500 with x-fc-status 200", http.StatusInternalServerError, "200", exitFailed},
		{"status 404 without x-fc-status", http.StatusNotFound, "", exitFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeFC(t, answer(tc.status, tc.xfcStatus, errBody))
			r := runFC(t, nil, "-url", f.URL, "-event", "{}")
			assert.Equal(t, tc.want, r.code)
			assert.Equal(t, errBody, r.stdout, "the error body still goes to stdout")
			assert.Contains(t, r.stderr, "fcinvoke: invoke status=")
		})
	}
}

func TestEventInvokeWithoutXFCStatus(t *testing.T) {
	f := newFakeFC(t, answer(http.StatusOK, "", "ok"))
	r := runFC(t, nil, "-url", f.URL, "-event", "{}")
	assert.Equal(t, exitOK, r.code, "FC counts a 200 without x-fc-status as a success")
	assert.Equal(t, "ok", r.stdout)
	assert.Contains(t, r.stderr, "x-fc-status=- ")
	assert.Contains(t, r.stderr, "warning: the answer has no x-fc-status header")
}

func TestEventPayloadSources(t *testing.T) {
	f := newFakeFC(t, answer(http.StatusOK, "200", ""))
	file := filepath.Join(t.TempDir(), "event.json")
	require.NoError(t, os.WriteFile(file, []byte("from file\x00\xff"), 0o600))

	for _, tc := range []struct {
		name  string
		stdin io.Reader
		args  []string
		want  string
	}{
		{"flag", strings.NewReader("ignored"), []string{"-event", "from flag"}, "from flag"},
		{"file", strings.NewReader("ignored"), []string{"-event-file", file}, "from file\x00\xff"},
		{"file from stdin", strings.NewReader("piped"), []string{"-event-file", "-"}, "piped"},
		{"implicit stdin", strings.NewReader("implicit"), nil, "implicit"},
		{"no stdin", nil, nil, ""},
		{"empty event", strings.NewReader("ignored"), []string{"-event", ""}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(f.seen())
			r := runFC(t, tc.stdin, append([]string{"-url", f.URL}, tc.args...)...)
			require.Equal(t, exitOK, r.code)
			reqs := f.seen()
			require.Len(t, reqs, before+1)
			assert.Equal(t, tc.want, reqs[before].body)
		})
	}
}

func TestVerbose(t *testing.T) {
	f := newFakeFC(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set(headers.XFCStatus, "200")
		w.Header().Set("X-Custom", "yes")
		io.WriteString(w, "body")
	})
	r := runFC(t, nil, "-url", f.URL, "-event", "x", "-v")
	require.Equal(t, exitOK, r.code)
	assert.Equal(t, "body\n", r.stdout, "-v ends the body with a newline")
	assert.Contains(t, r.stderr, "HTTP/1.1 200 OK\n")
	assert.Contains(t, r.stderr, "X-Fc-Status: 200\n")
	assert.Contains(t, r.stderr, "X-Custom: yes\n")
	assert.Less(t, strings.Index(r.stderr, "HTTP/1.1 200 OK"), strings.Index(r.stderr, "fcinvoke: invoke status=200"))
}

func TestHTTPInvoke(t *testing.T) {
	for _, tc := range []struct {
		status int
		want   int
	}{
		{http.StatusCreated, exitOK},
		{http.StatusNotFound, exitOK},
		{http.StatusFound, exitOK}, // not followed
		{http.StatusServiceUnavailable, exitFailed},
	} {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			f := newFakeFC(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Location", "/elsewhere")
				w.WriteHeader(tc.status)
				io.WriteString(w, "answer\n")
			})
			r := runFC(t, nil,
				"-url", f.URL, "-http",
				"-method", "PUT", "-path", "/items/42", "-query", "a=1&b=x%20y",
				"-H", "Content-Type: text/plain", "-H", "X-Custom: yes", "-H", "Host: fn.example.com",
				"-body", "hello")

			assert.Equal(t, tc.want, r.code)
			assert.Equal(t, "answer\n", r.stdout)
			assert.Regexp(t, `(?m)^fcinvoke: http-invoke status=\d+ x-fc-status=- duration=\d+ms$`, r.stderr)

			reqs := f.seen()
			require.Len(t, reqs, 1)
			req := reqs[0]
			assert.Equal(t, "PUT", req.method)
			assert.Equal(t, "/items/42", req.path)
			assert.Equal(t, "a=1&b=x%20y", req.rawQuery)
			assert.Equal(t, "fn.example.com", req.host)
			assert.Equal(t, "hello", req.body)
			assert.Equal(t, "text/plain", req.header.Get("Content-Type"))
			assert.Equal(t, "yes", req.header.Get("X-Custom"))
			requireSpecHeaders(t, req.header)
			assert.Equal(t, "/http-invoke", req.header.Get(headers.XFCControlPath))
			assert.Equal(t, []string{""}, req.header.Values(headers.XFCBasePath))
			assert.Equal(t, "127.0.0.1", req.header.Get(headers.XFCClientIP))
		})
	}
}

func TestHTTPInvokeDefaults(t *testing.T) {
	f := newFakeFC(t, answer(http.StatusOK, "", "hi"))
	r := runFC(t, strings.NewReader("stdin is not read in HTTP mode"), "-url", f.URL, "-http")
	require.Equal(t, exitOK, r.code)
	assert.Equal(t, "hi", r.stdout)
	reqs := f.seen()
	require.Len(t, reqs, 1)
	assert.Equal(t, "GET", reqs[0].method)
	assert.Equal(t, "/", reqs[0].path)
	assert.Empty(t, reqs[0].rawQuery)
	assert.Empty(t, reqs[0].body)
}

func TestHooksOrder(t *testing.T) {
	f := newFakeFC(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(headers.XFCControlPath) == "/invoke" {
			w.Header().Set(headers.XFCStatus, "200")
			io.WriteString(w, "result")
		}
	})
	r := runFC(t, nil, "-url", f.URL, "-init", "-prefreeze", "-prestop", "-event", "e",
		"-request-id", "invoke-id", "-timeout", "5")
	require.Equal(t, exitOK, r.code)
	assert.Equal(t, "result", r.stdout)

	reqs := f.seen()
	require.Len(t, reqs, 4)
	type step struct{ method, path, controlPath string }
	var steps []step
	ids := map[string]bool{}
	for _, req := range reqs {
		steps = append(steps, step{req.method, req.path, req.header.Get(headers.XFCControlPath)})
		requireSpecHeaders(t, req.header)
		assert.Equal(t, "5", req.header.Get(headers.XFCFunctionTimeout))
		assert.Equal(t, "index.initializer", req.header.Get(headers.XFCFunctionInitializer))
		ids[req.header.Get(headers.XFCRequestID)] = true
	}
	assert.Equal(t, []step{
		{"POST", "/initialize", "/initialize"},
		{"POST", "/invoke", "/invoke"},
		{"GET", "/pre-freeze", "/pre-freeze"},
		{"GET", "/pre-stop", "/pre-stop"},
	}, steps)
	assert.Len(t, ids, 4, "every request has its own id")
	assert.Equal(t, "invoke-id", reqs[1].header.Get(headers.XFCRequestID))
	for _, i := range []int{0, 2, 3} {
		assert.Empty(t, reqs[i].body)
		assert.Regexp(t, requestIDForm, reqs[i].header.Get(headers.XFCRequestID))
	}

	for _, kind := range []string{"initialize", "invoke", "pre-freeze", "pre-stop"} {
		assert.Regexp(t, `(?m)^fcinvoke: `+kind+` status=200 x-fc-status=\S+ duration=\d+ms$`, r.stderr)
	}
	assert.Equal(t, int32(1), f.conns.Load(), "all requests share one keep-alive connection")
}

func TestInitializerFailureSkipsInvoke(t *testing.T) {
	f := newFakeFC(t, answer(http.StatusNotFound, "", "init broke"))
	r := runFC(t, nil, "-url", f.URL, "-init", "-prestop", "-event", "e")
	assert.Equal(t, exitFailed, r.code)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, "the initialize hook failed with status 404")
	assert.Contains(t, r.stderr, "init broke")
	reqs := f.seen()
	require.Len(t, reqs, 1)
	assert.Equal(t, "/initialize", reqs[0].path)
}

func TestHookFailureAfterInvoke(t *testing.T) {
	f := newFakeFC(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/invoke":
			w.Header().Set(headers.XFCStatus, "200")
			io.WriteString(w, "done")
		case "/pre-freeze":
			w.WriteHeader(http.StatusNoContent)
		default:
			http.Error(w, "restart me", http.StatusInternalServerError)
		}
	})
	r := runFC(t, nil, "-url", f.URL, "-prefreeze", "-prestop", "-event", "e")
	assert.Equal(t, exitFailed, r.code)
	assert.Equal(t, "done", r.stdout)
	assert.Contains(t, r.stderr, "fcinvoke: pre-freeze status=204")
	assert.Contains(t, r.stderr, "the pre-stop hook failed with status 500")
	assert.Len(t, f.seen(), 3)
}

func TestHooksRunAfterFailedInvoke(t *testing.T) {
	f := newFakeFC(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/invoke" {
			w.Header().Set(headers.XFCStatus, "404")
			w.WriteHeader(http.StatusNotFound)
		}
	})
	r := runFC(t, nil, "-url", f.URL, "-prestop", "-event", "e")
	assert.Equal(t, exitFailed, r.code)
	assert.Len(t, f.seen(), 2)
}

func TestHeaderOverridesOnTheWire(t *testing.T) {
	f := newFakeFC(t, answer(http.StatusOK, "200", ""))
	r := runFC(t, nil, "-url", f.URL, "-event", "e", "-function", "greeter",
		"-H", "X-FC-Request-Id: my-id",
		"-H", "x-fc-qualifier: prod",
		"-H", "content-type: application/json",
		"-H", "X-Fc-Retry-Count: 2")
	require.Equal(t, exitOK, r.code)
	reqs := f.seen()
	require.Len(t, reqs, 1)
	h := reqs[0].header
	assert.Equal(t, []string{"my-id"}, h.Values(headers.XFCRequestID))
	assert.Equal(t, []string{"prod"}, h.Values(headers.XFCQualifier))
	assert.Equal(t, []string{"2"}, h.Values(headers.XFCRetryCount))
	assert.Equal(t, []string{"application/json"}, h.Values("Content-Type"))
	assert.Equal(t, "greeter", h.Get(headers.XFCFunctionName))
}

func TestDefaultURLFromEnvironment(t *testing.T) {
	f := newFakeFC(t, answer(http.StatusOK, "200", "env"))
	_, port, err := net.SplitHostPort(strings.TrimPrefix(f.URL, "http://"))
	require.NoError(t, err)

	t.Setenv("FC_CUSTOM_LISTEN_PORT", "")
	t.Setenv("FC_SERVER_PORT", port)
	r := runFC(t, nil, "-event", "e")
	require.Equal(t, exitOK, r.code)
	assert.Equal(t, "env", r.stdout)

	t.Setenv("FC_CUSTOM_LISTEN_PORT", port)
	t.Setenv("FC_SERVER_PORT", "1")
	r = runFC(t, nil, "-event", "e")
	require.Equal(t, exitOK, r.code, "FC_CUSTOM_LISTEN_PORT comes first")
}

func TestUnreachable(t *testing.T) {
	port, err := freePort() // closed again: nothing listens there
	require.NoError(t, err)
	r := runFC(t, nil, "-url", "http://127.0.0.1:"+strconv.Itoa(port), "-event", "e", "-prestop")
	assert.Equal(t, exitUnreachable, r.code)
	assert.Contains(t, r.stderr, "fcinvoke: invoke: cannot reach the function at http://127.0.0.1:")
	assert.NotContains(t, r.stderr, "pre-stop", "no hooks once the server is unreachable")
	assert.Empty(t, r.stdout)
}

func TestUsageErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "missing")
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"-nope"}, "flag provided but not defined"},
		{[]string{"-url", "http://127.0.0.1:1", "--", "true"}, "mutually exclusive"},
		{[]string{"-url", "https://127.0.0.1:1"}, "invalid -url"},
		{[]string{"-url", "http://127.0.0.1:1/prefix"}, "invalid -url"},
		{[]string{"-url", "127.0.0.1:9000"}, "invalid -url"},
		{[]string{"-event", "a", "-event-file", "b"}, "mutually exclusive"},
		{[]string{"-event-file", file}, "no such file"},
		{[]string{"-http", "-event", "a"}, "-event is for event invocations"},
		{[]string{"-http", "-body", "a", "-body-file", "b"}, "mutually exclusive"},
		{[]string{"-http", "-path", "no-slash"}, "-path must start with"},
		{[]string{"-http", "-path", "/a?b=c"}, "-query"},
		{[]string{"-http", "-method", "GE T"}, "invalid -method"},
		{[]string{"-method", "POST"}, "-method needs -http"},
		{[]string{"-body", "x"}, "-body needs -http"},
		{[]string{"-H", "nocolon"}, "want 'Name: value'"},
		{[]string{"-timeout", "0"}, "-timeout must be"},
		{[]string{"-timeout", "86401"}, "-timeout must be between 1 and 86400"},
		{[]string{"-wait", "0s"}, "-wait must be"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := runFC(t, strings.NewReader(""), tc.args...)
			assert.Equal(t, exitUsage, r.code)
			assert.Contains(t, r.stderr, tc.msg)
			assert.Empty(t, r.stdout)
		})
	}
}

func TestHelp(t *testing.T) {
	r := runFC(t, nil, "-h")
	assert.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stderr, "usage: fcinvoke")
	assert.Contains(t, r.stderr, "-event-file")
}
