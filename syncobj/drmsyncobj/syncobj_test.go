package drmsyncobj

import (
	"context"
	"encoding/binary"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/syncobj/fence"
)

type unitOps struct{}

func (unitOps) DriverName() string                 { return "unit" }
func (unitOps) TimelineName(f *fence.Fence) string { return "u" }

func unitFence() *fence.Fence { return fence.New(unitOps{}, nil, 1) }

func TestHandleTable(t *testing.T) {
	f := NewFile()
	a, err := f.Create(0)
	require.NoError(t, err)
	b, err := f.Create(CreateSignaled)
	require.NoError(t, err)
	c, err := f.Create(0)
	require.NoError(t, err)
	assert.Equal(t, []Handle{1, 2, 3}, []Handle{a, b, c}, "the idr starts at 1")

	_, err = f.Create(2)
	assert.ErrorIs(t, err, syscall.EINVAL)
	assert.ErrorIs(t, f.Destroy(b, 1), syscall.EINVAL, "pad")
	require.NoError(t, f.Destroy(b, 0))
	assert.ErrorIs(t, f.Destroy(b, 0), syscall.EINVAL, "unknown handle is EINVAL, not ENOENT")
	assert.ErrorIs(t, f.Destroy(0, 0), syscall.EINVAL)
	_, err = f.Lookup(b)
	assert.ErrorIs(t, err, syscall.ENOENT)
	_, err = f.Lookup(1000)
	assert.ErrorIs(t, err, syscall.ENOENT)

	d, err := f.Create(0)
	require.NoError(t, err)
	assert.Equal(t, Handle(2), d, "the lowest free handle is reused")

	s, err := f.Lookup(a)
	require.NoError(t, err)
	e := f.Install(s)
	assert.Equal(t, Handle(4), e, "every install is a new handle")
	require.NoError(t, f.Signal([]Handle{a}, 0))
	_, err = f.Wait(nil, []Handle{e}, 0, 0)
	assert.NoError(t, err, "both handles name one syncobj")
}

func TestHandleTableConcurrent(t *testing.T) {
	f := NewFile()
	var wg sync.WaitGroup
	seen := make([][]Handle, 4)
	for g := range seen {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				h, err := f.Create(0)
				if !assert.NoError(t, err) {
					return
				}
				seen[g] = append(seen[g], h)
				if i%2 == 0 {
					assert.NoError(t, f.Destroy(h, 0))
				}
			}
		}()
	}
	wg.Wait()
	live := map[Handle]bool{}
	for _, hs := range seen {
		for i, h := range hs {
			if i%2 == 1 {
				assert.False(t, live[h], "handle %d handed out twice", h)
				live[h] = true
			}
		}
	}
	for h := range live {
		_, err := f.Lookup(h)
		assert.NoError(t, err)
	}
}

func TestFindFence(t *testing.T) {
	s := NewSyncobj(false)
	_, err := s.FindFence(0, 0)
	assert.ErrorIs(t, err, syscall.EINVAL)

	fn := unitFence()
	time.AfterFunc(time.Millisecond, func() { s.ReplaceFence(fn) })
	got, err := s.FindFence(0, WaitForSubmit)
	require.NoError(t, err)
	assert.Same(t, fn, got)
	got.Put()

	// Point 3's link is collected once its fence has signalled; it then
	// resolves to what lies below it: the plain fence, pending still...
	s.AddPoint(3, fence.NewSignaled())
	s.AddPoint(4, unitFence())
	got, err = s.FindFence(3, 0)
	require.NoError(t, err)
	assert.Same(t, fn, got)
	got.Put()
	// ...and nothing at all once that one has signalled too.
	require.NoError(t, fn.Signal())
	_, err = s.FindFence(5, 0)
	assert.ErrorIs(t, err, syscall.EINVAL, "point not submitted yet")
	got, err = s.FindFence(3, 0)
	require.NoError(t, err)
	assert.True(t, got.IsSignaled(), "a collected point yields a signalled stub")
	got.Put()
}

