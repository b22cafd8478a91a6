package rag

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu/text"
)

// Document is one document to ingest: its key and metadata, and its
// pieces (Text, HeadingPath, and for FAQ entries Question and Answer) as
// the loader chunked them. The Service fills in everything else.
type Document struct {
	DocKey
	Title     string
	Lang      string // zh, en or mixed; "" to detect from the text
	Source    string
	UpdatedAt time.Time // zero: now
	Chunks    []Chunk
}

// Config tunes retrieval and answers.
type Config struct {
	KeywordWeight float64 // RRF weight of the keyword leg (default 1)
	DenseWeight   float64 // RRF weight of the dense leg (default 1)
	Limit         int     // hits returned by Search (default 5)
	Threshold     float64 // answers below this confidence abstain (0: the Answerability model's)
	ContextChunks int     // sources given to the Generator (default 4)
	MaxQuestion   int     // longest question in characters (default 2000)
	MaxTerms      int     // most distinct query terms searched (default 48)
	// SearchCacheTTL is how long a search is remembered, so that the same
	// question asked again is not searched again: the longest a change
	// another process makes to the index goes unseen (changes made through
	// this Service are seen at once). 0: 10 s; negative: no search is
	// remembered.
	SearchCacheTTL time.Duration
}

func (c Config) withDefaults() Config {
	if c.KeywordWeight <= 0 {
		c.KeywordWeight = 1
	}
	if c.DenseWeight <= 0 {
		c.DenseWeight = 1
	}
	if c.Limit <= 0 {
		c.Limit = 5
	}
	if c.ContextChunks <= 0 {
		c.ContextChunks = 4
	}
	if c.MaxQuestion <= 0 {
		c.MaxQuestion = 2000
	}
	if c.MaxTerms <= 0 {
		c.MaxTerms = 48
	}
	return c
}

// Service ingests documents into an Index, searches it and answers
// questions from it. Index is required; a nil Analyzer means Bigrams, a nil
// Embedder a keyword-only index, a nil Generator extractive answers, a nil
// Gaps no gap records, a nil Logger discards.
type Service struct {
	Index     Index
	Analyzer  Analyzer
	Embedder  Embedder
	Generator Generator
	Gaps      GapRecorder
	// Answerability turns a draft's features into the answer confidence;
	// nil means DefaultAnswerability.
	Answerability *Answerability
	// AllFeatures computes every feature of a draft, also those the model
	// gives no weight and those only a model fitted with the question
	// encoder reads (asked_far, unasked: with Paraphrases): for training
	// the model (`assist train answerability`). Off, a feature the model
	// does not weigh is 0 and its cost is not paid.
	AllFeatures bool
	// NoGate leaves out the model's Gate (part A, "does any article
	// answer this at all"): the confidence is part B's alone, as `assist
	// train gate` reads it.
	NoGate bool
	// Lexicon finds the words of a question in the other language; nil
	// means DefaultLexicon.
	Lexicon *Lexicon
	// Paraphrases encodes questions so that paraphrases are close, for
	// matching published answers to questions asked in other words
	// (published.go); nil matches them by their words only.
	Paraphrases QuestionEncoder
	Config      Config
	Logger      *slog.Logger
	Now         func() time.Time // default time.Now
}

// QuestionEncoder turns a question into a unit vector; the cosine (dot
// product) of two says how alike they ask (implemented by rag/para.Net).
type QuestionEncoder interface {
	// Encode returns the text's unit vector (a zero vector for a text
	// without features). It must be safe for concurrent use.
	Encode(text string) []float32
}

func (s *Service) analyzer() Analyzer {
	if s.Analyzer == nil {
		return Bigrams{}
	}
	return s.Analyzer
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

func (s *Service) log() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}

// maxName bounds tenant, kb and document names (bytes).
const maxName = 512

// CheckKey validates a document key: every part present, valid UTF-8, at
// most 512 bytes. Errors: EINVALID.
func CheckKey(k DocKey) error {
	if err := checkFilter(Filter{TenantID: k.TenantID, KB: k.KB}); err != nil {
		return err
	}
	return checkName("document name", k.Doc)
}

