package logging

import (
	"bytes"
	"time"

	"github.com/fcgo/fcgo/internal/jsonstr"
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

// levelText is the bracketed level of the text layout, with its space.
func levelText(l zerolog.Level) string {
	if l >= zerolog.TraceLevel && l <= zerolog.PanicLevel {
		return levelTexts[l-zerolog.TraceLevel]
	}
	return "[INFO] "
}

var levelTexts = [...]string{
	0:                                       "[TRACE] ", // zerolog.TraceLevel - zerolog.TraceLevel
	zerolog.DebugLevel - zerolog.TraceLevel: "[DEBUG] ",
	zerolog.InfoLevel - zerolog.TraceLevel:  "[INFO] ",
	zerolog.WarnLevel - zerolog.TraceLevel:  "[WARN] ",
	zerolog.ErrorLevel - zerolog.TraceLevel: "[ERROR] ",
	zerolog.FatalLevel - zerolog.TraceLevel: "[FATAL] ",
	zerolog.PanicLevel - zerolog.TraceLevel: "[PANIC] ",
}

// lineCtx is what the lines of one invocation share: the request id and
// the text of the last second stamped, reused while the clock stays in it.
type lineCtx struct {
	requestID string
	idSafe    bool // requestID holds no control character
	sec       int64
	secText   [len("2006-01-02T15:04:05")]byte
	haveSec   bool
}

func newLineCtx(requestID string) lineCtx {
	return lineCtx{requestID: requestID, idSafe: isSafe(requestID)}
}

// appendTime appends now as appendTime does, formatting the date and clock
// only when the second changed since the last line.
func (c *lineCtx) appendTime(dst []byte, now time.Time) []byte {
	sec := now.Unix()
	if !c.haveSec || sec != c.sec {
		var full [len(timeLayout)]byte
		if b := appendTime(full[:0], now); len(b) != len(timeLayout) {
			return appendTime(dst, now) // a year outside 0–9999
		}
		copy(c.secText[:], full[:])
		c.sec, c.haveSec = sec, true
	}
	ms := now.Nanosecond() / int(time.Millisecond)
	dst = append(dst, c.secText[:]...)
	return append(dst, '.', byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10), 'Z')
}

// appendLine converts one zerolog JSON line into the chosen layout and
// appends it, newline included, to dst.
func appendLine(dst []byte, f Format, now time.Time, c *lineCtx, level zerolog.Level, line []byte) []byte {
	if f == JSON {
		return appendJSONLine(dst, now, c, line)
	}
	return appendTextLine(dst, now, c, level, line)
}

// appendJSONLine inserts "time" and "requestId" at the front of zerolog's
// object. Anything that is not one well-formed JSON object (a hand-made
// Write, a RawJSON field holding garbage) is wrapped whole as the message,
// so every line stays one valid JSON object.
func appendJSONLine(dst []byte, now time.Time, c *lineCtx, line []byte) []byte {
	line = trimSpace(line)
	dst = append(dst, `{"time":"`...)
	dst = c.appendTime(dst, now)
	dst = append(dst, '"')
	if c.requestID != "" {
		dst = append(dst, `,"requestId":`...)
		dst = jsonstr.Append(dst, c.requestID)
	}
	s := scanner{b: line, i: 1}
	ok := len(line) >= 2 && line[0] == '{'
	for ok {
		_, _, more, good := s.member()
		ok = good
		if !more {
			break
		}
	}
	if !ok {
		dst = append(dst, `,"message":`...)
		dst = jsonstr.Append(dst, line)
		return append(dst, '}', '\n')
	}
	rest := trimSpace(line[1:])
	if rest[0] != '}' {
		dst = append(dst, ',')
	}
	if hasBreak(rest) {
		// Pretty-printed input: its line breaks sit between tokens, where
		// a space means the same.
		dst = appendOneLine(dst, rest)
	} else {
		dst = append(dst, rest...)
	}
	return append(dst, '\n')
}