func TestTransferAndExportImport(t *testing.T) {
	f := NewFile()
	src, dst := mustCreate(t, f), mustCreate(t, f)
	assert.ErrorIs(t, f.Transfer(src, 0, dst, 0, 0, 1), syscall.EINVAL)
	assert.ErrorIs(t, f.Transfer(src, 0, 99, 0, 0, 0), syscall.ENOENT)
	assert.ErrorIs(t, f.Transfer(99, 0, dst, 0, 0, 0), syscall.ENOENT)
	assert.ErrorIs(t, f.Transfer(src, 0, dst, 0, 0, 0), syscall.EINVAL, "source has no fence")

	a, b := unitFence(), fence.New(unitOps{}, nil, 2)
	arr, err := fence.NewArray([]*fence.Fence{a, b}, nil, 1, false)
	require.NoError(t, err)
	require.NoError(t, f.ImportFence(src, 0, arr))
	require.NoError(t, f.Transfer(src, 0, dst, 1, 0, 0))
	pts := []uint64{9}
	require.NoError(t, f.Query([]Handle{dst}, pts, 0))
	assert.Equal(t, uint64(0), pts[0])
	require.NoError(t, a.Signal())
	require.NoError(t, b.Signal())
	require.NoError(t, f.Query([]Handle{dst}, pts, 0))
	assert.Equal(t, uint64(1), pts[0])

	_, err = f.ExportFence(99, 0)
	assert.ErrorIs(t, err, syscall.ENOENT)
	empty := mustCreate(t, f)
	_, err = f.ExportFence(empty, 0)
	assert.ErrorIs(t, err, syscall.EINVAL)
	got, err := f.ExportFence(dst, 1)
	require.NoError(t, err)
	assert.True(t, got.IsSignaled())
	assert.ErrorIs(t, f.ImportFence(99, 0, nil), syscall.EINVAL, "no sync_file before no handle")
	assert.ErrorIs(t, f.ImportFence(99, 0, got), syscall.ENOENT)
	require.NoError(t, f.ImportFence(empty, 7, got))
	require.NoError(t, f.Query([]Handle{empty}, pts, QueryLastSubmitted))
	assert.Equal(t, uint64(7), pts[0])
}

func TestQueryAndTimelineSignalErrors(t *testing.T) {
	f := NewFile()
	h := mustCreate(t, f)
	pts := make([]uint64, 1)
	assert.ErrorIs(t, f.Query(nil, pts, 0), syscall.EINVAL)
	assert.ErrorIs(t, f.Query([]Handle{h}, pts, 2), syscall.EINVAL)
	assert.ErrorIs(t, f.Query([]Handle{h, 0}, make([]uint64, 2), 0), syscall.ENOENT)
	assert.ErrorIs(t, f.Query([]Handle{h}, nil, 0), syscall.EFAULT)
	require.NoError(t, f.Query([]Handle{h}, pts, 0))
	assert.Zero(t, pts[0], "no chain: 0")
	assert.ErrorIs(t, f.TimelineSignal(nil, nil, 0), syscall.EINVAL)
	assert.ErrorIs(t, f.TimelineSignal([]Handle{h}, nil, 1), syscall.EINVAL)
	assert.ErrorIs(t, f.TimelineSignal([]Handle{0}, nil, 0), syscall.ENOENT)
	require.NoError(t, f.TimelineSignal([]Handle{h}, nil, 0))
	_, err := f.Wait(nil, []Handle{h}, 0, 0)
	assert.NoError(t, err, "point 0 signals like SIGNAL")
	_, err = f.TimelineWait(nil, []Handle{h}, []uint64{0}, 0, 1<<4)
	assert.ErrorIs(t, err, syscall.EINVAL)
	_, err = f.Wait(nil, []Handle{h}, 0, WaitAvailable)
	assert.ErrorIs(t, err, syscall.EINVAL, "WAIT takes no AVAILABLE flag")
}

