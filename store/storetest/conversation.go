package storetest

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/conversation"
)

// Conversations runs the conformance suite of conversation.Store. open
// returns a new, empty store for each subtest.
func Conversations(t *testing.T, open func(t *testing.T) conversation.Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, s conversation.Store)
	}{
		{"CreateConversation", testCreateConversation},
		{"CreateConversationConflict", testCreateConversationConflict},
		{"NotFound", testNotFound},
		{"TenantIsolation", testTenantIsolation},
		{"ListConversations", testListConversations},
		{"ListConversationsDefaultLimit", testListConversationsDefaultLimit},
		{"SetOwner", testSetOwner},
		{"AppendMessage", testAppendMessage},
		{"AppendMessageConflict", testAppendMessageConflict},
		{"AppendIdempotent", testAppendIdempotent},
		{"AppendIdempotentConcurrent", testAppendIdempotentConcurrent},
		{"AppendConcurrent", testAppendConcurrent},
		{"MessagesPaging", testMessagesPaging},
		{"CompleteTurn", testCompleteTurn},
		{"CompleteTurnAtomic", testCompleteTurnAtomic},
		{"CompleteTurnTwice", testCompleteTurnTwice},
		{"ReplyAttachments", testReplyAttachments},
		{"Unhandled", testUnhandled},
		{"DialogStateRoundTrip", testDialogStateRoundTrip},
		{"DialogStateNotFound", testDialogStateNotFound},
		{"DialogStateOnlyWithTurn", testDialogStateOnlyWithTurn},
		{"DialogStateConflict", testDialogStateConflict},
		{"DialogStateAtomic", testDialogStateAtomic},
		{"DialogStateTooLarge", testDialogStateTooLarge},
		{"DialogStateTenantIsolation", testDialogStateTenantIsolation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, open(t)) })
	}
}

func normConversation(c assist.Conversation) assist.Conversation {
	c.CreatedAt, c.UpdatedAt = normTime(c.CreatedAt), normTime(c.UpdatedAt)
	c.TokenHash = normBytes(c.TokenHash)
	return c
}

func normMessage(m assist.Message) assist.Message {
	m.CreatedAt = normTime(m.CreatedAt)
	return m
}

// refs lists conversations by CustomerRef, the suite's readable label.
func refs(list []*assist.Conversation) []string {
	return ids(list, func(c *assist.Conversation) string { return c.CustomerRef })
}

// texts lists messages by Text, the suite's readable label.
func texts(list []*assist.Message) []string {
	return ids(list, func(m *assist.Message) string { return m.Text })
}

// createConversation stores a conversation of the tenant, owned by the
// bot, created at when, labelled ref.
func createConversation(t *testing.T, s conversation.Store, tenantID, ref string, when time.Time, edit ...func(*assist.Conversation)) *assist.Conversation {
	t.Helper()
	c := &assist.Conversation{
		ID:          newID(),
		TenantID:    tenantID,
		Channel:     "widget",
		CustomerRef: ref,
		Owner:       assist.OwnerBot,
		CreatedAt:   when,
		UpdatedAt:   when,
	}
	for _, e := range edit {
		e(c)
	}
	must(t, s.CreateConversation(t.Context(), c))
	return c
}

// newMessage returns an unstored message of c.
func newMessage(c *assist.Conversation, author assist.Author, text string) *assist.Message {
	return &assist.Message{
		ID:             newID(),
		TenantID:       c.TenantID,
		ConversationID: c.ID,
		Author:         author,
		Text:           text,
		CreatedAt:      at(1),
	}
}

// appendMessage stores a new message of c and returns it as stored.
func appendMessage(t *testing.T, s conversation.Store, c *assist.Conversation, author assist.Author, text string) *assist.Message {
	t.Helper()
	stored, created, err := s.AppendMessage(t.Context(), newMessage(c, author, text))
	must(t, err)
	if !created {
		t.Fatalf("AppendMessage(%q): created = false, want true", text)
	}
	return stored
}

// reply returns an unstored reply to m.
func reply(m *assist.Message, text string) *assist.Message {
	r := newMessage(&assist.Conversation{ID: m.ConversationID, TenantID: m.TenantID}, assist.AuthorBot, text)
	r.ReplyTo = m.ID
	return r
}

