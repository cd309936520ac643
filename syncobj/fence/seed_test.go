package fence

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSeed runs the fence scenarios 1-13 of seed-rules.md section 3, one
// subtest each, named after the scenario.
func TestSeed(t *testing.T) {
	t.Run("01-signaled-with-error-before-add-callback", func(t *testing.T) {
		f := New(testOps{}, nil, 1)
		require.NoError(t, f.SetError(syscall.EIO))
		require.NoError(t, f.Signal())
		var cb Callback
		var ran atomic.Bool
		err := f.AddCallback(&cb, func(*Fence, *Callback) { ran.Store(true) })
		// The registration failed because the fence is done, not because
		// the work failed: ENOENT, never the fence's EIO (F3, F4).
		require.ErrorIs(t, err, syscall.ENOENT)
		require.NotErrorIs(t, err, syscall.EIO)
		assert.False(t, f.RemoveCallback(&cb), "nothing was registered")
		assert.False(t, ran.Load())
		assert.Equal(t, -int(syscall.EIO), f.Status())
		assert.Equal(t, syscall.EIO, f.Error())
	})

	t.Run("02-error-set-not-yet-signaled", func(t *testing.T) {
		f := New(testOps{}, nil, 1)
		require.NoError(t, f.SetError(syscall.EIO))
		// An error does not mean signalled (F5).
		assert.False(t, f.IsSignaled())
		assert.Equal(t, 0, f.Status())
		_, err := f.Wait(nil, 0)
		require.ErrorIs(t, err, syscall.ETIME)
		var cb Callback
		var runs atomic.Int32
		require.NoError(t, f.AddCallback(&cb, func(*Fence, *Callback) { runs.Add(1) }))
		assert.Zero(t, runs.Load(), "callback ran before the signal")
		require.NoError(t, f.Signal())
		assert.Equal(t, int32(1), runs.Load())
		assert.Equal(t, -int(syscall.EIO), f.Status())
	})

	t.Run("03-set-error-after-signal", func(t *testing.T) {
		w := captureWarnings(t)
		f := New(testOps{}, nil, 1)
		require.NoError(t, f.Signal())
		before := WarningCount(WarnErrorAfterSignal)
		require.ErrorIs(t, f.SetError(syscall.EIO), syscall.EINVAL)
		assert.Equal(t, before+1, WarningCount(WarnErrorAfterSignal))
		assert.Equal(t, syscall.Errno(0), f.Error(), "a refused error must not stick")
		assert.Equal(t, 1, f.Status())

		// The Go API takes the positive errno, so the kernel's "not a
		// negative errno" cases are 0 and values beyond MaxErrno.
		g := New(testOps{}, nil, 1)
		require.ErrorIs(t, g.SetError(0), syscall.EINVAL)
		require.ErrorIs(t, g.SetError(5000), syscall.EINVAL)
		assert.Equal(t, syscall.Errno(0), g.Error())
		assert.Equal(t, []WarningKind{WarnErrorAfterSignal, WarnBadError, WarnBadError}, w.kinds())
	})

	t.Run("04-double-signal", func(t *testing.T) {
		f := New(testOps{}, nil, 1)
		var runs atomic.Int32
		var cb Callback
		require.NoError(t, f.AddCallback(&cb, func(*Fence, *Callback) { runs.Add(1) }))
		require.NoError(t, f.SignalTimestamp(100))
		err := f.SignalTimestamp(200)
		require.ErrorIs(t, err, syscall.EINVAL)
		assert.Equal(t, int32(1), runs.Load(), "callbacks re-run by the second signal")
		ts, ok := f.Timestamp()
		require.True(t, ok)
		assert.Equal(t, int64(100), ts, "the second signal changed the timestamp")
	})

	t.Run("05-enable-signaling-race", func(t *testing.T) {
		w := captureWarnings(t)
		const rounds, racers = 200, 8
		for r := 0; r < rounds; r++ {
			ops := &hookOps{ret: true}
			f := New(ops, nil, 1)
			startRefs := f.refs.Load()
			start := make(chan struct{})
			results := make(chan error, racers)
			for i := 0; i < racers; i++ {
				go func(i int) {
					<-start
					if i%2 == 0 {
						_, err := f.Wait(nil, Forever)
						results <- err
						return
					}
					woke := make(chan struct{})
					var cb Callback
					err := f.AddCallback(&cb, func(*Fence, *Callback) { close(woke) })
					if errors.Is(err, syscall.ENOENT) {
						results <- nil // signalled first: the caller proceeds at once
						return
					}
					if err != nil {
						results <- err
						return
					}
					<-woke // a lost wake-up hangs here and trips the deadline below
					results <- nil
				}(i)
			}
			signalled := make(chan error, 1)
			go func() { <-start; signalled <- f.Signal() }()
			close(start)
			require.NoError(t, recvErr(t, signalled))
			for i := 0; i < racers; i++ {
				require.NoError(t, recvErr(t, results), "round %d", r)
			}
			assert.LessOrEqual(t, ops.calls.Load(), int32(1), "enable_signaling ran more than once")
			require.Equal(t, startRefs, f.refs.Load(), "round %d: reference count not back to its start", r)
		}
		assert.Empty(t, w.all())
	})

	t.Run("06-enable-signaling-returns-false", func(t *testing.T) {
		cases := []struct {
			name   string
			err    syscall.Errno
			status int
		}{
			{"already-passed", 0, 1},
			{"could-not-enable", syscall.ENODEV, -int(syscall.ENODEV)},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				w := captureWarnings(t)
				ops := &hookOps{ret: false, errOnFalse: tc.err}
				f := New(ops, nil, 1)
				var ran atomic.Bool
				var cb Callback
				err := f.AddCallback(&cb, func(*Fence, *Callback) { ran.Store(true) })
				require.ErrorIs(t, err, syscall.ENOENT)
				assert.False(t, ran.Load())
				assert.True(t, f.IsSignaled())
				assert.Equal(t, tc.status, f.Status())
				assert.Equal(t, int32(1), ops.calls.Load())
				assert.Equal(t, int32(1), f.refs.Load(), "the hook's reference leaked")
				assert.Empty(t, w.all())
			})
		}
		// A hook returning true leaves the fence pending without an error.
		ops := &hookOps{ret: true}
		f := New(ops, nil, 1)
		_, err := f.Wait(nil, 0)
		require.ErrorIs(t, err, syscall.ETIME)
		assert.Equal(t, 0, f.Status())
		assert.Equal(t, int32(2), f.refs.Load(), "a true hook holds a reference until the signal")
		require.NoError(t, f.Signal())
		assert.Equal(t, int32(1), f.refs.Load())
	})

	t.Run("07-no-enable-signaling-hook", func(t *testing.T) {
		f := New(testOps{}, nil, 1)
		woke := make(chan struct{})
		var cb Callback
		require.NoError(t, f.AddCallback(&cb, func(*Fence, *Callback) { close(woke) }))
		waited := asyncWait(context.Background(), f, Forever)
		waitForWaiter(t, f)
		require.NoError(t, f.Signal())
		waitClosed(t, woke, "callback")
		require.NoError(t, recvErr(t, waited))
		assert.Equal(t, int32(1), f.refs.Load())
	})

	t.Run("08-wait-any-mixed-kinds", func(t *testing.T) {
		custom := &customOps{}
		fences := []*Fence{
			New(&hookOps{ret: true}, nil, 1), // sw_sync-like
			New(custom, nil, 1),              // custom wait (syncobj-like)
			New(testOps{}, nil, 1),           // plain default wait
		}
		idx, _, err := WaitAny(nil, fences, 0)
		require.ErrorIs(t, err, syscall.ETIME)
		require.NotErrorIs(t, err, syscall.EINVAL)
		assert.Equal(t, -1, idx)

		timer := time.AfterFunc(time.Millisecond, func() { _ = fences[1].Signal() })
		defer timer.Stop()
		idx, _, err = WaitAny(context.Background(), fences, Forever)
		require.NoError(t, err)
		assert.Equal(t, 1, idx)
		assert.Zero(t, custom.waits.Load(), "wait-any must use callbacks, not the custom wait")
		for _, f := range fences {
			f.mu.Lock()
			assert.True(t, f.cbs.next == &f.cbs, "wait-any left a callback registered")
			f.mu.Unlock()
		}
	})

	t.Run("09-timeout-0-poll-storm", func(t *testing.T) {
		ops := &hookOps{ret: true}
		f := New(ops, nil, 1)
		const storm = 5000
		for i := 0; i < storm; i++ {
			_, err := f.Wait(nil, 0)
			require.ErrorIs(t, err, syscall.ETIME)
		}
		// Concurrent pollers too: none may block, and the hook still runs once.
		var wg sync.WaitGroup
		var polled atomic.Int64
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < storm/8; i++ {
					if _, err := f.Wait(nil, 0); errors.Is(err, syscall.ETIME) {
						polled.Add(1)
					}
				}
			}()
		}
		wg.Wait()
		assert.Equal(t, int64(storm/8*8), polled.Load())
		assert.Equal(t, int32(1), ops.calls.Load(), "enable_signaling must run exactly once")
		allocs := testing.AllocsPerRun(1000, func() { _, _ = f.Wait(nil, 0) })
		assert.Zero(t, allocs, "zero-timeout wait on a pending fence allocates")
		ctx := context.Background()
		allocs = testing.AllocsPerRun(1000, func() { _, _ = f.Wait(ctx, 0) })
		assert.Zero(t, allocs, "zero-timeout wait with a context allocates")
		require.NoError(t, f.Signal())
		allocs = testing.AllocsPerRun(1000, func() { _, _ = f.Wait(nil, 0) })
		assert.Zero(t, allocs, "zero-timeout wait on a signalled fence allocates")
		_, err := f.Wait(nil, 0)
		require.NoError(t, err)
	})

	t.Run("10-interrupted-wait", func(t *testing.T) {
		f := New(testOps{}, nil, 1)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		waited := asyncWait(ctx, f, Forever)
		waitForWaiter(t, f)
		cancel()
		err := recvErr(t, waited)
		require.ErrorIs(t, err, ERESTARTSYS)
		require.ErrorIs(t, err, context.Canceled)
		require.NotErrorIs(t, err, syscall.ETIME)
		assert.False(t, f.IsSignaled())
		f.mu.Lock()
		assert.True(t, f.cbs.next == &f.cbs, "interrupted wait left its callback")
		f.mu.Unlock()

		// A pending interruption beats the zero-timeout answer, as in the kernel.
		_, err = f.Wait(ctx, 0)
		require.ErrorIs(t, err, ERESTARTSYS)
		// The three outcomes stay distinct.
		_, err = f.Wait(context.Background(), time.Millisecond)
		require.ErrorIs(t, err, syscall.ETIME)
		require.NotErrorIs(t, err, ERESTARTSYS)
		require.NoError(t, f.Signal())
		_, err = f.Wait(ctx, Forever)
		require.NoError(t, err, "a signalled fence answers before the interruption")
	})

	t.Run("11-custom-wait-reports-error", func(t *testing.T) {
		ops := &customOps{lockup: syscall.EDEADLK}
		f := New(ops, nil, 1)
		_, err := f.Wait(context.Background(), Forever)
		require.Error(t, err)
		// Neither a timeout nor an interruption: the caller treats it as
		// signalled (a hardware lockup, F11).
		assert.NotErrorIs(t, err, syscall.ETIME)
		assert.NotErrorIs(t, err, ERESTARTSYS)
		assert.ErrorIs(t, err, syscall.EDEADLK)
		// WaitAll ends on it and passes it on.
		_, err = WaitAll(nil, []*Fence{NewSignaled(), f, New(testOps{}, nil, 1)}, Forever)
		assert.ErrorIs(t, err, syscall.EDEADLK)
		assert.Equal(t, int32(2), ops.waits.Load())
	})

	t.Run("12-same-context-ordering", func(t *testing.T) {
		w := captureWarnings(t)
		c := AllocContext()
		f4, f5 := New(testOps{}, c, 4), New(testOps{}, c, 5)
		require.NoError(t, f5.Signal())
		require.NoError(t, f4.Signal(), "the late signal still happens")
		got := w.all()
		require.Len(t, got, 1)
		assert.Equal(t, WarnOutOfOrder, got[0].Kind)
		assert.Contains(t, got[0].Detail, "seqno 4")
		assert.True(t, f4.IsSignaled())

		// In order, and on other contexts, nothing is reported.
		c2 := AllocContext()
		for s := uint64(1); s <= 3; s++ {
			require.NoError(t, New(testOps{}, c2, s).Signal())
		}
		require.NoError(t, New(testOps{}, nil, 1).Signal())
		assert.Len(t, w.all(), 1)

		// A fence created for a seqno its context has already passed (a
		// sw_sync point below the timeline's value) signals at once; that is
		// not an order violation.
		require.NoError(t, New(testOps{}, c2, 2).Signal())
		assert.Len(t, w.all(), 1)
	})

	t.Run("13-release-with-callbacks-registered", func(t *testing.T) {
		w := captureWarnings(t)
		ops := &releaseOps{}
		f := New(ops, nil, 1)
		var cb Callback
		var ran atomic.Bool
		require.NoError(t, f.AddCallback(&cb, func(*Fence, *Callback) { ran.Store(true) }))
		f.Put()
		got := w.all()
		require.Len(t, got, 1)
		assert.Equal(t, WarnReleaseWithCallbacks, got[0].Kind)
		assert.True(t, strings.HasPrefix(got[0].Fence, "release:"), got[0].Fence)
		assert.Equal(t, int32(1), ops.released.Load())
		assert.False(t, ran.Load())

		// Released with an empty list: no warning.
		g := New(ops, nil, 1)
		var cb2 Callback
		require.NoError(t, g.AddCallback(&cb2, func(*Fence, *Callback) {}))
		require.True(t, g.RemoveCallback(&cb2))
		g.Put()
		assert.Len(t, w.all(), 1)
		assert.Equal(t, int32(2), ops.released.Load())
	})
}
