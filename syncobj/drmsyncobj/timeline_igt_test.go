package drmsyncobj

// This file ports IGT's tests/syncobj_timeline.c: every one of its 121
// subtests runs under TestSyncobjTimeline with exactly the IGT name, so
// coverage can be counted by name. The expected errnos are the kernel's
// (drm_syncobj.c, dma-fence-chain.c); where IGT's own code passes odd
// values, the port passes the same values and says so.
//
// Three things differ from IGT, none in what is asserted:
//
//   - sw_sync timelines are swTimeline below: plain fences on one context
//     per timeline, signalled in seqno order by inc and with ENOENT by
//     close, as sw_sync does. Sync files are the fences themselves; an
//     import is ImportFence, the TRANSFER calls are the same.
//   - IGT sleeps (10-20 ms) to let its waiter thread start before it
//     changes the syncobjs under it. Here the port waits for the event
//     itself: a waiter that blocks on a fence arms a callback on it, which
//     runs the fence's enable-signalling hook (dma_fence_add_callback
//     does), and swFence reports that. Only the cases whose outcome
//     depends on the waiter having taken its snapshot wait for it.
//   - Where IGT waits for a signal that a timer delivers 100 ms later, it
//     gives the wait a 200 ms deadline; the port gives it a deadline the
//     timer always beats (the wait returns at the signal, so this costs
//     nothing), which keeps the test free of timing margins. Waits that
//     must time out keep IGT's 100 ms.

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/syncobj/fence"
)

// igtTimelineSubtests is the SUBTEST list of syncobj_timeline.c, copied
// verbatim and sorted. The name-count test compares what the port runs
// against it, so a name built wrongly by the flag loops below shows up.
var igtTimelineSubtests = []string{
	"32bits-limit",
	"device-signal-unordered",
	"device-submit-unordered",
	"etime-multi-wait-all-available-unsubmitted",
	"etime-multi-wait-all-available-unsubmitted-signaled",
	"etime-multi-wait-all-available-unsubmitted-submitted",
	"etime-multi-wait-all-available-unsubmitted-submitted-signaled",
	"etime-multi-wait-all-for-submit-available-unsubmitted",
	"etime-multi-wait-all-for-submit-available-unsubmitted-signaled",
	"etime-multi-wait-all-for-submit-available-unsubmitted-submitted",
	"etime-multi-wait-all-for-submit-submitted",
	"etime-multi-wait-all-for-submit-submitted-signaled",
	"etime-multi-wait-all-for-submit-unsubmitted",
	"etime-multi-wait-all-for-submit-unsubmitted-signaled",
	"etime-multi-wait-all-for-submit-unsubmitted-submitted",
	"etime-multi-wait-all-for-submit-unsubmitted-submitted-signaled",
	"etime-multi-wait-all-submitted",
	"etime-multi-wait-all-submitted-signaled",
	"etime-multi-wait-available-unsubmitted",
	"etime-multi-wait-for-submit-available-unsubmitted",
	"etime-multi-wait-for-submit-submitted",
	"etime-multi-wait-for-submit-unsubmitted",
	"etime-multi-wait-for-submit-unsubmitted-submitted",
	"etime-multi-wait-submitted",
	"etime-single-wait-all-available-unsubmitted",
	"etime-single-wait-all-for-submit-available-unsubmitted",
	"etime-single-wait-all-for-submit-submitted",
	"etime-single-wait-all-for-submit-unsubmitted",
	"etime-single-wait-all-submitted",
	"etime-single-wait-available-unsubmitted",
	"etime-single-wait-for-submit-available-unsubmitted",
	"etime-single-wait-for-submit-submitted",
	"etime-single-wait-for-submit-unsubmitted",
	"etime-single-wait-submitted",
	"host-signal-ordered",
	"host-signal-points",
	"invalid-multi-wait-all-unsubmitted",
	"invalid-multi-wait-all-unsubmitted-signaled",
	"invalid-multi-wait-all-unsubmitted-submitted",
	"invalid-multi-wait-all-unsubmitted-submitted-signaled",
	"invalid-multi-wait-unsubmitted",
	"invalid-multi-wait-unsubmitted-signaled",
	"invalid-multi-wait-unsubmitted-submitted",
	"invalid-multi-wait-unsubmitted-submitted-signaled",
	"invalid-query-bad-pad",
	"invalid-query-illegal-handle",
	"invalid-query-one-illegal-handle",
	"invalid-query-zero-handles",
	"invalid-signal-bad-pad",
	"invalid-signal-illegal-handle",
	"invalid-signal-illegal-point",
	"invalid-signal-one-illegal-handle",
	"invalid-signal-zero-handles",
	"invalid-single-wait-all-unsubmitted",
	"invalid-single-wait-unsubmitted",
	"invalid-transfer-bad-pad",
	"invalid-transfer-illegal-handle",
	"invalid-transfer-non-existent-point",
	"invalid-wait-bad-flags",
	"invalid-wait-illegal-handle",
	"multi-wait-all-available-signaled",
	"multi-wait-all-available-submitted",
	"multi-wait-all-available-submitted-signaled",
	"multi-wait-all-for-submit-available-signaled",
	"multi-wait-all-for-submit-available-submitted",
	"multi-wait-all-for-submit-available-submitted-signaled",
	"multi-wait-all-for-submit-signaled",
	"multi-wait-all-signaled",
	"multi-wait-available-signaled",
	"multi-wait-available-submitted",
	"multi-wait-available-submitted-signaled",
	"multi-wait-available-unsubmitted-signaled",
	"multi-wait-available-unsubmitted-submitted",
	"multi-wait-available-unsubmitted-submitted-signaled",
	"multi-wait-for-submit-available-signaled",
	"multi-wait-for-submit-available-submitted",
	"multi-wait-for-submit-available-submitted-signaled",
	"multi-wait-for-submit-available-unsubmitted-signaled",
	"multi-wait-for-submit-available-unsubmitted-submitted",
	"multi-wait-for-submit-available-unsubmitted-submitted-signaled",
	"multi-wait-for-submit-signaled",
	"multi-wait-for-submit-submitted-signaled",
	"multi-wait-for-submit-unsubmitted-signaled",
	"multi-wait-for-submit-unsubmitted-submitted-signaled",
	"multi-wait-signaled",
	"multi-wait-submitted-signaled",
	"reset-during-wait-for-submit",
	"reset-multiple-signaled",
	"reset-signaled",
	"reset-unsignaled",
	"signal",
	"signal-array",
	"signal-point-0",
	"single-wait-all-available-signaled",
	"single-wait-all-available-submitted",
	"single-wait-all-for-submit-available-signaled",
	"single-wait-all-for-submit-available-submitted",
	"single-wait-all-for-submit-signaled",
	"single-wait-all-signaled",
	"single-wait-available-signaled",
	"single-wait-available-submitted",
	"single-wait-for-submit-available-signaled",
	"single-wait-for-submit-available-submitted",
	"single-wait-for-submit-signaled",
	"single-wait-signaled",
	"transfer-timeline-point",
	"wait-all-complex",
	"wait-all-delayed-signal",
	"wait-all-for-submit-complex",
	"wait-all-for-submit-delayed-submit",
	"wait-all-for-submit-snapshot",
	"wait-all-interrupted",
	"wait-all-snapshot",
	"wait-any-complex",
	"wait-any-interrupted",
	"wait-any-snapshot",
	"wait-delayed-signal",
	"wait-for-submit-complex",
	"wait-for-submit-delayed-submit",
	"wait-for-submit-snapshot",
	"wait-zero-handles",
}

