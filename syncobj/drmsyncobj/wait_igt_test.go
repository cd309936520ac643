package drmsyncobj

// A port of IGT tests/syncobj_wait.c. sw_sync fences become plain fences
// from package fence: "submitted" is a pending fence imported into the
// syncobj (FD_TO_HANDLE with IMPORT_SYNC_FILE), "signaled" is that fence
// signalled, and a timer thread becomes a time.AfterFunc started once the
// waiter is known to be asleep (File.hookBlocked), so nothing depends on
// how fast the machine is.

import (
	"context"
	"errors"
	"math/bits"
	"sort"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/syncobj/fence"
)

// binSwOps stands in for the sw_sync driver.
type binSwOps struct{}

func (binSwOps) DriverName() string                 { return "sw_sync" }
func (binSwOps) TimelineName(f *fence.Fence) string { return "igt" }

// binShortTimeNsec is IGT's SHORT_TIME_NSEC (100 ms).
const binShortTimeNsec = int64(100 * time.Millisecond)

// binU64Max is the UINT64_MAX IGT passes as timeout_nsec; the field is
// signed, so the kernel (and Wait) read -1: a deadline in the past.
const binU64Max = int64(-1)

// binGenerous is a deadline for waits that must succeed: it only matters when
// the code under test is wrong, and then the test fails instead of hanging.
func binGenerous() int64 { return fence.Now() + int64(30*time.Second) }

func binShortTimeout() int64 { return fence.Now() + binShortTimeNsec }

// binAttachSwSync imports a fresh pending fence into h and returns it (the
// sw_sync timeline a test advances with Signal).
func binAttachSwSync(t *testing.T, f *File, h Handle) *fence.Fence {
	t.Helper()
	fn := fence.New(binSwOps{}, nil, 1)
	require.NoError(t, f.ImportFence(h, 0, fn))
	return fn
}

func binTrigger(t *testing.T, f *File, h Handle) {
	t.Helper()
	require.NoError(t, binAttachSwSync(t, f, h).Signal())
}

func binCreate(t *testing.T, f *File, flags uint32) Handle {
	t.Helper()
	h, err := f.Create(flags)
	require.NoError(t, err)
	return h
}

// binErrno reduces a wait result to the errno IGT compares with (0 for
// success).
func binErrno(err error) syscall.Errno {
	if err == nil {
		return 0
	}
	var e syscall.Errno
	if errors.As(err, &e) {
		return e
	}
	return syscall.Errno(0xffff)
}

// binOnBlocked makes fn run once, in a new goroutine, the first time a wait
// on f goes to sleep.
func binOnBlocked(f *File, fn func()) {
	var once sync.Once
	f.hookBlocked = func() { once.Do(func() { go fn() }) }
}

type binWaitResult struct {
	first uint32
	err   error
}

// binStartWait runs a wait in its own goroutine (IGT's wait thread) and
// returns once it is asleep, having taken its snapshot.
func binStartWait(t *testing.T, f *File, handles []Handle, deadline int64, flags uint32) <-chan binWaitResult {
	t.Helper()
	blocked := make(chan struct{})
	var once sync.Once
	f.hookBlocked = func() { once.Do(func() { close(blocked) }) }
	res := make(chan binWaitResult, 1)
	go func() {
		first, err := f.Wait(context.Background(), handles, deadline, flags)
		res <- binWaitResult{first, err}
	}()
	select {
	case <-blocked:
	case r := <-res:
		t.Fatalf("wait returned before sleeping: %d, %v", r.first, r.err)
	case <-time.After(30 * time.Second):
		t.Fatal("waiter never went to sleep")
	}
	return res
}

func binJoinWait(t *testing.T, res <-chan binWaitResult) binWaitResult {
	t.Helper()
	select {
	case r := <-res:
		return r
	case <-time.After(60 * time.Second):
		t.Fatal("wait never returned")
		return binWaitResult{}
	}
}

// Test flags of syncobj_wait.c.
const (
	binTWaitForSubmit = 1 << 0
	binTWaitAll       = 1 << 1
	binTUnsubmitted   = 1 << 2
	binTSubmitted     = 1 << 3
	binTSignaled      = 1 << 4
	binTFlagsMax      = 1<<5 - 1
)

