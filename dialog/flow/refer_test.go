package flow

import (
	"slices"
	"testing"
	"time"

	"github.com/assistd/assist/nlu"
)

// A customer names an order the way people do: by what they bought (in
// either language, a category word included), when, its state, its price
// or a colour; refer finds which of their orders they mean.
func TestRefer(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	orders := []map[string]any{
		{"order_id": "A", "skus": "SH-RN-011", "items_en": "AirFlex Running Shoes (white, 42) ×1", "items_zh": "AirFlex 跑鞋 (white, 42) ×1",
			"status": "paid", "created_at": "2026-12-04", "total": "499.00 CNY"},
		{"order_id": "B", "skus": "CL-HD-001 CL-SK-010", "items_en": "CloudSoft Hoodie (black, L) ×1; Comfort Ankle Socks 5-Pack (white, M) ×2",
			"items_zh": "云柔连帽卫衣 (black, L) ×1；舒适短袜五双装 (white, M) ×2", "status": "shipped", "created_at": "2026-12-01", "total": "297.00 CNY"},
		{"order_id": "C", "skus": "EL-EB-017", "items_en": "SoundPods ANC Earbuds (black) ×1", "items_zh": "SoundPods 降噪耳机 (black) ×1",
			"status": "delivered", "created_at": "2026-11-25", "delivered_at": "2026-12-04", "total": "259.00 CNY"},
		{"order_id": "D", "skus": "EL-CB-023 HM-RC-039", "items_en": "USB-C to Lightning Cable (white, 1m) ×1; Mini Rice Cooker 2L (pink) ×1",
			"items_zh": "USB-C 转 Lightning 数据线 (white, 1m) ×1；迷你电饭煲2升 (pink) ×1", "status": "delivered", "created_at": "2026-10-09",
			"delivered_at": "2026-10-12", "total": "358.00 CNY"},
	}
	ids := func(idx []int) []string {
		var out []string
		for _, i := range idx {
			out = append(out, orders[i]["order_id"].(string))
		}
		return out
	}
	for _, tc := range []struct {
		text  string
		ents  []nlu.Entity
		want  []string
		named bool
	}{
		{text: "where's my hoodie", ents: []nlu.Entity{{Type: "product", Value: "CL-HD-001", Text: "hoodie"}}, want: []string{"B"}, named: true},
		{text: "那双鞋什么时候到", want: []string{"A"}, named: true},
		{text: "my shoes", want: []string{"A"}, named: true},
		{text: "耳机", want: []string{"C"}, named: true},
		{text: "the one that hasn't arrived", want: []string{"A", "B"}, named: true},
		{text: "还没发货的那个", want: []string{"A"}, named: true},
		{text: "the one I ordered last week", want: []string{"C"}, named: true},
		{text: "the thing that arrived 2 days ago", ents: []nlu.Entity{{Type: "date", Value: "2026-12-04", Text: "2 days ago"}}, want: []string{"C"}, named: true},
		{text: "the one from 2 days ago", ents: []nlu.Entity{{Type: "date", Value: "2026-12-04", Text: "2 days ago"}}, want: []string{"A", "C"}, named: true},
		{text: "the 259 order", want: []string{"C"}, named: true},
		{text: "the black one", want: []string{"B", "C"}, named: true},
		{text: "那明天能到吗", ents: []nlu.Entity{{Type: "date", Value: "2026-12-07", Text: "明天"}}},
		{text: "the lamp", ents: []nlu.Entity{{Type: "product", Value: "EL-LP-030", Text: "lamp"}}, named: true},
		{text: "where is my order"},
		// What was bought names the order; its state, day or price then
		// narrow, unless nothing would be left: a question about the
		// state, or the price of one item of a bigger order.
		{text: "has my hoodie arrived?", want: []string{"B"}, named: true},
		{text: "the 49 yuan socks", want: []string{"B"}, named: true},
		{text: "我的hoodie到哪了", want: []string{"B"}, named: true},
		{text: "the black one that hasn't arrived", want: []string{"B"}, named: true},
		{text: "刚下的单什么时候发货", want: []string{"A"}, named: true},
		{text: "the black one I just ordered", want: []string{"B"}, named: true},
		// A Chinese name after Latin words, or before a size: its longest
		// runs of characters name it.
		{text: "数据线充不进电了", want: []string{"D"}, named: true},
		// A bare number is no word of a name ("×2" of the socks).
		{text: "my earbuds only lasted 2 days", want: []string{"C"}, named: true},
		{text: "电饭煲能退吗", want: []string{"D"}, named: true},
		{text: "鞋子磨脚", want: []string{"A"}, named: true},
		// A name misspelt by a slip of the fingers still names it; a
		// word one letter away by another letter does not.
		{text: "wheres my hodie", want: []string{"B"}, named: true},
		{text: "did the earbuds shiped", want: []string{"C"}, named: true},
		{text: "my runnign shoes", want: []string{"A"}, named: true},
		{text: "the rice cokoer", want: []string{"D"}, named: true},
		{text: "i was charged for hoodies", want: []string{"B"}, named: true},
		// Today says when it comes, unless it is when it was bought.
		{text: "is the 259 one coming today", ents: []nlu.Entity{{Type: "date", Value: "2026-12-06", Text: "today"}}, want: []string{"C"}, named: true},
		{text: "那个259的今天能到吗", ents: []nlu.Entity{{Type: "date", Value: "2026-12-06", Text: "今天"}}, want: []string{"C"}, named: true},
		{text: "the 259 one i ordered today", ents: []nlu.Entity{{Type: "date", Value: "2026-12-06", Text: "today"}}, named: true},
		// A state none of the orders of that day or price is in is asked
		// about, not said.
		{text: "the 297 one, has it arrived?", want: []string{"B"}, named: true},
		{text: "前天下的单发货了吗", ents: []nlu.Entity{{Type: "date", Value: "2026-12-04", Text: "前天"}}, want: []string{"A", "C"}, named: true},
		// A new address names nothing, not even by its house number.
		{text: "send it to 上海市浦东新区张江路 259 号 2 楼 instead"},
		{text: "change the address to 297 Nanjing Road, Shanghai"},
		// A weekday alone (this week's: on this Sunday, gone by) says when
		// it should come, unless the order was placed, sent or came then.
		{text: "周二能到吗", ents: []nlu.Entity{{Type: "date", Value: "2026-12-01", Text: "周二"}}},
		{text: "need it by tuesday, will it make it", ents: []nlu.Entity{{Type: "date", Value: "2026-12-01", Text: "tuesday"}}},
		{text: "我周三白天不在家", ents: []nlu.Entity{{Type: "date", Value: "2026-12-02", Text: "周三"}}},
		{text: "movers come saturday, will it be here", ents: []nlu.Entity{{Type: "date", Value: "2026-12-05", Text: "saturday"}}},
		{text: "礼拜五前送得到吗", ents: []nlu.Entity{{Type: "date", Value: "2026-12-04", Text: "礼拜五"}}},
		{text: "the one i ordered tuesday", ents: []nlu.Entity{{Type: "date", Value: "2026-12-01", Text: "tuesday"}}, want: []string{"B"}, named: true},
		{text: "周二下的那单到哪了", ents: []nlu.Entity{{Type: "date", Value: "2026-12-01", Text: "周二"}}, want: []string{"B"}, named: true},
		{text: "the order from tuesday", ents: []nlu.Entity{{Type: "date", Value: "2026-12-01", Text: "tuesday"}}, want: []string{"B"}, named: true},
		{text: "星期二的订单发货了吗", ents: []nlu.Entity{{Type: "date", Value: "2026-12-01", Text: "星期二"}}, want: []string{"B"}, named: true},
		{text: "上周二买的", ents: []nlu.Entity{{Type: "date", Value: "2026-11-24", Text: "上周二"}}, want: []string{"C"}, named: true},
		// A day either side of the one named, when none is of that day.
		{text: "what i ordered yesterday", ents: []nlu.Entity{{Type: "date", Value: "2026-12-05", Text: "yesterday"}}, want: []string{"A", "C"}, named: true},
	} {
		got, named := refer(Input{Text: tc.text, Entities: tc.ents}, orders, now)
		if !slices.Equal(ids(got), tc.want) || named != tc.named {
			t.Errorf("%q: %v (named %v), want %v (named %v)", tc.text, ids(got), named, tc.want, tc.named)
		}
	}
}

