package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assistd/assist/eval"
	"github.com/assistd/assist/rag"
)

// writeKB writes a small help center of our own into a temp folder.
func writeKB(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"en-returns.md":  "# Returns\n\n## Window\n\nReturn any item within 7 days of delivery, no reason needed.\n\n## Postage\n\nFor quality problems the shop pays the return postage.\n",
		"en-shipping.md": "# Shipping\n\nOrders over $49 ship free. Standard delivery takes 2-4 days; remote areas 5-7 days.\n",
		"zh-invoice.md":  "# 发票\n\n电子发票在签收后24小时内开具。增值税专用发票需要税号，5个工作日内开具。\n",
		"faq.jsonl":      `{"id":"en-faq-hours","question":"When is customer service open?","answer":"Chat is open 9:00-22:00 Beijing time every day."}` + "\n",
		"notes.txt":      "Membership has three levels: Silver, Gold and Platinum.\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

func TestIngestAskEvalCommands(t *testing.T) {
	kb := writeKB(t)
	data := t.TempDir()
	set := []string{"--set", "store.path=" + filepath.Join(data, "assist.db"), "--set", "log.level=error",
		"--set", "rag.threshold=0.2"} // a five-document kb gives small BM25 scores

	out, errs, code := runCLI(t, append(set, "ingest", "--kb", "help", "--tenant", "shop", kb)...)
	if code != 0 || !strings.Contains(out, "ingested 5 documents") {
		t.Fatalf("ingest: %d %q %q", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(data, "kb.db")); err != nil {
		t.Fatalf("the index is not next to the database: %v", err)
	}
	// Ingesting again replaces: same counts.
	if out2, _, _ := runCLI(t, append(set, "ingest", "--kb", "help", "--tenant", "shop", kb)...); !strings.Contains(out2, "5 documents") {
		t.Fatalf("re-ingest: %q", out2)
	}

	out, errs, code = runCLI(t, append(set, "ask", "--kb", "help", "--tenant", "shop", "--json", "Who pays the return postage?")...)
	if code != 0 {
		t.Fatalf("ask: %d %q", code, errs)
	}
	var res AskResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("ask --json: %v\n%s", err, out)
	}
	if len(res.Sources) != 1 || res.Sources[0].Doc != "en-returns.md" || !strings.Contains(res.Answer, "postage") || res.Confidence <= 0.2 {
		t.Fatalf("ask = %+v", res)
	}
	out, _, code = runCLI(t, append(set, "ask", "--kb", "help", "--tenant", "shop", "什么时候开电子发票")...)
	if code != 0 || !strings.Contains(out, "24小时") || !strings.Contains(out, "zh-invoice.md") {
		t.Fatalf("ask zh: %d %q", code, out)
	}
	if _, errs, code := runCLI(t, append(set, "ask", "--kb", "help", "--tenant", "nobody", "x")...); code != 1 || !strings.Contains(errs, "not found") {
		t.Fatalf("unknown tenant: %d %q", code, errs)
	}

	cases := filepath.Join(data, "cases.jsonl")
	os.WriteFile(cases, []byte(`{"question":"how long does standard delivery take","doc":"en-shipping.md","lang":"en"}
{"question":"电子发票多久开","doc":"zh-invoice.md","lang":"zh"}
{"question":"When can I chat with customer service?","doc":"en-faq-hours","lang":"en"}
{"question":"do you sell garden furniture","doc":null,"lang":"en"}
`), 0o644)
	out, errs, code = runCLI(t, append(set, "eval", "rag", "--kb", "help", "--tenant", "shop", "--data", cases, "--json")...)
	if code != 0 {
		t.Fatalf("eval: %d %q", code, errs)
	}
	var rep eval.RAGReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Answerable != 3 || rep.Unanswerable != 1 || rep.RecallAt1 != 1 || rep.NoAnswer.Recall != 1 || rep.PerLang["zh"].Questions != 1 {
		t.Fatalf("eval = %s", out)
	}
}

func TestServeSeedsHelpCenter(t *testing.T) {
	kb := writeKB(t)
	m, _ := testMainWith(t, func(c *Config) { c.Demo.Seed = true; c.KB.DemoDir = kb })
	ctx := context.Background()
	tn, err := m.Auth.Store.TenantBySlug(ctx, m.Config.Demo.Tenant)
	if err != nil {
		t.Fatal(err)
	}
	f := rag.Filter{TenantID: tn.ID, KB: "help"}
	docs, err := m.Knowledge.Service.Documents(ctx, f)
	if err != nil || len(docs) != 5 {
		t.Fatalf("seeded %d documents, %v", len(docs), err)
	}
	// A second start skips unchanged files.
	sum, err := seedHelpCenter(ctx, m.Knowledge.Service, m.Config, tn.ID)
	if err != nil || sum.Documents != 0 {
		t.Fatalf("re-seed: %+v %v", sum, err)
	}
	hits, err := m.Knowledge.Service.Search(ctx, rag.SearchRequest{Filter: f, Question: "free shipping threshold"})
	if err != nil || len(hits) == 0 || hits[0].Chunk.Doc != "en-shipping.md" {
		t.Fatalf("search: %+v %v", hits, err)
	}
}
