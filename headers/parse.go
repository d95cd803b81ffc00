package headers

import (
	"errors"
	"strconv"
	"time"
	"unsafe"

	"github.com/valyala/fasthttp"
)

// ErrMalformed is wrapped by every [*ParseError]; test for it with
// errors.Is.
var ErrMalformed = errors.New("headers: malformed value")

// ParseError reports an x-fc-* header whose value could not be parsed. The
// field it feeds stays at its zero value and the request goes on.
type ParseError struct {
	Header string // lower-case header name, e.g. "x-fc-function-memory"
	Value  string // the value as received (never a secret: only numeric and encoded headers are parsed)
	Err    error  // why it was rejected
}

// maxValueInError bounds how much of a (possibly absurdly long) value an
// error message repeats.
const maxValueInError = 64

// Error names the header and the value (cut to 64 bytes) and says why it
// was rejected.
func (e *ParseError) Error() string {
	v := e.Value
	if len(v) > maxValueInError {
		v = v[:maxValueInError] + "…(" + strconv.Itoa(len(e.Value)) + " bytes)"
	}
	return "headers: malformed " + e.Header + " value " + strconv.Quote(v) + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }

// Is reports whether target is [ErrMalformed].
func (e *ParseError) Is(target error) bool { return target == ErrMalformed }

type field uint8

const (
	fNone field = iota
	fRequestID
	fAccessKeyID
	fAccessKeySecret
	fSecurityToken
	fFunctionName
	fFunctionHandler
	fFunctionMemory
	fFunctionTimeout
	fFunctionInitializer
	fInitializationTimeout
	fPreStopHandler
	fPreFreezeHandler
	fServiceName
	fServiceLogProject
	fServiceLogStore
	fRegion
	fAccountID
	fQualifier
	fVersionID
	fRetryCount
	fControlPath
	fBasePath
	fClientIP
	fTracingSpanContext
	fTracingSpanBaggages
	fTracingJaegerEndpoint
	fEagleEyeTraceID
	fEagleEyeRPCID
	fEagleEyeUserData
	numFields
)

// longestName bounds the lower-casing buffer; it is the length of
// XFCPreFreezeHandler, the longest header name.
const longestName = len(XFCPreFreezeHandler)

// lookup maps a header name, in any case, to the field it feeds. The
// canonical form fasthttp normalises names to (X-Fc-Request-Id) is matched
// directly; any other case is lower-cased first.
func lookup(name []byte) field {
	switch string(name) {
	case "X-Fc-Request-Id":
		return fRequestID
	case "X-Fc-Access-Key-Id":
		return fAccessKeyID
	case "X-Fc-Access-Key-Secret":
		return fAccessKeySecret
	case "X-Fc-Security-Token":
		return fSecurityToken
	case "X-Fc-Function-Name":
		return fFunctionName
	case "X-Fc-Function-Handler":
		return fFunctionHandler
	case "X-Fc-Function-Memory":
		return fFunctionMemory
	case "X-Fc-Function-Timeout":
		return fFunctionTimeout
	case "X-Fc-Function-Initializer":
		return fFunctionInitializer
	case "X-Fc-Initialization-Timeout":
		return fInitializationTimeout
	case "X-Fc-Instance-Lifecycle-Pre-Stop-Handler":
		return fPreStopHandler
	case "X-Fc-Instance-Lifecycle-Pre-Freeze-Handler":
		return fPreFreezeHandler
	case "X-Fc-Service-Name":
		return fServiceName
	case "X-Fc-Service-Logproject":
		return fServiceLogProject
	case "X-Fc-Service-Logstore":
		return fServiceLogStore
	case "X-Fc-Region":
		return fRegion
	case "X-Fc-Account-Id":
		return fAccountID
	case "X-Fc-Qualifier":
		return fQualifier
	case "X-Fc-Version-Id":
		return fVersionID
	case "X-Fc-Retry-Count":
		return fRetryCount
	case "X-Fc-Control-Path":
		return fControlPath
	case "X-Fc-Base-Path":
		return fBasePath
	case "X-Fc-Client-Ip":
		return fClientIP
	case "X-Fc-Tracing-Opentracing-Span-Context":
		return fTracingSpanContext
	case "X-Fc-Tracing-Opentracing-Span-Baggages":
		return fTracingSpanBaggages
	case "X-Fc-Tracing-Jaeger-Endpoint":
		return fTracingJaegerEndpoint
	case "X-Fc-Eagleeye-Traceid":
		return fEagleEyeTraceID
	case "X-Fc-Eagleeye-Rpcid":
		return fEagleEyeRPCID
	case "X-Fc-Eagleeye-Userdata":
		return fEagleEyeUserData
	}
	const prefix = "x-fc-"
	if len(name) <= len(prefix) || len(name) > longestName || name[0]|0x20 != 'x' {
		return fNone
	}
	var buf [longestName]byte
	for i, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return lookupLower(buf[:len(name)])
}

