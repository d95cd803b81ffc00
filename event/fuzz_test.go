package event_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/fcgo/fcgo/event"
)

// fuzzIn has fields of most kinds a payload decodes into.
type fuzzIn struct {
	Name  string            `json:"name"`
	N     int64             `json:"n"`
	U     uint8             `json:"u"`
	F     float64           `json:"f"`
	OK    bool              `json:"ok"`
	Tags  []string          `json:"tags"`
	Attrs map[string]string `json:"attrs"`
	Next  *fuzzIn           `json:"next"`
	Raw   json.RawMessage   `json:"raw"`
	Any   any               `json:"any"`
	Num   json.Number       `json:"num"`
}

// fuzzHandlers are JSON adapters over several input types, each echoing
// its input, and a JSONIn.
var fuzzHandlers = map[string]event.Handler{
	"struct": event.JSON(func(_ context.Context, v fuzzIn) (fuzzIn, error) { return v, nil }),
	"ptr":    event.JSON(func(_ context.Context, v *fuzzIn) (*fuzzIn, error) { return v, nil }),
	"map":    event.JSON(func(_ context.Context, v map[string]any) (map[string]any, error) { return v, nil }),
	"slice":  event.JSON(func(_ context.Context, v []int) ([]int, error) { return v, nil }),
	"any":    event.JSON(func(_ context.Context, v any) (any, error) { return v, nil }),
	"string": event.JSON(func(_ context.Context, v string) (string, error) { return v, nil }),
	"raw":    event.JSON(func(_ context.Context, v json.RawMessage) (json.RawMessage, error) { return v, nil }),
	"in": event.JSONIn(func(_ context.Context, v fuzzIn) error {
		if v.Name == "fail" {
			return event.NewError("Failed", "asked to")
		}
		return nil
	}),
}

// FuzzJSON feeds arbitrary payloads to the JSON adapters: they never
// panic, and return either a result that is valid JSON or an *event.Error
// of type InvalidPayload whose failure body is valid JSON.
func FuzzJSON(f *testing.F) {
	for _, s := range []string{
		`{"name":"Ada","n":2}`, `{"name":"Ada","extra":[1,2]}`, ``, " \n\t", `{"name":`, `{"name":42}`, `[1,2]`,
		`{"n":"x"}`, `null`, `"str"`, `1e400`, `{"u":256}`, `{"n":9223372036854775808}`, `{"next":{"next":{"next":null}}}`,
		`{"raw":{"a":[1,{"b":null}]},"any":[true,false,null,1.5,"x"],"num":123456789012345678901234567890}`,
		`{"name":"\ud800"}`, "{\"name\":\"\xff\xfe\"}", `{"attrs":{"a":1}}`, `{"tags":"x"}`, `{"name":"fail"}`,
		strings.Repeat("[", 20000), strings.Repeat(`{"next":`, 200) + "null" + strings.Repeat("}", 200),
		`{"name":"a"} trailing`, `{"name":"a"}{"name":"b"}`, "\xef\xbb\xbf{}", `{"NAME":"case"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		blank := len(bytes.TrimSpace(payload)) == 0
		for name, h := range fuzzHandlers {
			in := bytes.Clone(payload)
			out, err := h.Invoke(context.Background(), in)
			if !bytes.Equal(in, payload) {
				t.Fatalf("%s: the adapter changed the payload", name)
			}
			if err == nil {
				if !blank && !json.Valid(payload) {
					t.Fatalf("%s: invalid JSON %q accepted", name, payload)
				}
				if name != "in" && !json.Valid(out) {
					t.Fatalf("%s: result %q is not JSON (payload %q)", name, out, payload)
				}
				continue
			}
			var e *event.Error
			if !errors.As(err, &e) {
				t.Fatalf("%s: error %v (%T) is not an *event.Error", name, err, err)
			}
			r := event.ToResponse(err)
			switch {
			case r.ErrorType == event.TypeInvalidPayload:
				if blank {
					t.Fatalf("%s: a blank payload failed: %v", name, err)
				}
				if !strings.HasPrefix(r.ErrorMessage, "event: cannot decode payload into ") {
					t.Fatalf("%s: message %q does not say what failed", name, r.ErrorMessage)
				}
			case name == "in" && r.ErrorType == "Failed":
			default:
				t.Fatalf("%s: errorType %q for payload %q: %v", name, r.ErrorType, payload, err)
			}
			if body := event.ErrorBody(err); !json.Valid(body) {
				t.Fatalf("%s: failure body %q is not JSON", name, body)
			}
		}
	})
}
