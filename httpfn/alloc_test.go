//go:build !race

package httpfn_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"

	"github.com/fcgo/fcgo/headers"
	"github.com/fcgo/fcgo/httpfn"
)

// Std's cost per request for a realistic FC HTTP invoke: 34 headers, a
// 1 KB security token, a TCP peer, the invocation context attached as the
// server attaches it, a handler that does nothing.
//
// Measured (go test -count=1 -run Alloc ./httpfn, go1.26 linux/amd64):
// 8 allocations per GET (the string arena, the header map's 4, the
// values' backing slice, the URL, the *http.Request of WithContext), 9 with
// a body (its reader). fasthttpadaptor.ConvertRequest, used before, cost 51
// and 53 on the same requests.
func TestStdAllocs(t *testing.T) {
	remote := &net.TCPAddr{IP: net.IPv4(21, 0, 4, 17), Port: 52814}
	const target = "/2016-08-15/proxy/fcgo-demo/hello-fcgo/users/42?expand=orders&limit=10"
	nop := httpfn.Std(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	for _, tc := range []struct {
		name, method, body string
		headers            int
		want               float64
	}{
		{"GET", "GET", "", 34, 8},
		{"POST", "POST", `{"name":"fcgo"}`, 36, 9}, // + Content-Type, Content-Length
	} {
		rc := readCtx(t, rawRequest(tc.method, target, tc.body), remote)
		require.Equal(t, tc.headers, rc.Request.Header.Len())
		info, err := headers.Parse(&rc.Request.Header)
		require.NoError(t, err)
		httpfn.WithContext(rc, headers.NewContext(context.Background(), &info))
		allocs := testing.AllocsPerRun(1000, func() {
			rc.Response.Reset()
			nop(rc)
		})
		t.Logf("Std(%s, %d headers): %v allocs/op", tc.name, rc.Request.Header.Len(), allocs)
		assert.LessOrEqual(t, allocs, tc.want)
	}
}

// StripBasePath allocates nothing, with the base path from the Info or
// from the header.
func TestStripBasePathAllocs(t *testing.T) {
	for name, withInfo := range map[string]bool{"header": false, "info": true} {
		var path []byte
		h := httpfn.StripBasePath(func(rc *fasthttp.RequestCtx) { path = rc.Path() })
		rc := readCtx(t, rawRequest("GET", "/2016-08-15/proxy/fcgo-demo/hello-fcgo/users/42?a=1", ""), nil)
		if withInfo {
			info, err := headers.Parse(&rc.Request.Header)
			require.NoError(t, err)
			httpfn.WithContext(rc, headers.NewContext(context.Background(), &info))
		}
		h(rc) // warm fasthttp's buffers
		allocs := testing.AllocsPerRun(1000, func() {
			rc.Request.Header.SetRequestURI("/2016-08-15/proxy/fcgo-demo/hello-fcgo/users/42?a=1")
			rc.URI().SetPath("/2016-08-15/proxy/fcgo-demo/hello-fcgo/users/42")
			h(rc)
		})
		require.Equal(t, "/users/42", string(path), name)
		t.Logf("StripBasePath(%s): %v allocs/op", name, allocs)
		assert.Zero(t, allocs, name)
	}
}
