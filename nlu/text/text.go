package text

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// Normalize returns s in the form the NLU works on: valid UTF-8 (invalid
// bytes become U+FFFD), Unicode NFKC, full-width forms folded to half-width
// (ＡＢＣ１２３ → abc123, "，" → ","; "。" and "、" have no half-width form
// and stay), lower case, control and format characters removed,
// runs of white space collapsed to one space and trimmed. Normalize is
// idempotent: Normalize(Normalize(s)) == Normalize(s).
func Normalize(s string) string {
	// Each step can expose work for another (lower-casing a compatibility
	// character may produce one NFKC decomposes), so apply the steps until
	// nothing changes; real text settles after one round.
	out := normalizeOnce(s)
	for range 4 {
		next := normalizeOnce(out)
		if next == out {
			return out
		}
		out = next
	}
	return out
}

func normalizeOnce(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = norm.NFKC.String(s)
	s = width.Fold.String(s)
	s = strings.ToLower(s)
	s = norm.NFKC.String(s)

	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Lang is a language as Detect reports it; the values are those of nlu.Lang
// (this package cannot import nlu, which imports it).
type Lang string

// The languages Detect tells apart.
const (
	ZH    Lang = "zh"
	EN    Lang = "en"
	Mixed Lang = "mixed"
)

// Detect returns the language of s: zh when Chinese characters carry the
// message, en when Latin words do, mixed when both carry a fair share. A
// Latin word counts as much as two Chinese characters ("我的iphone坏了"
// is zh with a product name; "my 快递 is late" is mixed). Text with
// neither (digits, emoji, punctuation) is en unless it holds Han
// characters.
func Detect(s string) Lang {
	han, latin := 0, 0
	inWord := false
	for _, r := range s {
		switch {
		case isHan(r):
			han++
			inWord = false
		case isLatinLetter(r):
			if !inWord {
				latin++
			}
			inWord = true
		default:
			if !unicode.IsDigit(r) {
				inWord = false
			}
		}
	}
	zh, en := float64(han), 2*float64(latin)
	switch {
	case han == 0:
		return EN
	case latin == 0:
		return ZH
	}
	share := zh / (zh + en)
	switch {
	case share >= 0.6:
		return ZH
	case share < 0.2:
		return EN
	}
	return Mixed
}

// ReplyLang is the language to answer a message s in, the one rule the
// bot follows: the language the customer is writing now (Detect), when s
// plainly shows one (a Chinese character in a message Detect calls zh;
// two Latin words, or a lone word of four letters or more, in a message
// Detect calls en), else prev, the conversation's language so far. "ok", "1",
// "DD202611050002" or "👍" keep prev; so does a message that mixes both
// languages evenly. Without prev, Detect decides (mixed reads as zh: the
// message has Chinese in it).
func ReplyLang(s string, prev Lang) Lang {
	switch l := Detect(s); {
	case l == ZH:
		return ZH
	case l == EN && plainLatin(s):
		return EN
	case prev == ZH || prev == EN:
		return prev
	case l == Mixed:
		return ZH
	default:
		return l
	}
}

// plainLatin reports whether s has two Latin words of two letters or
// more, or is one word of four letters or more ("hello"); words touching
// digits ("dd2026…", "123") do not count, and make a lone word too little
// ("order 123?").
func plainLatin(s string) bool {
	words, others, long := 0, 0, false
	n, digit := 0, false
	end := func() {
		switch {
		case n >= 2 && !digit:
			words++
			long = long || n >= 4
		case n > 0 || digit:
			others++
		}
		n, digit = 0, false
	}
	for _, r := range s {
		switch {
		case isLatinLetter(r):
			n++
		case unicode.IsDigit(r):
			digit = true
		default:
			end()
		}
	}
	end()
	return words >= 2 || words == 1 && long && others == 0
}

// Kind says what a Segment holds.
type Kind uint8

// The kinds of segment.
const (
	Word Kind = iota + 1 // Latin letters and digits: "iphone", "15", "3c"
	Han                  // a run of Chinese characters: "我的快递"
)

// Segment is one run of same-kind characters in normalised text.
type Segment struct {
	Kind Kind
	Text string
}

// Segments splits normalised text into runs of Han characters and words of
// Latin letters and digits (apostrophes inside a word are dropped: "don't"
// → "dont"). Punctuation, symbols and spaces separate segments and are
// dropped, as are characters of other scripts. It appends to dst and
// returns it.
func Segments(dst []Segment, s string) []Segment {
	start, kind := -1, Kind(0)
	var apostrophes bool
	flush := func(end int) {
		if start >= 0 {
			t := s[start:end]
			if apostrophes {
				t = strings.NewReplacer("'", "", "’", "").Replace(t)
			}
			if t != "" {
				dst = append(dst, Segment{Kind: kind, Text: t})
			}
		}
		start, kind, apostrophes = -1, 0, false
	}
	for i, r := range s {
		var k Kind
		switch {
		case isHan(r):
			k = Han
		case unicode.IsLetter(r) && !isHan(r) && unicode.In(r, unicode.Latin, unicode.Greek, unicode.Cyrillic), unicode.IsDigit(r):
			k = Word
		case (r == '\'' || r == '’') && kind == Word:
			apostrophes = true
			continue
		}
		if k != kind {
			flush(i)
			if k != 0 {
				start, kind = i, k
			}
		}
	}
	flush(len(s))
	return dst
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func isLatinLetter(r rune) bool { return r < 0x250 && unicode.IsLetter(r) }
