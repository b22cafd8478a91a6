package eval

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/assistd/assist"
	"github.com/assistd/assist/eval/report"
)

// EscalationCase is one labelled conversation of the escalation suite:
// what the customer says, turn by turn, and whether a good bot hands the
// conversation to a person, by which turn and why.
//
//   - name: fed up after three tries
//     lang: en
//     customer: demo-customer-2   # optional
//     escalate: true
//     by_turn: 3                  # required when escalate is true
//     reason: negative_trend      # optional: the expected reason code
//     turns: ["where is my parcel", "that's not what I asked", "useless. absolutely useless"]
type EscalationCase struct {
	Name     string   `yaml:"name" json:"name"`
	Lang     string   `yaml:"lang" json:"lang"`
	Customer string   `yaml:"customer,omitempty" json:"customer,omitempty"`
	Escalate bool     `yaml:"escalate" json:"escalate"`
	ByTurn   int      `yaml:"by_turn,omitempty" json:"by_turn,omitempty"`
	Reason   string   `yaml:"reason,omitempty" json:"reason,omitempty"`
	Turns    []string `yaml:"turns" json:"turns"`

	File string `yaml:"-" json:"file,omitempty"`
}

// ReadEscalationFiles reads escalation cases from YAML files (a list of
// cases each). Errors: EINVALID naming the file and case for a case
// without turns, a by_turn outside its turns, or an unknown field.
func ReadEscalationFiles(paths ...string) ([]*EscalationCase, error) {
	var out []*EscalationCase
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		if len(b) > MaxStoryFileBytes {
			return nil, assist.Errorf(assist.EINVALID, "%s: larger than %d bytes", p, MaxStoryFileBytes)
		}
		var cases []*EscalationCase
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		if err := dec.Decode(&cases); err != nil && !errors.Is(err, io.EOF) {
			return nil, assist.Wrap(assist.EINVALID, err, p)
		}
		for i, c := range cases {
			if c == nil {
				return nil, assist.Errorf(assist.EINVALID, "%s: case %d is empty", p, i+1)
			}
			c.File = p
			switch {
			case strings.TrimSpace(c.Name) == "":
				return nil, assist.Errorf(assist.EINVALID, "%s: case %d has no name", p, i+1)
			case len(c.Turns) == 0 || len(c.Turns) > MaxStoryTurns:
				return nil, assist.Errorf(assist.EINVALID, "%s: %q: want 1 to %d turns", p, c.Name, MaxStoryTurns)
			case c.Escalate && (c.ByTurn < 1 || c.ByTurn > len(c.Turns)):
				return nil, assist.Errorf(assist.EINVALID, "%s: %q: by_turn %d is not one of its %d turns", p, c.Name, c.ByTurn, len(c.Turns))
			case slices.ContainsFunc(c.Turns, func(s string) bool { return strings.TrimSpace(s) == "" }):
				return nil, assist.Errorf(assist.EINVALID, "%s: %q: an empty turn", p, c.Name)
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// EscalationResult is what the bot did with one case.
type EscalationResult struct {
	Name       string `json:"name"`
	Lang       string `json:"lang"`
	File       string `json:"file,omitempty"`
	Want       bool   `json:"want"`
	Got        bool   `json:"got"`
	WantTurn   int    `json:"want_turn,omitempty"`
	GotTurn    int    `json:"got_turn,omitempty"` // the turn after which a person owned it
	WantReason string `json:"want_reason,omitempty"`
	GotReason  string `json:"got_reason,omitempty"`
	Error      string `json:"error,omitempty"`
}

// OnTime says whether a wanted escalation happened by its turn.
func (r EscalationResult) OnTime() bool { return r.Want && r.Got && r.GotTurn <= r.WantTurn }

// ReasonTally counts, for one expected reason, the cases and those the bot
// escalated (Caught), escalated in time (OnTime) and for that reason
// (SameReason).
type ReasonTally struct {
	Cases      int `json:"cases"`
	Caught     int `json:"caught"`
	OnTime     int `json:"on_time"`
	SameReason int `json:"same_reason"`
}

// EscalationReport is the escalation suite's report. Precision and recall
// are of escalating at all; OnTime is the share of wanted escalations
// that happened by their turn; MeanTurnsLate is how many turns after the
// wanted one, on average, the caught-but-late ones came.
type EscalationReport struct {
	Cases         int                     `json:"cases"`
	Precision     float64                 `json:"precision"`
	Recall        float64                 `json:"recall"`
	F1            float64                 `json:"f1"`
	OnTime        float64                 `json:"on_time"`
	MeanTurns     float64                 `json:"mean_turns"`      // turns to escalation, over caught cases
	MeanTurnsLate float64                 `json:"mean_turns_late"` // over caught-but-late cases
	ReasonMatch   float64                 `json:"reason_match"`    // caught cases with the expected reason
	PerReason     map[string]*ReasonTally `json:"per_reason"`
	PerLang       map[string]*PRF         `json:"per_lang"`
	Results       []EscalationResult      `json:"results"`
}

// RunEscalation plays each case through d, turn by turn, until the bot
// hands the conversation to a person or the turns run out, and scores the
// outcome. A driver error fails the case (as not escalated) and the suite
// goes on; only a cancelled ctx stops it.
func RunEscalation(ctx context.Context, d StoryDriver, cases []*EscalationCase) (*EscalationReport, error) {
	var results []EscalationResult
	for _, c := range cases {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r := EscalationResult{Name: c.Name, Lang: c.Lang, File: c.File, Want: c.Escalate, WantTurn: c.ByTurn, WantReason: c.Reason}
		if err := playEscalation(ctx, d, c, &r); err != nil {
			r.Error = err.Error()
		}
		results = append(results, r)
	}
	return ScoreEscalation(results), nil
}

func playEscalation(ctx context.Context, d StoryDriver, c *EscalationCase, r *EscalationResult) error {
	conv, err := d.Start(ctx, StoryStart{Name: c.Name, Customer: c.Customer, Lang: c.Lang})
	if err != nil {
		return err
	}
	for i, say := range c.Turns {
		if _, err := d.Say(ctx, conv, say); err != nil {
			return fmt.Errorf("turn %d: %w", i+1, err)
		}
		obs, err := d.Observe(ctx, conv)
		if err != nil {
			return fmt.Errorf("turn %d: %w", i+1, err)
		}
		if obs.Owner != "bot" {
			r.Got, r.GotTurn = true, i+1
			r.GotReason = Observed(obs, "bot").Escalation
			if r.GotReason == None {
				r.GotReason = obs.Reason
			}
			return nil
		}
	}
	return nil
}

// ScoreEscalation computes the report of results.
func ScoreEscalation(results []EscalationResult) *EscalationReport {
	r := &EscalationReport{Cases: len(results), PerReason: map[string]*ReasonTally{}, PerLang: map[string]*PRF{}, Results: results}
	prf := func(rs []EscalationResult) PRF {
		var tp, fp, fn int
		for _, x := range rs {
			switch {
			case x.Want && x.Got:
				tp++
			case x.Got:
				fp++
			case x.Want:
				fn++
			}
		}
		p := PRF{Precision: ratio(tp, tp+fp), Recall: ratio(tp, tp+fn), Support: tp + fn}
		if p.Precision+p.Recall > 0 {
			p.F1 = 2 * p.Precision * p.Recall / (p.Precision + p.Recall)
		}
		return p
	}
	all := prf(results)
	r.Precision, r.Recall, r.F1 = all.Precision, all.Recall, all.F1
	byLang := map[string][]EscalationResult{}
	var wanted, onTime, caught, late, turns, lateTurns, same int
	for _, x := range results {
		byLang[x.Lang] = append(byLang[x.Lang], x)
		if !x.Want {
			continue
		}
		wanted++
		reason := x.WantReason
		if reason == "" {
			reason = "(any)"
		}
		t := r.PerReason[reason]
		if t == nil {
			t = &ReasonTally{}
			r.PerReason[reason] = t
		}
		t.Cases++
		if !x.Got {
			continue
		}
		caught++
		t.Caught++
		turns += x.GotTurn
		if x.OnTime() {
			onTime++
			t.OnTime++
		} else {
			late++
			lateTurns += x.GotTurn - x.WantTurn
		}
		if x.WantReason == "" || x.WantReason == x.GotReason {
			same++
			t.SameReason++
		}
	}
	for l, rs := range byLang {
		p := prf(rs)
		r.PerLang[l] = &p
	}
	r.OnTime = ratio(onTime, wanted)
	r.MeanTurns = ratio(turns, caught)
	r.MeanTurnsLate = ratio(lateTurns, late)
	r.ReasonMatch = ratio(same, caught)
	return r
}

// Report turns the escalation report into the shared format.
func (r *EscalationReport) Report(inputs ...string) *report.Report {
	rep := report.New("escalation", fmt.Sprintf("%d labelled conversations", r.Cases), inputs...)
	rep.Count("n_cases", float64(r.Cases))
	rep.Add("precision", r.Precision, report.Higher)
	rep.Add("recall", r.Recall, report.Higher)
	rep.Add("f1", r.F1, report.Higher)
	rep.Add("on_time", r.OnTime, report.Higher)
	rep.Add("reason_match", r.ReasonMatch, report.Higher)
	rep.Count("mean_turns_to_escalation", r.MeanTurns)
	rep.Count("mean_turns_late", r.MeanTurnsLate)
	for _, l := range sortedKeys(r.PerLang) {
		p := r.PerLang[l]
		rep.Add("lang."+l+".precision", p.Precision, report.Higher)
		rep.Add("lang."+l+".recall", p.Recall, report.Higher)
	}
	reasons := sortedKeys(r.PerReason)
	recall := make([]float64, len(reasons))
	tab := report.Table{Title: "Per expected reason", Columns: []string{"reason", "cases", "escalated", "in time", "for that reason"}}
	for i, k := range reasons {
		t := r.PerReason[k]
		recall[i] = ratio(t.Caught, t.Cases)
		tab.Rows = append(tab.Rows, []string{k, fmt.Sprint(t.Cases), fmt.Sprint(t.Caught), fmt.Sprint(t.OnTime), fmt.Sprint(t.SameReason)})
	}
	wrong := report.Table{Title: "Cases the bot got wrong (missed, late, needless or for another reason)", Columns: []string{"case", "wanted", "got"}}
	for _, x := range r.Results {
		reasonOK := !x.Got || x.WantReason == "" || x.WantReason == x.GotReason
		if x.Want == x.Got && (!x.Want || x.OnTime()) && reasonOK && x.Error == "" {
			continue
		}
		want, got := "no hand-off", "no hand-off"
		if x.Want {
			want = fmt.Sprintf("by turn %d (%s)", x.WantTurn, x.WantReason)
		}
		if x.Got {
			got = fmt.Sprintf("turn %d (%s)", x.GotTurn, x.GotReason)
		}
		if x.Error != "" {
			got = "error: " + x.Error
		}
		wrong.Rows = append(wrong.Rows, []string{x.Name, want, got})
	}
	rep.Tables = append(rep.Tables, tab, wrong)
	rep.Charts = append(rep.Charts, report.Bars("Escalated, per expected reason (recall)", reasons, recall, 1, "%.2f"))
	rep.Details = r
	return rep
}
