package eval

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog"
)

// Story is one scripted conversation: who the customer is, and what the
// bot must do after each thing they say. See the package documentation for
// the YAML format.
type Story struct {
	Name     string   `yaml:"name" json:"name"`
	Lang     string   `yaml:"lang" json:"lang"`                             // "zh" or "en": the conversation's language
	Customer string   `yaml:"customer,omitempty" json:"customer,omitempty"` // the conversation's customer_ref
	Backend  string   `yaml:"backend,omitempty" json:"backend,omitempty"`   // "" (working) or "down": every shop action fails
	Tags     []string `yaml:"tags,omitempty" json:"tags,omitempty"`
	// Known, when set, says why the bot is known to fail the story today.
	// The story still runs and still counts as failed; `go test` skips
	// it (with its diff) instead of failing, and fails once it passes so
	// the marker is removed.
	Known string      `yaml:"known,omitempty" json:"known,omitempty"`
	Turns []StoryTurn `yaml:"turns" json:"turns"`

	File string `yaml:"-" json:"file,omitempty"` // where the story was read from
	Line int    `yaml:"-" json:"line,omitempty"`
}

// StoryTurn is one customer message and what must hold after the bot's
// turn.
type StoryTurn struct {
	Say     string `yaml:"say" json:"say"`
	Restart bool   `yaml:"restart,omitempty" json:"restart,omitempty"` // restart the service before this turn
	Expect  Expect `yaml:"expect,omitempty" json:"expect"`

	Line int `yaml:"-" json:"line,omitempty"`
}

// Expect is what a turn must produce. Empty fields are not checked; "-"
// means "none" for Intent, Flow, Escalation and a slot value.
type Expect struct {
	Intent           string            `yaml:"intent,omitempty" json:"intent,omitempty"`
	Flow             string            `yaml:"flow,omitempty" json:"flow,omitempty"`
	Slots            map[string]string `yaml:"slots,omitempty" json:"slots,omitempty"`
	ReplyContains    []string          `yaml:"reply_contains,omitempty" json:"reply_contains,omitempty"`
	ReplyNotContains []string          `yaml:"reply_not_contains,omitempty" json:"reply_not_contains,omitempty"`
	// ReplyAny lists alternatives: at least one must appear in the replies
	// (the same fact in other words, or in either language).
	ReplyAny   []string `yaml:"reply_any,omitempty" json:"reply_any,omitempty"`
	Owner      string   `yaml:"owner,omitempty" json:"owner,omitempty"`
	Escalation string   `yaml:"escalation,omitempty" json:"escalation,omitempty"`
}

// None is the expectation value meaning "nothing": no intent, no active
// flow, no escalation, slot not filled.
const None = "-"

// Limits on story files.
const (
	MaxStoryFileBytes = 4 << 20
	MaxStoryTurns     = 50
)

// StoryStart is what a driver needs to open a story's conversation.
type StoryStart struct {
	Name     string
	Customer string // customer_ref, may be empty
	Lang     string // "zh" or "en"
	Backend  string // "" or "down"
}

// Observation is a conversation as seen after a turn.
type Observation struct {
	Owner  string        // bot, queue, agent or closed
	Reason string        // why the owner last changed (the hand-off reason)
	State  *dialog.State // the stored dialog state; nil when none
}

// StoryDriver runs stories against a bot. The runner calls Start once per
// story, then Restart (when a turn asks), Say and Observe for each turn.
type StoryDriver interface {
	// Start opens a conversation for a story and returns its handle.
	// Errors: EINVALID for a start the driver cannot set up (an unknown
	// backend mode), anything else from the service.
	Start(ctx context.Context, s StoryStart) (conv string, err error)
	// Say posts a customer message and returns the bot's replies, in
	// order (none when a person owns the conversation). Errors: the
	// service's (EINVALID for a refused message, ENOTFOUND for an unknown
	// conversation).
	Say(ctx context.Context, conv, text string) ([]string, error)
	// Observe returns the conversation's owner and its dialog state.
	// Errors: ENOTFOUND for an unknown conversation.
	Observe(ctx context.Context, conv string) (Observation, error)
	// Restart stops the service and starts a new one on the same
	// storage, as a process restart would; conversation handles stay
	// valid.
	Restart(ctx context.Context) error
}

// ReadStoryFile reads the stories in one YAML file.
func ReadStoryFile(path string) ([]*Story, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, assist.Errorf(assist.ENOTFOUND, "stories %s: no such file", path)
		}
		return nil, fmt.Errorf("stories %s: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxStoryFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("stories %s: %w", path, err)
	}
	return ParseStories(path, data)
}

