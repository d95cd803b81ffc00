package fctest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/internal/jsonstr"
	"github.com/fcgo/fcgo/logging"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
)

// Result is one answer and the log lines of that invocation. It is a plain
// value owned by the caller: nothing in it changes after Do returns.
type Result struct {
	StatusCode int         // HTTP status
	FCStatus   int         // x-fc-status, 0 when absent
	Header     http.Header // response headers (canonical keys)
	Body       []byte      // response body, never nil
	RequestID  string      // x-fc-request-id of the request ("" when it had none)
	// Log holds the stdout lines of this invocation, without newlines:
	// its start and end markers and its application lines, in the order
	// they were written, picked from the server's log by RequestID
	// (lines outside any invocation carry no id and are not included).
	Log []string

	kind string // kindEvent, kindHTTP, a hook's marker word, or ""
}

// LogLine is one application line of an invocation, parsed from either
// layout: text "<time> <id> [LEVEL] message k=v …" or JSON.
type LogLine struct {
	Level string // "INFO", "WARN" …: upper case, without brackets; "" for a JSON line without level
	// Message is the log message, unescaped.
	Message string
	// Fields is the "k=v …" rest of a text line. In the text layout the
	// message ends where the first word containing "=" starts, so a
	// message that itself holds one is cut there; AssertLogLine matches
	// the message and fields as written and is not affected. JSON lines
	// give their other members in the same k=v form.
	Fields    string
	Time      string // the timestamp as written
	RequestID string // the request id stamped on the line
	Raw       string // the whole line
}

// LogLines returns the application lines of the invocation (Log without
// its markers), parsed.
func (r *Result) LogLines() []LogLine {
	var out []LogLine
	for _, l := range r.Log {
		if isMarker(l) {
			continue
		}
		out = append(out, parseLine(l))
	}
	return out
}

// JSON decodes Body into v with encoding/json, failing t (without stopping
// it) when it does not decode.
func (r *Result) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		assert.Fail(t, "fctest: response body is not the JSON expected", "decoding into %T: %v\nbody: %q", v, err, r.Body)
	}
}

// AssertSuccess checks that the invocation succeeded as FC sees it: for an
// event, status 200 and x-fc-status: 200; for an HTTP invoke or a hook, a
// 2xx status; and in both cases one start and one end marker without the
// failure suffix ([Result.AssertMarkers]). It reports the body and the log
// when it fails, and returns whether all held.
func (r *Result) AssertSuccess(t testing.TB) bool {
	t.Helper()
	ok := true
	if r.kind == kindEvent {
		ok = assert.Equal(t, 200, r.StatusCode, "fctest: event status; body: %s", r.Body) && ok
		ok = assert.Equal(t, 200, r.FCStatus, "fctest: x-fc-status of the event answer") && ok
	} else {
		ok = assert.True(t, r.StatusCode >= 200 && r.StatusCode < 300,
			"fctest: status %d is not 2xx; body: %s", r.StatusCode, r.Body) && ok
	}
	return r.AssertMarkers(t, false) && ok
}

// AssertErrorType checks that an event invocation failed as SPEC §4 says,
// with errorType: status 404, x-fc-status: 404, Content-Type
// application/json, a body {"errorMessage","errorType",…} with that
// errorType, and an end marker with the failure suffix. It fails for
// requests other than event invocations: hooks and HTTP invokes answer
// with a status of their own (check StatusCode and AssertMarkers).
func (r *Result) AssertErrorType(t testing.TB, errorType string) bool {
	t.Helper()
	if r.kind != kindEvent {
		return assert.Fail(t, "fctest: AssertErrorType applies to event invocations",
			"this request was not an event invocation (status %d, body %q)", r.StatusCode, r.Body)
	}
	ok := assert.Equal(t, 404, r.StatusCode, "fctest: status of a failed event; body: %s", r.Body)
	ok = assert.Equal(t, 404, r.FCStatus, "fctest: x-fc-status of a failed event") && ok
	ok = assert.Equal(t, "application/json", r.Header.Get("Content-Type"), "fctest: Content-Type of the failure body") && ok
	var resp event.ErrorResponse
	if err := json.Unmarshal(r.Body, &resp); err != nil {
		ok = assert.Fail(t, "fctest: the failure body is not JSON", "%v; body: %q", err, r.Body) && ok
	} else {
		ok = assert.Equal(t, errorType, resp.ErrorType, "fctest: errorType (errorMessage %q)", resp.ErrorMessage) && ok
	}
	return r.AssertMarkers(t, true) && ok
}

// AssertMarkers checks the invocation's marker lines (SPEC §6): exactly one
// start and, after it, one end marker with this request id, of the kind
// the request was (Invoke for events and HTTP invokes, Initialize,
// PreFreeze or PreStop for hooks), the end one ending in
// ", Error: Unhandled function error" if and only if failed.
func (r *Result) AssertMarkers(t testing.TB, failed bool) bool {
	t.Helper()
	var markers []string
	for _, l := range r.Log {
		if isMarker(l) {
			markers = append(markers, l)
		}
	}
	word := r.kind
	if word == kindEvent || word == kindHTTP {
		word = logging.KindInvoke.String()
	}
	id := loggedID(r.RequestID)
	end := "FC " + word + " End RequestId: " + id
	if failed {
		end += logging.FailureSuffix
	}
	want := []string{"FC " + word + " Start RequestId: " + id, end}
	return assert.Equal(t, want, markers, "fctest: marker lines of request %q; its log:\n%s",
		r.RequestID, strings.Join(r.Log, "\n"))
}

