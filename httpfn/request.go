package httpfn

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/textproto"
	"net/url"
	"sync"
	"unsafe"

	"github.com/fcgo/fcgo/headers"
	"github.com/valyala/fasthttp"
)

// newRequest fills r from the request in rc for a net/http handler.
//
// Everything r holds is owned: the request line, the host, the remote
// address and every header key and value are copied into one byte arena,
// and the strings are views of it, so they stay valid (and unchanged) after
// the handler returns, when fasthttp reuses its buffers for the next request
// on the connection. The exception is the body, a reader over rc.PostBody()
// that newRequest returns so that the caller can close it when the handler
// returns. The credentials headers are left out of r.Header.
//
// r's context is not set: the caller calls r.WithContext.
func newRequest(rc *fasthttp.RequestCtx, r *http.Request) (*requestBody, error) {
	h := &rc.Request.Header
	method := h.Method()
	// Read through rc.URI(), not the request line, so that a path changed
	// by an earlier handler (StripBasePath) is the one the handler sees.
	uri := rc.URI().RequestURI()
	host := h.Host()
	var addrBuf [64]byte
	addr, addrOK := appendAddr(addrBuf[:0], rc.RemoteAddr())

	// First pass: count the headers and their bytes, so that the arena and
	// the value slices are allocated once, at their final size.
	n, size := 0, len(method)+len(uri)+len(host)+len(addr)
	for k, v := range h.All() {
		if !skipHeader(k) {
			n++
			size += len(k) + len(v)
		}
	}
	a := arena(make([]byte, 0, size))

	r.Method = a.str(method)
	r.RequestURI = a.str(uri)
	u, err := url.ParseRequestURI(r.RequestURI)
	if err != nil {
		return nil, err
	}
	r.URL = u
	if h.IsHTTP11() {
		r.Proto, r.ProtoMajor, r.ProtoMinor = "HTTP/1.1", 1, 1
	} else {
		r.Proto, r.ProtoMajor, r.ProtoMinor = "HTTP/1.0", 1, 0
	}
	r.Host = a.str(host)
	if addrOK {
		r.RemoteAddr = a.str(addr)
	} else {
		r.RemoteAddr = rc.RemoteAddr().String()
	}
	r.Close = h.ConnectionClose()
	r.TLS = rc.TLSConnectionState()

	// Second pass: fill the header. Each value gets its own one-element
	// window of vals (capacity capped, so that appending a repeated
	// header's next value cannot overwrite its neighbour).
	r.Header = make(http.Header, n)
	vals := make([]string, n)
	i := 0
	for k, v := range h.All() {
		if skipHeader(k) || i == len(vals) {
			continue
		}
		vals[i] = a.str(v)
		vs := vals[i : i+1 : i+1]
		i++
		key := a.str(k)
		if !isCanonical(k) {
			// fasthttp normalises names unless told not to
			// (DisableHeaderNamesNormalizing); a name it leaves alone
			// is canonicalised here as net/http would.
			key = textproto.CanonicalMIMEHeaderKey(key)
		}
		if prev, ok := r.Header[key]; ok {
			r.Header[key] = append(prev, vs[0])
		} else {
			r.Header[key] = vs
		}
	}
	r.Trailer = trailers(h)

	body := rc.PostBody()
	if h.ContentLength() == -1 {
		// A chunked request: as net/http's server reports it, length
		// unknown, and the Transfer-Encoding header moved out of r.Header.
		r.ContentLength = -1
		r.TransferEncoding = []string{"chunked"}
	} else {
		r.ContentLength = int64(len(body))
	}
	if len(body) == 0 {
		r.Body = http.NoBody
		return nil, nil
	}
	b := &requestBody{b: body}
	r.Body = b
	return b, nil
}

// skipHeader reports whether the header named k stays out of r.Header:
// Host (it is r.Host), Transfer-Encoding (r.TransferEncoding) and Trailer
// (r.Trailer), as net/http's server does, and the function's credentials.
func skipHeader(k []byte) bool {
	switch len(k) {
	case len("Host"):
		return equalFold(k, "host")
	case len("Trailer"):
		return equalFold(k, "trailer")
	case len("Transfer-Encoding"):
		return equalFold(k, "transfer-encoding")
	case len(headers.XFCAccessKeySecret):
		return equalFold(k, headers.XFCAccessKeySecret)
	case len(headers.XFCSecurityToken):
		return equalFold(k, headers.XFCSecurityToken)
	}
	return false
}

