package dialog

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	nlutext "github.com/assistd/assist/nlu/text"

	"github.com/assistd/assist/dialog/flow"
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
	if a.Flows == nil {
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
	if in := tr.res.Intent; a.isTask(in.Label) && !in.Ambiguous {
		// A status asked of a tracking number ("78912345678901 status?",
		// "SF… 状态呢"): the model hears the order's status, whose flow
		// takes no tracking number; the status sibling that takes it,
		// the parcel's tracking, answers, in either language. Any other
		// task the model places the number in is that task's.
		if name, ok := a.Flows.ForIntent(in.Label); !ok || !slices.Contains(statusIntents, in.Label) || takesEntity(a, name, typ) {
			return ""
		}
		if name, ok := a.Flows.ForIntent(trackIntent); ok && takesEntity(a, name, typ) {
			return trackIntent
		}
		return ""
	}
	if strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsSpace(r) && !unicode.IsPunct(r) }) >= 0 {
		// "JDVA12345678930 any movement on this one?", "SF… 咋样了": a
		// few words around a tracking number the model is not sure of
		// ask about its parcel all the same (digits alone read as an
		// order number too: the model's task decides those).
		// "78912345678901 whats going on with this, I need the keyboard
		// for work": a longer message asking after it does too.
		if typ != "tracking_number" || sure(tr.res.Intent) || !isShort(rest, nil) && !asksAfterIt.MatchString(strings.ToLower(rest)) {
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

// asksAfterIt asks how a thing named stands, in words that name no
// particular state: "what's going on with this", "any news", "what's
// happening", "what's the status", "怎么样了".
var asksAfterIt = nlutext.MustPattern(`(?i)\bwhat'?s? ?(is )?(going on|happening|up) with\b|\bwhats (going on|happening|up)\b|\bwhat'?s (going on|happening)\b|\bany (news|updates?|movement|progress)\b|\bwhat('?s| is) the (status|latest|deal)\b|\bwhat happened (to|with)\b|\bstatus\b|怎么样了|咋样了|什么情况|啥情况|怎么回事`)

// digitsAsTracking reads a run of digits the extractor took for an order
// number as the tracking number it is when it is not one of the
// customer's orders but the shop has a parcel under it ("78912345678901
// whats going on with this": a ZTO number pasted with no carrier word
// before it). It asks the shop only for such a run.
func (tr *turn) digitsAsTracking(ctx context.Context) {
	a, conv := tr.a, tr.conv
	if a.Flows == nil || a.Backend == nil || conv == nil {
		return
	}
	at := -1
	for i, e := range tr.res.Entities {
		if e.Type == "tracking_number" {
			return
		}
		if e.Type == "order_id" && at < 0 && len(e.Value) >= 10 && strings.Trim(e.Value, "0123456789") == "" {
			at = i
		}
	}
	if at < 0 {
		return
	}
	v := tr.res.Entities[at].Value
	if conv.CustomerRef != "" {
		orders, ok, err := tr.namedOrders(ctx, tr.input())
		if err != nil || !ok {
			return
		}
		for i := range orders.List {
			if orders.Order(i) == v {
				return
			}
		}
	}
	res, err := a.Backend.Call(ctx, flow.Request{
		Action:         "track_shipment",
		TenantID:       conv.TenantID,
		ConversationID: conv.ID,
		CustomerRef:    conv.CustomerRef,
		Lang:           tr.lang,
		Params:         map[string]string{"tracking_number": v},
		IdempotencyKey: fmt.Sprintf("%s/track_shipment/%d", conv.ID, tr.st.Turns),
	})
	if err != nil || res.Status != flow.StatusOK {
		return
	}
	ents := slices.Clone(tr.res.Entities)
	ents[at].Type = "tracking_number"
	tr.res.Entities = ents
}
