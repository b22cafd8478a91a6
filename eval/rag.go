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
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/assistd/assist"
	"github.com/assistd/assist/eval/report"
)

// RAGCase is one retrieval question: Doc names the document that answers
// it, nil when nothing in the knowledge base does (the bot should abstain).
type RAGCase struct {
	Question string  `json:"question"`
	Doc      *string `json:"doc"`
	Lang     string  `json:"lang,omitempty"`
	Fact     string  `json:"fact,omitempty"`  // the key fact, verbatim in Doc: a right answer quotes it
	Kind     string  `json:"kind,omitempty"`  // duration, amount, yesno, howto, other, unanswerable
	Cross    bool    `json:"cross,omitempty"` // answered only by the other language's article
}

// RAGResult is what the system did with a case: the documents it
// retrieved, best first (repeats allowed, only the first counts), whether
// it abstained, and how long retrieval took.
type RAGResult struct {
	Docs       []string
	Abstained  bool
	Latency    time.Duration
	Answer     string  // the reply the system would give, abstaining or not ("" when it has none)
	Confidence float64 // its confidence that the reply is right, 0..1
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
	MRR          float64 `json:"mrr"`
	NDCGAt5      float64 `json:"ndcg_at_5"`
	NoAnswer     struct {
		Precision float64 `json:"precision"` // abstentions that were right to abstain
		Recall    float64 `json:"recall"`    // unanswerable cases the bot abstained on
	} `json:"no_answer"`
	// AnsweredWrongly counts answerable cases the bot abstained on.
	FalseAbstentions int `json:"false_abstentions"`
	// Answered is the share of answerable cases the bot answered;
	// UnanswerableAnswered the unanswerable ones it answered anyway.
	Answered             float64 `json:"answered"`
	UnanswerableAnswered int     `json:"unanswerable_answered"`
	// Facts counts the answered answerable cases with a key fact, and
	// FactMatch the share of them whose reply quotes it (case, width and
	// spaces aside).
	Facts     int     `json:"facts"`
	FactMatch float64 `json:"fact_match"`
	// Right counts the replies that are right: an answerable case whose
	// reply quotes its key fact (or, without one, whose best document is
	// its document). Calibration compares it with the confidence.
	Right            int          `json:"right"`
	CalibrationError float64      `json:"calibration_error"` // expected calibration error over Reliability
	Reliability      []report.Bin `json:"reliability,omitempty"`
	LatencyP50Ms     float64      `json:"latency_p50_ms"`
	LatencyP99Ms     float64      `json:"latency_p99_ms"`
}

// RAGReport is the whole report: overall, per language and per kind of
// question (for cases that carry them), and on the cross-lingual cases.
type RAGReport struct {
	RAGScores
	PerLang map[string]RAGScores `json:"per_lang,omitempty"`
	PerKind map[string]RAGScores `json:"per_kind,omitempty"`
	Cross   *RAGScores           `json:"cross,omitempty"`
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
	sub := func(idx []int) RAGScores {
		cs := make([]RAGCase, len(idx))
		rs := make([]RAGResult, len(idx))
		for j, i := range idx {
			cs[j], rs[j] = cases[i], results[i]
		}
		return scoreRAG(cs, rs)
	}
	byLang, byKind := map[string][]int{}, map[string][]int{}
	var cross []int
	for i, c := range cases {
		if c.Lang != "" {
			byLang[c.Lang] = append(byLang[c.Lang], i)
		}
		if c.Kind != "" {
			byKind[c.Kind] = append(byKind[c.Kind], i)
		}
		if c.Cross {
			cross = append(cross, i)
		}
	}
	if len(byLang) > 0 {
		rep.PerLang = map[string]RAGScores{}
		for lang, idx := range byLang {
			rep.PerLang[lang] = sub(idx)
		}
	}
	if len(byKind) > 0 {
		rep.PerKind = map[string]RAGScores{}
		for kind, idx := range byKind {
			rep.PerKind[kind] = sub(idx)
		}
	}
	if len(cross) > 0 {
		s := sub(cross)
		rep.Cross = &s
	}
	return rep
}

// RightAnswer reports whether reply is a right answer to c: c is
// answerable and the reply quotes its key fact (case, width and spaces
// aside) or, when c has none, the first of docs is c's document.
func RightAnswer(c RAGCase, reply string, docs []string) bool {
	if c.Doc == nil {
		return false
	}
	if c.Fact != "" {
		return QuotesFact(reply, c.Fact)
	}
	return len(docs) > 0 && docs[0] == *c.Doc
}

// QuotesFact reports whether text holds fact, ignoring case, character
// width and white space.
func QuotesFact(text, fact string) bool {
	f := factForm(fact)
	return f != "" && strings.Contains(factForm(text), f)
}

func factForm(s string) string {
	s = strings.ToLower(norm.NFKC.String(s))
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// reliabilityBins is the number of equal-width confidence bins of the
// reliability curve.
const reliabilityBins = 10

func scoreRAG(cases []RAGCase, results []RAGResult) RAGScores {
	var s RAGScores
	s.Questions = len(cases)
	var abstained, rightAbstained, answered, factHits int
	lat := make([]time.Duration, 0, len(results))
	conf := make([]float64, len(cases))
	right := make([]bool, len(cases))
	for i, c := range cases {
		r := results[i]
		lat = append(lat, r.Latency)
		conf[i] = r.Confidence
		right[i] = RightAnswer(c, r.Answer, r.Docs)
		if right[i] {
			s.Right++
		}
		if r.Abstained {
			abstained++
		}
		if c.Doc == nil {
			s.Unanswerable++
			if r.Abstained {
				rightAbstained++
			} else {
				s.UnanswerableAnswered++
			}
			continue
		}
		s.Answerable++
		if r.Abstained {
			s.FalseAbstentions++
		} else {
			answered++
			if c.Fact != "" {
				s.Facts++
				if QuotesFact(r.Answer, c.Fact) {
					factHits++
				}
			}
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
			s.NDCGAt5 += 1 / math.Log2(float64(rank)+1)
		}
		s.MRR += 1 / float64(rank)
	}
	if s.Facts > 0 {
		s.FactMatch = float64(factHits) / float64(s.Facts)
	}
	s.Reliability, s.CalibrationError = report.Bins(conf, right, reliabilityBins)
	if s.Answerable > 0 {
		s.Answered = float64(answered) / float64(s.Answerable)
		n := float64(s.Answerable)
		s.RecallAt1 /= n
		s.RecallAt5 /= n
		s.MRR /= n
		s.NDCGAt5 /= n
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
