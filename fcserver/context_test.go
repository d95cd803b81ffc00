package fcserver_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/headers"
	"github.com/fcgo/fcgo/logging"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
)

// seenContext is what a handler observed on its context.
type seenContext struct {
	deadline    time.Time
	hasDeadline bool
	err         error
	ctx         context.Context
}

func observe(ctx context.Context) seenContext {
	dl, ok := ctx.Deadline()
	return seenContext{deadline: dl, hasDeadline: ok, err: ctx.Err(), ctx: ctx}
}

func TestContextDeadline(t *testing.T) {
	seen := make(chan seenContext, 1)
	h := start(t, fcserver.WithEvent(event.HandlerFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
		seen <- observe(ctx)
		return []byte("ok"), nil
	})))

	before := time.Now()
	resp := h.invoke(t, "deadline-3s", nil, header{"X-Fc-Function-Timeout", "3"})
	after := time.Now()
	s := recv(t, seen)

	assert.Equal(t, fasthttp.StatusOK, resp.StatusCode())
	require.True(t, s.hasDeadline, "x-fc-function-timeout gives a deadline")
	// The deadline is arrival + 3 s, and the request arrived between
	// before and after: close to before + 3 s, and exactly within the
	// round trip (the tolerance allows for a loaded machine).
	assert.WithinDuration(t, before.Add(3*time.Second), s.deadline, time.Second)
	assert.False(t, s.deadline.Before(before.Add(3*time.Second)), "deadline %v before send + 3s %v", s.deadline, before.Add(3*time.Second))
	assert.False(t, s.deadline.After(after.Add(3*time.Second)), "deadline %v after answer + 3s %v", s.deadline, after.Add(3*time.Second))
	assert.NoError(t, s.err, "ctx.Err() during the invocation, before the deadline")
}

func TestContextNoDeadline(t *testing.T) {
	seen := make(chan seenContext, 2)
	h := start(t, fcserver.WithEvent(event.HandlerFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
		seen <- observe(ctx)
		return nil, nil
	})))

	for _, tc := range []struct{ name, timeout string }{
		{"absent", ""},   // newRequest sets no timeout header by default
		{"empty", " "},   // emulators send empty strings for unset values
		{"zero", "0"},    // no meaningful timeout
		{"junk", "soon"}, // malformed: ignored, with a warning
	} {
		t.Run(tc.name, func(t *testing.T) {
			var extra []header
			if tc.timeout != "" {
				extra = append(extra, header{"X-Fc-Function-Timeout", strings.TrimSpace(tc.timeout)})
			}
			id := "no-deadline-" + tc.name
			resp := h.invoke(t, id, nil, extra...)
			s := recv(t, seen)

			assert.Equal(t, fasthttp.StatusOK, resp.StatusCode())
			assert.False(t, s.hasDeadline)
			assert.True(t, s.deadline.IsZero())
			assert.NoError(t, s.err)
			if tc.name == "junk" {
				assertInvocationLog(t, h.log, "Invoke", id, false,
					id+` [WARN] fcserver: ignoring malformed x-fc-* header error="headers: malformed x-fc-function-timeout value \"soon\": not a non-negative decimal integer"`)
			} else {
				assertInvocationLog(t, h.log, "Invoke", id, false)
			}
		})
	}
}

func TestContextDeadlineExceeded(t *testing.T) {
	// A handler that honours its context sees the deadline pass, and FC
	// gets a proper answer and markers.
	type result struct {
		err     error
		elapsed time.Duration
	}
	for _, tc := range []struct {
		name     string
		giveUp   bool // return ctx.Err() rather than a partial result
		status   int
		wantBody string
	}{
		{"returns ctx.Err()", true, fasthttp.StatusNotFound, `{"errorMessage":"context deadline exceeded","errorType":"FunctionTimeout"}`},
		{"answers anyway", false, fasthttp.StatusOK, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seen := make(chan result, 1)
			h := start(t, fcserver.WithEvent(event.HandlerFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
				start := time.Now()
				select {
				case <-ctx.Done():
				case <-time.After(requestTimeout / 2):
					seen <- result{errors.New("the deadline never came"), time.Since(start)}
					return nil, errors.New("no deadline")
				}
				seen <- result{ctx.Err(), time.Since(start)}
				if tc.giveUp {
					return nil, ctx.Err()
				}
				return []byte("partial result"), nil
			})))
			id := "deadline-exceeded-" + fmt.Sprint(tc.giveUp)

			before := time.Now()
			resp := h.invoke(t, id, nil, header{"X-Fc-Function-Timeout", "1"})
			elapsed := time.Since(before)
			r := recv(t, seen)

			assert.ErrorIs(t, r.err, context.DeadlineExceeded)
			assert.GreaterOrEqual(t, elapsed, time.Second, "the deadline is arrival + 1 s")
			assert.Equal(t, tc.status, resp.StatusCode())
			if tc.giveUp {
				assert.Equal(t, "404", string(resp.Header.Peek("x-fc-status")))
				assert.JSONEq(t, tc.wantBody, string(resp.Body()))
				assertInvocationLog(t, h.log, "Invoke", id, true,
					id+` [ERROR] invocation failed errorType=FunctionTimeout errorMessage="context deadline exceeded"`)
			} else {
				assert.Equal(t, "200", string(resp.Header.Peek("x-fc-status")))
				assert.Equal(t, "partial result", string(resp.Body()))
				assertInvocationLog(t, h.log, "Invoke", id, false)
			}
		})
	}
}