// timelineNotPorted lists the IGT subtests that cannot run in process
// (they would need a GPU or a second process), each with the reason.
// Every subtest of syncobj_timeline.c drives only syncobj ioctls and
// sw_sync timelines from threads of one process, so none is left out.
var timelineNotPorted = map[string]string{}

const (
	// shortTimeNsec is IGT's SHORT_TIME_NSEC: the deadline of waits that
	// are expected to time out.
	shortTimeNsec = int64(100 * time.Millisecond)
	// u64MaxDeadline is IGT's UINT64_MAX timeout as the uapi's __s64
	// timeout_nsec reads it. The kernel takes it for an absolute time in
	// the past, that is a poll; IGT only passes it where a poll and an
	// endless wait give the same answer.
	u64MaxDeadline = int64(-1)
	// eventTimeout bounds the waits for events the test itself causes.
	// It only matters when the implementation is broken; a working one
	// delivers the event at once.
	eventTimeout = 10 * time.Second
)

// generousDeadline is an absolute deadline a stimulus that fires within
// IGT's 100 ms always beats.
func generousDeadline() int64 { return fence.Now() + int64(eventTimeout) }

// shortTimeout is IGT's short_timeout(): now plus SHORT_TIME_NSEC.
func shortTimeout() int64 { return fence.Now() + shortTimeNsec }

// IGT's test flags. The first three are not the DRM flag values (IGT's
// WAIT_FOR_SUBMIT is 1, DRM's is 2): flagsForTestFlags translates.
const (
	tWaitForSubmit   = 1 << 0
	tWaitAll         = 1 << 1
	tWaitAvailable   = 1 << 2
	tWaitUnsubmitted = 1 << 3
	tWaitSubmitted   = 1 << 4
	tWaitSignaled    = 1 << 5
	tWaitFlagsMax    = 1<<6 - 1 // IGT loops while flags < this, so 63 is never run
)

func flagsForTestFlags(testFlags uint32) uint32 {
	var flags uint32
	if testFlags&tWaitForSubmit != 0 {
		flags |= WaitForSubmit
	}
	if testFlags&tWaitAvailable != 0 {
		flags |= WaitAvailable
	}
	if testFlags&tWaitAll != 0 {
		flags |= WaitAll
	}
	return flags
}

// swTimeline stands in for a sw_sync timeline: fences on one context,
// signalled in seqno order once the counter reaches them, and with ENOENT
// when the timeline is closed.
type swTimeline struct {
	ctx *fence.Context

	sigMu sync.Mutex // serialises inc and close so seqnos signal in order

	mu      sync.Mutex
	value   uint64
	pending []*swFence // unsignalled, sorted by seqno
}

// swFence is the Ops of one sw_sync fence. It reports the first
// enable-signalling request: the moment a waiter armed a callback on it.
type swFence struct {
	f     *fence.Fence
	armed chan struct{}
	once  sync.Once
}

func (s *swFence) DriverName() string               { return "sw_sync" }
func (s *swFence) TimelineName(*fence.Fence) string { return "igt-timeline" }

func (s *swFence) EnableSignaling(*fence.Fence) bool {
	s.once.Do(func() { close(s.armed) })
	return true
}

func newSwTimeline() *swTimeline { return &swTimeline{ctx: fence.AllocContext()} }

// createFence is SW_SYNC_IOC_CREATE_FENCE: a fence for seqno, signalled
// already if the counter has passed it.
func (tl *swTimeline) createFence(seqno uint64) *swFence {
	sf := &swFence{armed: make(chan struct{})}
	sf.f = fence.New(sf, tl.ctx, seqno)
	tl.sigMu.Lock()
	defer tl.sigMu.Unlock()
	tl.mu.Lock()
	if seqno <= tl.value {
		tl.mu.Unlock()
		_ = sf.f.Signal()
		return sf
	}
	i := sort.Search(len(tl.pending), func(i int) bool { return tl.pending[i].f.Seqno() > seqno })
	tl.pending = append(tl.pending, nil)
	copy(tl.pending[i+1:], tl.pending[i:])
	tl.pending[i] = sf
	tl.mu.Unlock()
	return sf
}

// inc is SW_SYNC_IOC_INC: advance the counter and signal every fence at or
// below it, in seqno order. Fences are signalled outside mu because their
// callbacks run other code (chains, waiters).
func (tl *swTimeline) inc(n uint64) {
	tl.sigMu.Lock()
	defer tl.sigMu.Unlock()
	tl.mu.Lock()
	tl.value += n
	k := sort.Search(len(tl.pending), func(i int) bool { return tl.pending[i].f.Seqno() > tl.value })
	due := append([]*swFence(nil), tl.pending[:k]...)
	tl.pending = tl.pending[k:]
	tl.mu.Unlock()
	for _, sf := range due {
		_ = sf.f.Signal()
	}
}

// close is closing the timeline fd: every pending fence signals with
// ENOENT. Closing twice is harmless.
func (tl *swTimeline) close() {
	tl.sigMu.Lock()
	defer tl.sigMu.Unlock()
	tl.mu.Lock()
	due := tl.pending
	tl.pending = nil
	tl.mu.Unlock()
	for _, sf := range due {
		_ = sf.f.SetError(syscall.ENOENT)
		_ = sf.f.Signal()
	}
}

// harness is one open DRM file plus the sw_sync timelines a subtest
// created, which it closes at the end as IGT's close() calls do.
type harness struct {
	t   *testing.T
	f   *File
	mu  sync.Mutex
	tls []*swTimeline
}

func newHarness(t *testing.T) *harness {
	h := &harness{t: t, f: NewFile()}
	t.Cleanup(func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		for _, tl := range h.tls {
			tl.close()
		}
	})
	return h
}

func (h *harness) newTimeline() *swTimeline {
	tl := newSwTimeline()
	h.mu.Lock()
	h.tls = append(h.tls, tl)
	h.mu.Unlock()
	return tl
}

