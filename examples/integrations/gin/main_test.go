package main

import (
	"testing"

	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/fcserver/fctest"
	"github.com/stretchr/testify/assert"
)

func TestCreatesAndShowsAUser(t *testing.T) {
	fn := fctest.NewServer(t, fcserver.WithStdHTTP(engine()))
	json := fctest.Header("Content-Type", "application/json")

	r := fn.HTTP("POST", "/users", []byte(`{"name":"Ada","email":"ada@example.com"}`), json, fctest.RequestID("req-gin-1"))
	assert.Equal(t, 201, r.StatusCode)
	assert.Equal(t, `{"id":1,"name":"Ada","email":"ada@example.com"}`, string(r.Body))
	assert.Equal(t, "/users/1", r.Header.Get("Location"))
	assert.Equal(t, "req-gin-1", r.Header.Get("X-Request-Id"))
	r.AssertMarkers(t, false)
	r.AssertLogLine(t, "INFO", "user created id=1")
	r.AssertLogLine(t, "INFO", "request method=POST path=/users status=201")

	r = fn.HTTP("GET", "/users/1", nil)
	r.AssertSuccess(t)
	assert.Equal(t, `{"id":1,"name":"Ada","email":"ada@example.com"}`, string(r.Body))
	assert.Equal(t, "application/json; charset=utf-8", r.Header.Get("Content-Type"))

	r = fn.HTTP("GET", "/users/2", nil, fctest.RequestID("req-gin-2"))
	assert.Equal(t, 404, r.StatusCode)
	assert.Equal(t, `{"error":"no user 2","requestId":"req-gin-2"}`, string(r.Body))
	r.AssertLogLine(t, "INFO", "request method=GET path=/users/2 status=404")
}

func TestValidatesNewUsers(t *testing.T) {
	for body, msg := range map[string]string{
		`{"email":"ada@example.com"}`:       `Key: 'NewUser.Name' Error:Field validation for 'Name' failed on the 'required' tag`,
		`{"name":"Ada","email":"not-mail"}`: `Key: 'NewUser.Email' Error:Field validation for 'Email' failed on the 'email' tag`,
	} {
		r := fctest.InvokeStd(t, engine(), "POST", "/users", []byte(body), fctest.RequestID("req-gin-3"), fctest.Header("Content-Type", "application/json"))
		assert.Equal(t, 400, r.StatusCode, body)
		assert.Equal(t, `{"error":"`+msg+`","requestId":"req-gin-3"}`, string(r.Body))
	}
}

func TestAnswersUnknownRoutesWithJSON(t *testing.T) {
	r := fctest.InvokeStd(t, engine(), "DELETE", "/users/1", nil, fctest.RequestID("req-gin-4"))
	assert.Equal(t, 404, r.StatusCode)
	assert.Equal(t, `{"error":"no route for DELETE /users/1","requestId":"req-gin-4"}`, string(r.Body))

	r = fctest.InvokeStd(t, engine(), "GET", "/users/ada", nil, fctest.RequestID("req-gin-5"))
	assert.Equal(t, 400, r.StatusCode)
	assert.Equal(t, `{"error":"the user id must be an integer","requestId":"req-gin-5"}`, string(r.Body))
}
