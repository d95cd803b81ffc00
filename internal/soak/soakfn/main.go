// Command soakfn is the function the soak and shutdown tests of
// internal/soak run as a subprocess: every kind of request FC sends, each
// told by the request itself what to log, how long to take and how to
// fail, so that the test knows the exact answer and stdout lines to expect.
//
//	POST /invoke           event: soak.Event in, soak.Reply out
//	/native/{echo,panic,sleep}, /std/{echo,panic,sleep}
//	                       HTTP invokes, native fasthttp and net/http (httpfn.Std)
//	GET /debug/stats       HTTP invoke: soak.Stats after two garbage collections
//	/initialize, /pre-freeze, /pre-stop
//	                       hooks: soak.HookBehaviour of the request id
//
// The HTTP echo handlers answer "<native|std> <method> <path> id=<id>
// requestId=<x-fc-request-id> len=<body length> crc=<soak.Checksum(body)>"
// with the status of the query's status parameter (default 200), after
// logging the query's lines and size as an event does. sleep waits ms
// milliseconds, or until the file named by the file parameter exists, but
// at most until the invocation's deadline, and answers 200 "slept" or 504
// "deadline: <ctx.Err()>".
//
// It serves with fcserver.Run: its address from -addr (default: the FC
// environment), its drain timeout from -drain.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/headers"
	"github.com/fcgo/fcgo/httpfn"
	"github.com/fcgo/fcgo/internal/soak"
	"github.com/rs/zerolog"
	"github.com/valyala/fasthttp"
)

func main() {
	addr := flag.String("addr", "", "listen address (default: from FC_CUSTOM_LISTEN_PORT, FC_SERVER_PORT, 9000)")
	drain := flag.Duration("drain", 0, "drain timeout after SIGTERM (default: fcserver's)")
	flag.Parse()

	opts := []fcserver.Option{
		fcserver.WithEvent(event.JSON(handleEvent)),
		fcserver.WithHTTP(newHTTPHandler()),
		fcserver.WithInitializer(hook("initialize")),
		fcserver.WithPreFreeze(hook("pre-freeze")),
		fcserver.WithPreStop(hook("pre-stop")),
		fcserver.WithDrainTimeout(*drain),
	}
	if *addr != "" {
		opts = append(opts, fcserver.WithAddr(*addr))
	}
	fcserver.Run(opts...)
}

func handleEvent(ctx context.Context, in soak.Event) (soak.Reply, error) {
	info, _ := headers.FromContext(ctx)
	if in.Print {
		// Output that bypasses fcgo lands before the end marker; after
		// the start marker only while invocations have not overlapped
		// (logging.Logger.Begin).
		fmt.Printf("soak direct print %s\n", info.RequestID)
	}
	if err := logLines(ctx, zerolog.Ctx(ctx), in); err != nil {
		return soak.Reply{}, err
	}
	switch in.Fail {
	case soak.FailError:
		return soak.Reply{}, event.NewError(soak.ErrorType, "requested failure "+in.ID)
	case soak.FailPlain:
		return soak.Reply{}, errors.New("plain failure " + in.ID)
	case soak.FailPanic:
		panic("soak panic " + in.ID)
	case soak.FailTimeout:
		select {
		case <-ctx.Done():
			return soak.Reply{}, ctx.Err()
		case <-time.After(time.Minute):
			return soak.Reply{}, errors.New("the deadline never came")
		}
	}
	return soak.Reply{
		RequestID: info.RequestID,
		ID:        in.ID,
		PadLen:    len(in.Pad),
		PadCRC:    soak.Checksum([]byte(in.Pad)),
	}, nil
}

// logLines writes in.Lines lines "soak line n=<n> fill=<fill>": all of
// them, or, when the event asks for a wait, half of them, the wait (cut
// short by the deadline, whose error it returns), then the rest.
func logLines(ctx context.Context, log *zerolog.Logger, in soak.Event) error {
	half := in.Lines
	waits := in.SleepMS > 0 || in.WaitFile != ""
	if waits {
		half = in.Lines / 2
	}
	logRange(log, in.ID, 0, half, in.LineSize, in.Goroutines)
	if waits {
		if err := wait(ctx, in.SleepMS, in.WaitFile); err != nil {
			return err
		}
	}
	logRange(log, in.ID, half, in.Lines, in.LineSize, in.Goroutines)
	return nil
}

