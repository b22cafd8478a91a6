// Package sqlite stores conversations, messages, tenants, users, API keys
// and sessions in one SQLite file, with the pure-Go modernc.org/sqlite
// driver.
//
// Open returns a DB: the file in WAL mode with foreign keys on, migrated to
// the current schema (goose, migrations embedded from migrations/*.sql). A
// DB holds two pools. The writer is one connection owned by a committer
// goroutine: writes queue to it and are group-committed, every write queued
// while the previous commit was syncing running in one BEGIN IMMEDIATE
// transaction, each in a savepoint of its own (a failing write undoes only
// itself). Writes never fail with SQLITE_BUSY inside the process, one fsync
// serves many writers, and with the default synchronous=FULL a write is on
// disk when it returns. The readers are
// several query_only connections that, thanks to WAL, run in parallel with
// each other and with the writer and see every committed write.
//
// Checkpoints are off the commit path. The writer runs with
// wal_autocheckpoint(0), so no commit copies the WAL into the database
// file; a checkpointer goroutine does, on a connection of its own. After
// each batch the committer adds the frames it appended to the WAL
// (SQLITE_DBSTATUS_CACHE_WRITE) to a count and wakes the checkpointer
// without blocking (a channel of one). The checkpointer runs PRAGMA
// wal_checkpoint(PASSIVE), which never takes the write lock, as soon as
// 1000 frames (SQLite's autocheckpoint default) were appended since the
// last one, and otherwise one second after the first commit that followed
// it. PASSIVE copies frames, but the WAL only starts over when a commit
// begins with every frame copied, which under a steady stream of commits
// is rare, and readers on old snapshots hold back the frames after theirs.
// So when a checkpoint finds the WAL at its cap, 10 000 frames (about
// 40 MB), the checkpointer runs wal_checkpoint(RESTART) between two batches
// of the committer, waiting at most 100 ms for readers: writes queue
// meanwhile, and the next commit starts the WAL over. The fallback is
// logged at warn when readers held frames back (at debug when commits
// alone outran PASSIVE). A failed checkpoint is logged, never fails a
// write, and is retried a second later. Close stops the checkpointer, then
// checkpoints with TRUNCATE, leaving an empty WAL.
//
// NewConversationStore and NewAuthStore return the conversation.Store and
// auth.Store of a DB; both pass the suites of package storetest.
//
// Times are stored as fixed-width UTC text with nanoseconds, so they come
// back equal (time.Time.Equal) to what was stored, in UTC. Message.Seq is
// the messages table's AUTOINCREMENT key: global to the database, increasing
// and never reused.
package sqlite
