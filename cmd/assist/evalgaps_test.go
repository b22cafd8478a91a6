package main

import (
	"strings"
	"testing"

	"github.com/assistd/assist/eval"
	"github.com/assistd/assist/gap"
	"github.com/assistd/assist/store/sqlite"
)

// The self-learning loop end to end on the demo setup: a question the
// help center cannot answer is declined, escalated and answered by an
// agent; its cluster is published; a paraphrase is then answered from the
// published answer, and nothing stored holds the customer's phone number.
func TestGapReplayClosesTheLoop(t *testing.T) {
	requireORT(t)
	d := newStoryDriver(storyConfig(t), t.TempDir())
	t.Cleanup(func() { d.Close() })
	drv, err := newGapDriver(t.Context(), d)
	if err != nil {
		t.Fatal(err)
	}
	lines := []eval.GapLine{
		{Lang: "en", Questions: []string{"Can I bring my dog into your pop-up store? my number is 13800138000", "are dogs allowed in the pop-up store"},
			Answer: "Dogs on a lead are welcome in our pop-up store; please keep them off the display rugs."},
		{Lang: "zh", Questions: []string{"你们公司招聘兼职吗？", "有没有兼职的工作可以做"},
			Answer: "目前没有兼职岗位，招聘信息会发布在官网的“加入我们”页面。"},
	}
	rep, err := eval.RunGapReplay(t.Context(), drv, lines, 0)
	if err != nil {
		t.Fatal(err)
	}
	if rep.AnsweredBefore != 0 || rep.Clusters != 2 || rep.Published != 2 || rep.PIIInGaps != 0 {
		t.Errorf("replay %+v", rep)
	}
	if rep.AnsweredAfter < 0.5 {
		t.Errorf("answered after %.2f; missed %v", rep.AnsweredAfter, rep.Missed)
	}
	gs, err := sqlite.NewGapStore(d.m.DB).Gaps(t.Context(), d.tenant, gap.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gs {
		if strings.Contains(g.Question, "13800138000") {
			t.Errorf("gap stores the phone number: %+v", g)
		}
	}
}
