package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/assistd/assist"
	"github.com/assistd/assist/auth"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/store/storetest"
)

// openTest opens a new database in t's temporary folder, closed at the end
// of the test.
func openTest(t testing.TB, opts ...Option) *DB {
	t.Helper()
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "assist.db"), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Error(err)
		}
	})
	return db
}

func TestConversationStore(t *testing.T) {
	storetest.Conversations(t, func(t *testing.T) conversation.Store {
		return NewConversationStore(openTest(t))
	})
}

func TestAuthStore(t *testing.T) {
	storetest.Auth(t, func(t *testing.T) auth.Store {
		return NewAuthStore(openTest(t))
	})
}

func TestConversationStoreSyncNormal(t *testing.T) {
	storetest.Conversations(t, func(t *testing.T) conversation.Store {
		return NewConversationStore(openTest(t, WithSynchronous(SyncNormal), WithReadConns(1)))
	})
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func TestPragmas(t *testing.T) {
	tests := []struct {
		name     string
		opts     []Option
		wantSync int // PRAGMA synchronous: 1 NORMAL, 2 FULL
		wantBusy int
	}{
		{"defaults", nil, 2, 1000},
		{"normal", []Option{WithSynchronous(SyncNormal)}, 1, 1000},
		{"busy timeout", []Option{WithBusyTimeout(250 * time.Millisecond)}, 2, 250},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openTest(t, tt.opts...)
			ctx := t.Context()
			pragma := func(pool string, name string) string {
				t.Helper()
				p := db.write
				if pool == "read" {
					p = db.read
				}
				var v string
				if err := p.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v); err != nil {
					t.Fatalf("PRAGMA %s: %v", name, err)
				}
				return v
			}
			checks := []struct{ pool, pragma, want string }{
				{"write", "journal_mode", "wal"},
				{"read", "journal_mode", "wal"},
				{"write", "synchronous", strconv.Itoa(tt.wantSync)},
				{"write", "foreign_keys", "1"},
				{"read", "foreign_keys", "1"},
				{"write", "busy_timeout", strconv.Itoa(tt.wantBusy)},
				{"read", "busy_timeout", strconv.Itoa(tt.wantBusy)},
				{"write", "query_only", "0"},
				{"read", "query_only", "1"},
			}
			for _, c := range checks {
				if got := pragma(c.pool, c.pragma); !strings.EqualFold(got, c.want) {
					t.Errorf("%s pool: PRAGMA %s = %s, want %s", c.pool, c.pragma, got, c.want)
				}
			}
			if s := db.Stats(); s.Write.MaxOpenConnections != 1 {
				t.Errorf("writer pool allows %d connections, want 1", s.Write.MaxOpenConnections)
			}
		})
	}
}

func TestReadPoolIsReadOnly(t *testing.T) {
	db := openTest(t)
	_, err := db.read.ExecContext(t.Context(),
		`INSERT INTO tenants (id, slug, name, created_at) VALUES ('t', 't', 't', '')`)
	if err == nil {
		t.Fatal("insert through the read pool succeeded")
	}
}

func TestOpenRejects(t *testing.T) {
	tests := []struct {
		name string
		path string
		opts []Option
	}{
		{"memory", ":memory:", nil},
		{"empty path", "", nil},
		{"uri", "file:x.db?mode=memory", nil},
		{"unknown synchronous", filepath.Join(t.TempDir(), "x.db"), []Option{WithSynchronous("OFF")}},
		{"missing folder", filepath.Join(t.TempDir(), "no", "such", "x.db"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := Open(t.Context(), tt.path, tt.opts...)
			if err == nil {
				db.Close()
				t.Fatalf("Open(%q) succeeded", tt.path)
			}
		})
	}
}

func TestOpenOddPath(t *testing.T) {
	// Characters that mean something in a URI stay part of the file name.
	dir := filepath.Join(t.TempDir(), "a dir?with#odd%chars")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "assist db.sqlite")
	db, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database file not where asked: %v", err)
	}
	if db.Path() != path {
		t.Errorf("Path() = %q, want %q", db.Path(), path)
	}
}

// captureLog returns a logger and the buffer it writes text records to.
func captureLog() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slog.New(slog.NewTextHandler(&buf, nil)), &buf
}

