//go:build !race

package fcserver_test

import (
	"context"
	"io"
	"testing"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/logging"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/valyala/fasthttp"
)

// The in-flight limit is one atomic counter: an invocation under it costs
// what one without it does.
func TestMaxConcurrencyAllocs(t *testing.T) {
	answer := []byte(`{"ok":true}`)
	s := fcserver.New(fcserver.WithLogger(logging.New(io.Discard)), fcserver.WithMaxConcurrency(8),
		fcserver.WithEvent(event.HandlerFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
			zerolog.Ctx(ctx).Info().Str("k", "v").Msg("line")
			return answer, nil
		})))
	h := s.OwnHandler()
	var rc fasthttp.RequestCtx
	rc.Init(benchRequest(t), nil, nil)
	run := func() {
		rc.Response.Reset()
		h(&rc)
	}
	run()
	if rc.Response.StatusCode() != 200 {
		t.Fatalf("status %d", rc.Response.StatusCode())
	}
	allocs := testing.AllocsPerRun(200, run)
	t.Logf("event dispatch under WithMaxConcurrency: %.0f allocs/op", allocs)
	assert.LessOrEqual(t, allocs, float64(dispatchAllocBudget))
	// Every slot came back: after hundreds of invocations nothing is refused.
	for range 8 {
		rc.Response.Reset()
		h(&rc)
		assert.Equal(t, 200, rc.Response.StatusCode())
	}
}
