package dialog

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/catalog"
	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/nlu"
	nlutext "github.com/assistd/assist/nlu/text"
	"github.com/assistd/assist/rag"
	"github.com/assistd/assist/sentiment"
)

// said is a scripted NLU result for one message.
type said struct {
	label    string
	conf     float32
	lang     nlu.Lang
	top2     string            // with ambiguous: the runner-up label
	entities map[string]string // entity text (as written in the message) → type
}

// script is a Parser answering scripted results; messages it does not know
// are out of scope.
type script map[string]said

func (s script) Parse(_ context.Context, text string) (nlu.Result, error) {
	d, ok := s[text]
	if !ok {
		d = said{label: nlu.OutOfScope, conf: 0.2}
	}
	lang := d.lang
	if lang == "" {
		lang = nlu.Lang(nlutext.Detect(text))
	}
	conf := d.conf
	if conf == 0 {
		conf = 0.9
	}
	res := nlu.Result{Text: text, Masked: text, Lang: lang, Intent: nlu.Intent{Label: d.label, Confidence: conf}}
	if d.top2 != "" {
		res.Intent.Ambiguous = true
		res.Intent.Top = []nlu.Scored{{Label: d.label, Score: conf}, {Label: d.top2, Score: conf - 0.05}}
	}
	for _, et := range sortedKeys(d.entities) {
		i := strings.Index(text, et)
		if i < 0 {
			// A broken script: the turn fails, and so does the test.
			return nlu.Result{}, fmt.Errorf("script: entity %q is not in %q", et, text)
		}
		res.Entities = append(res.Entities, nlu.Entity{Type: d.entities[et], Text: et, Value: strings.ToUpper(et), Start: i, End: i + len(et)})
	}
	return res, nil
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

// moods is a Scorer with scripted scores; other messages are neutral.
type moods struct {
	scores map[string]sentiment.Score
	err    error
}

func (m moods) Score(_ context.Context, text string) (sentiment.Score, error) {
	if m.err != nil {
		return sentiment.Score{}, m.err
	}
	if s, ok := m.scores[text]; ok {
		return s, nil
	}
	return sentiment.Score{Label: sentiment.Neutral}, nil
}

func negative(polarity, anger float32) sentiment.Score {
	return sentiment.Score{Label: sentiment.Negative, Polarity: polarity, Anger: anger}
}

// helpCenter is an Answerer that knows the questions containing one of its
// keys, and records every question asked (read) and every answer written,
// known or not. Like rag.Service it reads a question first (Draft) and
// answers from that reading (AnswerDraft).
type helpCenter struct {
	answers map[string]string
	asked   []string
	written []string
}

func (h *helpCenter) Answer(ctx context.Context, req rag.AnswerRequest, onDelta func(string) error) (rag.Answer, error) {
	d, err := h.Draft(ctx, req)
	if err != nil {
		return rag.Answer{}, err
	}
	return h.AnswerDraft(ctx, req, d, onDelta)
}

func (h *helpCenter) Draft(_ context.Context, req rag.AnswerRequest) (rag.Draft, error) {
	h.asked = append(h.asked, req.Question)
	for _, k := range sortedKeys(h.answers) {
		if strings.Contains(req.Question, k) {
			return rag.Draft{Text: h.answers[k], Confidence: 1, Hits: []rag.Hit{{Chunk: rag.Chunk{Title: "Help"}}}}, nil
		}
	}
	return rag.Draft{}, nil
}

func (h *helpCenter) AnswerDraft(_ context.Context, req rag.AnswerRequest, d rag.Draft, _ func(string) error) (rag.Answer, error) {
	h.written = append(h.written, req.Question)
	if h.Declines(d) {
		return rag.Answer{Text: "I don't know that one.", OfferHuman: true}, nil
	}
	return rag.Answer{Text: d.Text, Known: true, Sources: []rag.Source{{N: 1, Title: "Help"}}}, nil
}

func (h *helpCenter) Threshold() float64 { return 0.5 }

func (h *helpCenter) Declines(d rag.Draft) bool {
	return d.Confidence < h.Threshold() || len(d.Hits) == 0
}

// shop is a fake backend: orders by id, members by customer ref, and
// actions that fail.
type shop struct {
	orders  map[string]string // order id → status
	members map[string]string // customer ref → tier
	down    map[string]bool   // action → fails with EUNAVAILABLE
	calls   []flow.Request
}

func (s *shop) Call(_ context.Context, req flow.Request) (flow.Result, error) {
	s.calls = append(s.calls, req)
	if s.down[req.Action] {
		return flow.Result{}, assist.Errorf(assist.EUNAVAILABLE, "%s: shop is down", req.Action)
	}
	switch req.Action {
	case "get_member":
		tier, ok := s.members[req.CustomerRef]
		if !ok {
			return flow.Result{Status: "not_found"}, nil
		}
		return flow.Result{Status: flow.StatusOK, Data: map[string]any{"tier": tier}}, nil
	case "get_order":
		st, ok := s.orders[req.Params["order_id"]]
		if !ok {
			return flow.Result{Status: "not_found"}, nil
		}
		return flow.Result{Status: flow.StatusOK, Data: map[string]any{"order_id": req.Params["order_id"], "status": st}}, nil
	case "create_return":
		return flow.Result{Status: flow.StatusOK, Data: map[string]any{"return_id": "R-" + req.Params["order_id"]}}, nil
	case "issue_coupon":
		return flow.Result{Status: flow.StatusOK, Data: map[string]any{"code": "GW-" + req.Params["reason"], "amount": "30.00 CNY"}}, nil
	}
	return flow.Result{}, assist.Errorf(assist.ENOTFOUND, "no action %s", req.Action)
}

func (s *shop) count(action string) int {
	n := 0
	for _, c := range s.calls {
		if c.Action == action {
			n++
		}
	}
	return n
}

// step is one customer message and what the bot must do with it.
type step struct {
	say      string
	reply    []string          // each must appear in the reply's messages
	not      []string          // none may appear
	handoff  string            // the handoff reason; "" for none
	evidence map[string]string // the handoff's evidence, exactly, when not nil
	vip      bool
	check    func(t *testing.T, st *State)
}

type story struct {
	name     string
	customer string // the conversation's customer_ref
	lang     string // the conversation's language
	start    *State // the stored state before the first message
	nlu      script
	moods    map[string]sentiment.Score
	kb       map[string]string
	steps    []step
	noFlows  bool
	down     map[string]bool
}

func testShop() *shop {
	return &shop{
		orders:  map[string]string{"DD202611030001": "shipped", "DD202611050002": "paid", "DD202611010003": "delivered"},
		members: map[string]string{"vip-1": "gold", "plain-1": "standard"},
	}
}

func testEngine(t testing.TB, b flow.Backend) *flow.Engine {
	t.Helper()
	flows, err := flow.Load(os.DirFS("testdata/flows"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := flow.NewEngine(flows, b)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// play runs a story's steps, storing the state as JSON between turns as
// the conversation service does, so every turn starts from a restart.
func play(t *testing.T, s story) {
	b := testShop()
	b.down = s.down
	kb := &helpCenter{answers: s.kb}
	a := &Assistant{
		NLU:       s.nlu,
		Sentiment: moods{scores: s.moods},
		KB:        kb,
		Backend:   b,
		Flows:     testEngine(t, b),
		Rules:     DefaultRules(),
		Alpha:     0.5,
	}
	if s.noFlows {
		a.Flows = nil
	}
	conv := &assist.Conversation{ID: "c1", TenantID: "demo", CustomerRef: s.customer, Lang: s.lang}
	var stored []byte
	if s.start != nil {
		stored, _ = json.Marshal(s.start)
	}
	for i, st := range s.steps {
		var state *State
		if stored != nil {
			state = new(State)
			if err := json.Unmarshal(stored, state); err != nil {
				t.Fatalf("step %d: decoding the stored state: %v", i+1, err)
			}
		}
		r, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: st.say}, State: state})
		if err != nil {
			t.Fatalf("step %d %q: %v", i+1, st.say, err)
		}
		if r.State == nil {
			t.Fatalf("step %d %q: no state in the reply", i+1, st.say)
		}
		all := strings.Join(r.Messages, "\n")
		for _, w := range st.reply {
			if !strings.Contains(all, w) {
				t.Errorf("step %d %q: reply %q, want it to contain %q", i+1, st.say, all, w)
			}
		}
		for _, w := range st.not {
			if strings.Contains(all, w) {
				t.Errorf("step %d %q: reply %q, want no %q", i+1, st.say, all, w)
			}
		}
		switch {
		case st.handoff == "" && r.Handoff != nil:
			t.Errorf("step %d %q: handed off (%s %v), want the bot to go on", i+1, st.say, r.Handoff.Reason, r.Handoff.Evidence)
		case st.handoff != "" && r.Handoff == nil:
			t.Errorf("step %d %q: no handoff, want %s; reply %q", i+1, st.say, st.handoff, all)
		case st.handoff != "":
			h := r.Handoff
			if h.Reason != st.handoff {
				t.Errorf("step %d %q: handoff %s, want %s", i+1, st.say, h.Reason, st.handoff)
			}
			if st.evidence != nil && !reflect.DeepEqual(h.Evidence, st.evidence) {
				t.Errorf("step %d %q: evidence %v, want %v", i+1, st.say, h.Evidence, st.evidence)
			}
			if h.VIP != st.vip {
				t.Errorf("step %d %q: VIP %v, want %v", i+1, st.say, h.VIP, st.vip)
			}
			if h.Sentiment != float64(r.State.Sentiment.EWMA) {
				t.Errorf("step %d %q: handoff sentiment %v, want the trend %v", i+1, st.say, h.Sentiment, r.State.Sentiment.EWMA)
			}
			if e := r.State.Escalation; e == nil || e.Reason != h.Reason || e.Turn != r.State.Turns || !reflect.DeepEqual(e.Evidence, h.Evidence) {
				t.Errorf("step %d %q: state escalation %+v, want it to match the handoff %+v", i+1, st.say, e, h)
			}
			if r.State.Flow != nil && h.Reason != ReasonAnger && h.Reason != ReasonVIPComplaint { // answer and queue keeps it (upset.go)
				t.Errorf("step %d %q: a flow survived the handoff", i+1, st.say)
			}
			if !strings.Contains(all, catalog.Default().Say(r.State.Lang, "escalation.next")) && !strings.Contains(all, HandoffText(r.State.Lang)) && !strings.Contains(all, HandoffText("en")) {
				t.Errorf("step %d %q: reply %q does not say the customer can keep writing", i+1, st.say, all)
			}
		}
		if r.State.Turns != i+1+startTurns(s.start) {
			t.Errorf("step %d: state turns %d", i+1, r.State.Turns)
		}
		if st.check != nil {
			st.check(t, r.State)
		}
		var err2 error
		if stored, err2 = json.Marshal(r.State); err2 != nil {
			t.Fatal(err2)
		}
		var back State
		if err := json.Unmarshal(stored, &back); err != nil || !reflect.DeepEqual(back.Clone(), r.State.Clone()) && !jsonEqual(t, &back, r.State) {
			t.Errorf("step %d: the state does not survive a JSON round trip: %+v vs %+v", i+1, back, *r.State)
		}
	}
}

func startTurns(s *State) int {
	if s == nil {
		return 0
	}
	return s.Turns
}

// jsonEqual compares two states by their JSON (a decoded Result.Data holds
// float64 where the engine stored ints).
func jsonEqual(t *testing.T, a, b *State) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func inFlow(name, awaiting string) func(*testing.T, *State) {
	return func(t *testing.T, st *State) {
		t.Helper()
		switch {
		case name == "" && st.Flow != nil:
			t.Errorf("flow %s still in progress, want none", st.Flow.Flow)
		case name != "" && (st.Flow == nil || st.Flow.Flow != name || st.Flow.Awaiting != awaiting):
			t.Errorf("flow %+v, want %s awaiting %s", st.Flow, name, awaiting)
		}
	}
}

func TestEscalationRules(t *testing.T) {
	stories := []story{
		{
			name: "customer_request by intent",
			nlu:  script{"我要找客服": {label: "human_agent", conf: 0.93}},
			steps: []step{{say: "我要找客服", handoff: ReasonCustomerRequest, reply: []string{"人工客服", "继续留言"},
				evidence: map[string]string{"intent": "human_agent", "confidence": "0.93"}}},
		},
		{
			name: "customer_request by phrase when the model is unsure",
			nlu:  script{"can I talk to a real person": {label: "complaint", top2: "return_policy"}},
			steps: []step{{say: "can I talk to a real person", handoff: ReasonCustomerRequest, reply: []string{"a person from our support team", "keep writing"},
				evidence: map[string]string{"phrase": "real person"}}},
		},
		{
			name: "人工 in the middle of a flow",
			nlu:  script{"查订单": {label: "order_status"}, "转人工吧": {label: nlu.OutOfScope, conf: 0.3}},
			steps: []step{
				{say: "查订单", reply: []string{"请提供订单号"}, check: inFlow("order_status", "order")},
				{say: "转人工吧", handoff: ReasonCustomerRequest, evidence: map[string]string{"phrase": "转人工"}, check: inFlow("", "")},
			},
		},
		{
			name:  "anger",
			nlu:   script{"你们这什么破服务！": {label: nlu.OutOfScope}},
			moods: map[string]sentiment.Score{"你们这什么破服务！": negative(-0.9, 0.86)},
			steps: []step{{say: "你们这什么破服务！", handoff: ReasonAnger, reply: []string{"抱歉", "继续留言"},
				evidence: map[string]string{"anger": "0.86", "threshold": "0.70", "hostile": "insult"}}},
		},
		{
			name: "negative_trend over three messages",
			nlu:  script{"shipping is slow": {label: "shipping_fee"}, "still nothing": {label: nlu.OutOfScope}, "this is bad": {label: nlu.OutOfScope}},
			moods: map[string]sentiment.Score{
				"shipping is slow": negative(-0.6, 0.1), "still nothing": negative(-0.4, 0.2), "this is bad": negative(-0.9, 0.3),
			},
			kb: map[string]string{"shipping": "Standard shipping takes 2-4 days."},
			steps: []step{
				{say: "shipping is slow", reply: []string{"2-4 days"}},
				{say: "still nothing", reply: []string{"rephrase"}},
				{say: "this is bad", handoff: ReasonNegativeTrend, reply: []string{"hassle"},
					evidence: map[string]string{"negative_run": "3", "ewma": "-0.70", "threshold": "-0.40"}},
			},
		},
		{
			// "这总算质量问题吧" asks to be told yes: asking on, not voicing
			// discontent, however negative the messages before.
			name: "a question ending in a confirming 吧 is no negative trend",
			nlu:  script{"降噪效果一般般 能退吗": {label: "return_policy"}, "啊？？那降噪时有时无的 这总算质量问题吧": {label: nlu.OutOfScope}},
			moods: map[string]sentiment.Score{
				"降噪效果一般般 能退吗": negative(-0.6, 0.1), "啊？？那降噪时有时无的 这总算质量问题吧": negative(-0.9, 0.3),
			},
			kb: map[string]string{"退": "签收 7 天内可无理由退货。", "质量问题": "质量问题签收 15 天内可退货。"},
			steps: []step{
				{say: "降噪效果一般般 能退吗", reply: []string{"7 天"}},
				{say: "啊？？那降噪时有时无的 这总算质量问题吧", reply: []string{"15 天"}, not: []string{"人工"}},
			},
		},
		{
			name: "a positive message breaks the negative run",
			nlu:  script{},
			moods: map[string]sentiment.Score{
				"meh": negative(-0.6, 0.1), "meh again": negative(-0.6, 0.1), "ok good": {Label: sentiment.Positive, Polarity: 0.8}, "meh once more": negative(-0.6, 0.1),
			},
			kb: map[string]string{"meh": "Meh is our product line.", "ok good": "Good."},
			steps: []step{
				{say: "meh"}, {say: "meh again"}, {say: "ok good"}, {say: "meh once more", check: func(t *testing.T, st *State) {
					if st.Sentiment.NegativeRun != 1 || st.Sentiment.Messages != 4 {
						t.Errorf("trend %+v, want a run of 1 after 4 messages", st.Sentiment)
					}
				}},
			},
		},
		{
			name: "repeated_fallback after two messages the bot does not understand",
			nlu:  script{},
			steps: []step{
				{say: "blorp", reply: []string{"rephrase", "For example"}, check: func(t *testing.T, st *State) {
					if st.Fallbacks != 1 {
						t.Errorf("fallbacks %d, want 1", st.Fallbacks)
					}
				}},
				// Not understood twice: the bot says what it can do and asks
				// before queueing; a yes hands off.
				{say: "zzzk qq", reply: []string{"still can't follow", "check orders", "connect you"}, not: []string{"rephrase"}, check: func(t *testing.T, st *State) {
					if st.Offered != ReasonRepeatedFallback {
						t.Errorf("offered %q, want %s", st.Offered, ReasonRepeatedFallback)
					}
				}},
				{say: "yes", handoff: ReasonRepeatedFallback, evidence: map[string]string{"accepted": "offer"}},
			},
		},
		{
			name: "off-topic chat twice is answered, not queued",
			nlu:  script{},
			steps: []step{
				{say: "tell me a joke", reply: []string{"rephrase"}},
				{say: "one more joke", reply: []string{"check orders", "connect you"}},
				{say: "no thanks", reply: []string{"won't bring anyone in"}},
			},
		},
		{
			name: "an understood turn resets the fallbacks",
			nlu:  script{"hello there": {label: "greeting"}},
			steps: []step{
				{say: "blorp", reply: []string{"rephrase"}},
				{say: "hello there", reply: []string{"Hi!"}, check: func(t *testing.T, st *State) {
					if st.Fallbacks != 0 {
						t.Errorf("fallbacks %d after a greeting, want 0", st.Fallbacks)
					}
				}},
				{say: "zzzk qq", reply: []string{"rephrase"}},
			},
		},
		{
			name: "a help-center question the base does not know counts as a fallback",
			nlu:  script{"do you sell gift cards": {label: "promotion_rules"}, "gift cards for birthdays": {label: "promotion_rules"}},
			steps: []step{
				{say: "do you sell gift cards", reply: []string{"don't know"}},
				{say: "gift cards for birthdays", reply: []string{"don't know"}, check: func(t *testing.T, st *State) {
					if st.Offered != ReasonRepeatedFallback {
						t.Errorf("offered %q, want %s", st.Offered, ReasonRepeatedFallback)
					}
				}},
			},
		},
		{
			name:     "vip_complaint from a gold member",
			customer: "vip-1",
			nlu:      script{"I want to complain about the courier": {label: "complaint", conf: 0.88}},
			// The shop's goodwill playbook: a coupon for a VIP's grievance,
			// its amount the shop's, recorded with the hand-off.
			steps: []step{{say: "I want to complain about the courier", handoff: ReasonVIPComplaint, vip: true, reply: []string{"valued members", "30.00 CNY coupon", "GW-vip_complaint"},
				evidence: map[string]string{"tier": "gold", "coupon": "GW-vip_complaint"}, check: func(t *testing.T, st *State) {
					if st.Tier != "gold" || !slices.Equal(st.Coupons, []string{ReasonVIPComplaint}) {
						t.Errorf("tier %q, coupons %v not remembered", st.Tier, st.Coupons)
					}
				}}},
		},
		{
			// indignation words count only in a negative message: praise
			// ("unbelievable, so soft!") and plain fact ("five years a
			// member") from a gold member are answered, not handed off
			name:     "a gold member's praise with an indignation word is answered",
			customer: "vip-1",
			nlu:      script{"the sweater is unbelievable, so soft! is it washable?": {label: "product_inquiry", conf: 0.9}, "这价格便宜得离谱 还能用优惠券吗": {label: "coupon", conf: 0.9}},
			kb:       map[string]string{"washable": "Hand wash cold.", "优惠券": "每单可用一张优惠券。"},
			steps: []step{
				{say: "the sweater is unbelievable, so soft! is it washable?", reply: []string{"Hand wash cold."}, not: []string{"valued members"}},
				{say: "这价格便宜得离谱 还能用优惠券吗", reply: []string{"每单可用一张优惠券。"}},
			},
		},
		{
			name:     "a gold member's indignation in a negative message is a vip complaint",
			customer: "vip-1",
			nlu:      script{"twelve years a customer and my parcel is lost again": {label: nlu.OutOfScope, conf: 0.3}},
			moods:    map[string]sentiment.Score{"twelve years a customer and my parcel is lost again": negative(-0.8, 0.3)},
			steps:    []step{{say: "twelve years a customer and my parcel is lost again", handoff: ReasonVIPComplaint, vip: true, reply: []string{"valued members"}}},
		},
		{
			name:     "complaint from a standard member",
			customer: "plain-1",
			nlu:      script{"我要投诉快递员": {label: "complaint", conf: 0.88}},
			steps: []step{{say: "我要投诉快递员", handoff: ReasonComplaint, reply: []string{"投诉"},
				evidence: map[string]string{"intent": "complaint", "confidence": "0.88"}}},
		},
		{
			name:     "an angry complaint from a VIP is anger, marked VIP",
			customer: "vip-1",
			nlu:      script{"我要投诉你们的快递员，态度太差了！": {label: "complaint", conf: 0.9}},
			moods:    map[string]sentiment.Score{"我要投诉你们的快递员，态度太差了！": negative(-0.9, 0.95)},
			steps: []step{{say: "我要投诉你们的快递员，态度太差了！", handoff: ReasonAnger, vip: true, check: func(t *testing.T, st *State) {
				if n := len(st.Intents); n != 1 || st.Intents[0].Label != "complaint" || st.Intents[0].Turn != 1 {
					t.Errorf("intents %+v, want the complaint noted on turn 1", st.Intents)
				}
			}}},
		},
		{
			name:     "complaint when the member lookup fails",
			customer: "vip-1",
			down:     map[string]bool{"get_member": true},
			nlu:      script{"I want to complain": {label: "complaint", conf: 0.88}},
			steps:    []step{{say: "I want to complain", handoff: ReasonComplaint}},
		},
		{
			name:     "action_failed when the shop is down",
			customer: "plain-1",
			down:     map[string]bool{"create_return": true},
			nlu: script{
				"我要退货 DD202611010003": {label: "return_request", entities: map[string]string{"DD202611010003": "order_id"}},
				"尺码不合适":               {label: nlu.OutOfScope},
				"确认":                  {label: nlu.OutOfScope},
			},
			steps: []step{
				{say: "我要退货 DD202611010003", reply: []string{"退货原因"}, check: inFlow("return_request", "reason")},
				{say: "尺码不合适", reply: []string{"确认退货DD202611010003"}, check: inFlow("return_request", "confirm")},
				{say: "确认", handoff: ReasonActionFailed, reply: []string{"人工客服", "继续留言"}, evidence: map[string]string{
					"flow": "return_request", "step": "create", "action": "create_return", "error": assist.EUNAVAILABLE}},
			},
		},
		{
			name:  "back from a person: the bot carries on",
			start: &State{Lang: "en", Turns: 4, Fallbacks: 2, Escalation: &Escalation{Reason: ReasonAnger, Turn: 4}, Flow: &flow.Run{Flow: "order_status", Step: "ask_order", Awaiting: "order"}},
			nlu:   script{"thanks, one more thing": {label: "thanks"}},
			steps: []step{{say: "thanks, one more thing", reply: []string{"welcome"}, check: func(t *testing.T, st *State) {
				if st.Escalation != nil || st.Flow != nil || st.Fallbacks != 0 {
					t.Errorf("state %+v, want the escalation, flow and fallbacks cleared", st)
				}
			}}},
		},
		{
			name: "a task without flows: the bot says so and asks before queueing",
			nlu:  script{"where is DD202611030001": {label: "order_status", entities: map[string]string{"DD202611030001": "order_id"}}},
			steps: []step{
				{say: "where is DD202611030001", reply: []string{"check an order's status", "Would you like me to connect you"}},
				{say: "yes please", handoff: ReasonNoAutomation},
			},
			noFlows: true,
		},
		{
			name:  "a person offered and declined: the bot goes on",
			nlu:   script{"我要换货": {label: "exchange_request"}},
			steps: []step{{say: "我要换货", reply: []string{"换货", "转接人工"}}, {say: "不用了", reply: []string{"不转人工"}}},
		},
	}
	for _, s := range stories {
		t.Run(s.name, func(t *testing.T) { play(t, s) })
	}
}

func TestRepair(t *testing.T) {
	stories := []story{
		{
			name: "clarify, then the second option",
			nlu: script{
				"DD202611010003 退一下还是查一下": {label: "order_status", top2: "return_request", entities: map[string]string{"DD202611010003": "order_id"}},
				"第二个": {label: nlu.OutOfScope},
			},
			steps: []step{
				{say: "DD202611010003 退一下还是查一下", reply: []string{"您是想查询订单状态，还是申请退货？"}, check: func(t *testing.T, st *State) {
					if !reflect.DeepEqual(st.Clarify, []string{"order_status", "return_request"}) {
						t.Errorf("clarify %v", st.Clarify)
					}
				}},
				{say: "第二个", reply: []string{"退货原因"}, check: func(t *testing.T, st *State) {
					inFlow("return_request", "reason")(t, st)
					if st.Clarify != nil || st.Flow.Slots["order"] != "DD202611010003" {
						t.Errorf("clarify %v slots %v, want the order carried and the question cleared", st.Clarify, st.Flow.Slots)
					}
				}},
			},
		},
		{
			name: "clarify, then the first option",
			nlu: script{
				"DD202611030001 please": {label: "order_status", top2: "return_request", entities: map[string]string{"DD202611030001": "order_id"}},
				"the first one":         {label: nlu.OutOfScope},
			},
			steps: []step{
				{say: "DD202611030001 please", reply: []string{"Do you want to check an order's status, or return an item?"}},
				{say: "the first one", reply: []string{"Order DD202611030001: shipped"}, check: inFlow("", "")},
			},
		},
		{
			name: "clarify between two questions, picked by keyword",
			nlu: script{
				"退货要钱吗": {label: "return_policy", top2: "shipping_fee"},
				"运费":    {label: nlu.OutOfScope},
			},
			kb: map[string]string{"退货要钱吗": "退货运费由买家承担。"},
			steps: []step{
				{say: "退货要钱吗", reply: []string{"您是想了解退货政策，还是咨询运费？"}},
				{say: "运费", reply: []string{"退货运费由买家承担", "来源"}},
			},
		},
		{
			name: "two options offered: asked even when the model is sure",
			nlu: script{
				"这个想退或者换": {label: "return_request", conf: 0.95},
				"第一个":     {label: nlu.OutOfScope},
			},
			steps: []step{
				{say: "这个想退或者换", reply: []string{"您是想申请退货，还是换货？"}, check: func(t *testing.T, st *State) {
					if !reflect.DeepEqual(st.Clarify, []string{"return_request", "exchange_request"}) || st.Flow != nil {
						t.Errorf("clarify %v flow %v", st.Clarify, st.Flow)
					}
				}},
				{say: "第一个", reply: []string{"要退哪个订单"}, check: func(t *testing.T, st *State) {
					if n := st.Intents[len(st.Intents)-1]; n.Label != "return_request" || st.Clarify != nil {
						t.Errorf("intent %+v clarify %v, want return_request picked", n, st.Clarify)
					}
				}},
			},
		},
		{
			name:  "return or exchange in English",
			nlu:   script{"I want to return or exchange this": {label: "return_request", conf: 0.9}},
			steps: []step{{say: "I want to return or exchange this", reply: []string{"Do you want to return an item, or exchange an item?"}}},
		},
		{
			name: "还是 meaning still is not a choice",
			nlu:  script{"退货了还是没收到退款": {label: "return_policy", conf: 0.9}},
			kb:   map[string]string{"退货了还是没收到退款": "退款在仓库签收后 1–3 个工作日原路退回。"},
			steps: []step{{say: "退货了还是没收到退款", not: []string{"您是想"}, check: func(t *testing.T, st *State) {
				if st.Clarify != nil {
					t.Errorf("clarify %v, want none", st.Clarify)
				}
			}}},
		},
		{
			name: "siblings need no question",
			nlu: script{
				"我的订单DD202611030001到哪了？": {label: "order_status", top2: "track_shipment", entities: map[string]string{"DD202611030001": "order_id"}},
			},
			steps: []step{{say: "我的订单DD202611030001到哪了？", reply: []string{"订单DD202611030001：shipped"}, not: []string{"还是"}, check: func(t *testing.T, st *State) {
				if st.Clarify != nil || st.Intents[len(st.Intents)-1].Label != "order_status" {
					t.Errorf("clarify %v intents %+v", st.Clarify, st.Intents)
				}
			}}},
		},
		{
			name: "a named order settles a task against a question",
			nlu: script{
				"订单DD202611010003要退货": {label: "return_policy", top2: "return_request", entities: map[string]string{"DD202611010003": "order_id"}},
			},
			steps: []step{{say: "订单DD202611010003要退货", reply: []string{"退货原因是？"}, check: inFlow("return_request", "reason")}},
		},
		{
			name: "a new question after a clarification is not a pick",
			nlu: script{
				"退货要钱吗": {label: "return_policy", top2: "shipping_fee"},
			},
			kb: map[string]string{"退货要钱吗": "退货运费由买家承担。"},
			steps: []step{
				{say: "退货要钱吗", reply: []string{"还是"}},
				// A charge the customer thinks was too high: a person is
				// offered (staffonly.go), the option is not picked.
				{say: "我上次买的那件衣服运费好像多收了一些你们帮忙看看", reply: []string{"转接人工客服吗"}, not: []string{"买家承担"}},
			},
		},
		{
			name:  "a task no flow runs, answered by the help center",
			nlu:   script{"which payment methods do you take": {label: "payment_issue"}},
			kb:    map[string]string{"payment methods": "We take cards and Alipay."},
			steps: []step{{say: "which payment methods do you take", reply: []string{"Alipay", "Sources"}}},
		},
		{
			name: "clarify, then something else",
			nlu: script{
				"退货要钱吗": {label: "return_policy", top2: "shipping_fee"},
				"你好":    {label: "greeting"},
			},
			steps: []step{
				{say: "退货要钱吗", reply: []string{"还是"}},
				{say: "你好", reply: []string{"您好"}, check: func(t *testing.T, st *State) {
					if st.Clarify != nil {
						t.Errorf("clarify %v, want it cleared", st.Clarify)
					}
				}},
			},
		},
		{
			name: "an ambiguous pair with small talk is a question",
			nlu:  script{"hi, returns?": {label: "greeting", top2: "return_policy"}},
			kb:   map[string]string{"returns": "Returns are free within 7 days."},
			steps: []step{{say: "hi, returns?", reply: []string{"7 days"}, check: func(t *testing.T, st *State) {
				if st.Clarify != nil {
					t.Errorf("clarify %v", st.Clarify)
				}
			}}},
		},
		{
			name: "cancel a flow",
			nlu:  script{"查订单": {label: "order_status"}, "算了": {label: nlu.OutOfScope}},
			steps: []step{
				{say: "查订单", check: inFlow("order_status", "order")},
				{say: "算了", reply: []string{"已经停下了"}, check: inFlow("", "")},
			},
		},
		{
			name: "算了 at a confirmation is the flow's no",
			nlu: script{
				"退货 DD202611010003": {label: "return_request", entities: map[string]string{"DD202611010003": "order_id"}},
				"质量问题":              {label: nlu.OutOfScope},
				"算了":                {label: nlu.OutOfScope},
			},
			steps: []step{
				{say: "退货 DD202611010003", reply: []string{"退货原因是？"}},
				{say: "质量问题", reply: []string{"确认退货DD202611010003吗？"}},
				{say: "算了", reply: []string{"好的，不退了。"}, not: []string{"已经停下了"}, check: inFlow("", "")},
			},
		},
		{
			name: "never mind while asking for a slot drops the flow",
			nlu: script{
				"return DD202611010003 please": {label: "return_request", entities: map[string]string{"DD202611010003": "order_id"}},
				"never mind":                   {label: nlu.OutOfScope},
			},
			steps: []step{
				{say: "return DD202611010003 please", reply: []string{"Why are you returning it?"}},
				{say: "never mind", reply: []string{"OK, I've stopped that."}, check: inFlow("", "")},
			},
		},
		{
			name: "digression to the help center, then the flow resumes",
			nlu: script{
				"我要退货 DD202611010003": {label: "return_request", entities: map[string]string{"DD202611010003": "order_id"}},
				"退货运费谁出？":             {label: "shipping_fee"},
				"尺码不合适":               {label: nlu.OutOfScope},
			},
			kb: map[string]string{"运费": "质量问题退货运费由我们承担。"},
			steps: []step{
				{say: "我要退货 DD202611010003", reply: []string{"退货原因是？"}},
				{say: "退货运费谁出？", reply: []string{"运费由我们承担", "退货原因是？"}, check: inFlow("return_request", "reason")},
				{say: "尺码不合适", reply: []string{"确认退货DD202611010003吗？"}, check: inFlow("return_request", "confirm")},
			},
		},
		{
			name: "an unplaced message mid-flow goes to the flow",
			nlu:  script{"查订单": {label: "order_status"}},
			steps: []step{
				{say: "查订单", check: inFlow("order_status", "order")},
				{say: "嗯嗯嗯", reply: []string{"请提供订单号"}, check: inFlow("order_status", "order")},
			},
		},
		{
			name: "another task drops the flow",
			nlu: script{
				"查订单":  {label: "order_status"},
				"我要退货": {label: "return_request"},
			},
			steps: []step{
				{say: "查订单", check: inFlow("order_status", "order")},
				{say: "我要退货", reply: []string{"先不查询订单状态了", "要退哪个订单？"}, check: inFlow("return_request", "order")},
			},
		},
		{
			name: "a task no flow runs, mid-flow: a person is offered",
			nlu:  script{"查订单": {label: "order_status"}, "我付不了款": {label: "payment_issue"}},
			steps: []step{
				{say: "查订单", check: inFlow("order_status", "order")},
				{say: "我付不了款", reply: []string{"解决支付问题", "转接人工"}, check: inFlow("", "")},
				{say: "好的", handoff: ReasonNoAutomation},
			},
		},
		{
			name: "thanks mid-flow, then the question again",
			nlu:  script{"check my order": {label: "order_status"}, "thank you": {label: "thanks"}},
			steps: []step{
				{say: "check my order"},
				{say: "thank you", reply: []string{"welcome", "What's the order number?"}, check: inFlow("order_status", "order")},
			},
		},
		{
			name: "a short question right after an order's answer asks about that order again",
			nlu: script{
				"DD202611010003 到哪了":              {label: "order_status", entities: map[string]string{"DD202611010003": "order_id"}},
				"那明天能到吗？":                         {label: nlu.OutOfScope},
				"who will win the match tonight?": {label: nlu.OutOfScope},
			},
			steps: []step{
				{say: "DD202611010003 到哪了", reply: []string{"订单DD202611010003：delivered"}},
				{say: "那明天能到吗？", reply: []string{"订单DD202611010003：delivered"}, check: func(t *testing.T, st *State) {
					if n := st.Intents[len(st.Intents)-1]; n.Label != "order_status" || n.Turn != 2 {
						t.Errorf("last intent %+v, want order_status on turn 2", n)
					}
				}},
				{say: "who will win the match tonight?", not: []string{"DD202611010003"}},
			},
		},
		{
			name: "elliptical: 那退货呢 after an order",
			nlu: script{
				"DD202611010003 到哪了": {label: "order_status", entities: map[string]string{"DD202611010003": "order_id"}},
				"那退货呢？":              {label: nlu.OutOfScope},
			},
			steps: []step{
				{say: "DD202611010003 到哪了", reply: []string{"订单DD202611010003：delivered"}, check: inFlow("", "")},
				{say: "那退货呢？", reply: []string{"退货原因是？"}, check: func(t *testing.T, st *State) {
					inFlow("return_request", "reason")(t, st)
					if n := st.Intents[len(st.Intents)-1]; n.Label != "return_request" || n.Turn != 2 {
						t.Errorf("last intent %+v, want return_request on turn 2", n)
					}
				}},
			},
		},
		{
			name: "elliptical: 那DD…呢 re-runs the last task with the new order",
			nlu: script{
				"DD202611030001 到哪了": {label: "order_status", entities: map[string]string{"DD202611030001": "order_id"}},
				"那DD202611050002呢":   {label: nlu.OutOfScope, entities: map[string]string{"DD202611050002": "order_id"}},
			},
			steps: []step{
				{say: "DD202611030001 到哪了", reply: []string{"shipped"}},
				{say: "那DD202611050002呢", reply: []string{"订单DD202611050002：paid"}, check: func(t *testing.T, st *State) {
					if st.Entities["order_id"] != "DD202611050002" {
						t.Errorf("entities %v", st.Entities)
					}
				}},
			},
		},
		{
			name: "elliptical: a new order the model finds ambiguous re-runs the last task, no question",
			nlu: script{
				"DD202611030001 到哪了": {label: "order_status", entities: map[string]string{"DD202611030001": "order_id"}},
				"那DD202611050002呢":   {label: "delivery_problem", top2: "refund_status", entities: map[string]string{"DD202611050002": "order_id"}},
			},
			steps: []step{
				{say: "DD202611030001 到哪了", reply: []string{"shipped"}},
				{say: "那DD202611050002呢", reply: []string{"订单DD202611050002：paid"}, check: func(t *testing.T, st *State) {
					if len(st.Clarify) != 0 {
						t.Errorf("clarify %v, want none", st.Clarify)
					}
				}},
			},
		},
		{
			name: "elliptical: what about returns?",
			nlu: script{
				"where is DD202611010003": {label: "order_status", entities: map[string]string{"DD202611010003": "order_id"}},
				"what about returns?":     {label: "return_policy", top2: "return_request"},
			},
			steps: []step{
				{say: "where is DD202611010003", reply: []string{"Order DD202611010003: delivered"}},
				{say: "what about returns?", reply: []string{"Why are you returning it?"}, check: inFlow("return_request", "reason")},
			},
		},
		{
			name: "elliptical: and the blue one? re-asks the last question",
			nlu: script{
				"is the red scarf in stock": {label: "stock_availability"},
				"and the blue one?":         {label: nlu.OutOfScope},
			},
			kb: map[string]string{"blue": "The blue scarf is back next week.", "red scarf": "The red scarf is in stock."},
			steps: []step{
				{say: "is the red scarf in stock", reply: []string{"red scarf is in stock"}, check: func(t *testing.T, st *State) {
					if st.Question != "is the red scarf in stock" {
						t.Errorf("question %q", st.Question)
					}
				}},
				{say: "and the blue one?", reply: []string{"blue scarf is back"}, check: func(t *testing.T, st *State) {
					if st.Question != "is the red scarf in stock" {
						t.Errorf("question %q, want the first one kept", st.Question)
					}
				}},
			},
		},
		{
			name: "a long unplaced message is not a follow-up",
			nlu:  script{"where is DD202611010003": {label: "order_status", entities: map[string]string{"DD202611010003": "order_id"}}},
			steps: []step{
				{say: "where is DD202611010003"},
				{say: "and then my neighbour said the weather would be cold all week long", reply: []string{"rephrase"}, check: inFlow("", "")},
			},
		},
		{
			name: "the language sticks, and switches when the customer does",
			lang: "zh",
			nlu:  script{"ok": {label: "thanks", lang: nlu.LangEN}, "thanks a lot": {label: "thanks", lang: nlu.LangEN}},
			steps: []step{
				{say: "ok", reply: []string{"不客气"}},
				{say: "thanks a lot", reply: []string{"You're welcome"}, check: func(t *testing.T, st *State) {
					if st.Lang != "en" {
						t.Errorf("lang %q, want en", st.Lang)
					}
				}},
				{say: "ok", reply: []string{"You're welcome"}},
			},
		},
	}
	for _, s := range stories {
		t.Run(s.name, func(t *testing.T) { play(t, s) })
	}
}

func TestSentimentErrorIgnored(t *testing.T) {
	kb := &helpCenter{answers: map[string]string{"invoice": "Invoices are in your account."}}
	a := &Assistant{NLU: script{"invoice please": {label: "invoice"}}, Sentiment: moods{err: assist.Errorf(assist.EUNAVAILABLE, "no model")}, KB: kb, Rules: DefaultRules()}
	r, err := a.Respond(context.Background(), Turn{Conversation: &assist.Conversation{ID: "c1"}, Message: &assist.Message{Text: "invoice please"}})
	if err != nil || r.Handoff != nil || !strings.Contains(r.Messages[0], "Invoices") || r.State.Sentiment.Messages != 0 {
		t.Errorf("reply %+v, %v; want the answer without a score", r, err)
	}
}

func TestIntentsBounded(t *testing.T) {
	st := &State{}
	for i := range 8 {
		st.Turns = i + 1
		st.note("coupon", 0.9)
	}
	if len(st.Intents) != MaxIntents || st.Intents[0].Turn != 4 || st.Intents[MaxIntents-1].Turn != 8 {
		t.Errorf("intents %+v, want the newest %d", st.Intents, MaxIntents)
	}
}

// The input state is not changed: the reply carries the new one.
func TestRespondDoesNotChangeTheTurnState(t *testing.T) {
	b := testShop()
	a := &Assistant{NLU: script{"查订单": {label: "order_status"}}, Flows: testEngine(t, b), Rules: DefaultRules()}
	in := &State{Lang: "zh", Turns: 2, Entities: map[string]string{"phone": "13800138000"}}
	before, _ := json.Marshal(in)
	r, err := a.Respond(context.Background(), Turn{Conversation: &assist.Conversation{ID: "c1"}, Message: &assist.Message{Text: "查订单"}, State: in})
	if err != nil {
		t.Fatal(err)
	}
	after, _ := json.Marshal(in)
	if string(before) != string(after) || r.State == in || r.State.Turns != 3 || r.State.Flow == nil {
		t.Errorf("turn state changed to %s, reply state %+v", after, r.State)
	}
}

// Every intent the bot may name has a distinct name in each language.
func TestDisplayNames(t *testing.T) {
	c := catalog.Default()
	seen := map[string]bool{}
	for _, in := range c.Intents() {
		zh, en := DisplayName(in.Label, "zh"), DisplayName(in.Label, "en")
		if nlutext.Detect(zh) != nlutext.ZH || nlutext.Detect(en) != nlutext.EN || seen[zh] || seen[en] {
			t.Errorf("%s: display names %q / %q: want distinct names in each language", in.Label, zh, en)
		}
		seen[zh], seen[en] = true, true
	}
	if DisplayName("no_such", "zh") != "no_such" {
		t.Error("unknown label not returned as is")
	}
}

func TestTextHelpers(t *testing.T) {
	for _, tc := range []struct {
		text       string
		cancel     bool
		human, cue string
		asked      bool // asked for a person, in whatever words (human unchecked)
	}{
		{text: "算了", cancel: true},
		{text: "ok"},
		{text: "Never mind.", cancel: true},
		{text: "stop", cancel: true},
		{text: "stop sending me emails about the sale"},
		{text: "我要转人工", human: "转人工"},
		{text: "人工智能客服真厉害"},
		{text: "are you a human?", human: "human"},
		{text: "my agents' fees"},
		{text: "那退货呢？", cue: "那"},
		{text: "and the blue one?", cue: "and the"},
		{text: "DD202611050002"},
		{text: "band of brothers"},
		{text: "I want this escalated, it's the third broken parcel", human: "escalated"},
		{text: "can someone senior have a look at my order", human: "can someone"},
		{text: "Could your support team call me back about the refund?", human: "call me back"},
		{text: "我不想再等了，请让你们负责人跟我说", human: "请让你们负责人"},
		{text: "叫个工作人员来处理一下吧", human: "叫个工作人员"},
		{text: "will the delivery agent ring the bell?"},
		{text: "I'm a real person with a real sore back, which mattress topper?"},
		{text: "安装要另外付人工费吗"},
		// a person asked for in other words (personIndirect): whether
		// someone real is there, or the bot turned down for one; asked
		// is all these check, the reply by escalation-indirect-esc12.yaml
		{text: "is there anyone real I can talk to", asked: true},
		{text: "No offence, but I won't sort this with a program. Who else is there?", asked: true},
		{text: "who else can I speak to about this", asked: true},
		{text: "I'd rather deal with an actual person", asked: true},
		{text: "honestly I'm done talking to a chatbot", asked: true},
		{text: "I'm not going to explain all this to a robot again", asked: true},
		{text: "客服在不在啊 有没有人", asked: true},
		{text: "你们有没有工作人员 出来说句话", asked: true},
		{text: "不想跟机器人聊了", asked: true},
		{text: "换个人来跟我说吧", asked: true},
		{text: "行了 叫个人来处理吧", asked: true},
		{text: "这质量太差了 我要找你们管事的谈", asked: true},
		{text: "让你们的人给我打个电话解释清楚", asked: true},
		{text: "你们客服呢？出来说话", asked: true},
		// not a request: the customer is real, the greeting asks if the
		// chat answers, a word for a person names a product, a document,
		// a photo, a recipient, someone else, the courier's pickup
		{text: "我是真人不是机器人哈哈，想问下发票怎么开"},
		{text: "hello?? anyone there"},
		{text: "有人吗"},
		{text: "my robot vacuum is not working with the app"},
		{text: "不想要这个扫地机器人了 可以退吗"},
		{text: "你们有没有个人发票"},
		{text: "这件毛衣有没有真人试穿图"},
		{text: "收货人可以换个人吗"},
		{text: "退货的话能请你们的人上门取件吗"},
		{text: "I'd rather someone at my office signed for it, can I change the address?"},
		{text: "who else can use my gift card? can I give it to my sister"},
		{text: "are there photos of the dress on a real person?"},
		{text: "扫地机器人不行了 充不进电"},
		{text: "can I put someone else's name on the parcel, I'd prefer my neighbour took it"},
		{text: "开发票能开个人抬头吗"},
		{text: "能不能换个人签收 我那天不在家"},
	} {
		if got := isCancel(tc.text); got != tc.cancel {
			t.Errorf("isCancel(%q) = %v", tc.text, got)
		}
		if got := askedForHuman(tc.text); tc.asked && got == "" || !tc.asked && got != tc.human {
			t.Errorf("askedForHuman(%q) = %q, want %q (asked %v)", tc.text, got, tc.human, tc.asked)
		}
		if got := followUpCue(tc.text); got != tc.cue {
			t.Errorf("followUpCue(%q) = %q, want %q", tc.text, got, tc.cue)
		}
	}
}

// BenchmarkRespond measures full bot turns with fakes for the models and
// the backend and the real flow engine: an order lookup (flow start, backend
// call, template), an elliptical follow-up starting a return (carry), a
// digression answered from the help center (reprompt), and a message the
// bot does not understand. ns/op is per turn.
func BenchmarkRespond(b *testing.B) {
	shopB := testShop()
	kb := &helpCenter{answers: map[string]string{"运费": "运费由我们承担。"}}
	a := &Assistant{
		NLU: script{
			"DD202611010003 到哪了": {label: "order_status", entities: map[string]string{"DD202611010003": "order_id"}},
			"那退货呢？":              {label: nlu.OutOfScope},
			"退货运费谁出？":            {label: "shipping_fee"},
		},
		Sentiment: moods{},
		KB:        kb,
		Flows:     testEngine(b, shopB),
		Backend:   shopB,
		Rules:     DefaultRules(),
	}
	conv := &assist.Conversation{ID: "c1", TenantID: "demo", CustomerRef: "plain-1"}
	msgs := []string{"DD202611010003 到哪了", "那退货呢？", "退货运费谁出？", "blorp"}
	ctx := context.Background()
	var st *State
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m := msgs[i%len(msgs)]
		if i%len(msgs) == 0 {
			st = nil
			shopB.calls, kb.asked = shopB.calls[:0], kb.asked[:0]
		}
		r, err := a.Respond(ctx, Turn{Conversation: conv, Message: &assist.Message{Text: m}, State: st})
		if err != nil || r.Handoff != nil {
			b.Fatalf("%q: %+v, %v", m, r, err)
		}
		st = r.State
	}
}