func (h *harness) create() Handle {
	h.t.Helper()
	hd, err := h.f.Create(0)
	require.NoError(h.t, err)
	return hd
}

func (h *harness) destroy(hd Handle) {
	h.t.Helper()
	require.NoError(h.t, h.f.Destroy(hd, 0))
}

// attach is IGT's syncobj_attach_sw_sync without the test plumbing, so
// that timer callbacks can use it and report the error: a fresh timeline,
// a fence for its seqno 1, imported into handle directly for point 0, or
// imported into a temporary binary syncobj and transferred to the point.
func (h *harness) attach(hd Handle, point uint64) (*swTimeline, *swFence, error) {
	tl := h.newTimeline()
	sf := tl.createFence(1)
	if point == 0 {
		if err := h.f.ImportFence(hd, 0, sf.f); err != nil {
			return nil, nil, fmt.Errorf("import into %d: %w", hd, err)
		}
		return tl, sf, nil
	}
	tmp, err := h.f.Create(0)
	if err != nil {
		return nil, nil, err
	}
	if err := h.f.ImportFence(tmp, 0, sf.f); err != nil {
		return nil, nil, fmt.Errorf("import into %d: %w", tmp, err)
	}
	// syncobj_binary_to_timeline: TRANSFER from point 0 of the binary one.
	if err := h.f.Transfer(tmp, 0, hd, point, 0, 0); err != nil {
		return nil, nil, fmt.Errorf("transfer %d:0 to %d:%d: %w", tmp, hd, point, err)
	}
	if err := h.f.Destroy(tmp, 0); err != nil {
		return nil, nil, err
	}
	return tl, sf, nil
}

func (h *harness) attachSwSync(hd Handle, point uint64) (*swTimeline, *swFence) {
	h.t.Helper()
	tl, sf, err := h.attach(hd, point)
	require.NoError(h.t, err)
	return tl, sf
}

// trigger is IGT's syncobj_trigger: attach a fence and signal it.
func (h *harness) trigger(hd Handle, point uint64) error {
	tl, _, err := h.attach(hd, point)
	if err != nil {
		return err
	}
	tl.inc(1)
	tl.close()
	return nil
}

func (h *harness) mustTrigger(hd Handle, point uint64) {
	h.t.Helper()
	require.NoError(h.t, h.trigger(hd, point))
}

func (h *harness) timelineWait(handles []Handle, points []uint64, deadline int64, flags uint32) error {
	_, err := h.f.TimelineWait(context.Background(), handles, points, deadline, flags)
	return err
}

func (h *harness) timelineSignal(handles []Handle, points []uint64) {
	h.t.Helper()
	require.NoError(h.t, h.f.TimelineSignal(handles, points, 0))
}

func (h *harness) reset(handles ...Handle) {
	h.t.Helper()
	require.NoError(h.t, h.f.Reset(handles, 0))
}

func (h *harness) query(hd Handle) uint64 {
	h.t.Helper()
	points := make([]uint64, 1)
	require.NoError(h.t, h.f.Query([]Handle{hd}, points, 0))
	return points[0]
}

// awaitArmed waits until a waiter has armed a callback on sf, proof that
// it holds sf's fence (directly or through the chain node wrapping it).
func (h *harness) awaitArmed(sf *swFence, what string) {
	h.t.Helper()
	select {
	case <-sf.armed:
	case <-time.After(eventTimeout):
		require.FailNow(h.t, "waiter never armed a callback on "+what)
	}
}

type waitResult struct {
	first uint32
	err   error
}

// waitAsync is IGT's wait thread: one TIMELINE_WAIT on another goroutine.
func (h *harness) waitAsync(handles []Handle, points []uint64, deadline int64, flags uint32) <-chan waitResult {
	res := make(chan waitResult, 1)
	go func() {
		first, err := h.f.TimelineWait(context.Background(), handles, points, deadline, flags)
		res <- waitResult{first, err}
	}()
	return res
}

func (h *harness) awaitResult(res <-chan waitResult) waitResult {
	h.t.Helper()
	select {
	case r := <-res:
		return r
	case <-time.After(2 * eventTimeout):
		require.FailNow(h.t, "wait goroutine never returned")
		return waitResult{}
	}
}

// awaitStimulus collects the error of a timer callback, which must not
// call require itself (it runs on another goroutine).
func (h *harness) awaitStimulus(errc <-chan error) {
	h.t.Helper()
	select {
	case err := <-errc:
		require.NoError(h.t, err, "timer callback")
	case <-time.After(2 * eventTimeout):
		require.FailNow(h.t, "timer callback never ran")
	}
}

// requireErrno checks an ioctl result the way IGT's igt_assert_eq(ret,
// -errno) does: want 0 means success.
func requireErrno(t *testing.T, want syscall.Errno, err error, msgAndArgs ...any) {
	t.Helper()
	if want == 0 {
		require.NoError(t, err, msgAndArgs...)
		return
	}
	require.ErrorIs(t, err, want, msgAndArgs...)
}

// igtCase is one IGT subtest; parallel ones only wait on their own
// objects and may overlap to spread IGT's 100 ms timeouts.
type igtCase struct {
	name     string
	parallel bool
	run      func(t *testing.T)
}

func TestSyncobjTimeline(t *testing.T) {
	for _, c := range timelineCases() {
		t.Run(c.name, func(t *testing.T) {
			if c.parallel {
				t.Parallel()
			}
			c.run(t)
		})
	}
}

// TestSyncobjTimelineSubtestNames checks that the port covers exactly
// IGT's subtests: what TestSyncobjTimeline runs plus what is listed as not
// portable is the SUBTEST list, 121 names, with no name twice.
func TestSyncobjTimelineSubtestNames(t *testing.T) {
	require.Len(t, igtTimelineSubtests, 121)
	seen := map[string]bool{}
	for _, c := range timelineCases() {
		assert.False(t, seen[c.name], "subtest %q ported twice", c.name)
		seen[c.name] = true
	}
	for name, reason := range timelineNotPorted {
		assert.False(t, seen[name], "subtest %q both ported and listed as not portable", name)
		assert.NotEmpty(t, reason, "subtest %q listed without a reason", name)
		seen[name] = true
	}
	got := make([]string, 0, len(seen))
	for name := range seen {
		got = append(got, name)
	}
	sort.Strings(got)
	require.Equal(t, igtTimelineSubtests, got)
	require.Len(t, got, 121)
}

