package fence

import (
	"context"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

func TestAllocContexts(t *testing.T) {
	w := captureWarnings(t)
	for _, n := range []int{0, -1} {
		before := WarningCount(WarnZeroContexts)
		cs, err := AllocContexts(n)
		require.ErrorIs(t, err, syscall.EINVAL)
		assert.Nil(t, cs)
		assert.Equal(t, before+1, WarningCount(WarnZeroContexts))
	}
	assert.Equal(t, []WarningKind{WarnZeroContexts, WarnZeroContexts}, w.kinds())

	cs, err := AllocContexts(3)
	require.NoError(t, err)
	require.Len(t, cs, 3)
	assert.Equal(t, cs[0].ID()+1, cs[1].ID())
	assert.Equal(t, cs[1].ID()+1, cs[2].ID())
	assert.NotEqual(t, cs[2].ID(), AllocContext().ID())
	assert.Equal(t, cs[0], New(testOps{}, cs[0], 7).Context())
}

func TestSetErrorRange(t *testing.T) {
	cases := []struct {
		errno syscall.Errno
		ok    bool
	}{
		{0, false}, {5000, false}, {MaxErrno + 1, false},
		{1, true}, {syscall.EIO, true}, {MaxErrno, true},
	}
	for _, tc := range cases {
		w := captureWarnings(t)
		f := New(testOps{}, nil, 1)
		err := f.SetError(tc.errno)
		if tc.ok {
			require.NoError(t, err, "errno %d", uint64(tc.errno))
			assert.Equal(t, tc.errno, f.Error())
			assert.Empty(t, w.all())
			continue
		}
		require.ErrorIs(t, err, syscall.EINVAL, "errno %d", uint64(tc.errno))
		assert.Equal(t, syscall.Errno(0), f.Error())
		assert.Equal(t, []WarningKind{WarnBadError}, w.kinds())
	}
}

func TestStatusTransitions(t *testing.T) {
	cases := []struct {
		name         string
		err          syscall.Errno
		pending, end int
	}{
		{"ok", 0, 0, 1},
		{"eio", syscall.EIO, 0, -int(syscall.EIO)},
		{"enoent", syscall.ENOENT, 0, -int(syscall.ENOENT)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := New(testOps{}, nil, 1)
			assert.Equal(t, tc.pending, f.Status())
			if tc.err != 0 {
				require.NoError(t, f.SetError(tc.err))
			}
			assert.Equal(t, tc.pending, f.Status(), "an error alone is not a status")
			require.NoError(t, f.Signal())
			assert.Equal(t, tc.end, f.Status())
		})
	}
}

func TestSignaledPollerDiscoversError(t *testing.T) {
	ops := &pollOps{err: syscall.EIO}
	f := New(ops, nil, 1)
	assert.False(t, f.IsSignaled())
	assert.Equal(t, 0, f.Status())
	ops.done.Store(true)
	assert.Equal(t, -int(syscall.EIO), f.Status())
	_, ok := f.Timestamp()
	assert.True(t, ok, "the poll path signals for real")
}

func TestTimestamp(t *testing.T) {
	f := New(testOps{}, nil, 1)
	_, ok := f.Timestamp()
	assert.False(t, ok)
	before := Now()
	require.NoError(t, f.Signal())
	after := Now()
	ts, ok := f.Timestamp()
	require.True(t, ok)
	assert.GreaterOrEqual(t, ts, before)
	assert.LessOrEqual(t, ts, after)

	g := New(testOps{}, nil, 1)
	require.NoError(t, g.SignalTimestamp(12345))
	ts, ok = g.Timestamp()
	require.True(t, ok)
	assert.Equal(t, int64(12345), ts)

	s := NewSignaled()
	_, ok = s.Timestamp()
	assert.True(t, ok)
	assert.Equal(t, 1, s.Status())
}