// The shipped flows (flow.Builtin) run under the policy: a return with a
// digression to the help center in the middle, and an order status.
func TestBuiltinFlows(t *testing.T) {
	flows, err := flow.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	b := testShop()
	engine, err := flow.NewEngine(flows, b)
	if err != nil {
		t.Fatal(err)
	}
	a := &Assistant{
		NLU: script{
			"我要退货 DD202611010003":     {label: "return_request", entities: map[string]string{"DD202611010003": "order_id"}},
			"无理由退货的运费谁出？":             {label: "shipping_fee"},
			"尺码不合适":                   {label: nlu.OutOfScope},
			"不用了":                     {label: nlu.OutOfScope},
			"改地址 DD202611050002":      {label: "change_address", entities: map[string]string{"DD202611050002": "order_id"}},
			"算了":                      {label: nlu.OutOfScope},
			"确认":                      {label: nlu.OutOfScope},
			"where is DD202611030001": {label: "order_status", entities: map[string]string{"DD202611030001": "order_id"}},
		},
		KB:      &helpCenter{answers: map[string]string{"运费": "质量问题退货运费由我们承担。"}},
		Flows:   engine,
		Backend: b,
		Rules:   DefaultRules(),
	}
	conv := &assist.Conversation{ID: "c1", TenantID: "demo", CustomerRef: "plain-1"}
	var st *State
	say := func(text string) Reply {
		t.Helper()
		if st != nil { // a restart between every two turns
			data, _ := json.Marshal(st)
			st = new(State)
			if err := json.Unmarshal(data, st); err != nil {
				t.Fatal(err)
			}
		}
		r, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: text}, State: st})
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		if r.Handoff != nil {
			t.Fatalf("%q: handed off %+v: %q", text, r.Handoff, r.Messages)
		}
		st = r.State
		return r
	}
	awaiting := func(text, flowName, what string) {
		t.Helper()
		if st.Flow == nil || st.Flow.Flow != flowName || st.Flow.Awaiting != what {
			t.Fatalf("after %q: flow %+v, want %s awaiting %s", text, st.Flow, flowName, what)
		}
	}
	say("我要退货 DD202611010003")
	awaiting("我要退货", "return_request", "reason")
	r := say("无理由退货的运费谁出？") // names a reason (无理由) but is a question
	awaiting("无理由退货的运费谁出？", "return_request", "reason")
	if len(r.Messages) != 2 || !strings.Contains(r.Messages[0], "运费由我们承担") || r.Messages[1] != engine.Reprompt(st.Flow, "zh") || r.Messages[1] == "" {
		t.Errorf("digression: %q, want the answer then the flow's question", r.Messages)
	}
	say("尺码不合适")
	awaiting("尺码不合适", "return_request", "photos")
	say("不用了") // skips the optional photos: not a cancel
	awaiting("不用了", "return_request", "confirm")
	r = say("确认")
	if st.Flow != nil || b.count("create_return") != 1 || !strings.Contains(strings.Join(r.Messages, " "), "R-DD202611010003") {
		t.Errorf("confirmed return: %q, flow %+v, %d create_return calls", r.Messages, st.Flow, b.count("create_return"))
	}
	// A cancel phrase while a free-text slot is asked drops the flow
	// rather than becoming the new address.
	say("改地址 DD202611050002")
	awaiting("改地址", "change_address", "address")
	r = say("算了")
	if st.Flow != nil || len(r.Messages) != 1 || r.Messages[0] != catalog.Default().Say("zh", "cancelled") {
		t.Errorf("算了 at the address question: %q, flow %+v, want it dropped", r.Messages, st.Flow)
	}
	r = say("where is DD202611030001")
	if st.Flow != nil || !strings.Contains(strings.Join(r.Messages, " "), "DD202611030001") {
		t.Errorf("order status: %q, flow %+v", r.Messages, st.Flow)
	}
}
