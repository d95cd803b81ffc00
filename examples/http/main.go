// Command http is an HTTP function for Function Compute: it answers every
// method and path with 200 and a JSON document describing the request it
// received, including the FC request id and function name. Deploy it behind
// an HTTP trigger to see what FC sends your function.
package main

import (
	"encoding/json"

	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/headers"
	"github.com/rs/zerolog"
	"github.com/valyala/fasthttp"
)

// Echo is the answer.
type Echo struct {
	Method       string              `json:"method"`
	Path         string              `json:"path"`
	Query        map[string][]string `json:"query"`
	BodyBytes    int                 `json:"bodyBytes"`
	RequestID    string              `json:"requestId"`
	FunctionName string              `json:"functionName"`
	Region       string              `json:"region,omitempty"`
	BasePath     string              `json:"basePath,omitempty"`
	ClientIP     string              `json:"clientIp,omitempty"`
}

func describe(rc *fasthttp.RequestCtx) {
	e := Echo{
		Method:    string(rc.Method()),
		Path:      string(rc.Path()),
		Query:     map[string][]string{},
		BodyBytes: len(rc.PostBody()),
	}
	for k, v := range rc.QueryArgs().All() {
		e.Query[string(k)] = append(e.Query[string(k)], string(v))
	}
	if info, ok := headers.FromContext(rc); ok {
		e.RequestID = info.RequestID
		e.FunctionName = info.Function.Name
		e.Region = info.Region
		e.BasePath = info.BasePath
		e.ClientIP = info.ClientIP
	}
	zerolog.Ctx(rc).Info().Str("method", e.Method).Str("path", e.Path).Msg("request")

	body, err := json.Marshal(e)
	if err != nil {
		rc.Error(err.Error(), fasthttp.StatusInternalServerError)
		return
	}
	rc.SetContentType("application/json")
	rc.SetBody(body)
}

func main() {
	fcserver.Run(fcserver.WithHTTP(describe))
}