func TestWaitArguments(t *testing.T) {
	f := New(testOps{}, nil, 1)
	_, err := f.Wait(nil, -time.Second)
	require.ErrorIs(t, err, syscall.EINVAL)
	_, _, err = WaitAny(nil, nil, 0)
	require.ErrorIs(t, err, syscall.EINVAL)
	_, _, err = WaitAny(nil, []*Fence{f, nil}, 0)
	require.ErrorIs(t, err, syscall.EINVAL)
	_, _, err = WaitAny(nil, []*Fence{f}, -1)
	require.ErrorIs(t, err, syscall.EINVAL)
	_, err = WaitAll(nil, []*Fence{nil}, 0)
	require.ErrorIs(t, err, syscall.EINVAL)
	_, err = WaitAll(nil, nil, -1)
	require.ErrorIs(t, err, syscall.EINVAL)
	rem, err := WaitAll(nil, nil, time.Second)
	require.NoError(t, err, "nothing to wait for")
	assert.Equal(t, time.Second, rem)
}

func TestWaitAll(t *testing.T) {
	a, b, c := New(testOps{}, nil, 1), New(testOps{}, nil, 1), New(testOps{}, nil, 1)
	require.NoError(t, a.Signal())
	_, err := WaitAll(nil, []*Fence{a, b, c}, 0)
	require.ErrorIs(t, err, syscall.ETIME)
	_, err = WaitAll(nil, []*Fence{a, b, c}, time.Millisecond)
	require.ErrorIs(t, err, syscall.ETIME)
	timer := time.AfterFunc(time.Millisecond, func() { _ = c.Signal(); _ = b.Signal() })
	defer timer.Stop()
	_, err = WaitAll(context.Background(), []*Fence{a, b, c}, Forever)
	require.NoError(t, err)
	assert.True(t, b.IsSignaled() && c.IsSignaled())
	rem, err := WaitAll(nil, []*Fence{a, b, c}, 0)
	require.NoError(t, err)
	assert.Zero(t, rem)
}

func TestWaitAnyOrder(t *testing.T) {
	fs := []*Fence{New(testOps{}, nil, 1), New(testOps{}, nil, 1), New(testOps{}, nil, 1)}
	require.NoError(t, fs[2].Signal())
	require.NoError(t, fs[1].Signal())
	for _, timeout := range []time.Duration{0, time.Second, Forever} {
		idx, _, err := WaitAny(nil, fs, timeout)
		require.NoError(t, err)
		assert.Equal(t, 1, idx, "first signalled in slice order (timeout %v)", timeout)
	}
	pending := []*Fence{New(testOps{}, nil, 1)}
	idx, _, err := WaitAny(nil, pending, time.Millisecond)
	require.ErrorIs(t, err, syscall.ETIME)
	assert.Equal(t, -1, idx)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err = WaitAny(ctx, pending, Forever)
	require.ErrorIs(t, err, ERESTARTSYS)
}

