package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"unicode"

	"modernc.org/libc"
)

// The keyword leg of a small knowledge base is scored in memory, with the
// numbers FTS5's bm25 reads, to the same scores bit for bit and in the
// same order (TestKeywordInMemory): FTS5's bm25 costs three quarters of a
// keyword query, most of it counting every term's rows again for its IDF
// on each query and walking every matched row's instances, and on the demo
// help center the keyword queries were a quarter of a new help-center
// question's turn. The numbers are FTS5's own: the row count and token
// totals of its averages record, each row's size from its docsize table,
// and each term's rows and instances per column from its instance
// vocabulary (kb_inst_SCOPE), read once per term; the whole cache is
// dropped when the FTS table's structure record changes (any write, in
// this process or another). A knowledge base of more than kwMemRows rows
// is searched by FTS5 itself.

// kwMemRows is the most rows (chunks, deleted ones included until the
// table is rebuilt) a knowledge base may have to be scored in memory:
// its row sizes, 16 bytes a row, are read whole when its table changes.
var kwMemRows uint64 = 4096 // a variable for the tests

// kwMemTerms bounds the terms whose rows a knowledge base's cache holds;
// past it the cache starts afresh.
var kwMemTerms = 8192 // a variable for the tests

// kwMem is one knowledge base's keyword statistics, for one state of its
// FTS table.
type kwMem struct {
	structure []byte          // the structure record read with them
	nRow      int64           // rows, as the averages record counts them
	tokens    int64           // tokens in all columns, likewise
	size      map[int64]int32 // each live row's tokens, all columns
	terms     map[string][]kwRow
	large     bool // more than kwMemRows rows: FTS5 scores
}

// kwRow is the instances of a term in one row: in the lang and the terms
// column.
type kwRow struct {
	rid         int64
	lang, terms int32
}

// instTable names the instance vocabulary of a scope's FTS table.
func instTable(scope string) string { return "kb_inst_" + scope }

// keywordMem runs the keyword query of tokens (in lang, if set) on scope
// from memory; ok is false when it cannot: the knowledge base is too
// large, a token is one FTS5 might fold otherwise (memTerm), the table
// changed while its numbers were read, or the scope has no instance
// vocabulary (a store written before it, until it is opened again).
func (ix *Index) keywordMem(ctx context.Context, scope string, tokens []string, lang string, n int) (_ []legHit, ok bool, err error) {
	if lang != "" && !memTerm(lang) {
		return nil, false, nil
	}
	for _, t := range tokens {
		if !memTerm(t) {
			return nil, false, nil
		}
	}
	if ok, err := ix.hasInst(ctx, scope); err != nil || !ok {
		return nil, false, err
	}
	m, lists, langRows, err := ix.kwStats(ctx, scope, tokens, lang)
	if err != nil || m == nil {
		return nil, false, err
	}
	return m.search(lists, langRows, n), true, nil
}

// memTerm reports whether FTS5's tokenizer (unicode61) keeps t as it is:
// ASCII lower-case letters and digits, and Han characters, which no case
// folding changes.
func memTerm(t string) bool {
	for _, r := range t {
		if !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r > 0x2e80 && unicode.Is(unicode.Han, r)) {
			return false
		}
	}
	return t != ""
}

