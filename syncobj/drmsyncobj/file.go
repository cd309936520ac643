package drmsyncobj

import (
	"fmt"
	"math"
	"sync"
	"syscall"

	"github.com/headwaywl/headway/syncobj/chain"
	"github.com/headwaywl/headway/syncobj/fence"
)

// Handle names a syncobj within one File, like the u32 handles of the
// syncobj ioctls. 0 is never valid.
type Handle uint32

// File is one drm_file's syncobj handle table (an idr based at 1: the
// lowest free handle is reused first). It is safe for concurrent use; the
// zero value is an empty table, like NewFile's.
type File struct {
	mu      sync.RWMutex
	objs    []*Syncobj // indexed by handle; [0] is always nil
	lowFree int        // no free slot below this index

	// hookBlocked, when set, runs each time a wait is about to sleep: tests
	// use it to act only once the waiter has taken its snapshot.
	hookBlocked func()
}

// NewFile returns an empty handle table.
func NewFile() *File {
	return &File{objs: make([]*Syncobj, 1), lowFree: 1}
}

// maxHandle is the idr's upper bound (INT_MAX).
const maxHandle = math.MaxInt32

func (f *File) install(s *Syncobj) (Handle, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.objs) == 0 {
		f.objs = make([]*Syncobj, 1) // a zero File: handle 0 is never handed out
	}
	i := max(f.lowFree, 1)
	for i < len(f.objs) && f.objs[i] != nil {
		i++
	}
	if i > maxHandle {
		return 0, fmt.Errorf("syncobj handle table full: %w", syscall.ENOSPC)
	}
	if i == len(f.objs) {
		f.objs = append(f.objs, s)
	} else {
		f.objs[i] = s
	}
	f.lowFree = i + 1
	s.handles.Add(1)
	return Handle(i), nil
}

// Create makes a syncobj and returns its handle (SYNCOBJ_CREATE). Flags
// other than CreateSignaled are EINVAL.
func (f *File) Create(flags uint32) (Handle, error) {
	if flags&^CreateSignaled != 0 {
		return 0, fmt.Errorf("syncobj create: flags %#x: %w", flags, syscall.EINVAL)
	}
	return f.install(NewSyncobj(flags&CreateSignaled != 0))
}

// Install gives s a new handle in this table, as FD_TO_HANDLE does for a
// syncobj fd: every install is a new handle, even for a syncobj already
// present (no de-duplication, as in the kernel).
func (f *File) Install(s *Syncobj) Handle {
	h, err := f.install(s)
	if err != nil {
		return 0 // 2^31 live handles: not reachable in practice
	}
	return h
}

// Destroy drops handle h (SYNCOBJ_DESTROY). A non-zero pad or an unknown
// handle is EINVAL (not ENOENT, as the kernel answers).
func (f *File) Destroy(h Handle, pad uint32) error {
	if pad != 0 {
		return fmt.Errorf("syncobj destroy %d: pad %#x: %w", h, pad, syscall.EINVAL)
	}
	f.mu.Lock()
	var s *Syncobj
	if int(h) < len(f.objs) {
		s = f.objs[h]
		f.objs[h] = nil
		if s != nil && int(h) < f.lowFree {
			f.lowFree = int(h)
		}
	}
	f.mu.Unlock()
	if s == nil {
		return fmt.Errorf("syncobj destroy %d: no such handle: %w", h, syscall.EINVAL)
	}
	if s.handles.Add(-1) == 0 {
		s.dropEventfds()
	}
	return nil
}

// Lookup returns the syncobj behind h, or ENOENT.
func (f *File) Lookup(h Handle) (*Syncobj, error) {
	if s := f.lookup(h); s != nil {
		return s, nil
	}
	return nil, fmt.Errorf("syncobj handle %d: %w", h, syscall.ENOENT)
}

func (f *File) lookup(h Handle) *Syncobj {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if int(h) < len(f.objs) {
		return f.objs[h]
	}
	return nil
}

// find is drm_syncobj_array_find: all handles or none. objs must have
// len(handles) elements.
func (f *File) find(handles []Handle, objs []*Syncobj) error {
	f.mu.RLock()
	defer f.mu.RUnlock()
	for i, h := range handles {
		if int(h) >= len(f.objs) || f.objs[h] == nil {
			return errNoHandle
		}
		objs[i] = f.objs[h]
	}
	return nil
}

// errNoHandle is bare: the wait path returns it without allocating.
var errNoHandle error = syscall.ENOENT

