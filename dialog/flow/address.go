package flow

import (
	nlutext "github.com/assistd/assist/nlu/text"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Addresses recognised by their shape (Slot.Shape "address"), so one
// typed out before the bot asks for it ("send it to my office instead:
// 杭州市滨江区…") is not lost.
var (
	// zhDivisions end the name of a province, city, district or county.
	zhDivisions = []string{"自治区", "特别行政区", "省", "市", "区", "县"}
	// zhStreet mark the street part of a Chinese address; with a number
	// after the division they tell an address from "超市" or "偏远地区".
	zhStreet = []string{"路", "街", "道", "号", "弄", "巷", "村", "楼", "室", "栋", "幢", "座", "单元", "小区", "大厦"}
	// zhLeadIns come before the address in the same run of characters
	// ("改成上海市…", "寄到杭州市…").
	zhLeadIns = []string{"改成", "改为", "换成", "改到", "寄到", "送到", "发到", "地址是", "地址", "到", "是"}
	// enStreet is a house number, up to four words and a street word.
	enStreet = nlutext.MustPattern(`(?i)\b\d{1,5}[a-z]?\s+(?:[a-z][a-z'.-]*\s+){0,4}?(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|square|sq|highway|hwy|terrace|crescent|parkway)\b`)
	// enUnit opens an English address before its street ("Room 1202, 1
	// Jianguomenwai Avenue", "Flat 3, 22 Baker Street").
	enUnit = nlutext.MustPattern(`(?i)\b(?:room|flat|apt|apartment|unit|suite|floor)\s*\d+[a-z]?\s*,?\s*$`)
)

// maxZHPlaceName is the longest place name before a division the reader
// takes whole; a longer run of characters holds other words first ("我
// 公司杭州市…"), of which it keeps the last two.
const maxZHPlaceName = 4

// Address returns the postal address text holds, as the flow reads one
// (a Chinese address from its division, an English one from its house
// number and street word), or "".
func Address(text string) string { return addressIn(text) }

// addressIn returns the postal address text holds, from its start to the
// end of the message (the recipient and phone often follow), or "".
func addressIn(text string) string {
	if v := zhAddress(text); v != "" {
		return v
	}
	return enAddress(text)
}

func zhAddress(text string) string {
	runes := []rune(text)
	for i := range runes {
		div := ""
		for _, d := range zhDivisions {
			if runesHavePrefix(runes[i:], d) {
				div = d
				break
			}
		}
		if div == "" {
			continue
		}
		start := i
		for start > 0 && unicode.Is(unicode.Han, runes[start-1]) {
			start--
		}
		if i-start < 2 {
			continue // "超市" without a place name
		}
		name := string(runes[start:i])
		for _, w := range zhLeadIns {
			if j := strings.LastIndex(name, w); j >= 0 {
				name = name[j+len(w):]
				break
			}
		}
		if n := utf8.RuneCountInString(name); n > maxZHPlaceName {
			name = string([]rune(name)[n-2:])
		} else if n < 2 {
			continue
		}
		rest := string(runes[i:])
		if !strings.ContainsFunc(rest, unicode.IsDigit) || !containsAny(rest, zhStreet) {
			continue
		}
		return trimPunct(name + rest)
	}
	return ""
}

// runesHavePrefix is strings.HasPrefix(string(rs), prefix) for a prefix
// of whole runes, without making the string: zhAddress asks it at every
// character of a message for every division word.
func runesHavePrefix(rs []rune, prefix string) bool {
	i := 0
	for _, r := range prefix {
		if i >= len(rs) || rs[i] != r {
			return false
		}
		i++
	}
	return true
}

func enAddress(text string) string {
	loc := enStreet.FindStringIndex(text)
	if loc == nil {
		return ""
	}
	start := loc[0]
	if u := enUnit.FindStringIndex(text[:start]); u != nil {
		start = u[0]
	}
	return trimPunct(text[start:])
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
