package fcserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/headers"
	"github.com/fcgo/fcgo/httpfn"
	"github.com/fcgo/fcgo/logging"
	"github.com/valyala/fasthttp"
)

// kind is what a request asks for, after dispatch.
type kind uint8

const (
	kindInvoke kind = iota
	kindHTTP
	kindInitialize
	kindPreFreeze
	kindPreStop
	kindUnknown
)

var markerKinds = [...]logging.Kind{
	kindInvoke:     logging.KindInvoke,
	kindHTTP:       logging.KindInvoke,
	kindInitialize: logging.KindInitialize,
	kindPreFreeze:  logging.KindPreFreeze,
	kindPreStop:    logging.KindPreStop,
}

// route decides the kind of a request: x-fc-control-path decides; only
// when it is absent do method and path (SPEC §2). Without the header, a
// path that names a hook or /invoke goes to the HTTP handler when there is
// one and no handler of the named kind, since an HTTP function may own
// such a route itself.
func (s *Server) route(cp headers.ControlPath, rc *fasthttp.RequestCtx) kind {
	switch cp {
	case headers.ControlPathInvoke:
		return kindInvoke
	case headers.ControlPathHTTPInvoke:
		return kindHTTP
	case headers.ControlPathInitialize:
		return kindInitialize
	case headers.ControlPathPreFreeze:
		return kindPreFreeze
	case headers.ControlPathPreStop:
		return kindPreStop
	case headers.ControlPathUnknown:
		return kindUnknown
	}
	k, configured := kindHTTP, true
	method, path := rc.Method(), rc.Path()
	switch {
	case string(method) == fasthttp.MethodPost && string(path) == "/invoke":
		k, configured = kindInvoke, s.cfg.event != nil
	case string(method) == fasthttp.MethodPost && string(path) == "/initialize":
		k, configured = kindInitialize, s.cfg.initializer != nil
	case string(method) == fasthttp.MethodGet && string(path) == "/pre-freeze":
		k, configured = kindPreFreeze, s.cfg.preFreeze != nil
	case string(method) == fasthttp.MethodGet && string(path) == "/pre-stop":
		k, configured = kindPreStop, s.cfg.preStop != nil
	}
	if !configured && s.cfg.http != nil {
		return kindHTTP
	}
	return k
}

// handle serves one request from FC on the server's own fasthttp.Server,
// which hands over requests exactly as it read them.
func (s *Server) handle(rc *fasthttp.RequestCtx) { s.serve(rc, true) }

// handleForeign serves one request from FC for [Server.Handler]: on a
// server of the application's own, code may have changed the request
// before it.
func (s *Server) handleForeign(rc *fasthttp.RequestCtx) { s.serve(rc, false) }

// serve serves one request; asRead tells that its headers are as fasthttp
// read them (see redactSecretHeaders).
func (s *Server) serve(rc *fasthttp.RequestCtx, asRead bool) {
	defer releaseLargeBodies(rc) // last, once the answer is built
	inv, k, parseErr := s.begin(rc)
	if k == kindUnknown {
		s.unknownControlPath(rc, inv)
		return
	}
	if parseErr != nil {
		inv.log.Logger().Warn().Err(parseErr).Msg("fcserver: ignoring malformed x-fc-* header")
	}
	if !s.acquire(k) {
		s.refuse(rc, inv, k)
		return
	}
	defer s.release(k)

	failed := true
	defer func() {
		if v := recover(); v != nil {
			// Handlers run under protect; this catches what comes after,
			// such as an error value whose methods panic, so that one
			// request can never take the instance down.
			s.internalError(rc, inv, k, v)
		}
		inv.end(failed)
	}()
	switch k {
	case kindInvoke:
		failed = s.invoke(rc, inv)
	case kindHTTP:
		failed = s.httpInvoke(rc, inv, asRead)
	default:
		failed = s.hook(rc, inv, k)
	}
}

// begin parses the request's headers and decides its kind; for a known
// kind it also starts the invocation: its deadline (arrival + the
// function's timeout, or the initializer's own) and its start marker.
func (s *Server) begin(rc *fasthttp.RequestCtx) (*invocation, kind, error) {
	inv := &invocation{}
	err := s.parser.ParseInto(&inv.info, &rc.Request.Header)
	k := s.route(inv.info.ControlPath, rc)
	if k == kindUnknown {
		return inv, k, err
	}
	arrival := rc.Time()
	if arrival.IsZero() { // a RequestCtx not served by fasthttp.Server
		arrival = time.Now()
	}
	if t := inv.info.Function.InitializationTimeout; k == kindInitialize && t > 0 {
		// FC 2.0 gives the initializer a timeout of its own.
		inv.deadline, inv.hasDeadline = arrival.Add(t), true
	} else {
		inv.deadline, inv.hasDeadline = inv.info.Deadline(arrival)
	}
	s.log.BeginIn(&inv.log, markerKinds[k], inv.info.RequestID)
	return inv, k, err
}

