package headers

import (
	"context"

	"github.com/fcgo/fcgo/internal/ctxkey"

	"github.com/valyala/fasthttp"
)

// NewContext returns a context that carries info.
//
// When ctx is a *fasthttp.RequestCtx, info is stored as one of its user
// values and ctx itself is returned, so native fasthttp handlers can call
// FromContext on their RequestCtx.
func NewContext(ctx context.Context, info *Info) context.Context {
	if rc, ok := ctx.(*fasthttp.RequestCtx); ok {
		rc.SetUserValue(ctxkey.Info, info)
		return rc
	}
	return context.WithValue(ctx, ctxkey.Info, info)
}

// FromContext returns the Info stored in ctx by [NewContext], if any. It
// works on the invocation context of event handlers and hooks, on the
// *fasthttp.RequestCtx of native HTTP handlers and on r.Context() behind
// httpfn.Std. The Info must be treated as read-only.
func FromContext(ctx context.Context) (*Info, bool) {
	info, ok := ctx.Value(ctxkey.Info).(*Info)
	return info, ok && info != nil
}
