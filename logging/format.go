package logging

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"slices"
	"sync/atomic"
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

// lineCtx is what the lines of one invocation share: the request id, and
// the Logger's text of the last second stamped.
type lineCtx struct {
	requestID string
	idSafe    bool                   // requestID holds no control character
	stamps    *atomic.Pointer[stamp] // the Logger's last second stamped
}

// stamp is the text of one second, as appendTime writes it up to the
// milliseconds.
type stamp struct {
	sec  int64
	text [len("2006-01-02T15:04:05")]byte
}

func newLineCtx(requestID string, stamps *atomic.Pointer[stamp]) lineCtx {
	return lineCtx{requestID: requestID, idSafe: isSafe(requestID), stamps: stamps}
}

// appendTime appends now as appendTime does, formatting the date and clock
// only when the second changed since the last line of the Logger (an
// invocation mostly logs a line or two, so a second kept per invocation
// would be formatted afresh for nearly every line). A new second is kept
// in a new stamp, which concurrent lines only ever read: an allocation a
// second while lines are logged (a few more when lines read clocks on both
// sides of a second's end at once), so a line's 0 allocations are an
// average over lines.
func (c *lineCtx) appendTime(dst []byte, now time.Time) []byte {
	sec := now.Unix()
	st := c.stamps.Load()
	if st == nil || st.sec != sec {
		var full [len(timeLayout)]byte
		if b := appendTime(full[:0], now); len(b) != len(timeLayout) {
			return appendTime(dst, now) // a year outside 0–9999
		}
		st = &stamp{sec: sec}
		copy(st.text[:], full[:])
		c.stamps.Store(st)
	}
	ms := now.Nanosecond() / int(time.Millisecond)
	dst = append(dst, st.text[:]...)
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
// none) and at most one string "message". Fields are written as they are
// met; the message, when met, is written in front of them. It reports
// false, with dst to be cut back, for anything else, which
// appendTextBodySlow handles. It checks the JSON grammar as strictly as the
// scanner does.
//
// Its loop takes the members zerolog usually writes (plain strings, simple
// numbers, literals, the message last), reading eight bytes at a time,
// and calls nothing: Go keeps no register across a call, and saving them
// would cost more than the work between calls. From the first member it
// does not take, appendMembers goes on.
func appendTextBody(dst, line []byte) ([]byte, bool) {
	n := len(line)
	if n < 2 || line[0] != '{' || line[n-1] != '}' {
		return dst, false
	}
	if n == 2 {
		return dst, true
	}
	start := len(dst)
	// The text is never longer than the line: a member loses its key's
	// quotes and ':' and gains a '=', its ',' becomes a space, and the
	// message loses its key. With room for the line and for one more
	// store of 16 bytes (see copyRun), every write stays within out,
	// which shares dst's array.
	dst = slices.Grow(dst, n+16)
	out := dst[:cap(dst)]
	keys := currentFieldKeys()
	if n < 8 || !keys.short {
		return appendMembers(out, start, start, line, 1, keys)
	}
	w := start
	for i := 1; ; {
		// The key: plain bytes between quotes (an escaped key takes the
		// slow path), most often fewer than eight.
		if line[i] != '"' {
			return out[:start], false
		}
		ks := i + 1
		ke := ks
		kw := wordAt(line, ks)
		if stop, _ := classify(kw); stop != 0 {
			ke += bits.TrailingZeros64(stop) / 8
		} else if stop, _ = classify(wordAt(line, ks+8)); stop != 0 {
			ke += 8 + bits.TrailingZeros64(stop)/8
		} else {
			return appendMembers(out, start, w, line, i, keys)
		}
		kv := wordAt(line, ke) // '"', ':' and the value's first bytes
		if uint16(kv) != '"'|':'<<8 {
			return out[:start], false
		}
		kv >>= 16

		// The value, line[vs:ve].
		vs := ke + 2
		ve := vs
		bare := false // a string to write without its quotes
		switch c := byte(kv); {
		case c == '"':
			ve++
			var special uint64 // ' ' and '=', which need the quotes
			for {
				stop, sp := classify(wordAt(line, ve))
				if stop != 0 {
					special |= sp & (stop - 1)
					ve += bits.TrailingZeros64(stop) / 8
					break
				}
				special |= sp
				ve += 8
			}
			if ve >= n || line[ve] != '"' {
				return appendMembers(out, start, w, line, i, keys) // an escape
			}
			ve++
			bare = special == 0 && ve > vs+2
		case '0' <= c && c <= '9' || c == '-':
			// -?(0|[1-9][0-9]*)(\.[0-9]+)? before the next member;
			// exponents and malformed numbers are appendMembers'.
			if c == '-' {
				ve++
			}
			d := ve
			for ve < n && '0' <= line[ve] && line[ve] <= '9' {
				ve++
			}
			ok := ve > d && (line[d] != '0' || ve == d+1)
			if ve < n && line[ve] == '.' {
				ve++
				f := ve
				for ve < n && '0' <= line[ve] && line[ve] <= '9' {
					ve++
				}
				ok = ok && ve > f
			}
			if !ok || ve >= n || line[ve] != ',' && line[ve] != '}' {
				return appendMembers(out, start, w, line, i, keys)
			}
		case uint32(kv) == wordTrue, uint32(kv) == wordNull:
			ve += 4
		case kv&(1<<40-1) == wordFalse:
			ve += 5
		default:
			return appendMembers(out, start, w, line, i, keys)
		}

		switch {
		case keys.level.is(kw, ke-ks):
		case keys.message.is(kw, ke-ks):
			if line[vs] != '"' {
				return out[:start], false
			}
			if ve != n-1 {
				return appendMembers(out, start, w, line, i, keys) // not last
			}
			// Last, and without escapes (see above): its text is its
			// JSON string's, in front of the fields.
			msg := line[vs+1 : ve-1]
			switch {
			case len(msg) == 0:
				return out[:w], true
			case w == start:
				return out[:copyRun(out, start, line, vs+1, ve-1)], true
			}
			copy(out[start+len(msg)+1:], out[start:w])
			copy(out[start:], msg)
			out[start+len(msg)] = ' '
			return out[:w+len(msg)+1], true
		default:
			if w > start {
				out[w] = ' '
				w++
			}
			if ke-ks < 8 {
				binary.LittleEndian.PutUint64(out[w:w+8], kw)
				w += ke - ks
			} else {
				w = copyRun(out, w, line, ks, ke)
			}
			out[w] = '='
			w++
			if bare {
				w = copyRun(out, w, line, vs+1, ve-1)
			} else {
				w = copyRun(out, w, line, vs, ve)
			}
		}

		if ve >= n {
			return out[:start], false
		}
		switch line[ve] {
		case ',':
			i = ve + 1
		case '}':
			if ve != n-1 {
				return out[:start], false
			}
			return out[:w], true
		default:
			return out[:start], false
		}
	}
}

// Literals as little-endian words, for wordAt.
const (
	wordTrue  = 't' | 'r'<<8 | 'u'<<16 | 'e'<<24
	wordNull  = 'n' | 'u'<<8 | 'l'<<16 | 'l'<<24
	wordFalse = 'f' | 'a'<<8 | 'l'<<16 | 's'<<24 | 'e'<<32
)

// appendMembers goes on with appendTextBody's conversion from the member
// at line[i], with the fields so far at out[start:w] and no message met:
// it takes every member the scanner does, at a call or more each. It
// returns out up to the end of the text, or out[:start] and false.
func appendMembers(out []byte, start, w int, line []byte, i int, keys *fieldKeys) ([]byte, bool) {
	n := len(line)
	haveMsg := false
	for {
		// The key: plain characters between quotes (an escaped key takes
		// the slow path).
		if i >= n || line[i] != '"' {
			return out[:start], false
		}
		ks := i + 1
		j, _ := scanString(line, ks)
		if j+1 >= n || line[j] != '"' || line[j+1] != ':' {
			return out[:start], false
		}
		ke := j
		vs := j + 2

		// The value. A string keeps its quotes when it is empty or holds
		// a byte that needs them (escapes stay escaped, so need them).
		quote := true
		var ok bool
		if line[vs] == '"' {
			var special bool
			if j, special = scanString(line, vs+1); j < n && line[j] == '"' {
				quote = special || j == vs+1
				j++
			} else if j, ok = skipStr(line, vs); !ok {
				return out[:start], false
			}
		} else if j, ok = skipValue(line, vs, 1); !ok {
			return out[:start], false
		}

		switch k := string(line[ks:ke]); {
		case k == keys.level.s:
		case k == keys.message.s:
			if haveMsg || line[vs] != '"' {
				return out[:start], false
			}
			haveMsg = true
			w = insertMessage(out, start, w, line[vs+1:j-1])
		default:
			if w > start {
				out[w] = ' '
				w++
			}
			w = copyRun(out, w, line, ks, ke)
			out[w] = '='
			w++
			switch {
			case line[vs] == '{' || line[vs] == '[':
				// Strings hold no raw control character (checked
				// above), so only a container's whitespace needs
				// flattening.
				w = len(appendOneLine(out[:w], line[vs:j]))
			case quote:
				w = copyRun(out, w, line, vs, j)
			default:
				w = copyRun(out, w, line, vs+1, j-1)
			}
		}

		if j >= n {
			return out[:start], false
		}
		if line[j] == '}' {
			if j != n-1 {
				return out[:start], false
			}
			return out[:w], true
		}
		if line[j] != ',' {
			return out[:start], false
		}
		i = j + 1
	}
}

// fieldKeys are zerolog's level and message field names as wordKeys.
type fieldKeys struct {
	level, message wordKey
	short          bool // both are short
}

// lastFieldKeys caches the fieldKeys of the names last seen: the
// application owns zerolog's names and may set them, normally once.
var lastFieldKeys atomic.Pointer[fieldKeys]

// currentFieldKeys returns the fieldKeys of zerolog's current names.
func currentFieldKeys() *fieldKeys {
	level, message := zerolog.LevelFieldName, zerolog.MessageFieldName
	if k := lastFieldKeys.Load(); k != nil && k.level.s == level && k.message.s == message {
		return k
	}
	k := &fieldKeys{level: newWordKey(level), message: newWordKey(message)}
	k.short = k.level.short && k.message.short
	lastFieldKeys.Store(k)
	return k
}

// wordKey is a field name to look for, with its bytes as a little-endian
// word when it has at most eight, so that a key compares without a call.
type wordKey struct {
	s          string
	word, mask uint64 // s in the low bytes of word; mask selects them
	short      bool   // len(s) <= 8
}

func newWordKey(s string) wordKey {
	k := wordKey{s: s, short: len(s) <= 8}
	if k.short {
		for i := len(s) - 1; i >= 0; i-- {
			k.word = k.word<<8 | uint64(s[i])
		}
		k.mask = ^uint64(0) >> (64 - 8*len(s)) // 0 for ""
	}
	return k
}

// is reports whether a key of n bytes whose first word is kw is k, which
// must be short.
func (k *wordKey) is(kw uint64, n int) bool {
	return n == len(k.s) && kw&k.mask == k.word
}

// load64 returns the eight bytes of b from i on as a little-endian word.
func load64(b []byte, i int) uint64 { return binary.LittleEndian.Uint64(b[i : i+8]) }

// wordAt returns the eight bytes of b from i on as a little-endian word,
// with zero bytes for those past the end of b; i <= len(b), and b must
// have eight bytes at least. Zero bytes are control characters, so a
// scan of a string that reads words stops at len(b) at the latest.
func wordAt(b []byte, i int) uint64 {
	if i+8 <= len(b) {
		return load64(b, i)
	}
	return load64(b, len(b)-8) >> (8 * uint(i+8-len(b)))
}

// copyRun copies line[from:to] to out[w:] and returns the end of the copy
// in out. It moves 16 bytes at a time, which is cheaper than a call to
// copy for short runs, and may store up to 15 bytes past the copy: out
// needs that room. The last bytes of line, which such a read would
// overrun, it copies one by one.
func copyRun(out []byte, w int, line []byte, from, to int) int {
	for from < to && from+16 <= len(line) {
		*(*[16]byte)(out[w : w+16]) = *(*[16]byte)(line[from : from+16])
		k := min(to-from, 16)
		w += k
		from += k
	}
	for ; from < to; from++ {
		out[w] = line[from]
		w++
	}
	return w
}

// insertMessage writes the message (the JSON string body msg) at
// out[start:], in front of the fields already written to out[start:w],
// with a space between them, and returns the new end of the fields. out
// must have room for the fields, msg and a byte more.
func insertMessage(out []byte, start, w int, msg []byte) int {
	if w == start {
		return len(appendMessage(out[:start], msg))
	}
	// Move the fields out of the way by as much as the message can take
	// (unescaping only shortens it), write it, and close the gap.
	gap := len(msg) + 1
	copy(out[start+gap:], out[start:w])
	m := len(appendMessage(out[:start], msg)) - start
	if m > 0 {
		out[start+m] = ' '
		m++
	}
	if m < gap {
		copy(out[start+m:], out[start+gap:w+gap])
	}
	return w + m
}

// scanString returns the index of the first byte of b, from i on, that
// does not stand for itself in a JSON string ('"', '\\' or a control
// character), or len(b) if there is none; and whether a byte that needs
// quoting in the text layout (' ' or '=') came before it. It reads eight
// bytes at a time.
func scanString(b []byte, i int) (int, bool) {
	var special uint64
	for ; i+8 <= len(b); i += 8 {
		stop, sp := classify(load64(b, i))
		if stop != 0 {
			return i + bits.TrailingZeros64(stop)/8, special|sp&(stop-1) != 0
		}
		special |= sp
	}
	if i < len(b) && len(b) >= 8 {
		stop, sp := classify(wordAt(b, i)) // stops at len(b) at the latest
		return i + bits.TrailingZeros64(stop)/8, special|sp&(stop-1) != 0
	}
	for ; i < len(b); i++ {
		switch charClass[b[i]] {
		case cStop:
			return i, special != 0
		case cQuote:
			special = 1
		}
	}
	return i, special != 0
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

// SWAR constants: the same byte in every byte of a word.
const (
	ones = 0x0101010101010101
	low7 = 0x7f * ones
	high = 0x80 * ones
)

// classify looks at the eight bytes of x at once, the first in its lowest
// byte. It returns the words with the high bit set in each byte that ends a
// run of plain string bytes ('"', '\\' or a control character; a byte of
// charClass cStop), and in each ' ' or '=' (cQuote). No sum carries from
// one byte into the next: each adds at most 0x7f to a byte below 0x80.
func classify(x uint64) (stop, quote uint64) {
	l := x & low7
	notCtl := l + (0x80-0x20)*ones  // high bit set where l >= 0x20
	notQuote := l ^ '"'*ones + low7 // high bit set where l != '"'
	notBackslash := l ^ '\\'*ones + low7
	stop = ^(notCtl&notQuote&notBackslash | x) & high
	notSpace := l ^ ' '*ones + low7
	notEquals := l ^ '='*ones + low7
	quote = ^(notSpace&notEquals | x) & high
	return stop, quote
}

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
