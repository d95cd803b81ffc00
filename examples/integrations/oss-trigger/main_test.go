package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/fcserver/fctest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeOSS is an OSS stand-in on loopback: it serves GetObject for the
// objects it holds to requests that carry the expected STS credentials,
// and records what it was asked.
type fakeOSS struct {
	srv     *httptest.Server
	region  string            // expected signing region, in Authorization
	objects map[string][]byte // "/bucket/key" → bytes

	mu    sync.Mutex
	keyID string   // expected access key id, in Authorization
	token string   // expected x-oss-security-token
	seen  []string // "GET /bucket/key" of every request
}

func newFakeOSS(t *testing.T, region string, objects map[string][]byte) *fakeOSS {
	f := &fakeOSS{keyID: fctest.DefaultAccessKeyID, token: fctest.DefaultSecurityToken, region: region, objects: objects}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeOSS) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.seen = append(f.seen, r.Method+" "+r.URL.Path)
	keyID, token := f.keyID, f.token
	f.mu.Unlock()

	// SDK v2 signs with V4: "OSS4-HMAC-SHA256 Credential=<key id>/<date>/<region>/oss/aliyun_v4_request,…".
	auth := r.Header.Get("Authorization")
	cred, _, _ := strings.Cut(strings.TrimPrefix(auth, "OSS4-HMAC-SHA256 Credential="), ",")
	parts := strings.Split(cred, "/")
	switch {
	case !strings.HasPrefix(auth, "OSS4-HMAC-SHA256 Credential=") || len(parts) != 5:
		f.fail(w, 403, "AccessDenied", "the request is not signed with V4: "+auth)
	case parts[0] != keyID:
		f.fail(w, 403, "InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist in our records: "+parts[0])
	case r.Header.Get("x-oss-security-token") != token:
		f.fail(w, 403, "InvalidSecurityToken", "The security token you provided is invalid.")
	case parts[2] != f.region:
		f.fail(w, 403, "SignatureDoesNotMatch", "signed for region "+parts[2])
	case r.Method != http.MethodGet:
		f.fail(w, 405, "MethodNotAllowed", r.Method)
	default:
		body, ok := f.objects[r.URL.Path]
		if !ok {
			f.fail(w, 404, "NoSuchKey", "The specified key does not exist.")
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Header().Set("x-oss-request-id", "5C3D9175B6FC201293AD0001")
		_, _ = w.Write(body)
	}
}

