package shmtimeline

import (
	"context"
	"fmt"
	"sync/atomic"
	"syscall"
	"unsafe"

	"github.com/headwaywl/headway/syncobj/fence"
)

// directSlots bounds the waits that sleep in futex_waitv on their own OS
// thread instead of going through a shard. A direct wait is woken by the
// kernel straight into the waiting goroutine, the latency of a bare futex;
// a shard adds a goroutine hand-off. Bounding them keeps the thread count
// constant however many waits are pending: the overflow goes to shards.
const directSlots = 4

var (
	// slotFree hands out slot indexes; a slot's cancel word is a private
	// futex in a global (globals never move), bumped by ctx cancellation
	// and by Close so the sleeping thread rechecks.
	slotFree     = make(chan int, directSlots)
	slotCancel   [directSlots]uint32
	slotOwner    [directSlots]atomic.Pointer[Timeline]
	noFutexWaitv atomic.Bool
)

func init() {
	for i := range directSlots {
		slotFree <- i
	}
}

// tryDirect claims a slot without blocking.
func tryDirect() (int, bool) {
	if noFutexWaitv.Load() {
		return 0, false
	}
	select {
	case i := <-slotFree:
		return i, true
	default:
		return 0, false
	}
}

// waitDirect runs a wait on the calling goroutine's thread. The caller
// holds t.mu for reading and has checked the fast path; waitDirect
// releases it. Each sleep covers the page's futex word and the slot's
// cancel word, both read under t.mu before the page value is checked,
// so neither a signal nor a cancel nor a Close can slip in unseen.
func (t *Timeline) waitDirect(ctx context.Context, slot int, point uint64, deadline int64) error {
	slotOwner[slot].Store(t)
	atomic.AddUint32(t.u32(offSleepers), 1)
	t.direct.Add(1)
	defer func() {
		slotOwner[slot].Store(nil)
		slotFree <- slot
	}()
	if ctx != nil && ctx.Done() != nil {
		stop := context.AfterFunc(ctx, func() { kickSlot(slot) })
		defer stop()
	}
	var ws [2]futexWaitv
	for {
		// t.mu is held (read) here on every iteration.
		res, done := t.checkDirect(ctx, point, deadline)
		if done {
			if !t.gone() {
				// Close has not taken over our sleeper count.
				atomic.AddUint32(t.u32(offSleepers), ^uint32(0))
				t.direct.Add(-1)
			}
			t.mu.RUnlock()
			return res
		}
		seqAddr := t.u32(offSeq)
		ws[0] = futexWaitv{val: uint64(atomic.LoadUint32(seqAddr)), uaddr: uint64(uintptr(unsafe.Pointer(seqAddr))), flags: futex2SizeU32}
		ws[1] = futexWaitv{val: uint64(atomic.LoadUint32(&slotCancel[slot])), uaddr: uint64(uintptr(unsafe.Pointer(&slotCancel[slot]))), flags: futex2SizeU32 | futex2Private}
		// Recheck the value after reading the futex word.
		if res, done := t.checkDirect(ctx, point, deadline); done {
			if !t.gone() {
				atomic.AddUint32(t.u32(offSleepers), ^uint32(0))
				t.direct.Add(-1)
			}
			t.mu.RUnlock()
			return res
		}
		t.mu.RUnlock()
		e := futexWaitvAbs(ws[:], min(deadline, fence.Now()+recheck.Load()))
		t.mu.RLock()
		if e == syscall.ENOSYS {
			// Cannot happen after the first probe; fall back to shards.
			noFutexWaitv.Store(true)
		}
		if noFutexWaitv.Load() && !t.gone() {
			atomic.AddUint32(t.u32(offSleepers), ^uint32(0))
			t.direct.Add(-1)
			s := t.assignShard()
			w := &waiter{point: point, deadline: deadline, done: make(chan error, 1)}
			s.add(t, w)
			t.mu.RUnlock()
			return s.await(ctx, t, w)
		}
	}
}

// checkDirect decides a direct wait; t.mu is held for reading.
func (t *Timeline) checkDirect(ctx context.Context, point uint64, deadline int64) (error, bool) {
	if t.gone() {
		return errClosed("wait"), true
	}
	v, dead, err := t.load()
	switch {
	case err != nil:
		return err, true
	case v >= point:
		return nil, true
	case dead != 0:
		return errAbandoned(point, dead), true
	case ctx != nil && ctx.Err() != nil:
		return fmt.Errorf("shmtimeline: wait for %d: %w", point, fence.Interrupted(ctx)), true
	case deadline <= fence.Now():
		return syscall.ETIME, true
	}
	return nil, false
}

func kickSlot(slot int) {
	atomic.AddUint32(&slotCancel[slot], 1)
	futexWakePrivate(&slotCancel[slot])
}

// closeDirect is Close's half for direct waits: take over their sleeper
// counts while the page is still mapped. The caller holds t.mu for
// writing; the waiters see t.closed after their wake (kickDirect).
func (t *Timeline) closeDirect() {
	if n := t.direct.Swap(0); n != 0 {
		atomic.AddUint32(t.u32(offSleepers), -uint32(n))
	}
}

// kickDirect wakes the direct waits of t after Close unmapped its page.
func (t *Timeline) kickDirect() {
	for i := range directSlots {
		if slotOwner[i].Load() == t {
			kickSlot(i)
		}
	}
}
