package flow

import (
	"slices"
	"strings"

	"github.com/assistd/assist"
	"github.com/assistd/assist/catalog"
)

// Choices returns the quick replies of the question run waits for, in
// lang (see Reprompt); nil when it has none.
func (e *Engine) Choices(run *Run, lang string) *assist.Attachments {
	if run == nil {
		return nil
	}
	f, ok := e.flows[run.Flow]
	if !ok {
		return nil
	}
	return e.choices(f, run, catalog.Lang(lang))
}

// choices returns the quick replies for what run waits for, in lang: yes
// and no for a confirm or a single offered item, the items of a longer
// offer (picking one sends its value), or a choice slot's options.
func (e *Engine) choices(f *Flow, run *Run, lang string) *assist.Attachments {
	c := catalog.Default()
	yesNo := &assist.Attachments{Choices: []assist.Choice{
		{Label: c.Say(lang, "choice.yes"), Value: c.Say(lang, "choice.yes")},
		{Label: c.Say(lang, "choice.no"), Value: c.Say(lang, "choice.no")},
	}}
	if run.Awaiting == AwaitConfirm {
		return yesNo
	}
	s, ok := f.Slots[run.Awaiting]
	if !ok {
		return nil
	}
	if st, ok := f.Step(run.Step); ok && st.Offer != nil && st.Ask == s.Name {
		items := offered(st, run)
		switch {
		case len(items) == 1:
			return yesNo
		case len(items) > 1:
			att := &assist.Attachments{}
			for _, it := range items {
				v := asText(it[st.Offer.Value])
				label := v
				if desc := asText(it["items_"+lang]); desc != "" {
					label = v + " · " + desc
				} else if desc := asText(it["items"]); desc != "" {
					label = v + " · " + desc
				}
				att.Choices = append(att.Choices, assist.Choice{Label: label, Value: v})
			}
			return att
		}
	}
	if s.Type == "choice" {
		att := &assist.Attachments{}
		allowed := s.allowedIn(run)
		for _, o := range s.Options {
			if allowed != nil && !slices.Contains(allowed, o.Value) {
				continue
			}
			l := o.Label.In(lang)
			att.Choices = append(att.Choices, assist.Choice{Label: l, Value: l})
		}
		return att
	}
	return nil
}

// card returns the card a say step shows of the last action's result:
// an order (get_order's data) or a shipment (track_shipment's data);
// nil for a step without one or a result without the data.
func (e *Engine) card(st *Step, run *Run, in Input) *assist.Attachments {
	if st.Card == "" || run.Result == nil || run.Result.Status != StatusOK {
		return nil
	}
	d := run.Result.Data
	lang := catalog.Lang(in.Lang)
	var fields []assist.Field
	add := func(key string, vals ...any) {
		for _, v := range vals {
			if t := asText(v); t != "" {
				fields = append(fields, assist.Field{Label: e.say(in, "card."+key), Value: t})
				return
			}
		}
	}
	var title string
	switch st.Card {
	case assist.CardOrder:
		if asText(d["order_id"]) == "" {
			return nil
		}
		title = e.say(in, "card.order", "order_id", asText(d["order_id"]))
		add("items", d["items_"+lang], d["items"])
		add("status", d["status_text_"+lang], d["status"])
		add("total", d["total"])
		add("carrier", d["carrier_"+lang], d["carrier"])
		add("tracking_number", d["tracking_number"])
		add("eta", d["eta"])
	case assist.CardShipment:
		if asText(d["tracking_number"]) == "" {
			return nil
		}
		title = e.say(in, "card.shipment", "tracking_number", asText(d["tracking_number"]))
		add("carrier", d["carrier_"+lang], d["carrier"])
		add("status", d["shipment_text_"+lang], d["status_text_"+lang], d["shipment_status"])
		add("eta", d["eta"])
	}
	return &assist.Attachments{Cards: []assist.Card{{Kind: st.Card, Title: title, Fields: fields}}}
}

// allowedIn returns the option values the last result allows for choice
// slot s (Slot.Allowed), or nil when it does not say.
func (s *Slot) allowedIn(run *Run) []string {
	if s.Allowed == "" || run.Result == nil {
		return nil
	}
	vals := strings.Fields(asText(run.Result.Data[s.Allowed]))
	if len(vals) == 0 {
		return nil
	}
	return vals
}

// standIn replaces the value of each filled choice slot that the last
// result does not allow (Slot.Allowed) by the option standing in for it
// (Option.Instead), when that one is allowed: the customer's words are
// kept for what the shop can do ("wrong size" for a rug is a no-reason
// return). It reports whether a slot changed.
func (f *Flow) standIn(run *Run) bool {
	changed := false
	for _, n := range f.order {
		s := f.Slots[n]
		v, ok := run.Slots[n]
		if s.Type != "choice" || !ok || v == "" {
			continue
		}
		allowed := s.allowedIn(run)
		if allowed == nil || slices.Contains(allowed, v) {
			continue
		}
		for _, o := range s.Options {
			if o.Value == v && o.Instead != "" && slices.Contains(allowed, o.Instead) &&
				(o.InsteadUnless == "" || asText(run.Result.Data[o.InsteadUnless]) == "") {
				run.Slots[n] = o.Instead
				changed = true
			}
		}
	}
	return changed
}
