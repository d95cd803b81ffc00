package main

import (
	"strings"
	"testing"

	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/fcserver/fctest"
	"github.com/stretchr/testify/assert"
)

func newFunction(t *testing.T) *fctest.Server {
	return fctest.NewServer(t, fcserver.WithHTTP(newApp().Handler()))
}

func TestGreetsWithAnOptionalName(t *testing.T) {
	fn := newFunction(t)

	r := fn.HTTP("GET", "/hello/Ada", nil, fctest.RequestID("req-fiber-1"))
	r.AssertSuccess(t)
	assert.Equal(t, 200, r.StatusCode)
	assert.Equal(t, `{"greeting":"hello, Ada","requestId":"req-fiber-1"}`, string(r.Body))
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	r.AssertLogLine(t, "INFO", "greeting name=Ada")

	r = fn.HTTP("GET", "/hello", nil, fctest.RequestID("req-fiber-2"))
	assert.Equal(t, `{"greeting":"hello, world","requestId":"req-fiber-2"}`, string(r.Body))
}

func TestRoutesWithTypedParams(t *testing.T) {
	fn := newFunction(t)

	r := fn.HTTP("GET", "/orders/42/items/pen", nil, fctest.RequestID("req-fiber-3"))
	r.AssertSuccess(t)
	assert.Equal(t, `{"order":42,"item":"pen","requestId":"req-fiber-3"}`, string(r.Body))

	// :id<int> does not match a word: no route, so Fiber's 404 through the error handler.
	r = fn.HTTP("GET", "/orders/abc/items/pen", nil, fctest.RequestID("req-fiber-4"))
	assert.Equal(t, 404, r.StatusCode)
	assert.Equal(t, `{"error":"Cannot GET /orders/abc/items/pen","requestId":"req-fiber-4"}`, string(r.Body))
	r.AssertMarkers(t, false)
}

func TestAddsANote(t *testing.T) {
	fn := newFunction(t)

	r := fn.HTTP("POST", "/orders/7/notes", []byte("  leave at the door\n"), fctest.RequestID("req-fiber-5"))
	assert.Equal(t, 201, r.StatusCode)
	assert.Equal(t, `{"order":7,"note":"leave at the door","requestId":"req-fiber-5"}`, string(r.Body))
	r.AssertMarkers(t, false)
	r.AssertLogLine(t, "INFO", "note added order=7 bytes=17")

	r = fn.HTTP("POST", "/orders/7/notes", nil, fctest.RequestID("req-fiber-6"))
	assert.Equal(t, 400, r.StatusCode)
	assert.Equal(t, `{"error":"the note (the request body) is empty","requestId":"req-fiber-6"}`, string(r.Body))

	r = fn.HTTP("POST", "/orders/7/notes", []byte(strings.Repeat("n", maxNote+1)))
	assert.Equal(t, 413, r.StatusCode)
	assert.Contains(t, string(r.Body), `"error":"a note is at most 1024 bytes"`)

	r = fn.HTTP("PUT", "/orders/7/notes", []byte("x"))
	assert.Equal(t, 405, r.StatusCode)
}

func TestShorthandMountsTheHandlerAsIs(t *testing.T) {
	r := fctest.InvokeHTTP(t, newApp().Handler(), "GET", "/hello/Grace?x=1", nil, fctest.RequestID("req-fiber-7"))
	r.AssertSuccess(t)
	assert.Equal(t, `{"greeting":"hello, Grace","requestId":"req-fiber-7"}`, string(r.Body))
}
