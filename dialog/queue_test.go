package dialog

import (
	"context"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/sentiment"
)

// What a customer waiting for a person writes, and what the bot reads in it.
func TestWhileWaitingReadings(t *testing.T) {
	for _, tc := range []struct {
		text                 string
		leaves, wait, person bool
	}{
		{text: "nvm i'll figure it out myself", leaves: true},
		{text: "ok I don't need anyone anymore, I'll sort it out on my own", leaves: true},
		{text: "哦那不用等人工了 谢谢", leaves: true},
		{text: "不想等客服了 我自己再研究下", leaves: true},
		{text: "好 我自己去订单里改", leaves: true},
		{text: "别让我等了 快给我转人工", person: true},
		{text: "不想等了，赶紧转人工", person: true},
		{text: "我不要机器人要人工", person: true},
		{text: "我不要听你解释 人工", person: true},
		{text: "and what number am I", wait: true},
		{text: "which number am I in line", wait: true},
		{text: "前面还有几个人", wait: true},
		{text: "还要多久才轮到我", wait: true},
		{text: "how long does a refund to my card take"},
		{text: "对就是这单 你们自己看着办 转人工", person: true},
		{text: "forget the agent, I'll just wait for the parcel", leaves: true},
		{text: "i dont want to wait 24h, let me talk to someone pls", person: true},
		{text: "都过两天了还没退回来 我要找人", person: true},
		{text: "ok can a person sort this out for me", person: true},
		{text: "No need for a human, I just want to know how long a refund takes", leaves: true},
		{text: "forget it, just get me a human", person: true},
		{text: "算了算了 直接给我转人工", person: true},
		{text: "never mind the refund, is there anyone real I can talk to", person: true},
		{text: "nvm, cancel the agent request, ill just call them", leaves: true},
	} {
		if got := leavesQueue(tc.text); got != tc.leaves {
			t.Errorf("leavesQueue(%q) = %v, want %v", tc.text, got, tc.leaves)
		}
		if got := asksAboutWait(tc.text); got != tc.wait {
			t.Errorf("asksAboutWait(%q) = %v, want %v", tc.text, got, tc.wait)
		}
		if got := askedForHuman(tc.text) != "" && !declinesPerson(tc.text); tc.person && !got {
			t.Errorf("%q: not read as asking for a person", tc.text)
		}
	}
}

