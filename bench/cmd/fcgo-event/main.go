// Command fcgo-event is the fcgo contender of the event load test: the work
// of internal/work as an event.JSON function served by fcserver, with the
// start/end markers and one request log line per invocation written to
// stdout (redirect it to a file).
//
//	fcgo-event -addr 127.0.0.1:19601 > fcgo.log
package main

import (
	"context"
	"flag"

	"github.com/fcgo/fcgo/bench/internal/work"
	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/rs/zerolog"
)

func greet(ctx context.Context, in work.Input) (work.Output, error) {
	zerolog.Ctx(ctx).Info().Str("name", in.Name).Msg("greeting")
	return work.Greet(in), nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:19601", "address to listen on")
	flag.Parse()
	fcserver.Run(fcserver.WithAddr(*addr), fcserver.WithEvent(event.JSON(greet)))
}
