// Package soak holds fcgo's load, fault and shutdown tests of a real
// function process, and the small protocol between those tests and the
// function they run (command soakfn, in the soakfn directory).
//
// The tests start the function as a subprocess with its stdout going to a
// file, as FC runs a custom runtime and collects its stdout: the process
// has its own goroutines, heap, signal handling and exit code, measured
// apart from the test's client, and the file holds every byte the function
// printed, in order.
//
// TestShutdown* (always run, part of go test ./...): SIGTERM while
// invocations are in flight, a pre-stop hook beside them, and a drain
// that times out.
//
// TestSoak (build tag soak): 200 keep-alive connections send a mix of
// events, failures, panics, HTTP invokes and hook calls for a while, with
// the process frozen (SIGSTOP) and thawed now and then; every answer and
// every stdout line is checked, and goroutines and heap must return to
// their baseline. A short run:
//
//	go test -tags soak ./internal/soak -run TestSoak -v
//
// A long one:
//
//	go test -tags soak ./internal/soak -run TestSoak -v -soak.duration=10m -timeout 30m
package soak

import (
	"hash/crc32"
	"strconv"
	"strings"
)

// Event is the payload of a soak event invocation: it tells the function
// what to do, so that the test knows exactly what to expect.
type Event struct {
	ID         string `json:"id"`                   // echoed in the Reply
	Lines      int    `json:"lines,omitempty"`      // log lines to write ("soak line n=<n>[ fill=<fill>]")
	LineSize   int    `json:"lineSize,omitempty"`   // bytes of fill on each line (Fill)
	Goroutines int    `json:"goroutines,omitempty"` // write the lines from this many goroutines at once
	SleepMS    int    `json:"sleepMs,omitempty"`    // half the lines, then this long a wait (ended early by the deadline), then the rest
	WaitFile   string `json:"waitFile,omitempty"`   // as SleepMS, but the wait lasts until this file exists
	Fail       string `json:"fail,omitempty"`       // "", or one of the Fail* values
	Print      bool   `json:"print,omitempty"`      // also print "soak direct print <id>" to stdout with fmt
	Pad        string `json:"pad,omitempty"`        // filler that makes the payload its intended size
}

// How an event invocation fails, after it has written its lines.
const (
	FailError   = "error"   // returns event.NewError(ErrorType, "requested failure <id>")
	FailPlain   = "plain"   // returns errors.New("plain failure <id>"): errorType HandlerError
	FailPanic   = "panic"   // panics with "soak panic <id>"
	FailTimeout = "timeout" // waits for the deadline and returns ctx.Err(): errorType FunctionTimeout
)

// ErrorType is the errorType of FailError.
const ErrorType = "SoakError"

// Reply is the answer of a successful event invocation: it echoes the
// request, so that an answer delivered to the wrong request, or a payload
// corrupted on the way, shows.
type Reply struct {
	RequestID string `json:"requestId"` // x-fc-request-id, from headers.Info
	ID        string `json:"id"`        // Event.ID
	PadLen    int    `json:"padLen"`    // len(Event.Pad), in bytes
	PadCRC    uint32 `json:"padCrc"`    // Checksum(Event.Pad)
}

// Checksum is the CRC-32C of b.
func Checksum(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Fill returns the size bytes of filler of log line n of request id: the
// text "<id>.<n>:" over and over, cut at size. Nothing in it needs quoting
// in the text layout, so a line shows it as it is.
func Fill(id string, n, size int) string {
	if size <= 0 {
		return ""
	}
	unit := id + "." + strconv.Itoa(n) + ":"
	return strings.Repeat(unit, size/len(unit)+1)[:size]
}

// HookBehaviour reads what a hook call asks for from the suffix of its
// request id: "<id>~fail" fails (404), "<id>~restart" asks for a restart
// (500), "<id>~sleep<ms>" succeeds after ms milliseconds; anything else
// succeeds at once.
func HookBehaviour(requestID string) (fail, restart bool, sleepMS int) {
	_, suffix, ok := strings.Cut(requestID, "~")
	if !ok {
		return false, false, 0
	}
	switch {
	case suffix == "fail":
		return true, false, 0
	case suffix == "restart":
		return false, true, 0
	case strings.HasPrefix(suffix, "sleep"):
		ms, _ := strconv.Atoi(strings.TrimPrefix(suffix, "sleep"))
		return false, false, ms
	}
	return false, false, 0
}

// Stats is the answer of GET /debug/stats, an HTTP invoke the soak function
// serves after two garbage collections.
type Stats struct {
	Goroutines int    `json:"goroutines"` // runtime.NumGoroutine()
	HeapAlloc  uint64 `json:"heapAlloc"`  // bytes of live heap objects
	HeapInuse  uint64 `json:"heapInuse"`  // bytes in in-use heap spans (runtime.MemStats.HeapInuse)
}