func TestMigrations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "assist.db")
	ctx := t.Context()

	log, buf := captureLog()
	db, err := Open(ctx, path, WithLogger(log))
	if err != nil {
		t.Fatal(err)
	}
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("embedded migrations: %v, %v", files, err)
	}
	latest := int64(len(files)) // numbered 00001.. without gaps
	if n := strings.Count(buf.String(), "applied migration"); n != len(files) {
		t.Errorf("fresh file: %d migrations applied, want %d\n%s", n, len(files), buf)
	}
	version := func(db *DB) int64 {
		t.Helper()
		var v int64
		if err := db.read.QueryRowContext(ctx, `SELECT max(version_id) FROM goose_db_version`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := version(db); v != latest {
		t.Errorf("schema version = %d, want %d", v, latest)
	}
	tables := map[string]bool{}
	rows, err := db.read.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables[name] = true
	}
	rows.Close()
	for _, name := range []string{"tenants", "users", "api_keys", "sessions", "conversations", "messages"} {
		if !tables[name] {
			t.Errorf("table %s missing", name)
		}
		if name == "tenants" {
			continue
		}
		var n int
		if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info(?) WHERE name = 'tenant_id'`, name).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s has no tenant_id column (%v)", name, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	log, buf = captureLog()
	db, err = Open(ctx, path, WithLogger(log))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if strings.Contains(buf.String(), "applied migration") {
		t.Errorf("reopen applied migrations again:\n%s", buf)
	}
	if v := version(db); v != latest {
		t.Errorf("schema version after reopen = %d, want %d", v, latest)
	}
}

func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "assist.db")
	ctx := t.Context()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	as, cs := NewAuthStore(db), NewConversationStore(db)
	tenant := &assist.Tenant{ID: newID(), Slug: "acme", Name: "ACME", CreatedAt: time.Now()}
	c := &assist.Conversation{ID: newID(), TenantID: tenant.ID, Channel: "widget", Owner: assist.OwnerBot,
		CreatedAt: time.Now(), UpdatedAt: time.Now()}
	m := &assist.Message{ID: newID(), TenantID: tenant.ID, ConversationID: c.ID, Author: assist.AuthorCustomer,
		Text: "你好", IdempotencyKey: "k", CreatedAt: time.Now()}
	if err := as.CreateTenant(ctx, tenant); err != nil {
		t.Fatal(err)
	}
	if err := cs.CreateConversation(ctx, c); err != nil {
		t.Fatal(err)
	}
	if _, _, err := cs.AppendMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := db.Ready(ctx); err == nil {
		t.Error("Ready after Close succeeded")
	}
	// Close checkpointed: the WAL is empty or gone.
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() != 0 {
		t.Errorf("WAL holds %d bytes after Close", fi.Size())
	}

	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ready(ctx); err != nil {
		t.Fatal(err)
	}
	as, cs = NewAuthStore(db), NewConversationStore(db)
	if got, err := as.TenantBySlug(ctx, "acme"); err != nil || !got.CreatedAt.Equal(tenant.CreatedAt) {
		t.Errorf("TenantBySlug after reopen = %+v, %v", got, err)
	}
	got, err := cs.Message(ctx, tenant.ID, m.ID)
	if err != nil || got.Text != m.Text || got.Seq != m.Seq || !got.CreatedAt.Equal(m.CreatedAt) {
		t.Errorf("Message after reopen = %+v, %v; want %+v", got, err, m)
	}
	// The idempotency key still holds across the restart.
	retry := *m
	retry.ID = newID()
	if _, created, err := cs.AppendMessage(ctx, &retry); err != nil || created {
		t.Errorf("retry after reopen: created = %v, err = %v", created, err)
	}
}

func TestTimesExact(t *testing.T) {
	db := openTest(t)
	cs := NewConversationStore(db)
	ctx := t.Context()
	// Nanoseconds, a zone, and a monotonic clock reading all come back as
	// the same instant, in UTC.
	when := time.Now().In(time.FixedZone("CST", 8*3600))
	c := &assist.Conversation{ID: newID(), TenantID: newID(), Channel: "widget", CreatedAt: when, UpdatedAt: when}
	if err := cs.CreateConversation(ctx, c); err != nil {
		t.Fatal(err)
	}
	got, err := cs.Conversation(ctx, c.TenantID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.CreatedAt.Equal(when) || got.CreatedAt.Location() != time.UTC || got.CreatedAt.Nanosecond() != when.Nanosecond() {
		t.Errorf("CreatedAt = %v, want %v in UTC", got.CreatedAt, when)
	}
	if got.Owner != assist.OwnerBot {
		t.Errorf("empty Owner stored as %q, want %q", got.Owner, assist.OwnerBot)
	}
}

func TestClock(t *testing.T) {
	fixed := time.Date(2030, 1, 2, 3, 4, 5, 6, time.UTC)
	cs := NewConversationStore(openTest(t, WithClock(func() time.Time { return fixed })))
	ctx := t.Context()
	c := &assist.Conversation{ID: newID(), TenantID: newID(), Channel: "widget", Owner: assist.OwnerBot,
		CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := cs.CreateConversation(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := cs.SetOwner(ctx, c.TenantID, c.ID, assist.OwnerQueue, "", "asked_human"); err != nil {
		t.Fatal(err)
	}
	got, err := cs.Conversation(ctx, c.TenantID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.UpdatedAt.Equal(fixed) {
		t.Errorf("UpdatedAt = %v, want the clock's %v", got.UpdatedAt, fixed)
	}
}

func TestUserByEmailUnicode(t *testing.T) {
	as := NewAuthStore(openTest(t))
	ctx := t.Context()
	tenant := &assist.Tenant{ID: newID(), Slug: "shop", Name: "Shop", CreatedAt: time.Now()}
	if err := as.CreateTenant(ctx, tenant); err != nil {
		t.Fatal(err)
	}
	u := &assist.User{ID: newID(), TenantID: tenant.ID, Email: "ÉLODIE@Exemple.fr", Role: assist.RoleAgent, CreatedAt: time.Now()}
	if err := as.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	got, err := as.UserByEmail(ctx, tenant.ID, "élodie@exemple.FR")
	if err != nil || got.ID != u.ID {
		t.Errorf("UserByEmail = %+v, %v", got, err)
	}
	dup := &assist.User{ID: newID(), TenantID: tenant.ID, Email: "élodie@exemple.fr", Role: assist.RoleAgent, CreatedAt: time.Now()}
	if err := as.CreateUser(ctx, dup); assist.ErrorCode(err) != assist.ECONFLICT {
		t.Errorf("CreateUser with the e-mail in lower case: %v, want conflict", err)
	}
}

func TestInvalid(t *testing.T) {
	db := openTest(t)
	cs, as := NewConversationStore(db), NewAuthStore(db)
	ctx := t.Context()
	c := &assist.Conversation{ID: newID(), TenantID: newID(), Channel: "widget", Owner: assist.OwnerBot,
		CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := cs.CreateConversation(ctx, c); err != nil {
		t.Fatal(err)
	}
	m := &assist.Message{ID: newID(), TenantID: c.TenantID, ConversationID: c.ID, Author: assist.AuthorCustomer, Text: "hi", CreatedAt: time.Now()}
	if _, _, err := cs.AppendMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		call func() error
	}{
		{"conversation without id", func() error {
			return cs.CreateConversation(ctx, &assist.Conversation{TenantID: c.TenantID})
		}},
		{"conversation with unknown owner", func() error {
			return cs.CreateConversation(ctx, &assist.Conversation{ID: newID(), TenantID: c.TenantID, Owner: "robot"})
		}},
		{"set unknown owner", func() error {
			return cs.SetOwner(ctx, c.TenantID, c.ID, "robot", "", "")
		}},
		{"message without conversation", func() error {
			_, _, err := cs.AppendMessage(ctx, &assist.Message{ID: newID(), TenantID: c.TenantID, Author: assist.AuthorCustomer})
			return err
		}},
		{"message without author", func() error {
			_, _, err := cs.AppendMessage(ctx, &assist.Message{ID: newID(), TenantID: c.TenantID, ConversationID: c.ID})
			return err
		}},
		{"reply to another message", func() error {
			return cs.CompleteTurn(ctx, conversation.TurnResult{TenantID: c.TenantID, ConversationID: c.ID, MessageID: m.ID,
				Replies: []*assist.Message{{ID: newID(), Author: assist.AuthorBot, ReplyTo: newID()}}})
		}},
		{"turn to unknown owner", func() error {
			return cs.CompleteTurn(ctx, conversation.TurnResult{TenantID: c.TenantID, ConversationID: c.ID, MessageID: m.ID,
				Owner: &conversation.OwnerChange{Owner: "robot"}})
		}},
		{"customer as user", func() error {
			return as.CreateUser(ctx, &assist.User{ID: newID(), TenantID: c.TenantID, Email: "a@b.c", Role: assist.RoleCustomer})
		}},
		{"api key without hash", func() error {
			return as.CreateAPIKey(ctx, &auth.APIKey{ID: newID(), TenantID: c.TenantID, UserID: newID()})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code := assist.ErrorCode(tt.call()); code != assist.EINVALID {
				t.Errorf("code = %q, want %q", code, assist.EINVALID)
			}
		})
	}
	// None of the refused turns touched the message.
	if got, err := cs.Message(ctx, c.TenantID, m.ID); err != nil || got.Handled {
		t.Errorf("message after refused turns: %+v, %v", got, err)
	}
}

func TestCompleteTurnFillsReplies(t *testing.T) {
	cs := NewConversationStore(openTest(t))
	ctx := t.Context()
	c := &assist.Conversation{ID: newID(), TenantID: newID(), Channel: "widget", Owner: assist.OwnerBot,
		CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := cs.CreateConversation(ctx, c); err != nil {
		t.Fatal(err)
	}
	m := &assist.Message{ID: newID(), TenantID: c.TenantID, ConversationID: c.ID, Author: assist.AuthorCustomer, Text: "hi", CreatedAt: time.Now()}
	if _, _, err := cs.AppendMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	r := &assist.Message{ID: newID(), Author: assist.AuthorBot, Text: "hello", CreatedAt: time.Now()}
	if err := cs.CompleteTurn(ctx, conversation.TurnResult{TenantID: c.TenantID, ConversationID: c.ID, MessageID: m.ID,
		Replies: []*assist.Message{r}}); err != nil {
		t.Fatal(err)
	}
	if r.TenantID != c.TenantID || r.ConversationID != c.ID || r.ReplyTo != m.ID || r.Seq <= m.Seq {
		t.Errorf("reply after CompleteTurn = %+v", r)
	}
	replies, err := cs.Replies(ctx, c.TenantID, m.ID)
	if err != nil || len(replies) != 1 || replies[0].ID != r.ID {
		t.Errorf("Replies = %v, %v", replies, err)
	}
}

func TestDefaultLimits(t *testing.T) {
	cs := NewConversationStore(openTest(t))
	ctx := t.Context()
	c := &assist.Conversation{ID: newID(), TenantID: newID(), Channel: "widget", Owner: assist.OwnerBot,
		CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := cs.CreateConversation(ctx, c); err != nil {
		t.Fatal(err)
	}
	for range defaultMessageLimit + 1 {
		m := &assist.Message{ID: newID(), TenantID: c.TenantID, ConversationID: c.ID, Author: assist.AuthorCustomer, CreatedAt: time.Now()}
		if _, _, err := cs.AppendMessage(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	for _, limit := range []int{0, -1} {
		list, err := cs.Messages(ctx, c.TenantID, c.ID, 0, limit)
		if err != nil || len(list) != defaultMessageLimit {
			t.Errorf("Messages(limit %d) returned %d, %v; want %d", limit, len(list), err, defaultMessageLimit)
		}
		list, err = cs.Unhandled(ctx, limit)
		if err != nil || len(list) != defaultMessageLimit {
			t.Errorf("Unhandled(limit %d) returned %d, %v; want %d", limit, len(list), err, defaultMessageLimit)
		}
	}
}

// TestReadsDoNotWaitForWriter holds a write transaction open and reads
// meanwhile: WAL readers see the last commit and never block on the writer.
func TestReadsDoNotWaitForWriter(t *testing.T) {
	db := openTest(t)
	as := NewAuthStore(db)
	ctx := t.Context()
	before := &assist.Tenant{ID: newID(), Slug: "before", Name: "Before", CreatedAt: time.Now()}
	if err := as.CreateTenant(ctx, before); err != nil {
		t.Fatal(err)
	}

	inTx, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO tenants (id, slug, name, created_at) VALUES (?, 'during', 'During', ?)`,
				newID(), formatTime(time.Now()))
			close(inTx)
			<-release
			return err
		})
	}()
	<-inTx

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := as.TenantBySlug(ctx, "before"); err != nil {
				t.Errorf("read during a write: %v", err)
			}
			if _, err := as.TenantBySlug(ctx, "during"); assist.ErrorCode(err) != assist.ENOTFOUND {
				t.Errorf("uncommitted row visible: %v", err)
			}
		})
	}
	wg.Wait()
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := as.TenantBySlug(ctx, "during"); err != nil {
		t.Errorf("committed row not visible: %v", err)
	}
}

func TestCanceledContext(t *testing.T) {
	cs := NewConversationStore(openTest(t))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	c := &assist.Conversation{ID: newID(), TenantID: newID(), Channel: "widget", Owner: assist.OwnerBot}
	err := cs.CreateConversation(ctx, c)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("CreateConversation with a canceled context: %v", err)
	}
	if _, err := cs.Conversation(t.Context(), c.TenantID, c.ID); assist.ErrorCode(err) != assist.ENOTFOUND {
		t.Errorf("conversation stored despite the canceled context: %v", err)
	}
}