func checkFilter(f Filter) error {
	if err := checkName("tenant", f.TenantID); err != nil {
		return err
	}
	return checkName("knowledge base name", f.KB)
}

func checkName(what, v string) error {
	switch {
	case strings.TrimSpace(v) == "":
		return assist.Errorf(assist.EINVALID, "%s is empty", what)
	case len(v) > maxName:
		return assist.Errorf(assist.EINVALID, "%s is longer than %d bytes", what, maxName)
	case !utf8.ValidString(v):
		return assist.Errorf(assist.EINVALID, "%s is not valid UTF-8", what)
	}
	return nil
}

// Ingest replaces the document's chunks in the index with doc's: it
// analyses each chunk into terms, embeds it and gives it an id. It returns
// the number of chunks stored. Errors: EINVALID for a bad key, a document
// without text or text that is not UTF-8; the Embedder's and the Index's
// errors.
func (s *Service) Ingest(ctx context.Context, doc Document) (int, error) {
	chunks, err := s.prepare(ctx, doc)
	if err != nil {
		return 0, err
	}
	defer s.forgetPublished(doc.Filter())
	if err := s.Index.Replace(ctx, doc.DocKey, chunks); err != nil {
		return 0, fmt.Errorf("indexing %s: %w", doc.Doc, err)
	}
	return len(chunks), nil
}

// IngestAll ingests docs all or nothing (a multi-file upload): every
// document is checked, analysed and embedded before any is stored, so a
// refused file or a failing embedder stores none of them; if the index
// then fails on one, the documents stored before it are put back as they
// were (deleted if new, their previous chunks analysed and stored again
// when the index can list them). It returns each document's chunk count.
// Errors: Ingest's.
func (s *Service) IngestAll(ctx context.Context, docs []Document) ([]int, error) {
	prepared := make([][]Chunk, len(docs))
	for i, d := range docs {
		cs, err := s.prepare(ctx, d)
		if err != nil {
			return nil, err
		}
		prepared[i] = cs
	}
	lister, _ := s.Index.(ChunkLister)
	before := make([][]Chunk, len(docs))
	if lister != nil {
		for i, d := range docs {
			cs, err := lister.Chunks(ctx, d.DocKey)
			if err != nil {
				return nil, err
			}
			before[i] = cs
		}
	}
	counts := make([]int, len(docs))
	for _, d := range docs {
		defer s.forgetPublished(d.Filter())
	}
	for i, d := range docs {
		if err := s.Index.Replace(ctx, d.DocKey, prepared[i]); err != nil {
			s.restore(ctx, docs[:i], before[:i])
			return nil, fmt.Errorf("indexing %s: %w", d.Doc, err)
		}
		counts[i] = len(prepared[i])
	}
	compacted := map[Filter]bool{}
	for _, d := range docs {
		if f := (Filter{TenantID: d.TenantID, KB: d.KB}); !compacted[f] {
			compacted[f] = true
			s.compactAfter(ctx, f)
		}
	}
	return counts, nil
}

// Compact makes the searches of f's knowledge base faster after a batch of
// ingests (see Compacter); no result changes, and an index that cannot
// compact is left as it is. Who ingests many documents one by one calls it
// once at the end; IngestAll does. Errors: EINVALID for a bad filter; the
// Index's.
func (s *Service) Compact(ctx context.Context, f Filter) error {
	if err := checkFilter(f); err != nil {
		return err
	}
	c, ok := s.Index.(Compacter)
	if !ok {
		return nil
	}
	if err := c.Compact(ctx, f); err != nil {
		return fmt.Errorf("compacting %s: %w", f.KB, err)
	}
	return nil
}

// compactAfter is Compact after documents were stored: a failure slows
// searches but loses nothing, so it is logged, not returned.
func (s *Service) compactAfter(ctx context.Context, f Filter) {
	if err := s.Compact(ctx, f); err != nil {
		s.log().LogAttrs(ctx, slog.LevelWarn, "compacting the knowledge base failed; searches stay slower until the next ingest",
			slog.String("kb", f.KB), slog.String("err", err.Error()))
	}
}

