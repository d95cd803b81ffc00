package ctxkey_test

import (
	"context"
	"testing"

	"github.com/fcgo/fcgo/internal/ctxkey"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The key-spy trick learns zerolog's private context key; the
// key must be exactly the one zerolog's own WithContext uses.
func TestContextKeyIsZerologs(t *testing.T) {
	key := ctxkey.Zerolog
	require.NotNil(t, key, "the spy learnt no key")

	zl := zerolog.New(nil).With().Str("who", "zerolog").Logger()
	ctx := zl.WithContext(context.Background())
	stored, ok := ctx.Value(key).(*zerolog.Logger)
	require.True(t, ok, "zerolog's WithContext stores under the learnt key")
	assert.Same(t, zerolog.Ctx(ctx), stored)

	// And the other way round: a value under the key is what zerolog.Ctx returns.
	other := zerolog.New(nil)
	ctx = context.WithValue(context.Background(), key, &other)
	assert.Same(t, &other, zerolog.Ctx(ctx))

	// A custom context answering the key directly works too.
	assert.Same(t, &other, zerolog.Ctx(keyCtx{Context: context.Background(), key: key, l: &other}))
}

type keyCtx struct {
	context.Context
	key any
	l   *zerolog.Logger
}

func (c keyCtx) Value(k any) any {
	if k == c.key {
		return c.l
	}
	return c.Context.Value(k)
}
