package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// contender is one server of a load scenario.
type contender struct {
	name string
	what string
}

// The baseline of both load scenarios is the bare fasthttp server.
const baseline = "fasthttp"

var eventContenders = []contender{
	{"fcgo-event", "fcgo: `event.JSON` through `fcserver`: x-fc-* parsing, invocation context, start/end markers and one request log line per invoke (to a file)"},
	{"fasthttp", "bare fasthttp, the same work, no SDK, no logging (**baseline**)"},
	{"fasthttp-logged", "bare fasthttp, the same work, and by hand the log writes FC's contract asks of any server (SPEC §6, DESIGN rule 5): the start marker, the log line and the end marker in one write before the response; no SDK. What logging costs a hand-written server that makes a write per request"},
	{"fasthttp-fclog", "bare fasthttp, the same work, and the same log lines written through fcgo's `logging` package alone (its default: the start marker at once while requests come one at a time, with the line once they overlap; everything out before the response; writes shared between requests); no header parsing but the request id, no context, no dispatcher. What FC's log contract costs a server that writes as fcgo does"},
	{"nethttp", "plain net/http as FC samples write it (`http.HandleFunc(\"/invoke\")`, `ListenAndServe`), no logging"},
	{"funcframework", "functions-framework-go v1.9.2 typed function (`functions.Typed`, `funcframework.StartHostPort`), no logging. Its typed-function wrapper decodes every request into one value shared by all requests (one `reflect.New` at registration), so concurrent invokes race; the answers here are right only because every request is the same"},
}

var httpContenders = []contender{
	{"fcgo-http", "fcgo native: a fasthttp handler through `fcserver.WithHTTP`, markers and one request log line per invoke"},
	{"fcgo-std", "fcgo net/http: a ServeMux through `fcserver.WithStdHTTP` (`httpfn.Std`), markers and one request log line"},
	{"fasthttp", "bare fasthttp handler, no SDK, no logging (**baseline**)"},
	{"fasthttp-logged", "bare fasthttp handler writing by hand the markers and one log line, in one write per request"},
	{"fasthttp-fclog", "bare fasthttp handler writing the markers and one log line through fcgo's `logging` package alone, no other part of the SDK"},
	{"nethttp", "plain net/http ServeMux and `ListenAndServe`, no logging"},
}

// loadStat is the median of a contender's runs at one concurrency.
type loadStat struct {
	rps, p50, p99 float64
	writes        float64   // write system calls per request
	rounds        []float64 // req/s of each round, in order
	errors        int64     // socket errors and non-2xx answers, summed
}

func (r *results) stat(scenario, name string, conns int) loadStat {
	var rps, p50, p99, writes []float64
	var s loadStat
	for _, run := range r.load {
		if run.Scenario != scenario || run.Contender != name || run.Conns != conns {
			continue
		}
		rps = append(rps, run.RPS)
		p50 = append(p50, run.P50)
		p99 = append(p99, run.P99)
		s.errors += run.Errors + run.Non2xx
		if run.Syscw > 0 && run.Requests > 0 {
			writes = append(writes, float64(run.Syscw)/float64(run.Requests))
		}
	}
	s.rps, s.p50, s.p99, s.rounds = median(rps), median(p50), median(p99), rps
	s.writes = median(writes)
	return s
}

// budgetConns is the concurrency of the throughput budgets.
func (r *results) budgetConns() int {
	if c, err := strconv.Atoi(r.meta["budget_conns"]); err == nil {
		return c
	}
	return 64
}

// conns lists the measured concurrencies in the order of meta's "conns".
func (r *results) conns() []int {
	var cs []int
	for f := range strings.FieldsSeq(r.meta["conns"]) {
		if c, err := strconv.Atoi(f); err == nil {
			cs = append(cs, c)
		}
	}
	return cs
}

// budget is one line of the budget table.
type budget struct {
	what, limit, measured, status string
}

func verdict(v float64, ok bool) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	if ok {
		return "met"
	}
	return "**MISSED**"
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return nan
	}
	return a / b
}

func fx(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	return fmt.Sprintf("%.2f×", v)
}