func timelineCases() []igtCase {
	cases := []igtCase{
		{"invalid-wait-bad-flags", true, testWaitBadFlags},
		{"wait-zero-handles", true, testWaitZeroHandles},
		{"invalid-wait-illegal-handle", true, testWaitIllegalHandle},
		{"invalid-query-zero-handles", true, testQueryZeroHandles},
		{"invalid-query-illegal-handle", true, testQueryIllegalHandle},
		{"invalid-query-one-illegal-handle", true, testQueryOneIllegalHandle},
		{"invalid-query-bad-pad", true, testQueryBadPad},
		{"invalid-signal-zero-handles", true, testSignalZeroHandles},
		{"invalid-signal-illegal-handle", true, testSignalIllegalHandle},
		{"invalid-signal-illegal-point", true, testSignalIllegalPoint},
		{"invalid-signal-one-illegal-handle", true, testSignalOneIllegalHandle},
		{"invalid-signal-bad-pad", true, testSignalBadPad},
		{"signal-array", true, testSignalArray},
		{"invalid-transfer-illegal-handle", true, testTransferIllegalHandle},
		{"invalid-transfer-bad-pad", true, testTransferBadPad},
		{"invalid-transfer-non-existent-point", true, testTransferNonexistentPoint},
		{"transfer-timeline-point", true, testTransferPoint},
	}
	for flags := uint32(0); flags < tWaitFlagsMax; flags++ {
		// Only one wait mode for single-wait tests.
		modes := flags & (tWaitUnsubmitted | tWaitSubmitted | tWaitSignaled)
		if modes == 0 || modes&(modes-1) != 0 {
			continue
		}
		want := singleWaitExpect(flags)
		cases = append(cases, igtCase{waitName("single-wait", flags, want), true,
			func(t *testing.T) { testSingleWait(t, flags, want) }})
	}
	cases = append(cases,
		igtCase{"wait-delayed-signal", true, func(t *testing.T) { testWaitDelayedSignal(t, 0) }},
		igtCase{"wait-for-submit-delayed-submit", true, func(t *testing.T) { testWaitDelayedSignal(t, tWaitForSubmit) }},
		igtCase{"wait-all-delayed-signal", true, func(t *testing.T) { testWaitDelayedSignal(t, tWaitAll) }},
		igtCase{"wait-all-for-submit-delayed-submit", true, func(t *testing.T) { testWaitDelayedSignal(t, tWaitAll|tWaitForSubmit) }},
		igtCase{"reset-unsignaled", true, testResetUnsignaled},
		igtCase{"reset-signaled", true, testResetSignaled},
		igtCase{"reset-multiple-signaled", true, testResetMultipleSignaled},
		igtCase{"reset-during-wait-for-submit", true, testResetDuringWaitForSubmit},
		igtCase{"signal", true, testSignal},
		igtCase{"signal-point-0", true, testSignalPoint0},
	)
	for flags := uint32(0); flags < tWaitFlagsMax; flags++ {
		// At least one wait mode for multi-wait tests.
		if flags&(tWaitUnsubmitted|tWaitSubmitted|tWaitSignaled) == 0 {
			continue
		}
		want := multiWaitExpect(flags)
		cases = append(cases, igtCase{waitName("multi-wait", flags, want), true,
			func(t *testing.T) { testMultiWait(t, flags, want) }})
	}
	cases = append(cases,
		igtCase{"wait-any-snapshot", true, func(t *testing.T) { testWaitSnapshot(t, 0) }},
		igtCase{"wait-all-snapshot", true, func(t *testing.T) { testWaitSnapshot(t, tWaitAll) }},
		igtCase{"wait-for-submit-snapshot", true, func(t *testing.T) { testWaitSnapshot(t, tWaitForSubmit) }},
		igtCase{"wait-all-for-submit-snapshot", true, func(t *testing.T) { testWaitSnapshot(t, tWaitAll|tWaitForSubmit) }},
		igtCase{"wait-any-complex", true, func(t *testing.T) { testWaitComplex(t, 0) }},
		igtCase{"wait-all-complex", true, func(t *testing.T) { testWaitComplex(t, tWaitAll) }},
		igtCase{"wait-for-submit-complex", true, func(t *testing.T) { testWaitComplex(t, tWaitForSubmit) }},
		igtCase{"wait-all-for-submit-complex", true, func(t *testing.T) { testWaitComplex(t, tWaitAll|tWaitForSubmit) }},
		igtCase{"wait-any-interrupted", true, func(t *testing.T) { testWaitInterrupted(t, 0) }},
		igtCase{"wait-all-interrupted", true, func(t *testing.T) { testWaitInterrupted(t, tWaitAll) }},
		igtCase{"host-signal-points", true, testHostSignalPoints},
		igtCase{"device-signal-unordered", true, testDeviceSignalUnordered},
		igtCase{"device-submit-unordered", true, testDeviceSubmitUnordered},
		igtCase{"host-signal-ordered", true, testHostSignalOrdered},
		igtCase{"32bits-limit", true, test32BitsLimit},
	)
	return cases
}

// singleWaitExpect is IGT's expectation for one syncobj at point 1.
func singleWaitExpect(flags uint32) syscall.Errno {
	switch {
	case flags&tWaitUnsubmitted != 0 && flags&(tWaitForSubmit|tWaitAvailable) == 0:
		return syscall.EINVAL
	case flags&tWaitSignaled == 0 && !(flags&tWaitSubmitted != 0 && flags&tWaitAvailable != 0):
		return syscall.ETIME
	}
	return 0
}

// multiWaitExpect is IGT's expectation for five syncobjs in the states the
// flags name.
func multiWaitExpect(flags uint32) syscall.Errno {
	var want syscall.Errno
	switch {
	case flags&tWaitUnsubmitted != 0 && flags&(tWaitForSubmit|tWaitAvailable) == 0:
		want = syscall.EINVAL
	case flags&tWaitAll != 0:
		if flags&(tWaitUnsubmitted|tWaitSubmitted) != 0 {
			want = syscall.ETIME
		}
		if flags&tWaitUnsubmitted == 0 && flags&tWaitSubmitted != 0 && flags&tWaitAvailable != 0 {
			want = 0
		}
	default:
		if flags&tWaitSignaled == 0 && !(flags&tWaitSubmitted != 0 && flags&tWaitAvailable != 0) {
			want = syscall.ETIME
		}
	}
	return want
}

// waitName builds the subtest name as IGT's igt_subtest_f does.
func waitName(kind string, flags uint32, want syscall.Errno) string {
	name := ""
	switch want {
	case syscall.EINVAL:
		name = "invalid-"
	case syscall.ETIME:
		name = "etime-"
	}
	name += kind
	for _, p := range []struct {
		bit  uint32
		part string
	}{
		{tWaitAll, "-all"},
		{tWaitForSubmit, "-for-submit"},
		{tWaitAvailable, "-available"},
		{tWaitUnsubmitted, "-unsubmitted"},
		{tWaitSubmitted, "-submitted"},
		{tWaitSignaled, "-signaled"},
	} {
		if flags&p.bit != 0 {
			name += p.part
		}
	}
	return name
}

