package logging_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/fcgo/fcgo/logging"
)

func startLine(id string) string { return "FC Invoke Start RequestId: " + id + "\n" }
func endLine(id string) string   { return "FC Invoke End RequestId: " + id + "\n" }

// While invocations run one at a time, the start marker is written before
// Begin returns, invocation after invocation, so that output printed
// directly follows it.
func TestStartMarkerAtOnceWhileAlone(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec)
	for _, id := range []string{"a", "b", "c"} {
		n := len(rec.Writes())
		inv := l.Begin(logging.KindInvoke, id)
		assert.Equal(t, []string{startLine(id)}, rec.Writes()[n:], "the start marker of %s is out when Begin returns", id)
		inv.End(false)
		inv.End(false) // a second End writes nothing
		assert.Equal(t, []string{startLine(id), endLine(id)}, rec.Writes()[n:])
	}
}

// Once two invocations have run at the same time, every later invocation,
// even one that runs alone, has its start marker collected with its other
// lines: a short invocation is one Write, its lines together.
func TestStartMarkerCollectedOnceInvocationsOverlap(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec)
	a := l.Begin(logging.KindInvoke, "a")
	assert.Equal(t, []string{startLine("a")}, rec.Writes(), "a runs alone: its marker at once")

	b := l.Begin(logging.KindInvoke, "b")
	assert.Len(t, rec.Writes(), 1, "b overlaps a: its marker waits for its lines")
	b.Logger().Info().Msg("from b")
	b.End(false)
	a.End(false)
	assert.Equal(t, []string{
		startLine("a"),
		startLine("b") + stamp + " b [INFO] from b\n" + endLine("b"),
		endLine("a"),
	}, rec.Writes())

	c := l.Begin(logging.KindInvoke, "c")
	assert.Len(t, rec.Writes(), 3, "c runs alone, after an overlap: its marker is collected too")
	c.End(true)
	assert.Equal(t, startLine("c")+"FC Invoke End RequestId: c, Error: Unhandled function error\n", rec.Writes()[3])
}

// StartMarkerAtOnce writes the marker at once even when invocations
// overlap; BufferStartMarker collects it even when one runs alone; with
// Unbuffered every line goes out at once.
func TestStartMarkerOptions(t *testing.T) {
	for name, tc := range map[string]struct {
		opt     logging.Option
		atOnceA bool // a's marker is out when Begin returns (a runs alone)
		atOnceB bool // b's marker is out when Begin returns (b overlaps a)
	}{
		"StartMarkerAtOnce": {logging.StartMarkerAtOnce(), true, true},
		"BufferStartMarker": {logging.BufferStartMarker(), false, false},
		"Unbuffered":        {logging.Unbuffered(), true, true},
	} {
		t.Run(name, func(t *testing.T) {
			var rec recorder
			l := newLogger(t, &rec, tc.opt)
			a := l.Begin(logging.KindInvoke, "a")
			assert.Equal(t, tc.atOnceA, rec.String() == startLine("a"), rec.String())
			n := len(rec.String())
			b := l.Begin(logging.KindInvoke, "b")
			assert.Equal(t, tc.atOnceB, rec.String()[n:] == startLine("b"), rec.String())
			b.End(false)
			a.End(false)
			assert.Equal(t, tc.atOnceA, rec.Writes()[0] == startLine("a"))
			assert.Contains(t, rec.String(), startLine("b")+endLine("b"))
		})
	}
}
