package dialog

import (
	"context"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/nlu"
)

// Right after a task's answer, a follow-up that names nothing bought
// ("so when will it get here?", "那大概几号能到") cannot name another
// order by what was bought: the customer's orders are not listed to find
// out. One naming another order's product ("被套那单呢") still is.
func TestNamesAnotherOrderListsOnlyForAProduct(t *testing.T) {
	flows, err := flow.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		text    string
		product string // as written
		sku     string
		lists   bool
		another bool
	}{
		{text: "so when will it get here?"},
		{text: "那大概几号能到？"},
		{text: "被套那单呢？", product: "被套", sku: "HM-DV-031", lists: true, another: true},
		{text: "and the duvet cover order?", product: "duvet cover", sku: "HM-DV-031", lists: true, another: true},
		{text: "充电器那单呢？", product: "充电器", sku: "EL-CH-021", lists: true},
	} {
		t.Run(tc.text, func(t *testing.T) {
			shop := &closet{}
			engine, err := flow.NewEngine(flows, shop)
			if err != nil {
				t.Fatal(err)
			}
			res := nlu.Result{Text: tc.text, Intent: nlu.Intent{Label: nlu.OutOfScope}}
			if tc.product != "" {
				i := strings.Index(tc.text, tc.product)
				res.Entities = []nlu.Entity{{Type: "product", Text: tc.product, Value: tc.sku, Start: i, End: i + len(tc.product)}}
			}
			lang := "en"
			if strings.ContainsRune(tc.text, '那') {
				lang = "zh"
			}
			tr := &turn{a: &Assistant{Flows: engine, Rules: DefaultRules()}, text: tc.text, res: res, lang: lang,
				conv: &assist.Conversation{ID: "c", TenantID: "demo", CustomerRef: "c1"},
				st:   &State{Entities: map[string]string{"order_id": "DD202612030002"}}}
			if got := tr.namesAnotherOrder(context.Background()); got != tc.another {
				t.Errorf("namesAnotherOrder = %v, want %v", got, tc.another)
			}
			if listed := strings.Count(strings.Join(shop.calls, " "), "list_orders"); (listed > 0) != tc.lists {
				t.Errorf("list_orders called %d times, want called: %v", listed, tc.lists)
			}
		})
	}
}
