package trigger

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
)

// Body is a message body as the trigger sent it: any JSON value (RabbitMQ
// sends an object in one sample and a string in another), kept as its JSON
// text. Use [Body.String] for text, [Body.Base64] for base64-encoded
// bodies (MNS queues may encode messages), and [Body.Decode] for JSON
// carried either as a value or inside a string.
//
// The text is a compact copy (whitespace between tokens removed, <, > and &
// escaped as encoding/json writes them), owned by the Body and safe to keep.
type Body []byte

// UnmarshalJSON implements json.Unmarshaler.
func (b *Body) UnmarshalJSON(data []byte) error {
	*b = normalizeJSON(data)
	return nil
}

// MarshalJSON implements json.Marshaler: the JSON text as is, or null for
// an empty Body.
func (b Body) MarshalJSON() ([]byte, error) {
	if len(b) == 0 {
		return []byte("null"), nil
	}
	return b, nil
}

// IsString reports whether the body is a JSON string.
func (b Body) IsString() bool { return len(b) > 0 && b[0] == '"' }

// String returns the body as text: the value of a JSON string, "" for null
// or an empty Body, and the JSON text of any other value.
func (b Body) String() string {
	switch {
	case len(b) == 0 || string(b) == "null":
		return ""
	case b.IsString():
		var s string
		if json.Unmarshal(b, &s) == nil {
			return s
		}
	}
	return string(b)
}

// Base64 decodes the body's text (see [Body.String]) as base64, standard
// or URL alphabet, padded or not.
func (b Body) Base64() ([]byte, error) {
	s := b.String()
	if v, ok := decodeBase64(s); ok {
		return v, nil
	}
	return nil, fmt.Errorf("trigger: body is not base64: %s", describe([]byte(s)))
}

// Decode decodes the body into v with encoding/json. A JSON string is
// decoded by its contents, so a message that was JSON text ("{\"a\":1}")
// decodes as the object it holds; any other value is decoded as it is.
func (b Body) Decode(v any) error {
	if b.IsString() {
		return json.Unmarshal([]byte(b.String()), v)
	}
	if len(b) == 0 {
		return json.Unmarshal([]byte("null"), v)
	}
	return json.Unmarshal(b, v)
}

// Headers is a header map as an event carries it: names keep the sender's
// case ("Content-Type", "content-type"), so look them up with Get.
type Headers map[string]string

// Get returns the value of the header name, matched case-insensitively;
// "" when it is absent. An exact match wins over a case-insensitive one.
func (h Headers) Get(name string) string {
	v, _ := h.Lookup(name)
	return v
}

// Lookup is [Headers.Get] that also reports whether the header is present.
func (h Headers) Lookup(name string) (string, bool) {
	if v, ok := h[name]; ok {
		return v, true
	}
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return "", false
}

// normalizeJSON returns an owned, compact copy of the valid JSON text b,
// with <, >, & and U+2028/9 escaped exactly as json.Marshal writes raw
// values, so that a decoded value encodes and decodes back to itself.
func normalizeJSON(b []byte) []byte {
	var compact bytes.Buffer
	compact.Grow(len(b))
	if json.Compact(&compact, b) != nil {
		return bytes.Clone(b) // unreachable for input from encoding/json
	}
	var out bytes.Buffer
	out.Grow(compact.Len())
	json.HTMLEscape(&out, compact.Bytes())
	return out.Bytes()
}

// normalizeRaw replaces *m by its normalized copy (see normalizeJSON).
func normalizeRaw(m *json.RawMessage) {
	if len(*m) > 0 {
		*m = normalizeJSON(*m)
	}
}

// decodeBase64 decodes s in whichever base64 alphabet and padding it uses.
func decodeBase64(s string) ([]byte, bool) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, true
		}
	}
	return nil, false
}

// unmarshalBatch decodes a batch of records: a JSON array of records, a
// single record object (published for MNS queue, RocketMQ and Kafka
// triggers), or an array of JSON strings each holding one record (the
// official Go SDK's Kafka sample). what names the batch type in errors.
func unmarshalBatch[T any](data []byte, what string) ([]T, error) {
	data = bytes.TrimSpace(data)
	switch {
	case len(data) == 0 || string(data) == "null":
		return nil, nil
	case data[0] == '{':
		var one T
		if err := json.Unmarshal(data, &one); err != nil {
			return nil, fmt.Errorf("trigger: %s: %w", what, err)
		}
		return []T{one}, nil
	case data[0] != '[':
		return nil, fmt.Errorf("trigger: %s: want a JSON array of records or one record object, got %s", what, describe(data))
	}
	var items []json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
		return nil, fmt.Errorf("trigger: %s: %w", what, err)
	}
	out := make([]T, len(items))
	for i, item := range items {
		if len(item) > 0 && item[0] == '"' {
			var s string
			if err := json.Unmarshal(item, &s); err != nil {
				return nil, fmt.Errorf("trigger: %s[%d]: %w", what, i, err)
			}
			item = []byte(s)
			if t := bytes.TrimSpace(item); len(t) == 0 || t[0] != '{' {
				return nil, fmt.Errorf("trigger: %s[%d]: a string record must hold a JSON object, got %s", what, i, describe(item))
			}
		}
		if err := json.Unmarshal(item, &out[i]); err != nil {
			return nil, fmt.Errorf("trigger: %s[%d]: %w", what, i, err)
		}
	}
	return out, nil
}