// end cancels the invocation's context and writes its end marker with
// every pending line. It runs before fasthttp sends the response: the
// instance may be frozen right after it.
func (inv *invocation) end(failed bool) {
	inv.cancel()
	inv.log.End(failed)
}

// textPlain is the Content-Type of the answers fcserver writes itself.
const textPlain = "text/plain; charset=utf-8"

// answerText replaces whatever response the handler built with status and
// a plain-text body.
func answerText(rc *fasthttp.RequestCtx, status int, body string) {
	rc.Response.Reset()
	rc.Response.SetStatusCode(status)
	rc.Response.Header.SetContentType(textPlain)
	rc.Response.SetBodyString(body)
}

// internalError answers a request whose handling panicked outside the
// handler itself: 500, and for an event invoke x-fc-status: 404 so that FC
// records the failure.
func (s *Server) internalError(rc *fasthttp.RequestCtx, inv *invocation, k kind, v any) {
	inv.log.Logger().Error().Str("panic", fmt.Sprint(v)).Msg("fcserver: internal error while answering")
	answerText(rc, fasthttp.StatusInternalServerError, "fcserver: internal error while answering the request\n")
	if k == kindInvoke {
		rc.Response.Header.Set(headers.XFCStatus, "404")
	}
}

// invoke runs the event handler and answers as FC requires: 200 and
// x-fc-status: 200 with the result, or 404 and x-fc-status: 404 with the
// error JSON.
func (s *Server) invoke(rc *fasthttp.RequestCtx, inv *invocation) (failed bool) {
	h := s.cfg.event
	if h == nil {
		return s.failEvent(rc, inv, event.NewError("NoEventHandler",
			"fcserver: this function has no event handler (use fcserver.WithEvent) but received an event invocation"))
	}
	var out []byte
	err := protect(func() (err error) {
		out, err = h.Invoke(inv, rc.Request.Body())
		return err
	})
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && errors.Is(inv.Err(), context.DeadlineExceeded) {
			// The invocation's own deadline passed: a timeout, not a
			// failure of the handler's own making (its sub-contexts and
			// clients time out with the same error).
			err = &event.Error{Type: event.TypeTimeout, Message: err.Error(), Err: err}
		}
		return s.failEvent(rc, inv, err)
	}
	rc.Response.SetStatusCode(fasthttp.StatusOK)
	rc.Response.Header.SetCanonical(xfcStatusCanonical, status200)
	rc.Response.SetBody(out)
	return false
}

// The success answer's x-fc-status, in the form fasthttp writes header
// names, so the hot path skips normalising it.
var (
	xfcStatusCanonical = []byte("X-Fc-Status")
	status200          = []byte("200")
)

func (s *Server) failEvent(rc *fasthttp.RequestCtx, inv *invocation, err error) bool {
	resp := event.ToResponse(err)
	e := inv.log.Logger().Error().Str("errorType", resp.ErrorType).Str("errorMessage", resp.ErrorMessage)
	if len(resp.StackTrace) > 0 {
		e = e.Strs("stackTrace", resp.StackTrace)
	}
	e.Msg("invocation failed")
	rc.Response.SetStatusCode(fasthttp.StatusNotFound)
	rc.Response.Header.Set(headers.XFCStatus, "404")
	rc.Response.Header.SetContentType("application/json")
	rc.Response.SetBody(resp.JSON())
	return true
}

