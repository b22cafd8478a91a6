package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assistd/assist/nlu/intent"
)

func TestTrainAndEvalSentiment(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join("..", "..", "sentiment", "testdata", "tiny.jsonl")
	model := filepath.Join(dir, "model")
	code, out, errOut := runAssist(t, "train", "sentiment", "--data", data, "--valid", data, "--out", model, "--epochs", "40", "--buckets", "4096", "--dim", "16", "--members", "1", "--seed", "2")
	if code != 0 {
		t.Fatalf("train: exit %d: %s %s", code, out, errOut)
	}
	meta, err := intent.ReadMeta(model)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(meta.Version, "sentiment-") || len(meta.Labels) != 4 || meta.Metrics["accuracy"] < 0.9 || !strings.Contains(out, meta.Version) {
		t.Errorf("meta %+v, output %s", meta, out)
	}

	requireORT(t)
	// The public GoEmotions layout ({"text","sentiment"}), detected per line.
	goemo := filepath.Join(dir, "goemo.jsonl")
	os.WriteFile(goemo, []byte(`{"text":"thank you, love it","sentiment":"positive"}`+"\n"+`{"text":"so disappointed","sentiment":"negative"}`+"\n"+
		`{"text":"hmm","sentiment":"ambiguous"}`+"\n"+`{"text":"where is my package","sentiment":"neutral"}`+"\n"), 0o644)
	code, out, errOut = runAssist(t, "eval", "sentiment", "--model", model, "--data", data, "--data", goemo, "--json")
	if code != 0 {
		t.Fatalf("eval: exit %d: %s", code, errOut)
	}
	var rep struct {
		Model    string
		N        int
		Accuracy float64
		PerClass map[string]json.RawMessage `json:"per_class"`
		Anger    *struct{ Recall float64 }
		PerLang  map[string]json.RawMessage  `json:"per_lang"`
		Latency  *struct{ P50, P99 float64 } `json:"latency_us"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if rep.Model != meta.Version || rep.N != 29 || rep.Accuracy < 0.9 || len(rep.PerClass) != 3 || rep.Anger == nil || len(rep.PerLang) != 2 || rep.Latency == nil {
		t.Errorf("report %s", out)
	}
	// Without --model: sentiment.model_dir; a format that does not fit fails.
	code, out, _ = runAssist(t, "--set", "sentiment.model_dir="+model, "eval", "sentiment", "--data", data)
	if code != 0 || !strings.Contains(out, "accuracy") || !strings.Contains(out, "[zh]") {
		t.Errorf("eval with the default model: exit %d: %s", code, out)
	}
	if code, _, errOut := runAssist(t, "eval", "sentiment", "--model", model, "--data", data, "--format", "goemotions"); code != 1 || !strings.Contains(errOut, "line 1") {
		t.Errorf("wrong format: exit %d: %s", code, errOut)
	}
}

func TestTrainSentimentBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte("{\"text\":\"hi\",\"label\":\"neutral\"}\n{\"text\":\"hi\",\"label\":\"happy\"}\n"), 0o644)
	few := filepath.Join(dir, "few.jsonl")
	os.WriteFile(few, []byte("{\"text\":\"hi\",\"label\":\"neutral\"}\n{\"text\":\"bad\",\"label\":\"negative\"}\n"), 0o644)
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown label", []string{"train", "sentiment", "--data", bad, "--out", filepath.Join(dir, "m")}, "line 2"},
		{"missing class", []string{"train", "sentiment", "--data", few, "--out", filepath.Join(dir, "m")}, "no angry examples"},
		{"missing file", []string{"train", "sentiment", "--data", filepath.Join(dir, "nope.jsonl"), "--out", filepath.Join(dir, "m")}, "not found"},
		{"no model", []string{"eval", "sentiment", "--model", filepath.Join(dir, "none"), "--data", few}, ""},
	} {
		code, _, errOut := runAssist(t, tt.args...)
		if code != 1 || !strings.Contains(errOut, tt.want) {
			t.Errorf("%s: exit %d, stderr %q, want 1 mentioning %q", tt.name, code, errOut, tt.want)
		}
	}
}
