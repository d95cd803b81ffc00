// Command fcgo-http is the fcgo contender of the HTTP load test: GET
// /hello?name=Ada&count=3 answered with the JSON of internal/work, as a
// native fasthttp handler (fcserver.WithHTTP) or, with -std, as a net/http
// handler (fcserver.WithStdHTTP). Markers and one request log line per
// invocation go to stdout (redirect it to a file).
//
//	fcgo-http -addr 127.0.0.1:19605 [-std] > fcgo-http.log
package main

import (
	"encoding/json"
	"flag"
	"net/http"

	"github.com/fcgo/fcgo/bench/internal/work"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/httpfn"
	"github.com/rs/zerolog"
	"github.com/valyala/fasthttp"
)

// native is the route as a fasthttp handler, as a Fiber or fasthttp
// application would mount it.
func native(rc *fasthttp.RequestCtx) {
	if string(rc.Path()) != work.HelloPath || !rc.IsGet() {
		rc.SetStatusCode(fasthttp.StatusNotFound)
		return
	}
	args := rc.QueryArgs()
	in := work.FromQuery(string(args.Peek("name")), string(args.Peek("count")))
	zerolog.Ctx(httpfn.Context(rc)).Info().Str("name", in.Name).Msg("greeting")
	b, err := json.Marshal(work.Greet(in))
	if err != nil {
		rc.Error(err.Error(), fasthttp.StatusInternalServerError)
		return
	}
	rc.SetContentType("application/json")
	rc.SetBody(b)
}

// std is the same route as a net/http handler on a ServeMux.
func std() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+work.HelloPath, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		in := work.FromQuery(q.Get("name"), q.Get("count"))
		zerolog.Ctx(r.Context()).Info().Str("name", in.Name).Msg("greeting")
		b, err := json.Marshal(work.Greet(in))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	})
	return mux
}

func main() {
	addr := flag.String("addr", "127.0.0.1:19605", "address to listen on")
	useStd := flag.Bool("std", false, "serve the net/http handler through fcserver.WithStdHTTP instead of the native fasthttp one")
	flag.Parse()
	handler := fcserver.WithHTTP(native)
	if *useStd {
		handler = fcserver.WithStdHTTP(std())
	}
	fcserver.Run(fcserver.WithAddr(*addr), handler)
}
