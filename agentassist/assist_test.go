package agentassist_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/agentassist"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/dialog"
	"github.com/assistd/assist/models"
	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/rag"
	"github.com/assistd/assist/sentiment"
)

const tenant = "t1"

var t0 = time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)

// fakeConvs holds conversations, their messages and dialog states.
type fakeConvs struct {
	mu     sync.Mutex
	convs  map[string]*assist.Conversation
	msgs   map[string][]*assist.Message
	states map[string]*dialog.State
}

func newFakeConvs() *fakeConvs {
	return &fakeConvs{convs: map[string]*assist.Conversation{}, msgs: map[string][]*assist.Message{}, states: map[string]*dialog.State{}}
}

func (f *fakeConvs) Conversation(_ context.Context, tenantID, id string) (*assist.Conversation, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.convs[id]
	if !ok || c.TenantID != tenantID {
		return nil, assist.Errorf(assist.ENOTFOUND, "conversation not found")
	}
	cc := *c
	return &cc, nil
}

func (f *fakeConvs) State(_ context.Context, _, id string) (*dialog.State, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.states[id].Clone(), nil
}

func (f *fakeConvs) History(_ context.Context, _, id string) ([]*assist.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*assist.Message(nil), f.msgs[id]...), nil
}

func (f *fakeConvs) say(convID string, author assist.Author, text, replyTo string) *assist.Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	ms := f.msgs[convID]
	m := &assist.Message{ID: convID + "-m" + string(rune('a'+len(ms))), TenantID: tenant, ConversationID: convID, Author: author,
		Text: text, ReplyTo: replyTo, Seq: int64(len(ms) + 1), CreatedAt: t0.Add(time.Duration(len(ms)) * time.Minute)}
	f.msgs[convID] = append(ms, m)
	return m
}

// fakeKB knows one FAQ entry about refunds.
type fakeKB struct{}

func (fakeKB) Retrieve(_ context.Context, req rag.SearchRequest) ([]rag.Hit, float64, error) {
	q := strings.ToLower(req.Question)
	if !strings.Contains(q, "refund") && !strings.Contains(q, "退款") {
		return nil, 0.1, nil
	}
	return []rag.Hit{{Score: 0.8, Chunk: rag.Chunk{DocKey: rag.DocKey{Doc: "refunds.md"}, Title: "Refunds",
		Question: "How long does a refund take?", Answer: "Refunds reach your account within 3-5 working days after we receive the return."}}}, 0.82, nil
}

func (fakeKB) Abstains(conf float64) bool { return conf < 0.4 }

// fakeNLU knows refunds and anger.
type fakeNLU struct{}

func (fakeNLU) Parse(_ context.Context, text string) (nlu.Result, error) {
	r := nlu.Result{Lang: nlu.LangEN, Intent: nlu.Intent{Label: nlu.OutOfScope}}
	if strings.Contains(strings.ToLower(text), "refund") {
		r.Intent = nlu.Intent{Label: "refund_status", Confidence: 0.9}
	}
	if i := strings.Index(text, "DD"); i >= 0 && len(text) >= i+14 {
		r.Entities = append(r.Entities, nlu.Entity{Type: "order_id", Text: text[i : i+14], Value: text[i : i+14]})
	}
	return r, nil
}

// fakeScorer is angry at capitals.
type fakeScorer struct{}

func (fakeScorer) Score(_ context.Context, text string) (sentiment.Score, error) {
	if strings.ToUpper(text) == text {
		return sentiment.Score{Label: "angry", Polarity: -0.9, Anger: 0.95}, nil
	}
	return sentiment.Score{Label: "neutral", Polarity: 0}, nil
}

// memMacros is a MacroStore in memory.
type memMacros struct {
	mu sync.Mutex
	ms []*agentassist.Macro
}

func (s *memMacros) Macros(context.Context, string) ([]*agentassist.Macro, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*agentassist.Macro(nil), s.ms...), nil
}

func (s *memMacros) PutMacro(_ context.Context, m *agentassist.Macro) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, x := range s.ms {
		if x.ID == m.ID {
			s.ms[i] = m
			return nil
		}
	}
	s.ms = append(s.ms, m)
	return nil
}

func (s *memMacros) DeleteMacro(_ context.Context, _, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, x := range s.ms {
		if x.ID == id {
			s.ms = append(s.ms[:i], s.ms[i+1:]...)
			return nil
		}
	}
	return assist.Errorf(assist.ENOTFOUND, "macro not found")
}

// notifier collects pushed Sets.
type notifier struct{ c chan *agentassist.Set }

func (n notifier) Assist(_, _ string, s *agentassist.Set) { n.c <- s }

