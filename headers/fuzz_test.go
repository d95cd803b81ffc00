package headers_test

import (
	"bufio"
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/fcgo/fcgo/headers"
)

// headerBlock returns the header lines of a raw request, without the
// request line, its Host line (the fuzz target sends its own: fasthttp
// refuses two), the blank line and the body.
func headerBlock(raw []byte) []byte {
	if end := bytes.Index(raw, []byte("\r\n\r\n")); end >= 0 {
		raw = raw[:end]
	}
	if i := bytes.Index(raw, []byte("\r\n")); i >= 0 {
		raw = raw[i+2:]
	}
	var out [][]byte
	for line := range bytes.SplitSeq(raw, []byte("\r\n")) {
		if !bytes.HasPrefix(bytes.ToLower(line), []byte("host:")) {
			out = append(out, line)
		}
	}
	return bytes.Join(out, []byte("\r\n"))
}

// readBlock reads block as the header lines of a GET request, as
// FuzzParse does.
func readBlock(h *fasthttp.RequestHeader, block []byte) error {
	raw := append([]byte("GET / HTTP/1.1\r\nHost: fuzz\r\n"), block...)
	raw = append(raw, "\r\n\r\n"...)
	return h.Read(bufio.NewReaderSize(bytes.NewReader(raw), len(raw)+4096))
}

func asciiLower(b []byte) string {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return string(out)
}

// parseErrors maps the header named by each *ParseError in err to its value.
func parseErrors(t *testing.T, err error) map[string]string {
	out := map[string]string{}
	if err == nil {
		return out
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		var pe *headers.ParseError
		if !errors.As(e, &pe) || !errors.Is(e, headers.ErrMalformed) {
			t.Fatalf("error %v (%T) is not a *ParseError", e, e)
		}
		out[pe.Header] = pe.Value
	}
	return out
}

// fuzzParser lives across the inputs of FuzzParse, so each input is
// parsed by a Parser holding the values of the input before it.
var fuzzParser headers.Parser

// fuzzIntoParser is FuzzParse's Parser for ParseInto, which it calls once
// per input: it always holds the values of the input before.
var fuzzIntoParser headers.Parser

// parseSeeds are the header blocks FuzzParse starts from.
func parseSeeds(tb testing.TB) [][]byte {
	seeds := [][]byte{headerBlock(loadFixture(tb, "full-headers.txt"))}
	for _, lines := range [][]string{
		{"X-Fc-Request-Id: first", "x-fc-request-id: second"},
		{"x-Fc-ReQuEsT-iD: mixed", "X-FC-FUNCTION-MEMORY: 256"},
		{"X-Fc-Function-Memory: abc", "X-Fc-Function-Timeout: -1", "X-Fc-Initialization-Timeout: 1.5", "X-Fc-Retry-Count: 99999999999999999999"},
		{"X-Fc-Function-Memory:", "X-Fc-Request-Id:", "X-Fc-Control-Path:"},
		{"X-Fc-Control-Path: /pre-freeze", "X-Fc-Tracing-Opentracing-Span-Baggages: eyJhIjoiYiJ9"},
		{"X-Fc-Security-Token: " + fullToken()},
		{"X-Fc-: x", "X-Fc-Instance-Lifecycle-Pre-Freeze-Handlerx: y", "Cookie: a=b"},
		// From the server's hostile-input table: absurd and malformed values.
		{"X-Fc-Function-Memory: " + strings.Repeat("9", 20<<10), "X-Fc-Retry-Count: 18446744073709551616"},
		{"X-Fc-Request-Id: -1 \"bad\" \\ \xc3\xa9 \xff =?%00", "X-Fc-Function-Timeout: 0x10", "X-Fc-Function-Memory: +5"},
		{"X-Fc-Control-Path: /invoke/../initialize", "X-Fc-Tracing-Opentracing-Span-Baggages: !!!not-base64"},
		{"X-Fc-Control-Path: /INVOKE", "X-Fc-Status: 404", "X-FC-ACCESS-KEY-SECRET: s", "x-fc-security-token: t"},
	} {
		seeds = append(seeds, headerBlock(request(lines...)))
	}

	return seeds
}

