package main

import (
	"testing"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver/fctest"
	"github.com/stretchr/testify/assert"
)

func TestHelloGreets(t *testing.T) {
	r := fctest.InvokeEvent(t, event.JSON(greet), []byte(`{"name":"Ada"}`))
	r.AssertSuccess(t)
	assert.JSONEq(t, `{"greeting":"hello, Ada"}`, string(r.Body))
	r.AssertLogLine(t, "INFO", "greeting name=Ada")
	assert.Len(t, r.Log, 3, "start marker, one line, end marker")
}

func TestHelloRejectsMissingName(t *testing.T) {
	for _, payload := range []string{`{}`, `{"name":""}`, `{"name":"  "}`, ``} {
		r := fctest.InvokeEvent(t, event.JSON(greet), []byte(payload))
		r.AssertErrorType(t, "InvalidName")
		assert.JSONEq(t, `{"errorMessage":"\"name\" must be a non-empty string","errorType":"InvalidName"}`, string(r.Body), payload)
	}
}

func TestHelloRejectsBadPayload(t *testing.T) {
	r := fctest.InvokeEvent(t, event.JSON(greet), []byte(`{"name": 7}`))
	r.AssertErrorType(t, event.TypeInvalidPayload)
}
