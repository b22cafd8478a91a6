package rag

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/assistd/assist/catalog"
)

// PublishedSource is the Source of the FAQ documents the gap report
// publishes: the answer a knowledge manager approved for questions the
// help center could not answer, with the customers' own wordings of them
// as the entry's questions.
const PublishedSource = "gap report"

// Matching a question to a published answer. Customers ask again in
// their own words ("if i invite my friend do i get anything" for "Do you
// have a refer-a-friend program?"), which share few words with the
// published question and often more with its answer ("…under Me → Invite
// friends…"). A question asks a published entry when most of its words,
// weighed by how rare they are in the knowledge base, are in the entry:
// its questions count fully, its answer at answerWeight, a Chinese
// character alone at hanWeight (paraphrases share characters more than
// bigrams: "t恤第一次洗" and "T恤洗了会缩水吗"), a notion as one word
// whichever of its forms or languages names it ("会不会变小" and "会缩水吗").
// Measured on the gap replay's development files (data/eval/gaps/dev.jsonl,
// dev2.jsonl); PublishedClose 0.25 -> 0.2 answered 4 more paraphrases of
// dev.jsonl and took no help-center question of the demo's development
// sets that an article answers.
const (
	// PublishedClose is the share of the question's weight an entry must
	// hold for its answer to be given before anything else: before the
	// articles, before asking "X or Y?", before "please rephrase".
	PublishedClose = 0.2
	// publishedMargin is how much more of the question the best entry must
	// hold than the next one with another answer (see SameAnswer): between
	// two published answers the question does not pick one.
	publishedMargin = 0.1
	answerWeight    = 0.5
	hanWeight       = 0.5
)

// matchFeatures are the features a question is matched to published
// entries by: ParaphraseFeatures and the Chinese characters.
func matchFeatures(text string) Vector {
	v := Vector{}
	addParaphraseTerms(v, text, 1, hanWeight)
	return v
}

// held are the features of an entry's text: those of matchFeatures, each
// notion at 1 whatever share of its form it has (the entry holds the
// notion: "gift" names both a present and a free gift).
func held(text string) Vector {
	v := matchFeatures(text)
	for f := range v {
		if isNotion(f) {
			v[f] = 1
		}
	}
	return v
}

// faqEntry is one published document: its first chunk (document, title,
// answer) and the features of its questions and answer.
type faqEntry struct {
	chunk  Chunk
	feats  Vector
	answer Vector      // its answer's features, TF-IDF weighted (see SameAnswer)
	codes  [][]float32 // its questions and answer encoded (Service.Paraphrases)
}

// faqScope is what the matcher knows of one knowledge base: its published
// entries, and the frequencies of features over its articles' chunks and
// the entries (one text each), which weigh a question's words.
type faqScope struct {
	entries []faqEntry
	corpus  *Corpus
	enc     QuestionEncoder // nil: questions are matched by their words only
	labels  [][]float32     // the articles' chunks' labels and texts encoded (enc)
	at      time.Time       // when it was loaded or last found unchanged (see cacheTTL)
	docs    string          // the documents it was loaded from (see docsStamp)

	mu      sync.Mutex
	matches map[string]scoped // the questions matched so far, by language and question (a turn asks two or three times)
}

// scoped is a question's match in a scope.
type scoped struct {
	m  PublishedMatch
	ok bool
}

// maxMatches is the most questions a scope remembers the match of.
const maxMatches = 512

// docsStamp is what a scope is known unchanged by: its documents' keys,
// sources, chunk counts and update times.
func docsStamp(docs []DocInfo) string {
	var b strings.Builder
	for _, d := range docs {
		fmt.Fprintf(&b, "%s\x00%s\x00%d\x00%d\n", d.Doc, d.Source, d.Chunks, d.UpdatedAt.UnixNano())
	}
	return b.String()
}

type faqKey struct {
	ix         Index
	tenant, kb string
}

// faqScopes caches the scopes of the knowledge bases matched so far, by
// index, tenant and base: loading one reads every chunk of the base. The
// Service forgets a base's scope whenever it changes a document of it
// (forgetPublished), and a scope is loaded again after cacheTTL (another
// process may have changed the base).
// A scope loaded while a document changed is not kept: gen counts the
// changes of each base.
var faqScopes = struct {
	sync.Mutex
	m   map[faqKey]*faqScope
	gen map[faqKey]uint64
}{m: map[faqKey]*faqScope{}, gen: map[faqKey]uint64{}}

