package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

// pollInterval is how often fcinvoke checks whether a started command
// listens yet, and whether it has exited.
const pollInterval = 20 * time.Millisecond

// stopGrace is how long a started command gets to exit after SIGTERM before
// fcinvoke sends SIGKILL. A variable so that tests can shorten it.
var stopGrace = 10 * time.Second

// errNotReady is returned by waitReady when the command did not accept a
// connection in time.
var errNotReady = errors.New("did not accept connections in time")

// errExitedEarly is returned by waitReady when the command exited before it
// accepted a connection.
var errExitedEarly = errors.New("exited before accepting connections")

// child is a function server started by fcinvoke.
type child struct {
	cmd  *exec.Cmd
	done chan struct{} // closed when the command has exited
	err  error         // cmd.Wait's result, valid once done is closed

	terminated bool // fcinvoke sent SIGTERM
	killed     bool // fcinvoke sent SIGKILL
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	if err := l.Close(); err != nil {
		return 0, err
	}
	return port, nil
}

// startChild starts argv with the caller's environment plus env, in its own
// process group, stdin closed, stdout and stderr going to out.
func startChild(argv []string, env []string, out io.Writer) (*child, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...) // later entries win
	cmd.Stdout = out
	cmd.Stderr = out
	// If a grandchild keeps the output pipe open after the command exited,
	// do not wait for it forever.
	cmd.WaitDelay = 2 * time.Second
	setProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, done: make(chan struct{})}
	go func() {
		c.err = cmd.Wait()
		close(c.done)
	}()
	return c, nil
}

// pid is the process id of the command, which is also its process group id.
func (c *child) pid() int { return c.cmd.Process.Pid }

// exited reports whether the command has exited.
func (c *child) exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// waitReady polls addr every pollInterval until it accepts a TCP
// connection. It fails with errNotReady after timeout, with errExitedEarly
// when the command exits first, and with ctx's error when ctx ends.
func (c *child) waitReady(ctx context.Context, addr string, timeout time.Duration) error {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	dialer := net.Dialer{Timeout: time.Second}
	for {
		conn, err := dialer.DialContext(ctx, "tcp", addr)
		if err == nil {
			conn.Close()
			return nil
		}
		select {
		case <-c.done:
			return errExitedEarly
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline.C:
			return errNotReady
		case <-tick.C:
		}
	}
}

// listensBeyondLoopback reports whether the server on port, which accepts
// connections on 127.0.0.1, accepts them on other addresses too, as it must
// on FC (SPEC §1: a server listening on 127.0.0.1 only never gets a request).
// It probes 127.0.0.2, which on Linux reaches a 0.0.0.0 listener but not a
// 127.0.0.1 one. known is false where the probe proves nothing.
func listensBeyondLoopback(port int) (yes, known bool) {
	if runtime.GOOS != "linux" {
		return false, false
	}
	conn, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.2", strconv.Itoa(port)), time.Second)
	if err == nil {
		conn.Close()
		return true, true
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return false, true
	}
	return false, false
}

// stop ends the command: SIGTERM to its process group, then up to grace for
// every process of the group to exit, then SIGKILL. It returns the
// command's exit error (nil for status 0).
func (c *child) stop(grace time.Duration) error {
	pgid := c.pid()
	if !c.exited() || groupAlive(pgid) {
		c.terminated = true
		_ = terminateGroup(c.cmd.Process)
	}
	deadline := time.Now().Add(grace)
	for !c.exited() || groupAlive(pgid) {
		if time.Now().After(deadline) {
			c.killed = true
			_ = killGroup(c.cmd.Process)
			<-c.done
			break
		}
		time.Sleep(pollInterval)
	}
	return c.err
}

// report explains on w how the command ended, if that is worth mentioning:
// a SIGKILL, or a non-zero exit status.
func (c *child) report(w io.Writer, err error, grace time.Duration) {
	if c.killed {
		fmt.Fprintf(w, "fcinvoke: the function process did not exit within %v of SIGTERM; sent SIGKILL\n", grace)
	}
	if err == nil {
		return
	}
	var exitErr *exec.ExitError
	if c.terminated && !c.killed && errors.As(err, &exitErr) && diedOfSIGTERM(exitErr) {
		hint := "it did not handle SIGTERM"
		if filepath.Base(c.cmd.Path) == "go" || filepath.Base(c.cmd.Args[0]) == "go" {
			hint = "expected for \"go run\", which does not forward SIGTERM; the server it started got SIGTERM too"
		}
		fmt.Fprintf(w, "fcinvoke: the function process exited: %v (%s)\n", err, hint)
		return
	}
	fmt.Fprintf(w, "fcinvoke: the function process exited: %v\n", err)
}
