package sqlite

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/assistd/assist"
)

// BenchmarkAppendMessage measures the durable append of a customer message
// with an idempotency key (the path of every incoming message): one write
// transaction that checks the conversation, inserts and reads back. With
// SyncFull every append waits for an fsync of the WAL; the parallel runs
// show what group commit gains: 16 writers per core share fsyncs.
func BenchmarkAppendMessage(b *testing.B) {
	for _, sync := range []Synchronous{SyncFull, SyncNormal} {
		b.Run("sync="+string(sync), func(b *testing.B) {
			b.Run("sequential", func(b *testing.B) {
				s, c := benchStore(b, sync)
				for b.Loop() {
					benchAppend(b, s, c)
				}
			})
			b.Run("parallel", func(b *testing.B) {
				s, c := benchStore(b, sync)
				b.SetParallelism(16)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						benchAppend(b, s, c)
					}
				})
			})
		})
	}
}

func benchStore(b *testing.B, sync Synchronous) (*ConversationStore, *assist.Conversation) {
	b.Helper()
	db, err := Open(b.Context(), filepath.Join(b.TempDir(), "bench.db"), WithSynchronous(sync))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	s := NewConversationStore(db)
	c := &assist.Conversation{ID: newID(), TenantID: newID(), Channel: "widget", Owner: assist.OwnerBot,
		CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := s.CreateConversation(b.Context(), c); err != nil {
		b.Fatal(err)
	}
	return s, c
}

func benchAppend(b *testing.B, s *ConversationStore, c *assist.Conversation) {
	m := &assist.Message{
		ID: newID(), TenantID: c.TenantID, ConversationID: c.ID, Author: assist.AuthorCustomer,
		Text: "我的订单 #20250301-8812 什么时候发货? When will my order ship?", IdempotencyKey: newID(),
		CreatedAt: time.Now(),
	}
	if _, created, err := s.AppendMessage(b.Context(), m); err != nil || !created {
		b.Errorf("AppendMessage: created %v, %v", created, err)
	}
}
