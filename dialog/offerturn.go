package dialog

import (
	"context"
	"slices"
	"strings"
	"unicode"

	"github.com/assistd/assist/dialog/flow"
	nlutext "github.com/assistd/assist/nlu/text"
	"github.com/assistd/assist/rag"
)

// otherOrderAtOffer serves a follow-up about another order while run
// waits only for the answer to its offer of a person ("…shall I get a
// colleague to contact the courier?" → "oh ok. and the kids sneakers from
// last month??", "哦 那充电器那单呢？"): the message names, by what was
// bought, one of the customer's orders other than run's, and no task in
// words. The task is over but for the offer, which the customer has
// passed over: run is dropped and that order's status given, as a
// follow-up after a status would be (statusagain.go). ok is false
// otherwise.
func (tr *turn) otherOrderAtOffer(ctx context.Context, run *flow.Run) (Reply, bool, error) {
	a := tr.a
	if !a.Flows.OffersPerson(run) || !isFollowUp(tr.text) || tr.conv == nil || tr.conv.CustomerRef == "" {
		return Reply{}, false, nil
	}
	if k := tr.keywordIntent(); k != "" && !slices.Contains(statusIntents, k) {
		return Reply{}, false, nil // "and can you cancel the lamp?": another task, named
	}
	current := a.Flows.EntitySlots(run)["order_id"]
	input := tr.input()
	orders, ok, err := tr.namedOrders(ctx, input)
	if err != nil || !ok || !orders.ByName || len(orders.Meant) != 1 || orders.Order(orders.Meant[0]) == current {
		return Reply{}, false, nil
	}
	label := "order_status"
	if trackCue.MatchString(tr.text) {
		label = trackIntent
	}
	name, ok := a.Flows.ForIntent(label)
	if !ok {
		return Reply{}, false, nil
	}
	tr.st.Flow, tr.st.Offered = nil, ""
	return tr.startOrders(ctx, name, label, aboutOrder(input, orders.Order(orders.Meant[0])))
}

// noOfThing reports whether an English message opens with "no" as the
// word before a thing, not as an answer ("no cash on delivery either i
// guess", "no installments then?", "no gift wrapping at all?"): it asks
// or remarks on the thing, and does not turn an offer down. "no" is a
// thing's only when what follows names something the shop may offer (a
// payment method, a service, a place: rag.NamesSpecific) or asks about
// it ("…either", "…then?", "…at all?"); any other "no" declines ("no
// thanks", "no maybe later", "no actually all sorted now", "no cheers",
// "no lol im fine", "no need for a person").
func noOfThing(text string) bool {
	low := strings.ToLower(flow.StripOpening(text, flow.Ack|flow.Filler))
	rest, ok := strings.CutPrefix(low, "no ")
	if !ok {
		return false
	}
	words := strings.Fields(rest)
	if len(words) == 0 {
		return false
	}
	first := strings.TrimRightFunc(words[0], unicode.IsPunct)
	if first != words[0] || askedForHuman(rest) != "" || slices.Contains(answerAfterNo, first) {
		return false // "no, cash on delivery is fine", "no need for a person", "no thanks, paypal worked"
	}
	return rag.NamesSpecific(rest) || asksOfThing.MatchString(rest) // "no stickers either?"
}

// asksOfThing asks whether a thing is there too or at all: "…either",
// "…then?", "…at all", "…?".
var asksOfThing = nlutext.MustPattern(`(?i)\b(either|at all)\b|\?\s*$`)

// answerAfterNo are words an answer "no" goes on with, whatever follows
// them ("no thanks, paypal worked", "no i'm fine then?").
var answerAfterNo = []string{"thanks", "thank", "thx", "ty", "need", "i", "im", "i'm", "i'd", "id", "it", "its", "it's", "that", "thats",
	"that's", "worries", "problem", "prob", "way", "we", "you", "just", "please", "pls", "sorry", "ok", "okay", "not", "dont", "don't",
	"one", "longer", "more", "all", "nothing", "leave", "let", "forget", "never", "nevermind", "stop", "wait", "rather", "really",
	"maybe", "actually", "cheers", "lol", "later", "good", "fine", "sorted", "nah"}
