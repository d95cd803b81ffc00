package headers_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fcgo/fcgo/headers"
)

var controlPathCases = []struct {
	value string
	want  headers.ControlPath
}{
	{"/invoke", headers.ControlPathInvoke},
	{"/http-invoke", headers.ControlPathHTTPInvoke},
	{"/initialize", headers.ControlPathInitialize},
	{"/pre-freeze", headers.ControlPathPreFreeze},
	{"/pre-stop", headers.ControlPathPreStop},
	{"", headers.ControlPathNone},
	// FC sends lower case; anything else is not one of its values.
	{"/INVOKE", headers.ControlPathUnknown},
	{"/Invoke", headers.ControlPathUnknown},
	{"invoke", headers.ControlPathUnknown},
	{"/invoke/", headers.ControlPathUnknown},
	{" /invoke", headers.ControlPathUnknown},
	{"/invoke\x00", headers.ControlPathUnknown},
	{"/pre-freez", headers.ControlPathUnknown},
	{"/", headers.ControlPathUnknown},
	{"unknown", headers.ControlPathUnknown},
	{"/2016-08-15/proxy/svc/fn/invoke", headers.ControlPathUnknown},
}

func TestParseControlPath(t *testing.T) {
	for _, tc := range controlPathCases {
		assert.Equal(t, tc.want, headers.ParseControlPath([]byte(tc.value)), "%q", tc.value)
	}
	assert.Equal(t, headers.ControlPathNone, headers.ParseControlPath(nil))
}

func TestControlPathString(t *testing.T) {
	want := map[headers.ControlPath]string{
		headers.ControlPathNone:       "",
		headers.ControlPathInvoke:     "/invoke",
		headers.ControlPathHTTPInvoke: "/http-invoke",
		headers.ControlPathInitialize: "/initialize",
		headers.ControlPathPreFreeze:  "/pre-freeze",
		headers.ControlPathPreStop:    "/pre-stop",
		headers.ControlPathUnknown:    "unknown",
		headers.ControlPath(200):      "unknown",
	}
	for p, s := range want {
		assert.Equal(t, s, p.String())
	}
}

// Every value FC sends survives String and ParseControlPath.
func TestControlPathRoundTrip(t *testing.T) {
	for _, p := range []headers.ControlPath{
		headers.ControlPathNone,
		headers.ControlPathInvoke,
		headers.ControlPathHTTPInvoke,
		headers.ControlPathInitialize,
		headers.ControlPathPreFreeze,
		headers.ControlPathPreStop,
	} {
		assert.Equal(t, p, headers.ParseControlPath([]byte(p.String())), "%q", p.String())
	}
	assert.Equal(t, headers.ControlPathUnknown, headers.ParseControlPath([]byte(headers.ControlPathUnknown.String())))
}

func TestControlPathJSON(t *testing.T) {
	b, err := json.Marshal(struct{ P headers.ControlPath }{headers.ControlPathHTTPInvoke})
	assert.NoError(t, err)
	assert.JSONEq(t, `{"P":"/http-invoke"}`, string(b))
}

func TestParseControlPathHeader(t *testing.T) {
	for _, tc := range controlPathCases {
		if strings.ContainsRune(tc.value, 0) {
			continue // fasthttp rejects NUL in a header value
		}
		info, err := parseLines(t, "X-Fc-Control-Path: "+tc.value)
		require.NoError(t, err)
		// fasthttp trims the value's surrounding spaces.
		want := headers.ParseControlPath([]byte(trimOWS(tc.value)))
		assert.Equal(t, want, info.ControlPath, "%q", tc.value)
	}
}

func trimOWS(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}
