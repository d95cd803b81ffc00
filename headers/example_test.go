package headers_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/valyala/fasthttp"

	"github.com/fcgo/fcgo/headers"
)

func ExampleParse() {
	raw := "POST /invoke HTTP/1.1\r\n" +
		"Host: 127.0.0.1:9000\r\n" +
		"X-Fc-Request-Id: 1-67a59f35-150c1267-f381ba1c085c\r\n" +
		"X-Fc-Function-Name: hello\r\n" +
		"X-Fc-Function-Memory: 512\r\n" +
		"X-Fc-Function-Timeout: 60\r\n" +
		"X-Fc-Retry-Count: oops\r\n" +
		"X-Fc-Control-Path: /invoke\r\n" +
		"\r\n"
	var h fasthttp.RequestHeader
	if err := h.Read(bufio.NewReader(strings.NewReader(raw))); err != nil {
		panic(err)
	}

	info, err := headers.Parse(&h)
	fmt.Println(info.RequestID)
	fmt.Println(info.Function.Name, info.Function.MemoryMB, info.Function.Timeout)
	fmt.Println(info.ControlPath == headers.ControlPathInvoke)

	// A malformed value leaves its field zero; the request goes on.
	var pe *headers.ParseError
	if errors.As(err, &pe) {
		fmt.Println(pe.Header, pe.Value, info.RetryCount)
	}
	// Output:
	// 1-67a59f35-150c1267-f381ba1c085c
	// hello 512 1m0s
	// true
	// x-fc-retry-count oops 0
}

func ExampleFromContext() {
	info := &headers.Info{RequestID: "1-67a59f35-150c1267-f381ba1c085c", Region: "cn-hangzhou"}
	ctx := headers.NewContext(context.Background(), info)

	// In a handler, deep down the call chain:
	if info, ok := headers.FromContext(ctx); ok {
		fmt.Println(info.RequestID, info.Region)
	}
	_, ok := headers.FromContext(context.Background())
	fmt.Println(ok)
	// Output:
	// 1-67a59f35-150c1267-f381ba1c085c cn-hangzhou
	// false
}

func ExampleCredentials() {
	creds := headers.NewCredentials("STS.NUgYrLnoC37mZZCNnAbez2Xfq", "do-not-print", "CAIS-do-not-print")
	fmt.Println(creds)
	fmt.Printf("%#v\n", creds)

	// Read them with the accessors to hand them to an SDK.
	fmt.Println(len(creds.AccessKeySecret()) > 0)
	// Output:
	// {AccessKeyID:STS.NUgYrLnoC37mZZCNnAbez2Xfq AccessKeySecret:[REDACTED] SecurityToken:[REDACTED]}
	// headers.Credentials{AccessKeyID:"STS.NUgYrLnoC37mZZCNnAbez2Xfq", AccessKeySecret:"[REDACTED]", SecurityToken:"[REDACTED]"}
	// true
}

func ExampleTracing_Baggage() {
	// x-fc-tracing-opentracing-span-baggages: base64 of {"env":"prod","tenant":"acme"}
	tr := headers.Tracing{SpanBaggages: "eyJlbnYiOiJwcm9kIiwidGVuYW50IjoiYWNtZSJ9"}
	baggage, err := tr.Baggage()
	if err != nil {
		panic(err)
	}
	fmt.Println(baggage["env"], baggage["tenant"])
	// Output:
	// prod acme
}
