package headers_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"

	"github.com/fcgo/fcgo/headers"
)

// Values of testdata/full-headers.txt, a FC 3.0 event invoke with every
// header of SPEC §3 in the canonical X-Fc-... casing real dumps show.
const (
	fullRequestID    = "1-67a59f35-150c1267-f381ba1c085c"
	fullAccessKeyID  = "STS.NUgYrLnoC37mZZCNnAbez2Xfq"
	fullSecret       = "7Hq2fcgoSECRETx9Lm2Kp4Rt6Wz8YvN3dE5"
	fullBaggagesB64  = "eyJlbnYiOiJwcm9kIiwidGVuYW50IjoiYWNtZSJ9" // {"env":"prod","tenant":"acme"}
	fullSpanContext  = "5f1c3a2b4d6e7f80:1a2b3c4d5e6f7081:5f1c3a2b4d6e7f80:1"
	fullJaeger       = "http://tracing-analysis-dc-hz-internal.aliyuncs.com/adapt_fcgo@abc_fcgo@def/api/traces"
	fullEagleTraceID = "0bc3b4a617330000000000001e4b2f"
)

// fullToken is the 1 KB STS token of the fixture: a distinctive prefix
// followed by base64-alphabet noise, as real tokens look.
func fullToken() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	b := []byte("CAISfcgoTOKEN")
	for i := 0; len(b) < 1024; i++ {
		b = append(b, alphabet[(i*7)%64])
	}
	return string(b)
}

// fullInfo is what Parse must return for testdata/full-headers.txt.
func fullInfo() headers.Info {
	return headers.Info{
		RequestID:   fullRequestID,
		Credentials: headers.NewCredentials(fullAccessKeyID, fullSecret, fullToken()),
		Function: headers.Function{
			Name:                  "hello-fcgo",
			Handler:               "index.handler",
			MemoryMB:              512,
			Timeout:               60 * time.Second,
			Initializer:           "index.initializer",
			InitializationTimeout: 30 * time.Second,
			PreStopHandler:        "index.preStop",
			PreFreezeHandler:      "index.preFreeze",
		},
		Service: headers.Service{
			Name:       "fcgo-demo",
			LogProject: "aliyun-fc-cn-hangzhou-2b4c6d8e",
			LogStore:   "function-log",
		},
		Region:      "cn-hangzhou",
		AccountID:   "1234567890123456",
		Qualifier:   "prod",
		VersionID:   "3",
		RetryCount:  2,
		ControlPath: headers.ControlPathInvoke,
		BasePath:    "/2016-08-15/proxy/fcgo-demo/hello-fcgo",
		ClientIP:    "203.0.113.7",
		Tracing: headers.Tracing{
			SpanContext:    fullSpanContext,
			SpanBaggages:   fullBaggagesB64,
			JaegerEndpoint: fullJaeger,
		},
		EagleEye: headers.EagleEye{
			TraceID:  fullEagleTraceID,
			RPCID:    "0.1",
			UserData: "fcgo=1",
		},
	}
}

func loadFixture(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return raw
}

// readHeader reads the request line and headers of raw into h. A large
// bufio buffer keeps fasthttp's 4 KB default out of the picture.
func readHeader(t testing.TB, h *fasthttp.RequestHeader, raw []byte) {
	t.Helper()
	require.NoError(t, h.Read(bufio.NewReaderSize(bytes.NewReader(raw), 64<<10)))
}

// request builds a raw GET request with the given header lines.
func request(lines ...string) []byte {
	var b strings.Builder
	b.WriteString("GET /invoke HTTP/1.1\r\nHost: localhost:9000\r\n")
	for _, l := range lines {
		b.WriteString(l)
		b.WriteString("\r\n")
	}
	b.WriteString("\r\n")
	return []byte(b.String())
}

func parseLines(t *testing.T, lines ...string) (headers.Info, error) {
	t.Helper()
	var h fasthttp.RequestHeader
	readHeader(t, &h, request(lines...))
	return headers.Parse(&h)
}

func TestParseFullHeaderSet(t *testing.T) {
	var h fasthttp.RequestHeader
	readHeader(t, &h, loadFixture(t, "full-headers.txt"))

	info, err := headers.Parse(&h)
	require.NoError(t, err)
	assert.Equal(t, fullInfo(), info)
	assert.True(t, fullInfo().Credentials.Equal(info.Credentials), "secret and token")

	assert.Len(t, info.Credentials.SecurityToken(), 1024)
	assert.Equal(t, fullToken(), info.Credentials.SecurityToken())
	assert.Equal(t, 60*time.Second, info.Function.Timeout)
	assert.Equal(t, 512, info.Function.MemoryMB)
	assert.Equal(t, 2, info.RetryCount)
	assert.Equal(t, headers.ControlPathInvoke, info.ControlPath)

	baggage, err := info.Tracing.Baggage()
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"env": "prod", "tenant": "acme"}, baggage)

	arrival := time.Date(2026, 11, 28, 6, 33, 8, 0, time.UTC)
	deadline, ok := info.Deadline(arrival)
	assert.True(t, ok)
	assert.Equal(t, arrival.Add(time.Minute), deadline)
}