// wait waits ms milliseconds, or until file exists when it is not empty,
// or until ctx is done, and then returns ctx.Err().
func wait(ctx context.Context, ms int, file string) error {
	if file == "" {
		select {
		case <-time.After(time.Duration(ms) * time.Millisecond):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		if _, err := os.Stat(file); err == nil {
			return nil
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func logRange(log *zerolog.Logger, id string, from, to, size, goroutines int) {
	line := func(n int) {
		e := log.Info().Int("n", n)
		if size > 0 {
			e = e.Str("fill", soak.Fill(id, n, size))
		}
		e.Msg("soak line")
	}
	if goroutines <= 1 {
		for n := from; n < to; n++ {
			line(n)
		}
		return
	}
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for n := from + g; n < to; n += goroutines {
				line(n)
			}
		})
	}
	wg.Wait()
}

func hook(name string) fcserver.Hook {
	return func(ctx context.Context) error {
		info, _ := headers.FromContext(ctx)
		zerolog.Ctx(ctx).Info().Str("hook", name).Msg("soak hook")
		fail, restart, sleepMS := soak.HookBehaviour(info.RequestID)
		if sleepMS > 0 {
			if err := wait(ctx, sleepMS, ""); err != nil {
				return err
			}
		}
		switch {
		case fail:
			return errors.New("requested failure " + info.RequestID)
		case restart:
			return fmt.Errorf("requested restart %s: %w", info.RequestID, fcserver.ErrRestartInstance)
		}
		return nil
	}
}

// newHTTPHandler routes /std/ to a net/http mux through httpfn.Std and
// serves the rest natively.
func newHTTPHandler() fasthttp.RequestHandler {
	mux := http.NewServeMux()
	mux.HandleFunc("/std/echo", stdEcho)
	mux.HandleFunc("/std/panic", func(_ http.ResponseWriter, r *http.Request) {
		panic("soak panic " + r.URL.Query().Get("id"))
	})
	mux.HandleFunc("/std/sleep", func(w http.ResponseWriter, r *http.Request) {
		ms, _ := strconv.Atoi(r.URL.Query().Get("ms"))
		status, body := sleep(r.Context(), ms, r.URL.Query().Get("file"))
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	})
	std := httpfn.Std(mux)

	return func(rc *fasthttp.RequestCtx) {
		path := string(rc.Path())
		switch {
		case strings.HasPrefix(path, "/std/"):
			std(rc)
		case path == "/native/echo":
			nativeEcho(rc)
		case path == "/native/panic":
			panic("soak panic " + string(rc.QueryArgs().Peek("id")))
		case path == "/native/sleep":
			ms, _ := strconv.Atoi(string(rc.QueryArgs().Peek("ms")))
			status, body := sleep(httpfn.Context(rc), ms, string(rc.QueryArgs().Peek("file")))
			rc.SetStatusCode(status)
			rc.SetBodyString(body)
		case path == "/debug/stats":
			serveStats(rc)
		default:
			rc.SetStatusCode(fasthttp.StatusNotFound)
			rc.SetBodyString("soakfn: no route " + path + "\n")
		}
	}
}

func nativeEcho(rc *fasthttp.RequestCtx) {
	q := rc.QueryArgs()
	id := string(q.Peek("id"))
	lines, _ := strconv.Atoi(string(q.Peek("lines")))
	size, _ := strconv.Atoi(string(q.Peek("size")))
	logRange(zerolog.Ctx(rc), id, 0, lines, size, 1)
	info, _ := headers.FromContext(rc)
	if s, err := strconv.Atoi(string(q.Peek("status"))); err == nil {
		rc.SetStatusCode(s)
	}
	rc.Response.Header.Set("X-Soak-Id", id)
	body := rc.PostBody()
	fmt.Fprintf(rc, "native %s %s id=%s requestId=%s len=%d crc=%d",
		rc.Method(), rc.Path(), id, info.RequestID, len(body), soak.Checksum(body))
}

func stdEcho(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	id := q.Get("id")
	lines, _ := strconv.Atoi(q.Get("lines"))
	size, _ := strconv.Atoi(q.Get("size"))
	logRange(zerolog.Ctx(r.Context()), id, 0, lines, size, 1)
	info, _ := headers.FromContext(r.Context())
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("X-Soak-Id", id)
	if s, err := strconv.Atoi(q.Get("status")); err == nil {
		w.WriteHeader(s)
	}
	fmt.Fprintf(w, "std %s %s id=%s requestId=%s len=%d crc=%d",
		r.Method, r.URL.Path, id, info.RequestID, len(body), soak.Checksum(body))
}

// sleep waits as wait does and says how it ended.
func sleep(ctx context.Context, ms int, file string) (status int, body string) {
	if err := wait(ctx, ms, file); err != nil {
		return http.StatusGatewayTimeout, "deadline: " + err.Error()
	}
	return http.StatusOK, "slept"
}

func serveStats(rc *fasthttp.RequestCtx) {
	// Two collections: sync.Pool keeps its contents through one.
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b, _ := json.Marshal(soak.Stats{
		Goroutines: runtime.NumGoroutine(),
		HeapAlloc:  ms.HeapAlloc,
		HeapInuse:  ms.HeapInuse,
	})
	rc.SetContentType("application/json")
	rc.SetBody(b)
}