func getConversation(t *testing.T, s conversation.Store, c *assist.Conversation) *assist.Conversation {
	t.Helper()
	got, err := s.Conversation(t.Context(), c.TenantID, c.ID)
	must(t, err)
	return got
}

func getMessage(t *testing.T, s conversation.Store, m *assist.Message) *assist.Message {
	t.Helper()
	got, err := s.Message(t.Context(), m.TenantID, m.ID)
	must(t, err)
	return got
}

func listMessages(t *testing.T, s conversation.Store, c *assist.Conversation) []*assist.Message {
	t.Helper()
	list, err := s.Messages(t.Context(), c.TenantID, c.ID, 0, 1000)
	must(t, err)
	return list
}

func unhandled(t *testing.T, s conversation.Store) []*assist.Message {
	t.Helper()
	list, err := s.Unhandled(t.Context(), 1000)
	must(t, err)
	return list
}

func testCreateConversation(t *testing.T, s conversation.Store) {
	tenant := newID()
	tests := []struct {
		name string
		c    *assist.Conversation
	}{
		{"minimal", &assist.Conversation{
			ID: newID(), TenantID: tenant, Channel: "widget", Owner: assist.OwnerBot,
			CreatedAt: t0, UpdatedAt: t0,
		}},
		{"every field", &assist.Conversation{
			ID: newID(), TenantID: tenant, Channel: "webhook", CustomerRef: "cust-42", Lang: "zh",
			Owner: assist.OwnerAgent, AssigneeID: newID(), Reason: "asked_human",
			CreatedAt: at(1), UpdatedAt: at(2), TokenHash: hash("customer token"),
		}},
		{"not UTC", &assist.Conversation{
			ID: newID(), TenantID: tenant, Channel: "widget", Owner: assist.OwnerQueue,
			CreatedAt: at(3).In(time.FixedZone("CST", 8*3600)), UpdatedAt: at(4).In(time.FixedZone("CST", 8*3600)),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := *tt.c
			must(t, s.CreateConversation(t.Context(), tt.c))
			got := getConversation(t, s, tt.c)
			same(t, "Conversation", got, &want, normConversation)
			if !got.CreatedAt.Equal(want.CreatedAt) || !got.UpdatedAt.Equal(want.UpdatedAt) {
				t.Errorf("times = %v, %v, want %v, %v", got.CreatedAt, got.UpdatedAt, want.CreatedAt, want.UpdatedAt)
			}
		})
	}
}

func testCreateConversationConflict(t *testing.T, s conversation.Store) {
	c := createConversation(t, s, newID(), "c1", t0)
	dup := *c
	dup.CustomerRef = "other"
	wantCode(t, s.CreateConversation(t.Context(), &dup), assist.ECONFLICT)
	same(t, "Conversation", getConversation(t, s, c), c, normConversation)
}

// lookups returns one call of every Store method that names a
// conversation or a message, as tenant sees them.
func lookups(s conversation.Store, tenant, conversationID, messageID string) []struct {
	name string
	call func(ctx context.Context) error
} {
	return []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"Conversation", func(ctx context.Context) error {
			_, err := s.Conversation(ctx, tenant, conversationID)
			return err
		}},
		{"SetOwner", func(ctx context.Context) error {
			return s.SetOwner(ctx, tenant, conversationID, assist.OwnerClosed, "", "stolen")
		}},
		{"AppendMessage", func(ctx context.Context) error {
			m := &assist.Message{ID: newID(), TenantID: tenant, ConversationID: conversationID,
				Author: assist.AuthorCustomer, Text: "intruder", CreatedAt: t0}
			_, _, err := s.AppendMessage(ctx, m)
			return err
		}},
		{"AppendMessageWithKey", func(ctx context.Context) error {
			m := &assist.Message{ID: newID(), TenantID: tenant, ConversationID: conversationID,
				Author: assist.AuthorCustomer, Text: "intruder", IdempotencyKey: "k1", CreatedAt: t0}
			_, _, err := s.AppendMessage(ctx, m)
			return err
		}},
		{"Message", func(ctx context.Context) error {
			_, err := s.Message(ctx, tenant, messageID)
			return err
		}},
		{"Messages", func(ctx context.Context) error {
			_, err := s.Messages(ctx, tenant, conversationID, 0, 10)
			return err
		}},
		{"Replies", func(ctx context.Context) error {
			_, err := s.Replies(ctx, tenant, messageID)
			return err
		}},
		{"CompleteTurn", func(ctx context.Context) error {
			return s.CompleteTurn(ctx, conversation.TurnResult{
				TenantID: tenant, ConversationID: conversationID, MessageID: messageID,
				Replies: []*assist.Message{{ID: newID(), TenantID: tenant, ConversationID: conversationID,
					Author: assist.AuthorBot, Text: "intruder", ReplyTo: messageID, CreatedAt: t0}},
				Owner: &conversation.OwnerChange{Owner: assist.OwnerClosed, Reason: "stolen"},
			})
		}},
	}
}

