package fctest_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/fcserver/fctest"
	"github.com/fcgo/fcgo/headers"
	"github.com/fcgo/fcgo/logging"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
)

// mockT records what the helpers report instead of failing the real test.
type mockT struct {
	testing.TB // nil: calling anything not overridden panics
	mu         sync.Mutex
	errors     []string
	logs       []string
	cleanups   []func()
	failed     bool
}

func (m *mockT) Helper()      {}
func (m *mockT) Name() string { return "mock" }

func (m *mockT) Errorf(format string, args ...any) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.errors = append(m.errors, fmt.Sprintf(format, args...))
	m.failed = true
}

func (m *mockT) Logf(format string, args ...any) {
	m.logs = append(m.logs, fmt.Sprintf(format, args...))
}

func (m *mockT) Cleanup(f func()) { m.cleanups = append(m.cleanups, f) }
func (m *mockT) Failed() bool     { return m.failed }

func (m *mockT) runCleanups() {
	for i := len(m.cleanups) - 1; i >= 0; i-- {
		m.cleanups[i]()
	}
}

func (m *mockT) reported() string { return strings.Join(m.errors, "\n") }

func TestEventRequestCarriesTheFullHeaderSet(t *testing.T) {
	req := fctest.NewEventRequest([]byte(`{"a":1}`))
	assert.Equal(t, "POST", string(req.Header.Method()))
	assert.Equal(t, "/invoke", string(req.RequestURI()))
	assert.Equal(t, fctest.DefaultHost, string(req.Host()))
	assert.Equal(t, "application/octet-stream", string(req.Header.ContentType()))
	assert.Equal(t, `{"a":1}`, string(req.Body()))

	info, err := headers.Parse(&req.Header)
	require.NoError(t, err)
	assert.Regexp(t, `^1-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{12}$`, info.RequestID)
	assert.Equal(t, headers.ControlPathInvoke, info.ControlPath)
	assert.Equal(t, fctest.DefaultFunctionName, info.Function.Name)
	assert.Equal(t, "index.handler", info.Function.Handler)
	assert.Equal(t, 512, info.Function.MemoryMB)
	assert.Equal(t, 60*time.Second, info.Function.Timeout)
	assert.Equal(t, "cn-hangzhou", info.Region)
	assert.Equal(t, "1234567890123456", info.AccountID)
	assert.Equal(t, "LATEST", info.Qualifier)
	assert.Equal(t, fctest.DefaultAccessKeyID, info.Credentials.AccessKeyID)
	assert.Equal(t, fctest.DefaultSecret, info.Credentials.AccessKeySecret())
	assert.Equal(t, fctest.DefaultSecurityToken, info.Credentials.SecurityToken())
	assert.Len(t, fctest.DefaultSecurityToken, 1024)
	// The case real deployments send.
	assert.Contains(t, req.Header.String(), "\r\nX-Fc-Request-Id: "+info.RequestID+"\r\n")
	assert.Contains(t, req.Header.String(), "\r\nX-Fc-Tracing-Opentracing-Span-Baggages: \r\n")
}

func TestRequestIDsAreFresh(t *testing.T) {
	a := string(fctest.NewEventRequest(nil).Header.Peek(headers.XFCRequestID))
	b := string(fctest.NewEventRequest(nil).Header.Peek(headers.XFCRequestID))
	assert.NotEqual(t, a, b)
	assert.Regexp(t, `^1-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{12}$`, fctest.NewRequestID())
}

