package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/assistd/assist/models/onnx"
	"github.com/assistd/assist/nlu/intent"
)

// requireORT skips a test without ONNX Runtime, unless ASSIST_REQUIRE_ORT
// is set.
func requireORT(t *testing.T) {
	t.Helper()
	rt, err := onnx.Load(onnx.Config{})
	if errors.Is(err, onnx.ErrLibraryNotFound) && os.Getenv("ASSIST_REQUIRE_ORT") == "" {
		t.Skipf("skipping: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	rt.Close()
}

// writeIntentData writes a small bilingual data set of our own into dir
// and returns the training, validation and test files.
func writeIntentData(t *testing.T, dir string) (train, valid, test string) {
	t.Helper()
	phrases := map[string][]string{
		"track_shipment": {"where is my parcel", "track my package", "has my order shipped", "我的快递到哪了", "查一下物流", "包裹什么时候到"},
		"refund_status":  {"where is my refund", "refund not received", "when do i get my money back", "退款什么时候到账", "退款进度", "钱还没退回来"},
		"greeting":       {"hello", "hi there", "good morning", "你好", "在吗", "哈喽"},
		"out_of_scope":   {"what's the weather", "tell me a joke", "who won the game", "今天天气怎么样", "讲个笑话", "你喜欢什么电影"},
	}
	tails := []string{"", " please", " thanks", "?", " 谢谢", " 亲", " asap", "!!"}
	write := func(name string, from, to int) string {
		var b bytes.Buffer
		for label, ps := range phrases {
			for i, p := range ps {
				lang := "en"
				if i >= 3 {
					lang = "zh"
				}
				for k := from; k < to; k++ {
					json.NewEncoder(&b).Encode(map[string]string{"text": p + tails[k%len(tails)], "intent": label, "lang": lang})
				}
			}
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	return write("train.jsonl", 0, 5), write("valid.jsonl", 5, 7), write("test.jsonl", 7, 8)
}

func runAssist(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestTrainAndEvalIntent(t *testing.T) {
	dir := t.TempDir()
	train, valid, test := writeIntentData(t, dir)
	model := filepath.Join(dir, "model")
	code, out, errOut := runAssist(t, "train", "intent", "--data", train, "--valid", valid, "--out", model, "--epochs", "15", "--seed", "3")
	if code != 0 {
		t.Fatalf("train: exit %d: %s %s", code, out, errOut)
	}
	meta, err := intent.ReadMeta(model)
	if err != nil {
		t.Fatal(err)
	}
	if len(meta.Labels) != 4 || meta.Metrics["accuracy"] < 0.9 || meta.Metrics["accuracy_zh"] == 0 || !strings.Contains(out, meta.Version) {
		t.Errorf("meta %+v, output %s", meta, out)
	}

	// The same data and seed give the same model version.
	if code, _, errOut := runAssist(t, "train", "intent", "--data", train, "--valid", valid, "--out", filepath.Join(dir, "again"), "--epochs", "15", "--seed", "3"); code != 0 {
		t.Fatal(errOut)
	}
	again, _ := intent.ReadMeta(filepath.Join(dir, "again"))
	if again.Version != meta.Version {
		t.Errorf("versions %s and %s from the same training", meta.Version, again.Version)
	}

	requireORT(t)
	code, out, errOut = runAssist(t, "eval", "intent", "--model", model, "--data", test, "--json")
	if code != 0 {
		t.Fatalf("eval: exit %d: %s", code, errOut)
	}
	var rep struct {
		Model           string
		N               int
		Accuracy        float64
		MacroF1         float64                     `json:"macro_f1"`
		InScopeAccuracy *float64                    `json:"in_scope_accuracy"`
		OOSRecall       *float64                    `json:"oos_recall"`
		PerLang         map[string]json.RawMessage  `json:"per_lang"`
		Latency         *struct{ P50, P99 float64 } `json:"latency_us"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if rep.Model != meta.Version || rep.N != 24 || rep.Accuracy < 0.9 || rep.InScopeAccuracy == nil || rep.OOSRecall == nil || len(rep.PerLang) != 2 || rep.Latency == nil {
		t.Errorf("report %s", out)
	}
	// Without --model: the configured default.
	code, out, _ = runAssist(t, "--set", "nlu.model_dir="+model, "eval", "intent", "--data", test)
	if code != 0 || !strings.Contains(out, "accuracy") || !strings.Contains(out, meta.Version) {
		t.Errorf("eval with the default model: exit %d: %s", code, out)
	}
}

func TestTrainIntentBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte("{\"text\":\"hi\",\"intent\":\"greeting\"}\nnot json\n"), 0o644)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"malformed line", []string{"train", "intent", "--data", bad, "--out", filepath.Join(dir, "m")}, "line 2"},
		{"missing file", []string{"train", "intent", "--data", filepath.Join(dir, "nope.jsonl"), "--out", filepath.Join(dir, "m")}, "not found"},
		{"bad features", []string{"train", "intent", "--data", bad, "--out", filepath.Join(dir, "m"), "--features", "uni,trigram"}, "unknown kind"},
		{"no model", []string{"eval", "intent", "--model", filepath.Join(dir, "none"), "--data", bad}, ""},
	}
	for _, tt := range tests {
		code, _, errOut := runAssist(t, tt.args...)
		if code != 1 || !strings.Contains(errOut, tt.want) {
			t.Errorf("%s: exit %d, stderr %q, want 1 mentioning %q", tt.name, code, errOut, tt.want)
		}
	}
}

// TestServeNLU runs the service with a trained model: /v1/nlu/parse
// answers with the model's version, and a retrained model is swapped in by
// the admin API and by SIGHUP.
func TestServeNLU(t *testing.T) {
	requireORT(t)
	dir := t.TempDir()
	train, valid, _ := writeIntentData(t, dir)
	model := filepath.Join(dir, "model")
	trainSeed := func(seed int) string {
		t.Helper()
		if code, _, errOut := runAssist(t, "train", "intent", "--data", train, "--valid", valid, "--out", model, "--epochs", "10", "--seed", fmt.Sprint(seed)); code != 0 {
			t.Fatal(errOut)
		}
		m, err := intent.ReadMeta(model)
		if err != nil {
			t.Fatal(err)
		}
		return m.Version
	}
	v1 := trainSeed(1)
	m, _ := testMainWith(t, func(c *Config) { c.Demo.Seed = true; c.NLU.ModelDir = model })
	base := m.URL()
	var creds demoCredentials
	b, err := os.ReadFile(filepath.Join(filepath.Dir(m.Config.Store.Path), "demo-credentials.json"))
	if err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(b, &creds)
	token := func(role string) string {
		for _, u := range creds.Users {
			if string(u.Role) == role {
				var login struct{ Token string }
				call(t, "POST", base+"/v1/auth/login", "", map[string]string{"tenant": "demo", "email": u.Email, "password": u.Password}, &login)
				return login.Token
			}
		}
		t.Fatalf("no %s in the demo credentials", role)
		return ""
	}
	admin, agent := token("admin"), token("agent")

	type parsed struct {
		Lang, Intent, Model string
		Entities            []struct{ Type, Value string }
	}
	var p parsed
	if code := call(t, "POST", base+"/v1/nlu/parse", agent, map[string]string{"text": "我的快递到哪了？订单号 2024051812345"}, &p); code != 200 {
		t.Fatalf("parse: %d", code)
	}
	if p.Intent != "track_shipment" || p.Lang != "zh" || p.Model != v1 {
		t.Errorf("parse = %+v, want track_shipment zh from %s", p, v1)
	}

	v2 := trainSeed(2)
	var rel struct{ Model string }
	if code := call(t, "POST", base+"/v1/admin/models/intent/reload", admin, nil, &rel); code != 200 || rel.Model != v2 {
		t.Fatalf("reload: %d %+v, want %s", code, rel, v2)
	}
	call(t, "POST", base+"/v1/nlu/parse", agent, map[string]string{"text": "hello"}, &p)
	if p.Model != v2 {
		t.Errorf("after reload: model %s, want %s", p.Model, v2)
	}

	v3 := trainSeed(3)
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		call(t, "POST", base+"/v1/nlu/parse", agent, map[string]string{"text": "hello"}, &p)
		if p.Model == v3 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if p.Model != v3 {
		t.Errorf("after SIGHUP: model %s, want %s", p.Model, v3)
	}
}

func TestServeWithoutIntentModel(t *testing.T) {
	m, _ := testMainWith(t, func(c *Config) { c.NLU.ModelDir = filepath.Join(t.TempDir(), "none") })
	if m.Intents == nil || m.API.NLU == nil {
		t.Fatal("the NLU is not wired")
	}
	if _, ok := m.Intents.Meta(); ok {
		t.Error("a model is loaded from an empty directory")
	}
	if _, err := m.NLU.Parse(context.Background(), "hi"); err == nil {
		t.Error("parse without a model succeeded")
	}
}
