package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/assistd/assist"
)

// RAGCase is one retrieval question: Doc names the document that answers
// it, nil when nothing in the knowledge base does (the bot should abstain).
type RAGCase struct {
	Question string  `json:"question"`
	Doc      *string `json:"doc"`
	Lang     string  `json:"lang,omitempty"`
}

// RAGResult is what the system did with a case: the documents it
// retrieved, best first (repeats allowed, only the first counts), whether
// it abstained, and how long retrieval took.
type RAGResult struct {
	Docs      []string
	Abstained bool
	Latency   time.Duration
}

// RAGScores are the retrieval metrics over a set of cases. Recall, MRR and
// nDCG are over the answerable cases; NoAnswer over the abstentions and
// the unanswerable cases.
type RAGScores struct {
	Questions    int     `json:"questions"`
	Answerable   int     `json:"answerable"`
	Unanswerable int     `json:"unanswerable"`
	RecallAt1    float64 `json:"recall_at_1"`
	RecallAt5    float64 `json:"recall_at_5"`
	RecallAt10   float64 `json:"recall_at_10"`
	MRR          float64 `json:"mrr"`
	NDCGAt10     float64 `json:"ndcg_at_10"`
	NoAnswer     struct {
		Precision float64 `json:"precision"` // abstentions that were right to abstain
		Recall    float64 `json:"recall"`    // unanswerable cases the bot abstained on
	} `json:"no_answer"`
	// AnsweredWrongly counts answerable cases the bot abstained on.
	FalseAbstentions int     `json:"false_abstentions"`
	LatencyP50Ms     float64 `json:"latency_p50_ms"`
	LatencyP99Ms     float64 `json:"latency_p99_ms"`
}

// RAGReport is the whole report: overall and per language (for cases that
// carry one).
type RAGReport struct {
	RAGScores
	PerLang map[string]RAGScores `json:"per_lang,omitempty"`
}

// ReadRAGCases reads JSON Lines of {"question","doc"[,"lang"]}; blank lines
// are skipped. Errors: EINVALID naming the first bad line.
func ReadRAGCases(r io.Reader) ([]RAGCase, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	var out []RAGCase
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(line, &raw); err != nil {
			return nil, assist.Wrap(assist.EINVALID, err, fmt.Sprintf("line %d is not a JSON object", n))
		}
		if _, ok := raw["doc"]; !ok {
			return nil, assist.Errorf(assist.EINVALID, "line %d has no \"doc\" (use null for unanswerable questions)", n)
		}
		var c RAGCase
		if err := json.Unmarshal(line, &c); err != nil {
			return nil, assist.Wrap(assist.EINVALID, err, fmt.Sprintf("line %d", n))
		}
		if strings.TrimSpace(c.Question) == "" {
			return nil, assist.Errorf(assist.EINVALID, "line %d has an empty question", n)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading cases: %w", err)
	}
	if len(out) == 0 {
		return nil, assist.Errorf(assist.EINVALID, "no cases")
	}
	return out, nil
}

// ScoreRAG scores results (one per case, same order). It panics if the
// lengths differ: that is a bug in the caller.
func ScoreRAG(cases []RAGCase, results []RAGResult) RAGReport {
	if len(cases) != len(results) {
		panic(fmt.Sprintf("eval: %d cases, %d results", len(cases), len(results)))
	}
	rep := RAGReport{RAGScores: scoreRAG(cases, results)}
	byLang := map[string][]int{}
	for i, c := range cases {
		if c.Lang != "" {
			byLang[c.Lang] = append(byLang[c.Lang], i)
		}
	}
	if len(byLang) > 0 {
		rep.PerLang = map[string]RAGScores{}
		for lang, idx := range byLang {
			cs := make([]RAGCase, len(idx))
			rs := make([]RAGResult, len(idx))
			for j, i := range idx {
				cs[j], rs[j] = cases[i], results[i]
			}
			rep.PerLang[lang] = scoreRAG(cs, rs)
		}
	}
	return rep
}

func scoreRAG(cases []RAGCase, results []RAGResult) RAGScores {
	var s RAGScores
	s.Questions = len(cases)
	var abstained, rightAbstained int
	lat := make([]time.Duration, 0, len(results))
	for i, c := range cases {
		r := results[i]
		lat = append(lat, r.Latency)
		if r.Abstained {
			abstained++
		}
		if c.Doc == nil {
			s.Unanswerable++
			if r.Abstained {
				rightAbstained++
			}
			continue
		}
		s.Answerable++
		if r.Abstained {
			s.FalseAbstentions++
		}
		rank := ragRankOf(*c.Doc, r.Docs)
		if rank == 0 {
			continue
		}
		if rank <= 1 {
			s.RecallAt1++
		}
		if rank <= 5 {
			s.RecallAt5++
		}
		if rank <= 10 {
			s.RecallAt10++
			s.NDCGAt10 += 1 / math.Log2(float64(rank)+1)
		}
		s.MRR += 1 / float64(rank)
	}
	if s.Answerable > 0 {
		n := float64(s.Answerable)
		s.RecallAt1 /= n
		s.RecallAt5 /= n
		s.RecallAt10 /= n
		s.MRR /= n
		s.NDCGAt10 /= n
	}
	if abstained > 0 {
		s.NoAnswer.Precision = float64(rightAbstained) / float64(abstained)
	}
	if s.Unanswerable > 0 {
		s.NoAnswer.Recall = float64(rightAbstained) / float64(s.Unanswerable)
	}
	s.LatencyP50Ms = ragMillis(ragQuantile(lat, 0.50))
	s.LatencyP99Ms = ragMillis(ragQuantile(lat, 0.99))
	return s
}

// ragRankOf is the 1-based rank of doc among the distinct docs, 0 if absent.
func ragRankOf(doc string, docs []string) int {
	seen := map[string]bool{}
	rank := 0
	for _, d := range docs {
		if seen[d] {
			continue
		}
		seen[d] = true
		rank++
		if d == doc {
			return rank
		}
	}
	return 0
}

// ragQuantile is the nearest-rank q-quantile of ds (0 for none).
func ragQuantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(a, b int) bool { return s[a] < s[b] })
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

func ragMillis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