func testNotFound(t *testing.T, s conversation.Store) {
	tenant := newID()
	c := createConversation(t, s, tenant, "c1", t0)
	m := appendMessage(t, s, c, assist.AuthorCustomer, "m1")
	for _, l := range lookups(s, tenant, newID(), newID()) {
		t.Run(l.name, func(t *testing.T) {
			wantCode(t, l.call(t.Context()), assist.ENOTFOUND)
		})
	}

	t.Run("CompleteTurnOtherConversation", func(t *testing.T) {
		other := createConversation(t, s, tenant, "c2", t0)
		err := s.CompleteTurn(t.Context(), conversation.TurnResult{
			TenantID: tenant, ConversationID: other.ID, MessageID: m.ID,
			Replies: []*assist.Message{{ID: newID(), TenantID: tenant, ConversationID: other.ID,
				Author: assist.AuthorBot, Text: "misplaced", ReplyTo: m.ID, CreatedAt: t0}},
		})
		wantCode(t, err, assist.ENOTFOUND)
		if getMessage(t, s, m).Handled {
			t.Error("CompleteTurn naming another conversation handled the message")
		}
		sameIDs(t, "Messages(c2)", texts(listMessages(t, s, other)), nil)
	})

	t.Run("EmptyLists", func(t *testing.T) {
		empty := createConversation(t, s, tenant, "empty", t0)
		list, err := s.Messages(t.Context(), tenant, empty.ID, 0, 10)
		must(t, err)
		sameIDs(t, "Messages of an empty conversation", texts(list), nil)
		list, err = s.Replies(t.Context(), tenant, m.ID)
		must(t, err)
		sameIDs(t, "Replies of an unanswered message", texts(list), nil)
	})
}

func testTenantIsolation(t *testing.T, s conversation.Store) {
	tenantA, tenantB := newID(), newID()
	c := createConversation(t, s, tenantA, "a1", t0)
	keyed := newMessage(c, assist.AuthorCustomer, "m1")
	keyed.IdempotencyKey = "k1"
	m, _, err := s.AppendMessage(t.Context(), keyed)
	must(t, err)
	mine := createConversation(t, s, tenantB, "b1", at(1))

	for _, l := range lookups(s, tenantB, c.ID, m.ID) {
		t.Run(l.name, func(t *testing.T) {
			wantCode(t, l.call(t.Context()), assist.ENOTFOUND)
		})
	}

	list, err := s.ListConversations(t.Context(), tenantB, conversation.Filter{})
	must(t, err)
	sameIDs(t, "ListConversations(B)", refs(list), []string{"b1"})

	// Nothing of tenant A changed.
	same(t, "Conversation(A)", getConversation(t, s, c), c, normConversation)
	msgs := listMessages(t, s, c)
	sameIDs(t, "Messages(A)", texts(msgs), []string{"m1"})
	if len(msgs) == 1 {
		same(t, "Message(A)", msgs[0], m, normMessage)
	}
	sameIDs(t, "Unhandled", texts(unhandled(t, s)), []string{"m1"})
	sameIDs(t, "Messages(B)", texts(listMessages(t, s, mine)), nil)
}

