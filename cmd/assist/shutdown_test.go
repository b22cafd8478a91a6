package main

import (
	"context"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/assistd/assist/dialog"
)

// TestCloseLetsInFlightRequestsFinish starts a post whose turn is still
// running when Close is called: the client still gets its 201 with the
// reply, the message is in the database, and the database is closed with
// its WAL checkpointed.
func TestCloseLetsInFlightRequestsFinish(t *testing.T) {
	entered := make(chan struct{})
	release := make(chan struct{})
	policy := dialog.PolicyFunc(func(ctx context.Context, turn dialog.Turn) (dialog.Reply, error) {
		close(entered)
		<-release
		return dialog.Reply{Messages: []string{"done"}}, nil
	})
	cfg := DefaultConfig()
	cfg.HTTP.Addr = "127.0.0.1:0"
	cfg.Store.Path = filepath.Join(t.TempDir(), "assist.db")
	cfg.Auth.BcryptCost = 4
	cfg.HTTP.RateLimit = 0
	cfg.HTTP.IPRateLimit = 0
	m := NewMain(cfg, io.Discard)
	m.Logger = newLogger(cfg, io.Discard)
	m.Policy = policy
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.Auth.EnsureTenant(context.Background(), "demo", "Demo"); err != nil {
		t.Fatal(err)
	}
	base := m.URL()
	var conv struct {
		Conversation struct{ ID string }
		Token        string
	}
	call(t, "POST", base+"/v1/conversations", "", map[string]string{"tenant": "demo"}, &conv)

	type result struct {
		code    int
		replies int
	}
	done := make(chan result)
	go func() {
		var out struct{ Replies []struct{ Text string } }
		code := call(t, "POST", base+"/v1/conversations/"+conv.Conversation.ID+"/messages", conv.Token, map[string]string{"text": "hi"}, &out)
		done <- result{code, len(out.Replies)}
	}()
	<-entered
	closed := make(chan error)
	addr := m.Addr()
	go func() { closed <- m.Close() }()
	// Release the turn only once shutdown has begun: the listener is closed.
	for {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break
		}
		c.Close()
		time.Sleep(time.Millisecond)
	}
	close(release)
	r := <-done
	if r.code != 201 || r.replies != 1 {
		t.Fatalf("in-flight post: status %d, %d replies", r.code, r.replies)
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(cfg.Store.Path + "-wal"); err == nil && fi.Size() > 0 {
		t.Errorf("WAL not checkpointed at close: %d bytes", fi.Size())
	}
	// Reopened, the message and its reply are there.
	m2 := NewMain(cfg, io.Discard)
	m2.Logger = m.Logger
	if err := m2.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m2.Close()
	var msgs struct{ Messages []struct{ Text string } }
	call(t, "GET", m2.URL()+"/v1/conversations/"+conv.Conversation.ID+"/messages", conv.Token, nil, &msgs)
	if len(msgs.Messages) != 2 || msgs.Messages[1].Text != "done" {
		t.Fatalf("after restart: %+v", msgs.Messages)
	}
}

// Close sends every open WebSocket a "going away" close frame before it
// closes the database.
func TestCloseSendsWebSocketsAwayFirst(t *testing.T) {
	m, _ := testMain(t, false)
	if _, _, err := m.Auth.EnsureTenant(context.Background(), "demo", "Demo"); err != nil {
		t.Fatal(err)
	}
	var conv struct {
		Conversation struct{ ID string }
		Token        string
	}
	call(t, "POST", m.URL()+"/v1/conversations", "", map[string]string{"tenant": "demo"}, &conv)
	ws := "ws" + strings.TrimPrefix(m.URL(), "http") + "/v1/conversations/" + conv.Conversation.ID + "/ws?token=" + url.QueryEscape(conv.Token)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, ws, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	if _, _, err := c.Read(ctx); err != nil { // the status frame
		t.Fatal(err)
	}
	closed := make(chan error)
	go func() { closed <- m.Close() }()
	_, _, err = c.Read(ctx)
	if got := websocket.CloseStatus(err); got != websocket.StatusGoingAway {
		t.Fatalf("read after Close: %v (status %d), want 1001", err, got)
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	if m.DB != nil {
		t.Fatal("database left open")
	}
}