func TestArrays(t *testing.T) {
	type step struct {
		member int
		err    syscall.Errno
	}
	cases := []struct {
		name     string
		any      bool
		steps    []step
		signaled []bool // array state after each step
		status   int    // with signalling enabled; a polled array reports 1 (kernel)
	}{
		{"all-no-errors", false, []step{{0, 0}, {1, 0}, {2, 0}}, []bool{false, false, true}, 1},
		{"all-first-error-wins", false, []step{{2, syscall.ENOMEM}, {0, syscall.EIO}, {1, 0}}, []bool{false, false, true}, -int(syscall.ENOMEM)},
		{"any-first-ok", true, []step{{1, 0}, {0, syscall.EIO}, {2, syscall.ENOMEM}}, []bool{true, true, true}, 1},
		{"any-first-error", true, []step{{2, syscall.EIO}, {0, syscall.ENOMEM}}, []bool{true, true}, -int(syscall.EIO)},
	}
	for _, tc := range cases {
		for _, enabled := range []bool{true, false} {
			name := tc.name + "-polled"
			if enabled {
				name = tc.name + "-enabled"
			}
			t.Run(name, func(t *testing.T) {
				w := captureWarnings(t)
				ms := []*Fence{New(testOps{}, nil, 1), New(testOps{}, nil, 1), New(testOps{}, nil, 1)}
				arr, err := NewArray(ms, nil, 1, tc.any)
				require.NoError(t, err)
				if enabled {
					arr.EnableSignaling() // callbacks on members, as a waiter would
				}
				for i, s := range tc.steps {
					if s.err != 0 {
						require.NoError(t, ms[s.member].SetError(s.err))
					}
					require.NoError(t, ms[s.member].Signal())
					assert.Equal(t, tc.signaled[i], arr.IsSignaled(), "after step %d", i)
				}
				want := tc.status
				if !enabled {
					// dma_fence_array_signaled clears the pending error:
					// without member callbacks no error reaches the array.
					want = 1
				}
				assert.Equal(t, want, arr.Status())
				assert.Empty(t, w.all(), "members finishing late are no misuse")
			})
		}
	}

	_, err := NewArray(nil, nil, 1, false)
	require.ErrorIs(t, err, syscall.EINVAL)
	_, err = NewArray([]*Fence{NewSignaled(), nil}, nil, 1, true)
	require.ErrorIs(t, err, syscall.EINVAL)

	// Members that signalled before the array was made count at once.
	arr, err := NewArray([]*Fence{NewSignaled(), NewSignaled()}, nil, 1, false)
	require.NoError(t, err)
	_, err = arr.Wait(nil, Forever)
	require.NoError(t, err)
	assert.Equal(t, "dma_fence_array", arr.Ops().DriverName())
}

func TestArrayWaitWakes(t *testing.T) {
	a, b := New(&hookOps{ret: true}, nil, 1), New(&customOps{}, nil, 1)
	arr, err := NewArray([]*Fence{a, b}, nil, 1, false)
	require.NoError(t, err)
	waited := asyncWait(context.Background(), arr, Forever)
	waitForWaiter(t, arr)
	require.NoError(t, a.Signal())
	require.NoError(t, b.Signal())
	require.NoError(t, recvErr(t, waited))
}

func TestUnwrap(t *testing.T) {
	a, b, c, d := New(testOps{}, nil, 1), New(testOps{}, nil, 1), New(testOps{}, nil, 1), New(testOps{}, nil, 1)
	inner, err := NewArray([]*Fence{b, c}, nil, 1, false)
	require.NoError(t, err)
	mid, err := NewArray([]*Fence{inner, d}, nil, 1, true)
	require.NoError(t, err)
	outer, err := NewArray([]*Fence{a, mid}, nil, 1, false)
	require.NoError(t, err)
	assert.Equal(t, []*Fence{a, b, c, d}, Unwrap(outer))
	assert.Equal(t, []*Fence{a}, Unwrap(a))
}

func TestRemoveCallback(t *testing.T) {
	f := New(testOps{}, nil, 1)
	var cb1, cb2 Callback
	var r1, r2 atomic.Int32
	require.NoError(t, f.AddCallback(&cb1, func(*Fence, *Callback) { r1.Add(1) }))
	require.NoError(t, f.AddCallback(&cb2, func(*Fence, *Callback) { r2.Add(1) }))
	assert.True(t, f.RemoveCallback(&cb1))
	assert.False(t, f.RemoveCallback(&cb1), "second removal")
	require.NoError(t, f.Signal())
	assert.Zero(t, r1.Load())
	assert.Equal(t, int32(1), r2.Load())
	assert.False(t, f.RemoveCallback(&cb2), "callback already ran")
	var never Callback
	assert.False(t, f.RemoveCallback(&never))
}

