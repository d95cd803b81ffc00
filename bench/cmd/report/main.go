// Command report writes BENCHMARKS.md from the raw outputs bench/run
// collects in one directory:
//
//	meta.txt      key=value lines: machine, command, settings, exit codes
//	check.jsonl   the checked warm-up runs (fc.lua's BENCHJSON lines)
//	load.jsonl    the measured wrk runs
//	coldstart.json  bench/cmd/coldstart -json
//	sizes.tsv     binary<TAB>bytes
//	rss.tsv       contender<TAB>phase<TAB>kB
//	logs.tsv      contender<TAB>log lines<TAB>start markers
//	micro.txt     go test -bench output of the bench module
//	lib.txt       go test -bench output of the library packages
//
// Every comparison is a ratio against a baseline of the same run. A missing
// file or benchmark shows as "n/a"; it is not an error, so that the report
// survives benchmarks being renamed or added.
//
//	report -dir /tmp/results -out BENCHMARKS.md
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
)

var nan = math.NaN()

// results is everything read from the directory.
type results struct {
	meta   map[string]string
	checks []loadRun
	load   []loadRun
	cold   *coldStart
	sizes  [][]string
	rss    [][]string
	logs   [][]string
	micro  *benchSet
	lib    *benchSet
}

func main() {
	dir := flag.String("dir", "", "directory with the raw outputs of bench/run (required)")
	out := flag.String("out", "BENCHMARKS.md", "file to write")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "report: -dir is required")
		flag.Usage()
		os.Exit(2)
	}
	r, err := read(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, []byte(render(r)), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

func read(dir string) (*results, error) {
	r := &results{}
	var err error
	p := func(name string) string { return filepath.Join(dir, name) }
	if r.meta, err = readMeta(p("meta.txt")); err != nil {
		return nil, err
	}
	if r.checks, err = readRuns(p("check.jsonl")); err != nil {
		return nil, err
	}
	if r.load, err = readRuns(p("load.jsonl")); err != nil {
		return nil, err
	}
	if r.cold, err = readColdStart(p("coldstart.json")); err != nil {
		return nil, err
	}
	if r.sizes, err = readTable(p("sizes.tsv")); err != nil {
		return nil, err
	}
	if r.rss, err = readTable(p("rss.tsv")); err != nil {
		return nil, err
	}
	if r.logs, err = readTable(p("logs.tsv")); err != nil {
		return nil, err
	}
	if r.micro, err = readBench(p("micro.txt")); err != nil {
		return nil, err
	}
	if r.lib, err = readBench(p("lib.txt")); err != nil {
		return nil, err
	}
	return r, nil
}
