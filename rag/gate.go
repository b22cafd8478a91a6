package rag

import (
	"fmt"
	"math"
)

// Gate is part A of a factored decision (session 13, decline13b): the
// probability that any article of the knowledge base answers the question
// at all, a logistic model over the draft's Features, fitted on one draft
// per question labelled answerable (`assist train gate`): the questions no
// article answers are the gap replay files' (data/eval/gaps), the
// off-topic ones and those of our written sets, against the answerable
// ones of every set. The draft's own model (part B, Answerability) stays
// "is this reply right"; the bot declines when B is below its threshold
// OR A is below the gate's Threshold (GateConfidence). Fitted on one set
// of files and its threshold chosen on others (split by file), so that
// the many demo gap questions that teach A do not move B, which decides
// the long stranger-written questions of other help centers.
type Gate struct {
	Weights []float64 `json:"weights"`
	Bias    float64   `json:"bias"`
	// Threshold: below it the question reads as one no article answers.
	Threshold float64 `json:"threshold"`
	// Trained says on what, and on what the threshold was chosen.
	Trained string `json:"trained,omitempty"`
}

// Answers is the probability that the help center answers the question of
// a draft with features x.
func (g *Gate) Answers(x Features) float64 {
	return logistic(g.Bias, g.Weights, x)
}

// Check reports whether g fits FeatureNames.
func (g *Gate) Check() error {
	if len(g.Weights) != len(FeatureNames) {
		return fmt.Errorf("gate: %d weights, want %d", len(g.Weights), len(FeatureNames))
	}
	if g.Threshold <= 0 || g.Threshold >= 1 {
		return fmt.Errorf("gate: threshold %v, want between 0 and 1", g.Threshold)
	}
	return nil
}

// GateConfidence is the confidence conf of a draft with features x once
// the gate g has read it, against the answer threshold t: unchanged when
// g finds the question answerable; else at most t·A/g.Threshold, below t,
// so every caller that compares a confidence with the threshold declines
// it (one rule), and a question A finds less answerable stays lower. A
// reply cannot be likelier right than its question answerable.
func GateConfidence(g *Gate, x Features, conf, t float64) float64 {
	if g == nil || x == nil {
		return conf
	}
	a := g.Answers(x)
	if a >= g.Threshold {
		return conf
	}
	return math.Min(conf, t*a/g.Threshold)
}

// FitGate fits the gate's weights on one draft per question, labelled
// whether the question is answerable (deterministic, as
// FitAnswerability). Errors: no rows, rows of the wrong length, or one
// label only.
func FitGate(xs []Features, answerable []bool) (*Gate, error) {
	if err := checkRows(xs, answerable); err != nil {
		return nil, err
	}
	var yes, no bool
	for _, a := range answerable {
		yes, no = yes || a, no || !a
	}
	if !yes || !no {
		return nil, fmt.Errorf("fit gate: want answerable and unanswerable questions")
	}
	g := &Gate{}
	g.Weights, g.Bias = fitLogistic(xs, answerable)
	return g, nil
}

// GateCase is a question the gate's threshold is chosen on: its draft's
// gate probability A, its confidence without the gate, whether the reply
// is right and the question answerable, and its set (a file).
type GateCase struct {
	A, Conf           float64
	Right, Answerable bool
	Set               int
}

// GateLoss is the most a set may lose of its answerable questions answered
// when the gate's threshold is chosen (ChooseGateThreshold): 1%.
const GateLoss = 0.01

// ChooseGateThreshold is the gate threshold, 0.01..0.99 in steps of 0.01,
// that maximises ChooseThreshold's utility (right answered − wrong
// answered − DeclineCost × answerable declined) over cases, among those
// at which no set loses more than GateLoss of its answerable questions
// answered (answered: Conf ≥ t). Ties keep the lower threshold. Errors:
// no cases.
func ChooseGateThreshold(cases []GateCase, t float64) (float64, error) {
	if len(cases) == 0 {
		return 0, fmt.Errorf("choose gate threshold: no cases")
	}
	nAns := map[int]int{}
	for _, c := range cases {
		if c.Answerable {
			nAns[c.Set]++
		}
	}
	best, bestU := 0.0, math.Inf(-1)
	for i := 1; i <= 99; i++ {
		gt := float64(i) / 100
		var u float64
		lost := map[int]int{}
		for _, c := range cases {
			answered := c.Conf >= t && c.A >= gt
			switch {
			case answered && c.Right:
				u++
			case answered:
				u--
			case c.Answerable:
				u -= DeclineCost
			}
			if c.Answerable && c.Conf >= t && c.A < gt {
				lost[c.Set]++
			}
		}
		ok := true
		for s, n := range lost {
			if float64(n) > GateLoss*float64(nAns[s]) {
				ok = false
			}
		}
		if ok && u > bestU {
			best, bestU = gt, u
		}
	}
	if best == 0 {
		return 0, fmt.Errorf("choose gate threshold: every threshold loses a set more than %g of its answerable questions", GateLoss)
	}
	return best, nil
}
