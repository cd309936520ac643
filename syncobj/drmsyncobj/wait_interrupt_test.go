package drmsyncobj

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/syncobj/fence"
)

// passedOps is a fence whose hardware has passed it before anyone called
// Signal: only a poll (dma_fence_ops.signaled) finds that out. Signalling
// through the poll is what lets the test cancel the wait without waking
// it, so the sleeping waiter has nothing but ctx.Done to choose.
type passedOps struct{ passed atomic.Bool }

func (*passedOps) DriverName() string                 { return "passed" }
func (*passedOps) TimelineName(f *fence.Fence) string { return "p" }
func (o *passedOps) Signaled(*fence.Fence) bool       { return o.passed.Load() }

// TestWaitInterruptedAfterSignal is the kernel's last look in
// drm_syncobj_array_wait_timeout: a wait interrupted while asleep checks
// its fences once more and succeeds if they signalled meanwhile, rather
// than returning ERESTARTSYS and having userspace restart a wait that is
// already over.
func TestWaitInterruptedAfterSignal(t *testing.T) {
	for _, c := range []struct {
		name     string
		flags    uint32
		timeline bool
		want     uint32
	}{
		// Handle 0 never signals, so only handle 1 can end the wait.
		{"Any", 0, false, 1},
		// Handle 0 was signalled when the wait began, so it is the index
		// reported, and only handle 1 can complete the set.
		{"All", WaitAll, false, 0},
		{"TimelineAny", 0, true, 1},
		{"TimelineAll", WaitAll, true, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := NewFile()
			h0, h1 := mustCreate(t, f), mustCreate(t, f)
			first := unitFence()
			if c.flags&WaitAll != 0 {
				require.NoError(t, first.Signal())
			}
			ops := &passedOps{}
			last := fence.New(ops, nil, 1)
			var point uint64
			if c.timeline {
				point = 1
			}
			require.NoError(t, f.ImportFence(h0, point, first))
			require.NoError(t, f.ImportFence(h1, point, last))

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			// The hook runs in the waiter, after the loop has found the
			// fence pending and just before it sleeps; nothing wakes it
			// except the cancellation.
			sleeps := 0
			f.hookBlocked = func() {
				sleeps++
				ops.passed.Store(true)
				cancel()
			}

			handles := []Handle{h0, h1}
			deadline := fence.Now() + int64(fence.Forever/2)
			var got uint32
			var err error
			if c.timeline {
				got, err = f.TimelineWait(ctx, handles, []uint64{point, point}, deadline, c.flags)
			} else {
				got, err = f.Wait(ctx, handles, deadline, c.flags)
			}
			require.NoError(t, err, "a wait that completed while being interrupted must not be restarted")
			assert.Equal(t, c.want, got)
			assert.Equal(t, 1, sleeps, "the wait slept more than once")
			assert.True(t, last.IsSignaled())

			// The same interruption with the fence still pending is
			// ERESTARTSYS, so the success above is the last look and not
			// the wait ignoring ctx.
			h2 := mustCreate(t, f)
			pending := unitFence()
			require.NoError(t, f.ImportFence(h2, point, pending))
			ctx2, cancel2 := context.WithCancel(context.Background())
			defer cancel2()
			f.hookBlocked = cancel2
			if c.timeline {
				_, err = f.TimelineWait(ctx2, []Handle{h0, h2}, []uint64{point, point}, deadline, c.flags)
			} else {
				_, err = f.Wait(ctx2, []Handle{h0, h2}, deadline, c.flags)
			}
			require.ErrorIs(t, err, fence.ERESTARTSYS)
			require.ErrorIs(t, err, context.Canceled)
		})
	}
}