func testListConversations(t *testing.T, s conversation.Store) {
	tenant, other := newID(), newID()
	u1, u2 := newID(), newID()
	owned := func(o assist.Owner, assignee string) func(*assist.Conversation) {
		return func(c *assist.Conversation) { c.Owner, c.AssigneeID = o, assignee }
	}
	// Created out of order, so insertion order is not the answer.
	createConversation(t, s, tenant, "c3", at(3), owned(assist.OwnerAgent, u1))
	createConversation(t, s, tenant, "c1", at(1), owned(assist.OwnerBot, ""))
	createConversation(t, s, tenant, "c5", at(5), owned(assist.OwnerClosed, u1))
	createConversation(t, s, tenant, "c2", at(2), owned(assist.OwnerQueue, ""))
	createConversation(t, s, tenant, "c4", at(4), owned(assist.OwnerAgent, u2))
	createConversation(t, s, other, "x1", at(6), owned(assist.OwnerAgent, u1))

	tests := []struct {
		name   string
		tenant string
		filter conversation.Filter
		want   []string
	}{
		{"all newest first", tenant, conversation.Filter{}, []string{"c5", "c4", "c3", "c2", "c1"}},
		{"owner agent", tenant, conversation.Filter{Owner: assist.OwnerAgent}, []string{"c4", "c3"}},
		{"owner queue", tenant, conversation.Filter{Owner: assist.OwnerQueue}, []string{"c2"}},
		{"assignee", tenant, conversation.Filter{AssigneeID: u1}, []string{"c5", "c3"}},
		{"owner and assignee", tenant, conversation.Filter{Owner: assist.OwnerAgent, AssigneeID: u1}, []string{"c3"}},
		{"no match", tenant, conversation.Filter{Owner: assist.OwnerQueue, AssigneeID: u2}, nil},
		{"limit", tenant, conversation.Filter{Limit: 2}, []string{"c5", "c4"}},
		{"filter and limit", tenant, conversation.Filter{AssigneeID: u1, Limit: 1}, []string{"c5"}},
		{"other tenant", other, conversation.Filter{}, []string{"x1"}},
		{"unknown tenant", newID(), conversation.Filter{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, err := s.ListConversations(t.Context(), tt.tenant, tt.filter)
			must(t, err)
			sameIDs(t, "ListConversations", refs(list), tt.want)
			for _, c := range list {
				if c.TenantID != tt.tenant {
					t.Errorf("conversation %s of tenant %s listed for %s", c.CustomerRef, c.TenantID, tt.tenant)
				}
			}
		})
	}
}

func testListConversationsDefaultLimit(t *testing.T, s conversation.Store) {
	tenant := newID()
	for i := range 51 {
		createConversation(t, s, tenant, "c", at(i))
	}
	list, err := s.ListConversations(t.Context(), tenant, conversation.Filter{})
	must(t, err)
	if len(list) != 50 {
		t.Errorf("ListConversations with Limit 0 returned %d conversations, want the default 50", len(list))
	}
}

func testSetOwner(t *testing.T, s conversation.Store) {
	tenant := newID()
	c := createConversation(t, s, tenant, "c1", t0, func(c *assist.Conversation) {
		c.Lang, c.TokenHash = "en", hash("token")
	})
	agent := newID()
	tests := []struct {
		owner            assist.Owner
		assignee, reason string
	}{
		{assist.OwnerQueue, "", "asked_human"},
		{assist.OwnerAgent, agent, "asked_human"},
		{assist.OwnerBot, "", "agent_released"},
		{assist.OwnerClosed, "", "resolved"},
	}
	prev := c.UpdatedAt
	for _, tt := range tests {
		t.Run(string(tt.owner), func(t *testing.T) {
			must(t, s.SetOwner(t.Context(), tenant, c.ID, tt.owner, tt.assignee, tt.reason))
			got := getConversation(t, s, c)
			if got.UpdatedAt.Before(prev) || !got.UpdatedAt.After(c.UpdatedAt) {
				t.Errorf("UpdatedAt = %v, want after %v and not before %v", got.UpdatedAt, c.UpdatedAt, prev)
			}
			prev = got.UpdatedAt
			want := *c
			want.Owner, want.AssigneeID, want.Reason, want.UpdatedAt = tt.owner, tt.assignee, tt.reason, got.UpdatedAt
			same(t, "Conversation", got, &want, normConversation)
		})
	}
}

