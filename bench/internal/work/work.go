// Package work is the work every contender does, so that they all decode,
// compute and encode exactly the same thing: a small JSON event in, a small
// JSON answer out.
package work

import (
	"encoding/json"
	"strconv"
)

// Input is the event payload, e.g. {"name":"Ada","count":3}.
type Input struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// Output is the answer, e.g. {"greeting":"hello, Ada","count":3}.
type Output struct {
	Greeting string `json:"greeting"`
	Count    int    `json:"count"`
}

// Greet is the function's logic, the same for every contender.
func Greet(in Input) Output {
	return Output{Greeting: "hello, " + in.Name, Count: in.Count}
}

// Payload is the event every event contender receives. The load script
// (fc.lua) sends the same bytes.
const Payload = `{"name":"Ada","count":3}`

// Answer is the body every contender must answer to Payload, and to an HTTP
// GET of HelloTarget.
const Answer = `{"greeting":"hello, Ada","count":3}`

// HelloPath is the path of the HTTP contenders' route; HelloTarget is the
// request target the load script sends to it.
const (
	HelloPath   = "/hello"
	HelloTarget = "/hello?name=Ada&count=3"
)

// HandWritten is the event work written by hand with encoding/json, as a
// function with no SDK would do it.
func HandWritten(payload []byte) ([]byte, error) {
	var in Input
	if err := json.Unmarshal(payload, &in); err != nil {
		return nil, err
	}
	return json.Marshal(Greet(in))
}

// FromQuery builds the Input of an HTTP request from its query parameters
// name and count; a missing or malformed count is 0.
func FromQuery(name, count string) Input {
	n, _ := strconv.Atoi(count)
	return Input{Name: name, Count: n}
}