// httpInvoke runs the HTTP handler with the invocation's metadata, logger
// and context reachable from the RequestCtx. A panic answers 500 and fails
// the invocation.
func (s *Server) httpInvoke(rc *fasthttp.RequestCtx, inv *invocation, asRead bool) (failed bool) {
	h := s.cfg.http
	log := inv.log.Logger()
	if h == nil {
		noHTTPHandler(rc, inv)
		return true
	}
	if rc.Request.IsBodyStream() {
		// A server of the application's own that streams request bodies
		// (StreamRequestBody) reads a chunked body's trailers only with the
		// body: read it now, so that redaction sees them. FC sends whole
		// requests anyway, and fcserver's own server never streams them.
		_ = rc.Request.Body()
	}
	// The STS secret and token are in inv.info.Credentials; header-dumping
	// middleware must not find them on the request.
	redactSecretHeaders(&rc.Request.Header, asRead, &s.rawHints)
	headers.NewContext(rc, &inv.info)
	logging.ContextWithLogger(rc, log)
	httpfn.WithContext(rc, inv)
	err := protect(func() error { h(rc); return nil })
	if err != nil {
		resp := event.ToResponse(err)
		log.Error().Str("errorType", resp.ErrorType).Str("errorMessage", resp.ErrorMessage).
			Strs("stackTrace", resp.StackTrace).Msg("HTTP handler panicked")
		answerText(rc, fasthttp.StatusInternalServerError, "Internal Server Error\n")
		return true
	}
	if rc.Response.IsBodyStream() {
		if err := s.materializeBody(rc); err != nil {
			log.Error().Str("error", err.Error()).Msg("HTTP handler's body stream failed")
			answerText(rc, fasthttp.StatusInternalServerError, "Internal Server Error\n")
			return true
		}
	}
	httpfn.SanitizeResponse(&rc.Response, log)
	return false
}

// materializeBody reads a streamed response body now, inside the
// invocation: its log lines then stay between the markers and its context
// is live. FC forwards a complete response anyway. A stream that fails is
// reported, not sent as a truncated 200.
func (s *Server) materializeBody(rc *fasthttp.RequestCtx) error {
	stream := rc.Response.BodyStream()
	var buf bytes.Buffer
	_, err := buf.ReadFrom(stream)
	if c, ok := stream.(io.Closer); ok {
		if cerr := c.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return err
	}
	rc.Response.SetBody(buf.Bytes())
	return nil
}

// redactSecretHeaders overwrites the values of the STS secret and token
// headers, in fasthttp's parsed headers and in its copy of the raw header
// block, so no API of the request can print them. Values are overwritten
// in place, keeping their length: setting or deleting a header would
// reorder the others, and RequestHeader.Set misses a header whose name is
// kept in another case (DisableHeaderNamesNormalizing) or that the request
// made a trailer.
//
// asRead tells that h is as fasthttp read it, with no header added,
// changed or removed since: only then do its secret headers match the raw
// block's secret lines one for one, and is the raw block searched for
// their values (see scrubRawValues) rather than walked line by line;
// hints, when not nil, keeps where they were found for the next request.
func redactSecretHeaders(h *fasthttp.RequestHeader, asRead bool, hints *rawHints) {
	// The secret headers' values as parsed, kept until the raw block has
	// been searched for them.
	var secrets [maxSearched][]byte
	n := 0
	// fasthttp keeps the values of names a request made trailers
	// (announced in Trailer, or sent after a chunked body) in a section of
	// their own, which All skips and PeekAll reads. All yields their names
	// as kept (so PeekAll finds them even when names are not normalised)
	// under Trailer, before the headers of its general store, as Peek of
	// Trailer reads them, and allocates only when there are any. Anything
	// else yielded as Trailer would only add names to redact.
	var trailers []byte
	for k, v := range h.All() {
		switch {
		case isSecretHeader(k):
			if n < len(secrets) {
				secrets[n] = v
			}
			n++
		case len(k) == len(fasthttp.HeaderTrailer) && trailers == nil && string(k) == fasthttp.HeaderTrailer:
			trailers = v
		}
	}
	raw := h.RawHeaders()
	if !asRead || len(trailers) > 0 || n > len(secrets) || !scrubRawValues(raw, secrets[:n], hints) {
		scrubRawHeaders(raw)
	}
	if n <= len(secrets) {
		for _, v := range secrets[:n] {
			redactValue(v)
		}
	} else {
		for k, v := range h.All() {
			if isSecretHeader(k) {
				redactValue(v)
			}
		}
	}
	if len(trailers) > 0 {
		for name := range bytes.SplitSeq(trailers, []byte(",")) {
			if name = bytes.TrimSpace(name); isSecretHeader(name) {
				for _, v := range h.PeekAll(string(name)) {
					redactValue(v)
				}
			}
		}
	}
}

