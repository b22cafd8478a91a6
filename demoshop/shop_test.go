package demoshop_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/demoshop"
	"github.com/assistd/assist/dialog/flow"
)

const (
	tenant   = "t-demo"
	seedPath = "../data/demo/shop.json"
	c1, c2   = "demo-customer-1", "demo-customer-2"
	c6       = "demo-customer-6"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// openSeeded opens a shop in a temp dir, seeded from the demo seed file at
// 2026-11-08 10:00 China time.
func openSeeded(t testing.TB) (*demoshop.Shop, *clock) {
	t.Helper()
	clk := &clock{t: time.Date(2026, 11, 8, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))}
	s, err := demoshop.Open(context.Background(), filepath.Join(t.TempDir(), "shop.db"), demoshop.WithClock(clk.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if ok, err := demoshop.Seed(context.Background(), s, tenant, seedPath); err != nil || !ok {
		t.Fatalf("Seed = %v, %v", ok, err)
	}
	return s, clk
}

func call(t testing.TB, s flow.Backend, action, customer string, params map[string]string) flow.Result {
	t.Helper()
	res, err := s.Call(context.Background(), flow.Request{Action: action, TenantID: tenant, ConversationID: "c1", CustomerRef: customer, Lang: "zh", Params: params})
	if err != nil {
		t.Fatalf("%s %v: %v", action, params, err)
	}
	return res
}

func order(id string) map[string]string { return map[string]string{"order_id": id} }

// TestFixtures checks the seeded orders the stories and flow tests rely on
// (dialog-design.md).
func TestFixtures(t *testing.T) {
	s, _ := openSeeded(t)
	tests := []struct {
		id, customer, status string
		want                 map[string]any // data fields that must match
	}{
		{"DD202611030001", c1, "shipped", map[string]any{"carrier": "SF", "tracking_number": "SF1234567890123", "eta": "2026-11-09", "shipment_status": "in_transit", "last_event_at": "2026-11-07 10:00"}},
		{"DD202611050002", c1, "paid", map[string]any{"status_text_zh": "已付款，待发货", "tracking_number": "", "items": "AirFlex 跑鞋 (white, 42) ×1", "total": "499.00 CNY"}},
		{"DD202611010003", c1, "delivered", map[string]any{"delivered_at": "2026-11-06", "returnable": "true", "return_by": "2026-11-12",
			"warranty_until": "2027-11-06", "in_warranty": "true", "warranty_en": "SoundPods ANC Earbuds: 1 year, until 2027-11-06 (repair or a new identical item)"}},
		{"DD202610150004", c1, "delivered", map[string]any{"delivered_at": "2026-10-19", "returnable": "false", "return_by": "2026-10-25",
			"quality_returnable": "false", "warranty_until": "2026-11-18", "in_warranty": "true", "warranty_zh": "经典羊毛大衣保修 30 天，至 2026-11-18（更换或退款）",
			"price_protect_until": "2026-11-14", "price_protectable": "true"}},
		{"DD202609120014", c1, "delivered", map[string]any{"in_warranty": "false", "quality_returnable": "false", "price_protectable": "false"}},
		{"DD202610200005", c1, "returned", map[string]any{"total": "299.00 CNY"}},
		{"DD202611040006", c2, "shipped", map[string]any{"carrier": "JD", "tracking_number": "JDVA12345678901", "shipment_status": "out_for_delivery"}},
		{"DD202611060007", c2, "pending_payment", map[string]any{"status_text_en": "awaiting payment"}},
		{"DD202611020008", c2, "delivered", map[string]any{"delivered_at": "2026-11-07"}},
		{"DD202610250009", c2, "cancelled", map[string]any{"total": "159.00 CNY"}},
		{"DD202611070010", "demo-customer-3", "paid", nil},
		{"DD202611060011", "demo-customer-4", "shipped", map[string]any{"carrier": "ZTO", "tracking_number": "78912345678901"}},
		{"DD202611050012", "demo-customer-5", "delivered", map[string]any{"delivered_at": "2026-11-05"}},
		{"DD202611080013", "demo-customer-6", "paid", nil},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			res := call(t, s, "get_order", tt.customer, order(tt.id))
			if res.Status != flow.StatusOK || res.Data["status"] != tt.status || res.Data["order_id"] != tt.id {
				t.Fatalf("get_order = %s %v, want ok with status %s", res.Status, res.Data, tt.status)
			}
			for k, v := range tt.want {
				if res.Data[k] != v {
					t.Errorf("%s = %q, want %q", k, res.Data[k], v)
				}
			}
		})
	}

	// Refunds of the fixtures.
	r := call(t, s, "get_refund", c1, order("DD202610200005"))
	if r.Status != "ok" || r.Data["status"] != "processing" || r.Data["amount"] != "299.00 CNY" || r.Data["eta"] != "2026-11-11" || r.Data["eta_days"] != "3" {
		t.Errorf("refund of DD202610200005 = %v", r)
	}
	r = call(t, s, "get_refund", c2, order("DD202610250009"))
	if r.Status != "ok" || r.Data["status"] != "completed" || r.Data["amount"] != "159.00 CNY" || r.Data["status_text_zh"] != "已退款" {
		t.Errorf("refund of DD202610250009 = %v", r)
	}
	// Members.
	for ref, want := range map[string][3]string{
		c1: {"张伟", "standard", "false"}, c2: {"Emily Chen", "gold", "true"},
		"demo-customer-3": {"王芳", "platinum", "true"}, "demo-customer-4": {"James Miller", "silver", "false"},
		"demo-customer-5": {"李娜", "standard", "false"}, "demo-customer-6": {"Olivia Brown", "standard", "false"},
	} {
		m := call(t, s, "get_member", ref, nil)
		if m.Status != "ok" || m.Data["name"] != want[0] || m.Data["tier"] != want[1] || m.Data["vip"] != want[2] {
			t.Errorf("get_member %s = %v, want %v", ref, m, want)
		}
	}
}

