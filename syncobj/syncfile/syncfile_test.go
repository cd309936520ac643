package syncfile

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/syncobj/fence"
)

type testOps struct{ timeline string }

func (testOps) DriverName() string                   { return "test" }
func (o testOps) TimelineName(f *fence.Fence) string { return o.timeline }

type ops32 struct{ testOps }

func (ops32) Seqno32() bool { return true }

// lazyOps signals nothing until someone waits, then reports "already
// passed" from its enable hook, like a driver whose work finished before
// interrupts were on.
type lazyOps struct{ testOps }

func (lazyOps) EnableSignaling(f *fence.Fence) bool { return false }

func pending(ctx *fence.Context, seqno uint64) *fence.Fence {
	return fence.New(testOps{"t"}, ctx, seqno)
}

func signalled(t *testing.T, ctx *fence.Context, seqno uint64, ts int64) *fence.Fence {
	f := pending(ctx, seqno)
	require.NoError(t, f.SignalTimestamp(ts))
	return f
}

func TestNilAndClosedFiles(t *testing.T) {
	assert.Nil(t, New(nil))

	var nilFile *File
	closed := New(pending(nil, 1))
	require.NoError(t, closed.Close())
	zero := &File{}

	for _, tc := range []struct {
		name string
		sf   *File
		want syscall.Errno
	}{
		{"nil", nilFile, syscall.EINVAL},
		{"closed", closed, syscall.EBADF},
		{"zero", zero, syscall.EBADF},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Nil(t, tc.sf.Fence())
			assert.Empty(t, tc.sf.Name())
			assert.False(t, tc.sf.Ready())
			assert.Zero(t, tc.sf.NumFences())
			assert.Equal(t, Info{}, tc.sf.Info())
			require.ErrorIs(t, tc.sf.Wait(nil, time.Second), tc.want)
			_, err := tc.sf.Status()
			require.ErrorIs(t, err, tc.want)
			require.ErrorIs(t, tc.sf.FillInfo(&Info{}), tc.want)
			require.ErrorIs(t, tc.sf.Close(), tc.want)

			good := New(pending(nil, 1))
			_, err = Merge("x", tc.sf, good)
			require.ErrorIs(t, err, tc.want, "as the file the ioctl is made on")
			_, err = Merge("x", good, tc.sf)
			require.ErrorIs(t, err, syscall.ENOENT, "as fd2")
		})
	}
}

func TestIsLater(t *testing.T) {
	for _, tc := range []struct {
		name   string
		bits32 bool
		a, b   uint64
		want   bool
	}{
		{"64 greater", false, 5, 3, true},
		{"64 smaller", false, 3, 5, false},
		{"64 equal", false, 4, 4, false},
		{"64 above 2^32", false, 1<<32 + 1, 5, true},
		{"32 greater", true, 5, 3, true},
		{"32 low bits only", true, 1<<32 + 1, 5, false},
		{"32 wraps", true, 2, 0xfffffff0, true},
		{"32 half way", true, 0x80000000, 0, false},
		{"32 just under half", true, 0x7fffffff, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ops fence.Ops = testOps{"t"}
			if tc.bits32 {
				ops = ops32{testOps{"t"}}
			}
			ctx := fence.AllocContext()
			a, b := fence.New(ops, ctx, tc.a), fence.New(ops, ctx, tc.b)
			assert.Equal(t, tc.want, fence.IsLater(a, b))
		})
	}
}