// restore puts documents back as they were before IngestAll: deleted when
// they had no chunks, else their previous chunks stored again. It is best
// effort: a document it cannot restore keeps its new version.
func (s *Service) restore(ctx context.Context, docs []Document, before [][]Chunk) {
	for i, d := range docs {
		if len(before[i]) == 0 {
			_ = s.Index.Replace(ctx, d.DocKey, nil)
			continue
		}
		old := before[i][0]
		prev := Document{DocKey: d.DocKey, Title: old.Title, Lang: old.Lang, Source: old.Source, UpdatedAt: old.UpdatedAt, Chunks: before[i]}
		if cs, err := s.prepare(ctx, prev); err == nil {
			_ = s.Index.Replace(ctx, d.DocKey, cs)
		}
	}
}

// prepare checks doc and returns its chunks ready to store: analysed into
// terms, embedded, with ids.
func (s *Service) prepare(ctx context.Context, doc Document) ([]Chunk, error) {
	if err := CheckKey(doc.DocKey); err != nil {
		return nil, err
	}
	at := doc.UpdatedAt
	if at.IsZero() {
		at = s.now()
	}
	doc.Title = Sanitize(doc.Title)
	chunks := make([]Chunk, 0, len(doc.Chunks))
	var all strings.Builder
	for _, c := range doc.Chunks {
		if !utf8.ValidString(c.Text) || !utf8.ValidString(c.Question) || !utf8.ValidString(c.Answer) {
			return nil, assist.Errorf(assist.EINVALID, "document %q is not valid UTF-8", doc.Doc)
		}
		// Plain text only, whatever loaded it: no markup or injected
		// instructions reach customers or the LLM (see Sanitize).
		c.Text, c.Question, c.Answer = Sanitize(c.Text), Sanitize(c.Question), Sanitize(c.Answer)
		c.HeadingPath = slices.Clone(c.HeadingPath)
		for i, h := range c.HeadingPath {
			c.HeadingPath[i] = Sanitize(h)
		}
		if strings.TrimSpace(c.Text) == "" && strings.TrimSpace(c.Question) == "" {
			continue
		}
		all.WriteString(c.Question)
		all.WriteString(c.Text)
		chunks = append(chunks, c)
	}
	if len(chunks) == 0 {
		return nil, assist.Errorf(assist.EINVALID, "document %q has no text", doc.Doc)
	}
	lang := doc.Lang
	if lang == "" {
		lang = string(text.Detect(doc.Title + " " + all.String()))
	}
	a := s.analyzer()
	texts := make([]string, len(chunks))
	for i := range chunks {
		c := &chunks[i]
		c.DocKey = doc.DocKey
		c.Ord = i
		if c.ID == "" {
			id, err := uuid.NewV7()
			if err != nil {
				return nil, fmt.Errorf("chunk id: %w", err)
			}
			c.ID = id.String()
		}
		c.Title = doc.Title
		c.Lang = lang
		c.Source = doc.Source
		c.UpdatedAt = at
		texts[i] = indexText(*c)
		c.Terms = a.Terms(texts[i])
		c.Vector = nil
	}
	if s.Embedder != nil {
		const batch = 64
		for i := 0; i < len(texts); i += batch {
			j := min(i+batch, len(texts))
			vs, err := s.Embedder.Embed(ctx, texts[i:j])
			if err != nil {
				return nil, fmt.Errorf("embedding %s: %w", doc.Doc, err)
			}
			if len(vs) != j-i {
				return nil, fmt.Errorf("embedding %s: %d vectors for %d texts", doc.Doc, len(vs), j-i)
			}
			for k, v := range vs {
				chunks[i+k].Vector = v
			}
		}
	}
	return chunks, nil
}

// indexText is what a chunk is searched by: its label (title, headings,
// question) and its text.
func indexText(c Chunk) string {
	return labelText(c, true)
}