func TestListOrders(t *testing.T) {
	s, _ := openSeeded(t)
	res := call(t, s, "list_orders", c1, nil)
	if res.Status != "ok" || res.Data["latest_order_id"] != "DD202611050002" || res.Data["count"] != 7 {
		t.Fatalf("list_orders = %s latest %v count %v", res.Status, res.Data["latest_order_id"], res.Data["count"])
	}
	orders := res.Data["orders"].([]any)
	if len(orders) != 7 {
		t.Fatalf("%d orders listed, want 7", len(orders))
	}
	var prev string
	for i, o := range orders {
		m := o.(map[string]any)
		if c := m["created_at"].(string); i > 0 && c > prev {
			t.Errorf("order %d created %s after the one before (%s): not newest first", i, c, prev)
		}
		prev = m["created_at"].(string)
		if m["items"] == "" || m["status"] == "" {
			t.Errorf("order %d lacks items or status: %v", i, m)
		}
		want, known := map[string]any{"DD202611010003": "true", "DD202610150004": "false"}[m["order_id"].(string)]
		switch {
		case known && m["returnable"] != want:
			t.Errorf("order %v returnable = %v, want %v", m["order_id"], m["returnable"], want)
		case m["status"] == "delivered" && m["returnable"] != "true" && m["returnable"] != "false":
			t.Errorf("delivered order %v returnable = %v, want true or false", m["order_id"], m["returnable"])
		case m["status"] != "delivered" && m["returnable"] != nil:
			t.Errorf("%v order %v has returnable %v", m["status"], m["order_id"], m["returnable"])
		}
	}
	// Whether the customer paid: a cancelled order without a refund never was.
	for _, o := range orders {
		m := o.(map[string]any)
		if want, known := map[string]string{"DD202610280015": "false", "DD202611050002": "true", "DD202610200005": "true"}[m["order_id"].(string)]; known && m["paid"] != want {
			t.Errorf("order %v (%v) paid = %v, want %v", m["order_id"], m["status"], m["paid"], want)
		}
	}
	none := call(t, s, "list_orders", "nobody", nil)
	if none.Status != "ok" || none.Data["count"] != 0 || len(none.Data["orders"].([]any)) != 0 || none.Data["latest_order_id"] != "" {
		t.Errorf("list_orders of a customer without orders = %v", none)
	}
}

