package swsync

import (
	"bytes"
	"context"
	"runtime"
	"runtime/pprof"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/syncobj/fence"
	"github.com/headwaywl/headway/syncobj/syncfile"
)

// Seed scenarios from seed-rules.md section 3.
func TestSeed(t *testing.T) {
	t.Run("15-never-signaling-sw-sync-fence", func(t *testing.T) {
		baseline := runtime.NumGoroutine()
		tl := NewTimeline("never")
		stuck := newFence(t, tl, 1000) // nobody ever advances this far
		other := newFence(t, tl, 1)

		// A bounded wait on the stuck fence times out, from poll and from
		// the fence itself, and an interrupted one says so.
		require.ErrorIs(t, stuck.Wait(nil, 20*time.Millisecond), syscall.ETIME)
		_, err := stuck.Fence().Wait(nil, 20*time.Millisecond)
		require.ErrorIs(t, err, syscall.ETIME)
		err = stuck.Wait(ctxDone(), fence.Forever)
		require.ErrorIs(t, err, fence.ERESTARTSYS)
		require.ErrorIs(t, err, context.Canceled)
		assert.False(t, stuck.Ready())

		// A merge including it is just as bounded.
		m, err := syncfile.Merge("with-stuck", stuck, other)
		require.NoError(t, err)
		require.ErrorIs(t, m.Wait(nil, 20*time.Millisecond), syscall.ETIME)

		// The timeline and its other fences keep working.
		require.NoError(t, tl.Inc(1))
		require.NoError(t, other.Wait(nil, 0))
		later := newFence(t, tl, 2)
		require.NoError(t, tl.Inc(1))
		require.NoError(t, later.Wait(nil, 0))
		assert.Equal(t, uint32(2), tl.Value())
		assert.Equal(t, 1, tl.Pending(), "only the stuck point still waits")
		require.ErrorIs(t, m.Wait(nil, 0), syscall.ETIME)

		// No waiter is left parked anywhere in the sync code.
		var dump bytes.Buffer
		require.NoError(t, pprof.Lookup("goroutine").WriteTo(&dump, 1))
		assert.NotContains(t, dump.String(), "headway/syncobj/fence.")
		assert.NotContains(t, dump.String(), "headway/syncobj/syncfile.")
		assert.LessOrEqual(t, runtime.NumGoroutine(), baseline)

		// Closing the timeline finally releases the stuck fence, with
		// ENOENT, and the merge with it.
		require.NoError(t, tl.Close())
		require.NoError(t, stuck.Wait(nil, 0))
		st, err := stuck.Status()
		require.NoError(t, err)
		assert.Equal(t, -int32(syscall.ENOENT), st)
		require.NoError(t, m.Wait(nil, igtWaitLong))
		assert.Equal(t, -int32(syscall.ENOENT), m.Info().Status)
	})

	t.Run("16-sw-sync-inc-semantics", func(t *testing.T) {
		tl := NewTimeline("inc")
		var order []uint64
		files := make([]*syncfile.File, 0, 4)
		cbs := make([]fence.Callback, 4)
		for i, v := range []uint32{1, 3, 3, 7} {
			sf := newFence(t, tl, v)
			files = append(files, sf)
			require.NoError(t, sf.Fence().AddCallback(&cbs[i], func(f *fence.Fence, _ *fence.Callback) {
				order = append(order, f.Seqno()) // runs in Inc's goroutine
			}))
		}
		assert.Same(t, files[1].Fence(), files[2].Fence(), "the pending point 3 is reused")
		assert.Equal(t, 3, tl.Pending())

		require.NoError(t, tl.Inc(3))
		for i, sf := range files[:3] {
			assert.True(t, sf.Ready(), "fence %d after INC(3)", i)
		}
		assert.False(t, files[3].Ready(), "seqno 7 after INC(3)")
		assert.Equal(t, []uint64{1, 3, 3}, order, "signalled in seqno order")

		require.NoError(t, tl.Inc(4))
		assert.True(t, files[3].Ready(), "seqno 7 after INC(4)")
		assert.Equal(t, []uint64{1, 3, 3, 7}, order)
		assert.Equal(t, uint32(7), tl.Value())
		assert.Equal(t, 0, tl.Pending())
		for _, sf := range files {
			st, err := sf.Status()
			require.NoError(t, err)
			assert.Equal(t, int32(1), st)
		}
		require.NoError(t, tl.Close())
	})
}
