package sqlite

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
)

// Statements are parsed once: SQLite's parser was a tenth of a bot turn's
// CPU (BenchmarkTurn), mostly re-parsing the same few INSERTs and UPDATEs
// of every message. A write statement run through exec or queryRow is
// prepared on the writer connection by the committer between two batches
// (preparing inside a write would wait for the connection the write
// holds), and used from then on; a read statement run through readRow is
// prepared on the read pool at its first use.

// maxStmts bounds each cache: statements are fixed texts with
// placeholders, a few dozen; past the bound a statement is parsed each
// time, as before. A query whose text varies with its arguments (an IN
// list per value) runs unprepared: it would fill the cache.
const maxStmts = 256

// stmts are the prepared statements of a DB.
type stmts struct {
	write  map[string]*sql.Stmt // on db.write; the committer's alone
	wanted map[string]bool      // write statements to prepare after this batch

	read  sync.Map     // query → *sql.Stmt on db.read
	nread atomic.Int64 // statements in read
}

// exec runs query with args in tx, a write's transaction, as its prepared
// statement once it has one.
func (db *DB) exec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if st := db.writeStmt(query); st != nil {
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, query, args...)
}

// queryRow is exec for a query of one row.
func (db *DB) queryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	if st := db.writeStmt(query); st != nil {
		return tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, query, args...)
}

// writeStmt returns the prepared statement of query, or nil when it has
// none yet (then the committer prepares it after the batch). Only the
// committer calls it: writes run there.
func (db *DB) writeStmt(query string) *sql.Stmt {
	if st, ok := db.stmts.write[query]; ok {
		return st
	}
	if len(db.stmts.write)+len(db.stmts.wanted) < maxStmts {
		if db.stmts.wanted == nil {
			db.stmts.wanted = map[string]bool{}
		}
		db.stmts.wanted[query] = true
	}
	return nil
}

// prepareWanted prepares the write statements the last batch ran
// unprepared; the committer calls it while it does not hold the writer
// connection. A statement that fails to prepare stays unprepared: its
// writes report the error.
func (db *DB) prepareWanted() {
	for q := range db.stmts.wanted {
		st, err := db.write.PrepareContext(context.Background(), q)
		if err != nil {
			continue
		}
		if db.stmts.write == nil {
			db.stmts.write = map[string]*sql.Stmt{}
		}
		db.stmts.write[q] = st
	}
	clear(db.stmts.wanted)
}

// readRow runs query with args on the read pool, prepared once.
func (db *DB) readRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := db.readStmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return db.read.QueryRowContext(ctx, query, args...)
}

// readRows is readRow for a fixed query of several rows.
func (db *DB) readRows(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := db.readStmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return db.read.QueryContext(ctx, query, args...)
}

// readStmt returns query prepared on the read pool; nil when the cache is
// full or it does not prepare (the caller then runs it unprepared and gets
// the error). Preparing waits for a read connection, so it holds no lock:
// two first uses at once may both prepare, and one keeps the other's.
func (db *DB) readStmt(ctx context.Context, query string) *sql.Stmt {
	if st, ok := db.stmts.read.Load(query); ok {
		return st.(*sql.Stmt)
	}
	if db.stmts.nread.Load() >= maxStmts {
		return nil
	}
	st, err := db.read.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	if prev, loaded := db.stmts.read.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt)
	}
	db.stmts.nread.Add(1)
	return st
}

// closeStmts closes every prepared statement; Close calls it once the
// committer has stopped.
func (db *DB) closeStmts() {
	for _, st := range db.stmts.write {
		st.Close()
	}
	db.stmts.read.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
}
