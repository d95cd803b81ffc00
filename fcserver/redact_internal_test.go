package fcserver

import (
	"bufio"
	"bytes"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/fcgo/fcgo/headers"
)

// readHeaderBlock reads block as the header lines of a GET request; ok is
// false when fasthttp rejects it.
func readHeaderBlock(h *fasthttp.RequestHeader, block []byte) bool {
	raw := append([]byte("GET / HTTP/1.1\r\nHost: fuzz\r\n"), block...)
	raw = append(raw, "\r\n\r\n"...)
	return h.Read(bufio.NewReaderSize(bytes.NewReader(raw), len(raw)+4096)) == nil
}

// readHeaderBlockAs is readHeaderBlock keeping header names as sent
// (DisableHeaderNamesNormalizing) when asSent.
func readHeaderBlockAs(h *fasthttp.RequestHeader, block []byte, asSent bool) bool {
	if asSent {
		h.DisableNormalizing()
	}
	return readHeaderBlock(h, block)
}

// redactedValue reports whether v is what redaction leaves of a secret:
// nothing but '*' and the blanks between folded lines, after at most one
// headers.Redacted.
func redactedValue(v []byte) bool {
	return len(bytes.Trim(bytes.TrimPrefix(v, []byte(headers.Redacted)), "* \t")) == 0
}

// redactSeeds are header blocks with secret headers in the shapes
// fasthttp accepts: repeated, in any case, folded over several lines.
var redactSeeds = []string{
	"X-Fc-Access-Key-Secret: s3cr3t\r\nX-Fc-Security-Token: CAIStoken",
	"x-fc-access-key-secret: a\r\nX-FC-SECURITY-TOKEN: b\r\nX-Fc-Security-Token: c\r\nx-Fc-Access-Key-Secret: d",
	"X-Fc-Security-Token: part1\r\n part2\r\n\tpart3:with:colons\r\nX-Other: 1",
	"x-fc-security-token:\r\n  only-on-the-next-line  \r\nX-Fc-Access-Key-Secret: s\r\n tail",
	"X-Fc-Security-Token: t1\nX-Fc-Access-Key-Secret: s1\n folded-bare-lf",
	"X-Other: 1\r\n not-secret-fold\r\nX-Fc-Security-Token: t",
	"X-Fc-Security-Token:\r\nX-Fc-Access-Key-Secret:",
	"X-Fc-Security-Tokenx: not-secret\r\nX-Fc-Access-Key-Secre: not-secret",
	"X-A: 12345678901234:x-fc-security-token: not-a-header\r\nX-Fc-Security-Token: t",
	"Trailer: X-Fc-Security-Token\r\nX-Fc-Security-Token: announced-as-trailer",
	"Trailer: X-Fc-Access-Key-Secret, X-Fc-Security-Token\r\nX-Fc-Access-Key-Secret: s\r\nX-Fc-Access-Key-Secret: s2",
	"Trailer: X-FC-SECURITY-token\r\nx-FC-security-TOKEN: mixed-case-trailer-name",
}

// redactRejectedSeeds are shapes fasthttp refuses to serve today; the fuzz
// target keeps them, so that a fasthttp that starts serving them shows at
// once whether redaction still covers them.
var redactRejectedSeeds = []string{
	"X-Fc-Security-Token : spaced-before-colon",
	"X-Fc-Access-Key-Secret\t: tab-before-colon",
}

// After redactSecretHeaders, no view of the request has a secret header
// whose value is not redacted: not the parsed headers, not the raw block
// (read again as a request), not its in-order reading.
func FuzzRedactSecretHeaders(f *testing.F) {
	for _, block := range append(redactSeeds, redactRejectedSeeds...) {
		f.Add([]byte(block))
	}
	f.Fuzz(func(t *testing.T, block []byte) {
		// As fcserver's own server reads requests, and as one that keeps
		// header names as sent (DisableHeaderNamesNormalizing); with the
		// raw block searched (the server's own handler) and walked
		// (Handler, for servers of the application's own).
		for _, asSent := range []bool{false, true} {
			for _, asRead := range []bool{true, false} {
				var h fasthttp.RequestHeader
				if !readHeaderBlockAs(&h, block, asSent) {
					return
				}
				checkRedacted(t, &h, block, asRead)
			}
		}
	})
}

