package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/eval"
)

// turnKind is one kind of bot turn measured by `assist bench turn` and
// BenchmarkTurn: a conversation of the demo tenant where the customer
// says the messages of Says in turn, over and over; every reply must
// contain the message's Want, so a bot that stops doing the measured work
// fails the measurement instead of speeding it up.
type turnKind struct {
	Name     string
	Customer string
	Lang     string
	Says     []turnSay
	// NoSearchCache runs the kind with rag.search_cache_ttl 0: every
	// question is searched afresh, as one never asked before is.
	NoSearchCache bool
	// Before are questions said before the messages of Says, Before[i]
	// before Says[i], their turns not measured: Says[i] follows up on it.
	Before []string
}

type turnSay struct{ Text, Want string }

// turnKinds are the measured turns, none of which calls an LLM:
// flow_step (NLU, sentiment, state load and store, policy, the
// order_status flow calling the demo shop and answering from its
// template), rag_answer (the same with retrieval from the help center and
// an extractive answer with sources, two questions asked in turn, so
// their searches are remembered), rag_new_question (help-center questions
// searched afresh every time: a dozen different ones, the search cache
// off), rag_follow_up (a help-center question following up on the one
// before, unmeasured, which it is searched with as its topic, and then
// drafted alone too (rag's notBelowAlone): half a dozen of them, the
// search cache off), small_talk, and order_reference
// (an order named by its product or its state: the customer's orders
// listed and matched, then the order's tracking answered).
var turnKinds = []turnKind{
	{Name: "flow_step", Customer: "demo-customer-1", Lang: "zh", Says: []turnSay{
		{"订单DD202611030001现在什么状态？", "SF1234567890123"}, {"订单DD202611050002现在什么状态？", "DD202611050002"}}},
	{Name: "rag_answer", Customer: "demo-customer-1", Lang: "zh", Says: []turnSay{
		{"无理由退货的运费谁出？", "来源"}, {"How much do I need to spend for free shipping?", "Sources"}}},
	{Name: "rag_new_question", Customer: "demo-customer-1", Lang: "zh", NoSearchCache: true, Says: []turnSay{
		{"七天无理由退货的运费谁出？", "来源"}, {"What are the membership levels?", "Sources"},
		{"退款一般多久能到账？", "来源"}, {"How long does a refund take to reach my card?", "Sources"},
		{"优惠券退款后还能用吗？", "来源"}, {"Can I get a VAT special invoice?", "Sources"},
		{"换货的运费谁承担？", "来源"}, {"How much is shipping if my order is small?", "Sources"},
		{"积分什么时候过期？", "来源"}, {"What does the warranty cover?", "Sources"},
		{"密码连续输错几次会被锁定？", "来源"}, {"How do I claim price protection?", "Sources"}}},
	{Name: "rag_follow_up", Customer: "demo-customer-1", Lang: "zh", NoSearchCache: true, Says: []turnSay{
		{"那如果是质量问题的话运费还要我自己出吗？", "来源"}, {"and how many days does delivery take for remote areas?", "5–7 days"},
		{"那用优惠券付的那部分会退回来吗？", "来源"}, {"and how long is the warranty on a floor lamp?", "Sources"},
		{"那审核通过以后大概几个工作日能开好？", "来源"}, {"and what about the coupon I used, do I get it back?", "Sources"}},
		Before: []string{"退货运费谁出？", "How much is shipping to Xinjiang?", "退款一般多久能到账？", "What does the warranty cover?",
			"怎么开增值税专用发票？", "How long does a refund take to reach my card?"}},
	{Name: "small_talk", Customer: "demo-customer-6", Lang: "en", Says: []turnSay{{"hello", "Hi"}, {"thanks!", "welcome"}}},
	{Name: "order_reference", Customer: "demo-customer-1", Lang: "en", Says: []turnSay{
		{"where's my hoodie", "SF1234567890123"}, {"what about the order that hasn't shipped yet?", "DD202611050002"}}},
}

// turnRun is one kind's conversation on a running driver.
type turnRun struct {
	d    *storyDriver
	conv string
	k    turnKind
	n    int
}

func startTurnRun(ctx context.Context, d *storyDriver, k turnKind) (*turnRun, error) {
	base := d.base
	if k.NoSearchCache {
		d.base.RAG.SearchCacheTTL = 0
	}
	conv, err := d.Start(ctx, eval.StoryStart{Name: k.Name, Customer: k.Customer, Lang: k.Lang})
	d.base = base
	if err != nil {
		return nil, err
	}
	return &turnRun{d: d, conv: conv, k: k}, nil
}

