package shmtimeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
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

// farDeadline is a deadline no test reaches: tests that expect a wake must
// fail by hanging the test binary's own timeout rather than by timing.
func farDeadline() int64 { return fence.Now() + int64(time.Hour) }

func mustCreate(t testing.TB) *Timeline {
	tl, err := Create()
	require.NoError(t, err)
	t.Cleanup(func() { _ = tl.Close() })
	return tl
}

func mustOpen(t testing.TB, fd int) *Timeline {
	tl, err := Open(fd)
	require.NoError(t, err)
	t.Cleanup(func() { _ = tl.Close() })
	return tl
}

func TestCreateOpenRoundTrip(t *testing.T) {
	a := mustCreate(t)
	b := mustOpen(t, a.Fd())
	assert.NotEqual(t, a.Fd(), b.Fd(), "Open duplicates the fd")

	require.NoError(t, a.Signal(5))
	v, err := b.Query()
	require.NoError(t, err)
	assert.Equal(t, uint64(5), v)

	require.NoError(t, b.Signal(9))
	assert.Equal(t, uint64(9), a.Value())
	require.NoError(t, a.Wait(nil, 9, 0), "zero deadline is a query and point 9 is signalled")
}

func TestSignalNeverGoesBack(t *testing.T) {
	tl := mustCreate(t)
	for _, p := range []uint64{3, 1, 3, 0, 7, 6} {
		require.NoError(t, tl.Signal(p))
	}
	assert.Equal(t, uint64(7), tl.Value())
}

// sealedMemfd builds a memfd of the given size holding page, with seals.
func sealedMemfd(t *testing.T, size int, page []byte, seals int) int {
	fd, err := unix.MemfdCreate("test", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	require.NoError(t, err)
	t.Cleanup(func() { unix.Close(fd) })
	require.NoError(t, unix.Ftruncate(fd, int64(size)))
	if len(page) > 0 {
		_, err = unix.Pwrite(fd, page, 0)
		require.NoError(t, err)
	}
	if seals != 0 {
		_, err = unix.FcntlInt(uintptr(fd), unix.F_ADD_SEALS, seals)
		require.NoError(t, err)
	}
	return fd
}

func goodPage() []byte {
	p := make([]byte, PageSize)
	copy(p, Magic[:])
	p[offVersion] = Version
	return p
}

func TestOpenRejects(t *testing.T) {
	var pipe [2]int
	require.NoError(t, unix.Pipe2(pipe[:], unix.O_CLOEXEC))
	t.Cleanup(func() { unix.Close(pipe[0]); unix.Close(pipe[1]) })

	badMagic := goodPage()
	badMagic[0] = 'X'
	badVersion := goodPage()
	badVersion[offVersion] = 2
	badFlags := goodPage()
	badFlags[offFlags] = 0x80

	cases := []struct {
		name string
		fd   func(t *testing.T) int
	}{
		{"pipe", func(*testing.T) int { return pipe[0] }},
		{"closed fd", func(*testing.T) int { return -1 }},
		{"unsealed memfd", func(t *testing.T) int { return sealedMemfd(t, PageSize, goodPage(), 0) }},
		{"shrinkable memfd", func(t *testing.T) int {
			return sealedMemfd(t, PageSize, goodPage(), unix.F_SEAL_GROW|unix.F_SEAL_SEAL)
		}},
		{"wrong size", func(t *testing.T) int { return sealedMemfd(t, 2*PageSize, goodPage(), requiredSeals) }},
		{"empty", func(t *testing.T) int { return sealedMemfd(t, 0, nil, requiredSeals) }},
		{"write-sealed", func(t *testing.T) int {
			return sealedMemfd(t, PageSize, goodPage(), requiredSeals|unix.F_SEAL_WRITE)
		}},
		{"wrong magic", func(t *testing.T) int { return sealedMemfd(t, PageSize, badMagic, requiredSeals) }},
		{"wrong version", func(t *testing.T) int { return sealedMemfd(t, PageSize, badVersion, requiredSeals) }},
		{"unknown flags", func(t *testing.T) int { return sealedMemfd(t, PageSize, badFlags, requiredSeals) }},
		{"regular file", func(t *testing.T) int {
			f, err := os.CreateTemp(t.TempDir(), "page")
			require.NoError(t, err)
			t.Cleanup(func() { f.Close() })
			_, err = f.Write(goodPage())
			require.NoError(t, err)
			return int(f.Fd())
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tl, err := Open(c.fd(t))
			assert.Nil(t, tl)
			require.ErrorIs(t, err, syscall.EINVAL)
		})
	}

	t.Run("good page", func(t *testing.T) {
		tl, err := Open(sealedMemfd(t, PageSize, goodPage(), requiredSeals))
		require.NoError(t, err)
		require.NoError(t, tl.Close())
	})
}

func TestWaitDeadline(t *testing.T) {
	tl := mustCreate(t)
	require.NoError(t, tl.Signal(1))
	cases := []struct {
		name     string
		point    uint64
		deadline func() int64
		want     error
	}{
		{"signalled, past deadline", 1, func() int64 { return 0 }, nil},
		{"point zero", 0, func() int64 { return 0 }, nil},
		{"unsignalled, past deadline", 2, func() int64 { return 0 }, syscall.ETIME},
		{"unsignalled, short deadline", 2, func() int64 { return fence.Now() + int64(time.Millisecond) }, syscall.ETIME},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dl := c.deadline()
			err := tl.Wait(context.Background(), c.point, dl)
			if c.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, c.want)
			assert.GreaterOrEqual(t, fence.Now(), dl, "ETIME only once the deadline passed")
		})
	}
}

