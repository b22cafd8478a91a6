package entity

import (
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// Chinese is typed by its sound: a pinyin keyboard offers every character
// read alike, and the wrong one is the commonest Chinese typo ("蓝牙音响"
// for the 蓝牙音箱, "电饭堡" for the 电饭煲). A name of two or more Chinese
// characters is also found written with one character replaced by
// another read the same (tones ignored, any reading of a character with
// several), the others as written: one character of two shared keeps
// "鞋带" from naming 鞋子 and "写字" (xiezi, none shared) too.

// hanName is a run of Chinese characters in a catalogue name.
type hanName struct {
	runes []rune
	id    string
}

// readings are the toneless pinyin readings of r (none for a character
// that is not Chinese).
func readings(r rune) []string {
	return pinyin.SinglePinyin(r, pinyin.Args{Style: pinyin.Normal, Heteronym: true})
}

// soundsAlike reports whether a and b share a toneless reading.
func soundsAlike(a, b rune) bool {
	for _, x := range readings(a) {
		for _, y := range readings(b) {
			if x == y {
				return true
			}
		}
	}
	return false
}

// minAlike is the fewest characters of a name found by a homophone typo.
const minAlike = 3

// hanRuns returns the runs of minAlike or more Chinese characters in a
// name ("BoomBox Mini 蓝牙音箱" → 蓝牙音箱, "遮光窗帘（一对）" → 遮光窗帘).
func hanRuns(s string) [][]rune {
	var out [][]rune
	var run []rune
	for _, r := range s + " " {
		if unicode.Is(unicode.Han, r) {
			run = append(run, r)
			continue
		}
		if len(run) >= minAlike {
			out = append(out, run)
		}
		run = nil
	}
	return out
}

// findAlike adds the products named in s by a homophone typo of one of
// their Chinese names, outside the spans already named exactly.
func (c *catalogue) findAlike(s string, named []span, add func(typ string, start, end int, value string)) {
	if len(c.han) == 0 {
		return
	}
	var rs []rune
	var at []int // byte offset of each rune, and of the end
	for i, r := range s {
		rs = append(rs, r)
		at = append(at, i)
	}
	at = append(at, len(s))
	free := func(i, j int) bool {
		for _, sp := range named {
			if sp.overlaps(at[i], at[j]) {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(rs); {
		if !unicode.Is(unicode.Han, rs[i]) {
			i++
			continue
		}
		matched := false
		for _, n := range c.han { // longest first
			j := i + len(n.runes)
			if j > len(rs) || !free(i, j) || !alike(rs[i:j], n.runes) {
				continue
			}
			add(Product, at[i], at[j], n.id)
			named = append(named, span{at[i], at[j]})
			i, matched = j, true
			break
		}
		if !matched {
			i++
		}
	}
}

// alike reports whether written is name with exactly one character
// replaced by one read the same.
func alike(written, name []rune) bool {
	diff := -1
	for k := range name {
		if written[k] == name[k] {
			continue
		}
		if diff >= 0 {
			return false
		}
		diff = k
	}
	return diff >= 0 && soundsAlike(written[diff], name[diff])
}
