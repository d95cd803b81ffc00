package trigger

import (
	"encoding/base64"
	"fmt"
	"unicode/utf8"
)

// APIGatewayRequest is the event API Gateway sends to a function that is
// the backend of an API (the event-function integration). Answer with an
// [APIGatewayResponse].
type APIGatewayRequest struct {
	Path            string            `json:"path"`                     // the request path, e.g. "/api/321"
	HTTPMethod      string            `json:"httpMethod"`               // e.g. "POST"
	Headers         Headers           `json:"headers,omitzero"`         // request headers, names in the sender's case: use Headers.Get
	QueryParameters map[string]string `json:"queryParameters,omitzero"` // query string parameters by name; empty when none
	PathParameters  map[string]string `json:"pathParameters,omitzero"`  // the API's path variables by name
	// Body is the request body, base64-encoded when IsBase64Encoded: use
	// DecodedBody.
	Body            string `json:"body"`
	IsBase64Encoded bool   `json:"isBase64Encoded"` // whether Body is base64-encoded (API Gateway may encode text bodies too)
}

// DecodedBody returns the request body, decoding it from base64 when
// IsBase64Encoded is set. The bytes are a new copy.
func (r APIGatewayRequest) DecodedBody() ([]byte, error) {
	return decodeBody(r.Body, r.IsBase64Encoded, "API Gateway request")
}

// APIGatewayResponse is the result an event function returns to API
// Gateway; encode it as the function's result (event.JSON does). Build one
// with [NewAPIGatewayResponse] or [NewAPIGatewayBinaryResponse].
type APIGatewayResponse struct {
	IsBase64Encoded bool              `json:"isBase64Encoded"`  // whether Body is base64-encoded
	StatusCode      int               `json:"statusCode"`       // HTTP status code of the answer, e.g. 200
	Headers         map[string]string `json:"headers,omitzero"` // response headers; nil for none
	Body            string            `json:"body"`             // base64 when IsBase64Encoded
}

// NewAPIGatewayResponse returns a response with the status, headers (kept,
// not copied; nil for none) and body. A body that is not valid UTF-8 text
// is base64-encoded and IsBase64Encoded set, so binary bodies arrive
// intact; use [NewAPIGatewayBinaryResponse] to always encode.
func NewAPIGatewayResponse(statusCode int, headers map[string]string, body []byte) APIGatewayResponse {
	b, enc := encodeBody(body, false)
	return APIGatewayResponse{IsBase64Encoded: enc, StatusCode: statusCode, Headers: headers, Body: b}
}

// NewAPIGatewayBinaryResponse is [NewAPIGatewayResponse] with the body
// always base64-encoded (images, archives, any bytes that may happen to be
// valid UTF-8).
func NewAPIGatewayBinaryResponse(statusCode int, headers map[string]string, body []byte) APIGatewayResponse {
	b, enc := encodeBody(body, true)
	return APIGatewayResponse{IsBase64Encoded: enc, StatusCode: statusCode, Headers: headers, Body: b}
}

// DecodedBody returns the response body, decoded from base64 when
// IsBase64Encoded is set.
func (r APIGatewayResponse) DecodedBody() ([]byte, error) {
	return decodeBody(r.Body, r.IsBase64Encoded, "API Gateway response")
}

// HTTPTriggerRequest is the JSON event an FC 3.0 HTTP trigger sends to a
// function in a built-in runtime. (Custom-runtime and custom-container
// functions receive the HTTP request itself instead: serve those with
// fcserver.WithHTTP.) Answer with an [HTTPTriggerResponse].
type HTTPTriggerRequest struct {
	Version         string             `json:"version"`                  // "v1"
	RawPath         string             `json:"rawPath"`                  // the request path without the query string, e.g. "/example"
	Body            string             `json:"body"`                     // base64 when IsBase64Encoded: use DecodedBody
	IsBase64Encoded bool               `json:"isBase64Encoded"`          // whether Body is base64-encoded
	Headers         Headers            `json:"headers,omitzero"`         // repeated headers joined with ","
	QueryParameters map[string]string  `json:"queryParameters,omitzero"` // repeated parameters joined with ","
	RequestContext  HTTPRequestContext `json:"requestContext"`           // the account, domain, client and arrival time of the request
}