// Every seed of FuzzParse is a request fasthttp reads: a seed it refused
// would test nothing.
func TestParseSeedsAreRead(t *testing.T) {
	for _, block := range parseSeeds(t) {
		var h fasthttp.RequestHeader
		if err := readBlock(&h, block); err != nil {
			t.Errorf("fasthttp refuses the seed %q: %v", block, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, block := range parseSeeds(f) {
		f.Add(block)
	}

	f.Fuzz(func(t *testing.T, block []byte) {
		var h fasthttp.RequestHeader
		if readBlock(&h, block) != nil {
			return
		}
		info, err := headers.Parse(&h)
		bad := parseErrors(t, err)

		// A Parser gives the same Info and error, whether it held the
		// previous input's values (copied anew when they differ) or, on
		// the second call, this input's own (shared).
		for range 2 {
			pinfo, perr := fuzzParser.Parse(&h)
			assertSameInfo(t, info, pinfo)
			if (err == nil) != (perr == nil) || (err != nil && err.Error() != perr.Error()) {
				t.Errorf("Parser error %v, Parse error %v", perr, err)
			}
		}
		// ParseInto overwrites every field of an Info that held another
		// request's values. Its Parser holds the previous input's values,
		// so it copies this input's anew when they differ.
		into := staleInfo()
		ierr := fuzzIntoParser.ParseInto(&into, &h)
		assertSameInfo(t, info, into)
		if (err == nil) != (ierr == nil) || (err != nil && err.Error() != ierr.Error()) {
			t.Errorf("ParseInto error %v, Parse error %v", ierr, err)
		}

		// The oracle: the first value of every header, by ASCII-lower-cased name.
		first := map[string]string{}
		for k, v := range h.All() {
			name := asciiLower(k)
			if _, seen := first[name]; !seen {
				first[name] = string(v)
			}
		}

		strs := map[string]string{
			headers.XFCRequestID:             info.RequestID,
			headers.XFCAccessKeyID:           info.Credentials.AccessKeyID,
			headers.XFCAccessKeySecret:       info.Credentials.AccessKeySecret(),
			headers.XFCSecurityToken:         info.Credentials.SecurityToken(),
			headers.XFCFunctionName:          info.Function.Name,
			headers.XFCFunctionHandler:       info.Function.Handler,
			headers.XFCFunctionInitializer:   info.Function.Initializer,
			headers.XFCPreStopHandler:        info.Function.PreStopHandler,
			headers.XFCPreFreezeHandler:      info.Function.PreFreezeHandler,
			headers.XFCServiceName:           info.Service.Name,
			headers.XFCServiceLogProject:     info.Service.LogProject,
			headers.XFCServiceLogStore:       info.Service.LogStore,
			headers.XFCRegion:                info.Region,
			headers.XFCAccountID:             info.AccountID,
			headers.XFCQualifier:             info.Qualifier,
			headers.XFCVersionID:             info.VersionID,
			headers.XFCBasePath:              info.BasePath,
			headers.XFCClientIP:              info.ClientIP,
			headers.XFCTracingSpanContext:    info.Tracing.SpanContext,
			headers.XFCTracingSpanBaggages:   info.Tracing.SpanBaggages,
			headers.XFCTracingJaegerEndpoint: info.Tracing.JaegerEndpoint,
			headers.XFCEagleEyeTraceID:       info.EagleEye.TraceID,
			headers.XFCEagleEyeRPCID:         info.EagleEye.RPCID,
			headers.XFCEagleEyeUserData:      info.EagleEye.UserData,
		}
		for name, got := range strs {
			if got != first[name] {
				t.Errorf("%s = %q, header value %q", name, got, first[name])
			}
		}

		nums := map[string]int{
			headers.XFCFunctionMemory:        info.Function.MemoryMB,
			headers.XFCFunctionTimeout:       int(info.Function.Timeout.Seconds()),
			headers.XFCInitializationTimeout: int(info.Function.InitializationTimeout.Seconds()),
			headers.XFCRetryCount:            info.RetryCount,
		}
		for name, got := range nums {
			v := first[name]
			if value, isBad := bad[name]; isBad {
				if value != v || got != 0 {
					t.Errorf("%s: error for %q, field %d, header %q", name, value, got, v)
				}
				continue
			}
			want := 0
			if v != "" {
				n, err := strconv.ParseUint(v, 10, 64)
				if err != nil || v[0] == '+' {
					t.Errorf("%s: %q accepted as %d", name, v, got)
					continue
				}
				want = int(n)
			}
			if got != want {
				t.Errorf("%s = %d, header %q", name, got, v)
			}
		}
		for name := range bad {
			if _, ok := nums[name]; !ok {
				t.Errorf("error for non-numeric header %s", name)
			}
		}

		if want := headers.ParseControlPath([]byte(first[headers.XFCControlPath])); info.ControlPath != want {
			t.Errorf("control path %v, want %v", info.ControlPath, want)
		}
		_, _ = info.Tracing.Baggage() // must not panic
		_ = info.Credentials.String()
	})
}

func FuzzParseControlPath(f *testing.F) {
	for _, tc := range controlPathCases {
		f.Add([]byte(tc.value))
	}
	f.Fuzz(func(t *testing.T, v []byte) {
		p := headers.ParseControlPath(v)
		switch p {
		case headers.ControlPathNone:
			if len(v) != 0 {
				t.Errorf("%q parsed as none", v)
			}
		case headers.ControlPathUnknown:
			if len(v) == 0 {
				t.Error("empty value parsed as unknown")
			}
		default:
			if p.String() != string(v) {
				t.Errorf("%q parsed as %v", v, p)
			}
		}
		if p != headers.ControlPathUnknown && headers.ParseControlPath([]byte(p.String())) != p {
			t.Errorf("%v does not round trip", p)
		}
	})
}

// staleInfo is an Info with every field set, as a request before may
// leave one.
func staleInfo() headers.Info {
	var old headers.Parser
	var h fasthttp.RequestHeader
	h.Set(headers.XFCFunctionMemory, "128")
	h.Set(headers.XFCFunctionTimeout, "3")
	h.Set(headers.XFCInitializationTimeout, "4")
	h.Set(headers.XFCRetryCount, "2")
	h.Set(headers.XFCControlPath, "/pre-stop")
	for _, name := range []string{
		headers.XFCRequestID, headers.XFCAccessKeyID, headers.XFCAccessKeySecret, headers.XFCSecurityToken,
		headers.XFCFunctionName, headers.XFCFunctionHandler, headers.XFCFunctionInitializer,
		headers.XFCPreStopHandler, headers.XFCPreFreezeHandler, headers.XFCServiceName,
		headers.XFCServiceLogProject, headers.XFCServiceLogStore, headers.XFCRegion, headers.XFCAccountID,
		headers.XFCQualifier, headers.XFCVersionID, headers.XFCBasePath, headers.XFCClientIP,
		headers.XFCTracingSpanContext, headers.XFCTracingSpanBaggages, headers.XFCTracingJaegerEndpoint,
		headers.XFCEagleEyeTraceID, headers.XFCEagleEyeRPCID, headers.XFCEagleEyeUserData,
	} {
		h.Set(name, "stale-"+name)
	}
	info, _ := old.Parse(&h)
	return info
}
