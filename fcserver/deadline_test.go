package fcserver_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/httpfn"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/valyala/fasthttp"
)

// These tests extend TestContextDeadlineExceeded (an event.HandlerFunc
// that waits on ctx.Done) to the other ways a handler meets its deadline:
// through a derived context, by polling Err, in native and net/http HTTP
// handlers and in hooks. Each handler outlives x-fc-function-timeout (1 s)
// with a wait of its own ten times longer; the deadline must end the wait
// first, and the answer and markers must still be right.

// ownWait is how long a handler would wait if the deadline never came.
const ownWait = requestTimeout / 2

// deadlineSeen is how a handler's wait ended.
type deadlineSeen struct {
	fired bool // the context ended before the handler's own wait
	early bool // it ended before its Deadline()
	err   error
}

// waitDeadline waits for ctx to end, or for ownWait.
func waitDeadline(ctx context.Context) deadlineSeen {
	select {
	case <-ctx.Done():
		return ended(ctx)
	case <-time.After(ownWait):
		return deadlineSeen{err: ctx.Err()}
	}
}

// ended reports on a context that has just ended.
func ended(ctx context.Context) deadlineSeen {
	dl, ok := ctx.Deadline()
	return deadlineSeen{fired: true, early: !ok || time.Now().Before(dl), err: ctx.Err()}
}

// assertDeadline checks that the wait ended by the deadline: before the
// handler's own wait would have, and not before the deadline itself.
func assertDeadline(t *testing.T, s deadlineSeen) {
	t.Helper()
	assert.True(t, s.fired, "ctx.Done() fired before the handler's own %v wait ended", ownWait)
	assert.False(t, s.early, "the context ended before its deadline")
	assert.ErrorIs(t, s.err, context.DeadlineExceeded)
}

func TestDeadlineEvent(t *testing.T) {
	for _, tc := range []struct {
		name    string
		timeout string // x-fc-function-timeout
		handler func(seen chan<- deadlineSeen) event.Handler
		// The answer: FunctionTimeout only when the invocation's own
		// deadline passed.
		wantBody string
		wantLog  []string
	}{{
		name:    "typed handler, derived context, wrapped error",
		timeout: "1",
		handler: func(seen chan<- deadlineSeen) event.Handler {
			return event.JSON(func(ctx context.Context, in struct{ Table string }) (struct{}, error) {
				query, cancel := context.WithCancel(ctx)
				defer cancel()
				s := waitDeadline(query)
				seen <- s
				zerolog.Ctx(ctx).Warn().Str("table", in.Table).Msg("query gave up")
				return struct{}{}, fmt.Errorf("query %s: %w", in.Table, s.err)
			})
		},
		wantBody: `{"errorMessage":"query users: context deadline exceeded","errorType":"FunctionTimeout"}`,
		wantLog: []string{
			"[WARN] query gave up table=users",
			`[ERROR] invocation failed errorType=FunctionTimeout errorMessage="query users: context deadline exceeded"`,
		},
	}, {
		name:    "polls Err, never calls Done",
		timeout: "1",
		handler: func(seen chan<- deadlineSeen) event.Handler {
			return event.HandlerFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
				start := time.Now()
				for ctx.Err() == nil && time.Since(start) < ownWait {
					time.Sleep(5 * time.Millisecond)
				}
				if ctx.Err() == nil {
					seen <- deadlineSeen{}
					return nil, nil
				}
				seen <- ended(ctx)
				return nil, ctx.Err()
			})
		},
		wantBody: `{"errorMessage":"context deadline exceeded","errorType":"FunctionTimeout"}`,
		wantLog:  []string{`[ERROR] invocation failed errorType=FunctionTimeout errorMessage="context deadline exceeded"`},
	}, {
		// The handler's own shorter timeout is its failure, not the
		// function's timeout: FC would otherwise report a timeout the
		// function never had.
		name:    "own shorter timeout is a HandlerError",
		timeout: "60",
		handler: func(seen chan<- deadlineSeen) event.Handler {
			return event.HandlerFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
				call, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
				defer cancel()
				s := waitDeadline(call)
				seen <- s
				return nil, s.err
			})
		},
		wantBody: `{"errorMessage":"context deadline exceeded","errorType":"HandlerError"}`,
		wantLog:  []string{`[ERROR] invocation failed errorType=HandlerError errorMessage="context deadline exceeded"`},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			seen := make(chan deadlineSeen, 1)
			h := start(t, fcserver.WithEvent(tc.handler(seen)))
			id := "deadline-event"

			resp := h.invoke(t, id, []byte(`{"Table":"users"}`), header{"X-Fc-Function-Timeout", tc.timeout})
			s := recv(t, seen)

			assertDeadline(t, s)
			assert.Equal(t, fasthttp.StatusNotFound, resp.StatusCode())
			assert.Equal(t, "404", string(resp.Header.Peek("x-fc-status")))
			assert.JSONEq(t, tc.wantBody, string(resp.Body()))
			var want []string
			for _, l := range tc.wantLog {
				want = append(want, id+" "+l)
			}
			assertInvocationLog(t, h.log, "Invoke", id, true, want...)
		})
	}
}