func fnum(v float64, prec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

// fint formats a count with thin groups of three digits.
func fint(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	s := strconv.FormatInt(int64(math.Round(v)), 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (r *results) budgets() []budget {
	c := r.budgetConns()
	var bs []budget
	for _, peer := range []struct {
		name, what, limit string
		min               float64
	}{
		{"fasthttp", "event invoke end to end vs bare fasthttp", "≥ 0.90×", 0.90},
		{"nethttp", "event invoke end to end vs net/http", "≥ 1.6×", 1.6},
		{"funcframework", "event invoke end to end vs functions-framework-go", "≥ 1.6×", 1.6},
	} {
		v := r.paired("event", "fcgo-event", peer.name, c, rpsOf)
		bs = append(bs, budget{peer.what + fmt.Sprintf(" (req/s, c=%d)", c), peer.limit, fx(v), verdict(v, v >= peer.min)})
	}

	js, aws, hand := r.micro.get("bench", "BenchmarkEventJSON"), r.micro.get("bench", "BenchmarkAWSLambda"), r.micro.get("bench", "BenchmarkHandWritten")
	v := pairedNs(js, hand)
	bs = append(bs, budget{"`event.JSON` invoke vs hand-written encoding/json (ns/op)", "≤ 1.2×", fx(v), verdict(v, v <= 1.2)})
	v = pairedNs(aws, js)
	bs = append(bs, budget{"aws-lambda-go `lambda.NewHandler(fn).Invoke` vs `event.JSON` (ns/op; how much faster fcgo is)", "≥ 2×", fx(v), verdict(v, v >= 2)})
	ja, aa := allocsOf(js), allocsOf(aws)
	bs = append(bs, budget{"`event.JSON` allocations vs aws-lambda-go", "fewer", fnum(ja, 0) + " vs " + fnum(aa, 0), verdict(ja+aa, ja < aa)})

	if p := r.lib.get("headers", "BenchmarkParse"); p != nil {
		a := p.allocs()
		bs = append(bs, budget{"`headers.Parse`, full header set with 1 KB token (allocs/op)", "≤ 1", fnum(a, 0), verdict(a, a <= 1)})
	} else {
		bs = append(bs, budget{"`headers.Parse`, full header set with 1 KB token (allocs/op)", "≤ 1", "n/a", "n/a"})
	}
	for _, l := range []struct{ name, what string }{
		{"BenchmarkMarker", "start + end marker lines (allocs/op)"},
		{"BenchmarkTextLine", "request-scoped log line, FC text layout (allocs/op)"},
	} {
		a := nan
		if b := r.lib.get("logging", l.name); b != nil {
			a = b.allocs()
		}
		bs = append(bs, budget{l.what, "0", fnum(a, 0), verdict(a, a == 0)})
	}
	// The budget is judged on the separate benchmarks (go test -bench, each
	// loop alone), paired pass by pass. BenchmarkTextLineVsPlainJSON, which
	// alternates the two in blocks of 32 lines within one run, is shown
	// beside it: it resists a busy machine, but charges each side the cache
	// misses of switching to the other, the larger code path more.
	steady := pairedNs(r.lib.get("logging", "BenchmarkTextLine"), r.lib.get("logging", "BenchmarkZerologPlainJSON"))
	blocks := r.lib.get("logging", "BenchmarkTextLineVsPlainJSON").metric("x-plain")
	bs = append(bs, budget{"FC text log line vs plain zerolog JSON (ns/op; in alternating blocks of 32 lines: " + fx(blocks) + ")", "≤ 1.5×",
		fx(steady), verdict(steady, steady <= 1.5)})

	cs := nan
	if r.cold != nil {
		cs = r.cold.ConnectMS.Median
	}
	csText := "n/a"
	if r.cold != nil {
		csText = fnum(cs, 2) + " ms"
	}
	bs = append(bs, budget{"process start → first accepted connection (median)", "≤ 10 ms", csText, verdict(cs, cs <= 10)})

	v = r.paired("http", "fcgo-http", baseline, c, rpsOf)
	bs = append(bs, budget{fmt.Sprintf("native HTTP function vs bare fasthttp handler (req/s, c=%d)", c), "≥ 0.90×", fx(v), verdict(v, v >= 0.90)})
	return bs
}

// floors are the comparisons with the servers that write FC's log lines
// and do nothing else of the SDK: by hand, one request at a time, and
// through fcgo's logging package. They split the gap to bare fasthttp into
// what the log contract costs and what the rest of fcgo costs.
func (r *results) floors() []budget {
	c := r.budgetConns()
	var bs []budget
	for _, f := range []struct{ scenario, a, b, what string }{
		{"event", "fasthttp-logged", "fasthttp", "event: the log write alone (bare fasthttp writing it by hand vs bare fasthttp)"},
		{"event", "fcgo-event", "fasthttp-logged", "event: fcgo vs bare fasthttp writing the same lines"},
		{"event", "fasthttp-fclog", "fasthttp", "event: the log contract alone, written by fcgo's logger (bare fasthttp with it vs bare fasthttp)"},
		{"event", "fcgo-event", "fasthttp-fclog", "event: the rest of fcgo (fcgo vs bare fasthttp with fcgo's logger)"},
		{"http", "fasthttp-logged", "fasthttp", "HTTP: the log write alone"},
		{"http", "fcgo-http", "fasthttp-logged", "HTTP: fcgo native vs bare fasthttp writing the same lines"},
		{"http", "fasthttp-fclog", "fasthttp", "HTTP: the log contract alone, written by fcgo's logger"},
		{"http", "fcgo-http", "fasthttp-fclog", "HTTP: the rest of fcgo native"},
	} {
		v := r.paired(f.scenario, f.a, f.b, c, rpsOf)
		bs = append(bs, budget{f.what + fmt.Sprintf(" (req/s, c=%d)", c), "", fx(v), ""})
	}
	return bs
}

func rpsOf(l loadRun) float64 { return l.RPS }
func p50Of(l loadRun) float64 { return l.P50 }
func p99Of(l loadRun) float64 { return l.P99 }

// paired is the median, over the rounds both contenders ran at conns, of
// a's metric divided by b's in the same round: the runs of one round are
// seconds apart, so drift of the shared machine between rounds cancels.
func (r *results) paired(scenario, a, b string, conns int, metric func(loadRun) float64) float64 {
	byRound := func(name string) map[int]float64 {
		m := map[int]float64{}
		for _, run := range r.load {
			if run.Scenario == scenario && run.Contender == name && run.Conns == conns {
				m[run.Round] = metric(run)
			}
		}
		return m
	}
	ma, mb := byRound(a), byRound(b)
	var rs []float64
	for round, va := range ma {
		if vb, ok := mb[round]; ok && vb != 0 {
			rs = append(rs, va/vb)
		}
	}
	return median(rs)
}

// pairedNs is the median of a's ns/op divided by b's, pass by pass (the
// i-th sample of each comes from the same pass of bench/run); with unequal
// sample counts it falls back to the ratio of the medians.
func pairedNs(a, b *benchResult) float64 {
	if a == nil || b == nil {
		return nan
	}
	if len(a.NsOp) != len(b.NsOp) {
		return ratio(a.ns(), b.ns())
	}
	var rs []float64
	for i, v := range a.NsOp {
		if b.NsOp[i] != 0 {
			rs = append(rs, v/b.NsOp[i])
		}
	}
	return median(rs)
}

func allocsOf(b *benchResult) float64 {
	if b == nil {
		return nan
	}
	return b.allocs()
}

func render(r *results) string {
	var w strings.Builder
	m := r.meta
	p := func(format string, args ...any) { fmt.Fprintf(&w, format, args...) }
	p("# fcgo benchmarks\n\n")
	p("Generated by `bench/run`; do not edit by hand. Every comparison is a ratio against a baseline measured in the same run, on the same machine, minutes apart.\n\n")
	p("| | |\n|---|---|\n")
	for _, k := range []struct{ key, label string }{
		{"date", "date (UTC)"}, {"cpu", "CPU"}, {"nproc", "nproc"}, {"kernel", "kernel"}, {"go", "Go"},
		{"command", "command"}, {"settings", "settings"}, {"elapsed", "run time"},
	} {
		v := m[k.key]
		if v == "" {
			v = "n/a"
		}
		if k.key == "command" || k.key == "settings" {
			v = "`" + v + "`"
		}
		p("| %s | %s |\n", k.label, v)
	}
	p("\nThe machine is shared and noisy: the load generator (`wrk -t1`) and the server under test share its cores with whatever else runs. The contenders run in alternation, round by round, so drift hits all of them; the throughput budgets use the median of the rounds.\n\n")

	p("## Budgets\n\nFrom DESIGN.md's performance budgets.\n\n| budget | limit | measured | |\n|---|---|---|---|\n")
	for _, b := range r.budgets() {
		p("| %s | %s | %s | %s |\n", b.what, b.limit, b.measured, b.status)
	}
	p("\n### Against hand-written logging\n\nFC's contract makes any conforming server write to stdout on every request: the start marker, the log lines and the end marker, all before the response (the instance may freeze right after it). The bare baseline writes nothing. `fasthttp-logged` is bare fasthttp writing those lines by hand, with no SDK, in one write per request: the first rows show what that write alone costs. (fcgo writes the start marker at once, before the handler runs, while invocations come one at a time, so that output printed directly lands between the markers; once they overlap it writes an invocation's lines together, as here.) fcgo gathers the writes of concurrent requests into shared system calls (see the write system calls per request in the tables below), so it is not bound by that cost; the next rows compare it with the hand-written server (paired ratios of req/s, as above). `fasthttp-fclog` is bare fasthttp writing the same lines through fcgo's `logging` package and nothing else of the SDK: against bare fasthttp it shows what the log contract costs when written as fcgo writes it, and fcgo against it shows what the rest of the SDK costs (header parsing, the invocation context, dispatch, the adapters). The ≥ 0.90× budgets are met only if the two together cost at most 10%%.\n\n| comparison | ratio |\n|---|---:|\n")
	for _, b := range r.floors() {
		p("| %s | %s |\n", b.what, b.measured)
	}

	r.renderLoad(&w, "event", "Event invoke over loopback", "POST /invoke with the full x-fc-* header set (1 KB security token) and the payload `{\"name\":\"Ada\",\"count\":3}`, answered `{\"greeting\":\"hello, Ada\",\"count\":3}`", eventContenders)
	r.renderLoad(&w, "http", "HTTP function over loopback", "GET /hello?name=Ada&count=3 with the full x-fc-* header set (control path /http-invoke), answered `{\"greeting\":\"hello, Ada\",\"count\":3}` as application/json", httpContenders)
	r.renderChecks(&w)
	r.renderMicro(&w)
	r.renderColdStart(&w)
	r.renderSizes(&w)
	r.renderRSS(&w)
	r.renderLib(&w)
	return w.String()
}

func (r *results) renderLoad(w *strings.Builder, scenario, title, request string, cs []contender) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	c := r.budgetConns()
	p("\n## %s\n\n%s. Keep-alive connections, `wrk -t1`, %s s per run.\n\n", title, request, orNA(r.meta["seconds"]))
	p("| contender | what it is |\n|---|---|\n")
	for _, k := range cs {
		p("| %s | %s |\n", k.name, k.what)
	}
	p("\n### c=%d (median of the rounds)\n\n", c)
	p("| contender | req/s | × baseline | p50 µs | × baseline | p99 µs | × baseline | write syscalls per request | req/s of each round |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, k := range cs {
		s := r.stat(scenario, k.name, c)
		rounds := make([]string, len(s.rounds))
		for i, v := range s.rounds {
			rounds[i] = fint(v)
		}
		p("| %s | %s | %s | %s | %s | %s | %s | %s | %s%s |\n", k.name, fint(s.rps), fx(r.paired(scenario, k.name, baseline, c, rpsOf)),
			fnum(s.p50, 0), fx(r.paired(scenario, k.name, baseline, c, p50Of)), fnum(s.p99, 0), fx(r.paired(scenario, k.name, baseline, c, p99Of)),
			fnum(s.writes, 2), strings.Join(rounds, ", "), errNote(s.errors))
	}
	p("\n× baseline is the median over the rounds of the ratio within each round (a round's runs are seconds apart, so the ratio cancels the machine's drift between rounds); for latency, below 1 is better. Write system calls per request (median over the rounds) count every write(2) the server process made during the run, from `syscw` in /proc/<pid>/io: the answers on the sockets and the log lines on stdout.\n")
	conns := r.conns()
	if len(conns) == 0 {
		return
	}
	p("\n### Across concurrency\n\nreq/s (× baseline) and p50 / p99 latency in µs; c=%d is the median of %s rounds, the others the median of %s run(s).\n\n| contender |", c, orNA(r.meta["rounds"]), orNA(r.meta["rounds_other"]))
	for _, n := range conns {
		p(" c=%d |", n)
	}
	p("\n|---|")
	for range conns {
		p("---|")
	}
	p("\n")
	for _, k := range cs {
		p("| %s |", k.name)
		for _, n := range conns {
			s := r.stat(scenario, k.name, n)
			p(" %s (%s)<br>%s / %s%s |", fint(s.rps), fx(r.paired(scenario, k.name, baseline, n, rpsOf)), fnum(s.p50, 0), fnum(s.p99, 0), errNote(s.errors))
		}
		p("\n")
	}
	for _, l := range r.logs {
		if len(l) == 3 && scenarioOf(l[0], cs) {
			p("\n%s wrote %s log lines, %s of them start markers (all runs, warm-up included).\n", l[0], l[1], l[2])
		}
	}
}

func scenarioOf(name string, cs []contender) bool {
	for _, c := range cs {
		if c.name == name {
			return true
		}
	}
	return false
}

func errNote(n int64) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" ⚠ %d errors or non-2xx", n)
}

