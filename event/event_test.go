package event_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/fcgo/fcgo/event"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type in struct {
	Name string `json:"name"`
	N    int    `json:"n"`
}

type out struct {
	Greeting string `json:"greeting"`
}

func greet(_ context.Context, v in) (out, error) {
	if v.Name == "" {
		return out{}, event.NewError("InvalidName", "name is empty")
	}
	return out{Greeting: fmt.Sprintf("hello, %s x%d", v.Name, v.N)}, nil
}

func TestJSON(t *testing.T) {
	h := event.JSON(greet)
	cases := []struct {
		name      string
		payload   string
		want      string
		errorType string
	}{
		{"decodes and encodes", `{"name":"Ada","n":2}`, `{"greeting":"hello, Ada x2"}`, ""},
		{"unknown fields ignored", `{"name":"Ada","extra":[1,2]}`, `{"greeting":"hello, Ada x0"}`, ""},
		{"empty payload is the zero value", ``, "", "InvalidName"},
		{"whitespace payload is the zero value", " \n\t", "", "InvalidName"},
		{"invalid JSON", `{"name":`, "", event.TypeInvalidPayload},
		{"wrong type", `{"name":42}`, "", event.TypeInvalidPayload},
		{"not an object", `[1,2]`, "", event.TypeInvalidPayload},
		{"handler error type", `{"name":""}`, "", "InvalidName"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := h.Invoke(context.Background(), []byte(tc.payload))
			if tc.errorType == "" {
				require.NoError(t, err)
				assert.JSONEq(t, tc.want, string(got))
				return
			}
			require.Error(t, err)
			assert.Equal(t, tc.errorType, event.ToResponse(err).ErrorType)
			assert.Nil(t, got)
		})
	}
}

func TestJSONDecodeErrorNamesType(t *testing.T) {
	_, err := event.JSON(greet).Invoke(context.Background(), []byte(`{"n":"x"}`))
	require.Error(t, err)
	r := event.ToResponse(err)
	assert.Equal(t, event.TypeInvalidPayload, r.ErrorType)
	assert.Contains(t, r.ErrorMessage, "event_test.in")
}

func TestJSONResultThatCannotEncode(t *testing.T) {
	h := event.JSON(func(context.Context, struct{}) (chan int, error) { return make(chan int), nil })
	_, err := h.Invoke(context.Background(), nil)
	require.Error(t, err)
	assert.Equal(t, event.TypeInvalidResult, event.ToResponse(err).ErrorType)
}

func TestJSONIn(t *testing.T) {
	var seen string
	h := event.JSONIn(func(_ context.Context, v in) error {
		seen = v.Name
		if v.Name == "bad" {
			return errors.New("boom")
		}
		return nil
	})
	got, err := h.Invoke(context.Background(), []byte(`{"name":"Ada"}`))
	require.NoError(t, err)
	assert.Empty(t, got)
	assert.Equal(t, "Ada", seen)

	_, err = h.Invoke(context.Background(), []byte(`{"name":"bad"}`))
	assert.Equal(t, event.ErrorResponse{ErrorMessage: "boom", ErrorType: event.TypeHandlerError}, event.ToResponse(err))

	_, err = h.Invoke(context.Background(), []byte(`nope`))
	assert.Equal(t, event.TypeInvalidPayload, event.ToResponse(err).ErrorType)
}

func TestHandlerFunc(t *testing.T) {
	h := event.HandlerFunc(func(_ context.Context, p []byte) ([]byte, error) {
		return append([]byte("echo:"), p...), nil
	})
	got, err := h.Invoke(context.Background(), []byte("\x00raw\xff"))
	require.NoError(t, err)
	assert.Equal(t, []byte("echo:\x00raw\xff"), got)
}

func TestToResponse(t *testing.T) {
	cause := errors.New("disk full")
	cases := []struct {
		name string
		err  error
		want event.ErrorResponse
	}{
		{"plain error", errors.New("boom"), event.ErrorResponse{ErrorMessage: "boom", ErrorType: event.TypeHandlerError}},
		{"typed", event.NewError("Quota", "too many"), event.ErrorResponse{ErrorMessage: "too many", ErrorType: "Quota"}},
		{"wrapped typed", fmt.Errorf("saving: %w", event.NewError("Quota", "too many")), event.ErrorResponse{ErrorMessage: "too many", ErrorType: "Quota"}},
		{"typed without message uses cause", &event.Error{Type: "IO", Err: cause}, event.ErrorResponse{ErrorMessage: "disk full", ErrorType: "IO"}},
		{"typed without type", &event.Error{Message: "m"}, event.ErrorResponse{ErrorMessage: "m", ErrorType: event.TypeHandlerError}},
		{"a timeout of the handler's own is a handler error", fmt.Errorf("query: %w", context.DeadlineExceeded), event.ErrorResponse{ErrorMessage: "query: context deadline exceeded", ErrorType: event.TypeHandlerError}},
		{"typed nil", fmt.Errorf("w: %w", (*event.Error)(nil)), event.ErrorResponse{ErrorMessage: "event: nil *event.Error returned as an error", ErrorType: event.TypeHandlerError}},
		{"panicking Error method", panicky{}, event.ErrorResponse{ErrorMessage: "event: the Error method of event_test.panicky panicked: oops", ErrorType: event.TypeHandlerError}},
		{"panic", &event.Error{Type: event.TypePanic, Message: "nil map", StackTrace: []string{"a", "b"}},
			event.ErrorResponse{ErrorMessage: "nil map", ErrorType: event.TypePanic, StackTrace: []string{"a", "b"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, event.ToResponse(tc.err))
		})
	}
}