func testWaitBadFlags(t *testing.T) {
	h := newHarness(t)
	_, err := h.f.TimelineWait(context.Background(), nil, nil, 0, 0xdeadbeef)
	require.ErrorIs(t, err, syscall.EINVAL)
}

func testWaitZeroHandles(t *testing.T) {
	// Newer kernels accept an empty list, and IGT follows them.
	h := newHarness(t)
	_, err := h.f.TimelineWait(context.Background(), nil, nil, 0, 0)
	require.NoError(t, err)
}

func testWaitIllegalHandle(t *testing.T) {
	h := newHarness(t)
	_, err := h.f.TimelineWait(context.Background(), []Handle{0}, nil, 0, 0)
	require.ErrorIs(t, err, syscall.ENOENT)
}

func testQueryZeroHandles(t *testing.T) {
	h := newHarness(t)
	require.ErrorIs(t, h.f.Query(nil, nil, 0), syscall.EINVAL)
}

func testQueryIllegalHandle(t *testing.T) {
	// IGT passes no points array: the lookup fails before anything is
	// written, so the answer is ENOENT, not EFAULT.
	h := newHarness(t)
	require.ErrorIs(t, h.f.Query([]Handle{0}, nil, 0), syscall.ENOENT)
}

func testQueryOneIllegalHandle(t *testing.T) {
	h := newHarness(t)
	objs := []Handle{h.create(), 0, h.create()}
	initial := []uint64{1}
	h.timelineSignal(objs[0:1], initial)
	h.timelineSignal(objs[2:3], initial)
	require.NoError(t, h.timelineWait(objs[0:1], initial, 0, 0))
	require.NoError(t, h.timelineWait(objs[2:3], initial, 0, 0))

	require.ErrorIs(t, h.f.Query(objs, nil, 0), syscall.ENOENT)

	h.destroy(objs[0])
	h.destroy(objs[2])
}

func testQueryBadPad(t *testing.T) {
	h := newHarness(t)
	require.ErrorIs(t, h.f.Query([]Handle{0}, nil, 0xdeadbeef), syscall.EINVAL)
}

func testSignalZeroHandles(t *testing.T) {
	h := newHarness(t)
	require.ErrorIs(t, h.f.TimelineSignal(nil, nil, 0), syscall.EINVAL)
}

func testSignalIllegalHandle(t *testing.T) {
	h := newHarness(t)
	require.ErrorIs(t, h.f.TimelineSignal([]Handle{0}, nil, 0), syscall.ENOENT)
}

func testSignalIllegalPoint(t *testing.T) {
	// Handle 1 was never created on this file, whatever the point.
	h := newHarness(t)
	require.ErrorIs(t, h.f.TimelineSignal([]Handle{1}, []uint64{0}, 0), syscall.ENOENT)
}

func testSignalOneIllegalHandle(t *testing.T) {
	h := newHarness(t)
	objs := []Handle{h.create(), 0, h.create()}
	initial := []uint64{1}
	h.timelineSignal(objs[0:1], initial)
	h.timelineSignal(objs[2:3], initial)
	require.NoError(t, h.timelineWait(objs[0:1], initial, 0, 0))
	require.NoError(t, h.timelineWait(objs[2:3], initial, 0, 0))

	require.ErrorIs(t, h.f.TimelineSignal(objs, nil, 0), syscall.ENOENT)

	h.destroy(objs[0])
	h.destroy(objs[2])
}

func testSignalBadPad(t *testing.T) {
	h := newHarness(t)
	require.ErrorIs(t, h.f.TimelineSignal([]Handle{0}, nil, 0xdeadbeef), syscall.EINVAL)
}

func testSignalArray(t *testing.T) {
	h := newHarness(t)
	objs := []Handle{h.create(), h.create(), h.create(), h.create()}
	points := []uint64{1, 1, 1, 0}

	h.timelineSignal(objs, points)
	require.NoError(t, h.timelineWait(objs[:3], points[:3], 0, 0))
	// Point 0 replaced the fence: the binary WAIT sees it.
	_, err := h.f.Wait(context.Background(), objs[3:], 0, 0)
	require.NoError(t, err)

	for _, o := range objs {
		h.destroy(o)
	}
}

func testTransferIllegalHandle(t *testing.T) {
	// IGT stores a user pointer in the handle fields, which is no handle
	// of the file; 0 is never one either.
	h := newHarness(t)
	require.ErrorIs(t, h.f.Transfer(0, 1, 0, 0, 0, 0), syscall.ENOENT)
}

func testTransferBadPad(t *testing.T) {
	h := newHarness(t)
	require.ErrorIs(t, h.f.Transfer(0, 0, 0, 0, 0, 0xdeadbeef), syscall.EINVAL)
}

func testTransferNonexistentPoint(t *testing.T) {
	// Despite its name, IGT expects success: point 63 is signalled, so
	// the lookup yields a signalled stub, which becomes point 74.
	h := newHarness(t)
	obj := h.create()
	value := uint64(63)
	h.timelineSignal([]Handle{obj}, []uint64{value})

	require.NoError(t, h.f.Transfer(obj, value, obj, value+11, 0, 0))

	h.destroy(obj)
}

func testTransferPoint(t *testing.T) {
	h := newHarness(t)
	tl := h.newTimeline()
	obj := h.create()

	sf := tl.createFence(1)
	tmp := h.create()
	require.NoError(t, h.f.ImportFence(tmp, 0, sf.f))
	require.NoError(t, h.f.Transfer(tmp, 0, obj, 1, 0, 0))
	h.destroy(tmp)

	require.Equal(t, uint64(0), h.query(obj))

	// IGT passes its test flag WAIT_ALL (2) raw, which is DRM's
	// WAIT_FOR_SUBMIT; point 1 exists but has not signalled either way.
	requireErrno(t, syscall.ETIME, h.timelineWait([]Handle{obj}, []uint64{1}, 0, tWaitAll))

	tl.inc(1)

	require.Equal(t, uint64(1), h.query(obj))
	require.NoError(t, h.timelineWait([]Handle{obj}, []uint64{1}, 0, tWaitAll))

	h.timelineSignal([]Handle{obj}, []uint64{2})
	// syncobj_timeline_to_timeline(fd, handle, 3, handle, 2).
	require.NoError(t, h.f.Transfer(obj, 2, obj, 3, 0, 0))

	require.Equal(t, uint64(3), h.query(obj))

	h.destroy(obj)
}

