package device

import (
	"context"
	"fmt"
	"slices"
	"syscall"
)

type reqItem struct {
	obj, prop uint32
	value     uint64
	seq       int
}

// Request is an atomic request under construction, as libdrm's
// drmModeAtomicReq: a list of (object, property, value) triples. Commit
// applies libdrm's rules: items are grouped by object in ascending id
// order and, when a property is set twice, the later value wins.
type Request struct {
	items []reqItem
}

// Add appends one property set and returns the new cursor, as
// drmModeAtomicAddProperty returns the item count.
func (r *Request) Add(obj, prop uint32, value uint64) int {
	r.items = append(r.items, reqItem{obj: obj, prop: prop, value: value, seq: len(r.items)})
	return len(r.items)
}

// Cursor returns the number of items (drmModeAtomicGetCursor).
func (r *Request) Cursor() int { return len(r.items) }

// SetCursor drops every item from cursor on (drmModeAtomicSetCursor), which
// is how libliftoff rewinds a request between TEST_ONLY attempts.
func (r *Request) SetCursor(cursor int) {
	if cursor >= 0 && cursor < len(r.items) {
		r.items = r.items[:cursor]
	}
}

// Reset empties the request, keeping its memory.
func (r *Request) Reset() { r.items = r.items[:0] }

func cmpItems(a, b reqItem) int {
	switch {
	case a.obj != b.obj:
		if a.obj < b.obj {
			return -1
		}
		return 1
	case a.prop != b.prop:
		if a.prop < b.prop {
			return -1
		}
		return 1
	}
	return a.seq - b.seq
}

// Commit is drmModeAtomicCommit: the request's properties are applied as one
// atomic update with flags (PageFlipEvent, AtomicTestOnly, AtomicNonblock,
// AtomicAllowModeset). userData comes back in the page-flip events. A
// blocking commit returns once it has flipped, or with EINTR when ctx ends
// first (the commit itself still happens, as an interrupted kernel
// commit does). The request is not modified.
func (f *File) Commit(ctx context.Context, req *Request, flags uint32, userData uint64) error {
	c, err := f.commitRequest(req, flags, userData)
	return f.dev.waitBlocking(ctx, c, err)
}

// commitRequest holds the file's lock only while the request is checked and
// queued (the wait for the flip runs unlocked), and releases it even if a
// bug panics, so the device stays usable.
func (f *File) commitRequest(req *Request, flags uint32, userData uint64) (*commit, error) {
	if err := f.lock(); err != nil {
		return nil, err
	}
	defer f.unlock()
	items := append(f.scratch[:0], req.items...)
	slices.SortFunc(items, cmpItems)
	// Keep only the last set of each (object, property).
	out := items[:0]
	for i, it := range items {
		if i+1 < len(items) && items[i+1].obj == it.obj && items[i+1].prop == it.prop {
			continue
		}
		out = append(out, it)
	}
	f.scratch = items
	st, err := f.dev.begin(f, flags, 0, userData)
	if err == nil {
		for i := 0; i < len(out) && err == nil; {
			var t target
			t, err = st.object(out[i].obj)
			j := i
			for ; err == nil && j < len(out) && out[j].obj == out[i].obj; j++ {
				err = st.set(t, out[j].prop, out[j].value)
			}
			i = j
		}
	}
	return f.dev.finish(st, err)
}

// AtomicArgs is struct drm_mode_atomic: the pointers are addresses in the
// file's simulated address space (File.Mem).
type AtomicArgs struct {
	Flags         uint32
	CountObjs     uint32
	ObjsPtr       uint64
	CountPropsPtr uint64
	PropsPtr      uint64
	PropValuesPtr uint64
	Reserved      uint64
	UserData      uint64
}

// AtomicIoctl is DRM_IOCTL_MODE_ATOMIC with its arguments in user memory,
// read the way drm_mode_atomic_ioctl reads them: one object id and its
// property count at a time, then each property id and value, so a bad
// pointer is EFAULT exactly when the kernel would reach it and a bad
// object or property id met earlier is reported first.
func (f *File) AtomicIoctl(ctx context.Context, a *AtomicArgs) error {
	c, err := f.atomicArgs(a)
	return f.dev.waitBlocking(ctx, c, err)
}

// atomicArgs is AtomicIoctl's locked part, as commitRequest is Commit's.
func (f *File) atomicArgs(a *AtomicArgs) (*commit, error) {
	if err := f.lock(); err != nil {
		return nil, err
	}
	defer f.unlock()
	st, err := f.dev.begin(f, a.Flags, a.Reserved, a.UserData)
	if err == nil {
		err = f.readAtomic(st, a)
	}
	return f.dev.finish(st, err)
}

func (f *File) readAtomic(st *atomicState, a *AtomicArgs) error {
	var copiedProps uint64
	for i := uint64(0); i < uint64(a.CountObjs); i++ {
		id, err := f.mem.GetU32(a.ObjsPtr + 4*i)
		if err != nil || a.ObjsPtr+4*i < a.ObjsPtr {
			return fmt.Errorf("atomic: reading object %d: %w", i, syscall.EFAULT)
		}
		t, err := st.object(id)
		if err != nil {
			return err
		}
		n, err := f.mem.GetU32(a.CountPropsPtr + 4*i)
		if err != nil || a.CountPropsPtr+4*i < a.CountPropsPtr {
			return fmt.Errorf("atomic: reading property count of object %d: %w", id, syscall.EFAULT)
		}
		for j := uint64(0); j < uint64(n); j++ {
			pa := a.PropsPtr + 4*copiedProps
			prop, err := f.mem.GetU32(pa)
			if err != nil || pa < a.PropsPtr {
				return fmt.Errorf("atomic: reading property %d: %w", copiedProps, syscall.EFAULT)
			}
			if _, err := st.findProp(t, prop); err != nil {
				return err
			}
			va := a.PropValuesPtr + 8*copiedProps
			v, err := f.mem.GetU64(va)
			if err != nil || va < a.PropValuesPtr {
				return fmt.Errorf("atomic: reading value %d: %w", copiedProps, syscall.EFAULT)
			}
			if err := st.set(t, prop, v); err != nil {
				return err
			}
			copiedProps++
		}
	}
	return nil
}
