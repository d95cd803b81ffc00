package fcserver_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httputil"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/headers"
	"github.com/fcgo/fcgo/httpfn"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
)

// The credentials of the secrets test: distinctive, so that any form of
// them in the output is found. The token is random base64 text of a real
// token's size (~1 KB), '+' and '/' included.
var (
	leakKeyID  = "STS.KEYIDvisible-5d2c"
	leakSecret = "SECRETsecret-7f3a9c51d0e84b2aa1f6"
	leakToken  = "TOKENtoken-7f3a" + randomBase64(1000)
)

func randomBase64(n int) string {
	r := rand.New(rand.NewPCG(7, 3))
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// secretsChildEnv names the log layout the child server process runs with.
const secretsChildEnv = "FCGO_TEST_SECRETS_CHILD"

// TestSecretsChild is the server process of TestSecretsNeverPrinted: a
// careless function that prints the Info, the credentials and the request
// headers every way it can, on every path. It runs only as that child.
func TestSecretsChild(t *testing.T) {
	if os.Getenv(secretsChildEnv) == "" {
		t.Skip("the server process of TestSecretsNeverPrinted")
	}
	// Print everything a handler can reach, every way: zerolog, the
	// standard log package and slog (stderr), fmt on stdout and stderr.
	printAll := func(ctx context.Context, where string, info *headers.Info) {
		l := zerolog.Ctx(ctx)
		l.Info().Interface("info", info).Any("value", *info).Any("credentials", info.Credentials).
			Object("object", info.Credentials).Msg(where)
		l.Info().Str("sprint", fmt.Sprint(*info)).Str("creds", fmt.Sprint(info.Credentials)).
			Msgf("%+v | %#v | %v | %s | %q | %x | %X", *info, *info, info, info.Credentials, info.Credentials, *info, info.Credentials)
		l.Debug().Err(fmt.Errorf("wrapped %+v", *info)).Msg(where)
		fmt.Printf("stdout %s: %+v %#v\n", where, *info, info.Credentials)
		fmt.Fprintf(os.Stderr, "stderr %s: %+v %v\n", where, info, info.Credentials)
		log.Printf("log %s: %v", where, *info)
		slog.Info("slog "+where, "info", *info, "credentials", info.Credentials)
		if b, err := json.Marshal(info); err == nil {
			fmt.Println(string(b))
		}
	}
	mustInfo := func(ctx context.Context) *headers.Info {
		info, ok := headers.FromContext(ctx)
		if !ok {
			panic("no Info")
		}
		return info
	}
	eventHandler := event.HandlerFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		info := mustInfo(ctx)
		printAll(ctx, "event "+string(payload), info)
		switch string(payload) {
		case "error":
			return nil, fmt.Errorf("failed for %+v", *info)
		case "event-error":
			return nil, event.Errorf("Bad", "credentials %v, info %#v", info.Credentials, *info)
		case "panic-value":
			panic(*info)
		case "panic-string":
			panic(fmt.Sprintf("%+v", *info))
		case "panic-pointer":
			panic(info)
		case "panic-error":
			panic(fmt.Errorf("%#v", *info))
		case "panic-credentials":
			panic(info.Credentials)
		}
		return fmt.Appendf(nil, "%+v", *info), nil
	})
	// dumpHeaders prints and echoes every view of the request headers a
	// handler has.
	dumpHeaders := func(rc *fasthttp.RequestCtx) string {
		var all []string
		for k, v := range rc.Request.Header.All() {
			all = append(all, string(k)+": "+string(v))
		}
		return rc.Request.Header.String() + "\n" + string(rc.Request.Header.RawHeaders()) + "\n" +
			strings.Join(all, "\n") + "\n" + rc.Request.String()
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/std/", func(w http.ResponseWriter, r *http.Request) {
		info := mustInfo(r.Context())
		printAll(r.Context(), "std", info)
		dump, _ := httputil.DumpRequest(r, true)
		zerolog.Ctx(r.Context()).Info().Str("dump", string(dump)).Any("header", r.Header).Msg("std request")
		log.Printf("std headers: %v", r.Header)
		if r.URL.Path == "/std/panic" {
			panic(fmt.Sprint(r.Header, *info))
		}
		_, _ = fmt.Fprintf(w, "%s\n%v\n%+v", dump, r.Header, *info)
	})
	std := httpfn.Std(mux)
	httpHandler := func(rc *fasthttp.RequestCtx) {
		if bytes.HasPrefix(rc.Path(), []byte("/std/")) {
			std(rc)
			return
		}
		info := mustInfo(rc)
		printAll(rc, "native", info)
		dump := dumpHeaders(rc)
		zerolog.Ctx(rc).Info().Str("headers", dump).Msg("native request")
		fmt.Fprintln(os.Stderr, dump)
		if string(rc.Path()) == "/panic" {
			panic(dump)
		}
		rc.SetBodyString(dump)
	}
	hook := func(name string, fail func(*headers.Info) error) fcserver.Hook {
		return func(ctx context.Context) error {
			info := mustInfo(ctx)
			printAll(ctx, name, info)
			return fail(info)
		}
	}
	fcserver.Run(
		fcserver.WithAddr("127.0.0.1:0"),
		fcserver.WithMaxRequestBodySize(1<<10),
		fcserver.WithEvent(eventHandler),
		fcserver.WithHTTP(httpHandler),
		fcserver.WithInitializer(hook("initialize", func(info *headers.Info) error {
			return fmt.Errorf("initialize failed for %+v", *info)
		})),
		fcserver.WithPreFreeze(hook("pre-freeze", func(info *headers.Info) error {
			return fmt.Errorf("%w: %v", fcserver.ErrRestartInstance, info)
		})),
		fcserver.WithPreStop(hook("pre-stop", func(info *headers.Info) error { panic(info) })),
	)
}

