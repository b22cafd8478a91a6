package api

import "github.com/assistd/assist/eval/report"

// EvalReportsResponse is GET /v1/eval/reports.
type EvalReportsResponse struct {
	Reports []EvalReportSummary `json:"reports"`
}

// EvalReportSummary is one evaluation report in the listing.
type EvalReportSummary struct {
	Name        string       `json:"name"` // its folder; GET /v1/eval/reports/{name}
	Suite       string       `json:"suite"`
	Title       string       `json:"title"`
	Created     string       `json:"created"`
	Metrics     []EvalMetric `json:"metrics"` // the headline metrics
	Regressions int          `json:"regressions"`
}

// EvalMetric is one number of a report.
type EvalMetric struct {
	Name   string  `json:"name"`
	Value  float64 `json:"value"`
	Better string  `json:"better"` // higher or lower
}

func toEvalReports(sums []report.Summary) EvalReportsResponse {
	out := EvalReportsResponse{Reports: make([]EvalReportSummary, 0, len(sums))}
	for _, s := range sums {
		r := EvalReportSummary{Name: s.Name, Suite: s.Suite, Title: s.Title, Created: s.Created, Metrics: []EvalMetric{}, Regressions: s.Failed}
		for _, m := range s.Metrics {
			r.Metrics = append(r.Metrics, EvalMetric{Name: m.Name, Value: m.Value, Better: string(m.Better)})
		}
		out.Reports = append(out.Reports, r)
	}
	return out
}
