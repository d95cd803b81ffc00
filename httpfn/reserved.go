package httpfn

import (
	"bytes"

	"github.com/rs/zerolog"
	"github.com/valyala/fasthttp"
)

// SanitizeResponse removes from resp the headers an FC function may not
// send (SPEC §4): any x-fc-* header except x-fc-status, Connection,
// Keep-Alive, Server, Date and Content-Disposition: attachment. Names match
// in any ASCII case; a name spelt with a look-alike letter from outside
// ASCII (such as U+017F for s) is another header, as it is to HTTP, and
// stays. Each removal is logged as a warning on log (which may be nil).
// Content-Length is not touched: fasthttp sets it from the body.
func SanitizeResponse(resp *fasthttp.Response, log *zerolog.Logger) {
	h := &resp.Header
	if h.ConnectionClose() {
		h.ResetConnectionClose()
		warnDropped(log, "Connection")
	}
	// Deleting while iterating is not allowed: find one, delete it, look
	// again. Responses with a reserved header are rare; the others cost one
	// pass and no allocation. The bound guards against a header that Del
	// cannot remove.
	for range 64 {
		var name string
		for k, v := range h.All() {
			if reserved(k, v) {
				name = string(k)
				break
			}
		}
		if name == "" {
			return
		}
		h.Del(name)
		warnDropped(log, name)
	}
}

func warnDropped(log *zerolog.Logger, name string) {
	if log != nil {
		log.Warn().Str("header", name).Msg("httpfn: dropped a response header that FC does not allow")
	}
}

func reserved(k, v []byte) bool {
	if len(k) > 5 && k[4] == '-' && bytes.EqualFold(k[:5], []byte("x-fc-")) {
		return !bytes.EqualFold(k, []byte("x-fc-status"))
	}
	// By length first: a response's usual headers (Content-Type,
	// Content-Length, Set-Cookie) then cost one comparison each.
	switch len(k) {
	case len("date"):
		return bytes.EqualFold(k, []byte("date"))
	case len("server"):
		return bytes.EqualFold(k, []byte("server"))
	case len("connection"): // and keep-alive
		return bytes.EqualFold(k, []byte("connection")) || bytes.EqualFold(k, []byte("keep-alive"))
	case len("content-disposition"):
		if !bytes.EqualFold(k, []byte("content-disposition")) {
			return false
		}
		v = bytes.TrimSpace(v)
		return len(v) >= 10 && bytes.EqualFold(v[:10], []byte("attachment"))
	}
	return false
}
