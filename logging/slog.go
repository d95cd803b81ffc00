package logging

import (
	"context"
	"log/slog"
	"runtime"
	"strconv"

	"github.com/fcgo/fcgo/internal/ctxkey"
	"github.com/rs/zerolog"
)

// SlogHandler returns a log/slog handler writing FC lines through l, as
// [NewSlogHandler] with nil options does.
func (l *Logger) SlogHandler() slog.Handler { return NewSlogHandler(l, nil) }

// NewSlogHandler returns a log/slog handler that writes FC's lines through
// l: the same layout (text or JSON), the same level names and, for a
// record logged with an invocation's context, that invocation's request id
// and place between its markers.
//
// The request id comes from the context given to the *Context logging
// calls (slog.InfoContext(ctx, …), Logger.Log): when ctx carries a zerolog
// logger, as every invocation context fcserver creates does (the handler's
// ctx, r.Context() behind httpfn.Std, the *fasthttp.RequestCtx of a native
// handler), the line is written by that logger, so it joins the
// invocation's lines with its id. Otherwise (slog.Info without a context,
// start-up code) it is a line of l without a request id.
//
// Levels map to zerolog's: below slog.LevelDebug is trace, then debug,
// info, warn, and error from slog.LevelError up; a level between two takes
// the lower one. The minimum is l's level (which FCGO_LOG_LEVEL sets);
// opts.Level can raise it, not lower it, since the zerolog loggers the
// lines go through apply l's level too.
// Attributes become fields in order: handler attributes (WithAttrs) first,
// then the record's. Groups (WithGroup, slog.Group) become dotted keys
// ("http.status=200"), an empty group name inlines its attributes, and an
// empty group is left out. LogValuers are resolved, so headers.Credentials
// print redacted; errors print their message; time.Duration values their
// String form; other kinds zerolog's encoding of them. opts.AddSource adds
// a "source" field "file:line". opts.ReplaceAttr is called for each
// attribute with the open groups, as slog specifies, but not for the time,
// level and message, whose place the FC layout fixes.
//
// The handler and those derived from it are safe for concurrent use.
// Formatting allocates nothing for strings, numbers, booleans, durations,
// times and errors (a value slog must box, such as a struct, costs its
// own); slog.Logger itself adds the cost of runtime.Callers per record,
// which makes a line a few times slower than the same line through
// zerolog (see BenchmarkSlogTextLine).
func NewSlogHandler(l *Logger, opts *slog.HandlerOptions) slog.Handler {
	h := &slogHandler{l: l}
	if opts != nil {
		h.opts = *opts
	}
	return h
}

type slogHandler struct {
	l      *Logger
	opts   slog.HandlerOptions
	attrs  []slog.Attr // from WithAttrs, their keys already prefixed
	prefix string      // the open groups, each followed by '.'
	groups []string    // the open groups, for ReplaceAttr
}

func (h *slogHandler) Enabled(_ context.Context, level slog.Level) bool {
	// opts.Level can raise the Logger's level, not lower it: a record
	// below either would be dropped anyway, after paying for its
	// attributes and caller.
	if h.opts.Level != nil && level < h.opts.Level.Level() {
		return false
	}
	return zerologLevel(level) >= h.l.level
}

func (h *slogHandler) Handle(ctx context.Context, r slog.Record) error {
	zl := h.logger(ctx)
	e := zl.WithLevel(zerologLevel(r.Level))
	if e == nil {
		return nil
	}
	for _, a := range h.attrs {
		addAttr(e, "", a)
	}
	if r.NumAttrs() > 0 {
		r.Attrs(func(a slog.Attr) bool {
			h.add(e, h.prefix, h.groups, a)
			return true
		})
	}
	if h.opts.AddSource && r.PC != 0 {
		f, _ := runtime.CallersFrames([]uintptr{r.PC}).Next()
		h.add(e, "", nil, slog.String(slog.SourceKey, f.File+":"+strconv.Itoa(f.Line)))
	}
	e.Msg(r.Message)
	return nil
}