// cacheable reports whether ix can key the cache (a pointer, or another
// comparable value).
func cacheable(ix Index) bool {
	return ix != nil && reflect.TypeOf(ix).Comparable()
}

// sameEncoder reports whether a scope encoded with a can serve a service
// whose encoder is b.
func sameEncoder(a, b QuestionEncoder) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return reflect.TypeOf(a) == reflect.TypeOf(b) && reflect.TypeOf(a).Comparable() && a == b
}

// forgetPublished drops the cached scope and searches of f's knowledge base: a
// document of it changed.
func (s *Service) forgetPublished(f Filter) {
	if !cacheable(s.Index) {
		return
	}
	key := faqKey{s.Index, f.TenantID, f.KB}
	faqScopes.Lock()
	delete(faqScopes.m, key)
	faqScopes.gen[key]++
	faqScopes.Unlock()
	forgetSearches(key)
	forgetContacts(key)
}

// publishedScope returns f's knowledge base's scope, loading it when it is
// not cached. A cached scope older than cacheTTL is checked against the
// base's list of documents (another process may have changed it) and
// loaded again only when that changed. An index that cannot list chunks
// has no published entries.
func (s *Service) publishedScope(ctx context.Context, f Filter) (*faqScope, error) {
	key := faqKey{s.Index, f.TenantID, f.KB}
	var gen uint64
	var old *faqScope
	if cacheable(s.Index) {
		faqScopes.Lock()
		sc, g := faqScopes.m[key], faqScopes.gen[key]
		if sc != nil && !sameEncoder(sc.enc, s.Paraphrases) {
			sc = nil // encoded for another service
		}
		cached := sc != nil && fresh(sc.at)
		faqScopes.Unlock()
		if cached {
			return sc, nil
		}
		gen, old = g, sc
	}
	lister, ok := s.Index.(ChunkLister)
	if !ok {
		return &faqScope{at: time.Now()}, nil
	}
	docs, err := s.Index.Documents(ctx, Filter{TenantID: f.TenantID, KB: f.KB})
	if err != nil {
		return nil, err
	}
	stamp := docsStamp(docs)
	if old != nil && old.docs == stamp {
		faqScopes.Lock()
		if faqScopes.gen[key] == gen {
			old.at = time.Now() // under faqScopes' lock, as fresh reads it
		}
		faqScopes.Unlock()
		return old, nil
	}
	sc := &faqScope{at: time.Now(), docs: stamp, enc: s.Paraphrases}
	published := false
	for _, d := range docs {
		published = published || d.Source == PublishedSource
	}
	var texts []Vector
	for _, d := range docs {
		if !published {
			break // nothing to match: the articles need not be read
		}
		cs, err := lister.Chunks(ctx, d.DocKey)
		if err != nil {
			return nil, err
		}
		if len(cs) == 0 {
			continue
		}
		if d.Source != PublishedSource {
			for _, c := range cs {
				v := Vector{}
				addParaphraseTerms(v, indexText(c), 1, hanWeight)
				texts = append(texts, v)
				if sc.enc != nil {
					sc.labels = append(sc.labels, sc.enc.Encode(label(c)), sc.enc.Encode(c.Text))
				}
			}
			continue
		}
		e := faqEntry{chunk: cs[0], feats: Vector{}}
		for _, c := range cs {
			for ft, w := range held(c.Question) {
				e.feats[ft] = math.Max(e.feats[ft], w)
			}
		}
		for ft, w := range held(cs[0].Answer) {
			e.feats[ft] = math.Max(e.feats[ft], answerWeight*w)
		}
		if sc.enc != nil {
			for _, c := range cs {
				e.codes = append(e.codes, sc.enc.Encode(c.Question))
			}
			e.codes = append(e.codes, sc.enc.Encode(cs[0].Answer))
		}
		sc.entries = append(sc.entries, e)
		texts = append(texts, e.feats)
	}
	sc.corpus = NewCorpus(texts)
	for i := range sc.entries {
		sc.entries[i].answer = sc.corpus.Weigh(ParaphraseFeatures(sc.entries[i].chunk.Answer))
	}
	if cacheable(s.Index) {
		faqScopes.Lock()
		if faqScopes.gen[key] == gen {
			faqScopes.m[key] = sc
		}
		faqScopes.Unlock()
	}
	return sc, nil
}

