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
	Data   string `help:"JSON Lines of {\"question\",\"doc\"[,\"lang\",\"fact\",\"kind\",\"cross\"]}; doc null for unanswerable questions, fact the key fact a right answer quotes." required:"" type:"existingfile" placeholder:"FILE"`
	JSON   bool   `help:"Print the report as JSON."`
	Cases  string `help:"Also write each question's outcome (documents, reply, confidence, declined, right) to this JSON Lines file." placeholder:"FILE"`
	ReportFlags
}

// Run implements the command.
func (c *EvalRagCmd) Run(g *Globals) error {
	cfg, err := g.LoadConfig(nil)
	if err != nil {
		return err
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
	tid, err := tenantID(g.Ctx, cfg, c.Tenant, false)
	if err != nil {
		return err
	}
	k, err := openKnowledge(g.Ctx, cfg, nil, nil)
	if err != nil {
		return err
	}
	defer k.Close()
	rep, results, err := evalRAG(g, k.Service, rag.Filter{TenantID: tid, KB: c.KB}, cases)
	if err != nil {
		return err
	}
	if c.Cases != "" {
		if err := writeRAGCases(c.Cases, cases, results); err != nil {
			return err
		}
	}
	if c.JSON {
		if err := g.printJSON(rep); err != nil {
			return err
		}
	} else {
		printRAGReport(g, rep)
	}
	return c.finish(g, cfg.Eval.Tolerances, rep.Report(c.Data))
}

// evalRAG drafts the reply to each case (the top hits, the extracted reply
// and its confidence, which decides abstention), timing it; nothing is
// recorded as a knowledge gap. The draft asks as many hits as the chat
// does (rag.top_k, the service's Config.Limit): the features the
// confidence reads (the margin to the next article, the other hits'
// specifics) depend on them, so the eval measures what customers get,
// and retrieval is scored at those hits (recall@5, nDCG@5): a recall@10 of
// five hits would only repeat recall@5.
func evalRAG(g *Globals, svc *rag.Service, f rag.Filter, cases []eval.RAGCase) (eval.RAGReport, []eval.RAGResult, error) {
	sv := *svc
	sv.Gaps = nil
	results := make([]eval.RAGResult, len(cases))
	for i, c := range cases {
		start := time.Now()
		d, err := sv.Draft(g.Ctx, rag.AnswerRequest{Filter: f, Question: c.Question})
		lat := time.Since(start)
		if err != nil {
			return eval.RAGReport{}, nil, fmt.Errorf("case %d: %w", i+1, err)
		}
		r := eval.RAGResult{Latency: lat, Answer: d.Text, Confidence: d.Confidence}
		for _, h := range d.Hits {
			r.Docs = append(r.Docs, h.Chunk.Doc)
		}
		r.Abstained = sv.Abstains(d.Confidence) || len(d.Hits) == 0
		results[i] = r
	}
	return eval.ScoreRAG(cases, results), results, nil
}

// writeRAGCases writes one JSON line per case: the case and what the
// system did with it.
func writeRAGCases(path string, cases []eval.RAGCase, results []eval.RAGResult) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetEscapeHTML(false)
	for i, c := range cases {
		r := results[i]
		docs := r.Docs[:min(len(r.Docs), 5)]
		line := struct {
			eval.RAGCase
			Docs       []string `json:"docs"`
			Reply      string   `json:"reply"`
			Confidence float64  `json:"confidence"`
			Declined   bool     `json:"declined"`
			Right      bool     `json:"right"`
		}{c, docs, r.Answer, r.Confidence, r.Abstained, eval.RightAnswer(c, r.Answer, r.Docs)}
		if err := enc.Encode(line); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

func printRAGReport(g *Globals, rep eval.RAGReport) {
	printRAGScores(g, "all", rep.RAGScores)
	for _, group := range []map[string]eval.RAGScores{rep.PerLang, rep.PerKind} {
		names := make([]string, 0, len(group))
		for n := range group {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			printRAGScores(g, n, group[n])
		}
	}
	if rep.Cross != nil {
		printRAGScores(g, "cross", *rep.Cross)
	}
	fmt.Fprintf(g.Stdout, "reliability (confidence bin: replies, mean confidence, share right)\n")
	for _, b := range rep.Reliability {
		if b.N > 0 {
			fmt.Fprintf(g.Stdout, "      [%.1f, %.1f): %3d  %.2f  %.2f\n", b.Lo, b.Hi, b.N, b.Confidence, b.Accuracy)
		}
	}
}

func printRAGScores(g *Globals, name string, s eval.RAGScores) {
	fmt.Fprintf(g.Stdout, "%-12s questions %d (answerable %d, unanswerable %d)\n", name, s.Questions, s.Answerable, s.Unanswerable)
	if s.Answerable > 0 {
		fmt.Fprintf(g.Stdout, "             recall@1 %.3f  recall@5 %.3f  mrr %.3f  ndcg@5 %.3f\n",
			s.RecallAt1, s.RecallAt5, s.MRR, s.NDCGAt5)
		fmt.Fprintf(g.Stdout, "             answered %.3f  key fact in the answer %.3f (of %d)\n", s.Answered, s.FactMatch, s.Facts)
	}
	if s.Unanswerable > 0 {
		fmt.Fprintf(g.Stdout, "             declining: precision %.3f recall %.3f  (answerable declined %d, unanswerable answered %d)\n",
			s.NoAnswer.Precision, s.NoAnswer.Recall, s.FalseAbstentions, s.UnanswerableAnswered)
	}
	fmt.Fprintf(g.Stdout, "             right %d  calibration error %.3f  latency p50 %.2f ms  p99 %.2f ms\n",
		s.Right, s.CalibrationError, s.LatencyP50Ms, s.LatencyP99Ms)
}
