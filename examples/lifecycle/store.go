package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// errNotOpen is returned by a store that is not open: before the
// initializer ran, or after pre-stop closed it.
var errNotOpen = errors.New("the store is not open")

// entry is one line of the journal.
type entry struct {
	Key   string `json:"k"`
	Value string `json:"v"`
}

// store is a key-value store kept in memory and journaled to a file, one
// JSON line per put. Opening it replays the journal; writes are buffered
// and reach the file when it is closed (or the buffer fills), which is why
// the function closes it in its pre-stop hook. Its methods are safe for
// concurrent use.
type store struct {
	path string

	mu   sync.Mutex
	f    *os.File      // nil while closed
	w    *bufio.Writer // buffers appends to f
	data map[string]string
}

func newStore(path string) *store { return &store{path: path} }

// open creates the journal's directory and file if needed, replays the
// journal into memory and keeps the file open for appending. It returns the
// number of entries replayed.
func (s *store) open() (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f != nil {
		return len(s.data), nil // FC retried the initializer after an earlier success
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return 0, fmt.Errorf("creating the journal's directory: %w", err)
	}
	f, err := os.OpenFile(s.path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return 0, fmt.Errorf("opening the journal: %w", err)
	}
	data, err := replay(f)
	if err != nil {
		_ = f.Close()
		return 0, fmt.Errorf("journal %s: %w", s.path, err)
	}
	s.f, s.w, s.data = f, bufio.NewWriter(f), data
	return len(data), nil
}

// replay reads every journal line of f; a later put of a key wins.
func replay(f *os.File) (map[string]string, error) {
	data := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		var e entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("line %d is not a journal entry: %w", n, err)
		}
		data[e.Key] = e.Value
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading: %w", err)
	}
	return data, nil
}

// put stores value under key and journals it. It returns the number of
// keys stored.
func (s *store) put(key, value string) (int, error) {
	line, err := json.Marshal(entry{Key: key, Value: value})
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return 0, errNotOpen
	}
	if _, err := s.w.Write(append(line, '\n')); err != nil {
		return 0, fmt.Errorf("journaling %q: %w", key, err)
	}
	s.data[key] = value
	return len(s.data), nil
}

// get returns the value stored under key.
func (s *store) get(key string) (value string, found bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return "", false, errNotOpen
	}
	value, found = s.data[key]
	return value, found, nil
}

// close flushes the buffered puts to the journal, syncs it and closes it.
// It returns the number of keys stored; closing a closed store does
// nothing.
func (s *store) close() (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return 0, nil
	}
	n := len(s.data)
	err := errors.Join(s.w.Flush(), s.f.Sync(), s.f.Close())
	s.f, s.w, s.data = nil, nil, nil
	return n, err
}
