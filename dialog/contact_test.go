package dialog

import (
	"context"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/rag"
	"github.com/assistd/assist/sentiment"
)

// An angry customer whose call went unanswered, or one who asks for a
// manager, is handed to a person, not given the shop's phone hours; a
// courier's phone or a phone case is no question about reaching the shop.
func TestContactIsNoHandOffDodge(t *testing.T) {
	kb := map[string]string{"电话": "客服电话 400-800-1234，9:00-21:00。", "phone": "Call 400-800-1234, 9:00-21:00."}
	angry := negative(-0.9, 0.95)
	for _, tc := range []struct {
		say, label, handoff string
		angry               bool
	}{
		{say: "你们客服电话打不通 我要投诉！", label: "complaint", handoff: ReasonAnger, angry: true},
		{say: "客服电话打不通，我要投诉你们", label: "complaint", handoff: ReasonComplaint},
		{say: "I called three times and nobody picks up, get me a manager now", label: "complaint", handoff: ReasonCustomerRequest, angry: true},
		{say: "打了好几次你们热线都没人接，我要投诉", label: "complaint", handoff: ReasonComplaint},
		{say: "i rang your support line twice, no one answered, let me speak to a supervisor", label: "human_agent", handoff: ReasonCustomerRequest},
	} {
		s := story{name: tc.say, nlu: script{tc.say: {label: tc.label}}, kb: kb,
			steps: []step{{say: tc.say, handoff: tc.handoff, not: []string{"400-800-1234"}}}}
		if tc.angry {
			s.moods = map[string]sentiment.Score{tc.say: angry}
		}
		play(t, s)
	}
	for _, text := range []string{
		"快递员电话一直没人接，包裹到底在哪",
		"do you have a phone case for the iphone 15?",
		"got a phone holder in black?",
		"送货的师傅电话打不通",
		"is there a phone stand that fits a tablet",
	} {
		if asksContact(text) {
			t.Errorf("asksContact(%q) = true, want false: not about reaching the shop", text)
		}
	}
	for _, text := range []string{
		"do you have a phone number I can call",
		"你们电话打不通啊，还有别的联系方式吗",
		"your hotline never picks up, is there an email",
		"客服热线是多少",
	} {
		if !asksContact(text) {
			t.Errorf("asksContact(%q) = false, want true", text)
		}
	}
}

// gapDesk is a help center that, like rag.Service, records a knowledge
// gap for a question it declines unless the question is a re-reading.
type gapDesk struct {
	helpCenter
	gaps []string
}

func (g *gapDesk) AnswerDraft(ctx context.Context, req rag.AnswerRequest, d rag.Draft, onDelta func(string) error) (rag.Answer, error) {
	ans, err := g.helpCenter.AnswerDraft(ctx, req, d, onDelta)
	if err == nil && !ans.Known && !req.Reread {
		g.gaps = append(g.gaps, req.Question)
	}
	return ans, err
}

// A customer who asks how to reach the shop and gets the phone line has
// been answered: the knowledge manager finds no gap for that question,
// although the bot also looked up the customer's own words.
func TestAnsweredContactQuestionLeavesNoGap(t *testing.T) {
	for _, say := range []string{"你们客服电话多少 我铂金的", "what's the number to call you guys, i'm a platinum member"} {
		kb := &gapDesk{helpCenter: helpCenter{answers: map[string]string{"怎么联系你们": "客服电话 400-800-1234，9:00-21:00。", "How do I reach you": "Call 400-800-1234, 9:00-21:00."}}}
		a := &Assistant{NLU: script{}, KB: kb, Rules: DefaultRules()}
		conv := &assist.Conversation{ID: "c1", TenantID: "demo", Lang: "en"}
		r, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: say}})
		if err != nil {
			t.Fatal(err)
		}
		if all := strings.Join(r.Messages, "\n"); !strings.Contains(all, "400-800-1234") {
			t.Errorf("%q: reply %q, want the phone line", say, all)
		}
		if len(kb.gaps) > 0 {
			t.Errorf("%q: gaps recorded %q for an answered question", say, kb.gaps)
		}
	}
}

// A question about a labour charge or a courier's agent, that the intent
// model reads as a request for a person, is answered, not queued; asked
// with a person's words as well, it still hands off.
func TestLabourChargeIsNoPersonAsked(t *testing.T) {
	kb := map[string]string{"人工费": "上门安装免费，不另收人工费。", "labour": "Installation is free: no labour charge."}
	for _, say := range []string{
		"沙发上门组装要另外收人工费吗",
		"床架安装的人工费怎么算",
		"人工成本是算在运费里了吗",
		"the delivery agent left it at the gate, can it go to a locker next time?",
	} {
		play(t, story{name: say, nlu: script{say: {label: "human_agent", conf: 0.8}}, kb: kb,
			steps: []step{{say: say, handoff: ""}}})
	}
	for _, say := range []string{"人工费太贵了，我要转人工", "the delivery agent was rude, put me through to a supervisor"} {
		play(t, story{name: say, nlu: script{say: {label: "human_agent", conf: 0.8}}, kb: kb,
			steps: []step{{say: say, handoff: ReasonCustomerRequest}}})
	}
}
