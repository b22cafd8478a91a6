package rag

import (
	nlutext "github.com/assistd/assist/nlu/text"
	"math"
	"slices"
	"strconv"
	"strings"
)

// A tier table names each row by a range of amounts ("5,000 - 19,999",
// "Up to S$400", "50,000 and above", "满¥1,000"); a question naming an
// amount ("about 30k yuan", "my order is S$550", "买了3000元") is answered
// by the row whose range holds it.

// askedAmount finds an amount in a question: a number with a currency
// before or after it, or a multiplier (30k, 3万).
var askedAmount = nlutext.MustPattern(`(?i)(?:(?:[a-z]{0,2}\$|¥|￥|£|€|cny|rmb|hkd|sgd|usd|gbp|eur)\s*(\d[\d,]*(?:\.\d+)?)\s*(k|千|万)?)|(?:(\d[\d,]*(?:\.\d+)?)\s*(k|千|万)?\s*(?:元|块|yuan|rmb|cny|dollars?|pounds?|euros?|hkd|sgd|usd|gbp|eur)\b?)|(?:(\d[\d,]*(?:\.\d+)?)\s*(k|千|万))`)

// amounts returns the amounts a question names.
func amounts(question string) []float64 {
	var out []float64
	for _, m := range askedAmount.FindAllStringSubmatch(question, -1) {
		for _, g := range [][2]string{{m[1], m[2]}, {m[3], m[4]}, {m[5], m[6]}} {
			if g[0] == "" {
				continue
			}
			v, err := strconv.ParseFloat(strings.ReplaceAll(g[0], ",", ""), 64)
			if err != nil {
				continue
			}
			switch strings.ToLower(g[1]) {
			case "k", "千":
				v *= 1000
			case "万":
				v *= 10000
			}
			out = append(out, v)
			break
		}
	}
	return out
}

var (
	rangeNumber = nlutext.MustPattern(`\d[\d,]*(?:\.\d+)?`)
	rangeBelow  = nlutext.MustPattern(`(?i)\b(up to|under|below|less than|within)\b|以下|以内|不超过|不满|未满|低于`)
	rangeAbove  = nlutext.MustPattern(`(?i)\b(above|over|more than|and above|or more|and up|from)\b|以上|超过|满|起|高于|\+`)
)

// span is the range of amounts a row's first cell names: lo ≤ v ≤ hi.
type span struct{ lo, hi float64 }

// rangeOf reads the range a table row's first cell names; ok is false
// when it names none.
func rangeOf(cell string) (s span, ok bool) {
	nums := rangeNumber.FindAllString(cell, 3)
	if len(nums) == 0 || len(nums) > 2 {
		return span{}, false
	}
	var v [2]float64
	for i, n := range nums {
		f, err := strconv.ParseFloat(strings.ReplaceAll(n, ",", ""), 64)
		if err != nil {
			return span{}, false
		}
		v[i] = f
	}
	switch {
	case len(nums) == 2 && v[0] <= v[1]:
		return span{v[0], v[1]}, true
	case len(nums) == 1 && rangeBelow.MatchString(cell):
		return span{0, v[0]}, true
	case len(nums) == 1 && rangeAbove.MatchString(cell):
		return span{v[0], math.Inf(1)}, true
	}
	return span{}, false
}

// tierRows returns, by seq, the rows of each table (of hit h) whose
// first cell's range holds an amount the question names: of rows whose
// ranges all hold it (满¥1,000, 满¥5,000 …), the one with the highest
// floor. Nil when the question names no amount.
func tierRows(cands []candidate, want []float64) map[[2]int]bool {
	if len(want) == 0 {
		return nil
	}
	out := map[[2]int]bool{}
	best := map[[2]int]float64{} // table (hit, block) → floor of the row kept
	row := map[[2]int]int{}
	for _, c := range cands {
		if c.kind != unitRow {
			continue
		}
		s, ok := rangeOf(c.unit.key)
		if !ok {
			continue
		}
		for _, v := range want {
			if v < s.lo || v > s.hi {
				continue
			}
			t := [2]int{c.hit, c.block}
			if f, seen := best[t]; !seen || s.lo > f {
				best[t], row[t] = s.lo, c.seq
			}
		}
	}
	for t, seq := range row {
		out[[2]int{t[0], seq}] = true
	}
	return out
}

// rateBase finds the amount a money rate is counted in: "¥50 off every
// ¥300", "每满 ¥300 减 ¥50", "满300减50".
var rateBase = nlutext.MustPattern(`(?i)\b(?:every|each|per)\s*[¥￥$]\s*(\d[\d,]*)|每满\s*[¥￥$]?\s*(\d[\d,]*)|满\s*(\d[\d,]*)\s*减`)

// rated reports whether text holds a money rate that an amount the
// question asks about reaches: "my double 11 cart is ¥620, how much comes
// off" is answered by "¥50 off every ¥300" (and its worked example), as a
// tier row whose range holds the amount answers (tierRows).
func (q *extractQuestion) rated(text string) bool {
	if q.kind != KindAmount || len(q.amounts) == 0 || !strings.ContainsAny(text, "¥￥$满") {
		return false
	}
	top := slices.Max(q.amounts)
	for _, m := range rateBase.FindAllStringSubmatch(text, -1) {
		for _, g := range m[1:] {
			if g == "" {
				continue
			}
			if v, err := strconv.ParseFloat(strings.ReplaceAll(g, ",", ""), 64); err == nil && v > 0 && top >= v {
				return true
			}
		}
	}
	return false
}

// rateTiers marks in tiers (as tierRows does a row) the pieces holding a
// money rate the question's amount reaches (rated).
func (q *extractQuestion) rateTiers(cands []candidate, tiers map[[2]int]bool) map[[2]int]bool {
	if q.kind != KindAmount || len(q.amounts) == 0 {
		return tiers
	}
	for _, c := range cands {
		if q.rated(c.text) {
			if tiers == nil {
				tiers = map[[2]int]bool{}
			}
			tiers[[2]int{c.hit, c.seq}] = true
		}
	}
	return tiers
}
