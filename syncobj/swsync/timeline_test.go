package swsync

import (
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/syncobj/fence"
	"github.com/headwaywl/headway/syncobj/syncfile"
)

// captureWarnings collects fence warnings for the duration of a test.
func captureWarnings(t *testing.T) func() []fence.Warning {
	var mu sync.Mutex
	var got []fence.Warning
	prev := fence.SetWarningHandler(func(w fence.Warning) {
		mu.Lock()
		got = append(got, w)
		mu.Unlock()
	})
	t.Cleanup(func() { fence.SetWarningHandler(prev) })
	return func() []fence.Warning {
		mu.Lock()
		defer mu.Unlock()
		return append([]fence.Warning(nil), got...)
	}
}

func TestTimelineBasics(t *testing.T) {
	long := strings.Repeat("c", 40)
	tl := NewTimeline(long)
	assert.Equal(t, long[:syncfile.NameMax], tl.Name())
	sf := newFence(t, tl, 3)
	f := sf.Fence()
	assert.Equal(t, DriverName, f.Ops().DriverName())
	assert.Equal(t, tl.Name(), f.Ops().TimelineName(f))
	assert.Equal(t, uint64(3), f.Seqno())
	assert.Equal(t, "sw_sync-"+long[:syncfile.NameMax-len("sw_sync-")], sf.Name(), "derived name, cut to 31 bytes")
	require.NoError(t, tl.Close())

	short := NewTimeline("igt")
	sf = newFence(t, short, 9)
	assert.Contains(t, sf.Name(), "sw_sync-igt")
	assert.True(t, strings.HasSuffix(sf.Name(), "-9"))
	require.NoError(t, short.Close())
}

func TestNilAndClosedTimeline(t *testing.T) {
	var nilTl *Timeline
	closed := NewTimeline("closed")
	require.NoError(t, closed.Close())
	for _, tl := range []*Timeline{nilTl, closed} {
		_, err := tl.CreateFence(1, "")
		require.ErrorIs(t, err, syscall.EBADF)
		require.ErrorIs(t, tl.Inc(1), syscall.EBADF)
		require.ErrorIs(t, tl.Close(), syscall.EBADF)
		assert.Zero(t, tl.Value())
		assert.Zero(t, tl.Pending())
	}
	assert.Nil(t, nilTl.Context())
	assert.Empty(t, nilTl.Name())
}

func TestCreateFence(t *testing.T) {
	tl := NewTimeline("create")
	require.NoError(t, tl.Inc(10))

	passed := newFence(t, tl, 10)
	assert.True(t, passed.Ready(), "a passed value gives a signalled fence")
	assert.Equal(t, 0, tl.Pending())

	a := newFence(t, tl, 11)
	b := newFence(t, tl, 11)
	assert.Same(t, a.Fence(), b.Fence(), "an unsignalled point is reused")
	assert.NotSame(t, a, b, "in a new file")
	require.NoError(t, a.Close())
	c := newFence(t, tl, 11)
	assert.Same(t, b.Fence(), c.Fence())

	require.NoError(t, tl.Inc(1))
	d := newFence(t, tl, 11)
	assert.True(t, d.Ready())
	require.NoError(t, tl.Close())
}

func TestIncOrderAndClose(t *testing.T) {
	tl := NewTimeline("order")
	var order []uint64
	var cbs [5]fence.Callback
	// Created out of order; Inc signals in timeline order.
	for i, v := range []uint32{5, 2, 9, 1, 7} {
		sf := newFence(t, tl, v)
		require.NoError(t, sf.Fence().AddCallback(&cbs[i], func(f *fence.Fence, _ *fence.Callback) {
			order = append(order, f.Seqno())
		}))
	}
	require.NoError(t, tl.Inc(6))
	assert.Equal(t, []uint64{1, 2, 5}, order)
	require.NoError(t, tl.Inc(0))
	assert.Equal(t, []uint64{1, 2, 5}, order, "INC(0) signals nothing new")

	pend := newFence(t, tl, 8)
	require.NoError(t, tl.Close())
	assert.Equal(t, []uint64{1, 2, 5, 7, 9}, order, "close signals the rest in order")
	st, err := pend.Status()
	require.NoError(t, err)
	assert.Equal(t, -int32(syscall.ENOENT), st)
}

func TestIncCallbackMayUseTimeline(t *testing.T) {
	tl := NewTimeline("reentrant")
	first := newFence(t, tl, 1)
	var made *syncfile.File
	var madeErr error
	var cb fence.Callback
	require.NoError(t, first.Fence().AddCallback(&cb, func(*fence.Fence, *fence.Callback) {
		made, madeErr = tl.CreateFence(2, "") // from inside Inc's signalling
	}))
	require.NoError(t, tl.Inc(1))
	require.NoError(t, madeErr)
	assert.False(t, made.Ready())
	require.NoError(t, tl.Inc(1))
	assert.True(t, made.Ready())
	require.NoError(t, tl.Close())
}