func binFlagsForTestFlags(tf uint32) uint32 {
	var fl uint32
	if tf&binTWaitForSubmit != 0 {
		fl |= WaitForSubmit
	}
	if tf&binTWaitAll != 0 {
		fl |= WaitAll
	}
	return fl
}

func binWaitName(kind string, tf uint32, err syscall.Errno) string {
	name := ""
	if err == syscall.EINVAL {
		name = "invalid-"
	}
	name += kind
	for _, p := range []struct {
		bit uint32
		s   string
	}{{binTWaitAll, "-all"}, {binTWaitForSubmit, "-for-submit"}, {binTUnsubmitted, "-unsubmitted"}, {binTSubmitted, "-submitted"}, {binTSignaled, "-signaled"}} {
		if tf&p.bit != 0 {
			name += p.s
		}
	}
	return name
}

type binIgtCase struct {
	name string
	run  func(t *testing.T)
}

func syncobjWaitCases() []binIgtCase {
	cs := []binIgtCase{
		{"invalid-wait-bad-flags", binWWaitBadFlags},
		{"wait-zero-handles", binWWaitZeroHandles},
		{"invalid-wait-illegal-handle", binWWaitIllegalHandle},
		{"invalid-reset-zero-handles", func(t *testing.T) { binWArrayZeroHandles(t, (*File).Reset) }},
		{"invalid-reset-illegal-handle", func(t *testing.T) { binWArrayIllegalHandle(t, (*File).Reset) }},
		{"invalid-reset-one-illegal-handle", binWResetOneIllegalHandle},
		{"invalid-reset-bad-pad", func(t *testing.T) { binWArrayBadPad(t, (*File).Reset) }},
		{"invalid-signal-zero-handles", func(t *testing.T) { binWArrayZeroHandles(t, (*File).Signal) }},
		{"invalid-signal-illegal-handle", func(t *testing.T) { binWArrayIllegalHandle(t, (*File).Signal) }},
		{"invalid-signal-one-illegal-handle", binWSignalOneIllegalHandle},
		{"invalid-signal-bad-pad", func(t *testing.T) { binWArrayBadPad(t, (*File).Signal) }},
	}
	for tf := uint32(0); tf < binTFlagsMax; tf++ {
		if bits.OnesCount32(tf&(binTUnsubmitted|binTSubmitted|binTSignaled)) != 1 {
			continue
		}
		var err syscall.Errno
		switch {
		case tf&binTUnsubmitted != 0 && tf&binTWaitForSubmit == 0:
			err = syscall.EINVAL
		case tf&binTSignaled == 0:
			err = syscall.ETIME
		}
		cs = append(cs, binIgtCase{binWaitName("single-wait", tf, err), func(t *testing.T) { binWSingleWait(t, tf, err) }})
	}
	cs = append(cs,
		binIgtCase{"wait-delayed-signal", func(t *testing.T) { binWWaitDelayedSignal(t, 0) }},
		binIgtCase{"wait-for-submit-delayed-submit", func(t *testing.T) { binWWaitDelayedSignal(t, binTWaitForSubmit) }},
		binIgtCase{"wait-all-delayed-signal", func(t *testing.T) { binWWaitDelayedSignal(t, binTWaitAll) }},
		binIgtCase{"wait-all-for-submit-delayed-submit", func(t *testing.T) { binWWaitDelayedSignal(t, binTWaitAll|binTWaitForSubmit) }},
		binIgtCase{"reset-unsignaled", binWResetUnsignaled},
		binIgtCase{"reset-signaled", binWResetSignaled},
		binIgtCase{"reset-multiple-signaled", binWResetMultipleSignaled},
		binIgtCase{"reset-during-wait-for-submit", binWResetDuringWaitForSubmit},
		binIgtCase{"signal", binWSignal},
	)
	for tf := uint32(0); tf < binTFlagsMax; tf++ {
		if tf&(binTUnsubmitted|binTSubmitted|binTSignaled) == 0 {
			continue
		}
		var err syscall.Errno
		switch {
		case tf&binTUnsubmitted != 0 && tf&binTWaitForSubmit == 0:
			err = syscall.EINVAL
		case tf&binTWaitAll != 0:
			if tf&(binTUnsubmitted|binTSubmitted) != 0 {
				err = syscall.ETIME
			}
		case tf&binTSignaled == 0:
			err = syscall.ETIME
		}
		cs = append(cs, binIgtCase{binWaitName("multi-wait", tf, err), func(t *testing.T) { binWMultiWait(t, tf, err) }})
	}
	cs = append(cs,
		binIgtCase{"wait-any-snapshot", func(t *testing.T) { binWWaitSnapshot(t, 0) }},
		binIgtCase{"wait-all-snapshot", func(t *testing.T) { binWWaitSnapshot(t, binTWaitAll) }},
		binIgtCase{"wait-for-submit-snapshot", func(t *testing.T) { binWWaitSnapshot(t, binTWaitForSubmit) }},
		binIgtCase{"wait-all-for-submit-snapshot", func(t *testing.T) { binWWaitSnapshot(t, binTWaitAll|binTWaitForSubmit) }},
		binIgtCase{"wait-any-complex", func(t *testing.T) { binWWaitComplex(t, 0) }},
		binIgtCase{"wait-all-complex", func(t *testing.T) { binWWaitComplex(t, binTWaitAll) }},
		binIgtCase{"wait-for-submit-complex", func(t *testing.T) { binWWaitComplex(t, binTWaitForSubmit) }},
		binIgtCase{"wait-all-for-submit-complex", func(t *testing.T) { binWWaitComplex(t, binTWaitAll|binTWaitForSubmit) }},
		binIgtCase{"wait-any-interrupted", func(t *testing.T) { binWWaitInterrupted(t, 0) }},
		binIgtCase{"wait-all-interrupted", func(t *testing.T) { binWWaitInterrupted(t, binTWaitAll) }},
	)
	return cs
}

