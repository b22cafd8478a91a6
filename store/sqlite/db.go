package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/assistd/assist"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Synchronous is SQLite's synchronous setting for the writer connection.
type Synchronous string

const (
	// SyncFull syncs the WAL on every commit: a committed write survives a
	// power loss. The default.
	SyncFull Synchronous = "FULL"
	// SyncNormal syncs only at checkpoints: faster; a power loss (not a
	// process crash) may lose the last commits.
	SyncNormal Synchronous = "NORMAL"
)

// An Option configures Open.
type Option func(*options)

type options struct {
	sync        Synchronous
	busyTimeout time.Duration
	readConns   int
	logger      *slog.Logger
	now         func() time.Time
	ckpt        checkpointConfig
}

// WithSynchronous sets the synchronous level of writes (default SyncFull).
func WithSynchronous(s Synchronous) Option { return func(o *options) { o.sync = s } }

// WithBusyTimeout sets how long a statement waits for a lock held by another
// process before failing with SQLITE_BUSY (default 1s). Writes queue behind
// one another, so a lock held elsewhere stalls them all this long before
// they fail with EUNAVAILABLE (HTTP 503).
func WithBusyTimeout(d time.Duration) Option { return func(o *options) { o.busyTimeout = d } }

// WithReadConns sets the size of the read pool (default GOMAXPROCS, at
// least 4).
func WithReadConns(n int) Option { return func(o *options) { o.readConns = n } }

// WithLogger sets the logger for migrations, checkpoints and Close; nil
// discards.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithClock sets the clock used for the times the store sets itself
// (Conversation.UpdatedAt on an owner change); the default is time.Now.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// DB is an open SQLite database: one writer connection, through which every
// write goes in turn, and a pool of read-only connections that run in
// parallel with it (WAL).
type DB struct {
	path  string
	write *sql.DB
	read  *sql.DB
	log   *slog.Logger
	now   func() time.Time

	closeOnce sync.Once
	closeErr  error

	ckpt *checkpointer // copies the WAL into the database file

	stmts stmts // prepared statements (stmts.go)

	writes  chan *writeReq // to the committer
	wdone   chan struct{}  // closed when the committer has stopped
	wmu     sync.RWMutex   // guards wclosed against sends to a closed queue
	wclosed bool
}

// Open opens (creating if needed) the database file at path and migrates it
// to the current schema. path must name a file: an in-memory database cannot
// be shared by the two pools; tests use a file in t.TempDir().
func Open(ctx context.Context, path string, opts ...Option) (*DB, error) {
	o := options{
		sync:        SyncFull,
		busyTimeout: time.Second,
		readConns:   max(4, runtime.GOMAXPROCS(0)),
		now:         time.Now,
	}
	for _, opt := range opts {
		opt(&o)
	}
	switch o.sync {
	case SyncFull, SyncNormal:
	default:
		return nil, fmt.Errorf("open sqlite: unknown synchronous setting %q", o.sync)
	}
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}
	if o.readConns < 1 {
		o.readConns = 1
	}
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("open sqlite: %q is not a file path (in-memory databases are not supported)", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}

	db := &DB{path: abs, log: o.logger, now: o.now}
	busy := fmt.Sprintf("busy_timeout(%d)", o.busyTimeout.Milliseconds())

	// The writer: one connection, so writes queue in database/sql instead of
	// failing with SQLITE_BUSY; BEGIN IMMEDIATE, so a transaction holds the
	// write lock from its start; wal_autocheckpoint(0), so no commit runs
	// a checkpoint: the checkpointer does, on a connection of its own.
	db.write, err = sql.Open("sqlite", DSN(abs, url.Values{
		"_pragma": {busy, "journal_mode(WAL)", "synchronous(" + string(o.sync) + ")", "foreign_keys(1)", "wal_autocheckpoint(0)"},
		"_txlock": {"immediate"},
	}))
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", abs, err)
	}
	db.write.SetMaxOpenConns(1)
	db.write.SetMaxIdleConns(1)
	db.write.SetConnMaxIdleTime(0)
	db.write.SetConnMaxLifetime(0)

	if err := db.open(ctx, busy, o.readConns); err != nil {
		db.write.Close()
		if db.read != nil {
			db.read.Close()
		}
		return nil, fmt.Errorf("open sqlite %s: %w", abs, err)
	}
	// The checkpointer syncs the database file as the writer syncs the WAL.
	db.ckpt, err = newCheckpointer(ctx, DSN(abs, url.Values{
		"_pragma": {busy, "synchronous(" + string(o.sync) + ")"},
	}), o.ckpt, o.logger)
	if err != nil {
		db.write.Close()
		db.read.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", abs, err)
	}
	db.writes = make(chan *writeReq, maxBatch)
	db.wdone = make(chan struct{})
	go db.commit()
	return db, nil
}

