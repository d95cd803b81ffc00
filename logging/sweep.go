package logging

import "time"

// The sweeper writes out the lines of buffered invocations that have been
// waiting for the flush age, so a long invocation's start marker and
// progress reach stdout while it runs, even when it logs nothing more (and
// are not lost if the instance is stopped before it ends).
//
// Invocations with pending lines sit in a list ordered by when they began
// to wait; one timer per Logger, armed only while the list is not empty,
// visits them. Lock order: Invocation.mu, then Logger.sweepMu.
type sweepList struct {
	head, tail *Invocation
	timer      *time.Timer
	armed      bool
	seq        uint64 // numbers listings, so Flush can stop at its snapshot
}

// sweepLink is an Invocation's place in its Logger's sweep list.
type sweepLink struct {
	prev, next *Invocation
	listed     bool
	since      time.Time // when the oldest pending line was logged
	seq        uint64
}

// listPending puts inv at the tail of the sweep list. inv.mu must be held.
func (l *Logger) listPending(inv *Invocation, now time.Time) {
	l.sweepMu.Lock()
	defer l.sweepMu.Unlock()
	s := &l.sweep
	if inv.link.listed {
		return
	}
	s.seq++
	inv.link = sweepLink{prev: s.tail, listed: true, since: now, seq: s.seq}
	if s.tail != nil {
		s.tail.link.next = inv
	} else {
		s.head = inv
	}
	s.tail = inv
	if !s.armed {
		s.armed = true
		if s.timer == nil {
			s.timer = time.AfterFunc(l.flushAge, l.sweepOnce)
		} else {
			s.timer.Reset(l.flushAge)
		}
	}
}

// unlistPending takes inv off the sweep list. inv.mu must be held. Only
// holders of inv.mu change inv.link.listed, so an invocation never listed
// costs no lock.
func (l *Logger) unlistPending(inv *Invocation) {
	if !inv.link.listed {
		return
	}
	l.sweepMu.Lock()
	defer l.sweepMu.Unlock()
	if !inv.link.listed {
		return
	}
	s := &l.sweep
	if inv.link.prev != nil {
		inv.link.prev.link.next = inv.link.next
	} else {
		s.head = inv.link.next
	}
	if inv.link.next != nil {
		inv.link.next.link.prev = inv.link.prev
	} else {
		s.tail = inv.link.prev
	}
	inv.link = sweepLink{}
}

// sweepOnce flushes every listed invocation whose oldest line has waited
// the flush age, then re-arms the timer for the next one, if any.
func (l *Logger) sweepOnce() {
	for {
		l.sweepMu.Lock()
		inv := l.sweep.head
		if inv == nil {
			l.sweep.armed = false
			l.sweepMu.Unlock()
			return
		}
		wait := l.flushAge - l.now().Sub(inv.link.since)
		if wait > 0 {
			l.sweep.timer.Reset(wait)
			l.sweepMu.Unlock()
			return
		}
		l.sweepMu.Unlock()
		// inv may have flushed, or flushed and listed again, since: a
		// flush of nothing does nothing, and an early one does no harm.
		inv.Flush()
		if l.stillHead(inv) {
			// It logged again right after the flush and is the only one
			// listed: its new lines are young, so come back later rather
			// than spin.
			l.sweepMu.Lock()
			l.sweep.timer.Reset(l.flushAge)
			l.sweepMu.Unlock()
			return
		}
	}
}

func (l *Logger) stillHead(inv *Invocation) bool {
	l.sweepMu.Lock()
	defer l.sweepMu.Unlock()
	return l.sweep.head == inv && inv.link.listed
}

// Flush writes out now the pending lines of every invocation that has not
// ended, for a process about to exit with invocations still running. Lines
// logged while it runs are left for their invocation's next flush, so a
// busy invocation cannot keep it going.
func (l *Logger) Flush() {
	l.sweepMu.Lock()
	last := l.sweep.seq
	l.sweepMu.Unlock()
	for {
		l.sweepMu.Lock()
		inv := l.sweep.head
		if inv == nil || inv.link.seq > last {
			l.sweepMu.Unlock()
			return
		}
		l.sweepMu.Unlock()
		inv.Flush()
		if l.stillHead(inv) {
			return
		}
	}
}