func TestDeadlineHTTP(t *testing.T) {
	// An HTTP function answers for itself when its deadline passes: its
	// own status goes back, and the invocation is not marked failed.
	for _, tc := range []struct {
		name  string
		mount func(seen chan<- deadlineSeen) fcserver.Option
	}{{
		name: "native",
		mount: func(seen chan<- deadlineSeen) fcserver.Option {
			return fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) {
				ctx := httpfn.Context(rc)
				s := waitDeadline(ctx)
				seen <- s
				zerolog.Ctx(ctx).Warn().Err(s.err).Msg("gave up")
				rc.SetStatusCode(fasthttp.StatusGatewayTimeout)
				rc.SetBodyString("gave up: " + fmt.Sprint(s.err))
			})
		},
	}, {
		name: "net/http",
		mount: func(seen chan<- deadlineSeen) fcserver.Option {
			return fcserver.WithStdHTTP(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				s := waitDeadline(r.Context())
				seen <- s
				zerolog.Ctx(r.Context()).Warn().Err(s.err).Msg("gave up")
				w.WriteHeader(http.StatusGatewayTimeout)
				fmt.Fprint(w, "gave up: ", s.err)
			}))
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			seen := make(chan deadlineSeen, 1)
			h := start(t, tc.mount(seen))
			id := "deadline-http"

			resp := h.do(t, newRequest("GET", "/report", id, "/http-invoke", nil, header{"X-Fc-Function-Timeout", "1"}))
			s := recv(t, seen)

			assertDeadline(t, s)
			assert.Equal(t, fasthttp.StatusGatewayTimeout, resp.StatusCode())
			assert.Equal(t, "gave up: context deadline exceeded", string(resp.Body()))
			assert.Empty(t, resp.Header.Peek("x-fc-status"))
			assertInvocationLog(t, h.log, "Invoke", id, false, id+` [WARN] gave up error="context deadline exceeded"`)
		})
	}
}

func TestDeadlineHook(t *testing.T) {
	// A hook that outlives its deadline and returns ctx.Err() failed: 404
	// (FC goes on; only ErrRestartInstance restarts), failure suffix.
	hook := func(seen chan<- deadlineSeen) fcserver.Hook {
		return func(ctx context.Context) error {
			s := waitDeadline(ctx)
			seen <- s
			return s.err
		}
	}
	for _, tc := range []struct {
		name         string
		opt          func(fcserver.Hook) fcserver.Option
		method, path string
		kind         string
		extra        []header
	}{
		{"pre-stop", fcserver.WithPreStop, "GET", "/pre-stop", "PreStop",
			[]header{{"X-Fc-Function-Timeout", "1"}}},
		// FC 2.0 gives the initializer a timeout of its own: it, not the
		// function's, ends the wait.
		{"initializer", fcserver.WithInitializer, "POST", "/initialize", "Initialize",
			[]header{{"X-Fc-Function-Timeout", "60"}, {"X-Fc-Initialization-Timeout", "1"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			seen := make(chan deadlineSeen, 1)
			h := start(t, tc.opt(hook(seen)))
			id := "deadline-" + tc.name

			resp := h.do(t, newRequest(tc.method, tc.path, id, tc.path, nil, tc.extra...))
			s := recv(t, seen)

			assertDeadline(t, s)
			assert.Equal(t, fasthttp.StatusNotFound, resp.StatusCode())
			assert.Equal(t, tc.kind+" hook failed: context deadline exceeded\n", string(resp.Body()))
			assertInvocationLog(t, h.log, tc.kind, id, true,
				id+" [ERROR] "+tc.kind+` hook failed error="context deadline exceeded" status=404`)
		})
	}
}