// hogSlots takes every direct-wait slot for the test's duration, so its
// waits go through a shard.
func hogSlots(t *testing.T) {
	var held []int
	for range directSlots {
		held = append(held, <-slotFree)
	}
	t.Cleanup(func() {
		for _, i := range held {
			slotFree <- i
		}
	})
}

// bothPaths runs fn once with waits sleeping directly and once through a
// shard, then checks the page's sleeper count went back to zero.
// bothPaths runs fn on the direct path, on the shard path, and on a
// kernel without futex_waitv (shards rechecking every millisecond).
func bothPaths(t *testing.T, fn func(t *testing.T, tl *Timeline)) {
	for _, path := range []string{"direct", "shard", "pre-5.16"} {
		t.Run(path, func(t *testing.T) {
			if path != "pre-5.16" {
				// No periodic recheck to fall back on: a wake that is
				// lost hangs the test instead of arriving a second late.
				recheck.Store(int64(time.Hour))
				t.Cleanup(func() { recheck.Store(defaultRecheckNs) })
			}
			switch path {
			case "shard":
				hogSlots(t)
			case "pre-5.16":
				simulateNoWaitv.Store(true)
				noFutexWaitv.Store(true)
				t.Cleanup(func() {
					simulateNoWaitv.Store(false)
					noFutexWaitv.Store(false)
				})
			}
			tl := mustCreate(t)
			fn(t, tl)
			assert.Zero(t, atomic.LoadUint32(tl.u32(offSleepers)), "sleeper count leaked")
			if path == "direct" {
				// Only ENOSYS may move waits to the shards for good.
				assert.False(t, noFutexWaitv.Load(), "futex_waitv given up after a normal wake")
			}
		})
	}
}

func TestWaitInterrupted(t *testing.T) { bothPaths(t, testWaitInterrupted) }

func testWaitInterrupted(t *testing.T, tl *Timeline) {
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(time.Millisecond, cancel)
	err := tl.Wait(ctx, 1, farDeadline())
	require.ErrorIs(t, err, fence.ERESTARTSYS)
	require.ErrorIs(t, err, context.Canceled)
	// The withdrawn wait left nothing behind: a later signal and wait work.
	require.NoError(t, tl.Signal(1))
	require.NoError(t, tl.Wait(nil, 1, farDeadline()))
}

func TestSignalWakesWaiter(t *testing.T) { bothPaths(t, testSignalWakesWaiter) }

func testSignalWakesWaiter(t *testing.T, a *Timeline) {
	b := mustOpen(t, a.Fd())
	const n = 50
	errs := make(chan error, n)
	for i := range n {
		go func() { errs <- b.Wait(context.Background(), uint64(i%5+1), farDeadline()) }()
	}
	for p := uint64(1); p <= 5; p++ {
		time.AfterFunc(time.Millisecond, func() { _ = a.Signal(p) })
	}
	for range n {
		require.NoError(t, <-errs)
	}
}

