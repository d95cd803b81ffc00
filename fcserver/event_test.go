package fcserver_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/headers"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
)

func TestEventSuccess(t *testing.T) {
	// Arbitrary bytes, not JSON and not UTF-8, go back byte for byte.
	answer := []byte("\x00\x01binary\xff\xfe\r\n{\"not\": json")
	payloads := make(chan []byte, 1)
	h := start(t, fcserver.WithEvent(event.HandlerFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		payloads <- append([]byte(nil), payload...)
		zerolog.Ctx(ctx).Info().Int("bytes", len(payload)).Msg("got event")
		return answer, nil
	})))
	conn := h.dialRaw(t)

	payload := []byte("\xde\xad\xbe\xef raw event payload")
	resp := conn.roundTrip(rawRequest("POST", "/invoke", "ev-ok", "/invoke", payload,
		header{"Content-Type", "application/octet-stream"}))

	assert.Equal(t, fasthttp.StatusOK, resp.status)
	assert.Equal(t, []string{"200"}, resp.get("x-fc-status"))
	assert.Equal(t, answer, resp.body)
	assert.Empty(t, resp.get("Content-Type"), "no invented Content-Type on the caller's bytes")
	assert.Empty(t, resp.get("Server"))
	assert.Empty(t, resp.get("Date"))
	assert.Equal(t, payload, recv(t, payloads), "handler sees the body byte for byte")
	assertInvocationLog(t, h.log, "Invoke", "ev-ok", false, "ev-ok [INFO] got event bytes=22")
}

func TestEventJSONSuccess(t *testing.T) {
	type in struct {
		Name string `json:"name"`
	}
	type out struct {
		Greeting string `json:"greeting"`
	}
	h := start(t, fcserver.WithEvent(event.JSON(func(_ context.Context, i in) (out, error) {
		return out{Greeting: "hello " + i.Name}, nil
	})))

	resp := h.invoke(t, "ev-json", []byte(`{"name":"bob"}`))

	assert.Equal(t, fasthttp.StatusOK, resp.StatusCode())
	assert.Equal(t, "200", string(resp.Header.Peek("x-fc-status")))
	assert.JSONEq(t, `{"greeting":"hello bob"}`, string(resp.Body()))
	assertInvocationLog(t, h.log, "Invoke", "ev-json", false)
}

