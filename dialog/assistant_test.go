package dialog

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/rag"
)

type fakeParser map[string]nlu.Result

func (f fakeParser) Parse(_ context.Context, text string) (nlu.Result, error) {
	r, ok := f[text]
	if !ok {
		return nlu.Result{}, assist.Errorf(assist.EUNAVAILABLE, "model down")
	}
	return r, nil
}

type refusingParser struct{}

func (refusingParser) Parse(context.Context, string) (nlu.Result, error) {
	return nlu.Result{}, assist.Errorf(assist.EINVALID, "text is not UTF-8")
}

// fakeKB drafts every question as its one answer, known or not, and
// records the questions it was asked to answer (got), as rag.Service
// does: read first (Draft), answered once (AnswerDraft).
type fakeKB struct {
	got    []rag.AnswerRequest
	answer rag.Answer
	err    error
}

func (f *fakeKB) Answer(ctx context.Context, req rag.AnswerRequest, onDelta func(string) error) (rag.Answer, error) {
	d, err := f.Draft(ctx, req)
	if err != nil {
		return rag.Answer{}, err
	}
	return f.AnswerDraft(ctx, req, d, onDelta)
}

func (f *fakeKB) Draft(context.Context, rag.AnswerRequest) (rag.Draft, error) {
	if f.err != nil || !f.answer.Known {
		return rag.Draft{}, f.err
	}
	d := rag.Draft{Text: f.answer.Text, Confidence: 1, Hits: []rag.Hit{{}}}
	if len(f.answer.Sources) > 0 {
		d.Hits[0].Chunk.Doc = f.answer.Sources[0].Doc
	}
	return d, nil
}

func (f *fakeKB) AnswerDraft(_ context.Context, req rag.AnswerRequest, _ rag.Draft, _ func(string) error) (rag.Answer, error) {
	f.got = append(f.got, req)
	return f.answer, f.err
}

func (f *fakeKB) Threshold() float64 { return 0.5 }

func (f *fakeKB) Declines(d rag.Draft) bool { return d.Confidence < f.Threshold() || len(d.Hits) == 0 }

func intent(label string, lang nlu.Lang) nlu.Result {
	return nlu.Result{Lang: lang, Intent: nlu.Intent{Label: label, Confidence: 0.9}}
}

func TestAssistant(t *testing.T) {
	known := rag.Answer{Text: "Returns are free within 7 days. [1]", Known: true, Sources: []rag.Source{{N: 1, Doc: "en-returns.md", Title: "Returns"}}}
	unknown := rag.Answer{Text: "I don't know that one; want a person?", OfferHuman: true}
	parser := fakeParser{
		"转人工":                 intent("human_agent", nlu.LangZH),
		"i want to complain":  intent("complaint", nlu.LangEN),
		"where is my order":   intent("order_status", nlu.LangEN),
		"你好":                  intent("greeting", nlu.LangZH),
		"can i return shoes":  intent("return_policy", nlu.LangEN),
		"drone to antarctica": intent(nlu.OutOfScope, nlu.LangEN),
		"refund, coupon?":     {Lang: nlu.LangEN, Intent: nlu.Intent{Label: "refund_status", Ambiguous: true, Top: []nlu.Scored{{Label: "refund_status"}, {Label: "greeting"}}}},
	}
	tests := []struct {
		text     string
		answer   rag.Answer
		reason   string // handoff reason; "" for none
		contains string
		asksKB   bool
	}{
		{text: "转人工", reason: ReasonCustomerRequest, contains: "人工"},
		{text: "i want to complain", reason: ReasonComplaint, contains: "complaint"},
		{text: "where is my order", contains: "Would you like me to connect you", asksKB: true}, // no flows, and the help center does not know it: a person is offered
		{text: "你好", contains: "您好"},
		{text: "can i return shoes", answer: known, asksKB: true, contains: "Sources: [1] Returns"},
		{text: "drone to antarctica", answer: unknown, asksKB: true, contains: "rephrase"},
		{text: "refund, coupon?", answer: known, asksKB: true, contains: "7 days"},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			kb := &fakeKB{answer: tc.answer}
			a := &Assistant{NLU: parser, KB: kb}
			conv := &assist.Conversation{ID: "c1", TenantID: "t1"}
			r, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: tc.text}})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Messages) != 1 || !strings.Contains(r.Messages[0], tc.contains) {
				t.Errorf("messages %q, want one containing %q", r.Messages, tc.contains)
			}
			switch {
			case tc.reason == "" && r.Handoff != nil:
				t.Errorf("handed off (%s), want the bot to answer", r.Handoff.Reason)
			case tc.reason != "" && (r.Handoff == nil || r.Handoff.Reason != tc.reason):
				t.Errorf("handoff %+v, want reason %s", r.Handoff, tc.reason)
			}
			if r.Handoff != nil && r.Handoff.Intent != parser[tc.text].Intent.Label {
				t.Errorf("handoff intent %q, want %q for routing", r.Handoff.Intent, parser[tc.text].Intent.Label)
			}
			if asked := len(kb.got) > 0; asked != tc.asksKB {
				t.Errorf("asked the knowledge base: %v, want %v", asked, tc.asksKB)
			}
			if tc.asksKB && (kb.got[0].TenantID != "t1" || kb.got[0].KB != "help" || kb.got[0].ConversationID != "c1") {
				t.Errorf("knowledge request %+v, want tenant t1, kb help, conversation c1", kb.got[0])
			}
		})
	}
}

func TestAssistantErrors(t *testing.T) {
	conv := &assist.Conversation{ID: "c1", TenantID: "t1"}
	// No intent model can answer: the message is taken as a question.
	kb := &fakeKB{answer: rag.Answer{Text: "Chat is open 9:00-22:00.", Known: true}}
	a := &Assistant{NLU: fakeParser{}, KB: kb}
	r, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: "when are you open"}})
	if err != nil || len(kb.got) != 1 || r.Handoff != nil || !strings.Contains(r.Messages[0], "9:00") {
		t.Errorf("NLU down: %+v, %v, answers %d; want the knowledge base to answer once", r, err, len(kb.got))
	}
	// The NLU refuses the text: the turn fails, and the caller hands off.
	a = &Assistant{NLU: refusingParser{}, KB: &fakeKB{}}
	if _, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: "x"}}); assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("NLU refuses: err %v, want EINVALID", err)
	}
	// The knowledge base fails.
	a = &Assistant{KB: &fakeKB{err: errors.New("disk gone")}}
	if _, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: "hello"}}); err == nil {
		t.Error("knowledge base down: no error")
	}
	// No knowledge base at all: hand off rather than guess.
	a = &Assistant{}
	r, err = a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: "how do invoices work"}})
	if err != nil || r.Handoff == nil || r.Handoff.Reason != ReasonNoAutomation {
		t.Errorf("no knowledge base: %+v, %v; want a handoff", r, err)
	}
}
