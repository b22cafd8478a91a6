package dialog

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/rag"
)

// REVIEW12A 11: a long run of digits read as an order number is tried as
// a parcel's tracking number only where a number is acted on as a parcel
// (a bare number, a status question), not while the customer waits for a
// person nor inside a flow that asked for an order number.
func TestDigitsAsTrackingOnlyWhereActedOn(t *testing.T) {
	flows, err := flow.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	const num = "78912345678901"
	nums := map[string]string{num: "order_id"}
	script := script{
		"cancel my order":                 said{label: "cancel_order"},
		num:                               said{label: nlu.OutOfScope, entities: nums},
		num + " whats going on with this": said{label: "order_status", entities: nums},
		"order " + num + " cancel it pls": said{label: "cancel_order", entities: nums},
	}
	for _, tc := range []struct {
		name   string
		before string // a turn before
		queued bool
		say    string
		tracks bool // track_shipment asked of the shop for the number
	}{
		{name: "bare number", say: num, tracks: true},
		{name: "status question", say: num + " whats going on with this", tracks: true},
		{name: "another task names it", say: "order " + num + " cancel it pls"},
		{name: "in a flow asking for the order", before: "cancel my order", say: num},
		{name: "waiting in the queue", queued: true, say: num + " whats going on with this"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			shop := &closet{}
			engine, err := flow.NewEngine(flows, shop)
			if err != nil {
				t.Fatal(err)
			}
			a := &Assistant{NLU: script, KB: &helpCenter{}, Flows: engine, Backend: shop, Rules: DefaultRules()}
			conv := &assist.Conversation{ID: "c", TenantID: "demo", CustomerRef: "c1"}
			st := &State{}
			if tc.before != "" {
				r, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: tc.before}, State: st})
				if err != nil {
					t.Fatal(err)
				}
				st = r.State
				if st.Flow == nil {
					t.Fatalf("%q started no flow", tc.before)
				}
			}
			if tc.queued {
				conv.Owner = assist.OwnerQueue
			}
			shop.calls = nil
			if _, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: tc.say}, State: st}); err != nil {
				t.Fatal(err)
			}
			if got := slices.Contains(shop.calls, "track_shipment"); got != tc.tracks {
				t.Errorf("track_shipment asked: %v, want %v (calls %v)", got, tc.tracks, shop.calls)
			}
		})
	}
}

// counted counts the parses of a Parser.
type counted struct {
	Parser
	n int
}

func (c *counted) Parse(ctx context.Context, text string) (nlu.Result, error) {
	c.n++
	return c.Parser.Parse(ctx, text)
}

// greetingDeaf is a help center that declines any question with "friday"
// in it.
type greetingDeaf struct{ helpCenter }

func (h *greetingDeaf) Draft(ctx context.Context, req rag.AnswerRequest) (rag.Draft, error) {
	if strings.Contains(req.Question, "friday") {
		return rag.Draft{}, nil
	}
	return h.helpCenter.Draft(ctx, req)
}

func (h *greetingDeaf) Answer(ctx context.Context, req rag.AnswerRequest, onDelta func(string) error) (rag.Answer, error) {
	d, err := h.Draft(ctx, req)
	if err != nil {
		return rag.Answer{}, err
	}
	return h.AnswerDraft(ctx, req, d, onDelta)
}

// REVIEW12A 7: a message opening with a greeting and a sentence mark costs
// more parses (one for each pleasantry sentence and the rest) only when
// the model is not sure of the whole message or the help center declines
// it; then the rest is what the help center answers.
func TestPleasantriesParsedOnlyWhenUnsure(t *testing.T) {
	for _, tc := range []struct {
		say       string
		conf      float32
		kb        map[string]string // the help center's answers, by a word of the question
		atMostOne bool
		want      string
	}{
		{say: "Hi! Quick one. Is my keyboard shipped yet", conf: 0.95, kb: map[string]string{"keyboard": "Shipping takes 2 days."}, atMostOne: true, want: "2 days"},
		{say: "Hello there. Hope all is well. Can I get an invoice?", conf: 0.95, kb: map[string]string{"invoice": "Invoices are in My orders."}, atMostOne: true, want: "My orders"},
		{say: "你好！打扰一下。我的键盘发货了吗", conf: 0.95, kb: map[string]string{"键盘": "两天内发货。"}, atMostOne: true, want: "两天"},
		// the help center knows the request only without the greeting
		{say: "hey hey, happy friday! can i get a fapiao?", conf: 0.95, kb: map[string]string{"can i get a fapiao?": "Fapiao: in My orders."}, want: "Fapiao"},
		{say: "Hi! Quick one. Is my keyboard shipped yet", conf: 0.3},
		// what is left is no request the model is sure of: the decline stands
		{say: "hi there! friday again. what now?", conf: 0.95, kb: map[string]string{"what now?": "Our opening hours."}, want: "I don't know"},
	} {
		c := &counted{Parser: script{tc.say: said{label: "return_policy", conf: tc.conf}, "can i get a fapiao?": said{label: "invoice", conf: 0.95}}}
		a := &Assistant{NLU: c, KB: &greetingDeaf{helpCenter{answers: tc.kb}}, Rules: DefaultRules()}
		r, err := a.Respond(context.Background(), Turn{Message: &assist.Message{Text: tc.say}, State: &State{}})
		if err != nil {
			t.Fatal(err)
		}
		if one := c.n == 1; one != tc.atMostOne {
			t.Errorf("%q (confidence %.2f): %d parses", tc.say, tc.conf, c.n)
		}
		if got := strings.Join(r.Messages, "\n"); tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("%q: reply %q, want %q in it", tc.say, got, tc.want)
		}
	}
}
