package fcserver_test

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
)

// lengthEcho answers with the length of the payload and its last byte, so
// a truncated body shows.
func lengthEcho(calls *atomic.Int32) fcserver.Option {
	return fcserver.WithEvent(event.HandlerFunc(func(_ context.Context, payload []byte) ([]byte, error) {
		calls.Add(1)
		last := byte(0)
		if len(payload) > 0 {
			last = payload[len(payload)-1]
		}
		return fmt.Appendf(nil, "%d %c", len(payload), last), nil
	}))
}

func bigBody(n int) []byte {
	b := bytes.Repeat([]byte("0123456789abcdef"), n/16+1)[:n]
	b[n-1] = 'Z'
	return b
}

func TestLimitBody32MBAccepted(t *testing.T) {
	// FC accepts 32 MB synchronous bodies (SPEC §5); fasthttp's default
	// limit is only 4 MiB.
	var calls atomic.Int32
	h := start(t, lengthEcho(&calls))

	resp := h.invoke(t, "body-32mb", bigBody(32<<20))

	assert.Equal(t, fasthttp.StatusOK, resp.StatusCode())
	assert.Equal(t, "200", string(resp.Header.Peek("x-fc-status")))
	assert.Equal(t, strconv.Itoa(32<<20)+" Z", string(resp.Body()))
	assert.Equal(t, int32(1), calls.Load())
	assertInvocationLog(t, h.log, "Invoke", "body-32mb", false)
}

func TestLimitBody33MBRejected(t *testing.T) {
	var calls atomic.Int32
	h := start(t, lengthEcho(&calls))

	// Raw bytes in one write: the server answers as soon as it has read
	// Content-Length and closes the connection, which a client still
	// writing the body (fasthttp.Client does) sees as a write error.
	conn := h.dialRaw(t)
	resp := conn.roundTrip(rawRequest("POST", "/invoke", "body-33mb", "/invoke", bigBody(33<<20)))

	assert.Equal(t, fasthttp.StatusRequestEntityTooLarge, resp.status)
	// An event invocation: FC must record a failure, not a success.
	assert.Equal(t, []string{"404"}, resp.get("x-fc-status"))
	assert.Equal(t, []string{"application/json"}, resp.get("Content-Type"))
	assert.JSONEq(t, `{
		"errorType": "PayloadTooLarge",
		"errorMessage": "fcserver: request body exceeds the limit of 33554432 bytes (32 MB)"
	}`, string(resp.body))
	assert.Equal(t, []string{"close"}, resp.get("Connection"), "the unread body makes the connection unusable")
	assert.Equal(t, int32(0), calls.Load(), "the handler never sees an oversize body")
	assertInvocationLog(t, h.log, "Invoke", "body-33mb", true,
		`body-33mb [WARN] fcserver: rejected a request error="fasthttp: body size exceeds the given limit" status=413`)

	// The server goes on serving.
	ok := h.invoke(t, "after-33mb", []byte("small"))
	assert.Equal(t, fasthttp.StatusOK, ok.StatusCode())
	assert.Equal(t, "5 l", string(ok.Body()))
}

