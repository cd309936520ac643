package fence

import (
	"context"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// ERESTARTSYS is the kernel's "interrupted, restart the call" code. It has
// no constant in package syscall; userspace never sees it (the kernel turns
// it into EINTR or a restart), but an interrupted wait reports it so that
// callers can tell an interruption from a timeout.
const ERESTARTSYS = syscall.Errno(512)

// MaxErrno is the largest errno a fence error may carry (the kernel's
// MAX_ERRNO).
const MaxErrno = 4095

// Forever is the timeout that never expires (MAX_SCHEDULE_TIMEOUT).
const Forever = time.Duration(math.MaxInt64)

// Ops is the driver side of a fence, as struct dma_fence_ops: the two names
// are mandatory. The optional hooks are the interfaces EnableSignaler,
// SignaledPoller, CustomWaiter, Releaser and Container, which an Ops value
// implements or not.
type Ops interface {
	DriverName() string
	TimelineName(f *Fence) string
}

// EnableSignaler is dma_fence_ops.enable_signaling: it is called once, on
// the first wait or AddCallback, to tell the signaller that someone waits.
// Returning false means "already passed or could not enable"; the fence is
// then signalled at once, and only in that case may the hook have set an
// error. The hook runs without the fence's lock, so it may register
// callbacks elsewhere and even signal f itself.
type EnableSignaler interface {
	EnableSignaling(f *Fence) bool
}

// SignaledPoller is dma_fence_ops.signaled: a cheap check whether the
// hardware has passed the fence. When it returns true the fence is
// signalled; it may set the error first.
type SignaledPoller interface {
	Signaled(f *Fence) bool
}

// CustomWaiter replaces the default wait (dma_fence_ops.wait). Any error
// other than ETIME and ERESTARTSYS it returns means "signalled, with a
// problem" (a hardware lockup), and callers treat it as signalled.
type CustomWaiter interface {
	Wait(ctx context.Context, f *Fence, timeout time.Duration) (time.Duration, error)
}

// Releaser is called when the last reference is dropped with Put.
type Releaser interface {
	Release(f *Fence)
}

// Container is implemented by the ops of fences that stand for other
// fences (arrays, timeline chains); Unwrap flattens through it.
type Container interface {
	Children(f *Fence) []*Fence
}

const (
	flagSignaled uint32 = 1 << iota
	flagEnableSignal
	flagEnableRef // enable_signaling returned true and holds a reference until the signal
	flagBornLate  // created after a later seqno of its context had signalled
)

// Fence is a dma_fence: a one-shot completion on a context, with an
// optional error, a signal timestamp and callbacks. The zero value is not
// usable; create fences with New.
type Fence struct {
	ops   Ops
	ctx   *Context
	seqno uint64

	state atomic.Uint32
	errno atomic.Int32 // positive errno, 0 for none
	ts    atomic.Int64 // signal time, ns on the monotonic clock of Now
	refs  atomic.Int32

	mu  sync.Mutex
	cbs Callback // sentinel of a circular list of pending callbacks
}

// New returns an unsignalled fence with one reference. A nil ctx gets a
// fresh context of its own.
func New(ops Ops, ctx *Context, seqno uint64) *Fence {
	if ctx == nil {
		ctx = AllocContext()
	}
	f := &Fence{ops: ops, ctx: ctx, seqno: seqno}
	if ctx.passed(ops, seqno) {
		// A point the timeline has already passed (sw_sync creates these
		// and signals them at once): its signal cannot be out of order.
		f.state.Store(flagBornLate)
	}
	f.refs.Store(1)
	f.cbs.next, f.cbs.prev = &f.cbs, &f.cbs
	return f
}

// NewSignaled returns a fence that is already signalled, like the kernel's
// stub fences (dma_fence_allocate_private_stub): what a syncobj holds after
// a host-side signal.
func NewSignaled() *Fence {
	f := New(stubOps{}, stubContext, 0)
	f.ts.Store(Now())
	f.state.Store(flagSignaled)
	return f
}

type stubOps struct{}

func (stubOps) DriverName() string           { return "stub" }
func (stubOps) TimelineName(f *Fence) string { return "stub" } // both names "stub", as dma_fence_stub_get_name

var stubContext = AllocContext()

// Context returns the fence's context.
func (f *Fence) Context() *Context { return f.ctx }

// Seqno returns the fence's sequence number on its context.
func (f *Fence) Seqno() uint64 { return f.seqno }

// Ops returns the driver side the fence was created with.
func (f *Fence) Ops() Ops { return f.ops }

func (f *Fence) String() string {
	return fmt.Sprintf("%s:%s ctx %d seqno %d", f.ops.DriverName(), f.ops.TimelineName(f), f.ctx.id, f.seqno)
}

// Get takes a reference.
func (f *Fence) Get() *Fence {
	f.refs.Add(1)
	return f
}

// Put drops a reference. Dropping the last one while callbacks are still
// registered is reported (the kernel WARNs in dma_fence_release): their
// owner would wait for a fence nobody can signal any more.
func (f *Fence) Put() {
	n := f.refs.Add(-1)
	switch {
	case n < 0:
		warn(WarnRefUnderflow, f, "reference count dropped below zero")
	case n == 0:
		f.mu.Lock()
		pending := f.cbs.next != &f.cbs
		f.mu.Unlock()
		if pending {
			warn(WarnReleaseWithCallbacks, f, "released with callbacks still registered")
		}
		if r, ok := f.ops.(Releaser); ok {
			r.Release(f)
		}
	}
}

// Signal signals the fence: it records the time, wakes every waiter and
// runs every callback, once. A second call changes nothing and returns
// EINVAL, as dma_fence_signal does.
func (f *Fence) Signal() error {
	return f.SignalTimestamp(Now())
}

// SignalTimestamp is Signal with the signal time given (ns on the clock of
// Now), for signallers that know when the work really finished.
func (f *Fence) SignalTimestamp(ts int64) error {
	f.mu.Lock()
	if f.state.Load()&flagSignaled != 0 {
		f.mu.Unlock()
		return fmt.Errorf("signal %v: already signalled: %w", f, syscall.EINVAL)
	}
	f.ts.Store(ts)
	old := f.state.Or(flagSignaled)
	// Detach the whole list under the lock; the callbacks run after it is
	// released, so a callback may use this fence (Status, Put) freely.
	first, last := f.cbs.next, f.cbs.prev
	f.cbs.next, f.cbs.prev = &f.cbs, &f.cbs
	if first != &f.cbs {
		last.next = nil
	} else {
		first = nil
	}
	for c := first; c != nil; c = c.next {
		c.prev = nil
	}
	f.mu.Unlock()

	f.ctx.signaled(f)
	for c := first; c != nil; {
		next := c.next
		c.next = nil
		fn := c.fn
		c.fn = nil
		fn(f, c)
		c = next
	}
	// Whoever clears flagEnableRef owns the reference it stands for: here
	// or a failed enable hook, never both.
	if old&flagEnableRef != 0 && f.state.And(^flagEnableRef)&flagEnableRef != 0 {
		f.Put()
	}
	return nil
}

// SetError records the outcome of the work before the fence signals. The
// error must be an errno in 1..MaxErrno (the kernel takes its negative), and
// the fence must not have signalled yet: both mistakes are reported and
// refused with EINVAL, where the kernel WARNs.
func (f *Fence) SetError(errno syscall.Errno) error {
	if errno == 0 || errno > MaxErrno {
		warn(WarnBadError, f, fmt.Sprintf("error %d is not an errno in 1..%d", uint64(errno), MaxErrno))
		return fmt.Errorf("set error %d on %v: not an errno in 1..%d: %w", uint64(errno), f, MaxErrno, syscall.EINVAL)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.state.Load()&flagSignaled != 0 {
		warn(WarnErrorAfterSignal, f, fmt.Sprintf("error %v set after the fence signalled", errno))
		return fmt.Errorf("set error %v on %v: already signalled: %w", errno, f, syscall.EINVAL)
	}
	f.errno.Store(int32(errno))
	return nil
}

// Error returns the error the work ended with, or 0. An error does not
// mean the fence has signalled: it may be set while the fence is pending.
func (f *Fence) Error() syscall.Errno { return syscall.Errno(f.errno.Load()) }

// Timestamp returns when the fence signalled (ns on the clock of Now);
// ok is false while it is pending.
func (f *Fence) Timestamp() (ts int64, ok bool) {
	if f.state.Load()&flagSignaled == 0 {
		return 0, false
	}
	return f.ts.Load(), true
}

// IsSignaled reports whether the fence has signalled, asking the
// SignaledPoller hook if there is one (dma_fence_is_signaled).
func (f *Fence) IsSignaled() bool {
	if f.state.Load()&flagSignaled != 0 {
		return true
	}
	if p, ok := f.ops.(SignaledPoller); ok && p.Signaled(f) {
		_ = f.Signal() // a racing signaller may have won; either way it is signalled
		return true
	}
	return false
}

// Status is dma_fence_get_status: 0 while pending, 1 once signalled
// without error, and the negative errno once signalled with one.
func (f *Fence) Status() int {
	if !f.IsSignaled() {
		return 0
	}
	if e := f.errno.Load(); e != 0 {
		return -int(e)
	}
	return 1
}

// EnableSignaling runs the EnableSignaler hook once, on behalf of the
// first waiter. Every wait and AddCallback calls it; it is exported for
// signallers that want hardware interrupts enabled early.
func (f *Fence) EnableSignaling() {
	if f.state.Load()&(flagEnableSignal|flagSignaled) != 0 {
		return
	}
	es, ok := f.ops.(EnableSignaler)
	if !ok {
		f.state.Or(flagEnableSignal) // without the hook, signalling is always enabled
		return
	}
	// The hook may race with the signaller. Holding an extra reference
	// from a true return until the signal (dropped in SignalTimestamp) is
	// the pattern the kernel documents. The reference is taken first and
	// both flags are set in one step, and only while the fence is still
	// pending: a signal then either lands before (the hook is not run and
	// the reference is given back) or after (it finds flagEnableRef and
	// drops the reference), never in between, where it would leak.
	f.refs.Add(1)
	for {
		st := f.state.Load()
		if st&(flagEnableSignal|flagSignaled) != 0 {
			f.refs.Add(-1) // another waiter or the signaller got here first
			return
		}
		if f.state.CompareAndSwap(st, st|flagEnableSignal|flagEnableRef) {
			break
		}
	}
	if !es.EnableSignaling(f) {
		if f.state.And(^flagEnableRef)&flagEnableRef != 0 {
			f.refs.Add(-1)
		}
		_ = f.Signal()
	}
}

// setErrorIfPending records errno unless the fence has signalled or
// already carries an error, silently: it is for containers whose members
// finish in any order, where "too late" and "someone was first" are
// normal, not misuse (the kernel's cmpxchg on the pending error).
func (f *Fence) setErrorIfPending(errno syscall.Errno) {
	if errno == 0 || errno > MaxErrno {
		return
	}
	f.mu.Lock()
	if f.state.Load()&flagSignaled == 0 {
		f.errno.CompareAndSwap(0, int32(errno))
	}
	f.mu.Unlock()
}
