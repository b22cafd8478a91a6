package eval

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/assistd/assist"
	"github.com/assistd/assist/eval/report"
)

// Recorded is a conversation as it happened, exported from the store (or
// written by hand): the customer's messages with the bot's replies to
// each, the intent the bot noted where it is still known, and whether and
// when the bot handed the conversation to a person.
type Recorded struct {
	ID             string         `json:"id"`
	Lang           string         `json:"lang,omitempty"`
	Customer       string         `json:"customer,omitempty"`
	Turns          []RecordedTurn `json:"turns"`
	EscalationTurn int            `json:"escalation_turn,omitempty"` // 1-based; 0: the bot kept it
	Reason         string         `json:"reason,omitempty"`          // the hand-off reason
}

// RecordedTurn is one customer message and what the bot answered.
type RecordedTurn struct {
	Say     string   `json:"say"`
	Replies []string `json:"replies"`
	Intent  string   `json:"intent,omitempty"`
}

// ReadRecorded reads JSON Lines of Recorded. Errors: EINVALID naming the
// first bad line.
func ReadRecorded(r io.Reader) ([]*Recorded, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 8<<20)
	var out []*Recorded
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var c Recorded
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			return nil, assist.Wrap(assist.EINVALID, err, fmt.Sprintf("line %d", n))
		}
		if len(c.Turns) == 0 || slices.ContainsFunc(c.Turns, func(t RecordedTurn) bool { return strings.TrimSpace(t.Say) == "" }) {
			return nil, assist.Errorf(assist.EINVALID, "line %d: a conversation needs turns, each with a customer message", n)
		}
		out = append(out, &c)
	}
	return out, sc.Err()
}

// WriteRecorded writes conversations as JSON Lines.
func WriteRecorded(w io.Writer, convs []*Recorded) error {
	enc := json.NewEncoder(w)
	for _, c := range convs {
		if err := enc.Encode(c); err != nil {
			return err
		}
	}
	return nil
}

// ReplayTurn is one turn whose outcome changed.
type ReplayTurn struct {
	Conversation string   `json:"conversation"`
	Turn         int      `json:"turn"`
	Say          string   `json:"say"`
	Before       []string `json:"before"`
	After        []string `json:"after"`
	IntentBefore string   `json:"intent_before,omitempty"`
	IntentAfter  string   `json:"intent_after,omitempty"`
}

// ReplayReport says what the current models and config would change in
// conversations that already happened.
type ReplayReport struct {
	Conversations  int `json:"conversations"`
	Turns          int `json:"turns"`           // turns replayed while the bot owned the conversation in both runs
	RepliesChanged int `json:"replies_changed"` // of those, turns whose replies differ
	IntentsKnown   int `json:"intents_known"`   // turns whose recorded intent is known
	IntentsChanged int `json:"intents_changed"`
	// Escalations: the same turn and reason, another reason, another
	// turn, new (the bot would now hand off), gone (it no longer would).
	EscalationSame   int          `json:"escalation_same"`
	EscalationReason int          `json:"escalation_reason_changed"`
	EscalationMoved  int          `json:"escalation_moved"`
	EscalationNew    int          `json:"escalation_new"`
	EscalationGone   int          `json:"escalation_gone"`
	Changed          []ReplayTurn `json:"changed"`
	Errors           []string     `json:"errors,omitempty"`
}

// RunReplay replays each recorded conversation through d, customer
// message by customer message, and compares. Turns after either run
// handed the conversation to a person are not compared (nobody's bot
// answered them). A driver error is noted and the replay goes on.
func RunReplay(ctx context.Context, d StoryDriver, convs []*Recorded) (*ReplayReport, error) {
	r := &ReplayReport{Conversations: len(convs)}
	for _, c := range convs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := replayOne(ctx, d, c, r); err != nil {
			r.Errors = append(r.Errors, fmt.Sprintf("%s: %v", c.ID, err))
		}
	}
	return r, nil
}

