package logging

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// benchJSON is the line zerolog writes for logging_bench_test.go's
// benchLine inside an invocation (no timestamp of its own).
const benchJSON = `{"level":"info","user":"bob","attempt":3,"cached":false,"ms":12.5,"error":"unexpected EOF","message":"handled request"}`

// BenchmarkAppendTextBody is the conversion alone, for tuning it.
func BenchmarkAppendTextBody(b *testing.B) {
	line := []byte(benchJSON)
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		var ok bool
		if buf, ok = appendTextBody(buf[:0], line); !ok {
			b.Fatal("left the one-pass conversion")
		}
	}
}

// BenchmarkAppendTextLineOnly is the whole text line but the clock and the
// invocation's lock.
func BenchmarkAppendTextLineOnly(b *testing.B) {
	line := []byte(benchJSON)
	buf := make([]byte, 0, 1024)
	var stamps atomic.Pointer[stamp]
	c := newLineCtx("1-67a59f35-150c1267-f381ba1c085c", &stamps)
	now := time.Date(2026, 11, 28, 6, 33, 8, 123456789, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		buf = appendTextLine(buf[:0], now, &c, zerolog.InfoLevel, line)
	}
}
