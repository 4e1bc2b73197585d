package main

import (
	"net/http"
	"os"

	"example.com/inventory/internal/store"
)

func main() {
	s := store.New()
	http.HandleFunc("/items", s.List)
	http.ListenAndServe(os.Getenv("INVENTORY_ADDR"), nil)
}