func testSingleWait(t *testing.T, testFlags uint32, want syscall.Errno) {
	h := newHarness(t)
	obj := h.create()
	flags := flagsForTestFlags(testFlags)
	handles, points := []Handle{obj}, []uint64{1}

	var tl *swTimeline
	if testFlags&(tWaitSubmitted|tWaitSignaled) != 0 {
		tl, _ = h.attachSwSync(obj, points[0])
	}
	if testFlags&tWaitSignaled != 0 {
		tl.inc(1)
	}

	requireErrno(t, want, h.timelineWait(handles, points, 0, flags), "poll")
	requireErrno(t, want, h.timelineWait(handles, points, shortTimeout(), flags), "short timeout")
	if want != syscall.ETIME {
		requireErrno(t, want, h.timelineWait(handles, points, u64MaxDeadline, flags), "UINT64_MAX")
	}

	h.destroy(obj)
}

func testWaitDelayedSignal(t *testing.T, testFlags uint32) {
	h := newHarness(t)
	obj := h.create()
	flags := flagsForTestFlags(testFlags)
	const point = 1

	errc := make(chan error, 1)
	var timer *time.Timer
	if testFlags&tWaitForSubmit != 0 {
		timer = time.AfterFunc(time.Duration(shortTimeNsec), func() { errc <- h.trigger(obj, point) })
	} else {
		tl, _ := h.attachSwSync(obj, point)
		timer = time.AfterFunc(time.Duration(shortTimeNsec), func() { tl.inc(1); errc <- nil })
	}
	defer timer.Stop()

	require.NoError(t, h.timelineWait([]Handle{obj}, []uint64{point}, generousDeadline(), flags))
	h.awaitStimulus(errc)

	h.destroy(obj)
}

func testResetUnsignaled(t *testing.T) {
	h := newHarness(t)
	obj := h.create()
	handles, points := []Handle{obj}, []uint64{1}

	require.ErrorIs(t, h.timelineWait(handles, points, 0, 0), syscall.EINVAL)
	h.reset(obj)
	require.ErrorIs(t, h.timelineWait(handles, points, 0, 0), syscall.EINVAL)

	h.destroy(obj)
}

func testResetSignaled(t *testing.T) {
	h := newHarness(t)
	obj := h.create()
	handles, points := []Handle{obj}, []uint64{1}

	h.mustTrigger(obj, 1)
	require.NoError(t, h.timelineWait(handles, points, 0, 0))
	h.reset(obj)
	require.ErrorIs(t, h.timelineWait(handles, points, 0, 0), syscall.EINVAL)

	h.destroy(obj)
}

func testResetMultipleSignaled(t *testing.T) {
	h := newHarness(t)
	points := []uint64{1, 1, 1}
	objs := make([]Handle, 3)
	for i := range objs {
		objs[i] = h.create()
		h.mustTrigger(objs[i], points[i])
	}

	require.NoError(t, h.timelineWait(objs, points, 0, 0))
	h.reset(objs...)

	for i := range objs {
		require.ErrorIs(t, h.timelineWait(objs[i:i+1], points[i:i+1], 0, 0), syscall.EINVAL, "object %d", i)
		h.destroy(objs[i])
	}
}

func testResetDuringWaitForSubmit(t *testing.T) {
	h := newHarness(t)
	obj := h.create()
	const point = 1

	errc := make(chan error, 1)
	timer := time.AfterFunc(time.Duration(shortTimeNsec), func() {
		if err := h.f.Reset([]Handle{obj}, 0); err != nil {
			errc <- err
			return
		}
		errc <- h.trigger(obj, point)
	})
	defer timer.Stop()

	// A reset is a no-op for a wait that is still waiting for a submit.
	require.NoError(t, h.timelineWait([]Handle{obj}, []uint64{point}, generousDeadline(), WaitForSubmit))
	h.awaitStimulus(errc)

	h.destroy(obj)
}

func testSignal(t *testing.T) {
	h := newHarness(t)
	obj := h.create()
	handles, points := []Handle{obj}, []uint64{1}

	require.ErrorIs(t, h.timelineWait(handles, points, 0, 0), syscall.EINVAL)
	require.ErrorIs(t, h.timelineWait(handles, points, 0, WaitForSubmit), syscall.ETIME)

	h.timelineSignal(handles, points)

	require.NoError(t, h.timelineWait(handles, points, 0, 0))
	require.NoError(t, h.timelineWait(handles, points, 0, WaitForSubmit))

	h.destroy(obj)
}

func testSignalPoint0(t *testing.T) {
	h := newHarness(t)
	obj := h.create()
	handles, points := []Handle{obj}, []uint64{0}

	h.timelineSignal(handles, points)

	require.NoError(t, h.timelineWait(handles, points, 0, 0))
	_, err := h.f.Wait(context.Background(), handles, 0, WaitForSubmit)
	require.NoError(t, err)

	h.destroy(obj)
}

func testMultiWait(t *testing.T, testFlags uint32, want syscall.Errno) {
	h := newHarness(t)
	// IGT draws the timeline points with rand(); a fixed seed keeps the
	// port deterministic.
	rng := rand.New(rand.NewPCG(uint64(testFlags), 0x5eed))
	points := []uint64{
		1 + uint64(rng.IntN(1000)),
		0, // binary syncobj
		1 + uint64(rng.IntN(1000)),
		1 + uint64(rng.IntN(1000)),
		0, // binary syncobj
	}
	objs := make([]Handle, len(points))
	for i := range objs {
		objs[i] = h.create()
	}

	flags := flagsForTestFlags(testFlags)
	testFlags &^= tWaitAll | tWaitForSubmit | tWaitAvailable

	// The objects take the states the flags name, lowest state first; the
	// last state named fills the remaining objects.
	for i := range objs {
		tflag := testFlags & -testFlags
		if testFlags&^tflag != 0 {
			testFlags &^= tflag
		}
		var tl *swTimeline
		if tflag&(tWaitSubmitted|tWaitSignaled) != 0 {
			tl, _ = h.attachSwSync(objs[i], points[i])
		}
		if tflag&tWaitSignaled != 0 {
			tl.inc(1)
		}
	}

	requireErrno(t, want, h.timelineWait(objs, points, 0, flags), "poll")
	requireErrno(t, want, h.timelineWait(objs, points, shortTimeout(), flags), "short timeout")
	if want != syscall.ETIME {
		requireErrno(t, want, h.timelineWait(objs, points, u64MaxDeadline, flags), "UINT64_MAX")
	}

	for _, o := range objs {
		h.destroy(o)
	}
}

