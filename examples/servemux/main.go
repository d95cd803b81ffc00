// Command servemux is an HTTP function for Function Compute built on the
// standard library's http.ServeMux and its method and path patterns
// (Go 1.22+), mounted with fcserver.WithStdHTTP:
//
//	POST /items       {"name":"pen"}  →  201 {"id":"1","name":"pen","requestId":"…"}
//	GET  /items/{id}                   →  200 the item, 404 when there is none
//	anything else                      →  ServeMux's own 404 or 405
//
// Each answer carries the FC request id (from headers.FromContext on
// r.Context()) in its body and in the X-Request-Id header, so a client can
// find the invocation's log lines.
//
// The items live in the instance's memory: they are lost when FC stops the
// instance and are not shared between instances. A real function keeps them
// in a database.
package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/headers"
	"github.com/rs/zerolog"
)

// Item is one stored item.
type Item struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	RequestID string `json:"requestId"` // the FC request that created it
}

// Problem is the body of an error answer.
type Problem struct {
	Error     string `json:"error"`
	RequestID string `json:"requestId"`
}

// maxItemBody bounds the body of POST /items: an item is a short JSON object.
const maxItemBody = 64 << 10

// store holds the items of this instance; its methods are safe for
// concurrent use, as FC may send one instance many requests at once.
type store struct {
	mu    sync.Mutex
	next  int
	items map[string]Item
}

func newStore() *store { return &store{items: map[string]Item{}} }

func (s *store) add(name, requestID string) Item {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	it := Item{ID: strconv.Itoa(s.next), Name: name, RequestID: requestID}
	s.items[it.ID] = it
	return it
}

func (s *store) get(id string) (Item, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.items[id]
	return it, ok
}

// routes returns the function's handler: a ServeMux with one pattern per
// route.
func routes(s *store) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /items", s.create)
	mux.HandleFunc("GET /items/{id}", s.show)
	return mux
}

func (s *store) create(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name string `json:"name"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxItemBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			reply(w, r, http.StatusRequestEntityTooLarge, Problem{Error: "the body is larger than 64 KB"})
			return
		}
		reply(w, r, http.StatusBadRequest, Problem{Error: `the body must be a JSON object {"name": "…"}: ` + err.Error()})
		return
	}
	name := strings.TrimSpace(in.Name)
	if name == "" {
		reply(w, r, http.StatusBadRequest, Problem{Error: `"name" must be a non-empty string`})
		return
	}
	it := s.add(name, requestID(r))
	zerolog.Ctx(r.Context()).Info().Str("id", it.ID).Str("name", it.Name).Msg("item created")
	w.Header().Set("Location", "/items/"+it.ID)
	reply(w, r, http.StatusCreated, it)
}

func (s *store) show(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	it, ok := s.get(id)
	if !ok {
		reply(w, r, http.StatusNotFound, Problem{Error: "no item " + strconv.Quote(id)})
		return
	}
	reply(w, r, http.StatusOK, it)
}

// requestID returns the FC request id of r, or "" when r did not come
// through fcserver.
func requestID(r *http.Request) string {
	if info, ok := headers.FromContext(r.Context()); ok {
		return info.RequestID
	}
	return ""
}

// reply writes v as JSON with the status and the request id; a Problem gets
// the request id filled in.
func reply(w http.ResponseWriter, r *http.Request, status int, v any) {
	id := requestID(r)
	if p, ok := v.(Problem); ok {
		p.RequestID = id
		v = p
	}
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Request-Id", id)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func main() {
	fcserver.Run(fcserver.WithStdHTTP(routes(newStore())))
}