func TestWrap(t *testing.T) {
	warnings := captureWarnings(t)
	for _, tc := range []struct {
		name    string
		start   uint32 // Inc to this first
		seqno   uint32
		inc     uint32
		signals bool
	}{
		{"plain", 0, 5, 5, true},
		{"one short", 0, 5, 4, false},
		{"across the wrap", 0xfffffff0, 5, 0x20, true},
		{"wrapped but short", 0xfffffff0, 5, 0x10, false},
		// 0xffffffff in one step would leave the counter one behind 5; the
		// kernel's steps of INT_MAX pass it on the way.
		{"inc in INT_MAX steps", 0, 5, 0xffffffff, true},
		{"just under half the range ahead is pending", 0, 0x7fffffff, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tl := NewTimeline("wrap")
			require.NoError(t, tl.Inc(tc.start))
			sf := newFence(t, tl, tc.seqno)
			require.False(t, sf.Ready(), "created pending")
			require.NoError(t, tl.Inc(tc.inc))
			assert.Equal(t, tc.signals, sf.Ready())
			assert.Equal(t, tc.start+tc.inc, tl.Value())
			require.NoError(t, tl.Close())
		})
	}

	// Half the range away counts as behind: (int32)(0x80000000 - 0) < 0.
	tl := NewTimeline("half")
	assert.True(t, newFence(t, tl, 0x80000000).Ready(), "signalled at birth")
	require.NoError(t, tl.Close())

	// A point signalling after the counter wrapped has a smaller 64-bit
	// seqno than one signalled before the wrap on the same context; the
	// order check compares sw_sync seqnos with the kernel's 32-bit rule, so
	// it reports nothing.
	tl = NewTimeline("wrap-warning")
	require.NoError(t, tl.Inc(0xfffffff0))
	before := newFence(t, tl, 0xfffffff8)
	after := newFence(t, tl, 2)
	require.NoError(t, tl.Inc(0x20))
	assert.True(t, before.Ready())
	assert.True(t, after.Ready())
	require.NoError(t, tl.Close())
	for _, w := range warnings() {
		assert.NotEqual(t, fence.WarnOutOfOrder, w.Kind, "false out-of-order report: %s", w.Detail)
	}
}

func TestMergeUsesWrappingOrder(t *testing.T) {
	captureWarnings(t)
	tl := NewTimeline("wrap-merge")
	require.NoError(t, tl.Inc(0xfffffff0))
	old := newFence(t, tl, 0xfffffff8)
	wrapped := newFence(t, tl, 3)
	m, err := syncfile.Merge("m", old, wrapped)
	require.NoError(t, err)
	assert.Same(t, wrapped.Fence(), m.Fence(), "3 is later than 0xfffffff8 on a sw_sync timeline")
	require.NoError(t, tl.Inc(0x10))
	assert.True(t, old.Ready())
	assert.False(t, m.Ready())
	require.NoError(t, tl.Inc(3))
	assert.True(t, m.Ready())
	require.NoError(t, tl.Close())
}

func TestSignaledHook(t *testing.T) {
	tl := NewTimeline("hook")
	sf := newFence(t, tl, 2)
	f := sf.Fence()
	poller, ok := f.Ops().(fence.SignaledPoller)
	require.True(t, ok)
	enabler, ok := f.Ops().(fence.EnableSignaler)
	require.True(t, ok)
	assert.True(t, enabler.EnableSignaling(f))
	assert.False(t, poller.Signaled(f))
	require.NoError(t, tl.Inc(2))
	assert.True(t, poller.Signaled(f))
	require.NoError(t, tl.Close())
}

func TestConcurrentIncKeepsOrder(t *testing.T) {
	warnings := captureWarnings(t)
	tl := NewTimeline("concurrent")
	const points = 2000
	files := make([]*syncfile.File, points)
	for i := range files {
		files[i] = newFence(t, tl, uint32(i+1))
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range points / 4 {
				_ = tl.Inc(1)
				_ = files[len(files)-1].Ready() // pollers race the signaller
			}
		}()
	}
	wg.Wait()
	for i, sf := range files {
		require.True(t, sf.Ready(), "point %d", i+1)
	}
	for _, w := range warnings() {
		assert.NotEqual(t, fence.WarnOutOfOrder, w.Kind, "%v", w)
	}
	require.NoError(t, tl.Close())
}