// leakForms returns the forms in which s would show if it leaked: as it
// is, every 16-byte piece of it, quoted and JSON-escaped, hex, and base64
// in the standard and URL alphabets, whole and as the bytes that encode it
// at each of the three alignments it can have inside a longer text.
func leakForms(s string) map[string]string {
	forms := map[string]string{"plain": s, "hex": hex.EncodeToString([]byte(s)), "HEX": strings.ToUpper(hex.EncodeToString([]byte(s)))}
	for i := 0; i+16 <= len(s); i++ {
		forms["piece at "+strconv.Itoa(i)] = s[i : i+16]
	}
	forms["quoted"] = strings.Trim(strconv.Quote(s), `"`)
	j, _ := json.Marshal(s)
	forms["json"] = strings.Trim(string(j), `"`)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	forms["json unescaped html"] = strings.Trim(strings.TrimSpace(b.String()), `"`)
	for name, e := range map[string]*base64.Encoding{"base64": base64.StdEncoding, "base64url": base64.URLEncoding} {
		forms[name] = e.EncodeToString([]byte(s))
		for off := range 3 {
			// s[off:] starts on a 3-byte boundary of some encoding of a
			// text containing s; all but its last group does not depend
			// on what follows.
			enc := e.WithPadding(base64.NoPadding).EncodeToString([]byte(s[off:]))
			forms[fmt.Sprintf("%s at offset %d", name, off)] = enc[:len(enc)-4]
		}
	}
	return forms
}

