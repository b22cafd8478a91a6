package webhook

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

func FuzzDecodeResult(f *testing.F) {
	for _, s := range []string{`{"status":"ok"}`, `{"status":"ok","data":{"a":[1,{"b":null}]}}`, `{}`, `null`, `[]`, `{"status":"ok"} {}`, "{\"status\":\"\xff\"}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := decodeResult(b)
		if err != nil {
			return
		}
		if !validStatus(res.Status) {
			t.Fatalf("accepted status %q", res.Status)
		}
		// What was accepted survives a round trip through the contract.
		out, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := decodeResult(out); err != nil {
			t.Fatalf("re-encoded result %s refused: %v", out, err)
		}
	})
}

func TestBackoff(t *testing.T) {
	c := &Client{Backoff: 100 * time.Millisecond}
	for _, tt := range []struct {
		attempt int
		lo, hi  time.Duration
	}{
		{1, 50 * time.Millisecond, 100 * time.Millisecond},
		{2, 100 * time.Millisecond, 200 * time.Millisecond},
		{4, 400 * time.Millisecond, 800 * time.Millisecond},
		{10, maxBackoff / 2, maxBackoff},
		{80, maxBackoff / 2, maxBackoff},
	} {
		seen := map[time.Duration]bool{}
		for range 50 {
			d := c.backoff(tt.attempt)
			if d < tt.lo || d > tt.hi {
				t.Fatalf("backoff(%d) = %s, want in [%s, %s]", tt.attempt, d, tt.lo, tt.hi)
			}
			seen[d] = true
		}
		if len(seen) < 2 {
			t.Errorf("backoff(%d) has no jitter", tt.attempt)
		}
	}
	if d := (&Client{}).backoff(1); d < DefaultBackoff/2 || d > DefaultBackoff {
		t.Errorf("default backoff(1) = %s", d)
	}
}

// A shop that sends a sum as a JSON number gets it read exactly: the
// float64 of 12345678901234567 is …568, a fen off.
func TestDecodeResultKeepsNumbersExact(t *testing.T) {
	res, err := decodeResult([]byte(`{"status":"ok","data":{"refund_minor":12345678901234567,"price":0.1}}`))
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"refund_minor": "12345678901234567", "price": "0.1"} {
		if got := fmt.Sprint(res.Data[k]); got != want {
			t.Errorf("data.%s = %s, want %s", k, got, want)
		}
	}
}