func orNA(s string) string {
	if s == "" {
		return "n/a"
	}
	return s
}

func (r *results) renderChecks(w *strings.Builder) {
	if len(r.checks) == 0 {
		return
	}
	fmt.Fprintf(w, "\n### Answers checked\n\nBefore measuring, a warm-up run per contender checked every answer (status 200 and the exact body):\n\n| scenario | contender | answers checked | wrong |\n|---|---|---:|---:|\n")
	for _, c := range r.checks {
		fmt.Fprintf(w, "| %s | %s | %s | %d |\n", c.Scenario, c.Contender, fint(float64(c.Checked)), c.Bad)
	}
}

func (r *results) renderMicro(w *strings.Builder) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("\n## Typed adapter, in process\n\n`h.Invoke(ctx, payload)` on `{\"name\":\"Ada\",\"count\":3}` with the same function, medians of %s passes of `go test -bench . -benchmem` in bench/ (× hand-written: the median of the ratios within each pass). Baseline: the same work hand-written with encoding/json (Unmarshal, the function, Marshal).\n\n", orNA(r.meta["micro_count"]))
	p("| adapter | ns/op | × hand-written | B/op | allocs/op |\n|---|---:|---:|---:|---:|\n")
	hand := r.micro.get("bench", "BenchmarkHandWritten")
	for _, a := range []struct{ name, label string }{
		{"BenchmarkEventJSON", "fcgo `event.JSON(fn).Invoke`"},
		{"BenchmarkAWSLambda", "aws-lambda-go v1.55.1 `lambda.NewHandler(fn).Invoke`"},
		{"BenchmarkHandWritten", "hand-written encoding/json (**baseline**)"},
	} {
		b := r.micro.get("bench", a.name)
		if b == nil {
			p("| %s | n/a | n/a | n/a | n/a |\n", a.label)
			continue
		}
		p("| %s | %s | %s | %s | %s |\n", a.label, fnum(b.ns(), 0), fx(pairedNs(b, hand)), fnum(b.bytes(), 0), fnum(b.allocs(), 0))
	}
	if s := r.meta["micro_exit"]; s != "" && s != "0" {
		p("\n⚠ `go test` of bench/ exited with status %s; see its output.\n", s)
	}
}

