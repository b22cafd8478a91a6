package qdrant

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	pb "github.com/qdrant/go-client/qdrant"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/assistd/assist"
	"github.com/assistd/assist/rag"
)

// Vector names and payload keys in the collection.
const (
	DenseVector  = "dense"
	SparseVector = "sparse"

	keyTenant   = "tenant"
	keyKB       = "kb"
	keyDoc      = "doc"
	keyLang     = "lang"
	keyOrd      = "ord"
	keyTitle    = "title"
	keyHeadings = "heading_path"
	keySource   = "source"
	keyUpdated  = "updated_at"
	keyText     = "text"
	keyQuestion = "question"
	keyAnswer   = "answer"
	keyTerms    = "terms" // the chunk's distinct keyword terms, for per-knowledge-base document frequencies
)

// Defaults of Config.
const (
	DefaultURL        = "http://localhost:6334"
	DefaultCollection = "assist"
	DefaultCandidates = 100
	defaultLimit      = 10
	maxLimit          = 1000
	upsertBatch       = 256
	scrollPage        = 512
	rrfK              = 60
	statsTTL          = 30 * time.Second // how long a knowledge base's term statistics are reused
	statsParallel     = 8                // count requests in flight for one search
)

// BM25 parameters of the sparse leg. Qdrant only multiplies the query's
// weights by the points' weights, so the points carry BM25's saturated
// term frequency and the query each term's IDF over the knowledge base's
// own points. A point's length is normalised against refLen, a fixed
// typical chunk length, rather than the knowledge base's average, so that
// a point's weights never depend on any other point.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
	refLen = 60
)

// Config configures an Index.
type Config struct {
	// URL is Qdrant's gRPC endpoint: http://host:port, https://host:port
	// (TLS) or host:port. Empty: DefaultURL. The gRPC port is 6334 by
	// default, not the REST port 6333.
	URL string
	// APIKey is sent in the api-key header when set. It is a secret.
	APIKey string
	// Collection is the collection's name. Empty: DefaultCollection.
	Collection string
	// Dim is the size of the dense vectors (the embedder's Dim). 0 makes a
	// keyword-only collection.
	Dim int
	// Candidates is how many points each leg prefetches before fusion.
	// 0: DefaultCandidates.
	Candidates int
	// Logger receives connection and collection events; nil discards.
	Logger *slog.Logger
}

// Index is a rag.Index on a Qdrant collection. It is safe for concurrent
// use.
type Index struct {
	client     *pb.Client
	collection string
	dim        int
	candidates int
	log        *slog.Logger

	mu    sync.Mutex
	stats map[scope]*termStats // per tenant and knowledge base
}

// scope is a tenant's knowledge base.
type scope struct{ tenant, kb string }

// termStats caches a knowledge base's chunk count and the document
// frequencies of the terms looked up so far.
type termStats struct {
	at time.Time
	n  float64
	df map[string]float64
}

var (
	_ rag.Index     = (*Index)(nil)
	_ rag.DocFreqer = (*Index)(nil)
)

// Open connects to the Qdrant at cfg.URL and ensures the collection exists
// (see EnsureCollection). Close the Index when done. Errors: EINVALID for a
// bad URL or configuration, EUNAVAILABLE when Qdrant cannot be reached.
func Open(ctx context.Context, cfg Config) (*Index, error) {
	qc, err := clientConfig(cfg)
	if err != nil {
		return nil, err
	}
	client, err := pb.NewClient(qc)
	if err != nil {
		return nil, assist.Wrap(assist.EUNAVAILABLE, err, "cannot connect to qdrant")
	}
	ix, err := New(client, cfg)
	if err != nil {
		client.Close()
		return nil, err
	}
	if err := ix.EnsureCollection(ctx); err != nil {
		client.Close()
		return nil, err
	}
	ix.log.Info("qdrant index ready", "url", qc.Host+":"+strconv.Itoa(qc.Port), "collection", ix.collection, "dim", ix.dim)
	return ix, nil
}

