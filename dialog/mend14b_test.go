package dialog

import (
	"testing"

	"github.com/assistd/assist/sentiment"
)

// An angry customer who tells the bot to carry out a task gets it asked
// and, answering its questions still angry, done; a person is offered
// once it is done, not in its middle, and nobody is queued instead
// (REVIEW14 3: "给我取消" → "确认取消吗？" → "对 取消" was queued for anger;
// the test flows' return stands in for the shop's cancellation).
func TestUpsetTaskDoneThenOffered(t *testing.T) {
	for _, s := range []story{
		{
			name: "en",
			nlu: script{
				"DD202611010003 broke after a week, this is ridiculous, return it now": {label: "return_request", entities: map[string]string{"DD202611010003": "order_id"}},
				"quality obviously, it's broken":                                       {label: "return_request"},
				"yes":                                                                  {label: "affirm"},
			},
			moods: map[string]sentiment.Score{
				"DD202611010003 broke after a week, this is ridiculous, return it now": negative(-0.8, 0.75),
				"quality obviously, it's broken":                                       negative(-0.7, 0.75),
			},
			steps: []step{
				{say: "DD202611010003 broke after a week, this is ridiculous, return it now", reply: []string{"Why are you returning it?"}, not: []string{"queue", "connect you"}},
				{say: "quality obviously, it's broken", reply: []string{"Return DD202611010003?"}, not: []string{"queue", "connect you"}},
				{say: "yes", reply: []string{"created", "person"}, not: []string{"queue"}},
			},
		},
		{
			name: "zh",
			lang: "zh",
			nlu: script{
				"DD202611010003 用了一周就坏了 气死了 给我退掉": {label: "return_request", entities: map[string]string{"DD202611010003": "order_id"}},
				"质量问题啊 坏了": {label: "return_request"},
				"对":        {label: "affirm"},
			},
			moods: map[string]sentiment.Score{
				"DD202611010003 用了一周就坏了 气死了 给我退掉": negative(-0.8, 0.75),
				"质量问题啊 坏了": negative(-0.7, 0.75),
			},
			steps: []step{
				{say: "DD202611010003 用了一周就坏了 气死了 给我退掉", reply: []string{"退货原因是？"}, not: []string{"排队", "需要为您转接"}},
				{say: "质量问题啊 坏了", reply: []string{"确认退货DD202611010003吗？"}, not: []string{"排队"}},
				{say: "对", reply: []string{"已创建", "人工"}, not: []string{"排队"}},
			},
		},
	} {
		t.Run(s.name, func(t *testing.T) { play(t, s) })
	}
}

// The imperative cancels ("给我取消", "cancel it now", "just cancel the damn
// thing") tell the bot to cancel; asking whether it can, or telling it not
// to, does not (REVIEW14 3).
func TestCancelGiveInImperatives(t *testing.T) {
	for _, s := range []string{"给我取消", "帮我取消", "马上取消", "赶紧给我把它取消", "取消它", "跑鞋那单给我取消掉",
		"cancel it now", "just cancel the damn thing", "ugh. cancel it", "fine, cancel the order right now", "ok cancel this order"} {
		if !cancelGiveIn.MatchString(s) {
			t.Errorf("cancelGiveIn(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"不要给我取消", "别帮我取消"} {
		if !keepsOrder(s) {
			t.Errorf("keepsOrder(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"能给我取消吗", "can you cancel it now?", "跑鞋能取消吗"} {
		if !cancelAsked(s) {
			t.Errorf("cancelAsked(%q) = false, want true", s)
		}
	}
	if cancelAsked("你们怎么回事啊 跑鞋三天了还不发货 气死了 给我取消") {
		t.Errorf("cancelAsked: an exclamation is no question")
	}
	if cancelsPart("just cancel the damn thing") {
		t.Errorf("cancelsPart(just cancel the damn thing) = true, want the whole order")
	}
}