func newService(convs *fakeConvs) (*agentassist.Service, notifier) {
	n := notifier{c: make(chan *agentassist.Set, 10)}
	return &agentassist.Service{
		Conversations: convs, Knowledge: fakeKB{}, NLU: fakeNLU{}, Sentiment: fakeScorer{},
		Macros: &memMacros{}, Replies: &agentassist.Replies{}, Notifier: n,
		Now: func() time.Time { return t0 },
	}, n
}

// handedOff sets up a refund conversation the bot handed to agent ann:
// it learnt the order number, then the customer asked for a person.
func handedOff(convs *fakeConvs, id string) *assist.Conversation {
	c := &assist.Conversation{ID: id, TenantID: tenant, Lang: "en", Owner: assist.OwnerAgent, AssigneeID: "ann", CustomerRef: "cust-1"}
	convs.convs[id] = c
	q := convs.say(id, assist.AuthorCustomer, "Where is the refund for DD202611050002?", "")
	convs.say(id, assist.AuthorBot, "The refund of 199.00 CNY for order DD202611050002: processing. It goes back to the account you paid with.", q.ID)
	q2 := convs.say(id, assist.AuthorCustomer, "I want to talk to a person", "")
	convs.say(id, assist.AuthorBot, "I'm connecting you with a member of our team.", q2.ID)
	convs.states[id] = &dialog.State{Lang: "en", Turns: 2, Tier: "gold",
		Intents:    []dialog.IntentNote{{Turn: 1, Label: "refund_status", Confidence: 0.9}, {Turn: 2, Label: "human_agent", Confidence: 0.95}},
		Entities:   map[string]string{"order_id": "DD202611050002", "phone": "13800138000"},
		Sentiment:  sentiment.Trend{EWMA: -0.1, Last: -0.1, Messages: 2},
		Escalation: &dialog.Escalation{Reason: "customer_request", Turn: 2, Evidence: map[string]string{"intent": "human_agent"}}}
	return c
}

func TestAgentGetsSuggestionsOnCustomerMessage(t *testing.T) {
	ctx := context.Background()
	convs := newFakeConvs()
	s, n := newService(convs)
	if _, err := s.SaveMacro(ctx, tenant, "sup", agentassist.Macro{Title: "Refund timing", Lang: "en", Intent: "refund_status",
		Text: "I've checked order {{order_id}}: the refund is on its way and arrives within 3-5 working days."}); err != nil {
		t.Fatal(err)
	}
	// Another agent answered a similar question before.
	other := handedOff(convs, "c0")
	oq := convs.say("c0", assist.AuthorCustomer, "how long until my refund arrives?", "")
	oa := convs.say("c0", assist.AuthorAgent, "Refunds usually land 3-5 working days after the warehouse gets the parcel.", "")
	_ = oq
	s.Observe(ctx, conversation.Observation{Conversation: other, Message: oa})
	for deadline := time.Now().Add(5 * time.Second); len(s.Replies.Nearest(tenant, "", "how long until my refund arrives", "en", 1)) == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the agent's answer was not learnt")
		}
		time.Sleep(5 * time.Millisecond)
	}

	c := handedOff(convs, "c1")
	m := convs.say("c1", assist.AuthorCustomer, "How long until my refund arrives?", "")
	s.Observe(ctx, conversation.Observation{Conversation: c, Message: m})
	var set *agentassist.Set
	select {
	case set = <-n.c:
	case <-time.After(5 * time.Second):
		t.Fatal("no suggestions pushed to the agent")
	}
	if set.ConversationID != "c1" || set.MessageID != m.ID || set.Intent != "refund_status" || set.Lang != "en" {
		t.Fatalf("set for %s/%s intent %q lang %q", set.ConversationID, set.MessageID, set.Intent, set.Lang)
	}
	sources := map[string]agentassist.Suggestion{}
	for _, sg := range set.Suggestions {
		sources[sg.Source] = sg
	}
	if len(set.Suggestions) != 3 {
		t.Fatalf("%d suggestions %+v, want kb, macro and similar", len(set.Suggestions), set.Suggestions)
	}
	if kb := sources["kb"]; kb.Citation == nil || kb.Citation.Doc != "refunds.md" || !strings.Contains(kb.Text, "3-5 working days") {
		t.Errorf("help-center suggestion %+v", kb)
	}
	if mc := sources["macro"]; !strings.Contains(mc.Text, "order DD202611050002") || len(mc.Missing) != 0 {
		t.Errorf("macro suggestion %+v, want the order number filled", mc)
	}
	if sim := sources["similar"]; sim.ConversationID != "c0" || !strings.Contains(sim.Text, "warehouse") {
		t.Errorf("similar suggestion %+v", sim)
	}
	if len(set.Knowledge) != 1 || set.Knowledge[0].Title != "Refunds" {
		t.Errorf("knowledge %+v", set.Knowledge)
	}
	var refund *agentassist.Step
	for i, st := range set.NextSteps {
		if st.Action != nil && st.Action.Name == "get_refund" {
			refund = &set.NextSteps[i]
		}
	}
	if refund == nil || refund.Action.Params["order_id"] != "DD202611050002" || refund.Label != "Check the refund status" {
		t.Errorf("next steps %+v, want checking the refund of the order", set.NextSteps)
	}
	if set.Alert != nil {
		t.Errorf("alert %+v for a calm question", set.Alert)
	}
	if set.Summary == nil || set.Summary.OrderID != "DD202611050002" || set.Summary.Reason != "customer_request" {
		t.Errorf("summary %+v", set.Summary)
	}
	// The same set on GET.
	got, err := s.Latest(ctx, tenant, "c1")
	if err != nil || got.MessageID != m.ID || len(got.Suggestions) != 3 {
		t.Errorf("Latest = %+v, %v", got, err)
	}
}