// TestActions runs each action's outcomes on the seeded shop, in order
// (later rows see the changes of earlier ones).
func TestActions(t *testing.T) {
	s, _ := openSeeded(t)
	p := func(kv ...string) map[string]string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name, action, customer string
		params                 map[string]string
		status                 string
		want                   map[string]any
	}{
		{"order not found", "get_order", c1, p("order_id", "DD209999999999"), "not_found", nil},
		{"order of another customer", "get_order", c2, p("order_id", "DD202611030001"), "not_yours", nil},
		{"order without customer ref", "get_order", "", p("order_id", "dd202611030001"), "ok", map[string]any{"order_id": "DD202611030001"}},
		{"order id with #", "get_order", c1, p("order_id", "#DD202611030001"), "ok", nil},

		{"track by order", "track_shipment", c1, p("order_id", "DD202611030001"), "ok", map[string]any{"status": "in_transit", "status_text_zh": "运输中", "carrier": "SF", "last_event_en": "Arrived at the Shanghai hub", "eta": "2026-11-09", "eta_days": "1"}},
		{"track by number", "track_shipment", c2, p("tracking_number", "jdva 1234 5678 901"), "ok", map[string]any{"order_id": "DD202611040006", "status": "out_for_delivery"}},
		{"track another's number", "track_shipment", c1, p("tracking_number", "JDVA12345678901"), "not_yours", nil},
		{"track unknown number", "track_shipment", c1, p("tracking_number", "SF0000000000000"), "not_found", nil},
		{"track unshipped", "track_shipment", c1, p("order_id", "DD202611050002"), "not_shipped", map[string]any{"status": "paid"}},

		{"cancel shipped", "cancel_order", c1, p("order_id", "DD202611030001"), "not_allowed", map[string]any{"status": "shipped"}},
		{"cancel delivered", "cancel_order", c1, p("order_id", "DD202611010003"), "not_allowed", nil},
		{"cancel another's", "cancel_order", c2, p("order_id", "DD202611050002"), "not_yours", nil},
		{"cancel paid", "cancel_order", c1, p("order_id", "DD202611050002"), "ok", map[string]any{"refund_amount": "499.00 CNY", "status": "cancelled", "refund_eta": "2026-11-11"}},
		{"cancel again", "cancel_order", c1, p("order_id", "DD202611050002"), "already_done", nil},
		{"refund after cancel", "get_refund", c1, p("order_id", "DD202611050002"), "ok", map[string]any{"status": "processing", "amount": "499.00 CNY"}},
		{"cancel unpaid", "cancel_order", c2, p("order_id", "DD202611060007"), "ok", map[string]any{"refund_amount": "", "refund_eta": ""}},
		{"no refund for unpaid", "get_refund", c2, p("order_id", "DD202611060007"), "no_refund", map[string]any{"why": "unpaid", "status": "cancelled"}},
		{"no refund before a return", "get_refund", c1, p("order_id", "DD202611010003"), "no_refund", map[string]any{"why": ""}},

		{"address of paid", "change_address", "demo-customer-3", p("order_id", "DD202611070010", "address", "  广州市 海珠区 新港中路 397 号  "), "ok", map[string]any{"address": "广州市 海珠区 新港中路 397 号"}},
		{"address of shipped", "change_address", c1, p("order_id", "DD202611030001", "address", "上海市徐汇区漕溪北路 88 号"), "not_allowed", nil},
		{"address of cancelled", "change_address", c1, p("order_id", "DD202611050002", "address", "上海市徐汇区漕溪北路 88 号"), "not_allowed", nil},
		{"address too short", "change_address", "demo-customer-6", p("order_id", "DD202611080013", "address", "家"), "invalid_address", nil},
		{"address non-UTF-8", "change_address", "demo-customer-6", p("order_id", "DD202611080013", "address", "abc\xff\xfe defgh"), "invalid_address", nil},
		{"address control chars", "change_address", "demo-customer-6", p("order_id", "DD202611080013", "address", "杭州市西湖区\x00文三路 1 号"), "invalid_address", nil},
		{"address digits only", "change_address", "demo-customer-6", p("order_id", "DD202611080013", "address", "1234567890"), "invalid_address", nil},

		// The return policy of the help center: reasons by category, a
		// label fee for a no-reason return, none for a quality problem.
		{"quote: a size for earbuds", "quote_return", c1, p("order_id", "DD202611010003", "reason", "size"), "not_allowed", map[string]any{"why": "reason_not_accepted", "reasons": "quality wrong_item changed_mind other"}},
		{"quote: quality, free", "quote_return", c1, p("order_id", "DD202611010003", "reason", "quality"), "ok", map[string]any{"refund_amount": "499.00 CNY", "fee": ""}},
		{"quote: changed mind, label fee", "quote_return", c1, p("order_id", "DD202611010003", "reason", "changed_mind"), "ok", map[string]any{"refund_amount": "487.00 CNY", "fee": "12.00 CNY"}},
		{"quote: not delivered", "quote_return", c1, p("order_id", "DD202611030001"), "not_allowed", map[string]any{"why": "not_delivered"}},
		// Electronics come back without a reason only sealed.
		{"quote: changed mind, earbuds: ask about the seal", "quote_return", c1, p("order_id", "DD202611010003", "reason", "changed_mind"), "ok", map[string]any{"needs_seal": "true", "seal_items": "SoundPods 降噪耳机"}},
		{"quote: changed mind, earbuds opened", "quote_return", c1, p("order_id", "DD202611010003", "reason", "changed_mind", "sealed", "no"), "not_allowed", map[string]any{"why": "opened"}},
		{"quote: quality, earbuds opened", "quote_return", c1, p("order_id", "DD202611010003", "reason", "quality", "sealed", "no"), "ok", map[string]any{"needs_seal": "", "fee": ""}},
		{"quote: changed mind, a coat has no seal", "quote_return", c1, p("order_id", "DD202610150004", "reason", "changed_mind"), "not_allowed", map[string]any{"needs_seal": "", "why": "window_expired"}},
		{"coupon for a late parcel", "issue_coupon", c1, p("reason", "late_delivery"), "ok", map[string]any{"amount": "10.00 CNY"}},
		{"coupon twice", "issue_coupon", c1, p("reason", "late_delivery"), "already_done", map[string]any{"amount": "10.00 CNY"}},
		{"coupon for no reason of the playbook", "issue_coupon", c1, p("reason", "because"), "not_allowed", nil},
		{"return opened earbuds without a reason", "create_return", c1, p("order_id", "DD202611010003", "reason", "changed_mind", "sealed", "no"), "not_allowed", map[string]any{"reason": "opened"}},
		{"return delivered 2 days ago", "create_return", c1, p("order_id", "DD202611010003", "reason", "不喜欢", "photos", "yes"), "ok", map[string]any{"return_id": "RT202611010003", "refund_amount": "487.00 CNY", "fee": "12.00 CNY", "status": "returned"}},
		{"return again", "create_return", c1, p("order_id", "DD202611010003", "reason", "不喜欢"), "already_done", map[string]any{"return_id": "RT202611010003"}},
		{"refund after return", "get_refund", c1, p("order_id", "DD202611010003"), "ok", map[string]any{"status": "processing"}},
		{"return delivered 20 days ago", "create_return", c1, p("order_id", "DD202610150004", "reason", "too small"), "not_allowed", map[string]any{"reason": "window_expired"}},
		{"return not delivered", "create_return", c1, p("order_id", "DD202611030001", "reason", "too small"), "not_allowed", map[string]any{"reason": "not_delivered"}},
		{"return of returned", "create_return", c1, p("order_id", "DD202610200005", "reason", "again"), "already_done", nil},
		{"return another's", "create_return", c1, p("order_id", "DD202611020008", "reason", "x"), "not_yours", nil},

		// One item of an order of several (items: the SKUs): its reasons,
		// seal and price only; the order stays delivered.
		{"items counted", "get_order", c6, p("order_id", "DD202611020029"), "ok", map[string]any{"item_count": "2"}},
		{"quote: the sweater only", "quote_return", c6, p("order_id", "DD202611020029", "items", "CL-SW-009", "reason", "changed_mind"), "ok", map[string]any{"refund_amount": "417.00 CNY", "fee": "12.00 CNY", "needs_seal": "", "items_en": "Merino Crew Sweater (oatmeal, M) ×1"}},
		{"quote: the phone case only", "quote_return", c6, p("order_id", "DD202611020029", "items", "el-pc-024"), "ok", map[string]any{"reasons": "quality wrong_item changed_mind other", "seal_items": "ClearGuard 手机壳"}},
		{"quote: the whole order", "quote_return", c6, p("order_id", "DD202611020029", "reason", "quality"), "ok", map[string]any{"refund_amount": "498.00 CNY", "reasons": "quality wrong_item size changed_mind other"}},
		{"quote: an item not in the order", "quote_return", c6, p("order_id", "DD202611020029", "items", "CL-HD-001"), "not_allowed", map[string]any{"why": "not_in_order", "items_en": "Merino Crew Sweater (oatmeal, M) ×1; ClearGuard Phone Case (clear, iPhone 15) ×1"}},
		{"return an item not in the order", "create_return", c6, p("order_id", "DD202611020029", "items", "CL-HD-001", "reason", "changed_mind"), "not_allowed", map[string]any{"reason": "not_in_order"}},
		{"return the sweater only", "create_return", c6, p("order_id", "DD202611020029", "items", "CL-SW-009", "reason", "changed_mind"), "ok", map[string]any{"refund_amount": "417.00 CNY", "status": "delivered", "items_en": "Merino Crew Sweater (oatmeal, M) ×1"}},

		{"member unknown", "get_member", "nobody", nil, "not_found", nil},
	}
	if _, err := s.Call(context.Background(), flow.Request{Action: "quote_return", TenantID: tenant, CustomerRef: c1,
		Params: map[string]string{"order_id": "DD202611010003", "reason": "bored"}}); assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("quote_return with an unknown reason: %v, want EINVALID", err)
	}
	if _, err := s.Call(context.Background(), flow.Request{Action: "quote_return", TenantID: tenant, CustomerRef: c1,
		Params: map[string]string{"order_id": "DD202611010003", "sealed": "maybe"}}); assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("quote_return with sealed=maybe: %v, want EINVALID", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := call(t, s, tt.action, tt.customer, tt.params)
			if res.Status != tt.status {
				t.Fatalf("status = %q (%v), want %q", res.Status, res.Data, tt.status)
			}
			for k, v := range tt.want {
				if res.Data[k] != v {
					t.Errorf("%s = %q, want %q", k, res.Data[k], v)
				}
			}
		})
	}
	// The changes are visible to lookups.
	if got := call(t, s, "get_order", "", order("DD202611070010")).Data["address"]; got != "广州市 海珠区 新港中路 397 号" {
		t.Errorf("address after change = %q", got)
	}
	if got := call(t, s, "get_order", "", order("DD202611050002")).Data["status"]; got != "cancelled" {
		t.Errorf("status after cancel = %q", got)
	}
	ret := call(t, s, "get_order", c1, order("DD202611010003"))
	if ret.Data["status"] != "returned" {
		t.Errorf("status after return = %q", ret.Data["status"])
	}
	if got := call(t, s, "get_order", c6, order("DD202611020029")).Data["status"]; got != "delivered" {
		t.Errorf("status after returning one item of two = %q, want delivered", got)
	}
}

