package api_test

import (
	"bytes"
	"net/http"
	"slices"
	"testing"

	"github.com/assistd/assist/api"
)

func TestStaffRoles(t *testing.T) {
	e := newEnv(t)
	s := e.newShop("shop")
	c, tok := e.start("shop")
	e.say(c.ID, tok, "hello", http.StatusCreated) // now in the queue

	t.Run("agent lists conversations", func(t *testing.T) {
		list := decode[api.ConversationsResponse](t, e.get("/v1/conversations", s.Agent), http.StatusOK)
		if len(list.Conversations) != 1 || list.Conversations[0].ID != c.ID {
			t.Errorf("conversations = %+v, want [%s]", list.Conversations, c.ID)
		}
		queue := decode[api.ConversationsResponse](t, e.get("/v1/conversations?owner=queue&limit=10", s.Agent), http.StatusOK)
		bot := decode[api.ConversationsResponse](t, e.get("/v1/conversations?owner=bot", s.Agent), http.StatusOK)
		if len(queue.Conversations) != 1 || len(bot.Conversations) != 0 {
			t.Errorf("owner filter: queue %d, bot %d; want 1 and 0", len(queue.Conversations), len(bot.Conversations))
		}
	})
	t.Run("customer cannot list conversations", func(t *testing.T) {
		wantError(t, e.get("/v1/conversations", tok), http.StatusUnauthorized, "unauthorized", "credentials")
	})
	t.Run("knowledge manager reads but cannot write to customers", func(t *testing.T) {
		if got := e.conversation(c.ID, s.Knowledge); got.ID != c.ID {
			t.Errorf("knowledge manager reads %+v", got)
		}
		r := e.post("/v1/conversations/"+c.ID+"/messages", s.Knowledge, api.PostMessageRequest{Text: "hi"})
		wantError(t, r, http.StatusForbidden, "forbidden", "knowledge managers")
	})
	t.Run("agent answers once the conversation is theirs", func(t *testing.T) {
		wantError(t, e.post("/v1/conversations/"+c.ID+"/messages", s.Agent, api.PostMessageRequest{Text: "Hi"}), http.StatusConflict, "conflict", "claim it")
		e.assign(c.ID, s.Tenant.ID, s.AgentID)
		res := e.say(c.ID, s.Agent, "Hello, this is Ann.", http.StatusCreated)
		if res.Message.Author != "agent" || res.Message.AuthorID != s.AgentID || len(res.Replies) != 0 {
			t.Errorf("agent message = %+v, replies %+v", res.Message, res.Replies)
		}
		got := e.conversation(c.ID, tok)
		if got.Owner != "agent" || got.AssigneeID != s.AgentID {
			t.Errorf("conversation = %+v, want owner agent assigned to %s", got, s.AgentID)
		}
		if res := e.say(c.ID, tok, "thanks!", http.StatusCreated); len(res.Replies) != 0 {
			t.Errorf("customer got bot replies %+v while an agent answers", res.Replies)
		}
		mine := decode[api.ConversationsResponse](t, e.get("/v1/conversations?assignee_id="+s.AgentID, s.Agent), http.StatusOK)
		if len(mine.Conversations) != 1 {
			t.Errorf("assignee filter: %d conversations, want 1", len(mine.Conversations))
		}
	})
}

func TestUserAndKeyAdministration(t *testing.T) {
	e := newEnv(t)
	s := e.newShop("shop")
	newUser := api.CreateUserRequest{Email: "sam@shop.example", Name: "Sam", Role: "supervisor", Password: "a long enough password"}

	for _, who := range []struct{ name, token string }{{"agent", s.Agent}, {"knowledge manager", s.Knowledge}} {
		wantError(t, e.post("/v1/users", who.token, newUser), http.StatusForbidden, "forbidden", "may not")
		wantError(t, e.post("/v1/api-keys", who.token, api.CreateAPIKeyRequest{UserID: s.AgentID, Name: "k"}), http.StatusForbidden, "forbidden", "may not")
		wantError(t, e.get("/v1/users", who.token), http.StatusForbidden, "forbidden", "may not")
	}
	wantError(t, e.post("/v1/users", "", newUser), http.StatusUnauthorized, "unauthorized", "missing credentials")

	u := decode[api.UserJSON](t, e.post("/v1/users", s.Admin, newUser), http.StatusCreated)
	if u.ID == "" || u.Email != newUser.Email || u.Role != "supervisor" {
		t.Errorf("created user %+v", u)
	}
	if bytes.Contains(e.post("/v1/users", s.Admin, api.CreateUserRequest{Email: "x@shop.example", Name: "X", Role: "agent", Password: "a long enough password"}).Body, []byte("password")) {
		t.Error("the created user's JSON mentions a password")
	}
	wantError(t, e.post("/v1/users", s.Admin, newUser), http.StatusConflict, "conflict", "already exists")
	bad := newUser
	bad.Role = "customer"
	wantError(t, e.post("/v1/users", s.Admin, bad), http.StatusBadRequest, "invalid", "role")
	bad = newUser
	bad.Password = "short"
	wantError(t, e.post("/v1/users", s.Admin, bad), http.StatusBadRequest, "invalid", "password")

	// The new supervisor can log in and list staff.
	login := decode[api.LoginResponse](t, e.post("/v1/auth/login", "", api.LoginRequest{Tenant: "shop", Email: newUser.Email, Password: newUser.Password}), http.StatusOK)
	users := decode[api.UsersResponse](t, e.get("/v1/users", login.Token), http.StatusOK)
	var emails []string
	for _, u := range users.Users {
		emails = append(emails, u.Email)
	}
	if !slices.Contains(emails, newUser.Email) || !slices.Contains(emails, "agent@shop.example") {
		t.Errorf("users = %v", emails)
	}

	// An API key acts as its user, with the user's role.
	key := decode[api.CreateAPIKeyResponse](t, e.post("/v1/api-keys", s.Admin, api.CreateAPIKeyRequest{UserID: s.AgentID, Name: "helpdesk"}), http.StatusCreated)
	if key.Role != "agent" || key.Key == "" || key.ID == "" {
		t.Errorf("api key = %+v", key)
	}
	me := decode[api.MeResponse](t, e.get("/v1/me", key.Key), http.StatusOK)
	if me.Role != "agent" || me.UserID != s.AgentID || me.TenantID != s.Tenant.ID {
		t.Errorf("/v1/me with the key = %+v, want the agent", me)
	}
	wantError(t, e.post("/v1/users", key.Key, newUser), http.StatusForbidden, "forbidden", "your role agent")
	decode[api.ConversationsResponse](t, e.get("/v1/conversations", key.Key), http.StatusOK)
	wantError(t, e.post("/v1/api-keys", s.Admin, api.CreateAPIKeyRequest{UserID: "no-such-user", Name: "x"}), http.StatusNotFound, "not_found", "user not found")
	// An API key cannot be "logged out".
	wantError(t, e.post("/v1/auth/logout", key.Key, nil), http.StatusBadRequest, "invalid", "not a session token")
}

