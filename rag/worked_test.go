package rag

import (
	"slices"
	"strings"
	"testing"
)

// TestStatedAmounts: the customer's own amounts, with or without a
// currency; order ids, phone numbers, dates and counts are none.
func TestStatedAmounts(t *testing.T) {
	for q, want := range map[string][]float64{
		"i paid 299 for a jacket, how much do i get back if i return it": {299},
		"double 11 i have 650 in my cart how much off do i get":          {650},
		"if i return a 299 dress i don't like, how much will i get back": {299},
		"我付了299 无理由退货能退多少钱":                                              {299},
		"双十一凑了920 能减多少":                                                  {920},
		"how much do i get back if i return order DD202611050002":        nil,
		"退货能退多少钱 我电话13812345678":                                         nil,
		"i paid 3 days ago, how much back if i return it":                nil,
		"买了2件 退货能退多少":                                                    nil,
	} {
		if got := statedAmounts(q); !slices.Equal(got, want) {
			t.Errorf("%s: stated %v, want %v", q, got, want)
		}
	}
}

// TestWorkedSum: the rule quoted, applied to the customer's amount.
func TestWorkedSum(t *testing.T) {
	refund := "For a no-reason return using our return label, the ¥12 label fee ($6 for international orders) is deducted. Gold and Platinum members are not charged."
	refundZh := "七天无理由退货的寄回运费由顾客承担，可使用商城退货面单，费用 ¥12（国际订单 $6），从退款中扣除。金卡和铂金会员无理由退货免运费。"
	sale := "Participating items get ¥50 off every ¥300 (满300减50) with no cap."
	saleZh := "参加活动的商品每满 ¥300 减 ¥50，上不封顶，可跨品类凑单。"
	for _, tc := range []struct{ q, quote, lang, want string }{
		{"i paid 299 for a jacket, how much do i get back if i return it", refund, "en", "¥287 back"},
		{"我付了299 无理由退货能退多少钱", refundZh, "zh", "退回 ¥287"},
		{"double 11 i have 650 in my cart how much off do i get", sale, "en", "¥100 off"},
		{"双十一买了650 满300减多少 能减多少钱", saleZh, "zh", "可减 ¥100"},
		{"双十一凑了250 能减多少", saleZh, "zh", "再凑 ¥50"},
		// no amount stated, or a rule that sums nothing asked
		{"how much do i get back if i return it", refund, "en", ""},
		{"i paid 299, how much do i get back", sale, "en", ""},
	} {
		got := workedSum(tc.q, tc.quote, tc.lang)
		if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
			t.Errorf("%s: worked %q, want %q", tc.q, got, tc.want)
		}
	}
}