// ReadStoryFiles reads several files, a folder standing for its *.yaml
// files in name order; story names must be unique across them.
func ReadStoryFiles(paths ...string) ([]*Story, error) {
	var all []*Story
	seen := map[string]*Story{}
	var files []string
	for _, p := range paths {
		if fi, err := os.Stat(p); err != nil || !fi.IsDir() {
			files = append(files, p) // ReadStoryFile reports a missing file
			continue
		}
		in, err := filepath.Glob(filepath.Join(p, "*.yaml"))
		if err != nil {
			return nil, fmt.Errorf("stories %s: %w", p, err)
		}
		files = append(files, in...)
	}
	for _, p := range files {
		ss, err := ReadStoryFile(p)
		if err != nil {
			return nil, err
		}
		for _, s := range ss {
			if o, ok := seen[s.Name]; ok {
				return nil, assist.Errorf(assist.EINVALID, "%s:%d: story %q is also at %s:%d", s.File, s.Line, s.Name, o.File, o.Line)
			}
			seen[s.Name] = s
		}
		all = append(all, ss...)
	}
	if len(all) == 0 {
		return nil, assist.Errorf(assist.EINVALID, "stories: no stories in %s", strings.Join(paths, ", "))
	}
	return all, nil
}

// ParseStories decodes a story file strictly (unknown fields are errors)
// and validates every story. Errors are EINVALID and name file:line.
func ParseStories(file string, data []byte) ([]*Story, error) {
	if len(data) > MaxStoryFileBytes {
		return nil, assist.Errorf(assist.ETOOLARGE, "%s: larger than %d bytes", file, MaxStoryFileBytes)
	}
	if !utf8.Valid(data) {
		return nil, assist.Errorf(assist.EINVALID, "%s: not valid UTF-8", file)
	}
	var stories []*Story
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&stories); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, assist.Errorf(assist.EINVALID, "%s: no stories", file)
		}
		return nil, assist.Errorf(assist.EINVALID, "%s: %s", file, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	// A second pass over the node tree gives every story and turn its line.
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, assist.Errorf(assist.EINVALID, "%s: %v", file, err)
	}
	var seq *yaml.Node
	if len(root.Content) == 1 && root.Content[0].Kind == yaml.SequenceNode {
		seq = root.Content[0]
	}
	if seq == nil || len(seq.Content) != len(stories) {
		return nil, assist.Errorf(assist.EINVALID, "%s: want a list of stories", file)
	}
	names := map[string]int{}
	for i, s := range stories {
		n := seq.Content[i]
		if s == nil {
			return nil, assist.Errorf(assist.EINVALID, "%s:%d: empty story", file, n.Line)
		}
		s.File, s.Line = file, n.Line
		if turns := mapValue(n, "turns"); turns != nil && turns.Kind == yaml.SequenceNode && len(turns.Content) == len(s.Turns) {
			for j := range s.Turns {
				s.Turns[j].Line = turns.Content[j].Line
			}
		}
		if err := s.validate(); err != nil {
			return nil, err
		}
		if l, ok := names[s.Name]; ok {
			return nil, assist.Errorf(assist.EINVALID, "%s:%d: story %q is also at line %d", file, s.Line, s.Name, l)
		}
		names[s.Name] = s.Line
	}
	return stories, nil
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func (s *Story) validate() error {
	at := func(line int, format string, args ...any) error {
		return assist.Errorf(assist.EINVALID, "%s:%d: story %q: %s", s.File, line, s.Name, fmt.Sprintf(format, args...))
	}
	switch {
	case strings.TrimSpace(s.Name) == "":
		return assist.Errorf(assist.EINVALID, "%s:%d: story without a name", s.File, s.Line)
	case s.Lang != "zh" && s.Lang != "en":
		return at(s.Line, "lang %q: want zh or en", s.Lang)
	case s.Backend != "" && s.Backend != "down":
		return at(s.Line, "backend %q: want down or nothing", s.Backend)
	case len(s.Turns) == 0:
		return at(s.Line, "no turns")
	case len(s.Turns) > MaxStoryTurns:
		return at(s.Line, "%d turns: at most %d", len(s.Turns), MaxStoryTurns)
	case len(s.Customer) > 200:
		return at(s.Line, "customer longer than 200 bytes")
	}
	for _, tag := range s.Tags {
		if strings.TrimSpace(tag) == "" {
			return at(s.Line, "empty tag")
		}
	}
	for i, t := range s.Turns {
		switch {
		case strings.TrimSpace(t.Say) == "":
			return at(t.Line, "turn %d: say is empty", i+1)
		case t.Restart && i == 0:
			return at(t.Line, "turn 1: restart before the first turn is meaningless")
		case t.Expect.Owner != "" && !slices.Contains([]string{"bot", "queue", "agent", "closed"}, t.Expect.Owner):
			return at(t.Line, "turn %d: owner %q: want bot, queue, agent or closed", i+1, t.Expect.Owner)
		}
		for k := range t.Expect.Slots {
			if strings.TrimSpace(k) == "" {
				return at(t.Line, "turn %d: empty slot name", i+1)
			}
		}
		for _, c := range slices.Concat(t.Expect.ReplyContains, t.Expect.ReplyNotContains, t.Expect.ReplyAny) {
			if strings.TrimSpace(c) == "" {
				return at(t.Line, "turn %d: empty reply text to look for", i+1)
			}
		}
	}
	return nil
}

