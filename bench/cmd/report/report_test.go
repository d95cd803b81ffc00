package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const libOutput = `goos: linux
goarch: amd64
pkg: github.com/fcgo/fcgo/headers
cpu: AMD EPYC
BenchmarkParse-2   	  700000	      1600 ns/op	    1792 B/op	       1 allocs/op
BenchmarkParse-2   	  700000	      1700 ns/op	    1792 B/op	       1 allocs/op
BenchmarkParse-2   	  700000	      1500 ns/op	    1792 B/op	       1 allocs/op
PASS
ok  	github.com/fcgo/fcgo/headers	4.1s
pkg: github.com/fcgo/fcgo/logging
BenchmarkMarker-2             	10000000	       115.4 ns/op	       0 B/op	       0 allocs/op
BenchmarkTextLine-2           	 1000000	      1000 ns/op	       0 B/op	       0 allocs/op
BenchmarkZerologPlainJSON-2   	 2000000	       500.0 ns/op	       0 B/op	       0 allocs/op
some log line a benchmark printed
pkg: github.com/fcgo/fcgo/httpfn
BenchmarkStd/GET-2            	  200000	      6687 ns/op	    5160 B/op	       8 allocs/op
BenchmarkStd/Native/GET       	30000000	        39.4 ns/op	       0 B/op	       0 allocs/op
--- FAIL: BenchmarkBroken
FAIL	github.com/fcgo/fcgo/event	0.1s
`

func TestParseBench(t *testing.T) {
	s, err := parseBench(strings.NewReader(libOutput))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range s.list {
		names = append(names, b.Pkg+"."+b.Name)
	}
	want := "headers.BenchmarkParse logging.BenchmarkMarker logging.BenchmarkTextLine logging.BenchmarkZerologPlainJSON httpfn.BenchmarkStd/GET httpfn.BenchmarkStd/Native/GET"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("benchmarks %q, want %q", got, want)
	}
	p := s.get("headers", "BenchmarkParse")
	if p.ns() != 1600 || p.bytes() != 1792 || p.allocs() != 1 || len(p.NsOp) != 3 {
		t.Errorf("Parse: ns %v B %v allocs %v samples %d, want the median 1600, 1792, 1 of 3", p.ns(), p.bytes(), p.allocs(), len(p.NsOp))
	}
	if n := s.get("httpfn", "BenchmarkStd/Native/GET").ns(); n != 39.4 {
		t.Errorf("Native/GET without the -N suffix: %v ns/op, want 39.4", n)
	}
	if s.get("event", "BenchmarkBroken") != nil {
		t.Error("a failed benchmark has no result and must not appear")
	}
}

