package agentassist_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/agentassist"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/dialog"
	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/rag"
)

// shopKB answers like a help center whose best match for any message
// naming a person is its "how to reach a person" section, for a parcel its
// shipping article, and for anything else the points article.
type shopKB struct{ asked *[]string }

func (k shopKB) Retrieve(_ context.Context, req rag.SearchRequest) ([]rag.Hit, float64, error) {
	*k.asked = append(*k.asked, req.Question)
	contact := rag.Hit{Score: 0.9, Chunk: rag.Chunk{DocKey: rag.DocKey{Doc: "zh-contact.md"}, Title: "联系客服", HeadingPath: []string{"联系客服", "如何转人工客服"},
		Text: "在聊天窗口中输入「转人工」，或点击「人工客服」按钮即可排队。"}}
	shipping := rag.Hit{Score: 0.8, Chunk: rag.Chunk{DocKey: rag.DocKey{Doc: "zh-shipping.md"}, Title: "配送与运费",
		Question: "物流好几天没更新怎么办？", Answer: "物流 48 小时没有更新时，我们会联系快递核实，并在 24 小时内告诉您结果。"}}
	points := rag.Hit{Score: 0.7, Chunk: rag.Chunk{DocKey: rag.DocKey{Doc: "zh-membership.md"}, Title: "会员等级与积分",
		Question: "积分什么时候过期？", Answer: "积分自获得之日起有效期至次年 12 月 31 日，到期未使用的积分自动清零。"}}
	q := req.Question
	var hits []rag.Hit
	if strings.Contains(q, "人工") {
		hits = append(hits, contact)
	}
	if strings.Contains(q, "快递") {
		hits = append(hits, shipping)
	}
	return append(hits, points), 0.8, nil
}

func (shopKB) Abstains(conf float64) bool { return conf < 0.4 }

// shopNLU places parcels, thanks and requests for a person.
type shopNLU struct{}

func (shopNLU) Parse(_ context.Context, text string) (nlu.Result, error) {
	r := nlu.Result{Lang: nlu.LangZH, Intent: nlu.Intent{Label: nlu.OutOfScope}}
	switch {
	case strings.Contains(text, "快递"):
		r.Intent = nlu.Intent{Label: "track_shipment", Confidence: 0.9}
	case strings.Contains(text, "谢谢"):
		r.Intent = nlu.Intent{Label: "thanks", Confidence: 0.9}
	case strings.Contains(text, "人工"):
		r.Intent = nlu.Intent{Label: "human_agent", Confidence: 0.9}
	}
	return r, nil
}

// stalledParcel is the QA tester's conversation: an answered question
// about return postage, then a stalled parcel and a request for a person
// in one message; the bot handed off and agent ann took it.
func stalledParcel(convs *fakeConvs, id string) (*assist.Conversation, *assist.Message) {
	c := &assist.Conversation{ID: id, TenantID: tenant, Lang: "zh", Owner: assist.OwnerAgent, AssigneeID: "ann"}
	convs.convs[id] = c
	q1 := convs.say(id, assist.AuthorCustomer, "退货运费谁出?", "")
	convs.say(id, assist.AuthorBot, "七天无理由退货的寄回运费由顾客承担。", q1.ID)
	q2 := convs.say(id, assist.AuthorCustomer, "我的快递三天没动了，转人工", "")
	convs.say(id, assist.AuthorBot, "正在为您转接人工客服。", q2.ID)
	convs.states[id] = &dialog.State{Lang: "zh", Turns: 2, Question: "退货运费谁出?",
		Intents:    []dialog.IntentNote{{Turn: 1, Label: "return_policy", Confidence: 0.9}, {Turn: 2, Label: "track_shipment", Confidence: 0.8}},
		Escalation: &dialog.Escalation{Reason: "customer_request", Turn: 2, Evidence: map[string]string{"phrase": "转人工"}}}
	return c, q2
}

func TestSuggestionsAnswerTheProblemNotTheRequestForAPerson(t *testing.T) {
	ctx := context.Background()
	convs := newFakeConvs()
	var asked []string
	s := &agentassist.Service{Conversations: convs, Knowledge: shopKB{&asked}, NLU: shopNLU{}, Replies: &agentassist.Replies{}, Now: func() time.Time { return t0 }}
	c, m := stalledParcel(convs, "p1")
	set, err := s.Build(ctx, c, m)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Suggestions) == 0 || set.Suggestions[0].Citation == nil || set.Suggestions[0].Citation.Doc != "zh-shipping.md" {
		t.Fatalf("first suggestion %+v, want the shipping article's answer about a stalled parcel", set.Suggestions)
	}
	for _, sg := range set.Suggestions {
		if strings.Contains(sg.Text, "转人工") {
			t.Errorf("suggestion tells the agent how to reach a person: %s", sg.Text)
		}
	}
	for _, p := range set.Knowledge {
		if strings.Contains(p.Passage, "转人工") {
			t.Errorf("knowledge passage tells the agent how to reach a person: %s", p.Passage)
		}
	}
	if set.Intent != "track_shipment" {
		t.Errorf("intent %q, want the parcel's track_shipment", set.Intent)
	}
	for _, q := range asked {
		if strings.Contains(q, "人工") || strings.Contains(q, "运费") {
			t.Errorf("the help center was asked %q: the request for a person or the earlier, answered question", q)
		}
	}

	// "Thanks, any news?" says nothing new: the agent keeps the same help.
	before := set.Suggestions
	thanks := convs.say("p1", assist.AuthorCustomer, "好的，谢谢，有消息吗？", "")
	after, err := s.Build(ctx, c, thanks)
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Suggestions) != len(before) {
		t.Fatalf("after thanks: %+v, before: %+v", after.Suggestions, before)
	}
	for i := range before {
		if after.Suggestions[i].ID != before[i].ID || after.Suggestions[i].Text != before[i].Text {
			t.Errorf("suggestion %d changed after a thank-you: %q → %q", i+1, before[i].Text, after.Suggestions[i].Text)
		}
	}
	if after.MessageID != thanks.ID {
		t.Errorf("set for message %s, want the newest %s", after.MessageID, thanks.ID)
	}
}

