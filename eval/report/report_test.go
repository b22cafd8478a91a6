package report

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func sample() *Report {
	r := New("intent", "default model on the held-out set", "data/nlu/test.zh.jsonl")
	r.Add("accuracy", 0.95, Higher)
	r.Add("lang.en.accuracy", 0.92, Higher)
	r.Add("latency.p99_us", 80, Lower)
	r.Count("n", 940)
	return r
}

func TestCompareGatesEachDirection(t *testing.T) {
	tol := Tolerances{Default: 0.01, PerMetric: map[string]float64{"latency.*": 0.5, "lang.en.accuracy": 0.03}}
	cases := []struct {
		name   string
		change func(*Report)
		want   []string
	}{
		{"same", func(*Report) {}, nil},
		{"accuracy within tolerance", func(r *Report) { r.Metrics[0].Value = 0.941 }, nil},
		{"accuracy drops two points", func(r *Report) { r.Metrics[0].Value = 0.93 }, []string{"accuracy"}},
		{"accuracy improves", func(r *Report) { r.Metrics[0].Value = 0.99 }, nil},
		{"per-metric tolerance", func(r *Report) { r.Metrics[1].Value = 0.895 }, nil},
		{"per-metric tolerance exceeded", func(r *Report) { r.Metrics[1].Value = 0.88 }, []string{"lang.en.accuracy"}},
		{"latency 40% slower", func(r *Report) { r.Metrics[2].Value = 112 }, nil},
		{"latency twice as slow", func(r *Report) { r.Metrics[2].Value = 160 }, []string{"latency.p99_us"}},
		{"latency faster", func(r *Report) { r.Metrics[2].Value = 10 }, nil},
		{"counts are not gated", func(r *Report) { r.Metrics[3].Value = 1 }, nil},
		{"metric missing", func(r *Report) { r.Metrics = r.Metrics[1:] }, []string{"accuracy"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cur := sample()
			c.change(cur)
			regs, err := Compare(sample(), cur, tol)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range regs {
				got = append(got, r.Metric)
			}
			if strings.Join(got, ",") != strings.Join(c.want, ",") {
				t.Errorf("regressions %v, want %v", regs, c.want)
			}
		})
	}
	if _, err := Compare(sample(), New("rag", "x"), tol); err == nil {
		t.Error("comparing an intent report with a rag report: want an error")
	}
}

func TestWriteDirLoadRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	r := sample()
	r.Charts = append(r.Charts, Bars("F1", []string{"a", "b"}, []float64{0.5, 1}, 1, "%.2f"))
	if err := r.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := got.Metric("accuracy"); !ok || m.Value != 0.95 || m.Better != Higher || !m.Gate {
		t.Errorf("accuracy after the round trip: %+v", m)
	}
	html, err := os.ReadFile(filepath.Join(dir, HTMLFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<svg", "accuracy", "0.9500", "F1"} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if _, err := Load(filepath.Join(t.TempDir(), "nothing.json")); err == nil {
		t.Error("loading a missing report: want an error")
	}
}

// Every chart is well-formed XML, even with hostile labels, and the labels
// never become markup.
func TestChartsAreWellFormedAndEscaped(t *testing.T) {
	evil := `<script>alert(1)</script> & "quotes"`
	bins, ece := Bins([]float64{0.1, 0.15, 0.9, 0.95, 0.55}, []bool{false, false, true, true, false}, 10)
	if ece <= 0 || ece > 1 {
		t.Errorf("ECE %v", ece)
	}
	charts := []Chart{
		Bars(evil, []string{evil, "b"}, []float64{1, 2}, 0, "%.1f"),
		Heatmap(evil, []string{evil, "b"}, [][]int{{3, 1}, {0, 4}}),
		Reliability(evil, bins),
		Histogram(evil, []float64{1, 2, 3, 50, 4, 5}, 5, "µs"),
		Histogram("empty", nil, 5, "µs"),
	}
	for _, c := range charts {
		if strings.Contains(c.SVG, "<script") {
			t.Errorf("%s: label became markup", c.Title)
		}
		d := xml.NewDecoder(strings.NewReader(c.SVG))
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: not well-formed: %v\n%s", c.Title, err, c.SVG)
			}
		}
	}
	var buf bytes.Buffer
	r := sample()
	r.Title = evil
	r.Tables = []Table{{Title: "examples", Columns: []string{"text"}, Rows: [][]string{{evil}}}}
	if err := r.WriteHTML(&buf); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "<script>alert") {
		t.Error("report.html carries a label as markup")
	}
}

func TestBinsCalibrated(t *testing.T) {
	// Confidence 0.8 and right four times in five: a perfectly calibrated bin.
	_, ece := Bins([]float64{0.8, 0.8, 0.8, 0.8, 0.8}, []bool{true, true, true, true, false}, 10)
	if ece > 1e-9 {
		t.Errorf("ECE of a calibrated set %v, want 0", ece)
	}
}

func TestScanAndIndex(t *testing.T) {
	dir := t.TempDir()
	a := sample()
	a.Gate = &Gate{Baseline: "b.json", Regressions: []Regression{{Metric: "accuracy"}}}
	if err := a.WriteDir(filepath.Join(dir, "intent")); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "empty"), 0o755)
	sums, err := Scan(dir)
	if err != nil || len(sums) != 1 || sums[0].Name != "intent" || sums[0].Failed != 1 || len(sums[0].Metrics) == 0 {
		t.Fatalf("%v %+v", err, sums)
	}
	if err := WriteIndex(dir); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	if !strings.Contains(string(b), `href="intent/report.html"`) || !strings.Contains(string(b), "1 regressed") {
		t.Errorf("index.html:\n%s", b)
	}
}
