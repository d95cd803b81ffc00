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
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Invoke"
}

// FailureSuffix ends the end marker of a failed invocation or hook.
const FailureSuffix = ", Error: Unhandled function error"

// AppendStart appends "FC <Kind> Start RequestId: <id>\n" to b. In the
// id, spaces and control characters are written as '?' (FC's ids have
// none), so that a marker is always one line and the id one word.
func AppendStart(b []byte, k Kind, requestID string) []byte {
	b = append(b, "FC "...)
	b = append(b, k.String()...)
	b = append(b, " Start RequestId: "...)
	b = appendSafe(b, requestID)
	return append(b, '\n')
}

// AppendEnd appends "FC <Kind> End RequestId: <id>\n" to b, with
// [FailureSuffix] before the newline when failed is true.
func AppendEnd(b []byte, k Kind, requestID string, failed bool) []byte {
	b = append(b, "FC "...)
	b = append(b, k.String()...)
	b = append(b, " End RequestId: "...)
	b = appendSafe(b, requestID)
	if failed {
		b = append(b, FailureSuffix...)
	}
	return append(b, '\n')
}

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
