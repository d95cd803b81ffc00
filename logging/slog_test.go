package logging_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"

	"github.com/fcgo/fcgo/headers"
	"github.com/fcgo/fcgo/logging"
)

func TestSlogOutsideInvocation(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec)
	log := slog.New(l.SlogHandler())
	log.Info("listening", "port", 9000, "addr", "0.0.0.0:9000")
	log.Debug("not at info level")
	log.InfoContext(context.Background(), "plain context")
	assert.Equal(t, []string{
		stamp + " [INFO] listening port=9000 addr=0.0.0.0:9000",
		stamp + " [INFO] plain context",
	}, rec.Lines())
}

func TestSlogInsideInvocation(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec)
	log := slog.New(l.SlogHandler())

	inv := l.Begin(logging.KindInvoke, reqID)
	ctx := inv.WithContext(context.Background())
	log.InfoContext(ctx, "greeting", "name", "Ada")
	child, cancel := context.WithTimeout(ctx, time.Minute) // derived contexts keep the id
	log.WarnContext(child, "slow", slog.Duration("took", 1500*time.Millisecond))
	cancel()
	log.Info("no context: no id")
	inv.End(false)

	// The start marker of a lone invocation is written at once, its lines
	// when it ends; the line without context is written at once too.
	assert.Equal(t, []string{
		"FC Invoke Start RequestId: " + reqID,
		stamp + " [INFO] no context: no id",
		stamp + " " + reqID + " [INFO] greeting name=Ada",
		stamp + " " + reqID + " [WARN] slow took=1.5s",
		"FC Invoke End RequestId: " + reqID,
	}, rec.Lines())
}

func TestSlogInNativeHandlerContext(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec)
	inv := l.Begin(logging.KindInvoke, reqID)
	var rc fasthttp.RequestCtx
	logging.ContextWithLogger(&rc, inv.Logger())
	slog.New(l.SlogHandler()).InfoContext(&rc, "native")
	inv.End(true)
	assert.Equal(t, []string{
		"FC Invoke Start RequestId: " + reqID,
		stamp + " " + reqID + " [INFO] native",
		"FC Invoke End RequestId: " + reqID + logging.FailureSuffix,
	}, rec.Lines())
}

func TestSlogLevels(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec, logging.WithLevel(zerolog.TraceLevel))
	log := slog.New(l.SlogHandler())
	ctx := context.Background()
	for _, lv := range []slog.Level{slog.LevelDebug - 4, slog.LevelDebug, slog.LevelDebug + 1, slog.LevelInfo,
		slog.LevelInfo + 2, slog.LevelWarn, slog.LevelError, slog.LevelError + 4} {
		log.Log(ctx, lv, lv.String())
	}
	assert.Equal(t, []string{
		stamp + " [TRACE] DEBUG-4",
		stamp + " [DEBUG] DEBUG",
		stamp + " [DEBUG] DEBUG+1",
		stamp + " [INFO] INFO",
		stamp + " [INFO] INFO+2",
		stamp + " [WARN] WARN",
		stamp + " [ERROR] ERROR",
		stamp + " [ERROR] ERROR+4",
	}, rec.Lines())
}

func TestSlogEnabled(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec, logging.WithLevel(zerolog.WarnLevel))
	ctx := context.Background()
	h := l.SlogHandler()
	assert.False(t, h.Enabled(ctx, slog.LevelInfo))
	assert.True(t, h.Enabled(ctx, slog.LevelWarn))
	raised := logging.NewSlogHandler(l, &slog.HandlerOptions{Level: slog.LevelError})
	assert.False(t, raised.Enabled(ctx, slog.LevelWarn))
	assert.True(t, raised.Enabled(ctx, slog.LevelError))
	slog.New(raised).Warn("dropped")
	slog.New(raised).Error("kept")
	assert.Equal(t, []string{stamp + " [ERROR] kept"}, rec.Lines())

	off := newLogger(t, &rec, logging.WithLevel(zerolog.Disabled))
	assert.False(t, off.SlogHandler().Enabled(ctx, slog.LevelError+100))
}

