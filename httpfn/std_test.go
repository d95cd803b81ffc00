package httpfn_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"strings"
	"testing"

	"github.com/fcgo/fcgo/headers"
	"github.com/fcgo/fcgo/httpfn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"
)

// kept is what a handler keeps of r, by plain assignment: the strings must
// not change when fasthttp reuses its buffers for the next request.
type kept struct {
	Method, Path, RawQuery, RequestURI, Host, Proto, RemoteAddr string
	Keys                                                        []string
	Value                                                       string
	URL                                                         string
}

func keep(r *http.Request, name string) kept {
	k := kept{
		Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, RequestURI: r.RequestURI,
		Host: r.Host, Proto: r.Proto, RemoteAddr: r.RemoteAddr, Value: r.Header.Get(name),
	}
	for key := range r.Header {
		k.Keys = append(k.Keys, key)
	}
	k.URL = r.URL.String()
	return k
}

// Two requests on one keep-alive connection: fasthttp serves both with the
// same RequestCtx and overwrites the first request's bytes with the
// second's. What the handler kept of the first must read as it was.
func TestStdStringsOutliveRequestOnKeepAliveConnection(t *testing.T) {
	var got []kept
	h := httpfn.Std(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, keep(r, "X-Value"))
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	ln := fasthttputil.NewInmemoryListener()
	srv := &fasthttp.Server{Handler: h}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		require.NoError(t, srv.Shutdown())
		require.NoError(t, <-done)
	})

	conn, err := ln.Dial()
	require.NoError(t, err)
	defer conn.Close()
	br := bufio.NewReader(conn)
	roundTrip := func(raw string) {
		t.Helper()
		_, err := io.WriteString(conn, raw)
		require.NoError(t, err)
		var resp fasthttp.Response
		require.NoError(t, resp.Read(br))
		require.Equal(t, http.StatusOK, resp.StatusCode())
	}
	roundTrip("GET /users/1?q=one HTTP/1.1\r\nHost: one.example\r\nX-Value: value-one\r\n\r\n")
	// Same lengths where it matters, so that each byte is overwritten.
	roundTrip("PUTT /orders/2?q=TWO HTTP/1.1\r\nHost: TWO.EXAMPLE\r\nX-Other: VALUE-TWO\r\nContent-Length: 3\r\n\r\nabc")
	roundTrip("DELETE /x HTTP/1.1\r\nHost: three\r\nX-Value: 3\r\n\r\n")

	require.Len(t, got, 3)
	first := got[0]
	assert.Equal(t, "GET", first.Method)
	assert.Equal(t, "/users/1", first.Path)
	assert.Equal(t, "q=one", first.RawQuery)
	assert.Equal(t, "/users/1?q=one", first.RequestURI)
	assert.Equal(t, "/users/1?q=one", first.URL)
	assert.Equal(t, "one.example", first.Host)
	assert.Equal(t, "HTTP/1.1", first.Proto)
	assert.Equal(t, "pipe", first.RemoteAddr)
	assert.Equal(t, []string{"X-Value"}, first.Keys)
	assert.Equal(t, "value-one", first.Value)

	second := got[1]
	assert.Equal(t, "PUTT", second.Method)
	assert.Equal(t, "/orders/2", second.Path)
	assert.Equal(t, "TWO.EXAMPLE", second.Host)
	assert.ElementsMatch(t, []string{"X-Other", "Content-Length"}, second.Keys)
	assert.Empty(t, second.Value)
}