// testWaitSnapshot checks that a wait keeps the fences it found: object 0
// is signalled or given a fence, then reset and given a fence that never
// signals, and the wait must not notice; object 1 ends it.
func testWaitSnapshot(t *testing.T, testFlags uint32) {
	h := newHarness(t)
	objs := []Handle{h.create(), h.create()}
	points := []uint64{1, 1}
	var tls [2]*swTimeline
	var sfs [2]*swFence

	if testFlags&tWaitForSubmit == 0 {
		tls[0], sfs[0] = h.attachSwSync(objs[0], points[0])
		tls[1], sfs[1] = h.attachSwSync(objs[1], points[1])
	}

	res := h.waitAsync(objs, points, generousDeadline(), flagsForTestFlags(testFlags))

	if testFlags&tWaitForSubmit == 0 {
		// The waiter has taken both fences once it has armed both.
		h.awaitArmed(sfs[0], "object 0's fence")
		h.awaitArmed(sfs[1], "object 1's fence")
	}

	// Try to fake the wait out by triggering, or partly triggering, the
	// first object.
	switch {
	case testFlags&tWaitAll != 0:
		if tls[0] == nil {
			// IGT's syncobj_trigger, with the signal held back until the
			// waiter has picked the new fence up.
			tls[0], sfs[0] = h.attachSwSync(objs[0], points[0])
			h.awaitArmed(sfs[0], "object 0's submitted fence")
		}
		tls[0].inc(1)
	case testFlags&tWaitForSubmit != 0:
		tls[0], sfs[0] = h.attachSwSync(objs[0], points[0])
		h.awaitArmed(sfs[0], "object 0's submitted fence")
	}

	h.reset(objs[0])

	// Submit it in a way that never signals: a wait that picked the new
	// fence up would time out.
	h.attachSwSync(objs[0], points[0])

	// Now complete the wait through the second object.
	if tls[1] == nil {
		h.mustTrigger(objs[1], points[1])
	} else {
		tls[1].inc(1)
	}

	r := h.awaitResult(res)
	require.NoError(t, r.err)
	if testFlags&tWaitAll == 0 {
		require.Equal(t, uint32(1), r.first)
	}

	h.destroy(objs[0])
	h.destroy(objs[1])
}

// shuffled07 is IGT's shuffled_0_7_x4: the numbers 0-7, each four times,
// shuffled.
var shuffled07 = []int{
	2, 0, 6, 1, 1, 4, 5, 2, 0, 7, 1, 7, 6, 3, 4, 5,
	0, 2, 7, 3, 5, 4, 0, 6, 7, 3, 2, 5, 6, 1, 4, 3,
}

const (
	stageUnsubmitted = iota
	stageSubmitted
	stageSignaled
	stageReset
	stageResubmitted
)

// testWaitComplex steps eight syncobjs through unsubmitted, submitted,
// signalled, reset and resubmitted in a shuffled order while another
// goroutine waits on the first two (IGT's count_handles is 2).
func testWaitComplex(t *testing.T, testFlags uint32) {
	h := newHarness(t)
	const n = 8
	var (
		objs   [n]Handle
		points [n]uint64
		stage  [n]int
		tls    [n]*swTimeline
		sfs    [n]*swFence
	)
	for i := range objs {
		objs[i] = h.create()
		points[i] = 1
	}
	forSubmit := testFlags&tWaitForSubmit != 0
	if !forSubmit {
		for i := range objs {
			tls[i], sfs[i] = h.attachSwSync(objs[i], points[i])
		}
	}

	const watched = 2
	res := h.waitAsync(objs[:watched], points[:watched], generousDeadline(), flagsForTestFlags(testFlags))

	if !forSubmit {
		for i := 0; i < watched; i++ {
			h.awaitArmed(sfs[i], fmt.Sprintf("object %d's fence", i))
		}
	}

	first, numSignaled := -1, 0
steps:
	for _, i := range shuffled07 {
		st := stage[i]
		stage[i]++
		switch st {
		case stageUnsubmitted:
			if !forSubmit {
				require.NotNil(t, tls[i], "object %d was submitted up front", i)
				break
			}
			tls[i], sfs[i] = h.attachSwSync(objs[i], points[i])
			if i < watched {
				// IGT's pause between steps gives the waiter time to
				// pick the fence up; wait for exactly that.
				h.awaitArmed(sfs[i], fmt.Sprintf("object %d's fence", i))
			}
		case stageSubmitted:
			require.NotNil(t, tls[i], "object %d has a fence", i)
			tls[i].inc(1)
			tls[i].close()
			tls[i] = nil
			if numSignaled == 0 {
				first = i
			}
			numSignaled++
		case stageSignaled:
			h.reset(objs[i])
		case stageReset:
			// Submitted again, never to signal.
			tls[i], sfs[i] = h.attachSwSync(objs[i], points[i])
		case stageResubmitted:
			require.FailNow(t, "object stepped past resubmitted", "object %d", i)
		}

		if testFlags&tWaitAll != 0 {
			if numSignaled == n {
				break steps
			}
		} else if numSignaled > 0 {
			break steps
		}
	}

	r := h.awaitResult(res)
	require.NoError(t, r.err)
	if testFlags&tWaitAll != 0 {
		require.Equal(t, n, numSignaled)
	} else {
		require.Equal(t, 1, numSignaled)
		require.Equal(t, uint32(first), r.first)
	}

	for i := range objs {
		h.destroy(objs[i])
	}
}

// interruptibleWait is IGT's igt_while_interruptible around one
// TIMELINE_WAIT: signals keep interrupting the wait, and each interrupted
// call (ERESTARTSYS) is restarted with the same absolute deadline, as the
// kernel's restart does. The first attempt is interrupted before it
// starts. It returns the final result and the number of interruptions.
func interruptibleWait(t *testing.T, h *harness, handles []Handle, points []uint64, deadline int64, flags uint32) (int, error) {
	t.Helper()
	interrupts := 0
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := h.f.TimelineWait(ctx, handles, points, deadline, flags)
	if !errors.Is(err, fence.ERESTARTSYS) {
		// Only a deadline already passed may beat the pending signal.
		return interrupts, err
	}
	interrupts++

	interval := time.Millisecond
	for {
		ctx, cancel := context.WithCancel(context.Background())
		timer := time.AfterFunc(interval, cancel)
		_, err := h.f.TimelineWait(ctx, handles, points, deadline, flags)
		timer.Stop()
		cancel()
		if !errors.Is(err, fence.ERESTARTSYS) {
			return interrupts, err
		}
		interrupts++
		interval *= 2
	}
}

func testWaitInterrupted(t *testing.T, testFlags uint32) {
	h := newHarness(t)
	obj := h.create()
	handles, points := []Handle{obj}, []uint64{1}
	flags := flagsForTestFlags(testFlags)

	check := func(what string) {
		t.Helper()
		deadline := shortTimeout()
		interrupts, err := interruptibleWait(t, h, handles, points, deadline, flags)
		require.ErrorIs(t, err, syscall.ETIME, what)
		// Restarts must not turn into an early timeout.
		require.GreaterOrEqual(t, fence.Now(), deadline, what)
		t.Logf("%s: %d interruptions before ETIME", what, interrupts)
	}

	if testFlags&tWaitForSubmit != 0 {
		check("unsubmitted")
	}
	h.attachSwSync(obj, points[0])
	check("submitted")

	h.destroy(obj)
}

