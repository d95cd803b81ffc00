package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/fcgo/fcgo/headers"
)

// maxErrorBody is how much of a failed hook's answer is echoed to stderr.
const maxErrorBody = 4 << 10

// invoker sends the requests of one fcinvoke run to one function server over
// a shared keep-alive connection, and reports on them.
type invoker struct {
	client  *http.Client
	base    string // "http://host:port"
	inst    *instance
	verbose bool
	stderr  io.Writer
}

// response is a function server's complete answer.
type response struct {
	proto    string // "HTTP/1.1"
	status   int
	header   http.Header
	body     []byte
	duration time.Duration // from sending the request to reading the last body byte
}

// xfcStatus returns the x-fc-status header and whether it was present.
func (r *response) xfcStatus() (string, bool) {
	v, ok := r.header[http.CanonicalHeaderKey(headers.XFCStatus)]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

// newInvoker creates the invoker. Like FC, it keeps one connection alive
// and reuses it; the only time limit is the function timeout plus 30 s.
func newInvoker(base string, inst *instance, timeout time.Duration, verbose bool, stderr io.Writer) *invoker {
	transport := &http.Transport{
		Proxy:               nil, // the function server is local: never use a proxy
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        4,
		MaxIdleConnsPerHost: 4,
		DisableCompression:  true, // send no Accept-Encoding; hand bodies on unchanged
		ForceAttemptHTTP2:   false,
	}
	return &invoker{
		client: &http.Client{
			Transport: transport,
			Timeout:   timeout + 30*time.Second,
			// FC hands an HTTP function's redirects to the client: never follow them.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		base:    base,
		inst:    inst,
		verbose: verbose,
		stderr:  stderr,
	}
}

// close releases the idle connection.
func (iv *invoker) close() { iv.client.CloseIdleConnections() }

// do sends c, reads the whole answer, and prints the -v block and the
// summary line to stderr. An error means no answer was received.
func (iv *invoker) do(ctx context.Context, c call) (*response, error) {
	req, err := iv.inst.newRequest(ctx, iv.base, c)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	resp, err := iv.client.Do(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("reading the response body: %w", err)
	}
	r := &response{
		proto:    resp.Proto,
		status:   resp.StatusCode,
		header:   resp.Header,
		body:     body,
		duration: time.Since(start),
	}
	if iv.verbose {
		iv.printHead(resp)
		if c.kind.isHook() && len(body) > 0 {
			iv.printBody(body)
		}
	}
	xs, ok := r.xfcStatus()
	if !ok {
		xs = "-"
	}
	fmt.Fprintf(iv.stderr, "fcinvoke: %s status=%d x-fc-status=%s duration=%dms\n",
		c.kind, r.status, xs, r.duration.Milliseconds())
	return r, nil
}

// printHead writes the status line and headers of resp to stderr in one write.
func (iv *invoker) printHead(resp *http.Response) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s\n", resp.Proto, resp.Status)
	names := make([]string, 0, len(resp.Header))
	for name := range resp.Header {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range resp.Header[name] {
			fmt.Fprintf(&b, "%s: %s\n", name, v)
		}
	}
	b.WriteByte('\n')
	_, _ = iv.stderr.Write(b.Bytes())
}

// printBody writes (the start of) a body that does not belong on stdout to
// stderr, ending in a newline.
func (iv *invoker) printBody(body []byte) {
	var b bytes.Buffer
	if len(body) > maxErrorBody {
		b.Write(body[:maxErrorBody])
		fmt.Fprintf(&b, "… (%d more bytes)", len(body)-maxErrorBody)
	} else {
		b.Write(body)
	}
	if b.Bytes()[b.Len()-1] != '\n' {
		b.WriteByte('\n')
	}
	_, _ = iv.stderr.Write(b.Bytes())
}

// requestError turns an error from do into an exit status, explaining it on
// stderr.
func (iv *invoker) requestError(ctx context.Context, kind requestKind, err error) int {
	var netErr net.Error
	switch {
	case ctx.Err() != nil:
		fmt.Fprintf(iv.stderr, "fcinvoke: %s: interrupted\n", kind)
		return exitInterrupted
	case errors.As(err, &netErr) && netErr.Timeout():
		fmt.Fprintf(iv.stderr, "fcinvoke: %s: no answer within the function timeout + 30s (%v): %v\n",
			kind, iv.client.Timeout, err)
		return exitFailed
	default:
		fmt.Fprintf(iv.stderr, "fcinvoke: %s: cannot reach the function at %s: %v\n", kind, iv.base, err)
		return exitUnreachable
	}
}

// hook calls a lifecycle hook and returns the exit status it implies:
// exitOK for a 2xx answer, exitFailed for any other.
func (iv *invoker) hook(ctx context.Context, kind requestKind) int {
	method := http.MethodGet
	if kind == kindInitialize {
		method = http.MethodPost
	}
	r, err := iv.do(ctx, call{
		kind:      kind,
		method:    method,
		target:    kind.controlPath(),
		requestID: newRequestID(),
	})
	if err != nil {
		return iv.requestError(ctx, kind, err)
	}
	if r.status < 200 || r.status > 299 {
		fmt.Fprintf(iv.stderr, "fcinvoke: the %s hook failed with status %d\n", kind, r.status)
		if !iv.verbose && len(r.body) > 0 {
			iv.printBody(r.body)
		}
		return exitFailed
	}
	return exitOK
}

// invoke makes the event or HTTP invocation, writes the answer's body to
// stdout and returns the exit status it implies.
func (iv *invoker) invoke(ctx context.Context, o *options, payload []byte, stdout io.Writer) int {
	requestID := o.requestID
	if requestID == "" {
		requestID = newRequestID()
	}
	c := call{requestID: requestID, body: payload, header: http.Header{}}
	if o.http {
		c.kind = kindHTTPInvoke
		c.method = o.method
		c.target = o.path
		if o.query != "" {
			c.target += "?" + o.query
		}
	} else {
		c.kind = kindInvoke
		c.method = http.MethodPost
		c.target = kindInvoke.controlPath()
		c.header.Set("Content-Type", "application/octet-stream")
	}

	r, err := iv.do(ctx, c)
	if err != nil {
		return iv.requestError(ctx, c.kind, err)
	}

	out := r.body
	if o.verbose && len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	if _, err := stdout.Write(out); err != nil {
		fmt.Fprintf(iv.stderr, "fcinvoke: writing the response to stdout: %v\n", err)
		return exitFailed
	}

	if o.http {
		if r.status >= 500 {
			return exitFailed
		}
		return exitOK
	}
	xs, ok := r.xfcStatus()
	switch {
	case r.status != http.StatusOK:
		return exitFailed
	case !ok:
		fmt.Fprintf(iv.stderr, "fcinvoke: warning: the answer has no %s header; FC counts it as a success, but failures go unnoticed without it\n", headers.XFCStatus)
		return exitOK
	case xs != "200":
		return exitFailed
	}
	return exitOK
}
