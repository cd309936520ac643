package drmsyncobj

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/headwaywl/headway/syncobj/chain"
	"github.com/headwaywl/headway/syncobj/fence"
)

// CREATE flags.
const (
	CreateSignaled = 1 << 0
)

// WAIT and TIMELINE_WAIT flags (WaitAvailable: TIMELINE_WAIT and EVENTFD
// only).
const (
	WaitAll       = 1 << 0
	WaitForSubmit = 1 << 1
	WaitAvailable = 1 << 2
	WaitDeadline  = 1 << 3
)

// QUERY flags.
const (
	QueryLastSubmitted = 1 << 0
)

// TRANSFER flags: the kernel passes them to drm_syncobj_find_fence, which
// only looks at DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT; other bits are
// ignored, not refused.
const (
	TransferWaitForSubmit = 1 << 1
)

// waitForSubmitTimeout is DRM_SYNCOBJ_WAIT_FOR_SUBMIT_TIMEOUT, the cap on
// how long FindFence (and TRANSFER) wait for a fence to appear.
const waitForSubmitTimeout = 5 * time.Second

// stub is dma_fence_get_stub(): the shared signalled fence handed out when
// a point has signalled and its chain link is gone. This package keeps one
// reference forever, so Put never releases it.
var stub = fence.NewSignaled()

// Syncobj is one drm_syncobj: a replaceable pointer to a fence (nil, a
// plain fence, or the head of a timeline chain), plus the waiters that want
// to hear when a fence for their point shows up. It is safe for concurrent
// use, and the zero value is a syncobj without a fence.
type Syncobj struct {
	mu      sync.Mutex
	fence   *fence.Fence // one reference owned by the syncobj
	waiters waitEntry    // sentinel of the FOR_SUBMIT/AVAILABLE waiter list (cb_list)
	evfds   []*eventfdEntry
	handles atomic.Int32 // handles naming it in any File
}

// NewSyncobj returns a syncobj with no fence, or with a signalled stub
// fence when signaled is true (DRM_SYNCOBJ_CREATE_SIGNALED).
func NewSyncobj(signaled bool) *Syncobj {
	s := &Syncobj{}
	if signaled {
		s.ReplaceFence(fence.NewSignaled())
	}
	return s
}

// Fence returns the current fence, or nil. It is a snapshot: no reference
// is taken for the caller, and a later replace does not change it.
func (s *Syncobj) Fence() *fence.Fence {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fence
}

// fenceRef returns a new reference to the current fence (drm_syncobj_fence_get).
func (s *Syncobj) fenceRef() *fence.Fence {
	s.mu.Lock()
	f := s.fence
	if f != nil {
		f.Get()
	}
	s.mu.Unlock()
	return f
}

// ReplaceFence installs f (nil resets), as drm_syncobj_replace_fence: the
// syncobj takes its own reference, and when the pointer really changes,
// waiters for submission and eventfds re-examine it. A reset leaves them
// waiting, which is why FOR_SUBMIT waits survive a reset.
func (s *Syncobj) ReplaceFence(f *fence.Fence) {
	if f != nil {
		f.Get()
	}
	s.mu.Lock()
	old := s.fence
	s.fence = f
	var fire []*eventfdEntry
	if f != old {
		s.wakeWaitersLocked()
		fire = s.runEventfdsLocked()
	}
	s.mu.Unlock()
	signalEventfds(fire)
	if old != nil {
		old.Put()
	}
}

// AddPoint appends a timeline point holding f, as drm_syncobj_add_point:
// a chain node after the current fence becomes the syncobj's fence. A
// point at or below the current head starts a new chain timeline (the
// kernel logs it at debug level); QUERY then stops at it.
func (s *Syncobj) AddPoint(point uint64, f *fence.Fence) {
	if f == nil {
		f = stub // a nil fence cannot be chained; treat it as already signalled
	}
	f.Get()
	s.mu.Lock()
	prev := s.fence
	if prev != nil && prev.Seqno() >= point {
		slog.Debug("syncobj: adding an unordered point to a timeline", "point", point, "head", prev.Seqno())
	}
	if prev != nil {
		prev.Get() // the chain's reference; the syncobj's own one is dropped below
	}
	s.fence = chain.New(prev, f, point)
	s.wakeWaitersLocked()
	fire := s.runEventfdsLocked()
	s.mu.Unlock()
	signalEventfds(fire)

	if prev != nil {
		// Walk the chain once so signalled links are collected now rather
		// than by the next waiter, as the kernel does.
		for it := prev.Get(); it != nil; {
			next := chain.Walk(it)
			it.Put()
			it = next
		}
		prev.Put()
	}
}

