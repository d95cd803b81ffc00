package logging_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/fcgo/fcgo/logging"
)

func TestMarkerGolden(t *testing.T) {
	const id = "1-67a59f35-150c1267-f381ba1c085c"
	cases := []struct {
		kind                logging.Kind
		start, end, failEnd string
	}{
		{
			logging.KindInvoke,
			"FC Invoke Start RequestId: " + id + "\n",
			"FC Invoke End RequestId: " + id + "\n",
			"FC Invoke End RequestId: " + id + ", Error: Unhandled function error\n",
		},
		{
			logging.KindInitialize,
			"FC Initialize Start RequestId: " + id + "\n",
			"FC Initialize End RequestId: " + id + "\n",
			"FC Initialize End RequestId: " + id + ", Error: Unhandled function error\n",
		},
		{
			logging.KindPreFreeze,
			"FC PreFreeze Start RequestId: " + id + "\n",
			"FC PreFreeze End RequestId: " + id + "\n",
			"FC PreFreeze End RequestId: " + id + ", Error: Unhandled function error\n",
		},
		{
			logging.KindPreStop,
			"FC PreStop Start RequestId: " + id + "\n",
			"FC PreStop End RequestId: " + id + "\n",
			"FC PreStop End RequestId: " + id + ", Error: Unhandled function error\n",
		},
	}
	for _, tc := range cases {
		t.Run(tc.kind.String(), func(t *testing.T) {
			assert.Equal(t, tc.start, string(logging.AppendStart(nil, tc.kind, id)))
			assert.Equal(t, tc.end, string(logging.AppendEnd(nil, tc.kind, id, false)))
			assert.Equal(t, tc.failEnd, string(logging.AppendEnd(nil, tc.kind, id, true)))

			// Appends, never overwrites.
			b := logging.AppendStart([]byte("prefix|"), tc.kind, id)
			assert.Equal(t, "prefix|"+tc.start, string(b))
			b = logging.AppendEnd(b, tc.kind, id, true)
			assert.Equal(t, "prefix|"+tc.start+tc.failEnd, string(b))
		})
	}
}

func TestMarkerUUIDRequestID(t *testing.T) {
	// FC 2.0 request ids are UUIDs.
	const id = "8f2ab1c4-3c8e-4d6e-9a55-0c1d2e3f4a5b"
	assert.Equal(t, "FC Invoke Start RequestId: "+id+"\n", string(logging.AppendStart(nil, logging.KindInvoke, id)))
}

func TestMarkerEmptyRequestID(t *testing.T) {
	assert.Equal(t, "FC Invoke Start RequestId: \n", string(logging.AppendStart(nil, logging.KindInvoke, "")))
}

func TestKindString(t *testing.T) {
	assert.Equal(t, "Invoke", logging.KindInvoke.String())
	assert.Equal(t, "Initialize", logging.KindInitialize.String())
	assert.Equal(t, "PreFreeze", logging.KindPreFreeze.String())
	assert.Equal(t, "PreStop", logging.KindPreStop.String())
	assert.Equal(t, "Invoke", logging.Kind(99).String())
	assert.Equal(t, ", Error: Unhandled function error", logging.FailureSuffix)
}

// A request id comes from a header: it must never split a marker line.
func TestMarkerRequestIDCannotSplitLine(t *testing.T) {
	for _, id := range []string{"a\nFC Invoke End RequestId: a", "a\rb", "a\r\nb", "\n", "a\x00b\x1b[31m\x7f", "a\u2028b"} {
		for _, line := range []string{
			string(logging.AppendStart(nil, logging.KindInvoke, id)),
			string(logging.AppendEnd(nil, logging.KindPreStop, id, false)),
			string(logging.AppendEnd(nil, logging.KindInitialize, id, true)),
		} {
			assert.Equal(t, 1, strings.Count(line, "\n"), "%q", line)
			assert.True(t, strings.HasSuffix(line, "\n"), "%q", line)
			assert.NotContains(t, line, "\r", "%q", line)
			assert.True(t, strings.HasPrefix(line, "FC "), "%q", line)
		}
	}
	assert.Equal(t, "FC Invoke Start RequestId: a?b\n", string(logging.AppendStart(nil, logging.KindInvoke, "a\nb")))
	assert.Equal(t, "FC Invoke End RequestId: a??b, Error: Unhandled function error\n",
		string(logging.AppendEnd(nil, logging.KindInvoke, "a\r\nb", true)))
}