// Delete removes a document. Errors: EINVALID for a bad key, ENOTFOUND when
// the knowledge base has no such document.
func (s *Service) Delete(ctx context.Context, key DocKey) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	docs, err := s.Index.Documents(ctx, Filter{TenantID: key.TenantID, KB: key.KB})
	if err != nil {
		return err
	}
	for _, d := range docs {
		if d.Doc == key.Doc {
			defer s.forgetPublished(key.Filter())
			return s.Index.Replace(ctx, key, nil)
		}
	}
	return assist.Errorf(assist.ENOTFOUND, "document %q not found", key.Doc)
}

// Documents lists a knowledge base's documents. Errors: EINVALID for an
// empty tenant or kb.
func (s *Service) Documents(ctx context.Context, f Filter) ([]DocInfo, error) {
	if err := checkFilter(f); err != nil {
		return nil, err
	}
	return s.Index.Documents(ctx, f)
}

// SearchRequest is one retrieval.
type SearchRequest struct {
	Filter
	Question string
	Limit    int    // 0: Config.Limit
	Lang     string // the question's language, "zh" or "en" (the turn's); "": text.ReplyLang
	// Topic is the text the question continues (the previous help-center
	// question, the quoted article's title); "" for none. An elliptic
	// question ("and for gold members?", "那运费呢") is searched with it.
	Topic string
	// Continues is set when the caller knows the question continues Topic
	// (the dialog read it as a follow-up pointing back: "how many times
	// can I do that", "它会过期吗"): Topic is kept even when the question
	// has words of its own the knowledge base knows.
	Continues bool
	// Follows is set when the question comes right after the answer to
	// Topic (the dialog's window for a follow-up): a question with words
	// of its own is still read in the topic's document when that document
	// holds its words as fully as the one the question alone finds
	// (topicHolds): "运费多少啊" after how long parcels take to Xinjiang is
	// the shipping article's fee, not the returns' postage.
	Follows bool

	// bare is set by followUp: the question has no word of its own the
	// knowledge base knows, so the topic's documents come first.
	bare bool
	// held is set by followUp for a Follows question with words of its
	// own: the topic it may be read in, Topic being "" (retrieve).
	held string
	// topicHits, when set, are the topic's best hits searched already
	// (topicHolds), for search.
	topicHits []Hit
}

// Search retrieves the chunks that best match the question, fusing the
// keyword and (when there is an Embedder) dense legs with the configured
// weights. Errors: EINVALID for an empty or over-long question or a bad
// filter; the Index's and Embedder's errors.
func (s *Service) Search(ctx context.Context, req SearchRequest) ([]Hit, error) {
	req, err := s.followUp(ctx, req)
	if err != nil {
		return nil, err
	}
	_, _, _, hits, err := s.retrieve(ctx, req)
	return hits, err
}

// retrieve searches req as followUp left it, and returns it as searched
// with its Query, the text it is searched by (query) and its hits. A
// question followUp holds for its topic (Follows, words of its own) is
// searched alone first, as any self-contained question is; only when the
// topic's documents hold its words as well as what it finds alone
// (topicHolds, read from that search's own candidates) is it searched
// again, continuing the topic: the usual follow-up with words of its own
// costs the topic's search, not a second search of the question.
func (s *Service) retrieve(ctx context.Context, req SearchRequest) (SearchRequest, Query, string, []Hit, error) {
	q, search, err := s.query(ctx, req)
	if err != nil {
		return req, Query{}, "", nil, err
	}
	if req.held == "" {
		hits, err := s.search(ctx, q, req)
		return req, q, search, hits, err
	}
	pool, limit, err := s.rankedPool(ctx, q, QuestionKind(req.Question))
	if err != nil {
		return req, Query{}, "", nil, err
	}
	holds, th, err := s.topicHolds(ctx, req, pool)
	if err != nil {
		return req, Query{}, "", nil, err
	}
	if !holds {
		return req, q, search, slices.Clip(pool[:min(limit, len(pool))]), nil
	}
	// Continuing its topic, the question is searched by its own words as
	// it was alone (query drops a continued topic): q serves again.
	req.Topic, req.bare, req.Continues, req.topicHits = req.held, true, true, th
	hits, err := s.search(ctx, q, req)
	return req, q, search, hits, err
}

