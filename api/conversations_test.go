package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/assistd/assist/api"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/dialog"
)

func TestCreateConversation(t *testing.T) {
	e := newEnv(t)
	sh := e.newShop("shop")
	other := e.newShop("other")
	secret := []byte("the-shop-and-assist-share-this")
	e.Convs.CustomerSecret = secret
	key := decode[api.CreateAPIKeyResponse](t, e.post("/v1/api-keys", sh.Admin, api.CreateAPIKeyRequest{UserID: sh.AgentID, Name: "shop-backend"}), http.StatusCreated).Key
	exp := time.Now().Add(time.Hour)
	signed := func(tenant, ref string, exp time.Time) api.CreateConversationRequest {
		return api.CreateConversationRequest{Tenant: "shop", Channel: "web", CustomerRef: ref,
			CustomerSig: conversation.SignCustomer(secret, tenant, ref, exp), CustomerExpires: exp.Unix()}
	}
	tests := []struct {
		name   string
		token  string
		body   any
		status int
		code   string // error code, or "" for success
		msg    string
		want   api.ConversationJSON // Channel, CustomerRef, Lang checked
	}{
		{name: "tenant only", body: api.CreateConversationRequest{Tenant: "shop"}, status: 201, want: api.ConversationJSON{Channel: "api"}},
		{name: "all fields by staff", token: sh.Agent, body: api.CreateConversationRequest{Tenant: "shop", Channel: "web", CustomerRef: "order-7", Lang: "zh"}, status: 201,
			want: api.ConversationJSON{Channel: "web", CustomerRef: "order-7", Lang: "zh"}},
		{name: "ref by API key", token: key, body: api.CreateConversationRequest{Tenant: "shop", CustomerRef: "cust-1"}, status: 201,
			want: api.ConversationJSON{Channel: "api", CustomerRef: "cust-1"}},
		{name: "signed ref", body: signed("shop", "cust-1", exp), status: 201, want: api.ConversationJSON{Channel: "web", CustomerRef: "cust-1"}},
		{name: "anonymous with a token", token: sh.Agent, body: api.CreateConversationRequest{Tenant: "shop"}, status: 201, want: api.ConversationJSON{Channel: "api"}},
		{name: "unsigned ref", body: api.CreateConversationRequest{Tenant: "shop", CustomerRef: "cust-2"}, status: 403, code: "forbidden",
			msg: "customer_ref must be signed by the shop (customer_sig) or sent with a staff or API key token"},
		{name: "signed for another ref", body: func() api.CreateConversationRequest {
			r := signed("shop", "cust-1", exp)
			r.CustomerRef = "cust-2"
			return r
		}(), status: 403, code: "forbidden", msg: "does not match"},
		{name: "signed for another tenant", body: signed("other", "cust-1", exp), status: 403, code: "forbidden", msg: "does not match"},
		{name: "expired signature", body: signed("shop", "cust-1", time.Now().Add(-time.Minute)), status: 403, code: "forbidden", msg: "expired"},
		{name: "malformed signature", body: api.CreateConversationRequest{Tenant: "shop", CustomerRef: "cust-1", CustomerSig: "not-hex", CustomerExpires: exp.Unix()},
			status: 400, code: "invalid", msg: "hex"},
		{name: "staff of another tenant", token: other.Admin, body: api.CreateConversationRequest{Tenant: "shop", CustomerRef: "cust-1"}, status: 403, code: "forbidden", msg: "another tenant"},
		{name: "bad token", token: "sk.nope", body: api.CreateConversationRequest{Tenant: "shop"}, status: 401, code: "unauthorized", msg: "invalid"},
		{name: "unknown tenant", body: api.CreateConversationRequest{Tenant: "nope"}, status: 404, code: "not_found", msg: "no such tenant"},
		{name: "no tenant", body: api.CreateConversationRequest{Channel: "web"}, status: 400, code: "invalid", msg: "tenant is required"},
		{name: "unknown language", body: api.CreateConversationRequest{Tenant: "shop", Lang: "fr"}, status: 400, code: "invalid", msg: "lang"},
		{name: "bad channel", body: api.CreateConversationRequest{Tenant: "shop", Channel: "<script>"}, status: 400, code: "invalid", msg: "channel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.post("/v1/conversations", tt.token, tt.body)
			if tt.code != "" {
				wantError(t, r, tt.status, tt.code, tt.msg)
				return
			}
			res := decode[api.CreateConversationResponse](t, r, tt.status)
			c := res.Conversation
			if c.ID == "" || !strings.HasPrefix(res.Token, "ct.") || c.Owner != "bot" || c.CreatedAt.IsZero() {
				t.Errorf("created %+v with token %q", c, res.Token)
			}
			if c.Channel != tt.want.Channel || c.CustomerRef != tt.want.CustomerRef || c.Lang != tt.want.Lang {
				t.Errorf("created %+v, want channel %q ref %q lang %q", c, tt.want.Channel, tt.want.CustomerRef, tt.want.Lang)
			}
			if loc := r.Header.Get("Location"); loc != "/v1/conversations/"+c.ID {
				t.Errorf("Location %q", loc)
			}
			// The token opens the conversation.
			if got := e.conversation(c.ID, res.Token); got.ID != c.ID {
				t.Errorf("GET with the customer token = %+v", got)
			}
		})
	}
	if sig := signed("shop", "cust-1", exp).CustomerSig; strings.Contains(e.Log.String(), sig) || strings.Contains(e.Log.String(), string(secret)) {
		t.Errorf("the log holds a customer signature or the secret")
	}
}

