package tablestore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/fxamacker/cbor/v2"
)

// Value is a Tablestore cell value: an integer (int64, exact), a double, a
// string, a boolean, binary data, or null (absent). The zero Value is null.
// Values are comparable with == except binary ones (compare Bytes).
type Value struct {
	v any // nil, int64, float64, string, bool or []byte
}

// IntValue returns an integer Value.
func IntValue(n int64) Value { return Value{n} }

// FloatValue returns a double Value.
func FloatValue(f float64) Value { return Value{f} }

// StringValue returns a string Value.
func StringValue(s string) Value { return Value{s} }

// BoolValue returns a boolean Value.
func BoolValue(b bool) Value { return Value{b} }

// BytesValue returns a binary Value holding b (not copied).
func BytesValue(b []byte) Value { return Value{b} }

// Any returns the value as nil, int64, float64, string, bool or []byte.
func (v Value) Any() any { return v.v }

// IsNull reports whether the value is absent.
func (v Value) IsNull() bool { return v.v == nil }

// Int returns an integer value; ok is false for other kinds.
func (v Value) Int() (n int64, ok bool) { n, ok = v.v.(int64); return }

// Float returns a double value; ok is false for other kinds.
func (v Value) Float() (f float64, ok bool) { f, ok = v.v.(float64); return }

// Text returns a string value; ok is false for other kinds.
func (v Value) Text() (s string, ok bool) { s, ok = v.v.(string); return }

// Bool returns a boolean value; ok is false for other kinds.
func (v Value) Bool() (b bool, ok bool) { b, ok = v.v.(bool); return }

// Bytes returns a binary value (not a copy); ok is false for other kinds.
func (v Value) Bytes() (b []byte, ok bool) { b, ok = v.v.([]byte); return }

// String formats the value for logs: integers and doubles as numbers,
// strings as they are, binary data as hex, null as "null".
func (v Value) String() string {
	switch x := v.v.(type) {
	case nil:
		return "null"
	case []byte:
		return fmt.Sprintf("%x", x)
	}
	return fmt.Sprint(v.v)
}

// UnmarshalCBOR implements cbor.Unmarshaler.
func (v *Value) UnmarshalCBOR(data []byte) error {
	var x any
	if err := decMode.Unmarshal(data, &x); err != nil {
		return fmt.Errorf("tablestore: cell value: %w", err)
	}
	switch x := x.(type) {
	case nil, int64, float64, string, bool:
		v.v = x
	case []byte:
		v.v = bytes.Clone(x)
	default:
		return fmt.Errorf("tablestore: a cell value must be an integer, double, string, boolean or binary, got CBOR %T", x)
	}
	return nil
}

// MarshalCBOR implements cbor.Marshaler.
func (v Value) MarshalCBOR() ([]byte, error) { return cbor.Marshal(v.v) }

// UnmarshalJSON implements json.Unmarshaler for the documentation's JSON
// rendering: integers are parsed exactly into int64, other numbers as
// doubles. Binary values have no JSON form (a string decodes as a string).
func (v *Value) UnmarshalJSON(data []byte) error {
	switch {
	case string(data) == "null":
		v.v = nil
	case string(data) == "true" || string(data) == "false":
		v.v = data[0] == 't'
	case data[0] == '"':
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		v.v = s
	case data[0] == '-' || '0' <= data[0] && data[0] <= '9':
		if n, err := strconv.ParseInt(string(data), 10, 64); err == nil {
			v.v = n
			return nil
		}
		f, err := strconv.ParseFloat(string(data), 64)
		if err != nil {
			return fmt.Errorf("tablestore: cell value %s is out of range", data)
		}
		v.v = f
	default:
		return fmt.Errorf("tablestore: a cell value must be a number, string, boolean or null, got %.40s", data)
	}
	return nil
}

// MarshalJSON implements json.Marshaler: integers exactly, doubles always
// with a fraction or exponent (so 1.0 decodes back as a double), binary
// values as base64 strings (as encoding/json writes []byte), NaN and ±Inf
// as null.
func (v Value) MarshalJSON() ([]byte, error) {
	f, ok := v.v.(float64)
	switch {
	case !ok:
		return json.Marshal(v.v)
	case math.IsNaN(f) || math.IsInf(f, 0):
		return []byte("null"), nil
	}
	b := strconv.AppendFloat(nil, f, 'g', -1, 64)
	if !bytes.ContainsAny(b, ".e") {
		b = append(b, ".0"...)
	}
	return b, nil
}
