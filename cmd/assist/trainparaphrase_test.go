package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	} {
		args := append([]string{"train", "paraphrase", "--out", filepath.Join(dir, "bad")}, bad...)
		if len(bad) > 0 {
			args = append(args, "--groups", gaps)
		}
		if _, errs, code := runCLI(t, args...); code == 0 || errs == "" {
			t.Errorf("%v: exit %d, stderr %q; want an error", bad, code, errs)
		}
	}

	kb := writeKB(t)
	set := []string{"--set", "store.path=" + filepath.Join(dir, "assist.db"), "--set", "log.level=error", "--set", "rag.paraphrase_model=" + model}
	if out, errs, code := runCLI(t, append(set, "ingest", "--kb", "help", "--tenant", "shop", kb)...); code != 0 {
		t.Fatalf("ingest with the encoder: %d %q %q", code, out, errs)
	}
	set[len(set)-1] = "rag.paraphrase_model=" + filepath.Join(dir, "none")
	if _, errs, code := runCLI(t, append(set, "ask", "--kb", "help", "--tenant", "shop", "Who pays the return postage?")...); code == 0 || !strings.Contains(errs, "paraphrase") {
		t.Errorf("missing model: exit %d, stderr %q; want an error naming it", code, errs)
	}
}
