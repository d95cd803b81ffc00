package fcserver

import (
	"strconv"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/headers"
	"github.com/valyala/fasthttp"
)

// WithMaxConcurrency bounds the event and HTTP invocations that run at
// once. Beyond n, an invocation is refused at once instead of queueing,
// with a message naming the limit. An HTTP invoke answers 429 Too Many
// Requests, which goes back to its client. An event invocation answers as
// every failed event does (SPEC §4: status 404, x-fc-status: 404 and the
// error JSON), with errorType "TooManyRequests": FC reads its verdict from
// that contract, and records the refusal as a function error (which
// asynchronous invocations retry as configured), where an undocumented
// status might be taken for a platform error. FC counts a refused request
// as an invocation, so it is logged as one: its start marker, a warning,
// and its end marker with the failure suffix.
//
// The slot is held until the handler returns: a body stream writer or a
// goroutine the handler leaves running is no longer counted.
//
// Lifecycle hooks (initialize, pre-freeze, pre-stop) are never refused
// and do not count. The limit is checked with one atomic counter and costs
// no allocation. Default 0: no limit; zero or less means no limit. FC's
// own instance concurrency setting (1 to 200) already bounds what one
// instance receives; this option guards a function that must not run more
// at once than it can bear.
func WithMaxConcurrency(n int) Option { return func(c *config) { c.maxConcurrency = n } }

// typeTooManyRequests is the errorType of an event invocation refused
// because [WithMaxConcurrency]'s limit was reached.
const typeTooManyRequests = "TooManyRequests"

// acquire takes an in-flight slot for an invocation of kind k; it reports
// false when the limit is reached. A true result must be matched by
// release.
func (s *Server) acquire(k kind) bool {
	if s.cfg.maxConcurrency <= 0 || (k != kindInvoke && k != kindHTTP) {
		return true
	}
	if s.inflight.Add(1) > int64(s.cfg.maxConcurrency) {
		s.inflight.Add(-1)
		return false
	}
	return true
}

// release gives back the slot acquire took for an invocation of kind k.
func (s *Server) release(k kind) {
	if s.cfg.maxConcurrency > 0 && (k == kindInvoke || k == kindHTTP) {
		s.inflight.Add(-1)
	}
}

// refuse answers an invocation beyond the in-flight limit (an event with
// 404 and x-fc-status: 404, an HTTP invoke with 429) and ends it as failed.
func (s *Server) refuse(rc *fasthttp.RequestCtx, inv *invocation, k kind) {
	limit := strconv.Itoa(s.cfg.maxConcurrency)
	msg := "fcserver: too many concurrent invocations: " + limit +
		" already in flight, the limit set by fcserver.WithMaxConcurrency; retry later"
	status := fasthttp.StatusTooManyRequests
	if k == kindInvoke {
		status = fasthttp.StatusNotFound
	}
	inv.log.Logger().Warn().Int("limit", s.cfg.maxConcurrency).Int("status", status).
		Msg("fcserver: refused an invocation")
	if k == kindInvoke {
		rc.Response.Reset()
		rc.Response.SetStatusCode(status)
		rc.Response.Header.Set(headers.XFCStatus, "404")
		rc.Response.Header.SetContentType("application/json")
		rc.Response.SetBody(event.ErrorBody(event.NewError(typeTooManyRequests, msg)))
	} else {
		answerText(rc, fasthttp.StatusTooManyRequests, msg+"\n")
	}
	inv.end(true)
}
