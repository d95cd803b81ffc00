package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// loadRun is one wrk run, as fc.lua's done() prints it.
type loadRun struct {
	Scenario   string  `json:"scenario"`
	Contender  string  `json:"contender"`
	Round      int     `json:"round"`
	Conns      int     `json:"conns"`
	Requests   int64   `json:"requests"`
	DurationUS int64   `json:"duration_us"`
	RPS        float64 `json:"rps"`
	P50        float64 `json:"p50_us"`
	P99        float64 `json:"p99_us"`
	Max        float64 `json:"max_us"`
	Errors     int64   `json:"errors"`
	Non2xx     int64   `json:"non2xx"`
	Checked    int64   `json:"checked"`
	Bad        int64   `json:"bad"`
	FirstBad   string  `json:"first_bad"`
	// Syscw is the write system calls the server made during the run
	// (its answers and its log lines), from /proc/<pid>/io.
	Syscw int64 `json:"syscw"`
}

// readRuns reads a file of JSON lines; a missing file is no runs.
func readRuns(name string) ([]loadRun, error) {
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var runs []loadRun
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "BENCHJSON "))
		if line == "" {
			continue
		}
		var r loadRun
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		runs = append(runs, r)
	}
	return runs, sc.Err()
}

// benchResult gathers the samples of one benchmark over -count runs.
type benchResult struct {
	Pkg    string // last element of the package path
	Name   string // without the -GOMAXPROCS suffix
	NsOp   []float64
	BOp    []float64
	Allocs []float64
	Custom map[string][]float64 // b.ReportMetric units, e.g. "x-plain"
}

// metric is the median of a custom metric, NaN when there is none.
func (b *benchResult) metric(unit string) float64 {
	if b == nil || len(b.Custom[unit]) == 0 {
		return math.NaN()
	}
	return median(b.Custom[unit])
}

func (b *benchResult) ns() float64     { return median(b.NsOp) }
func (b *benchResult) bytes() float64  { return median(b.BOp) }
func (b *benchResult) allocs() float64 { return median(b.Allocs) }

// benchSet is the parsed output of go test -bench, in order of first
// appearance.
type benchSet struct {
	list []*benchResult
	byID map[string]*benchResult // "pkg.Name"
}

// get returns the benchmark of package pkg (last path element) named
// name, or nil when the output does not have it.
func (s *benchSet) get(pkg, name string) *benchResult {
	if s == nil {
		return nil
	}
	return s.byID[pkg+"."+name]
}

var benchLine = regexp.MustCompile(`^(Benchmark\S*?)(?:-\d+)?\s+\d+\s+(.*)$`)

// parseBench reads go test -bench output, tolerating anything else in it
// (PASS, ok, log lines, failures): benchmarks that are missing are simply
// absent from the result.
func parseBench(r io.Reader) (*benchSet, error) {
	s := &benchSet{byID: map[string]*benchResult{}}
	pkg := ""
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = path.Base(strings.TrimSpace(p))
			continue
		}
		m := benchLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		id := pkg + "." + m[1]
		b := s.byID[id]
		if b == nil {
			b = &benchResult{Pkg: pkg, Name: m[1]}
			s.byID[id] = b
			s.list = append(s.list, b)
		}
		f := strings.Fields(m[2])
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "ns/op":
				b.NsOp = append(b.NsOp, v)
			case "B/op":
				b.BOp = append(b.BOp, v)
			case "allocs/op":
				b.Allocs = append(b.Allocs, v)
			default:
				if b.Custom == nil {
					b.Custom = map[string][]float64{}
				}
				b.Custom[f[i+1]] = append(b.Custom[f[i+1]], v)
			}
		}
	}
	return s, sc.Err()
}

func readBench(name string) (*benchSet, error) {
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseBench(f)
}

// readTable reads a tab-separated file into rows; a missing file is no
// rows.
func readTable(name string) ([][]string, error) {
	b, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var rows [][]string
	for line := range strings.SplitSeq(string(b), "\n") {
		if strings.TrimSpace(line) != "" {
			rows = append(rows, strings.Split(line, "\t"))
		}
	}
	return rows, nil
}

// readMeta reads key=value lines.
func readMeta(name string) (map[string]string, error) {
	rows, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for line := range strings.SplitSeq(string(rows), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			m[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return m, nil
}

// coldStart is what bench/cmd/coldstart writes with -json.
type coldStart struct {
	Binary    string    `json:"binary"`
	Runs      int       `json:"runs"`
	ConnectMS coldStats `json:"connect_ms"`
	InvokeMS  coldStats `json:"invoke_ms"`
}

type coldStats struct {
	Median float64 `json:"median"`
	P90    float64 `json:"p90"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
}

func readColdStart(name string) (*coldStart, error) {
	b, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var c coldStart
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &c, nil
}

// median of the values; NaN for none.
func median(v []float64) float64 {
	if len(v) == 0 {
		return nan
	}
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
