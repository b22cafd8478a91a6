package dialog

import (
	"slices"
	"strings"

	"github.com/assistd/assist/catalog"
	"github.com/assistd/assist/nlu"
)

// DisplayName is the intent's name as the bot says it to the customer, in
// lang ("zh" or anything else for English), e.g. "申请退货" / "return an
// item", from the intent catalogue. Unknown labels are returned as they
// are.
func DisplayName(label, lang string) string { return catalog.Default().Name(label, lang) }

// smallTalkIntents are answered with a canned line.
func isSmallTalk(label string) bool {
	return label == "greeting" || label == "thanks" || label == "goodbye"
}

// isTask reports whether label needs the shop's systems (a task flow, or
// a person when no flow runs it).
func (a *Assistant) isTask(label string) bool {
	if a.Tasks == nil {
		return a.catalog().KindOf(label) == catalog.Task
	}
	return slices.Contains(a.Tasks, label)
}

// isKnowledge reports whether label is a help-center question: an intent
// that is neither a task, small talk, a request for a person nor a
// complaint.
func (a *Assistant) isKnowledge(label string) bool {
	switch {
	case label == "" || label == nlu.OutOfScope || label == "human_agent" || label == "complaint":
		return false
	case isSmallTalk(label) || a.isTask(label):
		return false
	}
	return true
}

// keywordIntent returns the task or knowledge intent whose longest keyword
// occurs in text, limited to among when it is not nil; "" when none does.
// A keyword of several intents ("退货") goes to the first in among, or to a
// task intent when preferTask, else to a knowledge intent.
func (a *Assistant) keywordIntent(text string, among []string, preferTask bool) string {
	low := strings.ToLower(text)
	best, bestLen := "", 0
	consider := func(label string) {
		if !a.isTask(label) && !a.isKnowledge(label) || label == changeAddress && placeAddress(nlu.Result{Intent: nlu.Intent{Label: label}}, text).Intent.Label != label {
			return // "地址在新疆" names an address, not a change of it
		}
		in, _ := a.catalog().Intent(label)
		for _, ks := range [2][]string{in.Keywords.ZH, in.Keywords.EN} {
			for _, k := range ks {
				if !containsWord(low, k) {
					continue
				}
				switch {
				case len(k) > bestLen:
					best, bestLen = label, len(k)
				case len(k) == bestLen && among == nil && a.isTask(label) == preferTask && a.isTask(best) != preferTask:
					best = label
				}
			}
		}
	}
	if among != nil {
		for _, l := range among {
			consider(l)
		}
		return best
	}
	for _, l := range a.catalog().Labels() {
		consider(l)
	}
	return best
}

// keyworded is the intent a turn's message names by its keywords, worked
// out once per turn (turn.keywordIntent): text is the message it is for,
// so a copy of the turn given another text (a part of the message,
// multi.go) works out its own.
type keyworded struct {
	text, label string
	done        bool
}

// keywordIntent is a.keywordIntent(tr.text, nil, true), the task or
// knowledge intent the message names by its keywords, a task first; ""
// when it names none.
func (tr *turn) keywordIntent() string {
	if k := &tr.keyword; !k.done || k.text != tr.text {
		*k = keyworded{text: tr.text, label: tr.a.keywordIntent(tr.text, nil, true), done: true}
	}
	return tr.keyword.label
}

// flowOfAny reports whether the flow named name runs one of labels.
func (a *Assistant) flowOfAny(name string, labels []string) bool {
	return slices.ContainsFunc(labels, func(l string) bool {
		n, ok := a.Flows.ForIntent(l)
		return ok && n == name
	})
}

// siblings are groups of intents the bot serves the same way ("where is my
// order?" is an order status and a shipment question): the model torn
// between two of one group is not asked about; its first choice runs.
var siblings = [][]string{
	{"order_status", "track_shipment", "urge_shipping"},
}

// settle decides between the model's top two labels x and y without
// asking the customer: siblings take x; when the message names an order
// or a parcel, a keyword or name of only one of them takes that one
// ("订单DD202611010003要退货": 退货), else a task wins over a help-center
// question.
func (a *Assistant) settle(x, y, text string, ents []nlu.Entity) (string, bool) {
	for _, g := range siblings {
		if slices.Contains(g, x) && slices.Contains(g, y) {
			return x, true
		}
	}
	named := slices.ContainsFunc(ents, func(e nlu.Entity) bool { return e.Type == "order_id" || e.Type == "tracking_number" })
	if !named {
		return "", false
	}
	if hits := a.optionHits([]string{x, y}, text); len(hits) == 1 {
		return hits[0], true
	}
	switch {
	case a.isTask(x) && a.isKnowledge(y):
		return x, true
	case a.isTask(y) && a.isKnowledge(x):
		return y, true
	}
	return "", false
}
