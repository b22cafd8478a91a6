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
// question).
type TrainAnswerabilityCmd struct {
	Tenant string   `help:"Tenant slug; default demo.tenant." placeholder:"SLUG"`
	Data   []string `help:"KB=FILE: questions (as for eval rag) and the knowledge base they are asked of; repeat for several sets." required:"" placeholder:"KB=FILE"`
	Out    string   `help:"Write the model (JSON) here; the shipped one is rag/answerability.json." required:"" placeholder:"FILE"`
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
	var sets []string
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
			if len(d.Hits) == 0 {
				continue // nothing to answer from: declined whatever the model says
			}
			docs := make([]string, len(d.Hits))
			for j, h := range d.Hits {
				docs[j] = h.Chunk.Doc
			}
			xs = append(xs, d.Features)
			right = append(right, eval.RightAnswer(cs, d.Text, docs))
			n++
			if a := d.Alternative; a != nil && a.Features != nil {
				// The draft not kept is a lesson too: its reply is right
				// when it quotes the key fact (its document is unknown
				// here, so a case without a key fact adds nothing).
				if cs.Doc == nil || cs.Fact != "" {
					xs = append(xs, a.Features)
					right = append(right, eval.RightAnswer(cs, a.Text, nil))
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
	fmt.Fprintf(g.Stdout, "trained on %d drafts (%d right); weights:\n", len(xs), pos)
	for i, name := range m.Features {
		fmt.Fprintf(g.Stdout, "  %-15s %+.3f\n", name, m.Weights[i])
	}
	fmt.Fprintf(g.Stdout, "  %-15s %+.3f\n", "bias", m.Bias)
	return nil
}
