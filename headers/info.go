package headers

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"
)

// Info is the FC metadata of one request, parsed from its x-fc-* headers by
// [Parse]. Every string is an owned copy: an Info stays valid after the
// request ends and may be kept or shared between goroutines (read-only).
//
// Any field may be empty: FC omits some headers on some paths, and local
// emulators send empty strings for unset values.
type Info struct {
	RequestID   string      `json:"requestId"`   // x-fc-request-id; on every log line
	Credentials Credentials `json:"credentials"` // role credentials; secret and token redacted in every print form
	Function    Function    `json:"function"`    // x-fc-function-*: the function invoked
	Service     Service     `json:"service"`     // x-fc-service-*: FC 2.0 service and log destination
	Region      string      `json:"region"`      // x-fc-region, e.g. "cn-hangzhou"
	AccountID   string      `json:"accountId"`   // x-fc-account-id
	Qualifier   string      `json:"qualifier"`   // x-fc-qualifier: version or alias invoked, "LATEST" by default
	VersionID   string      `json:"versionId"`   // x-fc-version-id; empty for LATEST
	RetryCount  int         `json:"retryCount"`  // x-fc-retry-count: retry number of an asynchronous invocation
	ControlPath ControlPath `json:"controlPath"` // x-fc-control-path: the request kind
	BasePath    string      `json:"basePath"`    // x-fc-base-path: URL prefix FC added to HTTP invokes
	ClientIP    string      `json:"clientIp"`    // x-fc-client-ip: caller of an HTTP invoke; may be empty
	Tracing     Tracing     `json:"tracing"`     // x-fc-tracing-*: Tracing Analysis context; empty when tracing is off
	EagleEye    EagleEye    `json:"eagleEye"`    // x-fc-eagleeye-*: Alibaba-internal tracing; usually empty
}

// Function describes the function being invoked.
type Function struct {
	Name                  string        `json:"name"`                  // x-fc-function-name
	Handler               string        `json:"handler"`               // x-fc-function-handler: free text for custom runtimes
	MemoryMB              int           `json:"memoryMB"`              // x-fc-function-memory, in MB; 0 if absent or malformed
	Timeout               time.Duration `json:"timeout"`               // x-fc-function-timeout (sent in seconds); 0 if absent
	Initializer           string        `json:"initializer"`           // x-fc-function-initializer (FC 2.0)
	InitializationTimeout time.Duration `json:"initializationTimeout"` // x-fc-initialization-timeout (sent in seconds)
	PreStopHandler        string        `json:"preStopHandler"`        // x-fc-instance-lifecycle-pre-stop-handler (FC 2.0)
	PreFreezeHandler      string        `json:"preFreezeHandler"`      // x-fc-instance-lifecycle-pre-freeze-handler (FC 2.0)
}

// Service describes the FC 2.0 service and the Log Service destination of
// the function's logs. Name is empty on FC 3.0.
type Service struct {
	Name       string `json:"name"`       // x-fc-service-name
	LogProject string `json:"logProject"` // x-fc-service-logproject
	LogStore   string `json:"logStore"`   // x-fc-service-logstore
}

// Tracing carries the Tracing Analysis (Jaeger) context FC passes on. All
// fields are empty when tracing is off.
type Tracing struct {
	SpanContext    string `json:"spanContext"`    // x-fc-tracing-opentracing-span-context
	SpanBaggages   string `json:"spanBaggages"`   // x-fc-tracing-opentracing-span-baggages, raw: base64 of a JSON object
	JaegerEndpoint string `json:"jaegerEndpoint"` // x-fc-tracing-jaeger-endpoint
}

// Baggage decodes SpanBaggages, the base64 of a JSON object of strings. It
// returns nil and no error when the header was empty. Each call decodes
// anew and returns a map the caller owns.
func (t Tracing) Baggage() (map[string]string, error) {
	if t.SpanBaggages == "" {
		return nil, nil
	}
	raw, err := base64.StdEncoding.DecodeString(t.SpanBaggages)
	if err != nil {
		// Some senders drop the padding.
		raw, err = base64.RawStdEncoding.DecodeString(t.SpanBaggages)
	}
	if err != nil {
		return nil, &ParseError{Header: XFCTracingSpanBaggages, Value: t.SpanBaggages, Err: fmt.Errorf("not base64: %w", err)}
	}
	var m map[string]string
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, &ParseError{Header: XFCTracingSpanBaggages, Value: t.SpanBaggages, Err: fmt.Errorf("not a JSON object of strings: %w", err)}
	}
	return m, nil
}

// EagleEye carries Alibaba's internal tracing ids; usually empty.
type EagleEye struct {
	TraceID  string `json:"traceId"`  // x-fc-eagleeye-traceid
	RPCID    string `json:"rpcId"`    // x-fc-eagleeye-rpcid
	UserData string `json:"userData"` // x-fc-eagleeye-userdata
}

// MarshalText encodes p as its header value, so Info marshals to readable
// JSON.
func (p ControlPath) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText decodes a header value as [ParseControlPath] does ("unknown"
// included), so an Info survives a JSON round trip.
func (p *ControlPath) UnmarshalText(b []byte) error {
	if string(b) == "unknown" {
		*p = ControlPathUnknown
		return nil
	}
	*p = ParseControlPath(b)
	return nil
}

// Deadline returns arrival plus the function timeout, and false when no
// timeout was sent (then the invocation has no deadline).
func (i *Info) Deadline(arrival time.Time) (time.Time, bool) {
	if i.Function.Timeout <= 0 {
		return time.Time{}, false
	}
	return arrival.Add(i.Function.Timeout), true
}
