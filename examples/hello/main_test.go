package main

import (
	"bytes"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/logging"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// invoke sends one event invocation to the hello function over an
// in-memory connection, as FC would.
func invoke(t *testing.T, payload string) (*fasthttp.Response, string) {
	t.Helper()
	logs := &syncBuffer{}
	srv := fcserver.New(fcserver.WithEvent(event.JSON(greet)), fcserver.WithLogger(logging.New(logs)))
	ln := fasthttputil.NewInmemoryListener()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Shutdown(t.Context()) })

	c := &fasthttp.Client{Dial: func(string) (net.Conn, error) { return ln.Dial() }}
	req := fasthttp.AcquireRequest()
	defer fasthttp.ReleaseRequest(req)
	req.SetRequestURI("http://fc/invoke")
	req.Header.SetMethod(fasthttp.MethodPost)
	req.Header.Set("x-fc-request-id", "req-hello-1")
	req.Header.Set("x-fc-control-path", "/invoke")
	req.SetBodyString(payload)
	resp := &fasthttp.Response{}
	require.NoError(t, c.Do(req, resp))
	return resp, logs.String()
}

func TestHelloGreets(t *testing.T) {
	resp, logs := invoke(t, `{"name":"Ada"}`)
	assert.Equal(t, 200, resp.StatusCode())
	assert.Equal(t, "200", string(resp.Header.Peek("x-fc-status")))
	assert.JSONEq(t, `{"greeting":"hello, Ada"}`, string(resp.Body()))
	lines := strings.Split(strings.TrimSpace(logs), "\n")
	require.GreaterOrEqual(t, len(lines), 3)
	assert.Contains(t, logs, "FC Invoke Start RequestId: req-hello-1\n")
	assert.Regexp(t, `(?m)^\S+Z req-hello-1 \[INFO\] greeting name=Ada$`, logs)
	assert.Contains(t, logs, "FC Invoke End RequestId: req-hello-1\n")
}

func TestHelloRejectsMissingName(t *testing.T) {
	for _, payload := range []string{`{}`, `{"name":""}`, `{"name":"  "}`, ``} {
		resp, logs := invoke(t, payload)
		assert.Equal(t, 404, resp.StatusCode(), payload)
		assert.Equal(t, "404", string(resp.Header.Peek("x-fc-status")))
		assert.JSONEq(t, `{"errorMessage":"\"name\" must be a non-empty string","errorType":"InvalidName"}`, string(resp.Body()))
		assert.Contains(t, logs, "FC Invoke End RequestId: req-hello-1, Error: Unhandled function error\n")
	}
}

func TestHelloRejectsBadPayload(t *testing.T) {
	resp, _ := invoke(t, `{"name": 7}`)
	assert.Equal(t, 404, resp.StatusCode())
	assert.Contains(t, string(resp.Body()), `"errorType":"InvalidPayload"`)
}
