package report

import (
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Summary is one report of a folder of reports: where it is and its
// headline numbers.
type Summary struct {
	Name    string   `json:"name"` // the report's folder, relative to the index
	Suite   string   `json:"suite"`
	Title   string   `json:"title"`
	Created string   `json:"created"`
	Metrics []Metric `json:"metrics"` // the first few gated metrics
	Failed  int      `json:"regressions"`
}

// headline is how many metrics a summary keeps.
const headline = 6

// Scan lists the reports in the folders directly under dir (dir/NAME/
// report.json), by name. Folders without a report are skipped; a report
// that cannot be read is an error.
func Scan(dir string) ([]Summary, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	var out []Summary
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		p := filepath.Join(dir, e.Name(), JSONFile)
		if _, err := os.Stat(p); err != nil {
			continue
		}
		r, err := Load(p)
		if err != nil {
			return nil, err
		}
		s := Summary{Name: e.Name(), Suite: r.Suite, Title: r.Title, Created: r.Created.Format("2006-01-02 15:04 UTC")}
		for _, m := range r.Metrics {
			if m.Gate && !strings.HasPrefix(m.Name, "lang.") && !strings.HasPrefix(m.Name, "intent.") && !strings.HasPrefix(m.Name, "class.") && len(s.Metrics) < headline {
				s.Metrics = append(s.Metrics, m)
			}
		}
		if r.Gate != nil {
			s.Failed = len(r.Gate.Regressions)
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

var index = template.Must(template.New("index").Funcs(template.FuncMap{"format": Format}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Assist evaluation</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:72rem;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.3rem .6rem;text-align:left;font-size:.9rem;vertical-align:top}
th{background:#f4f6f8}.fail{color:#b00;font-weight:bold}</style></head>
<body><h1>Assist evaluation</h1>
<table><tr><th>report</th><th>suite</th><th>what</th><th>headline numbers</th><th>gate</th></tr>
{{range .}}<tr><td><a href="{{.Name}}/report.html">{{.Name}}</a></td><td>{{.Suite}}</td><td>{{.Title}}<br><small>{{.Created}}</small></td>
<td>{{range .Metrics}}{{.Name}} {{format .Name .Value}}<br>{{end}}</td><td>{{if .Failed}}<span class="fail">{{.Failed}} regressed</span>{{end}}</td></tr>
{{end}}</table></body></html>
`))

// WriteIndex writes dir/index.html linking every report under dir.
func WriteIndex(dir string) error {
	sums, err := Scan(dir)
	if err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "index.html"))
	if err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	if err := writeIndex(f, sums); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func writeIndex(w io.Writer, sums []Summary) error {
	if err := index.Execute(w, sums); err != nil {
		return fmt.Errorf("reports index: %w", err)
	}
	return nil
}
