package sqlite

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"github.com/assistd/assist/rag"
)

// Reading the rows of the hits is a tenth of a help-center turn, and the
// same sections come back for question after question: the rows read are
// kept in memory per knowledge base (rowCache), and the statement of each
// knowledge base's keyword query is prepared once (keywordStmt).

// rowCache is the chunk rows of one knowledge base read so far, by row id,
// and the chunks of its documents listed so far, for one generation of the
// knowledge base: Replace drops it. A change another process makes to the
// same file is not seen by Replace, so the cache is also dropped
// rowCacheTTL after it was started, and when it holds rowCacheSize rows.
type rowCache struct {
	at   time.Time
	rows map[int64]rag.Chunk
	docs map[string][]rag.Chunk
}

// rowCacheSize is the most rows (and documents) a knowledge base's cache
// holds: the sections that answer most questions, a few MB.
const rowCacheSize = 4096

// rowCacheTTL is the longest a change made by another process (`assist
// ingest` while the server runs) goes unseen; the search cache of package
// rag keeps searches as long.
var rowCacheTTL = 10 * time.Second // a variable for the tests

// cachedRows returns scope's row cache, a fresh one when it is missing,
// stale or full, and the scope's generation. Call with ix.mu held.
func (ix *Index) cachedRows(scope string) *rowCache {
	c := ix.rows[scope]
	if c == nil || time.Since(c.at) >= rowCacheTTL || len(c.rows) >= rowCacheSize || len(c.docs) >= rowCacheSize {
		c = &rowCache{at: time.Now(), rows: map[int64]rag.Chunk{}, docs: map[string][]rag.Chunk{}}
		ix.rows[scope] = c
	}
	return c
}

// lookupRows fills the hits (whose Chunk.Ord holds their row id) found in
// scope's row cache and returns the indexes of the others, with the
// scope's generation to remember them under.
func (ix *Index) lookupRows(scope string, hits []rag.Hit) (missing []int, gen uint64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	c := ix.cachedRows(scope)
	for i := range hits {
		if ch, ok := c.rows[int64(hits[i].Chunk.Ord)]; ok {
			hits[i].Chunk = ch
		} else {
			missing = append(missing, i)
		}
	}
	return missing, ix.gen[scope]
}

// keepRows remembers rows read from scope at generation gen (unless the
// knowledge base changed meanwhile).
func (ix *Index) keepRows(scope string, gen uint64, rows map[int64]rag.Chunk) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.gen[scope] != gen {
		return
	}
	c := ix.cachedRows(scope)
	for rid, ch := range rows {
		c.rows[rid] = ch
	}
}

// cachedDoc returns the chunks of a document remembered in scope's cache.
func (ix *Index) cachedDoc(scope, doc string) ([]rag.Chunk, uint64, bool) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	cs, ok := ix.cachedRows(scope).docs[doc]
	return cs, ix.gen[scope], ok
}

// keepDoc remembers the chunks of a document read from scope at
// generation gen.
func (ix *Index) keepDoc(scope string, gen uint64, doc string, cs []rag.Chunk) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.gen[scope] == gen {
		ix.cachedRows(scope).docs[doc] = cs
	}
}

// maxStmts bounds the prepared keyword statements kept, a few per
// knowledge base searched; past it a query is prepared each time.
const maxStmts = 256

// keywordStmt returns the prepared keyword query of scope's FTS table for
// at most n rows, nil when maxStmts are kept already.
func (ix *Index) keywordStmt(ctx context.Context, scope string, n int) (*sql.Stmt, error) {
	return ix.prepared(ctx, scope+"/"+strconv.Itoa(n), keywordQuery(scope, n))
}

// prepared returns the statement of query prepared on the read pool, once
// per key; nil when maxStmts are kept already.
func (ix *Index) prepared(ctx context.Context, key, query string) (*sql.Stmt, error) {
	ix.mu.Lock()
	st, full := ix.stmts[key], len(ix.stmts) >= maxStmts
	ix.mu.Unlock()
	if st != nil || full {
		return st, nil
	}
	st, err := ix.read.PrepareContext(ctx, query)
	if err != nil {
		return nil, wrapDB(err)
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if old := ix.stmts[key]; old != nil {
		st.Close()
		return old, nil
	}
	ix.stmts[key] = st
	return st, nil
}

// keywordQuery is the FTS5 query of scope's table: the row ids and BM25
// scores of the rows matching the expression (the argument), best first,
// at most n. The limit is written in the statement, not bound: SQLite
// hands a bound LIMIT to FTS5 by value, and the statement is then parsed
// again whenever the value is bound anew.
func keywordQuery(scope string, n int) string {
	t := ftsTable(scope)
	return `SELECT rowid, bm25(` + t + `, 0, 1) AS s FROM ` + t + ` WHERE ` + t + ` MATCH ? ORDER BY s LIMIT ` + strconv.Itoa(n)
}

// Compact implements rag.Compacter: it merges the pieces (segments) of f's
// FTS5 table towards one ('merge' with a negative page count, an optimize
// bounded to compactPages of work), which FTS5's own merging, done a little
// at each write, leaves to several; each costs a search a lookup per term
// (on the demo help center, 91 documents: 0.8 -> 0.5 ms of FTS5 per
// help-center turn). The scores do not change.
func (ix *Index) Compact(ctx context.Context, f rag.Filter) error {
	if err := checkFilter(f); err != nil {
		return err
	}
	scope := scopeToken(f.TenantID, f.KB)
	if ok, err := ix.hasTables(ctx, scope); err != nil || !ok {
		return err
	}
	t := ftsTable(scope)
	_, err := ix.write.ExecContext(ctx, `INSERT INTO `+t+` (`+t+`, rank) VALUES ('merge', ?)`, -compactPages)
	return wrapDB(err)
}

// compactPages bounds the work of one Compact: FTS5 pages written (4 KB
// each, 32 MB). A knowledge base of 10,000 chunks is merged into one
// segment at once (1.2 s on a loaded 2-core machine; an index merged
// already costs 0.3 ms); a larger one a step further at each ingest, so
// adding a file to a large knowledge base does not rewrite all of it.
const compactPages = 8000
