package agentassist

import (
	"context"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/assistd/assist/rag"
)

// Pair is a customer question and what an agent answered it, both with
// personal data masked.
type Pair struct {
	TenantID       string    `json:"-"`
	ConversationID string    `json:"conversation_id"`
	Question       string    `json:"question"`
	Answer         string    `json:"answer"`
	Lang           string    `json:"lang"`
	At             time.Time `json:"at"`
	Score          float64   `json:"score,omitempty"` // Nearest: similarity to the question asked
}

// PairStore keeps question/answer pairs. Implementation: store/sqlite.
type PairStore interface {
	AddPair(ctx context.Context, p Pair) error
	// Pairs returns the tenant's pairs, oldest first, at most limit.
	Pairs(ctx context.Context, tenantID string, limit int) ([]Pair, error)
}

// Replies is an in-memory index of the pairs of each tenant, loaded from
// its store on first use. Similarity is the cosine of the questions'
// terms (rag's analyzer: words and Chinese bigrams), weighted by inverse
// document frequency.
type Replies struct {
	Store    PairStore    // nil: memory only
	Analyzer rag.Analyzer // nil: rag.Bigrams
	MinScore float64      // below this a pair is not suggested; 0: 0.5
	Max      int          // pairs kept per tenant; 0: 20000

	mu      sync.Mutex
	tenants map[string]*pairIndex
}

type pairIndex struct {
	pairs []indexedPair
	df    map[string]int
}

type indexedPair struct {
	Pair
	terms map[string]bool
}

func (r *Replies) analyzer() rag.Analyzer {
	if r.Analyzer == nil {
		return rag.Bigrams{}
	}
	return r.Analyzer
}

func (r *Replies) max() int {
	if r.Max <= 0 {
		return 20000
	}
	return r.Max
}

func (r *Replies) terms(s string) map[string]bool {
	out := map[string]bool{}
	for _, t := range rag.QuestionTerms(r.analyzer(), s) {
		out[t] = true
	}
	return out
}

// index returns the tenant's index, loading it; the caller holds r.mu.
func (r *Replies) index(ctx context.Context, tenantID string) *pairIndex {
	if r.tenants == nil {
		r.tenants = map[string]*pairIndex{}
	}
	ix := r.tenants[tenantID]
	if ix != nil {
		return ix
	}
	ix = &pairIndex{df: map[string]int{}}
	r.tenants[tenantID] = ix
	if r.Store != nil {
		ps, err := r.Store.Pairs(ctx, tenantID, r.max())
		if err == nil {
			for _, p := range ps {
				r.addLocked(ix, p)
			}
		}
	}
	return ix
}

func (r *Replies) addLocked(ix *pairIndex, p Pair) {
	ip := indexedPair{Pair: p, terms: r.terms(p.Question)}
	if len(ip.terms) == 0 {
		return
	}
	for t := range ip.terms {
		ix.df[t]++
	}
	ix.pairs = append(ix.pairs, ip)
	if len(ix.pairs) > r.max() {
		for t := range ix.pairs[0].terms {
			ix.df[t]--
		}
		ix.pairs = ix.pairs[1:]
	}
}

// Add stores a pair and indexes it.
func (r *Replies) Add(ctx context.Context, p Pair) error {
	if r.Store != nil {
		if err := r.Store.AddPair(ctx, p); err != nil {
			return err
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.addLocked(r.index(ctx, p.TenantID), p)
	return nil
}

// Nearest returns up to n pairs of other conversations in lang whose
// questions are most like question, best first, with their Score.
func (r *Replies) Nearest(tenantID, exceptConv, question, lang string, n int) []Pair {
	q := r.terms(question)
	if len(q) == 0 {
		return nil
	}
	min := r.MinScore
	if min <= 0 {
		min = 0.5
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	ix := r.index(context.Background(), tenantID)
	total := float64(len(ix.pairs)) + 1
	idf := func(t string) float64 { return math.Log(1 + total/float64(ix.df[t]+1)) }
	var qn float64
	for t := range q {
		qn += idf(t) * idf(t)
	}
	var out []Pair
	for _, p := range ix.pairs {
		if p.Lang != lang || p.ConversationID == exceptConv {
			continue
		}
		var dot, pn float64
		for t := range p.terms {
			w := idf(t)
			pn += w * w
			if q[t] {
				dot += w * w
			}
		}
		if dot == 0 {
			continue
		}
		score := dot / math.Sqrt(qn*pn)
		if score < min {
			continue
		}
		pp := p.Pair
		pp.Score = score
		out = append(out, pp)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].At.After(out[j].At)
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}
