package fcserver_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"runtime"
	"testing"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/logging"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
)

func TestMemoryLargeBodiesNotPinnedByIdleConnections(t *testing.T) {
	// FC keeps its connections (up to 200, one per concurrent request)
	// open for the instance's lifetime. fasthttp keeps each connection's
	// request and response body buffers at the size of the largest body
	// it has seen, so without care a few large invocations per connection
	// would pin hundreds of MB, even GB (200 × 32 MB), in an idle instance.
	const conns, size = 16, 4 << 20
	srv := fcserver.New(fcserver.WithLogger(logging.New(&syncBuffer{})),
		fcserver.WithEvent(event.HandlerFunc(func(_ context.Context, payload []byte) ([]byte, error) {
			return bytes.Repeat([]byte("e"), len(payload)), nil
		})),
		fcserver.WithHTTP(func(rc *fasthttp.RequestCtx) {
			rc.SetBody(bytes.Repeat([]byte("h"), len(rc.PostBody())))
		}))
	// Loopback TCP, not the in-memory listener, whose pipes keep buffers
	// of their own.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		defer cancel()
		assert.NoError(t, srv.Shutdown(ctx))
		assert.ErrorIs(t, recv(t, served), fcserver.ErrServerClosed)
	})
	before := liveHeap()

	body := bytes.Repeat([]byte("b"), size)
	open := make([]*rawConn, conns)
	for i := range open {
		c, err := net.Dial("tcp", ln.Addr().String())
		require.NoError(t, err)
		t.Cleanup(func() { _ = c.Close() })
		open[i] = &rawConn{t: t, c: c, br: bufio.NewReader(c)}
		resp := open[i].roundTrip(rawRequest("POST", "/invoke", fmt.Sprint("big-event-", i), "/invoke", body))
		require.Equal(t, fasthttp.StatusOK, resp.status)
		require.Len(t, resp.body, size)
		resp = open[i].roundTrip(rawRequest("POST", "/upload", fmt.Sprint("big-http-", i), "/http-invoke", body))
		require.Equal(t, fasthttp.StatusOK, resp.status)
		require.Len(t, resp.body, size)
	}
	after := liveHeap()

	// Pinned, the buffers would be at least conns × 2 × size (128 MB).
	grown := int64(after) - int64(before)
	assert.Less(t, grown, int64(conns*size/2),
		"live heap grew by %.1f MB while %d idle connections stay open after %d MB invocations", float64(grown)/(1<<20), conns, size>>20)
	for _, c := range open {
		assert.Equal(t, fasthttp.StatusOK, c.roundTrip(rawRequest("POST", "/invoke", "small", "/invoke", []byte("x"))).status,
			"the connection still serves")
	}
}

// liveHeap returns the bytes of live heap objects after garbage
// collection (twice: sync.Pool keeps its contents through one).
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