func TestCallbackReuse(t *testing.T) {
	f, g := New(testOps{}, nil, 1), New(testOps{}, nil, 2)
	var cb Callback
	var seen []*Fence
	fn := func(x *Fence, c *Callback) {
		assert.Same(t, &cb, c)
		seen = append(seen, x)
	}
	require.NoError(t, f.AddCallback(&cb, fn))
	require.ErrorIs(t, g.AddCallback(&cb, fn), syscall.EBUSY, "still registered on f")
	require.NoError(t, f.Signal())
	require.NoError(t, g.AddCallback(&cb, fn), "a callback that ran is reusable")
	require.NoError(t, g.Signal())
	assert.Equal(t, []*Fence{f, g}, seen)

	h := New(testOps{}, nil, 3)
	require.True(t, func() bool { _ = h.AddCallback(&cb, fn); return h.RemoveCallback(&cb) }())
	require.NoError(t, h.AddCallback(&cb, fn), "a removed callback is reusable")
	require.ErrorIs(t, h.AddCallback(nil, fn), syscall.EINVAL)
	require.ErrorIs(t, h.AddCallback(&Callback{}, nil), syscall.EINVAL)
}

func TestCallbackMayUseFence(t *testing.T) {
	// Callbacks run outside the fence's lock: they may query and even drop
	// their reference without deadlocking.
	f := New(testOps{}, nil, 1)
	f.Get()
	var status int
	var cb Callback
	require.NoError(t, f.AddCallback(&cb, func(x *Fence, _ *Callback) {
		status = x.Status()
		x.Put()
	}))
	require.NoError(t, f.Signal())
	assert.Equal(t, 1, status)
	assert.Equal(t, int32(1), f.refs.Load())
}

func TestRefcount(t *testing.T) {
	w := captureWarnings(t)
	ops := &releaseOps{}
	f := New(ops, nil, 1)
	assert.Same(t, f, f.Get())
	f.Put()
	assert.Zero(t, ops.released.Load())
	f.Put()
	assert.Equal(t, int32(1), ops.released.Load())
	before := WarningCount(WarnRefUnderflow)
	f.Put()
	assert.Equal(t, before+1, WarningCount(WarnRefUnderflow))
	assert.Equal(t, int32(1), ops.released.Load(), "released twice")
	assert.Equal(t, []WarningKind{WarnRefUnderflow}, w.kinds())
}

func TestWarningPlumbing(t *testing.T) {
	for k := WarningKind(0); k < numWarningKinds; k++ {
		assert.NotEqual(t, "unknown", k.String())
	}
	assert.Equal(t, "unknown", WarningKind(-1).String())
	assert.Equal(t, "unknown", numWarningKinds.String())
	assert.Zero(t, WarningCount(-1))
	assert.Zero(t, WarningCount(numWarningKinds))

	var got []Warning
	prev := SetWarningHandler(func(w Warning) { got = append(got, w) })
	defer SetWarningHandler(prev)
	inner := SetWarningHandler(nil) // the default slog handler
	require.NotNil(t, inner)
	f := New(testOps{}, nil, 1)
	f.Put()
	f.Put() // logged through slog, not captured
	assert.Empty(t, got)
	SetWarningHandler(inner)
	f.Put()
	require.Len(t, got, 1)
	assert.Equal(t, WarnRefUnderflow, got[0].Kind)
}

func TestFenceIdentity(t *testing.T) {
	c := AllocContext()
	f := New(testOps{}, c, 42)
	assert.Equal(t, uint64(42), f.Seqno())
	assert.Same(t, c, f.Context())
	assert.Contains(t, f.String(), "test:t")
	assert.Contains(t, f.String(), "seqno 42")
	assert.NotNil(t, New(testOps{}, nil, 1).Context(), "a nil context gets a fresh one")
	assert.Positive(t, Now())
}

func TestNowIsClockMonotonic(t *testing.T) {
	var ts unix.Timespec
	before := Now()
	require.NoError(t, unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts))
	after := Now()
	// The kernel's reading lies between two of ours, up to the constant
	// start-up sampling offset, which the two start-up samples bound.
	slack := monoErr
	assert.GreaterOrEqual(t, ts.Nano(), before-slack)
	assert.LessOrEqual(t, ts.Nano(), after+slack)
	assert.LessOrEqual(t, before, after)
}
