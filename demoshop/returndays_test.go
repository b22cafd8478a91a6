package demoshop_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/assistd/assist/demoshop"
)

// The return windows the bot tells a customer are the shop's: its order,
// quote and refusal answers carry ReturnWindow and QualityWindow in whole
// days, so the flows never hold a number of their own.
func TestAnswersCarryTheReturnWindows(t *testing.T) {
	s, _ := openSeeded(t)
	days := strconv.Itoa(int(demoshop.ReturnWindow / (24 * time.Hour)))
	quality := strconv.Itoa(int(demoshop.QualityWindow / (24 * time.Hour)))
	if days != "7" || quality != "15" {
		t.Fatalf("windows %s and %s days, want the Returns Policy's 7 and 15", days, quality)
	}
	for _, tc := range []struct {
		action, order, status string
		params                map[string]string
	}{
		{"get_order", "DD202611030001", "ok", nil},
		{"get_order", "DD202611010003", "ok", nil},
		{"cancel_order", "DD202611030001", "not_allowed", nil},
		{"quote_return", "DD202611010003", "ok", map[string]string{"reason": "changed_mind"}},
		{"create_return", "DD202611030001", "not_allowed", map[string]string{"reason": "quality", "photos": "no"}},
	} {
		p := map[string]string{"order_id": tc.order}
		for k, v := range tc.params {
			p[k] = v
		}
		res := call(t, s, tc.action, c1, p)
		if res.Status != tc.status {
			t.Fatalf("%s %s: status %q, want %q (%v)", tc.action, tc.order, res.Status, tc.status, res.Data)
		}
		if res.Data["return_days"] != days || res.Data["quality_return_days"] != quality {
			t.Errorf("%s %s: return_days %v, quality_return_days %v; want %s and %s", tc.action, tc.order,
				res.Data["return_days"], res.Data["quality_return_days"], days, quality)
		}
	}
}

// How soon the shop dispatches and how long it waits for a payment are
// the shop's too: get_order and track_shipment's not_shipped say them.
func TestAnswersCarryTheOrderTimes(t *testing.T) {
	s, _ := openSeeded(t)
	hours := strconv.Itoa(int(demoshop.DispatchWindow / time.Hour))
	minutes := strconv.Itoa(int(demoshop.PaymentWindow / time.Minute))
	if hours != "48" || minutes != "30" {
		t.Fatalf("dispatch %s hours, payment %s minutes; want 48 and 30", hours, minutes)
	}
	for _, tc := range []struct{ action, order, status string }{
		{"get_order", "DD202611030001", "ok"},
		{"track_shipment", "DD202611050002", "not_shipped"},
	} {
		res := call(t, s, tc.action, c1, map[string]string{"order_id": tc.order})
		if res.Status != tc.status {
			t.Fatalf("%s %s: status %q, want %q (%v)", tc.action, tc.order, res.Status, tc.status, res.Data)
		}
		if res.Data["dispatch_hours"] != hours || res.Data["pay_within_minutes"] != minutes {
			t.Errorf("%s %s: dispatch_hours %v, pay_within_minutes %v; want %s and %s", tc.action, tc.order,
				res.Data["dispatch_hours"], res.Data["pay_within_minutes"], hours, minutes)
		}
	}
}