func (db *DB) open(ctx context.Context, busy string, readConns int) error {
	var mode string
	if err := db.write.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return err
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("journal mode is %q, not WAL", mode)
	}
	if err := db.migrate(ctx); err != nil {
		return err
	}

	// The readers: query_only, so a write sent to the wrong pool fails
	// instead of competing with the writer for the lock.
	var err error
	db.read, err = sql.Open("sqlite", DSN(db.path, url.Values{
		"_pragma": {busy, "query_only(1)", "foreign_keys(1)"},
	}))
	if err != nil {
		return err
	}
	db.read.SetMaxOpenConns(readConns)
	db.read.SetMaxIdleConns(readConns)
	return db.read.PingContext(ctx)
}

// DSN returns the modernc.org/sqlite data source name for the file at the
// absolute path abs with the query q (pragmas). Other SQLite adapters
// (vector/sqlite) open their files with it too.
func DSN(abs string, q url.Values) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: q.Encode()}
	return u.String()
}

// migrate brings the schema up to date with goose; already applied
// migrations are skipped.
func (db *DB) migrate(ctx context.Context) error {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	return Migrate(ctx, db.write, fsys, db.log)
}

// Migrate applies the goose migrations in fsys (SQL files at its root) to
// conn, skipping those already applied, and logs each one it applies.
func Migrate(ctx context.Context, conn *sql.DB, fsys fs.FS, log *slog.Logger) error {
	p, err := goose.NewProvider(goose.DialectSQLite3, conn, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, r := range results {
		log.LogAttrs(ctx, slog.LevelInfo, "applied migration",
			slog.Int64("version", r.Source.Version),
			slog.String("file", filepath.Base(r.Source.Path)),
			slog.Duration("duration", r.Duration))
	}
	return nil
}

// Path returns the absolute path of the database file.
func (db *DB) Path() string { return db.path }

// Ready reports whether the database can be read and written; a readiness
// probe. It queues an empty write transaction (BEGIN IMMEDIATE, COMMIT:
// nothing is written), so a write lock held by another process, or a write
// queue stuck behind one, makes it fail by ctx's deadline.
func (db *DB) Ready(ctx context.Context) error {
	var one int
	if err := db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return assist.Wrap(assist.EUNAVAILABLE, err, "database unavailable")
	}
	done := make(chan error, 1)
	go func() {
		done <- db.inTx(ctx, func(context.Context, *sql.Tx) error { return nil })
	}()
	select {
	case err := <-done:
		if err != nil {
			return assist.Wrap(assist.EUNAVAILABLE, err, "database cannot be written")
		}
		return nil
	case <-ctx.Done():
		return assist.Wrap(assist.EUNAVAILABLE, ctx.Err(), "database cannot be written in time")
	}
}

// Stats are the connection pool statistics of a DB, for metrics.
type Stats struct {
	Write sql.DBStats // the one writer connection; WaitCount is writes that queued
	Read  sql.DBStats
}

// Stats returns the statistics of both pools.
func (db *DB) Stats() Stats {
	return Stats{Write: db.write.Stats(), Read: db.read.Stats()}
}

// Close stops the checkpointer, checkpoints the WAL into the database file,
// truncating it, and closes both pools. Calls after the first return the
// first's result.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		var errs []error
		db.wmu.Lock()
		db.wclosed = true
		close(db.writes)
		db.wmu.Unlock()
		<-db.wdone
		db.closeStmts()
		if err := db.ckpt.close(); err != nil {
			errs = append(errs, fmt.Errorf("close checkpointer: %w", err))
		}
		if err := db.read.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close readers: %w", err))
		}
		var busy, logFrames, checkpointed int
		err := db.write.QueryRow("PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &checkpointed)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("checkpoint: %w", err))
		case busy != 0:
			// Another process is reading; the WAL stays and is replayed on
			// the next open.
			db.log.Warn("checkpoint incomplete at close", "path", db.path, "frames", logFrames, "checkpointed", checkpointed)
		}
		if err := db.write.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close writer: %w", err))
		}
		db.closeErr = errors.Join(errs...)
	})
	return db.closeErr
}

// inTx runs fn in a write transaction and returns once the transaction is
// committed (or fn failed). Writes are group-committed: a single committer
// goroutine owns the writer connection and runs every write queued while
// the previous commit was syncing in one transaction, each in a savepoint of
// its own, so one fsync serves many writers and a failing write undoes only
// itself. fn gets a context that is never cancelled: cancelling a statement
// would make SQLite roll back the whole shared transaction. A write is
// refused only before it is queued, when ctx is already done.
func (db *DB) inTx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	req := &writeReq{ctx: context.WithoutCancel(ctx), fn: fn, done: make(chan error, 1)}
	db.wmu.RLock()
	if db.wclosed {
		db.wmu.RUnlock()
		return assist.Errorf(assist.EUNAVAILABLE, "database is closed")
	}
	db.writes <- req
	db.wmu.RUnlock()
	return busyError(<-req.done)
}

