package entity

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu"
)

var shanghai = time.FixedZone("CST", 8*3600)

// ref is Thursday 2026-11-05, 10:00 in Shanghai.
var ref = time.Date(2026, 11, 5, 10, 0, 0, 0, shanghai)

var catalogueItems = []Item{
	{ID: "SKU-JACKET", Names: []string{"羽绒服", "down jacket", "puffer jacket"}},
	{ID: "SKU-JACKET-LONG", Names: []string{"长款羽绒服", "long down jacket"}},
	{ID: "SKU-AIRPODS", Names: []string{"AirPods Pro", "airpods pro 2"}},
	{ID: "SKU-PRO", Names: []string{"Pro"}},
	{Names: []string{"保温杯"}},
	{ID: "SKU-COAT", Names: []string{"大衣"}},
}

func newExtractor(t testing.TB, cfg Config) *Extractor {
	t.Helper()
	if cfg.Location == nil {
		cfg.Location = shanghai
	}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// ent is an expected entity: its type, text as written and value.
type ent struct{ Type, Text, Value string }

func simplify(es []nlu.Entity) []ent {
	var out []ent
	for _, e := range es {
		out = append(out, ent{e.Type, e.Text, e.Value})
	}
	return out
}

func TestExtract(t *testing.T) {
	e := newExtractor(t, Config{Catalogue: catalogueItems})
	tests := []struct {
		name string
		in   string
		want []ent
	}{
		// Order ids.
		{"zh order", "我的订单号是2026110312345678，还没发货", []ent{{OrderID, "2026110312345678", "2026110312345678"}}},
		{"en order with #", "Where is order #88812345?", []ent{{OrderID, "#88812345", "88812345"}}},
		{"DD prefix", "订单DD2026110300123什么时候发", []ent{{OrderID, "DD2026110300123", "DD2026110300123"}}},
		{"dd lower case", "order dd1234567", []ent{{OrderID, "dd1234567", "DD1234567"}}},
		{"short number is no order", "I want 3 of item 12345", nil},
		{"full-width order", "订单号２０２６１１０３１２３４５", []ent{{OrderID, "２０２６１１０３１２３４５", "2026110312345"}}},
		// A phone is not an order id; neither is an identity number.
		{"phone not order", "手机13812345678", []ent{{Phone, "13812345678", "13812345678"}}},
		{"order keyword, still a phone", "订单联系人电话 13812345678", []ent{{Phone, "13812345678", "13812345678"}}},
		{"id number not order", "身份证号310115198506074525", nil},
		{"order and phone", "订单1234567890123 电话+86 139-1234-5678",
			[]ent{{OrderID, "1234567890123", "1234567890123"}, {Phone, "+86 139-1234-5678", "13912345678"}}},
		// Tracking numbers.
		{"SF", "顺丰单号SF1234567890123", []ent{{TrackingNumber, "SF1234567890123", "SF1234567890123"}}},
		{"SF lower, en", "tracking: sf123456789012 please", []ent{{TrackingNumber, "sf123456789012", "SF123456789012"}}},
		{"JD", "京东快递JDVA12345678901到哪了", []ent{{TrackingNumber, "JDVA12345678901", "JDVA12345678901"}}},
		{"JD digits", "JD0012345678901", []ent{{TrackingNumber, "JD0012345678901", "JD0012345678901"}}},
		{"YTO", "圆通YT1234567890123", []ent{{TrackingNumber, "YT1234567890123", "YT1234567890123"}}},
		{"UPS", "UPS 1Z999AA10123456784 hasn't moved", []ent{{TrackingNumber, "1Z999AA10123456784", "1Z999AA10123456784"}}},
		{"S10 EMS", "EMS单号EA123456785CN", []ent{{TrackingNumber, "EA123456785CN", "EA123456785CN"}}},
		{"S10 bad check digit", "EMS单号EA123456789CN", nil},
		{"ZTO numeric by keyword", "中通快递 773012345678901 一直没更新", []ent{{TrackingNumber, "773012345678901", "773012345678901"}}},
		{"Yunda numeric", "韵达 4312345678901", []ent{{TrackingNumber, "4312345678901", "4312345678901"}}},
		{"waybill word", "运单号：432109876543", []ent{{TrackingNumber, "432109876543", "432109876543"}}},
		{"FedEx", "FedEx tracking 123456789012", []ent{{TrackingNumber, "123456789012", "123456789012"}}},
		{"DHL 10 digits", "DHL 1234567890", []ent{{TrackingNumber, "1234567890", "1234567890"}}},
		{"DHL wrong length is an order", "DHL 1234567890123", []ent{{OrderID, "1234567890123", "1234567890123"}}},
		{"USPS by shape", "9400111899223100012345", []ent{{TrackingNumber, "9400111899223100012345", "9400111899223100012345"}}},
		{"nearest keyword wins", "物流显示签收了，可是订单 1234567890123 里的东西没收到",
			[]ent{{OrderID, "1234567890123", "1234567890123"}}},
		{"ems inside items is no keyword", "3 items 1234567890123", []ent{{OrderID, "1234567890123", "1234567890123"}}},
		// Phones and e-mail.
		{"landline", "打我座机010-62345678", []ent{{Phone, "010-62345678", "01062345678"}}},
		{"international", "call +44 20 7946 0958", []ent{{Phone, "+44 20 7946 0958", "+442079460958"}}},
		{"email", "邮箱 Li.Wei@Example.COM 谢谢", []ent{{Email, "Li.Wei@Example.COM", "li.wei@example.com"}}},
		// Amounts.
		{"yuan sign", "付了¥199还没到", []ent{{Amount, "¥199", "199.00 CNY"}}},
		{"full-width yuan", "退￥1,299.5给我", []ent{{Amount, "￥1,299.5", "1299.50 CNY"}}},
		{"yuan after", "运费12元", []ent{{Amount, "12元", "12.00 CNY"}}},
		{"kuai", "便宜了30块钱", []ent{{Amount, "30块钱", "30.00 CNY"}}},
		{"chinese numerals", "差价三百五十元", []ent{{Amount, "三百五十元", "350.00 CNY"}}},
		{"large amount, exact to the fen", "转了¥279,437,044,707.66千", []ent{{Amount, "¥279,437,044,707.66千", "279437044707660.00 CNY"}}},
		{"large amount times 10k, exact", "转了¥842,066,572,248.94万", []ent{{Amount, "¥842,066,572,248.94万", "8420665722489400.00 CNY"}}},
		{"colloquial", "才两万五块", []ent{{Amount, "两万五块", "25000.00 CNY"}}},
		{"wan", "预算1.2万元", []ent{{Amount, "1.2万元", "12000.00 CNY"}}},
		{"dollars", "I was charged $49.99 twice", []ent{{Amount, "$49.99", "49.99 USD"}}},
		{"US$", "refund US$ 20 please", []ent{{Amount, "US$ 20", "20.00 USD"}}},
		{"USD after", "it cost 35 USD", []ent{{Amount, "35 USD", "35.00 USD"}}},
		{"euro", "€15 and 20 euros", []ent{{Amount, "€15", "15.00 EUR"}}},
		{"RMB", "RMB 88", []ent{{Amount, "RMB 88", "88.00 CNY"}}},
		{"no currency", "I bought 3 shirts", nil},
		// Absolute dates.
		{"iso", "2026-11-03下的单", []ent{{Date, "2026-11-03", "2026-11-03"}}},
		{"slashes", "on 2026/9/1", []ent{{Date, "2026/9/1", "2026-09-01"}}},
		{"zh month day", "11月3日买的", []ent{{Date, "11月3日", "2026-11-03"}}},
		{"zh with year", "2025年12月31号", []ent{{Date, "2025年12月31号", "2025-12-31"}}},
		{"zh numerals", "十月一号", []ent{{Date, "十月一号", "2026-10-01"}}},
		{"nearest year", "1月2日到货", []ent{{Date, "1月2日", "2027-01-02"}}},
		{"en month day", "ordered on Nov 3rd", []ent{{Date, "Nov 3rd", "2026-11-03"}}},
		{"en day month year", "3 November 2025", []ent{{Date, "3 November 2025", "2025-11-03"}}},
		{"en with year", "October 30, 2026", []ent{{Date, "October 30, 2026", "2026-10-30"}}},
		{"invalid date", "2026-02-30 and 2月30日", nil},
		// Relative dates (ref: Thursday 2026-11-05).
		{"today", "今天能到吗", []ent{{Date, "今天", "2026-11-05"}}},
		{"yesterday", "昨天下的单", []ent{{Date, "昨天", "2026-11-04"}}},
		{"day before", "前天", []ent{{Date, "前天", "2026-11-03"}}},
		{"last friday zh", "上周五买的", []ent{{Date, "上周五", "2026-10-30"}}},
		{"next monday zh", "下周一发货吗", []ent{{Date, "下周一", "2026-11-09"}}},
		{"this sunday zh", "星期天", []ent{{Date, "星期天", "2026-11-08"}}},
		{"days ago zh", "3天前付款", []ent{{Date, "3天前", "2026-11-02"}}},
		{"days ago zh numerals", "五天前", []ent{{Date, "五天前", "2026-10-31"}}},
		{"last monday", "I ordered last Monday", []ent{{Date, "last Monday", "2026-10-26"}}},
		{"this wednesday", "this wed", []ent{{Date, "this wed", "2026-11-04"}}},
		{"yesterday en", "Yesterday it said delivered", []ent{{Date, "Yesterday", "2026-11-04"}}},
		{"days ago", "paid 3 days ago", []ent{{Date, "3 days ago", "2026-11-02"}}},
		{"in days", "arrives in two days", []ent{{Date, "in two days", "2026-11-07"}}},
		{"monday not in words", "mondays are busy", nil},
		// Products: longest match, case, boundaries.
		{"product zh", "这件长款羽绒服有XL吗", []ent{{Product, "长款羽绒服", "SKU-JACKET-LONG"}}},
		{"product en", "Is the Long Down Jacket waterproof?", []ent{{Product, "Long Down Jacket", "SKU-JACKET-LONG"}}},
		{"alias", "airpods pro 2 还有货吗", []ent{{Product, "airpods pro 2", "SKU-AIRPODS"}}},
		{"word boundary", "this product is great", nil},
		{"no id: first name", "保温杯漏水", []ent{{Product, "保温杯", "保温杯"}}},
		// A name typed with one character read alike (the pinyin keyboard's typo).
		{"homophone typo", "我的羽绒福到了吗", []ent{{Product, "羽绒福", "SKU-JACKET"}}},
		{"homophone typo, other tone", "买的保温背漏水", []ent{{Product, "保温背", "保温杯"}}},
		{"exact name wins over a typo beside it", "长款羽绒服", []ent{{Product, "长款羽绒服", "SKU-JACKET-LONG"}}},
		{"a character read otherwise is another thing", "保温瓶漏水", nil},
		{"two characters replaced are another word", "雨融福", nil},
		{"two-character names only as written", "能换大一码吗", nil},
		// Mixed.
		{"mixed message", "Hi 我昨天买的羽绒服 order #20261104 付了¥599，邮箱 a@b.cn",
			[]ent{{Date, "昨天", "2026-11-04"}, {Product, "羽绒服", "SKU-JACKET"}, {OrderID, "#20261104", "20261104"}, {Amount, "¥599", "599.00 CNY"}, {Email, "a@b.cn", "a@b.cn"}}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := e.ExtractAt(tt.in, ref)
			if !reflect.DeepEqual(simplify(got), tt.want) {
				t.Errorf("ExtractAt(%q)\n got %v\nwant %v", tt.in, simplify(got), tt.want)
			}
			checkSpans(t, tt.in, got)
		})
	}
}