// syncobjWaitNotPorted lists IGT subtests left out, with the reason. Every
// subtest of syncobj_wait.c runs in process, so it is empty.
var syncobjWaitNotPorted = map[string]string{}

// syncobjWaitIGTNames are the SUBTEST: names of syncobj_wait.c.
var syncobjWaitIGTNames = []string{
	"invalid-multi-wait-all-unsubmitted", "invalid-multi-wait-all-unsubmitted-signaled",
	"invalid-multi-wait-all-unsubmitted-submitted", "invalid-multi-wait-all-unsubmitted-submitted-signaled",
	"invalid-multi-wait-unsubmitted", "invalid-multi-wait-unsubmitted-signaled",
	"invalid-multi-wait-unsubmitted-submitted", "invalid-multi-wait-unsubmitted-submitted-signaled",
	"invalid-reset-bad-pad", "invalid-reset-illegal-handle", "invalid-reset-one-illegal-handle",
	"invalid-reset-zero-handles", "invalid-signal-bad-pad", "invalid-signal-illegal-handle",
	"invalid-signal-one-illegal-handle", "invalid-signal-zero-handles",
	"invalid-single-wait-all-unsubmitted", "invalid-single-wait-unsubmitted",
	"invalid-wait-bad-flags", "invalid-wait-illegal-handle",
	"multi-wait-all-for-submit-signaled", "multi-wait-all-for-submit-submitted",
	"multi-wait-all-for-submit-submitted-signaled", "multi-wait-all-for-submit-unsubmitted",
	"multi-wait-all-for-submit-unsubmitted-signaled", "multi-wait-all-for-submit-unsubmitted-submitted",
	"multi-wait-all-signaled", "multi-wait-all-submitted", "multi-wait-all-submitted-signaled",
	"multi-wait-for-submit-signaled", "multi-wait-for-submit-submitted",
	"multi-wait-for-submit-submitted-signaled", "multi-wait-for-submit-unsubmitted",
	"multi-wait-for-submit-unsubmitted-signaled", "multi-wait-for-submit-unsubmitted-submitted",
	"multi-wait-for-submit-unsubmitted-submitted-signaled",
	"multi-wait-signaled", "multi-wait-submitted", "multi-wait-submitted-signaled",
	"reset-during-wait-for-submit", "reset-multiple-signaled", "reset-signaled", "reset-unsignaled",
	"signal",
	"single-wait-all-for-submit-signaled", "single-wait-all-for-submit-submitted",
	"single-wait-all-for-submit-unsubmitted", "single-wait-all-signaled", "single-wait-all-submitted",
	"single-wait-for-submit-signaled", "single-wait-for-submit-submitted",
	"single-wait-for-submit-unsubmitted", "single-wait-signaled", "single-wait-submitted",
	"wait-all-complex", "wait-all-delayed-signal", "wait-all-for-submit-complex",
	"wait-all-for-submit-delayed-submit", "wait-all-for-submit-snapshot", "wait-all-interrupted",
	"wait-all-snapshot", "wait-any-complex", "wait-any-interrupted", "wait-any-snapshot",
	"wait-delayed-signal", "wait-for-submit-complex", "wait-for-submit-delayed-submit",
	"wait-for-submit-snapshot", "wait-zero-handles",
}