// clientConfig turns cfg's URL and key into the client's configuration.
func clientConfig(cfg Config) (*pb.Config, error) {
	raw := cfg.URL
	if raw == "" {
		raw = DefaultURL
	}
	if !strings.Contains(raw, "://") {
		raw = "grpc://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return nil, assist.Errorf(assist.EINVALID, "qdrant url %q: want http://host:port, https://host:port or host:port", cfg.URL)
	}
	qc := &pb.Config{Host: u.Hostname(), Port: 6334, APIKey: cfg.APIKey, SkipCompatibilityCheck: true}
	switch u.Scheme {
	case "http", "grpc":
	case "https", "grpcs":
		qc.UseTLS = true
	default:
		return nil, assist.Errorf(assist.EINVALID, "qdrant url %q: unknown scheme %q", cfg.URL, u.Scheme)
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > 65535 {
			return nil, assist.Errorf(assist.EINVALID, "qdrant url %q: bad port", cfg.URL)
		}
		qc.Port = n
	}
	return qc, nil
}

// New returns an Index on an existing client, which the caller closes. It
// does not contact Qdrant; call EnsureCollection before first use.
func New(client *pb.Client, cfg Config) (*Index, error) {
	if cfg.Dim < 0 || cfg.Candidates < 0 {
		return nil, assist.Errorf(assist.EINVALID, "qdrant: negative dim or candidates")
	}
	ix := &Index{
		client:     client,
		collection: cmp.Or(cfg.Collection, DefaultCollection),
		dim:        cfg.Dim,
		candidates: cmp.Or(cfg.Candidates, DefaultCandidates),
		log:        cfg.Logger,
		stats:      map[scope]*termStats{},
	}
	if ix.log == nil {
		ix.log = slog.New(slog.DiscardHandler)
	}
	return ix, nil
}

// Close closes the client's connections.
func (ix *Index) Close() error { return ix.client.Close() }

// payloadIndexes are the keyword indexes EnsureCollection makes.
var payloadIndexes = []struct {
	field  string
	tenant bool
}{{keyTenant, true}, {keyKB, false}, {keyLang, false}, {keyDoc, false}, {keyTerms, false}}

// EnsureCollection creates the collection with its dense and sparse
// vectors and its payload indexes, whichever are missing. It is
// idempotent and safe to run from several processes at once. Errors:
// EINVALID when an existing collection's vectors do not fit the
// configuration (another dense size, no sparse vector, or one with
// Qdrant's collection-wide IDF modifier), EUNAVAILABLE when Qdrant cannot
// be reached.
func (ix *Index) EnsureCollection(ctx context.Context) error {
	exists, err := ix.client.CollectionExists(ctx, ix.collection)
	if err != nil {
		return ix.fail(ctx, "checking the collection", err)
	}
	if !exists {
		req := &pb.CreateCollection{
			CollectionName: ix.collection,
			SparseVectorsConfig: pb.NewSparseVectorsConfig(map[string]*pb.SparseVectorParams{
				SparseVector: {},
			}),
		}
		if ix.dim > 0 {
			req.VectorsConfig = pb.NewVectorsConfigMap(map[string]*pb.VectorParams{
				DenseVector: {Size: uint64(ix.dim), Distance: pb.Distance_Cosine},
			})
		}
		err := ix.client.CreateCollection(ctx, req)
		if status.Code(err) != codes.AlreadyExists && err != nil {
			return ix.fail(ctx, "creating the collection", err)
		}
		if err == nil {
			ix.log.Info("qdrant collection created", "collection", ix.collection, "dim", ix.dim)
		}
	}
	info, err := ix.client.GetCollectionInfo(ctx, ix.collection)
	if err != nil {
		return ix.fail(ctx, "reading the collection", err)
	}
	if err := ix.checkSchema(info); err != nil {
		return err
	}
	for _, pi := range payloadIndexes {
		if _, ok := info.GetPayloadSchema()[pi.field]; ok {
			continue
		}
		params := &pb.KeywordIndexParams{}
		if pi.tenant {
			params.IsTenant = new(true)
		}
		_, err := ix.client.CreateFieldIndex(ctx, &pb.CreateFieldIndexCollection{
			CollectionName:   ix.collection,
			Wait:             new(true),
			FieldName:        pi.field,
			FieldType:        pb.FieldType_FieldTypeKeyword.Enum(),
			FieldIndexParams: pb.NewPayloadIndexParamsKeyword(params),
		})
		if err != nil {
			return ix.fail(ctx, "creating the "+pi.field+" index", err)
		}
	}
	return nil
}

