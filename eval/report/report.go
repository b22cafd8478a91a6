package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Direction says which way a metric improves.
type Direction string

// The two directions.
const (
	Higher Direction = "higher" // accuracy, recall, pass rate
	Lower  Direction = "lower"  // latency, calibration error
)

// Metric is one number of a report. Name is stable across runs: it is
// what a baseline is compared on and what tolerances are keyed by (e.g.
// "accuracy", "lang.zh.accuracy", "latency.p99_us").
type Metric struct {
	Name   string    `json:"name"`
	Value  float64   `json:"value"`
	Better Direction `json:"better"`
	// Gate false: reported, never compared (counts, sizes).
	Gate bool `json:"gate"`
}

// Table is a block of rows shown in the HTML page (per intent, worst
// confusions with examples, per reason...).
type Table struct {
	Title   string     `json:"title"`
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
}

// Chart is an SVG figure the Go code drew (see svg.go).
type Chart struct {
	Title string `json:"title"`
	SVG   string `json:"svg"`
}

// Report is the one format every `assist eval` suite writes: the numbers
// (Metrics, compared with a baseline), tables and charts for people, and
// the suite's own detailed report in Details.
type Report struct {
	Suite   string    `json:"suite"` // intent, sentiment, rag, dialog, escalation, gaps, latency, replay
	Title   string    `json:"title"`
	Created time.Time `json:"created"`
	Inputs  []string  `json:"inputs,omitempty"` // data files, model directory
	Metrics []Metric  `json:"metrics"`
	Tables  []Table   `json:"tables,omitempty"`
	Charts  []Chart   `json:"charts,omitempty"`
	Details any       `json:"details,omitempty"`
	// Gate is the comparison with a baseline, when one was given.
	Gate *Gate `json:"gate,omitempty"`
}

// Gate is the outcome of comparing a report with a baseline.
type Gate struct {
	Baseline    string       `json:"baseline"`
	Regressions []Regression `json:"regressions"`
}

// New starts a report of suite.
func New(suite, title string, inputs ...string) *Report {
	return &Report{Suite: suite, Title: title, Created: time.Now().UTC(), Inputs: inputs}
}

// Add appends a gated metric; NaN and infinite values are skipped (a rate
// over nothing is not a number to gate on).
func (r *Report) Add(name string, v float64, better Direction) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return
	}
	r.Metrics = append(r.Metrics, Metric{Name: name, Value: v, Better: better, Gate: true})
}

// Count appends a metric that is reported but never gated.
func (r *Report) Count(name string, v float64) {
	r.Metrics = append(r.Metrics, Metric{Name: name, Value: v, Better: Higher})
}

// Metric returns the named metric.
func (r *Report) Metric(name string) (Metric, bool) {
	i := slices.IndexFunc(r.Metrics, func(m Metric) bool { return m.Name == name })
	if i < 0 {
		return Metric{}, false
	}
	return r.Metrics[i], true
}

// Files written by WriteDir.
const (
	JSONFile = "report.json"
	HTMLFile = "report.html"
)

// WriteDir writes dir/report.json and dir/report.html, creating dir.
func (r *Report) WriteDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, JSONFile), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	f, err := os.Create(filepath.Join(dir, HTMLFile))
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := r.WriteHTML(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Load reads a report from a report.json file, or from a folder holding
// one.
func Load(path string) (*Report, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = filepath.Join(path, JSONFile)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("report %s: %w", path, err)
	}
	if r.Suite == "" {
		return nil, fmt.Errorf("report %s: not a report (no suite)", path)
	}
	return &r, nil
}

// Print writes the short terminal table: every metric, one a line.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "%s — %s\n", r.Suite, r.Title)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, m := range r.Metrics {
		fmt.Fprintf(tw, "  %s\t%s\n", m.Name, Format(m.Name, m.Value))
	}
	tw.Flush()
}

// Format prints a metric value: counts and latencies without decimals,
// rates with four.
func Format(name string, v float64) string {
	if v == math.Trunc(v) && (math.Abs(v) >= 10 || strings.HasPrefix(name, "n") || strings.Contains(name, "count")) {
		return fmt.Sprintf("%.0f", v)
	}
	if math.Abs(v) >= 100 {
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.4f", v)
}

// MachineDependent says whether a metric depends on the machine that ran
// the suite (timings): such metrics are left out of a baseline checked
// into the repository, which must hold on any machine.
func MachineDependent(name string) bool { return strings.HasPrefix(name, "latency.") }

// Baseline returns the part of r worth checking in as a baseline: the
// metrics that do not depend on the machine, without tables, charts or
// details.
func (r *Report) Baseline() *Report {
	b := &Report{Suite: r.Suite, Title: r.Title, Created: r.Created}
	wd, _ := os.Getwd()
	for _, in := range r.Inputs {
		if rel, err := filepath.Rel(wd, in); err == nil && filepath.IsAbs(in) && !strings.HasPrefix(rel, "..") {
			in = rel // no machine's paths in a file that is checked in
		}
		b.Inputs = append(b.Inputs, in)
	}
	for _, m := range r.Metrics {
		if !MachineDependent(m.Name) {
			b.Metrics = append(b.Metrics, m)
		}
	}
	return b
}

// WriteFile writes r as JSON to path.
func (r *Report) WriteFile(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}