func TestOptionsOverrideDefaults(t *testing.T) {
	req := fctest.NewHTTPRequest("PUT", "https://api.example.com/v1/x?q=1", []byte("b"),
		fctest.RequestID("rid"),
		fctest.Timeout(1500*time.Millisecond), // rounded up
		fctest.Credentials("k", "s", "tok"),
		fctest.BasePath("/2016-08-15/proxy/svc/fn"),
		fctest.Function("fn"),
		fctest.Header("x-fc-region", "cn-shanghai"),
		fctest.Header("X-Custom", "1"),
		fctest.Without(headers.XFCQualifier),
		func(r *fctest.Request) { r.Body = []byte("replaced") },
	)
	assert.Equal(t, "PUT", string(req.Header.Method()))
	assert.Equal(t, "/v1/x?q=1", string(req.RequestURI()))
	assert.Equal(t, "api.example.com", string(req.Host()))
	assert.Equal(t, "replaced", string(req.Body()))
	assert.Equal(t, "1", string(req.Header.Peek("X-Custom")))
	assert.Nil(t, req.Header.Peek(headers.XFCQualifier))
	assert.Equal(t, "2", string(req.Header.Peek(headers.XFCFunctionTimeout)))
	// Replaced in place, not added twice.
	assert.Equal(t, 1, strings.Count(strings.ToLower(req.Header.String()), "x-fc-region:"))

	info, err := headers.Parse(&req.Header)
	require.NoError(t, err)
	assert.Equal(t, "rid", info.RequestID)
	assert.Equal(t, headers.ControlPathHTTPInvoke, info.ControlPath)
	assert.Equal(t, "/2016-08-15/proxy/svc/fn", info.BasePath)
	assert.Equal(t, "fn", info.Function.Name)
	assert.Equal(t, "cn-shanghai", info.Region)
	assert.Equal(t, fctest.DefaultClientIP, info.ClientIP)
	assert.Equal(t, "k", info.Credentials.AccessKeyID)
	assert.Equal(t, "s", info.Credentials.AccessKeySecret())
	assert.Equal(t, "tok", info.Credentials.SecurityToken())

	noCP := fctest.NewEventRequest(nil, fctest.ControlPath(headers.ControlPathNone), fctest.Timeout(0))
	assert.Nil(t, noCP.Header.Peek(headers.XFCControlPath))
	assert.Equal(t, "0", string(noCP.Header.Peek(headers.XFCFunctionTimeout)))
	hook := fctest.NewEventRequest(nil, fctest.ControlPath(headers.ControlPathPreStop))
	assert.Equal(t, "/pre-stop", string(hook.Header.Peek(headers.XFCControlPath)))
}

func TestHookRequests(t *testing.T) {
	for _, c := range []struct {
		p            headers.ControlPath
		method, path string
	}{
		{headers.ControlPathInitialize, "POST", "/initialize"},
		{headers.ControlPathPreFreeze, "GET", "/pre-freeze"},
		{headers.ControlPathPreStop, "GET", "/pre-stop"},
	} {
		req := fctest.NewHookRequest(c.p)
		assert.Equal(t, c.method, string(req.Header.Method()))
		assert.Equal(t, c.path, string(req.RequestURI()))
		assert.Equal(t, c.path, string(req.Header.Peek(headers.XFCControlPath)))
		assert.Empty(t, req.Body())
	}
	assert.PanicsWithValue(t, `fctest: NewHookRequest needs ControlPathInitialize, ControlPathPreFreeze or ControlPathPreStop, not "/invoke"`,
		func() { fctest.NewHookRequest(headers.ControlPathInvoke) })
}

func TestAssertionsPassOnSuccess(t *testing.T) {
	m := &mockT{}
	r := fctest.InvokeEvent(m, event.JSON(greet), []byte(`{"name":"Ada"}`))
	assert.True(t, r.AssertSuccess(m))
	assert.True(t, r.AssertMarkers(m, false))
	assert.True(t, r.AssertLogLine(m, "INFO", "greeting"))
	assert.True(t, r.AssertLogLine(m, "info", "greeting name=Ada"))
	var out greetOut
	r.JSON(m, &out)
	assert.Equal(t, "hello, Ada", out.Greeting)
	assert.Empty(t, m.errors)
	assert.Len(t, r.Log, 3)
	assert.Equal(t, []fctest.LogLine{{
		Level: "INFO", Message: "greeting", Fields: "name=Ada",
		Time: r.LogLines()[0].Time, RequestID: r.RequestID, Raw: r.Log[1],
	}}, r.LogLines())
}

