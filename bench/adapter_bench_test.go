package bench

import (
	"context"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/fcgo/fcgo/bench/internal/work"
	"github.com/fcgo/fcgo/event"
)

// greet is the function every adapter runs: the same signature works for
// event.JSON and for aws-lambda-go's lambda.NewHandler.
func greet(_ context.Context, in work.Input) (work.Output, error) {
	return work.Greet(in), nil
}

// adapters are the three ways to turn the payload into the answer that
// the benchmarks compare; TestAdaptersAgree checks they answer alike.
var adapters = []struct {
	name   string
	invoke func(ctx context.Context, payload []byte) ([]byte, error)
}{
	{"fcgo-event.JSON", event.JSON(greet).Invoke},
	{"aws-lambda-go", lambda.NewHandler(greet).Invoke},
	{"hand-written", func(_ context.Context, payload []byte) ([]byte, error) { return work.HandWritten(payload) }},
}

func TestAdaptersAgree(t *testing.T) {
	for _, a := range adapters {
		got, err := a.invoke(context.Background(), []byte(work.Payload))
		if err != nil {
			t.Fatalf("%s: %v", a.name, err)
		}
		if string(got) != work.Answer {
			t.Errorf("%s answered %q, want %q", a.name, got, work.Answer)
		}
	}
}

func benchInvoke(b *testing.B, invoke func(context.Context, []byte) ([]byte, error)) {
	ctx := context.Background()
	payload := []byte(work.Payload)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := invoke(ctx, payload); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEventJSON is event.JSON(fn).Invoke on the small payload.
func BenchmarkEventJSON(b *testing.B) { benchInvoke(b, event.JSON(greet).Invoke) }

// BenchmarkAWSLambda is aws-lambda-go's reflective
// lambda.NewHandler(fn).Invoke on the same payload and function.
func BenchmarkAWSLambda(b *testing.B) { benchInvoke(b, lambda.NewHandler(greet).Invoke) }

// BenchmarkHandWritten is the same work written by hand with
// encoding/json: json.Unmarshal, the function, json.Marshal.
func BenchmarkHandWritten(b *testing.B) {
	benchInvoke(b, func(_ context.Context, p []byte) ([]byte, error) { return work.HandWritten(p) })
}
