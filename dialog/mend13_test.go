package dialog

import (
	"context"
	"slices"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog/flow"
)

// mend13: a tracking number asked after in a status's words ("… status?",
// "… 状态呢") is the parcel's tracking, whatever status sibling the model
// hears; an order number in the same words stays the order's status, and
// another task the model places a tracking number in stays that task's.
func TestTrackingNumberStatusIsTracking(t *testing.T) {
	flows, err := flow.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	trk := map[string]string{"SF1234567890123": "tracking_number"}
	ord := map[string]string{"DD202612030002": "order_id"}
	script := script{
		"SF1234567890123 status?":               said{label: "order_status", entities: trk},
		"SF1234567890123 状态呢":                   said{label: "order_status", entities: trk},
		"SF1234567890123 快点发":                   said{label: "urge_shipping", entities: trk},
		"any update on SF1234567890123 please":  said{label: "order_status", entities: trk},
		"DD202612030002 status?":                said{label: "order_status", entities: ord},
		"SF1234567890123 i want to return this": said{label: "return_request", entities: trk},
	}
	for _, tc := range []struct {
		say     string
		tracks  bool // track_shipment asked of the shop
		listing bool // the orders listed
	}{
		{say: "SF1234567890123 status?", tracks: true},
		{say: "SF1234567890123 状态呢", tracks: true},
		{say: "SF1234567890123 快点发", tracks: true},
		{say: "any update on SF1234567890123 please", tracks: true},
		{say: "DD202612030002 status?"},
		{say: "SF1234567890123 i want to return this"},
	} {
		t.Run(tc.say, func(t *testing.T) {
			shop := &closet{}
			engine, err := flow.NewEngine(flows, shop)
			if err != nil {
				t.Fatal(err)
			}
			a := &Assistant{NLU: script, KB: &helpCenter{}, Flows: engine, Backend: shop, Rules: DefaultRules()}
			conv := &assist.Conversation{ID: "c", TenantID: "demo", CustomerRef: "c1"}
			if _, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: tc.say}, State: &State{}}); err != nil {
				t.Fatal(err)
			}
			if got := slices.Contains(shop.calls, "track_shipment"); got != tc.tracks {
				t.Errorf("track_shipment asked: %v, want %v (calls %v)", got, tc.tracks, shop.calls)
			}
			if tc.tracks && slices.Contains(shop.calls, "list_orders") {
				t.Errorf("the orders were listed for a tracking number (calls %v)", shop.calls)
			}
		})
	}
}

// REVIEW12B 7: whether an order is still there, asked in the X不X form,
// is read by the one reading of that form (opensAsItself).
func TestAsksStateStillThere(t *testing.T) {
	for text, want := range map[string]bool{
		"被套那单忘了付 还在不在":                   true,
		"那个订单还在不在啊":                      true,
		"床垫那单现在还在吗":                      true,
		"is my unpaid order still there": true,
		"现在还有效吗":                         true,
		"还在没在":                           true,
		"我还在等快递":                         false,
		"还在路上":                           false,
		"在不在":                            false, // no 还: asksNotZH reads it, not the order's state
	} {
		if got := asksState(text); got != want {
			t.Errorf("asksState(%q) = %v, want %v", text, got, want)
		}
	}
	for _, text := range []string{"还在不在", "退不退", "到没到", "够不够啊"} {
		if !asksNotZH(text) {
			t.Errorf("asksNotZH(%q) = false", text)
		}
	}
	for _, text := range []string{"不在", "在不", "abc不abc", "算了不"} {
		if asksNotZH(text) {
			t.Errorf("asksNotZH(%q) = true", text)
		}
	}
}

// REVIEW12B 7: a change of where a parcel goes is read in one place
// (changeAddressZH) by the wish to redirect, the change asked in words and
// the short request for one's own task.
func TestChangeAddressOneReading(t *testing.T) {
	for _, text := range []string{"改送", "转寄", "换个地址", "改收货地址", "改一下地址"} {
		if !changeVerb.MatchString(text) || !redirectWish.MatchString(text) {
			t.Errorf("%q: changeVerb %v, redirectWish %v", text, changeVerb.MatchString(text), redirectWish.MatchString(text))
		}
	}
	for _, text := range []string{"可以改地址吗？", "能改收货地址吗", "能不能换个地址", "还能转寄吗", "能改送吗"} {
		if !asksOwnTask(text) {
			t.Errorf("asksOwnTask(%q) = false", text)
		}
	}
	for _, text := range []string{"上次送到家里的那件能换吗", "会送到家门口吗"} {
		if wishesRedirect(text) {
			t.Errorf("wishesRedirect(%q) = true", text)
		}
	}
}
