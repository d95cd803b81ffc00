// Package bench is fcgo's measurement suite: it compares fcgo with what a
// Go function on Function Compute would otherwise be written with, as
// ratios against a baseline measured in the same run.
//
// The package itself holds the adapter micro-benchmarks (event.JSON against
// aws-lambda-go's reflective handler and hand-written encoding/json). The
// commands under cmd/ are the load-test contenders (one binary each, all
// doing the work of internal/work on 127.0.0.1), the cold-start meter and
// the report generator; the script run drives them all and writes
// BENCHMARKS.md at the repository root.
//
// This is its own module, so that the peers it measures never enter the
// library's go.mod.
package bench