// appendTextLine writes "time id [LEVEL] message k=v …". zerolog's output is
// valid JSON, but a hand-made Write or a RawJSON field may not be: anything
// the scanner cannot follow is kept, on one line, as the message.
func appendTextLine(dst []byte, now time.Time, c *lineCtx, level zerolog.Level, line []byte) []byte {
	dst = c.appendTime(dst, now)
	dst = append(dst, ' ')
	if c.requestID != "" {
		if c.idSafe {
			dst = append(dst, c.requestID...)
		} else {
			dst = appendSafe(dst, c.requestID)
		}
		dst = append(dst, ' ')
	}
	dst = append(dst, levelText(level)...)

	line = trimSpace(line)
	body := len(dst)
	var ok bool
	if dst, ok = appendTextBody(dst, line); !ok {
		dst = appendTextBodySlow(dst[:body], line)
	}
	// The level is followed by a space; drop it, and any other trailing
	// blank, when nothing or only blanks came after.
	for dst[len(dst)-1] == ' ' {
		dst = dst[:len(dst)-1]
	}
	return append(dst, '\n')
}

// appendTextBody is the one-pass conversion of the usual zerolog line: a
// well-formed object with no whitespace between its tokens (zerolog writes
// none) and at most one string "message" (zerolog writes it last). Fields
// are written as they are met; the message, written after them, is then
// moved in front. It reports false, with dst to be cut back, for anything
// else, which appendTextBodySlow handles. It checks the JSON grammar as
// strictly as the scanner does.
func appendTextBody(dst, line []byte) ([]byte, bool) {
	n := len(line)
	if n < 2 || line[0] != '{' || line[n-1] != '}' {
		return dst, false
	}
	if n == 2 {
		return dst, true
	}
	levelKey, messageKey := zerolog.LevelFieldName, zerolog.MessageFieldName
	start := len(dst)
	var msg []byte
	haveMsg := false
	for i := 1; ; {
		// The key: plain characters between quotes (an escaped key takes
		// the general path).
		if line[i] != '"' {
			return dst, false
		}
		ks := i + 1
		i = ks
		for i < n && jsonstr.Plain(line[i]) {
			i++
		}
		if i+1 >= n || line[i] != '"' || line[i+1] != ':' {
			return dst, false
		}
		k := line[ks:i]
		i += 2
		vs := i
		quote := true // the value must keep its quotes in the text layout
		if i < n && line[i] == '"' {
			i++
			class := uint8(0)
			for i < n && charClass[line[i]] != cStop {
				class |= charClass[line[i]]
				i++
			}
			if i < n && line[i] == '"' {
				quote = class != 0 || i == vs+1
				i++
			} else {
				var ok bool
				if i, ok = skipStr(line, vs); !ok {
					return dst, false
				}
			}
		} else {
			var ok bool
			if i, ok = skipValue(line, vs, 1); !ok {
				return dst, false
			}
		}
		v := line[vs:i]
		switch {
		case string(k) == levelKey:
		case string(k) == messageKey:
			if haveMsg || v[0] != '"' {
				return dst, false
			}
			msg, haveMsg = v[1:len(v)-1], true
		default:
			// Strings hold no raw control character (checked above),
			// so only a container's whitespace needs flattening.
			if len(dst) > start {
				dst = append(dst, ' ')
			}
			dst = append(dst, k...)
			dst = append(dst, '=')
			switch v[0] {
			case '"':
				if !quote {
					v = v[1 : len(v)-1]
				}
				dst = append(dst, v...)
			case '{', '[':
				dst = appendOneLine(dst, v)
			default:
				dst = append(dst, v...)
			}
		}
		if i >= n {
			return dst, false
		}
		if line[i] == '}' {
			if i != n-1 {
				return dst, false
			}
			break
		}
		if line[i] != ',' || i+1 >= n {
			return dst, false
		}
		i++
	}
	if !haveMsg {
		return dst, true
	}
	fieldsEnd := len(dst)
	fields := fieldsEnd - start
	if fields == 0 {
		return appendMessage(dst, msg), true
	}
	dst = appendMessage(dst, msg)
	m := len(dst) - fieldsEnd
	if m == 0 {
		return dst, true
	}
	// fields|message → fields|message|fields → message|' '|fields: three
	// moves within dst, so nothing on the stack needs clearing.
	dst = append(dst, dst[start:fieldsEnd]...)
	copy(dst[start:], dst[fieldsEnd:fieldsEnd+m])
	dst[start+m] = ' '
	copy(dst[start+m+1:], dst[fieldsEnd+m:])
	return dst[:start+m+1+fields], true
}

