package web

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var static embed.FS

// Page is one address people open, and the file that answers it.
type Page struct {
	Path string // the URL path, e.g. "/chat"
	File string // the file under static/
	// Framed pages may be shown inside another site's page (the widget in
	// a shop's site); staff pages refuse to be framed.
	Framed bool
}

// Pages are the addresses served besides the assets under AssetsPrefix.
var Pages = []Page{
	{Path: "/chat", File: "chat.html", Framed: true},
	{Path: "/widget.js", File: "widget.js"},
	{Path: "/agent", File: "agent.html"},
	{Path: "/console", File: "console.html"},
	{Path: "/supervisor", File: "supervisor.html"},
}

// AssetsPrefix is where the pages' scripts, styles and images are served.
const AssetsPrefix = "/assets/"

// IsPage reports whether a URL path is served by Handler.
func IsPage(p string) bool {
	if strings.HasPrefix(p, AssetsPrefix) {
		return true
	}
	for _, pg := range Pages {
		if pg.Path == p {
			return true
		}
	}
	return false
}

// csp is the Content-Security-Policy of every page: scripts, styles,
// images and connections (fetch, WebSocket, server-sent events) from this
// server only; no inline script or style attribute, no plugins.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'"

// Handler serves the pages and their assets with the security headers.
func Handler() http.Handler {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embedded folder is part of the binary
	}
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		framed := false
		file := ""
		for _, pg := range Pages {
			if pg.Path == r.URL.Path {
				file, framed = pg.File, pg.Framed
			}
		}
		if framed {
			h.Set("Content-Security-Policy", csp+"; frame-ancestors *")
		} else {
			h.Set("Content-Security-Policy", csp+"; frame-ancestors 'none'")
			h.Set("X-Frame-Options", "DENY")
		}
		switch {
		case file != "":
			b, err := fs.ReadFile(sub, file)
			if err != nil {
				http.NotFound(w, r)
				return
			}
			ct := "text/html; charset=utf-8"
			if path.Ext(file) == ".js" {
				ct = "text/javascript; charset=utf-8"
			}
			h.Set("Content-Type", ct)
			_, _ = w.Write(b)
		case strings.HasPrefix(r.URL.Path, AssetsPrefix) && !strings.HasSuffix(r.URL.Path, "/"):
			files.ServeHTTP(w, r)
		default:
			http.NotFound(w, r)
		}
	})
}