// FindFence returns a new reference to the fence for point (0: the
// current fence), as drm_syncobj_find_fence. A point that has signalled
// and been collected yields a signalled stub. Without WaitForSubmit a
// missing fence or point is EINVAL; with it, FindFence waits up to five
// seconds for one to be attached, then fails with ETIME.
func (s *Syncobj) FindFence(point uint64, flags uint32) (*fence.Fence, error) {
	if f, ok := s.lookupPoint(point); ok {
		return f, nil
	}
	if flags&WaitForSubmit == 0 {
		return nil, errorf(errEINVAL, "find fence for point %d: no fence", point)
	}
	w := &waitEntry{point: point, wake: make(chan struct{}, 1)}
	s.addWait(w)
	defer s.removeWait(w)
	t := time.NewTimer(waitForSubmitTimeout)
	defer t.Stop()
	for {
		if f := w.fence.Load(); f != nil {
			return f, nil
		}
		select {
		case <-w.wake:
		case <-t.C:
			if f := w.fence.Load(); f != nil {
				return f, nil
			}
			return nil, errorf(errETIME, "find fence for point %d: nothing submitted within %v", point, waitForSubmitTimeout)
		}
	}
}

// lookupPoint resolves point against the current fence without waiting:
// a new reference, or false when there is no fence for the point yet.
func (s *Syncobj) lookupPoint(point uint64) (*fence.Fence, bool) {
	head := s.fenceRef()
	if head == nil {
		return nil, false
	}
	f, ok := chain.FindSeqnoFast(head, point)
	head.Put()
	if !ok {
		return nil, false
	}
	if f == nil {
		f = stub.Get()
	}
	return f, true
}

// waitEntry is struct syncobj_wait_entry: one syncobj of one wait.
type waitEntry struct {
	prev, next *waitEntry // on the syncobj's waiter list while waiting for a fence
	point      uint64
	fence      atomic.Pointer[fence.Fence] // set once, with a reference the entry owns
	cb         fence.Callback
	cbSet      bool
	wake       chan struct{} // shared by all entries of one wait
}

func (w *waitEntry) poke() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// resolveLocked is syncobj_wait_syncobj_func: with s.mu held, give w the
// fence for its point if there is one now, and take it off the list.
func (s *Syncobj) resolveLocked(w *waitEntry) bool {
	head := s.fence
	if head == nil {
		return false
	}
	head.Get()
	f, ok := chain.FindSeqnoFast(head, w.point)
	head.Put()
	if !ok {
		return false
	}
	if f == nil {
		f = stub.Get()
	}
	w.fence.Store(f)
	w.poke()
	return true
}

// initLocked makes the zero Syncobj usable: its waiter list starts empty.
func (s *Syncobj) initLocked() {
	if s.waiters.next == nil {
		s.waiters.next, s.waiters.prev = &s.waiters, &s.waiters
	}
}

func (s *Syncobj) wakeWaitersLocked() {
	s.initLocked()
	for w := s.waiters.next; w != &s.waiters; {
		next := w.next
		if s.resolveLocked(w) {
			w.unlinkLocked()
		}
		w = next
	}
}

func (w *waitEntry) unlinkLocked() {
	w.prev.next = w.next
	w.next.prev = w.prev
	w.prev, w.next = nil, nil
}

// addWait is drm_syncobj_fence_add_wait: resolve now under the lock, or
// queue for the next replace or add_point.
func (s *Syncobj) addWait(w *waitEntry) {
	if w.fence.Load() != nil {
		return
	}
	s.mu.Lock()
	s.initLocked()
	if !s.resolveLocked(w) {
		w.prev, w.next = s.waiters.prev, &s.waiters
		s.waiters.prev.next = w
		s.waiters.prev = w
	}
	s.mu.Unlock()
}

func (s *Syncobj) removeWait(w *waitEntry) {
	s.mu.Lock()
	if w.next != nil {
		w.unlinkLocked()
	}
	s.mu.Unlock()
}
