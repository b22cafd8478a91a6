package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/assistd/assist/store/sqlite"
)

// startBinary starts `assist serve` as a child process and returns its base
// URL once it listens.
func startBinary(t *testing.T, bin, db string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", db,
		"--set", "http.rate_limit=0", "--set", "http.ip_rate_limit=0", "--set", "log.level=error")
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if _, url, ok := strings.Cut(sc.Text(), " listening on "); ok {
			go io.Copy(io.Discard, stdout)
			return cmd, url
		}
	}
	t.Fatalf("assist serve exited without listening: %v", sc.Err())
	return nil, ""
}

// TestKill9WhilePosting posts 1,000 messages from 8 clients, kills the
// server with SIGKILL in the middle, restarts it, and checks that every
// message that got a 2xx is stored exactly once; then retries every message
// with its idempotency key and checks that all 1,000 are stored once each.
func TestKill9WhilePosting(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "assist")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "assist.db")

	// The tenant must exist before the first server starts.
	seedTenant(t, db)
	cmd, base := startBinary(t, bin, db)

	// Four messages per conversation, in a row: around the kill, first
	// messages (whose turn the bot runs) are in flight as well as later ones.
	const nConv, nMsg, workers = 250, 1000, 8
	type convT struct{ id, token string }
	convs := make([]convT, nConv)
	for i := range convs {
		var c struct {
			Conversation struct{ ID string }
			Token        string
		}
		if code := call(t, "POST", base+"/v1/conversations", "", map[string]string{"tenant": "demo"}, &c); code != 201 {
			t.Fatalf("create conversation: %d", code)
		}
		convs[i] = convT{c.Conversation.ID, c.Token}
	}

	post := func(base string, i int) (int, error) {
		c := convs[i/(nMsg/nConv)]
		body := fmt.Sprintf(`{"text":"message %d"}`, i)
		req, _ := http.NewRequest("POST", base+"/v1/conversations/"+c.id+"/messages", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+c.token)
		req.Header.Set("Idempotency-Key", fmt.Sprintf("m-%04d", i))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, nil
	}

	var acked sync.Map
	var nAcked atomic.Int64
	next := atomic.Int64{}
	killed := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= nMsg {
					return
				}
				code, err := post(base, i)
				if err == nil && code >= 200 && code < 300 {
					acked.Store(i, true)
					if nAcked.Add(1) >= nMsg/3 {
						once.Do(func() {
							cmd.Process.Signal(syscall.SIGKILL)
							close(killed)
						})
					}
				}
			}
		}()
	}
	wg.Wait()
	select {
	case <-killed:
	default:
		t.Fatal("the server was never killed")
	}
	cmd.Wait()
	t.Logf("%d of %d messages acknowledged before the kill", nAcked.Load(), nMsg)

	_, base = startBinary(t, bin, db)

	// The restarted server runs the turns of messages stored just before
	// the kill, by itself.
	store, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if left, err := sqlite.NewConversationStore(store).Unhandled(context.Background(), 100); err == nil {
		t.Logf("%d messages were waiting for their turn at the restart", len(left))
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		left, err := sqlite.NewConversationStore(store).Unhandled(context.Background(), 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d customer messages still without their turn after the restart", len(left))
		}
	}
	count := func() map[string]int {
		seen := map[string]int{}
		for _, c := range convs {
			after := ""
			for {
				var page struct {
					Messages []struct {
						ID             string `json:"id"`
						Author         string `json:"author"`
						IdempotencyKey string `json:"idempotency_key"`
					}
				}
				url := base + "/v1/conversations/" + c.id + "/messages?limit=500"
				if after != "" {
					url += "&after=" + after
				}
				if code := call(t, "GET", url, c.token, nil, &page); code != 200 {
					t.Fatalf("list: %d", code)
				}
				for _, m := range page.Messages {
					if m.Author == "customer" {
						seen[m.IdempotencyKey]++
					}
				}
				if len(page.Messages) < 500 {
					break
				}
				after = page.Messages[len(page.Messages)-1].ID
			}
		}
		return seen
	}
	seen := count()
	acked.Range(func(k, _ any) bool {
		key := fmt.Sprintf("m-%04d", k.(int))
		if seen[key] != 1 {
			t.Errorf("acknowledged message %s stored %d times", key, seen[key])
		}
		return true
	})
	for key, n := range seen {
		if n != 1 {
			t.Errorf("message %s stored %d times", key, n)
		}
	}

	// Clients retry whatever they did not get an answer for (and, to be
	// thorough, everything else): each message ends up stored exactly once.
	for i := 0; i < nMsg; i++ {
		if code, err := post(base, i); err != nil || code >= 300 {
			t.Fatalf("retry %d: %d %v", i, code, err)
		}
	}
	seen = count()
	if len(seen) != nMsg {
		t.Errorf("%d distinct messages stored, want %d", len(seen), nMsg)
	}
	for key, n := range seen {
		if n != 1 {
			t.Errorf("message %s stored %d times after retries", key, n)
		}
	}

	if left, err := sqlite.NewConversationStore(store).Unhandled(context.Background(), 10); err != nil || len(left) != 0 {
		t.Errorf("after the retries: %d messages without their turn (%v)", len(left), err)
	}
}

func seedTenant(t *testing.T, path string) {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Store.Path = path
	cfg.Auth.BcryptCost = 4
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a := newAuthService(db, cfg)
	if _, _, err := a.EnsureTenant(context.Background(), "demo", "Demo Shop"); err != nil {
		t.Fatal(err)
	}
}
