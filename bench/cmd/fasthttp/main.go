// Command fasthttp is the baseline of the load tests: a bare fasthttp server
// with no SDK (no header parsing, no context, no logging) doing the work of
// internal/work, the physical limit for a fasthttp-based function server.
// POST /invoke is the event work (plus x-fc-status, which FC needs);
// GET /hello?name=Ada&count=3 is the HTTP work.
//
//	fasthttp -addr 127.0.0.1:19602
package main

import (
	"encoding/json"
	"flag"
	"log"

	"github.com/fcgo/fcgo/bench/internal/work"
	"github.com/valyala/fasthttp"
)

func handle(rc *fasthttp.RequestCtx) {
	switch string(rc.Path()) {
	case "/invoke":
		b, err := work.HandWritten(rc.PostBody())
		if err != nil {
			rc.Response.Header.Set("x-fc-status", "404")
			rc.Error(err.Error(), fasthttp.StatusNotFound)
			return
		}
		rc.Response.Header.Set("x-fc-status", "200")
		rc.SetBody(b)
	case work.HelloPath:
		args := rc.QueryArgs()
		in := work.FromQuery(string(args.Peek("name")), string(args.Peek("count")))
		b, err := json.Marshal(work.Greet(in))
		if err != nil {
			rc.Error(err.Error(), fasthttp.StatusInternalServerError)
			return
		}
		rc.SetContentType("application/json")
		rc.SetBody(b)
	default:
		rc.SetStatusCode(fasthttp.StatusNotFound)
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:19602", "address to listen on")
	flag.Parse()
	s := &fasthttp.Server{
		Handler:               handle,
		NoDefaultServerHeader: true,
		NoDefaultDate:         true,
		NoDefaultContentType:  true,
	}
	log.Fatal(s.ListenAndServe(*addr))
}
