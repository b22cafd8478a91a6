package dialog

import (
	"context"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/sentiment"
)

// A plain question the sentiment model wrongly scores as angry (its words
// alone, no sign of hostility) is answered by the bot; a message with the
// same score that shouts, exclaims, insults or complains is handed off as
// anger.
func TestAngerNotReadFromPlainQuestions(t *testing.T) {
	const answer = "We can send a fitter for ¥60."
	angry := negative(-0.9, 0.92) // what the model says of all of them
	cases := []struct {
		say     string
		handoff bool
	}{
		// neutral questions, in words of our own
		{"新买的衣柜你们能安排人上门组装吗？要加钱吗？", false},
		{"我们是做陶瓷餐具的厂家，想入驻你们商城，需要准备什么？", false},
		{"你们有安装师傅上门吗？", false},
		{"We make scented candles and want to sell them on your marketplace, who handles supplier applications?", false},
		{"Can you send a fitter to mount the TV bracket I bought from you, and what does it cost?", false},
		// angry ones
		{"你们有安装师傅上门吗？？说好的上门呢", true},
		{"等了三天师傅还不来！你们到底管不管！", true},
		{"你们这种骗子商城还有安装师傅？", true},
		{"装了两天就松了，你们就派这种师傅？", true},
		{"you call this a fitter service?", true},
		{"I've asked THREE TIMES WHERE IS THE FITTER", true},
		{"your fitter never showed up again, what a joke. Can you send a fitter or not?", true},
		{"Is anyone going to send the fitter you promised?!", true},
	}
	for _, c := range cases {
		t.Run(c.say, func(t *testing.T) {
			kb := &helpCenter{answers: map[string]string{"师傅": answer, "fitter": answer, "入驻": answer, "marketplace": answer, "上门": answer}}
			a := &Assistant{NLU: script{}, Sentiment: moods{scores: map[string]sentiment.Score{c.say: angry}}, KB: kb, Rules: DefaultRules()}
			conv := &assist.Conversation{ID: "c1", TenantID: "demo", Lang: "en"}
			r, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: c.say}})
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Handoff != nil; got != c.handoff {
				t.Fatalf("handed off %v, want %v; reply %q", got, c.handoff, r.Messages)
			}
			if !c.handoff && !strings.Contains(strings.Join(r.Messages, "\n"), answer) {
				t.Errorf("reply %q, want the answer", r.Messages)
			}
			if c.handoff && r.Handoff.Reason != ReasonAnger {
				t.Errorf("handed off for %s, want anger", r.Handoff.Reason)
			}
		})
	}
}
