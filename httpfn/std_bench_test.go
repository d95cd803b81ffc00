package httpfn_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"

	"github.com/fcgo/fcgo/headers"
	"github.com/fcgo/fcgo/httpfn"
	"github.com/valyala/fasthttp"
)

// BenchmarkStd runs a realistic FC HTTP invoke (34 headers, a 1 KB
// security token) through Std; Native is the same work as a fasthttp
// handler, for comparison.
func BenchmarkStd(b *testing.B) {
	remote := &net.TCPAddr{IP: net.IPv4(21, 0, 4, 17), Port: 52814}
	const target = "/2016-08-15/proxy/fcgo-demo/hello-fcgo/users/42?expand=orders&limit=10"
	std := httpfn.Std(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, `{"id":42}`)
	}))
	native := func(rc *fasthttp.RequestCtx) {
		_ = rc.PostBody()
		rc.SetBodyString(`{"id":42}`)
	}
	for _, bc := range []struct {
		name string
		h    fasthttp.RequestHandler
		body string
	}{
		{"GET", std, ""},
		{"POST", std, `{"name":"fcgo","tags":["a","b"]}`},
		{"Native/GET", native, ""},
	} {
		b.Run(bc.name, func(b *testing.B) {
			method := "GET"
			if bc.body != "" {
				method = "POST"
			}
			rc := readCtx(b, rawRequest(method, target, bc.body), remote)
			info, err := headers.Parse(&rc.Request.Header)
			if err != nil {
				b.Fatal(err)
			}
			httpfn.WithContext(rc, headers.NewContext(context.Background(), &info))
			b.ReportAllocs()
			for b.Loop() {
				rc.Response.Reset()
				bc.h(rc)
			}
		})
	}
}