// coverage is the share of q's weight, each feature weighed by its IDF in
// c, that e holds (a feature e holds at less than full weight counts that
// much). The sums run in the features' sorted order: a map's order
// changes from run to run, and with it the last bits of a float sum, so two
// entries holding as much of the question would otherwise tie in one run
// and not in the next (wordsFirst compares them for equality).
func coverage(q, e Vector, c *Corpus) float64 {
	fs := make([]string, 0, len(q))
	for f := range q {
		fs = append(fs, f)
	}
	sort.Strings(fs)
	var in, all float64
	for _, f := range fs {
		w := q[f]
		idf := c.IDF(f)
		all += w * idf
		in += w * idf * math.Min(1, e[f])
	}
	if all == 0 {
		return 0
	}
	return in / all
}

// minShared is how many words a question must share with a published
// entry to ask it: one ("cool", "卫衣", "羽绒服") names a topic, it does not
// ask the entry's question.
const minShared = 2

// shared counts the words of the question's features q that e holds: an
// English word is one, a notion its share of the form that names it
// ("present" one, "多少钱" half as price and half as how much), the
// characters of the Chinese bigrams held count a word per two ("羽绒"+"绒服"
// is one word, "音箱"+"两台" two).
func shared(q, e Vector) float64 {
	words := 0.0
	chars := map[rune]bool{}
	for f, w := range q {
		if e[f] == 0 {
			continue
		}
		rs := []rune(f)
		switch {
		case isNotion(f):
			words += min(1, w)
		case len(rs) == 2 && unicode.Is(unicode.Han, rs[0]):
			chars[rs[0]], chars[rs[1]] = true, true
		case len(rs) > 1 || !unicode.Is(unicode.Han, rs[0]):
			words++
		}
	}
	return words + float64(len(chars))/2
}

// PublishedMatch is a published FAQ entry a question asks.
type PublishedMatch struct {
	Chunk    Chunk   // the entry's first chunk: its document, title, question and answer
	Coverage float64 // the share of the question's weight the entry holds
	encoded  bool    // matched by the question encoder (matchEncoded), not by the words alone
}

// matchPublished returns the published entry the question asks, if one
// holds at least PublishedClose of it and publishedMargin more than any
// other that answers otherwise (the same answer published twice, from a
// Chinese and an English cluster, is one answer). lang is the question's
// language as the turn decided it (replyLang): the encoder matches only
// entries in it.
func (s *Service) matchPublished(ctx context.Context, f Filter, question, lang string) (PublishedMatch, bool, error) {
	sc, err := s.publishedScope(ctx, f)
	if err != nil || len(sc.entries) == 0 {
		return PublishedMatch{}, false, err
	}
	key := lang + "\x00" + question
	sc.mu.Lock()
	r, seen := sc.matches[key]
	sc.mu.Unlock()
	if !seen {
		r.m, r.ok = sc.match(question, lang)
		sc.mu.Lock()
		if sc.matches == nil || len(sc.matches) >= maxMatches {
			sc.matches = map[string]scoped{}
		}
		sc.matches[key] = r
		sc.mu.Unlock()
	}
	return r.m, r.ok, nil
}

// match is matchPublished in the scope: by the question's words (see
// coverage), else by its encoding in language lang (see matchEncoded).
func (sc *faqScope) match(question, lang string) (PublishedMatch, bool) {
	q := matchFeatures(question)
	cov := make([]float64, len(sc.entries))
	order := make([]int, len(sc.entries))
	for i, e := range sc.entries {
		order[i] = i
		if shared(q, e.feats) >= minShared {
			cov[i] = coverage(q, e.feats, sc.corpus)
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return cov[order[i]] > cov[order[j]] })
	if m, ok := sc.pick(order, cov, PublishedClose); ok || sc.enc == nil {
		return m, ok
	}
	m, ok := sc.matchEncoded(q, question, lang, order, sc.wordsFirst(q))
	if ok {
		// Its words' coverage, at least PublishedClose, is what
		// preferPublished weighs against the articles.
		i := slices.IndexFunc(sc.entries, func(e faqEntry) bool { return e.chunk.Doc == m.Chunk.Doc })
		m.Coverage, m.encoded = max(cov[i], PublishedClose), true
	}
	return m, ok
}