func TestContactQuestions(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"whats your phone number and when are you open", true},
		{"too long, I'll just email you. whats the address", true},
		{"how do I call you guys, and what's your email", true},
		{"what are your opening hours", true},
		{"客服电话是多少", true},
		{"你们客服几点下班啊", true},
		{"人工客服几点上班", true},
		{"can you change the phone number on my order", false},
		{"I want to change the delivery address", false},
		{"我的快递几点能到", false},
		{"收件人电话写错了", false},
	} {
		if got := asksContact(tc.text); got != tc.want {
			t.Errorf("asksContact(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestDeclinedPersonIsNoRequest(t *testing.T) {
	play(t, story{
		name:  "no need for a human",
		nlu:   script{"No need for a human, just tell me how long a refund to a card takes": {label: "refund_status"}},
		kb:    map[string]string{"refund": "Card refunds take 3-7 business days."},
		steps: []step{{say: "No need for a human, just tell me how long a refund to a card takes", reply: []string{"3-7"}}},
	})
	play(t, story{
		name:  "retracted in Chinese",
		nlu:   script{"本来想转人工的，算了，就问下发票多久开": {label: "invoice"}},
		kb:    map[string]string{"发票": "电子发票签收后 24 小时内开具。"},
		steps: []step{{say: "本来想转人工的，算了，就问下发票多久开", reply: []string{"24 小时"}}},
	})
}

func TestAngerAnswersFirst(t *testing.T) {
	charged := "I got charged twice for that order!!"
	stories := []story{
		{
			name:  "an angry concrete question is answered, then a person offered",
			nlu:   script{charged: {label: "payment_issue"}, "yes please": {label: nlu.OutOfScope}},
			moods: map[string]sentiment.Score{charged: negative(-0.7, 0.75)},
			kb:    map[string]string{"charged twice": "The extra charge is refunded automatically within 24 hours."},
			steps: []step{
				{say: charged, reply: []string{"sorry", "24 hours"}, check: func(t *testing.T, st *State) {
					if st.Offered != ReasonAnger || st.Escalation != nil {
						t.Errorf("offered %q escalation %v, want an anger offer and no escalation", st.Offered, st.Escalation)
					}
				}},
				{say: "yes please", handoff: ReasonAnger, evidence: map[string]string{"accepted": "offer"}},
			},
		},
		{
			name:  "anger again on the next message hands off",
			nlu:   script{charged: {label: "payment_issue"}, "this is ridiculous": {label: nlu.OutOfScope}},
			moods: map[string]sentiment.Score{charged: negative(-0.7, 0.75), "this is ridiculous": negative(-0.8, 0.75)},
			kb:    map[string]string{"charged twice": "The extra charge is refunded automatically within 24 hours."},
			steps: []step{
				{say: charged, reply: []string{"24 hours"}},
				{say: "this is ridiculous", handoff: ReasonAnger},
			},
		},
		{
			name:  "very angry: the answer and the queue in the same turn",
			nlu:   script{charged: {label: "payment_issue"}},
			moods: map[string]sentiment.Score{charged: negative(-0.9, 0.9)},
			kb:    map[string]string{"charged twice": "The extra charge is refunded automatically within 24 hours."},
			steps: []step{{say: charged, handoff: ReasonAnger, reply: []string{"24 hours", "a person from our support team"},
				evidence: map[string]string{"anger": "0.90", "threshold": "0.70"}}},
		},
		{
			name:  "shouting is anger whatever the score",
			nlu:   script{"WHY HAS NOBODY REFUNDED MY ORDER": {label: "refund_status"}},
			moods: map[string]sentiment.Score{"WHY HAS NOBODY REFUNDED MY ORDER": {Label: sentiment.Neutral, Polarity: -0.1, Anger: 0.1}},
			steps: []step{{say: "WHY HAS NOBODY REFUNDED MY ORDER", handoff: ReasonAnger,
				evidence: map[string]string{"anger": "0.10", "threshold": "0.70", "hostile": "shouting"}}},
		},
		{
			name:  "anger at the answer just given hands off",
			nlu:   script{"DD202611030001 status": {label: "order_status", entities: map[string]string{"DD202611030001": "order_id"}}, "are you useless? still nothing": {label: "order_status"}},
			moods: map[string]sentiment.Score{"are you useless? still nothing": negative(-0.8, 0.75)},
			steps: []step{
				{say: "DD202611030001 status"},
				{say: "are you useless? still nothing", handoff: ReasonAnger},
			},
		},
		{
			name:  "an angry message the bot cannot answer hands off",
			nlu:   script{},
			moods: map[string]sentiment.Score{"you people are the worst": negative(-0.9, 0.75)},
			steps: []step{{say: "you people are the worst", handoff: ReasonAnger, not: []string{"rephrase"}}},
		},
		{
			name:     "a gold member's disappointment: the answer, then a person",
			customer: "vip-1",
			nlu:      script{"DD202611030001 arrived broken, really disappointed": {label: "order_status", entities: map[string]string{"DD202611030001": "order_id"}}},
			steps:    []step{{say: "DD202611030001 arrived broken, really disappointed", handoff: ReasonVIPComplaint, vip: true, reply: []string{"DD202611030001", "valued members"}}},
		},
		{
			name:     "the same words from a standard member stay with the bot",
			customer: "plain-1",
			nlu:      script{"DD202611030001 arrived broken, really disappointed": {label: "order_status", entities: map[string]string{"DD202611030001": "order_id"}}},
			steps:    []step{{say: "DD202611030001 arrived broken, really disappointed", reply: []string{"DD202611030001"}}},
		},
		{
			name: "a closing message does not end a negative run in a hand-off",
			nlu:  script{"fine, I'll wait then": {label: "goodbye"}},
			moods: map[string]sentiment.Score{
				"meh": negative(-0.6, 0.1), "meh again": negative(-0.6, 0.1), "fine, I'll wait then": negative(-0.9, 0.1),
			},
			kb:    map[string]string{"meh": "Meh is our product line."},
			steps: []step{{say: "meh"}, {say: "meh again"}, {say: "fine, I'll wait then", reply: []string{"Thanks for chatting"}}},
		},
		{
			name: "a plain statement does not end a negative run in a hand-off",
			nlu:  script{},
			moods: map[string]sentiment.Score{
				"meh": negative(-0.6, 0.1), "meh again": negative(-0.6, 0.1), "photos taken, sending later": negative(-0.6, 0.1),
			},
			kb:    map[string]string{"meh": "Meh is our product line."},
			steps: []step{{say: "meh"}, {say: "meh again"}, {say: "photos taken, sending later"}},
		},
	}
	for _, s := range stories {
		t.Run(s.name, func(t *testing.T) { play(t, s) })
	}
}

// While the customer waits: leaving, the wait, and contact questions.
func TestWhileWaiting(t *testing.T) {
	kb := &helpCenter{answers: map[string]string{"reach you": "Email help@shop.example; phone 400-000-0000, weekdays 9-18."}}
	a := &Assistant{NLU: script{}, Sentiment: moods{}, KB: kb, Rules: DefaultRules()}
	conv := &assist.Conversation{ID: "c1", TenantID: "demo", Owner: assist.OwnerQueue}
	st := &State{Escalation: &Escalation{Reason: ReasonCustomerRequest, Turn: 1}, Turns: 1}
	for _, tc := range []struct {
		say          string
		leave, queue bool
		reply        string
	}{
		{say: "and what number am I", queue: true},
		{say: "too long, I'll just email you. whats the address", reply: "help@shop.example"},
		{say: "nvm i'll figure it out myself", leave: true, reply: "out of the queue"},
	} {
		r, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: tc.say}, State: st})
		if err != nil {
			t.Fatal(err)
		}
		var all string
		for _, m := range r.Messages {
			all += m + "\n"
		}
		if r.Leave != tc.leave || r.QueueStatus != tc.queue || r.Handoff != nil {
			t.Errorf("%q: leave %v queue status %v handoff %v, want leave %v queue status %v", tc.say, r.Leave, r.QueueStatus, r.Handoff, tc.leave, tc.queue)
		}
		if tc.reply != "" && !strings.Contains(all, tc.reply) {
			t.Errorf("%q: reply %q, want %q", tc.say, all, tc.reply)
		}
	}
}