func TestAssertionsFail(t *testing.T) {
	ok := fctest.InvokeEvent(t, event.JSON(greet), []byte(`{"name":"Ada"}`))
	failed := fctest.InvokeEvent(t, event.JSON(greet), []byte(`{}`))

	for name, c := range map[string]struct {
		check func(m *mockT) bool
		want  string
	}{
		"success of a failure":    {func(m *mockT) bool { return failed.AssertSuccess(m) }, "x-fc-status"},
		"error type of success":   {func(m *mockT) bool { return ok.AssertErrorType(m, "InvalidName") }, "status of a failed event"},
		"wrong error type":        {func(m *mockT) bool { return failed.AssertErrorType(m, "Other") }, "errorType"},
		"markers: not failed":     {func(m *mockT) bool { return ok.AssertMarkers(m, true) }, "Unhandled function error"},
		"markers: failed":         {func(m *mockT) bool { return failed.AssertMarkers(m, false) }, "marker lines"},
		"log line: level":         {func(m *mockT) bool { return ok.AssertLogLine(m, "WARN", "greeting") }, "no [WARN] line"},
		"log line: message":       {func(m *mockT) bool { return ok.AssertLogLine(m, "INFO", "farewell") }, `"farewell"`},
		"log line: none at all":   {func(m *mockT) bool { return failed.AssertLogLine(m, "INFO", "greeting") }, "not found"},
		"error type of http":      {func(m *mockT) bool { return httpResult(t).AssertErrorType(m, "X") }, "applies to event invocations"},
		"json of a non-JSON body": {func(m *mockT) bool { var v map[string]any; httpResult(t).JSON(m, &v); return len(m.errors) == 0 }, "not the JSON expected"},
	} {
		t.Run(name, func(t *testing.T) {
			m := &mockT{}
			assert.False(t, c.check(m))
			require.NotEmpty(t, m.errors)
			assert.Contains(t, m.reported(), c.want)
		})
	}
}

func httpResult(t *testing.T) *fctest.Result {
	return fctest.InvokeHTTP(t, func(rc *fasthttp.RequestCtx) { rc.SetBodyString("plain") }, "GET", "/", nil)
}

func TestMarkersMissingFail(t *testing.T) {
	// An unknown control path is answered 400 with no markers at all.
	s := fctest.NewServer(t, fcserver.WithEvent(event.JSON(greet)))
	r := s.Invoke(nil, fctest.Header(headers.XFCControlPath, "/bogus"))
	assert.Equal(t, 400, r.StatusCode)
	m := &mockT{}
	assert.False(t, r.AssertSuccess(m))
	assert.Contains(t, m.reported(), "not 2xx")
	assert.Contains(t, m.reported(), "marker lines")
}

func TestPanicAndTimeoutErrorTypes(t *testing.T) {
	s := fctest.NewServer(t, fcserver.WithEvent(event.HandlerFunc(func(ctx context.Context, p []byte) ([]byte, error) {
		switch string(p) {
		case "panic":
			panic("boom")
		case "wait":
			<-ctx.Done()
			return nil, ctx.Err()
		}
		return nil, errors.New("plain")
	})))
	r := s.Invoke([]byte("panic"))
	r.AssertErrorType(t, event.TypePanic)
	var body event.ErrorResponse
	r.JSON(t, &body)
	assert.Equal(t, "boom", body.ErrorMessage)
	assert.NotEmpty(t, body.StackTrace)
	r.AssertLogLine(t, "ERROR", "invocation failed")

	s.Invoke([]byte("plain")).AssertErrorType(t, event.TypeHandlerError)
	// The deadline is arrival + x-fc-function-timeout: 1 s here.
	s.Invoke([]byte("wait"), fctest.Timeout(time.Second)).AssertErrorType(t, event.TypeTimeout)
}

