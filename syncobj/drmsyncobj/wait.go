package drmsyncobj

import (
	"context"
	"fmt"
	"syscall"
	"time"

	"github.com/headwaywl/headway/syncobj/fence"
)

// stackCount is how many syncobjs a wait handles without allocating, like
// the kernel's on-stack arrays.
const stackCount = 4

// Wait waits on the current fences of handles (SYNCOBJ_WAIT). deadlineNsec
// is an absolute CLOCK_MONOTONIC time (fence.Now); 0 or any time already
// past makes the wait a poll (the kernel's timeout_nsec is signed, so the
// UINT64_MAX that userspace passes is a poll too). firstSignaled is what
// the kernel writes back on success: without WaitAll the index of a
// signalled syncobj; with WaitAll the first index already signalled when
// the wait began, or 0xffffffff if none was (callers should not rely on
// it). On error it is 0, as the kernel writes nothing. Errors: EINVAL for bad
// flags or a syncobj without a fence (unless WaitForSubmit), ENOENT for an
// unknown handle, ETIME at the deadline, ERESTARTSYS (fence.ERESTARTSYS,
// with ctx.Err()) when ctx is cancelled. No handles succeed at once.
func (f *File) Wait(ctx context.Context, handles []Handle, deadlineNsec int64, flags uint32) (firstSignaled uint32, err error) {
	if flags&^(WaitAll|WaitForSubmit|WaitDeadline) != 0 {
		return 0, fmt.Errorf("syncobj wait: flags %#x: %w", flags, syscall.EINVAL)
	}
	return f.wait(ctx, handles, nil, deadlineNsec, flags)
}

// TimelineWait is Wait on timeline points (SYNCOBJ_TIMELINE_WAIT); nil
// points means all 0. WaitAvailable succeeds once a fence exists for every
// point (or any point, without WaitAll), signalled or not.
func (f *File) TimelineWait(ctx context.Context, handles []Handle, points []uint64, deadlineNsec int64, flags uint32) (firstSignaled uint32, err error) {
	if flags&^(WaitAll|WaitForSubmit|WaitAvailable|WaitDeadline) != 0 {
		return 0, fmt.Errorf("syncobj timeline wait: flags %#x: %w", flags, syscall.EINVAL)
	}
	return f.wait(ctx, handles, points, deadlineNsec, flags)
}

// timeoutOf is drm_timeout_abs_to_jiffies with nanosecond resolution.
func timeoutOf(deadlineNsec int64) time.Duration {
	if deadlineNsec == 0 {
		return 0
	}
	now := fence.Now()
	if deadlineNsec <= now {
		return 0
	}
	return time.Duration(deadlineNsec - now)
}

// wait is drm_syncobj_array_wait_timeout. The first pass, and a poll, use
// on-stack arrays and allocate nothing; only a wait that must sleep builds
// entries with callbacks.
func (f *File) wait(ctx context.Context, handles []Handle, points []uint64, deadlineNsec int64, flags uint32) (uint32, error) {
	n := len(handles)
	if n == 0 {
		return 0, nil // newer kernels accept an empty wait
	}
	var objStack [stackCount]*Syncobj
	var fenceStack [stackCount]*fence.Fence
	objs, fences := objStack[:0], fenceStack[:0]
	if n <= stackCount {
		objs, fences = objStack[:n], fenceStack[:n]
	} else {
		objs, fences = make([]*Syncobj, n), make([]*fence.Fence, n)
	}
	if err := f.find(handles, objs); err != nil {
		return 0, err
	}
	if points != nil && len(points) < n {
		return 0, fmt.Errorf("syncobj wait: %d points for %d handles: %w", len(points), n, syscall.EFAULT)
	}
	timeout := timeoutOf(deadlineNsec)
	defer func() {
		for _, fn := range fences {
			if fn != nil {
				fn.Put()
			}
		}
	}()

	// Snapshot every fence up front, so that a syncobj without one is
	// EINVAL now and never later.
	lenient := flags&(WaitForSubmit|WaitAvailable) != 0
	// first is what the kernel writes back: the first index found
	// signalled by this pass, or ~0. A wait for all keeps it even when it
	// then sleeps; a wait for any overwrites it with the index that ends it.
	signaled, first := 0, ^uint32(0)
	for i, s := range objs {
		fn, ok := s.lookupPoint(pointAt(points, i))
		if !ok {
			if lenient {
				continue
			}
			return 0, errMissing
		}
		fences[i] = fn
		if flags&WaitAvailable != 0 || fn.IsSignaled() {
			if signaled == 0 {
				first = uint32(i)
			}
			signaled++
		}
	}
	if signaled == n || (signaled > 0 && flags&WaitAll == 0) {
		return first, nil
	}
	if timeout == 0 {
		return f.poll(objs, fences, points, flags, first)
	}
	return f.sleep(ctx, objs, fences, points, timeout, flags, first)
}

