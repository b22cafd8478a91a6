package api_test

import (
	"bufio"
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/assistd/assist"
	"github.com/assistd/assist/api"
	"github.com/assistd/assist/routing"
)

// closedWith reads from conn until the server closes it and returns the
// close status (-1 if the connection ended without a close frame). A
// frame that arrives first is a failure: nothing more may be sent to a
// socket whose session ended.
func closedWith(t *testing.T, conn *websocket.Conn) websocket.StatusCode {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var f api.WSFrame
	err := wsjson.Read(ctx, conn, &f)
	if err == nil {
		t.Fatalf("got frame %s, want the socket closed", describe(f))
	}
	if errors.Is(err, context.DeadlineExceeded) {
		t.Fatal("the socket is still open")
	}
	return websocket.CloseStatus(err)
}

// An agent's socket, opened before logout, closes at logout: what the
// agent sends afterwards is not stored, and the customer sees nothing.
func TestStaffSocketEndsAtLogout(t *testing.T) {
	for _, how := range []string{"query token", "bearer header"} {
		t.Run(how, func(t *testing.T) {
			e := newEnv(t)
			s := e.newShop("shop")
			c, tok := e.start("shop")
			var conn *websocket.Conn
			if how == "query token" {
				conn = e.dial(c.ID, url.Values{"token": {s.Agent}})
			} else {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				var err error
				conn, _, err = websocket.Dial(ctx, e.wsURL(c.ID, nil), &websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + s.Agent}}})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { conn.CloseNow() })
			}
			wantFrames(t, conn, "status:bot")

			if r := e.post("/v1/auth/logout", s.Agent, nil); r.Status != http.StatusNoContent {
				t.Fatalf("logout: %d %s", r.Status, r.Body)
			}
			// The frame may or may not be read before the close; either
			// way it must not be stored.
			_ = wsjson.Write(context.Background(), conn, api.WSClientFrame{Type: "message", Text: "sent after logout", IdempotencyKey: "k1"})
			if st := closedWith(t, conn); st != websocket.StatusPolicyViolation {
				t.Errorf("close status %d, want %d (policy violation)", st, websocket.StatusPolicyViolation)
			}
			for _, m := range e.messages(c.ID, tok, "") {
				if m.Text == "sent after logout" {
					t.Errorf("a message sent after logout was stored: %+v", m)
				}
			}
			if conv := e.conversation(c.ID, tok); conv.Owner != "bot" {
				t.Errorf("owner %q after logout, want bot", conv.Owner)
			}
		})
	}
}

// A socket closes when its session expires, with nobody logging out.
func TestStaffSocketEndsAtExpiry(t *testing.T) {
	e := newEnv(t)
	s := e.newShop("shop")
	c, _ := e.start("shop")
	e.Auth.SessionTTL = 300 * time.Millisecond
	short, _ := e.addStaff(s, assist.RoleAgent, "brief")
	conn := e.dial(c.ID, url.Values{"token": {short}})
	wantFrames(t, conn, "status:bot")
	if st := closedWith(t, conn); st != websocket.StatusPolicyViolation {
		t.Errorf("close status %d, want %d", st, websocket.StatusPolicyViolation)
	}
}

// An admin ends a staff member's sessions: their sockets close and their
// tokens stop working; other staff are untouched.
func TestAdminEndsSessions(t *testing.T) {
	e := newEnv(t)
	s := e.newShop("shop")
	other := e.newShop("other")
	c, _ := e.start("shop")
	conn := e.dial(c.ID, url.Values{"token": {s.Agent}})
	wantFrames(t, conn, "status:bot")

	wantError(t, e.send(request{method: http.MethodDelete, path: "/v1/users/" + s.AgentID + "/sessions", token: s.Knowledge}), http.StatusForbidden, assist.EFORBIDDEN, "role")
	wantError(t, e.send(request{method: http.MethodDelete, path: "/v1/users/" + s.AgentID + "/sessions", token: other.Admin}), http.StatusNotFound, assist.ENOTFOUND, "")
	res := decode[api.EndSessionsResponse](t, e.send(request{method: http.MethodDelete, path: "/v1/users/" + s.AgentID + "/sessions", token: s.Admin}), http.StatusOK)
	if res.Ended != 1 {
		t.Errorf("ended %d sessions, want 1", res.Ended)
	}
	if st := closedWith(t, conn); st != websocket.StatusPolicyViolation {
		t.Errorf("close status %d, want %d", st, websocket.StatusPolicyViolation)
	}
	wantError(t, e.get("/v1/me", s.Agent), http.StatusUnauthorized, assist.EUNAUTHORIZED, "")
	if r := e.get("/v1/me", s.Knowledge); r.Status != http.StatusOK {
		t.Errorf("another user's session: %d", r.Status)
	}
}

