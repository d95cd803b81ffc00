package fcserver

import "github.com/valyala/fasthttp"

// maxKeptBody is the largest request or response body buffer a connection
// keeps for its next request. fasthttp keeps each connection's buffers at
// the size of the largest body the connection has carried, and FC keeps up
// to 200 connections open for the instance's lifetime: unbounded, a few
// 32 MB invocations would pin gigabytes in an idle instance. Bodies up to
// this size, the common case, reuse their buffer as before.
const maxKeptBody = 64 << 10

// releaseLargeBodies lets go of body buffers larger than maxKeptBody when a
// request has been handled: the request's at once, the response's once it
// has been sent (its bytes become a raw body, which fasthttp drops after
// writing it instead of keeping it for the next request).
func releaseLargeBodies(rc *fasthttp.RequestCtx) {
	if cap(rc.Request.Body()) > maxKeptBody {
		rc.Request.SwapBody(nil)
	}
	if !rc.Response.IsBodyStream() {
		if body := rc.Response.Body(); cap(body) > maxKeptBody {
			rc.Response.SwapBody(nil)
			rc.Response.SetBodyRaw(body)
		}
	}
}
