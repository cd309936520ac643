package syncfd

import (
	"context"
	"encoding/binary"
	"fmt"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/syncobj/shmtimeline"
	"github.com/headwaywl/headway/syncobj/syncfile"
)

// The datagram's layout; doc.go describes it.
const (
	Magic      = "HWYSYNCF"
	Version    = 1
	MaxPoints  = 253 // SCM_MAX_FD: the most fds one datagram carries
	NameMax    = syncfile.NameMax
	headerSize = 48
	pointSize  = 8

	// DriverName and ObjName are what Info reports for emulated points:
	// a timeline page has no name of its own.
	DriverName = "headway-shm"
	ObjName    = "shm-timeline"
)

// Kind tells an emulated sync_file from a kernel one.
type Kind int

const (
	Emulated Kind = iota + 1
	Kernel
)

func (k Kind) String() string {
	switch k {
	case Emulated:
		return "emulated"
	case Kernel:
		return "kernel"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Point is one timeline page and the value it must reach.
type Point struct {
	Timeline *shmtimeline.Timeline
	Value    uint64
}

// point is a Point in a File, on the File's own mapping of the page.
type point struct {
	tl    *shmtimeline.Timeline
	value uint64
	id    pageID
}

// pageID names a timeline page across mappings and processes: two fds of
// one memfd share its inode.
type pageID struct{ dev, ino uint64 }

func identify(fd int) (pageID, error) {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return pageID{}, fmt.Errorf("syncfd: fstat timeline fd %d: %w", fd, err)
	}
	return pageID{uint64(st.Dev), st.Ino}, nil
}

// File is an open sync_file fd, emulated or kernel. Its methods are safe
// for concurrent use; after Close they return EBADF.
type File struct {
	mu     sync.RWMutex
	fd     int // -1 once closed
	kind   Kind
	name   string
	points []point // emulated only; never changes after creation
}

func errClosed(op string) error {
	return fmt.Errorf("syncfd: %s on a closed sync_file: %w", op, syscall.EBADF)
}

// New makes an emulated sync_file whose fence is "every point reached".
// Points on the same page are folded into the highest one. The File maps
// the pages itself, so the caller's Timelines may be closed afterwards.
func New(name string, pts ...Point) (*File, error) {
	ps := make([]point, 0, len(pts))
	defer func() {
		for _, p := range ps {
			_ = p.tl.Close()
		}
	}()
	for i, p := range pts {
		fd := p.Timeline.Fd()
		if fd < 0 {
			return nil, fmt.Errorf("syncfd: new: point %d is on a closed timeline: %w", i, syscall.EBADF)
		}
		id, err := identify(fd)
		if err != nil {
			return nil, err
		}
		if ps, err = fold(ps, fd, id, p.Value); err != nil {
			return nil, fmt.Errorf("syncfd: new: point %d: %w", i, err)
		}
	}
	f, err := build(name, ps)
	if err != nil {
		return nil, err
	}
	ps = nil // owned by f now
	return f, nil
}

// fold adds "page id reaches value" to ps: a page already there keeps
// the later of the two values (sync_file merge keeps the later fence of a
// context), a new one is mapped from fd, up to MaxPoints pages (ENOMEM,
// as a failed allocation in sync_file_merge).
func fold(ps []point, fd int, id pageID, value uint64) ([]point, error) {
	if j := indexOf(ps, id); j >= 0 {
		ps[j].value = max(ps[j].value, value)
		return ps, nil
	}
	if len(ps) == MaxPoints {
		return ps, fmt.Errorf("more than %d timelines: %w", MaxPoints, syscall.ENOMEM)
	}
	tl, err := shmtimeline.Open(fd)
	if err != nil {
		return ps, err
	}
	return append(ps, point{tl: tl, value: value, id: id}), nil
}

func indexOf(ps []point, id pageID) int {
	for i := range ps {
		if ps[i].id == id {
			return i
		}
	}
	return -1
}

// build queues the datagram on a fresh socket pair and returns the File
// owning ps. On error the caller still owns ps.
func build(name string, ps []point) (*File, error) {
	name = syncfile.Clip(name)
	sv, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("syncfd: socketpair: %w", err)
	}
	defer unix.Close(sv[1])
	body := make([]byte, headerSize+pointSize*len(ps))
	copy(body, Magic)
	binary.NativeEndian.PutUint32(body[8:], Version)
	binary.NativeEndian.PutUint32(body[12:], uint32(len(ps)))
	copy(body[16:48], name)
	fds := make([]int, len(ps))
	for i, p := range ps {
		binary.NativeEndian.PutUint64(body[headerSize+pointSize*i:], p.value)
		fds[i] = p.tl.Fd()
	}
	var oob []byte
	if len(fds) > 0 {
		oob = unix.UnixRights(fds...)
	}
	if err := unix.Sendmsg(sv[1], body, oob, nil, 0); err != nil {
		unix.Close(sv[0])
		return nil, fmt.Errorf("syncfd: queue the fence datagram: %w", err)
	}
	return &File{fd: sv[0], kind: Emulated, name: name, points: ps}, nil
}

