package shmtimeline

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"

	"github.com/headwaywl/headway/syncobj/fence"
)

// recheck caps one sleep (ns), of a shard or of a direct wait. Wakes
// cannot be lost between honest peers (see bumpAndWake), so this only
// bounds how long a hostile or buggy peer that changes the value without
// moving the futex word can delay a wait that has no deadline of its own.
// Tests raise it so that a lost wake hangs instead of hiding behind it.
var recheck atomic.Int64

const defaultRecheckNs = int64(1e9)

func init() { recheck.Store(defaultRecheckNs) }

// perShard is how many timelines one shard sleeps on: futex_waitv takes
// at most 128 words and one is the shard's own kick word.
const perShard = maxWaitv - 1

var (
	shardsMu sync.Mutex
	shards   []*shard
)

// shard is one waiter goroutine and the timelines it sleeps on. A process
// has one shard per 127 timelines that have blocking waits, so the OS
// threads parked in futex_waitv scale with timelines, not waiters.
type shard struct {
	assigned int // timelines whose t.shard is this one; under shardsMu

	mu      sync.Mutex
	running bool
	tls     map[*Timeline]map[*waiter]struct{}

	// kick is a private futex word in Go memory (heap objects do not
	// move): registrations and Close bump it so a sleeping shard rescans.
	kick uint32
	ws   [maxWaitv]futexWaitv // only the run goroutine touches it
	fin  []finished           // run's scratch list, reused
}

type finished struct {
	w   *waiter
	err error
}

type waiter struct {
	point    uint64
	deadline int64
	done     chan error // buffered: the shard never blocks on it
}

func (t *Timeline) shardOf() *shard {
	shardsMu.Lock()
	defer shardsMu.Unlock()
	return t.shard
}

func (t *Timeline) assignShard() *shard {
	shardsMu.Lock()
	defer shardsMu.Unlock()
	if t.shard != nil {
		return t.shard
	}
	var s *shard
	for _, c := range shards {
		if c.assigned < perShard {
			s = c
			break
		}
	}
	if s == nil {
		s = &shard{tls: make(map[*Timeline]map[*waiter]struct{})}
		shards = append(shards, s)
	}
	s.assigned++
	t.shard = s
	return s
}

// Wait blocks until the timeline reaches point. deadlineNsec is absolute
// CLOCK_MONOTONIC (fence.Now()); a deadline already past makes Wait a
// status query. Results: nil when signalled; bare ETIME at the deadline;
// ERESTARTSYS joined with ctx.Err() when ctx ends first (a nil ctx cannot
// be interrupted); ENOENT when the timeline was abandoned with point
// unsignalled; EINVAL when the page is corrupt; EBADF when this mapping
// is closed meanwhile.
func (t *Timeline) Wait(ctx context.Context, point uint64, deadlineNsec int64) error {
	t.mu.RLock()
	if t.gone() {
		t.mu.RUnlock()
		return errClosed("wait")
	}
	v, dead, err := t.load()
	switch {
	case err != nil:
		t.mu.RUnlock()
		return err
	case v >= point:
		t.mu.RUnlock()
		return nil
	case dead != 0:
		t.mu.RUnlock()
		return errAbandoned(point, dead)
	case deadlineNsec <= fence.Now():
		t.mu.RUnlock()
		return syscall.ETIME
	}
	if slot, ok := tryDirect(); ok {
		return t.waitDirect(ctx, slot, point, deadlineNsec)
	}
	s := t.assignShard()
	w := &waiter{point: point, deadline: deadlineNsec, done: make(chan error, 1)}
	s.add(t, w)
	t.mu.RUnlock()
	return s.await(ctx, t, w)
}

// await parks the caller until the shard finishes w or ctx ends.
func (s *shard) await(ctx context.Context, t *Timeline, w *waiter) error {
	var cancel <-chan struct{}
	if ctx != nil {
		cancel = ctx.Done()
	}
	select {
	case err := <-w.done:
		return err
	case <-cancel:
		if s.remove(t, w) {
			return fmt.Errorf("shmtimeline: wait for %d: %w", w.point, fence.Interrupted(ctx))
		}
		// The shard finished the wait first; its result stands.
		return <-w.done
	}
}

func errAbandoned(point uint64, errno syscall.Errno) error {
	return fmt.Errorf("shmtimeline: timeline abandoned before point %d: %w", point, errno)
}