// checkSchema refuses a collection whose vectors do not fit the index.
func (ix *Index) checkSchema(info *pb.CollectionInfo) error {
	params := info.GetConfig().GetParams()
	dense := params.GetVectorsConfig().GetParamsMap().GetMap()[DenseVector]
	switch {
	case ix.dim > 0 && dense == nil:
		return assist.Errorf(assist.EINVALID, "qdrant collection %s has no %q vector; the embedder needs %d floats: use another collection", ix.collection, DenseVector, ix.dim)
	case ix.dim > 0 && dense.GetSize() != uint64(ix.dim):
		return assist.Errorf(assist.EINVALID, "qdrant collection %s has %d-float %q vectors, the embedder makes %d: use another collection or re-create it", ix.collection, dense.GetSize(), DenseVector, ix.dim)
	case ix.dim > 0 && dense.GetDistance() != pb.Distance_Cosine:
		return assist.Errorf(assist.EINVALID, "qdrant collection %s compares %q vectors by %s, want Cosine", ix.collection, DenseVector, dense.GetDistance())
	}
	sparse := params.GetSparseVectorsConfig().GetMap()[SparseVector]
	switch {
	case sparse == nil:
		return assist.Errorf(assist.EINVALID, "qdrant collection %s has no %q vector: use another collection", ix.collection, SparseVector)
	case sparse.GetModifier() == pb.Modifier_Idf:
		return assist.Errorf(assist.EINVALID, "qdrant collection %s weighs %q terms by their frequency across all tenants (IDF modifier), "+
			"so one tenant's documents would change another's ranking: use a new collection and ingest again", ix.collection, SparseVector)
	}
	return nil
}

// fail maps a client error to an assist error (see the package comment).
func (ix *Index) fail(ctx context.Context, op string, err error) error {
	if ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		status.Code(err) == codes.Canceled || status.Code(err) == codes.DeadlineExceeded) {
		return fmt.Errorf("qdrant %s: %w", op, ctx.Err())
	}
	msg := "qdrant " + op
	switch status.Code(err) {
	case codes.Unavailable, codes.ResourceExhausted, codes.DeadlineExceeded, codes.Aborted:
		return assist.Wrap(assist.EUNAVAILABLE, err, "the vector store is unavailable: "+msg)
	case codes.Unauthenticated, codes.PermissionDenied:
		return assist.Wrap(assist.EUNAVAILABLE, err, "the vector store refused the API key: "+msg)
	case codes.InvalidArgument, codes.FailedPrecondition:
		return assist.Wrap(assist.EINVALID, err, msg)
	case codes.NotFound:
		return assist.Wrap(assist.ENOTFOUND, err, "the vector store collection "+ix.collection+" does not exist: "+msg)
	}
	return assist.Wrap(assist.EINTERNAL, err, msg)
}

// SparseIndex maps a keyword term to its sparse-vector index (FNV-1a, 32
// bits).
func SparseIndex(term string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(term); i++ {
		h ^= uint32(term[i])
		h *= 16777619
	}
	return h
}

// sparse returns the sparse vector of terms: indices ascending, values the
// term frequencies (colliding terms add up).
func sparse(terms []string) ([]uint32, []float32) {
	hashes := make([]uint32, 0, len(terms))
	for _, t := range terms {
		if t != "" {
			hashes = append(hashes, SparseIndex(t))
		}
	}
	slices.Sort(hashes)
	idx := hashes[:0]
	var val []float32
	for i, h := range hashes {
		if i > 0 && h == idx[len(idx)-1] {
			val[len(val)-1]++
			continue
		}
		idx = append(idx, h)
		val = append(val, 1)
	}
	return idx, val
}

// docSparse is a point's sparse vector: each term's BM25 saturated term
// frequency, tf·(k1+1)/(tf + k1·(1 − b + b·len/refLen)).
func docSparse(terms []string) ([]uint32, []float32) {
	idx, val := sparse(terms)
	n := 0
	for _, t := range terms {
		if t != "" {
			n++
		}
	}
	norm := 1 - bm25B + bm25B*float64(n)/refLen
	for i, tf := range val {
		val[i] = float32(float64(tf) * (bm25K1 + 1) / (float64(tf) + bm25K1*norm))
	}
	return idx, val
}