func TestContextCanceledAfterInvocation(t *testing.T) {
	type kept struct {
		ctx     context.Context
		done    <-chan struct{} // nil unless Done was called during the invocation
		derived context.Context
		cancel  context.CancelFunc
	}
	for _, tc := range []struct {
		name       string
		callDone   bool
		timeoutHdr string
	}{
		{"Done never called", false, ""},
		{"Done called during the invocation", true, ""},
		{"with a deadline", true, "60"},
		{"with a deadline, Done never called", false, "60"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			keep := make(chan kept, 1)
			h := start(t, fcserver.WithEvent(event.HandlerFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
				k := kept{ctx: ctx}
				if tc.callDone {
					k.done = ctx.Done()
				}
				// A context the handler derives for work of its own.
				k.derived, k.cancel = context.WithTimeout(ctx, time.Hour)
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				keep <- k
				return []byte("done"), nil
			})))
			var extra []header
			if tc.timeoutHdr != "" {
				extra = append(extra, header{"X-Fc-Function-Timeout", tc.timeoutHdr})
			}

			resp := h.invoke(t, "cancel-after", nil, extra...)
			k := recv(t, keep)
			defer k.cancel()

			assert.Equal(t, fasthttp.StatusOK, resp.StatusCode())
			assert.ErrorIs(t, k.ctx.Err(), context.Canceled, "ctx.Err() once the invocation ended")
			assert.NotErrorIs(t, k.ctx.Err(), context.DeadlineExceeded)
			if k.done != nil {
				assertClosed(t, k.done, "the Done channel taken during the invocation")
			}
			assertClosed(t, k.ctx.Done(), "Done asked for after the invocation")
			assertEventually(t, k.derived.Done(), "a context derived from the invocation context")
			assert.ErrorIs(t, k.derived.Err(), context.Canceled)
			info, ok := headers.FromContext(k.ctx)
			require.True(t, ok, "the Info is still reachable")
			assert.Equal(t, "cancel-after", info.RequestID)
		})
	}
}

func assertClosed(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	default:
		assert.Fail(t, what+" is not closed")
	}
}

// assertEventually waits for ch to close: a derived context learns of its
// parent's end through a goroutine of the context package.
func assertEventually(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(requestTimeout):
		assert.Fail(t, what+" is not closed")
	}
}

func TestContextHookDeadline(t *testing.T) {
	for _, tc := range []struct {
		name  string
		extra []header
		want  time.Duration
	}{
		{"the function's timeout", []header{{"X-Fc-Function-Timeout", "30"}}, 30 * time.Second},
		// FC 2.0 sends the initializer a timeout of its own.
		{"the initializer's own timeout", []header{{"X-Fc-Function-Timeout", "30"}, {"X-Fc-Initialization-Timeout", "300"}}, 300 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seen := make(chan seenContext, 1)
			h := start(t, fcserver.WithInitializer(func(ctx context.Context) error {
				seen <- observe(ctx)
				return nil
			}))

			before := time.Now()
			resp := h.do(t, newRequest("POST", "/initialize", "init-deadline", "/initialize", nil, tc.extra...))
			s := recv(t, seen)

			assert.Equal(t, fasthttp.StatusOK, resp.StatusCode())
			require.True(t, s.hasDeadline)
			assert.WithinDuration(t, before.Add(tc.want), s.deadline, time.Second)
			assert.ErrorIs(t, s.ctx.Err(), context.Canceled, "the hook context ends with the hook")
		})
	}
}

func TestContextValues(t *testing.T) {
	type otherKey struct{}
	seen := make(chan string, 1)
	h := start(t, fcserver.WithEvent(event.HandlerFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
		// What a handler reaches through its context, also through a
		// context derived from it.
		derived := context.WithValue(ctx, otherKey{}, "mine")
		info, ok := headers.FromContext(derived)
		if !ok {
			return nil, errors.New("no Info")
		}
		zerolog.Ctx(derived).Debug().Msg("hidden at info level")
		zerolog.Ctx(derived).Info().Str("region", info.Region).Int("memoryMB", info.Function.MemoryMB).Msg("derived logger")
		seen <- fmt.Sprint(derived.Value(otherKey{}), " ", ctx.Value(otherKey{}))
		return nil, nil
	})))

	resp := h.invoke(t, "values", nil)

	assert.Equal(t, fasthttp.StatusOK, resp.StatusCode())
	assert.Equal(t, "mine <nil>", recv(t, seen))
	assertInvocationLog(t, h.log, "Invoke", "values", false, "values [INFO] derived logger region=cn-hangzhou memoryMB=512")
}