func (f *fakeOSS) fail(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("x-oss-request-id", "5C3D9175B6FC201293AD0002")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>%s</Code><Message>%s</Message><RequestId>5C3D9175B6FC201293AD0002</RequestId><HostId>oss.example</HostId></Error>`, code, msg)
}

// expect sets the credentials the server accepts from now on.
func (f *fakeOSS) expect(keyID, token string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.keyID, f.token = keyID, token
}

func (f *fakeOSS) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.seen...)
}

// png returns n bytes that start like a PNG file.
func png(n int) []byte {
	b := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
	for i := len(b); i < n; i++ {
		b = append(b, byte(i*7))
	}
	return b[:n]
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// invoke runs one event invocation of the function, pointed at oss, in
// memory as FC would send it.
func invoke(t *testing.T, oss *fakeOSS, payload []byte, opts ...fctest.Option) *fctest.Result {
	t.Helper()
	fn := newFunction(oss.srv.URL)
	return fctest.InvokeEvent(t, event.JSON(fn.handle), payload, append([]fctest.Option{fctest.RequestID("req-oss-1")}, opts...)...)
}

func TestReadsTheObjectOfTheOSSSample(t *testing.T) {
	object := png(122539)
	oss := newFakeOSS(t, "cn-hangzhou", map[string][]byte{"/testbucket/source/a.png": object})
	payload, err := os.ReadFile("../../../event/trigger/testdata/oss.json")
	require.NoError(t, err)

	r := invoke(t, oss, payload)

	r.AssertSuccess(t)
	assert.Equal(t, `{"objects":[{"bucket":"testbucket","key":"source/a.png","size":122539,"event":"ObjectCreated:PutObject",`+
		`"read":{"bytes":122539,"sha256":"`+sum(object)+`","head":"89504e470d0a1a0a0000000d49484452"}}],"totalBytes":122539}`, string(r.Body))
	assert.Equal(t, []string{"GET /testbucket/source/a.png"}, oss.requests())
	r.AssertMarkers(t, false)
	r.AssertLogLine(t, "INFO", "object bucket=testbucket key=source/a.png size=122539 event=ObjectCreated:PutObject")
	r.AssertLogLine(t, "INFO", "read key=source/a.png bytes=122539 sha256="+sum(object))
}

func TestUsesEachRequestsOwnCredentials(t *testing.T) {
	oss := newFakeOSS(t, "cn-hangzhou", map[string][]byte{"/fcgo-test/k": []byte("hi")})
	fn := newFunction(oss.srv.URL)
	s := fctest.NewServer(t, fcserver.WithEvent(event.JSON(fn.handle)))
	payload := []byte(`{"events":[{"eventName":"ObjectCreated:PutObject","region":"cn-hangzhou","oss":{"bucket":{"name":"fcgo-test"},"object":{"key":"k","size":2}}}]}`)

	s.Invoke(payload).AssertSuccess(t)

	// FC rotates the STS credentials: the next request's are the ones to use.
	oss.expect("STS.NextKeyId", "CAISnext-token")
	r := s.Invoke(payload, fctest.Credentials("STS.NextKeyId", "next-secret", "CAISnext-token"))
	r.AssertSuccess(t)
	assert.Contains(t, string(r.Body), `"read":{"bytes":2,"sha256":"`+sum([]byte("hi"))+`","head":"6869"}`)

	// A request with the old key is refused by OSS, and the function says so.
	r = s.Invoke(payload)
	r.AssertErrorType(t, "OSS.InvalidAccessKeyId")
	var body event.ErrorResponse
	r.JSON(t, &body)
	assert.Equal(t, "reading oss://fcgo-test/k: OSS answered 403 InvalidAccessKeyId: The OSS Access Key Id you provided does not exist in our records: "+
		fctest.DefaultAccessKeyID+" (request id 5C3D9175B6FC201293AD0002)", body.ErrorMessage)
	assert.Len(t, oss.requests(), 3)
}

func TestSendsTheSecurityToken(t *testing.T) {
	oss := newFakeOSS(t, "cn-hangzhou", map[string][]byte{"/fcgo-test/k": []byte("hi")})
	oss.expect(fctest.DefaultAccessKeyID, "CAISanother-token")

	r := invoke(t, oss, []byte(`{"events":[{"eventName":"ObjectCreated:PutObject","region":"cn-hangzhou","oss":{"bucket":{"name":"fcgo-test"},"object":{"key":"k"}}}]}`))

	r.AssertErrorType(t, "OSS.InvalidSecurityToken")
}

func TestDecodesKeysReadsCreatedAndSkipsRemovedObjects(t *testing.T) {
	oss := newFakeOSS(t, "cn-shanghai", map[string][]byte{"/fcgo-test/in/my cat.jpg": []byte("0123456789")})

	r := invoke(t, oss, []byte(`{"events":[
		{"eventName":"ObjectCreated:PutObject","oss":{"bucket":{"name":"fcgo-test","arn":"acs:oss:cn-shanghai:123456789:fcgo-test"},"object":{"key":"in/my%20cat.jpg","size":10}}},
		{"eventName":"ObjectRemoved:DeleteObject","region":"cn-shanghai","oss":{"bucket":{"name":"fcgo-test"},"object":{"key":"%E4%B8%AD.txt","size":"5"}}}]}`))

	r.AssertSuccess(t)
	assert.Equal(t, `{"objects":[{"bucket":"fcgo-test","key":"in/my cat.jpg","size":10,"event":"ObjectCreated:PutObject","read":{"bytes":10,"sha256":"`+
		sum([]byte("0123456789"))+`","head":"30313233343536373839"}},`+
		`{"bucket":"fcgo-test","key":"中.txt","size":5,"event":"ObjectRemoved:DeleteObject"}],"totalBytes":15}`, string(r.Body))
	assert.Equal(t, []string{"GET /fcgo-test/in/my cat.jpg"}, oss.requests(), "the region comes from the ARN; removed objects are not read")
	lines := r.LogLines()
	require.Len(t, lines, 3)
	assert.Equal(t, `bucket=fcgo-test key="in/my cat.jpg" size=10 event=ObjectCreated:PutObject`, lines[0].Fields)
	assert.Equal(t, `bucket=fcgo-test key=中.txt size=5 event=ObjectRemoved:DeleteObject`, lines[2].Fields)
}

func TestReportsAMissingObject(t *testing.T) {
	oss := newFakeOSS(t, "cn-hangzhou", nil)

	r := invoke(t, oss, []byte(`{"events":[{"eventName":"ObjectCreated:PutObject","region":"cn-hangzhou","oss":{"bucket":{"name":"fcgo-test"},"object":{"key":"gone.txt"}}}]}`))

	r.AssertErrorType(t, "OSS.NoSuchKey")
	assert.JSONEq(t, `{"errorMessage":"reading oss://fcgo-test/gone.txt: OSS answered 404 NoSuchKey: The specified key does not exist. (request id 5C3D9175B6FC201293AD0002)","errorType":"OSS.NoSuchKey"}`, string(r.Body))
	r.AssertMarkers(t, true)
	r.AssertLogLine(t, "ERROR", "invocation failed errorType=OSS.NoSuchKey")
}

func TestNeedsCredentialsAndARegion(t *testing.T) {
	oss := newFakeOSS(t, "cn-hangzhou", map[string][]byte{"/fcgo-test/k": []byte("hi")})
	created := []byte(`{"events":[{"eventName":"ObjectCreated:PutObject","region":"cn-hangzhou","oss":{"bucket":{"name":"fcgo-test"},"object":{"key":"k"}}}]}`)

	r := invoke(t, oss, created, fctest.Credentials("", "", ""))
	r.AssertErrorType(t, "NoCredentials")

	r = invoke(t, oss, []byte(`{"events":[{"eventName":"ObjectCreated:PutObject","oss":{"bucket":{"name":"fcgo-test"},"object":{"key":"k"}}}]}`))
	r.AssertErrorType(t, "NoRegion")
	assert.Empty(t, oss.requests())
}

func TestReportsAnUnreachableOSS(t *testing.T) {
	oss := newFakeOSS(t, "cn-hangzhou", nil)
	oss.srv.Close() // nothing listens there any more

	r := invoke(t, oss, []byte(`{"events":[{"eventName":"ObjectCreated:PutObject","region":"cn-hangzhou","oss":{"bucket":{"name":"fcgo-test"},"object":{"key":"k"}}}]}`))

	r.AssertErrorType(t, "OSSUnreachable")
	assert.Contains(t, string(r.Body), `reading oss://fcgo-test/k: operation error GetObject: `)
}

func TestRejectsAnEventWithNoRecords(t *testing.T) {
	oss := newFakeOSS(t, "cn-hangzhou", nil)
	for _, payload := range []string{`{}`, `{"events":[]}`, ``, `{"name":"Ada"}`} {
		r := invoke(t, oss, []byte(payload))
		r.AssertErrorType(t, "NoOSSRecords")
		assert.JSONEq(t, `{"errorMessage":"the OSS event has no records in \"events\": is this function's trigger an OSS trigger?","errorType":"NoOSSRecords"}`, string(r.Body), payload)
	}
}

func TestRejectsABadKey(t *testing.T) {
	r := invoke(t, newFakeOSS(t, "cn-hangzhou", nil), []byte(`{"events":[{"oss":{"bucket":{"name":"fcgo-test"},"object":{"key":"a%zz"}}}]}`))
	r.AssertErrorType(t, "InvalidObjectKey")
	assert.JSONEq(t, `{"errorMessage":"record for bucket \"fcgo-test\": trigger: OSS object key \"a%zz\" is not URL-encoded: invalid URL escape \"%zz\"","errorType":"InvalidObjectKey"}`, string(r.Body))
}

func TestRejectsAPayloadThatIsNotAnOSSEvent(t *testing.T) {
	invoke(t, newFakeOSS(t, "cn-hangzhou", nil), []byte(`{"events":{"not":"a list"}}`)).AssertErrorType(t, event.TypeInvalidPayload)
}
