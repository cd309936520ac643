package fence

import (
	"context"
	"runtime"
	"slices"
	"testing"
	"time"
)

// BenchmarkStatusQuery is the zero-timeout wait a compositor issues per
// buffer per frame: it must stay far below a microsecond and never
// allocate.
func BenchmarkStatusQuery(b *testing.B) {
	b.Run("pending-enabled", func(b *testing.B) {
		f := New(&hookOps{ret: true}, nil, 1)
		_, _ = f.Wait(nil, 0) // the enable hook has run
		b.ReportAllocs()
		for b.Loop() {
			_, _ = f.Wait(nil, 0)
		}
	})
	b.Run("pending-with-context", func(b *testing.B) {
		f := New(&hookOps{ret: true}, nil, 1)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		_, _ = f.Wait(ctx, 0)
		b.ReportAllocs()
		for b.Loop() {
			_, _ = f.Wait(ctx, 0)
		}
	})
	b.Run("signaled", func(b *testing.B) {
		f := New(&hookOps{ret: true}, nil, 1)
		_ = f.Signal()
		b.ReportAllocs()
		for b.Loop() {
			_, _ = f.Wait(nil, 0)
		}
	})
}

// BenchmarkSignalToWake measures the latency from Signal to the blocked
// waiter running again, and reports its median and 99th percentile.
func BenchmarkSignalToWake(b *testing.B) {
	b.ReportAllocs()
	lat := make([]time.Duration, 0, b.N)
	ready := make(chan *Fence)
	woke := make(chan time.Time)
	go func() {
		for f := range ready {
			_, _ = f.Wait(nil, Forever)
			woke <- time.Now()
		}
	}()
	for b.Loop() {
		f := New(testOps{}, nil, 1)
		ready <- f
		// Signal only once the waiter is parked, so the measurement is the
		// wake-up, not the waiter's start.
		for callbackCount(f) == 0 {
			runtime.Gosched()
		}
		start := time.Now()
		_ = f.Signal()
		lat = append(lat, (<-woke).Sub(start))
	}
	close(ready)
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}

// BenchmarkWaitAny64 waits on 64 fences of which only the last signals.
func BenchmarkWaitAny64(b *testing.B) {
	fences := make([]*Fence, 64)
	for i := range fences[:63] {
		fences[i] = New(testOps{}, nil, 1)
	}
	b.ReportAllocs()
	for b.Loop() {
		fences[63] = New(testOps{}, nil, 1)
		last := fences[63]
		t := time.AfterFunc(0, func() { _ = last.Signal() })
		if idx, _, err := WaitAny(nil, fences, Forever); err != nil || idx != 63 {
			b.Fatalf("wait any: %d %v", idx, err)
		}
		t.Stop()
	}
}

// BenchmarkSignalNoWaiters is the signaller's cost when nobody waits, the
// common case for most fences.
func BenchmarkSignalNoWaiters(b *testing.B) {
	c := AllocContext()
	fences := make([]Fence, 1024)
	b.ReportAllocs()
	seq := uint64(0)
	for b.Loop() {
		i := int(seq % uint64(len(fences)))
		seq++
		f := &fences[i]
		// Reinitialise in place so the benchmark measures Signal, not New.
		*f = Fence{ops: testOps{}, ctx: c, seqno: seq}
		f.cbs.next, f.cbs.prev = &f.cbs, &f.cbs
		_ = f.Signal()
	}
}
