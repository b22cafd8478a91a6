package dialog

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/rag"
)

// article is what a graded help center answers to questions holding a
// key: the reply, its confidence and the article it quotes.
type article struct {
	text, title string
	conf        float64
}

// gradedHelpCenter answers with a confidence, above a threshold of 0.2,
// like the real knowledge base, the article of the longest key the
// question holds; questions it has no key for are declined.
type gradedHelpCenter struct {
	answers map[string]article
	asked   []string
}

func (h *gradedHelpCenter) Answer(_ context.Context, req rag.AnswerRequest, _ func(string) error) (rag.Answer, error) {
	h.asked = append(h.asked, req.Question)
	best := ""
	for k := range h.answers {
		if strings.Contains(req.Question, k) && len(k) > len(best) {
			best = k
		}
	}
	if best == "" {
		return rag.Answer{Text: "I don't know that one.", Threshold: 0.2, OfferHuman: true}, nil
	}
	a := h.answers[best]
	return rag.Answer{Text: a.text, Known: a.conf >= 0.2, Confidence: a.conf, Threshold: 0.2,
		Sources: []rag.Source{{N: 1, Title: a.title, Doc: "doc"}}}, nil
}

// TestAskOnlyWhenCheaperReadingsFail: the bot asks "X or Y?" only when
// the conversation, the customer's purchase and the help center cannot
// settle what a message means.
func TestAskOnlyWhenCheaperReadingsFail(t *testing.T) {
	const (
		warranty = "Electronics have a one-year warranty."
		asked    = "Do you want to"
	)
	nlu := script{
		// Titles of the help center's articles, as the model reads them.
		"How do I claim the warranty?": {label: "product_inquiry"},
		"Coupons":                      {label: "coupon"},
		// Messages the model is torn on.
		"can i get it repaired":                {label: "product_inquiry", conf: 0.3, top2: "price_protection"},
		"is it still covered":                  {label: "product_inquiry", conf: 0.3, top2: "price_protection"},
		"will it blend frozen fruit":           {label: "delivery_problem", conf: 0.1, top2: "urge_shipping"},
		"how long until the money is back":     {label: "shipping_fee", conf: 0.3, top2: "refund_status"},
		"has my refund come through":           {label: "refund_status"},
		"the lamp from monday, return it":      {label: "delivery_problem", conf: 0.3, top2: "return_request", entities: map[string]string{"lamp": "product"}},
		"the scarf from monday, send it back?": {label: "product_inquiry", conf: 0.3, top2: "stock_availability", entities: map[string]string{"scarf": "product"}},
		"is there a showroom in town?":         {label: "order_status", conf: 0.25},
		"where is the shop's warehouse?":       {label: "order_status", conf: 0.25},
		"I want to change my order":            {label: "payment_issue"},
		"no, return DD202611010003 instead":    {label: "return_request", entities: map[string]string{"DD202611010003": "order_id"}},
	}
	cases := []struct {
		name    string
		kb      map[string]article
		says    []string
		reply   string // in the last reply
		not     string // not in the last reply
		clarify []string
		flow    string
	}{
		{
			name:  "the help center is confident and quotes an article about one reading: answered",
			kb:    map[string]article{"repaired": {warranty, "How do I claim the warranty?", 0.35}},
			says:  []string{"can i get it repaired"},
			reply: warranty, not: asked,
		},
		{
			name:    "the help center is unsure: asked",
			kb:      map[string]article{"repaired": {warranty, "How do I claim the warranty?", 0.25}},
			says:    []string{"can i get it repaired"},
			reply:   asked,
			clarify: []string{"product_inquiry", "price_protection"},
		},
		{
			name:    "the article is about something else: asked",
			kb:      map[string]article{"covered": {warranty, "Coupons", 0.5}},
			says:    []string{"is it still covered"},
			reply:   asked,
			clarify: []string{"product_inquiry", "price_protection"},
		},
		{
			name:  "the model cannot place the message (guesses below PlaceConfidence), the help center is confident: answered",
			kb:    map[string]article{"frozen": {"It blends soft fruit, not frozen fruit.", "Blender FAQ", 0.5}},
			says:  []string{"will it blend frozen fruit"},
			reply: "not frozen fruit", not: asked,
		},
		{
			name:    "the same, the help center unsure: asked",
			kb:      map[string]article{"frozen": {"It blends soft fruit, not frozen fruit.", "Blender FAQ", 0.25}},
			says:    []string{"will it blend frozen fruit"},
			reply:   asked,
			clarify: []string{"delivery_problem", "urge_shipping"},
		},
		{
			name:  "the help center is sure whatever the article: answered",
			kb:    map[string]article{"covered": {warranty, "Coupons", 0.8}},
			says:  []string{"is it still covered"},
			reply: warranty, not: asked,
		},
		{
			name:  "the conversation's topic settles it",
			says:  []string{"has my refund come through", "how long until the money is back"},
			reply: "I can't check a refund", not: asked,
		},
		{
			name:  "a product the customer bought and a keyword of one reading: that task",
			says:  []string{"the lamp from monday, return it"},
			reply: "Which order do you want to return?", not: asked,
			flow: "return_request",
		},
		{
			name:  "a product the customer bought and a task's keyword neither reading is: that task",
			says:  []string{"the scarf from monday, send it back?"},
			reply: "Which order do you want to return?", not: asked,
			flow: "return_request",
		},
		{
			name:  "a question the model weakly takes for a task, answered confidently: answer, then the offer",
			kb:    map[string]article{"showroom": {"We sell online only.", "Stores", 0.8}},
			says:  []string{"is there a showroom in town?"},
			reply: "We sell online only.",
		},
		{
			name:  "the same, the help center unsure: the task",
			kb:    map[string]article{"warehouse": {"Our warehouse is in Shanghai.", "Stores", 0.25}},
			says:  []string{"where is the shop's warehouse?"},
			reply: "What's the order number?",
			flow:  "order_status",
		},
		{
			name:  "a \"no\" that asks for something else after an offered person: the request",
			says:  []string{"I want to change my order", "no, return DD202611010003 instead"},
			reply: "Why are you returning it?", not: "won't bring anyone",
			flow: "return_request",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := testShop()
			kb := &gradedHelpCenter{answers: c.kb}
			a := &Assistant{NLU: nlu, KB: kb, Backend: b, Flows: testEngine(t, b), Rules: DefaultRules()}
			conv := &assist.Conversation{ID: "c1", TenantID: "demo", CustomerRef: "plain-1", Lang: "en"}
			var st *State
			var r Reply
			for _, say := range c.says {
				var err error
				r, err = a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: say}, State: st})
				if err != nil {
					t.Fatalf("%q: %v", say, err)
				}
				st = r.State
			}
			all := strings.Join(r.Messages, "\n")
			if !strings.Contains(all, c.reply) || c.not != "" && strings.Contains(all, c.not) {
				t.Errorf("reply %q, want %q and no %q", all, c.reply, c.not)
			}
			if !reflect.DeepEqual(st.Clarify, c.clarify) {
				t.Errorf("asked about %v, want %v", st.Clarify, c.clarify)
			}
			var flow string
			if st.Flow != nil {
				flow = st.Flow.Flow
			}
			if flow != c.flow {
				t.Errorf("flow %q, want %q", flow, c.flow)
			}
		})
	}
}
