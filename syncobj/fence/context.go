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
	wrap := uses32BitSeqno(f.ops)
	for {
		cur := c.last.Load()
		if cur != 0 {
			prev := cur - 1
			if seqnoLater(wrap, prev, f.seqno) {
				warn(WarnOutOfOrder, f, fmt.Sprintf("seqno %d signalled after seqno %d on the same context", f.seqno, prev))
				return
			}
			if prev == f.seqno {
				return
			}
		}
		if c.last.CompareAndSwap(cur, f.seqno+1) {
			return
		}
	}
}

// passed reports whether a seqno later than seqno has signalled on c.
func (c *Context) passed(ops Ops, seqno uint64) bool {
	cur := c.last.Load()
	return cur != 0 && seqnoLater(uses32BitSeqno(ops), cur-1, seqno)
}

// Seqno32 is implemented by the ops of fences whose seqnos are 32-bit
// counters that wrap, as the kernel's dma_fence_ops without
// use_64bit_seqno (sw_sync's). Their seqnos compare with the kernel's
// wrapping rule everywhere: in IsLater and in the order check.
type Seqno32 interface {
	Seqno32() bool
}

func uses32BitSeqno(ops Ops) bool {
	s, ok := ops.(Seqno32)
	return ok && s.Seqno32()
}

// seqnoLater is __dma_fence_is_later: whether a comes after b.
func seqnoLater(wrap bool, a, b uint64) bool {
	if wrap {
		return int32(uint32(a)-uint32(b)) > 0
	}
	return a > b
}

// IsLater is dma_fence_is_later for two fences of one context: whether a
// comes after b. For Seqno32 fences only the low 32 bits count, and a is
// later when (int32)(a - b) > 0; every other fence compares as a plain
// 64-bit number.
func IsLater(a, b *Fence) bool {
	return seqnoLater(uses32BitSeqno(a.ops), a.seqno, b.seqno)
}
