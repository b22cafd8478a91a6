package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"

	"github.com/assistd/assist"
)

// Checkpoint policy defaults (see the package documentation).
const (
	// defaultCheckpointFrames is how many WAL frames (pages) written since
	// the last checkpoint start the next one: SQLite's own autocheckpoint.
	defaultCheckpointFrames = 1000
	// capFactor times the threshold is the WAL size, in frames, past which
	// a PASSIVE checkpoint is followed by a blocking RESTART one.
	capFactor = 10
	// defaultCheckpointInterval is the longest a commit waits to be
	// checkpointed when the threshold is not reached.
	defaultCheckpointInterval = time.Second
	// capBusyTimeout bounds how long the RESTART fallback waits for
	// readers, holding up writes meanwhile.
	capBusyTimeout = 100 * time.Millisecond
)

// checkpointConfig configures the checkpointer; zero fields take the
// defaults.
type checkpointConfig struct {
	frames   int                    // threshold in frames
	interval time.Duration          // the longest a commit waits
	hook     func(checkpointResult) // tests: called after every checkpoint
}

// withCheckpoints sets the checkpointer's frame threshold and interval
// (tests).
func withCheckpoints(frames int, interval time.Duration) Option {
	return func(o *options) { o.ckpt.frames, o.ckpt.interval = frames, interval }
}

// withCheckpointHook has the checkpointer call hook, on its own goroutine,
// after every checkpoint it runs (tests).
func withCheckpointHook(hook func(checkpointResult)) Option {
	return func(o *options) { o.ckpt.hook = hook }
}

// checkpointResult is the outcome of one wal_checkpoint.
type checkpointResult struct {
	Mode         string // PASSIVE or RESTART
	Busy         bool   // the checkpoint could not finish (readers, writers)
	Log          int    // frames in the WAL when it ran; -1 if not in WAL mode
	Checkpointed int    // frames copied into the database file
	Err          error
}

// complete reports whether every frame of the WAL is in the database file.
func (r checkpointResult) complete() bool {
	return r.Err == nil && !r.Busy && r.Checkpointed == r.Log
}

// checkpointer copies the WAL into the database file off the commit path.
// The writer connection runs with wal_autocheckpoint(0); the committer
// reports the frames each batch appended (commit) and the checkpointer, on
// a connection of its own, runs PASSIVE checkpoints, which never take the
// write lock and so never hold up a commit.
type checkpointer struct {
	conn     *sql.DB
	log      *slog.Logger
	frames   int           // threshold
	cap      int           // WAL frames past which RESTART runs
	interval time.Duration // the longest a commit waits
	hook     func(checkpointResult)

	// batch is held by the committer while it runs a batch and by the
	// RESTART fallback, which so never competes with commits for the
	// write lock (a stream of commits would starve it).
	batch sync.Mutex

	restarted int // Log of the last complete RESTART; -1 after a commit

	pending atomic.Int64  // frames appended since the last checkpoint began
	kick    chan struct{} // buffered 1: there were commits
	now     chan chan checkpointResult
	ctx     context.Context // cancelled by stop: interrupts a checkpoint
	cancel  context.CancelFunc
	stop    chan struct{}
	done    chan struct{} // closed when run has returned
}

