package eval

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog"
	"github.com/assistd/assist/dialog/flow"
)

// fakeDriver is a scripted bot: replies and states are taken, in order,
// from script; each conversation has its own copy.
type fakeDriver struct {
	script   []fakeTurn
	convs    map[string]int // conversation → next script index
	starts   []StoryStart
	restarts int
	failSay  string // Say of this text fails
}

type fakeTurn struct {
	replies []string
	owner   string
	reason  string
	state   *dialog.State
}

func (d *fakeDriver) Start(_ context.Context, s StoryStart) (string, error) {
	if s.Backend == "broken" {
		return "", assist.Errorf(assist.EINVALID, "unknown backend mode")
	}
	d.starts = append(d.starts, s)
	if d.convs == nil {
		d.convs = map[string]int{}
	}
	id := s.Name
	d.convs[id] = 0
	return id, nil
}

func (d *fakeDriver) Say(_ context.Context, conv, text string) ([]string, error) {
	if text == d.failSay {
		return nil, assist.Errorf(assist.EUNAVAILABLE, "store down")
	}
	i, ok := d.convs[conv]
	if !ok {
		return nil, assist.Errorf(assist.ENOTFOUND, "no conversation")
	}
	d.convs[conv] = i + 1
	return d.script[i].replies, nil
}

func (d *fakeDriver) Observe(_ context.Context, conv string) (Observation, error) {
	t := d.script[d.convs[conv]-1]
	owner := t.owner
	if owner == "" {
		owner = "bot"
	}
	return Observation{Owner: owner, Reason: t.reason, State: t.state}, nil
}

func (d *fakeDriver) Restart(context.Context) error { d.restarts++; return nil }

const storyYAML = `# two stories
- name: status
  lang: zh
  customer: demo-customer-1
  tags: [flow:order_status]
  turns:
    - say: 我的订单到哪了
      expect:
        intent: order_status
        flow: order_status
        reply_contains: [订单号]
    - say: DD202611030001
      restart: true
      expect:
        flow: "-"
        slots: {order_id: DD202611030001}
        reply_contains: [顺丰, sf1234567890123]
        reply_not_contains: [抱歉]
- name: angry
  lang: en
  tags: [escalation]
  turns:
    - say: this is a joke, fix it NOW
      expect:
        owner: queue
        escalation: anger
`

func TestParseStories(t *testing.T) {
	ss, err := ParseStories("s.yaml", []byte(storyYAML))
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 2 || ss[0].Name != "status" || ss[0].Line != 2 || ss[1].Line != 19 {
		t.Fatalf("stories: %+v", ss)
	}
	if ss[0].Turns[1].Line != 12 || !ss[0].Turns[1].Restart || ss[0].Turns[1].Expect.Slots["order_id"] != "DD202611030001" {
		t.Fatalf("turn 2: %+v", ss[0].Turns[1])
	}
	if ss[0].Customer != "demo-customer-1" || ss[0].File != "s.yaml" {
		t.Fatalf("story 1: %+v", ss[0])
	}
}

func TestParseStoriesErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
		code             string
	}{
		{"unknown field", "- name: a\n  lang: zh\n  turns:\n    - say: hi\n      expect: {intnet: x}\n", "s.yaml: unmarshal errors:\n  line 5: field intnet not found", assist.EINVALID},
		{"bad lang", "- name: a\n  lang: fr\n  turns: [{say: hi}]\n", `s.yaml:1: story "a": lang "fr": want zh or en`, assist.EINVALID},
		{"no turns", "- name: a\n  lang: en\n", `s.yaml:1: story "a": no turns`, assist.EINVALID},
		{"empty say", "- name: a\n  lang: en\n  turns:\n    - say: hi\n    - say: ' '\n", `s.yaml:5: story "a": turn 2: say is empty`, assist.EINVALID},
		{"bad owner", "- name: a\n  lang: en\n  turns:\n    - say: hi\n      expect: {owner: robot}\n", `s.yaml:4: story "a": turn 1: owner "robot"`, assist.EINVALID},
		{"restart first", "- name: a\n  lang: en\n  turns:\n    - say: hi\n      restart: true\n", `turn 1: restart before the first turn`, assist.EINVALID},
		{"duplicate", "- name: a\n  lang: en\n  turns: [{say: hi}]\n- name: a\n  lang: en\n  turns: [{say: hi}]\n", `s.yaml:4: story "a" is also at line 1`, assist.EINVALID},
		{"no name", "- lang: en\n  turns: [{say: hi}]\n", `s.yaml:1: story without a name`, assist.EINVALID},
		{"backend", "- name: a\n  lang: en\n  backend: slow\n  turns: [{say: hi}]\n", `backend "slow"`, assist.EINVALID},
		{"not a list", "name: a\n", "s.yaml: unmarshal errors", assist.EINVALID},
		{"empty", "", "s.yaml: no stories", assist.EINVALID},
		{"not utf-8", "- name: \xff\n", "s.yaml: not valid UTF-8", assist.EINVALID},
		{"empty reply text", "- name: a\n  lang: en\n  turns:\n    - say: hi\n      expect: {reply_contains: ['']}\n", "empty reply text", assist.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseStories("s.yaml", []byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) || assist.ErrorCode(err) != tt.code {
				t.Fatalf("error %v (%s), want %q (%s)", err, assist.ErrorCode(err), tt.want, tt.code)
			}
		})
	}
	big := bytes.Repeat([]byte("#"), MaxStoryFileBytes+1)
	if _, err := ParseStories("big.yaml", big); assist.ErrorCode(err) != assist.ETOOLARGE {
		t.Fatalf("oversized: %v", err)
	}
}

func TestReadStoryFiles(t *testing.T) {
	dir := t.TempDir()
	a, b := dir+"/a.yaml", dir+"/b.yaml"
	writeFile(t, a, "- name: x\n  lang: en\n  turns: [{say: hi}]\n")
	writeFile(t, b, "- name: y\n  lang: en\n  turns: [{say: hi}]\n- name: x\n  lang: zh\n  turns: [{say: 你好}]\n")
	if _, err := ReadStoryFiles(a, b); err == nil || !strings.Contains(err.Error(), `b.yaml:4: story "x" is also at `+a+":1") {
		t.Fatalf("duplicate across files: %v", err)
	}
	if _, err := ReadStoryFiles(dir + "/missing.yaml"); assist.ErrorCode(err) != assist.ENOTFOUND {
		t.Fatalf("missing file: %v", err)
	}
	ss, err := ReadStoryFiles(a)
	if err != nil || len(ss) != 1 || ss[0].File != a {
		t.Fatalf("read: %+v %v", ss, err)
	}
	// A folder stands for its story files, in name order.
	sub := t.TempDir()
	writeFile(t, sub+"/2.yaml", "- name: second\n  lang: en\n  turns: [{say: hi}]\n")
	writeFile(t, sub+"/1.yaml", "- name: first\n  lang: zh\n  turns: [{say: 你好}]\n")
	writeFile(t, sub+"/notes.txt", "not a story")
	ss, err = ReadStoryFiles(sub, a)
	if err != nil || len(ss) != 3 || ss[0].Name != "first" || ss[1].Name != "second" || ss[2].Name != "x" {
		t.Fatalf("folder: %+v %v", ss, err)
	}
}

