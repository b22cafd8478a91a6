package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/assistd/assist"
)

// Writes queued while the committer is busy share one transaction; a write
// that fails in it undoes only its own statements.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	_, err := db.write.Exec(`CREATE TABLE gc (k TEXT PRIMARY KEY, v INTEGER) STRICT`)
	if err != nil {
		t.Fatal(err)
	}

	// Hold the committer inside a write until the others are queued.
	hold := make(chan struct{})
	entered := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
			close(entered)
			<-hold
			_, err := tx.ExecContext(ctx, `INSERT INTO gc VALUES ('first', 0)`)
			return err
		})
		if err != nil {
			t.Error(err)
		}
	}()
	<-entered

	const n = 40
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
				// Every write inserts a row of its own, then every third
				// one fails: its row must not survive.
				if _, err := tx.ExecContext(ctx, `INSERT INTO gc VALUES (?, ?)`, fmt.Sprintf("k%02d", i), i); err != nil {
					return err
				}
				if i%3 == 0 {
					_, err := tx.ExecContext(ctx, `INSERT INTO gc VALUES ('first', -1)`) // duplicate key
					return err
				}
				return nil
			})
		}()
	}
	// Wait until all n are queued behind the held write.
	for len(db.writes) < n {
		time.Sleep(time.Millisecond)
	}
	close(hold)
	wg.Wait()

	for i, err := range errs {
		var want bool = i%3 == 0
		if (err != nil) != want {
			t.Errorf("write %d: err = %v, want failure %v", i, err, want)
		}
		var count int
		if err := db.read.QueryRow(`SELECT count(*) FROM gc WHERE k = ?`, fmt.Sprintf("k%02d", i)).Scan(&count); err != nil {
			t.Fatal(err)
		}
		if count != map[bool]int{true: 0, false: 1}[want] {
			t.Errorf("write %d: %d rows stored", i, count)
		}
	}
	var v int
	if err := db.read.QueryRow(`SELECT v FROM gc WHERE k = 'first'`).Scan(&v); err != nil || v != 0 {
		t.Errorf("first row: v=%d err=%v", v, err)
	}
}

// A write whose context is cancelled after it was queued still commits,
// and its statements run; one cancelled before is refused.
func TestGroupCommitContexts(t *testing.T) {
	db := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled before queueing: %v", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		cancel() // the caller gives up mid-write
		_, err := tx.ExecContext(ctx, `CREATE TABLE after_cancel (x INTEGER)`)
		return err
	})
	if err != nil {
		t.Fatalf("cancelled while running: %v", err)
	}
	if _, err := db.read.Exec(`SELECT count(*) FROM after_cancel`); err != nil {
		t.Fatalf("table not committed: %v", err)
	}
}

func TestWriteAfterClose(t *testing.T) {
	db := openTest(t)
	db.Close()
	err := db.inTx(context.Background(), func(ctx context.Context, tx *sql.Tx) error { return nil })
	if assist.ErrorCode(err) != assist.EUNAVAILABLE {
		t.Fatalf("write after close: %v", err)
	}
}

// A write that panics fails alone; the committer keeps serving.
func TestGroupCommitSurvivesPanic(t *testing.T) {
	db := openTest(t)
	boom := errors.New("a bug in a write")
	err := db.inTx(context.Background(), func(ctx context.Context, tx *sql.Tx) error { panic(boom) })
	if err == nil {
		t.Fatal("a panicking write succeeded")
	}
	err = db.inTx(context.Background(), func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE after_panic (x INTEGER)`)
		return err
	})
	if err != nil {
		t.Fatalf("write after a panic: %v", err)
	}
}
