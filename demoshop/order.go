package demoshop

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog/flow"
)

// Order statuses.
const (
	PendingPayment = "pending_payment"
	Paid           = "paid"
	Shipped        = "shipped"
	Delivered      = "delivered"
	Cancelled      = "cancelled"
	Returned       = "returned"
)

// Business outcomes other than flow.StatusOK.
const (
	StatusNotFound       = "not_found"
	StatusNotYours       = "not_yours"
	StatusNotAllowed     = "not_allowed"
	StatusAlreadyDone    = "already_done"
	StatusNotShipped     = "not_shipped"
	StatusInvalidAddress = "invalid_address"
	StatusNoRefund       = "no_refund"
)

// Item is one line of an order.
type Item struct {
	SKU     string `json:"sku"`
	Name    string `json:"name"`
	NameZh  string `json:"name_zh"`
	Options string `json:"options,omitempty"` // colour, size, …
	Qty     int    `json:"qty"`
	Price   int64  `json:"price_cents"` // unit price
}

// Event is one step of a shipment's journey.
type Event struct {
	At time.Time `json:"at"`
	Zh string    `json:"zh"`
	En string    `json:"en"`
}

type order struct {
	ID, Customer, Status string
	Created              time.Time
	Total                assist.Money
	Items                []Item
	Address              string
	texts                *itemsText // the texts of Items (itemTexts)
}

type shipment struct {
	OrderID, Carrier, Tracking, Status string
	ETA, Delivered                     time.Time
	Events                             []Event
}

type refund struct {
	ID, OrderID, Status string
	Amount              assist.Money
	Created, ETA, Done  time.Time
}

// scanFunc adapts a function to the Scan method scanOrder needs.
type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

const orderCols = `order_id, customer_ref, status, created_at, total_cents, currency, items, address`

func scanOrder(sc interface{ Scan(...any) error }) (*order, error) {
	var o order
	var created, items string
	if err := sc.Scan(&o.ID, &o.Customer, &o.Status, &created, &o.Total.Minor, &o.Total.Currency, &items, &o.Address); err != nil {
		return nil, err
	}
	var err error
	if o.Created, err = parseTime(created); err != nil {
		return nil, fmt.Errorf("order %s: %w", o.ID, err)
	}
	it, err := readItems(items)
	if err != nil {
		return nil, fmt.Errorf("order %s items: %w", o.ID, err)
	}
	o.Items, o.texts = slices.Clone(it.items), it
	return &o, nil
}

// itemsText is an order's items, decoded from their JSON column, and
// their texts (itemTexts).
type itemsText struct {
	items        []Item
	skus, zh, en string
}

// itemsRead remembers orders' items by the JSON text they are stored as:
// a turn about orders lists the customer's orders (list_orders runs on
// most order turns and help-center turns alike, to see whether the
// message names one), and decoding each order's items and writing their
// texts again was the most of a listing's allocations. A result depends
// on the text alone, so it needs no invalidation; the memo starts afresh
// when it holds itemsReadSize texts.
var itemsRead = struct {
	sync.Mutex
	m map[string]*itemsText
}{}

// itemsReadSize bounds itemsRead: more orders than a demo shop's.
const itemsReadSize = 4096

// readItems decodes an order's items column (remembered: itemsRead). The
// result is shared: a caller clones the items before changing them.
func readItems(js string) (*itemsText, error) {
	itemsRead.Lock()
	it, ok := itemsRead.m[js]
	itemsRead.Unlock()
	if ok {
		return it, nil
	}
	var items []Item
	if err := json.Unmarshal([]byte(js), &items); err != nil {
		return nil, err
	}
	it = &itemsText{items: slices.Clip(items)}
	it.skus, it.zh, it.en = itemStrings(items)
	itemsRead.Lock()
	if itemsRead.m == nil || len(itemsRead.m) >= itemsReadSize {
		itemsRead.m = make(map[string]*itemsText)
	}
	itemsRead.m[js] = it
	itemsRead.Unlock()
	return it, nil
}