// The same, with the RequestCtx reused by hand.
func TestStdStringsOutliveRequestOnReusedCtx(t *testing.T) {
	var got []kept
	var headerVals []string
	h := httpfn.Std(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, keep(r, "X-Value"))
		headerVals = append(headerVals, r.Header["X-Value"]...)
	}))
	rc := readCtx(t, "GET /a/b?x=1 HTTP/1.1\r\nHost: h1\r\nX-Value: value-one\r\n\r\n", nil)
	h(rc)
	rc.Request.Reset()
	rc.Response.Reset()
	require.NoError(t, rc.Request.Read(bufio.NewReader(strings.NewReader(
		"PUT /c/d?y=2 HTTP/1.1\r\nHost: h2\r\nX-Value: VALUE-TWO\r\n\r\n"))))
	h(rc)

	require.Len(t, got, 2)
	assert.Equal(t, kept{
		Method: "GET", Path: "/a/b", RawQuery: "x=1", RequestURI: "/a/b?x=1", Host: "h1", Proto: "HTTP/1.1",
		RemoteAddr: "0.0.0.0:0", Keys: []string{"X-Value"}, Value: "value-one", URL: "/a/b?x=1",
	}, got[0])
	assert.Equal(t, "VALUE-TWO", got[1].Value)
	assert.Equal(t, []string{"value-one", "VALUE-TWO"}, headerVals)
}

func TestStdDropsCredentialHeaders(t *testing.T) {
	rc := readCtx(t, rawRequest("GET", "/users?id=1", ""), nil)
	info, err := headers.Parse(&rc.Request.Header)
	require.NoError(t, err)
	httpfn.WithContext(rc, headers.NewContext(context.Background(), &info))

	var dump string
	var creds headers.Credentials
	var hdr http.Header
	httpfn.Std(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := httputil.DumpRequest(r, false)
		require.NoError(t, err)
		dump = string(b)
		got, ok := headers.FromContext(r.Context())
		require.True(t, ok)
		creds = got.Credentials
		hdr = r.Header
	}))(rc)

	assert.NotContains(t, dump, fcToken)
	assert.NotContains(t, dump, "SECRET")
	assert.NotContains(t, hdr, "X-Fc-Security-Token")
	assert.NotContains(t, hdr, "X-Fc-Access-Key-Secret")
	assert.Equal(t, "STS.NUgYrLnoC37mZZCNnAbez2Xfq", hdr.Get(headers.XFCAccessKeyID))
	assert.Equal(t, "1-67a59f35-150c1267-f381ba1c085c", hdr.Get(headers.XFCRequestID))
	assert.Equal(t, "application/json", hdr.Get("Accept"))
	assert.Equal(t, "session=7f3a9c; theme=dark", hdr.Get("Cookie"))
	assert.Len(t, hdr, len(clientHeaders)+len(fcHeaders)-3, "all but Host and the two secrets")
	assert.Equal(t, fcToken, creds.SecurityToken(), "handlers get the credentials from the context")
	assert.Equal(t, "7Hq2fcgoSECRETx9Lm2Kp4Rt6Wz8YvN3dE5", creds.AccessKeySecret())
}

// Names that fasthttp leaves as they came (DisableHeaderNamesNormalizing)
// are canonicalised, and the secrets are matched whatever their case.
func TestStdCanonicalisesNamesAndDropsSecretsInAnyCase(t *testing.T) {
	var req fasthttp.Request
	req.Header.DisableNormalizing()
	req.Header.SetRequestURI("/")
	req.Header.Set("x-fc-security-token", "tok")
	req.Header.Set("X-FC-ACCESS-KEY-SECRET", "sec")
	req.Header.Set("x-fc-request-id", "rid")
	req.Header.Set("X-CUSTOM-thing", "v")
	req.Header.Set("host", "example")
	var rc fasthttp.RequestCtx
	rc.Init(&req, nil, nil)

	var r *http.Request
	httpfn.Std(http.HandlerFunc(func(_ http.ResponseWriter, req *http.Request) { r = req }))(&rc)
	require.NotNil(t, r)
	assert.Equal(t, http.Header{
		"X-Fc-Request-Id": {"rid"},
		"X-Custom-Thing":  {"v"},
	}, r.Header)
	assert.Equal(t, "example", r.Host)
}