func TestMerge(t *testing.T) {
	c1, c2, c3 := fence.AllocContext(), fence.AllocContext(), fence.AllocContext()

	t.Run("single pending fence stays itself", func(t *testing.T) {
		p := pending(c1, 1)
		m, err := Merge("m", New(p), New(signalled(t, c2, 1, 10)))
		require.NoError(t, err)
		assert.Same(t, p, m.Fence())
	})

	t.Run("all signalled gives a stub with the latest timestamp", func(t *testing.T) {
		m, err := Merge("m", New(signalled(t, c1, 1, 100)), New(signalled(t, c2, 1, 300)))
		require.NoError(t, err)
		require.True(t, m.Ready())
		ts, ok := m.Fence().Timestamp()
		require.True(t, ok)
		assert.Equal(t, int64(300), ts)
		assert.Equal(t, "stub", m.Fence().Ops().DriverName())
		assert.NotEqual(t, c1.ID(), m.Fence().Context().ID())
		assert.NotEqual(t, c2.ID(), m.Fence().Context().ID())
		assert.Equal(t, 1, m.NumFences())
	})

	t.Run("same context collapses to the later seqno (64-bit)", func(t *testing.T) {
		lo, hi := pending(c1, 5), pending(c1, 1<<32+1)
		m, err := Merge("m", New(lo), New(hi))
		require.NoError(t, err)
		assert.Same(t, hi, m.Fence())
	})

	t.Run("same context collapses to the later seqno (32-bit wrap)", func(t *testing.T) {
		ctx := fence.AllocContext()
		old := fence.New(ops32{testOps{"t"}}, ctx, 0xfffffff0)
		wrapped := fence.New(ops32{testOps{"t"}}, ctx, 2)
		m, err := Merge("m", New(wrapped), New(old))
		require.NoError(t, err)
		assert.Same(t, wrapped, m.Fence())
	})

	t.Run("several contexts become an array sorted by context", func(t *testing.T) {
		a, b, c := pending(c3, 1), pending(c1, 1), pending(c2, 7)
		ab, err := Merge("ab", New(a), New(b))
		require.NoError(t, err)
		abc, err := Merge("abc", ab, New(c))
		require.NoError(t, err)
		got := fence.Unwrap(abc.Fence())
		require.Equal(t, []*fence.Fence{b, c, a}, got, "flattened, one level, by context")
		arrCtx := abc.Fence().Context().ID()
		for _, x := range []*fence.Context{c1, c2, c3} {
			assert.NotEqual(t, x.ID(), arrCtx, "the array gets a fresh context")
		}
		assert.Equal(t, uint64(1), abc.Fence().Seqno())

		// Signal on all, not any.
		require.NoError(t, b.Signal())
		require.NoError(t, c.Signal())
		require.ErrorIs(t, abc.Wait(nil, 0), syscall.ETIME)
		require.NoError(t, a.Signal())
		require.NoError(t, abc.Wait(nil, 0))
	})

	t.Run("signalled fences are dropped from a merge of merges", func(t *testing.T) {
		a, b, c := pending(c1, 10), pending(c2, 10), pending(c3, 10)
		ab, err := Merge("ab", New(a), New(b))
		require.NoError(t, err)
		require.NoError(t, a.Signal())
		abc, err := Merge("abc", ab, New(c))
		require.NoError(t, err)
		assert.Equal(t, []*fence.Fence{b, c}, fence.Unwrap(abc.Fence()))
		assert.Equal(t, 2, ab.NumFences(), "the source file is unchanged")
	})

	t.Run("merge with itself", func(t *testing.T) {
		p := pending(c1, 20)
		sf := New(p)
		m, err := Merge("m", sf, sf)
		require.NoError(t, err)
		assert.Same(t, p, m.Fence())
	})
}

func TestNames(t *testing.T) {
	long := strings.Repeat("x", 40)
	f := fence.New(testOps{"tl"}, nil, 42)
	sf := New(f)
	assert.Equal(t, "test-tl"+itoa(f.Context().ID())+"-42", sf.Name())

	neg := New(fence.New(testOps{"tl"}, nil, 1<<63))
	assert.True(t, strings.HasSuffix(neg.Name(), "--9223372036854775808"), "%%lld of a seqno above 2^63: %s", neg.Name())

	longTl := New(fence.New(testOps{long}, nil, 1))
	assert.Len(t, longTl.Name(), NameMax)

	other := New(pending(nil, 1))
	for _, tc := range []struct{ in, want string }{
		{"short", "short"},
		{long, long[:NameMax]},
		{"nul\x00after", "nul"},
	} {
		m, err := Merge(tc.in, sf, other)
		require.NoError(t, err)
		assert.Equal(t, tc.want, m.Name())
		assert.Equal(t, tc.want, m.Info().Name)
	}
	m, err := Merge("", sf, other)
	require.NoError(t, err)
	assert.Equal(t, "dma_fence_array-unbound"+itoa(m.Fence().Context().ID())+"-1", m.Name(), "no name: derived from the fence")
}

func itoa(v uint64) string {
	var b []byte
	for {
		b = append([]byte{byte('0' + v%10)}, b...)
		v /= 10
		if v == 0 {
			return string(b)
		}
	}
}

