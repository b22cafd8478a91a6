package main

import (
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/assistd/assist/models/onnx"
)

// BenchmarkTurn measures a full bot turn without an LLM, in process: the
// customer message stored, NLU, sentiment, the dialog state loaded and
// stored with the replies, the policy, and a flow step (calling the demo
// shop), a help-center answer or small talk. It reports the p50 and p99
// of the turns as custom metrics (target: p99 ≤ 5 ms).
func BenchmarkTurn(b *testing.B) {
	requireORTTB(b)
	d := newStoryDriver(storyConfig(b), b.TempDir())
	b.Cleanup(func() { d.Close() })
	for _, k := range turnKinds {
		b.Run(k.Name, func(b *testing.B) {
			r, err := startTurnRun(b.Context(), d, k)
			if err != nil {
				b.Fatal(err)
			}
			for range 10 { // warm up: models, caches, the statement cache
				if err := r.next(b.Context()); err != nil {
					b.Fatal(err)
				}
			}
			var lat []time.Duration
			for b.Loop() {
				start := time.Now()
				if err := r.next(b.Context()); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
			}
			slices.Sort(lat)
			b.ReportMetric(millis(quantile(lat, 0.50)), "p50-ms")
			b.ReportMetric(millis(quantile(lat, 0.99)), "p99-ms")
		})
	}
}

// requireORTTB is requireORT for benchmarks too: skip without ONNX
// Runtime unless ASSIST_REQUIRE_ORT=1.
func requireORTTB(tb testing.TB) {
	tb.Helper()
	rt, err := onnx.Load(onnx.Config{})
	if errors.Is(err, onnx.ErrLibraryNotFound) && os.Getenv("ASSIST_REQUIRE_ORT") == "" {
		tb.Skipf("skipping: %v", err)
	}
	if err != nil {
		tb.Fatal(err)
	}
	rt.Close()
}
