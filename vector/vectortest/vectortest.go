package vectortest

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/assistd/assist"
	"github.com/assistd/assist/rag"
)

// Dim is the dense dimension of the indexes the suite opens.
const Dim = 4

// Run runs the conformance suite. open returns a new, empty index whose
// vectors have dim floats; it registers any cleanup with t.
func Run(t *testing.T, open func(t *testing.T, dim int) rag.Index) {
	s := suite{open: func(t *testing.T) rag.Index { return open(t, Dim) }}
	t.Run("ReplaceThenSearch", s.replaceThenSearch)
	t.Run("KeywordLeg", s.keywordLeg)
	t.Run("DenseLegAndLimit", s.denseLegAndLimit)
	t.Run("ReplaceReplaces", s.replaceReplaces)
	t.Run("EmptyChunksDelete", s.emptyChunksDelete)
	t.Run("TenantIsolation", s.tenantIsolation)
	t.Run("ScoresIsolated", s.scoresIsolated)
	t.Run("KBAndLangFilters", s.kbAndLangFilters)
	t.Run("Documents", s.documents)
	t.Run("FusionOrder", s.fusionOrder)
	t.Run("Weights", s.weights)
	t.Run("ChineseAndEnglish", s.chineseAndEnglish)
	t.Run("BadInput", s.badInput)
	t.Run("Concurrent", s.concurrent)
}

type suite struct {
	open func(t *testing.T) rag.Index
}

// when is the fixed ingest time of the fixtures.
var when = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)

func key(tenant, kb, doc string) rag.DocKey { return rag.DocKey{TenantID: tenant, KB: kb, Doc: doc} }

// chunk returns chunk ord of key with the given terms and vector; the text
// is the terms joined.
func chunk(k rag.DocKey, ord int, lang string, terms []string, vec []float32) rag.Chunk {
	text := ""
	for i, t := range terms {
		if i > 0 && lang != "zh" {
			text += " "
		}
		text += t
	}
	return rag.Chunk{
		DocKey:      k,
		ID:          uuid.Must(uuid.NewV7()).String(),
		Ord:         ord,
		Title:       "Title of " + k.Doc,
		Lang:        lang,
		HeadingPath: []string{"Help", k.Doc},
		Source:      "kb/" + k.Doc + ".md",
		UpdatedAt:   when,
		Text:        text,
		Terms:       terms,
		Vector:      vec,
	}
}

// unit returns the unit vector at angle deg (degrees) in the plane of the
// first two axes.
func unit(deg float64) []float32 {
	r := deg * math.Pi / 180
	return []float32{float32(math.Cos(r)), float32(math.Sin(r)), 0, 0}
}

// e1…e4 are unit vectors near the axes; any two have a cosine of 0.43, so
// every fixture vector is a (weak) match for every query: the suite does
// not assert whether an index returns chunks at a right angle or more.
var (
	e1 = unitOf(1, 0.2, 0.2, 0.2)
	e2 = unitOf(0.2, 1, 0.2, 0.2)
	e3 = unitOf(0.2, 0.2, 1, 0.2)
	e4 = unitOf(0.2, 0.2, 0.2, 1)
)

// unitOf returns v scaled to unit length.
func unitOf(v ...float32) []float32 {
	var n float64
	for _, x := range v {
		n += float64(x) * float64(x)
	}
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(float64(x) / math.Sqrt(n))
	}
	return out
}

func replace(t *testing.T, ix rag.Index, k rag.DocKey, chunks ...rag.Chunk) {
	t.Helper()
	if err := ix.Replace(context.Background(), k, chunks); err != nil {
		t.Fatalf("Replace(%v): %v", k, err)
	}
}

func search(t *testing.T, ix rag.Index, q rag.Query) []rag.Hit {
	t.Helper()
	hits, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	for i, h := range hits {
		if h.Chunk.TenantID != q.TenantID || h.Chunk.KB != q.KB || (q.Lang != "" && h.Chunk.Lang != q.Lang) {
			t.Fatalf("hit %d is %v/%s, outside the filter %+v", i, h.Chunk.DocKey, h.Chunk.Lang, q.Filter)
		}
		if i > 0 && h.Score > hits[i-1].Score {
			t.Fatalf("hit %d scores %g, above hit %d (%g): not best first", i, h.Score, i-1, hits[i-1].Score)
		}
	}
	return hits
}

