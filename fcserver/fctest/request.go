package fctest

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/fcgo/fcgo/headers"
	"github.com/valyala/fasthttp"
)

// Option adjusts the request fctest builds. Options are applied in order,
// after the realistic defaults, so a later one wins.
type Option func(*Request)

// Request is the FC request being built: method, URI, body and headers.
// Options receive it after the defaults are set; it is turned into a
// *fasthttp.Request once they have all run.
type Request struct {
	// Method is the HTTP method: POST for events and the initializer,
	// GET for pre-freeze and pre-stop, the caller's for HTTP invokes.
	Method string
	// URI is the request target: a path with an optional query
	// ("/orders?id=7"), sent to host DefaultHost, or an absolute URL.
	URI string
	// Body is the request body; nil sends none.
	Body []byte

	headers []field // in the order they go on the wire
}

type field struct{ name, value string }

// Defaults of the requests fctest builds. The credentials are fake but
// shaped like STS ones; the token is about as long as a real one (1 KB),
// so requests are as large as FC's.
const (
	DefaultHost         = "127.0.0.1:9000"
	DefaultFunctionName = "fctest-function"
	DefaultTimeout      = 60 * time.Second
	DefaultAccessKeyID  = "STS.NTfctestKeyId0123456789ab"
	DefaultSecret       = "fctestSecret0123456789abcdefghijklmnopqrstuv"
	DefaultClientIP     = "203.0.113.7"
)

