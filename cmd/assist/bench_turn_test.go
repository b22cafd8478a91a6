package main

import (
	"errors"
	"os"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/assistd/assist/models/onnx"
)

// BenchmarkTurn measures a full bot turn without an LLM, in process: the
// customer message stored, NLU, sentiment, the dialog state loaded and
// stored with the replies, the policy, and a flow step (calling the demo
// shop), a help-center answer or small talk. It reports the p50 and p99
// of the turns as custom metrics (target: p99 ≤ 5 ms), and the CPU time
// of the process per turn (cpu-ms/op: the work done, which a busy machine
// does not inflate as it does wall time).
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
			cpu0 := cpuTime()
			for b.Loop() {
				start := time.Now()
				if err := r.next(b.Context()); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(len(lat)), "cpu-ms/op")
			slices.Sort(lat)
			b.ReportMetric(millis(quantile(lat, 0.50)), "p50-ms")
			b.ReportMetric(millis(quantile(lat, 0.99)), "p99-ms")
		})
	}
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
