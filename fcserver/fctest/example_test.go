package fctest_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/fcserver/fctest"
	"github.com/fcgo/fcgo/headers"
	"github.com/fcgo/fcgo/logging"
	"github.com/rs/zerolog"
	"github.com/valyala/fasthttp"
)

type greetIn struct {
	Name string `json:"name"`
}

type greetOut struct {
	Greeting string `json:"greeting"`
}

func greet(ctx context.Context, in greetIn) (greetOut, error) {
	if in.Name == "" {
		return greetOut{}, event.NewError("InvalidName", "name is empty")
	}
	zerolog.Ctx(ctx).Info().Str("name", in.Name).Msg("greeting")
	return greetOut{Greeting: "hello, " + in.Name}, nil
}

// t stands in for the *testing.T of a real test.
var t = &testing.T{}

func ExampleInvokeEvent() {
	r := fctest.InvokeEvent(t, event.JSON(greet), []byte(`{"name":"Ada"}`), fctest.RequestID("req-1"))

	r.AssertSuccess(t)
	r.AssertLogLine(t, "INFO", "greeting name=Ada")
	fmt.Println(r.StatusCode, r.FCStatus, string(r.Body))
	fmt.Println(r.Log[0])
	fmt.Println(r.Log[len(r.Log)-1])
	// Output:
	// 200 200 {"greeting":"hello, Ada"}
	// FC Invoke Start RequestId: req-1
	// FC Invoke End RequestId: req-1
}

func ExampleResult_AssertErrorType() {
	r := fctest.InvokeEvent(t, event.JSON(greet), []byte(`{}`), fctest.RequestID("req-2"))

	r.AssertErrorType(t, "InvalidName")
	fmt.Println(r.StatusCode, r.FCStatus, string(r.Body))
	fmt.Println(r.Log[len(r.Log)-1])
	// Output:
	// 404 404 {"errorMessage":"name is empty","errorType":"InvalidName"}
	// FC Invoke End RequestId: req-2, Error: Unhandled function error
}

func ExampleNewServerWithLog() {
	clock := func() time.Time { return time.Date(2026, 11, 28, 6, 33, 8, 123_000_000, time.UTC) }
	s := fctest.NewServerWithLog(t, []logging.Option{logging.WithClock(clock)},
		fcserver.WithEvent(event.JSON(greet)),
		fcserver.WithInitializer(func(ctx context.Context) error {
			zerolog.Ctx(ctx).Info().Msg("connecting")
			return nil
		}))

	s.Hook(headers.ControlPathInitialize, fctest.RequestID("init-1")).AssertSuccess(t)
	s.Invoke([]byte(`{"name":"Ada"}`), fctest.RequestID("req-3")).AssertSuccess(t)
	fmt.Print(s.Log())
	// Output:
	// FC Initialize Start RequestId: init-1
	// 2026-11-28T06:33:08.123Z init-1 [INFO] connecting
	// FC Initialize End RequestId: init-1
	// FC Invoke Start RequestId: req-3
	// 2026-11-28T06:33:08.123Z req-3 [INFO] greeting name=Ada
	// FC Invoke End RequestId: req-3
}

func ExampleInvokeStd() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /orders/{id}", func(w http.ResponseWriter, r *http.Request) {
		info, _ := headers.FromContext(r.Context())
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "order %s for %s", r.PathValue("id"), info.Function.Name)
	})

	r := fctest.InvokeStd(t, mux, "GET", "/orders/42", nil, fctest.Function("orders"))
	r.AssertSuccess(t)
	fmt.Println(r.StatusCode, r.Header.Get("Content-Type"), string(r.Body))
	// Output:
	// 200 text/plain order 42 for orders
}

func ExampleInvokeHTTP() {
	h := func(rc *fasthttp.RequestCtx) {
		info, _ := headers.FromContext(rc)
		rc.SetContentType("text/plain")
		fmt.Fprintf(rc, "%s %s from %s", rc.Method(), rc.RequestURI(), info.ClientIP)
	}
	r := fctest.InvokeHTTP(t, h, "POST", "/items?draft=1", []byte("x"))
	fmt.Println(r.StatusCode, string(r.Body))
	// Output:
	// 200 POST /items?draft=1 from 203.0.113.7
}

func ExampleNewEventRequest() {
	req := fctest.NewEventRequest([]byte(`{}`),
		fctest.RequestID("req-4"),
		fctest.Timeout(90*time.Second),
		fctest.Credentials("", "", ""), // a function without a role
		fctest.Header(headers.XFCQualifier, "prod"),
		fctest.Without(headers.XFCRetryCount))

	info, err := headers.Parse(&req.Header)
	fmt.Println(string(req.Header.Method()), string(req.RequestURI()), err)
	fmt.Println(info.RequestID, info.Function.Name, info.Function.Timeout, info.Qualifier, info.ControlPath)
	fmt.Println(strings.Contains(req.Header.String(), "X-Fc-Retry-Count"))
	// Output:
	// POST /invoke <nil>
	// req-4 fctest-function 1m30s prod /invoke
	// false
}