// A waiting customer's "算了" or "I'll look myself" beside a question
// keeps their place; turning down the wait or the person in words leaves.
// A request put in place of what was offered is one ("不弄了 直接取消吧"),
// the customer going to do it themselves is not.
func TestTurnsDownWaitAndTurnsTo(t *testing.T) {
	for _, tc := range []struct {
		text       string
		down, turn bool
	}{
		{text: "你们客服电话多少啊 实在不行我打电话算了"},
		{text: "单号发我一下 我自己去查"},
		{text: "行 不用等了 我自己搞定", down: true},
		{text: "太慢了不等了 连衣裙那个订单帮我取消掉", down: true},
		{text: "no need for a human, how long do refunds take", down: true},
		{text: "不弄了 直接取消吧", turn: true},
		{text: "那么麻烦啊 那干脆帮我取消吧", turn: true},
		{text: "算了 帮我直接退掉", turn: true},
		{text: "不退了 换个颜色吧", turn: true},
		{text: "不用了 我直接打电话问"},
		{text: "算了我干脆自己去改"},
		{text: "不用了 取消吧"},
	} {
		if got := turnsDownWait(strings.ToLower(tc.text)); got != tc.down {
			t.Errorf("turnsDownWait(%q) = %v, want %v", tc.text, got, tc.down)
		}
		if got := turnsTo(tc.text); got != tc.turn {
			t.Errorf("turnsTo(%q) = %v, want %v", tc.text, got, tc.turn)
		}
	}
}

// Leaving the queue with a question: the question is answered after
// saying so, and the customer is out of the queue.
func TestLeavingQueueAnswersQuestion(t *testing.T) {
	kb := &helpCenter{answers: map[string]string{
		"refunds take": "Refunds reach your card within 5 working days.",
		"退款多久":         "退款5个工作日内到账。",
	}}
	a := &Assistant{NLU: script{
		"no need for a human, how long do refunds take": {label: "refund_status"},
		"不用人工了 退款多久到账":                                  {label: "refund_status"},
	}, Sentiment: moods{}, KB: kb, Rules: DefaultRules()}
	for _, tc := range []struct{ say, reply string }{
		{"no need for a human, how long do refunds take", "within 5 working days"},
		{"不用人工了 退款多久到账", "5个工作日内到账"},
	} {
		conv := &assist.Conversation{ID: "c1", TenantID: "demo", Owner: assist.OwnerQueue}
		st := &State{Escalation: &Escalation{Reason: ReasonCustomerRequest, Turn: 1}, Turns: 1}
		r, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: tc.say}, State: st})
		if err != nil {
			t.Fatal(err)
		}
		all := strings.Join(r.Messages, "\n")
		if !r.Leave || r.QueueStatus || r.Handoff != nil {
			t.Errorf("%q: leave %v queue status %v handoff %v, want leaving", tc.say, r.Leave, r.QueueStatus, r.Handoff)
		}
		if !strings.Contains(all, tc.reply) {
			t.Errorf("%q: reply %q, want the question answered (%q)", tc.say, all, tc.reply)
		}
	}
}