// Request.Read (headers and body) gives the same Info as RequestHeader.Read.
func TestParseFullRequest(t *testing.T) {
	var req fasthttp.Request
	raw := loadFixture(t, "full-headers.txt")
	require.NoError(t, req.Read(bufio.NewReaderSize(bytes.NewReader(raw), 64<<10)))
	assert.Equal(t, `{"name":"fcgo"}`, string(req.Body()))

	info, err := headers.Parse(&req.Header)
	require.NoError(t, err)
	assert.Equal(t, fullInfo(), info)
	assert.True(t, fullInfo().Credentials.Equal(info.Credentials), "secret and token")
}

func TestParseMissingHeaders(t *testing.T) {
	info, err := parseLines(t, "Content-Type: application/json", "X-Other: 1", "X-Fc: short", "X-Fc-Unknown-Header: 7")
	require.NoError(t, err)
	assert.Equal(t, headers.Info{}, info)

	_, ok := info.Deadline(time.Now())
	assert.False(t, ok, "no timeout header, no deadline")
	baggage, err := info.Tracing.Baggage()
	assert.NoError(t, err)
	assert.Nil(t, baggage)
}

// allHeaderNames lists every x-fc-* header Parse reads (SPEC §3).
var allHeaderNames = []string{
	headers.XFCRequestID, headers.XFCAccessKeyID, headers.XFCAccessKeySecret, headers.XFCSecurityToken,
	headers.XFCFunctionName, headers.XFCFunctionHandler, headers.XFCFunctionMemory, headers.XFCFunctionTimeout,
	headers.XFCFunctionInitializer, headers.XFCInitializationTimeout, headers.XFCPreStopHandler,
	headers.XFCPreFreezeHandler, headers.XFCServiceName, headers.XFCServiceLogProject, headers.XFCServiceLogStore,
	headers.XFCRegion, headers.XFCAccountID, headers.XFCQualifier, headers.XFCVersionID, headers.XFCRetryCount,
	headers.XFCControlPath, headers.XFCBasePath, headers.XFCClientIP, headers.XFCTracingSpanContext,
	headers.XFCTracingSpanBaggages, headers.XFCTracingJaegerEndpoint, headers.XFCEagleEyeTraceID,
	headers.XFCEagleEyeRPCID, headers.XFCEagleEyeUserData,
}

// Emulators send empty strings for unset values.
func TestParseEmptyValues(t *testing.T) {
	lines := make([]string, 0, len(allHeaderNames))
	for _, name := range allHeaderNames {
		lines = append(lines, name+":")
	}
	var h fasthttp.RequestHeader
	readHeader(t, &h, request(lines...))
	require.Equal(t, len(allHeaderNames)+1, h.Len(), "fasthttp must keep the empty headers")

	info, err := headers.Parse(&h)
	require.NoError(t, err)
	assert.Equal(t, headers.Info{}, info)
}

func TestParseMalformedNumbers(t *testing.T) {
	numeric := []string{
		headers.XFCFunctionMemory,
		headers.XFCFunctionTimeout,
		headers.XFCInitializationTimeout,
		headers.XFCRetryCount,
	}
	bad := []string{"abc", "-1", "1.5", "99999999999999999999", "+1", "0x10", "1e3", "12abc", "٣"}

	for _, name := range numeric {
		for _, value := range bad {
			t.Run(name+"="+value, func(t *testing.T) {
				// A valid neighbour: the other fields must still be parsed.
				other := headers.XFCFunctionMemory + ": 1024"
				if name == headers.XFCFunctionMemory {
					other = headers.XFCRetryCount + ": 3"
				}
				info, err := parseLines(t,
					headers.XFCRequestID+": req-1",
					name+": "+value,
					other,
					headers.XFCControlPath+": /http-invoke",
				)
				require.Error(t, err)

				var pe *headers.ParseError
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, name, pe.Header)
				assert.Equal(t, value, pe.Value)
				assert.ErrorIs(t, err, headers.ErrMalformed)
				assert.Contains(t, err.Error(), name)
				assert.Contains(t, err.Error(), value)

				switch name {
				case headers.XFCFunctionMemory:
					assert.Zero(t, info.Function.MemoryMB)
					assert.Equal(t, 3, info.RetryCount)
				case headers.XFCFunctionTimeout:
					assert.Zero(t, info.Function.Timeout)
					assert.Equal(t, 1024, info.Function.MemoryMB)
				case headers.XFCInitializationTimeout:
					assert.Zero(t, info.Function.InitializationTimeout)
					assert.Equal(t, 1024, info.Function.MemoryMB)
				case headers.XFCRetryCount:
					assert.Zero(t, info.RetryCount)
					assert.Equal(t, 1024, info.Function.MemoryMB)
				}
				assert.Equal(t, "req-1", info.RequestID)
				assert.Equal(t, headers.ControlPathHTTPInvoke, info.ControlPath)
			})
		}
	}
}

