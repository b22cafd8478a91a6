//go:build qdrant

package qdrant_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	pb "github.com/qdrant/go-client/qdrant"

	"github.com/assistd/assist/rag"
	"github.com/assistd/assist/vector/qdrant"
	"github.com/assistd/assist/vector/vectortest"
)

// TestRealQdrant runs the conformance suite against the Qdrant at
// $ASSIST_QDRANT_URL (gRPC, like http://localhost:6334; the key, if any,
// in $ASSIST_QDRANT_API_KEY), in throw-away collections it deletes after:
//
//	ASSIST_QDRANT_URL=http://localhost:6334 go test -tags qdrant -run TestRealQdrant ./vector/qdrant/
func TestRealQdrant(t *testing.T) {
	url := os.Getenv("ASSIST_QDRANT_URL")
	if url == "" {
		t.Skip("ASSIST_QDRANT_URL is not set")
	}
	key := os.Getenv("ASSIST_QDRANT_API_KEY")
	run := time.Now().UnixNano()
	n := 0
	vectortest.Run(t, func(t *testing.T, dim int) rag.Index {
		n++
		cfg := qdrant.Config{URL: url, APIKey: key, Collection: fmt.Sprintf("assist_vectortest_%d_%d", run, n), Dim: dim}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		ix, err := qdrant.Open(ctx, cfg)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() {
			host, port := qdrant.HostPort(t, url)
			c, err := pb.NewClient(&pb.Config{Host: host, Port: port, APIKey: key, SkipCompatibilityCheck: true, PoolSize: 1})
			if err == nil {
				c.DeleteCollection(context.Background(), cfg.Collection)
				c.Close()
			}
			ix.Close()
		})
		return ix
	})
}