// search runs q. For a bare follow-up (see followUp),
// or one the caller says continues its topic (only those, then),
// the hits from the documents the topic alone finds best (its top 3 hits)
// come first: the customer is still talking about them.
func (s *Service) search(ctx context.Context, q Query, req SearchRequest) ([]Hit, error) {
	if req.Topic == "" || !req.bare {
		return s.ranked(ctx, q, QuestionKind(req.Question))
	}
	th, err := req.topicHits, error(nil)
	if th == nil {
		if th, err = s.topicHits(ctx, q.Filter, req, len(q.Terms)); err != nil {
			return nil, err
		}
	}
	topical := map[string]bool{}
	for _, h := range th {
		topical[h.Chunk.Doc] = true
	}
	if req.Continues && len(th) > 0 {
		// Continuing its topic, the question is answered from the topic's
		// documents or not at all ("and if it's faulty?" after the return
		// postage is not a question about contacting us), from the one the
		// topic finds best first ("how do I use them at checkout" after
		// when points expire: the points entry, not the coupons article).
		// The topic is searched by all its words (the question's few would
		// leave it one or two: "how much are 5000 points worth" read as
		// "5000 worth" found the refunds article).
		// Among the topic's sections the words that ask pick nothing
		// ("times" in "how many times can I do that": the refund times);
		// extraction reads what the question asks for from its kind.
		// (Searching every question without them: hc2 dev recall@1 +1,
		// demo dev2 2 fewer right replies; not kept.)
		q.Terms = Unique(QuestionTerms(s.analyzer(), withoutAsking(s.searchText(req.Question, "", req.Lang))))
		var hits []Hit
		if len(q.Terms) > 0 {
			if hits, err = s.ranked(ctx, q, QuestionKind(req.Question)); err != nil {
				return nil, err
			}
		}
		hits = slices.DeleteFunc(hits, func(h Hit) bool { return !topical[h.Chunk.Doc] })
		best := th[0].Chunk.Doc
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].Chunk.Doc == best && hits[j].Chunk.Doc != best })
		switch {
		case len(hits) == 0:
			// None of the topic's sections is among the question's best
			// hits ("is there a limit per order" after what points are
			// worth: "up to 20% of what you pay for an order"): the
			// topic's own hits, from which extraction picks the section
			// the question's words and the figure it asks for point to.
			hits = th
		case hits[0].Chunk.Doc != best && QuestionKind(req.Question) == KindOther:
			// A follow-up that asks nothing of its own kind ("and if it's
			// faulty?" after who pays return postage) asks the topic's
			// question again of something else: the document the topic
			// found best leads, though it says "quality problems", not
			// "faulty". One asking whether, when or how much ("它会过期吗"
			// after what points are for) is answered by the sections
			// holding its words.
			hits = append([]Hit{th[0]}, hits...)
		}
		return hits, nil
	}
	hits, err := s.ranked(ctx, q, QuestionKind(req.Question))
	if err != nil {
		return nil, err
	}
	sort.SliceStable(hits, func(i, j int) bool { return topical[hits[i].Chunk.Doc] && !topical[hits[j].Chunk.Doc] })
	return hits, nil
}

// topicHits are the 3 hits the topic a follow-up continues finds best.
// A follow-up the caller says continues its topic has its topic searched
// as a question is (its asking words aside, with the lexicon's words,
// reranked): "how much are 5000 points worth" by its words alone found
// "How much you get back" of the refunds article first. Otherwise the
// topic is searched by its first terms, as many as the question's.
func (s *Service) topicHits(ctx context.Context, f Filter, req SearchRequest, terms int) ([]Hit, error) {
	if !req.Continues {
		tq := Query{Filter: f, Terms: Unique(QuestionTerms(s.analyzer(), req.Topic)), Limit: 3}
		if len(tq.Terms) > terms {
			tq.Terms = tq.Terms[:terms]
		}
		return s.searchIndex(ctx, tq)
	}
	tq := Query{Filter: f, Terms: Unique(QuestionTerms(s.analyzer(), s.searchText(withoutAsking(req.Topic), "", req.Lang))), Limit: 3}
	if max := s.Config.withDefaults().MaxTerms; len(tq.Terms) > max {
		tq.Terms = tq.Terms[:max]
	}
	return s.ranked(ctx, tq, QuestionKind(req.Topic))
}