// The staff event stream ends at logout at once, not at the next ping.
func TestAgentEventsEndAtLogout(t *testing.T) {
	e := newEnv(t)
	e.withRouting(routing.DefaultConfig())
	s := e.newShop("acme")
	stream := e.events(s.Admin)
	stream.next(t, "ready")
	if r := e.post("/v1/auth/logout", s.Admin, nil); r.Status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", r.Status, r.Body)
	}
	if name, _ := stream.next(t, "unauthorized"); name != "unauthorized" {
		t.Errorf("got %q, want unauthorized", name)
	}
}

// A flood of garbage frames is rate limited like any other: a few
// errors, then the socket is closed, instead of one reply per frame.
func TestWebSocketGarbageFramesAreRateLimited(t *testing.T) {
	e := newEnv(t, func(o *envOptions) { o.cfg.RateLimit, o.cfg.RateBurst = 0.001, 10 })
	e.newShop("shop")
	c, tok := e.start("shop")
	conn := e.dial(c.ID, token(tok))
	wantFrames(t, conn, "status:bot")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	go func() {
		for range 3000 {
			if conn.Write(ctx, websocket.MessageText, []byte("not json {")) != nil {
				return
			}
		}
	}()
	replies := 0
	for {
		var f api.WSFrame
		if err := wsjson.Read(ctx, conn, &f); err != nil {
			if st := websocket.CloseStatus(err); st != websocket.StatusPolicyViolation {
				t.Fatalf("socket ended with %v (status %d), want a 1008 close", err, st)
			}
			break
		}
		replies++
	}
	if replies > 40 {
		t.Errorf("%d replies to 3,000 garbage frames, want a few before the close", replies)
	}
}

// A browser signed in by cookie: its socket and event stream end when it
// logs out with the cookie.
func TestCookieSessionEndsSocketAndStream(t *testing.T) {
	e := newEnv(t)
	e.withRouting(routing.DefaultConfig())
	e.newShop("shop")
	c, _ := e.start("shop")
	login := e.post("/v1/auth/login", "", api.LoginRequest{Tenant: "shop", Email: "agent@shop.example", Password: password, Cookie: true})
	var cookie *http.Cookie
	for _, ck := range (&http.Response{Header: login.Header}).Cookies() {
		if ck.Name == api.SessionCookie {
			cookie = ck
		}
	}
	if login.Status != http.StatusOK || cookie == nil || cookie.Value == "" {
		t.Fatalf("cookie login: %d %s", login.Status, login.Body)
	}
	hdr := http.Header{"Cookie": {cookie.Name + "=" + cookie.Value}}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, e.wsURL(c.ID, nil), &websocket.DialOptions{HTTPHeader: hdr})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	wantFrames(t, conn, "status:bot")
	req, _ := http.NewRequest(http.MethodGet, e.HTTP.URL+"/v1/agent/events", nil)
	req.Header = hdr.Clone()
	res, err := e.HTTP.Client().Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("events by cookie: %v %v", err, res)
	}
	t.Cleanup(func() { res.Body.Close() })
	stream := &sseReader{r: bufio.NewReader(res.Body), body: res.Body}
	stream.next(t, "ready")

	if r := e.send(request{method: http.MethodPost, path: "/v1/auth/logout", header: map[string]string{"Cookie": hdr.Get("Cookie"), api.CSRFHeader: "1"}}); r.Status != http.StatusNoContent {
		t.Fatalf("cookie logout: %d %s", r.Status, r.Body)
	}
	if st := closedWith(t, conn); st != websocket.StatusPolicyViolation {
		t.Errorf("socket close status %d, want 1008", st)
	}
	if name, _ := stream.next(t, "unauthorized"); name != "unauthorized" {
		t.Errorf("stream got %q, want unauthorized", name)
	}
}
