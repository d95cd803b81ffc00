// Command fasthttp is the baseline of the load tests: a bare fasthttp server
// with no SDK (no header parsing, no context, no logging) doing the work of
// internal/work, the physical limit for a fasthttp-based function server.
// POST /invoke is the event work (plus x-fc-status, which FC needs);
// GET /hello?name=Ada&count=3 is the HTTP work.
//
// With -log it also writes what FC's log contract asks of any server (SPEC
// §6, DESIGN rule 5), hand-written with no SDK, as cheaply as a
// hand-written server can: the start marker, the request's log line and the
// end marker in one write before the response, a write per request: what
// that write alone costs. (Under concurrency fcgo writes an invocation's
// lines together too, and shares the write with other requests'.)
//
//	fasthttp -addr 127.0.0.1:19602 [-log > fasthttp.log]
package main

import (
	"encoding/json"
	"flag"
	"log"
	"os"
	"sync"
	"time"

	"github.com/fcgo/fcgo/bench/internal/work"
	"github.com/fcgo/fcgo/logging"
	"github.com/valyala/fasthttp"
)

var bufs = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

// logged wraps h with the markers and one log line per request, written to
// stdout in one write per request.
func logged(h fasthttp.RequestHandler) fasthttp.RequestHandler {
	return func(rc *fasthttp.RequestCtx) {
		bp := bufs.Get().(*[]byte)
		id := rc.Request.Header.Peek("x-fc-request-id")
		b := append((*bp)[:0], "FC Invoke Start RequestId: "...)
		b = append(append(b, id...), '\n')
		h(rc)
		b = time.Now().UTC().AppendFormat(b, "2006-01-02T15:04:05.000Z")
		b = append(append(append(b, ' '), id...), " [INFO] greeting path="...)
		b = append(append(b, rc.Path()...), '\n')
		b = append(append(append(b, "FC Invoke End RequestId: "...), id...), '\n')
		_, _ = os.Stdout.Write(b)
		*bp = b
		bufs.Put(bp)
	}
}

// fcLogged wraps h with the markers and one log line per request, written
// to stdout by fcgo's logging.Logger.
func fcLogged(h fasthttp.RequestHandler) fasthttp.RequestHandler {
	lg := logging.New(os.Stdout)
	return func(rc *fasthttp.RequestCtx) {
		inv := lg.Begin(logging.KindInvoke, string(rc.Request.Header.Peek("x-fc-request-id")))
		h(rc)
		inv.Logger().Info().Bytes("path", rc.Path()).Msg("greeting")
		inv.End(false)
	}
}

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
	withLog := flag.Bool("log", false, "write FC's markers and a log line per request to stdout, in one write")
	withFCLog := flag.Bool("fclog", false, "write FC's markers and a log line per request to stdout through fcgo's logging package")
	flag.Parse()
	h := fasthttp.RequestHandler(handle)
	switch {
	case *withLog && *withFCLog:
		log.Fatal("fasthttp: -log and -fclog exclude each other")
	case *withLog:
		h = logged(h)
	case *withFCLog:
		h = fcLogged(h)
	}
	s := &fasthttp.Server{
		Handler:               h,
		NoDefaultServerHeader: true,
		NoDefaultDate:         true,
		NoDefaultContentType:  true,
	}
	log.Fatal(s.ListenAndServe(*addr))
}