// FieldDiff is one expectation a turn did not meet.
type FieldDiff struct {
	Field string `json:"field"` // intent, flow, slots.order_id, reply_contains, owner, escalation
	Want  string `json:"want"`
	Got   string `json:"got"`
}

// TurnResult is one turn of a story as it ran.
type TurnResult struct {
	Turn    int         `json:"turn"` // 1-based
	Line    int         `json:"line,omitempty"`
	Say     string      `json:"say"`
	Replies []string    `json:"replies"`
	Diffs   []FieldDiff `json:"diffs,omitempty"`
	Got     TurnState   `json:"got"`
	Latency float64     `json:"latency_ms"`
}

// StoryResult is one story's outcome. Turns holds the turns that failed
// (all of them with Verbose).
type StoryResult struct {
	Name   string       `json:"name"`
	File   string       `json:"file,omitempty"`
	Line   int          `json:"line,omitempty"`
	Lang   string       `json:"lang"`
	Tags   []string     `json:"tags,omitempty"`
	Passed bool         `json:"passed"`
	Known  string       `json:"known,omitempty"` // Story.Known
	Error  string       `json:"error,omitempty"` // the driver failed; the story did not finish
	Turns  []TurnResult `json:"turns,omitempty"`
}

// Tally counts passed and failed stories.
type Tally struct {
	Passed int `json:"passed"`
	Failed int `json:"failed"`
}

func (t *Tally) add(ok bool) {
	if ok {
		t.Passed++
	} else {
		t.Failed++
	}
}

// DialogReport is the story suite's report.
type DialogReport struct {
	Stories     int `json:"stories"`
	Passed      int `json:"passed"`
	Failed      int `json:"failed"`
	KnownFailed int `json:"known_failed"` // failed stories marked known
	Turns       int `json:"turns"`
	// The customer turns run, judged one by one: correct (every
	// expectation met), wrong (the bot answered, but not as expected),
	// no answer (an expectation unmet and no reply at all).
	TurnsCorrect  int               `json:"turns_correct"`
	TurnsWrong    int               `json:"turns_wrong"`
	TurnsNoAnswer int               `json:"turns_no_answer"`
	PerTag        map[string]*Tally `json:"per_tag,omitempty"`
	PerLang       map[string]*Tally `json:"per_lang"`
	LatencyP50Ms  float64           `json:"latency_p50_ms"` // Say: post to replies
	LatencyP99Ms  float64           `json:"latency_p99_ms"`
	Results       []StoryResult     `json:"results"`
	Failures      []string          `json:"failures,omitempty"` // names of the failed stories
	perTurn       []float64         // latencies, ms
}

// RunOptions tune RunStories.
type RunOptions struct {
	Verbose bool // keep every turn in the results, not only failed ones
	// Progress, when set, is called after each story.
	Progress func(r StoryResult)
}

// RunStories runs every story through d and compares what happened with
// what the story expects. A driver error fails the story (with Error set)
// and the suite goes on with the next; only a cancelled ctx stops it.
func RunStories(ctx context.Context, d StoryDriver, stories []*Story, opt RunOptions) (*DialogReport, error) {
	if len(stories) == 0 {
		return nil, assist.Errorf(assist.EINVALID, "eval dialog: no stories")
	}
	r := &DialogReport{PerLang: map[string]*Tally{}, PerTag: map[string]*Tally{}}
	for _, s := range stories {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		res := runStory(ctx, d, s, opt, r)
		r.Results = append(r.Results, res)
		r.Stories++
		if res.Passed {
			r.Passed++
		} else {
			r.Failed++
			r.Failures = append(r.Failures, s.Name)
			if s.Known != "" {
				r.KnownFailed++
			}
		}
		tally(r.PerLang, s.Lang).add(res.Passed)
		for _, tag := range s.Tags {
			tally(r.PerTag, tag).add(res.Passed)
		}
		if opt.Progress != nil {
			opt.Progress(res)
		}
	}
	if len(r.perTurn) > 0 {
		lat := slices.Clone(r.perTurn)
		sort.Float64s(lat)
		r.LatencyP50Ms, r.LatencyP99Ms = percentile(lat, 0.50), percentile(lat, 0.99)
	}
	if len(r.PerTag) == 0 {
		r.PerTag = nil
	}
	return r, nil
}