func TestLimitBodyCustom(t *testing.T) {
	var calls atomic.Int32
	h := start(t, lengthEcho(&calls), fcserver.WithMaxRequestBodySize(1<<10),
		fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) {
			calls.Add(1)
			rc.SetBodyString("http")
		}))

	t.Run("event at the limit", func(t *testing.T) {
		resp := h.invoke(t, "body-1kb", bigBody(1<<10))
		assert.Equal(t, fasthttp.StatusOK, resp.StatusCode())
		assert.Equal(t, "1024 Z", string(resp.Body()))
	})
	t.Run("event over the limit", func(t *testing.T) {
		resp := h.dialRaw(t).roundTrip(rawRequest("POST", "/invoke", "body-1kb-plus", "/invoke", bigBody(1<<10+1)))
		assert.Equal(t, fasthttp.StatusRequestEntityTooLarge, resp.status)
		assert.Equal(t, []string{"404"}, resp.get("x-fc-status"))
		assert.JSONEq(t, `{"errorType":"PayloadTooLarge","errorMessage":"fcserver: request body exceeds the limit of 1024 bytes (1 KB)"}`,
			string(resp.body))
		assertInvocationLog(t, h.log, "Invoke", "body-1kb-plus", true,
			`body-1kb-plus [WARN] fcserver: rejected a request error="fasthttp: body size exceeds the given limit" status=413`)
	})
	t.Run("http over the limit", func(t *testing.T) {
		resp := h.dialRaw(t).roundTrip(rawRequest("PUT", "/upload", "http-1kb-plus", "/http-invoke", bigBody(1<<10+1)))
		assert.Equal(t, fasthttp.StatusRequestEntityTooLarge, resp.status)
		assert.Empty(t, resp.get("x-fc-status"), "an HTTP invoke answers with its status alone")
		assert.Equal(t, "fcserver: request body exceeds the limit of 1024 bytes (1 KB)\n", string(resp.body))
		assertInvocationLog(t, h.log, "Invoke", "http-1kb-plus", true,
			`http-1kb-plus [WARN] fcserver: rejected a request error="fasthttp: body size exceeds the given limit" status=413`)
	})
	t.Run("unknown control path over the limit", func(t *testing.T) {
		resp := h.dialRaw(t).roundTrip(rawRequest("POST", "/", "odd-1kb-plus", "/bogus", bigBody(1<<10+1)))
		assert.Equal(t, fasthttp.StatusRequestEntityTooLarge, resp.status)
		assert.Equal(t, "fcserver: request body exceeds the limit of 1024 bytes (1 KB)\n", string(resp.body))
		assert.Empty(t, linesOf(h.log, "odd-1kb-plus"), "no markers for a request of no known kind")
		assert.Contains(t, untimed(h.log.Lines()),
			`[WARN] fcserver: rejected a request error="fasthttp: body size exceeds the given limit" requestId=odd-1kb-plus status=413`)
	})
	assert.Equal(t, int32(1), calls.Load(), "only the request within the limit ran")
}

// extraHeaders returns n bytes (give or take a line) of client headers.
func extraHeaders(n int) []header {
	var hs []header
	for i := 0; n > 0; i++ {
		name := fmt.Sprintf("X-Client-Header-%03d", i)
		value := strings.Repeat("v", 100)
		hs = append(hs, header{name, value})
		n -= len(name) + len(value) + len(": \r\n")
	}
	return hs
}

func TestLimitHeaders8KBAccepted(t *testing.T) {
	// 8 KB of headers on top of the full x-fc-* set with a 1 KB token:
	// fasthttp's default read buffer (4 KB) would answer 431.
	seen := make(chan int, 1)
	h := start(t, fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) {
		n := 0
		for k := range rc.Request.Header.All() {
			if bytes.HasPrefix(k, []byte("X-Client-Header-")) {
				n++
			}
		}
		seen <- n
		rc.SetBodyString("ok")
	}))
	extra := extraHeaders(8 << 10)
	require.Greater(t, len(testToken), 1000, "a realistic token")

	conn := h.dialRaw(t)
	raw := rawRequest("GET", "/with-headers", "big-headers", "/http-invoke", nil, extra...)
	require.Greater(t, len(raw), (8<<10)+len(testToken), "request head size")
	resp := conn.roundTrip(raw)

	assert.Equal(t, fasthttp.StatusOK, resp.status)
	assert.Equal(t, "ok", string(resp.body))
	assert.Equal(t, len(extra), recv(t, seen), "every header reaches the handler")
	assertInvocationLog(t, h.log, "Invoke", "big-headers", false)
}

func TestLimitHeadersBeyondReadBuffer(t *testing.T) {
	// Far beyond anything FC forwards: a clear 431, not a dropped
	// connection.
	h := start(t, fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) { rc.SetBodyString("ok") }))
	conn := h.dialRaw(t)

	resp := conn.roundTrip(rawRequest("GET", "/", "huge-headers", "/http-invoke", nil, extraHeaders(64<<10)...))

	assert.Equal(t, fasthttp.StatusRequestHeaderFieldsTooLarge, resp.status)
	assert.Equal(t, "fcserver: request headers exceed the limit of 32768 bytes\n", string(resp.body))
	assert.Empty(t, linesOf(h.log, "huge-headers"))
}
