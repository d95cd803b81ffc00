//go:build !race

package headers_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"

	"github.com/fcgo/fcgo/headers"
)

var allocSink headers.Info

// Parse copies every value into one arena: one allocation for the full,
// realistic header set (~2.3 KB of headers, a 1 KB token).
//
// Measured (go test -count=1 -run Alloc ./headers/, go1.26 linux/amd64):
// 1 allocation per Parse of testdata/full-headers.txt, 1 for an HTTP invoke
// with cookies, 0 when no x-fc-* string header is present.
func TestParseAllocs(t *testing.T) {
	var h fasthttp.RequestHeader
	readHeader(t, &h, loadFixture(t, "full-headers.txt"))
	_, err := headers.Parse(&h)
	require.NoError(t, err)

	allocs := testing.AllocsPerRun(1000, func() {
		allocSink, _ = headers.Parse(&h)
	})
	t.Logf("Parse(full header set): %v allocs/op", allocs)
	assert.LessOrEqual(t, allocs, 1.0)

	// An HTTP invoke with the client's cookies: fasthttp's header iterator
	// reuses its own buffer for them.
	var web fasthttp.RequestHeader
	readHeader(t, &web, request("Cookie: session=abc; theme=dark", "X-Fc-Request-Id: r", "X-Fc-Control-Path: /http-invoke"))
	allocs = testing.AllocsPerRun(1000, func() {
		allocSink, _ = headers.Parse(&web)
	})
	t.Logf("Parse(HTTP invoke with cookies): %v allocs/op", allocs)
	assert.LessOrEqual(t, allocs, 1.0)

	var empty fasthttp.RequestHeader
	readHeader(t, &empty, request("X-Fc-Function-Memory: 128", "X-Fc-Control-Path: /invoke"))
	allocs = testing.AllocsPerRun(1000, func() {
		allocSink, _ = headers.Parse(&empty)
	})
	t.Logf("Parse(numbers only): %v allocs/op", allocs)
	assert.Zero(t, allocs)
}

// A Parser copies only the request's own ids once it holds the function's
// values: one allocation, and none when the request sends no such id.
func TestParserAllocs(t *testing.T) {
	var p headers.Parser
	var h fasthttp.RequestHeader
	parseWith(t, &p, &h, loadFixture(t, "full-headers.txt"))
	allocs := testing.AllocsPerRun(1000, func() {
		allocSink, _ = p.Parse(&h)
	})
	t.Logf("Parser.Parse(full header set): %v allocs/op", allocs)
	assert.LessOrEqual(t, allocs, 1.0)

	// HTTP invokes to different paths: x-fc-base-path may be the request's
	// path (SPEC §2), so it is the request's own value, not a shared one.
	var paths [2]fasthttp.RequestHeader
	for i, path := range []string{"/users", "/orders/42"} {
		readHeader(t, &paths[i], withValues(t, map[string]string{headers.XFCBasePath: path}))
	}
	i := 0
	allocs = testing.AllocsPerRun(1000, func() {
		allocSink, _ = p.Parse(&paths[i%2])
		i++
	})
	t.Logf("Parser.Parse(alternating base paths): %v allocs/op", allocs)
	assert.LessOrEqual(t, allocs, 1.0)

	var empty fasthttp.RequestHeader
	parseWith(t, &p, &empty, request("X-Fc-Function-Memory: 128", "X-Fc-Control-Path: /invoke", "X-Fc-Region: cn-hangzhou"))
	allocs = testing.AllocsPerRun(1000, func() {
		allocSink, _ = p.Parse(&empty)
	})
	t.Logf("Parser.Parse(numbers and shared values only): %v allocs/op", allocs)
	assert.Zero(t, allocs)
}