// loadOrder returns the order, or nil when there is none.
func loadOrder(ctx context.Context, q querier, tenant, id string) (*order, error) {
	o, err := scanOrder(q.QueryRowContext(ctx, `SELECT `+orderCols+` FROM orders WHERE tenant_id = ? AND order_id = ?`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return o, err
}

const shipmentCols = `order_id, carrier, tracking_number, status, eta, delivered_at, events`

func scanShipment(sc interface{ Scan(...any) error }) (*shipment, error) {
	var sh shipment
	var events string
	if err := sc.Scan(&sh.OrderID, &sh.Carrier, &sh.Tracking, &sh.Status, nullTime{&sh.ETA}, nullTime{&sh.Delivered}, &events); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(events), &sh.Events); err != nil {
		return nil, fmt.Errorf("shipment %s events: %w", sh.Tracking, err)
	}
	return &sh, nil
}

// loadShipment returns the order's shipment, or nil when it has none.
func loadShipment(ctx context.Context, q querier, tenant, orderID string) (*shipment, error) {
	sh, err := scanShipment(q.QueryRowContext(ctx, `SELECT `+shipmentCols+` FROM shipments WHERE tenant_id = ? AND order_id = ?`, tenant, orderID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return sh, err
}

// latestRefund returns the order's newest refund, or nil.
func latestRefund(ctx context.Context, q querier, tenant, orderID string) (*refund, error) {
	var r refund
	var created string
	err := q.QueryRowContext(ctx, `SELECT refund_id, order_id, status, amount_cents, currency, created_at, eta, done_at
		FROM refunds WHERE tenant_id = ? AND order_id = ? ORDER BY created_at DESC LIMIT 1`, tenant, orderID).
		Scan(&r.ID, &r.OrderID, &r.Status, &r.Amount.Minor, &r.Amount.Currency, &created, nullTime{&r.ETA}, nullTime{&r.Done})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if r.Created, err = parseTime(created); err != nil {
		return nil, err
	}
	return &r, nil
}

// getOrder: order_id → the order, its status and its shipment.
func (s *Shop) getOrder(ctx context.Context, q querier, req flow.Request) (flow.Result, error) {
	id, err := orderIDParam(req)
	if err != nil {
		return flow.Result{}, err
	}
	// One query for the order and its shipment: get_order runs on most
	// order turns.
	var o *order
	var sh *shipment
	var carrier, tracking, shStatus, events sql.NullString
	var eta, delivered time.Time
	row := q.QueryRowContext(ctx, `SELECT o.order_id, o.customer_ref, o.status, o.created_at, o.total_cents, o.currency, o.items, o.address,
		s.carrier, s.tracking_number, s.status, s.eta, s.delivered_at, s.events
		FROM orders o LEFT JOIN shipments s ON s.tenant_id = o.tenant_id AND s.order_id = o.order_id
		WHERE o.tenant_id = ? AND o.order_id = ?`, req.TenantID, id)
	o, err = scanOrder(scanFunc(func(dest ...any) error {
		return row.Scan(append(dest, &carrier, &tracking, &shStatus, nullTime{&eta}, nullTime{&delivered}, &events)...)
	}))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return flow.Result{Status: StatusNotFound, Data: map[string]any{"order_id": id}}, nil
	case err != nil:
		return flow.Result{}, err
	case req.CustomerRef != "" && o.Customer != req.CustomerRef:
		return flow.Result{Status: StatusNotYours, Data: map[string]any{"order_id": id}}, nil
	}
	if carrier.Valid {
		sh = &shipment{OrderID: o.ID, Carrier: carrier.String, Tracking: tracking.String, Status: shStatus.String, ETA: eta, Delivered: delivered}
		if err := json.Unmarshal([]byte(events.String), &sh.Events); err != nil {
			return flow.Result{}, fmt.Errorf("shipment %s events: %w", sh.Tracking, err)
		}
	}
	data := map[string]any{
		"order_id":   o.ID,
		"created_at": s.date(o.Created),
		"total":      o.Total.String(),
		"address":    o.Address,
	}
	s.orderStatus(data, o)
	returnDays(data)
	orderTimes(data)
	itemTexts(data, o, req.Lang)
	data["item_count"] = strconv.Itoa(len(o.Items))
	shipmentData(data, sh, s)
	s.returnWindow(data, o, sh)
	s.priceProtection(data, o)
	warrantyPeriods(data, o)
	return flow.Result{Status: flow.StatusOK, Data: data}, nil
}

// returnWindow sets, for a delivered order, returnable ("true" or
// "false": still within ReturnWindow of its delivery), quality_returnable
// (the same within QualityWindow) and return_by, the
// last day of the window, so a flow can turn a return down before asking
// its questions. Other orders get neither key.
func (s *Shop) returnWindow(data map[string]any, o *order, sh *shipment) {
	if o.Status != Delivered || sh == nil || sh.Delivered.IsZero() {
		return
	}
	by := s.windowEnd(sh.Delivered, ReturnWindow)
	data["delivered_at"] = s.date(sh.Delivered)
	data["return_by"] = s.date(by)
	data["returnable"] = strconv.FormatBool(!s.now().After(by))
	// A quality problem may still be returned within QualityWindow.
	data["quality_returnable"] = strconv.FormatBool(!s.now().After(s.windowEnd(sh.Delivered, QualityWindow)))
	s.warrantyData(data, o, sh)
}

// maxListed bounds list_orders.
const maxListed = 20

// listOrders: the customer's orders, newest first.
func (s *Shop) listOrders(ctx context.Context, q querier, req flow.Request) (flow.Result, error) {
	if req.CustomerRef == "" {
		return flow.Result{}, assist.Errorf(assist.EINVALID, "list_orders: the conversation has no customer ref")
	}
	// One query (it runs on most order turns): the count of all the
	// customer's orders beside each listed one, and what the list says
	// besides an order's own columns. A delivered order says whether it
	// can still be returned (its shipment's delivery). An order says
	// whether it was ever paid, so a flow about refunds offers none that
	// has nothing to refund (a cancelled order without a refund never was).
	// The limit is written in the query: bound as a parameter, SQLite
	// compiled the statement again at every run (a third of its CPU).
	rows, err := q.QueryContext(ctx, `SELECT o.order_id, o.customer_ref, o.status, o.created_at, o.total_cents, o.currency, o.items, o.address,
		count(*) OVER (), s.order_id IS NOT NULL, s.delivered_at,
		EXISTS (SELECT 1 FROM refunds r WHERE r.tenant_id = o.tenant_id AND r.order_id = o.order_id)
		FROM orders o LEFT JOIN shipments s ON s.tenant_id = o.tenant_id AND s.order_id = o.order_id
		WHERE o.tenant_id = ? AND o.customer_ref = ?
		ORDER BY o.created_at DESC, o.order_id DESC LIMIT `+strconv.Itoa(maxListed), req.TenantID, req.CustomerRef)
	if err != nil {
		return flow.Result{}, err
	}
	defer rows.Close()
	orders := []any{}
	count := 0
	latest := ""
	for rows.Next() {
		var shipped, refunded bool
		var delivered time.Time
		o, err := scanOrder(scanFunc(func(dest ...any) error {
			return rows.Scan(append(dest, &count, &shipped, nullTime{&delivered}, &refunded)...)
		}))
		if err != nil {
			return flow.Result{}, err
		}
		if latest == "" {
			latest = o.ID
		}
		// Sized for the keys set below: a delivered order's return window
		// and warranty double them (growing the map was a fifth of its
		// allocations).
		size := 12
		if o.Status == Delivered && shipped {
			size = 24
		}
		d := make(map[string]any, size)
		d["order_id"], d["created_at"], d["total"] = o.ID, s.date(o.Created), o.Total.String()
		s.orderStatus(d, o)
		itemTexts(d, o, req.Lang)
		paid := o.Status != PendingPayment
		if o.Status == Cancelled {
			paid = refunded
		}
		d["paid"] = strconv.FormatBool(paid)
		if o.Status == Delivered && shipped {
			s.returnWindow(d, o, &shipment{OrderID: o.ID, Delivered: delivered})
		}
		orders = append(orders, d)
	}
	if err := rows.Err(); err != nil {
		return flow.Result{}, err
	}
	return flow.Result{Status: flow.StatusOK, Data: map[string]any{
		"orders": orders, "count": count, "latest_order_id": latest,
	}}, nil
}

// trackShipment: order_id or tracking_number → where the parcel is.
func (s *Shop) trackShipment(ctx context.Context, q querier, req flow.Request) (flow.Result, error) {
	var sh *shipment
	var o *order
	if raw := req.Params["order_id"]; raw != "" {
		id, err := orderIDParam(req)
		if err != nil {
			return flow.Result{}, err
		}
		var res flow.Result
		if o, res, err = s.ownOrder(ctx, q, req, id); o == nil || err != nil {
			return res, err
		}
		if sh, err = loadShipment(ctx, q, req.TenantID, o.ID); err != nil {
			return flow.Result{}, err
		}
	} else {
		tn, ok := trackingNumber(req.Params["tracking_number"])
		if !ok {
			return flow.Result{}, assist.Errorf(assist.EINVALID, "track_shipment: an order_id or a tracking_number is required")
		}
		var err error
		sh, err = scanShipment(q.QueryRowContext(ctx, `SELECT `+shipmentCols+` FROM shipments WHERE tenant_id = ? AND tracking_number = ?`, req.TenantID, tn))
		if errors.Is(err, sql.ErrNoRows) {
			return flow.Result{Status: StatusNotFound, Data: map[string]any{"tracking_number": tn}}, nil
		}
		if err != nil {
			return flow.Result{}, err
		}
		var res flow.Result
		if o, res, err = s.ownOrder(ctx, q, req, sh.OrderID); o == nil || err != nil {
			return res, err
		}
	}
	if sh == nil {
		data := map[string]any{"order_id": o.ID}
		s.orderStatus(data, o)
		orderTimes(data)
		return flow.Result{Status: StatusNotShipped, Data: data}, nil
	}
	data := map[string]any{"order_id": o.ID}
	shipmentData(data, sh, s)
	return flow.Result{Status: flow.StatusOK, Data: data}, nil
}

// cancelOrder: an order not yet shipped is cancelled; a paid one is
// refunded in full.
func (s *Shop) cancelOrder(ctx context.Context, q querier, req flow.Request) (flow.Result, error) {
	id, err := orderIDParam(req)
	if err != nil {
		return flow.Result{}, err
	}
	o, res, err := s.ownOrder(ctx, q, req, id)
	if o == nil || err != nil {
		return res, err
	}
	data := map[string]any{"order_id": o.ID}
	switch o.Status {
	case Cancelled:
		s.orderStatus(data, o)
		return flow.Result{Status: StatusAlreadyDone, Data: data}, nil
	case PendingPayment, Paid:
	default:
		s.orderStatus(data, o)
		returnDays(data)
		return flow.Result{Status: StatusNotAllowed, Data: data}, nil
	}
	now := s.now()
	var amount assist.Money
	if o.Status == Paid {
		amount = o.Total
		if err := s.addRefund(ctx, q, req.TenantID, o, o.Total, now, now.Add(cancelRefundWindow)); err != nil {
			return flow.Result{}, err
		}
	}
	if _, err := q.ExecContext(ctx, `UPDATE orders SET status = ?, updated_at = ? WHERE tenant_id = ? AND order_id = ?`,
		Cancelled, formatTime(now), req.TenantID, o.ID); err != nil {
		return flow.Result{}, err
	}
	o.Status = Cancelled
	s.orderStatus(data, o)
	// An unpaid order has nothing to refund: both are empty, so a
	// template's {{if .result.refund_amount}} says nothing about money.
	data["refund_amount"] = ""
	data["refund_eta"] = ""
	if amount.Minor > 0 {
		data["refund_amount"] = amount.String()
		data["refund_eta"] = s.date(now.Add(cancelRefundWindow))
	}
	data["payment_refund_days"] = WalletRefundDays
	return flow.Result{Status: flow.StatusOK, Data: data}, nil
}

// changeAddress: the delivery address of an order not yet shipped.
func (s *Shop) changeAddress(ctx context.Context, q querier, req flow.Request) (flow.Result, error) {
	id, err := orderIDParam(req)
	if err != nil {
		return flow.Result{}, err
	}
	addr, present := req.Params["address"]
	if !present || strings.TrimSpace(addr) == "" {
		return flow.Result{}, assist.Errorf(assist.EINVALID, "change_address: an address is required")
	}
	o, res, err := s.ownOrder(ctx, q, req, id)
	if o == nil || err != nil {
		return res, err
	}
	data := map[string]any{"order_id": o.ID}
	if o.Status != PendingPayment && o.Status != Paid {
		s.orderStatus(data, o)
		data["address"] = o.Address
		return flow.Result{Status: StatusNotAllowed, Data: data}, nil
	}
	addr, ok := cleanAddress(addr)
	if !ok {
		data["address"] = o.Address
		return flow.Result{Status: StatusInvalidAddress, Data: data}, nil
	}
	if _, err := q.ExecContext(ctx, `UPDATE orders SET address = ?, updated_at = ? WHERE tenant_id = ? AND order_id = ?`,
		addr, formatTime(s.now()), req.TenantID, o.ID); err != nil {
		return flow.Result{}, err
	}
	data["address"] = addr
	data["previous_address"] = o.Address
	return flow.Result{Status: flow.StatusOK, Data: data}, nil
}

// returnAddress is where returned goods go.
const (
	returnAddressZh = "浙江省杭州市余杭区文一西路 1000 号 Demo Shop 退货仓（售后部收，400-820-1234）"
	returnAddressEn = "Demo Shop Returns, 1000 Wenyi West Road, Yuhang District, Hangzhou, Zhejiang (After-sales, 400-820-1234)"
)

// createReturn: a delivered order, within ReturnWindow of its delivery,
// is returned and refunded in full once the goods are back.
func (s *Shop) createReturn(ctx context.Context, q querier, req flow.Request) (flow.Result, error) {
	id, err := orderIDParam(req)
	if err != nil {
		return flow.Result{}, err
	}
	reason := strings.TrimSpace(req.Params["reason"])
	switch {
	case reason == "":
		return flow.Result{}, assist.Errorf(assist.EINVALID, "create_return: a reason is required")
	case !utf8.ValidString(reason) || utf8.RuneCountInString(reason) > 500:
		return flow.Result{}, assist.Errorf(assist.EINVALID, "create_return: the reason must be valid text of at most 500 characters")
	}
	var photos bool
	switch strings.ToLower(strings.TrimSpace(req.Params["photos"])) {
	case "", "no", "false":
	case "yes", "true":
		photos = true
	default:
		return flow.Result{}, assist.Errorf(assist.EINVALID, "create_return: photos must be yes or no")
	}
	o, res, err := s.ownOrder(ctx, q, req, id)
	if o == nil || err != nil {
		return res, err
	}
	data := map[string]any{"order_id": o.ID}
	var existing string
	err = q.QueryRowContext(ctx, `SELECT return_id FROM returns WHERE tenant_id = ? AND order_id = ?`, req.TenantID, o.ID).Scan(&existing)
	switch {
	case err == nil:
		s.orderStatus(data, o)
		data["return_id"] = existing
		return flow.Result{Status: StatusAlreadyDone, Data: data}, nil
	case !errors.Is(err, sql.ErrNoRows):
		return flow.Result{}, err
	}
	now := s.now()
	sh, err := loadShipment(ctx, q, req.TenantID, o.ID)
	if err != nil {
		return flow.Result{}, err
	}
	tier, err := memberTier(ctx, q, req.TenantID, req.CustomerRef)
	if err != nil {
		return flow.Result{}, err
	}
	code := reason
	if _, ok := reasonTexts[code]; !ok {
		code = ReasonOther // a reason in the customer's words
	}
	sealed, err := sealedParam(req)
	if err != nil {
		return flow.Result{}, err
	}
	skus, err := itemsParam(req)
	if err != nil {
		return flow.Result{}, err
	}
	whole := o
	o, ok := returnedItems(o, skus)
	if !ok {
		s.orderStatus(data, whole)
		data["reason"] = "not_in_order"
		itemTexts(data, whole, req.Lang)
		returnDays(data)
		return flow.Result{Status: StatusNotAllowed, Data: data}, nil
	}
	qt, err := s.quote(o, sh, code, tier, sealed)
	if err != nil {
		return flow.Result{}, err
	}
	switch {
	case o.Status == Returned:
		s.orderStatus(data, o)
		return flow.Result{Status: StatusAlreadyDone, Data: data}, nil
	case qt.why == "not_delivered":
		s.orderStatus(data, o)
		data["reason"] = "not_delivered"
		returnDays(data)
		return flow.Result{Status: StatusNotAllowed, Data: data}, nil
	case qt.why == "window_expired":
		s.orderStatus(data, o)
		data["reason"] = "window_expired"
		data["delivered_at"] = s.date(sh.Delivered)
		returnDays(data)
		return flow.Result{Status: StatusNotAllowed, Data: data}, nil
	case !qt.allowed:
		s.orderStatus(data, o)
		data["reason"] = qt.why
		returnDays(data)
		return flow.Result{Status: StatusNotAllowed, Data: data}, nil
	}
	rid := "RT" + strings.TrimPrefix(o.ID, "DD")
	if _, err := q.ExecContext(ctx, `INSERT INTO returns (tenant_id, return_id, order_id, reason, photos, status, created_at) VALUES (?, ?, ?, ?, ?, 'requested', ?)`,
		req.TenantID, rid, o.ID, reason, photos, formatTime(now)); err != nil {
		return flow.Result{}, err
	}
	if err := s.addRefund(ctx, q, req.TenantID, o, qt.refund, now, now.Add(ReturnWindow)); err != nil {
		return flow.Result{}, err
	}
	// Some of the items back: the order stays delivered, its other items
	// the customer's.
	if len(o.Items) == len(whole.Items) {
		if _, err := q.ExecContext(ctx, `UPDATE orders SET status = ?, updated_at = ? WHERE tenant_id = ? AND order_id = ?`,
			Returned, formatTime(now), req.TenantID, o.ID); err != nil {
			return flow.Result{}, err
		}
		o.Status = Returned
	}
	s.orderStatus(data, o)
	itemTexts(data, o, req.Lang)
	amount := qt.refund.String()
	data["return_id"] = rid
	data["refund_amount"] = amount
	data["fee"] = "" // as quote_return: none charged
	if qt.fee.Minor > 0 {
		data["fee"] = qt.fee.String()
	}
	days := wholeDays(ReturnWindow) // the window the refund above is due in
	zh := fmt.Sprintf("请在 %s 天内将商品寄回：%s，并在包裹内写上退货单号 %s。我们收到商品后 3 个工作日内将 %s 退回原支付账户。", days, returnAddressZh, rid, amount)
	en := fmt.Sprintf("Please send the goods back within %s days to %s, with the return number %s in the parcel. We refund %s to your original payment method within 3 working days of receiving them.", days, returnAddressEn, rid, amount)
	if photos {
		zh += "如方便，请在对话中上传商品照片，便于我们更快审核。"
		en += " If you can, upload photos of the item in this chat: it speeds up the review."
	}
	data["instructions_zh"] = zh
	data["instructions_en"] = en
	return flow.Result{Status: flow.StatusOK, Data: data}, nil
}

// addRefund records a refund of amount for the order, processing until
// eta.
func (s *Shop) addRefund(ctx context.Context, q querier, tenant string, o *order, amount assist.Money, now, eta time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO refunds (tenant_id, refund_id, order_id, status, amount_cents, currency, created_at, eta) VALUES (?, ?, ?, 'processing', ?, ?, ?, ?)`,
		tenant, "RF"+strings.TrimPrefix(o.ID, "DD"), o.ID, amount.Minor, amount.Currency, formatTime(now), formatTime(eta))
	return err
}

// getRefund: the order's latest refund.
func (s *Shop) getRefund(ctx context.Context, q querier, req flow.Request) (flow.Result, error) {
	id, err := orderIDParam(req)
	if err != nil {
		return flow.Result{}, err
	}
	o, res, err := s.ownOrder(ctx, q, req, id)
	if o == nil || err != nil {
		return res, err
	}
	r, err := latestRefund(ctx, q, req.TenantID, o.ID)
	if err != nil {
		return flow.Result{}, err
	}
	if r == nil {
		data := map[string]any{"order_id": o.ID, "why": ""}
		s.orderStatus(data, o)
		if o.Status == Cancelled {
			// Cancelling a paid order refunds it at once: a cancelled
			// order without a refund was never paid.
			data["why"] = "unpaid"
		}
		return flow.Result{Status: StatusNoRefund, Data: data}, nil
	}
	t := refundTexts[r.Status]
	data := map[string]any{
		"order_id": o.ID, "refund_id": r.ID, "status": r.Status,
		"status_text_zh": t.zh, "status_text_en": t.en,
		"amount": r.Amount.String(), "eta": "", "eta_days": "", "done_at": "",
		"payment_refund_days": WalletRefundDays,
	}
	if r.Status == "processing" && !r.ETA.IsZero() {
		data["eta"], data["eta_days"] = s.date(r.ETA), s.daysTo(r.ETA)
	}
	if !r.Done.IsZero() {
		data["done_at"] = s.date(r.Done)
	}
	return flow.Result{Status: flow.StatusOK, Data: data}, nil
}

// getMember: the customer's membership.
func (s *Shop) getMember(ctx context.Context, q querier, req flow.Request) (flow.Result, error) {
	if req.CustomerRef == "" {
		return flow.Result{}, assist.Errorf(assist.EINVALID, "get_member: the conversation has no customer ref")
	}
	var name, tier string
	err := q.QueryRowContext(ctx, `SELECT name, tier FROM members WHERE tenant_id = ? AND customer_ref = ?`,
		req.TenantID, req.CustomerRef).Scan(&name, &tier)
	if errors.Is(err, sql.ErrNoRows) {
		return flow.Result{Status: StatusNotFound, Data: map[string]any{}}, nil
	}
	if err != nil {
		return flow.Result{}, err
	}
	t := tierTexts[tier]
	vip := "false"
	if tier == "gold" || tier == "platinum" {
		vip = "true"
	}
	return flow.Result{Status: flow.StatusOK, Data: map[string]any{
		"name": name, "tier": tier, "vip": vip, "tier_text_zh": t.zh, "tier_text_en": t.en,
	}}, nil
}

// ownOrder loads the order for an action. A missing order or one of
// another customer ends the action: o is nil and res the outcome.
func (s *Shop) ownOrder(ctx context.Context, q querier, req flow.Request, id string) (o *order, res flow.Result, err error) {
	o, err = loadOrder(ctx, q, req.TenantID, id)
	switch {
	case err != nil:
		return nil, flow.Result{}, err
	case o == nil:
		return nil, flow.Result{Status: StatusNotFound, Data: map[string]any{"order_id": id}}, nil
	case req.CustomerRef != "" && o.Customer != req.CustomerRef:
		return nil, flow.Result{Status: StatusNotYours, Data: map[string]any{"order_id": id}}, nil
	}
	return o, flow.Result{}, nil
}

// orderIDParam returns the normalised order_id parameter: upper case,
// without a leading "#" or spaces.
func orderIDParam(req flow.Request) (string, error) {
	raw, ok := req.Params["order_id"]
	if !ok || strings.TrimSpace(raw) == "" {
		return "", assist.Errorf(assist.EINVALID, "%s: an order_id is required", req.Action)
	}
	id := strings.ToUpper(strings.TrimPrefix(strings.TrimSpace(raw), "#"))
	if !validOrderID(id) {
		return "", assist.Errorf(assist.EINVALID, "%s: the order_id is not an order number", req.Action)
	}
	return id, nil
}

// validOrderID: up to four letters, then 5 to 24 digits.
func validOrderID(id string) bool {
	i := 0
	for i < len(id) && i < 4 && id[i] >= 'A' && id[i] <= 'Z' {
		i++
	}
	digits := len(id) - i
	if digits < 5 || digits > 24 {
		return false
	}
	for ; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return false
		}
	}
	return true
}

// trackingNumber normalises a tracking number: upper case letters and
// digits, separators dropped.
func trackingNumber(raw string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(raw) {
		switch {
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-':
		default:
			return "", false
		}
	}
	n := b.Len()
	return b.String(), n >= 6 && n <= 40
}

// cleanAddress checks a new delivery address: valid text with letters,
// 6 to 200 characters, no control characters; spaces are collapsed.
func cleanAddress(a string) (string, bool) {
	if !utf8.ValidString(a) {
		return "", false
	}
	a = strings.Join(strings.Fields(a), " ")
	n := utf8.RuneCountInString(a)
	if n < 6 || n > 200 {
		return "", false
	}
	letters := 0
	for _, r := range a {
		if unicode.IsControl(r) {
			return "", false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return a, letters >= 2
}
