package rag

import (
	nlutext "github.com/assistd/assist/nlu/text"
	"strings"
	"unicode/utf8"
)

// WithoutKind returns what question asks for (QuestionKind) and the
// question without the words that ask it ("how much is shipping to hong
// kong" → KindAmount, "is shipping to hong kong"): the subject a
// follow-up asking another thing of it ("how long does it take") keeps.
// Cue words that name the subject rather than ask ("运费", "fee") stay,
// and so do cues that wrap the subject ("能退差价吗").
// A question of KindOther comes back as it is.
func WithoutKind(question string) (Kind, string) {
	q := strings.TrimSpace(question)
	for _, c := range kindCues {
		if !c.re.MatchString(q) {
			continue
		}
		q = c.re.ReplaceAllStringFunc(q, func(m string) string {
			if !asking.MatchString(m) || han.MatchString(m) && utf8.RuneCountInString(m) > 4 {
				return m // a name, or a cue around the subject ("能退差价吗")
			}
			return " "
		})
		return c.kind, strings.Join(strings.Fields(q), " ")
	}
	return KindOther, q
}

// asking are the words that make a kind cue a question ("多少钱", "how
// much") rather than a name ("运费", "fee").
var asking = nlutext.MustPattern(`(?i)\b(how|when|what|which|within|by|can|could|may|do|does|did|is|are|will|would|should|am|have|has|must)\b|多|几|什么|何|哪|怎|咋|吗|否|不|没`)

var han = nlutext.MustPattern(`\p{Han}`)

// AsksFigure reports whether question asks in so many words for a
// duration, an amount or a count ("how long", "多久", "几年", "how much",
// "多少钱"), not only names one ("运费", "fee", "discount" in "can I stack
// a coupon on the bulk discount"): a reply without the figure does not
// answer it.
func AsksFigure(question string) bool {
	// The first cue that matches decides, as for QuestionKind, whose
	// answer is remembered: only the cues of a figure's kind are run
	// again (a kind may have several: the count's "minimum number" is
	// tried before the amount's "minimum").
	kind := QuestionKind(question)
	if !kind.wantsFigure() {
		return false
	}
	q := strings.TrimSpace(question)
	for _, c := range kindCues {
		if c.kind != kind {
			continue
		}
		for _, m := range c.re.FindAllString(q, -1) {
			if asking.MatchString(m) {
				return true
			}
		}
	}
	return false
}