// pick returns the entry first in order when its score is at least close
// and publishedMargin above any other that answers otherwise.
func (sc *faqScope) pick(order []int, score []float64, close float64) (PublishedMatch, bool) {
	best := order[0]
	if score[best] < close {
		return PublishedMatch{}, false
	}
	for _, i := range order[1:] {
		if score[best]-score[i] >= publishedMargin {
			break
		}
		if !SameAnswer(sc.entries[best].answer, sc.entries[i].answer) {
			return PublishedMatch{}, false
		}
	}
	return PublishedMatch{Chunk: sc.entries[best].chunk, Coverage: score[best]}, true
}

// EncodedClose is the least cosine between a question's encoding and one of
// a published entry's (its questions, its answer) for the entry to be given
// when the question's words alone do not pick one (see matchEncoded).
// Chosen on the gap replay's dev2.jsonl halves with encoders trained
// without the half asked (`assist train paraphrase --skip-half`, `assist
// eval gaps --half`): 0.3 gave the right entry to 3 paraphrases there and
// a wrong one to none, so those halves are fitted to it; the match rules
// were compared on dev3.jsonl's halves (README, "Questions in other
// words").
const EncodedClose = 0.3

// matchEncoded returns the published entry a question asks in other words
// than the entry's, by the encoder's cosine (Service.Paraphrases): the
// closest entry in the question's language lang (the turn's), when it is at least
// EncodedClose, publishedMargin above any other that answers otherwise,
// shares at least one word with the question (q: its matchFeatures; an
// encoding alone also finds entries on a neighbouring topic), and is
// publishedMargin closer than every article passage, by the passage's label
// or text (a question an article answers stays the article's, as in
// preferPublished). When the question's words put the same entry first
// (words: see wordsFirst), the two signals agree and the entry need only
// be closer than every article passage, without the margin.
func (sc *faqScope) matchEncoded(q Vector, question, lang string, order []int, words int) (PublishedMatch, bool) {
	code := sc.enc.Encode(question)
	sim := make([]float64, len(sc.entries))
	for i, e := range sc.entries {
		sim[i] = -1
		if e.chunk.Lang != lang {
			continue
		}
		for _, c := range e.codes {
			// A cosine that is not a number (a damaged encoder) is
			// never greater: it matches nothing.
			if v := dot(code, c); v > sim[i] && !math.IsInf(v, 0) {
				sim[i] = v
			}
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return sim[order[i]] > sim[order[j]] })
	m, ok := sc.pick(order, sim, EncodedClose)
	if !ok || shared(q, sc.entries[order[0]].feats) < 1 || namesOtherThing(q, sc.entries[order[0]]) {
		return PublishedMatch{}, false
	}
	art := -1.0
	for _, l := range sc.labels {
		if v := dot(code, l); v > art || math.IsNaN(v) {
			art = v
		}
	}
	margin := publishedMargin
	if words >= 0 && SameAnswer(sc.entries[words].answer, sc.entries[order[0]].answer) {
		margin = 0
	}
	if !(m.Coverage >= art+margin) { // the article's, or not a number
		return PublishedMatch{}, false
	}
	return m, true
}

// wordsFirst returns the entry that holds the most of the question (q:
// its matchFeatures; see coverage) among those sharing a word with it,
// -1 when none does or two with other answers hold as much.
func (sc *faqScope) wordsFirst(q Vector) int {
	best, bestCov, tie := -1, 0.0, false
	for i, e := range sc.entries {
		if shared(q, e.feats) < 1 {
			continue
		}
		switch c := coverage(q, e.feats, sc.corpus); {
		case c > bestCov:
			best, bestCov, tie = i, c, false
		case c == bestCov && best >= 0 && !SameAnswer(sc.entries[best].answer, e.answer):
			tie = true
		}
	}
	if tie {
		return -1
	}
	return best
}

// namesOtherThing reports whether the question (q: its matchFeatures)
// names a kind of goods, a product or product category of the lexicons
// (thingKind: "水壶", "bulb"), that entry e's questions and answer do not
// mention, while its answer is about goods (names one). The encoder
// matches questions of one shape ("does it smell when new?") whatever they
// are about: the pillow's answer given for the kettle tells the customer
// something false, where "I don't know" passes them on. An answer naming
// no goods ("Tap Notify me on the product page") is for any of them.
func namesOtherThing(q Vector, e faqEntry) bool {
	things := notions().thing
	about := false
	for f := range e.answer {
		about = about || things[f]
	}
	if !about {
		return false
	}
	for f := range q {
		if things[f] && e.feats[f] == 0 {
			return true
		}
	}
	return false
}

