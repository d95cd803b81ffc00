package event_test

import (
	"context"
	"fmt"

	"github.com/fcgo/fcgo/event"
)

type Order struct {
	ID    string `json:"id"`
	Items int    `json:"items"`
}

type Receipt struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

func ExampleJSON() {
	h := event.JSON(func(ctx context.Context, o Order) (Receipt, error) {
		if o.Items == 0 {
			return Receipt{}, event.NewError("EmptyOrder", "order "+o.ID+" has no items")
		}
		return Receipt{ID: o.ID, Status: "accepted"}, nil
	})

	out, _ := h.Invoke(context.Background(), []byte(`{"id":"o-1","items":3}`))
	fmt.Println(string(out))

	_, err := h.Invoke(context.Background(), []byte(`{"id":"o-2"}`))
	fmt.Println(string(event.ErrorBody(err)))
	// Output:
	// {"id":"o-1","status":"accepted"}
	// {"errorMessage":"order o-2 has no items","errorType":"EmptyOrder"}
}

func ExampleHandlerFunc() {
	upper := event.HandlerFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		out := make([]byte, len(payload)) // payload is only valid during the call: copy
		for i, c := range payload {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			out[i] = c
		}
		return out, nil
	})
	out, _ := upper.Invoke(context.Background(), []byte("raw bytes"))
	fmt.Println(string(out))
	// Output: RAW BYTES
}

func ExampleError() {
	err := fmt.Errorf("charging card: %w", &event.Error{Type: "PaymentDeclined", Message: "card expired"})
	fmt.Println(string(event.ErrorBody(err)))
	// Output: {"errorMessage":"card expired","errorType":"PaymentDeclined"}
}