// HTTPRequestContext describes an [HTTPTriggerRequest]'s origin.
type HTTPRequestContext struct {
	AccountID    String      `json:"accountId"`          // the Alibaba Cloud account that owns the function
	DomainName   string      `json:"domainName"`         // "<trigger-id>.<region>.fcapp.run" or a custom domain
	DomainPrefix string      `json:"domainPrefix"`       // the first label of DomainName
	HTTP         HTTPDetails `json:"http"`               // the request line and client
	RequestID    string      `json:"requestId"`          // FC's id of the request, e.g. "1-64f6cd87-…"
	Time         Time        `json:"time,omitzero"`      // when the request arrived
	TimeEpoch    UnixMilli   `json:"timeEpoch,omitzero"` // the same, sent as a string of epoch milliseconds
}

// HTTPDetails is the HTTP request line and client of an
// [HTTPTriggerRequest].
type HTTPDetails struct {
	Method    string `json:"method"`    // e.g. "GET"
	Path      string `json:"path"`      // the request path, e.g. "/example"
	Protocol  string `json:"protocol"`  // e.g. "HTTP/1.1"
	SourceIP  string `json:"sourceIp"`  // the client's IP address
	UserAgent string `json:"userAgent"` // the User-Agent header; empty when not sent
}

// DecodedBody returns the request body, decoding it from base64 when
// IsBase64Encoded is set. The bytes are a new copy.
func (r HTTPTriggerRequest) DecodedBody() ([]byte, error) {
	return decodeBody(r.Body, r.IsBase64Encoded, "HTTP trigger request")
}

// HTTPTriggerResponse is the result a built-in-runtime function returns to
// its HTTP trigger to set the status, headers and body. Build one with
// [NewHTTPTriggerResponse] or [NewHTTPTriggerBinaryResponse].
type HTTPTriggerResponse struct {
	StatusCode      int               `json:"statusCode"`       // HTTP status code of the answer, e.g. 200
	Headers         map[string]string `json:"headers,omitzero"` // response headers; nil for none
	IsBase64Encoded bool              `json:"isBase64Encoded"`  // whether Body is base64-encoded
	Body            string            `json:"body"`             // base64 when IsBase64Encoded
}

// NewHTTPTriggerResponse returns a response with the status, headers (kept,
// not copied; nil for none) and body. A body that is not valid UTF-8 text
// is base64-encoded and IsBase64Encoded set; use
// [NewHTTPTriggerBinaryResponse] to always encode.
func NewHTTPTriggerResponse(statusCode int, headers map[string]string, body []byte) HTTPTriggerResponse {
	b, enc := encodeBody(body, false)
	return HTTPTriggerResponse{StatusCode: statusCode, Headers: headers, IsBase64Encoded: enc, Body: b}
}

// NewHTTPTriggerBinaryResponse is [NewHTTPTriggerResponse] with the body
// always base64-encoded.
func NewHTTPTriggerBinaryResponse(statusCode int, headers map[string]string, body []byte) HTTPTriggerResponse {
	b, enc := encodeBody(body, true)
	return HTTPTriggerResponse{StatusCode: statusCode, Headers: headers, IsBase64Encoded: enc, Body: b}
}

// DecodedBody returns the response body, decoded from base64 when
// IsBase64Encoded is set.
func (r HTTPTriggerResponse) DecodedBody() ([]byte, error) {
	return decodeBody(r.Body, r.IsBase64Encoded, "HTTP trigger response")
}

func encodeBody(body []byte, binary bool) (string, bool) {
	if !binary && utf8.Valid(body) {
		return string(body), false
	}
	return base64.StdEncoding.EncodeToString(body), true
}

func decodeBody(body string, isBase64 bool, what string) ([]byte, error) {
	if !isBase64 {
		return []byte(body), nil
	}
	b, ok := decodeBase64(body)
	if !ok {
		return nil, fmt.Errorf("trigger: %s has isBase64Encoded set but its body is not base64: %s", what, describe([]byte(body)))
	}
	return b, nil
}
