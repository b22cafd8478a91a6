package dialog

import (
	"context"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog/flow"
)

// labelShop is the household shop charging the ¥12 label of a no-reason
// return; its create_return answers as the contract says (no fee), or
// with the fee when fee is set.
type labelShop struct {
	household
	fee *string
}

func (s *labelShop) Call(ctx context.Context, req flow.Request) (flow.Result, error) {
	res, err := s.household.Call(ctx, req)
	if err != nil || res.Status != flow.StatusOK {
		return res, err
	}
	switch req.Action {
	case "quote_return":
		res.Data["fee"], res.Data["refund_amount"] = "", "599.00 CNY"
		if r := req.Params["reason"]; r == "changed_mind" || r == "other" {
			res.Data["fee"], res.Data["refund_amount"] = "12.00 CNY", "587.00 CNY"
		}
	case "create_return":
		res.Data["refund_amount"] = "587.00 CNY"
		if s.fee != nil {
			res.Data["fee"] = *s.fee
		}
	}
	return res, nil
}

// After a no-reason return is submitted, a question about its postage is
// answered from what the shop said: the label fee when create_return
// gives it, and never "free of postage" when it does not.
func TestPostageAfterSubmitting(t *testing.T) {
	flows, err := flow.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	twelve := "12.00 CNY"
	for _, tc := range []struct {
		name      string
		fee       *string
		ask       string
		want, not []string
	}{
		{name: "contract shop, no fee said", ask: "so do I pay for posting them back?",
			want: []string{"You pay the postage"}, not: []string{"free of postage"}},
		{name: "the shop says the fee", fee: &twelve, ask: "so do I pay for posting them back?",
			want: []string{"12.00 CNY", "587.00 CNY"}, not: []string{"free of postage"}},
		{name: "合同里的商店 没说运费", ask: "那耳机寄回去运费要我出吗",
			not: []string{"免运费"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			shop := &labelShop{fee: tc.fee}
			engine, err := flow.NewEngine(flows, shop)
			if err != nil {
				t.Fatal(err)
			}
			a := &Assistant{
				NLU: script{
					"i want to return the headphones, i just don't like them": {label: "return_request"},
					tc.ask: {label: "return_policy"},
				},
				KB:    &helpCenter{answers: map[string]string{"post": "You pay the postage for no-reason returns.", "运费": "无理由退货运费由您承担。"}},
				Flows: engine,
				Rules: DefaultRules(),
			}
			conv := &assist.Conversation{ID: "c", TenantID: "demo", CustomerRef: "h1"}
			var st *State
			var all string
			for _, say := range []string{"i want to return the headphones, i just don't like them", "no photos", "yes submit it", tc.ask} {
				r, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: say}, State: st})
				if err != nil {
					t.Fatal(err)
				}
				st, all = r.State, strings.Join(r.Messages, "\n")
				if r.Handoff != nil {
					t.Fatalf("%q: handed off", say)
				}
				t.Logf("%q -> %q", say, all)
			}
			if !strings.Contains(strings.Join(shop.calls, " "), "create_return") {
				t.Fatalf("no return submitted: calls %v", shop.calls)
			}
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("%q: reply %q, want %q in it", tc.ask, all, w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(all, w) {
					t.Errorf("%q: reply %q, want no %q", tc.ask, all, w)
				}
			}
			if len(st.DoneResult) > 4 {
				t.Errorf("state keeps %v, want only order_id, return_id, fee, refund_amount", st.DoneResult)
			}
		})
	}
}

// What asks about the return's postage, and what asks about other
// postage: a new purchase's, shipping insurance, a garment's label.
func TestPostageAsk(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"退货运费要我出吗", true},
		{"那耳机寄回去运费要我出吗", true},
		{"am i paying for the return label myself?", true},
		{"do I pay the 12 yuan label?", true},
		{"那我再买个红色的 运费多少", false},
		{"运费险能赔多少", false},
		{"退货的话运费险能赔多少", false},
		{"the care label says free size, which fits me?", false},
	} {
		got := postageAsk.MatchString(tc.text) && postagePay.MatchString(tc.text) && !notPostage.MatchString(tc.text)
		if got != tc.want {
			t.Errorf("%q asks the return's postage: %v, want %v", tc.text, got, tc.want)
		}
	}
}

// Right after a return, a question about other postage is not told the
// return is free of postage.
func TestOtherPostageAfterReturn(t *testing.T) {
	flows, err := flow.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, ask := range []string{"那我再买个红色的 运费多少", "运费险能赔多少", "the care label says free size, is it free to swap?"} {
		free := ""
		shop := &labelShop{fee: &free}
		engine, err := flow.NewEngine(flows, shop)
		if err != nil {
			t.Fatal(err)
		}
		a := &Assistant{
			NLU:   script{"i want to return the headphones, i just don't like them": {label: "return_request"}, ask: {label: "product_inquiry"}},
			KB:    &helpCenter{answers: map[string]string{"运费": "满99包邮。", "free": "Sizes are on the product page."}},
			Flows: engine,
			Rules: DefaultRules(),
		}
		conv := &assist.Conversation{ID: "c", TenantID: "demo", CustomerRef: "h1"}
		var st *State
		var all string
		for _, say := range []string{"i want to return the headphones, i just don't like them", "no photos", "yes submit it", ask} {
			r, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: say}, State: st})
			if err != nil {
				t.Fatal(err)
			}
			st, all = r.State, strings.Join(r.Messages, "\n")
		}
		if strings.Contains(all, "免运费") || strings.Contains(all, "free of postage") || r0(all) {
			t.Errorf("%q: reply %q, told about the return's postage", ask, all)
		}
	}
}

// r0 reports whether s names the returned order.
func r0(s string) bool { return strings.Contains(s, "DD202612020002") }

// The last day to return is asked in words that ask (最晚, 哪天之前, 能退到哪天,
// a closing 哪天); a day of the past the customer mentions ("忘了哪天买的了")
// asks nothing.
func TestAskedByIsAQuestion(t *testing.T) {
	for text, want := range map[string]bool{
		"颜色不搭 还能退吗 最晚哪天":                                                  true,
		"地毯想退 哪天之前要申请啊":                                                   true,
		"电饭煲不想要了 想退 能退到哪天":                                                true,
		"想退 退货哪天截止":                                                       true,
		"还能退吗 哪天？":                                                        true,
		"i want to return it, by when?":                                   true,
		"我也忘了哪天买的了 电饭煲想退掉":                                                false,
		"地毯不记得哪天签收的了 反正想退":                                                false,
		"哪天到的我也没注意 想退货":                                                   false,
		"no idea what day the rug was delivered, but i want to return it": false,
	} {
		if got := askedBy.MatchString(text); got != want {
			t.Errorf("askedBy(%q) = %v, want %v", text, got, want)
		}
	}
}
