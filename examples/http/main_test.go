package main

import (
	"encoding/json"
	"io"
	"net"
	"testing"

	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/logging"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"
)

func TestDescribesEveryRequest(t *testing.T) {
	srv := fcserver.New(fcserver.WithHTTP(describe), fcserver.WithLogger(logging.New(io.Discard)))
	ln := fasthttputil.NewInmemoryListener()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Shutdown(t.Context()) })
	c := &fasthttp.Client{Dial: func(string) (net.Conn, error) { return ln.Dial() }}

	for _, method := range []string{"GET", "POST", "PUT", "DELETE", "PATCH"} {
		req := fasthttp.AcquireRequest()
		req.SetRequestURI("http://fc/orders/42?expand=items&expand=customer")
		req.Header.SetMethod(method)
		req.Header.Set("x-fc-request-id", "req-"+method)
		req.Header.Set("x-fc-function-name", "describe")
		req.Header.Set("x-fc-control-path", "/http-invoke")
		if method != "GET" {
			req.SetBodyString("hello")
		}
		resp := &fasthttp.Response{}
		require.NoError(t, c.Do(req, resp))
		fasthttp.ReleaseRequest(req)

		assert.Equal(t, 200, resp.StatusCode())
		assert.Equal(t, "application/json", string(resp.Header.ContentType()))
		var got Echo
		require.NoError(t, json.Unmarshal(resp.Body(), &got))
		want := Echo{
			Method: method, Path: "/orders/42",
			Query:     map[string][]string{"expand": {"items", "customer"}},
			RequestID: "req-" + method, FunctionName: "describe",
		}
		if method != "GET" {
			want.BodyBytes = 5
		}
		assert.Equal(t, want, got)
	}
}
