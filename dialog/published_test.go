package dialog

import (
	"context"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/rag"
)

// publishingHelpCenter is a graded help center that also has answers
// published from the gap report, matched by key like its articles.
type publishingHelpCenter struct {
	gradedHelpCenter
	published map[string]string
}

func (h *publishingHelpCenter) MatchPublished(_ context.Context, req rag.AnswerRequest) (rag.Answer, bool, error) {
	for k, text := range h.published {
		if strings.Contains(req.Question, k) {
			return rag.Answer{Text: text, Known: true, Confidence: 0.5, Threshold: 0.2,
				Sources: []rag.Source{{N: 1, Title: "Published", Doc: "gap-1"}}}, true, nil
		}
	}
	return rag.Answer{}, false, nil
}

// A question a knowledge manager published an answer for is answered from
// it, where the bot would otherwise ask "X or Y?", ask to rephrase, or
// start a task the model only guesses; a task the model is sure of and a
// message naming an order still go to the task.
func TestPublishedAnswersBeforeAsking(t *testing.T) {
	const (
		wrap  = "Yes, tick Gift wrap at checkout for ¥10."
		asked = "Do you want to"
	)
	nlu := script{
		"can u wrap it as a present before shipping": {label: "shipping_fee", conf: 0.3, top2: "urge_shipping"},
		"wrap it as a present pls":                   {label: "out_of_scope"},
		"is there a showroom to try a present on":    {label: "order_status", conf: 0.25},
		"where is my present":                        {label: "order_status"},
		"wrap DD202611010003 as a present":           {label: "shipping_fee", conf: 0.3, top2: "urge_shipping", entities: map[string]string{"DD202611010003": "order_id"}},
	}
	cases := []struct {
		say, reply, not string
	}{
		{"can u wrap it as a present before shipping", wrap, asked},
		{"wrap it as a present pls", wrap, "rephrase"},
		{"is there a showroom to try a present on", wrap, "order number"},
		{"where is my present", "order number", wrap},
		{"wrap DD202611010003 as a present", "", wrap},
	}
	for _, c := range cases {
		t.Run(c.say, func(t *testing.T) {
			b := testShop()
			kb := &publishingHelpCenter{published: map[string]string{"present": wrap}}
			a := &Assistant{NLU: nlu, KB: kb, Backend: b, Flows: testEngine(t, b), Rules: DefaultRules()}
			conv := &assist.Conversation{ID: "c1", TenantID: "demo", CustomerRef: "plain-1", Lang: "en"}
			r, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: c.say}})
			if err != nil {
				t.Fatal(err)
			}
			all := strings.Join(r.Messages, "\n")
			if !strings.Contains(all, c.reply) || strings.Contains(all, c.not) {
				t.Errorf("reply %q, want %q and no %q", all, c.reply, c.not)
			}
			if strings.Contains(all, wrap) && (r.State.Question == "" || len(r.State.Clarify) > 0 || r.State.Flow != nil) {
				t.Errorf("answered, but the state %+v", r.State)
			}
		})
	}
}

