package dialog

import (
	"context"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog/flow"
)

// termsShop is household whose get_order also says what its warranty
// gives (warranty_terms_zh/en), as the demo shop does.
type termsShop struct {
	household
	zh, en string
}

func (s *termsShop) Call(ctx context.Context, req flow.Request) (flow.Result, error) {
	res, err := s.household.Call(ctx, req)
	if err == nil && req.Action == "get_order" && res.Data != nil {
		res.Data["warranty_terms_zh"], res.Data["warranty_terms_en"] = s.zh, s.en
	}
	return res, err
}

// What an order's warranty gives (free repairs, who pays the postage) is
// the shop's to say: the bot repeats the shop's terms, and promises
// nothing of its own when the shop sends none.
func TestWarrantyTermsAreTheShops(t *testing.T) {
	flows, err := flow.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		shop      flow.Backend
		say       string
		want, not []string
	}{
		{name: "the shop's terms", say: "is the coat still under warranty?",
			shop: &termsShop{zh: "保修期内免费维修，运费我们出", en: "Repairs within the warranty cost nothing and the postage is on us"},
			want: []string{"2026-12-29", "Repairs within the warranty cost nothing and the postage is on us: in \"My orders\""}},
		{name: "店家的保修条款", say: "大衣还在保修期吗",
			shop: &termsShop{zh: "保修期内免费维修，运费我们出", en: "Repairs within the warranty cost nothing"},
			want: []string{"2026-12-29", "保修期内免费维修，运费我们出：在「我的订单」"}},
		{name: "no terms from the shop: no promise", say: "is the coat still under warranty?", shop: &household{},
			want: []string{"2026-12-29", "In \"My orders\""}, not: []string{"free of charge", "postage"}},
		{name: "店家没给条款：不许诺", say: "大衣还在保修期吗", shop: &household{},
			want: []string{"2026-12-29", "在「我的订单」"}, not: []string{"免费", "运费", "：在「我的订单」"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			engine, err := flow.NewEngine(flows, tc.shop)
			if err != nil {
				t.Fatal(err)
			}
			a := &Assistant{NLU: script{tc.say: {label: "warranty"}}, Flows: engine, Rules: DefaultRules()}
			conv := &assist.Conversation{ID: "c", TenantID: "demo", CustomerRef: "h1"}
			r, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: tc.say}})
			if err != nil {
				t.Fatal(err)
			}
			all := strings.Join(r.Messages, "\n")
			checkReply(t, all, tc.want, tc.not)
		})
	}
}
