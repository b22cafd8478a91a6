package dialog

import (
	"testing"

	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/nlu"
)

// Confirmations and requests for a person in the middle of a flow, and a
// confirmation that comes after the flow is done.
func TestFlowAnswers(t *testing.T) {
	stories := []story{
		{
			name:     "确认 is the answer even when the model reads another task in it",
			customer: "c1",
			nlu: script{
				"DD202611010003 要退货": {label: "return_request", entities: map[string]string{"DD202611010003": "order_id"}},
				"质量问题":               {label: nlu.OutOfScope},
				"确认":                 {label: "order_status", conf: 0.92},
			},
			steps: []step{
				{say: "DD202611010003 要退货", reply: []string{"退货原因"}},
				{say: "质量问题", reply: []string{"确认退货DD202611010003吗"}},
				{say: "确认", reply: []string{"退货单R-DD202611010003已创建"}, not: []string{"查询订单"}, check: inFlow("", "")},
			},
		},
		{
			name:     "a confirmation after it is done is told what was done",
			customer: "c1",
			nlu: script{
				"return DD202611010003, it's broken": {label: "return_request", entities: map[string]string{"DD202611010003": "order_id"}},
				"yes":                                {label: nlu.OutOfScope},
				"yes confirm":                        {label: nlu.OutOfScope},
			},
			steps: []step{
				{say: "return DD202611010003, it's broken", reply: []string{"Return DD202611010003?"}},
				{say: "yes", reply: []string{"Return R-DD202611010003 created."}},
				{say: "yes confirm", reply: []string{"already done", "Return R-DD202611010003 created."}, not: []string{"rephrase"}},
			},
		},
		{
			name:     "asking for someone to ask, in a flow, goes to a person",
			customer: "c1",
			nlu: script{
				"我要退货":     {label: "return_request"},
				"帮我找个人问问吧": {label: nlu.OutOfScope},
			},
			steps: []step{
				{say: "我要退货", reply: []string{"要退哪个订单"}},
				{say: "帮我找个人问问吧", handoff: ReasonCustomerRequest},
			},
		},
		{
			name:     "an answer the model reads as a request for a person is still the answer",
			customer: "c1",
			nlu: script{
				"DD202611010003 要退货": {label: "return_request", entities: map[string]string{"DD202611010003": "order_id"}},
				"size":               {label: "human_agent", conf: 0.9},
			},
			steps: []step{
				{say: "DD202611010003 要退货", reply: []string{"退货原因"}},
				{say: "size", reply: []string{"Return DD202611010003?"}, check: inFlow("return_request", flow.AwaitConfirm)},
			},
		},
		{
			name:     "a goodbye only the model sees keeps the flow",
			customer: "c1",
			nlu: script{
				"I want to return something":           {label: "return_request"},
				"hmm what now, I'm away all next week": {label: "goodbye", conf: 0.9},
				"bye for now":                          {label: "goodbye", conf: 0.9},
			},
			steps: []step{
				{say: "I want to return something", reply: []string{"Which order"}},
				{say: "hmm what now, I'm away all next week", reply: []string{"Which order"}, not: []string{"Have a great day"}, check: inFlow("return_request", "order")},
				{say: "bye for now", check: inFlow("", "")},
			},
		},
		{
			name: "a yes to something else does not accept the offer of a person",
			nlu: script{
				"can I pay with a gift card?":       {label: "payment_issue"},
				"oh. yes i ordered pink lol my bad": {label: nlu.OutOfScope},
			},
			steps: []step{
				{say: "can I pay with a gift card?", reply: []string{"connect you"}},
				{say: "oh. yes i ordered pink lol my bad"},
			},
		},
		{
			name: "yes please accepts it",
			nlu:  script{"can I pay with a gift card?": {label: "payment_issue"}},
			steps: []step{
				{say: "can I pay with a gift card?", reply: []string{"connect you"}},
				{say: "yes please connect me to someone", handoff: ReasonNoAutomation},
			},
		},
		{
			name: "好的 麻烦帮我转一下 accepts it",
			nlu:  script{"礼品卡能付款吗？": {label: "payment_issue"}},
			steps: []step{
				{say: "礼品卡能付款吗？", reply: []string{"人工客服吗"}},
				{say: "好的 麻烦帮我转一下", handoff: ReasonNoAutomation},
			},
		},
		{
			name:     "a cancel phrase about a detail, with an answer, is the answer",
			customer: "c1",
			nlu: script{
				"DD202611010003 要退货": {label: "return_request", entities: map[string]string{"DD202611010003": "order_id"}},
				"质量问题 别的不用了":         {label: nlu.OutOfScope},
			},
			steps: []step{
				{say: "DD202611010003 要退货", reply: []string{"退货原因"}},
				{say: "质量问题 别的不用了", reply: []string{"确认退货DD202611010003吗"}, check: inFlow("return_request", flow.AwaitConfirm)},
			},
		},
		{
			name:     "impatience at a confirmation is not another task",
			customer: "c1",
			nlu: script{
				"DD202611010003 要退货，质量问题": {label: "return_request", entities: map[string]string{"DD202611010003": "order_id"}},
				"快点行不行":                   {label: "order_status", conf: 0.9},
				"查一下订单状态":                 {label: "order_status", conf: 0.9},
			},
			steps: []step{
				{say: "DD202611010003 要退货，质量问题", reply: []string{"确认退货DD202611010003吗"}},
				{say: "快点行不行", reply: []string{"确认退货DD202611010003吗"}, check: inFlow("return_request", flow.AwaitConfirm)},
				{say: "查一下订单状态", not: []string{"确认退货"}, check: inFlow("", "")},
			},
		},
	}
	for _, s := range stories {
		t.Run(s.name, func(t *testing.T) { play(t, s) })
	}
}