func TestHTTPAndHooks(t *testing.T) {
	var preStops int
	s := fctest.NewServer(t,
		fcserver.WithStdHTTP(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			zerolog.Ctx(r.Context()).Warn().Str("path", r.URL.Path).Msg("teapot")
			// The STS secret must not reach net/http handlers.
			w.Header().Set("X-Secret-Seen", r.Header.Get(headers.XFCAccessKeySecret))
			w.WriteHeader(http.StatusTeapot)
		})),
		fcserver.WithInitializer(func(context.Context) error { return errors.New("no database") }),
		fcserver.WithPreStop(func(context.Context) error { preStops++; return nil }),
	)
	r := s.HTTP("GET", "/tea?cup=1", nil)
	assert.Equal(t, http.StatusTeapot, r.StatusCode)
	assert.Equal(t, 0, r.FCStatus)
	assert.Empty(t, r.Header.Get("X-Secret-Seen"))
	r.AssertMarkers(t, false)
	r.AssertLogLine(t, "WARN", "teapot path=/tea")

	init := s.Hook(headers.ControlPathInitialize)
	assert.Equal(t, 404, init.StatusCode)
	assert.Equal(t, "Initialize hook failed: no database\n", string(init.Body))
	init.AssertMarkers(t, true)
	assert.Contains(t, init.Log[0], "FC Initialize Start RequestId: ")

	s.Hook(headers.ControlPathPreStop).AssertSuccess(t)
	assert.Equal(t, 1, preStops)

	// Without x-fc-control-path the server falls back to method and path.
	s.Hook(headers.ControlPathPreStop, fctest.ControlPath(headers.ControlPathNone)).AssertSuccess(t)
	assert.Equal(t, 2, preStops)
}

func TestSecretsStayOutOfTheLog(t *testing.T) {
	s := fctest.NewServer(t, fcserver.WithEvent(event.HandlerFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
		info, _ := headers.FromContext(ctx)
		zerolog.Ctx(ctx).Info().Interface("info", info).Msg("everything")
		return nil, nil
	})))
	s.Invoke(nil).AssertSuccess(t)
	assert.NotContains(t, s.Log(), fctest.DefaultSecret)
	assert.NotContains(t, s.Log(), fctest.DefaultSecurityToken[:40])
	assert.Contains(t, s.Log(), fctest.DefaultAccessKeyID)
}

func TestConcurrentInvocationsGetTheirOwnLines(t *testing.T) {
	s := fctest.NewServer(t, fcserver.WithEvent(event.JSON(greet)))
	const n = 20
	results := make([]*fctest.Result, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			results[i] = s.Invoke(fmt.Appendf(nil, `{"name":"n%d"}`, i), fctest.RequestID(fmt.Sprintf("req-%d", i)))
		})
	}
	wg.Wait()
	for i, r := range results {
		r.AssertSuccess(t)
		require.Len(t, r.Log, 3)
		assert.Regexp(t, regexp.MustCompile(fmt.Sprintf(`^\S+Z req-%d \[INFO\] greeting name=n%d$`, i, i)), r.Log[1])
	}
	assert.Equal(t, 3*n, strings.Count(s.Log(), "\n"))
}

func TestJSONLayoutLines(t *testing.T) {
	s := fctest.NewServerWithLog(t, []logging.Option{logging.WithFormat(logging.JSON)}, fcserver.WithEvent(event.JSON(greet)))
	r := s.Invoke([]byte(`{"name":"Ada Lovelace"}`), fctest.RequestID("j-1"))
	r.AssertSuccess(t)
	r.AssertLogLine(t, "INFO", "greeting")
	lines := r.LogLines()
	require.Len(t, lines, 1)
	assert.Equal(t, "INFO", lines[0].Level)
	assert.Equal(t, "greeting", lines[0].Message)
	assert.Equal(t, `name="Ada Lovelace"`, lines[0].Fields)
	assert.Equal(t, "j-1", lines[0].RequestID)
	assert.True(t, strings.HasPrefix(lines[0].Raw, `{"time":"`))
}

