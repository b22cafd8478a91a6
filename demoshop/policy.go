package demoshop

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog/flow"
)

// The demo shop's return policy, as its help center states it ("Returns
// Policy"): no-reason returns (changed mind, wrong size) within
// ReturnWindow of delivery, for a return-label fee of ReturnLabelFee
// deducted from the refund, waived for Gold and Platinum members; quality
// problems and wrong items within QualityWindow, free. Socks and other
// intimate apparel are returned for quality problems only, a size does
// not apply to electronics or home goods, and electronics accessories
// come back without a reason only with their factory seal unbroken.
const (
	QualityWindow = 15 * 24 * time.Hour
)

// returnDays sets the return policy's figures, return_days (ReturnWindow
// in whole days: no-reason returns) and quality_return_days
// (QualityWindow: quality problems and wrong items), so the flows say the
// shop's windows ("returns within 7 days of delivery") and never a number
// of their own. get_order, quote_return and the not_allowed answers of
// cancel_order and create_return carry them.
func returnDays(data map[string]any) {
	data["return_days"] = wholeDays(ReturnWindow)
	data["quality_return_days"] = wholeDays(QualityWindow)
}

// windowEnd is the last moment of a window of whole days that opens on
// the day of from, in the shop's calendar: the day of delivery counts as
// day 1 (the "Returns" article), so a 7-day window delivered on the 2nd
// ends when the 8th does.
func (s *Shop) windowEnd(from time.Time, window time.Duration) time.Time {
	y, m, d := from.In(s.zone).Date()
	return time.Date(y, m, d+int(window/(24*time.Hour)), 0, 0, 0, 0, s.zone).Add(-time.Nanosecond)
}

// wholeDays is a window in whole days, as the shop writes it: "7".
func wholeDays(d time.Duration) string {
	return strconv.Itoa(int(d / (24 * time.Hour)))
}

// DispatchWindow is how soon after payment in-stock items are
// dispatched, and PaymentWindow how long an order waits for its payment
// before it is cancelled (the "Shipping" and "Payment" articles).
const (
	DispatchWindow = 48 * time.Hour
	PaymentWindow  = 30 * time.Minute
)

// ExchangeSendWindow is how soon the new item of an exchange is sent once
// the warehouse has received and checked the one sent back (the
// "Exchanges" article).
const ExchangeSendWindow = 48 * time.Hour

// orderTimes sets dispatch_hours (DispatchWindow in hours),
// pay_within_minutes (PaymentWindow in minutes) and exchange_send_hours
// (ExchangeSendWindow in hours), so the flows say the
// shop's figures ("dispatched within 48 hours of payment") and never a
// number of their own. get_order and track_shipment's not_shipped carry
// them.
func orderTimes(data map[string]any) {
	data["dispatch_hours"] = strconv.Itoa(int(DispatchWindow / time.Hour))
	data["pay_within_minutes"] = strconv.Itoa(int(PaymentWindow / time.Minute))
	data["exchange_send_hours"] = strconv.Itoa(int(ExchangeSendWindow / time.Hour))
}

// WalletRefundDays is how many business days a refund takes to reach an
// Alipay or WeChat Pay account once the shop has paid it (the "Refunds"
// article), a range said as it is. cancel_order and get_refund carry it as
// payment_refund_days, so the flows never hold the figure.
const WalletRefundDays = "1–3"

// cancelRefundWindow is when a cancelled paid order's refund is due.
const cancelRefundWindow = 3 * 24 * time.Hour

// ReturnLabelFee is the no-reason return-label fee, in fen (¥12).
var ReturnLabelFee = assist.Money{Minor: 1200, Currency: "CNY"}

// Return reasons of the action contract.
const (
	ReasonQuality     = "quality"
	ReasonSize        = "size"
	ReasonChangedMind = "changed_mind"
	ReasonWrongItem   = "wrong_item"
	ReasonOther       = "other"
)