// TestSecretsNeverPrinted runs a real server process (TestSecretsChild)
// whose handlers print the credentials every way they can, drives every
// path that logs — success, handler errors, panics carrying the Info,
// hooks, native and net/http handlers dumping the request headers,
// malformed headers, fasthttp's own error paths, an over-limit body,
// shutdown — in both log layouts, and checks that the secret and the
// token appear nowhere in the process's stdout and stderr or in the
// answers, in any form. The access key id is not secret: it is documented
// to print (headers.Credentials), and does.
func TestSecretsNeverPrinted(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	for _, layout := range []string{"text", "json"} {
		t.Run(layout, func(t *testing.T) {
			stdout, stderr := &syncBuffer{}, &syncBuffer{}
			ctx, cancel := context.WithTimeout(context.Background(), 2*requestTimeout)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestSecretsChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), secretsChildEnv+"="+layout, "FCGO_LOG_FORMAT="+layout, "FCGO_LOG_LEVEL=trace",
				"FC_CUSTOM_LISTEN_PORT=", "FC_SERVER_PORT=")
			cmd.Stdout, cmd.Stderr = stdout, stderr
			require.NoError(t, cmd.Start())
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()

			addrRE := regexp.MustCompile(`127\.0\.0\.1:\d+`)
			var addr string
			require.Eventually(t, func() bool { addr = addrRE.FindString(stdout.String()); return addr != "" },
				requestTimeout, 5*time.Millisecond, "the server's listening line; stderr: %s", stderr)

			answers := &bytes.Buffer{}
			creds := []header{{"X-Fc-Access-Key-Id", leakKeyID}, {"X-Fc-Access-Key-Secret", leakSecret}, {"X-Fc-Security-Token", leakToken}}
			send := func(raw []byte, wantStatus int) {
				t.Helper()
				c, err := net.DialTimeout("tcp4", addr, requestTimeout)
				require.NoError(t, err)
				defer c.Close()
				rc := &rawConn{t: t, c: c, br: bufio.NewReader(c)}
				resp := rc.roundTrip(raw)
				fmt.Fprintf(answers, "%d %v %s\n", resp.status, resp.headers, resp.body)
				if wantStatus > 0 {
					assert.Equal(t, wantStatus, resp.status, "%.300s", resp.body)
				}
			}
			request := func(method, path, id, cp string, body []byte, extra ...header) []byte {
				return rawRequest(method, path, id, cp, body, append(append([]header(nil), creds...), extra...)...)
			}

			send(request("POST", "/invoke", "s-ok", "/invoke", []byte("ok")), 200)
			for _, p := range []string{"error", "event-error", "panic-value", "panic-string", "panic-pointer", "panic-error", "panic-credentials"} {
				send(request("POST", "/invoke", "s-"+p, "/invoke", []byte(p)), 404)
			}
			send(request("POST", "/invoke", "s-malformed", "/invoke", []byte("ok"),
				header{"X-Fc-Function-Memory", "abc"}), 200)
			send(request("GET", "/dump", "s-native", "/http-invoke", nil), 200)
			send(request("GET", "/panic", "s-native-panic", "/http-invoke", nil), 500)
			send(request("GET", "/std/dump", "s-std", "/http-invoke", nil), 200)
			send(request("GET", "/std/panic", "s-std-panic", "/http-invoke", nil), 500)
			send(request("POST", "/initialize", "s-init", "/initialize", nil), 404)
			send(request("GET", "/pre-freeze", "s-freeze", "/pre-freeze", nil), 500)
			send(request("GET", "/pre-stop", "s-stop", "/pre-stop", nil), 404)
			send(request("POST", "/", "s-bogus", "/bogus", nil), 400)

			// The secret headers sent twice, in other cases.
			dup := strings.Replace(string(request("GET", "/dump", "s-dup", "/http-invoke", nil)), "Host: function\r\n",
				"Host: function\r\nx-fc-access-key-secret: "+leakSecret+"\r\nX-FC-SECURITY-TOKEN: "+leakToken+"\r\n", 1)
			dup = strings.Replace(dup, "\r\n\r\n", "\r\nX-Fc-Security-Token: "+leakToken+"\r\nX-Fc-Access-Key-Secret: "+leakSecret+"\r\n\r\n", 1)
			send([]byte(dup), 200)

			// fasthttp's own error paths, with the credentials in the request.
			send(request("POST", "/invoke", "s-over", "/invoke", bytes.Repeat([]byte("b"), 2<<10)), 413)
			chunked := strings.Replace(string(request("POST", "/invoke", "s-chunked", "/invoke", nil)), "Content-Length: 0\r\n", "Transfer-Encoding: chunked\r\n", 1)
			send([]byte(chunked+"800\r\n"+strings.Repeat("c", 0x800)+"\r\n0\r\n\r\n"), 413)
			send(request("GET", "/dump", "s-huge", "/http-invoke", nil, extraHeaders(40<<10)...), 431)
			send([]byte(strings.Replace(string(request("POST", "/invoke", "s-cl", "/invoke", nil)), "Content-Length: 0", "Content-Length: x"+leakSecret, 1)), 400)
			send([]byte(strings.Replace(string(request("POST", "/invoke", "s-colon", "/invoke", nil)), "X-Fc-Security-Token: ", "X-Fc-Security-Token ", 1)), -1)
			send([]byte("POST /invoke HTTP/1.1\r\nHost: f\r\nX-Fc-Access-Key-Secret: "+leakSecret+"\r\nX-Fc-Security-Token: "+leakToken+"\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"), 400)

			// Shutdown, with an invocation's lines and the drain logged.
			require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
			select {
			case err := <-exited:
				require.NoError(t, err, "the server exits 0 after SIGTERM; stderr: %s", stderr)
			case <-ctx.Done():
				t.Fatal("the server did not exit after SIGTERM")
			}

			out := stdout.String()
			outputs := map[string]string{"stdout": out, "stderr": stderr.String(), "the answers": answers.String()}
			all := out + "\n" + stderr.String() + "\n" + answers.String()
			// The paths ran and printed what they were given.
			for _, want := range []string{
				"FC Invoke End RequestId: s-panic-pointer, Error: Unhandled function error",
				"FC PreStop End RequestId: s-stop, Error: Unhandled function error",
				"fcserver: rejected a request", "fcserver: unknown x-fc-control-path",
				"ignoring malformed x-fc-* header", "fcgo: shutting down", "fcgo: function server stopped",
				"HTTP handler panicked", "std request", "native request",
				"fasthttp: error when serving connection", `missing colon: \"…\"`,
			} {
				assert.Contains(t, out, want)
			}
			assert.Contains(t, stderr.String(), "stderr event ok", "the handlers' direct prints are captured")
			assert.Contains(t, stderr.String(), "slog event ok")
			assert.Contains(t, all, leakKeyID, "the key id is printed, as documented")
			assert.Contains(t, all, headers.Redacted)

			for what, secret := range map[string]string{"secret": leakSecret, "token": leakToken} {
			forms:
				for form, v := range leakForms(secret) {
					for name, o := range outputs {
						if i := strings.Index(o, v); i >= 0 {
							lo, hi := max(0, i-300), min(len(o), i+len(v)+50)
							t.Errorf("the %s leaked on %s in %s form: …%q…", what, name, form, o[lo:hi])
							break forms
						}
					}
				}
			}
			if t.Failed() {
				t.Logf("stdout:\n%.30000s\nstderr:\n%.30000s", out, stderr.String())
			}
		})
	}
}