// Classes of bytes inside a JSON string, for the text layout.
const (
	cBare  = 0 // stands for itself and needs no quotes
	cQuote = 1 // stands for itself but needs quotes: ' ' or '='
	cStop  = 2 // ends the fast scan: '"', '\\' or a control character
)

var charClass = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case !jsonstr.Plain(byte(c)):
			t[c] = cStop
		case c == ' ' || c == '=':
			t[c] = cQuote
		}
	}
	return t
}()

// appendTextBodySlow converts any line: it finds the message first, then
// writes the fields, scanning twice when there are more than it can
// remember.
func appendTextBodySlow(dst, line []byte) []byte {
	levelKey, messageKey := zerolog.LevelFieldName, zerolog.MessageFieldName
	var fields [maxFields]memberSpan
	nFields, overflow := 0, false
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
			switch {
			case string(k) == levelKey:
				continue
			case string(k) == messageKey && len(v) >= 2 && v[0] == '"':
				msg, haveMsg = v[1:len(v)-1], true
			}
			if nFields < len(fields) {
				fields[nFields] = memberSpan{k, v}
				nFields++
			} else {
				overflow = true
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
	if !overflow {
		for _, f := range fields[:nFields] {
			if haveMsg && string(f.key) == messageKey {
				continue
			}
			dst = appendField(dst, fieldsStart, f.key, f.val)
		}
		return dst
	}
	for s := (scanner{b: line, i: 1}); ; {
		k, v, more, _ := s.member()
		if !more {
			break
		}
		if string(k) == levelKey || (haveMsg && string(k) == messageKey) {
			continue
		}
		dst = appendField(dst, fieldsStart, k, v)
	}
	return dst
}

// maxFields is how many fields appendTextBodySlow remembers from its first
// scan; zerolog lines rarely have more.
const maxFields = 24

type memberSpan struct{ key, val []byte }

// appendField appends " key=value", without the space when it would be the
// first thing after start.
func appendField(dst []byte, start int, k, v []byte) []byte {
	if len(dst) > start {
		dst = append(dst, ' ')
	}
	dst = appendOneLine(dst, k)
	dst = append(dst, '=')
	return appendValue(dst, v)
}

// appendMessage unescapes a JSON string body for reading, except that
// escaped line breaks and control characters stay escaped: one log entry is
// one line. s must have passed the scanner's check of strings, which lets
// no raw control character through.
func appendMessage(dst, s []byte) []byte {
	for {
		i := bytes.IndexByte(s, '\\')
		if i < 0 {
			return append(dst, s...)
		}
		dst = append(dst, s[:i]...)
		if i+1 >= len(s) {
			return append(dst, '\\')
		}
		switch e := s[i+1]; e {
		case '"', '\\', '/':
			dst = append(dst, e)
		case 't':
			dst = append(dst, '\t')
		default:
			dst = append(dst, '\\', e) // other escapes stay as they are
		}
		s = s[i+2:]
	}
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
	start := 0
	for i, c := range b {
		if c < 0x20 {
			dst = append(dst, b[start:i]...)
			dst = append(dst, ' ')
			start = i + 1
		}
	}
	return append(dst, b[start:]...)
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

// hasBreak reports whether b holds a line break or tab, which in a valid
// JSON text can only be whitespace between tokens.
func hasBreak(b []byte) bool {
	return bytes.IndexByte(b, '\n') >= 0 || bytes.IndexByte(b, '\r') >= 0 || bytes.IndexByte(b, '\t') >= 0
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// maxDepth bounds how deeply the scanner follows nested objects and arrays;
// deeper input is treated as malformed rather than recursed into.
const maxDepth = 100

// scanner walks the members of a JSON object. It checks the JSON grammar
// strictly (so a line that passes can be copied into JSON output as is)
// but decodes nothing: it only finds where each key and value starts and
// ends. The skip functions below take and return positions, so the hot
// loops keep them in registers.
type scanner struct {
	b []byte
	i int
	n int // members read so far
}

// member returns the next key (without quotes) and raw value of the
// object whose '{' the scanner has passed. more is false at the closing
// brace; good is false when the input is not one well-formed object.
func (s *scanner) member() (key, val []byte, more, good bool) {
	b := s.b
	i := skipWS(b, s.i)
	if i >= len(b) {
		return nil, nil, false, false
	}
	if b[i] == '}' {
		i = skipWS(b, i+1)
		s.i = i
		return nil, nil, false, i == len(b)
	}
	if s.n > 0 {
		if b[i] != ',' {
			return nil, nil, false, false
		}
		i = skipWS(b, i+1)
	}
	ks := i
	i, ok := skipStr(b, i)
	if !ok {
		return nil, nil, false, false
	}
	key = b[ks+1 : i-1]
	i = skipWS(b, i)
	if i >= len(b) || b[i] != ':' {
		return nil, nil, false, false
	}
	vs := skipWS(b, i+1)
	i, ok = skipValue(b, vs, 1)
	if !ok {
		return nil, nil, false, false
	}
	s.i = i
	s.n++
	return key, b[vs:i], true, true
}

func skipWS(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// skipStr skips the string whose opening quote is at b[i].
func skipStr(b []byte, i int) (int, bool) {
	if i >= len(b) || b[i] != '"' {
		return i, false
	}
	for i++; ; i++ {
		for i < len(b) && jsonstr.Plain(b[i]) {
			i++
		}
		if i >= len(b) {
			return i, false
		}
		switch b[i] {
		case '"':
			return i + 1, true
		case '\\':
			i++
			if i >= len(b) {
				return i, false
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(b) || !isHex(b[i+1]) || !isHex(b[i+2]) || !isHex(b[i+3]) || !isHex(b[i+4]) {
					return i, false
				}
				i += 4
			default:
				return i, false
			}
		default:
			return i, false // raw control characters are not allowed in JSON strings
		}
	}
}

// skipValue skips the value starting at b[i]; depth counts the objects and
// arrays already open around it.
func skipValue(b []byte, i, depth int) (int, bool) {
	if i >= len(b) {
		return i, false
	}
	switch c := b[i]; {
	case c == '"':
		return skipStr(b, i)
	case c == '{' || c == '[':
		return skipContainer(b, i, depth)
	case c == 't':
		return skipLiteral(b, i, "true")
	case c == 'f':
		return skipLiteral(b, i, "false")
	case c == 'n':
		return skipLiteral(b, i, "null")
	case c == '-' || ('0' <= c && c <= '9'):
		return skipNumber(b, i)
	}
	return i, false
}

// skipContainer skips the object or array whose bracket is at b[i].
func skipContainer(b []byte, i, depth int) (int, bool) {
	if depth >= maxDepth {
		return i, false
	}
	closing, isObject := byte(']'), b[i] == '{'
	if isObject {
		closing = '}'
	}
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == closing {
		return i + 1, true
	}
	for {
		var ok bool
		if isObject {
			if i, ok = skipStr(b, i); !ok {
				return i, false
			}
			i = skipWS(b, i)
			if i >= len(b) || b[i] != ':' {
				return i, false
			}
			i = skipWS(b, i+1)
		}
		if i, ok = skipValue(b, i, depth+1); !ok {
			return i, false
		}
		i = skipWS(b, i)
		if i >= len(b) {
			return i, false
		}
		switch b[i] {
		case ',':
			i = skipWS(b, i+1)
		case closing:
			return i + 1, true
		default:
			return i, false
		}
	}
}

func skipLiteral(b []byte, i int, lit string) (int, bool) {
	if len(b)-i < len(lit) || string(b[i:i+len(lit)]) != lit {
		return i, false
	}
	return i + len(lit), true
}

// skipNumber skips -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
func skipNumber(b []byte, i int) (int, bool) {
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		i = skipDigits(b, i)
	default:
		return i, false
	}
	if i < len(b) && b[i] == '.' {
		j := skipDigits(b, i+1)
		if j == i+1 {
			return j, false
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := skipDigits(b, i)
		if j == i {
			return j, false
		}
		i = j
	}
	return i, true
}

func skipDigits(b []byte, i int) int {
	for i < len(b) && '0' <= b[i] && b[i] <= '9' {
		i++
	}
	return i
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
