package trigger_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/fcgo/fcgo/event/trigger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTime(t *testing.T) {
	for in, want := range map[string]string{
		`"2020-11-19T21:04:42.179PRC"`:     "2020-11-19T21:04:42.179+08:00", // EventBridge's published sample
		`"2020-11-19T21:04:42PRC"`:         "2020-11-19T21:04:42+08:00",
		`"2022-08-13T06:45:43.000Z"`:       "2022-08-13T06:45:43Z",
		`"2018-03-16T14:19:55+08:00"`:      "2018-03-16T14:19:55+08:00",
		`"2022-07-22T06:34:27.9Z"`:         "2022-07-22T06:34:27.9Z",
		`"2023-09-05T06:41:11"`:            "2023-09-05T06:41:11Z", // no zone: UTC
		`"2023-09-05 06:41:11.5"`:          "2023-09-05T06:41:11.5Z",
		`"2023-09-05 06:41:11-05:00"`:      "2023-09-05T06:41:11-05:00",
		`"2023-09-05T06:41:11.123456789Z"`: "2023-09-05T06:41:11.123456789Z",
	} {
		var v trigger.Time
		require.NoError(t, json.Unmarshal([]byte(in), &v), in)
		assert.Equal(t, want, v.Format(time.RFC3339Nano), in)
		b, err := json.Marshal(v)
		require.NoError(t, err)
		assert.Equal(t, `"`+want+`"`, string(b))
	}
	for _, in := range []string{`""`, `null`} {
		v := trigger.Time{}
		require.NoError(t, json.Unmarshal([]byte(in), &v), in)
		assert.True(t, v.IsZero(), in)
	}
	var v trigger.Time
	assert.EqualError(t, json.Unmarshal([]byte(`"yesterday"`), &v), `trigger: "yesterday" is not a time (want RFC 3339, e.g. 2006-01-02T15:04:05Z)`)
	assert.ErrorContains(t, json.Unmarshal([]byte(`1550216480040`), &v), `trigger: want a time string, got "1550216480040"`)

	// Decoding the same text gives an equal value whatever the local zone.
	a, err := trigger.ParseTime("2018-03-16T14:19:55+08:00")
	require.NoError(t, err)
	b, err := trigger.ParseTime("2020-11-19T21:04:42PRC")
	require.NoError(t, err)
	_, offA := a.Zone()
	_, offB := b.Zone()
	assert.Equal(t, offA, offB)
	assert.Equal(t, a.Location(), b.Location())
}

func TestEpochTimes(t *testing.T) {
	for _, in := range []string{`1693896071895`, `"1693896071895"`} {
		var ms trigger.UnixMilli
		require.NoError(t, json.Unmarshal([]byte(in), &ms), in)
		assert.Equal(t, "2023-09-05T06:41:11.895Z", ms.Format(time.RFC3339Nano))
		b, _ := json.Marshal(ms)
		assert.Equal(t, "1693896071895", string(b))
	}
	for _, in := range []string{`1529486425`, `"1529486425"`} {
		var s trigger.UnixSeconds
		require.NoError(t, json.Unmarshal([]byte(in), &s), in)
		assert.Equal(t, "2018-06-20T09:20:25Z", s.Format(time.RFC3339))
		b, _ := json.Marshal(s)
		assert.Equal(t, "1529486425", string(b))
	}
	var ms trigger.UnixMilli
	assert.EqualError(t, json.Unmarshal([]byte(`"soon"`), &ms), `trigger: want epoch milliseconds, got "\"soon\""`)
	assert.EqualError(t, json.Unmarshal([]byte(`1.5e12`), &ms), `trigger: want epoch milliseconds, got "1.5e12"`)
}

func TestInt64(t *testing.T) {
	for in, want := range map[string]int64{
		`9007199254740993`:       9007199254740993, // 2^53+1: float64 would give ...992
		`"9007199254740993"`:     9007199254740993,
		`-42`:                    -42,
		`" 7 "`:                  7,
		`9223372036854775807`:    9223372036854775807,
		`"-9223372036854775808"`: -9223372036854775808,
	} {
		var n trigger.Int64
		require.NoError(t, json.Unmarshal([]byte(in), &n), in)
		assert.Equal(t, trigger.Int64(want), n, in)
	}
	for _, in := range []string{`1.5`, `1e3`, `"x"`, `9223372036854775808`, `true`, `{}`} {
		var n trigger.Int64
		assert.ErrorContains(t, json.Unmarshal([]byte(in), &n), "trigger: want", in)
	}
	n := trigger.Int64(5)
	require.NoError(t, json.Unmarshal([]byte(`null`), &n))
	assert.Equal(t, trigger.Int64(5), n, "null leaves the value")
}

