package fence

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStress races signallers against waiters of every kind (Wait,
// WaitAny, callbacks, arrays) on shared fences with random timeouts. Some
// fences never signal. Whatever the interleaving, each outcome must agree
// with the fence's state: success only for a signalled fence, a timeout
// only for one that had not signalled when the wait began, every callback
// on a signalled fence run exactly once, and no reference or warning left
// over.
func TestStress(t *testing.T) {
	w := captureWarnings(t)
	const (
		rounds  = 300
		nfences = 24
		waiters = 24
	)
	timeouts := []time.Duration{0, time.Microsecond, 50 * time.Microsecond, time.Millisecond, Forever}
	rng := rand.New(rand.NewSource(1))
	for round := 0; round < rounds; round++ {
		seed := rng.Int63()
		fences := make([]*Fence, nfences)
		never := make([]bool, nfences) // this fence is never signalled
		for i := range fences {
			switch i % 3 {
			case 0:
				fences[i] = New(testOps{}, nil, 1)
			case 1:
				fences[i] = New(&hookOps{ret: true}, nil, 1)
			default:
				fences[i] = New(&customOps{}, nil, 1)
			}
			never[i] = i%7 == 3
		}
		anyArr, err := NewArray(fences[:8], nil, 1, true)
		require.NoError(t, err)
		allArr, err := NewArray(fences[8:16], nil, 1, false)
		require.NoError(t, err)
		arrays := []*Fence{anyArr, allArr}
		arrayNever := []bool{allNever(never[:8]), anyNever(never[8:16])}

		var failures sync.Map
		fail := func(format string, args ...any) {
			failures.Store(fmt.Sprintf(format, args...), true)
		}
		var cbRuns [nfences]atomic.Int32
		var cbRegistered [nfences]atomic.Int32
		type reg struct {
			f  int
			cb *Callback
		}
		var regsMu sync.Mutex
		var regs []reg

		start := make(chan struct{})
		var wg sync.WaitGroup
		for g := 0; g < waiters; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				r := rand.New(rand.NewSource(seed + int64(g)))
				<-start
				for op := 0; op < 12; op++ {
					timeout := timeouts[r.Intn(len(timeouts))]
					switch r.Intn(4) {
					case 0: // Wait
						i := r.Intn(nfences)
						if never[i] && timeout == Forever {
							timeout = time.Millisecond
						}
						checkWait(fences[i], timeout, fail)
					case 1: // WaitAny over a random subset
						set := r.Perm(nfences)[:1+r.Intn(4)]
						fs := make([]*Fence, len(set))
						allNeverSet := true
						for k, i := range set {
							fs[k] = fences[i]
							allNeverSet = allNeverSet && never[i]
						}
						if allNeverSet && timeout == Forever {
							timeout = time.Millisecond
						}
						anySignaledBefore := false
						for _, f := range fs {
							anySignaledBefore = anySignaledBefore || f.IsSignaled()
						}
						idx, _, err := WaitAny(nil, fs, timeout)
						switch {
						case err == nil:
							if idx < 0 || idx >= len(fs) || !fs[idx].IsSignaled() {
								fail("wait-any success with index %d not signalled", idx)
							}
						case errors.Is(err, syscall.ETIME):
							if anySignaledBefore {
								fail("wait-any timed out on a set that had already signalled")
							}
						default:
							fail("wait-any: unexpected %v", err)
						}
					case 2: // callback
						i := r.Intn(nfences)
						cb := new(Callback)
						err := fences[i].AddCallback(cb, func(*Fence, *Callback) { cbRuns[i].Add(1) })
						switch {
						case err == nil:
							cbRegistered[i].Add(1)
							regsMu.Lock()
							regs = append(regs, reg{i, cb})
							regsMu.Unlock()
						case errors.Is(err, syscall.ENOENT):
							if !fences[i].IsSignaled() {
								fail("ENOENT from a pending fence")
							}
						default:
							fail("add callback: unexpected %v", err)
						}
					default: // array
						k := r.Intn(2)
						if arrayNever[k] && timeout == Forever {
							timeout = time.Millisecond
						}
						checkWait(arrays[k], timeout, fail)
					}
				}
			}(g)
		}
		// Signallers: each fence that is ever signalled is signalled by
		// exactly one of them, in a shuffled order, a quarter with an error.
		order := rand.New(rand.NewSource(seed)).Perm(nfences)
		for s := 0; s < 4; s++ {
			wg.Add(1)
			go func(s int) {
				defer wg.Done()
				<-start
				for k := s; k < len(order); k += 4 {
					i := order[k]
					if never[i] {
						continue
					}
					if i%4 == 0 {
						if err := fences[i].SetError(syscall.EIO); err != nil {
							fail("set error: %v", err)
						}
					}
					if err := fences[i].Signal(); err != nil {
						fail("signal: %v", err)
					}
					runtime.Gosched()
				}
			}(s)
		}
		close(start)
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		waitClosed(t, done, fmt.Sprintf("round %d (seed %d) finishing", round, seed))

		failures.Range(func(k, _ any) bool {
			t.Errorf("round %d (seed %d): %s", round, seed, k)
			return true
		})
		for i, f := range fences {
			if never[i] {
				assert.False(t, f.IsSignaled())
				assert.Zero(t, cbRuns[i].Load(), "callback ran on a fence never signalled")
				continue
			}
			assert.True(t, f.IsSignaled())
			assert.Equal(t, cbRegistered[i].Load(), cbRuns[i].Load(), "fence %d: callbacks run != registered", i)
			if _, ok := f.ops.(*hookOps); ok {
				assert.Equal(t, int32(1), f.refs.Load(), "fence %d: enable reference left over", i)
			}
		}
		for _, r := range regs {
			removed := fences[r.f].RemoveCallback(r.cb)
			assert.Equal(t, never[r.f], removed, "fence %d: callback still registered", r.f)
		}
		for i, f := range fences {
			// Only an array's own member callbacks may remain, on members
			// that never signalled, as in the kernel; a waiter's leftover
			// callback is a leak.
			want := 0
			if never[i] {
				for k, lo := range []int{0, 8} {
					if i >= lo && i < lo+8 && arrays[k].state.Load()&flagEnableSignal != 0 {
						want++
					}
				}
			}
			assert.Equal(t, want, callbackCount(f), "fence %d: callbacks left over", i)
		}
	}
	assert.Empty(t, w.all())
}