func testAppendMessage(t *testing.T, s conversation.Store) {
	c := createConversation(t, s, newID(), "c1", t0)
	tests := []struct {
		name string
		edit func(*assist.Message)
	}{
		{"customer", func(m *assist.Message) {}},
		{"with key", func(m *assist.Message) { m.IdempotencyKey = "delivery-1" }},
		{"agent", func(m *assist.Message) { m.Author, m.AuthorID = assist.AuthorAgent, newID() }},
		{"system", func(m *assist.Message) { m.Author, m.Text = assist.AuthorSystem, "已转人工 / handed over" }},
		{"not UTC", func(m *assist.Message) { m.CreatedAt = at(9).In(time.FixedZone("CST", 8*3600)) }},
	}
	var lastSeq int64
	var want []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMessage(c, assist.AuthorCustomer, tt.name)
			tt.edit(m)
			in := *m
			stored, created, err := s.AppendMessage(t.Context(), m)
			must(t, err)
			if !created {
				t.Error("created = false, want true")
			}
			if stored.Seq <= lastSeq {
				t.Errorf("Seq = %d, want more than the previous message's %d", stored.Seq, lastSeq)
			}
			lastSeq = stored.Seq
			in.Seq = stored.Seq
			same(t, "AppendMessage", stored, &in, normMessage)
			same(t, "Message", getMessage(t, s, m), &in, normMessage)
			want = append(want, m.Text)
		})
	}
	sameIDs(t, "Messages", texts(listMessages(t, s, c)), want)
}

func testAppendMessageConflict(t *testing.T, s conversation.Store) {
	c := createConversation(t, s, newID(), "c1", t0)
	m := appendMessage(t, s, c, assist.AuthorCustomer, "m1")
	dup := newMessage(c, assist.AuthorCustomer, "m2")
	dup.ID = m.ID
	_, _, err := s.AppendMessage(t.Context(), dup)
	wantCode(t, err, assist.ECONFLICT)
	sameIDs(t, "Messages", texts(listMessages(t, s, c)), []string{"m1"})
}

func testAppendIdempotent(t *testing.T, s conversation.Store) {
	tenant := newID()
	c := createConversation(t, s, tenant, "c1", t0)
	other := createConversation(t, s, tenant, "c2", t0)

	keyed := func(c *assist.Conversation, text, key string) *assist.Message {
		m := newMessage(c, assist.AuthorCustomer, text)
		m.IdempotencyKey = key
		return m
	}
	first := keyed(c, "first", "k1")
	seqs := map[*assist.Message]int64{} // Seq of each created message
	tests := []struct {
		name        string
		m           *assist.Message
		wantCreated bool
		want        *assist.Message // the message returned; nil: m itself
	}{
		{"first delivery", first, true, nil},
		{"retry", keyed(c, "retry", "k1"), false, first},
		{"retry again", keyed(c, "retry again", "k1"), false, first},
		{"other key", keyed(c, "other key", "k2"), true, nil},
		{"same key in other conversation", keyed(other, "elsewhere", "k1"), true, nil},
		{"no key", keyed(c, "no key", ""), true, nil},
		{"no key again", keyed(c, "no key again", ""), true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			if want == nil {
				want = tt.m
			}
			stored, created, err := s.AppendMessage(t.Context(), tt.m)
			must(t, err)
			if created != tt.wantCreated {
				t.Errorf("created = %v, want %v", created, tt.wantCreated)
			}
			w := *want
			w.Seq = stored.Seq
			same(t, "AppendMessage", stored, &w, normMessage)
			if created {
				seqs[tt.m] = stored.Seq
			} else {
				if stored.Seq != seqs[want] {
					t.Errorf("Seq = %d, want the first delivery's %d", stored.Seq, seqs[want])
				}
				_, err := s.Message(t.Context(), tenant, tt.m.ID)
				wantCode(t, err, assist.ENOTFOUND)
			}
		})
	}
	sameIDs(t, "Messages(c1)", texts(listMessages(t, s, c)), []string{"first", "other key", "no key", "no key again"})
	sameIDs(t, "Messages(c2)", texts(listMessages(t, s, other)), []string{"elsewhere"})
}

func testAppendIdempotentConcurrent(t *testing.T, s conversation.Store) {
	c := createConversation(t, s, newID(), "c1", t0)
	const n = 20
	var (
		wg       sync.WaitGroup
		start    = make(chan struct{})
		stored   [n]*assist.Message
		created  [n]bool
		errs     [n]error
		messages [n]*assist.Message
	)
	for i := range n {
		messages[i] = newMessage(c, assist.AuthorCustomer, "same delivery")
		messages[i].IdempotencyKey = "webhook-7"
		wg.Go(func() {
			<-start
			stored[i], created[i], errs[i] = s.AppendMessage(t.Context(), messages[i])
		})
	}
	close(start)
	wg.Wait()

	var winner *assist.Message
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("AppendMessage %d: %v", i, errs[i])
		}
		if created[i] {
			if winner != nil {
				t.Fatalf("created == true for messages %s and %s", winner.ID, messages[i].ID)
			}
			winner = messages[i]
		}
	}
	if winner == nil {
		t.Fatal("no AppendMessage returned created == true")
	}
	for i := range n {
		if stored[i].ID != winner.ID || stored[i].Seq != stored[0].Seq {
			t.Errorf("AppendMessage %d returned %s (seq %d), want %s (seq %d)",
				i, stored[i].ID, stored[i].Seq, winner.ID, stored[0].Seq)
		}
	}
	if list := listMessages(t, s, c); len(list) != 1 {
		t.Errorf("stored %d messages, want 1", len(list))
	}
}

