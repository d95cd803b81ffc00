package logging

import (
	"context"

	"github.com/rs/zerolog"
	"github.com/valyala/fasthttp"
)

// zerologKey is the key zerolog.Ctx looks up, learnt by asking zerolog.Ctx
// to read a context that records the key it is asked for. With it a
// logger can be stored as a user value of a *fasthttp.RequestCtx, whose
// Value method reads user values, so zerolog.Ctx works on a RequestCtx too.
var zerologKey = func() any {
	var spy keySpy
	zerolog.Ctx(&spy)
	return spy.key
}()

type keySpy struct {
	context.Context
	key any
}

func (s *keySpy) Value(key any) any {
	s.key = key
	return nil
}

// ContextWithLogger returns a context whose zerolog.Ctx is l. When ctx is a
// *fasthttp.RequestCtx, l is stored as one of its user values and ctx itself
// is returned, so zerolog.Ctx works in native fasthttp handlers.
func ContextWithLogger(ctx context.Context, l *zerolog.Logger) context.Context {
	if zerologKey == nil {
		return l.WithContext(ctx)
	}
	if rc, ok := ctx.(*fasthttp.RequestCtx); ok {
		rc.SetUserValue(zerologKey, l)
		return rc
	}
	return context.WithValue(ctx, zerologKey, l)
}

// ContextKey returns the key zerolog.Ctx looks up, for a custom
// context.Context implementation whose Value method returns a
// *zerolog.Logger for it directly.
func ContextKey() any { return zerologKey }
