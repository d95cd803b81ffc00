// Command bare is the baseline of the loopback load check: a bare fasthttp
// server with no SDK, no header parsing and no logging. With BARE_MODE=json
// (the default) it answers POST /invoke by doing the work of examples/hello
// (decode {"name"}, encode {"greeting"}) with encoding/json, plus
// x-fc-status; with BARE_MODE=echo it answers with the request body as is.
package main

import (
	"encoding/json"
	"log"
	"os"

	"github.com/valyala/fasthttp"
)

type input struct {
	Name string `json:"name"`
}

type output struct {
	Greeting string `json:"greeting"`
}

func main() {
	addr := "127.0.0.1:" + os.Getenv("FC_SERVER_PORT")
	handler := func(rc *fasthttp.RequestCtx) {
		var in input
		if err := json.Unmarshal(rc.PostBody(), &in); err != nil || in.Name == "" {
			rc.SetStatusCode(404)
			rc.Response.Header.Set("x-fc-status", "404")
			return
		}
		b, _ := json.Marshal(output{Greeting: "hello, " + in.Name})
		rc.Response.Header.Set("x-fc-status", "200")
		rc.SetBody(b)
	}
	if os.Getenv("BARE_MODE") == "echo" {
		handler = func(rc *fasthttp.RequestCtx) { rc.SetBody(rc.PostBody()) }
	}
	s := &fasthttp.Server{
		Handler:               handler,
		NoDefaultServerHeader: true,
		NoDefaultDate:         true,
		NoDefaultContentType:  true,
	}
	log.Fatal(s.ListenAndServe(addr))
}
