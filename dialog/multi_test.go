package dialog

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog/flow"
)

// A message holding several questions is cut where the next one plainly
// starts; one question, or parts too short to read alone, stay whole.
func TestSplitQuestions(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"where's my lamp and where's my keyboard", []string{"where's my lamp", "where's my keyboard"}},
		{"two things - wheres my hoodie, and has the jeans refund come through yet", []string{"wheres my hoodie", "has the jeans refund come through yet"}},
		{"where's the charger and cables i ordered? also whats the free shipping minimum again", []string{"where's the charger and cables i ordered?", "whats the free shipping minimum again"}},
		{"whats your phone number and when are you open", []string{"whats your phone number", "when are you open"}},
		{"被套那单还没付款，能改成king的吗？还有我有两张券能一起用吗", []string{"被套那单还没付款，能改成king的吗？", "我有两张券能一起用吗"}},
		{"我的外套到哪了？另外发票怎么开", []string{"我的外套到哪了？", "发票怎么开"}},
		// One question.
		{"where's the charger and cables i ordered?", nil},
		{"can I return the shoes and get a refund", nil},
		{"退货和换货有什么区别", nil},
		{"沙发上门组装要另外收人工费吗", nil},
		{"这件外套现在还有没有黑色的", nil},
		{"床架安装是不是要另外付钱给师傅", nil},
		{"我的外套到哪了 另外发票怎么开", []string{"我的外套到哪了", "发票怎么开"}},
		// Too short to read alone.
		{"ok? and the lamp", nil},
		{"？？？", nil},
		{"İSTANBUL? and where's my lamp now", nil},
		{"", nil},
	} {
		if got := splitQuestions(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("%q: %q, want %q", tc.text, got, tc.want)
		}
	}
}

// Each question of a message gets its answer, in order, in one reply; a
// help-center topic asked two ways is said once, and each of its questions
// reaches the help center (a written answer to one says nothing of the
// other).
func TestSeveralQuestions(t *testing.T) {
	flows, err := flow.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		say  string
		nlu  script
		want []string // in this order
		not  []string
		// asked are the questions the help center must answer, each
		// (alone or read after the part before); it answers no other.
		asked []string
	}{
		{say: "where's my desk lamp and where's my charger",
			want: []string{"DD202612050001", "DD202612030002"}},
		{say: "两个问题：充电器到哪了？另外退款多久到账",
			nlu:  script{"退款多久到账": {label: "refund_policy"}},
			want: []string{"DD202612030002", "1-3 days"}, asked: []string{"退款多久到账"}},
		{say: "is the sale still on? how much off do I get",
			nlu:  script{"is the sale still on?": {label: "promotion_rules"}, "how much off do I get": {label: "promotion_rules"}, "is the sale still on? how much off do I get": {label: "promotion_rules"}},
			want: []string{"50 off every 300"}, not: []string{"DD2026"}, asked: []string{"is the sale still on?", "how much off do I get"}},
	} {
		t.Run(tc.say, func(t *testing.T) {
			shop := &closet{}
			engine, err := flow.NewEngine(flows, shop)
			if err != nil {
				t.Fatal(err)
			}
			nlu := tc.nlu
			if nlu == nil {
				nlu = script{}
			}
			kb := &helpCenter{answers: map[string]string{"退款": "1-3 days", "sale": "50 off every 300"}}
			a := &Assistant{NLU: nlu, KB: kb, Flows: engine, Rules: DefaultRules()}
			conv := &assist.Conversation{ID: "c", TenantID: "demo", CustomerRef: "c1"}
			r, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: tc.say}})
			if err != nil {
				t.Fatal(err)
			}
			all := strings.Join(r.Messages, "\n")
			at := 0
			for _, w := range tc.want {
				i := strings.Index(all[at:], w)
				if i < 0 {
					t.Fatalf("reply %q, want %q (in order of %q)", all, w, tc.want)
				}
				at += i
			}
			for _, w := range tc.not {
				if strings.Contains(all, w) {
					t.Errorf("reply %q, want no %q", all, w)
				}
			}
			for i, m := range r.Messages {
				if slices.Contains(r.Messages[:i], m) {
					t.Errorf("reply %q says %q twice, want once", all, m)
				}
			}
			for _, q := range tc.asked {
				if !slices.ContainsFunc(kb.written, func(w string) bool { return strings.Contains(w, q) }) {
					t.Errorf("help center wrote answers to %q, none to %q", kb.written, q)
				}
			}
			if len(kb.written) > len(tc.asked) {
				t.Errorf("help center wrote answers to %q, want one per question of %q", kb.written, tc.asked)
			}
		})
	}
}