// Every turn is judged: correct, wrong (answered, not as expected), or
// no answer.
func TestTurnCounts(t *testing.T) {
	ss, err := ParseStories("s.yaml", []byte(`- name: counts
  lang: en
  turns:
    - say: hi
      expect: {reply_contains: [hello]}
    - say: where is my order
      expect: {reply_contains: [DD202611030001]}
    - say: hello??
      expect: {reply_any: [queue, wait]}
`))
	if err != nil {
		t.Fatal(err)
	}
	d := &fakeDriver{script: []fakeTurn{{replies: []string{"hello!"}}, {replies: []string{"Sorry?"}}, {}}}
	r, err := RunStories(t.Context(), d, ss, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.TurnsCorrect != 1 || r.TurnsWrong != 1 || r.TurnsNoAnswer != 1 {
		t.Errorf("turns: %d correct, %d wrong, %d no answer; want 1 each", r.TurnsCorrect, r.TurnsWrong, r.TurnsNoAnswer)
	}
	var b bytes.Buffer
	if err := r.WriteText(&b); err != nil || !strings.Contains(b.String(), "pass rate 0.0%; turns: 1 correct, 1 wrong, 1 no answer") {
		t.Errorf("text report:\n%s", b.String())
	}
}

func stateAt(turn int, intent string, run *flow.Run) *dialog.State {
	st := &dialog.State{Turns: turn, Flow: run, Entities: map[string]string{}}
	if intent != "" {
		st.Intents = []dialog.IntentNote{{Turn: turn, Label: intent, Confidence: 0.9}}
	}
	return st
}

func TestRunStoriesPasses(t *testing.T) {
	ss, err := ParseStories("s.yaml", []byte(storyYAML))
	if err != nil {
		t.Fatal(err)
	}
	done := stateAt(2, "", nil)
	done.Intents = []dialog.IntentNote{{Turn: 1, Label: "order_status"}} // no intent this turn
	done.Entities["order_id"] = "DD202611030001"
	angry := stateAt(1, "complaint", nil)
	angry.Escalation = &dialog.Escalation{Reason: "anger", Turn: 1, Evidence: map[string]string{"anger": "0.9"}}
	d := &fakeDriver{}
	var progress []string
	// The fake serves the script in order per conversation; give each
	// story its script by running them one at a time.
	d.script = []fakeTurn{
		{replies: []string{"请提供订单号"}, state: stateAt(1, "order_status", &flow.Run{Flow: "order_status", Step: "ask", Awaiting: "order_id"})},
		{replies: []string{"您的订单已由顺丰发出，运单号 SF1234567890123"}, state: done},
	}
	r1, err := RunStories(t.Context(), d, ss[:1], RunOptions{Progress: func(r StoryResult) { progress = append(progress, r.Name) }})
	if err != nil {
		t.Fatal(err)
	}
	d.script = []fakeTurn{{replies: []string{"A person will join."}, owner: "queue", reason: "anger", state: angry}}
	r2, err := RunStories(t.Context(), d, ss[1:], RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []*DialogReport{r1, r2} {
		if r.Failed != 0 || r.Passed != 1 {
			var b bytes.Buffer
			r.WriteText(&b)
			t.Fatalf("want a pass:\n%s", b.String())
		}
	}
	if d.restarts != 1 || len(progress) != 1 || d.starts[0].Customer != "demo-customer-1" || d.starts[0].Lang != "zh" {
		t.Fatalf("restarts %d progress %v starts %+v", d.restarts, progress, d.starts)
	}
	if r1.Turns != 2 || r1.PerLang["zh"].Passed != 1 || r1.PerTag["flow:order_status"].Passed != 1 {
		t.Fatalf("report: %+v", r1)
	}
}

// The runner can fail: every kind of unmet expectation gives a diff
// naming the field, what was wanted and what happened.
func TestRunStoriesFails(t *testing.T) {
	ss, err := ParseStories("s.yaml", []byte(storyYAML))
	if err != nil {
		t.Fatal(err)
	}
	wrong := stateAt(2, "track_shipment", &flow.Run{Flow: "track_shipment", Slots: map[string]string{"order_id": "DD202611050002"}})
	d := &fakeDriver{script: []fakeTurn{
		{replies: []string{"请提供订单号"}, state: stateAt(1, "order_status", &flow.Run{Flow: "order_status"})},
		{replies: []string{"抱歉，没有找到"}, state: wrong},
		{replies: []string{"Sorry about that."}, state: stateAt(1, "complaint", nil)},
	}}
	// One conversation per story, but a shared script cursor: give the
	// second story the third scripted turn.
	r, err := RunStories(t.Context(), &splitDriver{d, map[string]int{"angry": 2}}, ss, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Passed != 0 || r.Failed != 2 || len(r.Failures) != 2 {
		t.Fatalf("want two failures: %+v", r)
	}
	got := map[string]FieldDiff{}
	for _, s := range r.Results {
		for _, tr := range s.Turns {
			for _, df := range tr.Diffs {
				got[s.Name+"/"+df.Field] = df
			}
		}
	}
	want := map[string]FieldDiff{
		"status/intent":             {"intent", "-", "track_shipment"},
		"status/flow":               {"flow", "-", "track_shipment"},
		"status/slots.order_id":     {"slots.order_id", "DD202611030001", "DD202611050002"},
		"status/reply_contains":     {"reply_contains", "sf1234567890123", "抱歉，没有找到"},
		"status/reply_not_contains": {"reply_not_contains", "抱歉", "抱歉，没有找到"},
		"angry/owner":               {"owner", "queue", "bot"},
		"angry/escalation":          {"escalation", "anger", "-"},
	}
	// turn 2 of "status" expects no intent field; it expects flow "-".
	delete(want, "status/intent")
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: got %+v, want %+v", k, got[k], w)
		}
	}
	// reply_contains reports the first missing text; 顺丰 is missing too.
	if r.Results[0].Turns[0].Turn != 2 || r.Results[0].Turns[0].Line != 12 {
		t.Errorf("failed turn: %+v", r.Results[0].Turns[0])
	}
	var b bytes.Buffer
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"FAIL status (s.yaml:2)", "turn 2 (line 12) FAIL", `want "DD202611030001"`, `got  "DD202611050002"`, "stories: 0 passed, 2 failed (3 turns)", "lang zh", "tag escalation"} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("text report lacks %q:\n%s", s, b.String())
		}
	}
	js, err := json.Marshal(r)
	if err != nil || !strings.Contains(string(js), `"field":"slots.order_id"`) || !strings.Contains(string(js), `"per_lang":{"en":{"passed":0,"failed":1}`) {
		t.Fatalf("json: %s %v", js, err)
	}
}