func TestAngryCustomerRaisesAlert(t *testing.T) {
	ctx := context.Background()
	convs := newFakeConvs()
	s, _ := newService(convs)
	c := handedOff(convs, "c1")
	m := convs.say("c1", assist.AuthorCustomer, "THIS IS THE THIRD TIME I ASK. WHERE IS MY MONEY", "")
	set, err := s.Build(ctx, c, m)
	if err != nil {
		t.Fatal(err)
	}
	if set.Alert == nil || set.Alert.Level != agentassist.AlertCritical || set.Alert.Reason != agentassist.AlertAnger {
		t.Fatalf("alert %+v, want critical anger", set.Alert)
	}
	if set.Alert.Trend.Messages != 3 || set.Alert.Trend.EWMA >= -0.1 {
		t.Errorf("trend %+v, want the message folded into the bot's trend", set.Alert.Trend)
	}
	// Calm again: the mood keeps dropping only on bad messages.
	m2 := convs.say("c1", assist.AuthorCustomer, "ok thanks", "")
	set, _ = s.Build(ctx, c, m2)
	if set.Alert != nil && set.Alert.Reason == agentassist.AlertAnger {
		t.Errorf("calm message: alert %+v", set.Alert)
	}
}

func TestHandoffSummaryInCustomersLanguage(t *testing.T) {
	ctx := context.Background()
	convs := newFakeConvs()
	s, _ := newService(convs)
	c := &assist.Conversation{ID: "z1", TenantID: tenant, Lang: "zh", Owner: assist.OwnerQueue}
	convs.convs["z1"] = c
	q := convs.say("z1", assist.AuthorCustomer, "我要退货，订单DD202611010001，电话13800138000", "")
	convs.say("z1", assist.AuthorBot, "订单 DD202611010001 已经超过退货期（签收后 7 天内）。抱歉，无法在线办理退货。", q.ID)
	convs.states["z1"] = &dialog.State{Lang: "zh", Turns: 1,
		Intents:    []dialog.IntentNote{{Turn: 1, Label: "return_request", Confidence: 0.93}},
		Entities:   map[string]string{"order_id": "DD202611010001", "phone": "13800138000"},
		Sentiment:  sentiment.Trend{EWMA: -0.5, Messages: 1, NegativeRun: 1},
		Escalation: &dialog.Escalation{Reason: "no_automation", Turn: 1, Evidence: map[string]string{"intent": "return_request", "status": "not_allowed"}}}
	sum, err := s.Summarize(ctx, tenant, "z1")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Lang != "zh" || sum.Intent != "return_request" || sum.IntentText == "" || sum.IntentText == "return_request" || sum.OrderID != "DD202611010001" {
		t.Errorf("summary %+v", sum)
	}
	for _, want := range []string{"转人工摘要", "诉求", "DD202611010001", "超过退货期", "机器人不能自动办理「申请退货」", "机器人暂时无法处理此请求", "负面"} {
		if !strings.Contains(sum.Text, want) {
			t.Errorf("summary text lacks %q:\n%s", want, sum.Text)
		}
	}
	if strings.Contains(sum.Text, "13800138000") {
		t.Errorf("summary shows the customer's phone number:\n%s", sum.Text)
	}
	for _, internal := range []string{"依据", "status", "not_allowed", "intent"} {
		if strings.Contains(sum.Text, internal) {
			t.Errorf("summary shows the escalation's evidence (%q):\n%s", internal, sum.Text)
		}
	}
	note := s.HandoffNote(ctx, c, assist.Handoff{Reason: "no_automation"}, nil)
	if note != sum.Text {
		t.Errorf("ticket note differs from the summary")
	}
}

