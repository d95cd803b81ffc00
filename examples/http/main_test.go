package main

import (
	"testing"

	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/fcserver/fctest"
	"github.com/stretchr/testify/assert"
)

func TestDescribesEveryRequest(t *testing.T) {
	s := fctest.NewServer(t, fcserver.WithHTTP(describe))
	for _, method := range []string{"GET", "POST", "PUT", "DELETE", "PATCH"} {
		var body []byte
		if method != "GET" {
			body = []byte("hello")
		}
		r := s.HTTP(method, "/orders/42?expand=items&expand=customer", body,
			fctest.RequestID("req-"+method), fctest.Function("describe"),
			fctest.BasePath("/2016-08-15/proxy/svc/describe"))

		r.AssertSuccess(t)
		assert.Equal(t, 200, r.StatusCode)
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		var got Echo
		r.JSON(t, &got)
		want := Echo{
			Method: method, Path: "/orders/42",
			Query:     map[string][]string{"expand": {"items", "customer"}},
			RequestID: "req-" + method, FunctionName: "describe",
			Region: "cn-hangzhou", BasePath: "/2016-08-15/proxy/svc/describe",
			ClientIP: fctest.DefaultClientIP,
		}
		if body != nil {
			want.BodyBytes = 5
		}
		assert.Equal(t, want, got)
		r.AssertLogLine(t, "INFO", "request method="+method+" path=/orders/42")
	}
}
