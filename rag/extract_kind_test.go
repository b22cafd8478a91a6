package rag

import (
	"strings"
	"testing"
)

// paying is the hits a search might return for a question about an
// article on payments: first the section headed first, then four of other
// articles, then the section headed second, which the search did not
// find (added to read the whole article). The sections are as the index
// stores them (table rows as cells joined by " · ").
func paying(first, missed string) []Hit {
	sections := map[string]string{
		"Delivery options":                "Option · Mainland · Islands · Courier\nStandard · 2-4 working days · 4-6 working days · Parcelwise\nExpress · next working day · 1-2 working days · QuickDrop Express\n\nOrders paid before 1 pm on a working day leave the warehouse the same day.",
		"Charges":                         "Standard delivery is £3.95, and free on orders over £40. Express to the mainland is £9.50 and to the islands £14, whatever the order is worth.",
		"Changing your mind after paying": "You can cancel an order on your own within 2 hours of paying, as long as it has not been packed. Later, ask our team by chat.",
		"When a card payment fails":       "1. Check that the card is enabled for online payments.\n2. After 4 failed attempts within an hour, card payments on that order are paused for 20 minutes. Another payment method still works.\n3. A bank transfer takes a working day to reach us.",
	}
	sec := func(h string, score float64) Hit {
		return Hit{Score: score, Chunk: Chunk{DocKey: DocKey{Doc: "en-payments.md"}, ID: h, Title: "Payments", Lang: "en",
			HeadingPath: []string{"Payments", h}, Text: sections[h]}}
	}
	hits := []Hit{sec(first, 0.05)}
	for i, text := range []string{"Gift vouchers never expire.", "We deliver to the islands twice a week.", "Our team answers by chat every day.", "Returns are free within 30 days."} {
		hits = append(hits, Hit{Score: 0.04 - float64(i)*0.005, Chunk: Chunk{DocKey: DocKey{Doc: "other.md"}, ID: text, Title: "Other", Lang: "en", Text: text}})
	}
	return append(hits, sec(missed, 0))
}

// The reply holds the kind of figure asked for, whichever section the
// search put first: "how long" is not answered by "as long as", "what does
// it cost" not by the delivery times of the service named.
func TestReplyHoldsTheKindAsked(t *testing.T) {
	for _, tc := range []struct {
		q       string
		hits    []Hit
		want    string
		notWant string
	}{
		{"my payment is paused, how long now", paying("Changing your mind after paying", "When a card payment fails"), "20 minutes", "as long as"},
		{"what does express delivery to the islands cost", paying("Delivery options", "Charges"), "£14", "1-2 working days"},
		{"how much is express to the mainland", paying("Delivery options", "Charges"), "£9.50", "next working day"},
	} {
		reply, _, _ := extract(tc.hits, tc.q, tc.q, "", Bigrams{})
		if !strings.Contains(reply, tc.want) || strings.Contains(reply, tc.notWant) {
			t.Errorf("%s:\n%s\nwant %q, not %q", tc.q, reply, tc.want, tc.notWant)
		}
	}
}

// stores is the hits for a question about payment methods: a section on
// currencies that names every store first, then the section with the
// table of methods per store, which the search did not find.
func stores(lang string) []Hit {
	sec := func(title, heading, text string, score float64) Hit {
		return Hit{Score: score, Chunk: Chunk{DocKey: DocKey{Doc: "payments-" + lang + ".md"}, ID: heading, Title: title, Lang: lang,
			HeadingPath: []string{title, heading}, Text: text}}
	}
	if lang == "zh" {
		return []Hit{
			sec("闪送服务", "服务说明", "- 闪送可以在下单后两小时内送到，苏州、无锡、常州都可以使用。\n- 闪送订单可以开发票。", 0.05),
			sec("闪送服务", "开通城市", "城市 · 覆盖区域 · 站点\n苏州 · 姑苏、工业园区、吴中 · 园区站\n无锡 · 梁溪、滨湖 · 滨湖站\n常州 · 天宁、钟楼、新北 · 新北站", 0),
		}
	}
	return []Hit{
		sec("Payment Methods", "Currencies", "- Every store charges in its own currency.\n- You cannot use a voucher bought in the Island store in the Mainland store.\n- Card fees are never added.", 0.05),
		sec("Payment Methods", "Accepted payment methods", "Store · Currency · Accepted methods\nMainland · GBP · Visa, Mastercard, bank transfer\nIsland · GBP · Visa, Mastercard, IslandPay, voucher", 0),
	}
}