func TestStdHostIsNotAHeader(t *testing.T) {
	var r *http.Request
	rc := readCtx(t, "GET / HTTP/1.1\r\nHost: api.example.com:8080\r\nAccept: */*\r\n\r\n", nil)
	httpfn.Std(http.HandlerFunc(func(_ http.ResponseWriter, req *http.Request) { r = req }))(rc)
	require.NotNil(t, r)
	assert.Equal(t, "api.example.com:8080", r.Host)
	assert.Equal(t, http.Header{"Accept": {"*/*"}}, r.Header)
	assert.Equal(t, "/", r.URL.Path)
	assert.Empty(t, r.URL.Host, "a server request's URL holds no host, as in net/http")
}

func TestStripBasePathWithStd(t *testing.T) {
	var r *http.Request
	var nativeURI, nativePath string
	std := httpfn.Std(http.HandlerFunc(func(_ http.ResponseWriter, req *http.Request) { r = req }))
	both := func(rc *fasthttp.RequestCtx) {
		nativeURI, nativePath = string(rc.RequestURI()), string(rc.Path())
		std(rc)
	}
	for name, withInfo := range map[string]bool{"header": false, "info": true} {
		t.Run(name, func(t *testing.T) {
			rc := readCtx(t, rawRequest("GET", "/2016-08-15/proxy/fcgo-demo/hello-fcgo/users/42?expand=orders&limit=10", ""), nil)
			if withInfo {
				info, err := headers.Parse(&rc.Request.Header)
				require.NoError(t, err)
				httpfn.WithContext(rc, headers.NewContext(context.Background(), &info))
			}
			httpfn.StripBasePath(both)(rc)
			require.NotNil(t, r)
			assert.Equal(t, "/users/42", r.URL.Path)
			assert.Equal(t, "expand=orders&limit=10", r.URL.RawQuery)
			assert.Equal(t, "/users/42?expand=orders&limit=10", r.RequestURI)
			assert.Equal(t, "/users/42?expand=orders&limit=10", nativeURI, "rc.RequestURI() agrees with rc.URI()")
			assert.Equal(t, "/users/42", nativePath)
		})
	}

	// The path equal to the base path becomes "/".
	rc := readCtx(t, rawRequest("GET", "/2016-08-15/proxy/fcgo-demo/hello-fcgo?a=1", ""), nil)
	httpfn.StripBasePath(both)(rc)
	assert.Equal(t, "/", r.URL.Path)
	assert.Equal(t, "/?a=1", r.RequestURI)
	assert.Equal(t, "/?a=1", nativeURI)
}

func TestStdProtoAndClose(t *testing.T) {
	cases := []struct {
		name, raw  string
		proto      string
		major      int
		minor      int
		close      bool
		connHeader string
	}{
		{"1.1", "GET / HTTP/1.1\r\nHost: h\r\n\r\n", "HTTP/1.1", 1, 1, false, ""},
		{"1.1 close", "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", "HTTP/1.1", 1, 1, true, "close"},
		{"1.1 keep-alive", "GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\n\r\n", "HTTP/1.1", 1, 1, false, "keep-alive"},
		{"1.0", "GET / HTTP/1.0\r\nHost: h\r\n\r\n", "HTTP/1.0", 1, 0, true, "close"},
		{"1.0 keep-alive", "GET / HTTP/1.0\r\nHost: h\r\nConnection: keep-alive\r\n\r\n", "HTTP/1.0", 1, 0, false, "keep-alive"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var r *http.Request
			httpfn.Std(http.HandlerFunc(func(_ http.ResponseWriter, req *http.Request) { r = req }))(readCtx(t, tc.raw, nil))
			require.NotNil(t, r)
			assert.Equal(t, tc.proto, r.Proto)
			assert.Equal(t, tc.major, r.ProtoMajor)
			assert.Equal(t, tc.minor, r.ProtoMinor)
			assert.True(t, r.ProtoAtLeast(1, tc.minor))
			assert.Equal(t, tc.close, r.Close)
			assert.Equal(t, tc.connHeader, r.Header.Get("Connection"))
		})
	}
}

