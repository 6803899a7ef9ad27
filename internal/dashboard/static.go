package dashboard

import (
	"embed"
	"io/fs"
	"net/http"
)

// static holds the stylesheets, the dashboard's script and the vendored
// Chart.js (static/VENDORED.md): served from the binary, no CDN.
//
//go:embed static
var static embed.FS

func staticFiles() http.HandlerFunc {
	files, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embed directive names the directory: it exists
	}
	server := http.StripPrefix("/static/", http.FileServerFS(files))
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		server.ServeHTTP(w, r)
	}
}