// A list question is answered with the table that lists what it asks
// for; when it names one of the rows ("in the island store", 苏州), with
// that row and its headers, not the whole table.
func TestListNamedRow(t *testing.T) {
	for _, tc := range []struct {
		q, lang string
		want    []string
		notWant []string
	}{
		{"which payment methods can i use in the island store", "en", []string{"Store: Island; Currency: GBP; Accepted methods: Visa, Mastercard, IslandPay, voucher"}, []string{"bank transfer", "own currency"}},
		{"what payment methods do you take", "en", []string{"bank transfer", "IslandPay"}, []string{"own currency"}},
		{"苏州哪些区可以用闪送", "zh", []string{"城市：苏州；覆盖区域：姑苏、工业园区、吴中"}, []string{"滨湖", "两小时"}},
	} {
		reply, _, _ := extract(stores(tc.lang), tc.q, tc.q, "", Bigrams{})
		checkAnswer(t, tc.q, reply, tc.want, tc.notWant)
	}
}

// A sentence that only sends the reader to another article answers
// nothing, whatever words of the question it names; and a section of the
// article the search ranked low is read like one it did not find.
func TestPointerAndLowSection(t *testing.T) {
	sec := func(doc, title, heading, text string, score float64) Hit {
		return Hit{Score: score, Chunk: Chunk{DocKey: DocKey{Doc: doc}, ID: doc + heading, Title: title, Lang: "en",
			HeadingPath: []string{title, heading}, Text: text}}
	}
	gift := []Hit{sec("zh-gift.md", "礼品卡", "使用规则", "- 礼品卡有效期的延长办法请参阅《会员权益说明》。\n- 礼品卡自购买之日起3年内可以使用。", 0.05)}
	cover := []Hit{sec("en-cover.md", "Cover and Repairs", "Repairs", "We repair most things after the cover ends. Repaired parts carry a 90-day cover.", 0.05)}
	for i := range 5 {
		cover = append(cover, sec("other.md", "Other", "Other "+string(rune('a'+i)), "Gift vouchers never expire.", 0.04))
	}
	cover = append(cover, sec("en-cover.md", "Cover and Repairs", "Cover by category", "Category · Cover\nLamps · 2 years\nGlassware and ceramics · 90 days", 0.01))
	for _, tc := range []struct {
		q       string
		hits    []Hit
		want    string
		notWant string
	}{
		{"礼品卡有效期多久", gift, "3年内", "请参阅"},
		{"cover on a glass vase?", cover, "Category: Glassware and ceramics; Cover: 90 days", "We repair"},
	} {
		reply, _, _ := extract(tc.hits, tc.q, tc.q, "", Bigrams{})
		if !strings.Contains(reply, tc.want) || strings.Contains(reply, tc.notWant) {
			t.Errorf("%s:\n%s\nwant %q, not %q", tc.q, reply, tc.want, tc.notWant)
		}
	}
}

// A question naming an amount is answered by the row of a tier table
// whose range holds it: of tiers that all hold it (满¥500, 满¥2,000 …), the
// highest it reaches.
func TestTierRowHoldsTheAmount(t *testing.T) {
	sec := func(lang, text string) []Hit {
		return []Hit{{Score: 0.05, Chunk: Chunk{DocKey: DocKey{Doc: "tiers-" + lang + ".md"}, ID: lang, Title: "Tiers", Lang: lang,
			HeadingPath: []string{"Tiers", "Discounts"}, Text: text}}}
	}
	en := sec("en", "Trade customers get a discount on each order, before delivery.\n\nOrder value (GBP) · Discount · Extras\n1,000 - 4,999 · 3% · Free delivery\n5,000 - 14,999 · 6% · Free assembly\n15,000 and above · 10% · A named contact")
	zh := sec("zh", "会员按年度消费享受折扣：\n\n年度消费 · 折扣\n满¥500 · 98折\n满¥2,000 · 95折\n满¥8,000 · 9折")
	for _, tc := range []struct {
		q       string
		hits    []Hit
		want    string
		notWant []string
	}{
		{"we run a small office and spend about 7k pounds an order, what discount is that", en, "6%", []string{"3%", "10%"}},
		{"order of £20,000, what discount", en, "10%", []string{"3%", "6%"}},
		{"我今年买了3000元 能打几折", zh, "95折", []string{"98折", "9折；"}},
	} {
		reply, _, _ := extract(tc.hits, tc.q, tc.q, "", Bigrams{})
		if !strings.Contains(reply, tc.want) {
			t.Errorf("%s: reply lacks %q:\n%s", tc.q, tc.want, reply)
		}
		for _, w := range tc.notWant {
			if strings.Contains(reply, w) {
				t.Errorf("%s: reply quotes %q:\n%s", tc.q, w, reply)
			}
		}
	}
}