// add registers w; the caller holds t.mu for reading, so the page is
// mapped while the sleeper count is raised.
func (s *shard) add(t *Timeline, w *waiter) {
	s.mu.Lock()
	set := s.tls[t]
	if set == nil {
		set = make(map[*waiter]struct{})
		s.tls[t] = set
		atomic.AddUint32(t.u32(offSleepers), 1)
	}
	set[w] = struct{}{}
	if !s.running {
		s.running = true
		go s.run()
	}
	atomic.AddUint32(&s.kick, 1)
	s.mu.Unlock()
	futexWakePrivate(&s.kick)
}

// remove withdraws w and reports whether it was still pending; false
// means the shard or Close finished it and its result is in w.done. The
// sleeper count is dropped here, with the page held mapped by t.mu, so a
// withdrawn last wait leaves no trace on the page.
func (s *shard) remove(t *Timeline, w *waiter) bool {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.gone() {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	set := s.tls[t]
	if _, ok := set[w]; !ok {
		return false
	}
	delete(set, w)
	if len(set) == 0 {
		delete(s.tls, t)
		atomic.AddUint32(t.u32(offSleepers), ^uint32(0))
	}
	return true
}

// drop is Close's half: it fails t's waits with EBADF and forgets t
// before the page is unmapped. The caller holds t.mu for writing.
func (s *shard) drop(t *Timeline) {
	s.mu.Lock()
	if set, ok := s.tls[t]; ok {
		for w := range set {
			w.done <- errClosed("wait")
		}
		delete(s.tls, t)
		atomic.AddUint32(t.u32(offSleepers), ^uint32(0))
	}
	// The run loop may be asleep on t's futex word; the kick makes it
	// rescan without t before it could touch the unmapped page.
	atomic.AddUint32(&s.kick, 1)
	s.mu.Unlock()
	futexWakePrivate(&s.kick)

	shardsMu.Lock()
	s.assigned--
	t.shard = nil
	shardsMu.Unlock()
}

// run is the shard's waiter goroutine: check every wait, then sleep on
// all futex words at once until one moves, the kick, or the earliest
// deadline. Each futex word is read before the value it guards, so a
// signal landing in between fails the sleep with EAGAIN rather than
// being missed. The goroutine exits when no wait is left.
func (s *shard) run() {
	for {
		s.mu.Lock()
		now := fence.Now()
		wake := now + recheck.Load()
		n := 0
		for t, set := range s.tls {
			seq := atomic.LoadUint32(t.u32(offSeq))
			v, dead, err := t.load()
			s.fin = s.fin[:0]
			for w := range set {
				var res error
				switch {
				case err != nil:
					res = err
				case v >= w.point:
					res = nil
				case dead != 0:
					res = errAbandoned(w.point, dead)
				case w.deadline <= now:
					res = syscall.ETIME
				default:
					wake = min(wake, w.deadline)
					continue
				}
				delete(set, w)
				s.fin = append(s.fin, finished{w, res})
			}
			empty := len(set) == 0
			if empty {
				// Before the results go out, so a returned wait
				// finds the page's sleeper count already settled.
				delete(s.tls, t)
				atomic.AddUint32(t.u32(offSleepers), ^uint32(0))
			}
			for _, f := range s.fin {
				f.w.done <- f.err
			}
			clear(s.fin) // drop references to finished waiters
			if empty {
				continue
			}
			s.ws[n] = futexWaitv{val: uint64(seq), uaddr: uint64(uintptr(unsafe.Pointer(t.u32(offSeq)))), flags: futex2SizeU32}
			n++
		}
		if len(s.tls) == 0 {
			s.running = false
			s.mu.Unlock()
			return
		}
		s.ws[n] = futexWaitv{val: uint64(atomic.LoadUint32(&s.kick)), uaddr: uint64(uintptr(unsafe.Pointer(&s.kick))), flags: futex2SizeU32 | futex2Private}
		n++
		s.mu.Unlock()
		if futexWaitvAbs(s.ws[:n], wake) == syscall.ENOSYS {
			// Kernels before 5.16: degrade to rechecking every
			// millisecond, woken early only by the kick.
			futexWaitPrivate(&s.kick, uint32(s.ws[n-1].val), min(wake-now, int64(1e6)))
		}
	}
}