// AssertLogLine checks that the invocation logged, at level ("INFO",
// "warn" … in any case), a line whose message starts with message; in the
// text layout the prefix is matched against the message and fields as
// written ("greeting name=Ada" matches). It reports the invocation's lines
// when none matches.
func (r *Result) AssertLogLine(t testing.TB, level, message string) bool {
	t.Helper()
	level = strings.ToUpper(level)
	for _, l := range r.LogLines() {
		if l.Level != level {
			continue
		}
		if strings.HasPrefix(l.Message, message) || strings.HasPrefix(l.text(), message) {
			return true
		}
	}
	return assert.Fail(t, "fctest: log line not found",
		"no [%s] line starting with %q for request %q; its log:\n%s", level, message, r.RequestID, strings.Join(r.Log, "\n"))
}

// text returns the message and fields as the text layout writes them.
func (l LogLine) text() string {
	switch {
	case l.Fields == "":
		return l.Message
	case l.Message == "":
		return l.Fields
	}
	return l.Message + " " + l.Fields
}

// isMarker reports whether line is a marker ("FC <Kind> Start|End
// RequestId: …").
func isMarker(line string) bool {
	return strings.HasPrefix(line, "FC ") && strings.Contains(line, " RequestId: ")
}

// loggedID is id as markers and text lines show it (spaces and control
// characters become '?').
func loggedID(id string) string {
	m := string(logging.AppendStart(nil, logging.KindInvoke, id))
	return strings.TrimSuffix(strings.TrimPrefix(m, "FC Invoke Start RequestId: "), "\n")
}

// invocationLines returns the lines of log that belong to request id:
// markers naming it and application lines stamped with it.
func invocationLines(log, id string) []string {
	var out []string
	// The id as the logger writes it: spaces and control characters made
	// '?' in markers and text lines, JSON-escaped (not HTML) in JSON.
	safeID := loggedID(id)
	jsonID := `,"requestId":` + string(jsonstr.Append(nil, id))
	for _, l := range split(log) {
		switch {
		case isMarker(l):
			rest := l[strings.Index(l, " RequestId: ")+len(" RequestId: "):]
			if rest == safeID || rest == safeID+logging.FailureSuffix {
				out = append(out, l)
			}
		case strings.HasPrefix(l, "{"):
			if id != "" && strings.Contains(l, jsonID) {
				out = append(out, l)
			}
		default:
			if _, rest, ok := strings.Cut(l, " "); ok && id != "" && strings.HasPrefix(rest, safeID+" [") {
				out = append(out, l)
			}
		}
	}
	return out
}

// parseLine parses one application line of either layout.
func parseLine(raw string) LogLine {
	if strings.HasPrefix(raw, "{") {
		if l, ok := parseJSONLine(raw); ok {
			return l
		}
	}
	l := LogLine{Raw: raw}
	rest := raw
	l.Time, rest, _ = strings.Cut(rest, " ")
	if !strings.HasPrefix(rest, "[") {
		l.RequestID, rest, _ = strings.Cut(rest, " ")
	}
	if lv, after, ok := strings.Cut(rest, "] "); ok && strings.HasPrefix(lv, "[") {
		l.Level, rest = lv[1:], after
	} else if strings.HasPrefix(rest, "[") && strings.HasSuffix(rest, "]") {
		l.Level, rest = rest[1:len(rest)-1], ""
	}
	l.Message, l.Fields = splitFields(rest)
	return l
}

// splitFields cuts s before its first word of the form key=… .
func splitFields(s string) (message, fields string) {
	for i := 0; i < len(s); {
		word := s[i:]
		if j := strings.IndexByte(word, ' '); j >= 0 {
			word = word[:j]
		}
		if k := strings.IndexByte(word, '='); k > 0 && !strings.ContainsAny(word[:k], `"\`) {
			return strings.TrimSuffix(s[:i], " "), s[i:]
		}
		i += len(word) + 1
	}
	return s, ""
}

// parseJSONLine parses a JSON-layout line, keeping its members' order.
func parseJSONLine(raw string) (LogLine, bool) {
	l := LogLine{Raw: raw}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return l, false
	}
	var fields []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return l, false
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return l, false
		}
		var s string
		isString := json.Unmarshal(v, &s) == nil
		switch {
		case key == "time" && isString:
			l.Time = s
		case key == "requestId" && isString:
			l.RequestID = s
		case key == zerolog.LevelFieldName && isString:
			l.Level = strings.ToUpper(s)
		case key == zerolog.MessageFieldName && isString:
			l.Message = s
		default:
			if isString && s != "" && !strings.ContainsAny(s, " =\"\\") {
				fields = append(fields, key+"="+s)
			} else {
				var c bytes.Buffer
				if json.Compact(&c, v) != nil {
					return l, false
				}
				fields = append(fields, fmt.Sprintf("%s=%s", key, c.String()))
			}
		}
	}
	l.Fields = strings.Join(fields, " ")
	return l, true
}