// scrubRawValues overwrites in the raw header block the value of each
// secret header whose parsed value is in values, where it stands as the
// whole, unfolded value of a secret header's line: much quicker than
// scrubRawHeaders' walk over every line, since the search skips the
// others at once. It reports false when a value was not found so (an
// empty, folded or oddly spaced one), and the caller then walks the block
// with scrubRawHeaders.
//
// Without trailers, fasthttp parses each line of the block into one
// header, so the secret headers All yields are all the secret lines of the
// block: when each of their values is found on a line of its own, none is
// left.
func scrubRawValues(raw []byte, values [][]byte, hints *rawHints) bool {
	for i, v := range values {
		var hint *atomic.Int32
		if hints != nil {
			hint = &hints[i]
		}
		if !scrubRawValue(raw, v, hint) {
			return false
		}
	}
	return true
}

// maxSearched is the most secret headers whose values the raw block is
// searched for; a request with more has its raw block walked.
const maxSearched = 4

// rawHints keeps, for each of the secret values of a request in the order
// the parsed headers list them, where scrubRawValue found it in the raw
// block (0: nowhere yet). FC adds its x-fc-* headers to every request the
// same way, and the secret ones' values change only with the role's
// credentials, so while the headers before them keep their lengths (the
// client's headers of an HTTP invoke, which come with them, and FC's
// per-request ones may change them), the next request's values are at the
// same places: a look there spares the search. A value not there is searched for as usual.
// Whatever a hint holds, the place taken passes the search's own test, so
// it decides at most which of two secret lines of equal values is taken
// first (see scrubRawValue), never whether one is left.
type rawHints [maxSearched]atomic.Int32

// scrubRawValue overwrites the first place in raw where v is the whole
// value of a secret header's line (or the place hint keeps, when v is the
// whole value of a secret line there); it reports whether there was one.
// A value that is empty, starts or ends with a blank (a folded value can),
// or is all '*' (as a line overwritten before is) is not searched for:
// its place could be ambiguous. hint may be nil.
//
// Any such place will do: without trailers, each secret line of the block
// is one parsed secret header, so when every parsed value is found on a
// line of its own, two lines of the same value are both found, whichever
// is taken first.
func scrubRawValue(raw, v []byte, hint *atomic.Int32) bool {
	if len(v) == 0 || isBlank(v[0]) || isBlank(v[len(v)-1]) || allStars(v) {
		return false
	}
	if hint != nil {
		if at := int(hint.Load()); at > 0 && at <= len(raw)-len(v) &&
			string(raw[at:at+len(v)]) == string(v) && isSecretValueAt(raw, at, at+len(v)) {
			fillStars(raw[at : at+len(v)])
			return true
		}
	}
	// A value found elsewhere first (inside another header's value) is
	// searched for again after that place, a few times at most: a block
	// made to repeat it over and over is walked instead.
	for from, misses := 0, 0; from < len(raw) && misses < maxSearchMisses; misses++ {
		i := bytes.Index(raw[from:], v)
		if i < 0 {
			return false
		}
		start := from + i
		end := start + len(v)
		if isSecretValueAt(raw, start, end) {
			fillStars(raw[start:end])
			if hint != nil && start <= math.MaxInt32 && int(hint.Load()) != start {
				hint.Store(int32(start))
			}
			return true
		}
		from = start + 1
	}
	return false
}

// maxSearchMisses bounds the places scrubRawValue looks at for one value.
const maxSearchMisses = 8

// isBlank reports whether c is a space or a tab, the blanks around a
// header's value and at the start of a continuation line.
func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// allStars reports whether v is nothing but '*'.
func allStars(v []byte) bool {
	for _, c := range v {
		if c != '*' {
			return false
		}
	}
	return true
}

// isSecretValueAt reports whether raw[start:end] is the whole value of a
// secret header's line: after the name, which starts the line, its colon
// and blanks; before blanks and the line's end, with no continuation line
// after it.
func isSecretValueAt(raw []byte, start, end int) bool {
	c := start - 1
	for c >= 0 && isBlank(raw[c]) {
		c--
	}
	if c < 0 || raw[c] != ':' || !secretNameEndsAt(raw, c) {
		return false
	}
	e := end
	for e < len(raw) && isBlank(raw[e]) {
		e++
	}
	if e < len(raw) && raw[e] == '\r' {
		e++
	}
	if e == len(raw) {
		return true
	}
	if raw[e] != '\n' {
		return false
	}
	e++
	return e == len(raw) || !isBlank(raw[e])
}

// secretNameEndsAt reports whether a secret header's name starts a line
// of raw and ends at raw[colon].
func secretNameEndsAt(raw []byte, colon int) bool {
	for _, n := range [...]int{len(headers.XFCSecurityToken), len(headers.XFCAccessKeySecret)} {
		if s := colon - n; s >= 0 && (s == 0 || raw[s-1] == '\n') && isSecretHeader(raw[s:colon]) {
			return true
		}
	}
	return false
}

