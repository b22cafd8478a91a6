package main

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/assistd/assist/models/onnx"
)

// BenchmarkTurn measures a full bot turn without an LLM, in process: the
// customer message stored, NLU, sentiment, the dialog state loaded and
// stored with the replies, the policy, and a flow step (calling the demo
// shop), a help-center answer or small talk. It reports the p50 and p99
// of the turns as custom metrics (target: p99 ≤ 5 ms), the same less the
// time the process waited for a CPU (p50-ms-ready, p99-ms-ready: see
// runDelay), and the CPU time of the process per turn (cpu-ms/op: the
// work done, which a busy machine does not inflate as it does wall time;
// background work the turns cause, such as the WAL checkpoints, included,
// the benchmark's own reads of the run delay left out). The collector
// runs as in the server, with its heap floor (before 2026-12-07 10:00 the
// benchmark ran without it, as GOGC=100 in the environment still does).
func BenchmarkTurn(b *testing.B) {
	requireORTTB(b)
	cfg := storyConfig(b)
	d := newStoryDriver(cfg, b.TempDir())
	b.Cleanup(func() { d.Close() })
	// The turns run as the server runs them: with its heap floor
	// (runtime.heap_floor_mb; GOGC=100 in the environment measures
	// without it).
	heapFloor(int64(cfg.Runtime.HeapFloorMB) << 20)
	b.Cleanup(func() { heapFloor(0) })
	for _, k := range turnKinds {
		b.Run(k.Name, func(b *testing.B) {
			r, err := startTurnRun(b.Context(), d, k)
			if err != nil {
				b.Fatal(err)
			}
			for range 10 { // warm up: models, caches, the statement cache
				if err := r.before(b.Context()); err != nil {
					b.Fatal(err)
				}
				if err := r.next(b.Context()); err != nil {
					b.Fatal(err)
				}
			}
			if err := r.stillBot(b.Context()); err != nil {
				b.Fatal(err)
			}
			var lat, ready []time.Duration
			// probe is the CPU the run delay's reads took (every thread's
			// schedstat, twice a turn) and the turns before the measured
			// ones (turnKind.Before): not the turn's.
			var probe time.Duration
			delay := func() (time.Duration, bool) {
				c := cpuTime()
				w, ok := runDelay()
				probe += cpuTime() - c
				return w, ok
			}
			cpu0 := cpuTime()
			for b.Loop() {
				b.StopTimer()
				c := cpuTime()
				if err := r.before(b.Context()); err != nil {
					b.Fatal(err)
				}
				probe += cpuTime() - c
				w0, ok := delay()
				b.StartTimer()
				start := time.Now()
				if err := r.next(b.Context()); err != nil {
					b.Fatal(err)
				}
				d := time.Since(start)
				lat = append(lat, d)
				b.StopTimer()
				if w1, ok1 := delay(); ok && ok1 {
					ready = append(ready, d-(w1-w0))
				}
				b.StartTimer()
			}
			cpu := cpuTime() - cpu0 - probe
			if err := r.stillBot(b.Context()); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(lat)), "cpu-ms/op")
			slices.Sort(lat)
			b.ReportMetric(millis(quantile(lat, 0.50)), "p50-ms")
			b.ReportMetric(millis(quantile(lat, 0.99)), "p99-ms")
			if len(ready) == len(lat) {
				slices.Sort(ready)
				b.ReportMetric(millis(quantile(ready, 0.50)), "p50-ms-ready")
				b.ReportMetric(millis(quantile(ready, 0.99)), "p99-ms-ready")
			}
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

// runDelay is the time the process's threads have spent runnable but
// waiting for a CPU (Linux schedstat), false where it cannot be read. A
// turn's latency less the run delay it saw (p50-ms-ready, p99-ms-ready)
// is what the turn would take on a machine of its own: on a machine other
// jobs keep busy, p99-ms measures them. It errs low when a thread the
// turn did not wait for waited too.
//
// It reads every file into one buffer: with os.ReadFile per thread its
// garbage (~34 KB a turn: two reads of some 30 threads) was more than a
// small-talk turn's own, and the collections it caused ran during the
// measured turns (a sixth of BenchmarkTurn's allocation, 2026-12-07).
func runDelay() (time.Duration, bool) {
	dir, err := os.Open("/proc/self/task")
	if err != nil {
		return 0, false
	}
	tasks, err := dir.Readdirnames(-1)
	dir.Close()
	if err != nil {
		return 0, false
	}
	var sum int64
	for _, t := range tasks {
		fd, err := syscall.Open("/proc/self/task/"+t+"/schedstat", syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != nil {
			continue // the thread ended
		}
		n, err := syscall.Read(fd, schedBuf[:])
		syscall.Close(fd)
		if err != nil {
			continue
		}
		// schedstat: time on the CPU, time waiting for one (ns), timeslices.
		f := bytes.Fields(schedBuf[:max(n, 0)])
		if len(f) < 2 {
			return 0, false
		}
		w, err := strconv.ParseInt(string(f[1]), 10, 64)
		if err != nil {
			return 0, false
		}
		sum += w
	}
	return time.Duration(sum), true
}

// schedBuf is runDelay's buffer (the benchmark runs one turn at a time).
var schedBuf [128]byte

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
