package drmsyncobj

import (
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/syncobj/chain"
	"github.com/headwaywl/headway/syncobj/fence"
)

// eventfdEntry is struct syncobj_eventfd_entry. It holds its own duplicate
// of the eventfd, as the kernel holds an eventfd_ctx reference, so the
// caller closing its fd does not redirect the write elsewhere.
type eventfdEntry struct {
	fd    int
	point uint64
	flags uint32
	fence *fence.Fence
	cb    fence.Callback
}

// Eventfd arranges for 1 to be added to the eventfd when the fence for
// point signals, or merely exists with WaitAvailable (SYNCOBJ_EVENTFD).
// Flags other than WaitAvailable and a non-zero pad are EINVAL, an unknown
// handle ENOENT, a closed fd EBADF and an fd that is not an eventfd EINVAL.
func (f *File) Eventfd(h Handle, point uint64, eventfd int, flags, pad uint32) error {
	if flags&^WaitAvailable != 0 {
		return fmt.Errorf("syncobj eventfd: flags %#x: %w", flags, syscall.EINVAL)
	}
	if pad != 0 {
		return fmt.Errorf("syncobj eventfd: pad %#x: %w", pad, syscall.EINVAL)
	}
	s := f.lookup(h)
	if s == nil {
		return fmt.Errorf("syncobj eventfd: handle %d: %w", h, syscall.ENOENT)
	}
	dup, err := eventfdGet(eventfd)
	if err != nil {
		return fmt.Errorf("syncobj eventfd: fd %d: %w", eventfd, err)
	}
	e := &eventfdEntry{fd: dup, point: point, flags: flags}
	s.mu.Lock()
	s.evfds = append(s.evfds, e)
	fire := s.runEventfdsLocked()
	s.mu.Unlock()
	signalEventfds(fire)
	return nil
}

// eventfdGet is eventfd_ctx_fdget: EBADF for no such fd, EINVAL for an fd
// that is not an eventfd; it returns a private duplicate.
func eventfdGet(fd int) (int, error) {
	if fd < 0 {
		return -1, syscall.EBADF
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return -1, err
	}
	target, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(fd))
	if err != nil || target != "anon_inode:[eventfd]" {
		return -1, syscall.EINVAL
	}
	dup, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	return dup, nil
}

// runEventfdsLocked is syncobj_eventfd_entry_func over the list, with s.mu
// held: entries whose point now has a fence leave the list; those already
// due are returned, to be written after the lock is dropped.
func (s *Syncobj) runEventfdsLocked() []*eventfdEntry {
	var fire []*eventfdEntry
	kept := s.evfds[:0]
	for _, e := range s.evfds {
		head := s.fence
		if head == nil {
			kept = append(kept, e)
			continue
		}
		head.Get()
		fn, ok := chain.FindSeqnoFast(head, e.point)
		head.Put()
		if !ok {
			kept = append(kept, e) // the point has not been submitted yet
			continue
		}
		if fn == nil {
			fn = stub.Get()
		}
		e.fence = fn
		if e.flags&WaitAvailable != 0 {
			fire = append(fire, e)
			continue
		}
		if fn.AddCallback(&e.cb, e.signaled) != nil {
			fire = append(fire, e)
		}
	}
	for i := len(kept); i < len(s.evfds); i++ {
		s.evfds[i] = nil
	}
	s.evfds = kept
	return fire
}

func (e *eventfdEntry) signaled(*fence.Fence, *fence.Callback) { e.signal() }

func signalEventfds(es []*eventfdEntry) {
	for _, e := range es {
		e.signal()
	}
}

// signal adds 1 to the eventfd and frees the entry.
func (e *eventfdEntry) signal() {
	var one [8]byte
	binary.NativeEndian.PutUint64(one[:], 1)
	_, _ = unix.Write(e.fd, one[:]) // only a counter at its maximum fails; the kernel ignores that too
	e.free()
}

func (e *eventfdEntry) free() {
	if e.fence != nil {
		e.fence.Put()
		e.fence = nil
	}
	_ = unix.Close(e.fd)
}

// dropEventfds frees the entries still waiting for a fence once no handle
// names the syncobj any more, as drm_syncobj_free does.
func (s *Syncobj) dropEventfds() {
	s.mu.Lock()
	es := s.evfds
	s.evfds = nil
	s.mu.Unlock()
	for _, e := range es {
		e.free()
	}
}
