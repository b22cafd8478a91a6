package dialog

import (
	"context"
	"strings"
	"unicode"

	"github.com/assistd/assist/nlu"
)

// Customers paste an order or tracking number on its own ("DD202611030001",
// "SF1234567890123"), a tracking number also with a few words the model
// is unsure of ("any movement on this one?"), often after the bot asked for it or said why it
// could not look one up: whatever the intent model reads in a bare
// number (a greeting, nothing), it asks about that order or parcel. The
// task of the conversation's last task turn takes it when its flow has a
// slot of that type; else the order's status (an order number) or the
// parcel's tracking (a tracking number).

// numberTasks are the default tasks a bare number asks for, by entity
// type.
var numberTasks = map[string]string{"order_id": "order_status", "tracking_number": trackIntent}

// bareNumber returns the task a message that is only an order or
// tracking number asks for, or "" when the message is something else or
// the model already placed it as a task.
func (tr *turn) bareNumber() string {
	a := tr.a
	if a.Flows == nil || a.isTask(tr.res.Intent.Label) && !tr.res.Intent.Ambiguous {
		return ""
	}
	var typ, rest string
	rest = tr.text
	for _, e := range tr.res.Entities {
		if e.Type != "order_id" && e.Type != "tracking_number" {
			continue
		}
		if typ != "" {
			return "" // two numbers: not one order
		}
		typ = e.Type
		rest = strings.Replace(rest, e.Text, "", 1)
	}
	if typ == "" {
		return ""
	}
	if strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsSpace(r) && !unicode.IsPunct(r) }) >= 0 {
		// "JDVA12345678930 any movement on this one?", "SF… 咋样了": a
		// few words around a tracking number the model is not sure of
		// ask about its parcel all the same (digits alone read as an
		// order number too: the model's task decides those).
		if typ != "tracking_number" || sure(tr.res.Intent) || !isShort(rest, nil) {
			return ""
		}
	}
	if last := tr.st.lastTopic(a); last != "" && a.isTask(last) {
		if name, ok := a.Flows.ForIntent(last); ok && takesEntity(a, name, typ) {
			return last
		}
	}
	return numberTasks[typ]
}

// byNumber runs the task a bare number asks for (bareNumber); ok is false
// when the message is not one.
func (tr *turn) byNumber(ctx context.Context) (Reply, bool, error) {
	label := tr.bareNumber()
	if label == "" || label == nlu.OutOfScope {
		return Reply{}, false, nil
	}
	tr.label, tr.question, tr.settled, tr.st.Clarify = label, tr.text, true, nil
	tr.st.renote(label)
	r, err := tr.dispatch(ctx)
	return r, err == nil, err
}

// takesEntity reports whether flow name has a slot of entity type typ.
func takesEntity(a *Assistant, name, typ string) bool {
	f, ok := a.Flows.Flow(name)
	if !ok {
		return false
	}
	for _, s := range f.Slots {
		if s.Type == typ {
			return true
		}
	}
	return false
}