// checkRedacted redacts h, read from block, and fails t if any view of it
// still has a secret header whose value is not redacted.
func checkRedacted(t *testing.T, h *fasthttp.RequestHeader, block []byte, asRead bool) {
	t.Helper()
	rawLen := len(h.RawHeaders())
	redactSecretHeaders(h, asRead, nil)
	// A copy: AllInOrder rewrites folded lines in place.
	raw := append([]byte(nil), h.RawHeaders()...)
	for k, v := range h.All() {
		if isSecretHeader(k) && !redactedValue(v) {
			t.Fatalf("parsed header %s: %q left after redaction of %q", k, v, block)
		}
	}
	names := []string{headers.XFCAccessKeySecret, headers.XFCSecurityToken}
	for name := range bytes.SplitSeq(h.Peek(fasthttp.HeaderTrailer), []byte(",")) {
		names = append(names, string(bytes.TrimSpace(name)))
	}
	for _, name := range names {
		if !isSecretHeader([]byte(name)) {
			continue
		}
		for _, v := range h.PeekAll(name) {
			if !redactedValue(v) {
				t.Fatalf("PeekAll(%s): %q left after redaction of %q", name, v, block)
			}
		}
	}
	for k, v := range h.AllInOrder() {
		if isSecretHeader(k) && !redactedValue(v) {
			t.Fatalf("in-order header %s: %q left after redaction of %q", k, v, block)
		}
	}
	var again fasthttp.RequestHeader
	reread := append([]byte("GET / HTTP/1.1\r\n"), bytes.TrimRight(raw, "\r\n")...)
	if again.Read(bufio.NewReader(bytes.NewReader(append(reread, "\r\n\r\n"...)))) != nil {
		t.Fatalf("the redacted raw block %q no longer reads", raw)
	}
	for k, v := range again.All() {
		if isSecretHeader(k) && !redactedValue(v) {
			t.Fatalf("raw block header %s: %q left after redaction of %q", k, v, block)
		}
	}
	if len(raw) != rawLen {
		t.Fatalf("redaction changed the raw block's length from %d to %d", rawLen, len(raw))
	}
}

// The seeds of FuzzRedactSecretHeaders are requests fasthttp serves: a
// seed it rejected would test nothing.
func TestRedactSeedsAreRead(t *testing.T) {
	for _, block := range redactSeeds {
		var h fasthttp.RequestHeader
		if !readHeaderBlock(&h, []byte(block)) {
			t.Errorf("fasthttp rejects the seed %q", block)
		}
	}
	for _, block := range redactRejectedSeeds {
		var h fasthttp.RequestHeader
		if readHeaderBlock(&h, []byte(block)) {
			t.Logf("fasthttp now serves %q: FuzzRedactSecretHeaders checks its redaction", block)
		}
	}
}

// BenchmarkScrubRawHeaders scrubs the raw header block of FC's full header
// set (testdata of package headers: 29 x-fc-* headers, a 1 KB token),
// copied afresh each time.
func BenchmarkScrubRawHeaders(b *testing.B) {
	var h fasthttp.RequestHeader
	if !readHeaderBlock(&h, fullHeaderBlock(b)) {
		b.Fatal("fasthttp refuses FC's full header set")
	}
	block := append([]byte(nil), h.RawHeaders()...)
	buf := make([]byte, len(block))
	b.ReportAllocs()
	for b.Loop() {
		copy(buf, block)
		scrubRawHeaders(buf)
	}
	if bytes.Contains(buf, []byte("CAISfcgoTOKEN")) {
		b.Fatal("token left")
	}
}

