package conversation_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/catalog"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/dialog"
)

const tenant = "tenant-1"

var t0 = time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)

func newService(p dialog.Policy) (*conversation.Service, *memStore, *conversation.Hub) {
	store := newMemStore()
	store.now = func() time.Time { return t0 }
	hub := conversation.NewHub(64)
	s := &conversation.Service{Store: store, Policy: p, Hub: hub, Now: func() time.Time { return t0 }}
	return s, store, hub
}

func staff(role assist.Role) assist.Principal {
	return assist.Principal{TenantID: tenant, UserID: "user-" + string(role), Role: role}
}

// start creates a conversation and returns it with its customer principal.
func start(t *testing.T, s *conversation.Service, in conversation.NewConversation) (*assist.Conversation, assist.Principal) {
	t.Helper()
	c, tok, err := s.Create(context.Background(), tenant, in)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	p, err := s.Authorize(context.Background(), c.ID, tok)
	if err != nil {
		t.Fatalf("Authorize own token: %v", err)
	}
	return c, p
}

func post(t *testing.T, s *conversation.Service, p assist.Principal, convID, text string) *conversation.PostResult {
	t.Helper()
	res, err := s.Post(context.Background(), p, convID, conversation.NewMessage{Text: text})
	if err != nil {
		t.Fatalf("Post %q: %v", text, err)
	}
	return res
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := assist.ErrorCode(err); got != code {
		t.Errorf("error = %v (code %q), want code %q", err, got, code)
	}
}

func conv(t *testing.T, s *conversation.Service, id string) *assist.Conversation {
	t.Helper()
	c, err := s.Get(context.Background(), staff(assist.RoleAdmin), id)
	if err != nil {
		t.Fatalf("Get %s: %v", id, err)
	}
	return c
}

// echo is a policy that answers every turn and never hands off.
var echo = dialog.PolicyFunc(func(_ context.Context, t dialog.Turn) (dialog.Reply, error) {
	return dialog.Reply{Messages: []string{"re: " + t.Message.Text}}, nil
})

// failing is a policy that always fails.
var failing = dialog.PolicyFunc(func(context.Context, dialog.Turn) (dialog.Reply, error) {
	return dialog.Reply{}, errors.New("model backend down")
})

// drain returns the events already waiting on sub.
func drain(sub *conversation.Subscription) []conversation.Event {
	var out []conversation.Event
	for {
		select {
		case e, ok := <-sub.C:
			if !ok {
				return out
			}
			out = append(out, e)
		default:
			return out
		}
	}
}

func TestCreate(t *testing.T) {
	tests := []struct {
		name     string
		tenant   string
		in       conversation.NewConversation
		wantCode string
		want     assist.Conversation // Channel, CustomerRef, Lang checked
	}{
		{name: "defaults", tenant: tenant, want: assist.Conversation{Channel: "api"}},
		{name: "all fields", tenant: tenant, in: conversation.NewConversation{Channel: " web ", CustomerRef: "客户-42", Lang: "zh", By: staff(assist.RoleAgent)},
			want: assist.Conversation{Channel: "web", CustomerRef: "客户-42", Lang: "zh"}},
		{name: "no tenant", tenant: "", wantCode: assist.EINVALID},
		{name: "channel with space", tenant: tenant, in: conversation.NewConversation{Channel: "we b"}, wantCode: assist.EINVALID},
		{name: "channel too long", tenant: tenant, in: conversation.NewConversation{Channel: strings.Repeat("a", 33)}, wantCode: assist.EINVALID},
		{name: "customer ref at the limit", tenant: tenant, in: conversation.NewConversation{CustomerRef: strings.Repeat("é", conversation.MaxCustomerRef), By: staff(assist.RoleAgent)},
			want: assist.Conversation{Channel: "api", CustomerRef: strings.Repeat("é", conversation.MaxCustomerRef)}},
		{name: "customer ref too long", tenant: tenant, in: conversation.NewConversation{CustomerRef: strings.Repeat("a", conversation.MaxCustomerRef+1)}, wantCode: assist.EINVALID},
		{name: "customer ref not UTF-8", tenant: tenant, in: conversation.NewConversation{CustomerRef: "\xff"}, wantCode: assist.EINVALID},
		{name: "unknown language", tenant: tenant, in: conversation.NewConversation{Lang: "fr"}, wantCode: assist.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, store, _ := newService(echo)
			c, tok, err := s.Create(context.Background(), tt.tenant, tt.in)
			if tt.wantCode != "" {
				wantCode(t, err, tt.wantCode)
				if len(store.convs) != 0 {
					t.Errorf("a refused conversation was stored")
				}
				return
			}
			if err != nil {
				t.Fatalf("Create: %v", err)
			}
			if c.Channel != tt.want.Channel || c.CustomerRef != tt.want.CustomerRef || c.Lang != tt.want.Lang {
				t.Errorf("Create = channel %q ref %q lang %q, want %q %q %q", c.Channel, c.CustomerRef, c.Lang, tt.want.Channel, tt.want.CustomerRef, tt.want.Lang)
			}
			if c.Owner != assist.OwnerBot || c.TenantID != tenant || c.ID == "" || !c.CreatedAt.Equal(t0) {
				t.Errorf("Create = %+v, want a new bot-owned conversation of %s created at t0", c, tenant)
			}
			stored, err := store.Conversation(context.Background(), tenant, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			h := sha256.Sum256([]byte(tok))
			if !conversation.IsCustomerToken(tok) || !bytes.Equal(stored.TokenHash, h[:]) {
				t.Errorf("token %q: want a customer token stored as its SHA-256", tok)
			}
		})
	}
}