func TestWaitAvailable(t *testing.T) {
	f := NewFile()
	h := mustCreate(t, f)
	fn := unitFence()
	require.NoError(t, f.ImportFence(h, 2, fn))
	_, err := f.TimelineWait(nil, []Handle{h}, []uint64{2}, 0, 0)
	assert.ErrorIs(t, err, syscall.ETIME)
	_, err = f.TimelineWait(nil, []Handle{h}, []uint64{2}, 0, WaitAvailable)
	assert.NoError(t, err, "submitted but unsignalled is available")
	_, err = f.TimelineWait(nil, []Handle{h}, []uint64{3}, 0, WaitAvailable)
	assert.ErrorIs(t, err, syscall.ETIME)
	_, err = f.TimelineWait(nil, []Handle{h}, []uint64{3}, 0, 0)
	assert.ErrorIs(t, err, syscall.EINVAL)
}

// TestWaitLeavesNothingRegistered checks that a wait that times out or is
// interrupted removes its fence callbacks and its syncobj entries.
func TestWaitLeavesNothingRegistered(t *testing.T) {
	var warns []fence.Warning
	prev := fence.SetWarningHandler(func(w fence.Warning) { warns = append(warns, w) })
	defer fence.SetWarningHandler(prev)

	f := NewFile()
	h, h2 := mustCreate(t, f), mustCreate(t, f)
	fn := unitFence()
	require.NoError(t, f.ImportFence(h, 0, fn))
	_, err := f.Wait(context.Background(), []Handle{h, h2}, fence.Now()+int64(time.Millisecond), WaitAll|WaitForSubmit)
	require.ErrorIs(t, err, syscall.ETIME)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(time.Millisecond, cancel)
	_, err = f.Wait(ctx, []Handle{h, h2}, fence.Now()+int64(time.Hour), WaitAll|WaitForSubmit)
	require.ErrorIs(t, err, fence.ERESTARTSYS)

	s2, err := f.Lookup(h2)
	require.NoError(t, err)
	s2.mu.Lock()
	assert.Same(t, &s2.waiters, s2.waiters.next, "no syncobj waiter left")
	s2.mu.Unlock()
	require.NoError(t, f.Reset([]Handle{h}, 0))
	fn.Put() // the last reference: a callback left behind would be reported
	assert.Empty(t, warns)
}

func TestWaitManyHandles(t *testing.T) {
	f := NewFile()
	hs := make([]Handle, 9)
	fs := make([]*fence.Fence, len(hs))
	for i := range hs {
		hs[i] = mustCreate(t, f)
		fs[i] = unitFence()
		require.NoError(t, f.ImportFence(hs[i], 0, fs[i]))
	}
	time.AfterFunc(time.Millisecond, func() {
		for i := len(fs) - 1; i >= 0; i-- {
			_ = fs[i].Signal()
		}
	})
	_, err := f.Wait(context.Background(), hs, fence.Now()+int64(30*time.Second), WaitAll)
	require.NoError(t, err)
	first, err := f.Wait(nil, hs, 0, 0)
	require.NoError(t, err)
	assert.Zero(t, first)
}

func TestEventfd(t *testing.T) {
	f := NewFile()
	h := mustCreate(t, f)
	efd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	require.NoError(t, err)
	defer unix.Close(efd)

	assert.ErrorIs(t, f.Eventfd(h, 0, efd, WaitAll, 0), syscall.EINVAL)
	assert.ErrorIs(t, f.Eventfd(h, 0, efd, 0, 1), syscall.EINVAL)
	assert.ErrorIs(t, f.Eventfd(99, 0, efd, 0, 0), syscall.ENOENT)
	assert.ErrorIs(t, f.Eventfd(h, 0, -1, 0, 0), syscall.EBADF)
	var p [2]int
	require.NoError(t, unix.Pipe2(p[:], unix.O_CLOEXEC))
	defer unix.Close(p[0])
	defer unix.Close(p[1])
	assert.ErrorIs(t, f.Eventfd(h, 0, p[0], 0, 0), syscall.EINVAL, "not an eventfd")

	// Signal: fires when the fence for point 1 signals.
	require.NoError(t, f.Eventfd(h, 1, efd, 0, 0))
	// Available: fires as soon as point 1 exists.
	require.NoError(t, f.Eventfd(h, 1, efd, WaitAvailable, 0))
	assert.Zero(t, readEventfd(t, efd, 0))
	fn := unitFence()
	require.NoError(t, f.ImportFence(h, 1, fn))
	assert.Equal(t, uint64(1), readEventfd(t, efd, 30*time.Second), "available")
	assert.Zero(t, readEventfd(t, efd, 0))
	time.AfterFunc(time.Millisecond, func() { _ = fn.Signal() })
	assert.Equal(t, uint64(1), readEventfd(t, efd, 30*time.Second), "signalled")

	// Already signalled: fires at once.
	require.NoError(t, f.Eventfd(h, 1, efd, 0, 0))
	assert.Equal(t, uint64(1), readEventfd(t, efd, 30*time.Second))
}

