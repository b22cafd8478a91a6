package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/assistd/assist"
	"github.com/assistd/assist/api"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/dialog"
)

// wsURL is the WebSocket address of a conversation with the query.
func (e *env) wsURL(convID string, query url.Values) string {
	return "ws" + strings.TrimPrefix(e.HTTP.URL, "http") + "/v1/conversations/" + convID + "/ws?" + query.Encode()
}

// dial opens a conversation's socket; the connection is closed when the
// test ends.
func (e *env) dial(convID string, query url.Values) *websocket.Conn {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, res, err := websocket.Dial(ctx, e.wsURL(convID, query), nil)
	if err != nil {
		status := 0
		if res != nil {
			status = res.StatusCode
		}
		e.t.Fatalf("dial: %v (status %d)", err, status)
	}
	e.t.Cleanup(func() { conn.CloseNow() })
	return conn
}

// next reads one frame. The deadline only turns a missing frame into a
// failure instead of a hang.
func next(t *testing.T, conn *websocket.Conn) api.WSFrame {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var f api.WSFrame
	if err := wsjson.Read(ctx, conn, &f); err != nil {
		t.Fatalf("reading a frame: %v", err)
	}
	return f
}

func send(t *testing.T, conn *websocket.Conn, v any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := wsjson.Write(ctx, conn, v); err != nil {
		t.Fatalf("writing a frame: %v", err)
	}
}

// describe is a frame in short: its type and what identifies it.
func describe(f api.WSFrame) string {
	switch {
	case f.Message != nil:
		return f.Type + ":" + f.Message.Author + ":" + f.Message.Text
	case f.Error != nil:
		return f.Type + ":" + f.Error.Code
	case f.Type == "typing":
		return f.Type + ":" + f.Author
	default:
		return f.Type + ":" + f.Owner
	}
}

func wantFrames(t *testing.T, conn *websocket.Conn, want ...string) []api.WSFrame {
	t.Helper()
	var frames []api.WSFrame
	for i, w := range want {
		f := next(t, conn)
		if got := describe(f); got != w {
			t.Fatalf("frame %d = %s, want %s", i, got, w)
		}
		frames = append(frames, f)
	}
	return frames
}

func token(tok string) url.Values { return url.Values{"token": {tok}} }