// equalFold reports whether b equals the lower-case ASCII string s,
// ignoring case.
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range len(b) {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// isCanonical reports whether textproto.CanonicalMIMEHeaderKey would return
// k unchanged: each letter upper case at the start and after a '-', lower
// case elsewhere. (A name with a byte that is not a token character is
// returned unchanged by CanonicalMIMEHeaderKey whatever its case, so
// answering false for it only costs a call.)
func isCanonical(k []byte) bool {
	upper := true
	for _, c := range k {
		if upper && 'a' <= c && c <= 'z' || !upper && 'A' <= c && c <= 'Z' {
			return false
		}
		upper = c == '-'
	}
	return true
}

// trailers returns the announced trailer names with the values received in
// the trailer section, as net/http's r.Trailer; nil when none was
// announced. Requests with trailers are rare: plain copies suffice.
func trailers(h *fasthttp.RequestHeader) http.Header {
	keys := h.PeekTrailerKeys()
	if len(keys) == 0 {
		return nil
	}
	t := make(http.Header, len(keys))
	for _, k := range keys {
		t[textproto.CanonicalMIMEHeaderKey(string(k))] = nil
	}
	// "Key: Value\r\n" per value, then an empty line.
	section := h.TrailerHeader()
	for len(section) > 0 {
		var line []byte
		line, section, _ = bytes.Cut(section, []byte("\r\n"))
		if k, v, ok := bytes.Cut(line, []byte(":")); ok {
			key := textproto.CanonicalMIMEHeaderKey(string(k))
			t[key] = append(t[key], string(bytes.TrimSpace(v)))
		}
	}
	return t
}

// appendAddr appends the text of a TCP address to dst without the
// allocations of (*net.TCPAddr).String, and with the same result. It
// reports false for any other address, which the caller formats with
// String.
func appendAddr(dst []byte, addr net.Addr) ([]byte, bool) {
	ta, ok := addr.(*net.TCPAddr)
	if !ok || ta.Zone != "" || ta.Port < 0 || ta.Port > 0xffff {
		return dst, false
	}
	ip, ok := netip.AddrFromSlice(ta.IP)
	if !ok {
		return dst, false
	}
	// Unmap: net.IP prints an IPv4-mapped IPv6 address in dotted form.
	return netip.AddrPortFrom(ip.Unmap(), uint16(ta.Port)).AppendTo(dst), true
}

// arena is append-only storage for the strings of one request. Its
// capacity is set once; str never writes over bytes it has handed out, so
// the strings are immutable, as unsafe.String requires. (Should the
// capacity be short, append moves on to a new array and the strings
// already made keep the old one alive: still correct, one allocation more.)
type arena []byte

func (a *arena) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	start := len(*a)
	*a = append(*a, b...)
	return unsafe.String(&(*a)[start], len(b))
}

// requestBody is r.Body: a reader over rc.PostBody(). fasthttp reuses that
// buffer for the next request on the connection, so Std closes the body
// when ServeHTTP returns; a read after that fails with
// http.ErrBodyReadAfterClose, as with net/http's server, instead of
// returning another request's bytes.
type requestBody struct {
	// mu makes Close wait for a Read or WriteTo in progress (from a
	// goroutine the handler left behind), so no copy from fasthttp's
	// buffer runs once Close has returned and the buffer may be reused.
	mu     sync.Mutex
	b      []byte
	closed bool
}

func (b *requestBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return 0, http.ErrBodyReadAfterClose
	}
	if len(b.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, b.b)
	b.b = b.b[n:]
	return n, nil
}

// WriteTo lets io.Copy hand the body to w in one Write, without a buffer.
func (b *requestBody) WriteTo(w io.Writer) (int64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return 0, http.ErrBodyReadAfterClose
	}
	if len(b.b) == 0 {
		return 0, nil
	}
	n, err := w.Write(b.b)
	if n < 0 || n > len(b.b) {
		n = 0
		if err == nil {
			err = io.ErrShortWrite
		}
	}
	b.b = b.b[n:]
	if err == nil && len(b.b) > 0 {
		err = io.ErrShortWrite
	}
	return int64(n), err
}

func (b *requestBody) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	b.b = nil
	return nil
}