func testAppendConcurrent(t *testing.T, s conversation.Store) {
	tenant := newID()
	convs := []*assist.Conversation{
		createConversation(t, s, tenant, "c1", t0),
		createConversation(t, s, tenant, "c2", t0),
	}
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			m := newMessage(convs[i%2], assist.AuthorCustomer, "m")
			m.IdempotencyKey = newID()
			_, _, errs[i] = s.AppendMessage(t.Context(), m)
		})
	}
	wg.Wait()
	for _, err := range errs {
		must(t, err)
	}
	seen := map[int64]bool{}
	for _, c := range convs {
		list := listMessages(t, s, c)
		if len(list) != n/2 {
			t.Errorf("conversation %s holds %d messages, want %d", c.CustomerRef, len(list), n/2)
		}
		for i, m := range list {
			if seen[m.Seq] {
				t.Errorf("Seq %d assigned twice", m.Seq)
			}
			seen[m.Seq] = true
			if i > 0 && m.Seq <= list[i-1].Seq {
				t.Errorf("Messages out of Seq order: %d after %d", m.Seq, list[i-1].Seq)
			}
		}
	}
}

func testMessagesPaging(t *testing.T, s conversation.Store) {
	tenant := newID()
	c := createConversation(t, s, tenant, "c1", t0)
	other := createConversation(t, s, tenant, "c2", t0)
	var m []*assist.Message
	var between *assist.Message // a message of other, between m3 and m4
	for i, text := range []string{"m1", "m2", "m3", "m4", "m5", "m6"} {
		if i == 3 {
			between = appendMessage(t, s, other, assist.AuthorCustomer, "x")
		}
		m = append(m, appendMessage(t, s, c, assist.AuthorCustomer, text))
	}
	for i := 1; i < len(m); i++ {
		if m[i].Seq <= m[i-1].Seq {
			t.Fatalf("Seq of %s = %d, not above %s's %d", m[i].Text, m[i].Seq, m[i-1].Text, m[i-1].Seq)
		}
	}

	tests := []struct {
		name     string
		afterSeq int64
		limit    int
		want     []string
	}{
		{"all", 0, 100, []string{"m1", "m2", "m3", "m4", "m5", "m6"}},
		{"first page", 0, 2, []string{"m1", "m2"}},
		{"next page", m[1].Seq, 3, []string{"m3", "m4", "m5"}},
		{"last page", m[4].Seq, 3, []string{"m6"}},
		{"past the end", m[5].Seq, 3, nil},
		{"after another conversation's seq", between.Seq, 100, []string{"m4", "m5", "m6"}},
		{"limit 1", m[2].Seq, 1, []string{"m4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, err := s.Messages(t.Context(), tenant, c.ID, tt.afterSeq, tt.limit)
			must(t, err)
			sameIDs(t, "Messages", texts(list), tt.want)
		})
	}

	// Walking the pages visits every message once.
	var walked []string
	for after, pages := int64(0), 0; ; pages++ {
		if pages > len(m) {
			t.Fatalf("paging did not end after %d pages: %v", pages, walked)
		}
		page, err := s.Messages(t.Context(), tenant, c.ID, after, 4)
		must(t, err)
		if len(page) == 0 {
			break
		}
		walked = append(walked, texts(page)...)
		after = page[len(page)-1].Seq
	}
	sameIDs(t, "walked pages", walked, []string{"m1", "m2", "m3", "m4", "m5", "m6"})
}

