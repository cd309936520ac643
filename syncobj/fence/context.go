package fence

import (
	"fmt"
	"sync/atomic"
	"syscall"
)

// Context is a dma_fence context: a timeline on which fences are fully
// ordered by seqno. Each records the highest seqno signalled on it so that
// a fence signalling behind a later one is reported.
type Context struct {
	id   uint64
	last atomic.Uint64 // highest signalled seqno + 1; 0 while none has signalled
}

var nextContextID atomic.Uint64

// AllocContext returns one fresh context.
func AllocContext() *Context {
	return &Context{id: nextContextID.Add(1)}
}

// AllocContexts returns num fresh contexts with consecutive ids, like
// dma_fence_context_alloc. Asking for none is EINVAL (a WARN in the
// kernel).
func AllocContexts(num int) ([]*Context, error) {
	if num <= 0 {
		warn(WarnZeroContexts, nil, fmt.Sprintf("asked for %d contexts", num))
		return nil, fmt.Errorf("allocate %d fence contexts: %w", num, syscall.EINVAL)
	}
	last := nextContextID.Add(uint64(num))
	cs := make([]*Context, num)
	for i := range cs {
		cs[i] = &Context{id: last - uint64(num) + 1 + uint64(i)}
	}
	return cs, nil
}

// ID returns the context's number.
func (c *Context) ID() uint64 { return c.id }

// signaled records f's signal and reports an order violation: a fence
// signalling after a later seqno on its context already has.
func (c *Context) signaled(f *Fence) {
	if c == stubContext || f.state.Load()&flagBornLate != 0 {
		return
	}
	next := f.seqno + 1
	for {
		cur := c.last.Load()
		if cur > next {
			warn(WarnOutOfOrder, f, fmt.Sprintf("seqno %d signalled after seqno %d on the same context", f.seqno, cur-1))
			return
		}
		if cur == next || c.last.CompareAndSwap(cur, next) {
			return
		}
	}
}
