package fence

import (
	"fmt"
	"iter"
	"sync/atomic"
	"syscall"
)

// NewArray returns a fence that stands for fences (dma_fence_array): it
// signals when all of them have, or with signalOnAny when the first one
// has. With signalling enabled (any wait or callback does it) it takes the
// first error among the fences that signalled before it; a merely polled
// array signals without one, as the kernel's does.
// The array watches its fences only once someone waits on it, as the
// kernel's does through enable_signaling.
func NewArray(fences []*Fence, ctx *Context, seqno uint64, signalOnAny bool) (*Fence, error) {
	if len(fences) == 0 {
		return nil, fmt.Errorf("fence array of no fences: %w", syscall.EINVAL)
	}
	for i, f := range fences {
		if f == nil {
			return nil, fmt.Errorf("fence array: fence %d is nil: %w", i, syscall.EINVAL)
		}
	}
	a := &arrayOps{fences: append([]*Fence(nil), fences...), any: signalOnAny}
	a.cbs = make([]Callback, len(fences))
	a.pending.Store(int32(len(fences)))
	if signalOnAny {
		a.pending.Store(1)
	}
	return New(a, ctx, seqno), nil
}

type arrayOps struct {
	fences  []*Fence
	any     bool
	cbs     []Callback
	pending atomic.Int32
}

func (*arrayOps) DriverName() string           { return "dma_fence_array" }
func (*arrayOps) TimelineName(f *Fence) string { return "unbound" }

// Children returns the fences the array stands for.
func (a *arrayOps) Children(f *Fence) []*Fence { return a.fences }

// Signaled is dma_fence_array_signaled. Once signalling is enabled the
// member callbacks keep the count and carry the errors, so only the count
// is read. Before that the members are polled, and, exactly as in the
// kernel, a polled array signals without an error even when members
// failed: the kernel clears its "pending error" marker and only member
// callbacks (enabled signalling) ever pass errors on.
func (a *arrayOps) Signaled(f *Fence) bool {
	pending := a.pending.Load()
	if f.state.Load()&flagEnableSignal != 0 {
		return pending <= 0
	}
	for _, c := range a.fences {
		if c.IsSignaled() {
			if pending--; pending <= 0 {
				return true
			}
		}
	}
	return false
}

// takeError passes a member's error on to the array: the first error
// among the members that finished before the array signalled wins, and
// members finishing afterwards change nothing (a signal-on-any array
// routinely sees its other members finish later, which is no misuse).
func (a *arrayOps) takeError(f, c *Fence) {
	f.setErrorIfPending(c.Error())
}

func (a *arrayOps) EnableSignaling(f *Fence) bool {
	for i, c := range a.fences {
		err := c.AddCallback(&a.cbs[i], func(c *Fence, cb *Callback) { a.childDone(f, c) })
		if err != nil { // already signalled
			a.childDone(f, c)
		}
	}
	return true
}

func (a *arrayOps) childDone(f, c *Fence) {
	a.takeError(f, c)
	if a.pending.Add(-1) == 0 {
		_ = f.Signal()
	}
}

// Unwrap returns the individual fences f stands for, flattening arrays and
// any other Container (timeline chains), in order; a plain fence unwraps to
// itself. It is what sync_file's info and merge see.
func Unwrap(f *Fence) []*Fence {
	var out []*Fence
	for l := range Leaves(f) {
		out = append(out, l)
	}
	return out
}

// MaxUnwrapDepth bounds how deep Leaves follows containers, so one that
// (wrongly) contains itself cannot recurse for ever; a container deeper
// than that counts as a leaf.
const MaxUnwrapDepth = 64

// Leaves yields what Unwrap returns without building a slice, for the
// callers that only count or inspect the fences (sync_file info, merge).
func Leaves(f *Fence) iter.Seq[*Fence] {
	return func(yield func(*Fence) bool) {
		leaves(f, 0, yield)
	}
}

func leaves(f *Fence, depth int, yield func(*Fence) bool) bool {
	c, ok := f.ops.(Container)
	if !ok || depth > MaxUnwrapDepth {
		return yield(f)
	}
	for _, ch := range c.Children(f) {
		// A Container must not report nil, but a bad one costs nothing here.
		if ch != nil && !leaves(ch, depth+1, yield) {
			return false
		}
	}
	return true
}
