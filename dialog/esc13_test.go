package dialog

import (
	"testing"

	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/sentiment"
)

// A customer fed up after a run of negative messages who asks for a task
// the bot carries out itself (one that changes something: a return here,
// a cancellation in the shop's flows) gets it done, with an apology, and
// stays with the bot; a fed-up message asking for nothing, or voicing a
// grievance whatever task the model reads in it, still hands off
// (esc13's own phrasings, scripted moods: the negative_trend rule).
func TestFedUpTaskDoneFirst(t *testing.T) {
	fedUp := func(first, second string, label string, secondReply []string) story {
		return story{
			name: second,
			nlu:  script{first: {label: nlu.OutOfScope}, second: {label: label, entities: map[string]string{"DD202611010003": "order_id"}}},
			moods: map[string]sentiment.Score{
				first: negative(-0.8, 0.3), second: negative(-0.9, 0.4),
			},
			steps: []step{
				{say: first},
				{say: second, reply: secondReply, not: []string{"queue", "排队"}},
			},
		}
	}
	for _, s := range []story{
		fedUp("the kettle STILL doesn't work after all this??", "forget it, I'm done waiting. return DD202611010003", "return_request", []string{"get that done", "Why are you returning it?"}),
		fedUp("it broke again, second time this month", "whatever, just send DD202611010003 back for me", "return_request", []string{"Why are you returning it?"}),
		fedUp("水壶还是坏的？？到底怎么回事", "算了不折腾了 DD202611010003 直接退了吧", "return_request", []string{"我这就帮您办", "退货原因是？"}),
		fedUp("又坏了 这个月第二次了", "不想再等了 DD202611010003 给我退掉", "return_request", []string{"退货原因是？"}),
	} {
		t.Run(s.name, func(t *testing.T) { play(t, s) })
	}

	// Still handed off: fed up and asking for nothing, or a grievance the
	// model reads as a task.
	for _, s := range []story{
		{
			name: "a grievance the model reads as a return",
			nlu:  script{"the kettle STILL doesn't work??": {label: nlu.OutOfScope}, "so disappointed, feels like money thrown away": {label: "return_request"}},
			moods: map[string]sentiment.Score{
				"the kettle STILL doesn't work??": negative(-0.8, 0.3), "so disappointed, feels like money thrown away": negative(-0.9, 0.4),
			},
			steps: []step{
				{say: "the kettle STILL doesn't work??"},
				{say: "so disappointed, feels like money thrown away", handoff: ReasonNegativeTrend},
			},
		},
		{
			name: "算了 太失望了 is no request",
			nlu:  script{"水壶还是坏的？？": {label: nlu.OutOfScope}, "算了，太失望了，感觉钱白花了": {label: "return_request"}},
			moods: map[string]sentiment.Score{
				"水壶还是坏的？？": negative(-0.8, 0.3), "算了，太失望了，感觉钱白花了": negative(-0.9, 0.4),
			},
			steps: []step{
				{say: "水壶还是坏的？？"},
				{say: "算了，太失望了，感觉钱白花了", handoff: ReasonNegativeTrend},
			},
		},
		{
			name: "an order's status asked again is no task that acts",
			nlu:  script{"where is it??": {label: nlu.OutOfScope}, "still nothing, where is my order DD202611030001": {label: "order_status", entities: map[string]string{"DD202611030001": "order_id"}}},
			moods: map[string]sentiment.Score{
				"where is it??": negative(-0.8, 0.3), "still nothing, where is my order DD202611030001": negative(-0.9, 0.4),
			},
			steps: []step{
				{say: "where is it??"},
				{say: "still nothing, where is my order DD202611030001", handoff: ReasonNegativeTrend},
			},
		},
	} {
		t.Run(s.name, func(t *testing.T) { play(t, s) })
	}
}
