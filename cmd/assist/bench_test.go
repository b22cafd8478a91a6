package main

import (
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

// BenchmarkPostMessage measures customer message posting through the whole
// stack (HTTP, auth, durable SQLite append with synchronous=FULL, the turn,
// CompleteTurn) on loopback, one client and 8 in parallel.
func BenchmarkPostMessage(b *testing.B) {
	for _, sync := range []string{"full", "normal"} {
		for _, parallel := range []bool{false, true} {
			name := fmt.Sprintf("sync=%s/clients=1", sync)
			if parallel {
				name = fmt.Sprintf("sync=%s/clients=8", sync)
			}
			b.Run(name, func(b *testing.B) { benchPost(b, sync, parallel) })
		}
	}
}

func benchPost(b *testing.B, sync string, parallel bool) {
	m, _ := testMainWith(b, func(c *Config) { c.Store.Synchronous = sync })
	base := m.URL()
	const nConv = 64
	type convT struct{ id, token string }
	convs := make([]convT, nConv)
	if _, _, err := m.Auth.EnsureTenant(b.Context(), "bench", "Bench"); err != nil {
		b.Fatal(err)
	}
	for i := range convs {
		var c struct {
			Conversation struct{ ID string }
			Token        string
		}
		call(b, "POST", base+"/v1/conversations", "", map[string]string{"tenant": "bench"}, &c)
		convs[i] = convT{c.Conversation.ID, c.Token}
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var n atomic.Int64
	post := func() {
		i := n.Add(1)
		c := convs[i%nConv]
		req, _ := http.NewRequest("POST", base+"/v1/conversations/"+c.id+"/messages", strings.NewReader(`{"text":"where is my order 20240611?"}`))
		req.Header.Set("Authorization", "Bearer "+c.token)
		req.Header.Set("Idempotency-Key", fmt.Sprintf("b-%d", i))
		resp, err := client.Do(req)
		if err != nil {
			b.Error(err)
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 201 {
			b.Errorf("status %d", resp.StatusCode)
		}
	}
	b.ResetTimer()
	if parallel {
		// SetParallelism(p) runs p×GOMAXPROCS clients: about 8.
		b.SetParallelism(max(1, (8+numCPU()-1)/numCPU()))
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				post()
			}
		})
	} else {
		for b.Loop() {
			post()
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

func numCPU() int { return runtime.GOMAXPROCS(0) }