// The search for the parsed values overwrites the raw block exactly as the
// walk over its lines does, for every header block fasthttp serves: it
// either finds every secret line or hands the block to the walk.
func FuzzScrubRawValuesMatchesWalk(f *testing.F) {
	blocks := append(redactSeeds, redactRejectedSeeds...)
	blocks = append(blocks,
		string(fullHeaderBlock(f)),
		"X-Fc-Security-Token: t t\r\nX-Fc-Access-Key-Secret:\tabc \t\r\nX-A: abc",
		"X-A: tok\r\nX-Fc-Security-Token: tok\r\nx-fc-security-token: tok",
		"X-A: x-fc-security-token: tok\r\nX-Fc-Security-Token: tok",
		"X-Fc-Security-Token: a\r\n \r\nX-Fc-Access-Key-Secret: a",
		// Folded values that end in a blank, and values of stars, as an
		// overwritten line reads.
		"X-Fc-Security-Token: abc  \r\nX-Fc-Access-Key-Secret: ***\r\n ",
		"X-Fc-Access-Key-Secret: ***\r\n \r\nX-Fc-Security-Token: ***  ",
		"X-Fc-Security-Token: abc \t\r\nX-Fc-Access-Key-Secret:\r\n ***\r\n ",
		"X-Fc-Security-Token: abc\r\nX-Fc-Access-Key-Secret: b",
	)
	for _, block := range blocks {
		f.Add([]byte(block), uint16(0), uint16(0))
	}
	// A hint pointing at a secret line overwritten just before, whose
	// value has the length of the one looked for.
	f.Add([]byte("x-fc-access-key-secret: a\r\nX-FC-SECURITY-TOKEN: b"), uint16(0), uint16(24))
	// Hints from the input (any place, for the test to reject or take),
	// then the block again with the hints the first pass left, as a server
	// keeps them from request to request; for a small block, also every
	// place as the hint of each of the first two values.
	f.Fuzz(func(t *testing.T, block []byte, hint0, hint1 uint16) {
		for _, asSent := range []bool{false, true} {
			var hints rawHints
			hints[0].Store(int32(hint0))
			hints[1].Store(int32(hint1))
			hints[2].Store(int32(hint1 ^ hint0))
			for range 2 {
				if !checkScrubMatchesWalk(t, block, asSent, &hints) {
					return
				}
			}
			if len(block) > 96 {
				continue
			}
			for i := range 2 {
				for at := range len(block) + 40 {
					var hints rawHints
					hints[i].Store(int32(at))
					checkScrubMatchesWalk(t, block, asSent, &hints)
				}
			}
		}
	})
}

// checkScrubMatchesWalk reads block as fcserver's own server does (names
// as sent or not), redacts it with hints, and fails t unless the raw block
// is left as the walk over its lines leaves it. It reports false when
// fasthttp refuses the block.
func checkScrubMatchesWalk(t *testing.T, block []byte, asSent bool, hints *rawHints) bool {
	t.Helper()
	var h fasthttp.RequestHeader
	if !readHeaderBlockAs(&h, block, asSent) {
		return false
	}
	walked := append([]byte(nil), h.RawHeaders()...)
	scrubRawHeaders(walked)
	before := [2]int32{hints[0].Load(), hints[1].Load()}
	redactSecretHeaders(&h, true, hints)
	if got := h.RawHeaders(); !bytes.Equal(got, walked) {
		t.Fatalf("redaction with hints %v left the raw block\n%q\nthe walk over its lines leaves\n%q", before, got, walked)
	}
	return true
}

// fullHeaderBlock is the header block of FC's full header set (testdata
// of package headers: 29 x-fc-* headers, a 1 KB token), without its
// request line and Host line.
func fullHeaderBlock(tb testing.TB) []byte {
	raw, err := os.ReadFile("../headers/testdata/full-headers.txt")
	if err != nil {
		tb.Fatal(err)
	}
	var h fasthttp.RequestHeader
	if err := h.Read(bufio.NewReader(bytes.NewReader(raw))); err != nil {
		tb.Fatal(err)
	}
	var lines [][]byte
	for line := range bytes.SplitSeq(bytes.TrimRight(h.RawHeaders(), "\r\n"), []byte("\r\n")) {
		if !bytes.HasPrefix(bytes.ToLower(line), []byte("host:")) {
			lines = append(lines, line)
		}
	}
	return bytes.Join(lines, []byte("\r\n"))
}