func TestAuthorize(t *testing.T) {
	s, _, _ := newService(echo)
	ctx := context.Background()
	a, tokA, err := s.Create(ctx, tenant, conversation.NewConversation{})
	if err != nil {
		t.Fatal(err)
	}
	b, tokB, err := s.Create(ctx, tenant, conversation.NewConversation{})
	if err != nil {
		t.Fatal(err)
	}
	_, tokOther, err := s.Create(ctx, "tenant-2", conversation.NewConversation{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, convID, token, wantCode string
	}{
		{"own token", a.ID, tokA, ""},
		{"own token, other conversation", b.ID, tokA, assist.ENOTFOUND},
		{"other conversation's token", a.ID, tokB, assist.ENOTFOUND},
		{"token of another tenant", a.ID, tokOther, assist.ENOTFOUND},
		{"forged secret", a.ID, "ct." + tenant + ".forged", assist.ENOTFOUND},
		{"no tenant part", a.ID, "ct.garbage", assist.EUNAUTHORIZED},
		{"empty tenant part", a.ID, "ct..secret", assist.EUNAUTHORIZED},
		{"not a customer token", a.ID, "st.whatever", assist.EUNAUTHORIZED},
		{"empty", a.ID, "", assist.EUNAUTHORIZED},
		{"unknown conversation", "no-such-id", tokA, assist.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := s.Authorize(ctx, tt.convID, tt.token)
			if tt.wantCode != "" {
				wantCode(t, err, tt.wantCode)
				if p != (assist.Principal{}) {
					t.Errorf("refused Authorize returned principal %+v", p)
				}
				// The message of a refusal says nothing about the conversation asked for.
				if msg := assist.ErrorMessage(err); strings.Contains(msg, tt.convID) {
					t.Errorf("error message %q names the conversation", msg)
				}
				return
			}
			if err != nil {
				t.Fatalf("Authorize: %v", err)
			}
			want := assist.Principal{TenantID: tenant, Role: assist.RoleCustomer, ConversationID: tt.convID}
			if p != want {
				t.Errorf("Authorize = %+v, want %+v", p, want)
			}
		})
	}
}

func TestGetScopes(t *testing.T) {
	s, _, _ := newService(echo)
	a, custA := start(t, s, conversation.NewConversation{})
	b, _ := start(t, s, conversation.NewConversation{})
	tests := []struct {
		name     string
		p        assist.Principal
		id       string
		wantCode string
	}{
		{"customer, own conversation", custA, a.ID, ""},
		{"customer, another conversation", custA, b.ID, assist.ENOTFOUND},
		{"agent", staff(assist.RoleAgent), b.ID, ""},
		{"staff of another tenant", assist.Principal{TenantID: "tenant-2", UserID: "u", Role: assist.RoleAdmin}, a.ID, assist.ENOTFOUND},
		{"no role", assist.Principal{TenantID: tenant}, a.ID, assist.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := s.Get(context.Background(), tt.p, tt.id)
			if tt.wantCode != "" {
				wantCode(t, err, tt.wantCode)
				if c != nil {
					t.Errorf("refused Get returned %+v", c)
				}
				return
			}
			if err != nil || c.ID != tt.id {
				t.Errorf("Get = %v, %v; want conversation %s", c, err, tt.id)
			}
		})
	}
}