// The last part of a compound name names it ("watch" for the
// smartwatch); a word that only ends the same way does not ("handed it
// over" is no duvet cover).
func TestReferCompound(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	orders := []map[string]any{
		{"order_id": "A", "items_en": "Cloud Cotton Duvet Cover Set (sage, queen) ×1", "status": "delivered", "created_at": "2026-12-01"},
		{"order_id": "B", "items_en": "FitPulse Smartwatch (black, 41mm) ×1", "status": "shipped", "created_at": "2026-12-02"},
	}
	for _, tc := range []struct {
		text  string
		want  string
		named bool
	}{
		{"where's my watch", "B", true},
		{"the box was torn when the courier handed it over", "", false},
		{"can you go over this with me", "", false},
		{"the duvet cover", "A", true},
	} {
		got, named := refer(Input{Text: tc.text}, orders, now)
		var ids []string
		for _, i := range got {
			ids = append(ids, orders[i]["order_id"].(string))
		}
		if tc.want == "" && len(ids) > 0 || tc.want != "" && !slices.Equal(ids, []string{tc.want}) || named != tc.named {
			t.Errorf("%q: %v (named %v), want %q (named %v)", tc.text, ids, named, tc.want, tc.named)
		}
	}
}

// The very day named wins over the days either side of it, which a
// vague memory of the day lets in when no order is of that day.
func TestReferOnDay(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	orders := []map[string]any{
		{"order_id": "A", "items_en": "FeatherLite Down Jacket (white, M) ×1", "status": "paid", "created_at": "2026-12-05", "total": "699.00 CNY"},
		{"order_id": "B", "items_en": "Comfort Mattress Topper (white, king) ×1", "status": "pending_payment", "created_at": "2026-12-04", "total": "599.00 CNY"},
	}
	for _, tc := range []struct {
		text, day string
		want      []int
	}{
		{"can i change the address on what i ordered yesterday", "2026-12-05", []int{0}},
		{"昨天下的单地址能改吗", "2026-12-05", []int{0}},
		{"the one from the day before yesterday", "2026-12-04", []int{1}},
		{"the order from the 3rd", "2026-12-03", []int{1}},
	} {
		got, _ := refer(Input{Text: tc.text, Entities: []nlu.Entity{{Type: "date", Value: tc.day}}}, orders, now)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: %v, want %v", tc.text, got, tc.want)
		}
	}
}

// A misspelt name is a slip (letters swapped, left out or doubled), not
// another word.
func TestSlipOf(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"curtian", "curtain", true},
		{"keybaord", "keyboard", true},
		{"smartwach", "smartwatch", true},
		{"speakerr", "speaker", true},
		{"charged", "charger", false},
		{"shipped", "slipper", false},
		{"blender", "blender", false},
		{"lampshade", "lamp", false},
	} {
		if got := slipOf(tc.a, tc.b); got != tc.want {
			t.Errorf("slipOf(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

// A single Chinese character names an item only when counted ("那双鞋"),
// not inside another word ("手机号").
func TestCounted(t *testing.T) {
	for _, tc := range []struct {
		w, h string
		want bool
	}{
		{"那双鞋什么时候到", "鞋", true},
		{"那双灰色的运动鞋能退吗", "鞋", true},
		{"这件衣服", "衣", true},
		{"我的手机号改了", "机", false},
		{"一个手机号", "机", false},
		{"鞋", "鞋", false},
	} {
		if got := counted(tc.w, tc.h); got != tc.want {
			t.Errorf("counted(%q, %q) = %v, want %v", tc.w, tc.h, got, tc.want)
		}
	}
}