// distinct returns the non-empty terms without repeats, in first-seen
// order.
func distinct(terms []string) []string {
	seen := make(map[string]bool, len(terms))
	out := make([]string, 0, len(terms))
	for _, t := range terms {
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// idf returns the IDF of each term over f's knowledge base alone,
// ln(1 + (N − n + 0.5)/(n + 0.5)) with N its points and n those holding the
// term, counted by Qdrant (Count with the tenant/kb filter and the terms
// payload) and reused for statsTTL or until this Index changes the
// knowledge base. A term no point holds is left out (0).
func (ix *Index) idf(ctx context.Context, f rag.Filter, terms []string) (map[string]float64, error) {
	n, df, err := ix.docFreqs(ctx, f, terms)
	if err != nil {
		return nil, err
	}
	out := make(map[string]float64, len(terms))
	for _, t := range terms {
		if d := df[t]; d > 0 {
			out[t] = math.Log(1 + (n-d+0.5)/(d+0.5))
		}
	}
	return out, nil
}

// DocFreqs implements rag.DocFreqer from the same counts as the IDF.
func (ix *Index) DocFreqs(ctx context.Context, f rag.Filter, terms []string) ([]int, error) {
	if err := checkFilter(f); err != nil {
		return nil, err
	}
	_, df, err := ix.docFreqs(ctx, f, distinct(terms))
	if err != nil {
		return nil, err
	}
	out := make([]int, len(terms))
	for i, t := range terms {
		out[i] = int(df[t])
	}
	return out, nil
}

// docFreqs returns the number of f's points and how many hold each term,
// counted by Qdrant and cached (see idf).
func (ix *Index) docFreqs(ctx context.Context, f rag.Filter, terms []string) (float64, map[string]float64, error) {
	sc := scope{f.TenantID, f.KB}
	base := []*pb.Condition{pb.NewMatchKeyword(keyTenant, f.TenantID), pb.NewMatchKeyword(keyKB, f.KB)}
	ix.mu.Lock()
	st := ix.stats[sc]
	if st != nil && time.Since(st.at) > statsTTL {
		delete(ix.stats, sc)
		st = nil
	}
	var missing []string
	if st != nil {
		for _, t := range terms {
			if _, ok := st.df[t]; !ok {
				missing = append(missing, t)
			}
		}
	} else {
		missing = terms
	}
	ix.mu.Unlock()

	var n float64
	if st == nil {
		c, err := ix.client.Count(ctx, &pb.CountPoints{CollectionName: ix.collection, Filter: &pb.Filter{Must: base}, Exact: new(true)})
		if err != nil {
			return 0, nil, ix.fail(ctx, "counting chunks", err)
		}
		n = float64(c)
	} else {
		n = st.n
	}
	found := make([]float64, len(missing))
	errs := make([]error, len(missing))
	var wg sync.WaitGroup
	sem := make(chan struct{}, statsParallel)
	for i, t := range missing {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			must := append(slices.Clip(base), pb.NewMatchKeyword(keyTerms, t))
			c, err := ix.client.Count(ctx, &pb.CountPoints{CollectionName: ix.collection, Filter: &pb.Filter{Must: must}, Exact: new(true)})
			found[i], errs[i] = float64(c), err
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return 0, nil, ix.fail(ctx, "counting term frequencies", err)
	}

	df := make(map[string]float64, len(terms))
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if cur := ix.stats[sc]; cur == st {
		if st == nil {
			st = &termStats{at: time.Now(), n: n, df: map[string]float64{}}
			ix.stats[sc] = st
		}
		for i, t := range missing {
			st.df[t] = found[i]
		}
	}
	for i, t := range missing {
		df[t] = found[i]
	}
	if st != nil {
		for _, t := range terms {
			if d, ok := st.df[t]; ok {
				df[t] = d
			}
		}
	}
	return n, df, nil
}

// forget drops a knowledge base's cached statistics after a change.
func (ix *Index) forget(k rag.DocKey) {
	ix.mu.Lock()
	delete(ix.stats, scope{k.TenantID, k.KB})
	ix.mu.Unlock()
}

func checkKey(k rag.DocKey) error {
	if k.TenantID == "" || k.KB == "" || k.Doc == "" {
		return assist.Errorf(assist.EINVALID, "document key needs a tenant, a knowledge base and a name")
	}
	return nil
}

func checkFilter(f rag.Filter) error {
	if f.TenantID == "" || f.KB == "" {
		return assist.Errorf(assist.EINVALID, "filter needs a tenant and a knowledge base")
	}
	return nil
}

// docFilter selects a document's points.
func docFilter(k rag.DocKey) *pb.Filter {
	return &pb.Filter{Must: []*pb.Condition{
		pb.NewMatchKeyword(keyTenant, k.TenantID),
		pb.NewMatchKeyword(keyKB, k.KB),
		pb.NewMatchKeyword(keyDoc, k.Doc),
	}}
}

// searchFilter selects the points a filter allows.
func searchFilter(f rag.Filter) *pb.Filter {
	must := []*pb.Condition{pb.NewMatchKeyword(keyTenant, f.TenantID), pb.NewMatchKeyword(keyKB, f.KB)}
	if f.Lang != "" {
		must = append(must, pb.NewMatchKeyword(keyLang, f.Lang))
	}
	return &pb.Filter{Must: must}
}

// points builds the points of chunks, after checking them.
func (ix *Index) points(key rag.DocKey, chunks []rag.Chunk) ([]*pb.PointStruct, []*pb.PointId, error) {
	pts := make([]*pb.PointStruct, len(chunks))
	ids := make([]*pb.PointId, len(chunks))
	seen := make(map[uuid.UUID]bool, len(chunks))
	for i, c := range chunks {
		if c.DocKey != key {
			return nil, nil, assist.Errorf(assist.EINVALID, "chunk %d belongs to another document than %q", i, key.Doc)
		}
		if len(c.Vector) != 0 && len(c.Vector) != ix.dim {
			return nil, nil, assist.Errorf(assist.EINVALID, "chunk %d has a vector of %d floats, the index takes %d", i, len(c.Vector), ix.dim)
		}
		var id uuid.UUID
		if c.ID == "" {
			var err error
			if id, err = uuid.NewV7(); err != nil {
				return nil, nil, assist.Wrap(assist.EINTERNAL, err, "making a chunk id")
			}
		} else {
			var err error
			if id, err = uuid.Parse(c.ID); err != nil {
				return nil, nil, assist.Errorf(assist.EINVALID, "chunk %d: id %q is not a UUID", i, c.ID)
			}
		}
		if seen[id] {
			return nil, nil, assist.Errorf(assist.EINVALID, "chunk %d: id %s appears twice", i, id)
		}
		seen[id] = true
		ids[i] = pb.NewIDUUID(id.String())

		vectors := map[string]*pb.Vector{}
		if idx, val := docSparse(c.Terms); len(idx) > 0 {
			vectors[SparseVector] = pb.NewVectorSparse(idx, val)
		}
		terms := distinct(c.Terms)
		termValues := make([]*pb.Value, len(terms))
		for j, t := range terms {
			termValues[j] = pb.NewValueString(t)
		}
		if len(c.Vector) > 0 {
			vectors[DenseVector] = pb.NewVectorDense(slices.Clone(c.Vector))
		}
		headings := make([]*pb.Value, len(c.HeadingPath))
		for j, h := range c.HeadingPath {
			headings[j] = pb.NewValueString(h)
		}
		payload := map[string]*pb.Value{
			keyTenant:   pb.NewValueString(c.TenantID),
			keyKB:       pb.NewValueString(c.KB),
			keyDoc:      pb.NewValueString(c.Doc),
			keyLang:     pb.NewValueString(c.Lang),
			keyOrd:      pb.NewValueInt(int64(c.Ord)),
			keyTitle:    pb.NewValueString(c.Title),
			keyHeadings: pb.NewValueFromList(headings...),
			keySource:   pb.NewValueString(c.Source),
			keyText:     pb.NewValueString(c.Text),
			keyQuestion: pb.NewValueString(c.Question),
			keyAnswer:   pb.NewValueString(c.Answer),
			keyTerms:    pb.NewValueFromList(termValues...),
		}
		if !c.UpdatedAt.IsZero() {
			payload[keyUpdated] = pb.NewValueInt(c.UpdatedAt.UnixNano())
		}
		pts[i] = &pb.PointStruct{Id: ids[i], Payload: payload, Vectors: pb.NewVectorsMap(vectors)}
	}
	return pts, ids, nil
}

// Replace implements rag.Index: it upserts chunks and then deletes the
// document's other points. A chunk without an ID gets a new UUIDv7.
// Errors: EINVALID for a bad key, a chunk of another document, a vector of
// the wrong size or an ID that is not a UUID (nothing is written then);
// EUNAVAILABLE when Qdrant cannot be reached.
func (ix *Index) Replace(ctx context.Context, key rag.DocKey, chunks []rag.Chunk) error {
	if err := checkKey(key); err != nil {
		return err
	}
	pts, ids, err := ix.points(key, chunks)
	if err != nil {
		return err
	}
	defer ix.forget(key)
	for len(pts) > 0 {
		n := min(len(pts), upsertBatch)
		_, err := ix.client.Upsert(ctx, &pb.UpsertPoints{CollectionName: ix.collection, Wait: new(true), Points: pts[:n]})
		if err != nil {
			return ix.fail(ctx, "upserting chunks", err)
		}
		pts = pts[n:]
	}
	stale := docFilter(key)
	if len(ids) > 0 {
		stale.MustNot = []*pb.Condition{pb.NewHasID(ids...)}
	}
	_, err = ix.client.Delete(ctx, &pb.DeletePoints{
		CollectionName: ix.collection,
		Wait:           new(true),
		Points:         pb.NewPointsSelectorFilter(stale),
	})
	if err != nil {
		return ix.fail(ctx, "deleting old chunks", err)
	}
	return nil
}

// plan is a search turned into Qdrant queries.
type plan struct {
	queries  []*pb.QueryPoints // fused (with payload) first, then the legs
	legs     []string          // vector name of each leg query, after the first
	weights  []float64         // weight of each leg
	limit    int
	rerank   bool // re-rank the fused result by the contract formula
	fusedLeg string
}

func weight(w float64) float64 {
	if w == 0 {
		return 1
	}
	return w
}

// querySparse is the sparse query of terms: each distinct term's IDF
// (terms without one are left out; colliding terms add up).
func querySparse(terms []string, idf map[string]float64) ([]uint32, []float32) {
	w := map[uint32]float32{}
	for _, t := range distinct(terms) {
		if x := idf[t]; x > 0 {
			w[SparseIndex(t)] += float32(x)
		}
	}
	idx := slices.Sorted(maps.Keys(w))
	val := make([]float32, len(idx))
	for i, k := range idx {
		val[i] = w[k]
	}
	return idx, val
}

// plan builds the queries of q, after checking it; idf weighs its terms.
func (ix *Index) plan(q rag.Query, idf map[string]float64) (*plan, error) {
	if err := checkFilter(q.Filter); err != nil {
		return nil, err
	}
	if q.Limit < 0 || q.KeywordWeight < 0 || q.DenseWeight < 0 ||
		math.IsNaN(q.KeywordWeight) || math.IsNaN(q.DenseWeight) || math.IsInf(q.KeywordWeight, 0) || math.IsInf(q.DenseWeight, 0) {
		return nil, assist.Errorf(assist.EINVALID, "search limit and weights must be finite and not negative")
	}
	if q.Vector != nil && len(q.Vector) != ix.dim {
		return nil, assist.Errorf(assist.EINVALID, "query vector has %d floats, the index takes %d", len(q.Vector), ix.dim)
	}
	p := &plan{limit: cmp.Or(q.Limit, defaultLimit)}
	if p.limit > maxLimit {
		p.limit = maxLimit
	}
	filter := searchFilter(q.Filter)
	type leg struct {
		name  string
		query *pb.Query
		w     float64
	}
	var legs []leg
	if idx, val := querySparse(q.Terms, idf); len(idx) > 0 {
		legs = append(legs, leg{SparseVector, pb.NewQuerySparse(idx, val), weight(q.KeywordWeight)})
	}
	if len(q.Vector) > 0 {
		legs = append(legs, leg{DenseVector, pb.NewQueryDense(slices.Clone(q.Vector)), weight(q.DenseWeight)})
	}
	switch len(legs) {
	case 0:
		return p, nil
	case 1:
		l := legs[0]
		p.queries = []*pb.QueryPoints{{
			CollectionName: ix.collection,
			Query:          l.query,
			Using:          new(l.name),
			Filter:         filter,
			Limit:          new(uint64(p.limit)),
			WithPayload:    pb.NewWithPayload(true),
		}}
		p.fusedLeg, p.weights = l.name, []float64{l.w}
		return p, nil
	}
	cands := uint64(ix.candidates)
	fused := &pb.QueryPoints{
		CollectionName: ix.collection,
		Filter:         filter,
		Limit:          new(uint64(p.limit)),
		WithPayload:    pb.NewWithPayload(true),
	}
	rrf := &pb.Rrf{K: new(uint32(rrfK + 1))}
	if legs[0].w != legs[1].w {
		// Qdrant weighs ranks, not reciprocal ranks: fetch every candidate
		// and re-rank by the contract formula.
		rrf.Weights = []float32{float32(legs[0].w), float32(legs[1].w)}
		fused.Limit = new(2 * cands)
		p.rerank = true
	}
	fused.Query = pb.NewQueryRRF(rrf)
	p.queries = append(p.queries, fused)
	for _, l := range legs {
		fused.Prefetch = append(fused.Prefetch, &pb.PrefetchQuery{Query: l.query, Using: new(l.name), Filter: filter, Limit: new(cands)})
		p.queries = append(p.queries, &pb.QueryPoints{
			CollectionName: ix.collection,
			Query:          l.query,
			Using:          new(l.name),
			Filter:         filter,
			Limit:          new(cands),
			WithPayload:    pb.NewWithPayload(false),
		})
		p.legs = append(p.legs, l.name)
		p.weights = append(p.weights, l.w)
	}
	return p, nil
}

// Search implements rag.Index. Errors: EINVALID for a filter without tenant
// or kb, a negative limit or weight, or a vector of the wrong size;
// EUNAVAILABLE when Qdrant cannot be reached; ENOTFOUND when the
// collection is gone.
func (ix *Index) Search(ctx context.Context, q rag.Query) ([]rag.Hit, error) {
	if err := checkFilter(q.Filter); err != nil {
		return nil, err
	}
	var idf map[string]float64
	if terms := distinct(q.Terms); len(terms) > 0 {
		var err error
		if idf, err = ix.idf(ctx, q.Filter, terms); err != nil {
			return nil, err
		}
	}
	p, err := ix.plan(q, idf)
	if err != nil || len(p.queries) == 0 {
		return nil, err
	}
	var results [][]*pb.ScoredPoint
	if len(p.queries) == 1 {
		res, err := ix.client.Query(ctx, p.queries[0])
		if err != nil {
			return nil, ix.fail(ctx, "searching", err)
		}
		results = [][]*pb.ScoredPoint{res}
	} else {
		res, err := ix.client.QueryBatch(ctx, &pb.QueryBatchPoints{CollectionName: ix.collection, QueryPoints: p.queries})
		if err != nil {
			return nil, ix.fail(ctx, "searching", err)
		}
		if len(res) != len(p.queries) {
			return nil, assist.Errorf(assist.EINTERNAL, "qdrant answered %d of %d queries", len(res), len(p.queries))
		}
		for _, r := range res {
			results = append(results, r.GetResult())
		}
	}
	return p.hits(results)
}

// hits turns the query results into rag hits.
func (p *plan) hits(results [][]*pb.ScoredPoint) ([]rag.Hit, error) {
	type legHit struct {
		rank  int
		score float64
	}
	var legRanks []map[string]legHit // per leg, by point id
	var legNames []string
	if len(results) == 1 {
		m := map[string]legHit{}
		for i, sp := range results[0] {
			m[pointID(sp.GetId())] = legHit{i + 1, float64(sp.GetScore())}
		}
		legRanks, legNames = []map[string]legHit{m}, []string{p.fusedLeg}
	} else {
		for i, res := range results[1:] {
			m := make(map[string]legHit, len(res))
			for r, sp := range res {
				m[pointID(sp.GetId())] = legHit{r + 1, float64(sp.GetScore())}
			}
			legRanks = append(legRanks, m)
			legNames = append(legNames, p.legs[i])
		}
	}
	hits := make([]rag.Hit, 0, len(results[0]))
	for _, sp := range results[0] {
		c, err := chunkOf(sp.GetId(), sp.GetPayload())
		if err != nil {
			return nil, err
		}
		h := rag.Hit{Chunk: c}
		for i, m := range legRanks {
			lh, ok := m[c.ID]
			if !ok {
				continue
			}
			h.Score += p.weights[i] / float64(rrfK+lh.rank)
			if legNames[i] == SparseVector {
				h.KeywordRank, h.KeywordScore = lh.rank, lh.score
			} else {
				h.DenseRank, h.DenseScore = lh.rank, lh.score
			}
		}
		hits = append(hits, h)
	}
	// Stable: Qdrant's order breaks ties.
	slices.SortStableFunc(hits, func(a, b rag.Hit) int { return cmp.Compare(b.Score, a.Score) })
	if len(hits) > p.limit {
		hits = hits[:p.limit]
	}
	return hits, nil
}

func pointID(id *pb.PointId) string {
	if u := id.GetUuid(); u != "" {
		return u
	}
	return strconv.FormatUint(id.GetNum(), 10)
}

// chunkOf rebuilds a chunk (without Terms and Vector) from a point.
func chunkOf(id *pb.PointId, p map[string]*pb.Value) (rag.Chunk, error) {
	str := func(k string) string { return p[k].GetStringValue() }
	c := rag.Chunk{
		DocKey:   rag.DocKey{TenantID: str(keyTenant), KB: str(keyKB), Doc: str(keyDoc)},
		ID:       pointID(id),
		Ord:      int(p[keyOrd].GetIntegerValue()),
		Title:    str(keyTitle),
		Lang:     str(keyLang),
		Source:   str(keySource),
		Text:     str(keyText),
		Question: str(keyQuestion),
		Answer:   str(keyAnswer),
	}
	if c.TenantID == "" || c.KB == "" || c.Doc == "" {
		return rag.Chunk{}, assist.Errorf(assist.EINTERNAL, "qdrant point %s has no tenant, kb or doc in its payload", c.ID)
	}
	if v, ok := p[keyUpdated]; ok {
		c.UpdatedAt = time.Unix(0, v.GetIntegerValue()).UTC()
	}
	for _, h := range p[keyHeadings].GetListValue().GetValues() {
		c.HeadingPath = append(c.HeadingPath, h.GetStringValue())
	}
	return c, nil
}

// Documents implements rag.Index by scrolling the matching points. Errors:
// EINVALID for a filter without tenant or kb; EUNAVAILABLE when Qdrant
// cannot be reached.
func (ix *Index) Documents(ctx context.Context, f rag.Filter) ([]rag.DocInfo, error) {
	if err := checkFilter(f); err != nil {
		return nil, err
	}
	type doc struct {
		info rag.DocInfo
		ord  int
	}
	docs := map[string]*doc{}
	req := &pb.ScrollPoints{
		CollectionName: ix.collection,
		Filter:         searchFilter(f),
		Limit:          new(uint32(scrollPage)),
		WithPayload:    pb.NewWithPayloadInclude(keyDoc, keyOrd, keyTitle, keyLang, keySource, keyUpdated),
	}
	for {
		pts, next, err := ix.client.ScrollAndOffset(ctx, req)
		if err != nil {
			return nil, ix.fail(ctx, "listing documents", err)
		}
		for _, pt := range pts {
			p := pt.GetPayload()
			name := p[keyDoc].GetStringValue()
			ord := int(p[keyOrd].GetIntegerValue())
			d := docs[name]
			if d == nil {
				d = &doc{info: rag.DocInfo{DocKey: rag.DocKey{TenantID: f.TenantID, KB: f.KB, Doc: name}}, ord: ord + 1}
				docs[name] = d
			}
			d.info.Chunks++
			if ord < d.ord {
				d.ord = ord
				d.info.Title = p[keyTitle].GetStringValue()
				d.info.Lang = p[keyLang].GetStringValue()
				d.info.Source = p[keySource].GetStringValue()
				d.info.UpdatedAt = time.Time{}
				if v, ok := p[keyUpdated]; ok {
					d.info.UpdatedAt = time.Unix(0, v.GetIntegerValue()).UTC()
				}
			}
		}
		if next == nil || len(pts) == 0 {
			break
		}
		req.Offset = next
	}
	out := make([]rag.DocInfo, 0, len(docs))
	for _, d := range docs {
		out = append(out, d.info)
	}
	slices.SortFunc(out, func(a, b rag.DocInfo) int { return cmp.Compare(a.Doc, b.Doc) })
	return out, nil
}