func testCompleteTurn(t *testing.T, s conversation.Store) {
	tenant := newID()
	tests := []struct {
		name      string
		replies   []string
		owner     *conversation.OwnerChange
		wantOwner assist.Owner
	}{
		{"replies", []string{"r1", "r2"}, nil, assist.OwnerBot},
		{"no replies", nil, nil, assist.OwnerBot},
		{"escalate", []string{"r1"}, &conversation.OwnerChange{Owner: assist.OwnerQueue, Reason: "asked_human"}, assist.OwnerQueue},
		{"assign", nil, &conversation.OwnerChange{Owner: assist.OwnerAgent, AssigneeID: "agent-1", Reason: "vip"}, assist.OwnerAgent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := createConversation(t, s, tenant, tt.name, t0)
			m := appendMessage(t, s, c, assist.AuthorCustomer, "question")
			if m.Handled {
				t.Error("a new customer message is handled")
			}
			var replies []*assist.Message
			for _, text := range tt.replies {
				replies = append(replies, reply(m, text))
			}
			want := make([]assist.Message, len(replies))
			for i, r := range replies {
				want[i] = *r
			}

			must(t, s.CompleteTurn(t.Context(), conversation.TurnResult{
				TenantID: tenant, ConversationID: c.ID, MessageID: m.ID, Replies: replies, Owner: tt.owner,
			}))

			last := m.Seq
			for i, r := range replies {
				if r.Seq <= last {
					t.Errorf("reply %s: Seq = %d, want above %d", r.Text, r.Seq, last)
				}
				last = r.Seq
				want[i].Seq = r.Seq
				same(t, "Message(reply)", getMessage(t, s, r), &want[i], normMessage)
			}
			got, err := s.Replies(t.Context(), tenant, m.ID)
			must(t, err)
			sameIDs(t, "Replies", texts(got), tt.replies)
			sameIDs(t, "Messages", texts(listMessages(t, s, c)), append([]string{"question"}, tt.replies...))

			if !getMessage(t, s, m).Handled {
				t.Error("message not handled")
			}
			for _, u := range unhandled(t, s) {
				if u.ID == m.ID {
					t.Error("handled message listed by Unhandled")
				}
			}

			conv := getConversation(t, s, c)
			wantConv := *c
			if tt.owner != nil {
				wantConv.Owner, wantConv.AssigneeID, wantConv.Reason = tt.owner.Owner, tt.owner.AssigneeID, tt.owner.Reason
				if !conv.UpdatedAt.After(c.UpdatedAt) {
					t.Errorf("UpdatedAt = %v, want after %v", conv.UpdatedAt, c.UpdatedAt)
				}
				wantConv.UpdatedAt = conv.UpdatedAt
			}
			same(t, "Conversation", conv, &wantConv, normConversation)
		})
	}
}

func testCompleteTurnAtomic(t *testing.T, s conversation.Store) {
	tenant := newID()
	c := createConversation(t, s, tenant, "c1", t0)
	earlier := appendMessage(t, s, c, assist.AuthorCustomer, "earlier")
	m := appendMessage(t, s, c, assist.AuthorCustomer, "question")

	good := reply(m, "good reply")
	bad := reply(m, "bad reply")
	bad.ID = earlier.ID // already stored: the second insert fails
	err := s.CompleteTurn(t.Context(), conversation.TurnResult{
		TenantID: tenant, ConversationID: c.ID, MessageID: m.ID,
		Replies: []*assist.Message{good, bad},
		Owner:   &conversation.OwnerChange{Owner: assist.OwnerQueue, Reason: "asked_human"},
	})
	wantCode(t, err, assist.ECONFLICT)

	_, err = s.Message(t.Context(), tenant, good.ID)
	wantCode(t, err, assist.ENOTFOUND)
	replies, err := s.Replies(t.Context(), tenant, m.ID)
	must(t, err)
	sameIDs(t, "Replies", texts(replies), nil)
	if getMessage(t, s, m).Handled {
		t.Error("message handled by a failed turn")
	}
	sameIDs(t, "Unhandled", texts(unhandled(t, s)), []string{"earlier", "question"})
	same(t, "Conversation", getConversation(t, s, c), c, normConversation)

	// The turn can run again and succeed.
	retry := reply(m, "retry")
	must(t, s.CompleteTurn(t.Context(), conversation.TurnResult{
		TenantID: tenant, ConversationID: c.ID, MessageID: m.ID,
		Replies: []*assist.Message{retry},
	}))
	sameIDs(t, "Messages", texts(listMessages(t, s, c)), []string{"earlier", "question", "retry"})
}