// readEventfd returns the eventfd's counter, waiting up to timeout for it
// to become non-zero (0 after a timeout).
func readEventfd(t *testing.T, fd int, timeout time.Duration) uint64 {
	t.Helper()
	pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	n, err := unix.Poll(pfd, int(timeout/time.Millisecond))
	if err == syscall.EINTR {
		n, err = unix.Poll(pfd, int(timeout/time.Millisecond))
	}
	require.NoError(t, err)
	if n == 0 {
		return 0
	}
	var buf [8]byte
	_, err = unix.Read(fd, buf[:])
	require.NoError(t, err)
	return binary.NativeEndian.Uint64(buf[:])
}

func mustCreate(t *testing.T, f *File) Handle {
	t.Helper()
	h, err := f.Create(0)
	require.NoError(t, err)
	return h
}

func BenchmarkWaitZeroTimeout(b *testing.B) {
	f := NewFile()
	sig, err := f.Create(CreateSignaled)
	require.NoError(b, err)
	pend, err := f.Create(0)
	require.NoError(b, err)
	require.NoError(b, f.ImportFence(pend, 0, unitFence()))
	for _, bc := range []struct {
		name    string
		handles []Handle
		flags   uint32
		want    error
	}{
		{"any", []Handle{pend, sig}, 0, nil},
		{"all", []Handle{sig, pend}, WaitAll, syscall.ETIME},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := f.Wait(nil, bc.handles, 0, bc.flags); err != bc.want {
					b.Fatalf("wait: %v", err)
				}
			}
		})
	}
}

func TestZeroValues(t *testing.T) {
	var f File
	h, err := f.Create(0)
	require.NoError(t, err)
	assert.Equal(t, Handle(1), h)
	var s Syncobj
	assert.Nil(t, s.Fence())
	fn := unitFence()
	s.ReplaceFence(fn)
	s.AddPoint(2, nil)
	got, err := s.FindFence(0, WaitForSubmit)
	require.NoError(t, err)
	assert.Equal(t, uint64(2), got.Seqno())
	hz := f.Install(&s)
	_, err = f.TimelineWait(nil, []Handle{hz}, []uint64{2}, 0, 0)
	assert.ErrorIs(t, err, syscall.ETIME, "the nil fence of point 2 is signalled, point 1's plain fence is not")
	require.NoError(t, fn.Signal())
	_, err = f.TimelineWait(nil, []Handle{hz}, []uint64{2}, 0, 0)
	assert.NoError(t, err)
}

func TestFirstSignaledAsTheKernelWritesIt(t *testing.T) {
	f := NewFile()
	pend, sig := mustCreate(t, f), mustCreate(t, f)
	fn := unitFence()
	require.NoError(t, f.ImportFence(pend, 0, fn))
	require.NoError(t, f.Signal([]Handle{sig}, 0))
	deadline := fence.Now() + int64(30*time.Second)

	got, err := f.Wait(nil, []Handle{pend, sig}, 0, 0)
	require.NoError(t, err)
	assert.Equal(t, uint32(1), got, "any: the signalled one")

	// Signalled only once the waiter sleeps: the wait for all reports the
	// first index that was signalled when it began.
	binOnBlocked(f, func() { _ = fn.Signal() })
	got, err = f.Wait(context.Background(), []Handle{pend, sig}, deadline, WaitAll)
	require.NoError(t, err)
	assert.Equal(t, uint32(1), got, "all: first already signalled at the start")

	got, err = f.Wait(nil, []Handle{pend, sig}, 0, WaitAll)
	require.NoError(t, err)
	assert.Zero(t, got, "all signalled from the start: index 0")

	a, b := mustCreate(t, f), mustCreate(t, f)
	fa, fb := unitFence(), unitFence()
	require.NoError(t, f.ImportFence(a, 0, fa))
	require.NoError(t, f.ImportFence(b, 0, fb))
	binOnBlocked(f, func() { _ = fa.Signal(); _ = fb.Signal() })
	got, err = f.Wait(context.Background(), []Handle{a, b}, deadline, WaitAll)
	require.NoError(t, err)
	assert.Equal(t, ^uint32(0), got, "none signalled at the start of a wait for all: ~0")
}