// splitDriver starts some stories at a later point of the script.
type splitDriver struct {
	*fakeDriver
	at map[string]int
}

func (d *splitDriver) Start(ctx context.Context, s StoryStart) (string, error) {
	id, err := d.fakeDriver.Start(ctx, s)
	d.convs[id] = d.at[s.Name]
	return id, err
}

func TestRunStoriesDriverErrors(t *testing.T) {
	ss, err := ParseStories("s.yaml", []byte(storyYAML))
	if err != nil {
		t.Fatal(err)
	}
	d := &fakeDriver{failSay: "DD202611030001", script: []fakeTurn{{replies: []string{"请提供订单号"}, state: stateAt(1, "order_status", &flow.Run{Flow: "order_status"})}}}
	r, err := RunStories(t.Context(), d, ss[:1], RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Failed != 1 || !strings.HasPrefix(r.Results[0].Error, "turn 2: ") || !strings.Contains(r.Results[0].Error, "store down") {
		t.Fatalf("driver error: %+v", r.Results[0])
	}
	ss[0].Backend = "broken"
	if r, _ := RunStories(t.Context(), d, ss[:1], RunOptions{}); r.Failed != 1 || !strings.HasPrefix(r.Results[0].Error, "start: ") || !strings.Contains(r.Results[0].Error, "unknown backend mode") {
		t.Fatalf("start error: %+v", r.Results[0])
	}
	if _, err := RunStories(t.Context(), d, nil, RunOptions{}); assist.ErrorCode(err) != assist.EINVALID {
		t.Fatalf("no stories: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := RunStories(ctx, d, ss, RunOptions{}); err == nil {
		t.Fatal("cancelled ctx: no error")
	}
}

func TestCompareEscalationAndSlots(t *testing.T) {
	old := &dialog.State{Turns: 3, Escalation: &dialog.Escalation{Reason: "anger", Turn: 1}}
	tests := []struct {
		name   string
		e      Expect
		obs    Observation
		before string
		diffs  int
	}{
		{"old escalation is not this turn's", Expect{Escalation: "-"}, Observation{Owner: "bot", State: old}, "bot", 0},
		{"hand-off reason when the state has none", Expect{Escalation: "complaint"}, Observation{Owner: "queue", Reason: "complaint", State: &dialog.State{Turns: 1}}, "bot", 0},
		{"owner already queue: no new escalation", Expect{Escalation: "-"}, Observation{Owner: "queue", Reason: "complaint", State: &dialog.State{Turns: 2}}, "queue", 0},
		{"slot not filled", Expect{Slots: map[string]string{"reason": "-"}}, Observation{Owner: "bot", State: &dialog.State{Flow: &flow.Run{Flow: "return_request", Slots: map[string]string{"order_id": "x"}}}}, "bot", 0},
		{"slot missing", Expect{Slots: map[string]string{"reason": "size"}}, Observation{Owner: "bot", State: &dialog.State{Flow: &flow.Run{Flow: "return_request"}}}, "bot", 1},
		{"nil state", Expect{Flow: "-", Intent: "-", Escalation: "-"}, Observation{Owner: "bot"}, "bot", 0},
		{"case-insensitive reply", Expect{ReplyContains: []string{"SF1234"}}, Observation{Owner: "bot"}, "bot", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := Compare(tt.e, []string{"sf9"}, tt.obs, tt.before); len(d) != tt.diffs {
				t.Fatalf("diffs %+v, want %d", d, tt.diffs)
			}
		})
	}
	if d := Compare(Expect{ReplyContains: []string{"SF1234"}}, []string{"运单 sf1234567"}, Observation{Owner: "bot"}, "bot"); len(d) != 0 {
		t.Fatalf("case-insensitive match: %+v", d)
	}
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCompareTurnOfAPerson(t *testing.T) {
	// The bot escalated on turn 1; turn 2 went to the person: the stored
	// state still says turn 1, which is not this turn's.
	st := &dialog.State{Turns: 1, Intents: []dialog.IntentNote{{Turn: 1, Label: "human_agent"}}, Escalation: &dialog.Escalation{Reason: "customer_request", Turn: 1}}
	if d := Compare(Expect{Intent: "-", Escalation: "-", Owner: "queue"}, nil, Observation{Owner: "queue", Reason: "customer_request", State: st}, "queue"); len(d) != 0 {
		t.Fatalf("diffs: %+v", d)
	}
	if d := Compare(Expect{Intent: "human_agent", Escalation: "customer_request"}, nil, Observation{Owner: "queue", Reason: "customer_request", State: st}, "bot"); len(d) != 0 {
		t.Fatalf("diffs: %+v", d)
	}
}

func TestKnownStory(t *testing.T) {
	ss, err := ParseStories("k.yaml", []byte("- name: k\n  lang: en\n  known: the policy clarifies before ellipsis\n  turns: [{say: hi, expect: {owner: queue}}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := RunStories(t.Context(), &fakeDriver{script: []fakeTurn{{replies: []string{"hello"}}}}, ss, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	r.WriteText(&b)
	if r.Failed != 1 || r.KnownFailed != 1 || r.Results[0].Known == "" || !strings.Contains(b.String(), "known: the policy clarifies before ellipsis") || !strings.Contains(b.String(), "1 are known shortcomings") {
		t.Fatalf("known story: %+v\n%s", r.Results[0], b.String())
	}
}