func TestAbandonFailsPendingWaits(t *testing.T) { bothPaths(t, testAbandon) }

func testAbandon(t *testing.T, a *Timeline) {
	b := mustOpen(t, a.Fd())
	require.NoError(t, a.Signal(2))
	time.AfterFunc(time.Millisecond, func() { _ = a.Abandon() })
	require.ErrorIs(t, b.Wait(nil, 3, farDeadline()), syscall.ENOENT)
	require.NoError(t, b.Wait(nil, 2, farDeadline()), "signalled points stay signalled")
	require.ErrorIs(t, a.Signal(4), syscall.ENOENT)
	require.ErrorIs(t, b.Wait(nil, 3, 0), syscall.ENOENT)
}

func TestCloseFailsOwnWaitsOnly(t *testing.T) { bothPaths(t, testClose) }

func testClose(t *testing.T, a *Timeline) {
	b, err := Open(a.Fd())
	require.NoError(t, err)
	errA := make(chan error, 1)
	go func() { errA <- a.Wait(nil, 1, farDeadline()) }()
	errB := make(chan error, 1)
	go func() { errB <- b.Wait(nil, 1, farDeadline()) }()
	time.AfterFunc(time.Millisecond, func() { _ = b.Close() })
	require.ErrorIs(t, <-errB, syscall.EBADF)
	require.NoError(t, a.Signal(1))
	require.NoError(t, <-errA)

	require.ErrorIs(t, b.Close(), syscall.EBADF)
	require.ErrorIs(t, b.Signal(2), syscall.EBADF)
	require.ErrorIs(t, b.Wait(nil, 1, 0), syscall.EBADF)
	assert.Equal(t, -1, b.Fd())
	assert.Equal(t, uint64(0), b.Value())
}

func TestCorruptionDuringWait(t *testing.T) {
	bothPaths(t, func(t *testing.T, a *Timeline) {
		testCorruption(t, a)
		a.mu.RLock()
		atomic.StoreUint32(a.u32(offVersion), Version) // let the sleeper check read it
		a.mu.RUnlock()
	})
}

func testCorruption(t *testing.T, a *Timeline) {
	b := mustOpen(t, a.Fd())
	time.AfterFunc(time.Millisecond, func() {
		a.mu.RLock()
		defer a.mu.RUnlock()
		atomic.StoreUint32(a.u32(offVersion), 77)
		a.bumpAndWake()
	})
	require.ErrorIs(t, b.Wait(nil, 1, farDeadline()), syscall.EINVAL)
	_, err := b.Query()
	require.ErrorIs(t, err, syscall.EINVAL)
	assert.Equal(t, uint64(0), b.Value())
	require.ErrorIs(t, b.Signal(1), syscall.EINVAL)
}

// TestSilentChangeBoundedByDeadline: a peer that moves the value without
// moving the futex word (so no wake) cannot keep a waiter past its
// deadline: the shard rechecks there and finds the point signalled.
func TestSilentChangeBoundedByDeadline(t *testing.T) { bothPaths(t, testSilentChange) }

func testSilentChange(t *testing.T, a *Timeline) {
	b := mustOpen(t, a.Fd())
	time.AfterFunc(time.Millisecond, func() {
		a.mu.RLock()
		defer a.mu.RUnlock()
		atomic.StoreUint64(a.u64(offValue), 1)
	})
	require.NoError(t, b.Wait(nil, 1, fence.Now()+int64(20*time.Millisecond)))
	require.ErrorIs(t, b.Wait(nil, 2, fence.Now()+int64(time.Millisecond)), syscall.ETIME)
}

func pendingWaits() int {
	shardsMu.Lock()
	ss := append([]*shard(nil), shards...)
	shardsMu.Unlock()
	n := directSlots - len(slotFree) // direct waits in progress
	for _, s := range ss {
		s.mu.Lock()
		for _, set := range s.tls {
			n += len(set)
		}
		s.mu.Unlock()
	}
	return n
}

func threads(t *testing.T) int {
	b, err := os.ReadFile("/proc/self/status")
	require.NoError(t, err)
	var n int
	for _, line := range strings.Split(string(b), "\n") {
		if _, err := fmt.Sscanf(line, "Threads: %d", &n); err == nil {
			return n
		}
	}
	t.Fatal("no Threads line in /proc/self/status")
	return 0
}

