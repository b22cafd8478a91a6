package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// BenchCmd measures the service with its own load generator.
type BenchCmd struct {
	Post BenchPostCmd `cmd:"" help:"Measure customer message posting: throughput and latency."`
	Turn BenchTurnCmd `cmd:"" help:"Measure a full bot turn in process, without an LLM (flow step, help-center answer, small talk): p50/p99."`
}

// BenchPostCmd posts messages from concurrent clients, to a running server
// (--url) or to one started in-process on a temporary database.
type BenchPostCmd struct {
	URL           string `help:"Base URL of a running server; empty starts one in-process on a temporary database." placeholder:"URL"`
	Tenant        string `help:"Tenant slug to create conversations in (must exist with --url)." default:"bench"`
	Clients       int    `help:"Concurrent clients." default:"8"`
	Messages      int    `help:"Messages to post in all." default:"2000"`
	Conversations int    `help:"Conversations to spread the messages over." default:"64"`
	Sync          string `help:"SQLite synchronous setting for the in-process server (full or normal)." default:"full" enum:"full,normal"`
	JSON          bool   `help:"Print the result as JSON."`
}

// BenchResult is what bench post reports.
type BenchResult struct {
	Messages   int     `json:"messages"`
	Errors     int     `json:"errors"`
	Clients    int     `json:"clients"`
	Seconds    float64 `json:"seconds"`
	PerSecond  float64 `json:"msgs_per_s"`
	P50Millis  float64 `json:"p50_ms"`
	P99Millis  float64 `json:"p99_ms"`
	MaxMillis  float64 `json:"max_ms"`
	Durability string  `json:"sync,omitempty"`
}

// Run implements the command.
func (c *BenchPostCmd) Run(g *Globals) error {
	if c.Clients < 1 || c.Messages < 1 || c.Conversations < 1 {
		return fmt.Errorf("clients, messages and conversations must be positive")
	}
	base := c.URL
	res := BenchResult{Clients: c.Clients}
	if base == "" {
		dir, err := os.MkdirTemp("", "assist-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		cfg, err := g.LoadConfig(map[string]string{
			"http.addr": "127.0.0.1:0", "store.path": filepath.Join(dir, "bench.db"),
			"http.rate_limit": "0", "http.ip_rate_limit": "0", "store.synchronous": c.Sync, "log.level": "error",
		})
		if err != nil {
			return err
		}
		m := NewMain(cfg, io.Discard)
		m.Logger = newLogger(cfg, io.Discard)
		if err := m.Run(g.Ctx); err != nil {
			m.Close()
			return err
		}
		defer m.Close()
		if _, _, err := m.Auth.EnsureTenant(g.Ctx, c.Tenant, "Bench"); err != nil {
			return err
		}
		base = m.URL()
		res.Durability = c.Sync
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: c.Clients}}
	type conv struct{ id, token string }
	convs := make([]conv, c.Conversations)
	for i := range convs {
		var out struct {
			Conversation struct{ ID string }
			Token        string
		}
		if err := benchJSON(g.Ctx, client, "POST", base+"/v1/conversations", "", map[string]string{"tenant": c.Tenant, "channel": "bench"}, &out); err != nil {
			return fmt.Errorf("create conversation: %w", err)
		}
		convs[i] = conv{out.Conversation.ID, out.Token}
	}
	run := time.Now().UnixNano()
	lat := make([]time.Duration, c.Messages)
	var next, errs atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < c.Clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= c.Messages || g.Ctx.Err() != nil {
					return
				}
				cv := convs[i%len(convs)]
				t0 := time.Now()
				err := benchJSON(g.Ctx, client, "POST", base+"/v1/conversations/"+cv.id+"/messages", cv.token,
					map[string]string{"text": fmt.Sprintf("Where is my order %d?", 100000+i), "idempotency_key": fmt.Sprintf("bench-%d-%d", run, i)}, nil)
				lat[i] = time.Since(t0)
				if err != nil {
					errs.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	res.Messages = c.Messages
	res.Errors = int(errs.Load())
	res.Seconds = elapsed.Seconds()
	res.PerSecond = float64(c.Messages) / elapsed.Seconds()
	res.P50Millis = ms(lat[len(lat)/2])
	res.P99Millis = ms(lat[min(len(lat)-1, len(lat)*99/100)])
	res.MaxMillis = ms(lat[len(lat)-1])
	if c.JSON {
		return json.NewEncoder(g.Stdout).Encode(res)
	}
	fmt.Fprintf(g.Stdout, "posted %d messages from %d clients in %.2fs: %.0f msgs/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d errors\n",
		res.Messages, res.Clients, res.Seconds, res.PerSecond, res.P50Millis, res.P99Millis, res.MaxMillis, res.Errors)
	if res.Errors > 0 {
		return fmt.Errorf("%d requests failed", res.Errors)
	}
	return nil
}

func benchJSON(ctx context.Context, client *http.Client, method, url, token string, body, out any) error {
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, url, resp.StatusCode, bytes.TrimSpace(data))
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}
