package sentiment

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/assistd/assist/nlu/text"
)

// Cue words Prepare appends for signals that text normalisation and the
// featurizer drop (punctuation, symbols, letter case). They are Latin
// words no customer writes, so they only ever carry the cue.
const (
	cueExclaim = "xexcl"  // one "!" or "！"
	cueBang    = "xbang"  // two or more
	cueQuery   = "xqq"    // two or more "?"
	cueDots    = "xdots"  // "..." or "…"
	cueShout   = "xshout" // mostly capital letters
	cueFrown   = "xfrown" // ":(" and the like
	cueSmile   = "xsmile" // ":)" and the like
	cueQuote   = "xquote" // a few words in quotation marks: 'tomorrow', “已发货”
)

// maxEmoji bounds the emoji cues of one message.
const maxEmoji = 8

// Prepare returns the text the model reads for a raw message: the
// message normalised as the NLU does (text.Normalize), followed by cue
// words for its exclamation and question marks, ellipses, emoticons,
// emoji (one word per emoji, "xe1f621" for 😡), shouting (at least 8
// Latin letters, 60% or more of them capitals) and a few words set in
// quotation marks (scareQuoted: the shop's own words quoted back, as in
// "'delivered' my foot", mostly sarcasm). Training and serving both
// go through Prepare, so the model learns what the cues mean.
func Prepare(raw string) string {
	letters, caps := 0, 0
	for _, r := range raw {
		if r < unicode.MaxASCII && unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				caps++
			}
		}
	}
	s := text.Normalize(raw)
	var cues []string
	switch n := strings.Count(s, "!"); {
	case n == 1:
		cues = append(cues, cueExclaim)
	case n > 1:
		cues = append(cues, cueExclaim, cueBang)
	}
	if strings.Count(s, "?") > 1 {
		cues = append(cues, cueQuery)
	}
	if strings.Contains(s, "...") || strings.Contains(s, "…") {
		cues = append(cues, cueDots)
	}
	if letters >= 8 && caps*10 >= letters*6 {
		cues = append(cues, cueShout)
	}
	for _, e := range []string{":(", ":-(", ":'(", "):"} {
		if strings.Contains(s, e) {
			cues = append(cues, cueFrown)
			break
		}
	}
	for _, e := range []string{":)", ":-)", ":d", "(:", "^_^", "^^"} {
		if strings.Contains(s, e) {
			cues = append(cues, cueSmile)
			break
		}
	}
	if scareQuoted(raw) {
		cues = append(cues, cueQuote)
	}
	emoji := 0
	for _, r := range s {
		if emoji == maxEmoji {
			break
		}
		if r > unicode.MaxLatin1 && unicode.In(r, unicode.So, unicode.Sk) && r != '\uFFFD' {
			cues = append(cues, fmt.Sprintf("xe%x", r))
			emoji++
		}
	}
	if len(cues) == 0 {
		return s
	}
	if s == "" {
		return strings.Join(cues, " ")
	}
	return s + " " + strings.Join(cues, " ")
}

// maxQuoted bounds the quoted span scareQuoted counts, in runes: a word or
// a short phrase ("on its way", “处理中”), not a quoted message.
const maxQuoted = 30

// scareQuoted reports whether text sets a word or short phrase (1 to
// maxQuoted runes, not all of text) in quotation marks: "…", “…”, ‘…’,
// 「…」, 『…』, or '…' when the marks stand outside words (not the
// apostrophes of "don't" or "customers' orders").
func scareQuoted(text string) bool {
	if !strings.ContainsAny(text, "\"'“‘「『") {
		return false
	}
	rs := []rune(text)
	for i, r := range rs {
		var closer rune
		switch r {
		case '"', '\'':
			closer = r
		case '“':
			closer = '”'
		case '‘':
			closer = '’'
		case '「':
			closer = '」'
		case '『':
			closer = '』'
		default:
			continue
		}
		if r == '\'' && i > 0 && isWordRune(rs[i-1]) {
			continue // an apostrophe: "don't", "it's"
		}
		for j := i + 1; j < len(rs) && j-i-1 <= maxQuoted; j++ {
			if rs[j] != closer || r == '\'' && j+1 < len(rs) && isWordRune(rs[j+1]) {
				continue // not the closing mark ("'it's ok'" closes after ok)
			}
			if whole := i == 0 && j == len(rs)-1; !whole && strings.IndexFunc(string(rs[i+1:j]), isWordRune) >= 0 {
				return true
			}
			break // an empty quote, or the whole message quoted: look on from the next mark
		}
	}
	return false
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