func TestWebSocket(t *testing.T) {
	e := newEnv(t)
	s := e.newShop("shop")
	c, tok := e.start("shop")
	handoff := dialog.HandoffText("en")

	conn := e.dial(c.ID, token(tok))
	status := next(t, conn)
	if status.Type != "status" || status.ConversationID != c.ID || status.Owner != "bot" {
		t.Fatalf("first frame = %+v, want the status of the conversation", status)
	}

	// A message posted over REST arrives with the bot's reply.
	posted := e.say(c.ID, tok, "Where is my order?", http.StatusCreated)
	frames := wantFrames(t, conn,
		"message:customer:Where is my order?",
		"message:bot:"+handoff,
		"status:queue")
	if frames[0].Message.ID != posted.Message.ID || frames[1].Message.ID != posted.Replies[0].ID || frames[2].Reason != dialog.ReasonNoAutomation {
		t.Errorf("frames %+v do not match the stored messages %+v", frames, posted)
	}

	// An agent's typing arrives.
	if r := e.post("/v1/conversations/"+c.ID+"/typing", s.Agent, nil); r.Status != http.StatusNoContent {
		t.Fatalf("typing: %d %s", r.Status, r.Body)
	}
	wantFrames(t, conn, "typing:agent")

	// A customer message sent on the socket is stored and comes back.
	send(t, conn, api.WSClientFrame{Type: "message", Text: "sent over the socket", IdempotencyKey: "ws-1"})
	// It is acknowledged after it arrives, with its key and the stored id.
	fs := wantFrames(t, conn, "message:customer:sent over the socket", "ack:customer:sent over the socket")
	got, ack := fs[0], fs[1]
	stored := e.messages(c.ID, tok, "?after="+posted.Replies[0].ID)
	if len(stored) != 1 || stored[0].ID != got.Message.ID || stored[0].IdempotencyKey != "ws-1" {
		t.Errorf("stored after the socket message: %+v, want %+v", stored, got.Message)
	}
	if ack.Message.ID != got.Message.ID || ack.IdempotencyKey != "ws-1" || !ack.Created {
		t.Errorf("ack = %+v, want the stored message, key ws-1, created", ack)
	}
	// The same frame again is a retry: acknowledged, not stored twice.
	send(t, conn, api.WSClientFrame{Type: "message", Text: "sent over the socket", IdempotencyKey: "ws-1"})
	if ack := wantFrames(t, conn, "ack:customer:sent over the socket")[0]; ack.Message.ID != got.Message.ID || ack.Created {
		t.Errorf("retry ack = %+v, want the same message, not created", ack)
	}

	// A garbage frame gets an error frame; the socket stays open.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := conn.Write(ctx, websocket.MessageText, []byte("this is not JSON")); err != nil {
		t.Fatal(err)
	}
	wantFrames(t, conn, "error:invalid")
	if err := conn.Write(ctx, websocket.MessageBinary, []byte{0xff, 0x00}); err != nil {
		t.Fatal(err)
	}
	wantFrames(t, conn, "error:invalid")
	send(t, conn, api.WSClientFrame{Type: "dance"})
	wantFrames(t, conn, "error:invalid")
	send(t, conn, api.WSClientFrame{Type: "message", Text: "   "})
	if f := next(t, conn); f.Type != "error" || f.Error.Code != "invalid" || !strings.Contains(f.Error.Message, "text is empty") {
		t.Errorf("empty message frame answered with %+v", f)
	}
	send(t, conn, api.WSClientFrame{Type: "typing"})
	wantFrames(t, conn, "typing:customer")
	send(t, conn, api.WSClientFrame{Type: "message", Text: "still here"})
	wantFrames(t, conn, "message:customer:still here")
}

// A client that reconnects with the id of the last message it saw gets
// exactly the messages after it, then live ones.
func TestWebSocketReconnect(t *testing.T) {
	e := newEnv(t)
	s := e.newShop("shop")
	c, tok := e.start("shop")
	first := e.say(c.ID, tok, "first", http.StatusCreated)
	e.say(c.ID, tok, "second", http.StatusCreated)
	e.assign(c.ID, s.Tenant.ID, s.AgentID)
	e.say(c.ID, s.Agent, "an agent answers", http.StatusCreated)

	conn := e.dial(c.ID, url.Values{"token": {tok}, "last_id": {first.Message.ID}})
	wantFrames(t, conn,
		"status:agent",
		"message:bot:"+dialog.HandoffText("en"),
		"message:customer:second",
		"message:agent:an agent answers")
	// Nothing else was queued: the next frame is a live one.
	e.say(c.ID, tok, "third", http.StatusCreated)
	wantFrames(t, conn, "message:customer:third")

	// Without last_id the whole history comes.
	all := e.dial(c.ID, token(tok))
	frames := wantFrames(t, all,
		"status:agent",
		"message:customer:first",
		"message:bot:"+dialog.HandoffText("en"),
		"message:customer:second",
		"message:agent:an agent answers",
		"message:customer:third")
	for i := 2; i < len(frames); i++ {
		if frames[i].Message.Seq <= frames[i-1].Message.Seq {
			t.Errorf("frame %d has seq %d after %d", i, frames[i].Message.Seq, frames[i-1].Message.Seq)
		}
	}
	// Staff may watch with their own token.
	watch := e.dial(c.ID, url.Values{"token": {s.Agent}, "last_id": {frames[len(frames)-1].Message.ID}})
	wantFrames(t, watch, "status:agent")
	e.say(c.ID, tok, "fourth", http.StatusCreated)
	wantFrames(t, watch, "message:customer:fourth")
	wantFrames(t, all, "message:customer:fourth")
}

