package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/ticket"
)

// A turn's statements are parsed once: after the first turn the writes and
// reads run as prepared statements, and later turns are stored as the
// first was, a repeated one refused as before.
func TestTurnStatementsPreparedOnce(t *testing.T) {
	db := openTest(t)
	s := NewConversationStore(db)
	ctx := t.Context()
	c := &assist.Conversation{ID: newID(), TenantID: newID(), Channel: "widget", CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := s.CreateConversation(ctx, c); err != nil {
		t.Fatal(err)
	}
	turn := func(text string) *assist.Message {
		t.Helper()
		m := &assist.Message{ID: newID(), TenantID: c.TenantID, ConversationID: c.ID, Author: assist.AuthorCustomer,
			Text: text, IdempotencyKey: newID(), CreatedAt: time.Now()}
		if _, created, err := s.AppendMessage(ctx, m); err != nil || !created {
			t.Fatalf("append %q: created %v, %v", text, created, err)
		}
		reply := &assist.Message{ID: newID(), Author: assist.AuthorBot, Text: "re: " + text, CreatedAt: time.Now()}
		err := s.CompleteTurn(ctx, conversation.TurnResult{TenantID: c.TenantID, ConversationID: c.ID, MessageID: m.ID,
			Replies: []*assist.Message{reply}, State: []byte(`{"turns":1}`)})
		if err != nil {
			t.Fatalf("complete turn of %q: %v", text, err)
		}
		if _, err := s.DialogState(ctx, c.TenantID, c.ID); err != nil {
			t.Fatal(err)
		}
		return m
	}
	first := turn("where is my order")
	// Looked at by a write: the committer owns the statements.
	var prepared bool
	if err := db.inTx(ctx, func(context.Context, *sql.Tx) error {
		_, prepared = db.stmts.write[insertMessage]
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !prepared {
		t.Error("the reply INSERT is not prepared after a turn")
	}
	for _, text := range []string{"and the lamp?", "thanks"} {
		turn(text)
	}
	// The same turn again is refused, by the prepared UPDATE.
	err := s.CompleteTurn(ctx, conversation.TurnResult{TenantID: c.TenantID, ConversationID: c.ID, MessageID: first.ID})
	if assist.ErrorCode(err) != assist.ECONFLICT {
		t.Errorf("completing a turn twice: %v, want ECONFLICT", err)
	}
	list, err := s.Messages(ctx, c.TenantID, c.ID, 0, 0)
	if err != nil || len(list) != 6 {
		t.Fatalf("messages: %d, %v; want 6", len(list), err)
	}
}

// Ticket lists are written for each agent's teams and the statuses picked,
// a different text for each shape: agents listing tickets in every shape
// leave the prepared reads of a turn as they were, and the turn's reads
// still get prepared afterwards, while lists run at the same time as a
// turn's reads.
func TestTicketListsLeaveTurnReadsPrepared(t *testing.T) {
	db := openTest(t)
	ts, cs := NewTicketStore(db), NewConversationStore(db)
	ctx := t.Context()
	tenant := newID()
	var wg sync.WaitGroup
	for i := range 2 * maxStmts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			teams := make([]string, i%40+1)
			for j := range teams {
				teams[j] = fmt.Sprintf("team-%d", j)
			}
			f := ticket.Filter{Visible: &ticket.Visibility{UserID: "agent", Teams: teams}}
			if i >= 40 {
				f.Status = make([]ticket.Status, i/40)
				for j := range f.Status {
					f.Status[j] = ticket.StatusOpen
				}
			}
			if _, err := ts.ListTickets(ctx, tenant, f); err != nil {
				t.Errorf("list %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if _, err := cs.DialogState(ctx, tenant, newID()); assist.ErrorCode(err) != assist.ENOTFOUND && err != nil {
		t.Fatal(err)
	}
	if _, ok := db.stmts.read.Load(`SELECT state FROM dialog_states WHERE tenant_id = ? AND conversation_id = ?`); !ok {
		t.Error("a turn's read of the dialog state is not prepared after many ticket lists")
	}
}