func TestSlogAttrsAndGroups(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec)
	log := slog.New(l.SlogHandler()).With("svc", "orders").WithGroup("http").With("route", "/o/{id}")
	log.Info("done",
		"status", 200,
		slog.Group("req", "method", "GET", slog.Group("", "inline", true)),
		slog.Group("empty"),
		slog.Attr{},
		slog.Any("err", errors.New("conn reset")),
		slog.Float64("ms", 12.5),
		slog.Uint64("bytes", 7),
		slog.Time("at", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)),
		slog.Any("tags", []string{"a", "b"}),
		slog.String("q", "a b"),
	)
	assert.Equal(t, []string{
		stamp + ` [INFO] done svc=orders http.route=/o/{id} http.status=200 http.req.method=GET http.req.inline=true` +
			` http.err="conn reset" http.ms=12.5 http.bytes=7 http.at=2026-01-02T03:04:05Z http.tags=["a","b"] http.q="a b"`,
	}, rec.Lines())
}

func TestSlogJSONLayout(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec, logging.WithFormat(logging.JSON))
	inv := l.Begin(logging.KindInitialize, reqID)
	slog.New(l.SlogHandler()).WithGroup("db").ErrorContext(inv.WithContext(context.Background()), "cannot connect", "name", "orders")
	inv.End(true)
	assert.Equal(t, []string{
		"FC Initialize Start RequestId: " + reqID,
		`{"time":"` + stamp + `","requestId":"` + reqID + `","level":"error","db.name":"orders","message":"cannot connect"}`,
		"FC Initialize End RequestId: " + reqID + logging.FailureSuffix,
	}, rec.Lines())
}

func TestSlogRedactsCredentials(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec)
	creds := headers.NewCredentials("STS.id", "s3cr3t-value", "t0k3n-value")
	log := slog.New(l.SlogHandler())
	log.Info("creds", "c", creds)
	log.Info("info", "info", headers.Info{RequestID: "r", Credentials: creds})
	log.With("c", creds).Info("with")
	out := rec.String()
	assert.NotContains(t, out, "s3cr3t")
	assert.NotContains(t, out, "t0k3n")
	lines := rec.Lines()
	require.Len(t, lines, 3)
	assert.Equal(t, stamp+" [INFO] creds c.accessKeyId=STS.id c.accessKeySecret=[REDACTED] c.securityToken=[REDACTED]", lines[0])
	assert.Contains(t, lines[1], `"accessKeySecret":"[REDACTED]"`)
	assert.Equal(t, stamp+" [INFO] with c.accessKeyId=STS.id c.accessKeySecret=[REDACTED] c.securityToken=[REDACTED]", lines[2])
}

func TestSlogReplaceAttrAndSource(t *testing.T) {
	var rec recorder
	l := newLogger(t, &rec)
	var seen [][]string
	h := logging.NewSlogHandler(l, &slog.HandlerOptions{
		AddSource: true,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			seen = append(seen, append([]string(nil), groups...))
			switch a.Key {
			case "password":
				return slog.Attr{}
			case "user":
				return slog.String("login", strings.ToUpper(a.Value.String()))
			}
			return a
		},
	})
	slog.New(h).WithGroup("g").Info("login", "user", "ada", "password", "hunter2", slog.Group("sub", "k", 1))
	lines := rec.Lines()
	require.Len(t, lines, 1)
	assert.Regexp(t, `^`+stamp+` \[INFO\] login g\.login=ADA g\.sub\.k=1 source=\S+/slog_test\.go:\d+$`, lines[0])
	assert.NotContains(t, lines[0], "hunter2")
	assert.Equal(t, [][]string{{"g"}, {"g"}, {"g", "sub"}, nil}, seen)
}

func TestSlogHandlerPassesSlogtestRules(t *testing.T) {
	// The rules of testing/slogtest that apply to a layout with fixed
	// time, level and message: attributes after With and WithGroup keep
	// their groups, and derived handlers do not change their parent.
	var rec recorder
	l := newLogger(t, &rec)
	parent := slog.New(l.SlogHandler()).With("a", 1)
	child := parent.WithGroup("g").With("b", 2)
	_ = parent.With("c", 3)
	child.Info("child", "d", 4)
	parent.Info("parent")
	assert.Equal(t, []string{
		stamp + " [INFO] child a=1 g.b=2 g.d=4",
		stamp + " [INFO] parent a=1",
	}, rec.Lines())
}
