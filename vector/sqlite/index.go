package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"
	"math"
	"net/url"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"

	"github.com/assistd/assist"
	"github.com/assistd/assist/rag"
	store "github.com/assistd/assist/store/sqlite"
)

//go:embed migrations/*.sql
var migrations embed.FS

// rrfK is the k of reciprocal rank fusion: a hit at rank r of a leg with
// weight w scores w/(rrfK+r).
const rrfK = 60

// maxLimit bounds Query.Limit.
const maxLimit = 200

// An Option configures Open.
type Option func(*options)

type options struct {
	dim    int
	logger *slog.Logger
}

// WithDim sets the length of the dense vectors the index accepts; 0 (the
// default) means a keyword-only index that refuses vectors.
func WithDim(n int) Option { return func(o *options) { o.dim = n } }

// WithLogger sets the logger for migrations; nil discards.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// Index is the embedded knowledge-base index. It is safe for concurrent
// use: writes go through one connection in turn, reads use a pool.
type Index struct {
	path  string
	dim   int
	write *sql.DB
	read  *sql.DB
	log   *slog.Logger

	mu     sync.Mutex
	dense  map[string]*denseSet // by scope token
	dfs    map[string]*dfCache  // by scope token
	gen    map[string]uint64    // bumped when a scope's chunks change
	tables map[string]bool      // scopes known to have their FTS table
	rows   map[string]*rowCache // by scope token
	stmts  map[string]*sql.Stmt // keyword queries, by scope token
	kw     map[string]*kwMem    // keyword statistics in memory, by scope token (kwmem.go)
	inst   map[string]bool      // scopes known to have their instance vocabulary

	kwLoads, kwInstReads atomic.Int64 // loadKwMem and readInstances calls, for the tests
}

// dfCache holds the chunk count of a scope and the document frequencies
// of the terms looked up so far, for one generation of the scope.
type dfCache struct {
	n  int
	df map[string]int
}

var (
	_ rag.Index       = (*Index)(nil)
	_ rag.GapRecorder = (*Index)(nil)
	_ rag.ChunkLister = (*Index)(nil)
	_ rag.DocFreqer   = (*Index)(nil)
	_ rag.Compacter   = (*Index)(nil)
)

// denseSet is the vectors of one tenant's knowledge base, in memory.
type denseSet struct {
	rids []int64
	lang []string
	vecs []float32 // len(rids)*dim
}

