package vblank

import (
	"context"
	"errors"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/syncobj/fence"
)

func TestPeriodFromMode(t *testing.T) {
	tests := []struct {
		name       string
		clock      uint32
		h, v       uint16
		interlaced bool
		want       int64
		err        bool
	}{
		// 1920x1080@60 CEA: 148500 kHz, 2200x1125.
		{"1080p60", 148500, 2200, 1125, false, 16666666, false},
		// VKMS default 1024x768 from drm_cvt_mode-style timings: 65000 kHz 1344x806.
		{"1024x768", 65000, 1344, 806, false, 16665600, false},
		{"1080i", 74250, 2200, 1125, true, 16666666, false},
		{"zero clock", 0, 2200, 1125, false, 0, true},
		{"zero htotal", 148500, 0, 1125, false, 0, true},
		{"zero vtotal", 148500, 2200, 0, false, 0, true},
		{"sub-ns frame", 4_000_000_000, 1, 1, false, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := PeriodFromMode(tc.clock, tc.h, tc.v, tc.interlaced)
			if tc.err {
				require.ErrorIs(t, err, syscall.EINVAL)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestPeriodFromRefresh(t *testing.T) {
	tests := []struct {
		mHz  uint32
		want int64
	}{
		{60000, 16666667},
		{59940, 16683350},
		{144000, 6944444},
		{1, 1_000_000_000_000},
	}
	for _, tc := range tests {
		got, err := PeriodFromRefresh(tc.mHz)
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, "mHz %d", tc.mHz)
	}
	_, err := PeriodFromRefresh(0)
	require.ErrorIs(t, err, syscall.EINVAL)
}

func TestNewInvalidPeriod(t *testing.T) {
	_, err := NewVirtual(0)
	require.ErrorIs(t, err, syscall.EINVAL)
	_, err = NewVirtual(-5)
	require.ErrorIs(t, err, syscall.EINVAL)
	_, err = NewRealtime(0)
	require.ErrorIs(t, err, syscall.EINVAL)
}

type rec struct {
	mu   sync.Mutex
	seqs []uint64
	tss  []int64
}

func (r *rec) h(seq uint64, ts int64) {
	r.mu.Lock()
	r.seqs = append(r.seqs, seq)
	r.tss = append(r.tss, ts)
	r.mu.Unlock()
}

func (r *rec) get() ([]uint64, []int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]uint64(nil), r.seqs...), append([]int64(nil), r.tss...)
}

func TestVirtualSequencesAndTimestamps(t *testing.T) {
	v, err := NewVirtual(16666667)
	require.NoError(t, err)
	var r rec
	v.Subscribe(r.h)
	assert.Equal(t, uint64(0), v.Seq())
	assert.Equal(t, int64(0), v.Timestamp(0))

	v.Advance()
	v.Advance()
	v.AdvanceTo(5)
	v.AdvanceTo(3) // backwards: no-op
	v.AdvanceTo(5) // same: no-op

	seqs, tss := r.get()
	assert.Equal(t, []uint64{1, 2, 3, 4, 5}, seqs)
	assert.Equal(t, []int64{16666667, 33333334, 50000001, 66666668, 83333335}, tss)
	assert.Equal(t, uint64(5), v.Seq())
	assert.Equal(t, int64(16666667*1000), v.Timestamp(1000))
	assert.Equal(t, int64(16666667), v.Period())
}

func TestSubscriptionOrderAndCancel(t *testing.T) {
	v, err := NewVirtual(10)
	require.NoError(t, err)
	var mu sync.Mutex
	var log []string
	add := func(name string) Handler {
		return func(seq uint64, ts int64) {
			mu.Lock()
			log = append(log, name)
			mu.Unlock()
		}
	}
	a := v.Subscribe(add("a"))
	v.Subscribe(add("b"))
	v.Advance()
	a.Cancel()
	a.Cancel() // idempotent
	v.Advance()
	v.Subscribe(add("c"))
	v.Advance()
	assert.Equal(t, []string{"a", "b", "b", "b", "c"}, log)
	v.Subscribe(nil).Cancel() // nil handler: inert
	v.Advance()
}

func TestCancelFromHandler(t *testing.T) {
	v, err := NewVirtual(10)
	require.NoError(t, err)
	n := 0
	var sub *Subscription
	sub = v.Subscribe(func(uint64, int64) {
		n++
		sub.Cancel()
	})
	v.AdvanceTo(3)
	assert.Equal(t, 1, n)
}

func TestNestedAdvanceDeliversInOrder(t *testing.T) {
	v, err := NewVirtual(10)
	require.NoError(t, err)
	var r rec
	v.Subscribe(func(seq uint64, ts int64) {
		if seq == 2 {
			v.AdvanceTo(4) // re-entrant: must not deadlock or reorder
			v.Advance()
		}
	})
	v.Subscribe(r.h)
	v.AdvanceTo(2)
	seqs, _ := r.get()
	assert.Equal(t, []uint64{1, 2, 3, 4, 5}, seqs)
}

func TestHandlerPanicRecovered(t *testing.T) {
	v, err := NewVirtual(10)
	require.NoError(t, err)
	var r rec
	v.Subscribe(func(seq uint64, ts int64) {
		if seq == 1 {
			panic("boom")
		}
	})
	v.Subscribe(r.h)
	require.NotPanics(t, func() { v.AdvanceTo(2) })
	seqs, _ := r.get()
	assert.Equal(t, []uint64{1, 2}, seqs)
	assert.Equal(t, uint64(1), v.Panics())
}

func TestVirtualWait(t *testing.T) {
	v, err := NewVirtual(100)
	require.NoError(t, err)

	ts, err := v.Wait(context.Background(), 0)
	require.NoError(t, err)
	assert.Equal(t, int64(0), ts)

	type res struct {
		ts  int64
		err error
	}
	got := make(chan res, 1)
	go func() {
		ts, err := v.Wait(context.Background(), 3)
		got <- res{ts, err}
	}()
	// Advance until the waiter has been released; each step is a real
	// vblank, so the waiter either sees 3 reached or is already parked.
	v.AdvanceTo(3)
	select {
	case r := <-got:
		require.NoError(t, r.err)
		assert.Equal(t, int64(300), r.ts)
	case <-time.After(10 * time.Second):
		t.Fatal("waiter not released at seq 3")
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = v.Wait(ctx, 10)
	require.ErrorIs(t, err, syscall.EINTR)
	require.ErrorIs(t, err, context.Canceled)

	// Waiter structs are reused: the deadline path leaves nothing parked.
	ctx2, cancel2 := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel2()
	_, err = v.Wait(ctx2, 10)
	require.ErrorIs(t, err, syscall.EINTR)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	v.mu.Lock()
	assert.Empty(t, v.waiters)
	v.mu.Unlock()
}

func TestVirtualConcurrent(t *testing.T) {
	v, err := NewVirtual(1)
	require.NoError(t, err)
	var r rec
	v.Subscribe(r.h)
	const g, n = 4, 200
	var wg sync.WaitGroup
	for i := 0; i < g; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < n; j++ {
				v.Advance()
				_ = v.Seq()
			}
		}()
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			ts, err := v.Wait(ctx, g*n)
			assert.NoError(t, err)
			assert.Equal(t, int64(g*n), ts)
		}()
	}
	wg.Wait()
	seqs, tss := r.get()
	require.Len(t, seqs, g*n)
	for i, s := range seqs {
		require.Equal(t, uint64(i+1), s)
		require.Equal(t, int64(i+1), tss[i])
	}
}

