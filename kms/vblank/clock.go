package vblank

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"syscall"
)

// Handler is called for every vblank, in sequence order, on the goroutine
// that delivers it. ts is the vblank's timestamp in ns. A handler must not
// block for long: it delays every later vblank's delivery.
type Handler func(seq uint64, ts int64)

// Clock is what the device needs from a vblank source.
type Clock interface {
	// Seq returns the sequence of the latest vblank (0 before the first).
	Seq() uint64
	// Timestamp returns the timestamp in ns of vblank seq, past or future.
	Timestamp(seq uint64) int64
	// Period returns the frame duration in ns.
	Period() int64
	// Subscribe registers h for every later vblank. The returned
	// Subscription cancels it.
	Subscribe(h Handler) *Subscription
	// Wait blocks until vblank seq has happened and returns its timestamp.
	Wait(ctx context.Context, seq uint64) (int64, error)
}

// Subscription is one registered handler.
type Subscription struct {
	h    Handler
	dead atomic.Bool
	c    *core
}

// Cancel unregisters the handler. No call starts after Cancel returns; a
// call already running on another goroutine finishes. Cancel is idempotent
// and may be called from inside the handler.
func (s *Subscription) Cancel() {
	if s == nil || s.dead.Swap(true) {
		return
	}
	s.c.unsubscribe(s)
}

// waiter is a parked Wait; its channel is reused across waits.
type waiter struct {
	target uint64
	ch     chan int64
}

// core holds what both clocks share: the sequence, subscribers, waiters
// and the serialized delivery loop.
type core struct {
	period int64
	origin int64 // timestamp of seq 0

	seq    atomic.Uint64 // latest delivered (started) vblank
	subs   atomic.Pointer[[]*Subscription]
	panics atomic.Uint64

	mu         sync.Mutex
	target     uint64 // highest sequence requested
	delivering bool
	stopped    bool
	waiters    []*waiter
	free       []*waiter
	subMu      sync.Mutex // serializes copy-on-write of subs
}

func (c *core) init(period, origin int64) {
	c.period = period
	c.origin = origin
	empty := []*Subscription{}
	c.subs.Store(&empty)
}

func (c *core) Seq() uint64 { return c.seq.Load() }

func (c *core) Period() int64 { return c.period }

func (c *core) Timestamp(seq uint64) int64 { return c.origin + int64(seq)*c.period }

// Panics returns how many handler panics were recovered.
func (c *core) Panics() uint64 { return c.panics.Load() }

func (c *core) Subscribe(h Handler) *Subscription {
	s := &Subscription{h: h, c: c}
	if h == nil {
		s.dead.Store(true)
		return s
	}
	c.subMu.Lock()
	old := *c.subs.Load()
	n := make([]*Subscription, len(old), len(old)+1)
	copy(n, old)
	n = append(n, s)
	c.subs.Store(&n)
	c.subMu.Unlock()
	return s
}

func (c *core) unsubscribe(s *Subscription) {
	c.subMu.Lock()
	old := *c.subs.Load()
	n := make([]*Subscription, 0, len(old))
	for _, o := range old {
		if o != s {
			n = append(n, o)
		}
	}
	c.subs.Store(&n)
	c.subMu.Unlock()
}

// advanceTo raises the target to seq and, unless another goroutine is
// already delivering, delivers every sequence up to the target in order.
func (c *core) advanceTo(seq uint64) {
	c.mu.Lock()
	if seq > c.target {
		c.target = seq
	}
	c.deliverLocked()
}

// advanceBy raises the target by n; see advanceTo.
func (c *core) advanceBy(n uint64) {
	c.mu.Lock()
	c.target += n
	c.deliverLocked()
}

// deliverLocked is called with mu held and returns with it released.
func (c *core) deliverLocked() {
	if c.stopped || c.delivering {
		c.mu.Unlock()
		return
	}
	c.delivering = true
	for !c.stopped && c.seq.Load() < c.target {
		s := c.seq.Load() + 1
		ts := c.Timestamp(s)
		c.seq.Store(s)
		c.wakeLocked(s)
		c.mu.Unlock()
		c.dispatch(s, ts)
		c.mu.Lock()
	}
	c.delivering = false
	c.mu.Unlock()
}

