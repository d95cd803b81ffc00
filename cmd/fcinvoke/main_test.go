package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/fcgo/fcgo/headers"
)

// The test binary doubles as the function server of the child-mode tests:
// started with helperEnv set, it plays the helper named by the value
// instead of running the tests.
const (
	helperEnv     = "FCINVOKE_TEST_HELPER"      // helper mode, see runHelper
	helperMarker  = "FCINVOKE_TEST_MARKER"      // file the server writes "SIGTERM" to
	helperExit    = "FCINVOKE_TEST_EXIT_STATUS" // the server's exit status after SIGTERM
	helperTimeout = 30 * time.Second            // no helper lives longer than this
)

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		os.Exit(runHelper(mode))
	}
	os.Exit(m.Run())
}

// runHelper plays one of these function servers:
//
//	server    listens on 0.0.0.0:$FC_SERVER_PORT, answers POST /invoke,
//	          exits with $FCINVOKE_TEST_EXIT_STATUS on SIGTERM
//	stubborn  like server, but ignores SIGTERM
//	localonly like server, but listens on 127.0.0.1 only (wrong on FC)
//	wrapper   like "go run": starts a server and waits for it, with
//	          Go's default SIGTERM behaviour (it dies of it)
//	silent    never listens; dies of SIGTERM
//	exit      exits with status 3 at once
func runHelper(mode string) int {
	switch mode {
	case "exit":
		fmt.Println("helper: exiting at once")
		return 3
	case "silent":
		fmt.Println("helper: not listening")
		time.Sleep(helperTimeout)
		return 0
	case "wrapper":
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), helperEnv+"=server")
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		err := cmd.Run()
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return exitErr.ExitCode()
		}
		if err != nil {
			fmt.Println("helper:", err)
			return 1
		}
		return 0
	case "server", "stubborn":
		return helperServer("0.0.0.0", mode == "stubborn") // as SPEC §1 demands
	case "localonly":
		return helperServer("127.0.0.1", false)
	}
	fmt.Println("helper: unknown mode", mode)
	return 99
}

func helperServer(host string, stubborn bool) int {
	sigs := make(chan os.Signal, 1)
	if stubborn {
		signal.Ignore(syscall.SIGTERM)
	} else {
		signal.Notify(sigs, syscall.SIGTERM)
	}
	port := os.Getenv("FC_SERVER_PORT")
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		fmt.Println("helper:", err)
		return 1
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /invoke", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set(headers.XFCStatus, "200")
		fmt.Fprintf(w, "pong:%s ports-match=%t fn=%s env-fn=%s",
			body,
			os.Getenv("FC_CUSTOM_LISTEN_PORT") == port,
			r.Header.Get(headers.XFCFunctionName),
			os.Getenv("FC_FUNCTION_NAME"))
	})
	srv := &http.Server{Handler: mux}
	go func() { _ = srv.Serve(ln) }()
	fmt.Println("helper: listening on", ln.Addr())

	select {
	case <-sigs:
	case <-time.After(helperTimeout):
		fmt.Println("helper: no SIGTERM, giving up")
		return 1
	}
	fmt.Println("helper: got SIGTERM")
	if path := os.Getenv(helperMarker); path != "" {
		_ = os.WriteFile(path, []byte("SIGTERM"), 0o600)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx)
	code, _ := strconv.Atoi(os.Getenv(helperExit))
	return code
}
