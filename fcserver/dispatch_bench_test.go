package fcserver_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/httpfn"
	"github.com/fcgo/fcgo/logging"
	"github.com/rs/zerolog"
	"github.com/valyala/fasthttp"
)

type benchIn struct {
	Name string `json:"name"`
}

type benchOut struct {
	Greeting string `json:"greeting"`
}

// benchRequest is an event invocation as FC sends it: the full x-fc-*
// header set with a 1 KB token and a small JSON payload.
func benchRequest(b testing.TB) *fasthttp.Request {
	return fcRequest(b, "POST /invoke", "/invoke",
		"Content-Type: application/octet-stream\r\nContent-Length: 14\r\n", `{"name":"Ada"}`)
}

// benchHTTPRequest is an HTTP-trigger invocation as FC sends it: a GET
// with the full x-fc-* header set and control path /http-invoke.
func benchHTTPRequest(b testing.TB) *fasthttp.Request {
	return fcRequest(b, "GET /hello?name=Ada", "/http-invoke", "", "")
}

// fcRequest reads a request with the given method and target, FC's full
// header set for controlPath with a 60 s function timeout, the extra header
// lines and the body.
func fcRequest(b testing.TB, methodTarget, controlPath, extra, body string) *fasthttp.Request {
	b.Helper()
	var sb strings.Builder
	sb.WriteString(methodTarget + " HTTP/1.1\r\nHost: 127.0.0.1:9000\r\n")
	for _, h := range fcHeaders("1-67a59f35-150c1267-f381ba1c085c", controlPath) {
		sb.WriteString(h.name + ": " + h.value + "\r\n")
	}
	sb.WriteString("X-Fc-Function-Timeout: 60\r\n" + extra + "\r\n" + body)
	req := &fasthttp.Request{}
	if err := req.Read(bufio.NewReader(strings.NewReader(sb.String()))); err != nil {
		b.Fatal(err)
	}
	return req
}

func greetBench(ctx context.Context, in benchIn) (benchOut, error) {
	zerolog.Ctx(ctx).Info().Str("name", in.Name).Msg("greeting")
	return benchOut{Greeting: "hello, " + in.Name}, nil
}

// BenchmarkDispatchEvent is one whole event invocation through the
// server's handler: header parsing, context, markers, a request log line,
// event.JSON and the answer.
func BenchmarkDispatchEvent(b *testing.B) {
	benchDispatch(b, benchRequest(b), fcserver.WithEvent(event.JSON(greetBench)))
}

// benchDispatch serves req through a server with opts, logging to
// io.Discard, once per iteration, by the handler the server's own
// fasthttp.Server serves (the path of every request under Run); every
// answer must be 200.
func benchDispatch(b *testing.B, req *fasthttp.Request, opts ...fcserver.Option) {
	s := fcserver.New(append(opts, fcserver.WithLogger(logging.New(io.Discard)))...)
	h := s.OwnHandler()
	var rc fasthttp.RequestCtx
	b.ReportAllocs()
	for b.Loop() {
		rc.Init(req, nil, nil)
		h(&rc)
		if rc.Response.StatusCode() != 200 {
			b.Fatal(rc.Response.StatusCode())
		}
	}
}

// BenchmarkDispatchBare is the same work in a bare fasthttp handler: the
// floor the SDK is measured against.
func BenchmarkDispatchBare(b *testing.B) {
	h := func(rc *fasthttp.RequestCtx) {
		var in benchIn
		if err := json.Unmarshal(rc.PostBody(), &in); err != nil {
			rc.SetStatusCode(404)
			return
		}
		out, _ := json.Marshal(benchOut{Greeting: "hello, " + in.Name})
		rc.Response.Header.Set("x-fc-status", "200")
		rc.SetBody(out)
	}
	req := benchRequest(b)
	var rc fasthttp.RequestCtx
	b.ReportAllocs()
	for b.Loop() {
		rc.Init(req, nil, nil)
		h(&rc)
	}
}

// greetHTTP is the HTTP function of the benchmarks: a query parameter in,
// a JSON answer out, one request log line.
func greetHTTP(rc *fasthttp.RequestCtx, log *zerolog.Logger) {
	name := string(rc.QueryArgs().Peek("name"))
	if log != nil {
		log.Info().Str("name", name).Msg("greeting")
	}
	out, _ := json.Marshal(benchOut{Greeting: "hello, " + name})
	rc.SetContentType("application/json")
	rc.SetBody(out)
}

// BenchmarkDispatchHTTP is one whole native HTTP invocation through the
// server's handler: header parsing, the secret headers' redaction, the
// context, markers, a request log line and the answer's checks.
func BenchmarkDispatchHTTP(b *testing.B) {
	benchDispatch(b, benchHTTPRequest(b), fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) {
		greetHTTP(rc, zerolog.Ctx(httpfn.Context(rc)))
	}))
}

// BenchmarkDispatchBareHTTP is the same HTTP work in a bare fasthttp
// handler, with no log line: the floor BenchmarkDispatchHTTP is measured
// against.
func BenchmarkDispatchBareHTTP(b *testing.B) {
	req := benchHTTPRequest(b)
	var rc fasthttp.RequestCtx
	b.ReportAllocs()
	for b.Loop() {
		rc.Init(req, nil, nil)
		greetHTTP(&rc, nil)
	}
}