func (r *results) renderColdStart(w *strings.Builder) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("\n## Cold start\n\n")
	if r.cold == nil {
		p("n/a (no coldstart output)\n")
		return
	}
	p("`bench/cmd/coldstart`: %d starts of the static `%s` binary (examples/hello) with FC_SERVER_PORT set to a free port, after one unmeasured start; a dial every 100 µs from exec until the port accepts, then the first invoke on that connection (200 and the expected body), then SIGTERM and wait.\n\n", r.cold.Runs, r.cold.Binary)
	p("| from exec to | median ms | p90 ms | min ms | max ms |\n|---|---:|---:|---:|---:|\n")
	p("| first accepted connection | %s | %s | %s | %s |\n", fnum(r.cold.ConnectMS.Median, 2), fnum(r.cold.ConnectMS.P90, 2), fnum(r.cold.ConnectMS.Min, 2), fnum(r.cold.ConnectMS.Max, 2))
	p("| first successful invoke | %s | %s | %s | %s |\n", fnum(r.cold.InvokeMS.Median, 2), fnum(r.cold.InvokeMS.P90, 2), fnum(r.cold.InvokeMS.Min, 2), fnum(r.cold.InvokeMS.Max, 2))
}

func (r *results) renderSizes(w *strings.Builder) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("\n## Binary size\n\n`CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -trimpath -ldflags='-s -w'`. The bare binaries serve both the event and the HTTP route.\n\n")
	if len(r.sizes) == 0 {
		p("n/a\n")
		return
	}
	base := nan
	for _, s := range r.sizes {
		if len(s) == 2 && s[0] == baseline {
			base, _ = strconv.ParseFloat(s[1], 64)
		}
	}
	p("| binary | bytes | MiB | × bare fasthttp |\n|---|---:|---:|---:|\n")
	for _, s := range r.sizes {
		if len(s) != 2 {
			continue
		}
		n, err := strconv.ParseFloat(s[1], 64)
		if err != nil {
			n = nan
		}
		p("| %s | %s | %s | %s |\n", s[0], fint(n), fnum(n/(1<<20), 2), fx(ratio(n, base)))
	}
}

