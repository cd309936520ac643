package swsync

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/headwaywl/headway/syncobj/fence"
	"github.com/headwaywl/headway/syncobj/syncfile"
)

// DriverName is the driver name of every sw_sync fence.
const DriverName = "sw_sync"

// Timeline is one sw_sync timeline. Create it with NewTimeline.
type Timeline struct {
	name string
	ctx  *fence.Context
	ops  *pointOps

	// sigMu serialises the passes that signal points (Inc and Close), so
	// that points signal in timeline order. It is taken before mu.
	sigMu sync.Mutex

	mu         sync.Mutex
	value      uint32            // the counter, as Inc leaves it
	head, tail *point            // pending points in timeline order
	byValue    map[uint32]*point // pending points by seqno, for reuse
	closed     bool

	// passed is value as of the end of the last completed signalling pass:
	// every pending point it has passed has signalled, so the Signaled hook
	// may use it without racing Inc.
	passed atomic.Uint32
}

// point is a sync_pt: a pending fence on the timeline's list.
type point struct {
	f          *fence.Fence
	seqno      uint32
	prev, next *point
}

// NewTimeline returns a timeline at value 0 on a fresh fence context. The
// name (what the kernel takes from the opener's comm) is cut to
// syncfile.NameMax bytes and shows as each fence's timeline name.
func NewTimeline(name string) *Timeline {
	if len(name) > syncfile.NameMax {
		name = name[:syncfile.NameMax]
	}
	t := &Timeline{name: name, ctx: fence.AllocContext(), byValue: make(map[uint32]*point)}
	t.ops = &pointOps{t: t}
	return t
}

// Name returns the timeline's name.
func (t *Timeline) Name() string {
	if t == nil {
		return ""
	}
	return t.name
}

// Context returns the fence context all of the timeline's points share.
func (t *Timeline) Context() *fence.Context {
	if t == nil {
		return nil
	}
	return t.ctx
}

// Value returns the counter. A nil timeline reads 0.
func (t *Timeline) Value() uint32 {
	if t == nil {
		return 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.value
}

// hasPassed is the kernel's timeline_fence_signaled: value has reached
// seqno in 32-bit wrapping order.
func hasPassed(seqno, value uint32) bool {
	return int32(seqno-value) <= 0
}

// CreateFence is SW_SYNC_IOC_CREATE_FENCE: a sync_file holding the point
// with seqno value. An unsignalled point with that seqno is reused; a value
// the timeline has passed gives a signalled fence. name is ignored, as by
// the kernel. A nil or closed timeline is EBADF.
func (t *Timeline) CreateFence(value uint32, name string) (*syncfile.File, error) {
	if t == nil {
		return nil, fmt.Errorf("sw_sync create fence %d: no timeline: %w", value, syscall.EBADF)
	}
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return nil, fmt.Errorf("sw_sync create fence %d on %q: timeline closed: %w", value, t.name, syscall.EBADF)
	}
	if p := t.byValue[value]; p != nil {
		sf := syncfile.New(p.f)
		t.mu.Unlock()
		return sf, nil
	}
	f := fence.New(t.ops, t.ctx, uint64(value))
	if hasPassed(value, t.value) {
		t.mu.Unlock()
		// Signalled at birth, as dma_fence_is_signaled_locked does in
		// sync_pt_create; it never joins the list.
		_ = f.Signal()
	} else {
		t.insert(&point{f: f, seqno: value})
		t.mu.Unlock()
	}
	sf := syncfile.New(f)
	f.Put() // the file holds the fence now; drop the creator's reference
	return sf, nil
}

// insert links p into the list in timeline order, searching from the tail
// because points are mostly created in increasing order. The comparison is
// the kernel's: the 32-bit difference of the seqnos, as a signed number.
func (t *Timeline) insert(p *point) {
	t.byValue[p.seqno] = p
	at := t.tail
	for at != nil && int32(p.seqno-at.seqno) < 0 {
		at = at.prev
	}
	// p goes right after at (at the head when at is nil).
	p.prev = at
	if at == nil {
		p.next = t.head
		t.head = p
	} else {
		p.next = at.next
		at.next = p
	}
	if p.next == nil {
		t.tail = p
	} else {
		p.next.prev = p
	}
}

