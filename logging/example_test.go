package logging_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"time"

	"github.com/rs/zerolog"

	"github.com/fcgo/fcgo/logging"
)

// exampleClock stands in for time.Now so that the output is stable.
func exampleClock() time.Time { return time.Date(2026, 11, 28, 6, 33, 8, 123_000_000, time.UTC) }

func ExampleNew() {
	// On FC: logging.New(nil) writes to stdout in the text layout at info
	// level; FCGO_LOG_LEVEL and FCGO_LOG_FORMAT change that without a build.
	l := logging.New(os.Stdout, logging.WithClock(exampleClock))

	// Lines outside any request carry no request id.
	l.Zerolog().Info().Str("port", "9000").Msg("listening")
	l.Zerolog().Debug().Msg("not shown at info level")
	// Output:
	// 2026-11-28T06:33:08.123Z [INFO] listening port=9000
}

func ExampleLogger_Begin() {
	l := logging.New(os.Stdout, logging.WithClock(exampleClock))

	inv := l.Begin(logging.KindInvoke, "1-67a59f35-150c1267-f381ba1c085c")
	ctx := inv.WithContext(context.Background())

	// In the handler:
	zerolog.Ctx(ctx).Info().Str("name", "bob").Msg("greeting")
	zerolog.Ctx(ctx).Warn().Err(errors.New("cache miss")).Msg("slow path")

	// Before the response is sent: the lines are written, in one Write.
	inv.End(false)
	// Output:
	// FC Invoke Start RequestId: 1-67a59f35-150c1267-f381ba1c085c
	// 2026-11-28T06:33:08.123Z 1-67a59f35-150c1267-f381ba1c085c [INFO] greeting name=bob
	// 2026-11-28T06:33:08.123Z 1-67a59f35-150c1267-f381ba1c085c [WARN] slow path error="cache miss"
	// FC Invoke End RequestId: 1-67a59f35-150c1267-f381ba1c085c
}

func ExampleLogger_Begin_json() {
	l := logging.New(os.Stdout, logging.WithClock(exampleClock), logging.WithFormat(logging.JSON))

	inv := l.Begin(logging.KindInitialize, "1-67a59f35-150c1267-f381ba1c085c")
	inv.Logger().Error().Str("db", "orders").Msg("cannot connect")
	inv.End(true) // the hook failed
	// Output:
	// FC Initialize Start RequestId: 1-67a59f35-150c1267-f381ba1c085c
	// {"time":"2026-11-28T06:33:08.123Z","requestId":"1-67a59f35-150c1267-f381ba1c085c","level":"error","db":"orders","message":"cannot connect"}
	// FC Initialize End RequestId: 1-67a59f35-150c1267-f381ba1c085c, Error: Unhandled function error
}

func ExampleNewSlogHandler() {
	l := logging.New(os.Stdout, logging.WithClock(exampleClock))
	log := slog.New(logging.NewSlogHandler(l, nil)) // or slog.SetDefault(...)

	// Start-up: no request id.
	log.Info("listening", "port", 9000)

	// In a handler, pass the invocation's ctx: the line gets its request
	// id and goes out between its markers.
	inv := l.Begin(logging.KindInvoke, "1-67a59f35-150c1267-f381ba1c085c")
	ctx := inv.WithContext(context.Background())
	log.With("svc", "orders").WithGroup("db").WarnContext(ctx, "slow query",
		"table", "orders", "took", 1500*time.Millisecond)
	inv.End(false)
	// Output:
	// 2026-11-28T06:33:08.123Z [INFO] listening port=9000
	// FC Invoke Start RequestId: 1-67a59f35-150c1267-f381ba1c085c
	// 2026-11-28T06:33:08.123Z 1-67a59f35-150c1267-f381ba1c085c [WARN] slow query svc=orders db.table=orders db.took=1.5s
	// FC Invoke End RequestId: 1-67a59f35-150c1267-f381ba1c085c
}