func TestSyncobjWait(t *testing.T) {
	for _, c := range syncobjWaitCases() {
		t.Run(c.name, c.run)
	}
}

func TestSyncobjWaitCoverage(t *testing.T) {
	require.Len(t, syncobjWaitIGTNames, 69, "syncobj_wait.c has 69 subtests")
	var got []string
	for _, c := range syncobjWaitCases() {
		got = append(got, c.name)
	}
	for name := range syncobjWaitNotPorted {
		got = append(got, name)
	}
	want := append([]string(nil), syncobjWaitIGTNames...)
	sort.Strings(got)
	sort.Strings(want)
	require.Equal(t, want, got, "ported plus listed subtests must be exactly the IGT ones")
}

func binWWaitBadFlags(t *testing.T) {
	f := NewFile()
	_, err := f.Wait(nil, nil, 0, 0xdeadbeef)
	require.ErrorIs(t, err, syscall.EINVAL)
}

func binWWaitZeroHandles(t *testing.T) {
	f := NewFile()
	_, err := f.Wait(nil, nil, 0, 0)
	require.NoError(t, err)
}

func binWWaitIllegalHandle(t *testing.T) {
	f := NewFile()
	_, err := f.Wait(nil, []Handle{0}, 0, 0)
	require.ErrorIs(t, err, syscall.ENOENT)
}

type binArrayOp func(f *File, handles []Handle, pad uint32) error

func binWArrayZeroHandles(t *testing.T, op binArrayOp) {
	require.ErrorIs(t, op(NewFile(), nil, 0), syscall.EINVAL)
}

func binWArrayIllegalHandle(t *testing.T, op binArrayOp) {
	require.ErrorIs(t, op(NewFile(), []Handle{0}, 0), syscall.ENOENT)
}

func binWArrayBadPad(t *testing.T, op binArrayOp) {
	require.ErrorIs(t, op(NewFile(), []Handle{0}, 0xdeadbeef), syscall.EINVAL)
}

func binWResetOneIllegalHandle(t *testing.T) {
	f := NewFile()
	objs := []Handle{binCreate(t, f, CreateSignaled), 0, binCreate(t, f, CreateSignaled)}
	for _, h := range []Handle{objs[0], objs[2]} {
		_, err := f.Wait(nil, []Handle{h}, 0, 0)
		require.NoError(t, err)
	}
	require.ErrorIs(t, f.Reset(objs, 0), syscall.ENOENT)
	for _, h := range []Handle{objs[0], objs[2]} {
		_, err := f.Wait(nil, []Handle{h}, 0, 0)
		require.NoError(t, err, "a failed reset must not reset anything")
	}
	require.NoError(t, f.Destroy(objs[0], 0))
	require.NoError(t, f.Destroy(objs[2], 0))
}