func (r *results) renderRSS(w *strings.Builder) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("\n## Memory\n\nVmRSS from /proc/PID/status: at idle right after start, and after the last load run (c=%s).\n\n", lastConns(r.conns()))
	if len(r.rss) == 0 {
		p("n/a\n")
		return
	}
	kb := map[string]map[string]float64{}
	var order []string
	for _, row := range r.rss {
		if len(row) != 3 {
			continue
		}
		v, err := strconv.ParseFloat(row[2], 64)
		if err != nil {
			continue
		}
		if kb[row[0]] == nil {
			kb[row[0]] = map[string]float64{}
			order = append(order, row[0])
		}
		kb[row[0]][row[1]] = v
	}
	get := func(name, phase string) float64 {
		if v, ok := kb[name][phase]; ok {
			return v
		}
		return nan
	}
	p("| contender | idle KiB | × bare fasthttp | after load KiB | × bare fasthttp |\n|---|---:|---:|---:|---:|\n")
	for _, name := range order {
		idle, after := get(name, "idle"), get(name, "after")
		p("| %s | %s | %s | %s | %s |\n", name, fint(idle), fx(ratio(idle, get(baseline, "idle"))), fint(after), fx(ratio(after, get(baseline, "after"))))
	}
}

func lastConns(cs []int) string {
	if len(cs) == 0 {
		return "n/a"
	}
	return strconv.Itoa(cs[len(cs)-1])
}

