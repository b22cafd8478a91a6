package flow

import (
	"testing"

	"github.com/assistd/assist/catalog"
)

// Every order status a backend may send reads as words in both languages,
// never as the raw contract value.
func TestEveryContractStatusHasWords(t *testing.T) {
	for _, lang := range catalog.Langs {
		for _, s := range OrderStatuses {
			key := "order_status." + s
			if got := catalog.Default().Say(lang, key); got == key || got == "" || statusName(s, "", lang) != got {
				t.Errorf("%s: order status %q has no words (%s)", lang, s, key)
			}
		}
	}
}

// A shop that words a status or a day its own way sees its words in the
// flow's replies to its customers; other shops keep the default.
func TestFlowTemplatesUseTheShopsWords(t *testing.T) {
	const shop = "tenant-words-test-shop"
	if err := catalog.Default().Override(shop, "zh", map[string]string{"order_status.shipped": "已寄出", "day.1": "明儿"}); err != nil {
		t.Fatal(err)
	}
	defer catalog.Default().Override(shop, "zh", nil)
	tm, err := parseTemplate(nil, "say.zh", "订单{{order_status .result.status}}，预计{{from_today .result.eta_days .result.eta_day}}送达")
	if err != nil {
		t.Fatal(err)
	}
	result := map[string]any{"status": "shipped", "eta_days": 1}
	for _, c := range []struct{ tenant, want string }{
		{shop, "订单已寄出，预计明儿送达"},
		{"", "订单已发货，预计明天送达"},
		{"another-shop", "订单已发货，预计明天送达"},
	} {
		got, err := execute(tm, map[string]any{"result": result, "lang": "zh", "tenant": c.tenant})
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("shop %q: got %q, want %q", c.tenant, got, c.want)
		}
	}
}
