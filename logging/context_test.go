package logging_test

import (
	"context"
	"testing"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/valyala/fasthttp"

	"github.com/fcgo/fcgo/logging"
)

func TestContextWithLoggerPlain(t *testing.T) {
	var rec recorder
	zl := zerolog.New(&rec)
	type otherKey struct{}
	parent := context.WithValue(context.Background(), otherKey{}, "v")

	ctx := logging.ContextWithLogger(parent, &zl)
	assert.Same(t, &zl, zerolog.Ctx(ctx))
	assert.Equal(t, "v", ctx.Value(otherKey{}))

	child, cancel := context.WithCancel(ctx)
	defer cancel()
	assert.Same(t, &zl, zerolog.Ctx(child))

	zerolog.Ctx(child).Info().Msg("hi")
	assert.Equal(t, `{"level":"info","message":"hi"}`+"\n", rec.String())

	assert.NotSame(t, &zl, zerolog.Ctx(parent), "the parent is not changed")
}

func TestContextWithLoggerRequestCtx(t *testing.T) {
	var rec recorder
	zl := zerolog.New(&rec)
	var rc fasthttp.RequestCtx

	ctx := logging.ContextWithLogger(&rc, &zl)
	assert.Same(t, &rc, ctx, "a RequestCtx is returned as is")
	assert.Same(t, &zl, zerolog.Ctx(&rc), "zerolog.Ctx reads the RequestCtx's user value")

	zerolog.Ctx(&rc).Info().Msg("native")
	assert.Equal(t, `{"level":"info","message":"native"}`+"\n", rec.String())

	rc.ResetUserValues()
	assert.NotSame(t, &zl, zerolog.Ctx(&rc))
}

func TestInvocationContextOnRequestCtx(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec, logging.Unbuffered())
	inv := l.Begin(logging.KindInvoke, "rc-id")
	var rc fasthttp.RequestCtx
	assert.Same(t, &rc, inv.WithContext(&rc))
	zerolog.Ctx(&rc).Warn().Msg("from a native handler")
	inv.End(false)
	assert.Equal(t, stamp+" rc-id [WARN] from a native handler", rec.Lines()[1])
}
