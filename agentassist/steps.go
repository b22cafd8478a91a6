package agentassist

import (
	"github.com/assistd/assist/catalog"
	"github.com/assistd/assist/dialog"
)

// Step is a next step for the agent, with the shop action that does it
// when there is one.
type Step struct {
	Label  string  `json:"label"`
	Action *Action `json:"action,omitempty"`
}

// Action is a shop backend action a step calls (flow.Backend), with the
// parameters known from the conversation.
type Action struct {
	Name   string            `json:"name"`
	Params map[string]string `json:"params,omitempty"`
}

// stepDef is a step of the playbook: its wording key, the action it calls
// and the facts that action needs (the first of a group of alternatives
// "a|b" that is known).
type stepDef struct {
	key    string
	action string
	needs  []string
}

// playbook lists, per intent, what an agent does next: the same
// checks the bot's flows make, and what only a person can offer.
var playbook = map[string][]stepDef{
	"order_status":     {{"assist.step.verify_order", "get_order", []string{"order_id"}}, {"assist.step.track", "track_shipment", []string{"order_id|tracking_number"}}},
	"track_shipment":   {{"assist.step.track", "track_shipment", []string{"order_id|tracking_number"}}, {"assist.step.verify_order", "get_order", []string{"order_id"}}},
	"urge_shipping":    {{"assist.step.verify_order", "get_order", []string{"order_id"}}, {"assist.step.track", "track_shipment", []string{"order_id|tracking_number"}}},
	"delivery_problem": {{"assist.step.track", "track_shipment", []string{"order_id|tracking_number"}}, {"assist.step.verify_order", "get_order", []string{"order_id"}}},
	"refund_status":    {{"assist.step.verify_order", "get_order", []string{"order_id"}}, {"assist.step.refund_status", "get_refund", []string{"order_id"}}},
	"return_request":   {{"assist.step.return_window", "get_order", []string{"order_id"}}, {"assist.step.offer_exchange", "", nil}, {"assist.step.start_return", "create_return", []string{"order_id"}}},
	"exchange_request": {{"assist.step.verify_order", "get_order", []string{"order_id"}}, {"assist.step.offer_exchange", "", nil}},
	"cancel_order":     {{"assist.step.verify_order", "get_order", []string{"order_id"}}, {"assist.step.cancel", "cancel_order", []string{"order_id"}}},
	"modify_order":     {{"assist.step.verify_order", "get_order", []string{"order_id"}}, {"assist.step.change_address", "change_address", []string{"order_id"}}},
	"change_address":   {{"assist.step.verify_order", "get_order", []string{"order_id"}}, {"assist.step.change_address", "change_address", []string{"order_id"}}},
	"payment_issue":    {{"assist.step.verify_order", "get_order", []string{"order_id"}}, {"assist.step.refund_status", "get_refund", []string{"order_id"}}},
}

// needsOrder: intents whose steps are about one order.
func needsOrder(intent string) bool {
	for _, d := range playbook[intent] {
		for _, n := range d.needs {
			if n == "order_id" || n == "order_id|tracking_number" {
				return true
			}
		}
	}
	return false
}

// nextSteps returns the steps for the intent and what the conversation
// knows: a calming word first when the customer is upset, the order
// number asked for when an order step lacks it, each step's action with
// its parameters when they are known.
func nextSteps(intent string, st *dialog.State, facts map[string]string, lang string, knowledge bool) []Step {
	out := []Step{}
	if st.Escalation != nil {
		switch st.Escalation.Reason {
		case catalog.ReasonAnger, catalog.ReasonNegativeTrend, catalog.ReasonComplaint, catalog.ReasonVIPComplaint:
			out = append(out, Step{Label: say(lang, "assist.step.apologise")})
		}
	}
	if needsOrder(intent) && facts["order_id"] == "" && facts["tracking_number"] == "" {
		out = append(out, Step{Label: say(lang, "assist.step.ask_order")}, Step{Label: say(lang, "assist.step.list_orders"), Action: &Action{Name: "list_orders"}})
	}
	for _, d := range playbook[intent] {
		step := Step{Label: say(lang, d.key)}
		if d.action != "" {
			if params, ok := paramsFor(d.needs, facts); ok {
				step.Action = &Action{Name: d.action, Params: params}
			}
		}
		out = append(out, step)
	}
	if len(playbook[intent]) == 0 && knowledge {
		out = append(out, Step{Label: say(lang, "assist.step.answer_kb")})
	}
	if st.Tier == "" && intent != "" {
		out = append(out, Step{Label: say(lang, "assist.step.member"), Action: &Action{Name: "get_member"}})
	}
	return out
}

// paramsFor returns the parameters for needs from facts, false when one
// is unknown.
func paramsFor(needs []string, facts map[string]string) (map[string]string, bool) {
	params := map[string]string{}
	for _, n := range needs {
		found := false
		for _, alt := range splitAlt(n) {
			if v := facts[alt]; v != "" {
				params[alt] = v
				found = true
				break
			}
		}
		if !found {
			return nil, false
		}
	}
	return params, true
}

func splitAlt(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '|' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
