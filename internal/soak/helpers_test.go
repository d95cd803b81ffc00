package soak_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
)

// waitLimit bounds every wait of these tests (a build, a start, an answer,
// an exit), so that a bug fails a test instead of hanging it. A passing
// test never waits for it.
const waitLimit = 60 * time.Second

var binary struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binary.dir != "" {
		_ = os.RemoveAll(binary.dir)
	}
	os.Exit(code)
}

// functionBinary builds cmd soakfn once per test binary, with the race
// detector when the tests have it, so that a race in the library under
// load or shutdown fails the function process (exit status 66).
func functionBinary(t *testing.T) string {
	t.Helper()
	binary.once.Do(func() {
		binary.dir, binary.err = os.MkdirTemp("", "soakfn-")
		if binary.err != nil {
			return
		}
		binary.path = filepath.Join(binary.dir, "soakfn")
		args := []string{"build", "-o", binary.path}
		if raceEnabled {
			args = append(args, "-race")
		}
		cmd := exec.Command("go", append(args, "./soakfn")...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			binary.err = fmt.Errorf("go build ./soakfn: %v\n%s", err, out)
		}
	})
	require.NoError(t, binary.err)
	return binary.path
}

// function is a running soakfn process whose stdout and stderr go to
// files, as FC collects a custom runtime's output.
type function struct {
	t       *testing.T
	cmd     *exec.Cmd
	stdout  string // path of the stdout file
	stderr  string
	addr    string        // host:port it listens on
	exited  chan struct{} // closed when the process has exited
	waitErr error         // cmd.Wait's result, once exited is closed
}

// startFunction starts soakfn with args (plus -addr 127.0.0.1:0) and waits
// for its "listening" line, which names the port. The process is killed
// when the test ends, if it is still running.
func startFunction(t *testing.T, args ...string) *function {
	t.Helper()
	dir := t.TempDir()
	f := &function{
		t:      t,
		stdout: filepath.Join(dir, "stdout"),
		stderr: filepath.Join(dir, "stderr"),
		exited: make(chan struct{}),
	}
	stdout, err := os.Create(f.stdout)
	require.NoError(t, err)
	defer stdout.Close()
	stderr, err := os.Create(f.stderr)
	require.NoError(t, err)
	defer stderr.Close()

	f.cmd = exec.Command(functionBinary(t), append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	// The files themselves, not pipes: the process writes to them as it
	// would to FC's log collector, with no copying goroutine of ours in
	// between that could lose or reorder bytes.
	f.cmd.Stdout, f.cmd.Stderr = stdout, stderr
	f.cmd.Env = append(os.Environ(), "FCGO_LOG_LEVEL=", "FCGO_LOG_FORMAT=")
	require.NoError(t, f.cmd.Start())
	go func() {
		f.waitErr = f.cmd.Wait()
		close(f.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-f.exited:
		default:
			_ = f.cmd.Process.Kill()
			<-f.exited
		}
	})

	listening := regexp.MustCompile(`^` + timestamp + ` \[INFO\] fcgo: function server listening addr=(127\.0\.0\.1:\d+)$`)
	line := f.waitForLine(func(l string) bool { return listening.MatchString(l) }, "the listening line")
	f.addr = listening.FindStringSubmatch(line)[1]
	return f
}

// lines returns the complete lines of stdout so far.
func (f *function) lines() []string {
	f.t.Helper()
	b, err := os.ReadFile(f.stdout)
	require.NoError(f.t, err)
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	} else {
		return nil
	}
	return strings.Split(string(b), "\n")
}

// waitForLine polls stdout until a line satisfies ok, and returns it.
func (f *function) waitForLine(ok func(string) bool, what string) string {
	f.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for time.Now().Before(deadline) {
		for _, l := range f.lines() {
			if ok(l) {
				return l
			}
		}
		select {
		case <-f.exited:
			require.FailNowf(f.t, "the function exited", "waiting for %s: %v; stderr: %s", what, f.waitErr, f.stderrText())
		case <-time.After(10 * time.Millisecond):
		}
	}
	require.FailNow(f.t, "timed out waiting for "+what)
	return ""
}

func (f *function) stderrText() string {
	b, _ := os.ReadFile(f.stderr)
	return string(b)
}

// signal sends sig to the process.
func (f *function) signal(sig syscall.Signal) {
	f.t.Helper()
	require.NoError(f.t, f.cmd.Process.Signal(sig))
}

// wait waits for the process to exit and returns its exit code.
func (f *function) wait() int {
	f.t.Helper()
	select {
	case <-f.exited:
	case <-time.After(waitLimit):
		require.FailNow(f.t, "the function did not exit")
	}
	var exit *exec.ExitError
	if errors.As(f.waitErr, &exit) {
		return exit.ExitCode()
	}
	require.NoError(f.t, f.waitErr)
	return 0
}