func tally(m map[string]*Tally, k string) *Tally {
	t := m[k]
	if t == nil {
		t = &Tally{}
		m[k] = t
	}
	return t
}

func runStory(ctx context.Context, d StoryDriver, s *Story, opt RunOptions, r *DialogReport) StoryResult {
	res := StoryResult{Name: s.Name, File: s.File, Line: s.Line, Lang: s.Lang, Tags: s.Tags, Known: s.Known, Passed: true}
	fail := func(turn int, err error) StoryResult {
		res.Passed = false
		if turn > 0 {
			res.Error = fmt.Sprintf("turn %d: %v", turn, err)
		} else {
			res.Error = err.Error()
		}
		return res
	}
	conv, err := d.Start(ctx, StoryStart{Name: s.Name, Customer: s.Customer, Lang: s.Lang, Backend: s.Backend})
	if err != nil {
		return fail(0, fmt.Errorf("start: %w", err))
	}
	owner := "bot"
	for i, t := range s.Turns {
		if t.Restart {
			if err := d.Restart(ctx); err != nil {
				return fail(i+1, fmt.Errorf("restart: %w", err))
			}
		}
		start := time.Now()
		replies, err := d.Say(ctx, conv, t.Say)
		ms := float64(time.Since(start).Microseconds()) / 1000
		if err != nil {
			return fail(i+1, err)
		}
		r.Turns++
		r.perTurn = append(r.perTurn, ms)
		obs, err := d.Observe(ctx, conv)
		if err != nil {
			return fail(i+1, fmt.Errorf("observe: %w", err))
		}
		diffs := Compare(t.Expect, replies, obs, owner)
		got := Observed(obs, owner)
		owner = obs.Owner
		switch {
		case len(diffs) == 0:
			r.TurnsCorrect++
		case len(replies) == 0:
			r.TurnsNoAnswer++
		default:
			r.TurnsWrong++
		}
		if len(diffs) > 0 {
			res.Passed = false
		}
		if len(diffs) > 0 || opt.Verbose {
			res.Turns = append(res.Turns, TurnResult{Turn: i + 1, Line: t.Line, Say: t.Say, Replies: replies, Diffs: diffs, Got: got, Latency: ms})
		}
	}
	return res
}

// Compare checks one turn's expectations against the replies and the
// conversation after the turn; before is the owner before the turn ("" or
// "bot": the bot ran the turn). It returns the unmet expectations, field
// by field.
//
//   - intent: the label of the newest State.Intents note when it was
//     recorded this turn (Turn == State.Turns), else none.
//   - flow: State.Flow's name, none without an active flow.
//   - slots: each named value in the active flow's slots, or, without an
//     active flow (one that ended this turn), in State.Entities (the last
//     value per entity type; shipped flows name slots after their types).
//   - escalation: State.Escalation's reason when it fired this turn, else
//     the hand-off reason when the owner left the bot this turn, else none.
//
// A turn the bot did not run (a person owned the conversation) has no
// intent and no escalation.
func Compare(e Expect, replies []string, obs Observation, before string) []FieldDiff {
	got := Observed(obs, before)
	var diffs []FieldDiff
	check := func(field, want, got string) {
		if want != "" && want != got {
			diffs = append(diffs, FieldDiff{Field: field, Want: want, Got: got})
		}
	}
	check("intent", e.Intent, got.Intent)
	check("flow", e.Flow, got.Flow)
	keys := make([]string, 0, len(e.Slots))
	for k := range e.Slots {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := got.Slots[k]
		if v == "" {
			v = None
		}
		want := e.Slots[k]
		if want == "" {
			want = None
		}
		check("slots."+k, want, v)
	}
	all := strings.ToLower(strings.Join(replies, "\n"))
	shown := strings.Join(replies, " | ")
	if shown == "" {
		shown = "(no reply)"
	}
	for _, c := range e.ReplyContains {
		if !strings.Contains(all, strings.ToLower(c)) {
			diffs = append(diffs, FieldDiff{Field: "reply_contains", Want: c, Got: shown})
		}
	}
	for _, c := range e.ReplyNotContains {
		if strings.Contains(all, strings.ToLower(c)) {
			diffs = append(diffs, FieldDiff{Field: "reply_not_contains", Want: c, Got: shown})
		}
	}
	if len(e.ReplyAny) > 0 && !slices.ContainsFunc(e.ReplyAny, func(c string) bool {
		return strings.Contains(all, strings.ToLower(c))
	}) {
		diffs = append(diffs, FieldDiff{Field: "reply_any", Want: strings.Join(e.ReplyAny, " | "), Got: shown})
	}
	check("owner", e.Owner, got.Owner)
	check("escalation", e.Escalation, got.Escalation)
	return diffs
}