func TestReturnWindowFollowsClock(t *testing.T) {
	s, clk := openSeeded(t)
	// DD202610290020 was delivered 6 days ago: the day of delivery counts
	// as day 1 (the Returns article), so today is the last day of the
	// 7-day window and tomorrow is too late.
	got := call(t, s, "get_order", "demo-customer-3", order("DD202610290020"))
	if got.Data["returnable"] != "true" || got.Data["return_by"] != "2026-11-08" {
		t.Fatalf("get_order on the 7th day = %v", got.Data)
	}
	clk.add(24 * time.Hour)
	res := call(t, s, "create_return", "demo-customer-3", map[string]string{"order_id": "DD202610290020", "reason": "颜色不喜欢"})
	if res.Status != "not_allowed" || res.Data["reason"] != "window_expired" {
		t.Fatalf("return on the 8th day after delivery = %v", res)
	}
	clk.add(-24 * time.Hour)
	if res := call(t, s, "create_return", "demo-customer-3", map[string]string{"order_id": "DD202610290020", "reason": "颜色不喜欢"}); res.Status != "ok" {
		t.Fatalf("return on the last day of the window = %v", res)
	}
}

func TestErrors(t *testing.T) {
	s, _ := openSeeded(t)
	tests := []struct {
		name string
		req  flow.Request
		code string
	}{
		{"unknown action", flow.Request{Action: "refund_everything", TenantID: tenant}, assist.ENOTFOUND},
		{"no action", flow.Request{TenantID: tenant}, assist.ENOTFOUND},
		{"no tenant", flow.Request{Action: "get_order", Params: order("DD202611030001")}, assist.EINVALID},
		{"no order id", flow.Request{Action: "get_order", TenantID: tenant}, assist.EINVALID},
		{"malformed order id", flow.Request{Action: "cancel_order", TenantID: tenant, CustomerRef: c1, Params: order("DROP TABLE orders")}, assist.EINVALID},
		{"letters inside order id", flow.Request{Action: "get_order", TenantID: tenant, Params: order("DD2026A1030001")}, assist.EINVALID},
		{"track without id or number", flow.Request{Action: "track_shipment", TenantID: tenant}, assist.EINVALID},
		{"track malformed number", flow.Request{Action: "track_shipment", TenantID: tenant, Params: map[string]string{"tracking_number": "SF12/34"}}, assist.EINVALID},
		{"address missing", flow.Request{Action: "change_address", TenantID: tenant, CustomerRef: c1, Params: order("DD202611050002")}, assist.EINVALID},
		{"return without reason", flow.Request{Action: "create_return", TenantID: tenant, CustomerRef: c1, Params: order("DD202611010003")}, assist.EINVALID},
		{"return bad photos", flow.Request{Action: "create_return", TenantID: tenant, CustomerRef: c1, Params: map[string]string{"order_id": "DD202611010003", "reason": "x", "photos": "maybe"}}, assist.EINVALID},
		{"return non-UTF-8 reason", flow.Request{Action: "create_return", TenantID: tenant, CustomerRef: c1, Params: map[string]string{"order_id": "DD202611010003", "reason": "\xff\xfe"}}, assist.EINVALID},
		{"list without customer", flow.Request{Action: "list_orders", TenantID: tenant}, assist.EINVALID},
		{"cancel without customer", flow.Request{Action: "cancel_order", TenantID: tenant, Params: order("DD202611050002")}, assist.EFORBIDDEN},
		{"return without customer", flow.Request{Action: "create_return", TenantID: tenant, Params: map[string]string{"order_id": "DD202611010003", "reason": "size", "photos": "no"}}, assist.EFORBIDDEN},
		{"member without customer", flow.Request{Action: "get_member", TenantID: tenant}, assist.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Call(context.Background(), tt.req)
			if assist.ErrorCode(err) != tt.code {
				t.Fatalf("Call = %v, %v; want code %s", res, err, tt.code)
			}
		})
	}
	// Nothing changed: the return was not created.
	if r := call(t, s, "get_order", "", order("DD202611010003")); r.Data["status"] != "delivered" {
		t.Errorf("status after refused calls = %v", r.Data["status"])
	}
}

