// Package headers parses the x-fc-* request headers that Alibaba Cloud
// Function Compute (FC) sends with every request to a custom runtime or custom
// container into a typed [Info], and carries it on a [context.Context].
//
// FC documents the headers at
// https://www.alibabacloud.com/help/en/functioncompute/fc-3-0/user-guide/custom-runtime-function-instance-lifecycle
// and the custom-runtime request pages; SPEC.md §3 of this project lists
// every header, what it means and how it is parsed.
//
// [Parse] walks the request headers once, matches names case-insensitively
// and copies every value into memory owned by the returned Info (a single
// allocation), so an Info stays valid after the request ends and may be
// handed to other goroutines. A malformed value never fails a request: the
// field stays at its zero value and Parse reports a [*ParseError] naming the
// header.
//
// A server parses with a [Parser] (fcserver does): the function's name,
// service, region and credentials (the 1 KB security token among them) are
// the same on every request of an instance, so a Parser copies them once
// and hands the same immutable strings to each Info while they match; only
// the request's own ids are copied per request. [Parser.ParseInto] writes
// into an Info the server keeps in per-request state of its own.
//
// [Credentials] holds the per-request STS credentials of the function's
// role. Its secret and token never print: String, GoString, every fmt verb,
// JSON, zerolog and slog output are redacted.
package headers
