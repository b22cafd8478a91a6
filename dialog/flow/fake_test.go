package flow

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/assistd/assist"
)

// fakeShop is a hand-written Backend over a few orders shaped like the demo
// shop's seed (different customers, every order status), so every status of
// every action the flows call can be reached.
type fakeShop struct {
	mu      sync.Mutex
	orders  map[string]*fakeOrder
	returns map[string]string // idempotency key or order id → return id
	calls   []Request
	fail    map[string]error // action → error to answer with
	// shipAfterLookup ships an order once get_order has answered for it.
	shipAfterLookup bool
}

type fakeOrder struct {
	customer, status, items, total, address string
	carrier, tracking                       string
	refund                                  string // refund status: "", processing, completed
	refundAmount                            string
	returnable                              bool
	returnBy                                string // set: get_order tells returnable and return_by, as the demo shop does
	reasons                                 string // set: quote_return lists the return reasons its products allow
	seal                                    string // set: its items are sold sealed; a no-reason return needs the seal
}

var _ Backend = (*fakeShop)(nil)

// shopReturnDays sets the shop's return windows in days, as the demo
// shop's get_order, quote_return and not_allowed answers do: the flows
// say these figures, never numbers of their own.
func shopReturnDays(d map[string]any) map[string]any {
	d["return_days"], d["quality_return_days"] = "7", "15"
	return d
}

// shopOrderTimes sets how soon the shop dispatches and how long it waits
// for a payment, as the demo shop's get_order and not_shipped do.
func shopOrderTimes(d map[string]any) map[string]any {
	d["dispatch_hours"], d["pay_within_minutes"] = "48", "30"
	return d
}

func newFakeShop() *fakeShop {
	return &fakeShop{
		returns: map[string]string{},
		fail:    map[string]error{},
		orders: map[string]*fakeOrder{
			"DD202611030001": {customer: "c1", status: "shipped", items: "运动鞋 x1", total: "399.00 CNY", address: "上海市浦东新区世纪大道 100 号", carrier: "SF", tracking: "SF1234567890123"},
			"DD202611050002": {customer: "c1", status: "paid", items: "T恤 x2", total: "158.00 CNY", address: "上海市浦东新区世纪大道 100 号"},
			"DD202611010003": {customer: "c1", status: "delivered", items: "连帽衫 x1", total: "259.00 CNY", returnable: true},
			"DD202610150004": {customer: "c1", status: "delivered", items: "帆布包 x1", total: "99.00 CNY"},
			"DD202610200005": {customer: "c1", status: "returned", items: "牛仔裤 x1", total: "299.00 CNY", refund: "processing", refundAmount: "299.00 CNY"},
			"DD202611070010": {customer: "c3", status: "paid", items: "蓝牙音箱 x1", total: "299.00 CNY", address: "杭州市西湖区文三路 90 号"},
			"DD202611060007": {customer: "c2", status: "pending_payment", items: "Desk lamp x1", total: "129.00 CNY"},
			"DD202610010016": {customer: "c4", status: "delivered", items: "帆布包 x1", total: "99.00 CNY", returnBy: "2026-10-08"},
			"DD202610250009": {customer: "c2", status: "cancelled", items: "Mug x2", total: "159.00 CNY", refund: "completed", refundAmount: "159.00 CNY"},
			"DD202611040012": {customer: "c5", status: "delivered", items: "蓝牙耳机 x1", total: "499.00 CNY", returnable: true, reasons: "quality wrong_item changed_mind other", seal: "蓝牙耳机"},
			"DD202611060021": {customer: "c5", status: "delivered", items: "圆形地毯 x1", total: "359.00 CNY", returnable: true, reasons: "quality wrong_item changed_mind other"},
		},
	}
}