// category is a product's category by the prefix of its SKU (the demo
// catalogue's convention: CL clothing, SH shoes, EL electronics, HM home).
func category(sku string) string {
	switch {
	case strings.HasPrefix(sku, "CL-SK-"):
		return "intimate" // socks: no no-reason returns
	case strings.HasPrefix(sku, "CL-"):
		return "clothing"
	case strings.HasPrefix(sku, "SH-"):
		return "shoes"
	case strings.HasPrefix(sku, "EL-"):
		return "electronics"
	}
	return "home"
}

// reasonsFor lists the return reasons the order's items allow: a size
// only for clothing and shoes; no-reason returns unless every item is
// intimate apparel.
func reasonsFor(items []Item) []string {
	sized, noReason := false, false
	for _, it := range items {
		switch category(it.SKU) {
		case "clothing", "shoes":
			sized, noReason = true, true
		case "intimate":
		default:
			noReason = true
		}
	}
	out := []string{ReasonQuality, ReasonWrongItem}
	if sized {
		out = append(out, ReasonSize)
	}
	if noReason {
		out = append(out, ReasonChangedMind)
	}
	return append(out, ReasonOther)
}

// sealedItems returns the names (in lang) of the items sold with a
// factory seal, electronics accessories: a no-reason return needs it
// unbroken.
func sealedItems(items []Item, lang string) []string {
	var out []string
	for _, it := range items {
		if category(it.SKU) == "electronics" {
			name := it.Name
			if lang == "zh" {
				name = it.NameZh
			}
			out = append(out, name)
		}
	}
	return out
}

var reasonTexts = map[string]struct{ zh, en string }{
	ReasonQuality:     {"质量问题", "quality problem"},
	ReasonWrongItem:   {"发错货", "wrong item"},
	ReasonSize:        {"尺码不合适", "wrong size"},
	ReasonChangedMind: {"不喜欢", "changed mind"},
	ReasonOther:       {"其他原因", "other reason"},
}

// noReason reports whether reason is a no-reason return (the customer's
// choice, not the shop's fault): the short window and the label fee.
func noReason(reason string) bool {
	return reason == ReasonSize || reason == ReasonChangedMind || reason == ReasonOther
}

// returnQuote is what a return of o for reason would give, by the policy.
type returnQuote struct {
	allowed bool
	why     string // not allowed: reason_not_accepted, not_delivered, window_expired, opened
	by      time.Time
	fee     assist.Money
	refund  assist.Money
}

// sealed is what the customer says of the factory seal of the sealed
// items: "yes" unbroken, "no" opened, "" not said.
func (s *Shop) quote(o *order, sh *shipment, reason, tier, sealed string) (returnQuote, error) {
	q := returnQuote{fee: assist.Money{Currency: o.Total.Currency}, refund: o.Total}
	if reason != "" {
		ok := false
		for _, r := range reasonsFor(o.Items) {
			ok = ok || r == reason
		}
		if !ok {
			q.why = "reason_not_accepted"
			return q, nil
		}
	}
	if o.Status != Delivered || sh == nil || sh.Delivered.IsZero() {
		q.why = "not_delivered"
		return q, nil
	}
	window := QualityWindow
	if reason == "" || noReason(reason) {
		window = ReturnWindow
	}
	q.by = s.windowEnd(sh.Delivered, window)
	if s.now().After(q.by) {
		q.why = "window_expired"
		return q, nil
	}
	if noReason(reason) && sealed == "no" && len(sealedItems(o.Items, "en")) > 0 {
		q.why = "opened"
		return q, nil
	}
	q.allowed = true
	if noReason(reason) && tier != "gold" && tier != "platinum" && ReturnLabelFee.Currency == o.Total.Currency {
		q.fee = ReturnLabelFee
		refund, err := o.Total.Add(assist.Money{Minor: -ReturnLabelFee.Minor, Currency: ReturnLabelFee.Currency})
		if err != nil {
			return q, err
		}
		q.refund = refund
	}
	return q, nil
}

