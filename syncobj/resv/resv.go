package resv

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/headwaywl/headway/syncobj/fence"
)

// Usage is enum dma_resv_usage: how a fence uses the buffer. Lower values
// are stronger, and asking for a usage includes every stronger one.
type Usage int

const (
	// Kernel is for the kernel's own memory management (moves, clears):
	// everyone waits for it.
	Kernel Usage = iota
	// Write is implicit-sync writing: readers and writers wait for it.
	Write
	// Read is implicit-sync reading: writers wait for it.
	Read
	// Bookkeep is for fences no implicit sync waits for (explicitly
	// synced submissions, preemption fences); only memory management
	// asks for it.
	Bookkeep
)

func (u Usage) String() string {
	switch u {
	case Kernel:
		return "kernel"
	case Write:
		return "write"
	case Read:
		return "read"
	case Bookkeep:
		return "bookkeep"
	}
	return fmt.Sprintf("usage(%d)", int(u))
}

func (u Usage) valid() bool { return u >= Kernel && u <= Bookkeep }

type entry struct {
	f     *fence.Fence
	usage Usage
}

// Object is a dma_resv.
type Object struct {
	ww     sync.Mutex // the ww_mutex stand-in, held by callers across AddFence
	locked atomic.Bool

	mu      sync.Mutex // guards entries for the short copy the readers take
	entries []entry
}

// New returns an empty reservation object.
func New() *Object { return &Object{} }

// Lock takes the reservation lock (dma_resv_lock).
func (o *Object) Lock() {
	o.ww.Lock()
	o.locked.Store(true)
}

// TryLock takes the lock if it is free (dma_resv_trylock), for reclaim
// paths that must skip busy objects.
func (o *Object) TryLock() bool {
	if !o.ww.TryLock() {
		return false
	}
	o.locked.Store(true)
	return true
}

// Unlock releases the lock. Unlocking an unlocked object is a bug the
// kernel's lockdep would report; here it is logged and ignored rather
// than crashing the program, as sync.Mutex would.
func (o *Object) Unlock() {
	if !o.locked.CompareAndSwap(true, false) {
		slog.Warn("dma_resv unlock without the lock held")
		return
	}
	o.ww.Unlock()
}

// AddFence adds f with usage, as dma_resv_reserve_fences (which prunes
// signalled fences) followed by dma_resv_add_fence. The object must be
// locked. Containers (arrays, chains) are refused: the kernel WARNs and
// wants their fences added one by one, because a container hides their
// contexts from the slot reuse.
func (o *Object) AddFence(f *fence.Fence, usage Usage) error {
	if err := o.checkUpdate("add fence", f, usage); err != nil {
		return err
	}
	if _, ok := f.Ops().(fence.Container); ok {
		return fmt.Errorf("dma_resv add %v: container fence, add its fences one by one: %w", f, syscall.EINVAL)
	}
	f.Get()
	o.mu.Lock()
	var dropped []*fence.Fence
	kept := o.entries[:0]
	for _, e := range o.entries {
		if e.f.IsSignaled() {
			dropped = append(dropped, e.f)
			continue
		}
		kept = append(kept, e)
	}
	clear(o.entries[len(kept):])
	o.entries = kept
	replaced := false
	for i, e := range o.entries {
		if (e.f.Context() == f.Context() && e.usage >= usage) || e.f.IsSignaled() {
			dropped = append(dropped, e.f)
			o.entries[i] = entry{f, usage}
			replaced = true
			break
		}
	}
	if !replaced {
		o.entries = append(o.entries, entry{f, usage})
	}
	o.mu.Unlock()
	for _, d := range dropped {
		d.Put()
	}
	return nil
}

// Replace puts f, with usage, in every slot holding a fence of context ctx
// (dma_resv_replace_fences): only valid when the replaced operations can no
// longer touch the buffer once f signals, e.g. a preemption fence replaced
// by the page-table update that unmaps the buffer. The object must be
// locked.
func (o *Object) Replace(ctx *fence.Context, f *fence.Fence, usage Usage) error {
	if ctx == nil {
		return fmt.Errorf("dma_resv replace: nil context: %w", syscall.EINVAL)
	}
	if err := o.checkUpdate("replace", f, usage); err != nil {
		return err
	}
	o.mu.Lock()
	var dropped []*fence.Fence
	for i, e := range o.entries {
		if e.f.Context() != ctx {
			continue
		}
		dropped = append(dropped, e.f)
		o.entries[i] = entry{f.Get(), usage}
	}
	o.mu.Unlock()
	for _, d := range dropped {
		d.Put()
	}
	return nil
}

func (o *Object) checkUpdate(op string, f *fence.Fence, usage Usage) error {
	if f == nil {
		return fmt.Errorf("dma_resv %s: nil fence: %w", op, syscall.EINVAL)
	}
	if !usage.valid() {
		return fmt.Errorf("dma_resv %s %v: bad usage %v: %w", op, f, usage, syscall.EINVAL)
	}
	if !o.locked.Load() {
		return fmt.Errorf("dma_resv %s %v: reservation not locked: %w", op, f, syscall.EPERM)
	}
	return nil
}

// snapshot returns the unsignalled fences of usage or stronger, each with
// a reference, in slot order: the kernel's unlocked iterator.
func (o *Object) snapshot(usage Usage) []*fence.Fence {
	return o.snapshotInto(nil, usage)
}

// snapshotInto is snapshot appending to out. When out has too little room
// it allocates once, for every slot, rather than growing step by step.
func (o *Object) snapshotInto(out []*fence.Fence, usage Usage) []*fence.Fence {
	o.mu.Lock()
	if n := len(o.entries); cap(out)-len(out) < n {
		out = append(make([]*fence.Fence, 0, len(out)+n), out...)
	}
	for _, e := range o.entries {
		if e.usage <= usage && !e.f.IsSignaled() {
			out = append(out, e.f.Get())
		}
	}
	o.mu.Unlock()
	return out
}

// Fences returns the unsignalled fences whose usage is usage or stronger
// (dma_resv_get_fences): asking for Read gives the Kernel, Write and Read
// fences. Each comes with a reference the caller must Put. A usage beyond
// Bookkeep asks for everything, a negative one for nothing.
func (o *Object) Fences(usage Usage) []*fence.Fence {
	return o.snapshot(usage)
}

// Wait waits for every fence of usage or stronger (dma_resv_wait_timeout),
// one after the other within one overall timeout. Errors are the fence
// waits': ETIME when the time ran out, ERESTARTSYS when ctx was cancelled.
// A zero timeout is a status query; unlike the kernel, which turns a zero
// timeout into one jiffy per fence, it never sleeps. The fences' own
// errors do not matter: a fence that failed has still finished.
func (o *Object) Wait(ctx context.Context, usage Usage, timeout time.Duration) error {
	fs := o.snapshot(usage)
	defer func() {
		for _, f := range fs {
			f.Put()
		}
	}()
	remaining := timeout
	for _, f := range fs {
		var err error
		remaining, err = f.Wait(ctx, remaining)
		if err != nil {
			return fmt.Errorf("dma_resv wait %v: %w", usage, err)
		}
	}
	return nil
}

// Test reports whether every fence of usage or stronger has signalled
// (dma_resv_test_signaled).
func (o *Object) Test(usage Usage) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, e := range o.entries {
		if e.usage <= usage && !e.f.IsSignaled() {
			return false
		}
	}
	return true
}
