package logging

// Kind is what a marker line names: an invocation or one of the lifecycle
// hooks. HTTP invokes use [KindInvoke], as FC's own runtimes do.
type Kind uint8

// The kinds of marker lines FC recognises (SPEC §6).
const (
	KindInvoke Kind = iota
	KindInitialize
	KindPreFreeze
	KindPreStop
)

var kindNames = [...]string{
	KindInvoke:     "Invoke",
	KindInitialize: "Initialize",
	KindPreFreeze:  "PreFreeze",
	KindPreStop:    "PreStop",
}

// String returns the word FC uses in marker lines: Invoke, Initialize,
// PreFreeze or PreStop.
func (k Kind) String() string { return kindNames[k.index()] }

// FailureSuffix ends the end marker of a failed invocation or hook.
const FailureSuffix = ", Error: Unhandled function error"

// AppendStart appends "FC <Kind> Start RequestId: <id>\n" to b. In the
// id, spaces and control characters are written as '?' (FC's ids have
// none), so that a marker is always one line and the id one word.
func AppendStart(b []byte, k Kind, requestID string) []byte {
	return appendStart(b, k, requestID, false)
}

// AppendEnd appends "FC <Kind> End RequestId: <id>\n" to b, with
// [FailureSuffix] before the newline when failed is true.
func AppendEnd(b []byte, k Kind, requestID string, failed bool) []byte {
	return appendEnd(b, k, requestID, false, failed)
}

// appendStart is [AppendStart] for an id already known to need no
// replacement when idSafe is true (see [isSafe]).
func appendStart(b []byte, k Kind, requestID string, idSafe bool) []byte {
	b = append(b, markerPrefixes[k.index()].start...)
	b = appendID(b, requestID, idSafe)
	return append(b, '\n')
}

// appendEnd is [AppendEnd] for an id already known to need no replacement
// when idSafe is true (see [isSafe]).
func appendEnd(b []byte, k Kind, requestID string, idSafe, failed bool) []byte {
	b = append(b, markerPrefixes[k.index()].end...)
	b = appendID(b, requestID, idSafe)
	if failed {
		b = append(b, FailureSuffix...)
	}
	return append(b, '\n')
}

// appendID appends a request id: as it is when idSafe, else through
// appendSafe.
func appendID(b []byte, id string, idSafe bool) []byte {
	if idSafe {
		return append(b, id...)
	}
	return appendSafe(b, id)
}

// index returns k's place in kindNames; an unknown Kind is written as
// Invoke, as String writes it.
func (k Kind) index() int {
	if int(k) < len(kindNames) {
		return int(k)
	}
	return int(KindInvoke)
}

// markerPrefixes holds each kind's markers up to the request id: "FC
// Invoke Start RequestId: " and "FC Invoke End RequestId: ".
var markerPrefixes = func() (p [len(kindNames)]struct{ start, end string }) {
	for k := range p {
		p[k].start = "FC " + kindNames[k] + " Start RequestId: "
		p[k].end = "FC " + kindNames[k] + " End RequestId: "
	}
	return p
}()

// isSafe reports whether appendSafe would copy s unchanged.
func isSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		if unsafeInID(s[i]) {
			return false
		}
	}
	return true
}

// unsafeInID reports whether c may not appear as itself in a request id on
// a marker or text line: a control character would break the line, and a
// space would let an id such as "x [ERROR] forged" pass for the fields
// after it. FC's own ids have neither.
func unsafeInID(c byte) bool { return c <= ' ' || c == 0x7f }

// appendSafe appends s with spaces, line breaks and other control
// characters replaced by '?': a request id comes from a header and must
// never break a marker or log line in two, nor blur where its fields begin.
func appendSafe(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		if unsafeInID(s[i]) {
			b = append(b, s[start:i]...)
			b = append(b, '?')
			start = i + 1
		}
	}
	return append(b, s[start:]...)
}
