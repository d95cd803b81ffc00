package event

import (
	"encoding/json"
	"errors"
	"fmt"
)

// The errorType values fcgo itself reports. A handler chooses its own with
// [Error].
const (
	TypeInvalidPayload = "InvalidPayload"  // the payload did not decode into the handler's input type
	TypeInvalidResult  = "InvalidResult"   // the handler's result did not encode as JSON
	TypeHandlerError   = "HandlerError"    // the handler returned an error that is not an *Error
	TypeTimeout        = "FunctionTimeout" // the invocation's own deadline (x-fc-function-timeout) passed and the handler gave up
	TypePanic          = "Panic"           // the handler panicked; stackTrace holds the stack
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
// with fmt.Errorf; %w verbs make their operands available to errors.Is and
// errors.As.
func Errorf(errorType, format string, args ...any) *Error {
	err := fmt.Errorf(format, args...)
	return &Error{Type: errorType, Message: err.Error(), Err: err}
}

// Error returns "<type>: <message>". It is safe on a nil *Error.
func (e *Error) Error() string {
	return e.errorType() + ": " + e.message()
}

func (e *Error) errorType() string {
	if e == nil || e.Type == "" {
		return TypeHandlerError
	}
	return e.Type
}

func (e *Error) message() string {
	switch {
	case e == nil:
		return "event: nil *event.Error returned as an error"
	case e.Message != "" || e.Err == nil:
		return e.Message
	}
	return errorString(e.Err)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// ErrorResponse is the failure body of an event invocation, in the shape
// of FC's built-in Go runtime.
type ErrorResponse struct {
	ErrorMessage string   `json:"errorMessage"`         // Error.Message, or the error's text when that is empty
	ErrorType    string   `json:"errorType"`            // Error.Type; TypeHandlerError when that is empty or the error is not an *Error
	StackTrace   []string `json:"stackTrace,omitempty"` // Error.StackTrace: a panic's stack, one line of it an element; omitted when empty
}

// ToResponse maps a handler error to its failure body: an *Error anywhere
// in err's chain gives its type, message and stack; any other error gives
// [TypeHandlerError] and its message. It never panics, even on a nil
// *Error or an error whose Error method panics.
func ToResponse(err error) ErrorResponse {
	var e *Error
	if errors.As(err, &e) {
		r := ErrorResponse{ErrorMessage: e.message(), ErrorType: e.errorType()}
		if e != nil {
			r.StackTrace = e.StackTrace
		}
		return r
	}
	return ErrorResponse{ErrorMessage: errorString(err), ErrorType: TypeHandlerError}
}

// ErrorBody returns the JSON failure body for err (see [ToResponse]).
func ErrorBody(err error) []byte { return ToResponse(err).JSON() }

// JSON returns r encoded as the failure body.
func (r ErrorResponse) JSON() []byte {
	b, err := json.Marshal(r)
	if err != nil {
		// Strings and a []string always encode; this is unreachable.
		return []byte(`{"errorMessage":"event: cannot encode error","errorType":"HandlerError"}`)
	}
	return b
}

// errorString returns err.Error(), or a description when err is nil or its
// Error method panics: user error types must not crash the server.
func errorString(err error) (s string) {
	if err == nil {
		return "<nil>"
	}
	defer func() {
		if v := recover(); v != nil {
			s = fmt.Sprintf("event: the Error method of %T panicked: %v", err, v)
		}
	}()
	return err.Error()
}
