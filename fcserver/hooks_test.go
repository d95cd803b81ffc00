package fcserver_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/headers"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
)

// hookKinds are the lifecycle hooks as FC calls them (SPEC §2).
var hookKinds = []struct {
	kind, method, path string
	option             func(fcserver.Hook) fcserver.Option
}{
	{"Initialize", "POST", "/initialize", fcserver.WithInitializer},
	{"PreFreeze", "GET", "/pre-freeze", fcserver.WithPreFreeze},
	{"PreStop", "GET", "/pre-stop", fcserver.WithPreStop},
}

func TestHooks(t *testing.T) {
	outcomes := []struct {
		name       string
		hook       fcserver.Hook
		wantStatus int
		wantBody   string // after "<Kind> hook failed: "; empty for success
		wantLog    string // the hook's ERROR line after "<id> [ERROR] "
		failed     bool
	}{
		{
			name: "success",
			hook: func(ctx context.Context) error {
				info, ok := headers.FromContext(ctx)
				if !ok {
					return errors.New("no headers.Info on the hook context")
				}
				zerolog.Ctx(ctx).Info().Str("function", info.Function.Name).Msg("hook ran")
				return nil
			},
			wantStatus: fasthttp.StatusOK,
		},
		{
			name:       "error",
			hook:       func(context.Context) error { return errors.New("db down") },
			wantStatus: fasthttp.StatusNotFound,
			wantBody:   "db down",
			wantLog:    "hook failed error=\"db down\" status=404",
			failed:     true,
		},
		{
			name: "restart",
			hook: func(context.Context) error {
				return fmt.Errorf("config changed: %w", fcserver.ErrRestartInstance)
			},
			wantStatus: fasthttp.StatusInternalServerError,
			wantBody:   "config changed: fcserver: restart the instance",
			wantLog:    "hook failed error=\"config changed: fcserver: restart the instance\" status=500",
			failed:     true,
		},
		{
			name:       "bare restart sentinel",
			hook:       func(context.Context) error { return fcserver.ErrRestartInstance },
			wantStatus: fasthttp.StatusInternalServerError,
			wantBody:   "fcserver: restart the instance",
			wantLog:    "hook failed error=\"fcserver: restart the instance\" status=500",
			failed:     true,
		},
		{
			name:       "panic",
			hook:       func(context.Context) error { panic("hook exploded") },
			wantStatus: fasthttp.StatusNotFound,
			wantBody:   "Panic: hook exploded",
			wantLog:    "hook failed error=\"Panic: hook exploded\" status=404 stackTrace=[",
			failed:     true,
		},
	}
	for _, hk := range hookKinds {
		for _, oc := range outcomes {
			t.Run(hk.kind+"/"+oc.name, func(t *testing.T) {
				h := start(t, hk.option(oc.hook))
				id := "hook-" + hk.kind + "-" + strings.ReplaceAll(oc.name, " ", "-")

				resp := h.do(t, newRequest(hk.method, hk.path, id, hk.path, nil))

				assert.Equal(t, oc.wantStatus, resp.StatusCode())
				assert.Empty(t, resp.Header.Peek("x-fc-status"), "hooks answer with the status alone")
				lines := linesOf(h.log, id)
				require.NotEmpty(t, lines)
				assert.Equal(t, startLine(hk.kind, id), lines[0])
				if !oc.failed {
					assert.Empty(t, resp.Body())
					assertInvocationLog(t, h.log, hk.kind, id, false, id+" [INFO] hook ran function=greet")
					return
				}
				assert.Equal(t, hk.kind+" hook failed: "+oc.wantBody+"\n", string(resp.Body()))
				require.Len(t, lines, 3, "start, error, end: %q", lines)
				assert.True(t, strings.HasPrefix(lines[1], id+" [ERROR] "+hk.kind+" "+oc.wantLog),
					"error line %q", lines[1])
				assert.Equal(t, failedEndLine(hk.kind, id), lines[2])
			})
		}
	}
}

func TestHookServerKeepsServingAfterFailures(t *testing.T) {
	var calls int
	h := start(t, fcserver.WithInitializer(func(context.Context) error {
		calls++
		if calls < 3 {
			return fmt.Errorf("attempt %d failed", calls)
		}
		return nil
	}))
	conn := h.dialRaw(t)

	// FC retries a failed initializer; the third attempt succeeds.
	for i, want := range []int{404, 404, 200} {
		id := fmt.Sprintf("init-retry-%d", i)
		resp := conn.roundTrip(rawRequest("POST", "/initialize", id, "/initialize", nil))
		assert.Equal(t, want, resp.status, "attempt %d", i+1)
		assertInvocationLog(t, h.log, "Initialize", id, want != 200,
			func() []string {
				if want == 200 {
					return nil
				}
				return []string{fmt.Sprintf("%s [ERROR] Initialize hook failed error=\"attempt %d failed\" status=404", id, i+1)}
			}()...)
	}
}
