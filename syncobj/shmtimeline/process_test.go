package shmtimeline

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/syncobj/internal/testchild"

	"github.com/headwaywl/headway/syncobj/fence"
)

const helperEnv = "HEADWAY_SHMTIMELINE_HELPER"

// TestHelperProcess is the child side of the two-process tests: the test
// binary re-executes itself with helperEnv naming the role. Fd 3 is the
// timeline the parent signals (req), fd 4 the one the child signals (ack).
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(helperEnv)
	if mode == "" {
		t.Skip("only runs as the child of a two-process test")
	}
	os.Exit(helperMain(mode))
}

func helperMain(mode string) int {
	req, err := Open(3)
	if err != nil {
		fmt.Fprintln(os.Stderr, "open req:", err)
		return 2
	}
	ack, err := Open(4)
	if err != nil {
		fmt.Fprintln(os.Stderr, "open ack:", err)
		return 2
	}
	n, _ := strconv.Atoi(os.Getenv(helperEnv + "_N"))
	must := func(err error) {
		if err != nil {
			fmt.Fprintln(os.Stderr, mode, err)
			os.Exit(3)
		}
	}
	far := fence.Now() + int64(time.Minute)
	switch mode {
	case "signal": // wait for the go, then signal 1..n
		must(req.Wait(nil, 1, far))
		for p := 1; p <= n; p++ {
			must(ack.Signal(uint64(p)))
		}
	case "die": // signal 1, then die by SIGKILL with 2 pending
		must(req.Wait(nil, 1, far))
		must(ack.Signal(1))
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // unreachable: SIGKILL cannot be caught
	case "abandon":
		must(req.Wait(nil, 1, far))
		must(ack.Abandon())
	case "corrupt": // a hostile peer scribbles on the page
		must(req.Wait(nil, 1, far))
		ack.mu.RLock()
		copy(ack.mem, "garbage!")
		ack.bumpAndWake()
		ack.mu.RUnlock()
	case "pingpong":
		for i := 1; i <= n; i++ {
			must(req.Wait(nil, uint64(i), far))
			must(ack.Signal(uint64(i)))
		}
		bareChild(req, n)
	default:
		return 4
	}
	return 0
}

// startChild runs the helper in mode with req and ack as fds 3 and 4.
func startChild(t testing.TB, mode string, n int, req, ack *Timeline) *exec.Cmd {
	cmd := testchild.Command("^TestHelperProcess$")
	cmd.Env = append(os.Environ(), helperEnv+"="+mode, helperEnv+"_N="+strconv.Itoa(n))
	cmd.Stderr = os.Stderr
	cmd.ExtraFiles = []*os.File{
		os.NewFile(uintptr(req.Fd()), "req"),
		os.NewFile(uintptr(ack.Fd()), "ack"),
	}
	require.NoError(t, cmd.Start())
	return cmd
}

func pair(t testing.TB) (req, ack *Timeline) { return mustCreate(t), mustCreate(t) }

func TestTwoProcessSignal(t *testing.T) {
	req, ack := pair(t)
	const n = 20
	cmd := startChild(t, "signal", n, req, ack)
	errs := make(chan error, n)
	for p := 1; p <= n; p++ {
		go func() { errs <- ack.Wait(context.Background(), uint64(p), farDeadline()) }()
	}
	for pendingWaits() < n {
		runtime.Gosched()
	}
	require.NoError(t, req.Signal(1))
	for range n {
		require.NoError(t, <-errs)
	}
	require.NoError(t, cmd.Wait())
	assert.Equal(t, uint64(n), ack.Value())
}

func TestTwoProcessPeerDies(t *testing.T) {
	req, ack := pair(t)
	cmd := startChild(t, "die", 0, req, ack)
	errs := make(chan error, 1)
	deadline := fence.Now() + int64(200*time.Millisecond)
	go func() { errs <- ack.Wait(nil, 2, deadline) }()
	require.NoError(t, req.Signal(1))
	require.NoError(t, ack.Wait(nil, 1, farDeadline()))
	err := cmd.Wait()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, syscall.SIGKILL, exit.Sys().(syscall.WaitStatus).Signal())
	require.ErrorIs(t, <-errs, syscall.ETIME)
	assert.GreaterOrEqual(t, fence.Now(), deadline)
}