// FC's requests take the search, not the walk: their secret lines are
// found by value, with names in canonical case (as in FC's dumps) or in
// lower case (as FC's documentation spells them).
func TestScrubRawValuesFindsFCSecrets(t *testing.T) {
	canonical := fullHeaderBlock(t)
	lower := bytes.ToLower(canonical)
	for _, c := range []struct {
		block  []byte
		asSent bool
	}{{canonical, false}, {canonical, true}, {lower, false}, {lower, true}} {
		block, asSent := c.block, c.asSent
		var h fasthttp.RequestHeader
		if !readHeaderBlockAs(&h, block, asSent) {
			t.Fatal("fasthttp refuses FC's full header set")
		}
		var secrets [][]byte
		for k, v := range h.All() {
			if isSecretHeader(k) {
				secrets = append(secrets, append([]byte(nil), v...))
			}
		}
		if len(secrets) != 2 {
			t.Fatalf("%d secret headers in FC's full header set, want 2", len(secrets))
		}
		raw := h.RawHeaders()
		if !scrubRawValues(raw, secrets, nil) {
			t.Fatal("the search did not find FC's secret lines; every request would walk the block")
		}
		for _, v := range secrets {
			if bytes.Contains(raw, v) {
				t.Fatalf("%q left in the raw block", v)
			}
		}
	}
}

// A hint is looked at before the search, and taken only where the value
// is the whole value of a secret line: the search takes the first such
// place, a good hint its own; a hint anywhere else is ignored.
func TestScrubRawValueHint(t *testing.T) {
	const block = "X-A: tok\r\nX-Fc-Security-Token: tok\r\nX-Fc-Security-Token: tok\r\n" +
		"X-Fc-Access-Key-Secret: abc\r\nX-Fc-Security-Token: ***\r\n"
	first := strings.Index(block, "Token: tok") + len("Token: ")
	second := strings.LastIndex(block, "tok")
	for _, c := range []struct {
		hint, want int32 // want: the place overwritten, and the hint kept after
		name       string
	}{
		{0, int32(first), "no hint: the search takes the first secret line"},
		{int32(second), int32(second), "a hint at a secret line is taken"},
		{int32(strings.Index(block, "tok")), int32(first), "a hint at another header's value is not"},
		{int32(first + 1), int32(first), "a hint inside a value is not"},
		{int32(len(block)), int32(first), "a hint past the block is not"},
		{int32(strings.Index(block, "Secret: abc") + len("Secret: ")), int32(first), "a hint at a secret line of another value is not"},
		{int32(strings.Index(block, "Token: ***") + len("Token: ")), int32(first), "a hint at a line overwritten before is not"},
	} {
		raw := []byte(block)
		var hint atomic.Int32
		hint.Store(c.hint)
		if !scrubRawValue(raw, []byte("tok"), &hint) {
			t.Fatalf("%s: not found", c.name)
		}
		if got := string(raw[c.want : c.want+3]); got != "***" {
			t.Errorf("%s: %q left at %d: %q", c.name, got, c.want, raw)
		}
		if strings.Count(string(raw), "***") != strings.Count(block, "***")+1 {
			t.Errorf("%s: %q: want one place overwritten", c.name, raw)
		}
		if got := hint.Load(); got != c.want {
			t.Errorf("%s: hint %d after, want %d", c.name, got, c.want)
		}
	}
}

// BenchmarkRedactSecretHeaders redacts FC's full header set, parsed
// headers and raw block, copied afresh each time (the copy is part of the
// cost).
func BenchmarkRedactSecretHeaders(b *testing.B) {
	var h, work fasthttp.RequestHeader
	var hints rawHints
	if !readHeaderBlock(&h, fullHeaderBlock(b)) {
		b.Fatal("fasthttp refuses FC's full header set")
	}
	b.ReportAllocs()
	for b.Loop() {
		h.CopyTo(&work)
		redactSecretHeaders(&work, true, &hints)
	}
	if bytes.Contains(work.RawHeaders(), []byte("CAISfcgoTOKEN")) {
		b.Fatal("token left")
	}
}
