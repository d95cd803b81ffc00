package logging_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/fcgo/fcgo/logging"
)

// The benchmarks log the same line, logRequestLine's fields, so the text
// and JSON layouts compare directly with plain zerolog.

func benchLine(zl *zerolog.Logger) {
	zl.Info().Str("user", "bob").Int("attempt", 3).Bool("cached", false).Float64("ms", 12.5).Err(errBench).Msg("handled request")
}

var errBench = io.ErrUnexpectedEOF

func BenchmarkMarker(b *testing.B) {
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		buf = logging.AppendStart(buf[:0], logging.KindInvoke, reqID)
		buf = logging.AppendEnd(buf, logging.KindInvoke, reqID, false)
	}
}

// benchLogger is a Logger writing to discard, with the environment's
// level and format settings cleared for the benchmark.
func benchLogger(b *testing.B, opts ...logging.Option) *logging.Logger {
	b.Setenv(logging.EnvLevel, "")
	b.Setenv(logging.EnvFormat, "")
	return logging.New(discard{}, opts...)
}

func benchInvocationLine(b *testing.B, opts ...logging.Option) {
	l := benchLogger(b, opts...)
	inv := l.Begin(logging.KindInvoke, reqID)
	zl := inv.Logger()
	b.ReportAllocs()
	for b.Loop() {
		benchLine(zl)
	}
	inv.End(false)
}

// BenchmarkInvocation is the logging of one short request: Begin (the
// start marker written), one line, End (the line and the end marker
// written together).
func BenchmarkInvocation(b *testing.B) {
	l := benchLogger(b)
	b.ReportAllocs()
	for b.Loop() {
		inv := l.Begin(logging.KindInvoke, reqID)
		benchLine(inv.Logger())
		inv.End(false)
	}
}

// BenchmarkParallelInvocation is BenchmarkInvocation from many goroutines
// at once, as concurrent requests log: their writes are shared.
func BenchmarkParallelInvocation(b *testing.B) {
	l := benchLogger(b)
	b.ReportAllocs()
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			inv := l.Begin(logging.KindInvoke, reqID)
			benchLine(inv.Logger())
			inv.End(false)
		}
	})
}

func BenchmarkTextLine(b *testing.B) { benchInvocationLine(b) }

func BenchmarkTextLineUnbuffered(b *testing.B) { benchInvocationLine(b, logging.Unbuffered()) }

func BenchmarkJSONLine(b *testing.B) { benchInvocationLine(b, logging.WithFormat(logging.JSON)) }

// BenchmarkZerologPlainJSON is the baseline: zerolog writing the same
// fields straight to a writer, with a timestamp as our layouts have.
func BenchmarkZerologPlainJSON(b *testing.B) {
	zl := zerolog.New(io.Discard).With().Timestamp().Str("requestId", reqID).Logger()
	b.ReportAllocs()
	for b.Loop() {
		benchLine(&zl)
	}
}

// BenchmarkParallelTextLine logs from many goroutines, each its own
// invocation, as concurrent requests do.
func BenchmarkParallelTextLine(b *testing.B) {
	l := benchLogger(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		inv := l.Begin(logging.KindInvoke, reqID)
		zl := inv.Logger()
		for pb.Next() {
			benchLine(zl)
		}
		inv.End(false)
	})
}

// BenchmarkTextLineVsPlainJSON logs the same line through a text-layout
// invocation and through plain zerolog JSON, alternating in short blocks,
// and reports the median over the blocks of the text line's cost as a
// multiple of the plain one ("x-plain"): a busy machine slows both alike,
// and the median drops the blocks a preemption hit.
func BenchmarkTextLineVsPlainJSON(b *testing.B) {
	l := benchLogger(b)
	inv := l.Begin(logging.KindInvoke, reqID)
	text := inv.Logger()
	plain := zerolog.New(io.Discard).With().Timestamp().Str("requestId", reqID).Logger()
	const block = 32
	var ratios []float64
	b.ReportAllocs()
	for i := 0; i < b.N; i += 2 * block {
		t0 := time.Now()
		for range block {
			benchLine(text)
		}
		t1 := time.Now()
		for range block {
			benchLine(&plain)
		}
		ratios = append(ratios, float64(t1.Sub(t0))/float64(time.Since(t1)))
	}
	inv.End(false)
	slices.Sort(ratios)
	b.ReportMetric(ratios[len(ratios)/2], "x-plain")
}

// BenchmarkSlogTextLine is benchLine's line through the slog bridge with
// the invocation's context: compare with BenchmarkTextLine.
func BenchmarkSlogTextLine(b *testing.B) {
	l := benchLogger(b)
	inv := l.Begin(logging.KindInvoke, reqID)
	ctx := inv.WithContext(context.Background())
	log := slog.New(l.SlogHandler())
	b.ReportAllocs()
	for b.Loop() {
		log.InfoContext(ctx, "handled request", "user", "bob", "attempt", 3, "cached", false, "ms", 12.5, "error", errBench)
	}
	inv.End(false)
}
