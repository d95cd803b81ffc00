package logging

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A start marker whose write panics leaves nothing counted as running: the
// invocation is never ended, and later invocations that run one at a time
// must still have their start markers written at once.
func TestPanickingStartMarkerNotCounted(t *testing.T) {
	w := &flakyWriter{}
	l := New(w)
	w.panicNext = true
	assert.Panics(t, func() { l.Begin(KindInvoke, "a") })
	for _, id := range []string{"b", "c"} {
		inv := l.Begin(KindInvoke, id)
		assert.Contains(t, w.out.String(), "FC Invoke Start RequestId: "+id+"\n", "written at once")
		inv.End(false)
	}
	assert.False(t, l.overlapped.Load(), "no invocations overlapped")
	assert.Zero(t, l.running.Load())
}

// An End whose write panics and is called again counts the invocation out
// once: an invocation counted out twice would hide the next overlap.
func TestPanickingEndCountedOutOnce(t *testing.T) {
	w := &flakyWriter{}
	l := New(w)
	a := l.Begin(KindInvoke, "a")
	w.panicNext = true
	assert.Panics(t, func() { a.End(false) })
	a.End(false)
	assert.Zero(t, l.running.Load())

	b := l.Begin(KindInvoke, "b")
	c := l.Begin(KindInvoke, "c")
	assert.NotContains(t, w.out.String(), "FC Invoke Start RequestId: c\n", "c overlaps b: its marker is collected")
	c.End(false)
	b.End(false)
	assert.True(t, l.overlapped.Load())
}