func TestEventFailures(t *testing.T) {
	type input struct {
		Name string `json:"name"`
	}
	tests := []struct {
		name      string
		handler   event.Handler
		payload   string
		wantType  string
		wantMsg   string // exact errorMessage; empty: checked by wantMsgIn
		wantMsgIn string
		wantStack bool
	}{
		{
			name: "event.Error chooses the type",
			handler: event.HandlerFunc(func(context.Context, []byte) ([]byte, error) {
				return nil, &event.Error{Type: "InvalidName", Message: "name is empty"}
			}),
			wantType: "InvalidName",
			wantMsg:  "name is empty",
		},
		{
			name: "wrapped event.Error keeps its type",
			handler: event.HandlerFunc(func(context.Context, []byte) ([]byte, error) {
				return nil, fmt.Errorf("validate: %w", event.NewError("Quota", "over quota"))
			}),
			wantType: "Quota",
			wantMsg:  "over quota",
		},
		{
			name: "plain error is HandlerError",
			handler: event.HandlerFunc(func(context.Context, []byte) ([]byte, error) {
				return nil, errors.New("database unreachable")
			}),
			wantType: event.TypeHandlerError,
			wantMsg:  "database unreachable",
		},
		{
			name: "undecodable payload is InvalidPayload",
			handler: event.JSON(func(context.Context, input) (input, error) {
				panic("must not be called")
			}),
			payload:   `{"name": 42`,
			wantType:  event.TypeInvalidPayload,
			wantMsgIn: "cannot decode payload",
		},
		{
			name: "wrong JSON type is InvalidPayload",
			handler: event.JSON(func(context.Context, input) (input, error) {
				panic("must not be called")
			}),
			payload:   `{"name": 42}`,
			wantType:  event.TypeInvalidPayload,
			wantMsgIn: "cannot decode payload",
		},
		{
			name: "panic is Panic with a stack trace",
			handler: event.HandlerFunc(func(context.Context, []byte) ([]byte, error) {
				panic("index out of range in handler")
			}),
			wantType:  event.TypePanic,
			wantMsg:   "index out of range in handler",
			wantStack: true,
		},
		{
			name: "panic with an error value",
			handler: event.HandlerFunc(func(context.Context, []byte) ([]byte, error) {
				panic(errors.New("assignment to entry in nil map"))
			}),
			wantType:  event.TypePanic,
			wantMsg:   "assignment to entry in nil map",
			wantStack: true,
		},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := start(t, fcserver.WithEvent(tc.handler))
			id := fmt.Sprintf("ev-fail-%d", i)

			resp := h.invoke(t, id, []byte(tc.payload))

			assert.Equal(t, fasthttp.StatusNotFound, resp.StatusCode())
			assert.Equal(t, "404", string(resp.Header.Peek("x-fc-status")))
			assert.Equal(t, "application/json", string(resp.Header.ContentType()))
			var body struct {
				ErrorMessage *string  `json:"errorMessage"`
				ErrorType    *string  `json:"errorType"`
				StackTrace   []string `json:"stackTrace"`
			}
			require.NoError(t, json.Unmarshal(resp.Body(), &body), "body %s", resp.Body())
			require.NotNil(t, body.ErrorType, "errorType present")
			require.NotNil(t, body.ErrorMessage, "errorMessage present")
			assert.Equal(t, tc.wantType, *body.ErrorType)
			if tc.wantMsg != "" {
				assert.Equal(t, tc.wantMsg, *body.ErrorMessage)
			} else {
				assert.Contains(t, *body.ErrorMessage, tc.wantMsgIn)
			}
			if tc.wantStack {
				require.NotEmpty(t, body.StackTrace, "stackTrace of a panic")
				assert.Contains(t, strings.Join(body.StackTrace, "\n"), "event_test.go",
					"the stack names the panicking handler")
				assert.Contains(t, body.StackTrace[0], "fcserver_test.",
					"the trace starts at the panicking frame, not in the recovery machinery")
			} else {
				assert.NotContains(t, string(resp.Body()), "stackTrace", "stackTrace only for panics")
				expected, err := json.Marshal(map[string]string{"errorMessage": *body.ErrorMessage, "errorType": tc.wantType})
				require.NoError(t, err)
				assert.JSONEq(t, string(expected), string(resp.Body()))
			}

			lines := linesOf(h.log, id)
			require.Len(t, lines, 3, "start, error line, end: %q", lines)
			assert.Equal(t, startLine("Invoke", id), lines[0])
			assert.True(t, strings.HasPrefix(lines[1], id+" [ERROR] invocation failed errorType="+tc.wantType+" errorMessage="),
				"error line %q", lines[1])
			assert.Equal(t, failedEndLine("Invoke", id), lines[2])
		})
	}
}

