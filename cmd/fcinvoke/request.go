package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/fcgo/fcgo/headers"
)

// Fixed values of the simulated function configuration. They look like what
// FC sends; none of them is a real resource or credential.
const (
	fakeAccessKeyID  = "STS.local-fcinvoke-key"
	fakeRegion       = "cn-hangzhou"
	fakeAccountID    = "1234567890123456"
	fakeQualifier    = "LATEST"
	fakeMemoryMB     = "512"
	fakeHandler      = "index.handler"
	fakeInitializer  = "index.initializer"
	fakePreFreeze    = "index.preFreeze"
	fakePreStop      = "index.preStop"
	fakeServiceName  = "fcinvoke-local"
	fakeLogProject   = "aliyun-fc-cn-hangzhou-fcinvoke-local"
	fakeLogStore     = "function-log"
	fakeJaegerURL    = "http://127.0.0.1:14268/api/traces"
	fakeEagleEyeRPC  = "0.1"
	loopbackClientIP = "127.0.0.1"
	userAgent        = "fcinvoke"
	securityTokenLen = 1024 // an STS token is about 1 KB (SPEC §5)
)

// fakeBaggage is the span baggage header: base64 of a JSON object.
var fakeBaggage = base64.StdEncoding.EncodeToString([]byte(`{"fcinvoke":"local"}`))

// requestKind is one of the request kinds of SPEC §2.
type requestKind int

const (
	kindInvoke requestKind = iota
	kindHTTPInvoke
	kindInitialize
	kindPreFreeze
	kindPreStop
)

// String is the name used in fcinvoke's summary lines.
func (k requestKind) String() string {
	switch k {
	case kindInvoke:
		return "invoke"
	case kindHTTPInvoke:
		return "http-invoke"
	case kindInitialize:
		return "initialize"
	case kindPreFreeze:
		return "pre-freeze"
	case kindPreStop:
		return "pre-stop"
	}
	return "unknown"
}

// controlPath is the x-fc-control-path value FC sends for the kind.
func (k requestKind) controlPath() string {
	switch k {
	case kindInvoke:
		return headers.ControlPathInvoke.String()
	case kindHTTPInvoke:
		return headers.ControlPathHTTPInvoke.String()
	case kindInitialize:
		return headers.ControlPathInitialize.String()
	case kindPreFreeze:
		return headers.ControlPathPreFreeze.String()
	case kindPreStop:
		return headers.ControlPathPreStop.String()
	}
	return ""
}

// isHook reports whether the kind is a lifecycle hook.
func (k requestKind) isHook() bool {
	return k == kindInitialize || k == kindPreFreeze || k == kindPreStop
}

// instance holds what stays the same across the requests of one fcinvoke
// run, as it does across the requests one FC instance receives: the
// function's configuration and the role's temporary credentials.
type instance struct {
	functionName     string
	timeout          string // seconds
	initializer      string // empty unless -init
	preFreezeHandler string // empty unless -prefreeze
	preStopHandler   string // empty unless -prestop
	accessKeySecret  string
	securityToken    string
	instanceID       string
	overrides        headerFlag // -H, applied last
}

// newInstance creates the simulated instance for the options, with fresh
// fake credentials.
func newInstance(o *options) *instance {
	in := &instance{
		functionName:    o.function,
		timeout:         o.timeoutString(),
		accessKeySecret: randomBase64(33), // 44 characters
		securityToken:   fakeSecurityToken(),
		instanceID:      "c-" + randomHex(12) + "-" + randomHex(4),
		overrides:       o.headers,
	}
	if o.init {
		in.initializer = fakeInitializer
	}
	if o.preFreeze {
		in.preFreezeHandler = fakePreFreeze
	}
	if o.preStop {
		in.preStopHandler = fakePreStop
	}
	return in
}

// fcHeaders returns the x-fc-* headers FC sends with a request of the given
// kind (every header of SPEC §3), before any -H override.
func (in *instance) fcHeaders(kind requestKind, requestID string) http.Header {
	clientIP := ""
	if kind == kindHTTPInvoke {
		clientIP = loopbackClientIP
	}
	h := make(http.Header, 32)
	for _, kv := range [...][2]string{
		{headers.XFCRequestID, requestID},
		{headers.XFCAccessKeyID, fakeAccessKeyID},
		{headers.XFCAccessKeySecret, in.accessKeySecret},
		{headers.XFCSecurityToken, in.securityToken},
		{headers.XFCFunctionName, in.functionName},
		{headers.XFCFunctionHandler, fakeHandler},
		{headers.XFCFunctionMemory, fakeMemoryMB},
		{headers.XFCFunctionTimeout, in.timeout},
		{headers.XFCFunctionInitializer, in.initializer},
		{headers.XFCInitializationTimeout, in.timeout},
		{headers.XFCPreStopHandler, in.preStopHandler},
		{headers.XFCPreFreezeHandler, in.preFreezeHandler},
		{headers.XFCServiceName, fakeServiceName},
		{headers.XFCServiceLogProject, fakeLogProject},
		{headers.XFCServiceLogStore, fakeLogStore},
		{headers.XFCRegion, fakeRegion},
		{headers.XFCAccountID, fakeAccountID},
		{headers.XFCQualifier, fakeQualifier},
		{headers.XFCVersionID, ""},
		{headers.XFCRetryCount, "0"},
		{headers.XFCControlPath, kind.controlPath()},
		{headers.XFCBasePath, ""},
		{headers.XFCClientIP, clientIP},
		{headers.XFCTracingSpanContext, newSpanContext()},
		{headers.XFCTracingSpanBaggages, fakeBaggage},
		{headers.XFCTracingJaegerEndpoint, fakeJaegerURL},
		{headers.XFCEagleEyeTraceID, newEagleEyeTraceID()},
		{headers.XFCEagleEyeRPCID, fakeEagleEyeRPC},
		{headers.XFCEagleEyeUserData, ""},
	} {
		h.Set(kv[0], kv[1])
	}
	return h
}

