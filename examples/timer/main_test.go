package main

import (
	"os"
	"testing"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver/fctest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTicksOnTheDocumentationSample(t *testing.T) {
	payload, err := os.ReadFile("../../event/trigger/testdata/timer.json")
	require.NoError(t, err)

	r := fctest.InvokeEvent(t, event.JSON(tick), payload, fctest.RequestID("1-6745a3b2-1a2b3c4d-5e6f7a8b9c0d"))

	r.AssertSuccess(t)
	assert.Equal(t, 200, r.FCStatus)
	assert.Equal(t, `{"triggerName":"timer-trigger","triggerTime":"2023-12-26T07:49:00Z","payload":"awesome-fc"}`, string(r.Body))
	r.AssertMarkers(t, false)
	r.AssertLogLine(t, "INFO", "timer fired trigger=timer-trigger triggerTime=2023-12-26T07:49:00Z payload=awesome-fc")
	assert.Equal(t, "FC Invoke Start RequestId: 1-6745a3b2-1a2b3c4d-5e6f7a8b9c0d", r.Log[0])
}

func TestNormalizesTheTimeAndKeepsThePayloadVerbatim(t *testing.T) {
	r := fctest.InvokeEvent(t, event.JSON(tick),
		[]byte(`{"triggerTime":"2024-03-01T08:00:00+08:00","triggerName":"nightly","payload":"{\"job\": \"report\"}"}`))

	r.AssertSuccess(t)
	assert.Equal(t, `{"triggerName":"nightly","triggerTime":"2024-03-01T00:00:00Z","payload":"{\"job\": \"report\"}"}`, string(r.Body))
	var got Tick
	r.JSON(t, &got)
	assert.Equal(t, Tick{TriggerName: "nightly", TriggerTime: "2024-03-01T00:00:00Z", Payload: `{"job": "report"}`}, got)
	lines := r.LogLines()
	require.Len(t, lines, 1)
	assert.Equal(t, "INFO", lines[0].Level)
	assert.Equal(t, "timer fired", lines[0].Message)
	assert.Contains(t, lines[0].Fields, "triggerTime=2024-03-01T00:00:00Z")
}

func TestRejectsAnEventThatIsNotFromATimer(t *testing.T) {
	for _, payload := range []string{`{}`, `{"name":"Ada"}`, `{"triggerName":"t","triggerTime":""}`} {
		r := fctest.InvokeEvent(t, event.JSON(tick), []byte(payload))

		r.AssertErrorType(t, "NotATimerEvent")
		assert.Equal(t, 404, r.StatusCode, payload)
		assert.Equal(t, 404, r.FCStatus, payload)
		var body event.ErrorResponse
		r.JSON(t, &body)
		assert.Contains(t, body.ErrorMessage, "invoke this function from a timer trigger")
		r.AssertMarkers(t, true)
		r.AssertLogLine(t, "ERROR", "invocation failed errorType=NotATimerEvent")
		for _, l := range r.LogLines() {
			assert.NotEqual(t, "timer fired", l.Message, payload)
		}
	}
}

func TestRejectsATimeItCannotRead(t *testing.T) {
	r := fctest.InvokeEvent(t, event.JSON(tick), []byte(`{"triggerTime":"yesterday","triggerName":"t"}`))

	r.AssertErrorType(t, "InvalidPayload")
	r.AssertMarkers(t, true)
	r.AssertLogLine(t, "ERROR", "invocation failed errorType=InvalidPayload")
}
