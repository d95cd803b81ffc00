package fcserver_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
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
	return greetOut{Greeting: "hello " + in.Name}, nil
}

// Run is the whole body of main: it reads the port FC gives, serves, and
// on SIGTERM drains in-flight invocations and exits.
func ExampleRun() {
	fcserver.Run(fcserver.WithEvent(event.JSON(greet)))
}

// An event function: API calls, SDK invocations and every event trigger
// reach it as POST /invoke. A returned *event.Error chooses the errorType
// the caller sees.
func ExampleWithEvent() {
	fcserver.Run(
		fcserver.WithEvent(event.JSON(greet)),
	)
}

// The raw form of an event handler: bytes in, bytes out.
func ExampleWithEvent_raw() {
	fcserver.Run(fcserver.WithEvent(event.HandlerFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		info, _ := headers.FromContext(ctx)
		deadline, _ := ctx.Deadline()
		zerolog.Ctx(ctx).Info().Int("bytes", len(payload)).Time("deadline", deadline).
			Str("function", info.Function.Name).Msg("event received")
		return []byte("ok"), nil
	})))
}

var db *sql.DB

// The initializer runs once per instance, before its first invocation.
// Returning an error wrapping ErrRestartInstance asks FC for a fresh
// instance; any other error makes FC retry the initializer.
func ExampleWithInitializer() {
	fcserver.Run(
		fcserver.WithInitializer(func(ctx context.Context) error {
			var err error
			db, err = sql.Open("mysql", os.Getenv("DSN"))
			if err != nil {
				return err
			}
			if err := db.PingContext(ctx); err != nil {
				return fmt.Errorf("database unreachable: %w", fcserver.ErrRestartInstance)
			}
			return nil
		}),
		fcserver.WithPreStop(func(context.Context) error { return db.Close() }),
		fcserver.WithEvent(event.JSON(greet)),
	)
}

// PreStop runs before FC destroys the instance: flush and close here.
func ExampleWithPreStop() {
	fcserver.Run(
		fcserver.WithEvent(event.JSON(greet)),
		fcserver.WithPreStop(func(ctx context.Context) error {
			zerolog.Ctx(ctx).Info().Msg("flushing before the instance stops")
			return nil
		}),
	)
}

// An HTTP function on net/http (or chi, gin, echo …): r.Context() carries
// the FC deadline, the headers.Info and the request logger.
func ExampleWithStdHTTP() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hello/{name}", func(w http.ResponseWriter, r *http.Request) {
		info, _ := headers.FromContext(r.Context())
		zerolog.Ctx(r.Context()).Info().Str("region", info.Region).Msg("hello")
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "hello %s\n", r.PathValue("name"))
	})
	fcserver.Run(fcserver.WithStdHTTP(mux))
}

// An HTTP function on fasthttp (a Fiber app mounts as app.Handler()).
func ExampleWithHTTP() {
	fcserver.Run(fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) {
		info, _ := headers.FromContext(rc)
		zerolog.Ctx(rc).Info().Str("path", string(rc.Path())).Msg("request")
		rc.SetContentType("text/plain")
		fmt.Fprintf(rc, "hello from %s\n", info.Function.Name)
	}))
}

// JSON log lines instead of the text layout, for Log Service indexes.
func ExampleWithLogger() {
	fcserver.Run(
		fcserver.WithEvent(event.JSON(greet)),
		fcserver.WithLogger(logging.New(os.Stdout, logging.WithFormat(logging.JSON))),
	)
}

// A function that holds a scarce resource per invocation (a database
// connection pool of 10) refuses the 11th concurrent invocation at once
// rather than queueing it: FC records it as a failed invocation with
// errorType "TooManyRequests" (an HTTP invoke would answer 429).
func ExampleWithMaxConcurrency() {
	fcserver.Run(
		fcserver.WithEvent(event.JSON(greet)),
		fcserver.WithMaxConcurrency(10),
	)
}

// Server.Run serves until its context is done (or SIGTERM), then drains.
func ExampleServer_Run() {
	srv := fcserver.New(fcserver.WithEvent(event.JSON(greet)))
	ctx, stop := context.WithTimeout(context.Background(), time.Hour)
	defer stop()
	if err := srv.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// Shutdown stops accepting and waits for in-flight invocations.
func ExampleServer_Shutdown() {
	srv := fcserver.New(fcserver.WithEvent(event.JSON(greet)))
	go func() {
		time.Sleep(time.Minute)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}()
	if err := srv.ListenAndServe(); !errors.Is(err, fcserver.ErrServerClosed) {
		fmt.Fprintln(os.Stderr, err)
	}
}

// The server's handler can be called directly, for instance in a test.
// The markers and the request's log lines reach stdout before the answer.
func ExampleServer_Handler() {
	clock := func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC) }
	srv := fcserver.New(
		fcserver.WithEvent(event.JSON(greet)),
		fcserver.WithLogger(logging.New(os.Stdout, logging.WithClock(clock))),
	)

	var rc fasthttp.RequestCtx
	rc.Request.Header.SetMethod(fasthttp.MethodPost)
	rc.Request.SetRequestURI("/invoke")
	rc.Request.Header.Set(headers.XFCRequestID, "1-67a59f35-150c1267-f381ba1c085c")
	rc.Request.Header.Set(headers.XFCControlPath, "/invoke")
	rc.Request.SetBodyString(`{"name":"bob"}`)
	srv.Handler()(&rc)

	fmt.Println(rc.Response.StatusCode(), string(rc.Response.Header.Peek(headers.XFCStatus)), string(rc.Response.Body()))
	// Output:
	// FC Invoke Start RequestId: 1-67a59f35-150c1267-f381ba1c085c
	// 2026-01-02T03:04:05.006Z 1-67a59f35-150c1267-f381ba1c085c [INFO] greeting name=bob
	// FC Invoke End RequestId: 1-67a59f35-150c1267-f381ba1c085c
	// 200 200 {"greeting":"hello bob"}
}