func TestSimilarAnswerThatRepeatsTheHelpCenterIsShownOnce(t *testing.T) {
	ctx := context.Background()
	convs := newFakeConvs()
	var asked []string
	s := &agentassist.Service{Conversations: convs, Knowledge: shopKB{&asked}, NLU: shopNLU{}, Replies: &agentassist.Replies{}, Now: func() time.Time { return t0 }}
	// an agent sent the help center's answer as is, and another told a
	// customer how to reach a person
	_ = s.Replies.Add(ctx, agentassist.Pair{TenantID: tenant, ConversationID: "old1", Question: "我的快递三天没动了", Lang: "zh", At: t0,
		Answer: "物流 48 小时没有更新时，我们会联系快递核实，并在 24 小时内告诉您结果。"})
	_ = s.Replies.Add(ctx, agentassist.Pair{TenantID: tenant, ConversationID: "old2", Question: "我的快递三天没动了", Lang: "zh", At: t0,
		Answer: "您可以输入「转人工」排队。"})
	c, m := stalledParcel(convs, "p2")
	set, err := s.Build(ctx, c, m)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, sg := range set.Suggestions {
		if seen[sg.Text] {
			t.Errorf("two suggestions say %q", sg.Text)
		}
		seen[sg.Text] = true
		if strings.Contains(sg.Text, "转人工") {
			t.Errorf("suggestion tells the agent how to reach a person: %s", sg.Text)
		}
	}
	if len(set.Suggestions) == 0 {
		t.Error("no suggestion")
	}
}

func TestHandoffSummaryStatesTheProblemNotAnEarlierQuestion(t *testing.T) {
	ctx := context.Background()
	convs := newFakeConvs()
	var asked []string
	s := &agentassist.Service{Conversations: convs, Knowledge: shopKB{&asked}, NLU: shopNLU{}, Now: func() time.Time { return t0 }}
	stalledParcel(convs, "p3")
	sum, err := s.Summarize(ctx, tenant, "p3")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sum.Text, "问题：我的快递三天没动了") {
		t.Errorf("summary does not state the stalled parcel as the problem:\n%s", sum.Text)
	}
	if strings.Contains(sum.Text, "问题：退货运费") {
		t.Errorf("summary gives the earlier, answered question as the problem:\n%s", sum.Text)
	}
	if sum.IntentText != "查询物流" && sum.Intent != "track_shipment" {
		t.Errorf("summary wants %q (%s), want the parcel", sum.IntentText, sum.Intent)
	}
	if !strings.Contains(sum.Text, "七天无理由退货的寄回运费由顾客承担") {
		t.Errorf("summary does not quote what the bot answered:\n%s", sum.Text)
	}
	for _, internal := range []string{"phrase", "依据", "evidence"} {
		if strings.Contains(sum.Text, internal) {
			t.Errorf("summary shows internal evidence (%q):\n%s", internal, sum.Text)
		}
	}
	if !strings.Contains(sum.Text, "转人工原因：") {
		t.Errorf("summary does not say why it was handed off:\n%s", sum.Text)
	}
}

func TestAgentAnswerIsRememberedForTheProblemNotTheThankYou(t *testing.T) {
	ctx := context.Background()
	convs := newFakeConvs()
	var asked []string
	s := &agentassist.Service{Conversations: convs, Knowledge: shopKB{&asked}, NLU: shopNLU{}, Replies: &agentassist.Replies{}, Now: func() time.Time { return t0 }}
	c, _ := stalledParcel(convs, "p4")
	convs.say("p4", assist.AuthorCustomer, "好的，谢谢，有消息吗？", "")
	a := convs.say("p4", assist.AuthorAgent, "我已联系快递，包裹明天会重新派送。", "")
	s.Observe(ctx, conversation.Observation{Conversation: c, Message: a})
	var got []agentassist.Pair
	for deadline := time.Now().Add(5 * time.Second); len(got) == 0 && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		got = s.Replies.Nearest(tenant, "", "我的快递三天没动了", "zh", 1)
	}
	if len(got) != 1 || got[0].Question != "我的快递三天没动了" {
		t.Fatalf("remembered %+v, want the agent's answer to the stalled parcel", got)
	}
	if near := s.Replies.Nearest(tenant, "", "好的，谢谢，有消息吗？", "zh", 1); len(near) != 0 {
		t.Errorf("the answer is remembered for the thank-you: %+v", near)
	}
}
