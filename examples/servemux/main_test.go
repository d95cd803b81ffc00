package main

import (
	"strings"
	"testing"

	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/fcserver/fctest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newFunction(t *testing.T) *fctest.Server {
	return fctest.NewServer(t, fcserver.WithStdHTTP(routes(newStore())))
}

func TestCreatesAndShowsAnItem(t *testing.T) {
	fn := newFunction(t)

	created := fn.HTTP("POST", "/items", []byte(`{"name":" pen "}`), fctest.RequestID("1-6745a3b2-1a2b3c4d-000000000001"))
	assert.Equal(t, 201, created.StatusCode)
	assert.Equal(t, `{"id":"1","name":"pen","requestId":"1-6745a3b2-1a2b3c4d-000000000001"}`, string(created.Body))
	assert.Equal(t, "application/json", created.Header.Get("Content-Type"))
	assert.Equal(t, "/items/1", created.Header.Get("Location"))
	assert.Equal(t, "1-6745a3b2-1a2b3c4d-000000000001", created.Header.Get("X-Request-Id"))
	assert.Equal(t, 0, created.FCStatus, "an HTTP function's answer carries no x-fc-status")
	created.AssertMarkers(t, false)
	created.AssertLogLine(t, "INFO", "item created id=1 name=pen")

	shown := fn.HTTP("GET", "/items/1", nil, fctest.RequestID("1-6745a3b2-1a2b3c4d-000000000002"))
	assert.Equal(t, 200, shown.StatusCode)
	assert.Equal(t, `{"id":"1","name":"pen","requestId":"1-6745a3b2-1a2b3c4d-000000000001"}`, string(shown.Body),
		"the item keeps the id of the request that created it")
	assert.Equal(t, "1-6745a3b2-1a2b3c4d-000000000002", shown.Header.Get("X-Request-Id"))
	shown.AssertMarkers(t, false)

	second := fn.HTTP("POST", "/items", []byte(`{"name":"ink"}`))
	assert.Equal(t, 201, second.StatusCode)
	var it Item
	second.JSON(t, &it)
	assert.Equal(t, Item{ID: "2", Name: "ink", RequestID: second.RequestID}, it)
	assert.NotEmpty(t, second.RequestID)
}

func TestAnswersAMissingItemWith404(t *testing.T) {
	r := newFunction(t).HTTP("GET", "/items/42", nil, fctest.RequestID("req-missing"))

	assert.Equal(t, 404, r.StatusCode)
	assert.Equal(t, `{"error":"no item \"42\"","requestId":"req-missing"}`, string(r.Body))
	r.AssertMarkers(t, false) // the application's own 404 is not a function error
}

func TestRejectsBadItems(t *testing.T) {
	for _, tc := range []struct {
		body, error string
	}{
		{`{"name":""}`, `"name" must be a non-empty string`},
		{`{"name":"  "}`, `"name" must be a non-empty string`},
		{`{"name":7}`, `the body must be a JSON object {"name": "…"}: json: cannot unmarshal number into Go struct field .name of type string`},
		{`{"nom":"pen"}`, `the body must be a JSON object {"name": "…"}: json: unknown field "nom"`},
		{``, `the body must be a JSON object {"name": "…"}: EOF`},
	} {
		r := newFunction(t).HTTP("POST", "/items", []byte(tc.body))
		assert.Equal(t, 400, r.StatusCode, tc.body)
		var p Problem
		r.JSON(t, &p)
		assert.Equal(t, Problem{Error: tc.error, RequestID: r.RequestID}, p, tc.body)
	}

	big := `{"name":"` + strings.Repeat("x", maxItemBody) + `"}`
	r := newFunction(t).HTTP("POST", "/items", []byte(big))
	assert.Equal(t, 413, r.StatusCode)
	assert.Contains(t, string(r.Body), "the body is larger than 64 KB")
}

func TestServeMuxAnswersUnknownRoutesAndMethods(t *testing.T) {
	fn := newFunction(t)

	r := fn.HTTP("DELETE", "/items/1", nil)
	assert.Equal(t, 405, r.StatusCode)
	assert.Equal(t, "GET, HEAD", r.Header.Get("Allow"))

	r = fn.HTTP("GET", "/orders", nil)
	assert.Equal(t, 404, r.StatusCode)
	assert.Equal(t, "404 page not found\n", string(r.Body))
	r.AssertMarkers(t, false)
	require.NotEmpty(t, r.Log)
}