func TestPostCustomerHandsOffToQueue(t *testing.T) {
	tests := []struct {
		name, lang, text, wantLang string
	}{
		{"english text", "", "Where is my order?", "en"},
		{"chinese text", "", "我的订单到哪里了？", "zh"},
		{"chinese conversation", "zh", "order 123?", "zh"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, store, hub := newService(dialog.HandoffPolicy{})
			c, cust := start(t, s, conversation.NewConversation{Lang: tt.lang})
			sub := hub.Subscribe(tenant, c.ID)
			defer sub.Close()

			first := post(t, s, cust, c.ID, tt.text)
			if !first.Created || first.Message.Author != assist.AuthorCustomer || first.Message.Text != tt.text || first.Message.Seq == 0 {
				t.Errorf("first message = %+v, created %v", first.Message, first.Created)
			}
			if len(first.Replies) != 1 || first.Replies[0].Text != dialog.HandoffText(tt.wantLang) ||
				first.Replies[0].Author != assist.AuthorBot || first.Replies[0].ReplyTo != first.Message.ID ||
				first.Replies[0].Seq <= first.Message.Seq {
				t.Fatalf("first replies = %+v, want the %s handoff text replying to %s", first.Replies, tt.wantLang, first.Message.ID)
			}
			got := conv(t, s, c.ID)
			if got.Owner != assist.OwnerQueue || got.Reason != dialog.ReasonNoAutomation {
				t.Errorf("after the first turn: owner %q reason %q, want queue/%s", got.Owner, got.Reason, dialog.ReasonNoAutomation)
			}

			second := post(t, s, cust, c.ID, "hello?")
			if len(second.Replies) != 0 {
				t.Errorf("second message got bot replies %+v; a person owns the conversation", second.Replies)
			}
			if un, _ := store.Unhandled(context.Background(), 0); len(un) != 0 {
				t.Errorf("unhandled after both turns: %+v", un)
			}

			var kinds []string
			for _, e := range drain(sub) {
				k := e.Type
				if e.Message != nil {
					k += ":" + string(e.Message.Author)
				}
				if e.Owner != "" {
					k += ":" + string(e.Owner)
				}
				kinds = append(kinds, k)
			}
			want := []string{"message:customer", "message:bot", "status:queue", "message:customer"}
			if !slices.Equal(kinds, want) {
				t.Errorf("events = %v, want %v", kinds, want)
			}
		})
	}
}

// assignTo makes agentID the conversation's owner, as routing does when
// an agent accepts or claims it.
func assignTo(t *testing.T, s *conversation.Service, id, agentID string) {
	t.Helper()
	if err := s.SetOwner(context.Background(), tenant, id, assist.OwnerAgent, agentID, "claimed"); err != nil {
		t.Fatal(err)
	}
}

// Staff write only in a conversation a person owns: the agent in their
// own, a supervisor also in a colleague's (joining with a note, once);
// a message never changes the owner and the bot stays silent.
func TestAgentPostsOnlyInTheirConversation(t *testing.T) {
	var calls atomic.Int32
	p := dialog.PolicyFunc(func(ctx context.Context, t dialog.Turn) (dialog.Reply, error) {
		calls.Add(1)
		return echo(ctx, t)
	})
	s, store, _ := newService(p)
	ctx := context.Background()
	c, cust := start(t, s, conversation.NewConversation{Lang: "en"})
	agent := staff(assist.RoleAgent)
	colleague := assist.Principal{TenantID: tenant, UserID: "colleague", Role: assist.RoleAgent}
	sup := staff(assist.RoleSupervisor)

	// The bot has it: posting does not take it.
	if _, err := s.Post(ctx, agent, c.ID, conversation.NewMessage{Text: "Hi"}); assist.ErrorCode(err) != assist.ECONFLICT {
		t.Errorf("agent writes in the bot's conversation: %v, want conflict", err)
	}
	if got := conv(t, s, c.ID); got.Owner != assist.OwnerBot {
		t.Fatalf("a refused post changed the owner: %+v", got)
	}
	assignTo(t, s, c.ID, agent.UserID)
	calls.Store(0)
	res := post(t, s, agent, c.ID, "Hi, I'm Ann from the shop.")
	if res.Message.Author != assist.AuthorAgent || res.Message.AuthorID != agent.UserID || len(res.Replies) != 0 {
		t.Errorf("agent post = %+v, replies %+v", res.Message, res.Replies)
	}
	if got := conv(t, s, c.ID); got.Owner != assist.OwnerAgent || got.AssigneeID != agent.UserID || got.Reason != "claimed" {
		t.Errorf("after the agent's message: %+v", got)
	}
	if _, err := s.Post(ctx, colleague, c.ID, conversation.NewMessage{Text: "I'll take it"}); assist.ErrorCode(err) != assist.EFORBIDDEN {
		t.Errorf("a colleague writes in an assigned conversation: %v, want forbidden", err)
	}
	post(t, s, sup, c.ID, "Supervisor here, checking in.")
	post(t, s, sup, c.ID, "All good.")
	var notes []string
	for _, m := range store.all() {
		if m.ConversationID == c.ID && m.Author == assist.AuthorSystem {
			notes = append(notes, m.Text)
		}
	}
	if len(notes) != 1 || notes[0] != catalog.Default().Say("en", "conversation.supervisor_joined") {
		t.Errorf("join notes %q, want one", notes)
	}
	if got := conv(t, s, c.ID); got.AssigneeID != agent.UserID {
		t.Errorf("the supervisor's message took the conversation: %+v", got)
	}
	if res := post(t, s, cust, c.ID, "thanks"); len(res.Replies) != 0 {
		t.Errorf("customer got bot replies %+v while an agent owns the conversation", res.Replies)
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("policy called %d times; the bot must stay silent", n)
	}
	if un, _ := store.Unhandled(ctx, 0); len(un) != 0 {
		t.Errorf("unhandled messages left: %+v", un)
	}
}