// busyError turns SQLite's "database is locked" (a write lock another
// process held past the busy timeout) into EUNAVAILABLE, so the caller
// gets a 503 to retry rather than a 500.
func busyError(err error) error {
	if c := constraint(err) & 0xff; err != nil && (c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED) {
		return assist.Wrap(assist.EUNAVAILABLE, err, "the database is busy; try again in a moment")
	}
	return err
}

// writeReq is one queued write.
type writeReq struct {
	ctx  context.Context
	fn   func(ctx context.Context, tx *sql.Tx) error
	done chan error
}

// maxBatch bounds how many writes share one transaction.
const maxBatch = 128

// commit runs queued writes until the queue is closed.
func (db *DB) commit() {
	defer close(db.wdone)
	for req := range db.writes {
		batch := []*writeReq{req}
	drain:
		for len(batch) < maxBatch {
			select {
			case r, ok := <-db.writes:
				if !ok {
					break drain
				}
				batch = append(batch, r)
			default:
				break drain
			}
		}
		db.runBatch(batch)
	}
}

// runBatch runs a batch on the writer connection, then tells the
// checkpointer how many frames it appended to the WAL.
func (db *DB) runBatch(batch []*writeReq) {
	conn, err := db.write.Conn(context.Background())
	if err != nil {
		for _, r := range batch {
			r.done <- fmt.Errorf("begin: %w", err)
		}
		return
	}
	db.ckpt.batch.Lock()
	errs := db.runTx(conn, batch)
	db.ckpt.batch.Unlock()
	// Counted before the writers are answered, so that a write's frames
	// are pending when it returns; a microsecond.
	db.ckpt.committed(countFrames(conn))
	conn.Close()
	for i, r := range batch {
		r.done <- errs[i]
	}
	db.prepareWanted()
}

// runWrite runs one write; a panic in it fails that write, not the
// committer (and with it every later write).
func runWrite(r *writeReq, tx *sql.Tx) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("write panicked: %v", v)
		}
	}()
	return r.fn(r.ctx, tx)
}

// runTx runs a batch in one transaction on conn and returns the error of
// each of its writes.
func (db *DB) runTx(conn *sql.Conn, batch []*writeReq) []error {
	errs := make([]error, len(batch))
	tx, err := conn.BeginTx(context.Background(), nil)
	if err != nil {
		for i := range errs {
			errs[i] = fmt.Errorf("begin: %w", err)
		}
		return errs
	}
	for i, r := range batch {
		if len(batch) == 1 {
			errs[i] = runWrite(r, tx)
			continue
		}
		if _, err := db.exec(context.Background(), tx, "SAVEPOINT w"); err != nil {
			errs[i] = fmt.Errorf("savepoint: %w", err)
			continue
		}
		errs[i] = runWrite(r, tx)
		if errs[i] != nil {
			if _, err := db.exec(context.Background(), tx, "ROLLBACK TO w"); err != nil {
				// The transaction is unusable: fail the whole batch.
				tx.Rollback()
				for j := range errs {
					if errs[j] == nil || j == i {
						errs[j] = fmt.Errorf("rollback to savepoint: %w", err)
					}
				}
				return errs
			}
		}
		if _, err := db.exec(context.Background(), tx, "RELEASE w"); err != nil && errs[i] == nil {
			errs[i] = fmt.Errorf("release savepoint: %w", err)
		}
	}
	if len(batch) == 1 && errs[0] != nil {
		tx.Rollback()
		return errs
	}
	if err := tx.Commit(); err != nil {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = fmt.Errorf("commit: %w", err)
			}
		}
	}
	return errs
}

// timeLayout is how times are stored: UTC, fixed width, so text order is
// time order; exact to the nanosecond.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// timeCol scans a stored time into *T.
type timeCol struct{ T *time.Time }

func (c timeCol) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("time column holds %T", src)
	}
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return err
	}
	*c.T = t
	return nil
}

// nullText scans a nullable text column into *S, NULL as "".
type nullText struct{ S *string }

func (c nullText) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.S = ""
	case string:
		*c.S = v
	case []byte:
		*c.S = string(v)
	default:
		return fmt.Errorf("text column holds %T", src)
	}
	return nil
}

// orNull stores "" (and an empty byte slice) as NULL.
func orNull[T string | []byte](v T) any {
	if len(v) == 0 {
		return nil
	}
	return v
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func constraint(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}

// isDuplicate reports whether err is a unique or primary key violation.
func isDuplicate(err error) bool {
	c := constraint(err)
	return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// isMissingParent reports whether err is a foreign key violation.
func isMissingParent(err error) bool {
	return constraint(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

func notFound(what string) error {
	return &assist.Error{Code: assist.ENOTFOUND, Message: what + " not found"}
}

func invalid(format string, args ...any) error {
	return assist.Errorf(assist.EINVALID, format, args...)
}
