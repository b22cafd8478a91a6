package dialog

import (
	"context"
	"strings"
	"testing"

	"github.com/assistd/assist"
)

// TestQuestionInTheThread: right after a help-center answer, a question
// the help center is unsure of alone is answered as continuing the
// answer when it is much surer of it so, or surer and the question says
// it links back; a question it is sure of alone is answered as it is.
func TestQuestionInTheThread(t *testing.T) {
	const (
		closing = "Close it under Account security; store credit and points are lost."
		credit  = "Refunds to store credit are instant."
		expiry  = "Points expire on 31 December of the next year."
	)
	nlu := script{
		"how do i close my account":    {label: "account_security", conf: 0.9},
		"will i lose my store credit":  {label: "account_balance", conf: 0.6},
		"do my points go too?":         {label: "membership", conf: 0.9},
		"do points expire?":            {label: "membership", conf: 0.9},
		"is there a student discount?": {label: "promotion_rules", conf: 0.9},
	}
	kb := map[string]article{
		"close my account": {closing, "Account", 0.8},
		"store credit":     {credit, "Refunds", 0.3},
		"close my account\nwill i lose my store credit": {closing, "Account", 0.75},
		"points go":                                      {"You earn 1 point per ¥1.", "Points", 0.5},
		"close my account\ndo my points go too?":         {closing, "Account", 0.58},
		"points expire":                                  {expiry, "Points", 0.7},
		"close my account\ndo points expire?":            {closing, "Account", 0.9},
		"close my account\nis there a student discount?": {closing, "Account", 0.32},
	}
	cases := []struct {
		name, say, reply, not string
	}{
		{"much surer in the thread", "will i lose my store credit", closing, credit},
		{"surer, and linked by too", "do my points go too?", closing, "1 point"},
		{"sure alone", "do points expire?", expiry, closing},
		{"not much surer, not linked", "is there a student discount?", "", closing},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := &Assistant{NLU: nlu, KB: &gradedHelpCenter{answers: kb}, Rules: DefaultRules()}
			conv := &assist.Conversation{ID: "c1", TenantID: "demo"}
			var st *State
			var r Reply
			for _, say := range []string{"how do i close my account", c.say} {
				var err error
				if r, err = a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: say}, State: st}); err != nil {
					t.Fatalf("%q: %v", say, err)
				}
				st = r.State
			}
			all := strings.Join(r.Messages, "\n")
			if !strings.Contains(all, c.reply) || strings.Contains(all, c.not) {
				t.Errorf("reply %q, want %q and no %q", all, c.reply, c.not)
			}
		})
	}
}

func TestAsksOwn(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"so what can I do", false},
		{"那怎么办", false},
		{"都过两天了还没退回来", false},
		{"我这会儿根本进不去app怎么弄", true},
		{"my phone number was changed as well and the codes go to it, what do i do", true},
	} {
		if got := asksOwn(c.text); got != c.want {
			t.Errorf("asksOwn(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

// A message set against the answer before it links back to it, for
// thread.go and followup.go alike (one list, linkWords: REVIEW11B 8).
func TestLinkedBut(t *testing.T) {
	for _, q := range []string{"but i opened it", "it came in a box though", "可是别的网站卖得更便宜", "但是我找不到发票了", "不过我是用优惠券买的"} {
		if !linked(q) {
			t.Errorf("linked(%q) = false, want true", q)
		}
	}
	for _, q := range []string{"is there a student discount?", "会员日有啥优惠"} {
		if linked(q) {
			t.Errorf("linked(%q) = true, want false", q)
		}
	}
}