func TestStdEmptyBodyIsNoBody(t *testing.T) {
	for _, raw := range []string{
		"GET / HTTP/1.1\r\nHost: h\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n",
	} {
		var r *http.Request
		httpfn.Std(http.HandlerFunc(func(_ http.ResponseWriter, req *http.Request) { r = req }))(readCtx(t, raw, nil))
		require.NotNil(t, r)
		assert.Equal(t, http.NoBody, r.Body)
		assert.Zero(t, r.ContentLength)
	}
}

func TestStdLargeBodyReadsIntact(t *testing.T) {
	body := make([]byte, 1<<20)
	_, _ = rand.Read(body)
	var got []byte
	var length int64
	h := httpfn.Std(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		length = r.ContentLength
		var err error
		got, err = io.ReadAll(r.Body)
		require.NoError(t, err)
		require.NoError(t, r.Body.Close())
	}))
	h(readCtx(t, rawRequest("POST", "/upload", string(body)), nil))
	assert.Equal(t, int64(len(body)), length)
	assert.True(t, bytes.Equal(body, got), "body differs")

	// io.Copy takes the WriterTo path: one Write of the whole body.
	var buf bytes.Buffer
	h = httpfn.Std(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := io.Copy(&buf, r.Body)
		require.NoError(t, err)
		assert.Equal(t, int64(len(body)), n)
	}))
	h(readCtx(t, rawRequest("POST", "/upload", string(body)), nil))
	assert.True(t, bytes.Equal(body, buf.Bytes()), "body differs")
}

func TestStdBodyIsClosedAfterServeHTTP(t *testing.T) {
	var body io.ReadCloser
	h := httpfn.Std(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body = r.Body
		b := make([]byte, 2)
		n, err := r.Body.Read(b)
		require.NoError(t, err)
		assert.Equal(t, "he", string(b[:n]))
	}))
	h(readCtx(t, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello", nil))
	_, err := body.Read(make([]byte, 8))
	assert.ErrorIs(t, err, http.ErrBodyReadAfterClose)
	_, err = io.Copy(io.Discard, body)
	assert.ErrorIs(t, err, http.ErrBodyReadAfterClose)
}

func TestStdRepeatedHeadersKeepAllValuesInOrder(t *testing.T) {
	var r *http.Request
	h := httpfn.Std(http.HandlerFunc(func(_ http.ResponseWriter, req *http.Request) {
		r = req
		// Adding to one header must not overwrite its neighbour.
		req.Header.Add("X-Single", "added")
	}))
	h(readCtx(t, "GET / HTTP/1.1\r\nHost: h\r\n"+
		"X-Multi: a\r\nX-Single: s\r\nX-Next: n\r\nx-multi: b\r\nX-MULTI: c\r\nAccept: text/html\r\nAccept: application/json\r\n\r\n", nil))
	require.NotNil(t, r)
	assert.Equal(t, []string{"a", "b", "c"}, r.Header.Values("X-Multi"))
	assert.Equal(t, []string{"s", "added"}, r.Header.Values("X-Single"))
	assert.Equal(t, []string{"n"}, r.Header.Values("X-Next"))
	assert.Equal(t, []string{"text/html", "application/json"}, r.Header.Values("Accept"))
}

func TestStdChunkedRequestAndTrailers(t *testing.T) {
	var r *http.Request
	var body []byte
	h := httpfn.Std(http.HandlerFunc(func(_ http.ResponseWriter, req *http.Request) {
		r = req
		body, _ = io.ReadAll(req.Body)
	}))
	h(readCtx(t, "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n"+
		"5\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: abc\r\n\r\n", nil))
	require.NotNil(t, r)
	assert.Equal(t, "hello world", string(body))
	assert.Equal(t, int64(-1), r.ContentLength)
	assert.Equal(t, []string{"chunked"}, r.TransferEncoding)
	assert.NotContains(t, r.Header, "Transfer-Encoding")
	assert.NotContains(t, r.Header, "Trailer")
	assert.Equal(t, http.Header{"X-Checksum": {"abc"}}, r.Trailer)
}

func TestStdRemoteAddr(t *testing.T) {
	for _, addr := range []net.Addr{
		&net.TCPAddr{IP: net.IPv4(21, 0, 4, 17), Port: 52814},
		&net.TCPAddr{IP: net.ParseIP("21.0.4.17").To4(), Port: 1},
		&net.TCPAddr{IP: net.ParseIP("2001:db8::1"), Port: 9000},
		&net.TCPAddr{IP: net.ParseIP("::1"), Port: 65535},
		&net.TCPAddr{IP: net.ParseIP("fe80::1"), Port: 80, Zone: "eth0"},
		&net.TCPAddr{Port: 80},
		&net.UnixAddr{Name: "/tmp/fc.sock", Net: "unix"},
	} {
		var got string
		h := httpfn.Std(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = r.RemoteAddr }))
		h(readCtx(t, "GET / HTTP/1.1\r\nHost: h\r\n\r\n", addr))
		assert.Equal(t, addr.String(), got)
	}
}

