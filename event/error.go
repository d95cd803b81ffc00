package event

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// The errorType values fcgo itself reports. A handler chooses its own with
// [Error].
const (
	TypeInvalidPayload = "InvalidPayload" // the payload did not decode into the handler's input type
	TypeInvalidResult  = "InvalidResult"  // the handler's result did not encode as JSON
	TypeHandlerError   = "HandlerError"   // the handler returned an error that is not an *Error
	TypeTimeout        = "FunctionTimeout"
	TypePanic          = "Panic" // the handler panicked; stackTrace holds the stack
)

// Error is a handler failure with the errorType the caller sees. Return one
// (or wrap one) from a handler to choose errorType:
//
//	return Out{}, &event.Error{Type: "InvalidName", Message: "name is empty"}
type Error struct {
	Type       string   // errorType in the failure body; TypeHandlerError when empty
	Message    string   // errorMessage; Err's message when empty
	StackTrace []string // stackTrace; set for panics
	Err        error    // the cause, if any
}

// NewError returns an *Error of the given type and message.
func NewError(errorType, message string) *Error {
	return &Error{Type: errorType, Message: message}
}

// Errorf returns an *Error of the given type whose message is formatted as
// with fmt.Errorf; a %w verb makes the cause available to errors.Is/As.
func Errorf(errorType, format string, args ...any) *Error {
	err := fmt.Errorf(format, args...)
	return &Error{Type: errorType, Message: err.Error(), Err: errors.Unwrap(err)}
}

func (e *Error) Error() string {
	t := e.Type
	if t == "" {
		t = TypeHandlerError
	}
	return t + ": " + e.message()
}

func (e *Error) message() string {
	if e.Message != "" || e.Err == nil {
		return e.Message
	}
	return e.Err.Error()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Response is the failure body of an event invocation, in the shape of
// FC's built-in Go runtime.
type Response struct {
	ErrorMessage string   `json:"errorMessage"`
	ErrorType    string   `json:"errorType"`
	StackTrace   []string `json:"stackTrace,omitempty"`
}

// ToResponse maps a handler error to its failure body: an *Error anywhere
// in err's chain gives its type and message; a deadline or cancellation
// gives [TypeTimeout]; any other error gives [TypeHandlerError] and its
// message.
func ToResponse(err error) Response {
	var e *Error
	if errors.As(err, &e) {
		t := e.Type
		if t == "" {
			t = TypeHandlerError
		}
		return Response{ErrorMessage: e.message(), ErrorType: t, StackTrace: e.StackTrace}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return Response{ErrorMessage: err.Error(), ErrorType: TypeTimeout}
	}
	return Response{ErrorMessage: err.Error(), ErrorType: TypeHandlerError}
}

// ErrorBody returns the JSON failure body for err (see [ToResponse]).
func ErrorBody(err error) []byte {
	b, mErr := json.Marshal(ToResponse(err))
	if mErr != nil {
		// Strings and a []string always encode; this is unreachable.
		return []byte(`{"errorMessage":"event: cannot encode error","errorType":"HandlerError"}`)
	}
	return b
}