func TestWebSocketRefusedBeforeUpgrade(t *testing.T) {
	e := newEnv(t)
	s := e.newShop("shop")
	other := e.newShop("other")
	a, tokA := e.start("shop")
	b, _ := e.start("shop")
	tests := []struct {
		name   string
		convID string
		query  url.Values
		status int
	}{
		{"another conversation's token", b.ID, token(tokA), http.StatusNotFound},
		{"no token", a.ID, nil, http.StatusUnauthorized},
		{"garbage token", a.ID, token("garbage"), http.StatusUnauthorized},
		{"staff of another tenant", a.ID, token(other.Agent), http.StatusNotFound},
		{"unknown conversation", "no-such-id", token(s.Agent), http.StatusNotFound},
		{"unknown last_id", a.ID, url.Values{"token": {tokA}, "last_id": {"nope"}}, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			conn, res, err := websocket.Dial(ctx, e.wsURL(tt.convID, tt.query), nil)
			if err == nil {
				conn.CloseNow()
				t.Fatal("the socket was opened")
			}
			if res == nil || res.StatusCode != tt.status {
				t.Errorf("dial: %v, response %+v; want status %d", err, res, tt.status)
			}
		})
	}
}

// Browsers send an Origin; a page of another site cannot open a customer's
// socket with a token it stole or was given.
func TestWebSocketOrigin(t *testing.T) {
	e := newEnv(t, func(o *envOptions) { o.cfg.AllowedOrigins = []string{"shop.example"} })
	e.newShop("shop")
	c, tok := e.start("shop")
	for _, tt := range []struct {
		origin string
		ok     bool
	}{
		{e.HTTP.URL, true},              // the server's own host
		{"https://shop.example", true},  // allowed by the configuration
		{"https://evil.example", false}, // anyone else
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		conn, res, err := websocket.Dial(ctx, e.wsURL(c.ID, token(tok)), &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {tt.origin}}})
		cancel()
		if tt.ok {
			if err != nil {
				t.Errorf("origin %s: %v", tt.origin, err)
				continue
			}
			wantFrames(t, conn, "status:bot")
			conn.Close(websocket.StatusNormalClosure, "")
			continue
		}
		if err == nil {
			conn.CloseNow()
			t.Errorf("origin %s: the socket was opened", tt.origin)
		} else if res == nil || res.StatusCode != http.StatusForbidden {
			t.Errorf("origin %s: %v, %+v; want 403", tt.origin, err, res)
		}
	}
}

// A frame over the body limit closes the socket with 1009.
func TestWebSocketFrameTooBig(t *testing.T) {
	e := newEnv(t, func(o *envOptions) { o.cfg.MaxBodyBytes = 1024 })
	e.newShop("shop")
	c, tok := e.start("shop")
	conn := e.dial(c.ID, token(tok))
	wantFrames(t, conn, "status:bot")
	send(t, conn, api.WSClientFrame{Type: "message", Text: strings.Repeat("a", 2048)})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, _, err := conn.Read(ctx)
	if got := websocket.CloseStatus(err); got != websocket.StatusMessageTooBig {
		t.Errorf("read after an oversized frame: %v (status %v), want %v", err, got, websocket.StatusMessageTooBig)
	}
	if n := len(e.messages(c.ID, tok, "")); n != 0 {
		t.Errorf("%d messages stored from an oversized frame", n)
	}
}

// At shutdown every socket gets a "going away" close frame, and the
// server reports itself not ready.
func TestGracefulShutdown(t *testing.T) {
	e := newEnv(t)
	e.newShop("shop")
	c, tok := e.start("shop")
	if r := e.get("/readyz", ""); r.Status != http.StatusOK {
		t.Fatalf("/readyz before shutdown: %d %s", r.Status, r.Body)
	}
	conn := e.dial(c.ID, token(tok))
	wantFrames(t, conn, "status:bot")

	closed := make(chan struct{})
	go func() {
		defer close(closed)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		e.Server.CloseSockets(ctx)
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, _, err := conn.Read(ctx)
	if got := websocket.CloseStatus(err); got != websocket.StatusGoingAway {
		t.Errorf("read after CloseSockets: %v (status %v), want a close frame with %v", err, got, websocket.StatusGoingAway)
	}
	select {
	case <-closed:
	case <-ctx.Done():
		t.Fatal("CloseSockets did not return after the socket closed")
	}
	wantError(t, e.get("/readyz", ""), http.StatusServiceUnavailable, "unavailable", "shutting down")

	// New sockets are refused.
	_, res, err := websocket.Dial(ctx, e.wsURL(c.ID, token(tok)), nil)
	if err == nil || res == nil || res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("dial after shutdown: %v, %+v; want 503", err, res)
	}
}