// Open opens (creating if needed) the index file at path and migrates it.
// path must name a file.
func Open(ctx context.Context, path string, opts ...Option) (*Index, error) {
	o := options{}
	for _, opt := range opts {
		opt(&o)
	}
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}
	if o.dim < 0 {
		return nil, fmt.Errorf("open kb index: negative vector size %d", o.dim)
	}
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("open kb index: %q is not a file path", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open kb index %s: %w", path, err)
	}
	ix := &Index{path: abs, dim: o.dim, log: o.logger, dense: map[string]*denseSet{}, dfs: map[string]*dfCache{}, gen: map[string]uint64{}, tables: map[string]bool{},
		rows: map[string]*rowCache{}, stmts: map[string]*sql.Stmt{}, kw: map[string]*kwMem{}, inst: map[string]bool{}}
	const busy = "busy_timeout(5000)"
	ix.write, err = sql.Open("sqlite", store.DSN(abs, url.Values{
		"_pragma": {busy, "journal_mode(WAL)", "synchronous(NORMAL)"},
		"_txlock": {"immediate"},
	}))
	if err != nil {
		return nil, fmt.Errorf("open kb index %s: %w", abs, err)
	}
	ix.write.SetMaxOpenConns(1)
	ix.write.SetConnMaxIdleTime(0)
	if err := ix.migrate(ctx); err != nil {
		ix.write.Close()
		return nil, fmt.Errorf("open kb index %s: %w", abs, err)
	}
	if err := ix.splitSharedFTS(ctx); err != nil {
		ix.write.Close()
		return nil, fmt.Errorf("open kb index %s: %w", abs, err)
	}
	if err := ix.addInstTables(ctx); err != nil {
		// Only the in-memory keyword scoring needs them: FTS5 scores.
		ix.log.Warn("kb index: instance vocabularies not created; keyword queries scored by FTS5", "err", err)
	}
	ix.read, err = sql.Open("sqlite", store.DSN(abs, url.Values{"_pragma": {busy, "query_only(1)"}}))
	if err != nil {
		ix.write.Close()
		return nil, fmt.Errorf("open kb index %s: %w", abs, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	ix.read.SetMaxOpenConns(n)
	ix.read.SetMaxIdleConns(n)
	if err := ix.read.PingContext(ctx); err != nil {
		ix.Close()
		return nil, fmt.Errorf("open kb index %s: %w", abs, err)
	}
	return ix, nil
}

func (ix *Index) migrate(ctx context.Context) error {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	return store.Migrate(ctx, ix.write, fsys, ix.log)
}

// Path is the absolute path of the index file.
func (ix *Index) Path() string { return ix.path }

// Dim is the vector length the index accepts (0: keyword only).
func (ix *Index) Dim() int { return ix.dim }

// Close checkpoints the WAL and closes the database.
func (ix *Index) Close() error {
	var errs []error
	ix.mu.Lock()
	for _, st := range ix.stmts {
		if err := st.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	ix.stmts = map[string]*sql.Stmt{}
	ix.mu.Unlock()
	if ix.read != nil {
		if err := ix.read.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	if _, err := ix.write.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		errs = append(errs, err)
	}
	if err := ix.write.Close(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return fmt.Errorf("close kb index: %v", errs)
	}
	return nil
}

// scopeToken names a tenant's knowledge base: its FTS tables
// (kb_fts_TOKEN, kb_vocab_TOKEN) and its caches. It is 64 bits of FNV-1a of
// tenant and kb, in hex.
func scopeToken(tenant, kb string) string {
	h := fnv.New64a()
	h.Write([]byte(tenant))
	h.Write([]byte{0})
	h.Write([]byte(kb))
	return fmt.Sprintf("%016x", h.Sum64())
}

// ftsTable and vocabTable name the keyword tables of a scope. Each
// knowledge base has its own FTS5 table, so that every statistic BM25 reads
// (the number of chunks, their average length, each term's document
// frequency) counts that knowledge base's chunks and no other's.
func ftsTable(scope string) string   { return "kb_fts_" + scope }
func vocabTable(scope string) string { return "kb_vocab_" + scope }

// ftsTerm is the FTS token of term: its letters and digits, lower case
// (anything else would split the token); "" when nothing is left.
func ftsTerm(term string) string {
	var b strings.Builder
	b.Grow(len(term))
	for _, r := range term {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// ftsTerms is the terms column of a chunk.
func ftsTerms(terms []string) string {
	var b strings.Builder
	for _, t := range terms {
		if ft := ftsTerm(t); ft != "" {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(ft)
		}
	}
	return b.String()
}

// createScopeTables creates the FTS5 table of a scope and its vocabulary
// views (rows and instances), if missing, in tx.
func createScopeTables(ctx context.Context, tx *sql.Tx, scope string) error {
	_, err := tx.ExecContext(ctx, `CREATE VIRTUAL TABLE IF NOT EXISTS `+ftsTable(scope)+` USING fts5 (
		lang, terms, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0')`)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `CREATE VIRTUAL TABLE IF NOT EXISTS `+vocabTable(scope)+
		` USING fts5vocab (`+ftsTable(scope)+`, 'row')`)
	if err != nil {
		return err
	}
	return createInstTable(ctx, tx, scope) // for keywordMem (kwmem.go)
}

// hasTables reports whether scope's FTS table exists (a knowledge base
// never written to has none).
func (ix *Index) hasTables(ctx context.Context, scope string) (bool, error) {
	ix.mu.Lock()
	ok := ix.tables[scope]
	ix.mu.Unlock()
	if ok {
		return true, nil
	}
	var n int
	if err := ix.read.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`,
		ftsTable(scope)).Scan(&n); err != nil {
		return false, wrapDB(err)
	}
	if n > 0 {
		ix.mu.Lock()
		ix.tables[scope] = true
		ix.mu.Unlock()
	}
	return n > 0, nil
}

// splitSharedFTS moves an index written before knowledge bases had their
// own FTS tables (one shared kb_fts, each term prefixed with a 40-bit scope
// hash) to one table per knowledge base: it reads every chunk's terms back
// from the shared table's instance vocabulary, writes them to the chunk's
// own table and drops the shared one, in one transaction. Nothing is
// re-analysed and nothing is lost.
func (ix *Index) splitSharedFTS(ctx context.Context) error {
	var n int
	if err := ix.write.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'kb_fts'`).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	tx, err := ix.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE VIRTUAL TABLE temp.kb_fts_instances USING fts5vocab (main, kb_fts, 'instance')`); err != nil {
		return fmt.Errorf("reading the shared keyword table: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT c.rid, c.tenant_id, c.kb, c.lang, i.term FROM temp.kb_fts_instances i
		JOIN kb_chunks c ON c.rid = i.doc WHERE i.col = 'terms' ORDER BY i.doc, i.offset`)
	if err != nil {
		return err
	}
	type row struct {
		scope, lang string
		terms       []string
	}
	var chunks []*row
	byRid := map[int64]*row{}
	for rows.Next() {
		var rid int64
		var tenant, kb, lang, term string
		if err := rows.Scan(&rid, &tenant, &kb, &lang, &term); err != nil {
			rows.Close()
			return err
		}
		r := byRid[rid]
		if r == nil {
			r = &row{scope: scopeToken(tenant, kb), lang: lang}
			byRid[rid] = r
			chunks = append(chunks, r)
		}
		if len(term) > 11 { // the old prefix: z and 10 hex digits
			r.terms = append(r.terms, term[11:])
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	made := map[string]bool{}
	for rid, r := range byRid {
		if !made[r.scope] {
			if err := createScopeTables(ctx, tx, r.scope); err != nil {
				return err
			}
			made[r.scope] = true
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO `+ftsTable(r.scope)+` (rowid, lang, terms) VALUES (?, ?, ?)`,
			rid, r.lang, strings.Join(r.terms, " ")); err != nil {
			return err
		}
	}
	for _, stmt := range []string{`DROP TABLE temp.kb_fts_instances`, `DROP TABLE IF EXISTS kb_vocab`, `DROP TABLE kb_fts`} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	ix.log.Info("kb index: keyword table split per knowledge base", "chunks", len(chunks), "knowledge_bases", len(made))
	return nil
}

func checkFilter(f rag.Filter) error {
	if strings.TrimSpace(f.TenantID) == "" || strings.TrimSpace(f.KB) == "" {
		return assist.Errorf(assist.EINVALID, "tenant and knowledge base are required")
	}
	return nil
}

// Replace implements rag.Index.
func (ix *Index) Replace(ctx context.Context, key rag.DocKey, chunks []rag.Chunk) error {
	if err := checkFilter(rag.Filter{TenantID: key.TenantID, KB: key.KB}); err != nil {
		return err
	}
	if strings.TrimSpace(key.Doc) == "" {
		return assist.Errorf(assist.EINVALID, "document name is empty")
	}
	for i, c := range chunks {
		switch {
		case c.DocKey != key:
			return assist.Errorf(assist.EINVALID, "chunk %d belongs to another document", i)
		case c.ID == "":
			return assist.Errorf(assist.EINVALID, "chunk %d has no id", i)
		case c.Vector != nil && len(c.Vector) != ix.dim:
			return assist.Errorf(assist.EINVALID, "chunk %d has a vector of %d, the index takes %d", i, len(c.Vector), ix.dim)
		}
	}
	scope := scopeToken(key.TenantID, key.KB)
	tx, err := ix.write.BeginTx(ctx, nil)
	if err != nil {
		return wrapDB(err)
	}
	defer tx.Rollback()
	if err := createScopeTables(ctx, tx, scope); err != nil {
		return wrapDB(err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+ftsTable(scope)+` WHERE rowid IN
		(SELECT rid FROM kb_chunks WHERE tenant_id = ? AND kb = ? AND doc = ?)`, key.TenantID, key.KB, key.Doc); err != nil {
		return wrapDB(err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM kb_chunks WHERE tenant_id = ? AND kb = ? AND doc = ?`,
		key.TenantID, key.KB, key.Doc); err != nil {
		return wrapDB(err)
	}
	if len(chunks) > 0 {
		insChunk, err := tx.PrepareContext(ctx, `INSERT INTO kb_chunks (id, tenant_id, kb, doc, ord, title, lang,
			heading_path, source, updated_at, text, question, answer, vector)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return wrapDB(err)
		}
		defer insChunk.Close()
		insFTS, err := tx.PrepareContext(ctx, `INSERT INTO `+ftsTable(scope)+` (rowid, lang, terms) VALUES (?, ?, ?)`)
		if err != nil {
			return wrapDB(err)
		}
		defer insFTS.Close()
		for _, c := range chunks {
			hp, _ := json.Marshal(nonNil(c.HeadingPath))
			var vec any
			if c.Vector != nil {
				vec = encodeVector(c.Vector)
			}
			res, err := insChunk.ExecContext(ctx, c.ID, key.TenantID, key.KB, key.Doc, c.Ord, c.Title, c.Lang,
				string(hp), c.Source, formatTime(c.UpdatedAt), c.Text, c.Question, c.Answer, vec)
			if err != nil {
				if strings.Contains(err.Error(), "UNIQUE") {
					return assist.Errorf(assist.ECONFLICT, "chunk id %s is already used", c.ID)
				}
				return wrapDB(err)
			}
			rid, err := res.LastInsertId()
			if err != nil {
				return wrapDB(err)
			}
			if _, err := insFTS.ExecContext(ctx, rid, c.Lang, ftsTerms(c.Terms)); err != nil {
				return wrapDB(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return wrapDB(err)
	}
	ix.mu.Lock()
	ix.tables[scope] = true
	ix.gen[scope]++
	delete(ix.dense, scope)
	delete(ix.dfs, scope)
	delete(ix.rows, scope)
	ix.mu.Unlock()
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func wrapDB(err error) error {
	if err == nil {
		return nil
	}
	if strings.Contains(err.Error(), "database is closed") {
		return assist.Wrap(assist.EUNAVAILABLE, err, "knowledge base unavailable")
	}
	return fmt.Errorf("kb index: %w", err)
}

// Documents implements rag.Index.
func (ix *Index) Documents(ctx context.Context, f rag.Filter) ([]rag.DocInfo, error) {
	if err := checkFilter(f); err != nil {
		return nil, err
	}
	q := `SELECT doc, count(*), max(updated_at),
		(SELECT title || char(0) || lang || char(0) || source FROM kb_chunks f
		 WHERE f.tenant_id = c.tenant_id AND f.kb = c.kb AND f.doc = c.doc ORDER BY ord LIMIT 1)
		FROM kb_chunks c WHERE tenant_id = ? AND kb = ?`
	args := []any{f.TenantID, f.KB}
	if f.Lang != "" {
		q += ` AND lang = ?`
		args = append(args, f.Lang)
	}
	q += ` GROUP BY doc ORDER BY doc`
	rows, err := ix.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, wrapDB(err)
	}
	defer rows.Close()
	var out []rag.DocInfo
	for rows.Next() {
		d := rag.DocInfo{DocKey: rag.DocKey{TenantID: f.TenantID, KB: f.KB}}
		var at, meta string
		if err := rows.Scan(&d.Doc, &d.Chunks, &at, &meta); err != nil {
			return nil, wrapDB(err)
		}
		d.UpdatedAt, _ = time.Parse(timeLayout, at)
		parts := strings.SplitN(meta, "\x00", 3)
		if len(parts) == 3 {
			d.Title, d.Lang, d.Source = parts[0], parts[1], parts[2]
		}
		out = append(out, d)
	}
	return out, wrapDB(rows.Err())
}

// Chunks implements rag.ChunkLister.
func (ix *Index) Chunks(ctx context.Context, key rag.DocKey) ([]rag.Chunk, error) {
	if err := checkFilter(rag.Filter{TenantID: key.TenantID, KB: key.KB}); err != nil {
		return nil, err
	}
	scope := scopeToken(key.TenantID, key.KB)
	cached, gen, ok := ix.cachedDoc(scope, key.Doc)
	if ok {
		return slices.Clone(cached), nil
	}
	rows, err := ix.read.QueryContext(ctx, `SELECT id, ord, title, lang, heading_path, source, updated_at, text,
		question, answer FROM kb_chunks WHERE tenant_id = ? AND kb = ? AND doc = ? ORDER BY ord`, key.TenantID, key.KB, key.Doc)
	if err != nil {
		return nil, wrapDB(err)
	}
	defer rows.Close()
	var out []rag.Chunk
	for rows.Next() {
		c := rag.Chunk{DocKey: key}
		var hp, at string
		if err := rows.Scan(&c.ID, &c.Ord, &c.Title, &c.Lang, &hp, &c.Source, &at, &c.Text, &c.Question, &c.Answer); err != nil {
			return nil, wrapDB(err)
		}
		_ = json.Unmarshal([]byte(hp), &c.HeadingPath)
		c.UpdatedAt, _ = time.Parse(timeLayout, at)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, wrapDB(err)
	}
	ix.keepDoc(scope, gen, key.Doc, slices.Clone(out))
	return out, nil
}

// legHit is one candidate of a leg.
type legHit struct {
	rid   int64
	score float64
}

// Search implements rag.Index.
func (ix *Index) Search(ctx context.Context, q rag.Query) ([]rag.Hit, error) {
	if err := checkFilter(q.Filter); err != nil {
		return nil, err
	}
	if q.Vector != nil && len(q.Vector) != ix.dim {
		return nil, assist.Errorf(assist.EINVALID, "query vector has %d dimensions, the index takes %d", len(q.Vector), ix.dim)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	limit = min(limit, maxLimit)
	cand := max(limit*5, 50)
	var kw, dn []legHit
	scope := scopeToken(q.TenantID, q.KB)
	if terms := ftsQueryTerms(q); len(terms) > 0 {
		ok, err := ix.hasTables(ctx, scope)
		if err != nil {
			return nil, err
		}
		if ok {
			tokens, err := ix.prune(ctx, q.Filter, terms)
			if err != nil {
				return nil, err
			}
			if expr := matchExpr(tokens, q.Lang); expr != "" {
				var mem bool
				if kw, mem, err = ix.keywordMem(ctx, scope, tokens, q.Lang, cand); err != nil {
					// Scoring in memory only saves time: FTS5 scores.
					ix.log.Debug("kb index: keyword query in memory failed; scored by FTS5", "err", err)
					kw, mem = nil, false
				}
				if !mem {
					if kw, err = ix.keyword(ctx, scope, expr, cand); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	if q.Vector != nil {
		set, err := ix.denseSet(ctx, q.Filter)
		if err != nil {
			return nil, err
		}
		dn = set.search(q.Vector, q.Lang, ix.dim, cand)
	}
	hits := fuse(kw, dn, weight(q.KeywordWeight), weight(q.DenseWeight), limit)
	if len(hits) == 0 {
		return nil, nil
	}
	return ix.fill(ctx, q.Filter, hits)
}

func weight(w float64) float64 {
	if w == 0 {
		return 1
	}
	return w
}

// ftsQueryTerms are the distinct FTS tokens of q's terms.
func ftsQueryTerms(q rag.Query) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range q.Terms {
		if ft := ftsTerm(t); ft != "" && !seen[ft] {
			seen[ft] = true
			out = append(out, ft)
		}
	}
	return out
}

// matchExpr is the FTS5 query for any of the tokens (in lang, if set);
// "" without tokens.
func matchExpr(tokens []string, lang string) string {
	if len(tokens) == 0 {
		return ""
	}
	expr := `terms : ("` + strings.Join(tokens, `" OR "`) + `")`
	if lang != "" {
		expr = `lang : "` + strings.ReplaceAll(lang, `"`, `""`) + `" AND ` + expr
	}
	return expr
}

// Query pruning: a term found in more than commonShare of a knowledge
// base's chunks (and at least commonMin of them) adds little to BM25 but
// costs a scan of its whole posting list, so it is left out of the query,
// unless fewer than keepRarest terms would be left.
const (
	commonShare = 0.05
	commonMin   = 200
	keepRarest  = 4
)

// prune drops the very common tokens of a query (see commonShare).
func (ix *Index) prune(ctx context.Context, f rag.Filter, tokens []string) ([]string, error) {
	if len(tokens) <= keepRarest {
		return tokens, nil
	}
	n, df, err := ix.docFreqs(ctx, f, tokens)
	if err != nil {
		return nil, err
	}
	if float64(n)*commonShare < commonMin {
		return tokens, nil // a small knowledge base: every term is cheap
	}
	limit := max(int(float64(n)*commonShare), commonMin)
	byDF := slices.Clone(tokens)
	slices.SortStableFunc(byDF, func(a, b string) int { return df[a] - df[b] })
	out := byDF[:0:0]
	for i, t := range byDF {
		if df[t] == 0 {
			continue // in no chunk: nothing to find
		}
		if i >= keepRarest && df[t] > limit {
			break
		}
		out = append(out, t)
	}
	return out, nil
}

// DocFreqs implements rag.DocFreqer: the number of f's chunks holding each
// term (by its FTS token), from the knowledge base's vocabulary.
func (ix *Index) DocFreqs(ctx context.Context, f rag.Filter, terms []string) ([]int, error) {
	if err := checkFilter(f); err != nil {
		return nil, err
	}
	out := make([]int, len(terms))
	ok, err := ix.hasTables(ctx, scopeToken(f.TenantID, f.KB))
	if err != nil || !ok {
		return out, err
	}
	tokens := make([]string, len(terms))
	for i, t := range terms {
		tokens[i] = ftsTerm(t)
	}
	_, df, err := ix.docFreqs(ctx, f, tokens)
	if err != nil {
		return nil, err
	}
	for i, t := range tokens {
		out[i] = df[t]
	}
	return out, nil
}

// docFreqs returns the chunk count of f's knowledge base and the document
// frequency of each token, cached per generation of the knowledge base.
// The knowledge base's tables must exist.
func (ix *Index) docFreqs(ctx context.Context, f rag.Filter, tokens []string) (int, map[string]int, error) {
	scope := scopeToken(f.TenantID, f.KB)
	ix.mu.Lock()
	c, gen := ix.dfs[scope], ix.gen[scope]
	var missing []any
	if c != nil {
		for _, t := range tokens {
			if _, ok := c.df[t]; !ok && t != "" {
				missing = append(missing, t)
			}
		}
	}
	ix.mu.Unlock()
	if c == nil {
		var n int
		if err := ix.read.QueryRowContext(ctx, `SELECT count(*) FROM kb_chunks WHERE tenant_id = ? AND kb = ?`,
			f.TenantID, f.KB).Scan(&n); err != nil {
			return 0, nil, wrapDB(err)
		}
		c = &dfCache{n: n, df: map[string]int{}}
		for _, t := range tokens {
			if t != "" {
				missing = append(missing, t)
			}
		}
	}
	found := map[string]int{}
	if len(missing) > 0 {
		rows, err := ix.read.QueryContext(ctx, `SELECT term, doc FROM `+vocabTable(scope)+` WHERE term IN (?`+
			strings.Repeat(",?", len(missing)-1)+`)`, missing...)
		if err != nil {
			return 0, nil, wrapDB(err)
		}
		for rows.Next() {
			var t string
			var n int
			if err := rows.Scan(&t, &n); err != nil {
				rows.Close()
				return 0, nil, wrapDB(err)
			}
			found[t] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, nil, wrapDB(err)
		}
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.gen[scope] == gen {
		if ix.dfs[scope] == nil {
			ix.dfs[scope] = c
		}
		for _, t := range missing {
			c.df[t.(string)] = found[t.(string)] // 0 for an unknown term
		}
	}
	df := make(map[string]int, len(tokens))
	for _, t := range tokens {
		if n, ok := c.df[t]; ok {
			df[t] = n
		} else {
			df[t] = found[t]
		}
	}
	return c.n, df, nil
}

// keyword runs the FTS5 query expr on scope's table: BM25 over that
// knowledge base's statistics only.
func (ix *Index) keyword(ctx context.Context, scope, expr string, n int) ([]legHit, error) {
	st, err := ix.keywordStmt(ctx, scope, n)
	if err != nil {
		return nil, err
	}
	var rows *sql.Rows
	if st != nil {
		rows, err = st.QueryContext(ctx, expr)
	} else {
		rows, err = ix.read.QueryContext(ctx, keywordQuery(scope, n), expr)
	}
	if err != nil {
		return nil, wrapDB(err)
	}
	defer rows.Close()
	var out []legHit
	for rows.Next() {
		var h legHit
		if err := rows.Scan(&h.rid, &h.score); err != nil {
			return nil, wrapDB(err)
		}
		h.score = -h.score // FTS5's bm25 is negated: lower is better
		out = append(out, h)
	}
	return out, wrapDB(rows.Err())
}

// denseSet returns the in-memory vectors of f's knowledge base, loading
// them on first use.
func (ix *Index) denseSet(ctx context.Context, f rag.Filter) (*denseSet, error) {
	scope := scopeToken(f.TenantID, f.KB)
	ix.mu.Lock()
	set, gen := ix.dense[scope], ix.gen[scope]
	ix.mu.Unlock()
	if set != nil {
		return set, nil
	}
	rows, err := ix.read.QueryContext(ctx, `SELECT rid, lang, vector FROM kb_chunks
		WHERE tenant_id = ? AND kb = ? AND vector IS NOT NULL`, f.TenantID, f.KB)
	if err != nil {
		return nil, wrapDB(err)
	}
	defer rows.Close()
	set = &denseSet{}
	for rows.Next() {
		var rid int64
		var lang string
		var blob []byte
		if err := rows.Scan(&rid, &lang, &blob); err != nil {
			return nil, wrapDB(err)
		}
		if len(blob) != 4*ix.dim {
			continue // written with another embedder: re-ingest to use it
		}
		set.rids = append(set.rids, rid)
		set.lang = append(set.lang, lang)
		set.vecs = appendVector(set.vecs, blob)
	}
	if err := rows.Err(); err != nil {
		return nil, wrapDB(err)
	}
	ix.mu.Lock()
	if ix.gen[scope] == gen {
		ix.dense[scope] = set
	}
	ix.mu.Unlock()
	return set, nil
}

// search returns the n vectors closest to v by dot product (cosine for
// unit vectors), best first; vectors at a right angle or more are no match.
func (s *denseSet) search(v []float32, lang string, dim, n int) []legHit {
	out := make([]legHit, 0, n+1)
	for i, rid := range s.rids {
		if lang != "" && s.lang[i] != lang {
			continue
		}
		row := s.vecs[i*dim : (i+1)*dim]
		var dot float32
		for j, x := range row {
			dot += x * v[j]
		}
		sc := float64(dot)
		if sc <= 0 { // orthogonal or opposite: no match
			continue
		}
		if len(out) == n && sc <= out[n-1].score {
			continue
		}
		// insert in order (n is small)
		k := sort.Search(len(out), func(k int) bool { return out[k].score < sc })
		out = append(out, legHit{})
		copy(out[k+1:], out[k:])
		out[k] = legHit{rid: rid, score: sc}
		if len(out) > n {
			out = out[:n]
		}
	}
	return out
}

// fuse merges the legs by weighted reciprocal rank and keeps the best
// limit; ties go to the lower row id (the earlier ingested chunk).
func fuse(kw, dn []legHit, wk, wd float64, limit int) []rag.Hit {
	if len(dn) == 0 && wk > 0 {
		return keywordOnly(kw, wk, limit)
	}
	return fuseLegs(kw, dn, wk, wd, limit)
}

// fuseLegs is fuse of any legs.
func fuseLegs(kw, dn []legHit, wk, wd float64, limit int) []rag.Hit {
	type cand struct {
		rid          int64
		kwRank       int
		kwScore      float64
		dnRank       int
		dnScore, sum float64
	}
	cands := make([]cand, 0, len(kw)+len(dn))
	at := make(map[int64]int, len(kw)+len(dn))
	get := func(rid int64) *cand {
		i, ok := at[rid]
		if !ok {
			i = len(cands)
			at[rid] = i
			cands = append(cands, cand{rid: rid})
		}
		return &cands[i]
	}
	for i, c := range kw {
		h := get(c.rid)
		h.kwRank, h.kwScore = i+1, c.score
		h.sum += wk / float64(rrfK+i+1)
	}
	for i, c := range dn {
		h := get(c.rid)
		h.dnRank, h.dnScore = i+1, c.score
		h.sum += wd / float64(rrfK+i+1)
	}
	sort.Slice(cands, func(a, b int) bool {
		if cands[a].sum != cands[b].sum {
			return cands[a].sum > cands[b].sum
		}
		return cands[a].rid < cands[b].rid
	})
	if len(cands) > limit {
		cands = cands[:limit]
	}
	out := make([]rag.Hit, len(cands))
	for i, c := range cands {
		out[i] = rag.Hit{Score: c.sum, KeywordRank: c.kwRank, KeywordScore: c.kwScore, DenseRank: c.dnRank, DenseScore: c.dnScore}
		out[i].Chunk.Ord = int(c.rid) // the row id, until fill loads the chunk
	}
	return out
}

// keywordOnly is fuse without a dense leg: the keyword leg's rows (FTS5
// returns each once) score wk/(rrfK+rank), which falls with the rank
// (wk > 0), so
// they stay in the order they came, with no map or sort.
func keywordOnly(kw []legHit, wk float64, limit int) []rag.Hit {
	out := make([]rag.Hit, min(len(kw), limit))
	for i := range out {
		out[i] = rag.Hit{Score: wk / float64(rrfK+i+1), KeywordRank: i + 1, KeywordScore: kw[i].score}
		out[i].Chunk.Ord = int(kw[i].rid) // the row id, until fill loads the chunk
	}
	return out
}

// fill loads the chunks of hits, whose Chunk.Ord holds their row id, from
// the knowledge base's row cache or the table; a chunk outside f (a hash
// collision of scopes) or gone meanwhile is dropped.
func (ix *Index) fill(ctx context.Context, f rag.Filter, hits []rag.Hit) ([]rag.Hit, error) {
	scope := scopeToken(f.TenantID, f.KB)
	missing, gen := ix.lookupRows(scope, hits)
	if len(missing) > 0 {
		args := make([]any, 0, len(missing))
		pos := make(map[int64]int, len(missing))
		for _, i := range missing {
			rid := int64(hits[i].Chunk.Ord)
			args = append(args, rid)
			pos[rid] = i
			hits[i].Chunk = rag.Chunk{} // found below, or dropped
		}
		rows, err := ix.read.QueryContext(ctx, `SELECT rid, id, tenant_id, kb, doc, ord, title, lang, heading_path,
			source, updated_at, text, question, answer FROM kb_chunks WHERE rid IN (?`+strings.Repeat(",?", len(args)-1)+`)`, args...)
		if err != nil {
			return nil, wrapDB(err)
		}
		defer rows.Close()
		read := make(map[int64]rag.Chunk, len(missing))
		for rows.Next() {
			var rid int64
			var c rag.Chunk
			var hp, at string
			if err := rows.Scan(&rid, &c.ID, &c.TenantID, &c.KB, &c.Doc, &c.Ord, &c.Title, &c.Lang, &hp,
				&c.Source, &at, &c.Text, &c.Question, &c.Answer); err != nil {
				return nil, wrapDB(err)
			}
			if c.TenantID != f.TenantID || c.KB != f.KB {
				continue
			}
			_ = json.Unmarshal([]byte(hp), &c.HeadingPath)
			c.UpdatedAt, _ = time.Parse(timeLayout, at)
			hits[pos[rid]].Chunk = c
			read[rid] = c
		}
		if err := rows.Err(); err != nil {
			return nil, wrapDB(err)
		}
		ix.keepRows(scope, gen, read)
		if len(read) == len(missing) {
			return hits, nil
		}
	} else {
		return hits, nil
	}
	// A concurrent Replace removed a chunk between the legs and here: drop
	// the hits whose chunk is gone.
	kept := hits[:0]
	for _, h := range hits {
		if h.Chunk.ID != "" {
			kept = append(kept, h)
		}
	}
	return kept, nil
}

// RecordGap implements rag.GapRecorder.
func (ix *Index) RecordGap(ctx context.Context, g rag.Gap) error {
	if err := checkFilter(rag.Filter{TenantID: g.TenantID, KB: g.KB}); err != nil {
		return err
	}
	if strings.TrimSpace(g.Question) == "" {
		return assist.Errorf(assist.EINVALID, "gap question is empty")
	}
	if g.At.IsZero() {
		g.At = time.Now()
	}
	_, err := ix.write.ExecContext(ctx, `INSERT INTO kb_gaps (tenant_id, kb, conversation_id, question, lang,
		confidence, best_doc, best_score, keyword_score, dense_score, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, g.TenantID, g.KB, g.ConversationID, g.Question, g.Lang,
		finite(g.Confidence), g.BestDoc, finite(g.BestScore), finite(g.KeywordScore), finite(g.DenseScore), formatTime(g.At))
	return wrapDB(err)
}

// Gaps lists the recorded gaps of a tenant's knowledge base, newest first,
// at most limit (0: 100).
func (ix *Index) Gaps(ctx context.Context, f rag.Filter, limit int) ([]rag.Gap, error) {
	if err := checkFilter(f); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 100
	}
	rows, err := ix.read.QueryContext(ctx, `SELECT conversation_id, question, lang, confidence, best_doc,
		best_score, keyword_score, dense_score, created_at FROM kb_gaps WHERE tenant_id = ? AND kb = ?
		ORDER BY created_at DESC, id DESC LIMIT ?`, f.TenantID, f.KB, limit)
	if err != nil {
		return nil, wrapDB(err)
	}
	defer rows.Close()
	var out []rag.Gap
	for rows.Next() {
		g := rag.Gap{TenantID: f.TenantID, KB: f.KB}
		var at string
		if err := rows.Scan(&g.ConversationID, &g.Question, &g.Lang, &g.Confidence, &g.BestDoc,
			&g.BestScore, &g.KeywordScore, &g.DenseScore, &at); err != nil {
			return nil, wrapDB(err)
		}
		g.At, _ = time.Parse(timeLayout, at)
		out = append(out, g)
	}
	return out, wrapDB(rows.Err())
}

func finite(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return x
}

const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func encodeVector(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

func appendVector(dst []float32, b []byte) []float32 {
	for i := 0; i+4 <= len(b); i += 4 {
		dst = append(dst, math.Float32frombits(binary.LittleEndian.Uint32(b[i:])))
	}
	return dst
}