// query checks req and builds its Query; it also returns the text the
// question is searched by (searchText), which extraction reads.
func (s *Service) query(ctx context.Context, req SearchRequest) (Query, string, error) {
	cfg := s.Config.withDefaults()
	if err := checkFilter(req.Filter); err != nil {
		return Query{}, "", err
	}
	if !utf8.ValidString(req.Question) {
		return Query{}, "", assist.Errorf(assist.EINVALID, "question is not valid UTF-8")
	}
	if strings.TrimSpace(req.Question) == "" {
		return Query{}, "", assist.Errorf(assist.EINVALID, "question is empty")
	}
	if n := utf8.RuneCountInString(req.Question); n > cfg.MaxQuestion {
		return Query{}, "", assist.Errorf(assist.ETOOLARGE, "question is longer than %d characters", cfg.MaxQuestion)
	}
	limit := req.Limit
	if limit <= 0 {
		limit = cfg.Limit
	}
	topic := req.Topic
	if req.Continues {
		// Its own words pick the passages, the topic's documents come
		// first (search): the topic's words would pick the passages the
		// topic's own answer quoted.
		topic = ""
	}
	search := s.searchText(req.Question, topic, req.Lang)
	terms := Unique(QuestionTerms(s.analyzer(), search))
	if len(terms) > cfg.MaxTerms {
		terms = terms[:cfg.MaxTerms]
	}
	q := Query{Filter: req.Filter, Terms: terms, Limit: limit,
		KeywordWeight: cfg.KeywordWeight, DenseWeight: cfg.DenseWeight}
	if s.Embedder != nil {
		vs, err := s.Embedder.Embed(ctx, []string{req.Question})
		if err != nil {
			return Query{}, "", fmt.Errorf("embedding the question: %w", err)
		}
		if len(vs) == 1 {
			q.Vector = vs[0]
		}
	}
	return q, search, nil
}

// ranked runs q on the index for a pool of candidates and returns the
// best q.Limit of them by rerank.
func (s *Service) ranked(ctx context.Context, q Query, kind Kind) ([]Hit, error) {
	hits, limit, err := s.rankedPool(ctx, q, kind)
	if len(hits) > limit {
		hits = hits[:limit]
	}
	return hits, err
}

// rankedPool is ranked's whole pool of candidates, reranked, and the
// limit ranked keeps of it.
func (s *Service) rankedPool(ctx context.Context, q Query, kind Kind) ([]Hit, int, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = s.Config.withDefaults().Limit
	}
	q.Limit = max(limit, rerankPool)
	hits, err := s.searchIndex(ctx, q)
	if err != nil {
		return nil, limit, err
	}
	return rerank(hits, q.Terms, kind, s.analyzer()), limit, nil
}

// searchText is what a question is searched by: with the topic it
// continues, when followUp kept one; the question with the words the
// lexicon adds to it (searchWords), in lang ("" decided by
// text.ReplyLang).
func (s *Service) searchText(question, topic, lang string) string {
	lang = replyLang(lang, question)
	question = searchWords(s.lexicon(), question, lang)
	if strings.TrimSpace(topic) == "" {
		return question
	}
	return question + "\n" + topic
}

// followUpStarts open a question that continues its topic ("and for gold
// members?", "那运费呢？").
var followUpStarts = []string{"那么", "那", "还有", "and ", "what about", "how about"}

