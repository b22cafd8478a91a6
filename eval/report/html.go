package report

import (
	"fmt"
	"html/template"
	"io"
)

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"svg":    func(s string) template.HTML { return template.HTML(s) }, // drawn by svg.go, labels escaped there
	"format": Format,
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Suite}} — {{.Title}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;max-width:72rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;font-size:.85rem;vertical-align:top}
th{background:#f4f6f8}.num{text-align:right;font-variant-numeric:tabular-nums}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem}.chart h3{font-size:.9rem;margin:.2rem 0}
.fail{color:#b00;font-weight:bold}.pass{color:#070;font-weight:bold}.meta{color:#666;font-size:.85rem}
</style></head>
<body>
<h1>{{.Suite}}: {{.Title}}</h1>
<p class="meta">{{.Created.Format "2006-01-02 15:04:05 UTC"}}{{range .Inputs}} · {{.}}{{end}}</p>
{{with .Gate}}<h2>Gate against {{.Baseline}}</h2>
{{if .Regressions}}<p class="fail">{{len .Regressions}} metric(s) regressed beyond tolerance:</p><ul>{{range .Regressions}}<li>{{.String}}</li>{{end}}</ul>
{{else}}<p class="pass">No metric regressed beyond its tolerance.</p>{{end}}{{end}}
{{if .Charts}}<h2>Charts</h2><div class="charts">
{{range .Charts}}<figure class="chart"><h3>{{.Title}}</h3>{{svg .SVG}}</figure>
{{end}}</div>{{end}}
<h2>Metrics</h2>
<table><tr><th>metric</th><th>value</th><th>better</th></tr>
{{range .Metrics}}<tr><td>{{.Name}}</td><td class="num">{{format .Name .Value}}</td><td>{{if .Gate}}{{.Better}}{{else}}—{{end}}</td></tr>
{{end}}</table>
{{range .Tables}}<h2>{{.Title}}</h2>
<table><tr>{{range .Columns}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>
{{end}}
</body></html>
`))

// WriteHTML writes the report as one self-contained HTML page (inline SVG
// and CSS, no script).
func (r *Report) WriteHTML(w io.Writer) error {
	if err := page.Execute(w, r); err != nil {
		return fmt.Errorf("report html: %w", err)
	}
	return nil
}