// DefaultSecurityToken is the fake STS token of default requests (1024
// bytes). Treat it as a constant.
var DefaultSecurityToken = "CAISfctest" + strings.Repeat("TOKENfcgo/+0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 14)[:1014]

// Header sets the header name to value, replacing any header of that name
// (compared case-insensitively), defaults included. An empty value sends
// the header with an empty value, as FC's emulators do for unset fields.
func Header(name, value string) Option { return func(r *Request) { r.SetHeader(name, value) } }

// Without drops the header name (compared case-insensitively), to test a
// request that lacks it.
func Without(name string) Option { return func(r *Request) { r.DelHeader(name) } }

// RequestID sets x-fc-request-id. Default: a fresh id in FC 3.0's form
// from [NewRequestID]; fix it in examples to get stable output.
func RequestID(id string) Option { return Header(headers.XFCRequestID, id) }

// Timeout sets x-fc-function-timeout, rounded up to whole seconds (the
// header's unit); the invocation's deadline is its arrival plus this.
// Zero or less sends "0": no deadline. Default [DefaultTimeout].
func Timeout(d time.Duration) Option {
	s := int64(0)
	if d > 0 {
		s = int64((d + time.Second - 1) / time.Second)
	}
	return Header(headers.XFCFunctionTimeout, strconv.FormatInt(s, 10))
}

// Credentials sets the STS credentials: x-fc-access-key-id,
// x-fc-access-key-secret and x-fc-security-token. Defaults
// [DefaultAccessKeyID], [DefaultSecret] and [DefaultSecurityToken]; empty
// strings are what FC sends when the function has no role.
func Credentials(keyID, secret, token string) Option {
	return func(r *Request) {
		r.SetHeader(headers.XFCAccessKeyID, keyID)
		r.SetHeader(headers.XFCAccessKeySecret, secret)
		r.SetHeader(headers.XFCSecurityToken, token)
	}
}

// ControlPath sets x-fc-control-path, which decides how fcserver
// dispatches the request; headers.ControlPathNone drops the header, so
// the server falls back to method and path. Default: the one of the
// request's kind ("/invoke", "/http-invoke", "/initialize" …).
func ControlPath(p headers.ControlPath) Option {
	if p == headers.ControlPathNone {
		return Without(headers.XFCControlPath)
	}
	return Header(headers.XFCControlPath, p.String())
}

// BasePath sets x-fc-base-path, the URL prefix FC adds in front of an HTTP
// function's paths on FC 2.0's default URL (see httpfn.StripBasePath). Not
// sent by default.
func BasePath(p string) Option { return Header(headers.XFCBasePath, p) }

// Function sets x-fc-function-name. Default [DefaultFunctionName].
func Function(name string) Option { return Header(headers.XFCFunctionName, name) }

// SetHeader sets the header name to value, replacing any header of that
// name (compared case-insensitively) in place.
func (r *Request) SetHeader(name, value string) {
	for i := range r.headers {
		if strings.EqualFold(r.headers[i].name, name) {
			r.headers[i].value = value
			return
		}
	}
	r.headers = append(r.headers, field{name, value})
}

// DelHeader removes the header name (compared case-insensitively).
func (r *Request) DelHeader(name string) {
	kept := r.headers[:0]
	for _, f := range r.headers {
		if !strings.EqualFold(f.name, name) {
			kept = append(kept, f)
		}
	}
	r.headers = kept
}

// GetHeader returns the value of the header name and whether it is set.
func (r *Request) GetHeader(name string) (string, bool) {
	for _, f := range r.headers {
		if strings.EqualFold(f.name, name) {
			return f.value, true
		}
	}
	return "", false
}

var idSeq atomic.Uint32

// NewRequestID returns a fresh request id in FC 3.0's form,
// "1-<8 hex: unix seconds>-<8 hex>-<12 hex>", unique within the process.
// It is safe for concurrent use.
func NewRequestID() string {
	return fmt.Sprintf("1-%08x-%08x-%012x", uint32(time.Now().Unix()), idSeq.Add(1), rand.Uint64()&(1<<48-1))
}

// newRequest returns a Request with the header set FC sends with every
// request (SPEC §3), in the case real deployments use.
func newRequest(method, uri string, body []byte, cp headers.ControlPath) *Request {
	r := &Request{Method: method, URI: uri, Body: body}
	r.headers = []field{
		{"X-Fc-Request-Id", NewRequestID()},
		{"X-Fc-Access-Key-Id", DefaultAccessKeyID},
		{"X-Fc-Access-Key-Secret", DefaultSecret},
		{"X-Fc-Security-Token", DefaultSecurityToken},
		{"X-Fc-Function-Name", DefaultFunctionName},
		{"X-Fc-Function-Handler", "index.handler"},
		{"X-Fc-Function-Memory", "512"},
		{"X-Fc-Function-Timeout", strconv.Itoa(int(DefaultTimeout / time.Second))},
		{"X-Fc-Service-Name", ""},
		{"X-Fc-Service-Logproject", "aliyun-fc-cn-hangzhou-fctest"},
		{"X-Fc-Service-Logstore", "function-log"},
		{"X-Fc-Region", "cn-hangzhou"},
		{"X-Fc-Account-Id", "1234567890123456"},
		{"X-Fc-Qualifier", "LATEST"},
		{"X-Fc-Version-Id", ""},
		{"X-Fc-Retry-Count", "0"},
		{"X-Fc-Tracing-Opentracing-Span-Context", ""},
		{"X-Fc-Tracing-Opentracing-Span-Baggages", ""},
		{"X-Fc-Control-Path", cp.String()},
	}
	switch cp {
	case headers.ControlPathInvoke:
		r.headers = append(r.headers, field{"Content-Type", "application/octet-stream"})
	case headers.ControlPathHTTPInvoke:
		r.headers = append(r.headers, field{"X-Fc-Client-Ip", DefaultClientIP})
	}
	return r
}

// build applies opts and returns the request as a server reads it off
// the wire: it is written out and parsed back, so the request line holds
// only the path and query, the host is in Host, and the raw header block is
// there (fcserver scrubs secrets from it).
func (r *Request) build(opts []Option) *fasthttp.Request {
	for _, o := range opts {
		o(r)
	}
	var req fasthttp.Request
	req.Header.SetMethod(r.Method)
	if strings.HasPrefix(r.URI, "/") {
		req.SetRequestURI("http://" + DefaultHost + r.URI)
	} else {
		req.SetRequestURI(r.URI)
	}
	for _, f := range r.headers {
		req.Header.Set(f.name, f.value)
	}
	if r.Body != nil {
		req.SetBody(r.Body)
	}
	var wire bytes.Buffer
	if _, err := req.WriteTo(&wire); err != nil {
		panic(fmt.Sprintf("fctest: cannot write the request %s %s: %v", r.Method, r.URI, err))
	}
	read := &fasthttp.Request{}
	if err := read.Read(bufio.NewReaderSize(&wire, wire.Len()+4096)); err != nil {
		panic(fmt.Sprintf("fctest: the request %s %s does not read back: %v", r.Method, r.URI, err))
	}
	return read
}

// NewEventRequest returns an event invocation as FC sends it: POST /invoke
// with x-fc-control-path: /invoke, Content-Type application/octet-stream,
// the default headers and payload as the body.
func NewEventRequest(payload []byte, opts ...Option) *fasthttp.Request {
	return newRequest(fasthttp.MethodPost, "/invoke", payload, headers.ControlPathInvoke).build(opts)
}

// NewHTTPRequest returns an HTTP invoke (HTTP trigger or custom domain):
// the client's method, URI (a path with query, or an absolute URL) and
// body, the default headers, x-fc-control-path: /http-invoke and
// x-fc-client-ip [DefaultClientIP].
func NewHTTPRequest(method, uri string, body []byte, opts ...Option) *fasthttp.Request {
	return newRequest(method, uri, body, headers.ControlPathHTTPInvoke).build(opts)
}

// NewHookRequest returns a lifecycle hook request (SPEC §2): POST
// /initialize, GET /pre-freeze or GET /pre-stop with the matching
// x-fc-control-path and the default headers. It panics for any other
// ControlPath: use NewEventRequest or NewHTTPRequest for those.
func NewHookRequest(p headers.ControlPath, opts ...Option) *fasthttp.Request {
	method := fasthttp.MethodGet
	switch p {
	case headers.ControlPathInitialize:
		method = fasthttp.MethodPost
	case headers.ControlPathPreFreeze, headers.ControlPathPreStop:
	default:
		panic(fmt.Sprintf("fctest: NewHookRequest needs ControlPathInitialize, ControlPathPreFreeze or ControlPathPreStop, not %q", p.String()))
	}
	return newRequest(method, p.String(), nil, p).build(opts)
}
