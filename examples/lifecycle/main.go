// Command lifecycle is an event function for Function Compute that uses the
// instance lifecycle hooks around a resource its invocations share: a
// key-value store journaled to a file (LIFECYCLE_JOURNAL, default
// /tmp/lifecycle/journal.jsonl).
//
//   - The initializer (POST /initialize, once per instance before its first
//     invocation) opens the store and replays its journal.
//   - Invocations put and get values:
//     {"op":"put","key":"color","value":"blue"}  →  {"key":"color","value":"blue","found":true,"keys":1}
//     {"op":"get","key":"color"}                 →  the same, "found":false for a key never put
//   - The pre-stop hook (GET /pre-stop, before FC destroys the instance)
//     flushes the buffered writes to the journal and closes it.
//
// When the initializer cannot open the journal or finds it corrupt, this
// instance's disk cannot be trusted, and retrying the initializer on it would
// fail the same way: it returns an error wrapping fcserver.ErrRestartInstance,
// which answers 500, and FC replaces the instance with a fresh one.
//
// An invocation that arrives while the store is not open (no initializer
// configured) fails with errorType StoreNotOpen.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/fcgo/fcgo/event"
	"github.com/fcgo/fcgo/fcserver"
	"github.com/rs/zerolog"
)

// defaultJournal is where the store keeps its journal when LIFECYCLE_JOURNAL
// is not set: /tmp is the instance's writable disk.
const defaultJournal = "/tmp/lifecycle/journal.jsonl"

// Request is the event payload.
type Request struct {
	Op    string `json:"op"` // "put" or "get"
	Key   string `json:"key"`
	Value string `json:"value"` // for "put"
}

// Response is the result.
type Response struct {
	Key   string `json:"key"`
	Value string `json:"value"`
	Found bool   `json:"found"`
	Keys  int    `json:"keys,omitempty"` // keys stored, after a put
}

// function is the lifecycle function: its hooks and handler share one store.
type function struct {
	store *store
}

// initialize is the initializer hook.
func (fn *function) initialize(ctx context.Context) error {
	n, err := fn.store.open()
	if err != nil {
		return fmt.Errorf("%w: %w", fcserver.ErrRestartInstance, err)
	}
	zerolog.Ctx(ctx).Info().Str("journal", fn.store.path).Int("keys", n).Msg("store opened")
	return nil
}

// preStop is the pre-stop hook.
func (fn *function) preStop(ctx context.Context) error {
	n, err := fn.store.close()
	if err != nil {
		return fmt.Errorf("closing the store: %w", err)
	}
	zerolog.Ctx(ctx).Info().Str("journal", fn.store.path).Int("keys", n).Msg("store closed")
	return nil
}

// handle is the event handler.
func (fn *function) handle(ctx context.Context, req Request) (Response, error) {
	if req.Key == "" {
		return Response{}, event.NewError("InvalidRequest", `"key" must be a non-empty string`)
	}
	var (
		resp = Response{Key: req.Key}
		err  error
	)
	switch req.Op {
	case "put":
		resp.Value, resp.Found = req.Value, true
		resp.Keys, err = fn.store.put(req.Key, req.Value)
	case "get":
		resp.Value, resp.Found, err = fn.store.get(req.Key)
	default:
		return Response{}, event.Errorf("InvalidRequest", `"op" must be "put" or "get", not %q`, req.Op)
	}
	if errors.Is(err, errNotOpen) {
		return Response{}, event.NewError("StoreNotOpen",
			"the store is not open: configure the initializer (instanceLifecycleConfig.initializer in s.yaml; fcinvoke -init locally)")
	}
	if err != nil {
		return Response{}, err
	}
	zerolog.Ctx(ctx).Info().Str("op", req.Op).Str("key", req.Key).Bool("found", resp.Found).Msg("store")
	return resp, nil
}

func main() {
	path := os.Getenv("LIFECYCLE_JOURNAL")
	if path == "" {
		path = defaultJournal
	}
	fn := &function{store: newStore(path)}
	fcserver.Run(
		fcserver.WithInitializer(fn.initialize),
		fcserver.WithPreStop(fn.preStop),
		fcserver.WithEvent(event.JSON(fn.handle)),
	)
}
