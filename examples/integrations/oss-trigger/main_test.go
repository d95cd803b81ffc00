package main

import (
	"bytes"
	"net"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/logging"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// invoke sends one event invocation to the function over an in-memory
// connection, as FC would.
func invoke(t *testing.T, payload []byte) (*fasthttp.Response, string) {
	t.Helper()
	logs := &syncBuffer{}
	srv := fcserver.New(fcserver.WithEvent(event.JSON(handle)), fcserver.WithLogger(logging.New(logs)))
	ln := fasthttputil.NewInmemoryListener()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Shutdown(t.Context()) })

	c := &fasthttp.Client{Dial: func(string) (net.Conn, error) { return ln.Dial() }}
	req := fasthttp.AcquireRequest()
	defer fasthttp.ReleaseRequest(req)
	req.SetRequestURI("http://fc/invoke")
	req.Header.SetMethod(fasthttp.MethodPost)
	req.Header.Set("x-fc-request-id", "req-oss-1")
	req.Header.Set("x-fc-control-path", "/invoke")
	req.SetBody(payload)
	resp := &fasthttp.Response{}
	require.NoError(t, c.Do(req, resp))
	return resp, logs.String()
}

func TestSummarizesTheOSSSample(t *testing.T) {
	payload, err := os.ReadFile("../../event/trigger/testdata/oss.json")
	require.NoError(t, err)
	resp, logs := invoke(t, payload)
	assert.Equal(t, 200, resp.StatusCode())
	assert.Equal(t, "200", string(resp.Header.Peek("x-fc-status")))
	assert.Equal(t, `{"objects":[{"bucket":"testbucket","key":"source/a.png","size":122539,"event":"ObjectCreated:PutObject"}],"totalBytes":122539}`, string(resp.Body()))
	assert.Contains(t, logs, "FC Invoke Start RequestId: req-oss-1\n")
	assert.Regexp(t, `(?m)^\S+Z req-oss-1 \[INFO\] object bucket=testbucket key=source/a.png size=122539 event=ObjectCreated:PutObject$`, logs)
	assert.Contains(t, logs, "FC Invoke End RequestId: req-oss-1\n")
}

func TestDecodesKeysAndSumsSizes(t *testing.T) {
	resp, logs := invoke(t, []byte(`{"events":[
		{"eventName":"ObjectCreated:PutObject","oss":{"bucket":{"name":"b"},"object":{"key":"in/my%20cat.jpg","size":10}}},
		{"eventName":"ObjectRemoved:DeleteObject","oss":{"bucket":{"name":"b"},"object":{"key":"%E4%B8%AD.txt","size":"5"}}}]}`))
	assert.Equal(t, 200, resp.StatusCode())
	assert.Equal(t, `{"objects":[{"bucket":"b","key":"in/my cat.jpg","size":10,"event":"ObjectCreated:PutObject"},{"bucket":"b","key":"中.txt","size":5,"event":"ObjectRemoved:DeleteObject"}],"totalBytes":15}`, string(resp.Body()))
	assert.Equal(t, 2, strings.Count(logs, "[INFO] object bucket=b"))
	assert.Contains(t, logs, `key="in/my cat.jpg"`)
}

func TestRejectsAnEventWithNoRecords(t *testing.T) {
	for _, payload := range []string{`{}`, `{"events":[]}`, ``, `{"name":"Ada"}`} {
		resp, logs := invoke(t, []byte(payload))
		assert.Equal(t, 404, resp.StatusCode(), payload)
		assert.Equal(t, "404", string(resp.Header.Peek("x-fc-status")))
		assert.JSONEq(t, `{"errorMessage":"the OSS event has no records in \"events\": is this function's trigger an OSS trigger?","errorType":"NoOSSRecords"}`, string(resp.Body()), payload)
		assert.Contains(t, logs, "FC Invoke End RequestId: req-oss-1, Error: Unhandled function error\n")
	}
}

func TestRejectsABadKey(t *testing.T) {
	resp, _ := invoke(t, []byte(`{"events":[{"oss":{"bucket":{"name":"b"},"object":{"key":"a%zz"}}}]}`))
	assert.Equal(t, 404, resp.StatusCode())
	assert.JSONEq(t, `{"errorMessage":"record for bucket \"b\": trigger: OSS object key \"a%zz\" is not URL-encoded: invalid URL escape \"%zz\"","errorType":"InvalidObjectKey"}`, string(resp.Body()))
}

func TestRejectsAPayloadThatIsNotAnOSSEvent(t *testing.T) {
	resp, _ := invoke(t, []byte(`{"events":{"not":"a list"}}`))
	assert.Equal(t, 404, resp.StatusCode())
	assert.Contains(t, string(resp.Body()), `"errorType":"InvalidPayload"`)
}
