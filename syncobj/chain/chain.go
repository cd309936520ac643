package chain

import (
	"fmt"
	"sync"
	"syscall"

	"github.com/headwaywl/headway/syncobj/fence"
)

// node is the driver side of one chain fence (struct dma_fence_chain).
type node struct {
	mu        sync.Mutex
	prev      *fence.Fence // guarded by mu; one reference owned by the node
	fence     *fence.Fence // the contained fence; one reference owned
	prevSeqno uint64
	timeline  *fence.Context
	self      *fence.Fence
	cb        fence.Callback // armed on one fence down the chain while someone waits
	released  bool           // guarded by mu
}

func nodeOf(f *fence.Fence) *node {
	if f == nil {
		return nil
	}
	n, _ := f.Ops().(*node)
	return n
}

// New creates a chain node for seqno wrapping f, after prev (nil starts a
// chain). It takes over one reference to prev and one to f; a nil f stands
// for an already signalled fence. The node
// continues prev's timeline when prev is a chain node and seqno is later;
// otherwise it starts a new timeline with seqno raised to prev's.
func New(prev, f *fence.Fence, seqno uint64) *fence.Fence {
	if f == nil {
		f = fence.NewSignaled() // a link must wrap something; nothing to wait for is a signalled stub
	}
	n := &node{prev: prev, fence: f}
	pn := nodeOf(prev)
	if pn != nil && seqno > prev.Seqno() {
		n.timeline = pn.timeline
		n.prevSeqno = prev.Seqno()
	} else {
		n.timeline = fence.AllocContext()
		if pn != nil {
			seqno = max(prev.Seqno(), seqno)
		}
	}
	// A context per node: see doc.go for why the timeline is kept apart.
	n.self = fence.New(n, nil, seqno)
	return n.self
}

// IsChain reports whether f is a chain node.
func IsChain(f *fence.Fence) bool { return nodeOf(f) != nil }

// Contained returns the fence a chain node wraps, or f itself when f is not
// a chain node (dma_fence_chain_contained).
func Contained(f *fence.Fence) *fence.Fence {
	if n := nodeOf(f); n != nil {
		return n.fence
	}
	return f
}

// PrevSeqno returns the seqno of the predecessor on the same timeline when
// the node was created, or 0 (a new timeline, or f is not a chain node).
func PrevSeqno(f *fence.Fence) uint64 {
	if n := nodeOf(f); n != nil {
		return n.prevSeqno
	}
	return 0
}

// Context returns the timeline a chain node belongs to: the kernel's
// fence->context of a chain node. For any other fence it is f.Context().
func Context(f *fence.Fence) *fence.Context {
	if n := nodeOf(f); n != nil {
		return n.timeline
	}
	return f.Context()
}

// prevRef returns a new reference to the node's predecessor, or nil.
func (n *node) prevRef() *fence.Fence {
	n.mu.Lock()
	p := n.prev
	if p != nil {
		p.Get()
	}
	n.mu.Unlock()
	return p
}

// Walk returns a new reference to the link after f, or nil at the end of
// the chain or when f is not a chain node (dma_fence_chain_walk). On the
// way it unhooks every following link whose fence has signalled, splicing
// in that link's predecessor. f itself is not consumed.
func Walk(f *fence.Fence) *fence.Fence {
	n := nodeOf(f)
	if n == nil {
		return nil
	}
	for {
		prev := n.prevRef()
		if prev == nil {
			return nil
		}
		var repl *fence.Fence
		if pn := nodeOf(prev); pn != nil {
			if !pn.fence.IsSignaled() {
				return prev
			}
			repl = pn.prevRef()
		} else if !prev.IsSignaled() {
			return prev
		}
		n.mu.Lock()
		swapped := n.prev == prev && !n.released
		if swapped {
			n.prev = repl // the node's reference to prev moves to us, repl's to the node
		}
		n.mu.Unlock()
		if swapped {
			prev.Put()
		} else if repl != nil {
			repl.Put()
		}
		prev.Put()
	}
}

// findSeqno is FindSeqno without the error value, for hot paths.
func findSeqno(head *fence.Fence, seqno uint64) (*fence.Fence, bool) {
	if seqno == 0 {
		return head.Get(), true
	}
	hn := nodeOf(head)
	if hn == nil || head.Seqno() < seqno {
		return nil, false
	}
	it := head.Get()
	for it != nil {
		in := nodeOf(it)
		if in == nil || in.timeline != hn.timeline || in.prevSeqno < seqno {
			break
		}
		next := Walk(it)
		it.Put()
		it = next
	}
	return it, true
}

// FindSeqno returns a new reference to the link of head's chain that will
// signal point seqno (dma_fence_chain_find_seqno). Seqno 0 returns head
// itself. A nil fence with a nil error means the point has signalled and
// its link has been collected. EINVAL: head is not a chain node or the
// timeline has not reached seqno yet.
func FindSeqno(head *fence.Fence, seqno uint64) (*fence.Fence, error) {
	if head == nil {
		return nil, fmt.Errorf("find seqno %d: no fence: %w", seqno, syscall.EINVAL)
	}
	f, ok := findSeqno(head, seqno)
	if !ok {
		return nil, fmt.Errorf("find seqno %d in %v: not a chain or point not submitted yet: %w", seqno, head, syscall.EINVAL)
	}
	return f, nil
}

// FindSeqnoFast is FindSeqno reporting failure as false instead of an
// error, so pollers that expect the failure do not allocate one.
func FindSeqnoFast(head *fence.Fence, seqno uint64) (*fence.Fence, bool) {
	if head == nil {
		return nil, false
	}
	return findSeqno(head, seqno)
}

func (*node) DriverName() string                 { return "dma_fence_chain" }
func (*node) TimelineName(f *fence.Fence) string { return "unbound" }

// EnableSignaling arms the node's callback on the first unsignalled fence
// down the chain; false means every link has signalled.
func (n *node) EnableSignaling(f *fence.Fence) bool { return n.arm() }

func (n *node) arm() bool {
	it := n.self.Get()
	for it != nil {
		if Contained(it).AddCallback(&n.cb, n.linkSignaled) == nil {
			it.Put()
			return true
		}
		next := Walk(it)
		it.Put()
		it = next
	}
	return false
}

// linkSignaled re-arms on the next unsignalled link, or signals the node
// once there is none (the kernel does this from irq_work).
func (n *node) linkSignaled(*fence.Fence, *fence.Callback) {
	if !n.arm() {
		_ = n.self.Signal() // a racing poller may have signalled it first
	}
}

// Signaled polls the whole chain.
func (n *node) Signaled(f *fence.Fence) bool {
	it := f.Get()
	for it != nil {
		if !Contained(it).IsSignaled() {
			it.Put()
			return false
		}
		next := Walk(it)
		it.Put()
		it = next
	}
	return true
}

// Release drops the node's references to its predecessor and its fence.
func (n *node) Release(f *fence.Fence) {
	n.mu.Lock()
	if n.released {
		n.mu.Unlock()
		return
	}
	n.released = true
	prev := n.prev
	n.prev = nil
	n.mu.Unlock()
	if prev != nil {
		prev.Put()
	}
	if n.fence != nil {
		n.fence.Put()
	}
}

// Children lists the contained fences of every link still on the chain,
// newest first, ending with a non-chain predecessor if there is one: what
// dma_fence_unwrap sees in a chain.
func (n *node) Children(f *fence.Fence) []*fence.Fence {
	var out []*fence.Fence
	it := f.Get()
	for it != nil {
		out = append(out, Contained(it))
		next := Walk(it)
		it.Put()
		it = next
	}
	return out
}
