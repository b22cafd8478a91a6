package dialog

import (
	"strings"
	"unicode/utf8"

	"github.com/assistd/assist/dialog/flow"
)

// doneAgain answers a bare confirmation ("嗯嗯确认", "yes submit") that
// comes right after a flow which asks for one finished: what was done is
// said again, rather than a request to rephrase.
func (tr *turn) doneAgain() (Reply, bool) {
	st, a := tr.st, tr.a
	if st.Done == "" || st.DoneSay == "" || st.DoneTurn != st.Turns-1 || a.Flows == nil || !flow.Bare(tr.text) {
		return Reply{}, false
	}
	if yes, _ := flow.Answer(tr.text); !yes {
		return Reply{}, false
	}
	f, ok := a.Flows.Flow(st.Done)
	if !ok || !f.Confirms() {
		return Reply{}, false
	}
	st.DoneTurn = st.Turns // still the topic of the next turn
	return Reply{Messages: []string{tr.say("flow.done_again", "done", st.DoneSay)}}, true
}

// answersFlow reports whether the message answers the flow in progress
// (a value, yes or no, a skip): the intent model's reading of it as a
// request for a person or a goodbye then does not count ("skip" is not
// "agent"); only the words do.
func (tr *turn) answersFlow() bool {
	st, a := tr.st, tr.a
	return st.Flow != nil && a.Flows != nil && a.Flows.Accepts(st.Flow, tr.input())
}

// farewells end a conversation in so many words; a goodbye the model
// reads in a message without one ("hmm what can I do then") does not drop
// the flow in progress.
var farewells = []string{"再见", "拜拜", "回见", "下次再", "没事了", "没别的了", "就这些", "bye", "goodbye", "see you", "see ya", "that's all", "that is all", "nothing else", "take care", "have a good", "have a nice"}

// saysFarewell reports whether text says goodbye in so many words.
func saysFarewell(text string) bool {
	return wordIn(strings.ToLower(text), farewells) != ""
}

// maxPlainWords and maxPlainRunes bound a yes that accepts an offer of a
// person with words of its own ("yes please connect me to someone",
// "好的 麻烦帮我转一下").
const (
	maxPlainWords = 6
	maxPlainRunes = 12
)

// plainAnswer reports whether a yes is plainly the answer to the bot's
// question: only yes words, or a short message. "oh. yes i ordered pink
// lol my bad" says yes to something else; it does not queue the customer.
func plainAnswer(text string) bool {
	if flow.Bare(text) {
		return true
	}
	if hasHan(text) {
		return utf8.RuneCountInString(squash(text)) <= maxPlainRunes
	}
	return len(strings.Fields(text)) <= maxPlainWords
}

// namesTask reports whether the message asks for a task in words: an
// order or parcel it names, order words, or a task's keywords.
func (tr *turn) namesTask() bool {
	return tr.namesOrder() || tr.a.keywordIntent(tr.text, nil, true) != ""
}