func TestMacros(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(newFakeConvs())
	bad := []agentassist.Macro{
		{Title: "", Lang: "en", Text: "hi"},
		{Title: "x", Lang: "fr", Text: "hi"},
		{Title: "x", Lang: "en", Text: "Your {{password}} is"},
	}
	for _, m := range bad {
		if _, err := s.SaveMacro(ctx, tenant, "sup", m); assist.ErrorCode(err) != assist.EINVALID {
			t.Errorf("SaveMacro(%+v) = %v, want invalid", m, err)
		}
	}
	m, err := s.SaveMacro(ctx, tenant, "sup", agentassist.Macro{Title: "Where", Lang: "zh", Intent: "track_shipment", Text: "您的包裹 {{tracking_number}} 正在路上。"})
	if err != nil || m.ID == "" || m.UpdatedBy != "sup" {
		t.Fatalf("SaveMacro = %+v, %v", m, err)
	}
	text, missing := m.Fill(map[string]string{"order_id": "DD1"})
	if text != "您的包裹 {{tracking_number}} 正在路上。" || len(missing) != 1 || missing[0] != "tracking_number" {
		t.Errorf("Fill = %q %v", text, missing)
	}
	if _, err := s.SaveMacro(ctx, tenant, "sup", agentassist.Macro{ID: "nope", Title: "x", Lang: "en", Text: "x"}); assist.ErrorCode(err) != assist.ENOTFOUND {
		t.Errorf("update of an unknown macro: %v", err)
	}
	if ms, _ := s.ListMacros(ctx, tenant, "en", ""); len(ms) != 0 {
		t.Errorf("English macros %+v", ms)
	}
	if err := s.DeleteMacro(ctx, tenant, m.ID); err != nil {
		t.Fatal(err)
	}
}

// fakeDrafter streams a draft that uses the customer's phone number by its
// placeholder, and keeps what it was sent.
type fakeDrafter struct{ sent chan models.ChatRequest }

func (f fakeDrafter) ChatStream(_ context.Context, req models.ChatRequest, onDelta func(string) error) error {
	f.sent <- req
	for _, d := range []string{"I'll call you on [PHONE_1] ", "about the refund of your order."} {
		if err := onDelta(d); err != nil {
			return err
		}
	}
	return nil
}

// draftNotifier collects Sets and drafts.
type draftNotifier struct {
	notifier
	drafts chan *agentassist.Draft
}

func (n draftNotifier) AssistDraft(_, _ string, d *agentassist.Draft) { n.drafts <- d }

// With an LLM, a draft follows the fast suggestions: everything sent to
// the model is masked, and the customer's data is restored in the draft
// the agent sees.
func TestLLMDraftIsMaskedAndRestored(t *testing.T) {
	ctx := context.Background()
	convs := newFakeConvs()
	s, n := newService(convs)
	dn := draftNotifier{notifier: n, drafts: make(chan *agentassist.Draft, 10)}
	s.Notifier = dn
	llm := fakeDrafter{sent: make(chan models.ChatRequest, 1)}
	s.Drafter = llm
	c := handedOff(convs, "c1")
	m := convs.say("c1", assist.AuthorCustomer, "Please call me on 13800138000 about my refund", "")
	s.Observe(ctx, conversation.Observation{Conversation: c, Message: m})
	select {
	case <-n.c:
	case <-time.After(5 * time.Second):
		t.Fatal("no fast suggestions")
	}
	req := <-llm.sent
	for _, msg := range req.Messages {
		if strings.Contains(msg.Content, "13800138000") {
			t.Errorf("the LLM was sent the phone number: %s", msg.Content)
		}
	}
	if !strings.Contains(req.Messages[1].Content, "[PHONE_1]") {
		t.Errorf("prompt without the placeholder: %s", req.Messages[1].Content)
	}
	var final *agentassist.Draft
	for final == nil {
		select {
		case d := <-dn.drafts:
			if d.Done {
				final = d
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no finished draft")
		}
	}
	if final.Suggestion.Source != "llm" || final.Suggestion.Text != "I'll call you on 13800138000 about the refund of your order." {
		t.Errorf("draft %+v", final.Suggestion)
	}
	set, _ := s.Latest(ctx, tenant, "c1")
	if last := set.Suggestions[len(set.Suggestions)-1]; last.Source != "llm" {
		t.Errorf("kept set's suggestions %+v, want the draft last", set.Suggestions)
	}
}
