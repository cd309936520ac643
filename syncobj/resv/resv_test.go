package resv

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/syncobj/fence"
)

type ops struct{}

func (ops) DriverName() string                 { return "resv-test" }
func (ops) TimelineName(f *fence.Fence) string { return "tl" }

func newFence(ctx *fence.Context, seqno uint64) *fence.Fence { return fence.New(ops{}, ctx, seqno) }

func add(t *testing.T, o *Object, f *fence.Fence, u Usage) {
	t.Helper()
	o.Lock()
	defer o.Unlock()
	require.NoError(t, o.AddFence(f, u))
}

func putAll(fs []*fence.Fence) {
	for _, f := range fs {
		f.Put()
	}
}

// TestSeed holds seed-rules.md section 3 scenarios 17-19, translated from
// the 2018 exclusive/shared model to usages: the exclusive fence is a
// Write (or Kernel) fence and the shared ones are Read fences.
func TestSeed(t *testing.T) {
	t.Run("17-exclusive-pending-shared-done", func(t *testing.T) {
		o := New()
		writer := newFence(nil, 1)
		add(t, o, writer, Write)
		for i := 0; i < 2; i++ {
			r := newFence(nil, 1)
			add(t, o, r, Read)
			// 3D jobs aborted by a per-engine reset: signalled with -EIO.
			require.NoError(t, r.SetError(syscall.EIO))
			require.NoError(t, r.Signal())
		}
		// The old bug reported "idle" because every shared fence was done;
		// the writer still pends, so the wait must not succeed.
		assert.False(t, o.Test(Read))
		err := o.Wait(context.Background(), Read, 0)
		require.ErrorIs(t, err, syscall.ETIME)
		err = o.Wait(context.Background(), Read, time.Millisecond)
		require.ErrorIs(t, err, syscall.ETIME)
		fs := o.Fences(Read)
		assert.Equal(t, []*fence.Fence{writer}, fs)
		putAll(fs)

		timer := time.AfterFunc(time.Millisecond, func() { _ = writer.Signal() })
		defer timer.Stop()
		require.NoError(t, o.Wait(context.Background(), Read, fence.Forever))
		assert.True(t, writer.IsSignaled(), "the wait returned before the writer signalled")
		assert.True(t, o.Test(Bookkeep))
	})

	t.Run("18-exclusive-replaces-shared", func(t *testing.T) {
		// The 2018 rule was: setting the exclusive fence drops the shared
		// ones. Since 5.19 a Write fence is just another slot, so the
		// readers stay and a later reader keeps the writer too; waiting
		// for Read still covers the writer, waiting for Write does not
		// cover the readers.
		o := New()
		s1, s2, e, s3 := newFence(nil, 1), newFence(nil, 1), newFence(nil, 1), newFence(nil, 1)
		add(t, o, s1, Read)
		add(t, o, s2, Read)
		add(t, o, e, Write)
		fs := o.Fences(Read)
		assert.ElementsMatch(t, []*fence.Fence{s1, s2, e}, fs, "the writer must not drop the readers")
		putAll(fs)
		add(t, o, s3, Read)
		fs = o.Fences(Read)
		assert.ElementsMatch(t, []*fence.Fence{s1, s2, e, s3}, fs)
		putAll(fs)
		fs = o.Fences(Write)
		assert.Equal(t, []*fence.Fence{e}, fs)
		putAll(fs)
		require.NoError(t, e.Signal())
		assert.True(t, o.Test(Write))
		assert.False(t, o.Test(Read))
	})

	t.Run("19-get-fences-count", func(t *testing.T) {
		o := New()
		var readers, writers []*fence.Fence
		for i := 0; i < 3; i++ {
			r := newFence(nil, 1)
			readers = append(readers, r)
			add(t, o, r, Read)
		}
		for i := 0; i < 2; i++ {
			w := newFence(nil, 1)
			writers = append(writers, w)
			add(t, o, w, Write)
		}
		fs := o.Fences(Read)
		require.Len(t, fs, len(readers)+len(writers))
		assert.ElementsMatch(t, append(append([]*fence.Fence(nil), readers...), writers...), fs)
		putAll(fs)
		fs = o.Fences(Write)
		assert.ElementsMatch(t, writers, fs)
		putAll(fs)
		assert.Empty(t, o.Fences(Kernel))
	})
}

func TestUsageOrder(t *testing.T) {
	o := New()
	byUsage := map[Usage]*fence.Fence{}
	for _, u := range []Usage{Bookkeep, Read, Write, Kernel} {
		byUsage[u] = newFence(nil, 1)
		add(t, o, byUsage[u], u)
	}
	cases := []struct {
		ask  Usage
		want []Usage
	}{
		{Kernel, []Usage{Kernel}},
		{Write, []Usage{Kernel, Write}},
		{Read, []Usage{Kernel, Write, Read}},
		{Bookkeep, []Usage{Kernel, Write, Read, Bookkeep}},
		{-1, nil},
	}
	for _, tc := range cases {
		t.Run(tc.ask.String(), func(t *testing.T) {
			var want []*fence.Fence
			for _, u := range tc.want {
				want = append(want, byUsage[u])
			}
			fs := o.Fences(tc.ask)
			assert.ElementsMatch(t, want, fs)
			putAll(fs)
			assert.Equal(t, len(tc.want) == 0, o.Test(tc.ask))
		})
	}
	assert.Equal(t, "usage(9)", Usage(9).String())
}

