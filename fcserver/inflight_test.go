package fcserver_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/fcgo/fcgo/fcserver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
)

func TestMaxConcurrency(t *testing.T) {
	const limit = 3
	entered, release := make(chan string, limit), make(chan struct{})
	hookRan := make(chan string, 3)
	hook := func(name string) fcserver.Hook {
		return func(context.Context) error { hookRan <- name; return nil }
	}
	h := start(t, fcserver.WithMaxConcurrency(limit), blockingEvent(entered, release),
		fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) { rc.SetBodyString("http ok") }),
		fcserver.WithInitializer(hook("initialize")), fcserver.WithPreFreeze(hook("pre-freeze")),
		fcserver.WithPreStop(hook("pre-stop")))

	// limit invocations block in the handler: the server is full.
	answered := make(chan *fasthttp.Response, limit)
	for i := range limit {
		go func() {
			resp := &fasthttp.Response{}
			id := fmt.Sprintf("held-%d", i)
			_ = h.client.DoTimeout(newRequest("POST", "/invoke", id, "/invoke", []byte(id)), resp, requestTimeout)
			answered <- resp
		}()
	}
	for range limit {
		recv(t, entered)
	}

	t.Run("event invoke beyond the limit", func(t *testing.T) {
		resp := h.dialRaw(t).roundTrip(rawRequest("POST", "/invoke", "refused-event", "/invoke", []byte("x")))
		assert.Equal(t, fasthttp.StatusNotFound, resp.status, "a failed event, as SPEC §4 has it")
		assert.Equal(t, []string{"404"}, resp.get("x-fc-status"), "FC must record a failure")
		assert.Equal(t, []string{"application/json"}, resp.get("Content-Type"))
		assert.JSONEq(t, `{"errorType":"TooManyRequests",
			"errorMessage":"fcserver: too many concurrent invocations: 3 already in flight, the limit set by fcserver.WithMaxConcurrency; retry later"}`,
			string(resp.body))
		assertInvocationLog(t, h.log, "Invoke", "refused-event", true,
			"refused-event [WARN] fcserver: refused an invocation limit=3 status=404")
	})
	t.Run("http invoke beyond the limit", func(t *testing.T) {
		resp := h.dialRaw(t).roundTrip(rawRequest("GET", "/page", "refused-http", "/http-invoke", nil))
		assert.Equal(t, fasthttp.StatusTooManyRequests, resp.status)
		assert.Empty(t, resp.get("x-fc-status"), "an HTTP invoke answers with its status alone")
		assert.Equal(t, "fcserver: too many concurrent invocations: 3 already in flight, the limit set by fcserver.WithMaxConcurrency; retry later\n",
			string(resp.body))
		assertInvocationLog(t, h.log, "Invoke", "refused-http", true,
			"refused-http [WARN] fcserver: refused an invocation limit=3 status=429")
	})
	t.Run("hooks are never refused", func(t *testing.T) {
		for _, hk := range []struct{ method, path, kind string }{
			{"POST", "/initialize", "Initialize"}, {"GET", "/pre-freeze", "PreFreeze"}, {"GET", "/pre-stop", "PreStop"},
		} {
			id := "hook" + hk.path
			resp := h.dialRaw(t).roundTrip(rawRequest(hk.method, hk.path, id, hk.path, nil))
			assert.Equal(t, fasthttp.StatusOK, resp.status, hk.path)
			assert.Equal(t, hk.path[1:], recv(t, hookRan))
			assertInvocationLog(t, h.log, hk.kind, id, false)
		}
	})

	// Once the held invocations finish, the server serves again.
	close(release)
	for range limit {
		resp := recv(t, answered)
		assert.Equal(t, fasthttp.StatusOK, resp.StatusCode())
		assert.Contains(t, string(resp.Body()), "finished held-")
	}
	go func() { <-entered }() // the next invocation's signal
	resp := h.invoke(t, "after-limit", []byte("again"))
	assert.Equal(t, fasthttp.StatusOK, resp.StatusCode())
	assert.Equal(t, "finished again", string(resp.Body()))
	resp = h.do(t, newRequest("GET", "/page", "after-limit-http", "/http-invoke", nil))
	assert.Equal(t, fasthttp.StatusOK, resp.StatusCode())
	assert.Equal(t, "http ok", string(resp.Body()))
}

// Without the option (or with zero or less) nothing is refused: FC's own
// instance concurrency is the bound.
func TestMaxConcurrencyUnlimited(t *testing.T) {
	for _, n := range []int{0, -1} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			const held = 20
			entered, release := make(chan string, held), make(chan struct{})
			h := start(t, fcserver.WithMaxConcurrency(n), blockingEvent(entered, release))
			answered := make(chan int, held)
			for i := range held {
				go func() {
					resp := &fasthttp.Response{}
					id := fmt.Sprintf("u-%d", i)
					_ = h.client.DoTimeout(newRequest("POST", "/invoke", id, "/invoke", []byte(id)), resp, requestTimeout)
					answered <- resp.StatusCode()
				}()
			}
			for range held {
				recv(t, entered)
			}
			close(release)
			for range held {
				require.Equal(t, fasthttp.StatusOK, recv(t, answered))
			}
		})
	}
}
