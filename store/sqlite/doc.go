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
// NewConversationStore and NewAuthStore return the conversation.Store and
// auth.Store of a DB; both pass the suites of package storetest.
//
// Times are stored as fixed-width UTC text with nanoseconds, so they come
// back equal (time.Time.Equal) to what was stored, in UTC. Message.Seq is
// the messages table's AUTOINCREMENT key: global to the database, increasing
// and never reused.
package sqlite