func TestLoginLogout(t *testing.T) {
	e := newEnv(t)
	s := e.newShop("shop")
	for _, bad := range []api.LoginRequest{
		{Tenant: "shop", Email: "agent@shop.example", Password: "wrong password"},
		{Tenant: "shop", Email: "nobody@shop.example", Password: password},
		{Tenant: "nope", Email: "agent@shop.example", Password: password},
	} {
		wantError(t, e.post("/v1/auth/login", "", bad), http.StatusUnauthorized, "unauthorized", "wrong tenant, e-mail or password")
	}
	wantError(t, e.post("/v1/auth/login", "", `{"tenant":"shop","email":"agent@shop.example","pass":"x"}`), http.StatusBadRequest, "invalid", "unknown field")

	login := decode[api.LoginResponse](t, e.post("/v1/auth/login", "", api.LoginRequest{Tenant: "shop", Email: "AGENT@shop.example", Password: password}), http.StatusOK)
	if login.User.ID != s.AgentID || login.User.Role != "agent" || login.ExpiresAt.IsZero() {
		t.Errorf("login = %+v", login)
	}
	me := decode[api.MeResponse](t, e.get("/v1/me", login.Token), http.StatusOK)
	if me.UserID != s.AgentID || me.Role != "agent" {
		t.Errorf("/v1/me = %+v", me)
	}
	if r := e.post("/v1/auth/logout", login.Token, nil); r.Status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", r.Status, r.Body)
	}
	wantError(t, e.get("/v1/me", login.Token), http.StatusUnauthorized, "unauthorized", "invalid or expired")
	wantError(t, e.post("/v1/auth/logout", login.Token, nil), http.StatusUnauthorized, "unauthorized", "invalid or expired")
	// The other sessions of the user live on.
	decode[api.MeResponse](t, e.get("/v1/me", s.Agent), http.StatusOK)
}

// Staff of one tenant see nothing of another tenant's conversations.
func TestTenantIsolation(t *testing.T) {
	e := newEnv(t)
	x := e.newShop("shop")
	y := e.newShop("other")
	c, tok := e.start("other")
	secret := "my card ends in 4242"
	e.say(c.ID, tok, secret, http.StatusCreated)

	base := "/v1/conversations/" + c.ID
	for _, req := range []request{
		{method: "GET", path: base},
		{method: "GET", path: base + "/messages"},
		{method: "POST", path: base + "/messages", body: api.PostMessageRequest{Text: "hello from the wrong shop"}},
		{method: "POST", path: base + "/typing"},
		{method: "GET", path: base + "/ws"},
	} {
		for _, token := range []string{x.Agent, x.Admin} {
			req.token = token
			r := e.send(req)
			wantError(t, r, http.StatusNotFound, "not_found", "not found")
			for _, leak := range []string{c.ID, secret, y.Tenant.ID} {
				if bytes.Contains(r.Body, []byte(leak)) {
					t.Errorf("%s %s: refusal %s reveals %q", req.method, req.path, r.Body, leak)
				}
			}
		}
	}
	list := decode[api.ConversationsResponse](t, e.get("/v1/conversations", x.Admin), http.StatusOK)
	if len(list.Conversations) != 0 {
		t.Errorf("shop's admin lists %+v", list.Conversations)
	}
	users := decode[api.UsersResponse](t, e.get("/v1/users", x.Admin), http.StatusOK)
	for _, u := range users.Users {
		if u.ID == y.AgentID {
			t.Errorf("shop's admin lists other's user %+v", u)
		}
	}
	// An admin cannot issue a key for another tenant's user.
	wantError(t, e.post("/v1/api-keys", x.Admin, api.CreateAPIKeyRequest{UserID: y.AgentID, Name: "k"}), http.StatusNotFound, "not_found", "not found")
	// The other tenant's own staff do see it.
	if got := e.conversation(c.ID, y.Agent); got.ID != c.ID {
		t.Errorf("other's agent reads %+v", got)
	}
	if n := len(e.messages(c.ID, y.Agent, "")); n != 2 {
		t.Errorf("%d messages, want 2: nothing from the wrong shop", n)
	}
}
