package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assistd/assist/eval"
	"github.com/assistd/assist/eval/report"
	"github.com/assistd/assist/store/sqlite"
)

func suiteArgs(cfg Config, suite string) []string {
	return []string{"--set", "kb.demo_dir=" + cfg.KB.DemoDir, "--set", "demo.shop=" + cfg.Demo.Shop, "--set", "demo.catalog=" + cfg.Demo.Catalog,
		"eval", suite, "--intent-model", cfg.NLU.ModelDir, "--sentiment-model", cfg.Sentiment.ModelDir}
}

// The escalation suite against the real bot: a customer asking for a
// person is handed off at once, a greeting is not; the report and its
// HTML are written.
func TestEvalEscalationCommand(t *testing.T) {
	requireORT(t)
	cfg := storyConfig(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "esc.yaml")
	os.WriteFile(data, []byte(`- name: asks for a person
  lang: zh
  escalate: true
  by_turn: 1
  reason: customer_request
  turns: ["转人工"]
- name: says hello
  lang: en
  escalate: false
  turns: ["hello", "thanks, bye"]
`), 0o644)
	out := filepath.Join(dir, "out")
	code, stdout, stderr := runAssist(t, append(suiteArgs(cfg, "escalation"), "--data", data, "--out", out)...)
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, stdout, stderr)
	}
	rep, err := report.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]float64{"precision": 1, "recall": 1, "on_time": 1} {
		if m, ok := rep.Metric(name); !ok || m.Value != want {
			t.Errorf("%s = %+v, want %v\n%s", name, m, want, stdout)
		}
	}
}

// A conversation recorded in the store, replayed through the same models:
// nothing changes, and the export round-trips through a file.
func TestEvalReplayCommand(t *testing.T) {
	requireORT(t)
	cfg := storyConfig(t)
	ctx := context.Background()
	d := newStoryDriver(cfg, t.TempDir())
	defer d.Close()
	conv, err := d.Start(ctx, eval.StoryStart{Name: "recorded", Customer: "demo-customer-1", Lang: "zh"})
	if err != nil {
		t.Fatal(err)
	}
	for _, say := range []string{"退货运费谁出？", "发票怎么开", "转人工"} {
		if _, err := d.Say(ctx, conv, say); err != nil {
			t.Fatal(err)
		}
	}
	recorded, err := eval.Export(ctx, sqlite.NewConversationStore(d.m.DB), d.tenant, 10)
	if err != nil || len(recorded) != 1 || len(recorded[0].Turns) != 3 || recorded[0].EscalationTurn != 3 {
		t.Fatalf("export: %v %+v", err, recorded)
	}
	file := filepath.Join(t.TempDir(), "recorded.jsonl")
	f, _ := os.Create(file)
	eval.WriteRecorded(f, recorded)
	f.Close()
	code, stdout, stderr := runAssist(t, append(suiteArgs(cfg, "replay"), "--data", file, "--json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, stdout, stderr)
	}
	var rep eval.ReplayReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	if rep.Conversations != 1 || rep.Turns != 3 || rep.EscalationSame != 1 || rep.RepliesChanged != 0 {
		t.Errorf("replaying with the same models changed something: %+v", rep)
	}
	// From a store that does not exist: a clear error.
	code, _, stderr = runAssist(t, append([]string{"--set", "store.path=" + filepath.Join(t.TempDir(), "none.db")}, suiteArgs(cfg, "replay")...)...)
	if code == 0 || !strings.Contains(stderr, "no store at") {
		t.Errorf("missing store: exit %d %s", code, stderr)
	}
}

// A report built from a shop's recorded conversations is not written
// where the console shows reports to every shop's staff.
func TestEvalReplayFromStoreStaysOutOfTheSharedReports(t *testing.T) {
	reports := t.TempDir()
	code, _, stderr := runAssist(t, "--set", "eval.reports_dir="+reports, "--set", "store.path="+filepath.Join(t.TempDir(), "none.db"),
		"eval", "replay", "--tenant", "acme", "--out", filepath.Join(reports, "acme-replay"))
	if code == 0 || !strings.Contains(stderr, "eval.reports_dir") {
		t.Errorf("replay of a shop's conversations into the shared reports: exit %d %s", code, stderr)
	}
	if entries, _ := os.ReadDir(reports); len(entries) != 0 {
		t.Errorf("wrote %d entries into the shared reports", len(entries))
	}
}