func TestWebSocketRouteWithoutUpgradeIsJSONError(t *testing.T) {
	e := newEnv(t)
	e.newShop("shop")
	conv, tok := e.start("shop")
	r := e.get("/v1/conversations/"+conv.ID+"/ws", tok)
	wantError(t, r, http.StatusBadRequest, "invalid", "WebSocket upgrade")
}

// Message events can reach the hub out of commit order (two writes of one
// group commit wake in any order). The socket still sends messages in seq
// order, each once.
func TestWebSocketOrdersOutOfOrderEvents(t *testing.T) {
	e := newEnv(t)
	sh := e.newShop("shop")
	c, tok := e.start("shop")
	conn := e.dial(c.ID, token(tok))
	wantFrames(t, conn, "status:bot")

	ctx := context.Background()
	var stored []*assist.Message
	for i, text := range []string{"first", "second"} {
		m := &assist.Message{ID: fmt.Sprintf("m-%d", i), TenantID: sh.Tenant.ID, ConversationID: c.ID,
			Author: assist.AuthorAgent, Text: text, Handled: true, CreatedAt: time.Now()}
		s, _, err := e.Convs.Store.AppendMessage(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, s)
	}
	// The second's event arrives first, then the first's.
	e.Hub.Publish(stored[1].TenantID, conversation.Event{Type: conversation.EventMessage, ConversationID: c.ID, Message: stored[1]})
	e.Hub.Publish(stored[0].TenantID, conversation.Event{Type: conversation.EventMessage, ConversationID: c.ID, Message: stored[0]})
	e.Hub.Publish(stored[0].TenantID, conversation.Event{Type: conversation.EventTyping, ConversationID: c.ID, Author: assist.AuthorAgent})
	wantFrames(t, conn, "message:agent:first", "message:agent:second", "typing:agent")
}

// Socket frames count against the rate limits like requests: past the
// burst a message frame is dropped with an error naming its key, and
// nothing is stored for it.
func TestWebSocketFramesAreRateLimited(t *testing.T) {
	e := newEnv(t, func(o *envOptions) { o.cfg.RateLimit, o.cfg.RateBurst = 0.001, 4 })
	sh := e.newShop("shop")
	c, tok := e.start("shop") // one request of the customer's budget
	conn := e.dial(c.ID, token(tok))
	wantFrames(t, conn, "status:bot") // the upgrade took another
	var limited *api.WSFrame
	for i := range 5 {
		key := fmt.Sprint("f-", i)
		send(t, conn, api.WSClientFrame{Type: "typing", IdempotencyKey: key})
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		var f api.WSFrame
		err := wsjson.Read(ctx, conn, &f)
		cancel()
		if err == nil && f.Type == "error" {
			limited = &f
			break
		}
	}
	if limited == nil || limited.Error.Code != "rate_limited" || limited.IdempotencyKey == "" {
		t.Fatalf("no frame was rate limited: %+v", limited)
	}
	send(t, conn, api.WSClientFrame{Type: "message", Text: "one too many", IdempotencyKey: "over"})
	if f := wantFrames(t, conn, "error:rate_limited")[0]; f.IdempotencyKey != "over" {
		t.Errorf("error frame key %q, want over", f.IdempotencyKey)
	}
	if ms, err := e.Convs.Store.Messages(context.Background(), sh.Tenant.ID, c.ID, 0, 0); err != nil || len(ms) != 0 {
		t.Errorf("%d messages stored (%v), want none", len(ms), err)
	}
}
