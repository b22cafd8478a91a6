package api

import (
	"fmt"
	"testing"
	"time"
)

// A flood of new keys (rotating addresses) cannot grow the bucket map past
// its bound while the earlier keys are idle.
func TestLimiterBounded(t *testing.T) {
	l := newLimiter(1, 1)
	now := time.Unix(0, 0)
	for i := range maxBuckets {
		l.allow(fmt.Sprint("ip:", i), now)
	}
	if len(l.buckets) != maxBuckets {
		t.Fatalf("%d buckets, want %d", len(l.buckets), maxBuckets)
	}
	later := now.Add(bucketBusy + time.Second)
	if ok, _ := l.allow("ip:new", later); !ok {
		t.Fatal("a new client was refused")
	}
	if len(l.buckets) != 1 {
		t.Fatalf("%d buckets after the bound was hit, want only the new one", len(l.buckets))
	}
	// A client seen recently keeps its (empty) bucket.
	if ok, _ := l.allow("ip:new", later); ok {
		t.Fatal("the new client's burst was not kept")
	}
}

// One client hammering with its own token does not lock out a polite
// client with another token behind the same IP: requests its own limit
// refuses cost the shared IP budget nothing.
func TestLimiterFairBehindOneIP(t *testing.T) {
	s := &Server{limiter: newLimiter(5, 5), ipLimiter: newLimiter(20, 20)}
	now := time.Unix(1000, 0)
	abusive := clientKeys{ip: "ip:203.0.113.7", client: "cred:abusive"}
	polite := clientKeys{ip: "ip:203.0.113.7", client: "cred:polite"}
	got := 0
	for range 200 {
		if ok, _ := s.allow(abusive, now); ok {
			got++
		}
	}
	if got != 5 {
		t.Fatalf("the abusive client got %d requests through, want its burst of 5", got)
	}
	for i := range 5 {
		if ok, retry := s.allow(polite, now); !ok {
			t.Fatalf("polite request %d refused (retry in %s)", i+1, retry)
		}
	}
	// A request the IP's budget refuses gives the client's token back.
	s = &Server{limiter: newLimiter(5, 5), ipLimiter: newLimiter(1, 1)}
	s.allow(clientKeys{ip: "ip:a", client: "cred:x"}, now)
	for range 10 {
		s.allow(clientKeys{ip: "ip:a", client: "cred:y"}, now)
	}
	for i := range 5 {
		if ok, _ := s.allow(clientKeys{ip: fmt.Sprint("ip:b", i), client: "cred:y"}, now); !ok {
			t.Fatalf("request %d of cred:y from another IP refused: requests the IP refused spent its budget", i+1)
		}
	}
}
