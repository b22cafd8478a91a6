package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/assistd/assist/eval"
	"github.com/assistd/assist/rag"
)

// TrainAnswerabilityCmd fits the answer-confidence model on labelled
// questions: each is drafted against its knowledge base, and the draft is
// right when it quotes the question's key fact (or, without one, when the
// best document is the question's document; never for an unanswerable
// question). A reply from another document's FAQ entry to a question
// without a key fact is left out (see unjudged).
type TrainAnswerabilityCmd struct {
	Tenant string   `help:"Tenant slug; default demo.tenant." placeholder:"SLUG"`
	Data   []string `help:"KB=FILE: questions (as for eval rag) and the knowledge base they are asked of; repeat for several sets." required:"" placeholder:"KB=FILE"`
	Out    string   `help:"Write the model (JSON) here; the shipped one is rag/answerability.json." required:"" placeholder:"FILE"`
	Rows   string   `help:"Also write the training rows (set, question, features, right) to this JSON Lines file, to study the model." placeholder:"FILE"`
}

// unjudged reports whether the reply drafted from best cannot be judged
// right or wrong: the case names its article but no key fact, and the
// reply quotes an FAQ entry of another document, which often says what
// the article says (the demo help center's FAQ repeats its articles).
// Counted wrong, they taught the model that FAQ answers are seldom right,
// and published gap answers are FAQ entries.
func unjudged(cs eval.RAGCase, best rag.Hit) bool {
	return cs.Doc != nil && cs.Fact == "" && best.Chunk.Question != "" && best.Chunk.Doc != *cs.Doc
}

// answerabilityRow is one training row as --rows writes it.
type answerabilityRow struct {
	Set         string             `json:"set"`
	Question    string             `json:"question"`
	Answerable  bool               `json:"answerable"`
	Alternative bool               `json:"alternative,omitempty"`
	Features    map[string]float64 `json:"features"`
	Right       bool               `json:"right"`
}

// Run implements the command.
func (c *TrainAnswerabilityCmd) Run(g *Globals) error {
	cfg, err := g.LoadConfig(nil)
	if err != nil {
		return err
	}
	slug := c.Tenant
	if slug == "" {
		slug = cfg.Demo.Tenant
	}
	tid, err := tenantID(g.Ctx, cfg, slug, false)
	if err != nil {
		return err
	}
	k, err := openKnowledge(g.Ctx, cfg, nil, nil)
	if err != nil {
		return err
	}
	defer k.Close()
	sv := *k.Service
	sv.Gaps = nil
	var xs []rag.Features
	var right []bool
	var primary []int     // rows of the kept drafts: what the threshold is chosen on
	var answerable []bool // per primary row
	var sets []string
	var rows []answerabilityRow
	skipped := 0 // replies that cannot be judged (see unjudged)
	row := func(set string, cs eval.RAGCase, alt bool, x rag.Features, right bool) {
		f := make(map[string]float64, len(x))
		for i, name := range rag.FeatureNames {
			f[name] = x[i]
		}
		rows = append(rows, answerabilityRow{Set: set, Question: cs.Question, Answerable: cs.Doc != nil, Alternative: alt, Features: f, Right: right})
	}
	for _, spec := range c.Data {
		kb, path, ok := strings.Cut(spec, "=")
		if !ok || kb == "" || path == "" {
			return fmt.Errorf("--data %q: want KB=FILE", spec)
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		cases, err := eval.ReadRAGCases(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		n := 0
		for i, cs := range cases {
			d, err := sv.Draft(g.Ctx, rag.AnswerRequest{Filter: rag.Filter{TenantID: tid, KB: kb}, Question: cs.Question})
			if err != nil {
				return fmt.Errorf("%s case %d: %w", path, i+1, err)
			}
			if len(d.Hits) == 0 || d.Features == nil {
				// Nothing to answer from, or only the other language's
				// hits kept behind a draft without any: declined whatever
				// the model says.
				continue
			}
			docs := make([]string, len(d.Hits))
			for j, h := range d.Hits {
				docs[j] = h.Chunk.Doc
			}
			if unjudged(cs, d.Hits[0]) {
				skipped++
				continue
			}
			xs = append(xs, d.Features)
			right = append(right, eval.RightAnswer(cs, d.Text, docs))
			primary = append(primary, len(xs)-1)
			answerable = append(answerable, cs.Doc != nil)
			row(spec, cs, false, d.Features, right[len(right)-1])
			n++
			if a := d.Alternative; a != nil && a.Features != nil {
				// The draft not kept is a lesson too: its reply is right
				// when it quotes the key fact (its document is unknown
				// here, so a case without a key fact adds nothing).
				if cs.Doc == nil || cs.Fact != "" {
					xs = append(xs, a.Features)
					right = append(right, eval.RightAnswer(cs, a.Text, nil))
					row(spec, cs, true, a.Features, right[len(right)-1])
					n++
				}
			}
		}
		sets = append(sets, fmt.Sprintf("%s (%d)", path, n))
	}
	m, err := rag.FitAnswerability(xs, right)
	if err != nil {
		return err
	}
	m.Trained = strings.Join(sets, ", ")
	conf := make([]float64, len(primary))
	pright := make([]bool, len(primary))
	for i, j := range primary {
		conf[i], pright[i] = m.Prob(xs[j]), right[j]
	}
	if m.Threshold, err = rag.ChooseThreshold(conf, pright, answerable); err != nil {
		return err
	}
	pos := 0
	for _, r := range right {
		if r {
			pos++
		}
	}
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(c.Out, append(out, '\n'), 0o644); err != nil {
		return err
	}
	if c.Rows != "" {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		if err := os.WriteFile(c.Rows, []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(g.Stdout, "trained on %d drafts (%d right; %d FAQ replies to questions naming only an article left out); weights:\n", len(xs), pos, skipped)
	for i, name := range m.Features {
		fmt.Fprintf(g.Stdout, "  %-15s %+.3f\n", name, m.Weights[i])
	}
	fmt.Fprintf(g.Stdout, "  %-15s %+.3f\n", "bias", m.Bias)
	fmt.Fprintf(g.Stdout, "threshold %.2f (right answered − wrong answered − %g × answerable declined, on %d questions)\n", m.Threshold, rag.DeclineCost, len(primary))
	return nil
}
