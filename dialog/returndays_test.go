package dialog

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog/flow"
)

// daysShop is household whose get_order and quote_return also say the
// shop's return windows (return_days, quality_return_days), as the demo
// shop does.
type daysShop struct {
	household
	days, quality string
}

func (s *daysShop) Call(ctx context.Context, req flow.Request) (flow.Result, error) {
	res, err := s.household.Call(ctx, req)
	if err == nil && res.Data != nil && (req.Action == "get_order" || req.Action == "quote_return") {
		res.Data["return_days"], res.Data["quality_return_days"] = s.days, s.quality
	}
	return res, err
}

// policyFigure is a number of days, hours or minutes in a flow's words
// ("7 天", "7 days", "15-day", "48 小时", "30 minutes", "1–3 个工作日"): a
// return window, a dispatch time, a payment deadline or how long a refund
// takes, which are the shop's to say.
var policyFigure = regexp.MustCompile(`\d+\s*(天|小时|分钟|个工作日|-day|days?\b|hours?\b|minutes?\b|business days?\b)`)

// How long an order can be returned is the shop's to say: no flow text
// holds a number of days of its own, the bot repeats the shop's windows,
// and for a shop that sends none it says the deadline has passed without
// inventing a window.
func TestReturnWindowsAreTheShops(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("flow", "flows", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("flows: %v (%d files)", err, len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if m := policyFigure.FindString(line); m != "" {
				t.Errorf("%s:%d: %q is a policy figure in the flow's text; take it from the shop's result", f, i+1, m)
			}
		}
	}

	flows, err := flow.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		label     string
		shop      flow.Backend
		say       string
		want, not []string
	}{
		{name: "the shop's windows", say: "I want to send the coat back", shop: &daysShop{days: "10", quality: "20"},
			want: []string{"2026-11-21", "its 10-day return window closed", "the 20-day window for quality returns"}},
		{name: "店家的退货期限", say: "大衣我想退掉", shop: &daysShop{days: "10", quality: "20"},
			want: []string{"2026-11-21", "10 天无理由退货已在", "20 天质量问题退货也已过期"}},
		{name: "no windows from the shop: no figure", say: "I want to send the coat back", shop: &household{},
			want: []string{"2026-11-21", "its return window closed", "the window for quality returns"}, not: []string{"7", "15"}},
		{name: "店家没给期限：不说天数", say: "大衣我想退掉", shop: &household{},
			want: []string{"2026-11-21", "无理由退货已在", "质量问题退货也已过期"}, not: []string{"7 天", "15 天"}},
		{name: "no dispatch time from the shop: none promised", label: "order_status", say: "has my desk lamp order shipped?", shop: &household{},
			want: []string{"DD202612050001", "Once it ships"}, not: []string{"hours"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			engine, err := flow.NewEngine(flows, tc.shop)
			if err != nil {
				t.Fatal(err)
			}
			label := tc.label
			if label == "" {
				label = "return_request"
			}
			a := &Assistant{NLU: script{tc.say: {label: label}}, Flows: engine, Rules: DefaultRules()}
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