// kwStats returns scope's statistics, the rows of each token and the rows
// in lang ("" = nil: any), all of one state of the table; m is nil when
// the knowledge base has more than kwMemRows rows or the table changed
// while they were read.
func (ix *Index) kwStats(ctx context.Context, scope string, tokens []string, lang string) (m *kwMem, lists [][]kwRow, langRows []kwRow, err error) {
	st, err := ix.structure(ctx, scope)
	if err != nil || st == nil {
		return nil, nil, nil, err
	}
	ix.mu.Lock()
	m = ix.kw[scope]
	full := m != nil && len(m.terms) >= kwMemTerms // m.terms is written under ix.mu
	ix.mu.Unlock()
	loaded := false
	if m == nil || !bytes.Equal(m.structure, st) || full {
		if m, err = ix.loadKwMem(ctx, scope, st); err != nil || m == nil {
			return nil, nil, nil, err
		}
		loaded = true
	}
	if m.large {
		if loaded {
			ix.mu.Lock()
			ix.kw[scope] = m // one read of the structure per search from now on
			ix.mu.Unlock()
		}
		return nil, nil, nil, nil
	}
	want := tokens
	if lang != "" {
		want = append(slices.Clip(tokens), lang)
	}
	var missing []any
	ix.mu.Lock()
	for _, t := range want {
		if _, ok := m.terms[t]; !ok {
			missing = append(missing, t)
		}
	}
	ix.mu.Unlock()
	var found map[string][]kwRow
	if len(missing) > 0 {
		if found, err = ix.readInstances(ctx, scope, m, missing); err != nil {
			return nil, nil, nil, err
		}
		loaded = true
	}
	if loaded {
		// What was read belongs to the state st only if the table has not
		// changed since.
		again, err := ix.structure(ctx, scope)
		if err != nil {
			return nil, nil, nil, err
		}
		if !bytes.Equal(again, st) {
			return nil, nil, nil, nil
		}
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	// Store a fresh copy in place of none, of one of another state of the
	// table, or of a full one (which has the same structure record).
	if old := ix.kw[scope]; loaded && old != m && (old == nil || !bytes.Equal(old.structure, st) || len(old.terms) >= kwMemTerms) {
		ix.kw[scope] = m
	}
	get := func(t string) []kwRow {
		if rs, ok := m.terms[t]; ok {
			return rs
		}
		rs := found[t]
		if ix.kw[scope] == m {
			m.terms[t] = rs
		}
		return rs
	}
	lists = make([][]kwRow, len(tokens))
	for i, t := range tokens {
		lists[i] = get(t)
	}
	if lang != "" {
		langRows = get(lang)
		if langRows == nil {
			langRows = []kwRow{} // no row in that language
		}
	}
	return m, lists, langRows, nil
}

// structure is the structure record of scope's FTS table, which any write
// changes; nil when the table has none.
func (ix *Index) structure(ctx context.Context, scope string) ([]byte, error) {
	query := `SELECT block FROM ` + ftsTable(scope) + `_data WHERE id = 10`
	stmt, err := ix.prepared(ctx, scope+"/structure", query)
	if err != nil {
		return nil, err
	}
	var row *sql.Row
	if stmt != nil {
		row = stmt.QueryRowContext(ctx)
	} else {
		row = ix.read.QueryRowContext(ctx, query)
	}
	var st []byte
	err = row.Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return st, wrapDB(err)
}

// readInstances reads the rows of terms, with their instances per column,
// from scope's instance vocabulary: live rows of m only, by row id.
func (ix *Index) readInstances(ctx context.Context, scope string, m *kwMem, terms []any) (map[string][]kwRow, error) {
	ix.kwInstReads.Add(1)
	rows, err := ix.read.QueryContext(ctx, `SELECT term, doc, col = 'lang', count(*) FROM `+instTable(scope)+` WHERE term IN (?`+
		strings.Repeat(",?", len(terms)-1)+`) GROUP BY 1, 2, 3`, terms...)
	if err != nil {
		return nil, wrapDB(err)
	}
	defer rows.Close()
	found := make(map[string][]kwRow, len(terms))
	for _, t := range terms {
		found[t.(string)] = nil
	}
	for rows.Next() {
		var t string
		var rid int64
		var inLang bool
		var n int32
		if err := rows.Scan(&t, &rid, &inLang, &n); err != nil {
			return nil, wrapDB(err)
		}
		if _, live := m.size[rid]; !live {
			continue // deleted, not yet merged away
		}
		rs := found[t]
		if len(rs) == 0 || rs[len(rs)-1].rid != rid {
			rs = append(rs, kwRow{rid: rid})
		}
		if inLang {
			rs[len(rs)-1].lang += n
		} else {
			rs[len(rs)-1].terms += n
		}
		found[t] = rs
	}
	if err := rows.Err(); err != nil {
		return nil, wrapDB(err)
	}
	for _, rs := range found {
		// The vocabulary lists a term's instances by row; sort in case.
		slices.SortStableFunc(rs, func(a, b kwRow) int { return cmpInt64(a.rid, b.rid) })
	}
	return found, nil
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// loadKwMem reads scope's averages and row sizes for the table state whose
// structure record is st; only the structure, marked large, when the
// table has more than kwMemRows rows; nil for a record it cannot read.
func (ix *Index) loadKwMem(ctx context.Context, scope string, st []byte) (*kwMem, error) {
	ix.kwLoads.Add(1)
	var avg []byte
	if err := ix.read.QueryRowContext(ctx, `SELECT block FROM `+ftsTable(scope)+`_data WHERE id = 1`).Scan(&avg); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		return nil, wrapDB(err)
	}
	nRow, k := varint(avg)
	if k <= 0 {
		return nil, nil
	}
	if nRow > kwMemRows {
		return &kwMem{structure: st, large: true}, nil
	}
	m := &kwMem{structure: st, nRow: int64(nRow), size: map[int64]int32{}, terms: map[string][]kwRow{}}
	for rest := avg[k:]; len(rest) > 0; {
		v, k := varint(rest)
		if k <= 0 {
			return nil, nil // not a record this code reads: FTS5 scores
		}
		m.tokens += int64(v)
		rest = rest[k:]
	}
	rows, err := ix.read.QueryContext(ctx, `SELECT id, sz FROM `+ftsTable(scope)+`_docsize`)
	if err != nil {
		return nil, wrapDB(err)
	}
	defer rows.Close()
	for rows.Next() {
		var rid int64
		var sz []byte
		if err := rows.Scan(&rid, &sz); err != nil {
			return nil, wrapDB(err)
		}
		d := 0
		for rest := sz; len(rest) > 0; {
			v, k := varint(rest)
			if k <= 0 {
				return nil, nil
			}
			d += int(v)
			rest = rest[k:]
		}
		m.size[rid] = int32(d)
	}
	if err := rows.Err(); err != nil {
		return nil, wrapDB(err)
	}
	return m, nil
}

// hasInst reports whether scope's instance vocabulary exists: it is made
// with the scope's other tables (createScopeTables) and, for a store
// written before, when the store is opened (addInstTables). A search never
// creates it: that would write, and wait for an ingest holding the lock.
func (ix *Index) hasInst(ctx context.Context, scope string) (bool, error) {
	ix.mu.Lock()
	ok := ix.inst[scope]
	ix.mu.Unlock()
	if ok {
		return true, nil
	}
	var n int
	if err := ix.read.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`,
		instTable(scope)).Scan(&n); err != nil {
		return false, wrapDB(err)
	}
	if n > 0 {
		ix.mu.Lock()
		ix.inst[scope] = true
		ix.mu.Unlock()
	}
	return n > 0, nil
}

// addInstTables creates the instance vocabulary of every scope that has
// an FTS table and none (stores written before it was made with them).
func (ix *Index) addInstTables(ctx context.Context) error {
	rows, err := ix.write.QueryContext(ctx, `SELECT substr(f.name, 8) FROM sqlite_master f
		WHERE f.type = 'table' AND f.name GLOB 'kb_fts_'||replace(hex(zeroblob(16)), '00', '[0-9a-f]')
		AND NOT EXISTS (SELECT 1 FROM sqlite_master i WHERE i.name = 'kb_inst_'||substr(f.name, 8))`)
	if err != nil {
		return err
	}
	var scopes []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return err
		}
		scopes = append(scopes, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(scopes) == 0 {
		return err
	}
	tx, err := ix.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, s := range scopes {
		if err := createInstTable(ctx, tx, s); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// createInstTable creates scope's instance vocabulary, if missing, in tx.
func createInstTable(ctx context.Context, tx *sql.Tx, scope string) error {
	_, err := tx.ExecContext(ctx, `CREATE VIRTUAL TABLE IF NOT EXISTS `+instTable(scope)+
		` USING fts5vocab (`+ftsTable(scope)+`, 'instance')`)
	return err
}

// varint decodes an SQLite varint (as FTS5 writes its records): the value
// and its length, 0 when b is cut short.
func varint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < 9 && i < len(b); i++ {
		if i == 8 {
			return v<<8 | uint64(b[i]), 9
		}
		v = v<<7 | uint64(b[i]&0x7f)
		if b[i]&0x80 == 0 {
			return v, i + 1
		}
	}
	return 0, 0
}

// search is FTS5's `lang : "LANG" AND terms : ("t1" OR "t2" …)` ranked
// by bm25(table, 0, 1), best first, at most n, given each token's rows
// (lists, in the expression's order) and the rows in LANG (langRows; nil
// for the query without the lang phrase): the same rows, scores and
// order, ties by row id as SQLite's ORDER BY … LIMIT leaves them.
func (m *kwMem) search(lists [][]kwRow, langRows []kwRow, n int) []legHit {
	// The phrases in the order of the expression; the lang phrase scores
	// nothing (its column weighs 0) and only filters.
	idf := make([]float64, len(lists))
	var tls *libc.TLS // log uses no thread state
	for i, l := range lists {
		hit := int64(0)
		for _, r := range l {
			if r.terms > 0 {
				hit++
			}
		}
		x := libc.Xlog(tls, (float64(m.nRow-hit)+0.5)/(float64(hit)+0.5))
		if x <= 0.0 {
			x = 1e-6
		}
		idf[i] = x
	}
	// Every list is in row id order (readInstances): the rows are merged
	// list by list, with no map of the rows (two maps of a few hundred
	// rows were a search's largest allocations).
	pos := make([]int, len(lists))
	inLang := 0 // langRows[:inLang] are the rows below the current one
	k1, b, one := 1.2, 0.75, 1.0
	avgdl := float64(m.tokens) / float64(m.nRow)
	var out []legHit
	for {
		// The lowest row id any list holds next.
		rid, any := int64(0), false
		for i, l := range lists {
			if p := pos[i]; p < len(l) && (!any || l[p].rid < rid) {
				rid, any = l[p].rid, true
			}
		}
		if !any {
			break
		}
		ok := langRows == nil
		if !ok {
			for inLang < len(langRows) && langRows[inLang].rid < rid {
				inLang++
			}
			for j := inLang; j < len(langRows) && langRows[j].rid == rid; j++ {
				ok = ok || langRows[j].lang > 0
			}
		}
		// bm25 as fts5_aux.c computes it, operation for operation, the
		// terms in the expression's order.
		d := float64(m.size[rid])
		score, hit := 0.0, false
		for i, l := range lists {
			tf := int32(0)
			for ; pos[i] < len(l) && l[pos[i]].rid == rid; pos[i]++ {
				if t := l[pos[i]].terms; t > 0 {
					tf = t
				}
			}
			hit = hit || tf > 0
			a := float64(tf)
			score += idf[i] * ((a * (k1 + one)) / (a + k1*(one-b+b*d/avgdl)))
		}
		if ok && hit {
			out = append(out, legHit{rid: rid, score: score})
		}
	}
	slices.SortFunc(out, func(x, y legHit) int {
		// ORDER BY -score, then the order FTS5 returned them in (row id).
		if sx, sy := -x.score, -y.score; sx != sy {
			if sx < sy {
				return -1
			}
			return 1
		}
		return cmpInt64(x.rid, y.rid)
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}