func TestCustomerMessageHandsOff(t *testing.T) {
	tests := []struct {
		name, text, lang string
	}{
		{"english", "Where is my order #1234?", "en"},
		{"chinese", "我的订单什么时候到？", "zh"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.newShop("shop")
			c, tok := e.start("shop")

			res := e.say(c.ID, tok, tt.text, http.StatusCreated)
			m := res.Message
			if !res.Created || m.ID == "" || m.ConversationID != c.ID || m.Author != "customer" || m.Text != tt.text || m.Seq == 0 {
				t.Errorf("stored message = %+v, created %v", m, res.Created)
			}
			if len(res.Replies) != 1 {
				t.Fatalf("replies = %+v, want one bot reply", res.Replies)
			}
			r := res.Replies[0]
			if r.Author != "bot" || r.Text != dialog.HandoffText(tt.lang) || r.ReplyTo != m.ID || r.Seq <= m.Seq {
				t.Errorf("reply = %+v, want the %s handoff text replying to %s", r, tt.lang, m.ID)
			}
			if got := e.conversation(c.ID, tok); got.Owner != "queue" || got.Reason != dialog.ReasonNoAutomation {
				t.Errorf("conversation after the turn = %+v, want owner queue", got)
			}

			// A person owns it now: the bot stays silent.
			second := e.say(c.ID, tok, "hello?", http.StatusCreated)
			if second.Replies == nil || len(second.Replies) != 0 {
				t.Errorf("second message replies = %#v, want []", second.Replies)
			}
			if n := len(e.messages(c.ID, tok, "")); n != 3 {
				t.Errorf("%d messages stored, want 3", n)
			}
		})
	}
}

