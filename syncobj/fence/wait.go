package fence

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"time"
)

// Wait blocks until f signals, the timeout passes or ctx is cancelled, and
// says which:
//
//   - nil: signalled; remaining is what was left of the timeout (0 for a
//     zero timeout).
//   - an error matching syscall.ETIME: timed out.
//   - an error matching ERESTARTSYS and ctx.Err(): interrupted.
//   - any other error: a CustomWaiter reported a problem (a lockup); the
//     fence counts as signalled.
//
// A zero timeout is a pure status query: it enables signalling, as the
// kernel does, and never blocks or allocates. A negative timeout is
// EINVAL. A nil ctx means the wait cannot be interrupted.
func (f *Fence) Wait(ctx context.Context, timeout time.Duration) (remaining time.Duration, err error) {
	if timeout < 0 {
		return 0, fmt.Errorf("wait on %v: negative timeout %v: %w", f, timeout, syscall.EINVAL)
	}
	if w, ok := f.ops.(CustomWaiter); ok {
		return w.Wait(ctx, f, timeout)
	}
	return f.DefaultWait(ctx, timeout)
}

// DefaultWait is the wait every fence supports, built on AddCallback; a
// CustomWaiter may fall back to it.
func (f *Fence) DefaultWait(ctx context.Context, timeout time.Duration) (time.Duration, error) {
	if f.state.Load()&flagSignaled != 0 {
		return timeout, nil
	}
	f.EnableSignaling()
	if f.IsSignaled() {
		return timeout, nil
	}
	// A pending interruption is reported before the zero-timeout answer,
	// in the kernel's order (dma_fence_default_wait checks signal_pending
	// first), so a cancelled caller never mistakes it for a timeout.
	if ctx != nil {
		select {
		case <-ctx.Done():
			return timeout, Interrupted(ctx)
		default:
		}
	}
	if timeout == 0 {
		return 0, syscall.ETIME
	}
	w := newWaiter(1)
	var cb Callback
	if err := f.AddCallback(&cb, w.wake); err != nil {
		return timeout, nil // ENOENT: it signalled meanwhile
	}
	remaining, err := w.wait(ctx, timeout)
	if err != nil {
		if f.RemoveCallback(&cb) || !f.IsSignaled() {
			return remaining, err
		}
		// Signalled while we gave up: the signal wins, as it does when the
		// kernel rechecks the fence after its sleep ends.
	}
	return remaining, nil
}

// waiter turns callbacks into a wake-up for one blocked goroutine; a
// goroutine blocked in select holds no OS thread, so any number of
// pending waits cost memory only.
type waiter struct {
	ch chan int
}

func newWaiter(n int) *waiter { return &waiter{ch: make(chan int, n)} }

func (w *waiter) wake(f *Fence, cb *Callback) {
	select {
	case w.ch <- 0:
	default: // one pending wake-up is enough
	}
}

func (w *waiter) wait(ctx context.Context, timeout time.Duration) (time.Duration, error) {
	var done <-chan struct{}
	if ctx != nil {
		done = ctx.Done()
	}
	start := time.Now()
	var expire <-chan time.Time
	if timeout != Forever {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expire = t.C
	}
	select {
	case <-w.ch:
		return remainingOf(timeout, start), nil
	case <-expire:
		return 0, syscall.ETIME
	case <-done:
		return remainingOf(timeout, start), Interrupted(ctx)
	}
}

func remainingOf(timeout time.Duration, start time.Time) time.Duration {
	if timeout == Forever {
		return Forever
	}
	return max(timeout-time.Since(start), 0)
}

// Interrupted is the error every headway wait returns when ctx ends first:
// it matches both ERESTARTSYS, as the kernel reports an interrupted wait,
// and ctx.Err(), so callers can tell cancellation from a deadline.
func Interrupted(ctx context.Context) error {
	return fmt.Errorf("wait interrupted: %w", errors.Join(ERESTARTSYS, ctx.Err()))
}

// WaitAny waits until at least one of fences signals and returns the
// index of the first signalled one in slice order
// (dma_fence_wait_any_timeout). It works for every kind of fence, custom
// waits included, because it relies only on callbacks. Errors are as for
// Wait; an empty slice or a nil fence is EINVAL.
func WaitAny(ctx context.Context, fences []*Fence, timeout time.Duration) (idx int, remaining time.Duration, err error) {
	if len(fences) == 0 || timeout < 0 {
		return -1, 0, fmt.Errorf("wait any of %d fences, timeout %v: %w", len(fences), timeout, syscall.EINVAL)
	}
	for i, f := range fences {
		if f == nil {
			return -1, 0, fmt.Errorf("wait any: fence %d is nil: %w", i, syscall.EINVAL)
		}
	}
	if timeout == 0 {
		for i, f := range fences {
			if f.IsSignaled() {
				return i, 0, nil
			}
		}
		return -1, 0, syscall.ETIME
	}
	w := newWaiter(1)
	cbs := make([]Callback, len(fences))
	defer func() {
		for i, f := range fences {
			f.RemoveCallback(&cbs[i])
		}
	}()
	wake := w.wake // one method value for all the registrations
	for i, f := range fences {
		if err := f.AddCallback(&cbs[i], wake); err != nil {
			return i, timeout, nil
		}
	}
	remaining, err = w.wait(ctx, timeout)
	for i, f := range fences {
		if f.IsSignaled() {
			return i, remaining, nil
		}
	}
	if err == nil {
		err = fmt.Errorf("wait any: woken with no fence signalled: %w", syscall.EIO)
	}
	return -1, remaining, err
}

// WaitAll waits until every fence has signalled. Errors are as for Wait; a
// CustomWaiter's error ends the wait and is returned.
func WaitAll(ctx context.Context, fences []*Fence, timeout time.Duration) (remaining time.Duration, err error) {
	if timeout < 0 {
		return 0, fmt.Errorf("wait all, timeout %v: %w", timeout, syscall.EINVAL)
	}
	remaining = timeout
	for i, f := range fences {
		if f == nil {
			return 0, fmt.Errorf("wait all: fence %d is nil: %w", i, syscall.EINVAL)
		}
		if remaining, err = f.Wait(ctx, remaining); err != nil {
			return remaining, err
		}
	}
	return remaining, nil
}