// newCheckpointer opens the checkpointer's connection (dsn, no
// query_only) and starts it.
func newCheckpointer(ctx context.Context, dsn string, cfg checkpointConfig, log *slog.Logger) (*checkpointer, error) {
	conn, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	conn.SetMaxOpenConns(1)
	conn.SetMaxIdleConns(1)
	conn.SetConnMaxIdleTime(0)
	conn.SetConnMaxLifetime(0)
	if err := conn.PingContext(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("checkpointer: %w", err)
	}
	if cfg.frames <= 0 {
		cfg.frames = defaultCheckpointFrames
	}
	if cfg.interval <= 0 {
		cfg.interval = defaultCheckpointInterval
	}
	c := &checkpointer{
		conn:      conn,
		log:       log,
		frames:    cfg.frames,
		cap:       capFactor * cfg.frames,
		interval:  cfg.interval,
		hook:      cfg.hook,
		restarted: -1,
		kick:      make(chan struct{}, 1),
		now:       make(chan chan checkpointResult),
		stop:      make(chan struct{}),
		done:      make(chan struct{}),
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	go c.run()
	return c, nil
}

// committed records that a batch appended frames to the WAL and wakes the
// checkpointer. It never blocks: a wake-up already pending covers this one.
func (c *checkpointer) committed(frames int) {
	c.pending.Add(int64(frames))
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// countFrames reads, and resets, the number of pages conn has written to
// the WAL since the last call (SQLITE_DBSTATUS_CACHE_WRITE), which in WAL
// mode is the number of frames it appended.
func countFrames(conn *sql.Conn) int {
	var n int
	conn.Raw(func(dc any) error {
		st, ok := dc.(sqlite.DBStatus)
		if !ok {
			return nil
		}
		var err error
		n, _, err = st.Status(sqlite.DBStatusCacheWrite, true)
		return err
	})
	return n
}

// run checkpoints until stop is closed: as soon as the frames appended
// since the last checkpoint reach the threshold, and otherwise interval
// after the first commit that followed it. After a failure it waits an
// interval before trying again.
func (c *checkpointer) run() {
	defer close(c.done)
	timer := time.NewTimer(c.interval)
	timer.Stop()
	armed := false   // timer is running
	dirty := false   // commits since the last checkpoint began
	backoff := false // the last checkpoint failed: wait for the timer
	arm := func() {
		if !armed {
			timer.Reset(c.interval)
			armed = true
		}
	}
	checkpoint := func() checkpointResult {
		timer.Stop()
		armed, dirty = false, false
		r := c.checkpoint()
		backoff = r.Err != nil
		if backoff {
			arm()
		}
		return r
	}
	for {
		select {
		case <-c.stop:
			timer.Stop()
			return
		case <-c.kick:
			dirty = true
			if !backoff && c.pending.Load() >= int64(c.frames) {
				checkpoint()
				continue
			}
			arm()
		case <-timer.C:
			armed = false
			if dirty || backoff {
				checkpoint()
			}
		case reply := <-c.now:
			reply <- checkpoint()
		}
	}
}

// checkpoint runs a PASSIVE checkpoint and, if the WAL has reached the
// cap anyway, a RESTART one between two batches of the committer, which
// waits up to capBusyTimeout for readers so that the next commit starts
// the WAL over. PASSIVE copies frames without taking the write lock, but a
// WAL only starts over when a commit begins with every frame copied, and
// under a steady stream of commits one lands during nearly every
// checkpoint; readers on old snapshots also keep PASSIVE from copying the
// frames after theirs. Failures are logged; the frames stay pending and
// are tried again later.
func (c *checkpointer) checkpoint() checkpointResult {
	n := c.pending.Load()
	r := c.exec(c.ctx, c.conn, "PASSIVE")
	c.report(r)
	if r.Err != nil {
		c.log.Error("WAL checkpoint failed; retrying later", "mode", r.Mode, "pending_frames", n, "err", r.Err)
		return r
	}
	c.pending.Add(-n)
	if r.Log < c.cap {
		return r
	}
	if r.complete() && r.Log == c.restarted {
		// Restarted, and no commit since to start the WAL over: the
		// frames counted were those of the commits before the RESTART.
		return r
	}
	// Readers holding frames back are worth a warning; writes outrunning
	// PASSIVE are the normal way a busy WAL reaches the cap.
	level := slog.LevelDebug
	if r.Checkpointed < r.Log {
		level = slog.LevelWarn
	}
	c.log.Log(c.ctx, level, "WAL at its cap; restarting it, holding up writes",
		"frames", r.Log, "checkpointed", r.Checkpointed, "cap", c.cap, "busy_timeout", capBusyTimeout)
	c.batch.Lock()
	r = c.restart()
	c.batch.Unlock()
	c.restarted = -1
	if r.complete() {
		c.restarted = r.Log
	}
	c.report(r)
	switch {
	case r.Err != nil:
		c.log.Error("WAL checkpoint failed; retrying later", "mode", r.Mode, "err", r.Err)
	case r.Busy:
		c.log.Warn("WAL restart blocked by readers or the writer; retrying later", "frames", r.Log, "checkpointed", r.Checkpointed)
	}
	return r
}

// restart runs a RESTART checkpoint with a busy timeout of capBusyTimeout
// on one connection, restoring its busy timeout after. The caller holds
// c.batch.
func (c *checkpointer) restart() checkpointResult {
	const mode = "RESTART"
	conn, err := c.conn.Conn(c.ctx)
	if err != nil {
		return checkpointResult{Mode: mode, Err: err}
	}
	defer conn.Close()
	var restore int
	if err := conn.QueryRowContext(c.ctx, "PRAGMA busy_timeout").Scan(&restore); err != nil {
		return checkpointResult{Mode: mode, Err: err}
	}
	if _, err := conn.ExecContext(c.ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", capBusyTimeout.Milliseconds())); err != nil {
		return checkpointResult{Mode: mode, Err: err}
	}
	r := c.exec(c.ctx, conn, mode)
	if _, err := conn.ExecContext(context.WithoutCancel(c.ctx), fmt.Sprintf("PRAGMA busy_timeout = %d", restore)); err != nil {
		r.Err = errors.Join(r.Err, fmt.Errorf("restore busy timeout: %w", err))
	}
	return r
}

// queryRower is a *sql.DB or *sql.Conn.
type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// exec runs PRAGMA wal_checkpoint(mode) on q.
func (c *checkpointer) exec(ctx context.Context, q queryRower, mode string) checkpointResult {
	r := checkpointResult{Mode: mode}
	var busy int
	r.Err = q.QueryRowContext(ctx, "PRAGMA wal_checkpoint("+mode+")").Scan(&busy, &r.Log, &r.Checkpointed)
	r.Busy = busy != 0
	return r
}

func (c *checkpointer) report(r checkpointResult) {
	if c.hook != nil {
		c.hook(r)
	}
}

// checkpointNow has the checkpointer run a checkpoint now, as if the
// threshold had been reached, and returns its result (tests).
func (c *checkpointer) checkpointNow() checkpointResult {
	reply := make(chan checkpointResult, 1)
	select {
	case c.now <- reply:
		return <-reply
	case <-c.done:
		return checkpointResult{Err: assist.Errorf(assist.EUNAVAILABLE, "checkpointer stopped")}
	}
}

// close stops the checkpointer, interrupting a checkpoint in progress,
// waits for it and closes its connection.
func (c *checkpointer) close() error {
	close(c.stop)
	c.cancel()
	<-c.done
	return c.conn.Close()
}