func TestIdempotency(t *testing.T) {
	e := newEnv(t)
	e.newShop("shop")
	c, tok := e.start("shop")
	path := "/v1/conversations/" + c.ID + "/messages"
	withKey := func(key string, body any) request {
		return request{method: http.MethodPost, path: path, token: tok, body: body, header: map[string]string{"Idempotency-Key": key}}
	}

	first := decode[api.PostMessageResponse](t, e.send(withKey("k-1", api.PostMessageRequest{Text: "hello"})), http.StatusCreated)
	again := decode[api.PostMessageResponse](t, e.send(withKey("k-1", api.PostMessageRequest{Text: "hello"})), http.StatusOK)
	if !first.Created || again.Created {
		t.Errorf("created = %v then %v, want true then false", first.Created, again.Created)
	}
	if again.Message.ID != first.Message.ID || again.Message.IdempotencyKey != "k-1" {
		t.Errorf("retry returned message %+v, want %s with its key", again.Message, first.Message.ID)
	}
	if len(again.Replies) != 1 || again.Replies[0].ID != first.Replies[0].ID {
		t.Errorf("retry replies %+v, want the first answer %+v", again.Replies, first.Replies)
	}
	// The key in the body is the same key.
	body := decode[api.PostMessageResponse](t, e.post(path, tok, api.PostMessageRequest{Text: "hello", IdempotencyKey: "k-1"}), http.StatusOK)
	if body.Message.ID != first.Message.ID {
		t.Errorf("key in the body: message %s, want %s", body.Message.ID, first.Message.ID)
	}
	same := decode[api.PostMessageResponse](t, e.send(withKey("k-1", api.PostMessageRequest{Text: "hello", IdempotencyKey: "k-1"})), http.StatusOK)
	if same.Message.ID != first.Message.ID {
		t.Errorf("same key in body and header: message %s, want %s", same.Message.ID, first.Message.ID)
	}

	count := 0
	for _, m := range e.messages(c.ID, tok, "") {
		if m.Author == "customer" {
			count++
		}
	}
	if count != 1 {
		t.Errorf("%d customer messages stored, want 1", count)
	}

	wantError(t, e.send(withKey("k-1", api.PostMessageRequest{Text: "something else"})), http.StatusConflict, "conflict", "idempotency key")
	wantError(t, e.send(withKey("k-2", api.PostMessageRequest{Text: "hi", IdempotencyKey: "k-3"})), http.StatusBadRequest, "invalid", "differ")
}

func TestListMessages(t *testing.T) {
	e := newEnv(t)
	s := e.newShop("shop")
	c, tok := e.start("shop")
	e.say(c.ID, tok, "first", http.StatusCreated) // and the bot's reply
	for i := range 4 {
		e.say(c.ID, tok, fmt.Sprint("more ", i), http.StatusCreated)
	}
	all := e.messages(c.ID, tok, "")
	if len(all) != 6 {
		t.Fatalf("%d messages, want 6", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i].Seq <= all[i-1].Seq {
			t.Errorf("messages out of order: seq %d after %d", all[i].Seq, all[i-1].Seq)
		}
	}
	ids := func(ms []api.MessageJSON) string {
		var out []string
		for _, m := range ms {
			out = append(out, m.ID)
		}
		return strings.Join(out, ",")
	}
	tests := []struct {
		name, query string
		want        []api.MessageJSON
	}{
		{"limit", "?limit=2", all[:2]},
		{"after", "?after=" + all[1].ID, all[2:]},
		{"after and limit", "?after=" + all[1].ID + "&limit=2", all[2:4]},
		{"next page", "?after=" + all[3].ID + "&limit=2", all[4:6]},
		{"after the last", "?after=" + all[5].ID, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := e.messages(c.ID, tok, tt.query); ids(got) != ids(tt.want) {
				t.Errorf("messages%s = %s, want %s", tt.query, ids(got), ids(tt.want))
			}
		})
	}
	// Staff read the same list.
	if got := e.messages(c.ID, s.Agent, ""); ids(got) != ids(all) {
		t.Errorf("agent sees %s, want %s", ids(got), ids(all))
	}
	other, otherTok := e.start("shop")
	foreign := e.say(other.ID, otherTok, "elsewhere", http.StatusCreated).Message.ID
	for _, q := range []struct{ query, msg string }{
		{"?limit=0", "limit"},
		{"?limit=-1", "limit"},
		{"?limit=lots", "limit"},
		{"?after=no-such-message", "after"},
		{"?after=" + foreign, "after"},
	} {
		wantError(t, e.get("/v1/conversations/"+c.ID+"/messages"+q.query, tok), http.StatusBadRequest, "invalid", q.msg)
	}
}
