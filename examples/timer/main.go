// Command timer is an event function for Function Compute run by a timer
// trigger: it logs when the trigger was scheduled to fire and the payload
// configured on it, and answers with both:
//
//	{"triggerName":"timer-trigger","triggerTime":"2023-12-26T07:49:00Z","payload":"awesome-fc"}
//
// An event without a triggerTime (the function was invoked by something
// other than a timer trigger) fails the invocation with errorType
// NotATimerEvent.
package main

import (
	"context"
	"time"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/event/trigger"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/rs/zerolog"
)

// Tick is the result: what the timer trigger sent, normalized.
type Tick struct {
	TriggerName string `json:"triggerName"`
	TriggerTime string `json:"triggerTime"` // RFC 3339, UTC
	Payload     string `json:"payload"`     // the trigger's configured payload, verbatim
}

func tick(ctx context.Context, e trigger.TimerEvent) (Tick, error) {
	if e.TriggerTime.IsZero() {
		return Tick{}, event.NewError("NotATimerEvent",
			`the event has no "triggerTime": invoke this function from a timer trigger, or send {"triggerTime":"2006-01-02T15:04:05Z","triggerName":"…","payload":"…"}`)
	}
	at := e.TriggerTime.UTC().Format(time.RFC3339)
	zerolog.Ctx(ctx).Info().
		Str("trigger", e.TriggerName).
		Str("triggerTime", at).
		Str("payload", e.Payload).
		Msg("timer fired")
	return Tick{TriggerName: e.TriggerName, TriggerTime: at, Payload: e.Payload}, nil
}

func main() {
	fcserver.Run(fcserver.WithEvent(event.JSON(tick)))
}
