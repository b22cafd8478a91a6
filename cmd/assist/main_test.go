package main

import (
	"bytes"
	"context"
	"encoding/json"

	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assistd/assist/conversation"
)

// testMain runs the same Main as `assist serve` on port 0 with a temp dir.
func testMain(t testing.TB, demo bool) (*Main, *bytes.Buffer) {
	t.Helper()
	return testMainWith(t, func(c *Config) { c.Demo.Seed = demo })
}

func testMainWith(t testing.TB, edit func(*Config)) (*Main, *bytes.Buffer) {
	t.Helper()
	cfg := DefaultConfig()
	cfg.HTTP.Addr = "127.0.0.1:0"
	cfg.Store.Path = filepath.Join(t.TempDir(), "assist.db")
	cfg.Auth.BcryptCost = 4
	cfg.HTTP.RateLimit = 0
	cfg.HTTP.IPRateLimit = 0
	cfg.Log.Level = "error"
	// Tests of the plumbing (routing, tickets, sockets) need every
	// conversation handed off; the assistant has tests of its own.
	cfg.Dialog.Policy = "handoff"
	edit(&cfg)
	var out bytes.Buffer
	m := NewMain(cfg, &out)
	m.Logger = newLogger(cfg, io.Discard)
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m, &out
}

func call(t testing.TB, method, url, token string, body any, out any) int {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, r)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, url, b, err)
		}
	}
	return resp.StatusCode
}

func TestServeEndToEnd(t *testing.T) {
	m, out := testMain(t, true)
	base := m.URL()

	// The demo credentials are printed, and they work.
	var creds demoCredentials
	b, err := readFile(filepath.Join(filepath.Dir(m.Config.Store.Path), "demo-credentials.json"))
	if err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(b, &creds)
	if len(creds.Users) != 3 || !strings.Contains(out.String(), creds.Users[1].Password) {
		t.Fatalf("demo credentials not printed: %s", out.String())
	}

	var conv struct {
		Conversation struct{ ID, Owner string }
		Token        string
	}
	if code := call(t, "POST", base+"/v1/conversations", "", map[string]string{"tenant": "demo"}, &conv); code != 201 {
		t.Fatalf("create conversation: %d", code)
	}
	var posted struct {
		Message struct{ ID, Text string }
		Replies []struct{ Author, Text string }
	}
	if code := call(t, "POST", base+"/v1/conversations/"+conv.Conversation.ID+"/messages", conv.Token, map[string]string{"text": "Where is my parcel?"}, &posted); code != 201 {
		t.Fatalf("post: %d", code)
	}
	// The hand-off reply, then where the customer stands: routing offered
	// the conversation to the online demo agent at once.
	if len(posted.Replies) != 2 || posted.Replies[0].Author != "bot" || !strings.Contains(posted.Replies[0].Text, "connecting you") ||
		posted.Replies[1].Author != "bot" || posted.Replies[1].Text != conversation.QueueText("en", 0) {
		t.Fatalf("replies = %+v", posted.Replies)
	}

	// The agent it was offered to logs in, sees the waiting conversation,
	// takes it and answers; the other agent cannot take it.
	var login struct{ Token string }
	claimed := 0
	for _, agent := range creds.Users[1:] {
		if code := call(t, "POST", base+"/v1/auth/login", "", map[string]string{"tenant": "demo", "email": agent.Email, "password": agent.Password}, &login); code != 200 {
			t.Fatalf("login: %d", code)
		}
		var list struct{ Conversations []struct{ ID, Owner string } }
		call(t, "GET", base+"/v1/conversations?owner=queue", login.Token, nil, &list)
		if claimed == 0 && (len(list.Conversations) != 1 || list.Conversations[0].ID != conv.Conversation.ID) {
			t.Fatalf("queue = %+v", list)
		}
		if code := call(t, "POST", base+"/v1/conversations/"+conv.Conversation.ID+"/claim", login.Token, nil, nil); code == 200 {
			claimed++
			if code := call(t, "POST", base+"/v1/conversations/"+conv.Conversation.ID+"/messages", login.Token, map[string]string{"text": "Hi, I'm Lin. Let me check."}, nil); code != 201 {
				t.Fatalf("agent post: %d", code)
			}
			break
		}
	}
	if claimed != 1 {
		t.Fatalf("%d agents claimed the conversation; want the one it was offered to", claimed)
	}
	var msgs struct{ Messages []struct{ Author string } }
	call(t, "GET", base+"/v1/conversations/"+conv.Conversation.ID+"/messages", conv.Token, nil, &msgs)
	var authors []string
	for _, m := range msgs.Messages {
		authors = append(authors, m.Author)
	}
	if got := strings.Join(authors, ","); got != "customer,bot,bot,agent" {
		t.Fatalf("authors = %s", got)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestVersionCommand(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"version"}, &out, &errb); code != 0 || !strings.HasPrefix(out.String(), "assist ") {
		t.Fatalf("code %d, out %q, err %q", code, out.String(), errb.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"--help"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "serve") {
		t.Fatalf("help: code %d, out %q", code, out.String())
	}
	if code := run(context.Background(), []string{"frobnicate"}, &out, &errb); code != 2 {
		t.Fatalf("unknown command: code %d", code)
	}
	errb.Reset()
	if code := run(context.Background(), []string{"--set", "nope=1", "serve"}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "unknown setting") {
		t.Fatalf("bad setting: code %d, err %q", code, errb.String())
	}
}

func readFile(p string) ([]byte, error) { return os.ReadFile(p) }

func TestBenchPostCommand(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"--set", "auth.bcrypt_cost=4", "bench", "post", "--messages", "40", "--clients", "4", "--conversations", "3", "--json"}, &out, &errb)
	if code != 0 {
		t.Fatalf("code %d: %s", code, errb.String())
	}
	var res BenchResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if res.Messages != 40 || res.Errors != 0 || res.PerSecond <= 0 || res.P99Millis < res.P50Millis {
		t.Fatalf("result = %+v", res)
	}
}
