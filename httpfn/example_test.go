package httpfn_test

import (
	"fmt"
	"net/http"

	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/headers"
	"github.com/fcgo/fcgo/httpfn"
	"github.com/rs/zerolog"
	"github.com/valyala/fasthttp"
)

// A net/http ServeMux with Go's method and path patterns, served as the
// HTTP handler of a function. r.Context() is the invocation context.
func ExampleStd() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /users/{id}", func(w http.ResponseWriter, r *http.Request) {
		info, _ := headers.FromContext(r.Context())
		zerolog.Ctx(r.Context()).Info().Str("user", r.PathValue("id")).Msg("lookup")
		fmt.Fprintf(w, "user %s (request %s)\n", r.PathValue("id"), info.RequestID)
	})
	fcserver.Run(fcserver.WithHTTP(httpfn.Std(mux))) // or fcserver.WithStdHTTP(mux)
}

// On FC 2.0 default URLs the path carries /2016-08-15/proxy/<service>/<function>;
// StripBasePath lets the handler route on the path the client meant.
func ExampleStripBasePath() {
	h := httpfn.StripBasePath(func(rc *fasthttp.RequestCtx) {
		fmt.Println(string(rc.Path()))
	})

	var req fasthttp.Request
	req.SetRequestURI("/2016-08-15/proxy/shop/api/orders/7")
	req.Header.Set(headers.XFCBasePath, "/2016-08-15/proxy/shop/api")
	var rc fasthttp.RequestCtx
	rc.Init(&req, nil, nil)
	h(&rc)
	// Output: /orders/7
}

// In a native fasthttp handler, httpfn.Context returns the invocation
// context with the FC deadline, for code that honours deadlines.
func ExampleContext() {
	fcserver.Run(fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) {
		ctx := httpfn.Context(rc)
		deadline, ok := ctx.Deadline()
		fmt.Fprintf(rc, "deadline %v (set: %v)\n", deadline, ok)
	}))
}