// findAll is find with a fresh slice, for the paths that allocate anyway.
func (f *File) findAll(op string, handles []Handle) ([]*Syncobj, error) {
	objs := make([]*Syncobj, len(handles))
	if err := f.find(handles, objs); err != nil {
		return nil, fmt.Errorf("syncobj %s: unknown handle among %v: %w", op, handles, err)
	}
	return objs, nil
}

// Reset removes the fence of every syncobj (SYNCOBJ_RESET), all or nothing.
func (f *File) Reset(handles []Handle, pad uint32) error {
	if pad != 0 {
		return fmt.Errorf("syncobj reset: pad %#x: %w", pad, syscall.EINVAL)
	}
	if len(handles) == 0 {
		return fmt.Errorf("syncobj reset: no handles: %w", syscall.EINVAL)
	}
	objs, err := f.findAll("reset", handles)
	if err != nil {
		return err
	}
	for _, s := range objs {
		s.ReplaceFence(nil)
	}
	return nil
}

// Signal installs a fresh signalled stub fence in every syncobj
// (SYNCOBJ_SIGNAL), all or nothing.
func (f *File) Signal(handles []Handle, pad uint32) error {
	if pad != 0 {
		return fmt.Errorf("syncobj signal: pad %#x: %w", pad, syscall.EINVAL)
	}
	if len(handles) == 0 {
		return fmt.Errorf("syncobj signal: no handles: %w", syscall.EINVAL)
	}
	objs, err := f.findAll("signal", handles)
	if err != nil {
		return err
	}
	for _, s := range objs {
		stub := fence.NewSignaled()
		s.ReplaceFence(stub)
		stub.Put()
	}
	return nil
}

// checkPoints is the copy of the user's points array: a nil slice stands
// for a NULL pointer, and a short one for memory that cannot be read.
func checkPoints(op string, points []uint64, n int) error {
	if points != nil && len(points) < n {
		return fmt.Errorf("syncobj %s: %d points for %d handles: %w", op, len(points), n, syscall.EFAULT)
	}
	return nil
}

// TimelineSignal adds a signalled point to every syncobj
// (SYNCOBJ_TIMELINE_SIGNAL); nil points means all 0. Every point, 0
// included, becomes a chain node holding a signalled stub, exactly as the
// kernel does; on a syncobj used as binary that behaves as a signal.
func (f *File) TimelineSignal(handles []Handle, points []uint64, flags uint32) error {
	if flags != 0 {
		return fmt.Errorf("syncobj timeline signal: flags %#x: %w", flags, syscall.EINVAL)
	}
	if len(handles) == 0 {
		return fmt.Errorf("syncobj timeline signal: no handles: %w", syscall.EINVAL)
	}
	// A points array too short to read is EFAULT before any handle is
	// looked up, as in kernels since the 2025 rework that checks
	// access_ok(points) first; older kernels looked the handles up first
	// and answered ENOENT for a bad handle.
	if err := checkPoints("timeline signal", points, len(handles)); err != nil {
		return err
	}
	objs, err := f.findAll("timeline signal", handles)
	if err != nil {
		return err
	}
	for i, s := range objs {
		var p uint64
		if points != nil {
			p = points[i]
		}
		s.AddPoint(p, stub)
	}
	return nil
}

// Query fills points with each syncobj's highest signalled point
// (SYNCOBJ_QUERY): the newest link of an unbroken run on the head's
// timeline, or that link's predecessor seqno while it is pending. With
// QueryLastSubmitted it is the head's seqno. A syncobj without a chain
// reports 0.
func (f *File) Query(handles []Handle, points []uint64, flags uint32) error {
	if flags&^QueryLastSubmitted != 0 {
		return fmt.Errorf("syncobj query: flags %#x: %w", flags, syscall.EINVAL)
	}
	if len(handles) == 0 {
		return fmt.Errorf("syncobj query: no handles: %w", syscall.EINVAL)
	}
	objs, err := f.findAll("query", handles)
	if err != nil {
		return err
	}
	// The kernel copies each point out as it goes, so a short array gets
	// the points that fit and then EFAULT.
	for i, s := range objs {
		if i >= len(points) {
			return fmt.Errorf("syncobj query: %d points for %d handles: %w", len(points), len(handles), syscall.EFAULT)
		}
		points[i] = query(s, flags)
	}
	return nil
}