func replayOne(ctx context.Context, d StoryDriver, c *Recorded, r *ReplayReport) error {
	conv, err := d.Start(ctx, StoryStart{Name: c.ID, Customer: c.Customer, Lang: c.Lang})
	if err != nil {
		return err
	}
	escTurn, reason := 0, ""
	for i, t := range c.Turns {
		turn := i + 1
		replies, err := d.Say(ctx, conv, t.Say)
		if err != nil {
			return fmt.Errorf("turn %d: %w", turn, err)
		}
		obs, err := d.Observe(ctx, conv)
		if err != nil {
			return fmt.Errorf("turn %d: %w", turn, err)
		}
		got := Observed(obs, "bot")
		recordedBot := c.EscalationTurn == 0 || turn <= c.EscalationTurn
		if recordedBot {
			r.Turns++
			ch := ReplayTurn{Conversation: c.ID, Turn: turn, Say: t.Say, Before: t.Replies, After: replies}
			changed := !sameReplies(t.Replies, replies)
			if changed {
				r.RepliesChanged++
			}
			if t.Intent != "" {
				r.IntentsKnown++
				if got.Intent != t.Intent {
					r.IntentsChanged++
					ch.IntentBefore, ch.IntentAfter = t.Intent, got.Intent
					changed = true
				}
			}
			if changed {
				r.Changed = append(r.Changed, ch)
			}
		}
		if obs.Owner != "bot" {
			escTurn, reason = turn, got.Escalation
			if reason == None {
				reason = obs.Reason
			}
			break
		}
		if !recordedBot {
			break
		}
	}
	switch {
	case c.EscalationTurn == 0 && escTurn == 0:
	case c.EscalationTurn == 0:
		r.EscalationNew++
	case escTurn == 0:
		r.EscalationGone++
	case escTurn != c.EscalationTurn:
		r.EscalationMoved++
	case reason != c.Reason:
		r.EscalationReason++
	default:
		r.EscalationSame++
	}
	return nil
}

func sameReplies(a, b []string) bool {
	norm := func(s []string) string { return strings.Join(strings.Fields(strings.Join(s, "\n")), " ") }
	return norm(a) == norm(b)
}

// Report turns the replay into the shared format. Nothing in it is gated:
// a replay says what would change, not whether that is better.
func (r *ReplayReport) Report(inputs ...string) *report.Report {
	rep := report.New("replay", fmt.Sprintf("%d recorded conversations replayed through the current models and config", r.Conversations), inputs...)
	rep.Count("n_conversations", float64(r.Conversations))
	rep.Count("n_turns", float64(r.Turns))
	rep.Count("replies_changed", float64(r.RepliesChanged))
	rep.Count("replies_changed_share", ratio(r.RepliesChanged, r.Turns))
	rep.Count("intents_known", float64(r.IntentsKnown))
	rep.Count("intents_changed", float64(r.IntentsChanged))
	rep.Count("escalations_same", float64(r.EscalationSame))
	rep.Count("escalations_reason_changed", float64(r.EscalationReason))
	rep.Count("escalations_moved", float64(r.EscalationMoved))
	rep.Count("escalations_new", float64(r.EscalationNew))
	rep.Count("escalations_gone", float64(r.EscalationGone))
	labels := []string{"same", "other reason", "other turn", "new", "gone"}
	rep.Charts = append(rep.Charts, report.Bars("Escalations, replayed against recorded", labels,
		[]float64{float64(r.EscalationSame), float64(r.EscalationReason), float64(r.EscalationMoved), float64(r.EscalationNew), float64(r.EscalationGone)}, 0, "%.0f"))
	tab := report.Table{Title: "Turns that would change", Columns: []string{"conversation", "turn", "customer", "intent", "before", "after"}}
	for _, c := range r.Changed {
		intent := ""
		if c.IntentBefore != "" {
			intent = c.IntentBefore + " → " + c.IntentAfter
		}
		tab.Rows = append(tab.Rows, []string{c.Conversation, fmt.Sprint(c.Turn), c.Say, intent, strings.Join(c.Before, " | "), strings.Join(c.After, " | ")})
	}
	rep.Tables = append(rep.Tables, tab)
	if len(r.Errors) > 0 {
		e := report.Table{Title: "Conversations that could not be replayed", Columns: []string{"error"}}
		for _, s := range r.Errors {
			e.Rows = append(e.Rows, []string{s})
		}
		rep.Tables = append(rep.Tables, e)
	}
	rep.Details = r
	return rep
}
