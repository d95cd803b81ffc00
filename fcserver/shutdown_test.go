package fcserver_test

import (
	"context"
	"net"
	"os"
	"testing"
	"time"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/logging"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"
)

// blockingEvent is an event handler that signals when it starts and
// answers only once released.
func blockingEvent(entered chan<- string, release <-chan struct{}) fcserver.Option {
	return fcserver.WithEvent(event.HandlerFunc(func(_ context.Context, payload []byte) ([]byte, error) {
		entered <- string(payload)
		select {
		case <-release:
		case <-time.After(requestTimeout):
			return nil, event.NewError("TestTimeout", "never released")
		}
		return append([]byte("finished "), payload...), nil
	}))
}

func TestShutdownDrainsInFlight(t *testing.T) {
	entered, release := make(chan string, 1), make(chan struct{})
	log := &syncBuffer{}
	srv := fcserver.New(fcserver.WithLogger(logging.New(log)), blockingEvent(entered, release))
	ln := fasthttputil.NewInmemoryListener()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	client := &fasthttp.HostClient{Addr: "function", Dial: func(string) (net.Conn, error) { return ln.Dial() }}

	type answer struct {
		resp *fasthttp.Response
		err  error
	}
	answered := make(chan answer, 1)
	go func() {
		resp := &fasthttp.Response{}
		err := client.DoTimeout(newRequest("POST", "/invoke", "in-flight", "/invoke", []byte("slow job")), resp, requestTimeout)
		answered <- answer{resp, err}
	}()
	require.Equal(t, "slow job", recv(t, entered), "the handler is running")

	shutdownDone := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		defer cancel()
		shutdownDone <- srv.Shutdown(ctx)
	}()

	// Shutdown, and so Serve, wait for the handler.
	select {
	case err := <-shutdownDone:
		require.Failf(t, "Shutdown returned while a handler was in flight", "err: %v", err)
	case err := <-served:
		require.Failf(t, "Serve returned while a handler was in flight", "err: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	// No new connection is accepted meanwhile.
	_, err := ln.Dial()
	assert.Error(t, err, "dial after Shutdown")

	close(release)
	a := recv(t, answered)
	require.NoError(t, a.err, "the in-flight request gets its answer")
	assert.Equal(t, fasthttp.StatusOK, a.resp.StatusCode())
	assert.Equal(t, "200", string(a.resp.Header.Peek("x-fc-status")))
	assert.Equal(t, "finished slow job", string(a.resp.Body()))
	assert.NoError(t, recv(t, shutdownDone), "Shutdown after the drain")
	assert.ErrorIs(t, recv(t, served), fcserver.ErrServerClosed, "Serve returns after the drain")
	assertInvocationLog(t, log, "Invoke", "in-flight", false)

	// A stopped server stays stopped.
	assert.ErrorIs(t, srv.Serve(fasthttputil.NewInmemoryListener()), fcserver.ErrServerClosed)
}

func TestShutdownTimesOut(t *testing.T) {
	entered, release := make(chan string, 1), make(chan struct{})
	h := start(t, blockingEvent(entered, release))
	answered := make(chan error, 1)
	go func() {
		resp := &fasthttp.Response{}
		answered <- h.client.DoTimeout(newRequest("POST", "/invoke", "stuck", "/invoke", []byte("stuck")), resp, requestTimeout)
	}()
	recv(t, entered)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	assert.ErrorIs(t, h.srv.Shutdown(ctx), context.DeadlineExceeded, "Shutdown gives up when its context ends")

	close(release)
	assert.NoError(t, recv(t, answered), "the stuck request is still answered")
}

func TestShutdownRacingServe(t *testing.T) {
	// Shutdown may be called before Serve has registered its listener (as
	// Run does when its context is already done): Serve must still return.
	for range 200 {
		srv := fcserver.New(fcserver.WithLogger(logging.New(&syncBuffer{})))
		ln := fasthttputil.NewInmemoryListener()
		served := make(chan error, 1)
		go func() { served <- srv.Serve(ln) }()
		assert.NoError(t, srv.Shutdown(context.Background()))
		select {
		case err := <-served:
			assert.ErrorIs(t, err, fcserver.ErrServerClosed)
		case <-time.After(requestTimeout):
			_ = ln.Close()
			require.FailNow(t, "Serve kept serving after Shutdown")
		}
	}
}

func TestRunCancelledContext(t *testing.T) {
	log := &syncBuffer{}
	srv := fcserver.New(fcserver.WithAddr("127.0.0.1:0"), fcserver.WithLogger(logging.New(log)))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()

	assert.NoError(t, recv(t, done), "Run after a clean shutdown")
	assert.Contains(t, untimed(log.Lines()), "[INFO] fcgo: function server stopped")
}

func TestRunDrainsOnCancel(t *testing.T) {
	entered, release := make(chan string, 1), make(chan struct{})
	log := &syncBuffer{}
	srv := fcserver.New(fcserver.WithAddr("127.0.0.1:0"), fcserver.WithLogger(logging.New(log)),
		blockingEvent(entered, release))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()

	// Wait until it listens: Addr then reports the bound port.
	deadline := time.Now().Add(requestTimeout)
	for srv.Addr() == "127.0.0.1:0" && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	addr := srv.Addr()
	require.NotEqual(t, "127.0.0.1:0", addr, "the server listens")

	answered := make(chan *fasthttp.Response, 1)
	go func() {
		resp := &fasthttp.Response{}
		c := &fasthttp.HostClient{Addr: addr}
		req := newRequest("POST", "/invoke", "run-drain", "/invoke", []byte("loopback job"))
		req.SetRequestURI("http://" + addr + "/invoke")
		if err := c.DoTimeout(req, resp, requestTimeout); err != nil {
			resp.SetStatusCode(599)
			resp.SetBodyString(err.Error())
		}
		answered <- resp
	}()
	require.Equal(t, "loopback job", recv(t, entered))

	cancel()
	select {
	case err := <-done:
		require.Failf(t, "Run returned while a handler was in flight", "err: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)

	resp := recv(t, answered)
	assert.Equal(t, fasthttp.StatusOK, resp.StatusCode(), "body: %s", resp.Body())
	assert.Equal(t, "finished loopback job", string(resp.Body()))
	assert.NoError(t, recv(t, done))
	lines := untimed(log.Lines())
	assert.Contains(t, lines, "[INFO] fcgo: shutting down, draining in-flight invocations")
	assert.Contains(t, lines, "[INFO] fcgo: function server stopped")
	assertInvocationLog(t, log, "Invoke", "run-drain", false)
}

func TestAddrFromEnvironment(t *testing.T) {
	// FC_CUSTOM_LISTEN_PORT, then FC_SERVER_PORT, then 9000, on all
	// interfaces (SPEC §1).
	for _, tc := range []struct {
		name               string
		customPort, server string // "" means unset
		want               string
	}{
		{"both", "7001", "7002", "0.0.0.0:7001"},
		{"custom listen port", "7001", "", "0.0.0.0:7001"},
		{"server port", "", "7002", "0.0.0.0:7002"},
		{"neither", "", "", "0.0.0.0:9000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setenv(t, "FC_CUSTOM_LISTEN_PORT", tc.customPort)
			setenv(t, "FC_SERVER_PORT", tc.server)

			srv := fcserver.New(fcserver.WithLogger(logging.New(&syncBuffer{})))

			assert.Equal(t, tc.want, srv.Addr())
		})
	}

	t.Run("WithAddr wins", func(t *testing.T) {
		setenv(t, "FC_CUSTOM_LISTEN_PORT", "7001")
		srv := fcserver.New(fcserver.WithAddr("127.0.0.1:8080"))
		assert.Equal(t, "127.0.0.1:8080", srv.Addr())
	})
}

// setenv sets name for the test, or unsets it when value is empty.
func setenv(t *testing.T, name, value string) {
	t.Setenv(name, value)
	if value == "" {
		require.NoError(t, os.Unsetenv(name))
	}
}
