// Package store is the home of the storage adapters: the implementations of
// the store interfaces that the domain packages declare, conversation.Store
// and auth.Store, each in a package named after its technology.
//
// Package store/sqlite keeps everything in one SQLite file (the pure-Go
// modernc.org/sqlite driver): the embedded default for one machine. Its DB
// sends writes one at a time through a single connection and reads through
// a pool in parallel; its schema is migrated at Open by goose from embedded
// SQL files.
//
// Package store/storetest holds the conformance suites, one per interface.
// Every implementation runs the same suite from its own tests, giving it a
// function that opens a new, empty store:
//
//	func TestConversationStore(t *testing.T) {
//		storetest.Conversations(t, func(t *testing.T) conversation.Store {
//			return newStore(t) // closed by t.Cleanup
//		})
//	}
//
// The suites check the contracts written on the interfaces (tenant
// isolation, error codes, idempotent appends, Seq order and paging, atomic
// turns) and the few behaviours the interfaces leave open but callers rely
// on, listed in storetest's documentation. A new adapter (PostgreSQL, for
// scale-out) is complete when both suites pass against it.
//
// Only cmd/assist imports an adapter; the domain and api packages see the
// interfaces.
package store
