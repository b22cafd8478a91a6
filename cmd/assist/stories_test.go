package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog"
	"github.com/assistd/assist/eval"
	"github.com/assistd/assist/nlu/intent"
	"github.com/assistd/assist/sentiment"
)

// The story tests and BenchmarkTurn need the default intent and sentiment
// models, without depending on `make models` having run: storyModels
// reuses .cache/models/{intent,sentiment} when their model.json records
// the data hash of today's data/ (what `make models` would produce), and
// otherwise trains both, once per test binary, into a temporary folder
// with the default options (intent ~10 s, sentiment a few seconds on one
// core). The folder is removed by TestMain.
var (
	modelsOnce sync.Once
	modelsTmp  string
	modelsDirs [2]string
	modelsErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if modelsTmp != "" {
		os.RemoveAll(modelsTmp)
	}
	os.Exit(code)
}

// repoRoot is the module root, two levels up from cmd/assist.
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func storyModels(t testing.TB) (intentDir, sentimentDir string) {
	t.Helper()
	root := repoRoot(t)
	modelsOnce.Do(func() { modelsDirs, modelsErr = prepareStoryModels(root) })
	if modelsErr != nil {
		t.Fatal(modelsErr)
	}
	return modelsDirs[0], modelsDirs[1]
}

func prepareStoryModels(root string) (dirs [2]string, err error) {
	data := func(kind, split string) []string {
		return []string{filepath.Join(root, "data", kind, split+".zh.jsonl"), filepath.Join(root, "data", kind, split+".en.jsonl")}
	}
	// The sentiment model learns from the files data/sentiment/train.files
	// lists, as make models does.
	sentFiles, err := sentimentTrainFiles(root)
	if err != nil {
		return dirs, err
	}
	trainFiles := map[string][]string{"intent": data("nlu", "train"), "sentiment": sentFiles}
	intentTrain, err := intent.LoadFiles(trainFiles["intent"]...)
	if err != nil {
		return dirs, err
	}
	sentTrain, err := sentiment.LoadFiles(sentiment.FormatAssist, sentFiles...)
	if err != nil {
		return dirs, err
	}
	wants := [2]string{intent.DataHash(intentTrain), intent.DataHash(sentiment.Prepared(sentTrain))}
	for i, kind := range []string{"intent", "sentiment"} {
		cached := filepath.Join(root, ".cache", "models", kind)
		if modelHash(cached) == wants[i] {
			dirs[i] = cached
			continue
		}
		if modelsTmp == "" {
			if modelsTmp, err = os.MkdirTemp("", "assist-story-models-"); err != nil {
				return dirs, err
			}
		}
		dirs[i] = filepath.Join(modelsTmp, kind)
		nluKind := map[string]string{"intent": "nlu", "sentiment": "sentiment"}[kind]
		args := []string{"train", kind, "--out", dirs[i]}
		for _, f := range trainFiles[kind] {
			args = append(args, "--data", f)
		}
		for _, f := range data(nluKind, "valid") {
			args = append(args, "--valid", f)
		}
		var out, errOut bytes.Buffer
		if code := run(context.Background(), args, &out, &errOut); code != 0 {
			return dirs, fmt.Errorf("train %s: exit %d: %s%s", kind, code, out.String(), errOut.String())
		}
	}
	return dirs, nil
}

// sentimentTrainFiles reads data/sentiment/train.files: the training
// files, one a line, relative to the repository root.
func sentimentTrainFiles(root string) ([]string, error) {
	b, err := os.ReadFile(filepath.Join(root, "data", "sentiment", "train.files"))
	if err != nil {
		return nil, err
	}
	var files []string
	for _, l := range strings.Fields(string(b)) {
		files = append(files, filepath.Join(root, l))
	}
	return files, nil
}

// modelHash is the data hash model.json in dir records, "" when none.
func modelHash(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, intent.MetaFile))
	if err != nil {
		return ""
	}
	var meta struct {
		DataHash string `json:"data_hash"`
	}
	if json.Unmarshal(b, &meta) != nil {
		return ""
	}
	return meta.DataHash
}

// storyConfig is the demo setup the stories run on: the repository's
// help center, shop seed and catalogue, and the models.
func storyConfig(t testing.TB) Config {
	t.Helper()
	root := repoRoot(t)
	intentDir, sentimentDir := storyModels(t)
	cfg := DefaultConfig()
	cfg.NLU.ModelDir = intentDir
	cfg.Sentiment.ModelDir = sentimentDir
	cfg.KB.DemoDir = filepath.Join(root, "data", "kb", "demo")
	cfg.Demo.Shop = filepath.Join(root, "data", "demo", "shop.json")
	cfg.Demo.Catalog = filepath.Join(root, "data", "demo", "catalog.json")
	cfg.Store.Synchronous = "normal"
	return cfg
}

