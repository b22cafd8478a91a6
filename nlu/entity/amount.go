package entity

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/assistd/assist"
)

const num = `(\d{1,3}(?:,\d{3}){1,4}|\d{1,12})(?:\.(\d{1,2}))?`

var (
	// Anchored: amounts tries them where a currency sign or a number starts.
	reAmountPrefix = regexp.MustCompile(`^(?i)(us\$|usd|rmb|cny|eur|[¥￥$€])\s?` + num + `(万|千|k|w)?(元)?`)
	reAmountSuffix = regexp.MustCompile(`^(?i)` + num + `\s?(万|千)?\s?(块钱|元|块|圆|rmb|cny|usd|eur|dollars?|bucks|美元|美金|欧元|人民币)`)
	reAmountZH     = regexp.MustCompile(`([零〇一二两三四五六七八九十百千万]+)(块钱|元|块|美元|美金|欧元)`)
)

func currency(s string) string {
	switch strings.ToLower(s) {
	case "$", "us$", "usd", "dollar", "dollars", "bucks", "美元", "美金":
		return "USD"
	case "€", "eur", "欧元":
		return "EUR"
	}
	return "CNY"
}

func multiplier(s string) int64 {
	switch strings.ToLower(s) {
	case "万", "w":
		return 10000
	case "千", "k":
		return 1000
	}
	return 1
}

// money is the entity value of minor units of cur: assist.Money's text
// form ("1234.50 CNY"), computed in integers so no amount is rounded.
func money(minor int64, cur string) string {
	return assist.Money{Minor: minor, Currency: cur}.String()
}

// parseNum returns a matched number in minor units (hundredths: the
// currencies amounts finds all have two decimals) times mult. The
// patterns allow at most 12 integer digits and a ×10⁴ multiplier, far
// below int64's limit.
func parseNum(intPart, frac string, mult int64) int64 {
	v, _ := strconv.ParseInt(strings.ReplaceAll(intPart, ",", ""), 10, 64)
	f, _ := strconv.ParseInt((frac + "00")[:2], 10, 64)
	return (v*100 + f) * mult
}

// amounts finds sums of money with a currency.
func amounts(s string, add func(typ string, start, end int, value string)) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			if i > 0 && (isAlnum(s[i-1]) || s[i-1] == '.' || s[i-1] == ',') {
				continue
			}
			m := reAmountSuffix.FindStringSubmatchIndex(s[i:])
			if m == nil {
				continue
			}
			cur := sub(s[i:], m, 4)
			if isLetter(cur[0]) && i+m[1] < len(s) && isLetter(s[i+m[1]]) {
				continue
			}
			v := parseNum(sub(s[i:], m, 1), sub(s[i:], m, 2), multiplier(sub(s[i:], m, 3)))
			add(Amount, i, i+m[1], money(v, currency(cur)))
		case c == '$' && i > 0 && isLetter(s[i-1]):
			continue // HK$, NT$…: not dollars we know; US$ starts at the U
		case c == '$' || c == 0xc2 || c == 0xef || c == 0xe2 || isLetter(c) && (i == 0 || !isAlnum(s[i-1])) && currencyWordAt(s[i:]):
			m := reAmountPrefix.FindStringSubmatchIndex(s[i:])
			if m == nil {
				continue
			}
			end := i + m[1]
			if end < len(s) && isAlnum(s[end]) {
				continue
			}
			v := parseNum(sub(s[i:], m, 2), sub(s[i:], m, 3), multiplier(sub(s[i:], m, 4)))
			add(Amount, i, end, money(v, currency(sub(s[i:], m, 1))))
		}
	}
	if strings.Contains(s, "元") || strings.Contains(s, "块") {
		for _, m := range reAmountZH.FindAllStringSubmatchIndex(s, -1) {
			if v, ok := chineseNumber(sub(s, m, 1)); ok {
				add(Amount, m[0], m[1], money(v*100, currency(sub(s, m, 2))))
			}
		}
	}
}

func currencyWordAt(s string) bool {
	for _, w := range []string{"us$", "usd", "rmb", "cny", "eur"} {
		if hasPrefixFold(s, w) {
			return true
		}
	}
	return false
}

// sub returns submatch i of m in s, or "".
func sub(s string, m []int, i int) string {
	if 2*i+1 >= len(m) || m[2*i] < 0 {
		return ""
	}
	return s[m[2*i]:m[2*i+1]]
}

var zhDigits = map[rune]int64{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
var zhUnits = map[rune]int64{'十': 10, '百': 100, '千': 1000}

// chineseNumber parses a number in Chinese numerals below 10^12: 十五,
// 三百五十, 一千零五, 两万三千; a trailing digit after a unit is of the next
// lower unit, as people say it (三百五 = 350, 两万五 = 25000).
func chineseNumber(s string) (int64, bool) {
	var total, section, digit int64
	lastUnit := int64(1)
	hasDigit, zero := false, false
	for _, r := range s {
		switch {
		case r == '万':
			section += digit
			if section == 0 {
				return 0, false
			}
			total += section * 10000
			if total >= 1e12 {
				return 0, false
			}
			section, digit, hasDigit, lastUnit, zero = 0, 0, false, 10000, false
		default:
			if d, ok := zhDigits[r]; ok {
				digit, hasDigit = d, true
				zero = zero || d == 0
				continue
			}
			u, ok := zhUnits[r]
			if !ok {
				return 0, false
			}
			if !hasDigit {
				digit = 1 // 十五 = 15
			}
			section += digit * u
			digit, hasDigit, lastUnit, zero = 0, false, u, false
		}
	}
	if hasDigit {
		if lastUnit > 10 && !zero {
			digit *= lastUnit / 10
		}
		section += digit
	}
	total += section
	return total, total > 0 || strings.ContainsAny(s, "零〇")
}
