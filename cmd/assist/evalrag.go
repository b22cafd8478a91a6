package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/assistd/assist/eval"
	"github.com/assistd/assist/rag"
)

// EvalRagCmd measures retrieval and abstention on a question set.
type EvalRagCmd struct {
	KB     string `help:"Knowledge base to evaluate." required:"" placeholder:"NAME"`
	Tenant string `help:"Tenant slug; default demo.tenant." placeholder:"SLUG"`
	Data   string `help:"JSON Lines of {\"question\",\"doc\"[,\"lang\"]}; doc null for unanswerable questions." required:"" type:"existingfile" placeholder:"FILE"`
	JSON   bool   `help:"Print the report as JSON."`
	ReportFlags
}

// Run implements the command.
func (c *EvalRagCmd) Run(g *Globals) error {
	cfg, err := g.LoadConfig(nil)
	if err != nil {
		return err
	}
	slug := c.Tenant
	if slug == "" {
		slug = cfg.Demo.Tenant
	}
	f, err := os.Open(c.Data)
	if err != nil {
		return err
	}
	cases, err := eval.ReadRAGCases(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", c.Data, err)
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
	rep, err := evalRAG(g, k.Service, rag.Filter{TenantID: tid, KB: c.KB}, cases)
	if err != nil {
		return err
	}
	if c.JSON {
		enc := json.NewEncoder(g.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printRAGScores(g, "all", rep.RAGScores)
		langs := make([]string, 0, len(rep.PerLang))
		for l := range rep.PerLang {
			langs = append(langs, l)
		}
		sort.Strings(langs)
		for _, l := range langs {
			printRAGScores(g, l, rep.PerLang[l])
		}
	}
	return c.finish(g, cfg.Eval.Tolerances, rep.Report(c.Data))
}

// evalRAG retrieves the top 10 for each case, timing the retrieval (with
// the confidence, which decides abstention).
func evalRAG(g *Globals, svc *rag.Service, f rag.Filter, cases []eval.RAGCase) (eval.RAGReport, error) {
	results := make([]eval.RAGResult, len(cases))
	for i, c := range cases {
		start := time.Now()
		hits, conf, err := svc.Retrieve(g.Ctx, rag.SearchRequest{Filter: f, Question: c.Question, Limit: 10})
		lat := time.Since(start)
		if err != nil {
			return eval.RAGReport{}, fmt.Errorf("case %d: %w", i+1, err)
		}
		r := eval.RAGResult{Latency: lat}
		for _, h := range hits {
			r.Docs = append(r.Docs, h.Chunk.Doc)
		}
		r.Abstained = svc.Abstains(conf)
		results[i] = r
	}
	return eval.ScoreRAG(cases, results), nil
}

func printRAGScores(g *Globals, name string, s eval.RAGScores) {
	fmt.Fprintf(g.Stdout, "%-5s questions %d (answerable %d, unanswerable %d)\n", name, s.Questions, s.Answerable, s.Unanswerable)
	fmt.Fprintf(g.Stdout, "      recall@1 %.3f  recall@5 %.3f  recall@10 %.3f  mrr %.3f  ndcg@10 %.3f\n",
		s.RecallAt1, s.RecallAt5, s.RecallAt10, s.MRR, s.NDCGAt10)
	if s.Unanswerable > 0 {
		fmt.Fprintf(g.Stdout, "      no_answer precision %.3f recall %.3f  (answerable abstained on: %d)\n",
			s.NoAnswer.Precision, s.NoAnswer.Recall, s.FalseAbstentions)
	}
	fmt.Fprintf(g.Stdout, "      latency p50 %.2f ms  p99 %.2f ms\n", s.LatencyP50Ms, s.LatencyP99Ms)
}