// TestStories runs every story in data/eval/stories against the real bot,
// one subtest per story, each on a fresh demo setup. A story marked known
// (a shortcoming of the bot reported to be fixed) is skipped with its
// diff when it fails, and fails the test once it passes.
func TestStories(t *testing.T) {
	requireORT(t)
	files, err := filepath.Glob(filepath.Join(repoRoot(t), "data", "eval", "stories", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no story files: %v", err)
	}
	stories, err := eval.ReadStoryFiles(files...)
	if err != nil {
		t.Fatal(err)
	}
	if raceEnabled {
		stories = firstOfEachFile(stories)
		t.Logf("under the race detector: the first story of each file, %d stories (make test runs them all without it)", len(stories))
	}
	sd := newStoryDriver(storyConfig(t), t.TempDir())
	t.Cleanup(func() { sd.Close() })
	d := &lastConv{storyDriver: sd}
	handoffs := 0
	for _, s := range stories {
		t.Run(s.Name, func(t *testing.T) {
			rep, err := eval.RunStories(t.Context(), d, []*eval.Story{s}, eval.RunOptions{Verbose: true})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Failed == 0 && checkHandoffSummary(t, d, s.Lang) {
				handoffs++
			}
			var b bytes.Buffer
			rep.WriteText(&b)
			switch {
			case rep.Failed > 0 && s.Known != "":
				t.Skipf("a known shortcoming of the bot:\n%s", b.String())
			case rep.Failed > 0:
				t.Error(b.String())
			case s.Known != "":
				t.Errorf("the story passes now: remove its known: marker (%s)", s.Known)
			}
		})
	}
	if handoffs == 0 {
		t.Error("no story handed off: the hand-off summaries were not checked")
	}
	t.Logf("hand-off summaries checked in %d stories", handoffs)
}

// firstOfEachFile keeps the first story of each file. Under the race
// detector a story takes seconds (a fresh demo setup each, the store and
// the knowledge base instrumented), and every story runs the same
// concurrent code: the store's committer and checkpointer, routing, the
// agent-assist push. One story per file still runs each flow, hand-off
// and queue path with the race detector on; `make test` runs every story
// once more without it (its test-stories step).
func firstOfEachFile(stories []*eval.Story) []*eval.Story {
	var out []*eval.Story
	seen := map[string]bool{}
	for _, s := range stories {
		if !seen[s.File] {
			seen[s.File] = true
			out = append(out, s)
		}
	}
	return out
}

// lastConv is a story driver that remembers the story's conversation.
type lastConv struct {
	*storyDriver
	conv string
}

func (d *lastConv) Start(ctx context.Context, s eval.StoryStart) (string, error) {
	conv, err := d.storyDriver.Start(ctx, s)
	d.conv = conv
	return conv, err
}

// checkHandoffSummary checks, for a story that ended with the bot handing
// the conversation to people, that the agent's hand-off summary says in
// the customer's language why, what was tried, what the customer wants
// and which order when the bot learnt one. It reports whether the story
// handed off.
func checkHandoffSummary(t *testing.T, d *lastConv, lang string) bool {
	t.Helper()
	ctx := t.Context()
	c, err := d.m.Conversations.Conversation(ctx, d.tenant, d.conv)
	if err != nil || c.Owner == assist.OwnerBot || c.Owner == assist.OwnerClosed {
		return false
	}
	st, _ := d.m.Conversations.State(ctx, d.tenant, d.conv)
	if st == nil || st.Escalation == nil {
		return false
	}
	sum, err := d.m.Assist.Summarize(ctx, d.tenant, d.conv)
	if err != nil {
		t.Fatal(err)
	}
	if lang == "" {
		lang = sum.Lang
	}
	switch {
	case sum.Lang != lang:
		t.Errorf("hand-off summary in %s, the customer wrote %s:\n%s", sum.Lang, lang, sum.Text)
	case sum.ReasonText == "" || !strings.Contains(sum.Text, sum.ReasonText):
		t.Errorf("hand-off summary does not say why:\n%s", sum.Text)
	case len(sum.Tried) == 0:
		t.Errorf("hand-off summary does not say what the bot did:\n%s", sum.Text)
	case st.Entities["order_id"] != "" && !strings.Contains(sum.Text, st.Entities["order_id"]):
		t.Errorf("hand-off summary lacks the order %s:\n%s", st.Entities["order_id"], sum.Text)
	case lastIntentOf(st) != "" && sum.IntentText == "":
		t.Errorf("hand-off summary lacks the intent:\n%s", sum.Text)
	case sum.Question != "" && dialog.AskedForHuman(sum.Question) != "" && len([]rune(sum.Question)) <= 12:
		t.Errorf("hand-off summary gives the request for a person as the problem:\n%s", sum.Text)
	}
	// The escalation's evidence is for routing: an agent reads plain words,
	// never its keys ("phrase: 转人工", "status: not_allowed").
	for k := range st.Escalation.Evidence {
		for _, shown := range []string{k + ":", k + "：", k + "=", "依据 " + k, "evidence " + k} {
			if strings.Contains(sum.Text, shown) {
				t.Errorf("hand-off summary shows the evidence key %q:\n%s", k, sum.Text)
			}
		}
	}
	t.Logf("hand-off summary:\n%s", sum.Text)
	return true
}

func lastIntentOf(st *dialog.State) string {
	for i := len(st.Intents) - 1; i >= 0; i-- {
		switch l := st.Intents[i].Label; l {
		case "greeting", "thanks", "goodbye", "human_agent":
		default:
			return l
		}
	}
	return ""
}

// The driver itself: a story that cannot pass fails with a diff, so the
// story test is not one that cannot fail; and an unknown backend mode is
// refused.
func TestStoryDriverCanFail(t *testing.T) {
	requireORT(t)
	d := newStoryDriver(storyConfig(t), t.TempDir())
	t.Cleanup(func() { d.Close() })
	stories, err := eval.ParseStories("inline.yaml", []byte(`
- name: impossible
  lang: en
  customer: demo-customer-1
  turns:
    - say: where is my order DD202611030001?
      expect:
        owner: closed
        reply_contains: [a text no bot says 9f3a]
`))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := eval.RunStories(t.Context(), d, stories, eval.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 1 || len(rep.Results[0].Turns) != 1 || len(rep.Results[0].Turns[0].Diffs) != 2 {
		t.Fatalf("want one failed turn with two diffs: %+v", rep.Results)
	}
	if df := rep.Results[0].Turns[0].Diffs; df[0].Field != "reply_contains" || df[1].Field != "owner" || df[1].Want != "closed" {
		t.Fatalf("diffs: %+v", df)
	}
	if _, err := d.Start(t.Context(), eval.StoryStart{Name: "x", Lang: "en", Backend: "flaky"}); err == nil {
		t.Fatal("unknown backend mode accepted")
	}
}

// `assist eval dialog`: exit code 0 when every story passes, 1 (with the
// report) when one fails; --json prints the report as JSON; a bad story
// file fails with an error naming file and line.
func TestEvalDialogCommand(t *testing.T) {
	requireORT(t)
	cfg := storyConfig(t)
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pass := write("pass.yaml", "- name: says hello\n  lang: en\n  turns:\n    - say: hello\n")
	fail := write("fail.yaml", "- name: cannot pass\n  lang: zh\n  customer: demo-customer-1\n  tags: [x]\n  turns:\n    - say: 你好\n      expect: {owner: closed}\n")
	bad := write("bad.yaml", "- name: typo\n  lang: en\n  turns:\n    - say: hi\n      expect: {ower: bot}\n")
	args := func(files ...string) []string {
		a := []string{"--set", "kb.demo_dir=" + cfg.KB.DemoDir, "--set", "demo.shop=" + cfg.Demo.Shop, "--set", "demo.catalog=" + cfg.Demo.Catalog,
			"eval", "dialog", "--intent-model", cfg.NLU.ModelDir, "--sentiment-model", cfg.Sentiment.ModelDir}
		for _, f := range files {
			a = append(a, "--data", f)
		}
		return a
	}
	if code, out, errOut := runAssist(t, args(pass)...); code != 0 || !strings.Contains(out, "stories: 1 passed, 0 failed (1 turns)") {
		t.Fatalf("passing story: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := runAssist(t, append(args(pass, fail), "--json")...)
	if code != 1 || !strings.Contains(errOut, "1 of 2 stories failed") {
		t.Fatalf("failing story: exit %d\n%s%s", code, out, errOut)
	}
	var rep eval.DialogReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("json report: %v\n%s", err, out)
	}
	if rep.Passed != 1 || rep.Failed != 1 || rep.PerTag["x"].Failed != 1 || rep.PerLang["zh"].Failed != 1 || len(rep.Failures) != 1 || rep.Failures[0] != "cannot pass" {
		t.Fatalf("report: %+v", rep)
	}
	if d := rep.Results[1].Turns[0].Diffs; len(d) != 1 || d[0].Field != "owner" || d[0].Want != "closed" {
		t.Fatalf("diffs: %+v", d)
	}
	if code, _, errOut := runAssist(t, args(bad)...); code != 1 || !strings.Contains(errOut, "bad.yaml: unmarshal errors:\n  line 5: field ower not found") {
		t.Fatalf("bad story file: exit %d %s", code, errOut)
	}
}