func documents(t *testing.T, ix rag.Index, f rag.Filter) []rag.DocInfo {
	t.Helper()
	docs, err := ix.Documents(context.Background(), f)
	if err != nil {
		t.Fatalf("Documents(%+v): %v", f, err)
	}
	return docs
}

// ids lists the hits' chunk ids.
func ids(hits []rag.Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.Chunk.ID
	}
	return out
}

// wantIDs fails unless the hits are exactly the chunks want, in order.
func wantIDs(t *testing.T, what string, hits []rag.Hit, want ...rag.Chunk) {
	t.Helper()
	w := make([]string, len(want))
	for i, c := range want {
		w[i] = c.ID
	}
	if got := ids(hits); !slices.Equal(got, w) {
		t.Fatalf("%s: hits %v, want %v (%s)", what, got, w, describe(hits))
	}
}

// wantSet fails unless the hits are exactly the chunks want, in any order.
func wantSet(t *testing.T, what string, hits []rag.Hit, want ...rag.Chunk) {
	t.Helper()
	got := ids(hits)
	w := make([]string, len(want))
	for i, c := range want {
		w[i] = c.ID
	}
	slices.Sort(got)
	slices.Sort(w)
	if !slices.Equal(got, w) {
		t.Fatalf("%s: hits %v, want %v in any order (%s)", what, got, w, describe(hits))
	}
}

