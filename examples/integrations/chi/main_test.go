package main

import (
	"strconv"
	"testing"

	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/fcserver/fctest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGreetsThroughTheMiddleware(t *testing.T) {
	fn := fctest.NewServer(t, fcserver.WithStdHTTP(router()))

	for _, path := range []string{"/greet/Ada", "/greet/Ada/"} { // StripSlashes
		r := fn.HTTP("GET", path, nil, fctest.RequestID("req-chi-1"))
		r.AssertSuccess(t)
		assert.Equal(t, `{"greeting":"hello, Ada","requestId":"req-chi-1"}`, string(r.Body), path)
		assert.Equal(t, "req-chi-1", r.Header.Get("X-Request-Id"))
		r.AssertLogLine(t, "INFO", "request method=GET path="+path+" status=200 bytes="+strconv.Itoa(len(r.Body)))
	}
}

func TestEchoesJSONOnly(t *testing.T) {
	r := fctest.InvokeStd(t, router(), "POST", "/echo", []byte(`{"n": [1, 2]}`),
		fctest.RequestID("req-chi-2"), fctest.Header("Content-Type", "application/json; charset=utf-8"))
	r.AssertSuccess(t)
	assert.Equal(t, `{"bytes":13,"json":{"n":[1,2]},"requestId":"req-chi-2"}`, string(r.Body))

	r = fctest.InvokeStd(t, router(), "POST", "/echo", []byte(`{"n": [1, 2]}`), fctest.Header("Content-Type", "text/plain"))
	assert.Equal(t, 415, r.StatusCode)
	r.AssertLogLine(t, "INFO", "request method=POST path=/echo status=415")

	r = fctest.InvokeStd(t, router(), "POST", "/echo", []byte(`{"n":`), fctest.RequestID("req-chi-3"), fctest.Header("Content-Type", "application/json"))
	assert.Equal(t, 400, r.StatusCode)
	assert.Equal(t, `{"error":"the body is not JSON: unexpected EOF","requestId":"req-chi-3"}`, string(r.Body))
}

func TestAnswersUnknownRoutesWithJSON(t *testing.T) {
	r := fctest.InvokeStd(t, router(), "GET", "/nowhere", nil, fctest.RequestID("req-chi-4"))
	assert.Equal(t, 404, r.StatusCode)
	assert.Equal(t, `{"error":"no route for GET /nowhere","requestId":"req-chi-4"}`, string(r.Body))
	r.AssertMarkers(t, false)
	lines := r.LogLines()
	require.Len(t, lines, 1)
	assert.Equal(t, "request", lines[0].Message)
	assert.Equal(t, "method=GET path=/nowhere status=404 bytes="+strconv.Itoa(len(r.Body)), lines[0].Fields)
}