func TestParseNumbers(t *testing.T) {
	info, err := parseLines(t,
		headers.XFCFunctionMemory+": 0",
		headers.XFCFunctionTimeout+": 86400",
		headers.XFCInitializationTimeout+": 007",
		headers.XFCRetryCount+": 0",
	)
	require.NoError(t, err)
	assert.Equal(t, 0, info.Function.MemoryMB)
	assert.Equal(t, 24*time.Hour, info.Function.Timeout)
	assert.Equal(t, 7*time.Second, info.Function.InitializationTimeout)
	assert.Equal(t, 0, info.RetryCount)
}

func TestParseSeveralMalformed(t *testing.T) {
	info, err := parseLines(t,
		headers.XFCFunctionMemory+": abc",
		headers.XFCFunctionTimeout+": -1",
		headers.XFCInitializationTimeout+": 1.5",
		headers.XFCRetryCount+": 99999999999999999999",
		headers.XFCRegion+": cn-shanghai",
	)
	require.Error(t, err)
	assert.ErrorIs(t, err, headers.ErrMalformed)
	assert.Equal(t, "cn-shanghai", info.Region)
	assert.Zero(t, info.Function)
	assert.Zero(t, info.RetryCount)

	joined, ok := err.(interface{ Unwrap() []error })
	require.True(t, ok, "several errors are joined: %T", err)
	got := map[string]string{}
	for _, e := range joined.Unwrap() {
		var pe *headers.ParseError
		require.ErrorAs(t, e, &pe)
		got[pe.Header] = pe.Value
	}
	assert.Equal(t, map[string]string{
		headers.XFCFunctionMemory:        "abc",
		headers.XFCFunctionTimeout:       "-1",
		headers.XFCInitializationTimeout: "1.5",
		headers.XFCRetryCount:            "99999999999999999999",
	}, got)
	for _, name := range []string{headers.XFCFunctionMemory, headers.XFCFunctionTimeout, headers.XFCInitializationTimeout, headers.XFCRetryCount} {
		assert.Contains(t, err.Error(), name)
	}
}

func TestParseErrorMessage(t *testing.T) {
	long := strings.Repeat("9", 500)
	_, err := parseLines(t, headers.XFCFunctionMemory+": "+long)
	var pe *headers.ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, long, pe.Value, "the error keeps the whole value")
	assert.Less(t, len(err.Error()), 200, "the message does not repeat a huge value")
	assert.Contains(t, err.Error(), "500 bytes")
	assert.NotNil(t, errors.Unwrap(err))
}

func TestParseNameCase(t *testing.T) {
	cases := map[string]string{
		"lower":     "x-fc-request-id: %s\r\nx-fc-function-memory: 256\r\nx-fc-security-token: tok\r\nx-fc-instance-lifecycle-pre-freeze-handler: pf",
		"upper":     "X-FC-REQUEST-ID: %s\r\nX-FC-FUNCTION-MEMORY: 256\r\nX-FC-SECURITY-TOKEN: tok\r\nX-FC-INSTANCE-LIFECYCLE-PRE-FREEZE-HANDLER: pf",
		"canonical": "X-Fc-Request-Id: %s\r\nX-Fc-Function-Memory: 256\r\nX-Fc-Security-Token: tok\r\nX-Fc-Instance-Lifecycle-Pre-Freeze-Handler: pf",
		"mixed":     "x-Fc-ReQuEsT-iD: %s\r\nX-fC-fUnCtIoN-mEmOrY: 256\r\nx-FC-security-TOKEN: tok\r\nX-fc-Instance-LIFECYCLE-pre-FREEZE-handler: pf",
	}
	for name, block := range cases {
		for _, normalize := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/normalize=%t", name, normalize), func(t *testing.T) {
				var h fasthttp.RequestHeader
				if !normalize {
					// Keep the names exactly as sent.
					h.DisableNormalizing()
				}
				readHeader(t, &h, request(strings.ReplaceAll(block, "%s", "id-"+name)))
				info, err := headers.Parse(&h)
				require.NoError(t, err)
				assert.Equal(t, "id-"+name, info.RequestID)
				assert.Equal(t, 256, info.Function.MemoryMB)
				assert.Equal(t, "tok", info.Credentials.SecurityToken())
				assert.Equal(t, "pf", info.Function.PreFreezeHandler)
			})
		}
	}
}