func testHostSignalPoints(t *testing.T) {
	h := newHarness(t)
	obj := h.create()
	// rand() in IGT: non-negative 31-bit values, here from a fixed seed.
	rng := rand.New(rand.NewPCG(0x1657, 0x5eed))
	var value uint64
	for i := 0; i < 100; i++ {
		value += uint64(rng.Int32())
		h.timelineSignal([]Handle{obj}, []uint64{value})

		q := h.query(obj)
		require.Equal(t, value, q, "step %d", i)

		// IGT passes its test flags raw here: WAIT_FOR_SUBMIT (1) is
		// DRM's WAIT_ALL and WAIT_ALL (2) is DRM's WAIT_FOR_SUBMIT.
		// Both points have signalled, so either reading succeeds.
		require.NoError(t, h.timelineWait([]Handle{obj}, []uint64{q}, 0, tWaitForSubmit), "step %d", i)
		require.NoError(t, h.timelineWait([]Handle{obj}, []uint64{q - 1}, 0, tWaitAll), "step %d", i)
	}
	h.destroy(obj)
}

func testDeviceSignalUnordered(t *testing.T) {
	h := newHarness(t)
	obj := h.create()
	pointIndices := []int{0, 2, 1, 4, 3}
	signaled := make([]bool, len(pointIndices))
	fences := make([]*swFence, len(pointIndices))
	tl := h.newTimeline()

	// Point k+1 gets the fence whose seqno is its position in
	// pointIndices, so the points signal in the order 1, 3, 2, 5, 4.
	for i := range fences {
		fences[pointIndices[i]] = tl.createFence(uint64(i + 1))
	}
	for i, sf := range fences {
		tmp := h.create()
		require.NoError(t, h.f.ImportFence(tmp, 0, sf.f))
		require.NoError(t, h.f.Transfer(tmp, 0, obj, uint64(i+1), 0, 0))
		h.destroy(tmp)
	}

	var value uint64
	for i := range fences {
		tl.inc(1)
		signaled[pointIndices[i]] = true

		// IGT's lower bound: the index of the last signalled point of
		// the contiguous prefix.
		var minValue uint64
		for j := range signaled {
			if !signaled[j] {
				break
			}
			minValue = uint64(j)
		}

		q := h.query(obj)
		require.GreaterOrEqual(t, q, minValue, "step %d", i)
		require.GreaterOrEqual(t, q, value, "step %d: the timeline went backwards", i)
		value = max(q, value)

		// Raw IGT test flags again, as in host-signal-points.
		require.NoError(t, h.timelineWait([]Handle{obj}, []uint64{q}, 0, tWaitForSubmit), "step %d", i)
		require.NoError(t, h.timelineWait([]Handle{obj}, []uint64{q}, 0, tWaitAll), "step %d", i)
	}

	h.destroy(obj)
}

func testDeviceSubmitUnordered(t *testing.T) {
	h := newHarness(t)
	obj := h.create()
	points := []uint64{1, 5, 3, 6, 7}
	tl := h.newTimeline()

	for i, p := range points {
		sf := tl.createFence(uint64(i + 1))
		tmp := h.create()
		require.NoError(t, h.f.ImportFence(tmp, 0, sf.f))
		require.NoError(t, h.f.Transfer(tmp, 0, obj, p, 0, 0))
		h.destroy(tmp)
	}

	// Points 1, 5 and 3 signal. No other point is at or below 5, so a
	// wait for 5 is satisfied for submission and for signalling.
	tl.inc(3)

	q := h.query(obj)
	require.Equal(t, uint64(5), q)

	require.NoError(t, h.timelineWait([]Handle{obj}, []uint64{q}, 0, tWaitForSubmit))
	require.NoError(t, h.timelineWait([]Handle{obj}, []uint64{q}, 0, tWaitAll))

	h.destroy(obj)
}

func testHostSignalOrdered(t *testing.T) {
	h := newHarness(t)
	obj := h.create()
	tl := h.newTimeline()

	for i := 0; i < 5; i++ {
		sf := tl.createFence(uint64(i + 1))
		tmp := h.create()
		require.NoError(t, h.f.ImportFence(tmp, 0, sf.f))
		require.NoError(t, h.f.Transfer(tmp, 0, obj, uint64(i+1), 0, 0))
		h.destroy(tmp)
	}

	tl.inc(3)
	require.Equal(t, uint64(3), h.query(obj))

	// A host signal above pending device points does not move the
	// timeline past them.
	h.timelineSignal([]Handle{obj}, []uint64{8})
	require.Equal(t, uint64(3), h.query(obj))

	tl.inc(5)
	require.Equal(t, uint64(8), h.query(obj))

	h.destroy(obj)
}

func test32BitsLimit(t *testing.T) {
	h := newHarness(t)
	obj := h.create()
	tl := h.newTimeline()
	const limitDiff = uint64(1)<<31 - 1
	points := []uint64{1, 5, limitDiff + 5, limitDiff + 6, limitDiff * 2}

	// A checker goroutine queries the timeline over and over while it is
	// built and signalled; the value must never go down.
	var running atomic.Bool
	running.Store(true)
	defer running.Store(false) // a failed assertion must not leave it spinning
	started := make(chan struct{})
	checked := make(chan error, 1)
	go func() {
		var last uint64
		first := true
		for running.Load() {
			vals := make([]uint64, 1)
			if err := h.f.Query([]Handle{obj}, vals, 0); err != nil {
				checked <- err
				return
			}
			if first {
				close(started)
				first = false
			}
			if vals[0] < last {
				checked <- fmt.Errorf("query went from %d down to %d", last, vals[0])
				return
			}
			last = vals[0]
		}
		checked <- nil
	}()
	select {
	case <-started:
	case err := <-checked:
		require.NoError(t, err, "checker stopped before its first query")
		require.FailNow(t, "checker stopped before its first query")
	case <-time.After(eventTimeout):
		require.FailNow(t, "checker never queried")
	}

	for i, p := range points {
		sf := tl.createFence(uint64(i + 1))
		tmp := h.create()
		require.NoError(t, h.f.ImportFence(tmp, 0, sf.f))
		require.NoError(t, h.f.Transfer(tmp, 0, obj, p, 0, 0))
		h.destroy(tmp)
	}

	var last uint64
	for i := range points {
		tl.inc(1)
		v := h.query(obj)
		require.GreaterOrEqual(t, v, last, "step %d", i)
		last = v
	}
	// Every point has signalled: the timeline stands at the last one.
	require.Equal(t, points[len(points)-1], last)

	running.Store(false)
	select {
	case err := <-checked:
		require.NoError(t, err)
	case <-time.After(eventTimeout):
		require.FailNow(t, "checker never stopped")
	}

	h.destroy(obj)
}
