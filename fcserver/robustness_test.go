package fcserver_test

import (
	"bufio"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/headers"
	"github.com/fcgo/fcgo/httpfn"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
)

// validate returns a typed nil: a classic Go mistake that must fail one
// invocation, not crash the instance.
func validate() *event.Error { return nil }

type panickyError struct{}

func (panickyError) Error() string { panic("Error() exploded") }

func TestOddErrorValuesDoNotCrash(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  func() error
		want string
	}{
		{"typed nil *event.Error", func() error { var err error = validate(); return err },
			`{"errorMessage":"event: nil *event.Error returned as an error","errorType":"HandlerError"}`},
		{"Error method panics", func() error { return panickyError{} },
			`{"errorMessage":"event: the Error method of fcserver_test.panickyError panicked: Error() exploded","errorType":"HandlerError"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := start(t,
				fcserver.WithEvent(event.HandlerFunc(func(context.Context, []byte) ([]byte, error) { return nil, tc.err() })),
				fcserver.WithInitializer(func(context.Context) error { return tc.err() }))

			resp := h.invoke(t, "odd-event", nil)
			assert.Equal(t, fasthttp.StatusNotFound, resp.StatusCode())
			assert.Equal(t, "404", string(resp.Header.Peek("x-fc-status")))
			assert.JSONEq(t, tc.want, string(resp.Body()))
			assert.Equal(t, failedEndLine("Invoke", "odd-event"), last(linesOf(h.log, "odd-event")))

			resp = h.do(t, newRequest("POST", "/initialize", "odd-hook", "/initialize", nil))
			assert.Equal(t, fasthttp.StatusNotFound, resp.StatusCode())
			assert.Equal(t, failedEndLine("Initialize", "odd-hook"), last(linesOf(h.log, "odd-hook")))

			// And the server goes on serving.
			resp = h.invoke(t, "odd-after", nil)
			assert.Equal(t, fasthttp.StatusNotFound, resp.StatusCode())
		})
	}
}

// A timeout of the handler's own (a sub-context, a client) is the
// handler's failure; only the invocation's deadline is FunctionTimeout.
func TestOwnTimeoutIsNotFunctionTimeout(t *testing.T) {
	h := start(t, fcserver.WithEvent(event.HandlerFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
		sub, cancel := context.WithTimeout(ctx, time.Millisecond)
		defer cancel()
		<-sub.Done()
		return nil, fmt.Errorf("query: %w", sub.Err())
	})))
	resp := h.invoke(t, "own-timeout", nil, header{"X-Fc-Function-Timeout", "60"})
	assert.Equal(t, fasthttp.StatusNotFound, resp.StatusCode())
	assert.JSONEq(t, `{"errorMessage":"query: context deadline exceeded","errorType":"HandlerError"}`, string(resp.Body()))
}

// HTTP handlers do not find the STS secret and token on the request, where
// header-dumping middleware would print them; Info still has them.
func TestHTTPRequestCarriesNoSecretHeaders(t *testing.T) {
	seen := make(chan string, 1)
	h := start(t, fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) {
		info, _ := headers.FromContext(rc)
		seen <- rc.Request.Header.String() + "|" + info.Credentials.AccessKeySecret()
	}))
	h.do(t, newRequest("GET", "/", "no-secret-headers", "/http-invoke", nil))
	got := recv(t, seen)
	dump, secret, _ := strings.Cut(got, "|")
	assert.NotContains(t, dump, testSecret)
	assert.NotContains(t, dump, testToken[:32])
	assert.Contains(t, dump, "X-Fc-Request-Id: no-secret-headers")
	assert.Equal(t, testSecret, secret, "the handler gets them from headers.Info")
}

// A streamed body is produced inside the invocation: its lines sit between
// the markers and its context is still live.
func TestHTTPStreamedBodyInsideInvocation(t *testing.T) {
	ctxErr := make(chan error, 1)
	h := start(t, fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) {
		ctx := httpfn.Context(rc)
		log := zerolog.Ctx(rc)
		rc.SetBodyStreamWriter(func(w *bufio.Writer) {
			log.Info().Msg("streaming")
			ctxErr <- ctx.Err()
			_, _ = w.WriteString("chunk-1 ")
			_ = w.Flush()
			_, _ = w.WriteString("chunk-2")
		})
	}))
	resp := h.do(t, newRequest("GET", "/stream", "streamed", "/http-invoke", nil))
	assert.Equal(t, "chunk-1 chunk-2", string(resp.Body()))
	require.NoError(t, recv(t, ctxErr), "the context is live while the body is produced")
	assertInvocationLog(t, h.log, "Invoke", "streamed", false, "streamed [INFO] streaming")
}

// Serve returns only once Shutdown has drained the in-flight invocations,
// so a main that returns when ListenAndServe does loses nothing.
func TestServeReturnsAfterDrain(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{})
	h := start(t, fcserver.WithEvent(event.HandlerFunc(func(context.Context, []byte) ([]byte, error) {
		close(entered)
		<-release
		return []byte("done"), nil
	})))
	answered := make(chan *fasthttp.Response, 1)
	go func() {
		resp := &fasthttp.Response{}
		_ = h.client.DoTimeout(newRequest("POST", "/invoke", "drain-serve", "/invoke", nil), resp, requestTimeout)
		answered <- resp
	}()
	<-entered
	go func() { _ = h.srv.Shutdown(context.Background()) }()
	select {
	case err := <-h.served:
		t.Fatalf("Serve returned (%v) while an invocation was in flight", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	err := recv(t, h.served)
	assert.ErrorIs(t, err, fcserver.ErrServerClosed)
	h.served <- err // for the harness's own check at cleanup
	assert.Equal(t, "done", string(recv(t, answered).Body()))
}

// Output a handler writes directly to stdout (fmt.Println, the standard
// log package, a library's prints) lands between its start and end markers,
// where FC's console and log tail look for it (SPEC §6).
func TestDirectOutputBetweenMarkers(t *testing.T) {
	var h *harness
	h = start(t, fcserver.WithEvent(event.HandlerFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
		fmt.Fprintln(h.log, "printed directly")
		zerolog.Ctx(ctx).Info().Msg("through the logger")
		return nil, nil
	})))
	h.invoke(t, "direct", nil)
	lines := h.log.Lines()
	var got []string
	for _, l := range lines {
		if strings.Contains(l, "direct") {
			got = append(got, l)
		}
	}
	require.Len(t, got, 4, "%q", lines)
	assert.Equal(t, startLine("Invoke", "direct"), got[0])
	assert.Equal(t, "printed directly", got[1])
	assert.Contains(t, got[2], "direct [INFO] through the logger")
	assert.Equal(t, endLine("Invoke", "direct"), got[3])
}
