package eval

import (
	"fmt"

	"github.com/assistd/assist/eval/report"
)

// Report turns the retrieval suite's report into the shared format.
func (r *RAGReport) Report(inputs ...string) *report.Report {
	rep := report.New("rag", fmt.Sprintf("knowledge base: %d questions (%d answerable, %d unanswerable)", r.Questions, r.Answerable, r.Unanswerable), inputs...)
	addRAGScores(rep, "", r.RAGScores)
	for _, l := range sortedKeys(r.PerLang) {
		addRAGScores(rep, "lang."+l+".", r.PerLang[l])
	}
	for _, k := range sortedKeys(r.PerKind) {
		addRAGScores(rep, "kind."+k+".", r.PerKind[k])
	}
	if r.Cross != nil {
		addRAGScores(rep, "cross.", *r.Cross)
	}
	ks := []string{"recall@1", "recall@5", "MRR", "nDCG@5"}
	rep.Charts = append(rep.Charts, report.Bars("Retrieval", ks,
		[]float64{r.RecallAt1, r.RecallAt5, r.MRR, r.NDCGAt5}, 1, "%.3f"))
	rep.Charts = append(rep.Charts, report.Reliability("Reliability of the answer confidence (share of replies right per confidence bin)", r.Reliability))
	rows := [][]string{}
	for _, b := range r.Reliability {
		if b.N > 0 {
			rows = append(rows, []string{fmt.Sprintf("%.1f–%.1f", b.Lo, b.Hi), fmt.Sprint(b.N), fmt.Sprintf("%.2f", b.Confidence), fmt.Sprintf("%.2f", b.Accuracy)})
		}
	}
	rep.Tables = append(rep.Tables, report.Table{Title: "Reliability", Columns: []string{"confidence", "replies", "mean confidence", "share right"}, Rows: rows})
	rep.Details = r
	return rep
}

func addRAGScores(rep *report.Report, prefix string, s RAGScores) {
	rep.Count(prefix+"n_questions", float64(s.Questions))
	if s.Answerable > 0 {
		rep.Add(prefix+"recall_at_1", s.RecallAt1, report.Higher)
		rep.Add(prefix+"recall_at_5", s.RecallAt5, report.Higher)
		rep.Add(prefix+"mrr", s.MRR, report.Higher)
		rep.Add(prefix+"ndcg_at_5", s.NDCGAt5, report.Higher)
	}
	if s.Answerable > 0 {
		rep.Add(prefix+"answered", s.Answered, report.Higher)
		if s.Facts > 0 {
			rep.Add(prefix+"key_fact", s.FactMatch, report.Higher)
		}
	}
	if s.Unanswerable > 0 {
		rep.Add(prefix+"decline.precision", s.NoAnswer.Precision, report.Higher)
		rep.Add(prefix+"decline.recall", s.NoAnswer.Recall, report.Higher)
	}
	rep.Add(prefix+"calibration_error", s.CalibrationError, report.Lower)
	if prefix == "" {
		rep.Add("latency.p50_ms", s.LatencyP50Ms, report.Lower)
		rep.Add("latency.p99_ms", s.LatencyP99Ms, report.Lower)
	}
}

// Report turns the conversation stories' report into the shared format:
// pass rate overall, per language and per tag, turn latency.
func (r *DialogReport) Report(inputs ...string) *report.Report {
	rep := report.New("dialog", fmt.Sprintf("%d conversation stories, %d turns", r.Stories, r.Turns), inputs...)
	rep.Count("n_stories", float64(r.Stories))
	rep.Count("n_turns", float64(r.Turns))
	rep.Add("pass_rate", ratio(r.Passed, r.Stories), report.Higher)
	langs := sortedKeys(r.PerLang)
	rates := make([]float64, len(langs))
	for i, l := range langs {
		t := r.PerLang[l]
		rates[i] = ratio(t.Passed, t.Passed+t.Failed)
		rep.Add("lang."+l+".pass_rate", rates[i], report.Higher)
	}
	rep.Add("latency.p50_ms", r.LatencyP50Ms, report.Lower)
	rep.Add("latency.p99_ms", r.LatencyP99Ms, report.Lower)
	tags := sortedKeys(r.PerTag)
	trates := make([]float64, len(tags))
	tab := report.Table{Title: "Per tag", Columns: []string{"tag", "passed", "failed"}}
	for i, tg := range tags {
		t := r.PerTag[tg]
		trates[i] = ratio(t.Passed, t.Passed+t.Failed)
		tab.Rows = append(tab.Rows, []string{tg, fmt.Sprint(t.Passed), fmt.Sprint(t.Failed)})
	}
	fail := report.Table{Title: "Failed stories", Columns: []string{"story", "file", "what differed"}}
	for _, s := range r.Results {
		if s.Passed {
			continue
		}
		fail.Rows = append(fail.Rows, []string{s.Name, fmt.Sprintf("%s:%d", s.File, s.Line), s.Summary()})
	}
	rep.Tables = append(rep.Tables, fail, tab)
	rep.Charts = append(rep.Charts, report.Bars("Pass rate per language", langs, rates, 1, "%.2f"))
	if len(tags) > 0 {
		rep.Charts = append(rep.Charts, report.Bars("Pass rate per tag", tags, trates, 1, "%.2f"))
	}
	if len(r.perTurn) > 0 {
		rep.Charts = append(rep.Charts, report.Histogram("Bot turn latency", r.perTurn, 30, "ms"))
	}
	rep.Details = r
	return rep
}

// Summary says in one line why a story failed: the driver's error, or the
// first differing field of the first failed turn.
func (s StoryResult) Summary() string {
	if s.Error != "" {
		return s.Error
	}
	for _, t := range s.Turns {
		if len(t.Diffs) > 0 {
			d := t.Diffs[0]
			return fmt.Sprintf("turn %d %q: %s wanted %q, got %q", t.Turn, t.Say, d.Field, d.Want, d.Got)
		}
	}
	return ""
}
