package main

import (
	"html/template"
	"net/http"
)

func main() {
	t := template.Must(template.ParseFiles("templates/index.html"))
	http.Handle("/static/", http.StripPrefix("/static/", http.FileServer(http.Dir("static"))))
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { t.Execute(w, nil) })
	http.ListenAndServe(":8080", nil)
}