// wakeLocked releases every waiter whose target has been reached.
func (c *core) wakeLocked(s uint64) {
	for i := 0; i < len(c.waiters); {
		w := c.waiters[i]
		if w.target <= s {
			w.ch <- c.Timestamp(w.target) // cap 1, sent once per wait
			last := len(c.waiters) - 1
			c.waiters[i] = c.waiters[last]
			c.waiters[last] = nil
			c.waiters = c.waiters[:last]
			continue
		}
		i++
	}
}

func (c *core) dispatch(s uint64, ts int64) {
	for _, sub := range *c.subs.Load() {
		if !sub.dead.Load() {
			c.call(sub.h, s, ts)
		}
	}
}

func (c *core) call(h Handler, s uint64, ts int64) {
	defer func() {
		if r := recover(); r != nil {
			c.panics.Add(1)
			slog.Error("vblank: handler panicked", "seq", s, "panic", r)
		}
	}()
	h(s, ts)
}

// Wait blocks until vblank seq has happened and returns its timestamp. A
// sequence already reached returns at once. The context ending gives EINTR
// (wrapping the context's error too); a clock stopped under the waiter
// gives ECANCELED.
func (c *core) Wait(ctx context.Context, seq uint64) (int64, error) {
	if c.seq.Load() >= seq {
		return c.Timestamp(seq), nil
	}
	c.mu.Lock()
	if c.seq.Load() >= seq {
		c.mu.Unlock()
		return c.Timestamp(seq), nil
	}
	if c.stopped {
		c.mu.Unlock()
		return 0, fmt.Errorf("vblank: wait for sequence %d: clock stopped: %w", seq, syscall.ECANCELED)
	}
	var w *waiter
	if n := len(c.free); n > 0 {
		w = c.free[n-1]
		c.free[n-1] = nil
		c.free = c.free[:n-1]
	} else {
		w = &waiter{ch: make(chan int64, 1)}
	}
	w.target = seq
	c.waiters = append(c.waiters, w)
	c.mu.Unlock()

	select {
	case ts := <-w.ch:
		c.release(w)
		if ts == stoppedTS {
			return 0, fmt.Errorf("vblank: wait for sequence %d: clock stopped: %w", seq, syscall.ECANCELED)
		}
		return ts, nil
	case <-ctx.Done():
		c.mu.Lock()
		removed := false
		for i, o := range c.waiters {
			if o == w {
				last := len(c.waiters) - 1
				c.waiters[i] = c.waiters[last]
				c.waiters[last] = nil
				c.waiters = c.waiters[:last]
				removed = true
				break
			}
		}
		c.mu.Unlock()
		if !removed {
			// Woken concurrently: the value is in the channel.
			ts := <-w.ch
			c.release(w)
			if ts != stoppedTS {
				return ts, nil
			}
			return 0, fmt.Errorf("vblank: wait for sequence %d: clock stopped: %w", seq, syscall.ECANCELED)
		}
		c.release(w)
		return 0, fmt.Errorf("vblank: wait for sequence %d (at %d): %w (%w)", seq, c.seq.Load(), syscall.EINTR, ctx.Err())
	}
}

func (c *core) release(w *waiter) {
	c.mu.Lock()
	c.free = append(c.free, w)
	c.mu.Unlock()
}

// stop marks the clock stopped and releases every waiter with ECANCELED.
func (c *core) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return
	}
	c.stopped = true
	for i, w := range c.waiters {
		w.ch <- stoppedTS
		c.waiters[i] = nil
	}
	c.waiters = c.waiters[:0]
}

// stoppedTS marks a wake-up by stop; real timestamps are never negative
// (the virtual clock starts at 0, CLOCK_MONOTONIC is positive).
const stoppedTS = -1