// Ratios are taken within each pass, then their median: a pass where the
// machine was slow for both does not skew the result.
func TestPairedNs(t *testing.T) {
	a := &benchResult{NsOp: []float64{100, 400, 120}}
	b := &benchResult{NsOp: []float64{100, 400, 60}}
	if got := pairedNs(a, b); got != 1 {
		t.Errorf("paired = %v, want 1 (ratios 1, 1, 2)", got)
	}
	if got := pairedNs(a, &benchResult{NsOp: []float64{50, 60}}); got != 120.0/55 {
		t.Errorf("unpaired = %v, want the ratio of the medians %v", got, 120.0/55)
	}
	if got := pairedNs(a, nil); !math.IsNaN(got) {
		t.Errorf("missing baseline = %v, want NaN", got)
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{{[]float64{3, 1, 2}, 2}, {[]float64{4, 1, 3, 2}, 2.5}, {[]float64{7}, 7}} {
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

// A report from partial results: what is missing shows as n/a, what is
// there is compared against its baseline.
func TestRenderPartial(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("meta.txt", "conns=1 64\nbudget_conns=64\nrounds=3\nrounds_other=1\ncommand=bench/run\n")
	write("load.jsonl", strings.Join([]string{
		`BENCHJSON {"scenario":"event","contender":"fasthttp","round":1,"conns":64,"rps":1000,"p50_us":100,"p99_us":900}`,
		`{"scenario":"event","contender":"fasthttp","round":2,"conns":64,"rps":3000,"p50_us":100,"p99_us":900}`,
		`{"scenario":"event","contender":"fasthttp","round":3,"conns":64,"rps":2000,"p50_us":100,"p99_us":900}`,
		`{"scenario":"event","contender":"fcgo-event","round":1,"conns":64,"requests":1000,"rps":1900,"p50_us":110,"p99_us":950,"syscw":1250}`,
		`{"scenario":"event","contender":"fcgo-event","round":2,"conns":64,"rps":1700,"p50_us":110,"p99_us":950,"non2xx":2}`,
		`{"scenario":"event","contender":"fcgo-event","round":3,"conns":64,"requests":1000,"rps":1800,"p50_us":110,"p99_us":950,"syscw":1350}`,
		`{"scenario":"event","contender":"nethttp","round":1,"conns":64,"rps":1000,"p50_us":300,"p99_us":2000}`,
	}, "\n"))
	write("lib.txt", libOutput)
	write("sizes.tsv", "hello\t6000000\nfasthttp\t5000000\n")
	r, err := read(dir)
	if err != nil {
		t.Fatal(err)
	}
	md := render(r)
	for _, want := range []string{
		"| event invoke end to end vs bare fasthttp (req/s, c=64) | ≥ 0.90× | 0.90× | met |",
		// Paired by round: net/http ran in round 1 only, against 1900.
		"| event invoke end to end vs net/http (req/s, c=64) | ≥ 1.6× | 1.90× | met |",
		"| event invoke end to end vs functions-framework-go (req/s, c=64) | ≥ 1.6× | n/a | n/a |",
		"| `event.JSON` invoke vs hand-written encoding/json (ns/op) | ≤ 1.2× | n/a | n/a |",
		"| `headers.Parse`, full header set with 1 KB token (allocs/op) | ≤ 1 | 1 | met |",
		"| FC text log line vs plain zerolog JSON (ns/op; in alternating blocks of 32 lines: n/a) | ≤ 1.5× | 2.00× | **MISSED** |",
		"| process start → first accepted connection (median) | ≤ 10 ms | n/a | n/a |",
		"| fcgo-event | 1 800 | 0.90× | 110 | 1.10× | 950 | 1.06× | 1.30 | 1 900, 1 700, 1 800 ⚠ 2 errors or non-2xx |",
		"| hello | 6 000 000 | 5.72 | 1.20× |",
		"| fcserver: BenchmarkDispatchEvent / BenchmarkDispatchBare | n/a | informative |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(md)
	}
}

func TestParseBenchCustomMetric(t *testing.T) {
	s, err := parseBench(strings.NewReader("pkg: github.com/fcgo/fcgo/logging\n" +
		"BenchmarkTextLineVsPlainJSON-2   	 1000000	      1017 ns/op	         1.650 x-plain	       0 B/op	       0 allocs/op\n" +
		"BenchmarkTextLineVsPlainJSON-2   	 1000000	      1052 ns/op	         1.450 x-plain	       0 B/op	       0 allocs/op\n" +
		"BenchmarkTextLineVsPlainJSON-2   	 1000000	      1052 ns/op	         1.500 x-plain	       0 B/op	       0 allocs/op\n"))
	if err != nil {
		t.Fatal(err)
	}
	b := s.get("logging", "BenchmarkTextLineVsPlainJSON")
	if got := b.metric("x-plain"); got != 1.5 {
		t.Errorf("x-plain median = %v, want 1.5", got)
	}
	if got := b.allocs(); got != 0 {
		t.Errorf("allocs = %v", got)
	}
	if !math.IsNaN(b.metric("other")) || !math.IsNaN((*benchResult)(nil).metric("x-plain")) {
		t.Error("a missing metric must be NaN")
	}
}
