package headers_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"

	"github.com/fcgo/fcgo/headers"
)

// assertSameInfo checks that a Parser's Info equals Parse's, the secret
// and the token included.
func assertSameInfo(t *testing.T, want, got headers.Info, msgAndArgs ...any) {
	t.Helper()
	assert.True(t, want.Credentials.Equal(got.Credentials), "credentials differ: %v", msgAndArgs)
	want.Credentials, got.Credentials = headers.Credentials{}, headers.Credentials{}
	assert.Equal(t, want, got, msgAndArgs...)
}

// withValues returns the full fixture with the values of the named
// headers replaced.
func withValues(t testing.TB, repl map[string]string) []byte {
	raw := loadFixture(t, "full-headers.txt")
	end := bytes.Index(raw, []byte("\r\n\r\n"))
	lines := strings.Split(string(raw[:end]), "\r\n")
	for i, l := range lines {
		name, _, ok := strings.Cut(l, ": ")
		if v, found := repl[strings.ToLower(name)]; ok && found {
			lines[i] = name + ": " + v
		}
	}
	return []byte(strings.Join(lines, "\r\n") + string(raw[end:]))
}

// parseWith reads raw into h and parses it with p, failing t on an error.
func parseWith(t testing.TB, p *headers.Parser, h *fasthttp.RequestHeader, raw []byte) headers.Info {
	t.Helper()
	readHeader(t, h, raw)
	info, err := p.Parse(h)
	require.NoError(t, err)
	return info
}

func TestParserGivesWhatParseGives(t *testing.T) {
	var p headers.Parser
	var h fasthttp.RequestHeader
	first := parseWith(t, &p, &h, loadFixture(t, "full-headers.txt"))
	assertSameInfo(t, fullInfo(), first)

	// The next request of the same function: its own request id, the
	// function's values shared with the first Info rather than copied.
	second := parseWith(t, &p, &h, withValues(t, map[string]string{headers.XFCRequestID: "1-next"}))
	want := fullInfo()
	want.RequestID = "1-next"
	assertSameInfo(t, want, second)
	assert.Equal(t, fullRequestID, first.RequestID, "the first Info keeps its own id")
	assert.Same(t, unsafe.StringData(first.Function.Name), unsafe.StringData(second.Function.Name), "function name shared")
	assert.Same(t, unsafe.StringData(first.Credentials.SecurityToken()), unsafe.StringData(second.Credentials.SecurityToken()), "token shared")
	assert.NotSame(t, unsafe.StringData(first.RequestID), unsafe.StringData(second.RequestID))
}

// When FC rotates the credentials, the next Info has the new ones and the
// Infos already returned keep the old ones.
func TestParserSeesChangedValues(t *testing.T) {
	var p headers.Parser
	var h fasthttp.RequestHeader
	before := parseWith(t, &p, &h, loadFixture(t, "full-headers.txt"))

	newToken := strings.Repeat("N", 1000)
	for _, c := range []struct {
		name string
		repl map[string]string
		want func(*headers.Info)
	}{
		{"rotated credentials", map[string]string{
			headers.XFCAccessKeyID: "STS.rotated", headers.XFCAccessKeySecret: "rotated-secret", headers.XFCSecurityToken: newToken,
		}, func(i *headers.Info) {
			i.Credentials = headers.NewCredentials("STS.rotated", "rotated-secret", newToken)
		}},
		// The same bytes split differently between secret and token.
		{"secret and token boundary", map[string]string{
			headers.XFCAccessKeySecret: fullSecret + "C", headers.XFCSecurityToken: fullToken()[1:],
		}, func(i *headers.Info) {
			i.Credentials = headers.NewCredentials(fullAccessKeyID, fullSecret+"C", fullToken()[1:])
		}},
		{"no token", map[string]string{headers.XFCSecurityToken: ""}, func(i *headers.Info) {
			i.Credentials = headers.NewCredentials(fullAccessKeyID, fullSecret, "")
		}},
		{"another qualifier", map[string]string{headers.XFCQualifier: "prod", headers.XFCVersionID: "7"}, func(i *headers.Info) {
			i.Qualifier, i.VersionID = "prod", "7"
		}},
		{"back to the fixture", nil, func(*headers.Info) {}},
		{"empty function name", map[string]string{headers.XFCFunctionName: ""}, func(i *headers.Info) { i.Function.Name = "" }},
	} {
		readHeader(t, &h, withValues(t, c.repl))
		got, err := p.Parse(&h)
		require.NoError(t, err, c.name)
		want := fullInfo()
		c.want(&want)
		assertSameInfo(t, want, got, c.name)
		plain, err := headers.Parse(&h)
		require.NoError(t, err)
		assertSameInfo(t, plain, got, c.name)
	}
	assertSameInfo(t, fullInfo(), before, "an Info already returned keeps its values")
}

// fasthttp reuses a header's buffers for the next request; an Info from a
// Parser must not share them either, whether its values were copied or
// found in the Parser.
func TestParserInfoOwnsItsStrings(t *testing.T) {
	var p headers.Parser
	var h fasthttp.RequestHeader
	copied := parseWith(t, &p, &h, loadFixture(t, "full-headers.txt"))
	shared := parseWith(t, &p, &h, loadFixture(t, "full-headers.txt"))

	for _, round := range []byte{'#', '%'} {
		raw := loadFixture(t, "full-headers.txt")
		end := bytes.Index(raw, []byte("\r\n\r\n"))
		for _, line := range bytes.Split(raw[:end], []byte("\r\n")) {
			if bytes.HasPrefix(line, []byte("X-Fc-")) {
				for j := bytes.IndexByte(line, ':') + 2; j < len(line); j++ {
					line[j] = round
				}
			}
		}
		readHeader(t, &h, raw)
		other, _ := p.Parse(&h)
		assert.Equal(t, strings.Repeat(string(round), len(fullRequestID)), other.RequestID)
		assertSameInfo(t, fullInfo(), copied, "round %c", round)
		assertSameInfo(t, fullInfo(), shared, "round %c", round)
	}
}

// Requests of two credential sets interleaved from many goroutines each
// get their own (run with -race).
func TestParserConcurrent(t *testing.T) {
	var p headers.Parser
	raws := [][]byte{
		loadFixture(t, "full-headers.txt"),
		withValues(t, map[string]string{headers.XFCSecurityToken: "other-token", headers.XFCRegion: "cn-shanghai"}),
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var h fasthttp.RequestHeader
			for i := range 200 {
				raw := raws[(g+i)%2]
				h.Reset()
				readHeader(t, &h, raw)
				got, err := p.Parse(&h)
				want, _ := headers.Parse(&h)
				if err != nil || !want.Credentials.Equal(got.Credentials) || want.Region != got.Region {
					t.Errorf("goroutine %d request %d: got %v in %s, want %v in %s (%v)",
						g, i, got.Credentials.SecurityToken()[:8], got.Region, want.Credentials.SecurityToken()[:8], want.Region, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
