package sqlite

import (
	"bytes"
	"database/sql"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/assistd/assist"
)

// syncLog is a logger whose text records tests read while the
// checkpointer writes them.
type syncLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *syncLog) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// results collects the checkpoints the checkpointer reports.
type results struct {
	mu   sync.Mutex
	list []checkpointResult
}

func (r *results) add(c checkpointResult) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.list = append(r.list, c)
}

func (r *results) get() []checkpointResult {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]checkpointResult(nil), r.list...)
}

// appender writes customer messages to one conversation through the
// conversation store: the write path of every incoming message.
type appender struct {
	s *ConversationStore
	c *assist.Conversation
}

func newAppender(t testing.TB, db *DB) appender {
	t.Helper()
	s := NewConversationStore(db)
	c := &assist.Conversation{ID: newID(), TenantID: newID(), Channel: "widget", Owner: assist.OwnerBot,
		CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := s.CreateConversation(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	return appender{s, c}
}

func (a appender) append(t testing.TB, n int) {
	t.Helper()
	for range n {
		m := &assist.Message{ID: newID(), TenantID: a.c.TenantID, ConversationID: a.c.ID, Author: assist.AuthorCustomer,
			Text: "Where is my parcel? 我的包裹在哪里?", IdempotencyKey: newID(), CreatedAt: time.Now()}
		if _, _, err := a.s.AppendMessage(t.Context(), m); err != nil {
			t.Fatal(err)
		}
	}
}

// walFrames returns the size of the WAL file in frames of the database's
// page size (0 if there is none). The size is the WAL's high-water mark:
// only a TRUNCATE checkpoint shrinks it.
func walFrames(t testing.TB, db *DB) int {
	t.Helper()
	const page = 4096 // SQLite's default
	fi, err := os.Stat(db.path + "-wal")
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	const walHeader, frameHeader = 32, 24
	return int(max(0, fi.Size()-walHeader) / int64(page+frameHeader))
}

// The frames the committer counts are the frames in the WAL, and a
// checkpoint takes them off the count.
func TestCheckpointCountsFrames(t *testing.T) {
	db := openTest(t, withCheckpoints(1<<30, time.Hour))
	a := newAppender(t, db)
	if r := db.ckpt.checkpointNow(); !r.complete() {
		t.Fatalf("checkpoint = %+v", r)
	}
	a.append(t, 50) // starts the WAL over
	pending := db.ckpt.pending.Load()
	r := db.ckpt.checkpointNow()
	if !r.complete() || r.Mode != "PASSIVE" {
		t.Fatalf("checkpoint = %+v, want a complete PASSIVE one", r)
	}
	t.Logf("50 appends wrote %d frames", r.Log)
	if int64(r.Log) != pending {
		t.Errorf("WAL holds %d frames; the committer counted %d", r.Log, pending)
	}
	if got := db.ckpt.pending.Load(); got != 0 {
		t.Errorf("%d frames pending after a checkpoint with no writes", got)
	}
}

// Many small commits with the threshold-driven checkpointer leave the WAL
// a bounded size, far below what they wrote, and the database holds every
// write.
func TestCheckpointBoundsWAL(t *testing.T) {
	const threshold = 16
	var res results
	db := openTest(t, withCheckpoints(threshold, time.Hour), withCheckpointHook(res.add))
	a := newAppender(t, db)
	// An append writes 7 to 8 frames (TestCheckpointCountsFrames logs how
	// many): unchecked, the WAL would grow to ten times the limit.
	const n = 1000
	// Bounded, with room for a checkpointer the scheduler starves on a
	// busy machine: unchecked, 1,000 appends leave 7,000+ frames.
	limit := 15 * capFactor * threshold
	a.append(t, n)
	// Wait for a checkpoint after the last write: the checkpointer keeps up.
	if r := db.ckpt.checkpointNow(); r.Err != nil {
		t.Fatal(r.Err)
	}
	got := walFrames(t, db)
	t.Logf("%d appends; WAL %d frames at most; %d checkpoints", n, got, len(res.get()))
	if got > limit {
		t.Errorf("WAL holds %d frames after %d appends, want at most %d", got, n, limit)
	}
	var auto int
	for _, r := range res.get()[:len(res.get())-1] { // all but checkpointNow's
		if r.Err != nil {
			t.Errorf("checkpoint failed: %+v", r)
		}
		auto++
	}
	if auto == 0 {
		t.Error("no checkpoint ran while writing")
	}
	var count int
	if err := db.read.QueryRow("SELECT count(*) FROM messages WHERE conversation_id = ?", a.c.ID).Scan(&count); err != nil || count != n {
		t.Errorf("%d messages stored (%v), want %d", count, err, n)
	}
}

// Writes do not wait for the checkpointer: with it stuck inside a
// checkpoint, commits go on, each one signalling it.
func TestCheckpointerDoesNotBlockWrites(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	hook := func(checkpointResult) {
		once.Do(func() {
			close(entered)
			<-release
		})
	}
	db := openTest(t, withCheckpoints(1, time.Hour), withCheckpointHook(hook))
	a := newAppender(t, db) // its commit starts a checkpoint: one frame is the threshold
	<-entered
	a.append(t, 200)
	if db.ckpt.pending.Load() == 0 {
		t.Error("no frames pending while the checkpointer was stuck")
	}
	close(release)
	if r := db.ckpt.checkpointNow(); r.Err != nil {
		t.Fatal(r.Err)
	}
}

// A checkpoint that fails is logged and does not fail writes, which go on
// succeeding; checkpoints resume once the cause is gone.
func TestCheckpointErrorIsLogged(t *testing.T) {
	var logs syncLog
	db := openTest(t, withCheckpoints(1<<30, time.Hour), WithLogger(logs.logger()))
	a := newAppender(t, db)
	good := db.ckpt.conn
	db.ckpt.conn, _ = sql.Open("sqlite", DSN(db.path, nil))
	db.ckpt.conn.Close() // every statement on it fails
	r := db.ckpt.checkpointNow()
	if r.Err == nil {
		t.Fatalf("checkpoint on a closed connection = %+v, want an error", r)
	}
	if out := logs.String(); !strings.Contains(out, "level=ERROR") || !strings.Contains(out, "WAL checkpoint failed") {
		t.Errorf("failure not logged:\n%s", out)
	}
	if strings.Contains(logs.String(), "parcel") {
		t.Error("customer text in the log")
	}
	a.append(t, 20)
	if db.ckpt.pending.Load() == 0 {
		t.Error("the failed checkpoint's frames were dropped from the count")
	}

	db.ckpt.conn = good // the checkpointer is idle: no race
	if r := db.ckpt.checkpointNow(); !r.complete() {
		t.Errorf("checkpoint after recovery = %+v", r)
	}
}

// A reader holding an old snapshot keeps PASSIVE from copying the frames
// after it; once the WAL reaches the cap, the RESTART fallback is logged at
// warn and, when the reader has gone, starts the WAL over.
func TestCheckpointCapFallback(t *testing.T) {
	const threshold = 16
	var logs syncLog
	db := openTest(t, withCheckpoints(threshold, time.Hour), WithLogger(logs.logger()))
	a := newAppender(t, db)
	if r := db.ckpt.checkpointNow(); !r.complete() {
		t.Fatalf("checkpoint = %+v", r)
	}

	tx, err := db.read.BeginTx(t.Context(), &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var count int
	if err := tx.QueryRow("SELECT count(*) FROM messages").Scan(&count); err != nil { // takes the snapshot
		t.Fatal(err)
	}
	for walFrames(t, db) < (capFactor+1)*threshold {
		a.append(t, 10)
	}
	r := db.ckpt.checkpointNow()
	if r.Mode != "RESTART" || !r.Busy || r.Err != nil {
		t.Errorf("checkpoint behind a reader = %+v, want a busy RESTART", r)
	}
	if out := logs.String(); !strings.Contains(out, `level=WARN msg="WAL at its cap`) {
		t.Errorf("fallback not logged at warn:\n%s", out)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}

	r = db.ckpt.checkpointNow()
	if r.Mode != "RESTART" || !r.complete() {
		t.Fatalf("checkpoint with the reader gone = %+v, want a complete RESTART", r)
	}
	before := walFrames(t, db)
	a.append(t, 1)
	r = db.ckpt.checkpointNow()
	if r.Mode != "PASSIVE" || r.Log >= threshold {
		t.Errorf("after a RESTART the next commit did not start the WAL over: %+v", r)
	}
	if after := walFrames(t, db); after > before {
		t.Errorf("WAL grew from %d to %d frames after a restart", before, after)
	}
}

// Below the threshold, a commit is checkpointed an interval later, not
// before; with no commits, nothing runs.
func TestCheckpointInterval(t *testing.T) {
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		ckpts := make(chan checkpointResult, 10)
		db, err := Open(t.Context(), filepath.Join(dir, "assist.db"),
			withCheckpoints(1<<30, time.Second), withCheckpointHook(func(r checkpointResult) { ckpts <- r }))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		a := newAppender(t, db)
		synctest.Wait()
		time.Sleep(time.Second - time.Millisecond)
		synctest.Wait()
		if len(ckpts) != 0 {
			t.Fatalf("checkpoint before the interval: %+v", <-ckpts)
		}
		time.Sleep(time.Millisecond)
		synctest.Wait()
		if len(ckpts) != 1 {
			t.Fatalf("%d checkpoints an interval after a commit, want 1", len(ckpts))
		}
		if r := <-ckpts; !r.complete() || r.Mode != "PASSIVE" {
			t.Errorf("checkpoint = %+v", r)
		}
		time.Sleep(10 * time.Second)
		synctest.Wait()
		if len(ckpts) != 0 {
			t.Errorf("checkpoint with no commits: %+v", <-ckpts)
		}
		a.append(t, 3)
		time.Sleep(time.Second)
		synctest.Wait()
		if len(ckpts) != 1 {
			t.Errorf("%d checkpoints an interval after 3 commits, want 1", len(ckpts))
		}
	})
}

// Close stops the checkpointer and truncates the WAL after heavy writes.
func TestCloseStopsCheckpointerAndTruncates(t *testing.T) {
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "assist.db"), withCheckpoints(1<<30, time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	newAppender(t, db).append(t, 300)
	if got := walFrames(t, db); got < 300 {
		t.Fatalf("WAL holds %d frames before Close; the test needs a large one", got)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-db.ckpt.done:
	default:
		t.Error("checkpointer still running after Close")
	}
	if err := db.ckpt.conn.Ping(); err == nil {
		t.Error("checkpointer connection open after Close")
	}
	if got := walFrames(t, db); got != 0 {
		t.Errorf("WAL holds %d frames after Close", got)
	}
	if r := db.ckpt.checkpointNow(); assist.ErrorCode(r.Err) != assist.EUNAVAILABLE {
		t.Errorf("checkpoint after Close = %+v", r)
	}
}