func TestString(t *testing.T) {
	for in, want := range map[string]trigger.String{
		`"text"`:                   "text",
		`1628577790396`:            "1628577790396",
		`123456789012345678901234`: "123456789012345678901234", // exact text, no float64
		`1.50`:                     "1.50",
		`true`:                     "true",
	} {
		var s trigger.String
		require.NoError(t, json.Unmarshal([]byte(in), &s), in)
		assert.Equal(t, want, s, in)
	}
	var s trigger.String
	assert.EqualError(t, json.Unmarshal([]byte(`{"a":1}`), &s), `trigger: want a string, number or boolean, got "{\"a\":1}"`)
	b, _ := json.Marshal(trigger.String("1628577790396"))
	assert.Equal(t, `"1628577790396"`, string(b))
}

func TestBody(t *testing.T) {
	var b trigger.Body
	require.NoError(t, json.Unmarshal([]byte("{\n  \"a\" : [1, 2],\n  \"h\": \"<&>\"\n}"), &b))
	assert.Equal(t, `{"a":[1,2],"h":"\u003c\u0026\u003e"}`, string(b), "compacted and escaped as json.Marshal writes it")
	var v struct {
		A []int
		H string
	}
	require.NoError(t, b.Decode(&v))
	assert.Equal(t, []int{1, 2}, v.A)
	assert.Equal(t, "<&>", v.H)

	// JSON text inside a string decodes as what it holds.
	require.NoError(t, json.Unmarshal([]byte(`"{\"A\":[3]}"`), &b))
	v.A = nil
	require.NoError(t, b.Decode(&v))
	assert.Equal(t, []int{3}, v.A)
	assert.Equal(t, `{"A":[3]}`, b.String())

	require.NoError(t, json.Unmarshal([]byte(`"aGVsbG8"`), &b)) // unpadded
	got, err := b.Base64()
	require.NoError(t, err)
	assert.Equal(t, "hello", string(got))
	require.NoError(t, json.Unmarshal([]byte(`"TEST!"`), &b))
	_, err = b.Base64()
	assert.EqualError(t, err, `trigger: body is not base64: "TEST!"`)

	assert.Equal(t, "", trigger.Body(nil).String())
	assert.Equal(t, "", trigger.Body("null").String())
	assert.Equal(t, "12", trigger.Body("12").String())
	out, _ := json.Marshal(struct{ B trigger.Body }{})
	assert.Equal(t, `{"B":null}`, string(out))
}

func TestHeaders(t *testing.T) {
	h := trigger.Headers{"content-type": "lower", "Content-Type": "canonical", "X-Ca-Stage": "RELEASE"}
	assert.Equal(t, "canonical", h.Get("Content-Type"), "an exact match wins")
	assert.Equal(t, "lower", h.Get("content-type"))
	assert.Equal(t, "RELEASE", h.Get("x-ca-stage"))
	assert.Equal(t, "", trigger.Headers(nil).Get("x"))
}

func TestBatchForms(t *testing.T) {
	rec := `{"props":{"firstTopic":"t"},"body":"b"}`
	want := trigger.MQTTEvents{{Props: trigger.MQTTProperties{FirstTopic: "t"}, Body: trigger.Body(`"b"`)}}
	for _, in := range []string{`[` + rec + `]`, rec, ` ` + rec + ` `, `["` + jsonEscape(rec) + `"]`} {
		var b trigger.MQTTEvents
		require.NoError(t, json.Unmarshal([]byte(in), &b), in)
		assert.Equal(t, want, b, in)
	}
	var b trigger.MQTTEvents
	require.NoError(t, json.Unmarshal([]byte(`[]`), &b))
	assert.Equal(t, trigger.MQTTEvents{}, b)

	for in, msg := range map[string]string{
		`"x"`:                      `trigger: MQTTEvents: want a JSON array of records or one record object, got "\"x\""`,
		`["plain text"]`:           `trigger: MQTTEvents[0]: a string record must hold a JSON object, got "plain text"`,
		`[{"props":1}]`:            `trigger: MQTTEvents[0]: json: cannot unmarshal number into Go struct field MQTTEvent.props of type trigger.MQTTProperties`,
		`[{"body":"a"}, 7]`:        `trigger: MQTTEvents[1]: json: cannot unmarshal number into Go value of type trigger.MQTTEvent`,
		`{"props":{"clientId":5}}`: `trigger: MQTTEvents: json: cannot unmarshal number into Go struct field MQTTProperties.props.clientId of type string`,
	} {
		var b trigger.MQTTEvents
		assert.EqualError(t, json.Unmarshal([]byte(in), &b), msg, in)
	}
}

func jsonEscape(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}