var statusText = map[string][2]string{
	"pending_payment": {"待付款", "waiting for payment"},
	"paid":            {"已付款，待发货", "paid, not shipped yet"},
	"shipped":         {"已发货", "shipped"},
	"delivered":       {"已签收", "delivered"},
	"cancelled":       {"已取消", "cancelled"},
	"returned":        {"已退货", "returned"},
	"processing":      {"退款处理中", "being processed"},
	"completed":       {"退款已完成", "completed"},
}

func (s *fakeShop) Call(ctx context.Context, req Request) (Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, req)
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if err := s.fail[req.Action]; err != nil {
		return Result{}, err
	}
	find := func() (string, *fakeOrder, string) {
		id := req.Params["order_id"]
		o, ok := s.orders[id]
		switch {
		case !ok:
			return id, nil, "not_found"
		case req.CustomerRef != "" && o.customer != req.CustomerRef:
			return id, nil, "not_yours"
		}
		return id, o, StatusOK
	}
	switch req.Action {
	case "get_order":
		id, o, st := find()
		if o == nil {
			return Result{Status: st}, nil
		}
		d := map[string]any{"order_id": id, "status": o.status, "status_text_zh": statusText[o.status][0],
			"status_text_en": statusText[o.status][1], "items": o.items, "total": o.total, "address": o.address}
		if o.tracking != "" {
			d["carrier"], d["tracking_number"], d["eta"] = o.carrier, o.tracking, "2026-11-22"
		}
		if o.returnBy != "" {
			d["returnable"], d["return_by"], d["delivered_at"] = o.returnable, o.returnBy, "2026-10-01"
		}
		shopReturnDays(d)
		shopOrderTimes(d)
		if s.shipAfterLookup {
			o.status = "shipped"
		}
		return Result{Status: st, Data: d}, nil
	case "track_shipment":
		var o *fakeOrder
		if t := req.Params["tracking_number"]; t != "" {
			for _, c := range s.orders {
				if c.tracking == t {
					o = c
				}
			}
		} else {
			o = s.orders[req.Params["order_id"]]
		}
		switch {
		case o == nil:
			return Result{Status: "not_found"}, nil
		case o.tracking == "":
			return Result{Status: "not_shipped", Data: shopOrderTimes(map[string]any{})}, nil
		}
		return Result{Status: StatusOK, Data: map[string]any{"carrier": o.carrier, "tracking_number": o.tracking,
			"status": "in_transit", "status_text_zh": "运输中", "status_text_en": "in transit",
			"last_event_zh": "已到达上海转运中心", "last_event_en": "arrived at the Shanghai hub",
			"last_event_at": "2026-11-20 18:30", "eta": "2026-11-22"}}, nil
	case "cancel_order":
		id, o, st := find()
		switch {
		case o == nil:
			return Result{Status: st}, nil
		case o.status == "cancelled":
			return Result{Status: "already_done"}, nil
		case o.status != "paid" && o.status != "pending_payment":
			return Result{Status: "not_allowed", Data: shopReturnDays(map[string]any{})}, nil
		}
		refund := ""
		if o.status == "paid" {
			refund = o.total
		}
		o.status = "cancelled"
		return Result{Status: StatusOK, Data: map[string]any{"order_id": id, "refund_amount": refund}}, nil
	case "change_address":
		id, o, st := find()
		switch {
		case o == nil:
			return Result{Status: st}, nil
		case o.status != "paid" && o.status != "pending_payment":
			return Result{Status: "not_allowed"}, nil
		case len([]rune(req.Params["address"])) < 8:
			return Result{Status: "invalid_address"}, nil
		}
		o.address = req.Params["address"]
		return Result{Status: StatusOK, Data: map[string]any{"order_id": id, "address": o.address}}, nil
	case "quote_return":
		id, o, st := find()
		switch {
		case o == nil:
			return Result{Status: st}, nil
		}
		d := map[string]any{"order_id": id, "items": o.items, "refund_amount": o.total, "fee": "", "return_by": "2026-12-12"}
		shopReturnDays(d)
		if o.seal != "" {
			d["seal_items"] = o.seal // as the demo shop: named whatever the reason
		}
		if o.reasons != "" {
			d["reasons"] = o.reasons
			d["reasons_zh"], d["reasons_en"] = "质量问题、发错货、不喜欢、其他原因", "quality problem, wrong item, changed mind, other reason"
			if r := req.Params["reason"]; r != "" && !slices.Contains(strings.Fields(o.reasons), r) {
				d["why"] = "reason_not_accepted"
				return Result{Status: "not_allowed", Data: d}, nil
			}
		}
		if r := req.Params["reason"]; o.seal != "" && (r == "changed_mind" || r == "other") {
			d["seal_items"], d["needs_seal"] = o.seal, "true"
			if req.Params["sealed"] == "no" {
				d["why"] = "opened"
				return Result{Status: "not_allowed", Data: d}, nil
			}
		}
		return Result{Status: StatusOK, Data: d}, nil
	case "create_return":
		id, o, st := find()
		switch {
		case o == nil:
			return Result{Status: st}, nil
		case s.returns[req.IdempotencyKey] != "":
			return Result{Status: StatusOK, Data: map[string]any{"return_id": s.returns[req.IdempotencyKey], "order_id": id}}, nil
		case s.returns[id] != "":
			return Result{Status: "already_done"}, nil
		case !o.returnable:
			return Result{Status: "not_allowed", Data: shopReturnDays(map[string]any{})}, nil
		}
		if req.Params["reason"] == "" || (req.Params["photos"] != "yes" && req.Params["photos"] != "no") {
			return Result{}, assist.Errorf(assist.EINVALID, "create_return: reason and photos yes/no are required")
		}
		rid := "RT" + id[2:]
		s.returns[id], s.returns[req.IdempotencyKey] = rid, rid
		data := map[string]any{"return_id": rid, "order_id": id, "refund_amount": o.total}
		if req.Params["photos"] != "yes" {
			// A shop may give its own instructions; with photos this one
			// gives none, so the flow's own sentences are tested too.
			data["instructions_zh"], data["instructions_en"] = "请在 3 天内寄回商品。", "Please send the item back within 3 days."
		}
		return Result{Status: StatusOK, Data: data}, nil
	case "list_orders":
		if req.CustomerRef == "" {
			return Result{}, assist.Errorf(assist.EINVALID, "list_orders: no customer_ref")
		}
		// Newest first: the ids carry the order date, then a sequence number.
		var ids []string
		for id, o := range s.orders {
			if o.customer == req.CustomerRef {
				ids = append(ids, id)
			}
		}
		slices.SortFunc(ids, func(a, b string) int { return strings.Compare(b[2:10], a[2:10]) })
		orders := make([]map[string]any, 0, len(ids))
		for _, id := range ids {
			o := s.orders[id]
			orders = append(orders, map[string]any{"order_id": id, "status": o.status,
				"created_at": id[2:6] + "-" + id[6:8] + "-" + id[8:10], "items": o.items})
		}
		d := map[string]any{"orders": orders, "count": len(orders)}
		if len(ids) > 0 {
			d["latest_order_id"] = ids[0]
		}
		return Result{Status: StatusOK, Data: d}, nil
	case "get_refund":
		id, o, st := find()
		switch {
		case o == nil:
			return Result{Status: st}, nil
		case o.refund == "":
			return Result{Status: "no_refund"}, nil
		}
		return Result{Status: StatusOK, Data: map[string]any{"order_id": id, "status": o.refund,
			"status_text_zh": statusText[o.refund][0], "status_text_en": statusText[o.refund][1],
			"amount": o.refundAmount, "eta": "2026-11-24"}}, nil
	}
	return Result{}, assist.Errorf(assist.ENOTFOUND, "unknown action %q", req.Action)
}

// actions returns the actions called so far, in order.
func (s *fakeShop) actions() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, c := range s.calls {
		out = append(out, c.Action)
	}
	return out
}