// releaseOps counts Release calls: the last Put of a fence.
type releaseOps struct{ n *atomic.Int32 }

func (releaseOps) DriverName() string                 { return "unit" }
func (releaseOps) TimelineName(f *fence.Fence) string { return "u" }
func (r releaseOps) Release(*fence.Fence)             { r.n.Add(1) }

func TestHandleTableReuseAndEdges(t *testing.T) {
	f := NewFile()
	for want := Handle(1); want <= 3; want++ {
		require.Equal(t, want, mustCreate(t, f))
	}
	// idr_alloc hands out the lowest free id at or above 1.
	require.NoError(t, f.Destroy(2, 0))
	assert.Equal(t, Handle(2), mustCreate(t, f), "the destroyed handle is the lowest free")
	require.NoError(t, f.Destroy(1, 0))
	require.NoError(t, f.Destroy(3, 0))
	assert.Equal(t, Handle(1), mustCreate(t, f))
	assert.Equal(t, Handle(3), mustCreate(t, f))
	// One past the table's end is an unknown handle like any other.
	assert.ErrorIs(t, f.Destroy(4, 0), syscall.EINVAL)
	assert.ErrorIs(t, f.Destroy(5, 0), syscall.EINVAL)
}

// An eventfd belongs to the syncobj, not to a handle: it keeps working
// while another handle names the syncobj.
func TestEventfdOutlivesOneHandle(t *testing.T) {
	f := NewFile()
	h := mustCreate(t, f)
	s, err := f.Lookup(h)
	require.NoError(t, err)
	h2 := f.Install(s)
	efd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	require.NoError(t, err)
	defer unix.Close(efd)
	require.NoError(t, f.Eventfd(h, 1, efd, 0, 0))
	require.NoError(t, f.Destroy(h, 0))
	fn := unitFence()
	require.NoError(t, f.ImportFence(h2, 1, fn))
	require.NoError(t, fn.Signal())
	assert.Equal(t, uint64(1), readEventfd(t, efd, 30*time.Second))
}

// WaitAvailable fires when the point's fence exists, plain waits when it
// signals; each on its own eventfd, so the two cannot stand in for each
// other.
func TestEventfdAvailableAgainstSignalled(t *testing.T) {
	f := NewFile()
	h := mustCreate(t, f)
	var efd [2]int
	for i := range efd {
		var err error
		efd[i], err = unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
		require.NoError(t, err)
		defer unix.Close(efd[i])
	}
	avail, sig := efd[0], efd[1]
	require.NoError(t, f.Eventfd(h, 1, avail, WaitAvailable, 0))
	require.NoError(t, f.Eventfd(h, 1, sig, 0, 0))
	var n atomic.Int32
	fn := fence.New(releaseOps{&n}, nil, 1)
	require.NoError(t, f.ImportFence(h, 1, fn))
	assert.Equal(t, uint64(1), readEventfd(t, avail, 30*time.Second), "available")
	assert.Zero(t, readEventfd(t, sig, 0), "not signalled yet")
	require.NoError(t, fn.Signal())
	assert.Equal(t, uint64(1), readEventfd(t, sig, 30*time.Second), "signalled")
	assert.Zero(t, readEventfd(t, avail, 0), "an eventfd fires once")

	// Both entries dropped their fence references when they fired: once
	// the syncobj and the test let go, the fence is released.
	require.NoError(t, f.Reset([]Handle{h}, 0))
	fn.Put()
	assert.Equal(t, int32(1), n.Load(), "the fence was released exactly once")
}

