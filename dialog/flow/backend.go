package flow

import (
	"context"
	"strings"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu"
)

// Backend runs the shop's actions that flows call: looking up an order,
// a shipment, a refund or a member, cancelling an order, changing its
// address, opening a return. The webhook adapter and the demo shop
// implement it.
type Backend interface {
	// Call runs one action. A business outcome ("no such order", "already
	// shipped") is not an error but Result.Status. Errors: ENOTFOUND for an
	// action the backend does not know, EINVALID for parameters it
	// refuses, EUNAVAILABLE when the backend is down, times out or answers
	// something that is not the contract.
	Call(ctx context.Context, req Request) (Result, error)
}

// Request is one action call. The same IdempotencyKey is sent for every
// attempt of one step of one conversation, so a retried call that changes
// something (cancel, return, address) changes it once.
type Request struct {
	Action         string            `json:"action"`
	TenantID       string            `json:"tenant_id"`
	ConversationID string            `json:"conversation_id"`
	CustomerRef    string            `json:"customer_ref,omitempty"`
	Lang           string            `json:"lang"`
	Params         map[string]string `json:"params"`
	IdempotencyKey string            `json:"idempotency_key"`
}

// OrderStatuses are the order statuses of the action contract (get_order,
// list_orders): each has words in the catalogue (order_status.*), which
// the template function order_status says.
var OrderStatuses = []string{"pending_payment", "paid", "shipped", "delivered", "cancelled", "returned"}

// Result is an action's answer: a status ("ok", or a business outcome
// code such as "not_found", "not_allowed", "already_done") the flow
// branches on, and data its reply templates use.
type Result struct {
	Status string         `json:"status"`
	Data   map[string]any `json:"data,omitempty"`
}

// StatusOK is the status of an action that did what was asked.
const StatusOK = "ok"

// Run is one flow in progress in a conversation. It is part of the
// conversation's dialog state, stored as JSON after every turn, so it
// must hold only plain data.
type Run struct {
	Flow     string            `json:"flow"`               // the flow's name
	Step     string            `json:"step"`               // the step waiting for the customer
	Slots    map[string]string `json:"slots,omitempty"`    // filled slots: name → normalised value
	Awaiting string            `json:"awaiting,omitempty"` // what the step waits for: a slot name, or "confirm"
	Retries  int               `json:"retries,omitempty"`  // invalid answers to the current question
	Result   *Result           `json:"result,omitempty"`   // the last action's result, for templates
	Calls    int               `json:"calls,omitempty"`    // actions called so far (part of idempotency keys)
	Tenant   string            `json:"tenant,omitempty"`   // the shop the run serves: its words fill the templates
	// Narrow holds the values of the offered items the customer's words
	// matched ("the shoes" among four orders): the offer lists only those.
	Narrow []string `json:"narrow,omitempty"`
	// NoMatch is set when the customer named an item the list does not
	// have: the offer then says so before listing what there is.
	NoMatch bool `json:"no_match,omitempty"`

	confirmed string // the offered item said yes to this turn (Offer.Confirms)
}

// Input is one customer message as the flow engine sees it.
type Input struct {
	Text           string // the message as written
	Lang           string // "zh" or "en": the language to answer in
	Intent         nlu.Intent
	Entities       []nlu.Entity
	TenantID       string
	ConversationID string
	CustomerRef    string
	Turn           int // the conversation's turn number
	// Listed is the customer's orders as list_orders answered earlier in
	// this turn (Orders.Result); a list_orders step then uses it rather
	// than asking the backend again.
	Listed *Result
	// Given holds choice-slot values the dialog read from the message
	// with Option (slot name → option value), for Start: a question
	// ("水壶不加热了 能退吗") fills no choice slot by itself, yet says
	// what is wrong.
	Given map[string]string
}

// Output is what one flow step produced.
type Output struct {
	Messages []string // replies to send, in order
	// Attachments[i] are the quick replies or card of Messages[i]; the
	// slice may be shorter than Messages and hold nils.
	Attachments []*assist.Attachments
	Done        bool     // the flow ended; the caller drops the Run
	Asking      string   // the slot (or "confirm") the flow now waits for; "" when done
	Handoff     *Handoff // the flow hands the conversation to a person

	found, foundValue string // the note of an item the customer named, until said
}

// add appends a message with its attachments (nil for none), after the
// note of an item taken from the customer's words when the message does
// not name it.
func (o *Output) add(msg string, att *assist.Attachments) {
	if o.found != "" && !strings.Contains(msg, o.foundValue) {
		o.Messages = append(o.Messages, o.found)
	}
	o.found = ""
	o.Messages = append(o.Messages, msg)
	if att.Empty() {
		return
	}
	for len(o.Attachments) < len(o.Messages)-1 {
		o.Attachments = append(o.Attachments, nil)
	}
	o.Attachments = append(o.Attachments, att)
}

// Handoff is a flow's request for a person: the reason code and what
// led to it.
type Handoff struct {
	Reason   string            // "action_failed", "customer_request", ...
	Evidence map[string]string // e.g. action, status, error
}
