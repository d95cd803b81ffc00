package logging

import (
	"context"

	"github.com/fcgo/fcgo/internal/ctxkey"

	"github.com/rs/zerolog"
	"github.com/valyala/fasthttp"
)

// ContextWithLogger returns a context whose zerolog.Ctx is l. When ctx is a
// *fasthttp.RequestCtx, l is stored as one of its user values and ctx itself
// is returned, so zerolog.Ctx works in native fasthttp handlers.
func ContextWithLogger(ctx context.Context, l *zerolog.Logger) context.Context {
	if ctxkey.Zerolog == nil {
		return l.WithContext(ctx)
	}
	if rc, ok := ctx.(*fasthttp.RequestCtx); ok {
		rc.SetUserValue(ctxkey.Zerolog, l)
		return rc
	}
	return context.WithValue(ctx, ctxkey.Zerolog, l)
}
