// Package ctxkey holds the context keys fcgo's packages share: the key of
// the *headers.Info and the key zerolog.Ctx reads. The server's invocation
// context answers both itself, to save an allocation per request.
package ctxkey

import (
	"context"

	"github.com/rs/zerolog"
)

type infoKey struct{}

// Info is the key under which the *headers.Info of a request is stored.
var Info any = infoKey{}

// Zerolog is the key zerolog.Ctx looks up, learnt by asking zerolog.Ctx to
// read a context that records the key it is asked for. It lets a logger be
// stored as a user value of a *fasthttp.RequestCtx (whose Value method
// reads user values) or be answered by a custom context. Nil if zerolog
// ever stops reading a context key, in which case callers fall back to
// zerolog's own WithContext.
var Zerolog = func() any {
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