// Fd returns the file's descriptor, owned by the File (dup it to keep it
// past Close; send it as is), or -1 after Close.
func (f *File) Fd() int {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.fd
}

// Kind reports whether the fd is headway's emulation or the kernel's.
func (f *File) Kind() Kind { return f.kind }

// Name is the file's name (SYNC_IOC_MERGE's name, FILE_INFO's name).
func (f *File) Name() string { return f.name }

// NumFences is FILE_INFO's num_fences: 1 for the signalled stub.
func (f *File) NumFences() (int, error) {
	in, err := f.Info()
	return len(in.Fences), err
}

// Close closes the fd and the File's page mappings. A second Close is
// EBADF. Fences obtained from File.Fence keep their own mappings.
func (f *File) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fd < 0 {
		return errClosed("close")
	}
	for _, p := range f.points {
		_ = p.tl.Close()
	}
	f.points = nil
	err := unix.Close(f.fd)
	f.fd = -1
	if err != nil {
		return fmt.Errorf("syncfd: close: %w", err)
	}
	return nil
}

// Status is FILE_INFO's status asked with no fence entries, the status of
// the file's fence itself: 0 while any point is pending, otherwise the
// first abandoned point's negative errno, or 1.
func (f *File) Status() (int32, error) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if f.fd < 0 {
		return 0, errClosed("status")
	}
	if f.kind == Kernel {
		st, _, err := kernelInfo(f.fd, nil)
		return st, err
	}
	result := int32(1)
	for _, p := range f.points {
		st, err := p.tl.PointStatus(p.value)
		if err != nil {
			return 0, fmt.Errorf("syncfd: status: %w", err)
		}
		if st == 0 {
			return 0, nil
		}
		if st < 0 && result == 1 {
			result = st
		}
	}
	return result, nil
}

// Info is SYNC_IOC_FILE_INFO with room for every fence: one entry per
// point (one "stub" entry for a file with none), and the kernel's file
// status, which the first entry not signalled-ok decides. Emulated
// entries carry no timestamp: the page does not record signal times.
func (f *File) Info() (syncfile.Info, error) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	in := syncfile.Info{Name: f.name, Status: 1}
	if f.fd < 0 {
		return in, errClosed("info")
	}
	if f.kind == Kernel {
		var err error
		_, in, err = kernelInfo(f.fd, &in)
		return in, err
	}
	if len(f.points) == 0 {
		in.Fences = []syncfile.FenceInfo{{ObjName: "stub", DriverName: "stub", Status: 1}}
		return in, nil
	}
	in.Fences = make([]syncfile.FenceInfo, len(f.points))
	for i, p := range f.points {
		st, err := p.tl.PointStatus(p.value)
		if err != nil {
			return in, fmt.Errorf("syncfd: info: %w", err)
		}
		in.Fences[i] = syncfile.FenceInfo{ObjName: ObjName, DriverName: DriverName, Status: st}
		if in.Status == 1 {
			in.Status = st
		}
	}
	return in, nil
}

// Wait blocks until the file's fence signals or deadlineNsec (absolute
// CLOCK_MONOTONIC) passes; see the package doc for the results.
func (f *File) Wait(ctx context.Context, deadlineNsec int64) error {
	f.mu.RLock()
	if f.fd < 0 {
		f.mu.RUnlock()
		return errClosed("wait")
	}
	if f.kind == Kernel {
		// The wait runs on its own dup of the fd, so Close need not wait
		// for it.
		dup, err := unix.FcntlInt(uintptr(f.fd), unix.F_DUPFD_CLOEXEC, 0)
		f.mu.RUnlock()
		if err != nil {
			return fmt.Errorf("syncfd: wait: dup: %w", err)
		}
		return pollWait(ctx, dup, deadlineNsec)
	}
	// The point list never changes; the mappings report EBADF if Close
	// comes while we sleep, so the lock is not held across the sleep.
	pts := f.points
	f.mu.RUnlock()
	for _, p := range pts {
		err := p.tl.Wait(ctx, p.value, deadlineNsec)
		if err == nil {
			continue
		}
		// An abandoned page signals its point with an error: the fence is
		// done, as far as waiting goes.
		if st, serr := p.tl.PointStatus(p.value); serr == nil && st < 0 {
			continue
		}
		return err
	}
	return nil
}