// Messages that leave the flow's question for another one: a question
// asked in passing, a cancel with a question after it, another task put
// instead; and a "goodbye" that asks something.
func TestMidFlow(t *testing.T) {
	stories := []story{
		{
			name:     "a question in the middle of the message is answered and the reason asked again",
			customer: "c1",
			nlu: script{
				"return DD202611010003":                         {label: "return_request", entities: map[string]string{"DD202611010003": "order_id"}},
				"wait, who pays the postage? i'm a gold member": {label: "membership", conf: 0.9},
			},
			kb: map[string]string{"postage": "Gold members send returns back for free."},
			steps: []step{
				{say: "return DD202611010003", reply: []string{"Why are you returning it?"}},
				{say: "wait, who pays the postage? i'm a gold member", reply: []string{"for free", "Why are you returning it?"}, check: inFlow("return_request", "reason")},
			},
		},
		{
			name:     "a cancel and then a question drops the return and answers the question",
			customer: "c1",
			nlu: script{
				"DD202611010003 要退货": {label: "return_request", entities: map[string]string{"DD202611010003": "order_id"}},
				"算了 那开发票呢":           {label: "invoice", conf: 0.6},
				"那开发票呢":              {label: "invoice", conf: 0.9},
			},
			kb: map[string]string{"发票": "发票在订单详情里申请。"},
			steps: []step{
				{say: "DD202611010003 要退货", reply: []string{"退货原因是？"}},
				{say: "算了 那开发票呢", reply: []string{"发票在订单详情里申请。"}, not: []string{"退货原因是？", "已创建"}, check: inFlow("", "")},
			},
		},
		{
			name:     "an exchange put instead of the return leaves the return",
			customer: "c1",
			nlu: script{
				"return DD202611010003":                    {label: "return_request", entities: map[string]string{"DD202611010003": "order_id"}},
				"could I get a bigger one instead of that": {label: "exchange_request", conf: 0.9},
			},
			kb: map[string]string{"exchange": "Exchanges are requested under After-sales."},
			steps: []step{
				{say: "return DD202611010003", reply: []string{"Why are you returning it?"}},
				{say: "could I get a bigger one instead of that", reply: []string{"After-sales", "connect you"}, not: []string{"Why are you returning it?", "Return DD202611010003?"}, check: inFlow("", "")},
			},
		},
		{
			name: "a goodbye only the model sees, asking about a fault, is not said goodbye to",
			nlu:  script{"那要是衣服开线了怎么办": {label: "goodbye", conf: 0.9}},
			kb:   map[string]string{"开线": "做工问题在保修期内免费处理。"},
			steps: []step{
				{say: "那要是衣服开线了怎么办", reply: []string{"保修期内"}, not: []string{"再见"}},
			},
		},
	}
	for _, s := range stories {
		t.Run(s.name, func(t *testing.T) { play(t, s) })
	}
}
