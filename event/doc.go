// Package event defines event functions: handlers of the POST /invoke
// requests through which Function Compute delivers API calls, SDK
// invocations and every event trigger (timer, OSS, SLS, MNS, Kafka …).
//
// The low-level contract is [Handler]: payload bytes in, result bytes out.
// [JSON] adapts a typed func(context.Context, In) (Out, error), checked at
// compile time; [JSONIn] takes a function with no result.
//
// A handler fails by returning an error (use [Error] to choose the
// errorType callers see) or by panicking. The server then answers as FC
// requires (SPEC §4): status 404, header x-fc-status: 404, and the JSON body
// {"errorMessage": …, "errorType": …, "stackTrace": […]} built by
// [ErrorBody].
//
// Request and error formats:
// https://www.alibabacloud.com/help/en/functioncompute/fc-3-0/user-guide/custom-runtime-event-invoke
package event