func TestPostRefusals(t *testing.T) {
	s, store, _ := newService(echo)
	ctx := context.Background()
	a, custA := start(t, s, conversation.NewConversation{})
	b, _ := start(t, s, conversation.NewConversation{})
	closed, _ := start(t, s, conversation.NewConversation{})
	if err := store.SetOwner(ctx, tenant, closed.ID, assist.OwnerClosed, "", "resolved"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		p        assist.Principal
		convID   string
		in       conversation.NewMessage
		wantCode string
	}{
		{"knowledge manager", staff(assist.RoleKnowledge), a.ID, conversation.NewMessage{Text: "hi"}, assist.EFORBIDDEN},
		{"customer of another conversation", custA, b.ID, conversation.NewMessage{Text: "hi"}, assist.ENOTFOUND},
		{"staff of another tenant", assist.Principal{TenantID: "tenant-2", UserID: "x", Role: assist.RoleAgent}, a.ID, conversation.NewMessage{Text: "hi"}, assist.ENOTFOUND},
		{"unknown conversation", staff(assist.RoleAgent), "nope", conversation.NewMessage{Text: "hi"}, assist.ENOTFOUND},
		{"closed conversation", staff(assist.RoleAgent), closed.ID, conversation.NewMessage{Text: "hi"}, assist.ECONFLICT},
		{"empty text", custA, a.ID, conversation.NewMessage{Text: " \n\t "}, assist.EINVALID},
		{"text not UTF-8", custA, a.ID, conversation.NewMessage{Text: "a\xffb"}, assist.EINVALID},
		{"text too long", custA, a.ID, conversation.NewMessage{Text: strings.Repeat("字", conversation.DefaultMaxMessageRunes+1)}, assist.ETOOLARGE},
		{"key with a space", custA, a.ID, conversation.NewMessage{Text: "hi", IdempotencyKey: "a b"}, assist.EINVALID},
		{"key not ASCII", custA, a.ID, conversation.NewMessage{Text: "hi", IdempotencyKey: "ключ"}, assist.EINVALID},
		{"key too long", custA, a.ID, conversation.NewMessage{Text: "hi", IdempotencyKey: strings.Repeat("k", conversation.MaxIdempotencyKey+1)}, assist.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(store.all())
			res, err := s.Post(ctx, tt.p, tt.convID, tt.in)
			wantCode(t, err, tt.wantCode)
			if res != nil {
				t.Errorf("refused Post returned %+v", res)
			}
			if after := len(store.all()); after != before {
				t.Errorf("a refused Post stored %d messages", after-before)
			}
		})
	}
}

func TestPostCleansTextAndHonoursLimit(t *testing.T) {
	s, _, _ := newService(echo)
	s.MaxMessageRunes = 5
	c, cust := start(t, s, conversation.NewConversation{})
	res := post(t, s, cust, c.ID, "  a\x00b\u200b\r\n ")
	if res.Message.Text != "ab\u200b" {
		t.Errorf("stored text %q, want %q", res.Message.Text, "ab\u200b")
	}
	post(t, s, cust, c.ID, "你好世界！") // exactly 5 characters, 15 bytes
	_, err := s.Post(context.Background(), cust, c.ID, conversation.NewMessage{Text: "123456"})
	wantCode(t, err, assist.ETOOLARGE)
}

