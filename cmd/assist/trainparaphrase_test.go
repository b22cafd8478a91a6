package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/assistd/assist/rag"
	"github.com/assistd/assist/rag/para"
)

// The question encoder trains from a gap replay file, leaves out the half
// asked for, and serves the knowledge base once configured; a missing
// model or a bad half is a clear error.
func TestTrainParaphraseAndServe(t *testing.T) {
	dir := t.TempDir()
	gaps := filepath.Join(dir, "gaps.jsonl")
	lines := `{"lang": "en", "questions": ["Do you gift wrap?", "can it come wrapped as a present"], "answer": "Yes, choose gift wrap at checkout."}
{"lang": "en", "questions": ["Do you ship to Macau?", "can i get it delivered in macao"], "answer": "Yes, in 5-7 days."}
{"lang": "zh", "questions": ["能开发票吗？", "要发票怎么弄"], "answer": "可以，在订单详情里申请。"}
`
	if err := os.WriteFile(gaps, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(dir, "para")
	out, errs, code := runCLI(t, "train", "paraphrase", "--groups", gaps, "--skip-half", gaps+"=1", "--epochs", "3", "--buckets", "4096", "--dim", "8", "--out", model)
	if code != 0 || !strings.Contains(out, "2 groups") { // half 1 (the Macau line) left out
		t.Fatalf("train: %d %q %q", code, out, errs)
	}
	// The same files and seed give the same model, byte for byte.
	again := filepath.Join(dir, "again")
	if _, errs, code := runCLI(t, "train", "paraphrase", "--groups", gaps, "--skip-half", gaps+"=1", "--epochs", "3", "--buckets", "4096", "--dim", "8", "--out", again); code != 0 {
		t.Fatalf("train again: %d %q", code, errs)
	}
	b1, err1 := os.ReadFile(filepath.Join(model, "paraphrase.bin"))
	b2, err2 := os.ReadFile(filepath.Join(again, "paraphrase.bin"))
	if err1 != nil || err2 != nil || !bytes.Equal(b1, b2) {
		t.Errorf("two trainings with one seed: %d and %d bytes (%v, %v), want the same file", len(b1), len(b2), err1, err2)
	}
	for _, bad := range [][]string{
		{"--skip-half", gaps + "=2"},
		{"--skip-half", filepath.Join(dir, "other.jsonl") + "=0"},
		{}, // no groups at all
		{"--dim", "0"},
		{"--dim", "2000"}, // longer than Load takes
		{"--loose", "-0.3"},
		{"--epochs", "-1"},
		{"--heads", "0"},
		{"--heads", "17"}, // 17 × 64 numbers: longer than Load takes
	} {
		args := append([]string{"train", "paraphrase", "--out", filepath.Join(dir, "bad")}, bad...)
		if len(bad) > 0 {
			args = append(args, "--groups", gaps)
		}
		if _, errs, code := runCLI(t, args...); code == 0 || errs == "" {
			t.Errorf("%v: exit %d, stderr %q; want an error", bad, code, errs)
		}
	}

	// Configured, the encoder is the service's, and a question asked in
	// other words than a published answer's is answered from it. Ingest
	// encodes no question: a missing model does not stop it.
	served := filepath.Join(dir, "served")
	if _, errs, code := runCLI(t, "train", "paraphrase", "--groups", gaps, "--epochs", "60", "--buckets", "4096", "--dim", "16", "--out", served); code != 0 {
		t.Fatalf("train: %d %q", code, errs)
	}
	kb := writeKB(t)
	store := filepath.Join(dir, "assist.db")
	set := []string{"--set", "store.path=" + store, "--set", "log.level=error"}
	if out, errs, code := runCLI(t, append(set, "--set", "rag.paraphrase_model="+filepath.Join(dir, "none"), "ingest", "--kb", "help", "--tenant", "shop", kb)...); code != 0 {
		t.Fatalf("ingest with a missing encoder it does not use: %d %q %q", code, out, errs)
	}
	publishAnswer(t, store, "shop", "gap-wrap", "Yes, choose gift wrap at checkout.", "Do you gift wrap?")
	const asked = "can it come wrapped as a present" // the training file's other wording
	answeredBy := func(model string) []string {
		t.Helper()
		out, errs, code := runCLI(t, append(set, "--set", "rag.paraphrase_model="+model, "ask", "--json", "--kb", "help", "--tenant", "shop", asked)...)
		if code != 0 {
			t.Fatalf("ask with model %q: %d %q", model, code, errs)
		}
		var r AskResult
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("ask: %v in %q", err, out)
		}
		var docs []string
		for _, s := range r.Sources {
			docs = append(docs, s.Doc)
		}
		return docs
	}
	if docs := answeredBy(served); len(docs) == 0 || docs[0] != "gap-wrap" {
		t.Errorf("%q with the encoder: sources %v, want the published answer first", asked, docs)
	}
	// The setting reaches the service: its encoder is the trained one.
	cfg := DefaultConfig()
	cfg.Store.Path, cfg.RAG.ParaphraseModel = store, served
	k, err := openKnowledge(context.Background(), cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	want, err := para.Load(served)
	if err != nil {
		t.Fatal(err)
	}
	if k.Service.Paraphrases == nil || !slices.Equal(k.Service.Paraphrases.Encode(asked), want.Encode(asked)) {
		t.Errorf("rag.paraphrase_model=%s: the service's encoder is %v, want the trained one", served, k.Service.Paraphrases)
	}
	if _, errs, code := runCLI(t, append(set, "--set", "rag.paraphrase_model="+filepath.Join(dir, "none"), "ask", "--kb", "help", "--tenant", "shop", "Who pays the return postage?")...); code == 0 || !strings.Contains(errs, "rag.paraphrase_model") {
		t.Errorf("missing model: exit %d, stderr %q; want an error naming the setting", code, errs)
	}
}

// publishAnswer adds a published answer to the knowledge base as the gap
// report publishes one (rag.PublishedSource, one chunk per question).
func publishAnswer(t *testing.T, store, tenant, doc, answer string, questions ...string) {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Store.Path = store
	k, err := openKnowledge(context.Background(), cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	tid, err := tenantID(context.Background(), cfg, tenant, false)
	if err != nil {
		t.Fatal(err)
	}
	d := rag.Document{DocKey: rag.DocKey{TenantID: tid, KB: "help", Doc: doc}, Title: questions[0], Source: rag.PublishedSource, Lang: "en"}
	for _, q := range questions {
		d.Chunks = append(d.Chunks, rag.Chunk{Question: q, Answer: answer, Text: answer})
	}
	if _, err := k.Service.Ingest(context.Background(), d); err != nil {
		t.Fatal(err)
	}
}