// redactValue overwrites a secret header's value in place: with
// headers.Redacted followed by '*' up to its length, or with '*' alone
// when it is shorter.
func redactValue(v []byte) {
	if len(v) >= len(headers.Redacted) {
		v = v[copy(v, headers.Redacted):]
	}
	fillStars(v)
}

// scrubRawHeaders overwrites with '*' the values of the secret headers in
// a raw header block ("Name: value\r\n" lines), keeping its length and
// shape. A value folded over continuation lines (obs-fold: lines that
// start with a space or a tab, which fasthttp accepts and joins) is
// overwritten on every one of its lines.
func scrubRawHeaders(raw []byte) {
	inSecret := false // the header whose lines are being read is a secret one
	for len(raw) > 0 {
		line := raw
		next := len(raw)
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line, next = raw[:i], i+1
		}
		raw = raw[next:]
		if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
			if inSecret {
				fillStars(bytes.Trim(line, " \t\r"))
			}
			continue
		}
		inSecret = false
		// fasthttp serves only requests whose header names end right at
		// the colon (it rejects "Name : value"), so a secret header's
		// colon is where its name ends, and no other line needs a search.
		colon := 0
		switch n := len(line); {
		case n > len(headers.XFCSecurityToken) && line[len(headers.XFCSecurityToken)] == ':':
			colon = len(headers.XFCSecurityToken)
		case n > len(headers.XFCAccessKeySecret) && line[len(headers.XFCAccessKeySecret)] == ':':
			colon = len(headers.XFCAccessKeySecret)
		default:
			continue
		}
		if !isSecretHeader(line[:colon]) {
			continue
		}
		inSecret = true
		fillStars(bytes.Trim(line[colon+1:], " \t\r"))
	}
}

// stars is a run of '*' for fillStars to copy from.
var stars = bytes.Repeat([]byte{'*'}, 512)

// fillStars overwrites every byte of b with '*', a block at a time.
func fillStars(b []byte) {
	for len(b) > 0 {
		b = b[copy(b, stars):]
	}
}

// hook runs a lifecycle hook: 200 on success, 404 on failure, 500 when
// the hook asks for a restart.
func (s *Server) hook(rc *fasthttp.RequestCtx, inv *invocation, k kind) (failed bool) {
	var h Hook
	var option string
	switch k {
	case kindInitialize:
		h, option = s.cfg.initializer, "WithInitializer"
	case kindPreFreeze:
		h, option = s.cfg.preFreeze, "WithPreFreeze"
	case kindPreStop:
		h, option = s.cfg.preStop, "WithPreStop"
	}
	log := inv.log.Logger()
	name := markerKinds[k].String()
	rc.Response.Header.SetContentType(textPlain)
	if h == nil {
		msg := "fcserver: FC called the " + name + " hook but none is configured (use fcserver." + option + ")"
		log.Error().Msg(msg)
		rc.Response.SetStatusCode(fasthttp.StatusNotFound)
		rc.Response.SetBodyString(msg + "\n")
		return true
	}
	err := protect(func() error { return h(inv) })
	if err == nil {
		rc.Response.SetStatusCode(fasthttp.StatusOK)
		return false
	}
	status := fasthttp.StatusNotFound
	if errors.Is(err, ErrRestartInstance) {
		status = fasthttp.StatusInternalServerError
	}
	resp := event.ToResponse(err) // never panics, even on odd error values
	msg := resp.ErrorMessage
	if resp.ErrorType != event.TypeHandlerError {
		msg = resp.ErrorType + ": " + msg // as (*event.Error).Error
	}
	e := log.Error().Str("error", msg).Int("status", status)
	if len(resp.StackTrace) > 0 {
		e = e.Strs("stackTrace", resp.StackTrace)
	}
	e.Msg(name + " hook failed")
	rc.Response.SetStatusCode(status)
	rc.Response.SetBodyString(name + " hook failed: " + msg + "\n")
	return true
}