func TestParseLongTokenIntact(t *testing.T) {
	token := fullToken()
	require.Len(t, token, 1024)
	info, err := parseLines(t, "X-Fc-Security-Token: "+token, "X-Fc-Request-Id: r")
	require.NoError(t, err)
	assert.Equal(t, token, info.Credentials.SecurityToken())
	assert.Equal(t, "r", info.RequestID)
}

func TestParseDuplicateFirstWins(t *testing.T) {
	info, err := parseLines(t,
		"X-Fc-Request-Id: first",
		"X-Fc-Function-Memory: 128",
		"X-Fc-Control-Path: /initialize",
		"x-fc-request-id: second",
		"X-Fc-Function-Memory: abc", // ignored, so no error
		"X-Fc-Control-Path: /invoke",
		"X-Fc-Request-Id: third",
	)
	require.NoError(t, err)
	assert.Equal(t, "first", info.RequestID)
	assert.Equal(t, 128, info.Function.MemoryMB)
	assert.Equal(t, headers.ControlPathInitialize, info.ControlPath)
}

// fasthttp reuses a header's buffers for the next request on a connection;
// an Info must not share them.
func TestParseInfoOwnsItsStrings(t *testing.T) {
	var h fasthttp.RequestHeader
	readHeader(t, &h, loadFixture(t, "full-headers.txt"))
	info, err := headers.Parse(&h)
	require.NoError(t, err)

	// Overwrite every header with a value of the same length, so that a
	// string still pointing into fasthttp's buffer would change.
	for _, round := range []byte{'#', '%'} {
		h.Reset()
		raw := loadFixture(t, "full-headers.txt")
		end := bytes.Index(raw, []byte("\r\n\r\n"))
		for _, line := range bytes.Split(raw[:end], []byte("\r\n")) {
			if !bytes.HasPrefix(line, []byte("X-Fc-")) {
				continue
			}
			for j := bytes.IndexByte(line, ':') + 2; j < len(line); j++ {
				line[j] = round
			}
		}
		readHeader(t, &h, raw)
		other, _ := headers.Parse(&h)
		assert.Equal(t, strings.Repeat(string(round), len(fullRequestID)), other.RequestID)
		assert.Equal(t, fullInfo(), info, "round %c", round)
		assert.True(t, fullInfo().Credentials.Equal(info.Credentials), "secret and token survive round %c", round)
	}
}

func TestParseErrorNil(t *testing.T) {
	// Parse returns a nil interface, not a typed nil, on success.
	_, err := parseLines(t, "X-Fc-Function-Memory: 128")
	assert.True(t, err == nil)
}

func TestTracingBaggage(t *testing.T) {
	cases := []struct {
		name, raw string
		want      map[string]string
		bad       bool
	}{
		{"padded", "eyJlbnYiOiJwcm9kIiwidGVuYW50IjoiYWNtZSJ9", map[string]string{"env": "prod", "tenant": "acme"}, false},
		{"no padding needed", "eyJhIjoiYiJ9", map[string]string{"a": "b"}, false},  // {"a":"b"}
		{"dropped padding", "eyJhIjoiYmMifQ", map[string]string{"a": "bc"}, false}, // {"a":"bc"}
		{"empty object", "e30=", map[string]string{}, false},
		{"empty", "", nil, false},
		{"not base64", "!!not base64!!", nil, true},
		{"not an object", "WzFd", nil, true},       // [1]
		{"not strings", "eyJhIjoxfQ==", nil, true}, // {"a":1}
		{"not JSON", "aGVsbG8=", nil, true},        // hello
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := headers.Tracing{SpanBaggages: tc.raw}.Baggage()
			if tc.bad {
				assert.Nil(t, got)
				var pe *headers.ParseError
				require.ErrorAs(t, err, &pe)
				assert.ErrorIs(t, err, headers.ErrMalformed)
				assert.Equal(t, headers.XFCTracingSpanBaggages, pe.Header)
				assert.Equal(t, tc.raw, pe.Value)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}

	// Each call returns a fresh map the caller owns.
	tr := headers.Tracing{SpanBaggages: fullBaggagesB64}
	m1, _ := tr.Baggage()
	m1["env"] = "changed"
	m2, _ := tr.Baggage()
	assert.Equal(t, "prod", m2["env"])
}
