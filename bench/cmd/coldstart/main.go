// Command coldstart measures how fast an fcgo function is ready after it is
// started, as FC starts an instance: it runs the examples/hello binary (or
// the one given with -bin) -n times, each with FC_SERVER_PORT set to a free
// port, and measures the time from exec to its first TCP connection (a dial
// every 100 µs until the port accepts) and to its first successful invoke
// (POST /invoke with x-fc-request-id on that connection, answered 200 with
// the expected body), then stops it with SIGTERM and waits for it to exit.
// One start before the measured ones warms the page cache and is not
// counted.
//
// It prints a summary on stderr and, with -json, writes the samples and
// their median and p90 to a file for bench/cmd/report.
//
//	coldstart [-bin path] [-n 20] [-json coldstart.json]
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	payload    = `{"name":"Ada"}`
	wantAnswer = `{"greeting":"hello, Ada"}`
	dialEvery  = 100 * time.Microsecond
	readyLimit = 5 * time.Second // a start slower than this is a failure
)

// sample is one measured start.
type sample struct {
	ConnectNS int64 `json:"connect_ns"` // exec → first accepted TCP connection
	InvokeNS  int64 `json:"invoke_ns"`  // exec → first successful invoke answered
}

// result is what -json writes.
type result struct {
	Binary    string   `json:"binary"`
	Runs      int      `json:"runs"`
	Samples   []sample `json:"samples"`
	ConnectMS stats    `json:"connect_ms"`
	InvokeMS  stats    `json:"invoke_ms"`
}

type stats struct {
	Median float64 `json:"median"`
	P90    float64 `json:"p90"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
}

func main() {
	bin := flag.String("bin", "", "function binary to start (default: build examples/hello of the enclosing fcgo repository)")
	n := flag.Int("n", 20, "number of measured starts")
	out := flag.String("json", "", "write the samples and statistics as JSON to this file")
	flag.Parse()
	if err := run(*bin, *n, *out); err != nil {
		fmt.Fprintln(os.Stderr, "coldstart:", err)
		os.Exit(1)
	}
}

func run(bin string, n int, out string) error {
	if n < 1 {
		return fmt.Errorf("-n must be at least 1, got %d", n)
	}
	if bin == "" {
		dir, err := os.MkdirTemp("", "coldstart")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if bin, err = buildHello(dir); err != nil {
			return err
		}
	}
	if _, err := measure(bin); err != nil { // warm-up, not counted
		return err
	}
	res := result{Binary: filepath.Base(bin), Runs: n}
	for range n {
		s, err := measure(bin)
		if err != nil {
			return err
		}
		res.Samples = append(res.Samples, s)
	}
	res.ConnectMS = summarize(res.Samples, func(s sample) int64 { return s.ConnectNS })
	res.InvokeMS = summarize(res.Samples, func(s sample) int64 { return s.InvokeNS })
	fmt.Fprintf(os.Stderr, "coldstart: %s, %d starts: exec → first connection median %.2f ms (p90 %.2f); exec → first invoke median %.2f ms (p90 %.2f)\n",
		res.Binary, n, res.ConnectMS.Median, res.ConnectMS.P90, res.InvokeMS.Median, res.InvokeMS.P90)
	if out == "" {
		return nil
	}
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(out, append(b, '\n'), 0o644)
}

// buildHello builds examples/hello of the repository this command runs
// in (found from the working directory upwards) into dir.
func buildHello(dir string) (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "hello")
	cmd := exec.Command("go", "build", "-o", bin, "./examples/hello")
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building examples/hello in %s: %w", root, err)
	}
	return bin, nil
}

// repoRoot returns the nearest directory upwards whose go.mod declares
// module github.com/fcgo/fcgo.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.HasPrefix(string(b), "module github.com/fcgo/fcgo\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the fcgo repository: run from it, or pass -bin")
		}
		dir = parent
	}
}

// freePort asks the kernel for a free loopback port. Another process may
// take it before the function binds it; the function then fails to start
// and measure reports that.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// measure starts bin once and times its first connection and invoke.
func measure(bin string) (sample, error) {
	port, err := freePort()
	if err != nil {
		return sample{}, err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "FC_SERVER_PORT="+strconv.Itoa(port), "FC_CUSTOM_LISTEN_PORT=")
	// Stdout and stderr stay nil: the function's log lines go to /dev/null.
	exited := make(chan error, 1)

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return sample{}, fmt.Errorf("starting %s: %w", bin, err)
	}
	go func() { exited <- cmd.Wait() }()
	defer stop(cmd, exited)

	conn, err := dialUntilReady(addr, start, exited)
	if err != nil {
		return sample{}, err
	}
	defer conn.Close()
	connected := time.Since(start)
	if err := invoke(conn); err != nil {
		return sample{}, err
	}
	invoked := time.Since(start)
	return sample{ConnectNS: connected.Nanoseconds(), InvokeNS: invoked.Nanoseconds()}, nil
}

func dialUntilReady(addr string, start time.Time, exited <-chan error) (net.Conn, error) {
	for {
		conn, err := net.DialTimeout("tcp", addr, readyLimit)
		if err == nil {
			return conn, nil
		}
		select {
		case werr := <-exited:
			return nil, fmt.Errorf("the function exited before it accepted a connection on %s: %v", addr, werr)
		default:
		}
		if time.Since(start) > readyLimit {
			return nil, fmt.Errorf("the function did not accept a connection on %s within %v: %w", addr, readyLimit, err)
		}
		time.Sleep(dialEvery)
	}
}

// invoke sends one event invocation on conn and checks the answer.
func invoke(conn net.Conn) error {
	if err := conn.SetDeadline(time.Now().Add(readyLimit)); err != nil {
		return err
	}
	req := "POST /invoke HTTP/1.1\r\nHost: " + conn.RemoteAddr().String() +
		"\r\nx-fc-request-id: coldstart-1\r\nx-fc-control-path: /invoke\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
		strconv.Itoa(len(payload)) + "\r\n\r\n" + payload
	if _, err := io.WriteString(conn, req); err != nil {
		return fmt.Errorf("sending the first invoke: %w", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return fmt.Errorf("reading the first invoke's answer: %w", err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return fmt.Errorf("reading the first invoke's answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK || string(body) != wantAnswer {
		return fmt.Errorf("the first invoke answered %d %q, want 200 %q", resp.StatusCode, body, wantAnswer)
	}
	return nil
}

// stop sends SIGTERM and waits for the exit, killing the process if it
// has not exited within readyLimit.
func stop(cmd *exec.Cmd, exited <-chan error) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(readyLimit):
		_ = cmd.Process.Kill()
		<-exited
	}
}

func summarize(samples []sample, get func(sample) int64) stats {
	ms := make([]float64, len(samples))
	for i, s := range samples {
		ms[i] = float64(get(s)) / 1e6
	}
	slices.Sort(ms)
	return stats{Median: percentile(ms, 50), P90: percentile(ms, 90), Min: ms[0], Max: ms[len(ms)-1]}
}

// percentile returns the nearest-rank percentile p of sorted values; for
// an even count the median is the mean of the two middle values.
func percentile(sorted []float64, p float64) float64 {
	n := len(sorted)
	if p == 50 && n%2 == 0 {
		return (sorted[n/2-1] + sorted[n/2]) / 2
	}
	rank := int(math.Ceil(float64(n)*p/100)) - 1
	return sorted[max(0, min(rank, n-1))]
}
