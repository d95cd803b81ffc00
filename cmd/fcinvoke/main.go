package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Exit statuses.
const (
	exitOK          = 0   // success
	exitFailed      = 1   // the function (or a hook) failed
	exitUsage       = 2   // bad command line
	exitUnreachable = 3   // the function could not be reached or started
	exitInterrupted = 130 // fcinvoke got SIGINT or SIGTERM
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal fcinvoke stops the function it started
		// (which can take a while); a second one ends fcinvoke at once.
		<-ctx.Done()
		stop()
	}()
	code := runContext(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is fcinvoke without signal handling: it runs the command line args
// and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runContext(context.Background(), args, stdin, stdout, stderr)
}

// runContext runs the command line args; ending ctx interrupts it (and stops
// a started command).
func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	stderr, childOut := shareStderr(stderr)

	o, err := parseArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return exitUsage
	}
	payload, err := o.payload(stdin)
	if err != nil {
		fmt.Fprintf(stderr, "fcinvoke: %v\n", err)
		return exitUsage
	}

	inst := newInstance(o)
	base := strings.TrimSuffix(o.url, "/")
	if len(o.command) > 0 {
		port, err := freePort()
		if err != nil {
			fmt.Fprintf(stderr, "fcinvoke: cannot find a free port: %v\n", err)
			return exitUnreachable
		}
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		ch, err := startChild(o.command, inst.childEnv(port, os.LookupEnv), childOut)
		if err != nil {
			fmt.Fprintf(stderr, "fcinvoke: cannot start %q: %v\n", strings.Join(o.command, " "), err)
			return exitUnreachable
		}
		defer func() {
			ch.report(stderr, ch.stop(stopGrace), stopGrace)
		}()
		if o.verbose {
			fmt.Fprintf(stderr, "fcinvoke: started %q (pid %d), waiting for %s\n", strings.Join(o.command, " "), ch.pid(), addr)
		}
		start := time.Now()
		switch err := ch.waitReady(ctx, addr, o.wait); {
		case err == nil:
		case ctx.Err() != nil:
			fmt.Fprintln(stderr, "fcinvoke: interrupted")
			return exitInterrupted
		case errors.Is(err, errNotReady):
			fmt.Fprintf(stderr, "fcinvoke: the function did not accept connections on %s within %v "+
				"(FC would report FunctionNotStarted); it must listen on 0.0.0.0:$FC_CUSTOM_LISTEN_PORT\n", addr, o.wait)
			return exitUnreachable
		default:
			fmt.Fprintf(stderr, "fcinvoke: the function process %v on %s\n", err, addr)
			return exitUnreachable
		}
		if yes, known := listensBeyondLoopback(port); known && !yes {
			fmt.Fprintf(stderr, "fcinvoke: warning: the function listens on 127.0.0.1:%d only; on FC every request "+
				"would time out (FunctionNotStarted): listen on 0.0.0.0:$FC_CUSTOM_LISTEN_PORT\n", port)
		}
		if o.verbose {
			fmt.Fprintf(stderr, "fcinvoke: %s accepts connections after %v\n", addr, time.Since(start).Round(time.Millisecond))
		}
		base = "http://" + addr
	}

	iv := newInvoker(base, inst, time.Duration(o.timeout)*time.Second, o.verbose, stderr)
	defer iv.close()
	return session(ctx, iv, o, payload, stdout)
}

// session makes the requests the options ask for, in FC's order:
// initializer, invocation, pre-freeze, pre-stop. A failed initializer stops
// the session; the hooks after the invocation run even if it failed, but
// not when the server could not be reached.
func session(ctx context.Context, iv *invoker, o *options, payload []byte, stdout io.Writer) int {
	if o.init {
		if code := iv.hook(ctx, kindInitialize); code != exitOK {
			if code == exitFailed {
				fmt.Fprintln(iv.stderr, "fcinvoke: not invoking the function: its initializer failed")
			}
			return code
		}
	}
	code := iv.invoke(ctx, o, payload, stdout)
	if code == exitUnreachable || code == exitInterrupted {
		return code
	}
	for _, hook := range []struct {
		enabled bool
		kind    requestKind
	}{{o.preFreeze, kindPreFreeze}, {o.preStop, kindPreStop}} {
		if !hook.enabled {
			continue
		}
		c := iv.hook(ctx, hook.kind)
		code = worse(code, c)
		if c == exitUnreachable || c == exitInterrupted {
			break
		}
	}
	return code
}

// worse returns the more severe of two exit statuses.
func worse(a, b int) int {
	rank := func(code int) int {
		switch code {
		case exitOK:
			return 0
		case exitFailed:
			return 1
		case exitUnreachable:
			return 2
		default: // exitInterrupted
			return 3
		}
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// lockedWriter serialises writes to an io.Writer shared by fcinvoke and the
// goroutine that copies a started command's output.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// shareStderr returns the writer for fcinvoke's own messages and the one to
// give a started command. An *os.File is handed to the command as is (its
// output then bypasses fcinvoke); any other writer is wrapped so that both
// can use it concurrently.
func shareStderr(w io.Writer) (own, child io.Writer) {
	if f, ok := w.(*os.File); ok {
		return f, f
	}
	lw := &lockedWriter{w: w}
	return lw, lw
}