// sealedParam reads the optional "sealed" parameter: "yes" (the factory
// seal is unbroken), "no" (opened) or "" (not said).
func sealedParam(req flow.Request) (string, error) {
	v := strings.TrimSpace(req.Params["sealed"])
	if v != "" && v != "yes" && v != "no" {
		return "", assist.Errorf(assist.EINVALID, "%s: sealed %q: want yes or no", req.Action, clip(v, 16))
	}
	return v, nil
}

// itemsParam reads the optional "items" parameter of quote_return and
// create_return: the product codes (SKUs, space-separated, as get_order's
// skus) of the items to return; none means the whole order.
func itemsParam(req flow.Request) ([]string, error) {
	v := req.Params["items"]
	if !utf8.ValidString(v) || len(v) > 1000 {
		return nil, assist.Errorf(assist.EINVALID, "%s: items: want product codes separated by spaces", req.Action)
	}
	return strings.Fields(strings.ToUpper(v)), nil
}

// returnedItems is o cut to the items of skus (all of them when skus is
// empty), its total the items' prices (never more than what was paid);
// ok is false when some code is none of the order's items.
func returnedItems(o *order, skus []string) (*order, bool) {
	if len(skus) == 0 {
		return o, true
	}
	var items []Item
	for _, it := range o.Items {
		if slices.Contains(skus, strings.ToUpper(it.SKU)) {
			items = append(items, it)
		}
	}
	for _, sku := range skus {
		if !slices.ContainsFunc(o.Items, func(it Item) bool { return strings.ToUpper(it.SKU) == sku }) {
			return o, false
		}
	}
	if len(items) == len(o.Items) {
		return o, true
	}
	part := *o
	part.Items, part.texts = items, nil
	sum := assist.Money{Currency: o.Total.Currency}
	for _, it := range items {
		sum.Minor += it.Price * int64(it.Qty)
	}
	if sum.Minor < part.Total.Minor {
		part.Total = sum
	}
	return &part, true
}

// memberTier returns the customer's tier, "" when unknown.
func memberTier(ctx context.Context, q querier, tenant, customer string) (string, error) {
	var tier string
	err := q.QueryRowContext(ctx, `SELECT tier FROM members WHERE tenant_id = ? AND customer_ref = ?`, tenant, customer).Scan(&tier)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return tier, err
}

// quoteReturn: order_id, optional reason → what a return would give by
// the shop's policy, before anything is submitted.
func (s *Shop) quoteReturn(ctx context.Context, q querier, req flow.Request) (flow.Result, error) {
	id, err := orderIDParam(req)
	if err != nil {
		return flow.Result{}, err
	}
	reason := strings.TrimSpace(req.Params["reason"])
	if _, ok := reasonTexts[reason]; reason != "" && !ok {
		return flow.Result{}, assist.Errorf(assist.EINVALID, "quote_return: reason %q: want quality, wrong_item, size, changed_mind or other", clip(reason, 32))
	}
	sealed, err := sealedParam(req)
	if err != nil {
		return flow.Result{}, err
	}
	skus, err := itemsParam(req)
	if err != nil {
		return flow.Result{}, err
	}
	o, res, err := s.ownOrder(ctx, q, req, id)
	if o == nil || err != nil {
		return res, err
	}
	o, ok := returnedItems(o, skus)
	if !ok {
		// the order's items, so the flow can ask which of them
		data := map[string]any{"order_id": o.ID, "reason": reason, "needs_seal": "", "why": "not_in_order"}
		s.orderStatus(data, o)
		returnDays(data)
		itemTexts(data, o, req.Lang)
		return flow.Result{Status: StatusNotAllowed, Data: data}, nil
	}
	sh, err := loadShipment(ctx, q, req.TenantID, o.ID)
	if err != nil {
		return flow.Result{}, err
	}
	tier, err := memberTier(ctx, q, req.TenantID, req.CustomerRef)
	if err != nil {
		return flow.Result{}, err
	}
	qt, err := s.quote(o, sh, reason, tier, sealed)
	if err != nil {
		return flow.Result{}, err
	}
	data := map[string]any{"order_id": o.ID, "reason": reason, "needs_seal": ""}
	if seal := sealedItems(o.Items, req.Lang); len(seal) > 0 {
		sep := ", "
		if req.Lang == "zh" {
			sep = "、"
		}
		data["seal_items"] = strings.Join(seal, sep)
		if noReason(reason) {
			data["needs_seal"] = "true" // the flow asks before it submits
		}
	}
	s.orderStatus(data, o)
	returnDays(data)
	itemTexts(data, o, req.Lang)
	var zh, en []string
	for _, r := range reasonsFor(o.Items) {
		zh, en = append(zh, reasonTexts[r].zh), append(en, reasonTexts[r].en)
	}
	data["reasons"] = strings.Join(reasonsFor(o.Items), " ")
	data["reasons_zh"] = strings.Join(zh, "、")
	data["reasons_en"] = strings.Join(en, ", ")
	if !qt.allowed {
		data["why"] = qt.why
		if !qt.by.IsZero() {
			data["return_by"] = s.date(qt.by)
		}
		return flow.Result{Status: StatusNotAllowed, Data: data}, nil
	}
	data["return_by"] = s.date(qt.by)
	data["refund_amount"] = qt.refund.String()
	data["fee"] = ""
	if qt.fee.Minor > 0 {
		data["fee"] = qt.fee.String()
	}
	return flow.Result{Status: flow.StatusOK, Data: data}, nil
}

