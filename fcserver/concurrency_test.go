package fcserver_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/headers"
	"github.com/fcgo/fcgo/logging"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
)

// markerLine matches every marker line FC recognises (SPEC §6).
var markerLine = regexp.MustCompile(`^FC (Invoke|Initialize|PreFreeze|PreStop) (Start|End) RequestId: \S+(, Error: Unhandled function error)?$`)

func TestConcurrentInvocations(t *testing.T) {
	// FC sends up to 200 requests at once to one instance (SPEC §1).
	const n = 200
	for _, mode := range []struct {
		name string
		opts []logging.Option
	}{
		{"buffered", nil},
		{"unbuffered", []logging.Option{logging.Unbuffered()}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			// Every handler waits until all n are in flight, so they truly
			// overlap; the wait is bounded so a serialising server fails
			// instead of hanging.
			var inFlight atomic.Int32
			allIn := make(chan struct{})
			h := startWithLogger(t, mode.opts, fcserver.WithEvent(event.HandlerFunc(
				func(ctx context.Context, payload []byte) ([]byte, error) {
					info, ok := headers.FromContext(ctx)
					if !ok {
						return nil, errors.New("no Info")
					}
					log := zerolog.Ctx(ctx)
					log.Info().Str("payload", string(payload)).Msg("received")
					if inFlight.Add(1) == n {
						close(allIn)
					}
					select {
					case <-allIn:
					case <-time.After(requestTimeout):
						return nil, errors.New("not all invocations were in flight together")
					}
					log.Warn().Str("id", info.RequestID).Msg("all in flight")
					return []byte(info.RequestID + ":" + strings.ToUpper(string(payload))), nil
				})))

			type result struct {
				status    int
				xfcStatus string
				body      string
				err       error
			}
			results := make([]result, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					id, payload := fmt.Sprintf("conc-%03d", i), fmt.Sprintf("payload-%03d", i)
					req := newRequest("POST", "/invoke", id, "/invoke", []byte(payload))
					defer fasthttp.ReleaseRequest(req)
					resp := fasthttp.AcquireResponse()
					defer fasthttp.ReleaseResponse(resp)
					err := h.client.DoTimeout(req, resp, 2*requestTimeout)
					results[i] = result{resp.StatusCode(), string(resp.Header.Peek("x-fc-status")), string(resp.Body()), err}
				})
			}
			wg.Wait()

			assert.Equal(t, int32(n), inFlight.Load())
			for i, r := range results {
				require.NoError(t, r.err, "request %d", i)
				assert.Equal(t, fasthttp.StatusOK, r.status, "request %d: %s", i, r.body)
				assert.Equal(t, "200", r.xfcStatus, "request %d", i)
				assert.Equal(t, fmt.Sprintf("conc-%03d:PAYLOAD-%03d", i, i), r.body, "request %d gets its own answer", i)
			}

			lines := h.log.Lines()
			starts, ends := map[string]int{}, map[string]int{}
			for _, l := range lines {
				switch {
				case markerLine.MatchString(l):
					id := l[strings.LastIndex(l, " ")+1:]
					if strings.Contains(l, " Start ") {
						starts[id]++
					} else {
						ends[id]++
					}
				case appLine.MatchString(l):
				default:
					assert.Fail(t, "interleaved or malformed log line", "%q", l)
				}
			}
			assert.Len(t, starts, n)
			assert.Len(t, ends, n)
			for i := range n {
				id := fmt.Sprintf("conc-%03d", i)
				assert.Equal(t, 1, starts[id], "start markers of %s", id)
				assert.Equal(t, 1, ends[id], "end markers of %s", id)
				assertInvocationLog(t, h.log, "Invoke", id, false,
					fmt.Sprintf("%s [INFO] received payload=payload-%03d", id, i),
					fmt.Sprintf("%s [WARN] all in flight id=%s", id, id))
			}
		})
	}
}

func TestConcurrentKeepAliveConnections(t *testing.T) {
	// Fewer connections than requests: each connection carries many
	// requests in turn, and answers never cross.
	const conns, perConn = 8, 25
	h := start(t, fcserver.WithEvent(event.HandlerFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		info, _ := headers.FromContext(ctx)
		return []byte(info.RequestID + "=" + string(payload)), nil
	})))

	errs := make(chan error, conns*perConn)
	var wg sync.WaitGroup
	for c := range conns {
		conn, err := h.ln.Dial()
		require.NoError(t, err)
		t.Cleanup(func() { _ = conn.Close() })
		require.NoError(t, conn.SetDeadline(time.Now().Add(2*requestTimeout)))
		wg.Go(func() {
			br := bufio.NewReader(conn)
			for i := range perConn {
				id := fmt.Sprintf("ka-%d-%02d", c, i)
				if _, err := conn.Write(rawRequest("POST", "/invoke", id, "/invoke", []byte(id+"-body"))); err != nil {
					errs <- err
					return
				}
				resp, err := readResponse(br)
				if err != nil {
					errs <- err
					return
				}
				if want := id + "=" + id + "-body"; string(resp.body) != want {
					errs <- fmt.Errorf("connection %d request %d: got %q, want %q", c, i, resp.body, want)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	for c := range conns {
		for i := range perConn {
			assertInvocationLog(t, h.log, "Invoke", fmt.Sprintf("ka-%d-%02d", c, i), false)
		}
	}
}
