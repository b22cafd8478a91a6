package flow

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Opening is a kind of word customers open a message with that adds
// nothing to what they ask or answer ("hi, where's my order", "ok never
// mind", "hmm actually no", "好的谢谢 那运费呢"). The words of every kind
// are in one list, openings; each reader strips the kinds it reads past
// (StripOpening).
type Opening uint8

const (
	Greeting Opening = 1 << iota // hello, 你好, 在吗
	Thanks                       // thanks, 谢谢
	Ack                          // ok, 好的: takes in what the bot said
	Filler                       // hmm, so, 呃: hesitates

	// Courtesy is every kind: all a message may open with before its
	// request.
	Courtesy = Greeting | Thanks | Ack | Filler
)

// openings are the opening words by kind. An English word stands as a
// whole word ("ok" is not in "okay", "so" not in "sorry", "k" not in
// "k-pop"); a Chinese one that also begins other words (好像, 行李, 额外)
// must be followed by punctuation, a space or a word that is not Chinese
// (boundHan); an English one that also begins phrases ("fine print",
// "right earbud") by punctuation, the end or another opening word
// (boundEN).
var openings = []struct {
	word string
	kind Opening
}{
	{"你好", Greeting}, {"您好", Greeting}, {"嗨", Greeting}, {"哈喽", Greeting}, {"在吗", Greeting},
	{"hello", Greeting}, {"hi", Greeting}, {"hey", Greeting},
	{"谢谢", Thanks}, {"多谢", Thanks}, {"thanks", Thanks}, {"thank you", Thanks}, {"thx", Thanks}, {"ty", Thanks},
	{"okay", Ack}, {"ok", Ack}, {"alright", Ack}, {"all right", Ack}, {"fine", Ack}, {"k", Ack}, {"right", Ack},
	{"好的", Ack}, {"好", Ack}, {"嗯嗯", Ack}, {"嗯", Ack}, {"行", Ack}, {"明白了", Ack},
	{"hmm", Filler}, {"hm", Filler}, {"well", Filler}, {"uh", Filler}, {"um", Filler}, {"erm", Filler},
	{"oh", Filler}, {"ah", Filler}, {"actually", Filler}, {"so", Filler}, {"哦", Filler}, {"噢", Filler}, {"呃", Filler}, {"额", Filler},
	// "对了" turns to something else ("对了 那个没付款的单取消掉"): it is
	// no "对" (yes)
	{"对了", Filler}, {"btw", Filler}, {"by the way", Filler},
}

// boundHan are the Chinese opening words that begin other words too
// (好像, 行李, 额外, 额度).
var boundHan = []string{"好", "行", "额"}

// boundEN are the English opening words that also begin phrases ("fine
// print", "right earbud", "well made").
var boundEN = []string{"fine", "right", "k", "well"}

// openingWords returns the opening words of kinds.
func openingWords(kinds Opening) []string {
	var out []string
	for _, o := range openings {
		if o.kind&kinds != 0 {
			out = append(out, o.word)
		}
	}
	return out
}

// StripOpening returns text without the opening words of kinds it opens
// with, one after another, and the spaces, punctuation and symbols after
// them ("ok thanks! where's my lamp" → "where's my lamp"): text without
// its outer spaces when it opens with none, "" when nothing else is
// left. Words are matched case-insensitively.
func StripOpening(text string, kinds Opening) string {
	t := strings.TrimSpace(text)
	for again := true; again; {
		again = false
		for _, o := range openings {
			if o.kind&kinds == 0 || !hasPrefixFold(t, o.word) {
				continue
			}
			rest := t[len(o.word):]
			if !stands(o.word, rest) {
				continue
			}
			t, again = strings.TrimLeftFunc(rest, skippable), true
			break
		}
	}
	return t
}

// stands reports whether the opening word w at the start of a message
// is the whole word when rest follows it.
func stands(w, rest string) bool {
	if rest == "" {
		return true
	}
	r, size := utf8.DecodeRuneInString(rest)
	if isASCII(w) {
		if isWordRune(r) {
			return false // "okay" is not "ok" + "ay", "so" not in "sorry"
		}
		if next, _ := utf8.DecodeRuneInString(rest[size:]); r == '-' && isWordRune(next) {
			return false // k-pop, so-so, hi-fi
		}
		if slices.Contains(boundEN, strings.ToLower(w)) && unicode.IsSpace(r) {
			after := strings.TrimLeftFunc(rest, unicode.IsSpace)
			return after == "" || skippable([]rune(after)[0]) || StripOpening(after, Courtesy) != after // "right, so", "fine thanks"; not "fine print"
		}
		return true
	}
	return !unicode.Is(unicode.Han, r) || !slices.Contains(boundHan, w) // 好像, 行李, 额外
}

// skippable is what separates opening words: spaces, punctuation and
// symbols.
func skippable(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) }

// hasPrefixFold reports whether s begins with the lower-case word w,
// ignoring the case of ASCII letters.
func hasPrefixFold(s, w string) bool {
	return len(s) >= len(w) && strings.EqualFold(s[:len(w)], w)
}
