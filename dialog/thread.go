package dialog

import (
	"context"
	"strings"

	"github.com/assistd/assist/rag"
)

// Right after a help-center answer, a question in words of its own may
// still be about the same thing: "will I lose my store credit" after how
// to delete the account, "现在登不上去了怎么办" after what to do when the
// account was stolen. Alone, its words find another article (store
// credit refunds) or none; the knowledge base only joins a topic to a
// question with no word of its own. So when the help center is not sure
// of the question alone, it is asked once more with the question it
// continues in front, and that answer is given when the help center is
// much surer of it, or surer of it when the question says it links to
// what came before ("too", "even", "也", "连"): the thread decides what
// the question is about only when it clearly makes it answerable. A
// question asking about something the joined reading's article does not
// name ("a student discount" after member-day discounts, "a walk-in
// store" after the phone hours) is not answered by the thread: its
// topic's words made the reading sure, not its own.

const (
	// threadDoubt is the confidence in the question alone below which it
	// is asked again with its topic.
	threadDoubt = 0.6
	// threadGain is how much surer of the joined question than of the
	// question alone the help center must be; threadLinked is that gain
	// for a question that says it links to what came before (linked).
	threadGain, threadLinked = 0.35, 0.05
)

// linkWords say a question adds to what was said before it ("do my
// points go too?", "i can't even sign in now", "我现在连登录都…") or sets
// it against the answer ("可是别的网站卖得更便宜", "but i opened it").
var linkWords = []string{"too", "also", "either", "even", "anymore", "any more", "then", "now", "也", "连", "现在",
	"but", "though", "可是", "但是", "不过"}

// linked reports whether question opens as a follow-up, points back, or
// holds a word linking it to what came before (linkWords).
func linked(question string) bool {
	return followUpCue(question) != "" || refersBack(question) || wordIn(strings.ToLower(question), linkWords) != ""
}

// inThread returns the reading of tr.question as continuing topic when
// the help center is that much surer of it than of r, the question
// alone (see above); joined tells which one it is.
func (tr *turn) inThread(ctx context.Context, r reading, topic string) (_ reading, joined bool, err error) {
	alone := 0.0
	if r.ans.Known {
		alone = r.ans.Confidence
	}
	if alone >= threadDoubt || !isQuestion(tr.question) {
		return r, false, nil
	}
	filter, conv := tr.kbScope()
	cont, err := tr.read(ctx, rag.AnswerRequest{Filter: filter, Question: topic + "\n" + tr.question, Lang: tr.lang, ConversationID: conv, Reread: true})
	if err != nil {
		return reading{}, false, err
	}
	gain := threadGain
	if linked(tr.question) {
		gain = threadLinked
	}
	if c := cont.ans; !c.Known || c.Confidence < c.Threshold+KBMargin || c.Confidence < alone+gain {
		return r, false, nil
	}
	if borrowsSureness(cont) {
		return r, false, nil
	}
	return cont, true, nil
}

// afterPart returns the reading of a part of a message after the part
// before it on the same topic (tr.partOf, multi.go) when the help center
// is surer of it than of r, the part alone.
func (tr *turn) afterPart(ctx context.Context, r reading) (_ reading, joined bool, err error) {
	filter, conv := tr.kbScope()
	cont, err := tr.read(ctx, rag.AnswerRequest{Filter: filter, Question: tr.partOf + "\n" + tr.question, Lang: tr.lang, ConversationID: conv, Reread: true})
	if err != nil {
		return reading{}, false, err
	}
	if !cont.ans.Known || r.ans.Known && cont.ans.Confidence <= r.ans.Confidence {
		return r, false, nil
	}
	return cont, true, nil
}

// borrowsSureness reports whether r, a reading of the question joined to
// what came before it, misses something the question asks whether the
// shop offers (rag.Draft.MissesOffer: a walk-in store, a student
// discount, a payment method) that the article it quotes does not name:
// the words before made it sure, not the question's own.
func borrowsSureness(r reading) bool {
	return r.draft != nil && r.draft.MissesOffer()
}

// unsure is r declined: a joined reading that borrows its sureness
// (borrowsSureness) when there is no reading of the question alone to
// fall back on (followup.go asks the message alone next).
func unsure(r reading) reading {
	d := *r.draft
	d.Confidence = 0
	r.draft = &d
	r.ans.Confidence, r.ans.Known, r.ans.Sources = 0, false, nil
	return r
}
