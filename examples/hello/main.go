// Command hello is an event function for Function Compute: it greets the
// name in its JSON payload.
//
//	{"name": "Ada"}  →  {"greeting": "hello, Ada"}
//
// An empty or missing name fails the invocation with errorType
// InvalidName.
package main

import (
	"context"
	"strings"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/rs/zerolog"
)

// Input is the event payload.
type Input struct {
	Name string `json:"name"`
}

// Output is the result.
type Output struct {
	Greeting string `json:"greeting"`
}

func greet(ctx context.Context, in Input) (Output, error) {
	name := strings.TrimSpace(in.Name)
	if name == "" {
		return Output{}, event.NewError("InvalidName", `"name" must be a non-empty string`)
	}
	zerolog.Ctx(ctx).Info().Str("name", name).Msg("greeting")
	return Output{Greeting: "hello, " + name}, nil
}

func main() {
	fcserver.Run(fcserver.WithEvent(event.JSON(greet)))
}