func describe(hits []rag.Hit) string {
	s := ""
	for i, h := range hits {
		s += fmt.Sprintf("[%d %s/%d %q score=%.5f kw=%d/%.3f dense=%d/%.3f] ", i, h.Chunk.Doc, h.Chunk.Ord, h.Chunk.Text, h.Score, h.KeywordRank, h.KeywordScore, h.DenseRank, h.DenseScore)
	}
	return s
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := assist.ErrorCode(err); got != code {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

// sameChunk fails unless got carries want's stored fields.
func sameChunk(t *testing.T, got, want rag.Chunk) {
	t.Helper()
	if got.DocKey != want.DocKey || got.ID != want.ID || got.Ord != want.Ord || got.Title != want.Title ||
		got.Lang != want.Lang || !slices.Equal(got.HeadingPath, want.HeadingPath) || got.Source != want.Source ||
		!got.UpdatedAt.Equal(want.UpdatedAt) || got.Text != want.Text || got.Question != want.Question || got.Answer != want.Answer {
		t.Fatalf("chunk round trip:\n got %+v\nwant %+v", got, want)
	}
}

func (s suite) replaceThenSearch(t *testing.T) {
	ix := s.open(t)
	ret, ship := key("t1", "help", "returns"), key("t1", "help", "shipping")
	r0 := chunk(ret, 0, "en", []string{"return", "policy", "days"}, e1)
	r1 := chunk(ret, 1, "en", []string{"refund", "card", "days"}, e2)
	r1.Question, r1.Answer = "How long does a refund take?", "Five days."
	s0 := chunk(ship, 0, "en", []string{"shipping", "express", "courier"}, e3)
	replace(t, ix, ret, r0, r1)
	replace(t, ix, ship, s0)

	f := rag.Filter{TenantID: "t1", KB: "help"}
	hits := search(t, ix, rag.Query{Filter: f, Terms: []string{"refund"}, Limit: 10})
	wantIDs(t, "keyword refund", hits, r1)
	h := hits[0]
	sameChunk(t, h.Chunk, r1)
	if h.KeywordRank != 1 || h.KeywordScore <= 0 || h.DenseRank != 0 || h.Score <= 0 {
		t.Errorf("keyword hit: %s", describe(hits))
	}

	hits = search(t, ix, rag.Query{Filter: f, Vector: unitOf(0.25, 0.2, 1, 0.25), Limit: 1})
	wantIDs(t, "dense near shipping", hits, s0)
	h = hits[0]
	sameChunk(t, h.Chunk, s0)
	if h.DenseRank != 1 || h.DenseScore < 0.97 || h.DenseScore > 1.0001 || h.KeywordRank != 0 || h.Score <= 0 {
		t.Errorf("dense hit: %s", describe(hits))
	}

	hits = search(t, ix, rag.Query{Filter: f, Terms: []string{"nothing", "matches"}, Limit: 10})
	wantIDs(t, "unknown terms", hits)
	hits = search(t, ix, rag.Query{Filter: f, Limit: 10})
	wantIDs(t, "no legs", hits)
}

// fillers returns n chunks of key, each with its own terms and a vector
// along e4, for corpus statistics.
func fillers(k rag.DocKey, n int) []rag.Chunk {
	out := make([]rag.Chunk, n)
	for i := range out {
		out[i] = chunk(k, i, "en", []string{fmt.Sprintf("filler%d", i), "lorem", "ipsum"}, e4)
	}
	return out
}

func (s suite) keywordLeg(t *testing.T) {
	ix := s.open(t)
	k := key("t1", "help", "refunds")
	twice := chunk(k, 0, "en", []string{"refund", "refund", "card"}, e1)
	once := chunk(k, 1, "en", []string{"refund", "bank", "card"}, e2)
	other := chunk(k, 2, "en", []string{"voucher", "bank", "gift"}, e3)
	replace(t, ix, k, twice, once, other)
	fk := key("t1", "help", "filler")
	replace(t, ix, fk, fillers(fk, 6)...)

	f := rag.Filter{TenantID: "t1", KB: "help"}
	hits := search(t, ix, rag.Query{Filter: f, Terms: []string{"refund"}, Limit: 10})
	wantIDs(t, "term frequency orders", hits, twice, once)
	if hits[0].KeywordScore <= hits[1].KeywordScore || hits[0].KeywordRank != 1 || hits[1].KeywordRank != 2 {
		t.Errorf("keyword scores and ranks: %s", describe(hits))
	}
	for _, h := range hits {
		if h.DenseRank != 0 || h.DenseScore != 0 {
			t.Errorf("keyword-only query has a dense leg: %s", describe(hits))
		}
	}
	// A rare term outweighs a common one: gift (1 chunk) beats card (2).
	hits = search(t, ix, rag.Query{Filter: f, Terms: []string{"gift", "card"}, Limit: 1})
	wantIDs(t, "rarer term, limit 1", hits, other)
	hits = search(t, ix, rag.Query{Filter: f, Terms: []string{"bank", "card", "gift"}, Limit: 10})
	wantSet(t, "any term matches", hits, twice, once, other)
}

func (s suite) denseLegAndLimit(t *testing.T) {
	ix := s.open(t)
	k := key("t1", "help", "angles")
	var chunks []rag.Chunk
	for i := range 6 {
		chunks = append(chunks, chunk(k, i, "en", []string{fmt.Sprintf("word%d", i)}, unit(float64(15*i))))
	}
	// Insert in a scrambled order so insertion order cannot fake ranking.
	replace(t, ix, k, chunks[3], chunks[0], chunks[5], chunks[1], chunks[4], chunks[2])

	f := rag.Filter{TenantID: "t1", KB: "help"}
	q := rag.Query{Filter: f, Vector: unit(80), Limit: 3}
	hits := search(t, ix, q)
	wantIDs(t, "nearest three to 80°", hits, chunks[5], chunks[4], chunks[3])
	for i, h := range hits {
		want := math.Cos(float64(80-15*(5-i)) * math.Pi / 180)
		if h.DenseRank != i+1 || math.Abs(h.DenseScore-want) > 1e-3 || h.KeywordRank != 0 {
			t.Errorf("hit %d: dense rank %d score %.4f, want rank %d score %.4f (%s)", i, h.DenseRank, h.DenseScore, i+1, want, describe(hits))
		}
	}
	// The order does not depend on the query vector's length.
	q.Vector = []float32{}
	for _, x := range unit(80) {
		q.Vector = append(q.Vector, 10*x)
	}
	wantIDs(t, "scaled query", search(t, ix, q), chunks[5], chunks[4], chunks[3])
	q.Limit = 10
	if hits := search(t, ix, q); len(hits) != 6 {
		t.Errorf("limit 10 over 6 chunks: %d hits", len(hits))
	}
	q.Limit = 1
	wantIDs(t, "limit 1", search(t, ix, q), chunks[5])
}

func (s suite) replaceReplaces(t *testing.T) {
	ix := s.open(t)
	k := key("t1", "help", "faq")
	old := []rag.Chunk{
		chunk(k, 0, "en", []string{"oldterm", "alpha"}, e1),
		chunk(k, 1, "en", []string{"oldterm", "beta"}, e2),
		chunk(k, 2, "en", []string{"oldterm", "gamma"}, e3),
	}
	replace(t, ix, k, old...)
	fresh := []rag.Chunk{
		chunk(k, 0, "en", []string{"newterm", "alpha"}, e1),
		chunk(k, 1, "en", []string{"newterm", "delta"}, e4),
	}
	replace(t, ix, k, fresh...)
	// Ingesting the same chunks again (same ids) must not duplicate them.
	replace(t, ix, k, fresh...)

	f := rag.Filter{TenantID: "t1", KB: "help"}
	wantIDs(t, "old term gone", search(t, ix, rag.Query{Filter: f, Terms: []string{"oldterm"}, Limit: 10}))
	wantSet(t, "new term", search(t, ix, rag.Query{Filter: f, Terms: []string{"newterm"}, Limit: 10}), fresh...)
	wantSet(t, "all chunks by vector", search(t, ix, rag.Query{Filter: f, Vector: e1, Limit: 10}), fresh...)
	docs := documents(t, ix, f)
	if len(docs) != 1 || docs[0].DocKey != k || docs[0].Chunks != 2 {
		t.Errorf("Documents = %+v, want one document %v with 2 chunks", docs, k)
	}
}

func (s suite) emptyChunksDelete(t *testing.T) {
	ix := s.open(t)
	a, b := key("t1", "help", "a"), key("t1", "help", "b")
	ca := chunk(a, 0, "en", []string{"shared", "apple"}, e1)
	cb := chunk(b, 0, "en", []string{"shared", "banana"}, e2)
	replace(t, ix, a, ca)
	replace(t, ix, b, cb)
	replace(t, ix, a)
	f := rag.Filter{TenantID: "t1", KB: "help"}
	wantIDs(t, "deleted by keyword", search(t, ix, rag.Query{Filter: f, Terms: []string{"shared"}, Limit: 10}), cb)
	wantIDs(t, "deleted by vector", search(t, ix, rag.Query{Filter: f, Vector: e1, Limit: 10}), cb)
	if docs := documents(t, ix, f); len(docs) != 1 || docs[0].Doc != "b" {
		t.Errorf("Documents after delete = %+v, want only b", docs)
	}
	// Deleting what is not there is not an error.
	replace(t, ix, key("t1", "help", "never-ingested"))
	replace(t, ix, a, []rag.Chunk{}...)
}

func (s suite) tenantIsolation(t *testing.T) {
	ix := s.open(t)
	k1, k2 := key("t1", "help", "same"), key("t2", "help", "same")
	c1 := chunk(k1, 0, "en", []string{"password", "reset"}, e1)
	c2 := chunk(k2, 0, "en", []string{"password", "reset"}, e1)
	replace(t, ix, k1, c1)
	replace(t, ix, k2, c2)
	for _, tc := range []struct {
		tenant string
		want   rag.Chunk
	}{{"t1", c1}, {"t2", c2}} {
		f := rag.Filter{TenantID: tc.tenant, KB: "help"}
		q := rag.Query{Filter: f, Terms: []string{"password"}, Vector: e1, Limit: 10}
		wantIDs(t, "tenant "+tc.tenant, search(t, ix, q), tc.want)
		docs := documents(t, ix, f)
		if len(docs) != 1 || docs[0].TenantID != tc.tenant {
			t.Errorf("Documents(%s) = %+v", tc.tenant, docs)
		}
	}
	f3 := rag.Filter{TenantID: "t3", KB: "help"}
	wantIDs(t, "unknown tenant", search(t, ix, rag.Query{Filter: f3, Terms: []string{"password"}, Vector: e1, Limit: 10}))
	if docs := documents(t, ix, f3); len(docs) != 0 {
		t.Errorf("Documents(t3) = %+v, want none", docs)
	}
	// Deleting t2's document leaves t1's, of the same name, alone.
	replace(t, ix, k2)
	wantIDs(t, "t1 after t2 deletes", search(t, ix, rag.Query{Filter: rag.Filter{TenantID: "t1", KB: "help"}, Terms: []string{"password"}, Limit: 10}), c1)
	wantIDs(t, "t2 after delete", search(t, ix, rag.Query{Filter: rag.Filter{TenantID: "t2", KB: "help"}, Terms: []string{"password"}, Vector: e1, Limit: 10}))
}

// scoresIsolated checks that no statistic a score rests on is shared
// between knowledge bases: after another tenant (and another knowledge
// base of the same tenant) ingest a large corpus that shares this one's
// words, with other lengths and frequencies, every hit of this tenant has
// the same rank and the same scores as before.
func (s suite) scoresIsolated(t *testing.T) {
	ix := s.open(t)
	mine := key("t1", "help", "returns")
	words := [][]string{
		{"return", "window", "day", "refund"},
		{"refund", "card", "bank", "day", "day"},
		{"shipping", "fee", "free", "order"},
		{"return", "shipping", "label", "free", "refund", "card"},
		{"warranty", "repair", "month"},
	}
	var cs []rag.Chunk
	for i, w := range words {
		cs = append(cs, chunk(mine, i, "en", w, [][]float32{e1, e2, e3, e4, e1}[i]))
	}
	replace(t, ix, mine, cs...)
	f := rag.Filter{TenantID: "t1", KB: "help"}
	queries := []rag.Query{
		{Filter: f, Terms: []string{"refund", "day"}, Limit: 10},
		{Filter: f, Terms: []string{"free", "shipping", "return"}, Vector: e3, Limit: 10},
		{Filter: f, Terms: []string{"card", "warranty"}, Vector: e2, Limit: 3},
		{Filter: rag.Filter{TenantID: "t1", KB: "help", Lang: "en"}, Terms: []string{"label"}, Limit: 10},
	}
	before := make([][]rag.Hit, len(queries))
	for i, q := range queries {
		before[i] = search(t, ix, q)
		if len(before[i]) == 0 {
			t.Fatalf("query %d finds nothing", i)
		}
	}
	// The other corpus: many chunks, long and short, most with "refund"
	// and "day", some with every query word.
	other := []rag.DocKey{key("t2", "help", "returns"), key("t2", "help", "big"), key("t1", "other-kb", "big")}
	for d, k := range other {
		var big []rag.Chunk
		for i := range 300 {
			terms := []string{"refund", "day", fmt.Sprintf("w%d", i%37)}
			for j := range i % 9 {
				terms = append(terms, fmt.Sprintf("pad%d", j))
			}
			if i%5 == d {
				terms = append(terms, "free", "shipping", "return", "card", "warranty", "label")
			}
			big = append(big, chunk(k, i, [...]string{"en", "zh", "en"}[d], terms, [][]float32{e1, e2, e3, e4}[i%4]))
		}
		replace(t, ix, k, big...)
	}
	for i, q := range queries {
		after := search(t, ix, q)
		if len(after) != len(before[i]) {
			t.Fatalf("query %d: %d hits before the other corpus, %d after:\nbefore %s\nafter  %s",
				i, len(before[i]), len(after), describe(before[i]), describe(after))
		}
		for j := range after {
			b, a := before[i][j], after[j]
			if a.Chunk.ID != b.Chunk.ID || a.Score != b.Score || a.KeywordScore != b.KeywordScore ||
				a.DenseScore != b.DenseScore || a.KeywordRank != b.KeywordRank || a.DenseRank != b.DenseRank {
				t.Errorf("query %d hit %d moved after another tenant's ingest:\nbefore %s\nafter  %s",
					i, j, describe(before[i]), describe(after))
				break
			}
		}
	}
}

func (s suite) kbAndLangFilters(t *testing.T) {
	ix := s.open(t)
	help, faq := key("t1", "help", "doc"), key("t1", "faq", "doc")
	hEn := chunk(help, 0, "en", []string{"invoice", "vat"}, e1)
	hZh := chunk(help, 1, "zh", []string{"发票", "invoice"}, e2)
	fEn := chunk(faq, 0, "en", []string{"invoice", "vat"}, e1)
	replace(t, ix, help, hEn, hZh)
	replace(t, ix, faq, fEn)

	fh := rag.Filter{TenantID: "t1", KB: "help"}
	wantSet(t, "kb help", search(t, ix, rag.Query{Filter: fh, Terms: []string{"invoice"}, Vector: e1, Limit: 10}), hEn, hZh)
	wantSet(t, "kb faq", search(t, ix, rag.Query{Filter: rag.Filter{TenantID: "t1", KB: "faq"}, Terms: []string{"invoice"}, Vector: e1, Limit: 10}), fEn)
	fz := rag.Filter{TenantID: "t1", KB: "help", Lang: "zh"}
	wantIDs(t, "lang zh keyword", search(t, ix, rag.Query{Filter: fz, Terms: []string{"invoice"}, Limit: 10}), hZh)
	wantIDs(t, "lang zh dense", search(t, ix, rag.Query{Filter: fz, Vector: e1, Limit: 10}), hZh)
	wantIDs(t, "lang en", search(t, ix, rag.Query{Filter: rag.Filter{TenantID: "t1", KB: "help", Lang: "en"}, Terms: []string{"invoice"}, Vector: e2, Limit: 10}), hEn)
	if docs := documents(t, ix, rag.Filter{TenantID: "t1", KB: "help", Lang: "fr"}); len(docs) != 0 {
		t.Errorf("Documents(lang fr) = %+v, want none", docs)
	}
	if docs := documents(t, ix, fz); len(docs) != 1 || docs[0].Chunks != 1 || docs[0].KB != "help" {
		t.Errorf("Documents(lang zh) = %+v, want help/doc with its 1 zh chunk", docs)
	}
}

func (s suite) documents(t *testing.T) {
	ix := s.open(t)
	counts := map[string]int{"beta": 2, "alpha": 1, "gamma": 3}
	for _, name := range []string{"gamma", "alpha", "beta"} {
		k := key("t1", "help", name)
		var chunks []rag.Chunk
		for i := range counts[name] {
			c := chunk(k, i, "en", []string{name, fmt.Sprint("part", i)}, e1)
			c.UpdatedAt = when.Add(time.Duration(len(name)) * time.Hour)
			chunks = append(chunks, c)
		}
		replace(t, ix, k, chunks...)
	}
	replace(t, ix, key("t1", "other", "delta"), chunk(key("t1", "other", "delta"), 0, "en", []string{"delta"}, e2))

	docs := documents(t, ix, rag.Filter{TenantID: "t1", KB: "help"})
	var names []string
	for _, d := range docs {
		names = append(names, d.Doc)
		want := rag.DocInfo{
			DocKey:    key("t1", "help", d.Doc),
			Title:     "Title of " + d.Doc,
			Lang:      "en",
			Source:    "kb/" + d.Doc + ".md",
			Chunks:    counts[d.Doc],
			UpdatedAt: when.Add(time.Duration(len(d.Doc)) * time.Hour),
		}
		if d.DocKey != want.DocKey || d.Title != want.Title || d.Lang != want.Lang || d.Source != want.Source ||
			d.Chunks != want.Chunks || !d.UpdatedAt.Equal(want.UpdatedAt) {
			t.Errorf("DocInfo %+v, want %+v", d, want)
		}
	}
	if !slices.Equal(names, []string{"alpha", "beta", "gamma"}) {
		t.Errorf("Documents names %v, want [alpha beta gamma]", names)
	}
	if docs := documents(t, ix, rag.Filter{TenantID: "t1", KB: "empty"}); len(docs) != 0 {
		t.Errorf("Documents of an empty kb = %+v", docs)
	}
}

// fusionOrder: A is first in the keyword leg and second in the dense leg,
// B first in the dense leg only. RRF puts A above B.
func (s suite) fusionOrder(t *testing.T) {
	ix := s.open(t)
	k := key("t1", "help", "fusion")
	a := chunk(k, 0, "en", []string{"warranty", "repair"}, unit(20))
	b := chunk(k, 1, "en", []string{"invoice", "copy"}, unit(0))
	c := chunk(k, 2, "en", []string{"coupon", "code"}, unit(60))
	d := chunk(k, 3, "en", []string{"member", "points"}, e3)
	replace(t, ix, k, a, b, c, d)
	fk := key("t1", "help", "filler")
	replace(t, ix, fk, fillers(fk, 4)...)

	hits := search(t, ix, rag.Query{Filter: rag.Filter{TenantID: "t1", KB: "help"}, Terms: []string{"warranty"}, Vector: unit(0), Limit: 3})
	if len(hits) < 2 {
		t.Fatalf("fused hits: %s", describe(hits))
	}
	wantIDs(t, "fused top two", hits[:2], a, b)
	if hits[0].KeywordRank != 1 || hits[0].DenseRank != 2 || hits[1].KeywordRank != 0 || hits[1].DenseRank != 1 {
		t.Errorf("leg ranks: %s", describe(hits))
	}
	wantA := 1.0/(RRFK+1) + 1.0/(RRFK+2)
	if math.Abs(hits[0].Score-wantA) > 1e-6 || math.Abs(hits[1].Score-1.0/(RRFK+1)) > 1e-6 {
		t.Errorf("fused scores %.6f, %.6f, want %.6f, %.6f", hits[0].Score, hits[1].Score, wantA, 1.0/(RRFK+1))
	}
	if len(hits) != 3 {
		t.Errorf("limit 3: %d hits", len(hits))
	}
}

// weights: A is first in the keyword leg and tenth in the dense leg, B
// first in the dense leg only. Equal weights favour A (1/61+1/70 > 1/61);
// a keyword weight of 0.1 favours B (0.1/61+1/70 < 1/61).
func (s suite) weights(t *testing.T) {
	ix := s.open(t)
	k := key("t1", "help", "weights")
	a := chunk(k, 0, "en", []string{"giftcard", "balance"}, e3)
	b := chunk(k, 1, "en", []string{"other", "words"}, unit(0))
	chunks := []rag.Chunk{a, b}
	for i := range 8 {
		chunks = append(chunks, chunk(k, 2+i, "en", []string{fmt.Sprint("near", i)}, unit(float64(5*(i+1)))))
	}
	replace(t, ix, k, chunks...)

	f := rag.Filter{TenantID: "t1", KB: "help"}
	for _, tc := range []struct {
		name     string
		kw, dens float64
		want     []rag.Chunk
	}{
		{"default weights", 0, 0, []rag.Chunk{a, b}},
		{"light keyword leg", 0.1, 1, []rag.Chunk{b, a}},
		{"light dense leg", 1, 0.1, []rag.Chunk{a, b}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := rag.Query{Filter: f, Terms: []string{"giftcard"}, Vector: unit(0), Limit: 10, KeywordWeight: tc.kw, DenseWeight: tc.dens}
			hits := search(t, ix, q)
			var top []rag.Hit
			for _, h := range hits {
				if h.Chunk.ID == a.ID || h.Chunk.ID == b.ID {
					top = append(top, h)
				}
			}
			wantIDs(t, "order of A and B", top, tc.want...)
			for _, h := range top {
				if h.Chunk.ID == a.ID && (h.KeywordRank != 1 || h.DenseRank != 10) {
					t.Errorf("A ranks: %s", describe(top))
				}
			}
		})
	}
}

func (s suite) chineseAndEnglish(t *testing.T) {
	ix := s.open(t)
	zk, ek := key("t1", "help", "退货政策"), key("t1", "help", "return-policy")
	zh := chunk(zk, 0, "zh", []string{"七天", "无理由", "退货", "政策"}, e1)
	zh2 := chunk(zk, 1, "zh", []string{"退款", "原路", "返回"}, e2)
	en := chunk(ek, 0, "en", []string{"seven", "day", "return", "policy"}, e1)
	replace(t, ix, zk, zh, zh2)
	replace(t, ix, ek, en)
	fk := key("t1", "help", "filler")
	replace(t, ix, fk, fillers(fk, 4)...)

	f := rag.Filter{TenantID: "t1", KB: "help"}
	hits := search(t, ix, rag.Query{Filter: f, Terms: []string{"退货"}, Limit: 10})
	wantIDs(t, "退货", hits, zh)
	sameChunk(t, hits[0].Chunk, zh)
	wantIDs(t, "退款", search(t, ix, rag.Query{Filter: f, Terms: []string{"退款"}, Limit: 10}), zh2)
	wantIDs(t, "policy", search(t, ix, rag.Query{Filter: f, Terms: []string{"policy"}, Limit: 10}), en)
	wantSet(t, "mixed", search(t, ix, rag.Query{Filter: f, Terms: []string{"退货", "return"}, Limit: 10}), zh, en)
	docs := documents(t, ix, f)
	var names []string
	for _, d := range docs {
		names = append(names, d.Doc)
	}
	if want := []string{"filler", "return-policy", "退货政策"}; !slices.Equal(names, want) {
		t.Errorf("Documents names %v, want %v", names, want)
	}
}

func (s suite) badInput(t *testing.T) {
	ix := s.open(t)
	ctx := context.Background()
	k := key("t1", "help", "doc")
	good := chunk(k, 0, "en", []string{"keep", "me"}, e1)
	replace(t, ix, k, good)

	other := chunk(key("t1", "help", "another"), 0, "en", []string{"x"}, e1)
	wantCode(t, "chunk of another document", ix.Replace(ctx, k, []rag.Chunk{other}), assist.EINVALID)
	otherTenant := chunk(key("t2", "help", "doc"), 0, "en", []string{"x"}, e1)
	wantCode(t, "chunk of another tenant", ix.Replace(ctx, k, []rag.Chunk{good, otherTenant}), assist.EINVALID)
	short := chunk(k, 0, "en", []string{"x"}, []float32{1, 0, 0})
	wantCode(t, "vector too short", ix.Replace(ctx, k, []rag.Chunk{short}), assist.EINVALID)
	long := chunk(k, 0, "en", []string{"x"}, []float32{1, 0, 0, 0, 0})
	wantCode(t, "vector too long", ix.Replace(ctx, k, []rag.Chunk{long}), assist.EINVALID)
	wantCode(t, "no tenant", ix.Replace(ctx, key("", "help", "doc"), nil), assist.EINVALID)
	wantCode(t, "no document name", ix.Replace(ctx, key("t1", "help", ""), nil), assist.EINVALID)

	// A refused Replace leaves the document as it was.
	f := rag.Filter{TenantID: "t1", KB: "help"}
	wantIDs(t, "after refused replaces", search(t, ix, rag.Query{Filter: f, Terms: []string{"keep"}, Limit: 10}), good)

	_, err := ix.Search(ctx, rag.Query{Filter: f, Vector: []float32{1, 0}, Limit: 10})
	wantCode(t, "query vector of the wrong size", err, assist.EINVALID)
	_, err = ix.Search(ctx, rag.Query{Filter: rag.Filter{KB: "help"}, Terms: []string{"keep"}, Limit: 10})
	wantCode(t, "search without tenant", err, assist.EINVALID)
	_, err = ix.Search(ctx, rag.Query{Filter: rag.Filter{TenantID: "t1"}, Terms: []string{"keep"}, Limit: 10})
	wantCode(t, "search without kb", err, assist.EINVALID)
	_, err = ix.Documents(ctx, rag.Filter{KB: "help"})
	wantCode(t, "documents without tenant", err, assist.EINVALID)
}

func (s suite) concurrent(t *testing.T) {
	ix := s.open(t)
	const writers, rounds, readers = 4, 6, 4
	f := rag.Filter{TenantID: "t1", KB: "help"}
	ctx := context.Background()
	final := make([][]rag.Chunk, writers)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			k := key("t1", "help", fmt.Sprint("doc", w))
			for r := range rounds {
				var chunks []rag.Chunk
				for i := range 1 + (w+r)%3 {
					chunks = append(chunks, chunk(k, i, "en", []string{"common", fmt.Sprintf("w%dr%d", w, r)}, unit(float64(10*w+i))))
				}
				if err := ix.Replace(ctx, k, chunks); err != nil {
					t.Errorf("Replace: %v", err)
					return
				}
				final[w] = chunks
			}
		})
	}
	for range readers {
		wg.Go(func() {
			for range rounds * 2 {
				hits, err := ix.Search(ctx, rag.Query{Filter: f, Terms: []string{"common"}, Vector: e1, Limit: 5})
				if err != nil {
					t.Errorf("Search: %v", err)
					return
				}
				for _, h := range hits {
					if h.Chunk.TenantID != "t1" {
						t.Errorf("hit of tenant %q", h.Chunk.TenantID)
					}
				}
				if _, err := ix.Documents(ctx, f); err != nil {
					t.Errorf("Documents: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for w := range writers {
		term := fmt.Sprintf("w%dr%d", w, rounds-1)
		wantSet(t, "final "+term, search(t, ix, rag.Query{Filter: f, Terms: []string{term}, Limit: 10}), final[w]...)
		old := fmt.Sprintf("w%dr%d", w, rounds-2)
		wantIDs(t, "replaced "+old, search(t, ix, rag.Query{Filter: f, Terms: []string{old}, Limit: 10}))
	}
	docs := documents(t, ix, f)
	if len(docs) != writers {
		t.Fatalf("Documents: %d, want %d", len(docs), writers)
	}
	for w, d := range docs {
		if d.Doc != fmt.Sprint("doc", w) || d.Chunks != len(final[w]) {
			t.Errorf("Documents[%d] = %s with %d chunks, want doc%d with %d", w, d.Doc, d.Chunks, w, len(final[w]))
		}
	}
}