// childEnv is the environment added for a started command: the port to
// listen on, and the FC_* variables of SPEC §7 that describe the function
// (only where the caller's environment does not set them already). Role
// credentials are deliberately not set: fake ones would override real local
// credentials a function may want to use.
func (in *instance) childEnv(port int, lookup func(string) (string, bool)) []string {
	p := strconv.Itoa(port)
	env := []string{"FC_SERVER_PORT=" + p, "FC_CUSTOM_LISTEN_PORT=" + p}
	for _, kv := range [...][2]string{
		{"FC_FUNCTION_NAME", in.functionName},
		{"FC_FUNCTION_HANDLER", fakeHandler},
		{"FC_FUNCTION_MEMORY_SIZE", fakeMemoryMB},
		{"FC_REGION", fakeRegion},
		{"FC_ACCOUNT_ID", fakeAccountID},
		{"FC_QUALIFIER", fakeQualifier},
		{"FC_INSTANCE_ID", in.instanceID},
	} {
		if _, ok := lookup(kv[0]); !ok {
			env = append(env, kv[0]+"="+kv[1])
		}
	}
	return env
}

// call describes one request to the function server.
type call struct {
	kind      requestKind
	method    string
	target    string // path and optional "?query"
	body      []byte
	requestID string
	header    http.Header // request-specific headers, before -H overrides
}

// newRequest builds the HTTP request for c against base ("http://host:port"):
// the common x-fc-* headers, then c.header, then the -H overrides.
func (in *instance) newRequest(ctx context.Context, base string, c call) (*http.Request, error) {
	var body io.Reader // a nil interface when there is no body
	if len(c.body) > 0 {
		body = bytes.NewReader(c.body)
	}
	req, err := http.NewRequestWithContext(ctx, c.method, base+c.target, body)
	if err != nil {
		return nil, err
	}
	req.Header = in.fcHeaders(c.kind, c.requestID)
	req.Header.Set("User-Agent", userAgent)
	for name, values := range c.header {
		req.Header[name] = append([]string(nil), values...)
	}
	if host, ok := applyOverrides(req.Header, in.overrides); ok {
		req.Host = host
	}
	return req, nil
}

// applyOverrides applies -H fields to h. Names match case-insensitively; the
// first -H for a name replaces whatever h had under it, further ones for the
// same name add values. A Host override cannot live in the header map of an
// outgoing request, so it is returned instead.
func applyOverrides(h http.Header, fields []headerField) (host string, hostSet bool) {
	replaced := make(map[string]bool, len(fields))
	for _, f := range fields {
		key := http.CanonicalHeaderKey(f.name)
		if key == "Host" {
			host, hostSet = f.value, true
			continue
		}
		if !replaced[key] {
			h.Del(key)
			replaced[key] = true
		}
		h.Add(key, f.value)
	}
	return host, hostSet
}

// newRequestID returns a request id in the FC 3.0 form
// 1-<8 hex>-<8 hex>-<12 hex>, the first group being the current Unix time.
func newRequestID() string {
	return fmt.Sprintf("1-%08x-%s-%s", uint32(time.Now().Unix()), randomHex(4), randomHex(6))
}

// newSpanContext returns a Jaeger span context, traceID:spanID:parentID:flags.
func newSpanContext() string {
	id := randomHex(8)
	return id + ":" + id + ":0:1"
}

var eagleEyeSeq atomic.Uint32

// newEagleEyeTraceID returns an id shaped like an EagleEye trace id: the
// origin IP in hex (127.0.0.1), a millisecond timestamp, a sequence number
// and a random suffix.
func newEagleEyeTraceID() string {
	seq := 1000 + eagleEyeSeq.Add(1)%9000
	return fmt.Sprintf("7f000001%013d%04d%s", time.Now().UnixMilli(), seq, randomHex(2))
}

// fakeSecurityToken returns a fake STS token: "CAIS" (how real ones start)
// followed by random base64 characters, securityTokenLen characters in all.
func fakeSecurityToken() string {
	tok := "CAIS" + randomBase64((securityTokenLen-4)/4*3)
	return tok[:securityTokenLen]
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (it crashes instead)
	return b
}

func randomHex(n int) string { return hex.EncodeToString(randomBytes(n)) }

func randomBase64(n int) string { return base64.StdEncoding.EncodeToString(randomBytes(n)) }