// fragmentWords ask how, when or whether without saying about what
// ("how long?", "多久？", "能吗？"): they do not make a question
// self-contained.
var fragmentWords = strings.NewReplacer(
	"多长时间", " ", "多久", " ", "几天", " ", "可以", " ", "能", " ", "要", " ", "行", " ", "多少钱", " ",
	"how long", " ", "how much", " ", "how many", " ", "how soon", " ", "what time", " ", "cost", " ", "take", " ", "price", " ",
)

// followUp decides, in this one place, whether a question continues
// req.Topic (the previous help-center question). It does when, without
// its question words, it has no word of more than one character that the
// knowledge base knows ("how much?", "多久？", "能退吗？"): it is then bare,
// searched with the topic and answered from the topic's own documents
// first. It does also when it opens with a follow-up word ("那金卡会员呢",
// "and for gold members?") or is a few words and 呢 ("铂金呢？"): searched
// with the topic's words added. Any
// other question is self-contained ("会员有哪些等级？" after an invoice
// question) and is searched on its own: req comes back without Topic.
func (s *Service) followUp(ctx context.Context, req SearchRequest) (SearchRequest, error) {
	if strings.TrimSpace(req.Topic) == "" {
		req.Topic = ""
		return req, nil
	}
	low := strings.ToLower(strings.TrimLeftFunc(req.Question, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }))
	cue := req.Continues
	for _, c := range followUpStarts {
		cue = cue || strings.HasPrefix(low, c)
	}
	// "铂金呢？": a few words and 呢 ask "and what about …".
	if rest, ok := strings.CutSuffix(strings.TrimRightFunc(low, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }), "呢"); ok && utf8.RuneCountInString(rest) <= 4 {
		cue = true
	}
	var own []string
	for _, t := range Unique(QuestionTerms(s.analyzer(), fragmentWords.Replace(low))) {
		if utf8.RuneCountInString(t) > 1 {
			own = append(own, t)
		}
	}
	known := 0.0
	if len(own) > 0 {
		var err error
		if known, err = s.known(ctx, req.Filter, own, nil); err != nil {
			return req, err
		}
	}
	req.bare = known == 0 || req.Continues
	if !req.bare && !cue {
		if req.Follows {
			req.held = req.Topic // retrieve decides (topicHolds)
		}
		req.Topic = ""
	}
	return req, nil
}

// topicHolds reports whether the question req asks right after the
// answer to req.held is read in the topic's documents (SearchRequest.
// Follows): one of the documents the topic finds best (its 3 best hits,
// returned for search) holds most of the question's own words (its
// asking words aside), and as many as the document the question alone
// finds best, or is that document. pool is the
// question's own search's candidates, reranked (retrieve): what the
// documents hold of its words is read from them, with no search of its
// own (REVIEW13A 6). The question's words decide what it asks when they
// tell the two apart ("会员有哪些等级" after an invoice question: the
// invoices article has neither word); when they do not, the conversation
// does ("when would I get the invoice" after a company invoice: the
// invoices article's table, not the special invoice's entry).
func (s *Service) topicHolds(ctx context.Context, req SearchRequest, pool []Hit) (bool, []Hit, error) {
	if len(pool) == 0 {
		return false, nil, nil
	}
	a := s.analyzer()
	terms := contentTerms(Unique(QuestionTerms(a, withoutAsking(s.searchText(req.Question, "", req.Lang)))))
	if len(terms) == 0 {
		return false, nil, nil
	}
	// The question's candidates ranked by its own words, its asking words
	// aside (as the topic's are: topicHits).
	pool = rerank(slices.Clone(pool), terms, QuestionKind(req.Question), a)
	lead := pool[0].Chunk.Doc
	if asks := pool[0].Chunk.Title; strings.HasSuffix(asks, "?") || strings.HasSuffix(asks, "？") {
		// The document the question alone finds is an entry answering
		// one question: when the question says most of that question's
		// words, it asks it ("积分会过期吗" after the gold benefits is the
		// points-expiry entry); else the entry asks about something the
		// question does not name ("无理由退货的运费谁出？" for "运费多少啊").
		own := map[string]bool{}
		for _, t := range terms {
			own[t] = true
		}
		et := contentTerms(Unique(QuestionTerms(a, withoutAsking(s.searchText(asks, "", req.Lang)))))
		said := 0
		for _, t := range et {
			if own[t] {
				said++
			}
		}
		if len(et) > 0 && 2*said >= len(et) {
			return false, nil, nil
		}
	}
	tr := req
	tr.Topic, tr.Continues = req.held, true
	th, err := s.topicHits(ctx, req.Filter, tr, 0)
	if err != nil || len(th) == 0 {
		return false, nil, err
	}
	seen := map[string]map[string]bool{lead: {}}
	for _, h := range th {
		seen[h.Chunk.Doc] = map[string]bool{}
	}
	want := map[string]bool{}
	for _, t := range terms {
		want[t] = true
	}
	for _, h := range pool {
		in := seen[h.Chunk.Doc]
		if in == nil {
			continue
		}
		for _, ts := range indexTextTerms(a, h.Chunk) {
			for _, t := range ts {
				if want[t] {
					in[t] = true
				}
			}
		}
	}
	for _, h := range th {
		if h.Chunk.Doc == lead {
			// The question alone finds one of the topic's documents
			// first: it is read there continuing the topic when that
			// document holds most of its words ("运费怎么算" after whether
			// Urumqi is delivered to: the remote areas' fee, not the fee
			// of any parcel).
			return 2*len(seen[lead]) >= len(terms), th, nil
		}
	}
	for _, h := range th {
		if n := len(seen[h.Chunk.Doc]); h.Chunk.Doc != lead && 2*n >= len(terms) && n >= len(seen[lead]) {
			return true, th, nil
		}
	}
	return false, nil, nil
}

