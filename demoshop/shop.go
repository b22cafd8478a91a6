package demoshop

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog/flow"
	store "github.com/assistd/assist/store/sqlite"
)

//go:embed migrations/*.sql
var migrations embed.FS

// ReturnWindow is how long after delivery an order can be returned.
const ReturnWindow = 7 * 24 * time.Hour

// An Option configures Open.
type Option func(*options)

type options struct {
	now    func() time.Time
	zone   *time.Location
	logger *slog.Logger
}

// WithClock sets the shop's clock (default, and nil, time.Now): the return
// window, refund dates, seeded dates and "today"/"tomorrow" are computed
// from it.
func WithClock(now func() time.Time) Option {
	return func(o *options) {
		if now != nil {
			o.now = now
		}
	}
}

// WithZone sets the time zone dates are shown in (default China Standard
// Time, UTC+8).
func WithZone(z *time.Location) Option { return func(o *options) { o.zone = z } }

// WithLogger sets the logger for migrations and seeding; nil discards.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// Shop is the demo shop: its members, orders, shipments, refunds and
// returns in a SQLite file of its own. It implements flow.Backend and is
// safe for concurrent use: changes go through one connection in turn,
// lookups use a pool.
type Shop struct {
	path  string
	write *sql.DB
	read  *sql.DB
	now   func() time.Time
	zone  *time.Location
	log   *slog.Logger

	stmts sync.Map // query → *sql.Stmt on the read pool
}

var _ flow.Backend = (*Shop)(nil)

// cst is China Standard Time, fixed, so no time zone database is needed.
var cst = time.FixedZone("CST", 8*3600)

// Open opens (creating if needed) the shop's database file at path and
// migrates it. path must name a file.
func Open(ctx context.Context, path string, opts ...Option) (*Shop, error) {
	o := options{now: time.Now, zone: cst}
	for _, opt := range opts {
		opt(&o)
	}
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("open demo shop: %q is not a file path", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open demo shop %s: %w", path, err)
	}
	s := &Shop{path: abs, now: o.now, zone: o.zone, log: o.logger}
	const busy = "busy_timeout(5000)"
	// One writer connection with BEGIN IMMEDIATE: a changing action holds
	// the write lock from its first read, so two cancels of one order
	// cannot both see it uncancelled.
	s.write, err = sql.Open("sqlite", store.DSN(abs, url.Values{
		"_pragma": {busy, "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(1)"},
		"_txlock": {"immediate"},
	}))
	if err != nil {
		return nil, fmt.Errorf("open demo shop %s: %w", abs, err)
	}
	s.write.SetMaxOpenConns(1)
	s.write.SetConnMaxIdleTime(0)
	fsys, err := fs.Sub(migrations, "migrations")
	if err == nil {
		err = store.Migrate(ctx, s.write, fsys, s.log)
	}
	if err != nil {
		s.write.Close()
		return nil, fmt.Errorf("open demo shop %s: %w", abs, err)
	}
	s.read, err = sql.Open("sqlite", store.DSN(abs, url.Values{"_pragma": {busy, "query_only(1)"}}))
	if err != nil {
		s.write.Close()
		return nil, fmt.Errorf("open demo shop %s: %w", abs, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	s.read.SetMaxOpenConns(n)
	s.read.SetMaxIdleConns(n)
	if err := s.read.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open demo shop %s: %w", abs, err)
	}
	return s, nil
}

// Path returns the absolute path of the shop's database file.
func (s *Shop) Path() string { return s.path }

// Close closes the database.
func (s *Shop) Close() error {
	s.stmts.Range(func(_, st any) bool { st.(*sql.Stmt).Close(); return true })
	return errors.Join(s.read.Close(), s.write.Close())
}

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// reader runs lookups on the read pool with prepared statements, kept
// per query: parsing the SQL was a third of a get_order.
type reader struct{ s *Shop }

func (r reader) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := r.s.stmts.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := r.s.read.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := r.s.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

func (r reader) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return nil, fmt.Errorf("demo shop: a lookup tried to write")
}

