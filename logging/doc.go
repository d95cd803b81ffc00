// Package logging writes Function Compute's log lines through zerolog.
//
// FC collects everything a custom runtime writes to stdout into the
// function's Log Service logstore, and finds one request's lines between two
// marker lines (SPEC §6):
//
//	FC Invoke Start RequestId: 1-67a59f35-150c1267-f381ba1c085c
//	2026-11-28T06:33:08.123Z 1-67a59f35-150c1267-f381ba1c085c [INFO] greeting name=bob
//	FC Invoke End RequestId: 1-67a59f35-150c1267-f381ba1c085c
//
// A [Logger] is the process-wide destination (stdout by default) with its
// layout ([Text], the default, or [JSON] lines) and level. [Logger.Begin]
// starts an [Invocation]: it logs the start marker, hands out a
// *zerolog.Logger that stamps the request id on every line, and
// [Invocation.End] writes the end marker (with ", Error: Unhandled function
// error" when the invocation failed).
//
// Every line is complete in one Write, so concurrent invocations never
// interleave inside a line. By default an invocation's lines are collected
// and written together when it ends, before its response is sent (an
// instance may be frozen right after), or earlier when they grow large or
// the oldest has waited [DefaultFlushAge] (a timer writes them out even if
// the invocation logs nothing more); [Unbuffered] writes each line at once.
// The start marker is written at once while invocations run one at a time,
// so that output printed directly follows it, and collected with the lines
// once two have run at the same time (see [Logger.Begin]).
// The writes of concurrent invocations are combined: a write that finds
// stdout idle first lets the goroutines ready to run reach their own writes
// (other requests' start markers and ends), and one system call carries
// them all, so under load a request costs well under one write system call.
// Formatting a line allocates nothing.
//
// Code that logs with log/slog gets the same lines through
// [NewSlogHandler] (or [Logger.SlogHandler]): pass the invocation's
// context (slog.InfoContext(ctx, …)) and the line carries its request id
// and is written between its markers.
//
// The package never changes zerolog's global settings: the application owns
// them.
package logging
