package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assistd/assist/api"
)

// trainAssistantModel trains a small intent model of our own with the
// intents the assistant acts on.
func trainAssistantModel(t *testing.T) string {
	t.Helper()
	phrases := map[string][]string{
		"human_agent":   {"i want to talk to a person", "real human please", "connect me to an agent", "转人工", "我要人工客服", "找个真人"},
		"return_policy": {"can i return shoes", "who pays return postage", "what is your return policy", "退货规则是什么", "退货运费谁出", "几天内可以退货"},
		"greeting":      {"hello", "hi there", "good morning", "你好", "在吗", "哈喽"},
		"order_status":  {"where is my order", "check my order status", "has my order shipped", "我的订单到哪了", "查一下订单状态", "订单发货了吗"},
		"out_of_scope":  {"what's the weather", "tell me a joke", "who won the game", "今天天气怎么样", "讲个笑话", "你喜欢什么电影"},
	}
	tails := []string{"", " please", " thanks", "?", " 谢谢", " 亲", "!!"}
	dir := t.TempDir()
	write := func(name string, from, to int) string {
		var b bytes.Buffer
		for label, ps := range phrases {
			for _, p := range ps {
				for k := from; k < to; k++ {
					json.NewEncoder(&b).Encode(map[string]string{"text": p + tails[k%len(tails)], "intent": label})
				}
			}
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	train, valid := write("train.jsonl", 0, 5), write("valid.jsonl", 5, 7)
	model := filepath.Join(dir, "model")
	if code, out, errOut := runAssist(t, "train", "intent", "--data", train, "--valid", valid, "--out", model, "--epochs", "15", "--seed", "1"); code != 0 {
		t.Fatalf("train: exit %d: %s %s", code, out, errOut)
	}
	return model
}

// The assistant policy end to end: the customer's questions are answered
// from the help center with their sources, a task starts its flow, and
// asking for a person hands the conversation to routing.
func TestAssistantAnswersAndHandsOff(t *testing.T) {
	requireORT(t)
	model := trainAssistantModel(t)
	kb := writeKB(t)
	m, _ := testMainWith(t, func(c *Config) {
		c.Dialog.Policy = "assistant"
		c.NLU.ModelDir = model
		c.Demo.Seed = true
		c.KB.DemoDir = kb
		c.RAG.Threshold = 0.2 // a five-document kb gives small BM25 scores
	})
	base := m.URL()
	var created api.CreateConversationResponse
	if st := call(t, "POST", base+"/v1/conversations", "", api.CreateConversationRequest{Tenant: "demo"}, &created); st != 201 {
		t.Fatalf("create: %d", st)
	}
	id, tok := created.Conversation.ID, created.Token
	post := func(text string) api.PostMessageResponse {
		t.Helper()
		var res api.PostMessageResponse
		if st := call(t, "POST", base+"/v1/conversations/"+id+"/messages", tok, api.PostMessageRequest{Text: text}, &res); st != 201 {
			t.Fatalf("post %q: %d", text, st)
		}
		return res
	}

	res := post("who pays the return postage?")
	if len(res.Replies) != 1 || !strings.Contains(res.Replies[0].Text, "postage") || !strings.Contains(res.Replies[0].Text, "Sources: [1] Returns") {
		t.Fatalf("knowledge question: replies %+v", res.Replies)
	}
	var conv api.ConversationJSON
	call(t, "GET", base+"/v1/conversations/"+id, tok, nil, &conv)
	if conv.Owner != "bot" {
		t.Fatalf("after an answer the owner is %q, want bot", conv.Owner)
	}

	// A task intent starts its flow; a customer who is not signed in is
	// asked to sign in, and an order number alone shows nothing of the
	// order (only its owner may see it).
	res = post("where is my order")
	if n := len(res.Replies); n == 0 || n > 2 || !strings.Contains(res.Replies[n-1].Text, "sign in") {
		t.Fatalf("order status: replies %+v", res.Replies)
	}
	call(t, "GET", base+"/v1/conversations/"+id, tok, nil, &conv)
	if conv.Owner != "bot" {
		t.Fatalf("after the order flow answered, the owner is %q, want bot", conv.Owner)
	}
	res = post("DD202611030001")
	if len(res.Replies) != 1 || !strings.Contains(res.Replies[0].Text, "sign in") || strings.Contains(res.Replies[0].Text, "SF1234567890123") {
		t.Fatalf("order number: replies %+v", res.Replies)
	}

	// The handoff message may be followed by the queue position.
	res = post("我要人工客服")
	if len(res.Replies) == 0 || !strings.Contains(res.Replies[0].Text, "人工") {
		t.Fatalf("asking for a person: replies %+v", res.Replies)
	}
	call(t, "GET", base+"/v1/conversations/"+id, tok, nil, &conv)
	if conv.Owner == "bot" || conv.Reason != "customer_request" {
		t.Fatalf("after asking for a person: owner %q reason %q, want it handed off for customer_request", conv.Owner, conv.Reason)
	}
}
