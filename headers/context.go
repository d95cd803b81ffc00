package headers

import (
	"context"

	"github.com/valyala/fasthttp"
)

type infoKey struct{}

// NewContext returns a context that carries info.
//
// When ctx is a *fasthttp.RequestCtx, info is stored as one of its user
// values and ctx itself is returned, so native fasthttp handlers can call
// FromContext on their RequestCtx.
func NewContext(ctx context.Context, info *Info) context.Context {
	if rc, ok := ctx.(*fasthttp.RequestCtx); ok {
		rc.SetUserValue(infoKey{}, info)
		return rc
	}
	return context.WithValue(ctx, infoKey{}, info)
}

// FromContext returns the Info stored in ctx by [NewContext], if any. It
// works on the invocation context of event handlers and hooks, on the
// *fasthttp.RequestCtx of native HTTP handlers and on r.Context() behind
// httpfn.Std. The Info must be treated as read-only.
func FromContext(ctx context.Context) (*Info, bool) {
	info, ok := ctx.Value(infoKey{}).(*Info)
	return info, ok && info != nil
}

// ContextKey returns the key under which [NewContext] stores the *Info, for
// a custom context.Context implementation whose Value method answers it
// directly (the server's invocation context does, to save an allocation
// per request).
func ContextKey() any { return infoKey{} }