func TestInfo(t *testing.T) {
	c1, c2 := fence.AllocContext(), fence.AllocContext()
	long := strings.Repeat("n", 40)

	for _, tc := range []struct {
		name       string
		setup      func(a, b *fence.Fence)
		wantStatus int32
		wantFences []int32
	}{
		{"both active", func(a, b *fence.Fence) {}, 0, []int32{0, 0}},
		{"first signalled", func(a, b *fence.Fence) { _ = a.Signal() }, 0, []int32{1, 0}},
		{"both signalled", func(a, b *fence.Fence) { _ = a.Signal(); _ = b.Signal() }, 1, []int32{1, 1}},
		{"active before error: active", func(a, b *fence.Fence) {
			_ = b.SetError(syscall.EIO)
			_ = b.Signal()
		}, 0, []int32{0, -int32(syscall.EIO)}},
		{"error before active: error", func(a, b *fence.Fence) {
			_ = a.SetError(syscall.EIO)
			_ = a.Signal()
		}, -int32(syscall.EIO), []int32{-int32(syscall.EIO), 0}},
		{"error set, not signalled: active", func(a, b *fence.Fence) {
			_ = a.SetError(syscall.EIO)
		}, 0, []int32{0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := fence.New(testOps{long}, c1, 1)
			b := fence.New(testOps{"b"}, c2, 1)
			m, err := Merge("info", New(a), New(b))
			require.NoError(t, err)
			tc.setup(a, b)
			in := m.Info()
			assert.Equal(t, "info", in.Name)
			assert.Equal(t, tc.wantStatus, in.Status)
			require.Len(t, in.Fences, len(tc.wantFences))
			for i, fi := range in.Fences {
				assert.Equal(t, tc.wantFences[i], fi.Status, "fence %d", i)
				assert.Equal(t, "test", fi.DriverName)
				assert.Zero(t, fi.Flags)
				_, signalled := []*fence.Fence{a, b}[i].Timestamp()
				assert.Equal(t, signalled, fi.TimestampNs != 0, "timestamp only once signalled")
			}
			assert.Equal(t, long[:NameMax], in.Fences[0].ObjName)
			assert.Equal(t, "b", in.Fences[1].ObjName)
		})
	}

	t.Run("FillInfo reuses storage", func(t *testing.T) {
		m, err := Merge("m", New(pending(c1, 9)), New(pending(c2, 9)))
		require.NoError(t, err)
		dst := Info{Fences: make([]FenceInfo, 5, 8)}
		require.NoError(t, m.FillInfo(&dst))
		assert.Len(t, dst.Fences, 2)
		assert.Equal(t, 8, cap(dst.Fences))
	})
}

func TestWaitAndReady(t *testing.T) {
	t.Run("negative timeout waits until the signal", func(t *testing.T) {
		f := pending(nil, 1)
		sf := New(f)
		timer := time.AfterFunc(time.Millisecond, func() { _ = f.Signal() })
		defer timer.Stop()
		require.NoError(t, sf.Wait(nil, -1))
		assert.True(t, sf.Ready())
	})

	t.Run("timeout", func(t *testing.T) {
		sf := New(pending(nil, 1))
		require.ErrorIs(t, sf.Wait(nil, 0), syscall.ETIME)
		require.ErrorIs(t, sf.Wait(nil, time.Millisecond), syscall.ETIME)
	})

	t.Run("interrupted", func(t *testing.T) {
		sf := New(pending(nil, 1))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := sf.Wait(ctx, fence.Forever)
		require.ErrorIs(t, err, fence.ERESTARTSYS)
		require.ErrorIs(t, err, context.Canceled)
	})

	t.Run("signalled with error is ready", func(t *testing.T) {
		f := pending(nil, 1)
		require.NoError(t, f.SetError(syscall.EIO))
		require.NoError(t, f.Signal())
		sf := New(f)
		require.NoError(t, sf.Wait(nil, 0))
		assert.True(t, sf.Ready())
		st, err := sf.Status()
		require.NoError(t, err)
		assert.Equal(t, -int32(syscall.EIO), st)
	})

	t.Run("poll enables signalling", func(t *testing.T) {
		sf := New(fence.New(lazyOps{testOps{"t"}}, nil, 1))
		assert.True(t, sf.Ready(), "the enable hook reported the work done")
	})

	t.Run("close drops the file's reference only", func(t *testing.T) {
		f := pending(nil, 1)
		sf := New(f)
		f.Put() // the creator's reference; the file's keeps the fence alive
		require.NoError(t, sf.Close())
		require.ErrorIs(t, sf.Close(), syscall.EBADF)
	})
}
