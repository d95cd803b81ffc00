package trigger

import (
	"fmt"
	"net/url"
)

// OSSEvent is the payload of an OSS trigger: one or more object events.
type OSSEvent struct {
	Events []OSSRecord `json:"events"` // the object events, usually one
}

// OSSRecord is one OSS object event.
type OSSRecord struct {
	EventName         string               `json:"eventName"`          // e.g. "ObjectCreated:PutObject", "ObjectRemoved:DeleteObject"
	EventSource       string               `json:"eventSource"`        // "acs:oss"
	EventTime         Time                 `json:"eventTime,omitzero"` // when the operation happened, e.g. "2022-08-13T06:45:43.000Z"
	EventVersion      string               `json:"eventVersion"`       // "1.0"
	OSS               OSSEntity            `json:"oss"`                // the bucket and object
	Region            string               `json:"region"`             // e.g. "cn-hangzhou"
	RequestParameters OSSRequestParameters `json:"requestParameters"`  // the request that caused the event
	ResponseElements  OSSResponseElements  `json:"responseElements"`   // OSS's answer to that request
	UserIdentity      OSSUserIdentity      `json:"userIdentity"`       // the account that made the request
}

// OSSEntity is the bucket and object an [OSSRecord] is about.
type OSSEntity struct {
	Bucket           OSSBucket `json:"bucket"`           // the bucket
	Object           OSSObject `json:"object"`           // the object; its Key is URL-encoded
	OSSSchemaVersion string    `json:"ossSchemaVersion"` // "1.0"
	RuleID           string    `json:"ruleId"`           // the notification rule that matched
}

// OSSBucket identifies a bucket.
type OSSBucket struct {
	ARN           string `json:"arn"`                     // "acs:oss:<region>:<account>:<bucket>"
	Name          string `json:"name"`                    // the bucket name, e.g. "testbucket"
	OwnerIdentity String `json:"ownerIdentity"`           // account id of the bucket's owner
	VirtualBucket string `json:"virtualBucket,omitempty"` // empty or absent in published samples
}

// OSSObject describes the object. Key is URL-encoded as OSS sends it: pass
// [OSSObject.DecodedKey] to the OSS SDK, not Key.
type OSSObject struct {
	DeltaSize  Int64         `json:"deltaSize"`           // change of the object's size in bytes (0 for an overwrite of the same size)
	ETag       string        `json:"eTag"`                // the object's ETag, unquoted
	Key        string        `json:"key"`                 // URL-encoded object key
	ObjectMeta OSSObjectMeta `json:"objectMeta,omitzero"` // zero when OSS sends no objectMeta
	Size       Int64         `json:"size"`                // bytes
}

// OSSObjectMeta is the object's metadata, when OSS sends it.
type OSSObjectMeta struct {
	MimeType string            `json:"mimeType,omitempty"` // the object's Content-Type, e.g. "application/zip"
	UserMeta map[string]String `json:"userMeta,omitzero"`  // x-oss-meta-* headers, keys as sent
}

// OSSRequestParameters describes the request that caused the event.
type OSSRequestParameters struct {
	SourceIPAddress string `json:"sourceIPAddress"` // the requester's IP address
}

// OSSResponseElements describes OSS's answer to that request.
type OSSResponseElements struct {
	RequestID string `json:"requestId"` // OSS's id of the request (x-oss-request-id)
}

// OSSUserIdentity is the account that made the request.
type OSSUserIdentity struct {
	PrincipalID String `json:"principalId"` // id of the requester's account or RAM user
}

// DecodedKey returns the object key as the OSS SDK expects it. The event
// carries it URL-encoded (non-ASCII and reserved bytes as %XX of their
// UTF-8 encoding); it is decoded with query unescaping, so "%20" and "+"
// both become a space (a literal "+" in a key must arrive as "%2B"). It
// fails on a malformed escape such as "%zz".
func (o OSSObject) DecodedKey() (string, error) {
	k, err := url.QueryUnescape(o.Key)
	if err != nil {
		return "", fmt.Errorf("trigger: OSS object key %q is not URL-encoded: %w", o.Key, err)
	}
	return k, nil
}
