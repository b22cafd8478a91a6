package dialog

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

// Right after a task's answer for an order, a question naming another
// task and pointing back at the order ("ok can i return it once it
// arrives then" after a refused cancellation, "那它能退吗") asks that task
// for the same order: its flow runs with the order known, and says what
// applies to it.

// itWords point back at the order just answered about.
var itWords = regexp.MustCompile(`\b(it|them|that one|this one)\b|它|这个|这单|那单`)

// otherTaskSameOrder runs the task such a question names for the order
// of the task just answered; ok is false when the message is not one.
func (tr *turn) otherTaskSameOrder(ctx context.Context) (Reply, bool, error) {
	st, a := tr.st, tr.a
	if st.Done == "" || st.DoneTurn != st.Turns-1 || a.Flows == nil || st.Entities["order_id"] == "" {
		return Reply{}, false, nil
	}
	asks := isQuestion(tr.text) || isQuestion(stripCourtesy(tr.text)) // "ok can i …"
	if !asks || !itWords.MatchString(strings.ToLower(tr.text)) {
		return Reply{}, false, nil
	}
	for _, e := range tr.res.Entities {
		switch e.Type {
		case "order_id", "tracking_number", "product":
			return Reply{}, false, nil // another order, named
		}
	}
	if tr.conv != nil && tr.conv.CustomerRef != "" {
		if orders, err := tr.namedOrders(ctx, tr.input()); err == nil && orders.ByName {
			return Reply{}, false, nil // "and the refund for the power banks": another order, by what was bought
		}
	}
	label := a.keywordIntent(tr.text, nil, true)
	if label == "" || !a.isTask(label) {
		return Reply{}, false, nil
	}
	name, ok := a.Flows.ForIntent(label)
	if !ok || name == st.Done {
		return Reply{}, false, nil
	}
	tr.label, tr.settled = label, true
	st.renote(label)
	// The order just answered about, even when the question says what
	// state it will be in ("once it's delivered").
	run, out, err := a.Flows.Start(ctx, name, tr.input(), st.Entities)
	if err != nil {
		return Reply{}, false, fmt.Errorf("starting flow %s: %w", name, err)
	}
	return tr.flowReply(ctx, run, out, nil), true, nil
}
