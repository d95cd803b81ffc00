package event

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
)

// Handler handles one event invocation.
//
// payload is the request body byte for byte; it is valid only until Invoke
// returns and must not be modified or retained (copy it to keep it). The
// returned bytes are sent to the caller as the response body; the handler
// must not change them after returning. ctx carries the invocation's
// deadline, its headers.Info and its logger (zerolog.Ctx).
//
// Invoke is called from many goroutines at once when the function's
// instance concurrency is above 1.
type Handler interface {
	// Invoke handles one invocation: the result is the response body, an
	// error fails the invocation (see [ToResponse] for the answer).
	Invoke(ctx context.Context, payload []byte) ([]byte, error)
}

// HandlerFunc adapts a function on raw bytes to a [Handler].
type HandlerFunc func(ctx context.Context, payload []byte) ([]byte, error)

// Invoke calls f(ctx, payload).
func (f HandlerFunc) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	return f(ctx, payload)
}

// JSON adapts a typed function to a [Handler]: the payload is decoded into
// In with encoding/json, and the result is encoded as JSON.
//
// An empty (or all-whitespace) payload decodes to In's zero value, as an
// invocation with no body should reach the function rather than fail. A
// payload that does not decode fails with errorType [TypeInvalidPayload]
// without calling fn; a result that does not encode fails with
// [TypeInvalidResult].
//
// When *In implements [PayloadUnmarshaler], its UnmarshalPayload decodes
// every payload instead (empty ones included), so input types whose payload
// need not be JSON (MNS topic STREAM messages, Tablestore's CBOR) work here
// too.
func JSON[In, Out any](fn func(context.Context, In) (Out, error)) Handler {
	return jsonHandler[In, Out](fn)
}

type jsonHandler[In, Out any] func(context.Context, In) (Out, error)

func (h jsonHandler[In, Out]) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	var in In
	if err := decode(payload, &in); err != nil {
		return nil, err
	}
	out, err := h(ctx, in)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, &Error{Type: TypeInvalidResult, Message: fmt.Sprintf("event: cannot encode result %T as JSON: %v", out, err), Err: err}
	}
	return b, nil
}

// JSONIn adapts a typed function with no result to a [Handler]: the payload
// is decoded as for [JSON], and a successful invocation answers with an
// empty body.
func JSONIn[In any](fn func(context.Context, In) error) Handler {
	return jsonInHandler[In](fn)
}

type jsonInHandler[In any] func(context.Context, In) error

func (h jsonInHandler[In]) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	var in In
	if err := decode(payload, &in); err != nil {
		return nil, err
	}
	return nil, h(ctx, in)
}

// PayloadUnmarshaler is implemented by input types that decode the raw
// payload themselves; In may be T or *T when *T has the method. [JSON] and
// [JSONIn] call UnmarshalPayload instead of json.Unmarshal, which rejects
// anything that is not JSON before a type's UnmarshalJSON can see it. The
// payload is valid only during the call: copy what is kept. An error fails
// the invocation with errorType [TypeInvalidPayload].
type PayloadUnmarshaler interface {
	// UnmarshalPayload decodes the raw payload into the receiver.
	UnmarshalPayload(payload []byte) error
}

var payloadUnmarshalerType = reflect.TypeFor[PayloadUnmarshaler]()

func decode[In any](payload []byte, in *In) error {
	u, ok := any(in).(PayloadUnmarshaler)
	if !ok {
		if t := reflect.TypeFor[In](); t.Kind() == reflect.Pointer && t.Implements(payloadUnmarshalerType) {
			// In is *T and *T decodes itself: give it a T to decode into.
			v := reflect.New(t.Elem()).Interface()
			*in, u, ok = v.(In), v.(PayloadUnmarshaler), true
		}
	}
	if ok {
		if err := u.UnmarshalPayload(payload); err != nil {
			return &Error{Type: TypeInvalidPayload, Message: fmt.Sprintf("event: cannot decode payload into %T: %v", *in, err), Err: err}
		}
		return nil
	}
	if len(bytes.TrimSpace(payload)) == 0 {
		return nil
	}
	if err := json.Unmarshal(payload, in); err != nil {
		return &Error{Type: TypeInvalidPayload, Message: fmt.Sprintf("event: cannot decode payload into %T: %v", *in, err), Err: err}
	}
	return nil
}
