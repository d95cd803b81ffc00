package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/fcserver/fctest"
	"github.com/fcgo/fcgo/headers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newFunction returns the lifecycle function on the journal at path, served
// as main serves it.
func newFunction(t *testing.T, path string) *fctest.Server {
	fn := &function{store: newStore(path)}
	return fctest.NewServer(t,
		fcserver.WithInitializer(fn.initialize),
		fcserver.WithPreStop(fn.preStop),
		fcserver.WithEvent(event.JSON(fn.handle)),
	)
}

func TestAnInstanceFromInitializerToPreStop(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "journal.jsonl")
	fn := newFunction(t, path)

	initHook := fn.Hook(headers.ControlPathInitialize, fctest.RequestID("req-init"))
	assert.Equal(t, 200, initHook.StatusCode)
	initHook.AssertMarkers(t, false)
	assert.Equal(t, "FC Initialize Start RequestId: req-init", initHook.Log[0])
	initHook.AssertLogLine(t, "INFO", "store opened journal="+path+" keys=0")

	put := fn.Invoke([]byte(`{"op":"put","key":"color","value":"blue"}`))
	put.AssertSuccess(t)
	assert.Equal(t, `{"key":"color","value":"blue","found":true,"keys":1}`, string(put.Body))
	put.AssertLogLine(t, "INFO", "store op=put key=color found=true")

	put = fn.Invoke([]byte(`{"op":"put","key":"size","value":"L"}`))
	put.AssertSuccess(t)
	assert.Equal(t, `{"key":"size","value":"L","found":true,"keys":2}`, string(put.Body))

	get := fn.Invoke([]byte(`{"op":"get","key":"color"}`))
	get.AssertSuccess(t)
	assert.Equal(t, `{"key":"color","value":"blue","found":true}`, string(get.Body))

	missing := fn.Invoke([]byte(`{"op":"get","key":"shape"}`))
	missing.AssertSuccess(t)
	assert.Equal(t, `{"key":"shape","value":"","found":false}`, string(missing.Body))

	// The puts are buffered: the journal gets them when pre-stop closes it.
	journal, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Empty(t, journal)

	stop := fn.Hook(headers.ControlPathPreStop, fctest.RequestID("req-stop"))
	assert.Equal(t, 200, stop.StatusCode)
	stop.AssertMarkers(t, false)
	assert.Equal(t, "FC PreStop Start RequestId: req-stop", stop.Log[0])
	stop.AssertLogLine(t, "INFO", "store closed journal="+path+" keys=2")

	journal, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "{\"k\":\"color\",\"v\":\"blue\"}\n{\"k\":\"size\",\"v\":\"L\"}\n", string(journal))

	// After pre-stop the store is closed: FC sends no more invocations, and
	// one that arrives anyway fails clearly.
	late := fn.Invoke([]byte(`{"op":"get","key":"color"}`))
	late.AssertErrorType(t, "StoreNotOpen")
}

func TestTheNextInstanceReplaysTheJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	require.NoError(t, os.WriteFile(path, []byte("{\"k\":\"color\",\"v\":\"blue\"}\n{\"k\":\"color\",\"v\":\"red\"}\n{\"k\":\"size\",\"v\":\"L\"}\n"), 0o600))
	fn := newFunction(t, path)

	initHook := fn.Hook(headers.ControlPathInitialize)
	assert.Equal(t, 200, initHook.StatusCode)
	initHook.AssertLogLine(t, "INFO", "store opened journal="+path+" keys=2")

	get := fn.Invoke([]byte(`{"op":"get","key":"color"}`))
	get.AssertSuccess(t)
	assert.Equal(t, `{"key":"color","value":"red","found":true}`, string(get.Body), "the later put wins")
}

func TestACorruptJournalRestartsTheInstance(t *testing.T) {
	// A process killed in the middle of a write leaves a torn last line.
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	require.NoError(t, os.WriteFile(path, []byte("{\"k\":\"color\",\"v\":\"blue\"}\n{\"k\":\"size\","), 0o600))
	fn := newFunction(t, path)

	initHook := fn.Hook(headers.ControlPathInitialize, fctest.RequestID("req-init"))

	assert.Equal(t, 500, initHook.StatusCode, "500 makes FC restart the instance (SPEC §4)")
	assert.Equal(t, "Initialize hook failed: fcserver: restart the instance: journal "+path+
		": line 2 is not a journal entry: unexpected end of JSON input\n", string(initHook.Body))
	initHook.AssertMarkers(t, true)
	assert.Equal(t, "FC Initialize End RequestId: req-init, Error: Unhandled function error", initHook.Log[len(initHook.Log)-1])
	initHook.AssertLogLine(t, "ERROR", "Initialize hook failed")
	lines := initHook.LogLines()
	require.Len(t, lines, 1)
	assert.Contains(t, lines[0].Fields, "status=500")

	// Until FC replaces it, the instance answers invocations with a clear error.
	inv := fn.Invoke([]byte(`{"op":"get","key":"color"}`))
	inv.AssertErrorType(t, "StoreNotOpen")
}

func TestAJournalThatCannotBeOpenedRestartsTheInstance(t *testing.T) {
	// The journal's directory is a file: the disk is not what this function
	// expects, and retrying the initializer on it cannot help.
	dir := filepath.Join(t.TempDir(), "data")
	require.NoError(t, os.WriteFile(dir, nil, 0o600))
	fn := newFunction(t, filepath.Join(dir, "journal.jsonl"))

	initHook := fn.Hook(headers.ControlPathInitialize)

	assert.Equal(t, 500, initHook.StatusCode)
	assert.Contains(t, string(initHook.Body), "Initialize hook failed: fcserver: restart the instance: creating the journal's directory: ")
	initHook.AssertMarkers(t, true)
}

func TestWithoutTheInitializerTheStoreIsNotOpen(t *testing.T) {
	fn := newFunction(t, filepath.Join(t.TempDir(), "journal.jsonl"))

	r := fn.Invoke([]byte(`{"op":"put","key":"color","value":"blue"}`))

	r.AssertErrorType(t, "StoreNotOpen")
	assert.JSONEq(t, `{"errorMessage":"the store is not open: configure the initializer (instanceLifecycleConfig.initializer in s.yaml; fcinvoke -init locally)","errorType":"StoreNotOpen"}`, string(r.Body))
	r.AssertMarkers(t, true)
}

func TestRejectsBadRequests(t *testing.T) {
	fn := newFunction(t, filepath.Join(t.TempDir(), "journal.jsonl"))
	require.Equal(t, 200, fn.Hook(headers.ControlPathInitialize).StatusCode)

	for payload, msg := range map[string]string{
		`{"op":"put","key":""}`:         `"key" must be a non-empty string`,
		`{"op":"delete","key":"color"}`: `"op" must be "put" or "get", not "delete"`,
		`{"key":"color"}`:               `"op" must be "put" or "get", not ""`,
	} {
		r := fn.Invoke([]byte(payload))
		r.AssertErrorType(t, "InvalidRequest")
		var body event.ErrorResponse
		r.JSON(t, &body)
		assert.Equal(t, msg, body.ErrorMessage, payload)
	}
	fn.Invoke([]byte(`{"op":"put","key":7}`)).AssertErrorType(t, "InvalidPayload")
}

func TestPreStopWithoutInitializerSucceeds(t *testing.T) {
	fn := newFunction(t, filepath.Join(t.TempDir(), "journal.jsonl"))

	stop := fn.Hook(headers.ControlPathPreStop)

	assert.Equal(t, 200, stop.StatusCode)
	stop.AssertLogLine(t, "INFO", "store closed")
}
