// Package storetest holds the conformance suites of the store interfaces:
// Conversations for conversation.Store and Auth for auth.Store. Every
// implementation runs them from its own tests, the way testing/slogtest is
// run by every slog.Handler:
//
//	storetest.Conversations(t, func(t *testing.T) conversation.Store { ... })
//	storetest.Auth(t, func(t *testing.T) auth.Store { ... })
//
// open is called once per subtest and must return a new, empty store (the
// Unhandled checks see every tenant's messages); it closes what it opened
// with t.Cleanup.
//
// Times: the suites store times with microsecond precision (PostgreSQL's)
// and compare them with time.Time.Equal, so an implementation must return
// exactly the instant stored, to the microsecond, in any location.
//
// Besides what the interfaces' comments say, the suites hold
// implementations to these behaviours, which callers rely on:
//
//   - Creating a row whose ID (or unique key: tenant slug, user e-mail in a
//     tenant, API key hash, session hash, message ID) is already stored
//     returns code assist.ECONFLICT, in both stores.
//   - Messages and Replies return ENOTFOUND when the tenant has no such
//     conversation or message, and an empty list when it has one with
//     nothing to list.
//   - AppendMessage and CompleteTurn return ENOTFOUND when the tenant has no
//     such conversation or message, and write nothing.
//   - CompleteTurn of a message already handled returns ECONFLICT and writes
//     nothing: a turn run twice stores its replies once. If storing a reply
//     fails, nothing of the turn is stored.
//   - CreateUser in an unknown tenant returns ENOTFOUND; DeleteSession of an
//     unknown session returns ENOTFOUND.
//   - ListConversations orders by CreatedAt, newest first.
package storetest