func TestPostIdempotency(t *testing.T) {
	var calls atomic.Int32
	p := dialog.PolicyFunc(func(ctx context.Context, t dialog.Turn) (dialog.Reply, error) {
		calls.Add(1)
		return echo(ctx, t)
	})
	s, store, hub := newService(p)
	ctx := context.Background()
	c, cust := start(t, s, conversation.NewConversation{})
	sub := hub.Subscribe(tenant, c.ID)
	defer sub.Close()

	in := conversation.NewMessage{Text: "where is my order?", IdempotencyKey: strings.Repeat("k", conversation.MaxIdempotencyKey)}
	first, err := s.Post(ctx, cust, c.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	events := len(drain(sub))
	retry, err := s.Post(ctx, cust, c.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Created || retry.Created {
		t.Errorf("created = %v then %v, want true then false", first.Created, retry.Created)
	}
	if retry.Message.ID != first.Message.ID || retry.Message.Seq != first.Message.Seq {
		t.Errorf("retry returned message %s/%d, want %s/%d", retry.Message.ID, retry.Message.Seq, first.Message.ID, first.Message.Seq)
	}
	if len(retry.Replies) != 1 || retry.Replies[0].ID != first.Replies[0].ID {
		t.Errorf("retry replies = %+v, want the first attempt's %+v", retry.Replies, first.Replies)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("policy ran %d times, want 1", n)
	}
	if got := drain(sub); len(got) != 0 || events != 2 {
		t.Errorf("events: %d for the first post, then %+v for the retry; want 2 then none", events, got)
	}
	if n := len(store.all()); n != 2 {
		t.Errorf("%d messages stored, want the message and one reply", n)
	}

	_, err = s.Post(ctx, cust, c.ID, conversation.NewMessage{Text: "something else", IdempotencyKey: in.IdempotencyKey})
	wantCode(t, err, assist.ECONFLICT)

	// The key is scoped to its conversation.
	other, cust2 := start(t, s, conversation.NewConversation{})
	res, err := s.Post(ctx, cust2, other.ID, in)
	if err != nil || !res.Created {
		t.Errorf("same key in another conversation = %+v, %v; want a new message", res, err)
	}
}

func TestPolicyErrorHandsOff(t *testing.T) {
	for _, tt := range []struct{ text, lang string }{{"refund please", "en"}, {"我要退款", "zh"}} {
		t.Run(tt.lang, func(t *testing.T) {
			s, store, _ := newService(failing)
			c, cust := start(t, s, conversation.NewConversation{})
			res := post(t, s, cust, c.ID, tt.text)
			if len(res.Replies) != 1 || res.Replies[0].Text != dialog.ErrorText(tt.lang) {
				t.Errorf("replies = %+v, want the %s error text", res.Replies, tt.lang)
			}
			got := conv(t, s, c.ID)
			if got.Owner != assist.OwnerQueue || got.Reason != dialog.ReasonBotError {
				t.Errorf("owner %q reason %q, want queue/%s", got.Owner, got.Reason, dialog.ReasonBotError)
			}
			m, err := store.Message(context.Background(), tenant, res.Message.ID)
			if err != nil || m.Text != tt.text || !m.Handled {
				t.Errorf("stored message = %+v, %v; want it stored and handled", m, err)
			}
		})
	}
}

// The turn has a deadline (30 s unless set); a policy that runs past it
// counts as failed. synctest's clock makes the wait instant.
func TestTurnTimeout(t *testing.T) {
	for _, tt := range []struct {
		timeout, want time.Duration
	}{{0, 30 * time.Second}, {5 * time.Second, 5 * time.Second}} {
		t.Run(tt.want.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var waited time.Duration
				p := dialog.PolicyFunc(func(ctx context.Context, _ dialog.Turn) (dialog.Reply, error) {
					start := time.Now()
					<-ctx.Done()
					waited = time.Since(start)
					return dialog.Reply{}, ctx.Err()
				})
				s, _, _ := newService(p)
				s.TurnTimeout = tt.timeout
				c, cust := start(t, s, conversation.NewConversation{})
				res := post(t, s, cust, c.ID, "hello")
				if waited != tt.want {
					t.Errorf("policy ran %v before its deadline, want %v", waited, tt.want)
				}
				if len(res.Replies) != 1 || res.Replies[0].Text != dialog.ErrorText("en") || conv(t, s, c.ID).Reason != dialog.ReasonBotError {
					t.Errorf("replies %+v: want the error text and a bot_error handoff", res.Replies)
				}
			})
		})
	}
}

