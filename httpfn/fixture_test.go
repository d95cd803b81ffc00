package httpfn_test

import (
	"bufio"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
)

// fcToken is the size of a real STS token (~1 KB, SPEC §3).
var fcToken = "CAIS" + strings.Repeat("fcgoTOKENx9Lm2Kp4Rt6Wz8YvN3dE5/+", 32)

// fcHeaders are the lines FC adds to an HTTP invoke: with the client's own
// headers in rawRequest, a realistic request has 34 header lines.
var fcHeaders = []string{
	"X-Fc-Request-Id: 1-67a59f35-150c1267-f381ba1c085c",
	"X-Fc-Access-Key-Id: STS.NUgYrLnoC37mZZCNnAbez2Xfq",
	"X-Fc-Access-Key-Secret: 7Hq2fcgoSECRETx9Lm2Kp4Rt6Wz8YvN3dE5",
	"X-Fc-Security-Token: " + fcToken,
	"X-Fc-Function-Name: hello-fcgo",
	"X-Fc-Function-Handler: index.handler",
	"X-Fc-Function-Memory: 512",
	"X-Fc-Function-Timeout: 60",
	"X-Fc-Function-Initializer: index.initializer",
	"X-Fc-Initialization-Timeout: 30",
	"X-Fc-Instance-Lifecycle-Pre-Stop-Handler: index.preStop",
	"X-Fc-Service-Name: fcgo-demo",
	"X-Fc-Service-Logproject: aliyun-fc-cn-hangzhou-2b4c6d8e",
	"X-Fc-Service-Logstore: function-log",
	"X-Fc-Region: cn-hangzhou",
	"X-Fc-Account-Id: 1234567890123456",
	"X-Fc-Qualifier: prod",
	"X-Fc-Version-Id: 3",
	"X-Fc-Control-Path: /http-invoke",
	"X-Fc-Base-Path: /2016-08-15/proxy/fcgo-demo/hello-fcgo",
	"X-Fc-Client-Ip: 203.0.113.7",
	"X-Fc-Tracing-Opentracing-Span-Context: 5f1c3a2b4d6e7f80:1a2b3c4d5e6f7081:5f1c3a2b4d6e7f80:1",
	"X-Fc-Tracing-Opentracing-Span-Baggages: eyJlbnYiOiJwcm9kIiwidGVuYW50IjoiYWNtZSJ9",
	"X-Fc-Eagleeye-Traceid: 0bc3b4a617330000000000001e4b2f",
	"X-Fc-Eagleeye-Rpcid: 0.1",
}

// clientHeaders are what a browser or API client sends, as FC forwards
// them.
var clientHeaders = []string{
	"Host: hello-fcgo-fcgo-demo-abcdefghij.cn-hangzhou.fcapp.run",
	"User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
	"Accept: application/json",
	"Accept-Encoding: gzip, deflate, br",
	"Accept-Language: en-US,en;q=0.9",
	"X-Forwarded-For: 203.0.113.7",
	"X-Forwarded-Proto: https",
	"Cookie: session=7f3a9c; theme=dark",
	"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmY2dvIn0.c2lnbmF0dXJl",
}

// rawRequest builds an HTTP/1.1 request as it arrives on the wire: the
// client's headers, FC's x-fc-* headers, then extra lines; a body gets a
// Content-Type and a Content-Length.
func rawRequest(method, target, body string, extra ...string) string {
	var b strings.Builder
	b.WriteString(method + " " + target + " HTTP/1.1\r\n")
	lines := append(append(append([]string(nil), clientHeaders...), fcHeaders...), extra...)
	if body != "" {
		lines = append(lines, "Content-Type: application/json", "Content-Length: "+itoa(len(body)))
	}
	for _, l := range lines {
		b.WriteString(l + "\r\n")
	}
	b.WriteString("\r\n")
	b.WriteString(body)
	return b.String()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var d []byte
	for ; n > 0; n /= 10 {
		d = append([]byte{byte('0' + n%10)}, d...)
	}
	return string(d)
}

// readCtx parses raw as fasthttp's server does and returns a RequestCtx
// serving it from remote (nil: 0.0.0.0:0).
func readCtx(tb testing.TB, raw string, remote net.Addr) *fasthttp.RequestCtx {
	tb.Helper()
	rc := &fasthttp.RequestCtx{}
	var req fasthttp.Request
	require.NoError(tb, req.Read(bufio.NewReaderSize(strings.NewReader(raw), 64<<10)))
	rc.Init(&req, remote, nil)
	return rc
}
