package fcserver_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/headers"
	"github.com/fcgo/fcgo/httpfn"
	"github.com/fcgo/fcgo/logging"
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
// header-dumping middleware would print them, through any of fasthttp's
// views of it; Info still has them, and the other headers keep their order.
func TestHTTPRequestCarriesNoSecretHeaders(t *testing.T) {
	type seen struct{ dump, raw, inOrder, xff, secret string }
	got := make(chan seen, 1)
	h := start(t, fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) {
		info, _ := headers.FromContext(rc)
		var inOrder, xff []string
		for k, v := range rc.Request.Header.AllInOrder() {
			inOrder = append(inOrder, string(k)+": "+string(v))
		}
		for _, v := range rc.Request.Header.PeekAll("X-Forwarded-For") {
			xff = append(xff, string(v))
		}
		got <- seen{rc.Request.Header.String(), string(rc.Request.Header.RawHeaders()),
			strings.Join(inOrder, "\n"), strings.Join(xff, ","), info.Credentials.AccessKeySecret()}
	}))
	raw := strings.Replace(string(rawRequest("GET", "/", "no-secret-headers", "/http-invoke", nil)),
		"Host: function\r\n", "Host: function\r\nX-Forwarded-For: 1.1.1.1\r\nX-Forwarded-For: 2.2.2.2\r\n", 1)
	h.dialRaw(t).roundTrip([]byte(raw))
	s := recv(t, got)
	for name, view := range map[string]string{"String": s.dump, "RawHeaders": s.raw, "AllInOrder": s.inOrder} {
		assert.NotContains(t, view, testSecret, name)
		assert.NotContains(t, view, testToken[:32], name)
		assert.Contains(t, view, "no-secret-headers", name)
	}
	assert.Equal(t, "1.1.1.1,2.2.2.2", s.xff, "repeated headers keep their order")
	assert.Equal(t, testSecret, s.secret, "the handler gets them from headers.Info")
}

// A secret header folded over several lines (obs-fold, which fasthttp
// accepts and joins) leaks none of its lines through any view of the
// request, the raw header block included.
func TestHTTPFoldedSecretHeadersRedacted(t *testing.T) {
	type seen struct{ dump, raw, inOrder, secret, token string }
	got := make(chan seen, 1)
	h := start(t, fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) {
		info, _ := headers.FromContext(rc)
		var inOrder []string
		for k, v := range rc.Request.Header.AllInOrder() {
			inOrder = append(inOrder, string(k)+": "+string(v))
		}
		got <- seen{rc.Request.Header.String(), string(rc.Request.Header.RawHeaders()), strings.Join(inOrder, "\n"),
			info.Credentials.AccessKeySecret(), info.Credentials.SecurityToken()}
	}))
	const secretTail, tokenMid, tokenTail = "SECRETfoldTAILxyz", "TOKENfoldMIDDLE:42", "TOKENfoldLASTpart"
	raw := string(rawRequest("GET", "/", "folded", "/http-invoke", nil))
	raw = strings.Replace(raw, "X-Fc-Access-Key-Secret: "+testSecret+"\r\n",
		"X-Fc-Access-Key-Secret: "+testSecret+"\r\n "+secretTail+"\r\n", 1)
	raw = strings.Replace(raw, "X-Fc-Security-Token: "+testToken+"\r\n",
		"x-fc-security-token:\r\n "+testToken+"\r\n\t"+tokenMid+"\r\n  "+tokenTail+"  \r\n", 1)
	require.Contains(t, raw, tokenTail)
	require.Contains(t, raw, secretTail)
	resp := h.dialRaw(t).roundTrip([]byte(raw))
	require.Equal(t, fasthttp.StatusOK, resp.status)
	s := recv(t, got)
	assert.Equal(t, testSecret+" "+secretTail, s.secret, "fasthttp joins the folded lines")
	assert.Contains(t, s.token, tokenTail)
	for name, view := range map[string]string{"String": s.dump, "RawHeaders": s.raw, "AllInOrder": s.inOrder} {
		for _, part := range []string{testSecret, secretTail, testToken[:32], tokenMid, tokenTail} {
			assert.NotContains(t, view, part, name)
		}
		assert.Contains(t, view, "folded", name)
	}
}

// requestViews joins every view a handler has of the request's headers:
// each header through All and AllInOrder, the secret names in several
// spellings through Peek and PeekAll, the serialised header and request,
// the raw header block and the trailers.
func requestViews(rc *fasthttp.RequestCtx) string {
	h := &rc.Request.Header
	var b strings.Builder
	for k, v := range h.All() {
		b.WriteString(string(k) + ": " + string(v) + "\n")
	}
	for k, v := range h.AllInOrder() {
		b.WriteString(string(k) + ": " + string(v) + "\n")
	}
	for _, name := range []string{
		headers.XFCAccessKeySecret, "X-Fc-Access-Key-Secret", "X-FC-ACCESS-KEY-SECRET",
		headers.XFCSecurityToken, "X-Fc-Security-Token", "X-FC-SECURITY-TOKEN",
	} {
		b.WriteString(name + ": " + string(h.Peek(name)) + "\n")
		for _, v := range h.PeekAll(name) {
			b.WriteString(name + ": " + string(v) + "\n")
		}
	}
	b.WriteString(h.String() + "\n" + string(h.RawHeaders()) + "\n" + string(h.TrailerHeader()) + "\n" + rc.Request.String())
	return b.String()
}

