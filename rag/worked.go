package rag

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	nlutext "github.com/assistd/assist/nlu/text"
)

// A customer who states their own amount ("i paid 299 for a jacket, how
// much do i get back if i return it", "双十一买了650 能减多少钱") asks for
// the sum the article's rule makes of it, not only the rule: the reply
// leads with it, worked out from the figures the quote holds (the label
// fee it says is deducted from a refund, the full reduction per amount
// spent), and then quotes the rule it comes from.

// paidAmount finds an amount stated without a currency that a money word
// before it makes the customer's own ("paid 299", "650 in my cart",
// "spend 920", "a 299 dress", "付了299", "花了450", "凑了920",
// "买了个399的包").
var paidAmount = nlutext.MustPattern(`(?i)(?:\b(?:paid|pay|paying|spent|spend|spending|cost|costs|for|worth|total(?:s|led|ed)?|of)\s+(?:about\s+|around\s+|only\s+)?(\d{2,6}(?:\.\d{1,2})?)\b(?:\s*(?:in|on)\s+(?:my|the)\s+(?:cart|basket|order))?)|(?:\b(\d{2,6}(?:\.\d{1,2})?)\s+(?:in|on)\s+(?:my|the)\s+(?:cart|basket)\b)|(?:(?:付了|花了|买了个?|凑了|凑够|实付|付款|支付了?|价格|价值|消费了?)\s*(\d{2,6}(?:\.\d{1,2})?)(?:[^\d.年月日号天件个%％]|$))|(?:(?:^|[^\d.DdＤ/-])(\d{2,6}(?:\.\d{1,2})?)\s*的(?:衣服|包|鞋|东西|商品|货))|(?:\b(?:a|an)\s+(\d{2,6}(?:\.\d{1,2})?)\s+(?:yuan\s+|rmb\s+)?[a-z]+)`)

// notAmount is what makes a number no amount: an order id, a date, a
// phone number, a count of days, items or points.
var notAmount = nlutext.MustPattern(`(?i)^\s*(?:days?|weeks?|hours?|pcs|pieces?|items?|points?|%|kg|g\b|cm|mm|ml|天|周|小时|件|个|双|积分|分钟)`)

// statedAmounts returns the amounts the question states in its own
// words: those with a currency (amounts) and bare numbers a money word
// makes the customer's (paidAmount). Order ids, dates and phone numbers
// are no amounts: they are longer, or a money word does not lead them.
func statedAmounts(question string) []float64 {
	out := amounts(question)
	for _, m := range paidAmount.FindAllStringSubmatchIndex(question, -1) {
		for g := 1; g < len(m)/2; g++ {
			if m[2*g] < 0 {
				continue
			}
			if notAmount.MatchString(question[m[2*g+1]:]) {
				break
			}
			v, err := strconv.ParseFloat(question[m[2*g]:m[2*g+1]], 64)
			if err == nil && v > 0 && !slices.Contains(out, v) {
				out = append(out, v)
			}
			break
		}
	}
	return out
}

var (
	// asksBack asks how much comes back of a return or a refund.
	asksBack = nlutext.MustPattern(`(?i)\bhow much\b.*\b(back|refund(?:ed)?|returned)\b|\b(?:refund|get back)\b.*\bhow much\b|退(?:回|还|款)?(?:多少|几)|能退.{0,4}多少|退.{0,6}(?:多少钱|多少)`)
	// asksOff asks how much comes off the price.
	asksOff = nlutext.MustPattern(`(?i)\bhow much\b.*\b(off|discount|save|saving|reduc\w*|less)\b|\b(discount|off)\b.*\bhow much\b|\bwhat(?:'s| is) the (?:discount|reduction)\b|减(?:多少|几)|能减|优惠多少|便宜多少|省多少|打几折`)

	// deducted is a fee the quote says comes off a refund: "the ¥12 label
	// fee … is deducted", "费用 ¥12（国际订单 $6），从退款中扣除".
	deducted = nlutext.MustPattern(`(?i)[¥￥]\s*(\d+(?:\.\d+)?)[^.。\n]{0,60}?(?:deducted|扣除|扣)`)
	// rateOff is a full reduction: "¥50 off every ¥300", "¥50-off-¥300",
	// "每满 ¥300 减 ¥50", "满300减50".
	rateOff = nlutext.MustPattern(`(?i)[¥￥]\s*(\d+)[\s-]*off[\s-]*(?:every|each|per)?[\s-]*[¥￥]\s*(\d+)|(?:每)?满\s*[¥￥]?\s*(\d+)\s*减\s*[¥￥]?\s*(\d+)`)
	// exemptTiers names the members a fee spares.
	exemptTiers = nlutext.MustPattern(`(?i)Gold and Platinum|金卡和铂金|金卡、铂金`)
)

// workedSum is the sum the quote's rule makes of the amount the question
// states, in lang, or "" when the question states none, asks nothing the
// rule sums, or the quote holds no such rule.
func workedSum(question, quote, lang string) string {
	as := statedAmounts(question)
	if len(as) == 0 {
		return ""
	}
	a := slices.Max(as)
	switch {
	case asksOff.MatchString(question):
		for _, m := range rateOff.FindAllStringSubmatch(quote, -1) {
			var off, base float64
			if m[1] != "" {
				off, base = num(m[1]), num(m[2])
			} else {
				base, off = num(m[3]), num(m[4])
			}
			if base <= 0 || off <= 0 || off >= base {
				continue
			}
			n := math.Floor(a / base)
			if lang == "zh" {
				if n == 0 {
					return fmt.Sprintf("¥%s 还不满 ¥%s，减不了；再凑 ¥%s 可减 ¥%s。", money(a), money(base), money(base-a), money(off))
				}
				return fmt.Sprintf("按每满 ¥%s 减 ¥%s，¥%s 可减 ¥%s（%g × ¥%s），实付 ¥%s。", money(base), money(off), money(a), money(n*off), n, money(off), money(a-n*off))
			}
			if n == 0 {
				return fmt.Sprintf("¥%s doesn't reach ¥%s yet, so nothing comes off; add ¥%s more to get ¥%s off.", money(a), money(base), money(base-a), money(off))
			}
			return fmt.Sprintf("At ¥%s off every ¥%s, ¥%s gets ¥%s off (%g × ¥%s): you pay ¥%s.", money(off), money(base), money(a), money(n*off), n, money(off), money(a-n*off))
		}
	case asksBack.MatchString(question):
		m := deducted.FindStringSubmatch(quote)
		if m == nil {
			return ""
		}
		fee := num(m[1])
		if fee <= 0 || fee >= a {
			return ""
		}
		exempt := exemptTiers.MatchString(quote)
		if lang == "zh" {
			s := fmt.Sprintf("实付 ¥%s 的商品无理由退货，扣除 ¥%s 退货运费后退回 ¥%s", money(a), money(fee), money(a-fee))
			if exempt {
				s += fmt.Sprintf("；金卡和铂金会员免运费，全额退回 ¥%s", money(a))
			}
			return s + "。"
		}
		s := fmt.Sprintf("For an item you paid ¥%s for, a no-reason return gets you ¥%s back (¥%s minus the ¥%s label fee)", money(a), money(a-fee), money(a), money(fee))
		if exempt {
			s += fmt.Sprintf("; Gold and Platinum members get the full ¥%s back", money(a))
		}
		return s + "."
	}
	return ""
}

func num(s string) float64 {
	v, _ := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	return v
}

// money writes an amount without needless decimals: 287, 287.5.
func money(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}