type panicky struct{}

func (panicky) Error() string { panic("oops") }

func TestNilErrorIsSafe(t *testing.T) {
	var e *event.Error
	assert.Equal(t, "HandlerError: event: nil *event.Error returned as an error", e.Error())
	assert.NoError(t, e.Unwrap())
	assert.JSONEq(t, `{"errorMessage":"event: nil *event.Error returned as an error","errorType":"HandlerError"}`, string(event.ErrorBody(e)))
}

func TestErrorBody(t *testing.T) {
	assert.JSONEq(t, `{"errorMessage":"name \"x\"\nbad","errorType":"InvalidName"}`,
		string(event.ErrorBody(event.NewError("InvalidName", "name \"x\"\nbad"))))
	assert.JSONEq(t, `{"errorMessage":"p","errorType":"Panic","stackTrace":["f()","g()"]}`,
		string(event.ErrorBody(&event.Error{Type: event.TypePanic, Message: "p", StackTrace: []string{"f()", "g()"}})))
}

func TestErrorf(t *testing.T) {
	cause := errors.New("no such key")
	err := event.Errorf("NotFound", "object %q: %w", "a.txt", cause)
	assert.Equal(t, `NotFound: object "a.txt": no such key`, err.Error())
	two := event.Errorf("Both", "%w and %w", cause, context.Canceled)
	assert.ErrorIs(t, two, cause)
	assert.ErrorIs(t, two, context.Canceled)
	assert.ErrorIs(t, err, cause)
	var e *event.Error
	require.ErrorAs(t, fmt.Errorf("wrap: %w", err), &e)
	assert.Equal(t, "NotFound", e.Type)
}

// rawText is an input type that takes any payload, JSON or not.
type rawText struct{ Text string }

func (r *rawText) UnmarshalPayload(p []byte) error {
	if string(p) == "reject" {
		return errors.New("rejected by UnmarshalPayload")
	}
	r.Text = "raw:" + string(p)
	return nil
}

func TestJSONPayloadUnmarshaler(t *testing.T) {
	h := event.JSON(func(_ context.Context, r rawText) (string, error) { return r.Text, nil })
	for payload, want := range map[string]string{
		"hello topic": `"raw:hello topic"`, // not JSON: json.Unmarshal would reject it before any UnmarshalJSON
		`{"a":1}`:     `"raw:{\"a\":1}"`,
		"":            `"raw:"`, // an empty payload reaches UnmarshalPayload too
	} {
		got, err := h.Invoke(context.Background(), []byte(payload))
		require.NoError(t, err, payload)
		assert.Equal(t, want, string(got), payload)
	}
	_, err := h.Invoke(context.Background(), []byte("reject"))
	r := event.ToResponse(err)
	assert.Equal(t, event.TypeInvalidPayload, r.ErrorType)
	assert.Equal(t, "event: cannot decode payload into event_test.rawText: rejected by UnmarshalPayload", r.ErrorMessage)

	var seen string
	_, err = event.JSONIn(func(_ context.Context, r rawText) error { seen = r.Text; return nil }).Invoke(context.Background(), []byte("plain"))
	require.NoError(t, err)
	assert.Equal(t, "raw:plain", seen)
}

// A pointer input whose element type decodes itself gets a fresh value,
// decoded by UnmarshalPayload, on every invocation.
func TestJSONPointerPayloadUnmarshaler(t *testing.T) {
	var prev *rawText
	h := event.JSON(func(_ context.Context, r *rawText) (string, error) {
		if r == nil {
			return "", errors.New("nil input")
		}
		if r == prev {
			return "", errors.New("input reused across invocations")
		}
		prev = r
		return r.Text, nil
	})
	for _, payload := range []string{"not json", "second"} {
		got, err := h.Invoke(context.Background(), []byte(payload))
		require.NoError(t, err, payload)
		assert.Equal(t, `"raw:`+payload+`"`, string(got))
	}
	_, err := h.Invoke(context.Background(), []byte("reject"))
	assert.Equal(t, event.TypeInvalidPayload, event.ToResponse(err).ErrorType)

	// A pointer to a plain JSON type still goes through encoding/json.
	type plain struct{ Name string }
	got, err := event.JSON(func(_ context.Context, p *plain) (string, error) { return p.Name, nil }).
		Invoke(context.Background(), []byte(`{"Name":"Ada"}`))
	require.NoError(t, err)
	assert.Equal(t, `"Ada"`, string(got))
}