// errMissing is bare so a poll that expects it does not allocate.
var errMissing error = syscall.EINVAL

func pointAt(points []uint64, i int) uint64 {
	if points == nil {
		return 0
	}
	return points[i]
}

// poll is one pass of the wait loop with no time left: what the kernel
// does after registering (FOR_SUBMIT waits resolve once more under the
// lock; a callback that cannot be added means signalled) without leaving
// anything registered.
func (f *File) poll(objs []*Syncobj, fences []*fence.Fence, points []uint64, flags, first uint32) (uint32, error) {
	signaled := 0
	for i := range fences {
		fn := fences[i]
		if fn == nil && flags&WaitForSubmit != 0 {
			if r, ok := objs[i].lookupPoint(pointAt(points, i)); ok {
				fences[i], fn = r, r
			}
		}
		if fn == nil {
			continue
		}
		if flags&WaitAvailable != 0 || fn.IsSignaled() || enableAndCheck(fn) {
			if flags&WaitAll == 0 {
				return uint32(i), nil
			}
			signaled++
		}
	}
	if signaled == len(fences) {
		return first, nil
	}
	return 0, syscall.ETIME
}

// enableAndCheck stands for a dma_fence_add_callback that fails: adding a
// callback enables signalling, which may find the fence signalled.
func enableAndCheck(fn *fence.Fence) bool {
	fn.EnableSignaling()
	return fn.IsSignaled()
}

// sleep is the blocking part of the wait loop. Each entry wakes the one
// channel this wait parks on; everything registered is removed before it
// returns.
func (f *File) sleep(ctx context.Context, objs []*Syncobj, fences []*fence.Fence, points []uint64, timeout time.Duration, flags, first uint32) (uint32, error) {
	n := len(objs)
	wake := make(chan struct{}, 1)
	entries := make([]waitEntry, n)
	for i := range entries {
		e := &entries[i]
		e.point = pointAt(points, i)
		e.wake = wake
		if fences[i] != nil {
			e.fence.Store(fences[i])
			fences[i] = nil // the entry owns the reference now
		}
	}
	defer func() {
		for i := range entries {
			e := &entries[i]
			objs[i].removeWait(e)
			fn := e.fence.Load()
			if fn == nil {
				continue
			}
			if e.cbSet {
				fn.RemoveCallback(&e.cb)
			}
			fn.Put()
		}
	}()
	if flags&WaitForSubmit != 0 {
		for i := range entries {
			objs[i].addWait(&entries[i])
		}
	}
	poke := func(*fence.Fence, *fence.Callback) {
		select {
		case wake <- struct{}{}:
		default:
		}
	}

	var done <-chan struct{}
	if ctx != nil {
		done = ctx.Done()
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	expired := false
	for {
		signaled := 0
		for i := range entries {
			e := &entries[i]
			fn := e.fence.Load()
			if fn == nil {
				continue
			}
			if flags&WaitAvailable != 0 || fn.IsSignaled() || (!e.cbSet && !e.arm(fn, poke)) {
				if flags&WaitAll == 0 {
					return uint32(i), nil
				}
				signaled++
			}
		}
		if signaled == n {
			return first, nil
		}
		if expired {
			return 0, syscall.ETIME
		}
		if done != nil {
			select {
			case <-done:
				return 0, fmt.Errorf("syncobj wait: %w", fence.Interrupted(ctx))
			default:
			}
		}
		if f.hookBlocked != nil {
			f.hookBlocked()
		}
		select {
		case <-wake:
		case <-timer.C:
			expired = true // one last look, as the kernel loops once more with no time left
		case <-done:
			// The kernel looks at pending signals only after its checks, so
			// a wait that completed meanwhile still succeeds.
			return f.interruptedAfterCheck(ctx, entries, flags, first)
		}
	}
}

// interruptedAfterCheck makes the final pass after a cancellation.
func (f *File) interruptedAfterCheck(ctx context.Context, entries []waitEntry, flags, first uint32) (uint32, error) {
	signaled := 0
	for i := range entries {
		fn := entries[i].fence.Load()
		if fn == nil {
			continue
		}
		if flags&WaitAvailable != 0 || fn.IsSignaled() {
			if flags&WaitAll == 0 {
				return uint32(i), nil
			}
			signaled++
		}
	}
	if signaled == len(entries) {
		return first, nil
	}
	return 0, fmt.Errorf("syncobj wait: %w", fence.Interrupted(ctx))
}

// arm registers the wake-up callback; false means the fence had signalled.
func (e *waitEntry) arm(fn *fence.Fence, poke func(*fence.Fence, *fence.Callback)) bool {
	if err := fn.AddCallback(&e.cb, poke); err != nil {
		return false
	}
	e.cbSet = true
	return true
}