// A request URI that net/url rejects (here a control byte that a native
// handler put in the query) is answered 400 without running the handler.
func TestStdBadRequestURI(t *testing.T) {
	called := false
	h := httpfn.Std(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true }))
	rc := newCtx(t, http.MethodGet, "/ok", "", nil)
	rc.URI().SetQueryString("a=\x7f")
	h(rc)
	assert.False(t, called)
	assert.Equal(t, http.StatusBadRequest, rc.Response.StatusCode())
	assert.Contains(t, string(rc.Response.Body()), "httpfn: cannot convert the request for net/http")
}

// The path is fasthttp's normalised path, as native handlers see it.
func TestStdPathIsNormalised(t *testing.T) {
	var r *http.Request
	var native string
	h := httpfn.Std(http.HandlerFunc(func(_ http.ResponseWriter, req *http.Request) { r = req }))
	for raw, want := range map[string]string{
		"//a/../b?x=%20":     "/b?x=%20",
		"/a%2Fb":             "/a/b",
		"/caf%C3%A9/a%20b":   "/caf%C3%A9/a%20b",
		"/users/42?q=a+b&q2": "/users/42?q=a+b&q2",
	} {
		rc := readCtx(t, "GET "+raw+" HTTP/1.1\r\nHost: h\r\n\r\n", nil)
		native = string(rc.Path())
		h(rc)
		require.NotNil(t, r)
		assert.Equal(t, want, r.RequestURI, raw)
		assert.Equal(t, native, r.URL.Path, raw)
		assert.Empty(t, r.URL.RawPath, raw)
	}
}

// A goroutine the handler left behind reads the body while the request
// ends: no race, and the read fails cleanly once the body is closed.
func TestStdBodyLateReadFromGoroutine(t *testing.T) {
	done := make(chan error, 1)
	h := httpfn.Std(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		go func() {
			buf := make([]byte, 4)
			var err error
			for err == nil {
				_, err = r.Body.Read(buf)
			}
			done <- err
		}()
	}))
	rc := newCtx(t, http.MethodPost, "/", strings.Repeat("x", 1<<16), nil)
	h(rc)
	rc.Request.SetBodyString("next request reuses the buffer")
	err := <-done
	assert.True(t, errors.Is(err, http.ErrBodyReadAfterClose) || errors.Is(err, io.EOF), "%v", err)
}

// The base path is stripped from the path as received: an encoded "%2F.."
// after it stays one segment and is decoded once, never into "/..".
func TestStripBasePathDecodesOnce(t *testing.T) {
	for uri, want := range map[string]string{
		"/base/fn/public/..%252F..%252Fadmin": "/public/..%2F..%2Fadmin",
		"/base/fn/a%2525b":                    "/a%25b",
		"/base/fn/a%20b":                      "/a b",
	} {
		var path string
		h := httpfn.StripBasePath(func(rc *fasthttp.RequestCtx) { path = string(rc.Path()) })
		h(newCtx(t, http.MethodGet, uri, "", map[string]string{headers.XFCBasePath: "/base/fn"}))
		assert.Equal(t, want, path, uri)
	}
}