func TestContextMalformedHeaderDoesNotFailInvocation(t *testing.T) {
	seen := make(chan *headers.Info, 1)
	h := start(t, fcserver.WithEvent(event.HandlerFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
		info, _ := headers.FromContext(ctx)
		seen <- info
		return []byte("fine"), nil
	})))

	resp := h.invoke(t, "malformed", nil, header{"X-Fc-Function-Memory", "abc"})
	info := recv(t, seen)

	assert.Equal(t, fasthttp.StatusOK, resp.StatusCode())
	assert.Equal(t, "fine", string(resp.Body()))
	assert.Equal(t, 0, info.Function.MemoryMB, "a malformed value leaves its field unset")
	assert.Equal(t, "greet", info.Function.Name, "the other fields are parsed")
	assertInvocationLog(t, h.log, "Invoke", "malformed", false,
		`malformed [WARN] fcserver: ignoring malformed x-fc-* header error="headers: malformed x-fc-function-memory value \"abc\": not a non-negative decimal integer"`)
}

func TestContextCredentialsNeverLogged(t *testing.T) {
	// A careless handler prints the whole Info every way it can, then
	// panics with it: neither the secret nor the token reaches the log or
	// the answer.
	type panicValue struct {
		Reason string
		Info   headers.Info
	}
	handler := event.HandlerFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
		info, ok := headers.FromContext(ctx)
		if !ok {
			return nil, errors.New("no Info")
		}
		l := zerolog.Ctx(ctx)
		l.Info().Interface("info", info).Msg("info as interface")
		l.Info().Msg(fmt.Sprintf("%+v", info))
		l.Info().Msg(fmt.Sprintf("%+v", *info))
		l.Info().Msgf("%v | %#v | %s | %q | %x", *info, *info, info.Credentials, info.Credentials, info.Credentials)
		l.Info().Interface("credentials", info.Credentials).Object("object", info.Credentials).Msg("credentials")
		l.Error().Err(fmt.Errorf("request %+v failed", *info)).Msg("wrapped in an error")
		panic(panicValue{Reason: "giving up", Info: *info})
	})
	for _, format := range []logging.Format{logging.Text, logging.JSON} {
		t.Run(format.String(), func(t *testing.T) {
			h := startWithLogger(t, []logging.Option{logging.WithFormat(format), logging.WithLevel(zerolog.DebugLevel)},
				fcserver.WithEvent(handler))

			resp := h.invoke(t, "creds-"+format.String(), []byte(`{}`))

			assert.Equal(t, fasthttp.StatusNotFound, resp.StatusCode())
			assert.Equal(t, "404", string(resp.Header.Peek("x-fc-status")))
			out := h.log.String() + "\n" + string(resp.Body())
			for _, secret := range []string{testSecret, testToken} {
				for name, form := range map[string]string{
					"plain":        secret,
					"base64":       base64.StdEncoding.EncodeToString([]byte(secret)),
					"base64 raw":   base64.RawStdEncoding.EncodeToString([]byte(secret)),
					"base64 url":   base64.URLEncoding.EncodeToString([]byte(secret)),
					"prefix":       secret[:24],
					"base64prefix": base64.StdEncoding.EncodeToString([]byte(secret))[:24],
				} {
					assert.NotContains(t, out, form, "secret in %s form", name)
				}
			}
			// The handler did print the Info: the redaction is what hid it.
			assert.Contains(t, out, testKeyID)
			assert.Contains(t, out, headers.Redacted)
			assert.Contains(t, out, "giving up")
			assert.Equal(t, failedEndLine("Invoke", "creds-"+format.String()),
				last(strings.Split(strings.TrimSuffix(h.log.String(), "\n"), "\n")))
		})
	}
}

func TestContextCredentialsNotInMalformedRequestLog(t *testing.T) {
	// fasthttp quotes the raw request in its errors unless told not to;
	// the request carries the STS secret and token.
	h := start(t, fcserver.WithEvent(event.HandlerFunc(func(context.Context, []byte) ([]byte, error) {
		return nil, nil
	})))
	conn := h.dialRaw(t)

	raw := "POST /invoke HTTP/1.1\r\nHost: function\r\n" +
		"X-Fc-Access-Key-Secret: " + testSecret + "\r\n" +
		"X-Fc-Security-Token: " + testToken + "\r\n" +
		"Content-Length: not-a-number\r\n\r\n"
	resp := conn.roundTrip([]byte(raw))

	assert.Equal(t, fasthttp.StatusBadRequest, resp.status)
	assert.Equal(t, "fcserver: malformed HTTP request\n", string(resp.body))
	out := h.log.String()
	assert.Contains(t, out, "fcserver: rejected a request", "the rejection is logged")
	assert.NotContains(t, out, testSecret)
	assert.NotContains(t, out, testToken[:32])
	assert.NotContains(t, string(resp.body), testSecret)
}
