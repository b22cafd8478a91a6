package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assistd/assist/eval/report"
)

// The release gate, as a team runs it in CI: the default models scored on
// the held-out test sets must not regress from the baselines checked into
// data/eval/baselines (regenerate them with `make baselines` when a change
// is meant to move the numbers), and a deliberately degraded model must
// fail the gate with its regressions listed.
func TestEvalGate(t *testing.T) {
	requireORT(t)
	intentDir, sentimentDir := storyModels(t)
	root := repoRoot(t)
	data := func(kind string) []string {
		return []string{"--data", filepath.Join(root, "data", kind, "test.zh.jsonl"), "--data", filepath.Join(root, "data", kind, "test.en.jsonl")}
	}
	for _, c := range []struct{ suite, model, data string }{
		{"intent", intentDir, "nlu"},
		{"sentiment", sentimentDir, "sentiment"},
	} {
		t.Run(c.suite, func(t *testing.T) {
			out := t.TempDir()
			args := append([]string{"eval", c.suite, "--model", c.model, "--out", out,
				"--baseline", filepath.Join(root, "data", "eval", "baselines", c.suite+".json")}, data(c.data)...)
			code, stdout, stderr := runAssist(t, args...)
			if code != 0 {
				t.Fatalf("the default %s model fails its gate (exit %d); if the change is meant, run make baselines:\n%s\n%s", c.suite, code, stderr, stdout)
			}
			rep, err := report.Load(out)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Gate == nil || len(rep.Gate.Regressions) != 0 {
				t.Errorf("report.json gate %+v", rep.Gate)
			}
			html, err := os.ReadFile(filepath.Join(out, report.HTMLFile))
			if err != nil || !strings.Contains(string(html), "<svg") || !strings.Contains(string(html), "No metric regressed") {
				t.Errorf("report.html: %v\n%.300s", err, html)
			}
		})
	}

	t.Run("degraded intent model", func(t *testing.T) {
		// One epoch, one member, a tenth of the hash buckets: the kind of
		// model a broken training change would produce.
		bad := filepath.Join(t.TempDir(), "model")
		args := []string{"train", "intent", "--out", bad, "--epochs", "1", "--members", "1", "--buckets", "4096", "--dim", "8", "--no-refit"}
		for _, f := range []string{"train.zh.jsonl", "train.en.jsonl"} {
			args = append(args, "--data", filepath.Join(root, "data", "nlu", f))
		}
		if code, out, errOut := runAssist(t, args...); code != 0 {
			t.Fatalf("train: exit %d: %s %s", code, out, errOut)
		}
		out := t.TempDir()
		args = append([]string{"eval", "intent", "--model", bad, "--out", out,
			"--baseline", filepath.Join(root, "data", "eval", "baselines", "intent.json")}, data("nlu")...)
		code, _, stderr := runAssist(t, args...)
		if code == 0 {
			t.Fatalf("a degraded model passed the gate:\n%s", stderr)
		}
		if !strings.Contains(stderr, "regressed") || !strings.Contains(stderr, "accuracy:") {
			t.Errorf("the gate does not list what regressed:\n%s", stderr)
		}
		rep, err := report.Load(out)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Gate == nil || len(rep.Gate.Regressions) == 0 {
			t.Errorf("report.json records no regression: %+v", rep.Gate)
		}
	})
}