func TestSameContextSlots(t *testing.T) {
	cases := []struct {
		name         string
		first, later Usage
		slots        int // entries of that context afterwards
	}{
		{"read-then-read-replaces", Read, Read, 1},
		{"read-then-write-replaces", Read, Write, 1},
		{"write-then-read-keeps-both", Write, Read, 2},
		{"kernel-then-bookkeep-keeps-both", Kernel, Bookkeep, 2},
		{"bookkeep-then-kernel-replaces", Bookkeep, Kernel, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := New()
			c := fence.AllocContext()
			f1, f2 := newFence(c, 1), newFence(c, 2)
			add(t, o, f1, tc.first)
			add(t, o, f2, tc.later)
			fs := o.Fences(Bookkeep)
			assert.Len(t, fs, tc.slots)
			assert.Contains(t, fs, f2)
			putAll(fs)
			if tc.slots == 1 {
				// The stronger usage never got weaker: the new fence sits
				// in the slot with its own, stronger-or-equal usage.
				fs = o.Fences(min(tc.first, tc.later))
				assert.Equal(t, []*fence.Fence{f2}, fs)
				putAll(fs)
			}
		})
	}
}

func TestPruneSignaled(t *testing.T) {
	o := New()
	done := newFence(nil, 1)
	add(t, o, done, Read)
	require.NoError(t, done.Signal())
	assert.Empty(t, o.Fences(Bookkeep), "readers never see signalled fences")
	next := newFence(nil, 1)
	add(t, o, next, Write)
	o.mu.Lock()
	n := len(o.entries)
	o.mu.Unlock()
	assert.Equal(t, 1, n, "the signalled slot was reused")
}

func TestReferences(t *testing.T) {
	o := New()
	c := fence.AllocContext()
	f1 := newFence(c, 1)
	add(t, o, f1, Read)
	f1.Put() // the object's reference keeps it
	caught := 0
	prev := fence.SetWarningHandler(func(fence.Warning) { caught++ })
	t.Cleanup(func() { fence.SetWarningHandler(prev) })
	// A waiter parks on f1 while the slot is reused: its reference (from
	// the snapshot) keeps the release-with-callbacks warning away.
	waited := make(chan error, 1)
	go func() { waited <- o.Wait(context.Background(), Read, fence.Forever) }()
	f2 := newFence(c, 2)
	add(t, o, f2, Read)
	require.NoError(t, f1.Signal())
	require.NoError(t, f2.Signal())
	select {
	case err := <-waited:
		require.NoError(t, err)
	case <-time.After(20 * time.Second):
		t.Fatal("wait never returned")
	}
	assert.Zero(t, caught)
}

func TestReplace(t *testing.T) {
	o := New()
	c := fence.AllocContext()
	a, b, other := newFence(c, 1), newFence(c, 2), newFence(nil, 1)
	add(t, o, a, Write)
	add(t, o, b, Bookkeep)
	add(t, o, other, Read)
	repl := newFence(nil, 1)
	o.Lock()
	require.NoError(t, o.Replace(c, repl, Bookkeep))
	require.ErrorIs(t, o.Replace(nil, repl, Read), syscall.EINVAL)
	o.Unlock()
	fs := o.Fences(Read)
	assert.Equal(t, []*fence.Fence{other}, fs, "replaced slots took the new usage")
	putAll(fs)
	fs = o.Fences(Bookkeep)
	assert.ElementsMatch(t, []*fence.Fence{repl, repl, other}, fs)
	putAll(fs)
}

func TestUpdateErrors(t *testing.T) {
	o := New()
	f := newFence(nil, 1)
	require.ErrorIs(t, o.AddFence(f, Read), syscall.EPERM, "unlocked")
	require.ErrorIs(t, o.Replace(f.Context(), f, Read), syscall.EPERM)
	o.Lock()
	require.ErrorIs(t, o.AddFence(nil, Read), syscall.EINVAL)
	require.ErrorIs(t, o.AddFence(f, Bookkeep+1), syscall.EINVAL)
	require.ErrorIs(t, o.AddFence(f, -1), syscall.EINVAL)
	arr, err := fence.NewArray([]*fence.Fence{f}, nil, 1, false)
	require.NoError(t, err)
	require.ErrorIs(t, o.AddFence(arr, Read), syscall.EINVAL, "containers are added fence by fence")
	assert.False(t, o.TryLock(), "already locked")
	o.Unlock()
	o.Unlock() // logged, not a crash
	require.True(t, o.TryLock())
	o.Unlock()
	assert.Empty(t, o.Fences(Bookkeep))
}

func TestWaitInterrupted(t *testing.T) {
	o := New()
	add(t, o, newFence(nil, 1), Kernel)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := o.Wait(ctx, Write, fence.Forever)
	require.ErrorIs(t, err, fence.ERESTARTSYS)
	require.False(t, errors.Is(err, syscall.ETIME))
	require.NoError(t, o.Wait(nil, Kernel-1, 0), "no fence asked for")
}

// Taking the unsignalled fences allocates once at most, for every slot,
// and not at all into a buffer with room enough: callers on the fence
// export path pass a stack buffer.
func TestSnapshotAllocatesOnce(t *testing.T) {
	o := New()
	const n = 8
	for i := range n {
		add(t, o, newFence(nil, uint64(i+1)), Read)
	}
	prefix := []*fence.Fence{newFence(nil, 1)}
	allocs := testing.AllocsPerRun(20, func() {
		out := o.snapshotInto(prefix[:1:1], Bookkeep)
		putAll(out[1:])
	})
	assert.Equal(t, 1.0, allocs, "one allocation for prefix and every slot")

	exact := make([]*fence.Fence, 1, 1+n)
	got := 0
	allocs = testing.AllocsPerRun(20, func() {
		out := o.snapshotInto(exact[:1], Bookkeep)
		got = len(out)
		putAll(out[1:])
	})
	assert.Zero(t, allocs, "exactly enough room needs no allocation")
	assert.Equal(t, 1+n, got)
}