// A client that hangs up does not cut the turn short.
func TestTurnOutlivesTheClient(t *testing.T) {
	var sawErr error
	p := dialog.PolicyFunc(func(ctx context.Context, t dialog.Turn) (dialog.Reply, error) {
		sawErr = ctx.Err()
		return echo(ctx, t)
	})
	s, _, _ := newService(p)
	c, cust := start(t, s, conversation.NewConversation{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := s.Post(ctx, cust, c.ID, conversation.NewMessage{Text: "hi"})
	if err != nil || len(res.Replies) != 1 || sawErr != nil {
		t.Errorf("Post with a gone client = %+v, %v; policy saw ctx error %v", res, err, sawErr)
	}
}

func TestTurnsOfOneConversationRunOneAtATime(t *testing.T) {
	const convs, perConv = 4, 25
	s, store, _ := newService(nil)

	// The first turn of each conversation is held until every message is
	// stored, so all the other posts queue up behind it; were turns not
	// serialised, they would run alongside it.
	gate := make(chan struct{})
	var appended atomic.Int32
	store.AfterAppend = func(*assist.Message) {
		if appended.Add(1) == convs*perConv {
			close(gate)
		}
	}
	var (
		mu        sync.Mutex
		active    = map[string]int{}
		maxActive = map[string]int{}
		calls     = map[string]int{} // by message id
	)
	s.Policy = dialog.PolicyFunc(func(ctx context.Context, t dialog.Turn) (dialog.Reply, error) {
		cid := t.Conversation.ID
		mu.Lock()
		active[cid]++
		maxActive[cid] = max(maxActive[cid], active[cid])
		calls[t.Message.ID]++
		mu.Unlock()
		<-gate
		for range 20 {
			runtime.Gosched()
		}
		mu.Lock()
		active[cid]--
		mu.Unlock()
		return echo(ctx, t)
	})

	var wg sync.WaitGroup
	errs := make(chan error, convs*perConv)
	var ids []string
	for range convs {
		c, cust := start(t, s, conversation.NewConversation{})
		ids = append(ids, c.ID)
		for i := range perConv {
			wg.Go(func() {
				res, err := s.Post(context.Background(), cust, c.ID, conversation.NewMessage{Text: fmt.Sprint("message ", i)})
				if err == nil && len(res.Replies) != 1 {
					err = fmt.Errorf("message %d got %d replies", i, len(res.Replies))
				}
				if err != nil {
					errs <- err
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, id := range ids {
		if maxActive[id] != 1 {
			t.Errorf("conversation %s: %d turns ran at once, want 1", id, maxActive[id])
		}
	}
	if len(calls) != convs*perConv {
		t.Errorf("policy saw %d messages, want %d", len(calls), convs*perConv)
	}
	for id, n := range calls {
		if n != 1 {
			t.Errorf("message %s: policy ran %d times", id, n)
		}
	}
	replies := map[string]int{}
	for _, m := range store.all() {
		if m.ReplyTo != "" {
			replies[m.ReplyTo]++
		}
	}
	for id := range calls {
		if replies[id] != 1 {
			t.Errorf("message %s has %d replies, want 1", id, replies[id])
		}
	}
}

func TestTurnsOfDifferentConversationsRunInParallel(t *testing.T) {
	entered := make(chan string, 2)
	release := make(chan struct{})
	p := dialog.PolicyFunc(func(ctx context.Context, t dialog.Turn) (dialog.Reply, error) {
		entered <- t.Conversation.ID
		<-release
		return echo(ctx, t)
	})
	s, _, _ := newService(p)
	var wg sync.WaitGroup
	for range 2 {
		c, cust := start(t, s, conversation.NewConversation{})
		wg.Go(func() {
			if _, err := s.Post(context.Background(), cust, c.ID, conversation.NewMessage{Text: "hi"}); err != nil {
				t.Error(err)
			}
		})
	}
	defer wg.Wait()
	defer close(release)
	// Both turns must be inside the policy at the same time. The timer only
	// turns a deadlock into a failure.
	guard := time.NewTimer(10 * time.Second)
	defer guard.Stop()
	seen := map[string]bool{}
	for len(seen) < 2 {
		select {
		case id := <-entered:
			seen[id] = true
		case <-guard.C:
			t.Fatalf("only %d of 2 conversations' turns started while the other was running", len(seen))
		}
	}
}

// storeUnhandled stores a customer message as if the process had died
// before its turn ran.
func storeUnhandled(t *testing.T, store *memStore, convID, id, text string) {
	t.Helper()
	_, _, err := store.AppendMessage(context.Background(), &assist.Message{
		ID: id, TenantID: tenant, ConversationID: convID, Author: assist.AuthorCustomer, Text: text, CreatedAt: t0,
	})
	if err != nil {
		t.Fatal(err)
	}
}

// countingPolicy is echo counting its calls per message.
type countingPolicy struct {
	mu    sync.Mutex
	calls map[string]int
}

func (p *countingPolicy) Respond(ctx context.Context, t dialog.Turn) (dialog.Reply, error) {
	p.mu.Lock()
	if p.calls == nil {
		p.calls = map[string]int{}
	}
	p.calls[t.Message.ID]++
	p.mu.Unlock()
	return echo(ctx, t)
}

func (p *countingPolicy) count(id string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls[id]
}

func repliesTo(store *memStore) map[string][]string {
	out := map[string][]string{}
	for _, m := range store.all() {
		if m.ReplyTo != "" {
			out[m.ReplyTo] = append(out[m.ReplyTo], m.Text)
		}
	}
	return out
}

func TestRecoverRunsUnhandledTurnsOnce(t *testing.T) {
	policy := &countingPolicy{}
	s, store, _ := newService(policy)
	ctx := context.Background()
	a, _ := start(t, s, conversation.NewConversation{})
	b, _ := start(t, s, conversation.NewConversation{})
	storeUnhandled(t, store, a.ID, "m1", "one")
	storeUnhandled(t, store, b.ID, "m2", "two")
	storeUnhandled(t, store, a.ID, "m3", "three")
	assignTo(t, s, b.ID, staff(assist.RoleAgent).UserID)
	post(t, s, staff(assist.RoleAgent), b.ID, "an agent message is never a turn")

	n, err := s.Recover(ctx)
	if err != nil || n != 3 {
		t.Fatalf("Recover = %d, %v; want 3 turns", n, err)
	}
	replies := repliesTo(store)
	for id, text := range map[string]string{"m1": "one", "m3": "three"} {
		if policy.count(id) != 1 || !slices.Equal(replies[id], []string{"re: " + text}) {
			t.Errorf("%s: policy ran %d times, replies %q; want once with one reply", id, policy.count(id), replies[id])
		}
	}
	// m2's conversation was taken over by the agent: its turn runs, the bot stays silent.
	if policy.count("m2") != 0 || len(replies["m2"]) != 0 {
		t.Errorf("m2 in an agent's conversation: policy ran %d times, replies %q", policy.count("m2"), replies["m2"])
	}
	// Turns of one conversation ran in order: m1's reply before m3's.
	var order []string
	for _, m := range store.all() {
		if m.ConversationID == a.ID && m.Author == assist.AuthorBot {
			order = append(order, m.ReplyTo)
		}
	}
	if !slices.Equal(order, []string{"m1", "m3"}) {
		t.Errorf("bot replies in conversation a answer %v, want [m1 m3]", order)
	}

	if n, err := s.Recover(ctx); err != nil || n != 0 {
		t.Errorf("second Recover = %d, %v; want nothing to do", n, err)
	}
	if policy.count("m1") != 1 {
		t.Errorf("the second Recover ran m1 again")
	}
}

// A turn that failed to complete (a crash, simulated by a store error) is
// run by Recover; a retry and a concurrent Recover do not run it again.
func TestRecoverAfterFailedTurn(t *testing.T) {
	policy := &countingPolicy{}
	s, store, _ := newService(policy)
	ctx := context.Background()
	var fail atomic.Bool
	fail.Store(true)
	store.BeforeCompleteTurn = func(conversation.TurnResult) error {
		if fail.Load() {
			return errors.New("disk I/O error")
		}
		return nil
	}
	type sent struct {
		p      assist.Principal
		convID string
		in     conversation.NewMessage
		id     string
	}
	var msgs []sent
	for i := range 5 {
		c, cust := start(t, s, conversation.NewConversation{})
		in := conversation.NewMessage{Text: fmt.Sprint("question ", i), IdempotencyKey: fmt.Sprint("key-", i)}
		// The message is durable, so it is acknowledged, without replies;
		// its turn runs later.
		res, err := s.Post(ctx, cust, c.ID, in)
		if err != nil || res == nil || !res.Created || len(res.Replies) != 0 {
			t.Fatalf("Post with a failing turn = %+v, %v; want the stored message, no replies", res, err)
		}
		stored, err := store.Messages(ctx, tenant, c.ID, 0, 0)
		if err != nil || len(stored) != 1 || stored[0].Handled {
			t.Fatalf("after the failed turn: %+v, %v; want the message stored, unhandled", stored, err)
		}
		msgs = append(msgs, sent{cust, c.ID, in, stored[0].ID})
	}
	fail.Store(false)

	// Two Recovers and every client's retry, all at once.
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if _, err := s.Recover(ctx); err != nil {
				t.Errorf("Recover: %v", err)
			}
		})
	}
	for _, m := range msgs {
		wg.Go(func() {
			res, err := s.Post(ctx, m.p, m.convID, m.in)
			if err != nil {
				t.Errorf("retry: %v", err)
				return
			}
			if res.Created || res.Message.ID != m.id || len(res.Replies) != 1 {
				t.Errorf("retry = created %v, message %s, %d replies; want the stored message and its one reply", res.Created, res.Message.ID, len(res.Replies))
			}
		})
	}
	wg.Wait()

	replies := repliesTo(store)
	for _, m := range msgs {
		// Once for the failed attempt, once more to complete it.
		if n := policy.count(m.id); n != 2 {
			t.Errorf("%s: policy ran %d times, want 2", m.id, n)
		}
		if !slices.Equal(replies[m.id], []string{"re: " + m.in.Text}) {
			t.Errorf("%s: replies %q, want exactly one", m.id, replies[m.id])
		}
	}
	if n, err := s.Recover(ctx); n != 0 || err != nil {
		t.Errorf("Recover after all turns ran = %d, %v", n, err)
	}
}

func TestRecoverGivesUpWhenNoTurnCanRun(t *testing.T) {
	s, store, _ := newService(echo)
	store.BeforeCompleteTurn = func(conversation.TurnResult) error { return errors.New("disk full") }
	c, _ := start(t, s, conversation.NewConversation{})
	storeUnhandled(t, store, c.ID, "m1", "hello")
	n, err := s.Recover(context.Background())
	if err == nil || n != 0 {
		t.Errorf("Recover = %d, %v; want an error and no turn", n, err)
	}
}

func TestRecoverStopsWhenCancelled(t *testing.T) {
	s, store, _ := newService(echo)
	c, _ := start(t, s, conversation.NewConversation{})
	storeUnhandled(t, store, c.ID, "m1", "hello")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if n, err := s.Recover(ctx); !errors.Is(err, context.Canceled) || n != 0 {
		t.Errorf("Recover with a cancelled context = %d, %v", n, err)
	}
}

func TestList(t *testing.T) {
	s, _, _ := newService(dialog.HandoffPolicy{})
	ctx := context.Background()
	var ids []string
	for i := range 3 {
		s.Now = func() time.Time { return t0.Add(time.Duration(i) * time.Minute) }
		c, cust := start(t, s, conversation.NewConversation{})
		ids = append(ids, c.ID)
		if i == 0 {
			post(t, s, cust, c.ID, "help") // hands off to the queue
		}
	}
	_, _, err := s.Create(ctx, "tenant-2", conversation.NewConversation{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		p        assist.Principal
		f        conversation.Filter
		want     []string
		wantCode string
	}{
		{"all, newest first", staff(assist.RoleAgent), conversation.Filter{}, []string{ids[2], ids[1], ids[0]}, ""},
		{"queue", staff(assist.RoleSupervisor), conversation.Filter{Owner: assist.OwnerQueue}, []string{ids[0]}, ""},
		{"limit", staff(assist.RoleAdmin), conversation.Filter{Limit: 2}, []string{ids[2], ids[1]}, ""},
		{"limit over the maximum", staff(assist.RoleAdmin), conversation.Filter{Limit: conversation.MaxPageSize + 1}, []string{ids[2], ids[1], ids[0]}, ""},
		{"unknown owner", staff(assist.RoleAgent), conversation.Filter{Owner: "nobody"}, nil, assist.EINVALID},
		{"customer", assist.Principal{TenantID: tenant, Role: assist.RoleCustomer, ConversationID: ids[0]}, conversation.Filter{}, nil, assist.EFORBIDDEN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, err := s.List(ctx, tt.p, tt.f)
			if tt.wantCode != "" {
				wantCode(t, err, tt.wantCode)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range cs {
				got = append(got, c.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("List = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMessagesPaging(t *testing.T) {
	s, _, _ := newService(echo)
	ctx := context.Background()
	c, cust := start(t, s, conversation.NewConversation{})
	other, custOther := start(t, s, conversation.NewConversation{})
	otherMsg := post(t, s, custOther, other.ID, "elsewhere").Message
	var all []string
	for i := range 3 {
		res := post(t, s, cust, c.ID, fmt.Sprint("q", i))
		all = append(all, res.Message.ID, res.Replies[0].ID)
	}
	ids := func(ms []*assist.Message) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.ID)
		}
		return out
	}
	tests := []struct {
		name     string
		after    string
		limit    int
		want     []string
		wantCode string
	}{
		{"all", "", 0, all, ""},
		{"limit", "", 2, all[:2], ""},
		{"after", all[1], 0, all[2:], ""},
		{"after and limit", all[1], 3, all[2:5], ""},
		{"after the last", all[5], 0, nil, ""},
		{"after an unknown message", "nope", 0, nil, assist.EINVALID},
		{"after another conversation's message", otherMsg.ID, 0, nil, assist.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := s.Messages(ctx, cust, c.ID, tt.after, tt.limit)
			if tt.wantCode != "" {
				wantCode(t, err, tt.wantCode)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(ms); !slices.Equal(got, tt.want) {
				t.Errorf("Messages = %v, want %v", got, tt.want)
			}
		})
	}
	if _, err := s.Messages(ctx, custOther, c.ID, "", 0); assist.ErrorCode(err) != assist.ENOTFOUND {
		t.Errorf("another conversation's customer reading messages: %v, want not found", err)
	}
}

func TestTyping(t *testing.T) {
	s, _, hub := newService(echo)
	c, cust := start(t, s, conversation.NewConversation{})
	other, _ := start(t, s, conversation.NewConversation{})
	sub := hub.Subscribe(tenant, c.ID)
	defer sub.Close()
	ctx := context.Background()
	if err := s.Typing(ctx, cust, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Typing(ctx, staff(assist.RoleAgent), c.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.Typing(ctx, cust, other.ID), assist.ENOTFOUND)
	var got []assist.Author
	for _, e := range drain(sub) {
		if e.Type != conversation.EventTyping || e.ConversationID != c.ID {
			t.Errorf("unexpected event %+v", e)
		}
		got = append(got, e.Author)
	}
	if want := []assist.Author{assist.AuthorCustomer, assist.AuthorAgent}; !slices.Equal(got, want) {
		t.Errorf("typing authors = %v, want %v", got, want)
	}
}

// A Service without a Hub works; nothing is published.
func TestNoHub(t *testing.T) {
	s, _, _ := newService(dialog.HandoffPolicy{})
	s.Hub = nil
	c, cust := start(t, s, conversation.NewConversation{})
	post(t, s, cust, c.ID, "hi")
	if err := s.Typing(context.Background(), cust, c.ID); err != nil {
		t.Fatal(err)
	}
}

// A customer message sent while a person owns the conversation is stored
// as handled: there is no turn to run and nothing for Recover.
func TestMessageToAPersonHasNoTurn(t *testing.T) {
	policy := &countingPolicy{}
	s, store, _ := newService(policy)
	ctx := context.Background()
	c, cust := start(t, s, conversation.NewConversation{})
	agent := assist.Principal{TenantID: tenant, UserID: "agent-1", Role: assist.RoleAgent}
	assignTo(t, s, c.ID, agent.UserID)
	if _, err := s.Post(ctx, agent, c.ID, conversation.NewMessage{Text: "Hello, how can I help?"}); err != nil {
		t.Fatal(err)
	}
	res, err := s.Post(ctx, cust, c.ID, conversation.NewMessage{Text: "my parcel is late"})
	if err != nil || len(res.Replies) != 0 {
		t.Fatalf("post = %+v, %v", res, err)
	}
	if left, _ := store.Unhandled(ctx, 10); len(left) != 0 {
		t.Errorf("%d unhandled messages, want 0", len(left))
	}
	if n := policy.count(res.Message.ID); n != 0 {
		t.Errorf("policy ran %d times for a message to a person", n)
	}
}
