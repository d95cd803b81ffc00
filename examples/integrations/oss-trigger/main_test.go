package main

import (
	"os"
	"testing"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver/fctest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// invoke runs one event invocation of the function in memory, as FC
// would send it.
func invoke(t *testing.T, payload []byte) *fctest.Result {
	t.Helper()
	return fctest.InvokeEvent(t, event.JSON(handle), payload, fctest.RequestID("req-oss-1"))
}

func TestSummarizesTheOSSSample(t *testing.T) {
	payload, err := os.ReadFile("../../event/trigger/testdata/oss.json")
	require.NoError(t, err)
	r := invoke(t, payload)
	r.AssertSuccess(t)
	assert.Equal(t, `{"objects":[{"bucket":"testbucket","key":"source/a.png","size":122539,"event":"ObjectCreated:PutObject"}],"totalBytes":122539}`, string(r.Body))
	r.AssertLogLine(t, "INFO", "object bucket=testbucket key=source/a.png size=122539 event=ObjectCreated:PutObject")
}

func TestDecodesKeysAndSumsSizes(t *testing.T) {
	r := invoke(t, []byte(`{"events":[
		{"eventName":"ObjectCreated:PutObject","oss":{"bucket":{"name":"b"},"object":{"key":"in/my%20cat.jpg","size":10}}},
		{"eventName":"ObjectRemoved:DeleteObject","oss":{"bucket":{"name":"b"},"object":{"key":"%E4%B8%AD.txt","size":"5"}}}]}`))
	r.AssertSuccess(t)
	assert.Equal(t, `{"objects":[{"bucket":"b","key":"in/my cat.jpg","size":10,"event":"ObjectCreated:PutObject"},{"bucket":"b","key":"中.txt","size":5,"event":"ObjectRemoved:DeleteObject"}],"totalBytes":15}`, string(r.Body))
	lines := r.LogLines()
	require.Len(t, lines, 2)
	assert.Equal(t, `bucket=b key="in/my cat.jpg" size=10 event=ObjectCreated:PutObject`, lines[0].Fields)
	assert.Equal(t, `bucket=b key=中.txt size=5 event=ObjectRemoved:DeleteObject`, lines[1].Fields)
}

func TestRejectsAnEventWithNoRecords(t *testing.T) {
	for _, payload := range []string{`{}`, `{"events":[]}`, ``, `{"name":"Ada"}`} {
		r := invoke(t, []byte(payload))
		r.AssertErrorType(t, "NoOSSRecords")
		assert.JSONEq(t, `{"errorMessage":"the OSS event has no records in \"events\": is this function's trigger an OSS trigger?","errorType":"NoOSSRecords"}`, string(r.Body), payload)
	}
}

func TestRejectsABadKey(t *testing.T) {
	r := invoke(t, []byte(`{"events":[{"oss":{"bucket":{"name":"b"},"object":{"key":"a%zz"}}}]}`))
	r.AssertErrorType(t, "InvalidObjectKey")
	assert.JSONEq(t, `{"errorMessage":"record for bucket \"b\": trigger: OSS object key \"a%zz\" is not URL-encoded: invalid URL escape \"%zz\"","errorType":"InvalidObjectKey"}`, string(r.Body))
}

func TestRejectsAPayloadThatIsNotAnOSSEvent(t *testing.T) {
	invoke(t, []byte(`{"events":{"not":"a list"}}`)).AssertErrorType(t, event.TypeInvalidPayload)
}