func TestEventPanicKeepsConnectionServing(t *testing.T) {
	h := start(t, fcserver.WithEvent(event.HandlerFunc(func(_ context.Context, payload []byte) ([]byte, error) {
		if string(payload) == "panic" {
			panic("boom")
		}
		return append([]byte("echo:"), payload...), nil
	})))
	conn := h.dialRaw(t)

	// Three requests pipelined on one keep-alive connection: the panic in
	// the first must neither close it nor disturb the others.
	var reqs []byte
	reqs = append(reqs, rawRequest("POST", "/invoke", "ka-panic", "/invoke", []byte("panic"))...)
	reqs = append(reqs, rawRequest("POST", "/invoke", "ka-after-1", "/invoke", []byte("one"))...)
	reqs = append(reqs, rawRequest("POST", "/invoke", "ka-after-2", "/invoke", []byte("two"))...)
	conn.send(reqs)

	first := conn.read()
	assert.Equal(t, fasthttp.StatusNotFound, first.status)
	assert.Equal(t, []string{"404"}, first.get("x-fc-status"))
	assert.Empty(t, first.get("Connection"), "the connection stays open")
	var body event.ErrorResponse
	require.NoError(t, json.Unmarshal(first.body, &body))
	assert.Equal(t, event.TypePanic, body.ErrorType)
	assert.Equal(t, "boom", body.ErrorMessage)
	assert.NotEmpty(t, body.StackTrace)

	second := conn.read()
	assert.Equal(t, fasthttp.StatusOK, second.status)
	assert.Equal(t, []string{"200"}, second.get("x-fc-status"))
	assert.Equal(t, "echo:one", string(second.body))

	// And a request sent after the answers were read.
	third := conn.read()
	assert.Equal(t, "echo:two", string(third.body))
	fourth := conn.roundTrip(rawRequest("POST", "/invoke", "ka-after-3", "/invoke", []byte("three")))
	assert.Equal(t, fasthttp.StatusOK, fourth.status)
	assert.Equal(t, "echo:three", string(fourth.body))

	assert.Equal(t, failedEndLine("Invoke", "ka-panic"), last(linesOf(h.log, "ka-panic")))
	assertInvocationLog(t, h.log, "Invoke", "ka-after-1", false)
	assertInvocationLog(t, h.log, "Invoke", "ka-after-2", false)
	assertInvocationLog(t, h.log, "Invoke", "ka-after-3", false)
}

func last(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[len(s)-1]
}

func TestEventInfoOutlivesRequestOnKeepAlive(t *testing.T) {
	// An *headers.Info kept from one request must not change when fasthttp
	// reuses its buffers for the next request on the same connection.
	infos := make(chan *headers.Info, 2)
	h := start(t, fcserver.WithEvent(event.HandlerFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
		info, ok := headers.FromContext(ctx)
		if !ok {
			return nil, errors.New("no headers.Info on the context")
		}
		infos <- info
		return []byte(info.RequestID), nil
	})))
	conn := h.dialRaw(t)

	// Same lengths, different bytes: any aliasing of the read buffer shows.
	first := conn.roundTrip(rawRequest("POST", "/invoke", "req-AAAAAAAA", "/invoke", []byte("1"),
		header{"X-Fc-Function-Name", "fn-aaaa"}))
	kept := recv(t, infos)
	second := conn.roundTrip(rawRequest("POST", "/invoke", "req-BBBBBBBB", "/invoke", []byte("2"),
		header{"X-Fc-Function-Name", "fn-bbbb"}))
	other := recv(t, infos)

	assert.Equal(t, "req-AAAAAAAA", string(first.body))
	assert.Equal(t, "req-BBBBBBBB", string(second.body))
	assert.Equal(t, "req-AAAAAAAA", kept.RequestID, "kept Info after the second request")
	assert.Equal(t, "fn-aaaa", kept.Function.Name)
	assert.Equal(t, testSecret, kept.Credentials.AccessKeySecret())
	assert.Equal(t, "req-BBBBBBBB", other.RequestID)
	assert.Equal(t, "fn-bbbb", other.Function.Name)
	assert.NotSame(t, kept, other)
}

// The success answer's header block on the wire: the status header as FC
// reads it, and nothing fcserver does not mean to send.
func TestEventSuccessHeaderBytes(t *testing.T) {
	h := start(t, fcserver.WithEvent(event.HandlerFunc(func(_ context.Context, payload []byte) ([]byte, error) {
		return payload, nil
	})))
	conn := h.dialRaw(t)
	conn.send(rawRequest("POST", "/invoke", "wire-1", "/invoke", []byte(`{"a":1}`)))
	require.NoError(t, conn.c.SetReadDeadline(time.Now().Add(requestTimeout)))
	var head []string
	for {
		line, err := conn.br.ReadString('\n')
		require.NoError(t, err)
		if line == "\r\n" {
			break
		}
		head = append(head, line)
	}
	assert.Equal(t, []string{
		"HTTP/1.1 200 OK\r\n",
		"Content-Length: 7\r\n",
		"X-Fc-Status: 200\r\n",
	}, head)
	body := make([]byte, 7)
	_, err := io.ReadFull(conn.br, body)
	require.NoError(t, err)
	assert.Equal(t, `{"a":1}`, string(body))
}