func binWSignalOneIllegalHandle(t *testing.T) {
	f := NewFile()
	objs := []Handle{binCreate(t, f, 0), 0, binCreate(t, f, 0)}
	for _, h := range []Handle{objs[0], objs[2]} {
		_, err := f.Wait(nil, []Handle{h}, 0, 0)
		require.ErrorIs(t, err, syscall.EINVAL)
	}
	require.ErrorIs(t, f.Signal(objs, 0), syscall.ENOENT)
	for _, h := range []Handle{objs[0], objs[2]} {
		_, err := f.Wait(nil, []Handle{h}, 0, 0)
		require.ErrorIs(t, err, syscall.EINVAL, "a failed signal must not signal anything")
	}
	require.NoError(t, f.Destroy(objs[0], 0))
	require.NoError(t, f.Destroy(objs[2], 0))
}

func binWSingleWait(t *testing.T, tf uint32, expect syscall.Errno) {
	f := NewFile()
	h := binCreate(t, f, 0)
	flags := binFlagsForTestFlags(tf)
	if tf&(binTSubmitted|binTSignaled) != 0 {
		fn := binAttachSwSync(t, f, h)
		if tf&binTSignaled != 0 {
			require.NoError(t, fn.Signal())
		}
	}
	_, err := f.Wait(nil, []Handle{h}, 0, flags)
	assert.Equal(t, expect, binErrno(err), "poll: %v", err)
	_, err = f.Wait(nil, []Handle{h}, binShortTimeout(), flags)
	assert.Equal(t, expect, binErrno(err), "short timeout: %v", err)
	if expect != syscall.ETIME {
		_, err = f.Wait(nil, []Handle{h}, binU64Max, flags)
		assert.Equal(t, expect, binErrno(err), "UINT64_MAX: %v", err)
	}
	require.NoError(t, f.Destroy(h, 0))
}

func binWWaitDelayedSignal(t *testing.T, tf uint32) {
	f := NewFile()
	h := binCreate(t, f, 0)
	flags := binFlagsForTestFlags(tf)
	fired := make(chan struct{})
	if tf&binTWaitForSubmit != 0 {
		binOnBlocked(f, func() {
			time.AfterFunc(time.Duration(binShortTimeNsec/10), func() { close(fired); binTrigger(t, f, h) })
		})
	} else {
		fn := binAttachSwSync(t, f, h)
		binOnBlocked(f, func() {
			time.AfterFunc(time.Duration(binShortTimeNsec/10), func() { close(fired); _ = fn.Signal() })
		})
	}
	_, err := f.Wait(context.Background(), []Handle{h}, binGenerous(), flags)
	require.NoError(t, err)
	select {
	case <-fired: // the stimulus had started: the wait did not end before it
	default:
		t.Fatal("wait returned before the delayed signal")
	}
	require.NoError(t, f.Destroy(h, 0))
}

func binWResetUnsignaled(t *testing.T) {
	f := NewFile()
	h := binCreate(t, f, 0)
	_, err := f.Wait(nil, []Handle{h}, 0, 0)
	require.ErrorIs(t, err, syscall.EINVAL)
	require.NoError(t, f.Reset([]Handle{h}, 0))
	_, err = f.Wait(nil, []Handle{h}, 0, 0)
	require.ErrorIs(t, err, syscall.EINVAL)
	require.NoError(t, f.Destroy(h, 0))
}

func binWResetSignaled(t *testing.T) {
	f := NewFile()
	h := binCreate(t, f, 0)
	binTrigger(t, f, h)
	_, err := f.Wait(nil, []Handle{h}, 0, 0)
	require.NoError(t, err)
	require.NoError(t, f.Reset([]Handle{h}, 0))
	_, err = f.Wait(nil, []Handle{h}, 0, 0)
	require.ErrorIs(t, err, syscall.EINVAL)
	require.NoError(t, f.Destroy(h, 0))
}

func binWResetMultipleSignaled(t *testing.T) {
	f := NewFile()
	hs := make([]Handle, 3)
	for i := range hs {
		hs[i] = binCreate(t, f, 0)
		binTrigger(t, f, hs[i])
	}
	_, err := f.Wait(nil, hs, 0, 0)
	require.NoError(t, err)
	require.NoError(t, f.Reset(hs, 0))
	for _, h := range hs {
		_, err = f.Wait(nil, []Handle{h}, 0, 0)
		require.ErrorIs(t, err, syscall.EINVAL)
		require.NoError(t, f.Destroy(h, 0))
	}
}