// unknownControlPath answers a control path fcgo does not know with 400.
func (s *Server) unknownControlPath(rc *fasthttp.RequestCtx, inv *invocation) {
	value := cut(rc.Request.Header.Peek(headers.XFCControlPath))
	s.log.Zerolog().Warn().Str("requestId", inv.info.RequestID).Str("controlPath", value).
		Msg("fcserver: unknown x-fc-control-path")
	rc.Response.SetStatusCode(fasthttp.StatusBadRequest)
	rc.Response.Header.SetContentType(textPlain)
	rc.Response.SetBodyString("fcserver: unknown x-fc-control-path " + strconv.Quote(value) +
		" (expected /invoke, /http-invoke, /initialize, /pre-freeze or /pre-stop)\n")
}

// handleError answers requests fasthttp could not read.
func (s *Server) handleError(rc *fasthttp.RequestCtx, err error) {
	if errors.Is(err, fasthttp.ErrBodyTooLarge) {
		s.bodyTooLarge(rc, err)
		return
	}
	rc.Response.Header.SetContentType(textPlain)
	var small *fasthttp.ErrSmallBuffer
	switch {
	case errors.As(err, &small):
		rc.SetStatusCode(fasthttp.StatusRequestHeaderFieldsTooLarge)
		rc.SetBodyString(fmt.Sprintf("fcserver: request headers exceed the limit of %d bytes\n", readBufferSize))
	default:
		rc.SetStatusCode(fasthttp.StatusBadRequest)
		rc.SetBodyString("fcserver: malformed HTTP request\n")
	}
	s.log.Zerolog().Warn().Str("error", safeErrorText(err)).Int("status", rc.Response.StatusCode()).Msg("fcserver: rejected a request")
}

// typePayloadTooLarge is the errorType of an event invocation whose
// payload exceeds the limit set by [WithMaxRequestBodySize].
const typePayloadTooLarge = "PayloadTooLarge"

// bodyTooLarge answers a request whose body exceeds the limit with 413.
// Its headers were read, so it is answered and logged as the invocation it
// is: markers with the failure suffix, and for an event invoke x-fc-status:
// 404 and the error JSON, since without x-fc-status FC would count the
// call a success (SPEC §4).
func (s *Server) bodyTooLarge(rc *fasthttp.RequestCtx, err error) {
	msg := fmt.Sprintf("fcserver: request body exceeds the limit of %d bytes (%s)",
		s.cfg.maxBodySize, humanBytes(s.cfg.maxBodySize))
	rc.SetStatusCode(fasthttp.StatusRequestEntityTooLarge)
	if headersDiscarded(rc) {
		s.bodyTooLargeUnknown(rc, msg, err)
		return
	}
	inv, k, _ := s.begin(rc)
	if k == kindUnknown {
		rc.Response.Header.SetContentType(textPlain)
		rc.SetBodyString(msg + "\n")
		s.log.Zerolog().Warn().Err(err).Str("requestId", inv.info.RequestID).
			Int("status", fasthttp.StatusRequestEntityTooLarge).Msg("fcserver: rejected a request")
		return
	}
	inv.log.Logger().Warn().Err(err).Int("status", fasthttp.StatusRequestEntityTooLarge).
		Msg("fcserver: rejected a request")
	if k == kindInvoke {
		rc.Response.Header.Set(headers.XFCStatus, "404")
		rc.Response.Header.SetContentType("application/json")
		rc.SetBody(event.ErrorBody(event.NewError(typePayloadTooLarge, msg)))
	} else {
		rc.Response.Header.SetContentType(textPlain)
		rc.SetBodyString(msg + "\n")
	}
	inv.end(true)
}

func humanBytes(n int) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.Itoa(n>>20) + " MB"
	}
	if n >= 1<<10 && n%(1<<10) == 0 {
		return strconv.Itoa(n>>10) + " KB"
	}
	return strconv.Itoa(n) + " bytes"
}

// protect calls f and turns a panic into an *event.Error of type
// event.TypePanic with the stack.
func protect(f func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = panicError(v, debug.Stack())
		}
	}()
	return f()
}

func panicError(v any, stack []byte) error {
	var msg string
	switch x := v.(type) {
	case error:
		msg = x.Error()
	default:
		msg = fmt.Sprint(v)
	}
	lines := strings.Split(strings.TrimSpace(string(stack)), "\n")
	// debug.Stack starts with the goroutine header, then its own frame,
	// the recovering closure and runtime.panic: drop them, so the trace
	// starts at the frame that panicked. Each frame is two lines: the
	// function, then its file and line.
	for i := 1; i+1 < len(lines); i++ {
		if strings.HasPrefix(lines[i], "panic(") {
			lines = lines[i+2:]
			break
		}
	}
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return &event.Error{Type: event.TypePanic, Message: msg, StackTrace: lines}
}
