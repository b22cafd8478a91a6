package eval

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// scriptedBot hands off on the turn whose text contains "PERSON", with the
// reason after the colon ("PERSON:anger").
type scriptedBot struct {
	owner, reason string
}

func (b *scriptedBot) Start(context.Context, StoryStart) (string, error) {
	b.owner, b.reason = "bot", ""
	return "c1", nil
}

func (b *scriptedBot) Say(_ context.Context, _, text string) ([]string, error) {
	if _, r, ok := strings.Cut(text, "PERSON:"); ok && b.owner == "bot" {
		b.owner, b.reason = "queue", r
	}
	return []string{"ok"}, nil
}

func (b *scriptedBot) Observe(context.Context, string) (Observation, error) {
	return Observation{Owner: b.owner, Reason: b.reason}, nil
}

func (b *scriptedBot) Restart(context.Context) error { return nil }

func TestRunEscalationScores(t *testing.T) {
	cases := []*EscalationCase{
		{Name: "caught in time", Lang: "en", Escalate: true, ByTurn: 2, Reason: "anger", Turns: []string{"hi", "PERSON:anger"}},
		{Name: "caught late", Lang: "en", Escalate: true, ByTurn: 1, Reason: "customer_request", Turns: []string{"a person please", "PERSON:customer_request"}},
		{Name: "caught, other reason", Lang: "zh", Escalate: true, ByTurn: 1, Reason: "vip_complaint", Turns: []string{"PERSON:complaint"}},
		{Name: "missed", Lang: "zh", Escalate: true, ByTurn: 1, Reason: "anger", Turns: []string{"骗子"}},
		{Name: "overshoot", Lang: "en", Escalate: false, Turns: []string{"sing me a song", "PERSON:no_automation"}},
		{Name: "rightly kept", Lang: "zh", Escalate: false, Turns: []string{"你好"}},
	}
	r, err := RunEscalation(context.Background(), &scriptedBot{}, cases)
	if err != nil {
		t.Fatal(err)
	}
	// tp 3, fp 1, fn 1.
	if !near(r.Precision, 0.75) || !near(r.Recall, 0.75) || !near(r.OnTime, 0.5) || !near(r.ReasonMatch, 2.0/3) {
		t.Errorf("precision %v recall %v on time %v reason %v", r.Precision, r.Recall, r.OnTime, r.ReasonMatch)
	}
	if !near(r.MeanTurns, 5.0/3) || !near(r.MeanTurnsLate, 1) {
		t.Errorf("mean turns %v, late %v", r.MeanTurns, r.MeanTurnsLate)
	}
	if a := r.PerReason["anger"]; a == nil || a.Cases != 2 || a.Caught != 1 || a.OnTime != 1 {
		t.Errorf("anger %+v", a)
	}
	rep := r.Report()
	if m, ok := rep.Metric("recall"); !ok || !near(m.Value, 0.75) {
		t.Errorf("report recall %+v", m)
	}
	if len(rep.Tables[1].Rows) != 4 { // late, other reason, missed, overshoot
		t.Errorf("wrong cases table: %v", rep.Tables[1].Rows)
	}
}

func TestReadEscalationFiles(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, []byte("- name: a\n  lang: en\n  escalate: true\n  by_turn: 1\n  reason: anger\n  turns: [\"you scammers\"]\n"), 0o644)
	cs, err := ReadEscalationFiles(good)
	if err != nil || len(cs) != 1 || !cs[0].Escalate || cs[0].File != good {
		t.Fatalf("%v %+v", err, cs)
	}
	for name, body := range map[string]string{
		"no turns":        "- name: a\n  lang: en\n  escalate: false\n  turns: []\n",
		"by_turn outside": "- name: a\n  lang: en\n  escalate: true\n  by_turn: 3\n  turns: [x]\n",
		"unknown field":   "- name: a\n  lang: en\n  escalates: true\n  turns: [x]\n",
		"no name":         "- lang: en\n  turns: [x]\n",
	} {
		p := filepath.Join(dir, "bad.yaml")
		os.WriteFile(p, []byte(body), 0o644)
		if _, err := ReadEscalationFiles(p); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}