func TestRealtimeTicksEverySequence(t *testing.T) {
	const period = int64(time.Millisecond)
	r, err := NewRealtime(period)
	require.NoError(t, err)
	defer r.Stop()
	var rc rec
	r.Subscribe(rc.h)
	start := r.Seq()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	target := start + 20
	ts, err := r.Wait(ctx, target)
	require.NoError(t, err)
	assert.Equal(t, r.Start()+int64(target)*period, ts)
	// A vblank is never delivered before its own time: the ticker works
	// out which sequence is due from the clock, never ahead of it.
	assert.GreaterOrEqual(t, fence.Now(), ts, "vblank %d delivered early", target)
	assert.LessOrEqual(t, r.Seq(), uint64((fence.Now()-r.Start())/period), "no sequence ahead of the clock")

	r.Stop()
	<-r.Done()
	seqs, tss := rc.get()
	require.NotEmpty(t, seqs)
	for i := range seqs {
		// Every sequence after the first seen, none skipped, absolute schedule.
		if i > 0 {
			require.Equal(t, seqs[i-1]+1, seqs[i])
		}
		require.Equal(t, r.Start()+int64(seqs[i])*period, tss[i])
	}
	assert.GreaterOrEqual(t, seqs[len(seqs)-1], target)

	// Stopped: sequence frozen, waiters refused.
	frozen := r.Seq()
	_, err = r.Wait(context.Background(), frozen+1)
	require.ErrorIs(t, err, syscall.ECANCELED)
	assert.Equal(t, frozen, r.Seq())
}

func TestRealtimeStopReleasesWaiter(t *testing.T) {
	r, err := NewRealtime(int64(time.Hour))
	require.NoError(t, err)
	errc := make(chan error, 1)
	parked := make(chan struct{})
	go func() {
		close(parked)
		_, err := r.Wait(context.Background(), 1)
		errc <- err
	}()
	<-parked
	// Stop until the waiter is released; Stop is idempotent. The waiter may
	// not have parked yet when the first Stop runs; then it is refused at
	// entry, with the same error.
	r.Stop()
	select {
	case err := <-errc:
		require.True(t, errors.Is(err, syscall.ECANCELED), "got %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("waiter not released by Stop")
	}
	select {
	case <-r.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("ticker goroutine did not exit")
	}
}

func TestRealtimeStopFromHandler(t *testing.T) {
	r, err := NewRealtime(int64(time.Millisecond))
	require.NoError(t, err)
	var once sync.Once
	r.Subscribe(func(uint64, int64) { once.Do(r.Stop) })
	select {
	case <-r.Done():
	case <-time.After(30 * time.Second):
		t.Fatal("ticker goroutine did not exit")
	}
	assert.GreaterOrEqual(t, r.Seq(), uint64(1))
}
