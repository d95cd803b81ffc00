package fcgo_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/fcserver/fctest"
	"github.com/fcgo/fcgo/headers"
	"github.com/fcgo/fcgo/logging"
	"github.com/rs/zerolog"
)

type Input struct {
	Name string `json:"name"`
}

type Output struct {
	Greeting string `json:"greeting"`
}

// log is a log/slog logger writing FC lines; fcserver's own logger
// (logging.New(nil)) writes the same layout to stdout.
var log = slog.New(logging.New(nil).SlogHandler())

func greet(ctx context.Context, in Input) (Output, error) {
	if in.Name == "" {
		return Output{}, event.NewError("InvalidName", "name is empty")
	}
	info, _ := headers.FromContext(ctx)
	zerolog.Ctx(ctx).Info().Str("fn", info.Function.Name).Msg("greeting")
	log.InfoContext(ctx, "same line, through slog", "name", in.Name)
	return Output{Greeting: "hello, " + in.Name}, nil
}

// The quick start: main is one line, and a test drives the same server in
// memory with the requests FC sends.
func Example() {
	// func main() { fcserver.Run(fcserver.WithEvent(event.JSON(greet))) }
	var t testing.TB = &testing.T{} // a test's t

	s := fctest.NewServer(t, fcserver.WithEvent(event.JSON(greet)))
	r := s.Invoke([]byte(`{"name":"Ada"}`), fctest.RequestID("req-1"), fctest.Function("greeter"))
	r.AssertSuccess(t)
	r.AssertLogLine(t, "INFO", "greeting fn=greeter")
	r.AssertLogLine(t, "INFO", "same line, through slog name=Ada")
	fmt.Println(r.StatusCode, r.FCStatus, string(r.Body))

	r = s.Invoke([]byte(`{}`))
	r.AssertErrorType(t, "InvalidName")
	fmt.Println(r.StatusCode, r.FCStatus, string(r.Body))
	// Output:
	// 200 200 {"greeting":"hello, Ada"}
	// 404 404 {"errorMessage":"name is empty","errorType":"InvalidName"}
}