// Secret header names that are trailers (announced in Trailer, or sent
// after a chunked body) leak through no view of the request: fasthttp
// keeps trailer values in a section of their own, which Set alone would
// write while leaving the header's own value as it came.
func TestHTTPSecretTrailersRedacted(t *testing.T) {
	views := make(chan string, 1)
	h := start(t, fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) {
		views <- requestViews(rc)
	}))
	const trailerSecret, trailerToken = "SECRETinTRAILERabc", "TOKENinTRAILERxyz"
	announce := header{"Trailer", "X-Fc-Security-Token, X-Fc-Access-Key-Secret"}
	chunked := func(id string, trailers string, extra ...header) []byte {
		raw := string(rawRequest("POST", "/", id, "/http-invoke", nil, extra...))
		raw = strings.Replace(raw, "Content-Length: 0\r\n", "Transfer-Encoding: chunked\r\n", 1)
		return []byte(raw + "5\r\nhello\r\n0\r\n" + trailers + "\r\n")
	}
	for name, raw := range map[string][]byte{
		"announced, none sent": rawRequest("GET", "/", "announced", "/http-invoke", nil, announce),
		"sent after the body": chunked("unannounced",
			"X-Fc-Security-Token: "+trailerToken+"\r\nX-Fc-Access-Key-Secret: "+trailerSecret+"\r\n"),
		"announced and sent": chunked("announced-sent",
			"X-Fc-Security-Token: "+trailerToken+"\r\nX-Fc-Access-Key-Secret: "+trailerSecret+"\r\n", announce),
	} {
		t.Run(name, func(t *testing.T) {
			resp := h.dialRaw(t).roundTrip(raw)
			require.Equal(t, fasthttp.StatusOK, resp.status)
			v := recv(t, views)
			for _, secret := range []string{testSecret, testToken[:32], trailerSecret, trailerToken} {
				assert.NotContains(t, v, secret)
			}
		})
	}
}

// The handler served by a fasthttp.Server of the application's own that
// keeps header names as sent (DisableHeaderNamesNormalizing) redacts the
// secret headers too, whatever their case.
func TestHTTPSecretHeadersRedactedWithoutNormalizing(t *testing.T) {
	var views string
	s := fcserver.New(fcserver.WithLogger(logging.New(io.Discard)), fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) {
		views = requestViews(rc)
	}))
	const trailerToken = "TOKENinTRAILERasSENT"
	plain := string(rawRequest("GET", "/", "as-sent", "/http-invoke", nil))
	plain = strings.Replace(plain, "X-Fc-Security-Token:", "X-FC-Security-Token:", 1)
	plain = strings.Replace(plain, "X-Fc-Access-Key-Secret:", "x-fc-access-key-SECRET:", 1)
	chunked := strings.Replace(strings.Replace(plain, "GET / ", "POST / ", 1), "Content-Length: 0\r\n", "Transfer-Encoding: chunked\r\n", 1) +
		"5\r\nhello\r\n0\r\nX-FC-SECURITY-TOKEN: " + trailerToken + "\r\n\r\n"
	for name, raw := range map[string]string{"headers": plain, "trailer": chunked} {
		t.Run(name, func(t *testing.T) {
			var req fasthttp.Request
			req.Header.DisableNormalizing()
			require.NoError(t, req.Read(bufio.NewReader(strings.NewReader(raw))))
			var rc fasthttp.RequestCtx
			rc.Init(&req, nil, nil)
			s.Handler()(&rc)
			require.Equal(t, fasthttp.StatusOK, rc.Response.StatusCode())
			require.Contains(t, views, "as-sent")
			for _, secret := range []string{testSecret, testToken[:32], trailerToken} {
				assert.NotContains(t, views, secret)
			}
		})
	}
}

