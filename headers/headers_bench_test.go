package headers_test

import (
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/fcgo/fcgo/headers"
)

var benchSink headers.Info

// BenchmarkParse parses the realistic full header set of
// testdata/full-headers.txt (29 x-fc-* headers, a 1 KB token).
func BenchmarkParse(b *testing.B) {
	var h fasthttp.RequestHeader
	readHeader(b, &h, loadFixture(b, "full-headers.txt"))
	b.ReportAllocs()
	for b.Loop() {
		benchSink, _ = headers.Parse(&h)
	}
}

// BenchmarkParser parses the same header set with a Parser, as a server
// does request after request: only the request's own ids are copied.
func BenchmarkParser(b *testing.B) {
	var h fasthttp.RequestHeader
	readHeader(b, &h, loadFixture(b, "full-headers.txt"))
	var p headers.Parser
	b.ReportAllocs()
	for b.Loop() {
		benchSink, _ = p.Parse(&h)
	}
}

// BenchmarkParseMalformed measures the error path: four bad numbers.
func BenchmarkParseMalformed(b *testing.B) {
	var h fasthttp.RequestHeader
	readHeader(b, &h, request(
		"X-Fc-Request-Id: 1-67a59f35-150c1267-f381ba1c085c",
		"X-Fc-Function-Memory: abc",
		"X-Fc-Function-Timeout: -1",
		"X-Fc-Initialization-Timeout: 1.5",
		"X-Fc-Retry-Count: 99999999999999999999",
	))
	b.ReportAllocs()
	for b.Loop() {
		benchSink, _ = headers.Parse(&h)
	}
}