// lookupLower maps a lower-case header name to its field. Only names sent
// in an unusual case get here, so a loop over the table is fast enough.
func lookupLower(name []byte) field {
	for f, n := range fieldNames {
		if n != "" && n == string(name) {
			return field(f)
		}
	}
	return fNone
}

// fieldNames is the header name of each field, for the lower-case lookup
// and for ParseError.
var fieldNames = [numFields]string{
	fRequestID: XFCRequestID, fAccessKeyID: XFCAccessKeyID, fAccessKeySecret: XFCAccessKeySecret,
	fSecurityToken: XFCSecurityToken, fFunctionName: XFCFunctionName, fFunctionHandler: XFCFunctionHandler,
	fFunctionMemory: XFCFunctionMemory, fFunctionTimeout: XFCFunctionTimeout,
	fFunctionInitializer: XFCFunctionInitializer, fInitializationTimeout: XFCInitializationTimeout,
	fPreStopHandler: XFCPreStopHandler, fPreFreezeHandler: XFCPreFreezeHandler,
	fServiceName: XFCServiceName, fServiceLogProject: XFCServiceLogProject, fServiceLogStore: XFCServiceLogStore,
	fRegion: XFCRegion, fAccountID: XFCAccountID, fQualifier: XFCQualifier, fVersionID: XFCVersionID,
	fRetryCount: XFCRetryCount, fControlPath: XFCControlPath, fBasePath: XFCBasePath, fClientIP: XFCClientIP,
	fTracingSpanContext: XFCTracingSpanContext, fTracingSpanBaggages: XFCTracingSpanBaggages,
	fTracingJaegerEndpoint: XFCTracingJaegerEndpoint, fEagleEyeTraceID: XFCEagleEyeTraceID,
	fEagleEyeRPCID: XFCEagleEyeRPCID, fEagleEyeUserData: XFCEagleEyeUserData,
}

// Parse reads the x-fc-* headers of a request into an Info.
//
// It walks the headers once, matching names case-insensitively; when a
// header repeats, the first value wins. All string values are copied into
// one buffer owned by the Info (a single allocation), so the Info outlives
// the request. Parse never fails a request: a malformed number leaves its
// field zero, and the returned error (a [*ParseError], or several joined
// with [errors.Join]) names each header and value that was rejected.
//
// A server parsing every request should use a [Parser], which copies only
// the values that change from request to request.
func Parse(h *fasthttp.RequestHeader) (Info, error) {
	var info Info
	var vals values
	vals.collect(h)
	err := vals.fill(&info, nil)
	return info, err
}

// values are the x-fc-* header values of one request, by field. They point
// into the request's header, which is stable for the whole request.
type values [numFields][]byte

// collect finds the x-fc-* headers of h, the first of each.
func (vals *values) collect(h *fasthttp.RequestHeader) {
	var found [numFields]bool
	for k, v := range h.All() {
		f := lookup(k)
		if f == fNone || found[f] {
			continue
		}
		found[f] = true
		vals[f] = v
	}
}

