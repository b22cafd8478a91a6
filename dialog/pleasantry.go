package dialog

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/assistd/assist/dialog/flow"

	"github.com/assistd/assist/nlu"
)

// A message the model hears as small talk may open with a sentence or two
// of it and then ask ("hello there, hope ur having a nice sunday :) do you
// take paypal?", "hi! lovely day here. how long do refunds take?"). The
// opening words alone (stripCourtesy) leave the pleasantry in front of the
// question, and the help center, asked the whole, finds nothing sure. The
// sentences before the question that the model, asked each alone, hears as
// small talk or cannot place are dropped; what is left is the request.

// maxPleasantries is how many sentences a message may open with before
// its request.
const maxPleasantries = 3

// afterPleasantries returns tr.text without the small-talk sentences it
// opens with, when what is left asks something the model places; "" when
// it does not open with one or nothing placeable is left.
func (tr *turn) afterPleasantries(ctx context.Context) string {
	cuts := sentenceCuts(tr.text)
	if len(cuts) == 0 {
		return ""
	}
	prev, best := 0, -1
	for i, cut := range cuts {
		if i >= maxPleasantries {
			break
		}
		lead := strings.TrimSpace(tr.text[prev:cut])
		prev = cut
		if lead == "" || strings.ContainsFunc(lead, unicode.IsDigit) || isQuestion(lead) {
			break
		}
		res, err := tr.a.NLU.Parse(ctx, lead)
		if err != nil {
			return ""
		}
		if l := res.Intent.Label; !isSmallTalk(l) && l != nlu.OutOfScope && !res.Intent.Ambiguous && sure(res.Intent) || len(res.Entities) > 0 {
			break // "my order never came." is the request's own sentence
		}
		best = cut
	}
	if best < 0 {
		return ""
	}
	rest := strings.TrimSpace(tr.text[best:])
	if utf8.RuneCountInString(rest) < 3 || !asksSomewhere(rest) {
		return ""
	}
	return rest
}

// sentenceCuts returns the byte offsets in text just after each sentence
// end that more text follows: a run of ".!?。！？", a smiley (":)", ":D",
// "^^") or an emoji, and the spaces after it.
func sentenceCuts(text string) []int {
	var cuts []int
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		end := -1
		switch {
		case strings.ContainsRune(".!?。！？", r):
			end = i + size
			for end < len(text) && strings.ContainsRune(".!?。！？", rune(text[end])) {
				end++
			}
		case r == ':' || r == ';' || r == '^':
			if j := i + size; j < len(text) && strings.ContainsRune(")D(P^", rune(text[j])) {
				end = j + 1
			}
		case r > 0x2000 && (unicode.Is(unicode.So, r) || unicode.Is(unicode.Sk, r)):
			end = i + size
		}
		if end < 0 {
			i += size
			continue
		}
		for end < len(text) {
			r2, s2 := utf8.DecodeRuneInString(text[end:])
			if !unicode.IsSpace(r2) && !(r2 > 0x2000 && (unicode.Is(unicode.So, r2) || unicode.Is(unicode.Sk, r2) || r2 == 0xFE0F || r2 == 0x200D)) {
				break
			}
			end += s2
		}
		if end < len(text) && end > i {
			cuts = append(cuts, end)
		}
		i = max(end, i+size)
	}
	return cuts
}

// opensWithGreeting reports whether text opens with a greeting word
// ("hi", "hello", "good morning", "你好") and says more after it.
func opensWithGreeting(text string) bool {
	t := strings.TrimSpace(text)
	rest := flow.StripOpening(t, flow.Greeting)
	return rest != t && rest != ""
}