func TestTwoProcessAbandon(t *testing.T) {
	req, ack := pair(t)
	cmd := startChild(t, "abandon", 0, req, ack)
	errs := make(chan error, 1)
	go func() { errs <- ack.Wait(nil, 1, farDeadline()) }()
	require.NoError(t, req.Signal(1))
	require.ErrorIs(t, <-errs, syscall.ENOENT)
	require.NoError(t, cmd.Wait())
}

func TestTwoProcessHostilePeer(t *testing.T) {
	req, ack := pair(t)
	cmd := startChild(t, "corrupt", 0, req, ack)
	errs := make(chan error, 1)
	go func() { errs <- ack.Wait(nil, 1, farDeadline()) }()
	require.NoError(t, req.Signal(1))
	require.ErrorIs(t, <-errs, syscall.EINVAL)
	require.NoError(t, cmd.Wait())
	_, err := ack.Query()
	require.ErrorIs(t, err, syscall.EINVAL)
}

// bare ping-pong: the same exchange on two raw shared futex words (the
// first two words of the reserved area of req's page, which the timeline
// code never reads), the floor any cross-process wake can reach.
func bareWords(tl *Timeline) (toChild, toParent *uint32) {
	return (*uint32)(unsafe.Pointer(&tl.mem[64])), (*uint32)(unsafe.Pointer(&tl.mem[128]))
}

func bareWaitFor(w *uint32, want uint32) {
	for {
		cur := atomic.LoadUint32(w)
		if cur == want {
			return
		}
		futexWaitShared(w, cur, int64(time.Second))
	}
}

func bareChild(req *Timeline, n int) {
	toChild, toParent := bareWords(req)
	for i := 1; i <= n; i++ {
		bareWaitFor(toChild, uint32(i))
		atomic.StoreUint32(toParent, uint32(i))
		futexWakeShared(toParent)
	}
}

func percentile(sorted []int64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return float64(sorted[int(p*float64(len(sorted)-1))])
}

// BenchmarkCrossProcessWake ping-pongs with a child process, first through
// two shared timelines (Signal, Wait), then through two bare shared futex
// words, and reports the round-trip p50/p99 of both (one round trip = two
// signal-to-wake latencies).
func BenchmarkCrossProcessWake(b *testing.B) {
	b.ReportAllocs()
	req, ack := pair(b)
	n := b.N
	cmd := startChild(b, "pingpong", n, req, ack)
	tl := make([]int64, n)
	bare := make([]int64, n)
	far := farDeadline()
	b.ResetTimer()
	for i := 1; i <= n; i++ {
		t0 := fence.Now()
		if err := req.Signal(uint64(i)); err != nil {
			b.Fatal(err)
		}
		if err := ack.Wait(nil, uint64(i), far); err != nil {
			b.Fatal(err)
		}
		tl[i-1] = fence.Now() - t0
	}
	toChild, toParent := bareWords(req)
	for i := 1; i <= n; i++ {
		t0 := fence.Now()
		atomic.StoreUint32(toChild, uint32(i))
		futexWakeShared(toChild)
		bareWaitFor(toParent, uint32(i))
		bare[i-1] = fence.Now() - t0
	}
	b.StopTimer()
	require.NoError(b, cmd.Wait())
	slices.Sort(tl)
	slices.Sort(bare)
	b.ReportMetric(percentile(tl, 0.5), "tl-p50-ns")
	b.ReportMetric(percentile(tl, 0.99), "tl-p99-ns")
	b.ReportMetric(percentile(bare, 0.5), "bare-p50-ns")
	b.ReportMetric(percentile(bare, 0.99), "bare-p99-ns")
	if p := percentile(bare, 0.5); p > 0 {
		b.ReportMetric(percentile(tl, 0.5)/p, "p50-ratio")
	}
}