func TestTextLineParsing(t *testing.T) {
	s := fctest.NewServer(t, fcserver.WithEvent(event.HandlerFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
		l := zerolog.Ctx(ctx)
		l.Info().Msg("two words")
		l.Error().Int("n", 7).Str("q", "a b").Msg("")
		l.Warn().Bool("ok", true).Msg("saw it")
		return nil, nil
	})))
	r := s.Invoke(nil)
	got := r.LogLines()
	require.Len(t, got, 3)
	assert.Equal(t, [3]string{"INFO", "two words", ""}, [3]string{got[0].Level, got[0].Message, got[0].Fields})
	assert.Equal(t, [3]string{"ERROR", "", `n=7 q="a b"`}, [3]string{got[1].Level, got[1].Message, got[1].Fields})
	assert.Equal(t, [3]string{"WARN", "saw it", "ok=true"}, [3]string{got[2].Level, got[2].Message, got[2].Fields})
	assert.True(t, r.AssertLogLine(t, "ERROR", "n=7"))
}

func TestFailedTestPrintsTheLog(t *testing.T) {
	m := &mockT{}
	s := fctest.NewServer(m, fcserver.WithEvent(event.JSON(greet)))
	s.Invoke([]byte(`{"name":"Ada"}`), fctest.RequestID("shown")).AssertErrorType(m, "X")
	m.runCleanups()
	require.Len(t, m.logs, 1)
	assert.Contains(t, m.logs[0], "FC Invoke Start RequestId: shown")

	quiet := &mockT{}
	fctest.NewServer(quiet, fcserver.WithEvent(event.JSON(greet))).Invoke(nil)
	quiet.runCleanups()
	assert.Empty(t, quiet.logs)
}

func TestSlogLinesJoinTheInvocation(t *testing.T) {
	// A slog handler of any Logger writes through the invocation's logger
	// when given its context: the line lands in this invocation.
	log := slog.New(logging.New(nil).SlogHandler())
	r := fctest.InvokeEvent(t, event.HandlerFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
		log.WarnContext(ctx, "via slog", "n", 1)
		return []byte("ok"), nil
	}), nil)
	r.AssertSuccess(t)
	r.AssertLogLine(t, "WARN", "via slog n=1")

	s := fctest.NewServer(t)
	slog.New(s.Logger().SlogHandler()).Info("outside")
	assert.Regexp(t, `^\S+Z \[INFO\] outside\n$`, s.Log())
}

// Requests go over a connection to the real server, so the limits fasthttp
// applies while reading hold in tests as they do on FC.
func TestLimitsHoldAsInProduction(t *testing.T) {
	s := fctest.NewServer(t,
		fcserver.WithEvent(event.JSON(greet)),
		fcserver.WithMaxRequestBodySize(1024))
	r := s.Invoke([]byte(`{"name":"`+strings.Repeat("a", 2000)+`"}`), fctest.RequestID("too-big"))
	assert.Equal(t, 413, r.StatusCode)
	assert.Equal(t, 404, r.FCStatus)

	r = s.Invoke([]byte(`{"name":"Ada"}`), fctest.Header("X-Padding", strings.Repeat("p", 40<<10)))
	assert.Equal(t, 431, r.StatusCode)

	s.Invoke([]byte(`{"name":"Ada"}`)).AssertSuccess(t)
}

// Request ids the logger has to escape are still matched to their lines,
// in both layouts.
func TestOddRequestIDs(t *testing.T) {
	for _, format := range []logging.Format{logging.Text, logging.JSON} {
		s := fctest.NewServerWithLog(t, []logging.Option{logging.WithFormat(format)}, fcserver.WithEvent(event.JSON(greet)))
		for _, id := range []string{"order<7>&retry", `quote"and\back`, "tab\there"} {
			r := s.Invoke([]byte(`{"name":"Ada"}`), fctest.RequestID(id))
			r.AssertSuccess(t)
			r.AssertLogLine(t, "INFO", "greeting")
			assert.Len(t, r.Log, 3, "%s %q: %q", format, id, r.Log)
		}
	}
}