func binWResetDuringWaitForSubmit(t *testing.T) {
	f := NewFile()
	h := binCreate(t, f, 0)
	fired := make(chan struct{})
	binOnBlocked(f, func() {
		time.AfterFunc(time.Duration(binShortTimeNsec/10), func() {
			// A reset must be a no-op for a wait in progress.
			assert.NoError(t, f.Reset([]Handle{h}, 0))
			binTrigger(t, f, h)
			close(fired)
		})
	})
	_, err := f.Wait(context.Background(), []Handle{h}, binGenerous(), WaitForSubmit)
	require.NoError(t, err)
	<-fired
	require.NoError(t, f.Destroy(h, 0))
}

func binWSignal(t *testing.T) {
	f := NewFile()
	h := binCreate(t, f, 0)
	_, err := f.Wait(nil, []Handle{h}, 0, 0)
	require.ErrorIs(t, err, syscall.EINVAL)
	_, err = f.Wait(nil, []Handle{h}, 0, WaitForSubmit)
	require.ErrorIs(t, err, syscall.ETIME)
	require.NoError(t, f.Signal([]Handle{h}, 0))
	_, err = f.Wait(nil, []Handle{h}, 0, 0)
	require.NoError(t, err)
	_, err = f.Wait(nil, []Handle{h}, 0, WaitForSubmit)
	require.NoError(t, err)
	require.NoError(t, f.Destroy(h, 0))
}

func binWMultiWait(t *testing.T, tf uint32, expect syscall.Errno) {
	f := NewFile()
	hs := []Handle{binCreate(t, f, 0), binCreate(t, f, 0), binCreate(t, f, 0)}
	flags := binFlagsForTestFlags(tf)
	states := tf &^ (binTWaitAll | binTWaitForSubmit)
	// As IGT: each syncobj takes the lowest remaining state; the last state
	// left is reused for the rest.
	for i := range hs {
		st := states & -states
		if states&^st != 0 {
			states &^= st
		}
		if st&(binTSubmitted|binTSignaled) != 0 {
			fn := binAttachSwSync(t, f, hs[i])
			if st&binTSignaled != 0 {
				require.NoError(t, fn.Signal())
			}
		}
	}
	_, err := f.Wait(nil, hs, 0, flags)
	assert.Equal(t, expect, binErrno(err), "poll: %v", err)
	_, err = f.Wait(nil, hs, binShortTimeout(), flags)
	assert.Equal(t, expect, binErrno(err), "short timeout: %v", err)
	if expect != syscall.ETIME {
		_, err = f.Wait(nil, hs, binU64Max, flags)
		assert.Equal(t, expect, binErrno(err), "UINT64_MAX: %v", err)
	}
	for _, h := range hs {
		require.NoError(t, f.Destroy(h, 0))
	}
}

func binWWaitSnapshot(t *testing.T, tf uint32) {
	f := NewFile()
	hs := []Handle{binCreate(t, f, 0), binCreate(t, f, 0)}
	var tl [3]*fence.Fence
	if tf&binTWaitForSubmit == 0 {
		tl[0] = binAttachSwSync(t, f, hs[0])
		tl[1] = binAttachSwSync(t, f, hs[1])
	}
	res := binStartWait(t, f, hs, binGenerous(), binFlagsForTestFlags(tf))

	// Try to fake the wait out by triggering, or half-triggering, the
	// first syncobj, then resetting it.
	if tf&binTWaitAll != 0 {
		if tl[0] == nil {
			binTrigger(t, f, hs[0])
		} else {
			require.NoError(t, tl[0].Signal())
		}
	} else if tf&binTWaitForSubmit != 0 {
		tl[0] = binAttachSwSync(t, f, hs[0])
	}
	require.NoError(t, f.Reset([]Handle{hs[0]}, 0))
	// A fence that never signals: a wait that picked it up would time out.
	tl[2] = binAttachSwSync(t, f, hs[0])
	if tl[1] == nil {
		binTrigger(t, f, hs[1])
	} else {
		require.NoError(t, tl[1].Signal())
	}
	r := binJoinWait(t, res)
	require.NoError(t, r.err)
	if tf&binTWaitAll == 0 {
		require.Equal(t, uint32(1), r.first)
	}
	for _, h := range hs {
		require.NoError(t, f.Destroy(h, 0))
	}
}