// fill sets info from vals. When s is not nil, the fields a [Parser]
// shares come from s's Info; the other string values are copied into one
// new buffer.
func (vals *values) fill(info *Info, s *shared) error {
	total := 0
	for f := range vals {
		if !copied[f] || (s != nil && isShared[f]) {
			continue
		}
		total += len(vals[f])
	}
	var arena []byte
	if total > 0 {
		arena = make([]byte, 0, total)
	}
	str := func(f field) string {
		v := vals[f]
		if len(v) == 0 {
			return ""
		}
		start := len(arena)
		arena = append(arena, v...)
		return unsafe.String(&arena[start], len(v))
	}

	if s != nil {
		// The function's own values, copied once into s and set in its
		// Info: one copy of the struct instead of a field at a time.
		*info = s.info
	} else {
		keyID := str(fAccessKeyID)
		// The secret and the token go next to each other in the arena: the
		// Credentials point at them without a string header fmt could print.
		secretsStart := len(arena)
		arena = append(arena, vals[fAccessKeySecret]...)
		arena = append(arena, vals[fSecurityToken]...)
		info.Credentials = newCredentials(keyID, arena[secretsStart:], len(vals[fAccessKeySecret]))
		setShared(info, str)
	}
	// The request's own values.
	info.RequestID = str(fRequestID)
	info.BasePath = str(fBasePath)
	info.ClientIP = str(fClientIP)
	info.Tracing.SpanContext = str(fTracingSpanContext)
	info.Tracing.SpanBaggages = str(fTracingSpanBaggages)
	info.EagleEye.TraceID = str(fEagleEyeTraceID)
	info.EagleEye.RPCID = str(fEagleEyeRPCID)
	info.EagleEye.UserData = str(fEagleEyeUserData)
	info.ControlPath = ParseControlPath(vals[fControlPath])

	var errs []error
	num := func(f field, limit int) int {
		n, err := parseUint(vals[f], limit)
		if err != nil {
			errs = append(errs, &ParseError{Header: fieldNames[f], Value: string(vals[f]), Err: err})
		}
		return n
	}
	info.Function.MemoryMB = num(fFunctionMemory, maxMemoryMB)
	info.Function.Timeout = time.Duration(num(fFunctionTimeout, maxTimeoutSeconds)) * time.Second
	info.Function.InitializationTimeout = time.Duration(num(fInitializationTimeout, maxTimeoutSeconds)) * time.Second
	info.RetryCount = num(fRetryCount, maxRetryCount)

	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return errors.Join(errs...)
}

// setShared sets the string fields of info that [Parser] shares between
// requests (see isShared), but the credentials, from str.
func setShared(info *Info, str func(field) string) {
	info.Function.Name = str(fFunctionName)
	info.Function.Handler = str(fFunctionHandler)
	info.Function.Initializer = str(fFunctionInitializer)
	info.Function.PreStopHandler = str(fPreStopHandler)
	info.Function.PreFreezeHandler = str(fPreFreezeHandler)
	info.Service.Name = str(fServiceName)
	info.Service.LogProject = str(fServiceLogProject)
	info.Service.LogStore = str(fServiceLogStore)
	info.Region = str(fRegion)
	info.AccountID = str(fAccountID)
	info.Qualifier = str(fQualifier)
	info.VersionID = str(fVersionID)
	info.Tracing.JaegerEndpoint = str(fTracingJaegerEndpoint)
}

// copied marks the fields whose values are copied into the Info: all but
// the numbers and the control path, which are parsed in place.
var copied = func() (c [numFields]bool) {
	for f := fRequestID; f < numFields; f++ {
		switch f {
		case fFunctionMemory, fFunctionTimeout, fInitializationTimeout, fRetryCount, fControlPath:
		default:
			c[f] = true
		}
	}
	return c
}()

// Bounds on numeric headers: far above anything FC allows (24 h timeout,
// 32 GB memory, a handful of retries) yet small enough that no conversion
// overflows.
const (
	maxMemoryMB       = 1 << 30
	maxTimeoutSeconds = 10 * 365 * 24 * 3600
	maxRetryCount     = 1 << 30
)

var (
	errNotInteger = errors.New("not a non-negative decimal integer")
	errTooLarge   = errors.New("out of range")
)

// parseUint parses a non-negative decimal integer no larger than limit. An
// empty value is 0 with no error: emulators send empty strings for unset
// headers.
func parseUint(v []byte, limit int) (int, error) {
	if len(v) == 0 {
		return 0, nil
	}
	n := 0
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, errNotInteger
		}
		n = n*10 + int(c-'0')
		if n > limit {
			return 0, errTooLarge
		}
	}
	return n, nil
}
