package eval

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/nlu/intent"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestIntentsHandComputed(t *testing.T) {
	// gold → pred:
	//   a a, a a, a b, b b, b a, c c, oos oos, oos a
	us := time.Microsecond
	preds := []Prediction{
		{"a", "a", "en", 10 * us, ""}, {"a", "a", "zh", 20 * us, ""}, {"a", "b", "en", 30 * us, ""}, {"b", "b", "zh", 40 * us, ""},
		{"b", "a", "en", 50 * us, ""}, {"c", "c", "zh", 60 * us, ""}, {nlu.OutOfScope, nlu.OutOfScope, "en", 70 * us, ""}, {nlu.OutOfScope, "a", "zh", 1000 * us, ""},
	}
	r := Intents(preds)
	if r.N != 8 || !near(r.Accuracy, 5.0/8) {
		t.Errorf("n %d accuracy %v, want 8 and 5/8", r.N, r.Accuracy)
	}
	// a: tp 2, predicted 4 (a,a,b→a,oos→a), gold 3 → P 1/2, R 2/3, F1 4/7.
	// b: tp 1, predicted 2, gold 2 → 1/2, 1/2, 1/2.  c: 1, 1, 1.  oos: P 1, R 1/2, F1 2/3.
	wantA := PRF{Precision: 0.5, Recall: 2.0 / 3, F1: 4.0 / 7, Support: 3}
	if got := r.PerIntent["a"]; !near(got.Precision, wantA.Precision) || !near(got.Recall, wantA.Recall) || !near(got.F1, wantA.F1) || got.Support != 3 {
		t.Errorf("a: %+v, want %+v", got, wantA)
	}
	if want := (4.0/7 + 0.5 + 1 + 2.0/3) / 4; !near(r.MacroF1, want) {
		t.Errorf("macro F1 %v, want %v", r.MacroF1, want)
	}
	wantConf := []Confusion{{"a", "b", 1, nil}, {"b", "a", 1, nil}, {nlu.OutOfScope, "a", 1, nil}}
	if !reflect.DeepEqual(r.Confusions, wantConf) {
		t.Errorf("confusions %+v", r.Confusions)
	}
	if r.InScopeAccuracy == nil || !near(*r.InScopeAccuracy, 4.0/6) || !near(*r.OOSRecall, 0.5) {
		t.Errorf("in-scope %v oos recall %v", r.InScopeAccuracy, r.OOSRecall)
	}
	// Latencies 10…70, 1000 µs: p50 is the 4th (40), p99 the 8th (1000).
	if r.Latency == nil || r.Latency.P50 != 40 || r.Latency.P99 != 1000 {
		t.Errorf("latency %+v", r.Latency)
	}
	en, zh := r.PerLang["en"], r.PerLang["zh"]
	if en == nil || zh == nil || en.N != 4 || !near(en.Accuracy, 0.5) || !near(zh.Accuracy, 0.75) {
		t.Fatalf("per lang %+v %+v", en, zh)
	}
	if en.PerLang != nil {
		t.Error("per-language reports nest")
	}
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(js, &m)
	for _, k := range []string{"accuracy", "macro_f1", "per_intent", "confusions", "in_scope_accuracy", "oos_recall", "per_lang", "latency_us"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON report lacks %s", k)
		}
	}
}

func TestIntentsOptionalParts(t *testing.T) {
	r := Intents([]Prediction{{Gold: "a", Pred: "a"}, {Gold: "b", Pred: "a"}})
	if r.InScopeAccuracy != nil || r.OOSRecall != nil || r.PerLang != nil || r.Latency != nil {
		t.Errorf("optional parts set without their data: %+v", r)
	}
	// b is never predicted: precision 0, F1 0; a: P 1/2, R 1, F1 2/3.
	if !near(r.MacroF1, (2.0/3)/2) {
		t.Errorf("macro F1 %v", r.MacroF1)
	}
	if e := Intents(nil); e.N != 0 || e.Accuracy != 0 {
		t.Errorf("empty: %+v", e)
	}
}

// fakeModel answers by a table, naming a version.
type fakeModel map[string]string

func (f fakeModel) Classify(_ context.Context, texts []string) ([]nlu.Intent, error) {
	out := make([]nlu.Intent, len(texts))
	for i, t := range texts {
		l, ok := f[t]
		if !ok {
			l = nlu.OutOfScope
		}
		out[i] = nlu.Intent{Label: l, Model: "v7", Source: "onnx"}
	}
	return out, nil
}

func TestRunIntents(t *testing.T) {
	m := fakeModel{"where is my parcel": "track_shipment", "你好": "greeting"}
	ex := []intent.Example{
		{Text: "Where is my PARCEL", Intent: "track_shipment", Lang: "en"}, // normalised before classifying
		{Text: "你好", Intent: "greeting", Lang: "zh"},
		{Text: "blah", Intent: "greeting", Lang: "en"},
	}
	r, err := RunIntents(context.Background(), m, ex)
	if err != nil {
		t.Fatal(err)
	}
	if r.Model != "v7" || !near(r.Accuracy, 2.0/3) || r.Latency == nil || r.PerLang["zh"].Accuracy != 1 {
		t.Errorf("report %+v", r)
	}
	if _, err := RunIntents(context.Background(), m, nil); assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("no examples: %v", err)
	}
}