// TestManyWaiters: 20,000 pending waits on 300 shared timelines (three
// shards) cost a handful of OS threads, and all complete when signalled.
func TestManyWaiters(t *testing.T) {
	const nTL, nWait = 300, 20000
	tls := make([]*Timeline, nTL)
	peers := make([]*Timeline, nTL)
	for i := range tls {
		tls[i] = mustCreate(t)
		peers[i] = mustOpen(t, tls[i].Fd())
	}
	before := threads(t)
	var wg sync.WaitGroup
	var failed atomic.Int32
	for i := range nWait {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if tls[i%nTL].Wait(nil, 1, farDeadline()) != nil {
				failed.Add(1)
			}
		}()
	}
	// Wait for registration by polling the actual count (no sleeps).
	for pendingWaits() < nWait {
		runtime.Gosched()
	}
	during := threads(t)
	assert.LessOrEqual(t, during-before, 16, "threads grew from %d to %d", before, during)
	for _, p := range peers {
		require.NoError(t, p.Signal(1))
	}
	wg.Wait()
	assert.Zero(t, failed.Load())
	assert.Zero(t, pendingWaits())
	for _, tl := range tls {
		assert.Zero(t, atomic.LoadUint32(tl.u32(offSleepers)))
	}
}

func TestErrorsAreErrnos(t *testing.T) {
	tl := mustCreate(t)
	err := tl.Wait(nil, 1, 0)
	var errno syscall.Errno
	require.True(t, errors.As(err, &errno))
	assert.Equal(t, syscall.ETIME, errno)
}

func TestZeroTimelineActsClosed(t *testing.T) {
	var z Timeline
	_, err := z.Query()
	require.ErrorIs(t, err, syscall.EBADF)
	require.ErrorIs(t, z.Signal(1), syscall.EBADF)
	require.ErrorIs(t, z.Wait(nil, 1, farDeadline()), syscall.EBADF)
	require.ErrorIs(t, z.Abandon(), syscall.EBADF)
	require.ErrorIs(t, z.Close(), syscall.EBADF)
	assert.Equal(t, -1, z.Fd())
	assert.Equal(t, uint64(0), z.Value())
}

// TestRacingSignallersKeepMaximum: signallers on different mappings race;
// the value ends at the highest point and never went back meanwhile.
func TestRacingSignallersKeepMaximum(t *testing.T) {
	a := mustCreate(t)
	maps := []*Timeline{a, mustOpen(t, a.Fd()), mustOpen(t, a.Fd())}
	var wg sync.WaitGroup
	for i, m := range maps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := uint64(i); p < 3000; p += 3 {
				assert.NoError(t, m.Signal(p))
			}
		}()
	}
	var last uint64
	var backwards int
	for range 1000 {
		v := a.Value()
		if v < last {
			backwards++
		}
		last = v
	}
	wg.Wait()
	assert.Zero(t, backwards)
	assert.Equal(t, uint64(2999), a.Value())
	assert.Zero(t, atomic.LoadUint32(a.u32(offSleepers)))
}

func BenchmarkSignal(b *testing.B) {
	b.ReportAllocs()
	tl := mustCreate(b)
	for i := range b.N {
		if err := tl.Signal(uint64(i + 1)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWaitSignalled(b *testing.B) {
	b.ReportAllocs()
	tl := mustCreate(b)
	require.NoError(b, tl.Signal(1))
	dl := farDeadline()
	for range b.N {
		if err := tl.Wait(nil, 1, dl); err != nil {
			b.Fatal(err)
		}
	}
}

// A handle that has finished its direct waits gives back nothing more
// when it closes: the page's sleeper count, which every process sharing
// it reads to decide whether to wake, stays exact.
func TestCloseAfterDirectWaitsKeepsSleeperCount(t *testing.T) {
	a := mustCreate(t)
	b := mustOpen(t, a.Fd())
	done := make(chan error, 1)
	go func() { done <- b.Wait(context.Background(), 1, farDeadline()) }()
	for atomic.LoadUint32(a.u32(offSleepers)) == 0 {
		runtime.Gosched() // until b sleeps
	}
	require.NoError(t, a.Signal(1))
	require.NoError(t, <-done)
	require.NoError(t, b.Close())
	assert.Zero(t, atomic.LoadUint32(a.u32(offSleepers)))
}