// Coupons of issue_coupon by reason code, in fen: the shop's goodwill
// playbook (a late parcel, a customer the conversation left unhappy).
var goodwill = map[string]int64{
	"late_delivery":  1000, // ¥10
	"negative_trend": 2000, // ¥20
	"anger":          2000,
	"vip_complaint":  3000,
}

// issueCoupon: reason → a goodwill coupon for the customer, its amount by
// the shop's playbook; one per customer and reason (already_done after).
func (s *Shop) issueCoupon(ctx context.Context, q querier, req flow.Request) (flow.Result, error) {
	reason := strings.TrimSpace(req.Params["reason"])
	minor, ok := goodwill[reason]
	if !ok {
		return flow.Result{Status: StatusNotAllowed, Data: map[string]any{"reason": clip(reason, 32)}}, nil
	}
	code := fmt.Sprintf("GW-%s-%s", strings.ToUpper(strings.ReplaceAll(reason, "_", "")), clip(req.CustomerRef, 24))
	var existing string
	err := q.QueryRowContext(ctx, `SELECT code FROM coupons WHERE tenant_id = ? AND customer_ref = ? AND reason = ?`,
		req.TenantID, req.CustomerRef, reason).Scan(&existing)
	amount := assist.Money{Minor: minor, Currency: "CNY"}
	switch {
	case err == nil:
		return flow.Result{Status: StatusAlreadyDone, Data: map[string]any{"code": existing, "amount": amount.String(), "reason": reason}}, nil
	case !errors.Is(err, sql.ErrNoRows):
		return flow.Result{}, err
	}
	now := s.now()
	valid := now.Add(30 * 24 * time.Hour)
	if _, err := q.ExecContext(ctx, `INSERT INTO coupons (tenant_id, customer_ref, reason, code, amount_cents, currency, created_at, valid_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		req.TenantID, req.CustomerRef, reason, code, amount.Minor, amount.Currency, formatTime(now), formatTime(valid)); err != nil {
		return flow.Result{}, err
	}
	return flow.Result{Status: flow.StatusOK, Data: map[string]any{
		"code": code, "amount": amount.String(), "reason": reason, "valid_until": s.date(valid),
	}}, nil
}

// A warranty term of the shop's "Warranty" help article: how long after
// delivery a category's products are covered for faults and defects, and
// what the shop then does.
type warrantyTerm struct {
	months, days    int  // from delivery
	period, service text // in words, zh and en
}

// warranties by category: electronics accessories a year, repaired or
// replaced; everything else 30 days, replaced or refunded.
var warranties = map[string]warrantyTerm{
	"electronics": {months: 12, period: text{"1 年", "1 year"}, service: text{"维修或更换同款新品", "repair or a new identical item"}},
	"":            {days: 30, period: text{"30 天", "30 days"}, service: text{"更换或退款", "a replacement or a refund"}},
}

// warrantyTerms is what the warranty gives in every category (the
// "Warranty" article: faults not caused by the user are fixed free of
// charge, and the shop pays the postage both ways). The bot's flows say
// it from get_order's warranty_terms_zh/en, never in words of their own.
var warrantyTerms = text{"保修期内非人为的故障和质量问题由商城免费处理，寄回运费由商城承担", "Faults and defects not caused by use are fixed free of charge within the warranty, and we pay the postage"}

// warrantyOf returns the warranty term of a product by its SKU.
func warrantyOf(sku string) warrantyTerm {
	if w, ok := warranties[category(sku)]; ok {
		return w
	}
	return warranties[""]
}

// warrantyData sets, for a delivered order, warranty_zh/en (each item's
// warranty: its period, last day and service), warranty_terms_zh/en
// (what the warranty gives, warrantyTerms), warranty_until (the last day
// any item is covered) and in_warranty ("true" while some item is).
func (s *Shop) warrantyData(data map[string]any, o *order, sh *shipment) {
	var zh, en []string
	var until time.Time
	for _, it := range o.Items {
		w := warrantyOf(it.SKU)
		end := sh.Delivered.AddDate(0, w.months, w.days)
		if end.After(until) {
			until = end
		}
		zh = append(zh, fmt.Sprintf("%s保修 %s，至 %s（%s）", it.NameZh, w.period.zh, s.date(end), w.service.zh))
		en = append(en, fmt.Sprintf("%s: %s, until %s (%s)", it.Name, w.period.en, s.date(end), w.service.en))
	}
	data["warranty_zh"] = strings.Join(zh, "；")
	data["warranty_en"] = strings.Join(en, "; ")
	data["warranty_terms_zh"], data["warranty_terms_en"] = warrantyTerms.zh, warrantyTerms.en
	data["warranty_until"] = s.date(until)
	data["in_warranty"] = strconv.FormatBool(!s.now().After(until))
}

// warrantyPeriods sets, for any order, warranty_period_zh/en: each item's
// warranty period and service, which runs from delivery ("SlimKeys
// Bluetooth Keyboard: 1 year (repair or a new identical item)"), so a
// customer asking about the warranty of an order still on its way is told
// how long it will be, not only when it starts.
func warrantyPeriods(data map[string]any, o *order) {
	var zh, en []string
	for _, it := range o.Items {
		w := warrantyOf(it.SKU)
		zh = append(zh, fmt.Sprintf("%s保修 %s（%s）", it.NameZh, w.period.zh, w.service.zh))
		en = append(en, fmt.Sprintf("%s: %s (%s)", it.Name, w.period.en, w.service.en))
	}
	data["warranty_period_zh"] = strings.Join(zh, "；")
	data["warranty_period_en"] = strings.Join(en, "; ")
}

// PriceProtectionWindow is how long after payment a price drop is paid
// back, once per order (the "Price Protection" help article).
const PriceProtectionWindow = 30 * 24 * time.Hour

// priceProtection sets, for a paid order (paid, shipped or delivered),
// price_protect_until (the last day of PriceProtectionWindow from its
// payment, which the demo shop takes at the order), price_protect_days
// (the window in whole days: "30") and price_protectable ("true" while it runs). Other orders
// get neither key.
func (s *Shop) priceProtection(data map[string]any, o *order) {
	if o.Status != Paid && o.Status != Shipped && o.Status != Delivered {
		return
	}
	by := o.Created.Add(PriceProtectionWindow)
	data["price_protect_until"] = s.date(by)
	data["price_protect_days"] = wholeDays(PriceProtectionWindow)
	data["price_protectable"] = strconv.FormatBool(!s.now().After(by))
}