func TestEventfdGet(t *testing.T) {
	fd, err := eventfdGet(-1)
	assert.ErrorIs(t, err, syscall.EBADF)
	assert.Equal(t, -1, fd)
	var p [2]int
	require.NoError(t, unix.Pipe2(p[:], unix.O_CLOEXEC))
	defer unix.Close(p[0])
	defer unix.Close(p[1])
	fd, err = eventfdGet(p[0])
	assert.ErrorIs(t, err, syscall.EINVAL)
	assert.Equal(t, -1, fd)
}

// Once no handle names a syncobj its eventfds are gone, as drm_syncobj_free
// frees them: a point added later through a retained *Syncobj fires none.
func TestEventfdDroppedWithLastHandle(t *testing.T) {
	f := NewFile()
	h := mustCreate(t, f)
	s, err := f.Lookup(h)
	require.NoError(t, err)
	efd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	require.NoError(t, err)
	defer unix.Close(efd)
	require.NoError(t, f.Eventfd(h, 1, efd, WaitAvailable, 0))
	require.NoError(t, f.Destroy(h, 0))
	s.AddPoint(1, unitFence())
	assert.Zero(t, readEventfd(t, efd, 0))
	// The table is empty again: one past its end is unknown.
	_, err = f.Lookup(h)
	assert.ErrorIs(t, err, syscall.ENOENT)
	_, err = f.Lookup(h + 1)
	assert.ErrorIs(t, err, syscall.ENOENT)
}

// A transfer to a timeline point carries an unsignalled fence as
// unsignalled (dma_fence_unwrap_merge drops only signalled ones), and the
// point signals with it.
func TestTransferKeepsUnsignalledFence(t *testing.T) {
	f := NewFile()
	src, dst := mustCreate(t, f), mustCreate(t, f)
	fn := unitFence()
	require.NoError(t, f.ImportFence(src, 0, fn))
	require.NoError(t, f.Transfer(src, 0, dst, 5, 0, 0))
	_, err := f.TimelineWait(nil, []Handle{dst}, []uint64{5}, 0, 0)
	assert.ErrorIs(t, err, syscall.ETIME)
	require.NoError(t, fn.Signal())
	_, err = f.TimelineWait(nil, []Handle{dst}, []uint64{5}, 0, 0)
	assert.NoError(t, err)
}

// enableOps signals its fence when signalling is enabled (enable_signaling
// returning false: the hardware already passed it), so only a wait that
// enables signalling sees it signalled.
type enableOps struct{}

func (enableOps) DriverName() string                 { return "unit" }
func (enableOps) TimelineName(f *fence.Fence) string { return "u" }
func (enableOps) EnableSignaling(*fence.Fence) bool  { return false }

// A zero-timeout wait-all enables signalling on every fence, as the
// kernel's wait loop does, and succeeds when that signals the last one.
func TestPollEnablesSignalling(t *testing.T) {
	f := NewFile()
	sig, err := f.Create(CreateSignaled)
	require.NoError(t, err)
	h := mustCreate(t, f)
	require.NoError(t, f.ImportFence(h, 0, fence.New(enableOps{}, nil, 1)))
	first, err := f.Wait(nil, []Handle{sig, h}, 0, WaitAll)
	require.NoError(t, err)
	assert.Equal(t, uint32(0), first)
}

// The package doc promises that a poll on four handles or fewer
// allocates nothing; four is the edge.
func TestPollOfFourHandlesDoesNotAllocate(t *testing.T) {
	f := NewFile()
	hs := make([]Handle, 4)
	for i := range hs {
		var err error
		hs[i], err = f.Create(CreateSignaled)
		require.NoError(t, err)
	}
	pend := mustCreate(t, f)
	require.NoError(t, f.ImportFence(pend, 0, unitFence()))
	hs[3] = pend
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := f.Wait(nil, hs, 0, WaitAll); err != syscall.ETIME {
			t.Fatalf("wait: %v", err)
		}
	})
	assert.Zero(t, allocs)
}