// binShuffled07x4 is IGT's table: the numbers 0-7, each four times, shuffled.
var binShuffled07x4 = []int{
	2, 0, 6, 1, 1, 4, 5, 2, 0, 7, 1, 7, 6, 3, 4, 5,
	0, 2, 7, 3, 5, 4, 0, 6, 7, 3, 2, 5, 6, 1, 4, 3,
}

const (
	binStageUnsubmitted = iota
	binStageSubmitted
	binStageSignaled
	binStageReset
	binStageResubmitted
)

func binWWaitComplex(t *testing.T, tf uint32) {
	f := NewFile()
	var hs [8]Handle
	var stage [8]int
	var tl [8]*fence.Fence
	for i := range hs {
		hs[i] = binCreate(t, f, 0)
	}
	if tf&binTWaitForSubmit == 0 {
		for i := range hs {
			tl[i] = binAttachSwSync(t, f, hs[i])
		}
	}
	// IGT waits on the first two syncobjs only (count_handles = 2).
	res := binStartWait(t, f, hs[:2], binGenerous(), binFlagsForTestFlags(tf))

	firstSignaled, numSignaled := -1, 0
	for _, i := range binShuffled07x4 {
		st := stage[i]
		stage[i]++
		switch st {
		case binStageUnsubmitted:
			if tf&binTWaitForSubmit == 0 {
				require.NotNil(t, tl[i], "attached up front")
				break
			}
			tl[i] = binAttachSwSync(t, f, hs[i])
		case binStageSubmitted:
			require.NotNil(t, tl[i])
			require.NoError(t, tl[i].Signal())
			tl[i] = nil
			if numSignaled == 0 {
				firstSignaled = i
			}
			numSignaled++
		case binStageSignaled:
			require.NoError(t, f.Reset([]Handle{hs[i]}, 0))
		case binStageReset:
			tl[i] = binAttachSwSync(t, f, hs[i]) // submitted, never signalled
		case binStageResubmitted:
			t.Fatal("should not reach this stage")
		}
		if tf&binTWaitAll != 0 {
			if numSignaled == len(hs) {
				break
			}
		} else if numSignaled > 0 {
			break
		}
	}
	r := binJoinWait(t, res)
	require.NoError(t, r.err)
	if tf&binTWaitAll != 0 {
		require.Equal(t, len(hs), numSignaled)
	} else {
		require.Equal(t, 1, numSignaled)
		require.Equal(t, uint32(firstSignaled), r.first)
	}
	for _, h := range hs {
		require.NoError(t, f.Destroy(h, 0))
	}
}

func binWWaitInterrupted(t *testing.T, tf uint32) {
	f := NewFile()
	h := binCreate(t, f, 0)
	flags := binFlagsForTestFlags(tf)
	binAttachSwSync(t, f, h)

	// A signal pending while the wait still has time interrupts it.
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := f.Wait(cancelled, []Handle{h}, binGenerous(), flags)
	require.ErrorIs(t, err, fence.ERESTARTSYS)
	require.ErrorIs(t, err, context.Canceled)
	require.NotErrorIs(t, err, syscall.ETIME)

	// igt_while_interruptible: signals keep arriving and libdrm restarts
	// the ioctl with the same absolute deadline until it times out.
	deadline := binShortTimeout()
	for round := 0; ; round++ {
		ctx, cancel := context.WithCancel(context.Background())
		if round == 0 {
			cancel()
		} else {
			time.AfterFunc(time.Duration(binShortTimeNsec/10), cancel)
		}
		_, err = f.Wait(ctx, []Handle{h}, deadline, flags)
		cancel()
		if errors.Is(err, fence.ERESTARTSYS) {
			require.ErrorIs(t, err, context.Canceled)
			continue
		}
		break
	}
	require.ErrorIs(t, err, syscall.ETIME)
	require.GreaterOrEqual(t, fence.Now(), deadline, "ETIME before the deadline")
	require.NoError(t, f.Destroy(h, 0))
}