// dot is the dot product of two encodings (their cosine: they are unit
// vectors).
func dot(a, b []float32) float64 {
	var s float64
	for i, x := range a {
		s += float64(x) * float64(b[i])
	}
	return s
}

// MatchPublished answers the question from the published FAQ entry it
// asks, when there is one that outranks the articles (see
// preferPublished): the entry's answer, cited, with the entry's coverage
// of the question as the confidence. ok is false otherwise; the question
// is then for Answer. Nothing is recorded. Errors: EINVALID for a bad
// filter; those of Draft.
func (s *Service) MatchPublished(ctx context.Context, req AnswerRequest) (Answer, bool, error) {
	if err := checkFilter(req.Filter); err != nil {
		return Answer{}, false, err
	}
	// Most questions match no entry: the articles are searched only for
	// those that do.
	if _, ok, err := s.matchPublished(ctx, req.Filter, req.Question, replyLang(req.Lang, req.Question)); err != nil || !ok {
		return Answer{}, false, err
	}
	d, err := s.draftKB(ctx, req)
	if err != nil {
		return Answer{}, false, err
	}
	ok, err := s.preferPublished(ctx, req, &d)
	if err != nil {
		return Answer{}, false, err
	}
	if !ok {
		return Answer{}, false, nil
	}
	src := sources(d.Hits[:1])
	return Answer{Text: d.Text, Lang: d.Lang, Confidence: d.Confidence, Known: true,
		Sources: src, Threshold: s.Threshold(), Retrieved: src}, true, nil
}

// publishedText is the reply quoting a published entry: its answer,
// cited, said to be in the other language when it is.
func publishedText(c Chunk, lang string) string {
	text := c.Answer
	if text == "" {
		text = c.Text
	}
	if l := c.Lang; (l == "zh" || l == "en") && l != lang {
		text = catalog.Default().Say(lang, "rag.source_in_"+l) + "\n" + text
	}
	return text + " [1]"
}

// preferPublished puts the published entry the question asks (see
// matchPublished) first in d, unless one of d's article passages covers
// the question as well (articleCoverage: within publishedMargin of the
// entry; for an entry its words matched, at least as well when the question
// encoder also puts the question closer to the entry than to every
// article, see encoderPrefers; an entry the encoder matched was already
// weighed against the articles by it, with this margin or without when
// the words agreed): a customer's question matched to
// an answer a knowledge manager published for it outranks the articles,
// which did not answer it before, but a question about a product an entry
// names ("台灯坏了 保修几年啊" and an entry about the lamp's flicker) is
// still the warranty article's. The confidence is the higher of the
// draft's and the entry's coverage of the question.
func (s *Service) preferPublished(ctx context.Context, req AnswerRequest, d *Draft) (bool, error) {
	m, ok, err := s.matchPublished(ctx, req.Filter, req.Question, replyLang(req.Lang, req.Question))
	if err != nil || !ok {
		return false, err
	}
	sc, err := s.publishedScope(ctx, req.Filter)
	if err != nil {
		return false, err
	}
	q := matchFeatures(req.Question)
	art := articleCoverage(q, d.Hits, sc.corpus)
	if m.Coverage < art+publishedMargin && (m.encoded || !sc.encoderPrefers(req.Question, m.Chunk.Doc) || m.Coverage <= art) {
		return false, nil
	}
	hits := []Hit{{Chunk: m.Chunk, Score: m.Coverage}}
	for _, h := range d.Hits {
		if h.Chunk.Doc != m.Chunk.Doc {
			hits = append(hits, h)
		}
	}
	d.Hits = hits[:min(len(hits), max(len(d.Hits), 1))]
	d.Text = publishedText(m.Chunk, d.Lang)
	d.Figure = true
	if d.Unasked {
		// The entry, not the article's passage, is what the customer
		// reads now: lowered only when it too does not speak of what is
		// asked.
		if d.Unasked = s.unasked(req.Question, m.Chunk.Question+"\n"+d.Text); !d.Unasked {
			d.Confidence = math.Max(d.Confidence, d.unlowered)
		}
	}
	d.Confidence = math.Max(d.Confidence, m.Coverage)
	return true, nil
}