func (r reader) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := r.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (r reader) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := r.stmt(ctx, query)
	if err != nil {
		// A Row carrying the error: run the query unprepared, which fails
		// the same way.
		return r.s.read.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// action is one thing the shop can do.
type action struct {
	run     func(s *Shop, ctx context.Context, q querier, req flow.Request) (flow.Result, error)
	changes bool // runs in a write transaction, once per idempotency key
}

var actions = map[string]action{
	"get_order":      {run: (*Shop).getOrder},
	"list_orders":    {run: (*Shop).listOrders},
	"track_shipment": {run: (*Shop).trackShipment},
	"get_refund":     {run: (*Shop).getRefund},
	"get_member":     {run: (*Shop).getMember},
	"cancel_order":   {run: (*Shop).cancelOrder, changes: true},
	"change_address": {run: (*Shop).changeAddress, changes: true},
	"create_return":  {run: (*Shop).createReturn, changes: true},
	"quote_return":   {run: (*Shop).quoteReturn},
	"issue_coupon":   {run: (*Shop).issueCoupon, changes: true},
}

// Actions returns the names of the actions the shop knows, sorted.
func Actions() []string {
	names := make([]string, 0, len(actions))
	for n := range actions {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// maxKey bounds idempotency keys and tenant ids.
const maxKey = 256

// Call runs one action (see the package documentation for the actions).
// Errors: ENOTFOUND for an unknown action, EINVALID for a missing tenant or
// a missing or malformed parameter, ECONFLICT for an idempotency key reused
// for a different call, EUNAVAILABLE when the database fails.
func (s *Shop) Call(ctx context.Context, req flow.Request) (flow.Result, error) {
	a, ok := actions[req.Action]
	if !ok {
		return flow.Result{}, assist.Errorf(assist.ENOTFOUND, "the shop has no action %q", clip(req.Action, 64))
	}
	switch {
	case req.TenantID == "" || len(req.TenantID) > maxKey:
		return flow.Result{}, assist.Errorf(assist.EINVALID, "%s: a tenant id is required", req.Action)
	case len(req.IdempotencyKey) > maxKey:
		return flow.Result{}, assist.Errorf(assist.EINVALID, "%s: the idempotency key is longer than %d bytes", req.Action, maxKey)
	case len(req.CustomerRef) > maxKey:
		return flow.Result{}, assist.Errorf(assist.EINVALID, "%s: the customer ref is longer than %d bytes", req.Action, maxKey)
	case a.changes && req.CustomerRef == "":
		// Knowing an order number is not enough to change the order: only
		// the shop's signed-in customer may.
		return flow.Result{}, assist.Errorf(assist.EFORBIDDEN, "%s: changing an order needs the signed-in customer (customer_ref)", req.Action)
	}
	if !a.changes {
		res, err := a.run(s, ctx, reader{s}, req)
		return res, s.dbErr(req.Action, err)
	}
	res, err := s.change(ctx, a, req)
	return res, s.dbErr(req.Action, err)
}

// change runs a changing action in a write transaction. With an
// idempotency key, the first result is stored with the change and
// returned again for every later call with that key, which changes
// nothing.
func (s *Shop) change(ctx context.Context, a action, req flow.Request) (res flow.Result, err error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return res, err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	var fp string
	if req.IdempotencyKey != "" {
		fp = fingerprint(req)
		var stored, storedFP string
		err := tx.QueryRowContext(ctx, `SELECT fingerprint, result FROM idempotency WHERE tenant_id = ? AND key = ?`,
			req.TenantID, req.IdempotencyKey).Scan(&storedFP, &stored)
		switch {
		case err == nil:
			if storedFP != fp {
				return res, assist.Errorf(assist.ECONFLICT, "%s: the idempotency key was used for a different call", req.Action)
			}
			if err := json.Unmarshal([]byte(stored), &res); err != nil {
				return res, fmt.Errorf("stored result: %w", err)
			}
			return res, tx.Rollback()
		case !errors.Is(err, sql.ErrNoRows):
			return res, err
		}
	}
	res, err = a.run(s, ctx, tx, req)
	if err != nil {
		return res, err
	}
	if req.IdempotencyKey != "" {
		b, err := json.Marshal(res)
		if err != nil {
			return res, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO idempotency (tenant_id, key, fingerprint, result, created_at) VALUES (?, ?, ?, ?, ?)`,
			req.TenantID, req.IdempotencyKey, fp, string(b), formatTime(s.now())); err != nil {
			return res, err
		}
	}
	return res, tx.Commit()
}

// fingerprint identifies a call apart from its key: the action, the
// customer and the parameters.
func fingerprint(req flow.Request) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", req.Action, req.CustomerRef)
	keys := make([]string, 0, len(req.Params))
	for k := range req.Params {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(h, "%s\x00%s\x00", k, req.Params[k])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// dbErr passes assist errors on and turns anything else (the database
// failed) into EUNAVAILABLE.
func (s *Shop) dbErr(action string, err error) error {
	if err == nil || errors.As(err, new(*assist.Error)) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return assist.Wrap(assist.EUNAVAILABLE, err, "the shop did not answer in time")
	}
	s.log.Error("demo shop action failed", "action", action, "err", err)
	return assist.Wrap(assist.EUNAVAILABLE, fmt.Errorf("demo shop %s: %w", action, err), "the shop is unavailable")
}

// clip shortens s to at most n bytes for an error message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// timeLayout is how times are stored: UTC, fixed width, so text order is
// time order.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) { return time.Parse(timeLayout, s) }

// nullTime scans a nullable stored time; NULL is the zero time.
type nullTime struct{ T *time.Time }

func (c nullTime) Scan(src any) error {
	var v string
	switch x := src.(type) {
	case nil:
		*c.T = time.Time{}
		return nil
	case string:
		v = x
	case []byte:
		v = string(x)
	default:
		return fmt.Errorf("time column holds %T", src)
	}
	t, err := parseTime(v)
	if err != nil {
		return err
	}
	*c.T = t
	return nil
}

// orNullTime stores the zero time as NULL.
func orNullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}
