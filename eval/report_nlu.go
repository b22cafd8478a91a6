package eval

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/assistd/assist/eval/report"
)

// Report turns the intent suite's report into the shared format: overall,
// per-language and per-intent scores, latency; the per-intent table, the
// worst confusions with example messages; a confusion heat map, per-intent
// F1 bars and the latency histogram.
func (r *IntentReport) Report(inputs ...string) *report.Report {
	rep := report.New("intent", fmt.Sprintf("intent model %s on %d messages", r.Model, r.N), inputs...)
	rep.Count("n", float64(r.N))
	rep.Add("accuracy", r.Accuracy, report.Higher)
	rep.Add("macro_f1", r.MacroF1, report.Higher)
	if r.InScopeAccuracy != nil {
		rep.Add("in_scope_accuracy", *r.InScopeAccuracy, report.Higher)
		rep.Add("oos_recall", *r.OOSRecall, report.Higher)
	}
	for _, l := range sortedKeys(r.PerLang) {
		rep.Add("lang."+l+".accuracy", r.PerLang[l].Accuracy, report.Higher)
		rep.Add("lang."+l+".macro_f1", r.PerLang[l].MacroF1, report.Higher)
	}
	addLatency(rep, r.Latency, r.Latencies)
	if len(r.FoldAccuracy) > 0 {
		names := make([]string, len(r.FoldAccuracy))
		for i, a := range r.FoldAccuracy {
			names[i] = fmt.Sprintf("fold %d", i+1)
			rep.Count(fmt.Sprintf("fold.%d.accuracy", i+1), a)
		}
		rep.Charts = append(rep.Charts, report.Bars("Accuracy per fold", names, r.FoldAccuracy, 1, "%.3f"))
	}
	addPerLabel(rep, "intent", r.PerIntent, r.Confusions, "Worst confusions, with example messages", 15, nil)
	rep.Details = r
	return rep
}

// Report turns the sentiment suite's report into the shared format: overall
// and per-language accuracy and macro-F1, per-class F1, anger precision and
// recall, latency; per-class table, confusions with examples, heat map.
func (r *SentimentReport) Report(inputs ...string) *report.Report {
	rep := report.New("sentiment", fmt.Sprintf("sentiment model %s on %d messages", r.Model, r.N), inputs...)
	rep.Count("n", float64(r.N))
	rep.Add("accuracy", r.Accuracy, report.Higher)
	rep.Add("macro_f1", r.MacroF1, report.Higher)
	if r.Anger != nil {
		rep.Add("anger.precision", r.Anger.Precision, report.Higher)
		rep.Add("anger.recall", r.Anger.Recall, report.Higher)
		rep.Add("anger.f1", r.Anger.F1, report.Higher)
	}
	for _, l := range sortedKeys(r.PerLang) {
		p := r.PerLang[l]
		rep.Add("lang."+l+".accuracy", p.Accuracy, report.Higher)
		rep.Add("lang."+l+".macro_f1", p.MacroF1, report.Higher)
		if p.Anger != nil {
			rep.Add("lang."+l+".anger_recall", p.Anger.Recall, report.Higher)
			rep.Add("lang."+l+".anger_precision", p.Anger.Precision, report.Higher)
		}
	}
	var anger [][]string
	if r.Anger != nil {
		anger = append(anger, []string{"anger (flag)", f4(r.Anger.Precision), f4(r.Anger.Recall), f4(r.Anger.F1), fmt.Sprint(r.Anger.Support)})
	}
	addLatency(rep, r.Latency, r.Latencies)
	addPerLabel(rep, "class", r.PerClass, r.Confusions, "Confusions, with example messages", 12, anger)
	rep.Details = r
	return rep
}

// addPerLabel adds what the classifier suites share: a gated F1 per label
// with support (named kind.LABEL.f1), the per-label table (with extra rows
// after it), the confusions with example messages, the confusion heat map
// and the F1 bars.
func addPerLabel(rep *report.Report, kind string, per map[string]PRF, conf []Confusion, confTitle string, nconf int, extra [][]string) {
	labels := sortedKeys(per)
	f1 := make([]float64, len(labels))
	rows := make([][]string, 0, len(labels)+len(extra))
	for i, l := range labels {
		s := per[l]
		f1[i] = s.F1
		if s.Support > 0 {
			rep.Add(kind+"."+l+".f1", s.F1, report.Higher)
		}
		rows = append(rows, []string{l, f4(s.Precision), f4(s.Recall), f4(s.F1), fmt.Sprint(s.Support)})
	}
	rows = append(rows, extra...)
	rep.Tables = append(rep.Tables,
		report.Table{Title: "Per " + kind, Columns: []string{kind, "precision", "recall", "F1", "support"}, Rows: rows},
		confusionTable(confTitle, conf, nconf))
	rep.Charts = append(rep.Charts,
		report.Heatmap("Confusion matrix (rows: gold, columns: predicted)", labels, matrix(labels, per, conf)),
		report.Bars("F1 per "+kind, labels, f1, 1, "%.2f"))
}

// addLatency adds the per-message latency percentiles and, with the
// latencies, their histogram.
func addLatency(rep *report.Report, l *Latency, all []float64) {
	if l == nil {
		return
	}
	rep.Add("latency.p50_us", l.P50, report.Lower)
	rep.Add("latency.p99_us", l.P99, report.Lower)
	if len(all) > 0 {
		rep.Charts = append(rep.Charts, report.Histogram("Latency per message", all, 30, "µs"))
	}
}

// matrix rebuilds the confusion matrix: the diagonal from each label's
// true positives (recall × support), the rest from the confusions.
func matrix(labels []string, per map[string]PRF, conf []Confusion) [][]int {
	idx := map[string]int{}
	for i, l := range labels {
		idx[l] = i
	}
	m := make([][]int, len(labels))
	for i, l := range labels {
		m[i] = make([]int, len(labels))
		s := per[l]
		m[i][i] = int(s.Recall*float64(s.Support) + 0.5)
	}
	for _, c := range conf {
		i, ok1 := idx[c.Gold]
		j, ok2 := idx[c.Pred]
		if ok1 && ok2 {
			m[i][j] += c.Count
		}
	}
	return m
}

func confusionTable(title string, conf []Confusion, n int) report.Table {
	t := report.Table{Title: title, Columns: []string{"gold", "predicted", "count", "examples"}}
	for _, c := range conf[:min(n, len(conf))] {
		t.Rows = append(t.Rows, []string{c.Gold, c.Pred, fmt.Sprint(c.Count), strings.Join(c.Examples, " · ")})
	}
	return t
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return slices.Clip(keys)
}

func f4(v float64) string { return fmt.Sprintf("%.4f", v) }