// A question about the shop the model reads as a task it is sure of
// ("can my neighbour sign for the parcel?" as track_shipment) is answered
// from the published answer; a message about the customer's own order or
// parcel still goes to the task.
func TestPublishedAnswersSureTaskQuestions(t *testing.T) {
	const (
		sign    = "Anyone at the address can sign; tell the courier their name."
		email   = "Change it under Me → Settings → Email."
		postage = "Return postage is paid by the buyer unless the item is faulty."
	)
	nlu := script{
		"can my neighbour sign for the parcel?":  {label: "track_shipment"},
		"change the email on my account":         {label: "modify_order"},
		"快递员送货时能让门卫代签吗？":                         {label: "track_shipment"},
		"账号绑定的邮箱换了，在哪里改":                         {label: "modify_order"},
		"where is my parcel, the neighbour said": {label: "order_status"},
		"我的快递到哪了 门卫说没收到":                         {label: "order_status"},
		"我想退货":                                             {label: "return_request"},
		"i want to return something":                       {label: "return_request"},
		"can I return these jeans?":                        {label: "return_request"},
		"这条裤子可以退货吗？":                                       {label: "return_request"},
		"Will you refund the shipping fee if I return it?": {label: "return_request"},
	}
	cases := []struct{ say, reply, not string }{
		{"can my neighbour sign for the parcel?", sign, "order number"},
		{"change the email on my account", email, "order number"},
		{"快递员送货时能让门卫代签吗？", sign, "订单号"},
		{"账号绑定的邮箱换了，在哪里改", email, "订单号"},
		{"where is my parcel, the neighbour said", "order number", sign},
		{"我的快递到哪了 门卫说没收到", "订单号", sign},
		// a task asked in its own words starts it; the published answer
		// about return postage does not stand in for the return.
		{"我想退货", "订单", postage},
		{"i want to return something", "order", postage},
		// a task asked about the customer's own thing (asksOwnTask), as
		// the gap report keeps it out (REVIEW11A 3); what the shop does,
		// supposed, is the published answer's.
		{"can I return these jeans?", "order", postage},
		{"这条裤子可以退货吗？", "订单", postage},
		{"Will you refund the shipping fee if I return it?", postage, "order number"},
	}
	for _, c := range cases {
		t.Run(c.say, func(t *testing.T) {
			b := testShop()
			kb := &publishingHelpCenter{published: map[string]string{"neighbour": sign, "门卫": sign, "email": email, "邮箱": email, "退货": postage, "return": postage}}
			a := &Assistant{NLU: nlu, KB: kb, Backend: b, Flows: testEngine(t, b), Rules: DefaultRules()}
			conv := &assist.Conversation{ID: "c1", TenantID: "demo", CustomerRef: "plain-1", Lang: "en"}
			r, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: c.say}})
			if err != nil {
				t.Fatal(err)
			}
			all := strings.Join(r.Messages, "\n")
			if !strings.Contains(all, c.reply) || strings.Contains(all, c.not) {
				t.Errorf("reply %q, want %q and no %q", all, c.reply, c.not)
			}
		})
	}
}

// publishingKB is the after-sales tests' help center with answers
// published from the gap report, matched by key.
type publishingKB struct {
	*helpCenter
	published map[string]string
}

func (h publishingKB) MatchPublished(_ context.Context, req rag.AnswerRequest) (rag.Answer, bool, error) {
	for k, text := range h.published {
		if strings.Contains(req.Question, k) {
			return rag.Answer{Text: text, Known: true, Confidence: 0.5, Threshold: 0.2,
				Sources: []rag.Source{{N: 1, Title: "Published", Doc: "gap-1"}}}, true, nil
		}
	}
	return rag.Answer{}, false, nil
}

// A customer who is not signed in and asks about a product the way a
// fault is told ("does the new coat smell", "裤子会褪色吗") gets the answer
// a knowledge manager published for it, not the warranty article; a fault
// no published answer covers still gets the warranty and the sign-in.
func TestPublishedAnswersBeforeAnonymousFault(t *testing.T) {
	const shed, fade = "A new wool coat smells a little of wool for a few days; air it and it goes.", "深色裤子前几次洗会轻微掉色，请单独冷水洗。"
	cases := []struct{ say, want, not string }{
		{"does the new wool coat smell at first? mine smells of sheep", shed, "Sign in"},
		{"新买的裤子褪色严重吗 要单独洗吗", fade, "保修"},
		{"my kettle is broken", "We pay the postage for warranty repairs", shed},
	}
	for _, c := range cases {
		t.Run(c.say, func(t *testing.T) {
			flows, err := flow.Builtin()
			if err != nil {
				t.Fatal(err)
			}
			engine, err := flow.NewEngine(flows, &household{})
			if err != nil {
				t.Fatal(err)
			}
			a := &Assistant{
				NLU:   script{c.say: said{label: nlu.OutOfScope}},
				KB:    publishingKB{&helpCenter{answers: map[string]string{"claim the warranty": "We pay the postage for warranty repairs.", "申请保修": "保修寄回的运费由商城承担。"}}, map[string]string{"wool coat": shed, "褪色": fade}},
				Flows: engine, Rules: DefaultRules(),
			}
			conv := &assist.Conversation{ID: "c", TenantID: "demo"}
			r, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: c.say}})
			if err != nil {
				t.Fatal(err)
			}
			all := strings.Join(r.Messages, "\n")
			if !strings.Contains(all, c.want) || strings.Contains(all, c.not) {
				t.Errorf("reply %q, want %q and no %q", all, c.want, c.not)
			}
		})
	}
}