func TestIdempotency(t *testing.T) {
	s, _ := openSeeded(t)
	ctx := context.Background()
	req := flow.Request{Action: "cancel_order", TenantID: tenant, CustomerRef: c1, Params: order("DD202611050002"), IdempotencyKey: "conv1:cancel:1"}
	first, err := s.Call(ctx, req)
	if err != nil || first.Status != "ok" {
		t.Fatalf("first cancel = %v, %v", first, err)
	}
	// A retry with the key gets the first answer, not already_done.
	again, err := s.Call(ctx, req)
	if err != nil || !reflect.DeepEqual(jsonOf(t, again), jsonOf(t, first)) {
		t.Fatalf("retried cancel = %v, %v; want the first result %v", again, err, first)
	}
	// Without the key, the state speaks.
	req2 := req
	req2.IdempotencyKey = "conv1:cancel:2"
	if r, _ := s.Call(ctx, req2); r.Status != "already_done" {
		t.Errorf("cancel with a new key = %v, want already_done", r)
	}
	// The key for another call is a conflict.
	other := req
	other.Params = order("DD202611030001")
	if _, err := s.Call(ctx, other); assist.ErrorCode(err) != assist.ECONFLICT {
		t.Errorf("key reused for another order: %v, want ECONFLICT", err)
	}
	// A repeated address change with its key changes nothing the second
	// time, even after another change.
	set := func(key, addr string) flow.Result {
		r, err := s.Call(ctx, flow.Request{Action: "change_address", TenantID: tenant, CustomerRef: "demo-customer-6",
			Params: map[string]string{"order_id": "DD202611080013", "address": addr}, IdempotencyKey: key})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	set("k1", "杭州市滨江区网商路 699 号")
	set("k2", "杭州市上城区解放路 1 号")
	if r := set("k1", "杭州市滨江区网商路 699 号"); r.Data["address"] != "杭州市滨江区网商路 699 号" {
		t.Errorf("replayed result = %v", r.Data)
	}
	if got := call(t, s, "get_order", "", order("DD202611080013")).Data["address"]; got != "杭州市上城区解放路 1 号" {
		t.Errorf("a replayed key changed the address back: %q", got)
	}
}

func TestConcurrentCancels(t *testing.T) {
	s, _ := openSeeded(t)
	var wg sync.WaitGroup
	statuses := make([]string, 8)
	for i := range statuses {
		wg.Go(func() {
			r, err := s.Call(context.Background(), flow.Request{Action: "cancel_order", TenantID: tenant, CustomerRef: "demo-customer-3",
				Params: order("DD202611070010"), IdempotencyKey: fmt.Sprint("k", i)})
			if err != nil {
				t.Error(err)
			}
			statuses[i] = r.Status
		})
	}
	wg.Wait()
	n := map[string]int{}
	for _, st := range statuses {
		n[st]++
	}
	if n["ok"] != 1 || n["already_done"] != 7 {
		t.Errorf("8 concurrent cancels: %v, want 1 ok and 7 already_done", n)
	}
}

func TestSeedKeepsChangesSameDayAndRefreshesNextDay(t *testing.T) {
	s, clk := openSeeded(t)
	ctx := context.Background()
	call(t, s, "cancel_order", c1, order("DD202611050002"))
	clk.add(time.Hour)
	if ok, err := demoshop.Seed(ctx, s, tenant, seedPath); err != nil || ok {
		t.Fatalf("second Seed the same day = %v, %v; want no reseed", ok, err)
	}
	if st := call(t, s, "get_order", c1, order("DD202611050002")).Data["status"]; st != "cancelled" {
		t.Fatalf("after a same-day reseed the cancelled order is %v", st)
	}
	// Another tenant is seeded on its own.
	if ok, err := demoshop.Seed(ctx, s, "t-other", seedPath); err != nil || !ok {
		t.Fatalf("Seed of another tenant = %v, %v", ok, err)
	}
	clk.add(24 * time.Hour)
	if ok, err := demoshop.Seed(ctx, s, tenant, seedPath); err != nil || !ok {
		t.Fatalf("Seed the next day = %v, %v; want a reseed", ok, err)
	}
	res := call(t, s, "get_order", c1, order("DD202611050002"))
	if res.Data["status"] != "paid" {
		t.Errorf("after the next day's reseed the order is %v, want paid again", res.Data["status"])
	}
	if r := call(t, s, "get_refund", c1, order("DD202611050002")); r.Status != "no_refund" {
		t.Errorf("the cancel's refund survived the reseed: %v", r)
	}
	// Fresh dates: delivered two days before the new now.
	if d := call(t, s, "get_order", c1, order("DD202611010003")).Data["delivered_at"]; d != "2026-11-07" {
		t.Errorf("delivered_at after reseed = %v, want 2026-11-07", d)
	}
}

func TestParseSeedRejects(t *testing.T) {
	good := `{"customers":[{"ref":"a","name":"A","tier":"gold"}],"orders":[{"order_id":"DD202611010001","customer":"a","status":"paid","created":"-1d","address":"somewhere 1","items":[{"sku":"X","name":"x","name_zh":"某","qty":1,"price":"1.50"}]}]}`
	if _, err := demoshop.ParseSeed([]byte(good)); err != nil {
		t.Fatalf("good seed: %v", err)
	}
	for name, bad := range map[string]string{
		"unknown field":    `{"customers":[],"orders":[],"extra":1}`,
		"unknown tier":     `{"customers":[{"ref":"a","name":"A","tier":"diamond"}],"orders":[]}`,
		"unknown customer": `{"customers":[],"orders":[{"order_id":"DD202611010001","customer":"a","status":"paid","created":"-1d","address":"x","items":[{"sku":"X","name":"x","name_zh":"某","qty":1,"price":"1"}]}]}`,
		"bad offset":       `{"customers":[{"ref":"a","name":"A","tier":"gold"}],"orders":[{"order_id":"DD202611010001","customer":"a","status":"paid","created":"yesterday","address":"x","items":[{"sku":"X","name":"x","name_zh":"某","qty":1,"price":"1"}]}]}`,
		"bad price":        `{"customers":[{"ref":"a","name":"A","tier":"gold"}],"orders":[{"order_id":"DD202611010001","customer":"a","status":"paid","created":"-1d","address":"x","items":[{"sku":"X","name":"x","name_zh":"某","qty":1,"price":"1.999"}]}]}`,
		"bad status":       `{"customers":[{"ref":"a","name":"A","tier":"gold"}],"orders":[{"order_id":"DD202611010001","customer":"a","status":"lost","created":"-1d","address":"x","items":[{"sku":"X","name":"x","name_zh":"某","qty":1,"price":"1"}]}]}`,
		"not json":         `{"customers":`,
	} {
		if _, err := demoshop.ParseSeed([]byte(bad)); err == nil {
			t.Errorf("%s: ParseSeed accepted it", name)
		}
	}
}

// The seed file says when it was written: the day its order numbers and
// its "paid today" order (-4h) were written on, Sunday 2026-11-08.
func TestWrittenAt(t *testing.T) {
	at, err := demoshop.WrittenAt(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	cst := time.FixedZone("CST", 8*3600)
	if want := time.Date(2026, 11, 8, 14, 0, 0, 0, cst); !at.Equal(want) {
		t.Errorf("written_at %v, want %v", at, want)
	}
	if d := at.Add(-4 * time.Hour).In(cst); d.Format("20060102") != "20261108" || d.Hour() >= 12 {
		t.Errorf("the -4h order DD202611080013 was placed %v: not that morning", d)
	}
	f, err := demoshop.ParseSeed([]byte(`{"written_at":"2026-11-08T14:00:00+08:00","customers":[],"orders":[]}`))
	if err != nil || !f.WrittenAt.Equal(at) {
		t.Errorf("ParseSeed written_at = %v, %v", f, err)
	}
	if _, err := demoshop.ParseSeed([]byte(`{"written_at":"2026-11-08","customers":[],"orders":[]}`)); err == nil {
		t.Error("ParseSeed accepted a written_at without a time")
	}
	nowhen := filepath.Join(t.TempDir(), "shop.json")
	if err := os.WriteFile(nowhen, []byte(`{"customers":[],"orders":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := demoshop.WrittenAt(nowhen); err == nil {
		t.Error("WrittenAt of a file without written_at: no error")
	}
}

func jsonOf(t testing.TB, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func BenchmarkCall(b *testing.B) {
	s, _ := openSeeded(b)
	req := flow.Request{Action: "get_order", TenantID: tenant, CustomerRef: c1, Lang: "zh", Params: order("DD202611030001")}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, err := s.Call(ctx, req)
		if err != nil || res.Status != "ok" {
			b.Fatal(res, err)
		}
	}
}