// QuestionTerms analyses a question with a's QueryTerms when a is a
// QueryAnalyzer, with its Terms otherwise.
func QuestionTerms(a Analyzer, question string) []string {
	if qa, ok := a.(QueryAnalyzer); ok {
		return qa.QueryTerms(question)
	}
	return a.Terms(question)
}

// ChunkLister is an Index that can return a document's stored chunks, which
// Reindex needs. vector/sqlite implements it.
type ChunkLister interface {
	// Chunks returns the chunks of the document in order (without terms or
	// vectors); none for an unknown document. Errors: EINVALID for a bad
	// key.
	Chunks(ctx context.Context, key DocKey) ([]Chunk, error)
}

// Reindex analyses and embeds every document of a knowledge base again,
// from the chunks stored in the index (after a change of analyzer or
// embedder). It returns the documents and chunks processed. Errors:
// EINVALID for a bad filter, ENOTFOUND for a knowledge base without
// documents, EUNAVAILABLE when the index cannot list chunks.
func (s *Service) Reindex(ctx context.Context, f Filter) (docs, chunks int, err error) {
	lister, ok := s.Index.(ChunkLister)
	if !ok {
		return 0, 0, assist.Errorf(assist.EUNAVAILABLE, "this index cannot be re-indexed in place; ingest the files again")
	}
	infos, err := s.Documents(ctx, Filter{TenantID: f.TenantID, KB: f.KB})
	if err != nil {
		return 0, 0, err
	}
	if len(infos) == 0 {
		return 0, 0, assist.Errorf(assist.ENOTFOUND, "knowledge base %q not found", f.KB)
	}
	for _, info := range infos {
		cs, err := lister.Chunks(ctx, info.DocKey)
		if err != nil {
			return docs, chunks, err
		}
		if len(cs) == 0 {
			continue // deleted meanwhile
		}
		d := Document{DocKey: info.DocKey, Title: cs[0].Title, Lang: cs[0].Lang, Source: cs[0].Source, UpdatedAt: cs[0].UpdatedAt}
		for _, c := range cs {
			d.Chunks = append(d.Chunks, Chunk{Text: c.Text, HeadingPath: c.HeadingPath, Question: c.Question, Answer: c.Answer})
		}
		n, err := s.Ingest(ctx, d)
		if err != nil {
			return docs, chunks, err
		}
		docs++
		chunks += n
	}
	return docs, chunks, nil
}