// popPassed unlinks the points at the head of the list that the counter
// has passed, stopping at the first one it has not (sync_timeline_signal),
// and appends them to the chain first..last.
func (t *Timeline) popPassed(first, last *point) (*point, *point) {
	for t.head != nil && hasPassed(t.head.seqno, t.value) {
		p := t.head
		t.head = p.next
		if t.head == nil {
			t.tail = nil
		} else {
			t.head.prev = nil
		}
		delete(t.byValue, p.seqno)
		p.prev, p.next = nil, nil
		if last == nil {
			first = p
		} else {
			last.next = p
		}
		last = p
	}
	return first, last
}

// Inc is SW_SYNC_IOC_INC: it adds n to the counter, in steps of at most
// MaxInt32, and signals every pending point each step passes, in timeline
// order, before returning. A nil or closed timeline is EBADF.
func (t *Timeline) Inc(n uint32) error {
	if t == nil {
		return fmt.Errorf("sw_sync inc %d: no timeline: %w", n, syscall.EBADF)
	}
	t.sigMu.Lock()
	defer t.sigMu.Unlock()
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return fmt.Errorf("sw_sync inc %d on %q: timeline closed: %w", n, t.name, syscall.EBADF)
	}
	var first, last *point
	for n > math.MaxInt32 {
		t.value += math.MaxInt32
		first, last = t.popPassed(first, last)
		n -= math.MaxInt32
	}
	t.value += n
	first, last = t.popPassed(first, last)
	value := t.value
	t.mu.Unlock()

	// Signal outside mu so that callbacks may use the timeline; sigMu
	// keeps a concurrent Inc from signalling later points first.
	for p := first; p != nil; {
		next := p.next
		p.next = nil
		_ = p.f.Signal() // EINVAL only if someone signalled it directly already
		p = next
	}
	t.passed.Store(value)
	return nil
}

// Close is the release of the timeline's fd: every pending point gets
// error ENOENT and signals, in timeline order. Closing twice is EBADF.
func (t *Timeline) Close() error {
	if t == nil {
		return fmt.Errorf("sw_sync close: no timeline: %w", syscall.EBADF)
	}
	t.sigMu.Lock()
	defer t.sigMu.Unlock()
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return fmt.Errorf("sw_sync close %q: already closed: %w", t.name, syscall.EBADF)
	}
	t.closed = true
	first := t.head
	t.head, t.tail = nil, nil
	clear(t.byValue)
	t.mu.Unlock()

	for p := first; p != nil; {
		next := p.next
		p.prev, p.next = nil, nil
		if _, signalled := p.f.Timestamp(); !signalled {
			_ = p.f.SetError(syscall.ENOENT)
		}
		_ = p.f.Signal()
		p = next
	}
	return nil
}

// Pending returns how many points wait on the timeline, for tests and
// debugging (the kernel shows them in debugfs sync_info).
func (t *Timeline) Pending() int {
	if t == nil {
		return 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.byValue)
}

// pointOps is sw_sync's dma_fence_ops (timeline_fence_ops).
type pointOps struct{ t *Timeline }

func (o *pointOps) DriverName() string                 { return DriverName }
func (o *pointOps) TimelineName(f *fence.Fence) string { return o.t.name }

// EnableSignaling: sw_sync points always signal through Inc or Close.
func (o *pointOps) EnableSignaling(f *fence.Fence) bool { return true }

// Signaled reports whether the timeline has passed the point, using the
// value of the last completed pass (see Timeline.passed).
func (o *pointOps) Signaled(f *fence.Fence) bool {
	return hasPassed(uint32(f.Seqno()), o.t.passed.Load())
}

// Seqno32 tells the fence package that sw_sync seqnos wrap at 32 bits.
func (o *pointOps) Seqno32() bool { return true }
