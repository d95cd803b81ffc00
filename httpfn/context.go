package httpfn

import (
	"context"

	"github.com/valyala/fasthttp"
)

type ctxKey struct{}

// WithContext attaches ctx as the invocation context of the request in rc.
// The server calls it before running an HTTP handler; tests may call it to
// run a handler outside a server.
func WithContext(rc *fasthttp.RequestCtx, ctx context.Context) {
	rc.SetUserValue(ctxKey{}, ctx)
}

// Context returns the invocation context of an HTTP invoke: it carries the
// FC deadline (arrival + function timeout), the headers.Info and the request
// logger, and is cancelled when the invocation ends. Outside a server (no
// context attached) it returns rc itself. Use it, not rc, to pass a context
// to code that honours deadlines: a *fasthttp.RequestCtx has no deadline.
func Context(rc *fasthttp.RequestCtx) context.Context {
	if ctx, ok := rc.UserValue(ctxKey{}).(context.Context); ok {
		return ctx
	}
	return rc
}
