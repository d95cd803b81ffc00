package logging

import (
	"time"

	"github.com/rs/zerolog"
)

// Format is the layout of application log lines.
type Format uint8

const (
	// Text is FC's recommended layout, the default:
	//	2006-01-02T15:04:05.000Z <request-id> [LEVEL] message key=value …
	// Lines outside any request have no request id.
	Text Format = iota
	// JSON writes one JSON object per line, zerolog's own fields plus
	// "time" (same layout as Text) and "requestId", for Log Service
	// indexes that parse JSON.
	JSON
)

// String returns "text" or "json".
func (f Format) String() string {
	if f == JSON {
		return "json"
	}
	return "text"
}

// levelText is the bracketed level of the text layout.
func levelText(l zerolog.Level) string {
	switch l {
	case zerolog.TraceLevel:
		return "[TRACE] "
	case zerolog.DebugLevel:
		return "[DEBUG] "
	case zerolog.WarnLevel:
		return "[WARN] "
	case zerolog.ErrorLevel:
		return "[ERROR] "
	case zerolog.FatalLevel:
		return "[FATAL] "
	case zerolog.PanicLevel:
		return "[PANIC] "
	}
	return "[INFO] "
}

// appendLine converts one zerolog JSON line into the chosen layout and
// appends it, newline included, to dst.
func appendLine(dst []byte, f Format, now time.Time, requestID string, level zerolog.Level, line []byte) []byte {
	if f == JSON {
		return appendJSONLine(dst, now, requestID, line)
	}
	return appendTextLine(dst, now, requestID, level, line)
}

// appendJSONLine inserts "time" and "requestId" at the front of zerolog's
// object.
func appendJSONLine(dst []byte, now time.Time, requestID string, line []byte) []byte {
	line = trimSpace(line)
	if len(line) < 2 || line[0] != '{' || line[len(line)-1] != '}' {
		// Not an object (a hand-made Write): wrap it as a message.
		dst = append(dst, `{"time":"`...)
		dst = appendTime(dst, now)
		dst = append(dst, '"')
		if requestID != "" {
			dst = append(dst, `,"requestId":`...)
			dst = appendJSONString(dst, requestID)
		}
		dst = append(dst, `,"message":`...)
		dst = appendJSONString(dst, string(line))
		return append(dst, '}', '\n')
	}
	dst = append(dst, `{"time":"`...)
	dst = appendTime(dst, now)
	dst = append(dst, '"')
	if requestID != "" {
		dst = append(dst, `,"requestId":`...)
		dst = appendJSONString(dst, requestID)
	}
	rest := trimSpace(line[1:])
	if len(rest) > 0 && rest[0] != '}' {
		dst = append(dst, ',')
	}
	dst = append(dst, rest...)
	return append(dst, '\n')
}

// appendTextLine writes "time id [LEVEL] message k=v …". zerolog's output is
// valid JSON, but a hand-made Write or a RawJSON field may not be: anything
// the scanner cannot follow is kept, escaped onto one line, as the message.
func appendTextLine(dst []byte, now time.Time, requestID string, level zerolog.Level, line []byte) []byte {
	dst = appendTime(dst, now)
	dst = append(dst, ' ')
	if requestID != "" {
		dst = appendSafe(dst, requestID)
		dst = append(dst, ' ')
	}
	dst = append(dst, levelText(level)...)

	line = trimSpace(line)
	levelKey, messageKey := zerolog.LevelFieldName, zerolog.MessageFieldName

	// First pass: find the message and check that the object is well formed.
	var msg []byte
	haveMsg := false
	ok := len(line) >= 2 && line[0] == '{'
	if ok {
		for s := (scanner{b: line, i: 1}); ; {
			k, v, more, good := s.member()
			if !good {
				ok = false
				break
			}
			if !more {
				break
			}
			if string(k) == messageKey && len(v) >= 2 && v[0] == '"' {
				msg, haveMsg = v[1:len(v)-1], true
			}
		}
	}
	if !ok {
		return appendOneLine(dst, line)
	}
	fieldsStart := len(dst)
	if haveMsg {
		dst = appendMessage(dst, msg)
	}
	for s := (scanner{b: line, i: 1}); ; {
		k, v, more, _ := s.member()
		if !more {
			break
		}
		if string(k) == levelKey || (haveMsg && string(k) == messageKey) {
			continue
		}
		if len(dst) > fieldsStart {
			dst = append(dst, ' ')
		}
		dst = appendOneLine(dst, k)
		dst = append(dst, '=')
		dst = appendValue(dst, v)
	}
	if len(dst) > 0 && dst[len(dst)-1] == ' ' {
		dst = dst[:len(dst)-1]
	}
	return append(dst, '\n')
}