func (r *results) renderLib(w *strings.Builder) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("\n## Library micro-benchmarks\n\n`%s` from the repository root; medians of the %s runs.\n\n", orNA(r.meta["lib_command"]), orNA(r.meta["lib_count"]))
	if r.lib == nil || len(r.lib.list) == 0 {
		p("n/a (no benchmark output)\n")
	} else {
		p("| package | benchmark | ns/op | B/op | allocs/op |\n|---|---|---:|---:|---:|\n")
		for _, b := range r.lib.list {
			p("| %s | %s | %s | %s | %s |\n", b.Pkg, b.Name, fnum(b.ns(), 1), fnum(b.bytes(), 0), fnum(b.allocs(), 0))
		}
	}
	if s := r.meta["lib_exit"]; s != "" && s != "0" {
		p("\n⚠ the library benchmarks exited with status %s; see their output.\n", s)
	}
	p("\n| ratio | value | budget |\n|---|---:|---|\n")
	text := pairedNs(r.lib.get("logging", "BenchmarkTextLine"), r.lib.get("logging", "BenchmarkZerologPlainJSON"))
	p("| logging: BenchmarkTextLine / BenchmarkZerologPlainJSON | %s | ≤ 1.5×: %s |\n", fx(text), verdict(text, text <= 1.5))
	disp := pairedNs(r.lib.get("fcserver", "BenchmarkDispatchEvent"), r.lib.get("fcserver", "BenchmarkDispatchBare"))
	p("| fcserver: BenchmarkDispatchEvent / BenchmarkDispatchBare | %s | informative |\n", fx(disp))
}