// TurnState is what a turn left, in the terms of Expect ("-" for none).
type TurnState struct {
	Intent     string            `json:"intent"`
	Flow       string            `json:"flow"`
	Slots      map[string]string `json:"slots,omitempty"` // the active flow's, else the remembered entities
	Owner      string            `json:"owner"`
	Escalation string            `json:"escalation"`
}

// Observed reads obs as Compare does; before is the owner before the turn.
func Observed(obs Observation, before string) TurnState {
	st := obs.State
	if st == nil {
		st = &dialog.State{}
	}
	// A turn sent while a person owns the conversation is not the bot's:
	// nothing it notes, and no escalation, is this turn's.
	botTurn := before == "" || before == "bot"
	t := TurnState{Intent: None, Flow: None, Owner: obs.Owner, Escalation: None, Slots: st.Entities}
	if n := len(st.Intents); botTurn && n > 0 && st.Intents[n-1].Turn == st.Turns {
		t.Intent = st.Intents[n-1].Label
	}
	if st.Flow != nil && st.Flow.Flow != "" {
		t.Flow = st.Flow.Flow
		t.Slots = st.Flow.Slots
	}
	switch {
	case !botTurn:
	case st.Escalation != nil && st.Escalation.Turn == st.Turns && st.Escalation.Reason != "":
		t.Escalation = st.Escalation.Reason
	case obs.Owner != "bot" && obs.Reason != "":
		t.Escalation = obs.Reason
	}
	return t
}

// WriteText prints the report for people: the failed stories first, each
// turn kept (the failed ones; every one with RunOptions.Verbose) with
// what happened and its diffs, then the totals per language and tag, and
// latency.
func (r *DialogReport) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, s := range r.Results {
		if s.Passed {
			continue
		}
		fmt.Fprintf(&b, "FAIL %s (%s:%d)\n", s.Name, s.File, s.Line)
		if s.Known != "" {
			fmt.Fprintf(&b, "  known: %s\n", s.Known)
		}
		if s.Error != "" {
			fmt.Fprintf(&b, "  error: %s\n", s.Error)
		}
		for _, t := range s.Turns {
			mark := "ok"
			if len(t.Diffs) > 0 {
				mark = "FAIL"
			}
			fmt.Fprintf(&b, "  turn %d (line %d) %s %q\n", t.Turn, t.Line, mark, t.Say)
			fmt.Fprintf(&b, "    got: intent %s, flow %s, owner %s, escalation %s; replies %q\n", t.Got.Intent, t.Got.Flow, t.Got.Owner, t.Got.Escalation, t.Replies)
			for _, d := range t.Diffs {
				fmt.Fprintf(&b, "    %-18s want %q\n    %-18s got  %q\n", d.Field, d.Want, "", d.Got)
			}
		}
	}
	fmt.Fprintf(&b, "stories: %d passed, %d failed (%d turns)\n", r.Passed, r.Failed, r.Turns)
	if r.Stories > 0 {
		fmt.Fprintf(&b, "  pass rate %.1f%%; turns: %d correct, %d wrong, %d no answer\n",
			100*float64(r.Passed)/float64(r.Stories), r.TurnsCorrect, r.TurnsWrong, r.TurnsNoAnswer)
	}
	if r.KnownFailed > 0 {
		fmt.Fprintf(&b, "  of the failed, %d are known shortcomings (known:)\n", r.KnownFailed)
	}
	writeTallies(&b, "lang", r.PerLang)
	writeTallies(&b, "tag", r.PerTag)
	fmt.Fprintf(&b, "turn latency: p50 %.2f ms, p99 %.2f ms\n", r.LatencyP50Ms, r.LatencyP99Ms)
	_, err := io.WriteString(w, b.String())
	return err
}

func writeTallies(b *strings.Builder, what string, m map[string]*Tally) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t := m[k]
		fmt.Fprintf(b, "  %s %-28s %3d/%-3d passed\n", what, k, t.Passed, t.Passed+t.Failed)
	}
}
