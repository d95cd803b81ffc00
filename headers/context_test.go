package headers_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"

	"github.com/fcgo/fcgo/headers"
)

func TestContextBackground(t *testing.T) {
	info := fullInfo()
	type otherKey struct{}
	parent := context.WithValue(context.Background(), otherKey{}, "v")

	ctx := headers.NewContext(parent, &info)
	got, ok := headers.FromContext(ctx)
	require.True(t, ok)
	assert.Same(t, &info, got)
	assert.Equal(t, "v", ctx.Value(otherKey{}), "the parent's values stay visible")

	// Derived contexts still carry it.
	child, cancel := context.WithCancel(ctx)
	defer cancel()
	got, ok = headers.FromContext(child)
	require.True(t, ok)
	assert.Equal(t, fullRequestID, got.RequestID)

	_, ok = headers.FromContext(parent)
	assert.False(t, ok, "the parent is not changed")
}

func TestContextRequestCtx(t *testing.T) {
	info := fullInfo()
	var rc fasthttp.RequestCtx

	ctx := headers.NewContext(&rc, &info)
	assert.Same(t, &rc, ctx, "a RequestCtx is returned as is")
	got, ok := headers.FromContext(&rc)
	require.True(t, ok)
	assert.Same(t, &info, got)

	// Other user values are left alone.
	rc.SetUserValue("user", 1)
	got, ok = headers.FromContext(&rc)
	require.True(t, ok)
	assert.Same(t, &info, got)
	assert.Equal(t, 1, rc.UserValue("user"))

	// A later NewContext replaces the Info.
	second := headers.Info{RequestID: "second"}
	headers.NewContext(&rc, &second)
	got, _ = headers.FromContext(&rc)
	assert.Equal(t, "second", got.RequestID)

	rc.ResetUserValues()
	_, ok = headers.FromContext(&rc)
	assert.False(t, ok)
}

func TestContextEmpty(t *testing.T) {
	got, ok := headers.FromContext(context.Background())
	assert.False(t, ok)
	assert.Nil(t, got)

	got, ok = headers.FromContext(&fasthttp.RequestCtx{})
	assert.False(t, ok)
	assert.Nil(t, got)

	// A nil *Info is as good as none.
	got, ok = headers.FromContext(headers.NewContext(context.Background(), nil))
	assert.False(t, ok)
	assert.Nil(t, got)
}
