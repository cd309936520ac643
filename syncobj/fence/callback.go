package fence

import (
	"fmt"
	"syscall"
)

// Callback is a registration on a fence's callback list, like struct
// dma_fence_cb. The caller owns its memory, so registering allocates
// nothing; a Callback is reusable once it has run or been removed.
type Callback struct {
	fn         func(f *Fence, cb *Callback)
	prev, next *Callback
}

// AddCallback registers fn to run once when f signals, in the signaller's
// goroutine; fn must not block. On a fence that has already signalled it
// returns ENOENT and registers nothing: the caller handles "already done"
// itself. It never returns the fence's own error (a failed operation is a
// separate matter from a failed registration).
func (f *Fence) AddCallback(cb *Callback, fn func(f *Fence, cb *Callback)) error {
	if cb == nil || fn == nil {
		return fmt.Errorf("add callback to %v: nil callback: %w", f, syscall.EINVAL)
	}
	if f.state.Load()&flagSignaled != 0 {
		return errSignaled
	}
	f.EnableSignaling()
	f.mu.Lock()
	if f.state.Load()&flagSignaled != 0 {
		f.mu.Unlock()
		return errSignaled
	}
	if cb.prev != nil {
		f.mu.Unlock()
		return fmt.Errorf("add callback to %v: callback already registered: %w", f, syscall.EBUSY)
	}
	cb.fn = fn
	cb.prev, cb.next = f.cbs.prev, &f.cbs
	f.cbs.prev.next = cb
	f.cbs.prev = cb
	f.mu.Unlock()
	return nil
}

// errSignaled is returned as is, without context, because AddCallback sits
// on the wake-up path and the kernel's answer is the bare code.
var errSignaled error = syscall.ENOENT

// RemoveCallback unregisters cb and reports whether it was still
// registered; false means it has run or is running.
func (f *Fence) RemoveCallback(cb *Callback) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if cb.prev == nil {
		return false
	}
	cb.prev.next = cb.next
	cb.next.prev = cb.prev
	cb.prev, cb.next, cb.fn = nil, nil, nil
	return true
}
