package trigger

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// String is a string that also accepts a JSON number or boolean, keeping
// its exact text (1628577790396 decodes to "1628577790396", never through
// float64), and null, which decodes to "". It encodes as a JSON string.
// Triggers send numbers where strings are documented (RocketMQ's
// CONSUME_START_TIME, account ids).
type String string

// UnmarshalJSON implements json.Unmarshaler.
func (s *String) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) == 0:
		return fmt.Errorf("trigger: empty JSON value for a string")
	case b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = String(v)
	case b[0] == '{' || b[0] == '[':
		return fmt.Errorf("trigger: want a string, number or boolean, got %s", describe(b))
	case string(b) == "null":
		// Leave s unchanged, as encoding/json does for null.
	default: // number, true, false: valid JSON already checked by the decoder
		*s = String(b)
	}
	return nil
}

// Int64 is an integer that accepts a JSON number or a string holding one
// ("1693896071895"), parsed from its text so values above 2^53 stay exact.
// null leaves it unchanged. Fractions and exponents are rejected. It encodes
// as a JSON number.
type Int64 int64

// UnmarshalJSON implements json.Unmarshaler.
func (n *Int64) UnmarshalJSON(b []byte) error {
	text, null, err := scalarText(b)
	if err != nil || null {
		return err
	}
	v, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
	if err != nil {
		return fmt.Errorf("trigger: want an integer, got %s", describe(b))
	}
	*n = Int64(v)
	return nil
}

// MarshalJSON implements json.Marshaler.
func (n Int64) MarshalJSON() ([]byte, error) {
	return strconv.AppendInt(nil, int64(n), 10), nil
}

// Time is a point in time decoded leniently from a JSON string: RFC 3339
// with or without fractional seconds ("2022-08-13T06:45:43.000Z",
// "2018-03-16T14:19:55+08:00"), the same without a zone (taken as UTC),
// with a space instead of the T, or with the suffix "PRC" that EventBridge
// has published for China Standard Time ("2020-11-19T21:04:42.179PRC",
// +08:00). "" and null decode to the zero Time. It encodes as RFC 3339 with
// the original offset and as many fractional digits as needed.
//
// The decoded time carries a fixed zone of the sent offset (UTC for Z), so
// that decoding the same text always gives an equal value whatever the
// process's local zone.
type Time struct {
	time.Time
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *Time) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) == 0 || b[0] != '"' {
		return fmt.Errorf("trigger: want a time string, got %s", describe(b))
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := ParseTime(s)
	if err != nil {
		return err
	}
	t.Time = v
	return nil
}

// MarshalJSON implements json.Marshaler. A zero Time encodes as "".
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte(`""`), nil
	}
	b := append([]byte{'"'}, t.AppendFormat(nil, time.RFC3339Nano)...)
	return append(b, '"'), nil
}

var prc = time.FixedZone("", 8*60*60)

// ParseTime parses the time layouts trigger payloads use (see [Time]).
// "" gives the zero time.
func ParseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if len(s) > 10 && s[10] == ' ' {
		s = s[:10] + "T" + s[11:]
	}
	if v, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return normalize(v), nil
	}
	loc := time.UTC
	if rest, ok := strings.CutSuffix(s, "PRC"); ok {
		s, loc = rest, prc
	}
	v, err := time.ParseInLocation("2006-01-02T15:04:05.999999999", s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("trigger: %q is not a time (want RFC 3339, e.g. 2006-01-02T15:04:05Z)", s)
	}
	return normalize(v), nil
}

// normalize gives equal texts equal values: UTC for a zero offset, a fresh
// fixed zone otherwise (time.Parse would pick time.Local when the offset
// matches it, making values depend on the machine's zone).
func normalize(t time.Time) time.Time {
	_, off := t.Zone()
	if off == 0 {
		return t.UTC()
	}
	return t.In(time.FixedZone("", off))
}

// UnixMilli is a time sent as milliseconds since the Unix epoch, as a JSON
// number (MNS PublishTime, Kafka timestamp) or a string holding one (HTTP
// trigger timeEpoch). null leaves it unchanged. It encodes as a number of
// milliseconds (fields of this type are omitted when zero).
type UnixMilli struct {
	time.Time
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *UnixMilli) UnmarshalJSON(b []byte) error {
	var n Int64
	if string(b) == "null" {
		return nil
	}
	if err := n.UnmarshalJSON(b); err != nil {
		return fmt.Errorf("trigger: want epoch milliseconds, got %s", describe(b))
	}
	t.Time = time.UnixMilli(int64(n)).UTC()
	return nil
}

// MarshalJSON implements json.Marshaler.
func (t UnixMilli) MarshalJSON() ([]byte, error) {
	return strconv.AppendInt(nil, t.Time.UnixMilli(), 10), nil
}

// UnixSeconds is a time sent as seconds since the Unix epoch, as a JSON
// number (SLS cursorTime, CDN startTime) or a string holding one. null
// leaves it unchanged. It encodes as a number of seconds (fields of this
// type are omitted when zero).
type UnixSeconds struct {
	time.Time
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *UnixSeconds) UnmarshalJSON(b []byte) error {
	var n Int64
	if string(b) == "null" {
		return nil
	}
	if err := n.UnmarshalJSON(b); err != nil {
		return fmt.Errorf("trigger: want epoch seconds, got %s", describe(b))
	}
	t.Time = time.Unix(int64(n), 0).UTC()
	return nil
}

// MarshalJSON implements json.Marshaler.
func (t UnixSeconds) MarshalJSON() ([]byte, error) {
	return strconv.AppendInt(nil, t.Unix(), 10), nil
}

// scalarText returns the text of a JSON number, or the contents of a JSON
// string; null reports null.
func scalarText(b []byte) (text string, null bool, err error) {
	switch {
	case string(b) == "null":
		return "", true, nil
	case len(b) > 0 && b[0] == '"':
		err = json.Unmarshal(b, &text)
		return text, false, err
	case len(b) > 0 && (b[0] == '-' || '0' <= b[0] && b[0] <= '9'):
		return string(b), false, nil
	}
	return "", false, fmt.Errorf("trigger: want a number, got %s", describe(b))
}

// describe names a JSON value for an error message, quoting short ones.
func describe(b []byte) string {
	b = bytes.TrimSpace(b)
	const max = 40
	if len(b) > max {
		return strconv.Quote(string(b[:max])) + "…"
	}
	return strconv.Quote(string(b))
}
