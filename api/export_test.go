package api

import "github.com/assistd/assist/web"

// RouteInfo is one route as the gin engine serves it, with the summary the
// route table gives it and the staff roles it is limited to (nil: any
// caller the handler accepts).
type RouteInfo struct {
	Method, Path, Summary string
	Staff                 []string
}

// Routes returns every API route the engine serves (not the browser
// pages of package web). Exported for tests only.
func (s *Server) Routes() []RouteInfo {
	table := map[string]route{}
	for _, r := range s.routes() {
		table[r.method+" "+r.path] = r
	}
	var out []RouteInfo
	for _, r := range s.engine.Routes() {
		if web.IsPage(r.Path) {
			continue
		}
		ri := RouteInfo{Method: r.Method, Path: r.Path}
		if t, ok := table[r.Method+" "+r.Path]; ok {
			ri.Summary = t.summary
			for _, role := range t.staff {
				ri.Staff = append(ri.Staff, string(role))
			}
		}
		out = append(out, ri)
	}
	return out
}

// OpenAPIDocument is the embedded openapi.json.
var OpenAPIDocument = openapiDoc