// logger returns the zerolog logger of ctx's invocation, or l's own.
func (h *slogHandler) logger(ctx context.Context) *zerolog.Logger {
	if ctx != nil && ctxkey.Zerolog != nil {
		if zl, ok := ctx.Value(ctxkey.Zerolog).(*zerolog.Logger); ok && zl != nil {
			return zl
		}
	}
	return &h.l.base
}

func (h *slogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	h2 := *h
	h2.attrs = make([]slog.Attr, len(h.attrs), len(h.attrs)+len(attrs))
	copy(h2.attrs, h.attrs)
	for _, a := range attrs {
		h2.attrs = h.flatten(h2.attrs, h.prefix, h.groups, a)
	}
	return &h2
}

func (h *slogHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	h2 := *h
	h2.prefix = h.prefix + name + "."
	h2.groups = append(h.groups[:len(h.groups):len(h.groups)], name)
	return &h2
}

// flatten appends a, resolved, replaced and with its groups turned into
// key prefixes, to dst as plain attributes.
func (h *slogHandler) flatten(dst []slog.Attr, prefix string, groups []string, a slog.Attr) []slog.Attr {
	a.Value = a.Value.Resolve()
	if a.Value.Kind() == slog.KindGroup {
		members := a.Value.Group()
		if len(members) == 0 {
			return dst
		}
		if a.Key != "" {
			prefix += a.Key + "."
			groups = append(groups[:len(groups):len(groups)], a.Key)
		}
		for _, m := range members {
			dst = h.flatten(dst, prefix, groups, m)
		}
		return dst
	}
	if h.opts.ReplaceAttr != nil {
		a = h.opts.ReplaceAttr(groups, a)
		a.Value = a.Value.Resolve()
	}
	if a.Equal(slog.Attr{}) {
		return dst
	}
	a.Key = prefix + a.Key
	return append(dst, a)
}

// add writes a to e, as flatten would, without building a slice.
func (h *slogHandler) add(e *zerolog.Event, prefix string, groups []string, a slog.Attr) {
	a.Value = a.Value.Resolve()
	if a.Value.Kind() == slog.KindGroup || h.opts.ReplaceAttr != nil {
		var buf [8]slog.Attr
		for _, f := range h.flatten(buf[:0], prefix, groups, a) {
			addAttr(e, "", f)
		}
		return
	}
	if a.Equal(slog.Attr{}) {
		return
	}
	addAttr(e, prefix, a)
}

// addAttr writes one resolved attribute that is not a group.
func addAttr(e *zerolog.Event, prefix string, a slog.Attr) {
	key := a.Key
	if prefix != "" {
		key = prefix + key
	}
	v := a.Value
	switch v.Kind() {
	case slog.KindString:
		e.Str(key, v.String())
	case slog.KindInt64:
		e.Int64(key, v.Int64())
	case slog.KindUint64:
		e.Uint64(key, v.Uint64())
	case slog.KindFloat64:
		e.Float64(key, v.Float64())
	case slog.KindBool:
		e.Bool(key, v.Bool())
	case slog.KindDuration:
		e.Str(key, v.Duration().String())
	case slog.KindTime:
		e.Time(key, v.Time())
	default:
		switch x := v.Any().(type) {
		case error:
			e.AnErr(key, x)
		case nil:
			e.Interface(key, nil)
		default:
			e.Interface(key, x)
		}
	}
}

// zerologLevel maps a slog level to the zerolog level at or below it.
func zerologLevel(l slog.Level) zerolog.Level {
	switch {
	case l < slog.LevelDebug:
		return zerolog.TraceLevel
	case l < slog.LevelInfo:
		return zerolog.DebugLevel
	case l < slog.LevelWarn:
		return zerolog.InfoLevel
	case l < slog.LevelError:
		return zerolog.WarnLevel
	}
	return zerolog.ErrorLevel
}