// appendMessage unescapes a JSON string body for reading, except that
// escaped line breaks and control characters stay escaped: one log entry is
// one line.
func appendMessage(dst, s []byte) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case '"', '\\', '/':
				dst = append(dst, s[i+1])
				i++
				continue
			case 't':
				dst = append(dst, '\t')
				i++
				continue
			}
		}
		if c < 0x20 {
			c = ' '
		}
		dst = append(dst, c)
	}
	return dst
}

// appendValue writes a field value: a plain string bare, a string that
// needs quoting (empty, spaces, '=', escapes) in its JSON form, anything
// else (numbers, booleans, objects) as its JSON text.
func appendValue(dst, v []byte) []byte {
	if len(v) >= 2 && v[0] == '"' {
		body := v[1 : len(v)-1]
		if len(body) > 0 && bare(body) {
			return append(dst, body...)
		}
	}
	return appendOneLine(dst, v)
}

func bare(s []byte) bool {
	for _, c := range s {
		if c <= ' ' || c == '=' || c == '\\' || c == '"' {
			return false
		}
	}
	return true
}

// appendOneLine appends b with raw line breaks and control characters
// replaced by spaces.
func appendOneLine(dst, b []byte) []byte {
	for _, c := range b {
		if c < 0x20 {
			c = ' '
		}
		dst = append(dst, c)
	}
	return dst
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// scanner walks the members of a JSON object, just far enough to find
// where each key and value starts and ends.
type scanner struct {
	b []byte
	i int
}

// member returns the next key (without quotes) and raw value. more is false
// at the closing brace; good is false when the input is not a well-formed
// object.
func (s *scanner) member() (key, val []byte, more, good bool) {
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == ',' {
		s.i++
		s.ws()
	}
	if s.i >= len(s.b) {
		return nil, nil, false, false
	}
	if s.b[s.i] == '}' {
		s.i++
		s.ws()
		return nil, nil, false, s.i == len(s.b)
	}
	ks := s.i
	if !s.str() {
		return nil, nil, false, false
	}
	key = s.b[ks+1 : s.i-1]
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != ':' {
		return nil, nil, false, false
	}
	s.i++
	s.ws()
	vs := s.i
	if !s.value() {
		return nil, nil, false, false
	}
	return key, s.b[vs:s.i], true, true
}

func (s *scanner) ws() {
	for s.i < len(s.b) && isSpace(s.b[s.i]) {
		s.i++
	}
}

// str skips a string starting at the opening quote.
func (s *scanner) str() bool {
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return false
	}
	for s.i++; s.i < len(s.b); s.i++ {
		switch s.b[s.i] {
		case '\\':
			s.i++
		case '"':
			s.i++
			return true
		}
	}
	return false
}

// value skips one JSON value; objects and arrays are skipped by depth.
func (s *scanner) value() bool {
	if s.i >= len(s.b) {
		return false
	}
	switch s.b[s.i] {
	case '"':
		return s.str()
	case '{', '[':
		depth := 0
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case '"':
				if !s.str() {
					return false
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					s.i++
					return true
				}
			}
			s.i++
		}
		return false
	}
	start := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		if c == ',' || c == '}' || c == ']' || isSpace(c) {
			break
		}
		s.i++
	}
	return s.i > start
}

// appendJSONString appends s as a JSON string.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}
