package swsync

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/syncobj/fence"
	"github.com/headwaywl/headway/syncobj/syncfile"
)

// Port of IGT tests/sw_sync.c. Every subtest keeps its IGT name. IGT's
// sync_fence_wait(fd, ms) is File.Wait (poll), sync_fence_count_status is
// countStatus over File.Info, and fd -1 / a non-sync_file fd / a closed fd
// are nil, zero-value and closed Files.

// igtNotPorted lists the IGT subtests that are not ported, with the
// reason. None is left: the two that need a second process are in
// igt_fork_test.go.
var igtNotPorted = []struct{ name, reason string }{}

// igtSubtestCount is the number of SUBTEST: entries in IGT's sw_sync.c.
const igtSubtestCount = 18

// igtWaitLong stands for IGT's multi-second waits: long enough never to
// expire on a loaded machine, so a failure is a hang caught here, not a
// timing flake.
const igtWaitLong = 30 * time.Second

func newFence(t *testing.T, tl *Timeline, v uint32) *syncfile.File {
	t.Helper()
	sf, err := tl.CreateFence(v, "")
	require.NoError(t, err)
	return sf
}

func countStatus(sf *syncfile.File, status int32) int {
	n := 0
	for _, fi := range sf.Info().Fences {
		if fi.Status == status || (status < 0 && fi.Status < 0) {
			n++
		}
	}
	return n
}

const (
	statusActive   = 0
	statusSignaled = 1
	statusError    = -1
)

// The IGT subtest names, in the order of the SUBTEST: comments.
var igtNames = []string{
	"alloc_fence", "alloc_fence_invalid_timeline", "alloc_merge_fence",
	"alloc_timeline", "sync_busy", "sync_busy_fork",
	"sync_busy_fork_unixsocket", "sync_expired_merge", "sync_merge",
	"sync_merge_invalid", "sync_merge_same", "sync_multi_consumer",
	"sync_multi_consumer_producer", "sync_multi_producer_single_consumer",
	"sync_multi_timeline_wait", "sync_random_merge", "timeline_closed",
	"timeline_closed_signaled",
}

func TestSwSync(t *testing.T) {
	for _, c := range igtSubtests {
		t.Run(c.name, c.fn)
	}
}

// TestSwSyncNamesAccounted checks that every IGT subtest is either ported
// in TestSwSync or TestSwSyncFork, or listed, with its reason, in
// igtNotPorted.
func TestSwSyncNamesAccounted(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range append(igtSubtests[:len(igtSubtests):len(igtSubtests)], igtForkSubtests...) {
		require.False(t, seen[c.name], "%s ported twice", c.name)
		seen[c.name] = true
	}
	for _, np := range igtNotPorted {
		require.False(t, seen[np.name], "%s both ported and listed", np.name)
		require.NotEmpty(t, np.reason)
		seen[np.name] = true
	}
	assert.Len(t, seen, igtSubtestCount)
	assert.Len(t, igtNames, igtSubtestCount)
	for _, n := range igtNames {
		assert.True(t, seen[n], "IGT subtest %s neither ported nor listed", n)
	}
}

// 8 threads x 4096 iterations, as IGT; it runs in well under a second.
const consumers, iterations = 8, 1 << 12

type igtCase struct {
	name string
	fn   func(t *testing.T)
}

