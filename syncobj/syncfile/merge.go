package syncfile

import (
	"fmt"
	"slices"
	"syscall"

	"github.com/headwaywl/headway/syncobj/fence"
)

// Merge is SYNC_IOC_MERGE: a new File, named name (cut at a NUL and to
// NameMax bytes; empty means a name derived from the fence), holding
// dma_fence_unwrap_merge of a's and b's fences; see the package comment
// for the exact rules. a and b stay valid and unchanged.
//
// A nil a is EINVAL and a closed a EBADF, as for the fd the ioctl is made
// on; a b that is nil, closed or not made by this package is ENOENT, as the
// kernel answers for an fd2 that is not a sync_file.
func Merge(name string, a, b *File) (*File, error) {
	fa, err := a.fence("merge")
	if err != nil {
		return nil, err
	}
	fb := b.Fence()
	if fb == nil {
		return nil, fmt.Errorf("sync_file merge: second file is not an open sync_file: %w", syscall.ENOENT)
	}
	f, err := mergeFences(fa, fb)
	if err != nil {
		return nil, err
	}
	return newOwned(f, Clip(name)), nil
}

// mergeFences is __dma_fence_unwrap_merge for two fences and returns a
// fence the caller owns a reference to.
func mergeFences(a, b *fence.Fence) (*fence.Fence, error) {
	// Room for the common merges on the stack; NewArray copies what it
	// keeps, so nothing here outlives the call.
	var buf [16]*fence.Fence
	pending := buf[:0]
	if n := countLeaves(a) + countLeaves(b); n > len(buf) {
		pending = make([]*fence.Fence, 0, n)
	}
	var latest int64 // latest timestamp among the signalled fences
	pending, latest = collectPending(pending, latest, a)
	pending, latest = collectPending(pending, latest, b)

	switch len(pending) {
	case 0:
		return signaledStub(latest)
	case 1:
		return pending[0].Get(), nil
	}
	slices.SortFunc(pending, cmpFence)
	// The sort puts the latest fence of each context first; keep only it.
	j := 0
	for i := 1; i < len(pending); i++ {
		if pending[i].Context().ID() != pending[j].Context().ID() {
			j++
			pending[j] = pending[i]
		}
	}
	pending = pending[:j+1]
	if len(pending) == 1 {
		return pending[0].Get(), nil
	}
	for _, f := range pending {
		f.Get() // the array holds its fences, as the kernel's does
	}
	arr, err := fence.NewArray(pending, fence.AllocContext(), 1, false)
	if err != nil {
		for _, f := range pending {
			f.Put()
		}
		return nil, fmt.Errorf("sync_file merge: %w", err)
	}
	return arr, nil
}

// collectPending appends the unsignalled leaves of f and raises latest to
// the newest signal time among the signalled ones.
func collectPending(out []*fence.Fence, latest int64, f *fence.Fence) ([]*fence.Fence, int64) {
	for l := range fence.Leaves(f) {
		if !l.IsSignaled() {
			out = append(out, l)
		} else if ts, ok := l.Timestamp(); ok && ts > latest {
			latest = ts
		}
	}
	return out, latest
}

// cmpFence orders by context id and, within a context, latest first: the
// kernel's fence_cmp.
func cmpFence(a, b *fence.Fence) int {
	ca, cb := a.Context().ID(), b.Context().ID()
	switch {
	case ca < cb:
		return -1
	case ca > cb:
		return 1
	case fence.IsLater(b, a):
		return 1
	case fence.IsLater(a, b):
		return -1
	}
	return 0
}

// stubOps are the kernel's dma_fence_stub ops, for the signalled fence a
// merge of nothing but signalled fences yields.
type stubOps struct{}

func (stubOps) DriverName() string                 { return "stub" }
func (stubOps) TimelineName(f *fence.Fence) string { return "stub" }

// signaledStub is dma_fence_allocate_private_stub: a signalled fence on a
// context of its own, stamped with the given time.
func signaledStub(ts int64) (*fence.Fence, error) {
	f := fence.New(stubOps{}, nil, 0)
	if err := f.SignalTimestamp(ts); err != nil {
		return nil, fmt.Errorf("sync_file merge: signal stub: %w", err)
	}
	return f, nil
}