func allNever(n []bool) bool {
	for _, x := range n {
		if !x {
			return false
		}
	}
	return true
}

func anyNever(n []bool) bool {
	for _, x := range n {
		if x {
			return true
		}
	}
	return false
}

// checkWait waits on f and checks the outcome against its state.
func checkWait(f *Fence, timeout time.Duration, fail func(string, ...any)) {
	before := f.IsSignaled()
	_, err := f.Wait(nil, timeout)
	switch {
	case err == nil:
		if !f.IsSignaled() {
			fail("wait succeeded on a pending fence %v", f)
		}
	case errors.Is(err, syscall.ETIME):
		if before {
			fail("wait timed out on a fence signalled before the wait %v", f)
		}
	default:
		fail("wait: unexpected %v", err)
	}
}

// TestManyPendingWaitsNoThreads parks 10,000 goroutines in Wait and checks
// that they cost no OS threads: a blocked wait must be a parked goroutine,
// not a blocked thread, or a compositor with many clients would exhaust
// the machine.
func TestManyPendingWaitsNoThreads(t *testing.T) {
	const nwait, nfences = 10000, 100
	fences := make([]*Fence, nfences)
	for i := range fences {
		if i%2 == 0 {
			fences[i] = New(&hookOps{ret: true}, nil, 1)
		} else {
			fences[i] = New(testOps{}, nil, 1)
		}
	}
	results := make(chan error, nwait)
	for g := 0; g < nwait; g++ {
		go func(f *Fence) {
			_, err := f.Wait(context.Background(), Forever)
			results <- err
		}(fences[g%nfences])
	}
	// Wait until every goroutine is parked on its fence.
	deadline := time.Now().Add(testDeadline)
	for parked := 0; parked < nwait; {
		parked = 0
		for _, f := range fences {
			parked += callbackCount(f)
		}
		if parked < nwait {
			require.True(t, time.Now().Before(deadline), "only %d of %d waiters parked", parked, nwait)
			runtime.Gosched()
		}
	}
	threads := osThreads(t)
	assert.Less(t, threads, 200, "%d OS threads for %d blocked waits", threads, nwait)
	for _, f := range fences {
		require.NoError(t, f.Signal())
	}
	for g := 0; g < nwait; g++ {
		require.NoError(t, recvErr(t, results))
	}
}

func callbackCount(f *Fence) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for c := f.cbs.next; c != &f.cbs; c = c.next {
		n++
	}
	return n
}

// osThreads reads the process's thread count from /proc/self/status.
func osThreads(t *testing.T) int {
	t.Helper()
	fh, err := os.Open("/proc/self/status")
	require.NoError(t, err)
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "Threads:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			require.NoError(t, err)
			return n
		}
	}
	t.Fatal("no Threads line in /proc/self/status")
	return 0
}
