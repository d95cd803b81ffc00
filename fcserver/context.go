package fcserver

import (
	"context"
	"sync"
	"time"

	"github.com/fcgo/fcgo/headers"
	"github.com/fcgo/fcgo/internal/ctxkey"
	"github.com/fcgo/fcgo/logging"
)

// invocation is the state of one request and its context.Context: it
// answers Value for the headers.Info and the zerolog logger itself, and
// creates its done channel and deadline timer only when a handler asks for
// Done, so an invocation that never waits on its context costs no timer.
type invocation struct {
	info headers.Info
	log  logging.Invocation

	deadline    time.Time
	hasDeadline bool

	mu    sync.Mutex
	done  chan struct{}
	timer *time.Timer
	err   error
}

var _ context.Context = (*invocation)(nil)

func (c *invocation) Deadline() (time.Time, bool) { return c.deadline, c.hasDeadline }

func (c *invocation) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done == nil {
		c.done = make(chan struct{})
		switch {
		case c.err != nil:
			close(c.done)
		case c.hasDeadline:
			if d := time.Until(c.deadline); d > 0 {
				c.timer = time.AfterFunc(d, c.expire)
			} else {
				c.cancelLocked(context.DeadlineExceeded)
			}
		}
	}
	return c.done
}

func (c *invocation) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == nil && c.hasDeadline && !time.Now().Before(c.deadline) {
		c.cancelLocked(context.DeadlineExceeded)
	}
	return c.err
}

func (c *invocation) Value(key any) any {
	switch key {
	case ctxkey.Info:
		return &c.info
	case ctxkey.Zerolog:
		return c.log.Logger()
	}
	return nil
}

func (c *invocation) String() string { return "fcserver.invocation(" + c.info.RequestID + ")" }

func (c *invocation) expire() {
	c.mu.Lock()
	c.cancelLocked(context.DeadlineExceeded)
	c.mu.Unlock()
}

// cancel ends the context when the invocation is over.
func (c *invocation) cancel() {
	c.mu.Lock()
	c.cancelLocked(context.Canceled)
	c.mu.Unlock()
}

func (c *invocation) cancelLocked(err error) {
	if c.err != nil {
		return
	}
	c.err = err
	if c.done != nil {
		close(c.done)
	}
	if c.timer != nil {
		c.timer.Stop()
	}
}