func query(s *Syncobj, flags uint32) uint64 {
	head := s.fenceRef()
	if head == nil {
		return 0
	}
	defer head.Put()
	if !chain.IsChain(head) {
		return 0
	}
	if flags&QueryLastSubmitted != 0 {
		return head.Seqno()
	}
	tl := chain.Context(head)
	last := head.Get()
	for it := head.Get(); it != nil; {
		if chain.Context(it) != tl {
			it.Put() // most likely unordered points: stop at the timeline change
			break
		}
		last.Put()
		last = it.Get()
		next := chain.Walk(it)
		it.Put()
		it = next
	}
	defer last.Put()
	if last.IsSignaled() {
		return last.Seqno()
	}
	return chain.PrevSeqno(last)
}

// Transfer copies the fence at srcPoint of src to dstPoint of dst
// (SYNCOBJ_TRANSFER). dstPoint 0 replaces dst's fence; otherwise the
// source fence, unwrapped and merged, becomes a new timeline point.
// TransferWaitForSubmit waits up to five seconds for the source point.
func (f *File) Transfer(src Handle, srcPoint uint64, dst Handle, dstPoint uint64, flags, pad uint32) error {
	if pad != 0 {
		return fmt.Errorf("syncobj transfer: pad %#x: %w", pad, syscall.EINVAL)
	}
	d := f.lookup(dst)
	if d == nil {
		return fmt.Errorf("syncobj transfer: destination handle %d: %w", dst, syscall.ENOENT)
	}
	s := f.lookup(src)
	if s == nil {
		return fmt.Errorf("syncobj transfer: source handle %d: %w", src, syscall.ENOENT)
	}
	fn, err := s.FindFence(srcPoint, flags)
	if err != nil {
		return fmt.Errorf("syncobj transfer from %d point %d: %w", src, srcPoint, err)
	}
	defer fn.Put()
	if dstPoint == 0 {
		d.ReplaceFence(fn)
		return nil
	}
	merged, err := unwrapMerge(fn)
	if err != nil {
		return fmt.Errorf("syncobj transfer from %d point %d: %w", src, srcPoint, err)
	}
	d.AddPoint(dstPoint, merged)
	merged.Put()
	return nil
}

// unwrapMerge is dma_fence_unwrap_merge of one fence: flatten containers,
// drop signalled fences, keep the later of two on one context; nothing
// left gives a signalled stub, one fence itself, more an array. It returns
// a new reference.
func unwrapMerge(f *fence.Fence) (*fence.Fence, error) {
	var keep []*fence.Fence
	for _, c := range fence.Unwrap(f) {
		if c.IsSignaled() {
			continue
		}
		dup := false
		for i, k := range keep {
			if k.Context() == c.Context() {
				if c.Seqno() > k.Seqno() {
					keep[i] = c
				}
				dup = true
				break
			}
		}
		if !dup {
			keep = append(keep, c)
		}
	}
	switch len(keep) {
	case 0:
		return fence.NewSignaled(), nil
	case 1:
		return keep[0].Get(), nil
	}
	for _, k := range keep {
		k.Get() // the array's references
	}
	return fence.NewArray(keep, nil, 1, false)
}

// ExportFence returns a new reference to the fence at point, as the lookup
// behind HANDLE_TO_FD with EXPORT_SYNC_FILE: ENOENT for an unknown handle,
// EINVAL when there is no fence for the point.
func (f *File) ExportFence(h Handle, point uint64) (*fence.Fence, error) {
	s := f.lookup(h)
	if s == nil {
		return nil, fmt.Errorf("syncobj export of handle %d: %w", h, syscall.ENOENT)
	}
	fn, err := s.FindFence(point, 0)
	if err != nil {
		return nil, fmt.Errorf("syncobj export of handle %d: %w", h, err)
	}
	return fn, nil
}

// ImportFence puts fn into syncobj h as FD_TO_HANDLE with IMPORT_SYNC_FILE
// does: point 0 replaces the fence, any other point is added to the
// timeline. A nil fence (not a sync_file) is EINVAL, checked before the
// handle (ENOENT), in the kernel's order.
func (f *File) ImportFence(h Handle, point uint64, fn *fence.Fence) error {
	if fn == nil {
		return fmt.Errorf("syncobj import into handle %d: no fence: %w", h, syscall.EINVAL)
	}
	s := f.lookup(h)
	if s == nil {
		return fmt.Errorf("syncobj import into handle %d: %w", h, syscall.ENOENT)
	}
	if point == 0 {
		s.ReplaceFence(fn)
	} else {
		s.AddPoint(point, fn)
	}
	return nil
}
