package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/assistd/assist/eval"
	"github.com/assistd/assist/rag"
)

// TrainGateCmd fits part A of the decision, the gate "does any article
// answer this question at all" (rag.Gate), on the --data sets' questions
// (one draft each, labelled answerable: a gap replay file's every question
// is not), and chooses its threshold on the --choose sets, which it is not
// fitted on (split by file), against the confidence of the model already
// in --out (part B, unchanged): see rag.ChooseGateThreshold. It needs the
// question encoder (rag.paraphrase_model): the gate reads asked_far and
// unasked, as a bot serving with the encoder does.
type TrainGateCmd struct {
	Tenant string   `help:"Tenant slug; default demo.tenant." placeholder:"SLUG"`
	Data   []string `help:"KB=FILE: questions the gate is fitted on (as for train answerability); repeat." required:"" placeholder:"KB=FILE"`
	Choose []string `help:"KB=FILE: questions its threshold is chosen on, not fitted on; repeat." required:"" placeholder:"KB=FILE"`
	Test   []string `help:"KB=FILE: questions neither fitted nor chosen on; print how they fare. Repeatable." placeholder:"KB=FILE"`
	Out    string   `help:"The answerability model (JSON) the gate is written into; the shipped one is rag/answerability.json." required:"" placeholder:"FILE"`
}

// gateDraft is one question drafted for the gate.
type gateDraft struct {
	x                 rag.Features
	conf              float64 // part B's confidence, with the post-check, without a gate
	right, answerable bool
}

// Run implements the command.
func (c *TrainGateCmd) Run(g *Globals) error {
	cfg, err := g.LoadConfig(nil)
	if err != nil {
		return err
	}
	tid, err := tenantID(g.Ctx, cfg, c.Tenant, false)
	if err != nil {
		return err
	}
	b, err := os.ReadFile(c.Out)
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	var m rag.Answerability
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("--out %s: %w", c.Out, err)
	}
	k, err := openKnowledge(g.Ctx, cfg, nil, nil)
	if err != nil {
		return err
	}
	defer k.Close()
	sv := *k.Service
	sv.Gaps = nil
	if sv.Paraphrases == nil {
		return fmt.Errorf("set rag.paraphrase_model (the question encoder the gate's features read)")
	}
	sv.Answerability = &m
	sv.AllFeatures, sv.NoGate = true, true
	draft := func(spec string) ([]gateDraft, error) {
		kb, path, ok := strings.Cut(spec, "=")
		if !ok || kb == "" || path == "" {
			return nil, fmt.Errorf("%q: want KB=FILE", spec)
		}
		cases, err := readAnswerCases(path)
		if err != nil {
			return nil, err
		}
		var out []gateDraft
		for i, cs := range cases {
			d, err := sv.Draft(g.Ctx, rag.AnswerRequest{Filter: rag.Filter{TenantID: tid, KB: kb}, Question: cs.Question})
			if err != nil {
				return nil, fmt.Errorf("%s case %d: %w", path, i+1, err)
			}
			if len(d.Hits) == 0 || d.Features == nil {
				continue // declined whatever either part says
			}
			docs := make([]string, len(d.Hits))
			for j, h := range d.Hits {
				docs[j] = h.Chunk.Doc
			}
			out = append(out, gateDraft{x: d.Features, conf: d.Confidence, right: eval.RightAnswer(cs, d.Text, docs), answerable: cs.Doc != nil})
		}
		return out, nil
	}
	var xs []rag.Features
	var ans []bool
	var fitted []string
	for _, spec := range c.Data {
		ds, err := draft(spec)
		if err != nil {
			return fmt.Errorf("--data %w", err)
		}
		for _, d := range ds {
			xs, ans = append(xs, d.x), append(ans, d.answerable)
		}
		_, path, _ := strings.Cut(spec, "=")
		fitted = append(fitted, fmt.Sprintf("%s (%d)", path, len(ds)))
	}
	gate, err := rag.FitGate(xs, ans)
	if err != nil {
		return err
	}
	t := m.Threshold
	var cases []rag.GateCase
	var chosen []string
	chooseSets := make([][]gateDraft, len(c.Choose))
	for i, spec := range c.Choose {
		ds, err := draft(spec)
		if err != nil {
			return fmt.Errorf("--choose %w", err)
		}
		chooseSets[i] = ds
		for _, d := range ds {
			cases = append(cases, rag.GateCase{A: gate.Answers(d.x), Conf: d.conf, Right: d.right, Answerable: d.answerable, Set: i})
		}
		_, path, _ := strings.Cut(spec, "=")
		chosen = append(chosen, fmt.Sprintf("%s (%d)", path, len(ds)))
	}
	if gate.Threshold, err = rag.ChooseGateThreshold(cases, t); err != nil {
		return err
	}
	gate.Trained = "fitted on " + strings.Join(fitted, ", ") + "; threshold chosen on " + strings.Join(chosen, ", ")
	m.Gate = gate
	if err := m.Check(); err != nil {
		return err
	}
	out, err := json.MarshalIndent(&m, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(c.Out, append(out, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(g.Stdout, "gate fitted on %d questions; weights:\n", len(xs))
	for i, name := range rag.FeatureNames {
		fmt.Fprintf(g.Stdout, "  %-15s %+.3f\n", name, gate.Weights[i])
	}
	fmt.Fprintf(g.Stdout, "  %-15s %+.3f\nthreshold %.2f (chosen on the --choose sets)\n", "bias", gate.Bias, gate.Threshold)
	report := func(title, spec string, ds []gateDraft) {
		var n, na, ba, ga, br, gr, nu, bu, gu int
		for _, d := range ds {
			n++
			in := d.conf >= t
			gin := in && gate.Answers(d.x) >= gate.Threshold
			if d.answerable {
				na++
				ba, ga = ba+b2i(in), ga+b2i(gin)
				br, gr = br+b2i(in && d.right), gr+b2i(gin && d.right)
			} else {
				nu++
				bu, gu = bu+b2i(in), gu+b2i(gin)
			}
		}
		fmt.Fprintf(g.Stdout, "%s %s: answerable answered %d -> %d of %d (right %d -> %d); unanswerable answered %d -> %d of %d\n",
			title, spec, ba, ga, na, br, gr, bu, gu, nu)
	}
	for i, spec := range c.Choose {
		report("choose", spec, chooseSets[i])
	}
	for _, spec := range c.Test {
		ds, err := draft(spec)
		if err != nil {
			return fmt.Errorf("--test %w", err)
		}
		report("test", spec, ds)
	}
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
