package dialog

import (
	nlutext "github.com/assistd/assist/nlu/text"
	"strings"
)

// English asks a question by word order: a question word first ("which
// courier"), or an auxiliary before its subject ("can i send them back",
// "is there a fee", "so will it still come today"). This file is the one
// place that order is written down; isQuestion, asksWhatIf and the flow's
// help-center check all read it.
//
// "do" before "it" or "that" tells the bot to go ahead ("if it's the same
// price just do it", "do that then"): an instruction, not a question.

// questionWordsEN open a question.
var questionWordsEN = []string{"how", "what", "who", "when", "where", "why", "which"}

// auxiliaries ask when they come before the subject.
const auxiliaries = `can|could|will|would|should|may|shall|is|are|does|did|do`

// inverted is an auxiliary before a pronoun subject anywhere in a clause
// ("if i dont need the cables can i send them back unopened"), except "do
// it"/"do that" (above).
var inverted = nlutext.MustPattern(`(?i)\b(` + strings.TrimSuffix(auxiliaries, `|do`) + `)\s+(i|we|u|you|it|they|there|that)\b|\bdo\s+(i|we|u|you|they)\b`)

// goAhead is "do" telling the bot to go ahead.
var goAhead = nlutext.MustPattern(`^do\s+(it|that|this|so)\b`)

// auxiliary matches one of auxiliaries as a whole word.
var auxiliary = nlutext.MustPattern(`^(` + auxiliaries + `)$`)

// opensQuestion reports whether low (lower case) opens in question order:
// a question word or an auxiliary first ("does the lamp come with
// bulbs"), not "do it".
func opensQuestion(low string) bool {
	// "and did the money for the towels ever come back": a joining
	// "and" before the question's own first word. ("so what can i do
	// then" after a refusal is no question of fact: not "so".)
	if rest, ok := strings.CutPrefix(low, "and "); ok {
		low = strings.TrimSpace(rest)
	}
	first, _, _ := strings.Cut(low, " ")
	for _, w := range questionWordsEN {
		if first == w {
			return true
		}
	}
	return auxiliary.MatchString(first) && !goAhead.MatchString(low)
}
