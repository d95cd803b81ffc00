//go:build unix

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests start the test binary itself as the function server (see
// runHelper in main_test.go).

// helperSetup selects the helper mode for the commands fcinvoke starts and
// returns the path of the marker file the server writes on SIGTERM.
func helperSetup(t *testing.T, mode string) string {
	t.Helper()
	marker := filepath.Join(t.TempDir(), "sigterm")
	t.Setenv(helperEnv, mode)
	t.Setenv(helperMarker, marker)
	t.Setenv(helperExit, "0")
	return marker
}

func requireSIGTERM(t *testing.T, marker string) {
	t.Helper()
	b, err := os.ReadFile(marker)
	require.NoError(t, err, "the server did not get SIGTERM")
	assert.Equal(t, "SIGTERM", string(b))
}

func TestChildLifecycle(t *testing.T) {
	marker := helperSetup(t, "server")
	start := time.Now()
	r := runFC(t, nil, "-event", "ping", "--", os.Args[0])

	require.Equal(t, exitOK, r.code)
	name := filepath.Base(os.Args[0])
	assert.Equal(t, "pong:ping ports-match=true fn="+name+" env-fn="+name, r.stdout,
		"stdout holds only the answer; the port is in both variables")
	assert.Contains(t, r.stderr, "helper: listening on [::]:", "the child's output goes to stderr")
	assert.Contains(t, r.stderr, "helper: got SIGTERM")
	assert.Regexp(t, `(?m)^fcinvoke: invoke status=200 x-fc-status=200 duration=\d+ms$`, r.stderr)
	assert.NotContains(t, r.stderr, "function process exited", "exit status 0 is not reported")
	assert.NotContains(t, r.stderr, "warning")
	requireSIGTERM(t, marker)
	assert.Less(t, time.Since(start), 10*time.Second)
}

func TestChildExitStatusReported(t *testing.T) {
	marker := helperSetup(t, "server")
	t.Setenv(helperExit, "7")
	r := runFC(t, nil, "-event", "x", "-function", "named", "--", os.Args[0])

	require.Equal(t, exitOK, r.code, "the invocation itself succeeded")
	assert.Contains(t, r.stdout, "fn=named env-fn=named")
	assert.Contains(t, r.stderr, "fcinvoke: the function process exited: exit status 7")
	requireSIGTERM(t, marker)
}

// TestChildProcessGroup plays "go run": the started command starts the
// real server and dies of SIGTERM itself. The server must get SIGTERM too,
// and fcinvoke must wait until it has exited.
func TestChildProcessGroup(t *testing.T) {
	marker := helperSetup(t, "wrapper")
	r := runFC(t, nil, "-event", "via wrapper", "--", os.Args[0])

	require.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stdout, "pong:via wrapper ports-match=true")
	requireSIGTERM(t, marker) // written by the grandchild before fcinvoke returned
	assert.Contains(t, r.stderr, "the function process exited: signal: terminated (it did not handle SIGTERM)")
}

func TestChildNeverListens(t *testing.T) {
	helperSetup(t, "silent")
	start := time.Now()
	r := runFC(t, nil, "-event", "x", "-wait", "300ms", "--", os.Args[0])

	assert.Equal(t, exitUnreachable, r.code)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, "did not accept connections on 127.0.0.1:")
	assert.Contains(t, r.stderr, "within 300ms")
	assert.Contains(t, r.stderr, "helper: not listening")
	assert.Contains(t, r.stderr, "signal: terminated", "the silent child was stopped")
	assert.Less(t, time.Since(start), 10*time.Second)
}

func TestChildExitsEarly(t *testing.T) {
	helperSetup(t, "exit")
	start := time.Now()
	r := runFC(t, nil, "-event", "x", "-wait", "60s", "--", os.Args[0])

	assert.Equal(t, exitUnreachable, r.code)
	assert.Contains(t, r.stderr, "exited before accepting connections")
	assert.Contains(t, r.stderr, "exit status 3")
	assert.Contains(t, r.stderr, "helper: exiting at once")
	assert.Less(t, time.Since(start), 10*time.Second, "no waiting for -wait once the child is gone")
}

func TestChildIgnoresSIGTERM(t *testing.T) {
	helperSetup(t, "stubborn")
	old := stopGrace
	stopGrace = 300 * time.Millisecond
	t.Cleanup(func() { stopGrace = old })

	r := runFC(t, nil, "-event", "x", "--", os.Args[0])
	assert.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stdout, "pong:x")
	assert.Contains(t, r.stderr, "did not exit within 300ms of SIGTERM; sent SIGKILL")
	assert.Contains(t, r.stderr, "signal: killed")
}

func TestChildCannotStart(t *testing.T) {
	r := runFC(t, nil, "-event", "x", "--", filepath.Join(t.TempDir(), "no-such-binary"))
	assert.Equal(t, exitUnreachable, r.code)
	assert.Contains(t, r.stderr, "fcinvoke: cannot start")
}

func TestChildHooks(t *testing.T) {
	marker := helperSetup(t, "server")
	// The helper has no hook routes: its 404 fails the initializer.
	r := runFC(t, nil, "-init", "-event", "x", "--", os.Args[0])
	assert.Equal(t, exitFailed, r.code)
	assert.Contains(t, r.stderr, "the initialize hook failed with status 404")
	requireSIGTERM(t, marker)
}

func TestChildListeningOnLoopbackOnly(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the 127.0.0.2 probe is Linux-only")
	}
	marker := helperSetup(t, "localonly")
	r := runFC(t, nil, "-event", "x", "--", os.Args[0])
	assert.Equal(t, exitOK, r.code, "only a warning: locally it works")
	assert.Contains(t, r.stdout, "pong:x")
	assert.Contains(t, r.stderr, "fcinvoke: warning: the function listens on 127.0.0.1:")
	requireSIGTERM(t, marker)
}

func TestChildInterrupted(t *testing.T) {
	helperSetup(t, "silent")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	var stdout, stderr bytes.Buffer
	start := time.Now()
	code := runContext(ctx, []string{"-event", "x", "--", os.Args[0]}, nil, &stdout, &stderr)
	t.Logf("stderr:\n%s", stderr.String())

	assert.Equal(t, exitInterrupted, code)
	assert.Contains(t, stderr.String(), "fcinvoke: interrupted")
	assert.Contains(t, stderr.String(), "signal: terminated", "the child was stopped")
	assert.Less(t, time.Since(start), 10*time.Second)
}