// dial opens a keep-alive connection to the function.
func (f *function) dial() (*conn, error) {
	c, err := net.DialTimeout("tcp", f.addr, waitLimit)
	if err != nil {
		return nil, err
	}
	return &conn{c: c, br: bufio.NewReaderSize(c, 64<<10), bw: bufio.NewWriterSize(c, 64<<10)}, nil
}

// conn is a client connection to the function, reused for request after
// request as FC reuses its connections.
type conn struct {
	c  net.Conn
	br *bufio.Reader
	bw *bufio.Writer
}

// request is one request as FC sends it.
type request struct {
	method      string
	target      string // path and query
	id          string // x-fc-request-id
	controlPath string
	timeout     int      // x-fc-function-timeout in seconds
	body        [][]byte // written one after the other
}

// Header values of the realistic set, with an STS token of the size of a
// real one (~1 KB).
var (
	stsToken = "CAIS" + strings.Repeat("sOaKtOkEn0123456789", 54) + "GoAB"
	baggage  = "eyJzb2FrIjoieWVzIn0=" // base64 of {"soak":"yes"}
)

// write sends r with the full x-fc-* header set of SPEC §3.
func (c *conn) write(r request) error {
	if err := c.c.SetWriteDeadline(time.Now().Add(waitLimit)); err != nil {
		return err
	}
	n := 0
	for _, p := range r.body {
		n += len(p)
	}
	w := c.bw
	fmt.Fprintf(w, "%s %s HTTP/1.1\r\nHost: function\r\n", r.method, r.target)
	for _, h := range [...][2]string{
		{"X-Fc-Request-Id", r.id},
		{"X-Fc-Access-Key-Id", "STS.NSoakKeyId0123456789"},
		{"X-Fc-Access-Key-Secret", "SoakSecretValue0123456789abcdefghijklmno"},
		{"X-Fc-Security-Token", stsToken},
		{"X-Fc-Function-Name", "soak"},
		{"X-Fc-Function-Handler", "index.handler"},
		{"X-Fc-Function-Memory", "1024"},
		{"X-Fc-Function-Timeout", strconv.Itoa(r.timeout)},
		{"X-Fc-Function-Initializer", "index.init"},
		{"X-Fc-Initialization-Timeout", strconv.Itoa(r.timeout)},
		{"X-Fc-Instance-Lifecycle-Pre-Stop-Handler", "index.preStop"},
		{"X-Fc-Instance-Lifecycle-Pre-Freeze-Handler", "index.preFreeze"},
		{"X-Fc-Service-Name", "soak-service"},
		{"X-Fc-Service-Logproject", "aliyun-fc-cn-hangzhou-soak"},
		{"X-Fc-Service-Logstore", "function-log"},
		{"X-Fc-Region", "cn-hangzhou"},
		{"X-Fc-Account-Id", "1234567890123456"},
		{"X-Fc-Qualifier", "LATEST"},
		{"X-Fc-Version-Id", ""},
		{"X-Fc-Retry-Count", "0"},
		{"X-Fc-Control-Path", r.controlPath},
		{"X-Fc-Base-Path", ""},
		{"X-Fc-Client-Ip", "127.0.0.1"},
		{"X-Fc-Tracing-Opentracing-Span-Context", "5f3e1b2a9c8d7e6f:5f3e1b2a9c8d7e6f:0:1"},
		{"X-Fc-Tracing-Opentracing-Span-Baggages", baggage},
		{"X-Fc-Tracing-Jaeger-Endpoint", "http://127.0.0.1:14268/api/traces"},
		{"X-Fc-Eagleeye-Traceid", "0bd5f5d417000000000000000000soak"},
		{"X-Fc-Eagleeye-Rpcid", "0.1"},
		{"X-Fc-Eagleeye-Userdata", ""},
	} {
		fmt.Fprintf(w, "%s: %s\r\n", h[0], h[1])
	}
	if n > 0 {
		w.WriteString("Content-Type: application/octet-stream\r\n")
	}
	fmt.Fprintf(w, "Content-Length: %d\r\n\r\n", n)
	for _, p := range r.body {
		if _, err := w.Write(p); err != nil {
			return err
		}
	}
	return w.Flush()
}

// read reads one response into resp.
func (c *conn) read(resp *fasthttp.Response) error {
	if err := c.c.SetReadDeadline(time.Now().Add(waitLimit)); err != nil {
		return err
	}
	resp.Reset()
	return resp.Read(c.br)
}

// roundTrip writes r and reads its response into resp.
func (c *conn) roundTrip(r request, resp *fasthttp.Response) error {
	if err := c.write(r); err != nil {
		return fmt.Errorf("write %s: %w", r.id, err)
	}
	if err := c.read(resp); err != nil {
		return fmt.Errorf("read the answer to %s: %w", r.id, err)
	}
	return nil
}

func (c *conn) close() { _ = c.c.Close() }

// timestamp matches the time of the text layout: UTC, milliseconds.
const timestamp = `\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`
