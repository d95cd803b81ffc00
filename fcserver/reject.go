package fcserver

import (
	"strconv"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/headers"
	"github.com/valyala/fasthttp"
)

// maxEchoed bounds how much of a header value fcgo repeats in an answer or
// a log line: a hostile value may be tens of kilobytes.
const maxEchoed = 64

// cut returns v, or its first maxEchoed bytes and its length when it is
// longer.
func cut(v []byte) string {
	if len(v) <= maxEchoed {
		return string(v)
	}
	return string(v[:maxEchoed]) + "…(" + strconv.Itoa(len(v)) + " bytes)"
}

// fcMethod returns the method FC uses for path when path is one of the
// paths FC itself sends to (SPEC §2), and "" otherwise.
func fcMethod(path []byte) string {
	switch string(path) {
	case "/invoke", "/initialize":
		return fasthttp.MethodPost
	case "/pre-freeze", "/pre-stop":
		return fasthttp.MethodGet
	}
	return ""
}

// noHTTPHandler answers an HTTP invoke on a function with no HTTP
// handler. A request without x-fc-control-path to an FC path with another
// method than FC's (GET /initialize) is told so with 405 and Allow, since
// it most likely is a hook sent the wrong way; anything else gets 501:
// the function is misconfigured, and a 404 would read as the
// application's own answer.
func noHTTPHandler(rc *fasthttp.RequestCtx, inv *invocation) {
	log := inv.log.Logger()
	if want := fcMethod(rc.Path()); want != "" && inv.info.ControlPath == headers.ControlPathNone {
		msg := "fcserver: " + cut(rc.Method()) + " " + string(rc.Path()) + " is not a request FC sends (it sends " +
			want + " " + string(rc.Path()) + "), and this function has no HTTP handler (use fcserver.WithHTTP or WithStdHTTP)"
		log.Error().Msg(msg)
		answerText(rc, fasthttp.StatusMethodNotAllowed, msg+"\n")
		rc.Response.Header.Set(fasthttp.HeaderAllow, want)
		return
	}
	log.Error().Msg("fcserver: this function has no HTTP handler (use fcserver.WithHTTP or WithStdHTTP) but received an HTTP invocation")
	answerText(rc, fasthttp.StatusNotImplemented, "fcserver: this function has no HTTP handler\n")
}

// headersDiscarded reports whether fasthttp reset the request before
// calling the error handler, as it does when reading a chunked body
// fails: the request's kind, id and control path are then lost.
func headersDiscarded(rc *fasthttp.RequestCtx) bool {
	return len(rc.Request.Header.RawHeaders()) == 0
}

// bodyTooLargeUnknown answers a request whose (chunked) body exceeds the
// limit after fasthttp discarded its headers. It may have been an event
// invocation, so the answer is the one an event needs — x-fc-status: 404
// and the error JSON, lest FC count the call a success — which an HTTP
// client reads as a plain 413 with a JSON message.
func (s *Server) bodyTooLargeUnknown(rc *fasthttp.RequestCtx, msg string, err error) {
	rc.Response.Header.Set(headers.XFCStatus, "404")
	rc.Response.Header.SetContentType("application/json")
	rc.SetBody(event.ErrorBody(event.NewError(typePayloadTooLarge, msg)))
	s.log.Zerolog().Warn().Err(err).Int("status", fasthttp.StatusRequestEntityTooLarge).
		Msg("fcserver: rejected a request (its chunked body exceeds the limit; its headers are lost)")
}
