package store

import "net/http"

type Store struct{ items []string }

func New() *Store { return &Store{} }

func (s *Store) List(w http.ResponseWriter, r *http.Request) {
	for _, it := range s.items {
		w.Write([]byte(it + "\n"))
	}
}
