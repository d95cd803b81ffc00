// Package jsonstr appends JSON strings without allocating; the headers and
// logging packages share it.
package jsonstr

// plain marks the bytes a JSON string holds as they are: anything but
// control characters, '"' and '\\'.
var plain = func() (t [256]bool) {
	for c := 0x20; c < len(t); c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// Plain reports whether c stands for itself inside a JSON string.
func Plain(c byte) bool { return plain[c] }

// Append appends s to dst as a quoted JSON string, escaping '"', '\\', a
// newline as \n and other control characters as \u00XX. It takes bytes as
// well as a string, so that quoting a raw line costs no conversion. Bytes
// of invalid UTF-8 are kept as they are.
func Append[S ~string | ~[]byte](dst []byte, s S) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if plain[c] {
			continue
		}
		dst = append(dst, s[start:i]...)
		start = i + 1
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c == '\n':
			dst = append(dst, '\\', 'n')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