var igtSubtests = []igtCase{
	{"alloc_timeline", func(t *testing.T) {
		tl := NewTimeline("igt")
		require.NotNil(t, tl)
		assert.Equal(t, uint32(0), tl.Value())
		require.NoError(t, tl.Close())
		require.ErrorIs(t, tl.Close(), syscall.EBADF)
	}},

	{"alloc_fence", func(t *testing.T) {
		tl := NewTimeline("igt")
		sf := newFence(t, tl, 0)
		// Seqno 0 at value 0 has been passed: signalled at birth.
		assert.True(t, sf.Ready())
		assert.Equal(t, DriverName, sf.Fence().Ops().DriverName())
		assert.Equal(t, tl.Context(), sf.Fence().Context())
		require.NoError(t, sf.Close())
		require.NoError(t, tl.Close())
	}},

	{"alloc_fence_invalid_timeline", func(t *testing.T) {
		var tl *Timeline // fd -1
		sf, err := tl.CreateFence(0, "")
		require.ErrorIs(t, err, syscall.EBADF)
		assert.Nil(t, sf)

		closed := NewTimeline("igt")
		require.NoError(t, closed.Close())
		sf, err = closed.CreateFence(0, "")
		require.ErrorIs(t, err, syscall.EBADF)
		assert.Nil(t, sf)
	}},

	{"timeline_closed", func(t *testing.T) {
		tl := NewTimeline("igt")
		sf := newFence(t, tl, 1)
		require.ErrorIs(t, sf.Wait(nil, 0), syscall.ETIME)
		require.NoError(t, tl.Close())
		require.NoError(t, sf.Wait(nil, 0), "closing the timeline signals its points")
		st, err := sf.Status()
		require.NoError(t, err)
		assert.Equal(t, -int32(syscall.ENOENT), st)
		assert.Equal(t, 1, countStatus(sf, statusError))
	}},

	{"timeline_closed_signaled", func(t *testing.T) {
		tl := NewTimeline("igt")
		sf := newFence(t, tl, 1)
		require.NoError(t, tl.Inc(1))
		require.NoError(t, tl.Close())
		require.NoError(t, sf.Wait(nil, 0))
		st, err := sf.Status()
		require.NoError(t, err)
		assert.Equal(t, int32(1), st, "a point signalled before close keeps its clean status")
	}},

	{"alloc_merge_fence", func(t *testing.T) {
		tl := [2]*Timeline{NewTimeline("a"), NewTimeline("b")}
		in := [2]*syncfile.File{newFence(t, tl[0], 1), newFence(t, tl[1], 1)}
		m, err := syncfile.Merge("merged", in[1], in[0])
		require.NoError(t, err)
		assert.Equal(t, 2, m.NumFences())
		assert.Equal(t, "merged", m.Name())
		for _, f := range in {
			require.NoError(t, f.Close())
		}
		require.NoError(t, m.Close())
		for _, x := range tl {
			require.NoError(t, x.Close())
		}
	}},

	{"sync_busy", func(t *testing.T) {
		tl := NewTimeline("igt")
		sf := newFence(t, tl, 5)
		require.ErrorIs(t, sf.Wait(nil, 0), syscall.ETIME, "timeline 0, seqno 5")
		require.NoError(t, tl.Inc(1))
		require.ErrorIs(t, sf.Wait(nil, 0), syscall.ETIME, "timeline 1, seqno 5")
		require.NoError(t, tl.Inc(4))
		require.NoError(t, sf.Wait(nil, 0), "timeline 5, seqno 5")
		require.NoError(t, tl.Inc(5))
		require.NoError(t, sf.Wait(nil, 0), "timeline 10, seqno 5")

		seqno := uint32(10)
		for _, prime := range primesBelow(100) {
			seqno += prime
			fp := newFence(t, tl, seqno)
			require.NoError(t, tl.Inc(prime))
			require.NoError(t, fp.Wait(nil, 0), "prime step %d to %d", prime, seqno)
			require.NoError(t, fp.Close())
		}
		assert.Equal(t, seqno, tl.Value())
		require.NoError(t, sf.Close())
		require.NoError(t, tl.Close())
	}},

	{"sync_merge_invalid", func(t *testing.T) {
		tl := NewTimeline("igt")
		in := newFence(t, tl, 1)
		closed := newFence(t, tl, 2)
		require.NoError(t, closed.Close())
		for _, tc := range []struct {
			name string
			fd2  *syncfile.File
		}{
			{"fd -1", nil},
			{"not a sync_file", &syncfile.File{}},
			{"closed fd", closed},
		} {
			m, err := syncfile.Merge("bad", in, tc.fd2)
			require.ErrorIs(t, err, syscall.ENOENT, tc.name)
			assert.Nil(t, m, tc.name)
		}
		require.NoError(t, in.Close())
		require.NoError(t, tl.Close())
	}},

	{"sync_merge", func(t *testing.T) {
		tl := NewTimeline("igt")
		in := [3]*syncfile.File{newFence(t, tl, 1), newFence(t, tl, 2), newFence(t, tl, 3)}
		m, err := syncfile.Merge("m", in[0], in[1])
		require.NoError(t, err)
		m, err = syncfile.Merge("m", in[2], m)
		require.NoError(t, err)

		for i, f := range in {
			assert.Equal(t, 1, countStatus(f, statusActive), "in_fence[%d]", i)
		}
		assert.Equal(t, 1, countStatus(m, statusActive), "one context collapses to its latest point")
		assert.Same(t, in[2].Fence(), m.Fence())

		require.NoError(t, tl.Inc(1))
		assert.Equal(t, 1, countStatus(in[0], statusSignaled))
		assert.Equal(t, 1, countStatus(m, statusActive), "merge signalled too early")

		require.NoError(t, tl.Inc(1))
		assert.Equal(t, 1, countStatus(in[1], statusSignaled))
		assert.Equal(t, 1, countStatus(m, statusActive), "merge signalled too early")

		require.NoError(t, tl.Inc(1))
		assert.Equal(t, 1, countStatus(in[2], statusSignaled))
		assert.Equal(t, 0, countStatus(m, statusActive))
		assert.Equal(t, 1, countStatus(m, statusSignaled))
		require.NoError(t, tl.Close())
	}},

	{"sync_merge_same", func(t *testing.T) {
		tl := NewTimeline("igt")
		in := newFence(t, tl, 1)
		m, err := syncfile.Merge("same", in, in)
		require.NoError(t, err)
		assert.Same(t, in.Fence(), m.Fence())
		assert.Equal(t, 0, countStatus(in, statusSignaled))
		require.NoError(t, tl.Inc(1))
		assert.Equal(t, 1, countStatus(in, statusSignaled))
		assert.True(t, m.Ready())
		require.NoError(t, tl.Close())
	}},

	{"sync_multi_timeline_wait", func(t *testing.T) {
		tl := [3]*Timeline{NewTimeline("a"), NewTimeline("b"), NewTimeline("c")}
		in := [3]*syncfile.File{newFence(t, tl[0], 5), newFence(t, tl[1], 5), newFence(t, tl[2], 5)}
		m, err := syncfile.Merge("m", in[0], in[1])
		require.NoError(t, err)
		m, err = syncfile.Merge("m", in[2], m)
		require.NoError(t, err)

		assert.Equal(t, 3, countStatus(m, statusActive))
		require.ErrorIs(t, m.Wait(nil, 0), syscall.ETIME)
		for i := range tl {
			require.NoError(t, tl[i].Inc(5))
			assert.Equal(t, 2-i, countStatus(m, statusActive), "after timeline %d", i)
			assert.Equal(t, i+1, countStatus(m, statusSignaled), "after timeline %d", i)
		}
		require.NoError(t, m.Wait(nil, 100*time.Millisecond))
		for _, x := range tl {
			require.NoError(t, x.Close())
		}
	}},

	{"sync_multi_consumer", func(t *testing.T) {
		tl := NewTimeline("igt")
		var counter atomic.Uint32
		sem := make(chan struct{}, consumers*iterations)
		failures := make(chan error, consumers)
		var wg sync.WaitGroup
		for id := range consumers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range iterations {
					next := uint32(i*consumers + id)
					sf, err := tl.CreateFence(next, "")
					if err == nil {
						err = sf.Wait(nil, igtWaitLong)
					}
					if err == nil && counter.Load() != next {
						err = errors.New("consumer woke out of turn")
					}
					if err != nil {
						failures <- err
						return
					}
					sem <- struct{}{}
					_ = sf.Close()
				}
			}()
		}
		// Produce: one step per point a consumer has finished with. A
		// consumer that failed stops posting, so give up on the first
		// failure instead of waiting for ever.
		for range consumers * iterations {
			select {
			case <-sem:
			case err := <-failures:
				t.Fatalf("a consumer failed: %v", err)
			}
			counter.Add(1)
			require.NoError(t, tl.Inc(1))
		}
		wg.Wait()
		close(failures)
		for err := range failures {
			t.Errorf("a consumer failed: %v", err)
		}
		require.NoError(t, tl.Close())
		assert.Equal(t, uint32(consumers*iterations), counter.Load())
	}},

	{"sync_multi_consumer_producer", func(t *testing.T) {
		tl := NewTimeline("igt")
		var counter atomic.Uint32
		failures := make(chan error, consumers)
		var wg sync.WaitGroup
		for id := range consumers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range iterations {
					next := uint32(i*consumers + id)
					sf, err := tl.CreateFence(next, "")
					if err == nil {
						err = sf.Wait(nil, igtWaitLong)
					}
					if err == nil && counter.Add(1)-1 != next {
						err = errors.New("consumer woke out of turn")
					}
					if err == nil {
						err = tl.Inc(1) // kick off the next thread
					}
					if err != nil {
						failures <- err
						return
					}
					_ = sf.Close()
				}
			}()
		}
		wg.Wait()
		close(failures)
		for err := range failures {
			t.Errorf("a thread failed: %v", err)
		}
		require.NoError(t, tl.Close())
		assert.Equal(t, uint32(consumers*iterations), counter.Load())
	}},

	{"sync_multi_producer_single_consumer", func(t *testing.T) {
		// IGT's consumer runs for one second; a fixed number of rounds
		// keeps the test deterministic.
		const producers, rounds = 5, 512
		cons := NewTimeline("consumer")
		prod := make([]*Timeline, producers)
		for i := range prod {
			prod[i] = NewTimeline("producer")
		}
		var counter atomic.Uint32
		failures := make(chan error, producers)
		var wg sync.WaitGroup
		for id := range producers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for seqno := uint32(0); ; seqno++ {
					sf, err := cons.CreateFence(seqno, "")
					if err != nil {
						return // the consumer closed its timeline: done
					}
					// Vary the means of waiting, as IGT: poll the info,
					// or block in poll.
					if id%8 == 0 {
						err = spinOnInfo(sf)
					} else {
						err = sf.Wait(nil, -1)
					}
					if err != nil {
						failures <- err
						return
					}
					counter.Add(1)
					if err := prod[id].Inc(1); err != nil {
						failures <- err
						return
					}
					_ = sf.Close()
				}
			}()
		}
		for seqno := uint32(1); seqno <= rounds; seqno++ {
			f, err := prod[0].CreateFence(seqno, "")
			require.NoError(t, err)
			for i := 1; i < producers; i++ {
				tmp, err := prod[i].CreateFence(seqno, "")
				require.NoError(t, err)
				merged, err := syncfile.Merge("mpsc", tmp, f)
				require.NoError(t, err)
				require.NoError(t, tmp.Close())
				require.NoError(t, f.Close())
				f = merged
			}
			var waitErr error
			select {
			case waitErr = <-failures:
			default:
				waitErr = f.Wait(nil, igtWaitLong)
			}
			require.NoError(t, waitErr, "producers did not increment")
			require.Equal(t, producers*seqno, counter.Load(), "counter")
			require.NoError(t, cons.Inc(1)) // release the producers
			require.NoError(t, f.Close())
		}
		// Closing signals (with ENOENT) the point every producer waits on;
		// the next CreateFence fails and ends them.
		require.NoError(t, cons.Close())
		wg.Wait()
		close(failures)
		for err := range failures {
			if !errors.Is(err, errProducerSawClose) {
				t.Errorf("a producer failed: %v", err)
			}
		}
		for _, p := range prod {
			require.NoError(t, p.Close())
		}
	}},

	{"sync_expired_merge", func(t *testing.T) {
		// IGT loops for one second; a fixed count keeps it deterministic.
		tl := NewTimeline("igt")
		require.NoError(t, tl.Inc(100))
		expired := newFence(t, tl, 1)
		require.NoError(t, expired.Wait(nil, 0))
		m, err := syncfile.Merge("x", expired, expired)
		require.NoError(t, err)
		require.NoError(t, m.Close())
		for range 4096 {
			m, err := syncfile.Merge("x", expired, expired)
			require.NoError(t, err)
			require.NoError(t, m.Wait(nil, -1))
			require.NoError(t, m.Close())
		}
		require.NoError(t, expired.Close())
		require.NoError(t, tl.Close())
	}},

	{"sync_random_merge", func(t *testing.T) {
		const timelines, merges = 32, 1024
		// A fixed seed: the same sequence on every run.
		rng := rand.New(rand.NewPCG(0x5eed, 1024))
		randPt := func() uint32 { return uint32(rng.Int32()) } // rand(): 0..RAND_MAX

		tl := make([]*Timeline, timelines)
		shadow := make([]int64, timelines) // latest point per timeline; -1 none
		for i := range tl {
			tl[i] = NewTimeline("random")
			shadow[i] = -1
		}
		pt := randPt()
		f := newFence(t, tl[0], pt)
		shadow[0] = int64(pt)
		for range merges {
			i := rng.IntN(timelines)
			pt := randPt()
			if int64(pt) > shadow[i] {
				shadow[i] = int64(pt)
			}
			tmp := newFence(t, tl[i], pt)
			merged, err := syncfile.Merge("random", tmp, f)
			require.NoError(t, err)
			require.NoError(t, tmp.Close())
			require.NoError(t, f.Close())
			f = merged

			// The merged file holds exactly the shadow's latest point of
			// every timeline used so far.
			want := map[uint64]uint64{}
			for j, v := range shadow {
				if v > 0 { // a point at 0 was passed at birth and is dropped
					want[tl[j].Context().ID()] = uint64(v)
				}
			}
			got := map[uint64]uint64{}
			for _, lf := range fence.Unwrap(f.Fence()) {
				got[lf.Context().ID()] = lf.Seqno()
			}
			require.Equal(t, want, got)
			require.Equal(t, len(want), f.NumFences())
		}
		for i := range tl {
			if shadow[i] <= 0 {
				continue
			}
			require.ErrorIs(t, f.Wait(nil, 0), syscall.ETIME, "signalled before timeline %d reached its point", i)
			require.NoError(t, tl[i].Inc(uint32(shadow[i])))
		}
		require.NoError(t, f.Wait(nil, time.Millisecond), "merged fence not triggered")
		for _, x := range tl {
			require.NoError(t, x.Close())
		}
	}},
}

var errProducerSawClose = errors.New("consumer timeline closed")

// spinOnInfo is IGT's test_mspc_wait_on_fence: poll FILE_INFO until no
// fence is active, failing on any fence error.
func spinOnInfo(sf *syncfile.File) error {
	var in syncfile.Info
	for {
		if err := sf.FillInfo(&in); err != nil {
			return err
		}
		active := 0
		for _, fi := range in.Fences {
			if fi.Status < 0 {
				if fi.Status == -int32(syscall.ENOENT) {
					return errProducerSawClose
				}
				return errors.New("error on fence")
			}
			if fi.Status == 0 {
				active++
			}
		}
		if active == 0 {
			return nil
		}
		runtime.Gosched()
	}
}

func primesBelow(n uint32) []uint32 {
	var ps []uint32
	for c := uint32(2); c < n; c++ {
		prime := true
		for _, p := range ps {
			if c%p == 0 {
				prime = false
				break
			}
		}
		if prime {
			ps = append(ps, c)
		}
	}
	return ps
}

// ctxDone is a cancelled context, for interruption checks.
func ctxDone() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