func testCompleteTurnTwice(t *testing.T, s conversation.Store) {
	tenant := newID()
	c := createConversation(t, s, tenant, "c1", t0)
	m := appendMessage(t, s, c, assist.AuthorCustomer, "question")
	turn := func(text string, owner assist.Owner) error {
		return s.CompleteTurn(t.Context(), conversation.TurnResult{
			TenantID: tenant, ConversationID: c.ID, MessageID: m.ID,
			Replies: []*assist.Message{reply(m, text)},
			Owner:   &conversation.OwnerChange{Owner: owner},
		})
	}
	must(t, turn("first", assist.OwnerBot))
	wantCode(t, turn("second", assist.OwnerClosed), assist.ECONFLICT)

	replies, err := s.Replies(t.Context(), tenant, m.ID)
	must(t, err)
	sameIDs(t, "Replies", texts(replies), []string{"first"})
	if got := getConversation(t, s, c).Owner; got != assist.OwnerBot {
		t.Errorf("Owner = %q after a refused second turn, want %q", got, assist.OwnerBot)
	}
}

// testReplyAttachments: a reply's quick replies, cards and sources come
// back as stored, from Replies and from Messages; a reply without any has
// none.
func testReplyAttachments(t *testing.T, s conversation.Store) {
	tenant := newID()
	c := createConversation(t, s, tenant, "c1", t0)
	m := appendMessage(t, s, c, assist.AuthorCustomer, "where is my order?")
	att := &assist.Attachments{
		Choices: []assist.Choice{{Label: "1. DD202611030001 (lamp)", Value: "DD202611030001"}},
		Cards: []assist.Card{{Kind: assist.CardOrder, Title: "Order DD202611030001",
			Fields: []assist.Field{{Label: "Status", Value: "shipped"}}}},
		Sources: []assist.Source{{N: 1, Title: "Shipping fees", Doc: "shipping-fees"}},
	}
	with, plain := reply(m, "which one?"), reply(m, "or tell me the number")
	with.Attachments = att
	must(t, s.CompleteTurn(t.Context(), conversation.TurnResult{
		TenantID: tenant, ConversationID: c.ID, MessageID: m.ID, Replies: []*assist.Message{with, plain},
	}))
	replies, err := s.Replies(t.Context(), tenant, m.ID)
	must(t, err)
	if len(replies) != 2 || !reflect.DeepEqual(replies[0].Attachments, att) || replies[1].Attachments != nil {
		t.Fatalf("Replies: attachments %+v and %+v, want %+v and none", replies[0].Attachments, replies[1].Attachments, att)
	}
	list := listMessages(t, s, c)
	if len(list) != 3 || !reflect.DeepEqual(list[1].Attachments, att) || list[0].Attachments != nil {
		t.Errorf("Messages: attachments not as stored: %+v", list)
	}
}

func testUnhandled(t *testing.T, s conversation.Store) {
	a := createConversation(t, s, newID(), "a", t0)
	b := createConversation(t, s, newID(), "b", t0)

	a1 := appendMessage(t, s, a, assist.AuthorCustomer, "a1")
	appendMessage(t, s, b, assist.AuthorCustomer, "b1")
	appendMessage(t, s, a, assist.AuthorAgent, "agent says")
	appendMessage(t, s, b, assist.AuthorSystem, "system says")
	appendMessage(t, s, b, assist.AuthorCustomer, "b2")
	appendMessage(t, s, a, assist.AuthorCustomer, "a2")
	must(t, s.CompleteTurn(t.Context(), conversation.TurnResult{
		TenantID: a.TenantID, ConversationID: a.ID, MessageID: a1.ID,
		Replies: []*assist.Message{reply(a1, "bot answers")},
	}))
	appendMessage(t, s, a, assist.AuthorCustomer, "a3")

	tests := []struct {
		limit int
		want  []string
	}{
		{100, []string{"b1", "b2", "a2", "a3"}},
		{2, []string{"b1", "b2"}},
		{1, []string{"b1"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("limit %d", tt.limit), func(t *testing.T) {
			list, err := s.Unhandled(t.Context(), tt.limit)
			must(t, err)
			sameIDs(t, "Unhandled", texts(list), tt.want)
			for _, m := range list {
				if m.Handled || m.Author != assist.AuthorCustomer || m.TenantID == "" {
					t.Errorf("Unhandled returned %+v", m)
				}
			}
		})
	}
}