// Served by a fasthttp.Server of the application's own, the handler may
// come after code that changed the request's headers: one that dropped or
// replaced a secret header still leaves no secret in the raw header
// block, which keeps the line as it came.
func TestHTTPSecretHeadersRedactedAfterChangesBeforeHandler(t *testing.T) {
	var views string
	s := fcserver.New(fcserver.WithLogger(logging.New(io.Discard)), fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) {
		views = requestViews(rc)
	}))
	raw := string(rawRequest("GET", "/", "changed", "/http-invoke", nil))
	for name, change := range map[string]func(h *fasthttp.RequestHeader){
		"token dropped":  func(h *fasthttp.RequestHeader) { h.Del(headers.XFCSecurityToken) },
		"secret dropped": func(h *fasthttp.RequestHeader) { h.Del(headers.XFCAccessKeySecret) },
		"token replaced": func(h *fasthttp.RequestHeader) {
			h.Del(headers.XFCSecurityToken)
			h.Set("X-Fc-Security-Token", "set-by-middleware")
		},
	} {
		t.Run(name, func(t *testing.T) {
			var req fasthttp.Request
			require.NoError(t, req.Read(bufio.NewReader(strings.NewReader(raw))))
			var rc fasthttp.RequestCtx
			rc.Init(&req, nil, nil)
			change(&rc.Request.Header)
			s.Handler()(&rc)
			require.Equal(t, fasthttp.StatusOK, rc.Response.StatusCode())
			require.Contains(t, views, "changed")
			for _, secret := range []string{testSecret, testToken[:32]} {
				assert.NotContains(t, views, secret)
			}
		})
	}
}

// Served by a fasthttp.Server of the application's own that streams
// request bodies (StreamRequestBody), a chunked body's trailers arrive only
// with the body: the handler must not find a secret among them after
// reading it.
func TestHTTPSecretTrailersRedactedWhenBodiesStream(t *testing.T) {
	got := make(chan string, 1)
	s := fcserver.New(fcserver.WithLogger(logging.New(io.Discard)), fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) {
		body := string(rc.Request.Body())
		got <- body + "\n" + requestViews(rc)
	}))
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &fasthttp.Server{Handler: s.Handler(), StreamRequestBody: true}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	c, err := net.Dial("tcp4", ln.Addr().String())
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	require.NoError(t, c.SetDeadline(time.Now().Add(requestTimeout)))
	const trailerToken = "TOKENinSTREAMEDtrailer"
	_, err = io.WriteString(c, "POST / HTTP/1.1\r\nHost: f\r\nX-Fc-Request-Id: streamed\r\nX-Fc-Control-Path: /http-invoke\r\n"+
		"X-Fc-Security-Token: "+testToken+"\r\nTrailer: X-Fc-Security-Token\r\nTransfer-Encoding: chunked\r\n\r\n"+
		"5\r\nhello\r\n0\r\nX-Fc-Security-Token: "+trailerToken+"\r\n\r\n")
	require.NoError(t, err)
	status, err := bufio.NewReader(c).ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "HTTP/1.1 200 OK\r\n", status)
	v := recv(t, got)
	assert.True(t, strings.HasPrefix(v, "hello\n"), "the handler reads the whole body: %q", v)
	assert.NotContains(t, v, trailerToken)
	assert.NotContains(t, v, testToken[:32])
}

// A body stream that fails answers 500 and fails the invocation, rather
// than sending the error text as a 200 body.
func TestHTTPStreamError(t *testing.T) {
	h := start(t, fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) {
		rc.SetBodyStream(io.MultiReader(strings.NewReader("partial "), iotest.ErrReader(errors.New("upstream reset"))), -1)
	}))
	resp := h.do(t, newRequest("GET", "/rows", "stream-error", "/http-invoke", nil))
	assert.Equal(t, fasthttp.StatusInternalServerError, resp.StatusCode())
	assert.NotContains(t, string(resp.Body()), "upstream reset")
	lines := linesOf(h.log, "stream-error")
	assert.Equal(t, failedEndLine("Invoke", "stream-error"), last(lines))
	assert.Contains(t, strings.Join(lines, "\n"), `[ERROR] HTTP handler's body stream failed error="upstream reset"`)
}

// A zero drain timeout means the default, not "exit at once".
func TestRunZeroDrainTimeoutMeansDefault(t *testing.T) {
	entered, release := make(chan string, 1), make(chan struct{})
	srv := fcserver.New(fcserver.WithAddr("127.0.0.1:0"), fcserver.WithDrainTimeout(0),
		fcserver.WithLogger(logging.New(&syncBuffer{})), blockingEvent(entered, release))
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- srv.Run(ctx) }()
	var addr string
	require.Eventually(t, func() bool { addr = srv.Addr(); return !strings.HasSuffix(addr, ":0") }, 5*time.Second, 5*time.Millisecond)
	answered := make(chan int, 1)
	go func() {
		resp := &fasthttp.Response{}
		req := newRequest("POST", "/invoke", "zero-drain", "/invoke", []byte("job"))
		req.SetRequestURI("http://" + addr + "/invoke")
		_ = (&fasthttp.HostClient{Addr: addr}).DoTimeout(req, resp, requestTimeout)
		answered <- resp.StatusCode()
	}()
	recv(t, entered)
	cancel()
	time.Sleep(50 * time.Millisecond)
	close(release)
	assert.Equal(t, fasthttp.StatusOK, recv(t, answered))
	assert.NoError(t, recv(t, ran))
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
// log package, a library's prints) while invocations run one at a time
// lands between its start and end markers, where FC's console and log tail
// look for it (SPEC §6).
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