func checkSpans(t testing.TB, text string, es []nlu.Entity) {
	t.Helper()
	last := 0
	for _, e := range es {
		if e.Start < last || e.End <= e.Start || e.End > len(text) {
			t.Fatalf("bad or overlapping span %+v in %q", e, text)
		}
		if e.Text != text[e.Start:e.End] {
			t.Fatalf("Text %q != text[%d:%d] %q", e.Text, e.Start, e.End, text[e.Start:e.End])
		}
		if utf8.ValidString(text) && (!utf8.RuneStart(text[e.Start]) || e.End < len(text) && !utf8.RuneStart(text[e.End])) {
			t.Fatalf("span %+v not on rune boundaries of %q", e, text)
		}
		last = e.End
	}
}

func TestCustomPatterns(t *testing.T) {
	e := newExtractor(t, Config{Patterns: []Pattern{
		// The shop's order ids: "NS-" + 8 digits; the value is the digits.
		{Type: OrderID, Regexp: `(?i)NS-(?P<value>\d{8})`},
		// A shop whose order ids look like mobile numbers.
		{Type: OrderID, Regexp: `\bA1[3-9]\d{9}\b`},
	}})
	got := simplify(e.ExtractAt("订单 NS-20261103 和 A13812345678, 另一个 1234567890123", ref))
	want := []ent{{OrderID, "NS-20261103", "20261103"}, {OrderID, "A13812345678", "A13812345678"}, {OrderID, "1234567890123", "1234567890123"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}

	// Replace turns the built-in order ids off.
	e = newExtractor(t, Config{Patterns: []Pattern{{Type: OrderID, Regexp: `NS-\d{8}`, Replace: true}}})
	got = simplify(e.ExtractAt("NS-20261103 1234567890123 #1234567", ref))
	if want := []ent{{OrderID, "NS-20261103", "NS20261103"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("replace: got %v, want %v", got, want)
	}

	for _, bad := range []Config{
		{Patterns: []Pattern{{Type: "colour", Regexp: "red"}}},
		{Patterns: []Pattern{{Type: Date, Regexp: `\d+`}}},
		{Patterns: []Pattern{{Type: OrderID, Regexp: `(`}}},
		{Patterns: []Pattern{{Type: OrderID, Regexp: `\d*`}}},
		{Catalogue: []Item{{ID: "x"}}},
		{Catalogue: []Item{{ID: "x", Names: []string{"  "}}}},
	} {
		if _, err := New(bad); assist.ErrorCode(err) != assist.EINVALID {
			t.Errorf("New(%+v) = %v, want EINVALID", bad, err)
		}
	}
}

func TestNowAndLocation(t *testing.T) {
	// 23:30 UTC on 4 November is already 5 November in Shanghai.
	now := time.Date(2026, 11, 4, 23, 30, 0, 0, time.UTC)
	e := newExtractor(t, Config{Now: func() time.Time { return now }})
	if got := e.Extract("今天"); len(got) != 1 || got[0].Value != "2026-11-05" {
		t.Errorf("Extract = %+v", got)
	}
}

func TestMaxText(t *testing.T) {
	e := newExtractor(t, Config{MaxText: 20})
	text := strings.Repeat("订", 6) + "13812345678"
	if got := e.ExtractAt(text, ref); len(got) != 0 {
		t.Errorf("entity beyond MaxText: %+v", got)
	}
	checkSpans(t, text, e.ExtractAt(text, ref))
}

func TestChineseNumber(t *testing.T) {
	for s, want := range map[string]int64{"十": 10, "十五": 15, "二十": 20, "三百五十": 350, "三百五": 350, "一千零五": 1005, "两万三千": 23000, "两万五": 25000, "一百零一": 101, "五": 5} {
		if got, ok := chineseNumber(s); !ok || got != want {
			t.Errorf("chineseNumber(%s) = %d, %v; want %d", s, got, ok, want)
		}
	}
	for _, s := range []string{"万", "百x"} {
		if _, ok := chineseNumber(s); ok {
			t.Errorf("chineseNumber(%s) ok", s)
		}
	}
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"我的订单号是2026110312345678，手机13812345678",
		"Where is order #88812345? tracking SF1234567890123, paid $49.99 last Monday",
		"上周五买的长款羽绒服 三百五十元 11月3日 ２０２６－１１－０３",
		"EMS EA123456785CN 1Z999AA10123456784 中通 773012345678901",
		"\xff\xfe订单\x80123456789012",
		"¥1,299.5 1.2万元 3 days ago in two days",
	} {
		f.Add(s)
	}
	e := newExtractor(f, Config{Catalogue: catalogueItems, Patterns: []Pattern{{Type: OrderID, Regexp: `NS-(?P<value>\d+)`}}})
	f.Fuzz(func(t *testing.T, s string) {
		checkSpans(t, s, e.ExtractAt(s, ref))
	})
}
