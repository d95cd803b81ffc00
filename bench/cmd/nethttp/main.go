// Command nethttp is the function as FC's samples hand-write it today: the
// work of internal/work on a plain net/http server (http.HandleFunc,
// http.ListenAndServe), with no SDK and no logging. POST /invoke is the
// event work (plus x-fc-status, which FC needs); GET
// /hello?name=Ada&count=3 is the HTTP work.
//
//	nethttp -addr 127.0.0.1:19603
package main

import (
	"encoding/json"
	"flag"
	"io"
	"log"
	"net/http"

	"github.com/fcgo/fcgo/bench/internal/work"
)

func invoke(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	b, err := work.HandWritten(body)
	if err != nil {
		w.Header().Set("x-fc-status", "404")
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	w.Header().Set("x-fc-status", "200")
	_, _ = w.Write(b)
}

func hello(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	b, err := json.Marshal(work.Greet(work.FromQuery(q.Get("name"), q.Get("count"))))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:19603", "address to listen on")
	flag.Parse()
	http.HandleFunc("/invoke", invoke)
	http.HandleFunc(work.HelloPath, hello)
	log.Fatal(http.ListenAndServe(*addr, nil))
}
