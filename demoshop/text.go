package demoshop

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

type text struct{ zh, en string }

var orderTexts = map[string]text{
	PendingPayment: {"待付款", "awaiting payment"},
	Paid:           {"已付款，待发货", "paid, not shipped yet"},
	Shipped:        {"已发货，运输中", "shipped, on its way"},
	Delivered:      {"已签收", "delivered"},
	Cancelled:      {"已取消", "cancelled"},
	Returned:       {"已退货", "returned"},
}

var shipmentTexts = map[string]text{
	"picked_up":        {"快递已揽收", "picked up by the carrier"},
	"in_transit":       {"运输中", "in transit"},
	"out_for_delivery": {"派送中", "out for delivery"},
	"delivered":        {"已签收", "delivered"},
	"returning":        {"退回中", "on its way back to us"},
}

var refundTexts = map[string]text{
	"processing": {"退款处理中", "being processed"},
	"completed":  {"已退款", "completed"},
	"rejected":   {"退款未通过", "rejected"},
}

var tierTexts = map[string]text{
	"standard": {"普通会员", "Standard member"},
	"silver":   {"白银会员", "Silver member"},
	"gold":     {"黄金会员", "Gold member"},
	"platinum": {"铂金会员", "Platinum member"},
}

var carriers = map[string]text{
	"SF":  {"顺丰速运", "SF Express"},
	"JD":  {"京东物流", "JD Logistics"},
	"ZTO": {"中通快递", "ZTO Express"},
	"YTO": {"圆通速递", "YTO Express"},
	"STO": {"申通快递", "STO Express"},
	"EMS": {"中国邮政 EMS", "China Post EMS"},
}

// orderStatus sets the order's status and its texts in data.
func (s *Shop) orderStatus(data map[string]any, o *order) {
	t := orderTexts[o.Status]
	data["status"] = o.Status
	data["status_text_zh"] = t.zh
	data["status_text_en"] = t.en
}

// itemTexts sets items (in the request's language, English unless "zh"),
// items_zh and items_en: "CloudSoft Hoodie (black, L) ×1; …", and skus,
// for o's items (remembered with them when read: readItems).
func itemTexts(data map[string]any, o *order, lang string) {
	t := o.texts
	if t == nil {
		t = &itemsText{}
		t.skus, t.zh, t.en = itemStrings(o.Items)
	}
	data["skus"] = t.skus
	data["items_zh"] = t.zh
	data["items_en"] = t.en
	data["items"] = t.en
	if lang == "zh" {
		data["items"] = t.zh
	}
}

// itemStrings are the texts of itemTexts: the items' SKUs, and the items
// in Chinese and English.
func itemStrings(items []Item) (skus, zh, en string) {
	var zhs, ens, sks []string
	for _, it := range items {
		sks = append(sks, it.SKU)
		opt := ""
		if it.Options != "" {
			opt = " (" + it.Options + ")"
		}
		zhs = append(zhs, fmt.Sprintf("%s%s ×%d", it.NameZh, opt, it.Qty))
		ens = append(ens, fmt.Sprintf("%s%s ×%d", it.Name, opt, it.Qty))
	}
	return strings.Join(sks, " "), strings.Join(zhs, "；"), strings.Join(ens, "; ")
}

// shipmentData sets the shipment's fields in data; with no shipment, the
// same keys are there, empty, so templates can test them.
func shipmentData(data map[string]any, sh *shipment, s *Shop) {
	for _, k := range []string{"carrier", "carrier_zh", "carrier_en", "tracking_number", "eta", "eta_day",
		"eta_days", "shipment_status", "shipment_text_zh", "shipment_text_en", "last_event_zh", "last_event_en", "last_event_at"} {
		if _, ok := data[k]; !ok {
			data[k] = ""
		}
	}
	if sh == nil {
		return
	}
	c, ok := carriers[sh.Carrier]
	if !ok {
		c = text{sh.Carrier, sh.Carrier}
	}
	t := shipmentTexts[sh.Status]
	data["carrier"] = sh.Carrier
	data["carrier_zh"] = c.zh
	data["carrier_en"] = c.en
	data["tracking_number"] = sh.Tracking
	data["shipment_status"] = sh.Status
	data["shipment_text_zh"] = t.zh
	data["shipment_text_en"] = t.en
	if !sh.ETA.IsZero() && sh.Delivered.IsZero() {
		data["eta"] = s.date(sh.ETA)
		// "手表今天能到吗", "那后天能到吗": the day in words, as the shop's
		// calendar has it.
		switch today := s.now().In(s.zone); data["eta"] {
		case s.date(today):
			data["eta_day"] = "today"
		case s.date(today.AddDate(0, 0, 1)):
			data["eta_day"] = "tomorrow"
		}
		data["eta_days"] = s.daysTo(sh.ETA)
	}
	if !sh.Delivered.IsZero() {
		data["delivered_at"] = s.date(sh.Delivered)
	}
	if n := len(sh.Events); n > 0 {
		e := sh.Events[n-1]
		data["last_event_zh"] = e.Zh
		data["last_event_en"] = e.En
		data["last_event_at"] = s.minute(e.At)
	}
	if _, isTrack := data["status"]; !isTrack {
		// track_shipment: the status is the parcel's.
		data["status"] = sh.Status
		data["status_text_zh"] = t.zh
		data["status_text_en"] = t.en
	}
}

// date formats a time as a day in the shop's zone.
func (s *Shop) date(t time.Time) string { return t.In(s.zone).Format("2006-01-02") }

// daysTo is how many days from today t is, in the shop's calendar, as
// text ("0" today, "2" the day after tomorrow; "" for a day gone).
func (s *Shop) daysTo(t time.Time) string {
	day := func(t time.Time) time.Time {
		y, m, d := t.In(s.zone).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	n := int(day(t).Sub(day(s.now())).Hours() / 24)
	if n < 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// minute formats a time to the minute in the shop's zone.
func (s *Shop) minute(t time.Time) string { return t.In(s.zone).Format("2006-01-02 15:04") }