// encoderPrefers reports whether the question encoder puts the question
// closer to published entry doc (its questions, its answer) than to every
// article passage (label or text): then the encoding agrees with the
// entry's words that it is the entry's, and preferPublished needs the
// words to cover the question better than the articles', not by a margin
// ("I'm ordering a sweater for my mum's birthday, is there an option to
// have it nicely wrapped in gift paper?" and the gift-wrapping entry, whose
// words the sweaters' article shares). False without an encoder.
func (sc *faqScope) encoderPrefers(question, doc string) bool {
	e := sc.entry(doc)
	if sc.enc == nil || e == nil || len(e.codes) == 0 {
		return false
	}
	code := sc.enc.Encode(question)
	sim := math.Inf(-1)
	for _, c := range e.codes {
		if v := dot(code, c); v > sim {
			sim = v
		}
	}
	for _, l := range sc.labels {
		if v := dot(code, l); !(sim > v) { // or not a number
			return false
		}
	}
	return !math.IsNaN(sim) && !math.IsInf(sim, 0)
}

// askedEntries drops from hits the published entries the question (in
// language lang, the turn's) does not ask: an entry the matcher gives
// the question (see matchPublished) stays, and so does one that covers the question at least as well as
// the articles found with it (see articleCoverage) and says what the
// entry covering it best says, which then compete as any FAQ entry does
// ("I'm ordering a sweater for my mum, can it be gift wrapped?" is not for
// the sweater's washing entry when the gift-wrapping one covers it
// better); the others go. Searched like any article, an entry
// written for one question ("一个账号能给家里人一起用吗？") would otherwise be
// quoted for others that share a few of its words ("两张券能一起用吗"), when
// the article that answers them ranks lower.
func (s *Service) askedEntries(ctx context.Context, question, lang string, hits []Hit) ([]Hit, error) {
	i := slices.IndexFunc(hits, func(h Hit) bool { return h.Chunk.Source == PublishedSource })
	if i < 0 {
		return hits, nil
	}
	f := hits[i].Chunk.DocKey.Filter()
	m, ok, err := s.matchPublished(ctx, f, question, lang)
	if err != nil {
		return nil, err
	}
	if ok {
		return slices.DeleteFunc(slices.Clone(hits), func(h Hit) bool {
			return h.Chunk.Source == PublishedSource && h.Chunk.Doc != m.Chunk.Doc
		}), nil
	}
	sc, err := s.publishedScope(ctx, f)
	if err != nil {
		return nil, err
	}
	if len(sc.entries) == 0 {
		// An index that cannot list chunks (Qdrant) has no entries to
		// match the hit against, nor a corpus to weigh them with.
		return slices.DeleteFunc(slices.Clone(hits), func(h Hit) bool { return h.Chunk.Source == PublishedSource }), nil
	}
	q := matchFeatures(question)
	art := articleCoverage(q, hits, sc.corpus)
	best, bestCov := -1, 0.0
	for i, e := range sc.entries {
		if c := coverage(q, e.feats, sc.corpus); c > bestCov {
			best, bestCov = i, c
		}
	}
	return slices.DeleteFunc(slices.Clone(hits), func(h Hit) bool {
		if h.Chunk.Source != PublishedSource {
			return false
		}
		e := sc.entry(h.Chunk.Doc)
		if e == nil || best < 0 || shared(q, e.feats) == 0 || !SameAnswer(e.answer, sc.entries[best].answer) {
			return true
		}
		return coverage(q, e.feats, sc.corpus) < art
	}), nil
}

// entry returns the published entry of document doc, nil when there is
// none.
func (sc *faqScope) entry(doc string) *faqEntry {
	for i := range sc.entries {
		if sc.entries[i].chunk.Doc == doc {
			return &sc.entries[i]
		}
	}
	return nil
}

// articlePassages is how many of a draft's best hits are weighed against
// a published entry.
const articlePassages = 3

// articleCoverage is the best coverage of q by the first articlePassages
// hits that are not published entries, each passage weighed as an entry
// is: its title, headings and question fully, its text at answerWeight.
func articleCoverage(q Vector, hits []Hit, c *Corpus) float64 {
	best, n := 0.0, 0
	for _, h := range hits {
		if n == articlePassages {
			break
		}
		if h.Chunk.Source == PublishedSource {
			continue
		}
		n++
		v := Vector{}
		for f, w := range held(label(h.Chunk)) {
			v[f] = w
		}
		for f, w := range held(h.Chunk.Text) {
			v[f] = math.Max(v[f], answerWeight*w)
		}
		best = math.Max(best, coverage(q, v, c))
	}
	return best
}

// Filter is the knowledge base of the document.
func (k DocKey) Filter() Filter { return Filter{TenantID: k.TenantID, KB: k.KB} }
