package dialog

import (
	"fmt"
	"slices"
	"strings"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/nlu"
)

// A task started with the order of earlier turns ("ok then return them
// pls" after asking about the boots, "那就取消吧" after a status) acts on
// that order: the customer is told which one before anything else, unless
// the flow's own reply names it, so a wrong guess is seen before it
// matters.

// sayWhich puts "That's order DD… (items)." in front of out when run, just
// started, holds an order the message did not name and out does not name.
func (tr *turn) sayWhich(run *flow.Run, out flow.Output) flow.Output {
	if run == nil || out.Handoff != nil || len(out.Messages) == 0 {
		return out
	}
	id := tr.a.Flows.EntitySlots(run)["order_id"]
	if id == "" || slices.ContainsFunc(tr.res.Entities, func(e nlu.Entity) bool { return e.Value == id }) {
		return out
	}
	if slices.ContainsFunc(out.Messages, func(m string) bool { return strings.Contains(m, id) }) {
		return out
	}
	items := ""
	if r := run.Result; r != nil && asText(r.Data["order_id"]) == id {
		items = asText(r.Data["items"])
	}
	if items == "" && tr.listed != nil {
		if orders, ok := tr.listed.Data["orders"].([]any); ok {
			for _, o := range orders {
				if m, ok := o.(map[string]any); ok && asText(m["order_id"]) == id {
					items = asText(m["items"])
				}
			}
		}
	}
	note := tr.say("flow.found_id", "value", id)
	if items != "" {
		note = tr.say("flow.found", "value", id, "items", items)
	}
	out.Messages = append([]string{note}, out.Messages...)
	if len(out.Attachments) > 0 {
		out.Attachments = append([]*assist.Attachments{nil}, out.Attachments...)
	}
	return out
}

// asText is a result value as text ("" for none).
func asText(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}