// stillBot checks that the bot still owns the conversation: a turn that
// hands it off (a hacked account, an angry customer) would turn the rest
// of the run into turns answered while the customer waits for a person,
// which do other work (the queue, the ticket) than the kind names.
func (r *turnRun) stillBot(ctx context.Context) error {
	o, err := r.d.Observe(ctx, r.conv)
	if err != nil {
		return err
	}
	if o.Owner != "bot" {
		return assist.Errorf(assist.ECONFLICT, "bench turn %s, turn %d: the conversation went to %s (%s); its turns no longer measure the bot's", r.k.Name, r.n, o.Owner, o.Reason)
	}
	return nil
}

// before says the question the next turn follows up on (turnKind.Before),
// if it has one.
func (r *turnRun) before(ctx context.Context) error {
	if len(r.k.Before) == 0 {
		return nil
	}
	_, err := r.d.Say(ctx, r.conv, r.k.Before[r.n%len(r.k.Before)])
	return err
}

// next runs the next turn (after before). A reply without the expected text (the bot
// did something else, or handed the conversation off) is an error.
func (r *turnRun) next(ctx context.Context) error {
	say := r.k.Says[r.n%len(r.k.Says)]
	r.n++
	replies, err := r.d.Say(ctx, r.conv, say.Text)
	if err != nil {
		return err
	}
	if !strings.Contains(strings.Join(replies, "\n"), say.Want) {
		return assist.Errorf(assist.ECONFLICT, "bench turn %s, turn %d: the reply %q lacks %q", r.k.Name, r.n, replies, say.Want)
	}
	return nil
}

// BenchTurnCmd is `assist bench turn`.
type BenchTurnCmd struct {
	Turns int `default:"500" help:"Turns to measure per kind (after 20 warm-up turns)."`
	botModels
	JSON bool `help:"Print the result as JSON."`
}

// TurnBenchResult is one kind's latencies.
type TurnBenchResult struct {
	Kind      string          `json:"kind"`
	Turns     int             `json:"turns"`
	P50Millis float64         `json:"p50_ms"`
	P99Millis float64         `json:"p99_ms"`
	MaxMillis float64         `json:"max_ms"`
	All       []time.Duration `json:"-"` // every measured turn, sorted
}

// Run measures every turn kind in process on a fresh temporary demo
// setup (the same one `assist eval dialog` uses).
func (c *BenchTurnCmd) Run(g *Globals) error {
	results, err := measureTurns(g, c.botModels, c.Turns)
	if err != nil {
		return err
	}
	if c.JSON {
		return json.NewEncoder(g.Stdout).Encode(results)
	}
	for _, r := range results {
		fmt.Fprintf(g.Stdout, "%-10s %d turns: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", r.Kind, r.Turns, r.P50Millis, r.P99Millis, r.MaxMillis)
	}
	return nil
}

// measureTurns times n turns of every kind, after 20 warm-up turns each.
func measureTurns(g *Globals, models botModels, n int) ([]TurnBenchResult, error) {
	if n < 1 {
		return nil, fmt.Errorf("--turns must be positive")
	}
	cfg, d, err := models.open(g, "bench-turn", map[string]string{"store.synchronous": "normal"})
	if err != nil {
		return nil, err
	}
	defer d.Close()
	heapFloor(int64(cfg.Runtime.HeapFloorMB) << 20) // as the server runs
	var results []TurnBenchResult
	for _, k := range turnKinds {
		r, err := startTurnRun(g.Ctx, d.storyDriver, k)
		if err != nil {
			return nil, err
		}
		for range 20 {
			if err := r.before(g.Ctx); err != nil {
				return nil, err
			}
			if err := r.next(g.Ctx); err != nil {
				return nil, err
			}
		}
		if err := r.stillBot(g.Ctx); err != nil {
			return nil, err
		}
		lat := make([]time.Duration, n)
		for i := range lat {
			if err := r.before(g.Ctx); err != nil {
				return nil, err
			}
			start := time.Now()
			if err := r.next(g.Ctx); err != nil {
				return nil, err
			}
			lat[i] = time.Since(start)
		}
		if err := r.stillBot(g.Ctx); err != nil {
			return nil, err
		}
		slices.Sort(lat)
		results = append(results, TurnBenchResult{Kind: k.Name, Turns: n, P50Millis: millis(quantile(lat, 0.50)), P99Millis: millis(quantile(lat, 0.99)), MaxMillis: millis(lat[len(lat)-1]), All: lat})
	}
	return results, nil
}

// quantile is the nearest-rank quantile q of sorted durations.
func quantile(sorted []time.Duration, q float64) time.Duration {
	i := int(q*float64(len(sorted))+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
