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
)

// maxEmoji bounds the emoji cues of one message.
const maxEmoji = 8

// Prepare returns the text the model reads for a raw message: the
// message normalised as the NLU does (text.Normalize), followed by cue
// words for its exclamation and question marks, ellipses, emoticons,
// emoji (one word per emoji, "xe1f621" for 😡) and shouting (at least 8
// Latin letters, 60% or more of them capitals). Training and serving both
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
