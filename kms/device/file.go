package device

import (
	"context"
	"encoding/binary"
	"fmt"
	"syscall"

	"github.com/headwaywl/headway/kms/uaccess"
	"github.com/headwaywl/headway/syncobj/fence"
	"github.com/headwaywl/headway/syncobj/syncfd"
	"github.com/headwaywl/headway/syncobj/syncfile"
)

// File is an open DRM file (struct drm_file) together with the parts of its
// process the KMS uapi reaches into: a file-descriptor table holding the
// sync_files that IN_FENCE_FD reads and OUT_FENCE_PTR returns, and a
// simulated address space for the pointers atomic commits carry.
//
// Descriptor numbers follow a fresh process: 0-2 are taken (standard
// streams, never sync_files), the DRM file itself is 3, and every new
// descriptor takes the lowest free number, so runs are reproducible.
type File struct {
	dev *Device
	// ioctl serializes this file's calls, as one thread per process would,
	// and guards the scratch buffers; the device lock is taken inside it.
	ioctl chan struct{}

	// Guarded by dev.mu:
	atomicCap, universal, writebackCap bool
	fds                                map[int32]*syncfile.File
	drmFD                              int32
	handles                            map[uint32]*Buffer
	nextHandle                         uint32
	fbs                                []*Framebuffer
	blobs                              []*Blob
	events                             []Event
	eventSpace                         int
	eventReady                         chan struct{}
	closed                             bool

	mem     *uaccess.Space
	scratch []reqItem
}

// Open opens a new DRM file on the device.
func (d *Device) Open() *File {
	f := &File{
		dev:        d,
		ioctl:      make(chan struct{}, 1),
		fds:        map[int32]*syncfile.File{},
		drmFD:      3,
		handles:    map[uint32]*Buffer{},
		nextHandle: 1,
		eventSpace: EventSpace,
		eventReady: make(chan struct{}, 1),
		mem:        uaccess.New(),
	}
	return f
}

func (f *File) lock() error {
	f.ioctl <- struct{}{}
	f.dev.mu.Lock()
	if f.closed {
		f.dev.mu.Unlock()
		<-f.ioctl
		return fmt.Errorf("kms file: %w", syscall.EBADF)
	}
	return nil
}

func (f *File) unlock() {
	f.dev.mu.Unlock()
	<-f.ioctl
}

// Device returns the device the file is open on.
func (f *File) Device() *Device { return f.dev }

// Mem returns the file's simulated address space.
func (f *File) Mem() *uaccess.Space { return f.mem }

// FD returns the descriptor number of the DRM file itself: an fd that is
// not a sync_file, which is what kms_atomic passes as a bad IN_FENCE_FD.
func (f *File) FD() int32 { return f.drmFD }

// SetClientCap is DRM_IOCTL_SET_CLIENT_CAP for the capabilities the fake
// device knows. ATOMIC implies UNIVERSAL_PLANES, and WRITEBACK_CONNECTORS
// needs ATOMIC first, as in drm_setclientcap. Values other than 0 and 1 and
// unknown capabilities are EINVAL.
func (f *File) SetClientCap(cap, value uint64) error {
	if err := f.lock(); err != nil {
		return err
	}
	defer f.unlock()
	if value > 1 {
		return fmt.Errorf("client cap %d = %d: %w", cap, value, syscall.EINVAL)
	}
	on := value == 1
	switch cap {
	case ClientCapUniversalPlanes:
		f.universal = on
	case ClientCapAtomic:
		f.atomicCap = on
		if on {
			f.universal = true
		}
	case ClientCapWritebackConnectors:
		if !f.atomicCap {
			return fmt.Errorf("client cap WRITEBACK_CONNECTORS needs ATOMIC first: %w", syscall.EINVAL)
		}
		f.writebackCap = on
	case ClientCapStereo3D, ClientCapAspectRatio:
	default:
		return fmt.Errorf("unknown client cap %d: %w", cap, syscall.EINVAL)
	}
	return nil
}

// installLocked puts sf at the lowest free descriptor number.
func (f *File) installLocked(sf *syncfile.File) int32 {
	fd := int32(4)
	for ; ; fd++ {
		if _, used := f.fds[fd]; !used && fd != f.drmFD {
			break
		}
	}
	f.fds[fd] = sf
	return fd
}

// InstallFence wraps fence fe in a new sync_file and returns its descriptor
// number, ready to be set as IN_FENCE_FD.
func (f *File) InstallFence(fe *fence.Fence) (int32, error) {
	if fe == nil {
		return -1, fmt.Errorf("install fence: nil fence: %w", syscall.EINVAL)
	}
	if err := f.lock(); err != nil {
		return -1, err
	}
	defer f.unlock()
	return f.installLocked(syncfile.New(fe.Get())), nil
}

// ImportSyncFD imports a real sync_file descriptor (a kernel sync_file or
// headway's emulated one, see syncobj/syncfd) and returns the number it has
// in this file's table. The caller keeps osfd.
func (f *File) ImportSyncFD(osfd int) (int32, error) {
	sf, err := syncfd.Import(osfd)
	if err != nil {
		return -1, fmt.Errorf("import sync_file fd %d: %w", osfd, err)
	}
	defer sf.Close()
	fe, err := sf.Fence()
	if err != nil {
		return -1, fmt.Errorf("import sync_file fd %d: %w", osfd, err)
	}
	return f.InstallFence(fe)
}

// SyncFile returns the sync_file at descriptor fd without closing it.
func (f *File) SyncFile(fd int32) (*syncfile.File, error) {
	if err := f.lock(); err != nil {
		return nil, err
	}
	defer f.unlock()
	sf := f.fds[fd]
	if sf == nil {
		return nil, fmt.Errorf("fd %d is not a sync_file: %w", fd, syscall.EBADF)
	}
	return sf, nil
}

// CloseFD closes descriptor fd.
func (f *File) CloseFD(fd int32) error {
	if err := f.lock(); err != nil {
		return err
	}
	defer f.unlock()
	sf := f.fds[fd]
	if sf == nil {
		return fmt.Errorf("close fd %d: %w", fd, syscall.EBADF)
	}
	delete(f.fds, fd)
	return sf.Close()
}

// NewOutFencePtr maps a writable s32 in the file's address space, for
// OUT_FENCE_PTR or WRITEBACK_OUT_FENCE_PTR, initialised to -1.
func (f *File) NewOutFencePtr() (uint64, error) {
	addr, err := f.mem.Map(4, uaccess.ProtRead|uaccess.ProtWrite)
	if err != nil {
		return 0, fmt.Errorf("out-fence pointer: %w", err)
	}
	if err := f.mem.PutS32(addr, -1); err != nil {
		return 0, fmt.Errorf("out-fence pointer: %w", err)
	}
	return addr, nil
}

// TakeOutFence reads the descriptor a commit stored at ptr, removes it from
// the table and returns its sync_file; the caller owns it. A -1 at ptr
// (no fence was created) is ENOENT.
func (f *File) TakeOutFence(ptr uint64) (*syncfile.File, error) {
	v, err := f.mem.GetU32(ptr)
	if err != nil {
		return nil, fmt.Errorf("out-fence pointer %#x: %w", ptr, err)
	}
	fd := int32(v)
	if fd == -1 {
		return nil, fmt.Errorf("out-fence pointer %#x holds -1: no fence: %w", ptr, syscall.ENOENT)
	}
	if err := f.lock(); err != nil {
		return nil, err
	}
	defer f.unlock()
	sf := f.fds[fd]
	if sf == nil {
		return nil, fmt.Errorf("out-fence fd %d: %w", fd, syscall.EBADF)
	}
	delete(f.fds, fd)
	return sf, nil
}

// Event is a DRM event: a page-flip completion (struct drm_event_vblank).
type Event struct {
	Type      uint32
	UserData  uint64
	Seq       uint64 // the flip's vblank; the uapi event carries its low 32 bits
	CRTCID    uint32
	Timestamp int64 // ns, the vblank's timestamp
}

// Append appends the event's bytes as read(2) on the DRM fd returns them:
// struct drm_event_vblank, host byte order, the timestamp split into
// tv_sec and tv_usec.
func (e *Event) Append(dst []byte) []byte {
	var b [EventVblankSize]byte
	ne := binary.NativeEndian
	ne.PutUint32(b[0:], e.Type)
	ne.PutUint32(b[4:], EventVblankSize)
	ne.PutUint64(b[8:], e.UserData)
	ne.PutUint32(b[16:], uint32(e.Timestamp/1e9))
	ne.PutUint32(b[20:], uint32(e.Timestamp%1e9/1e3))
	ne.PutUint32(b[24:], uint32(e.Seq))
	ne.PutUint32(b[28:], e.CRTCID)
	return append(dst, b[:]...)
}

// PollEvent returns the oldest undelivered event, if any.
func (f *File) PollEvent() (Event, bool) {
	f.dev.mu.Lock()
	defer f.dev.mu.Unlock()
	return f.popEventLocked()
}

func (f *File) popEventLocked() (Event, bool) {
	if len(f.events) == 0 {
		return Event{}, false
	}
	e := f.events[0]
	copy(f.events, f.events[1:])
	f.events = f.events[:len(f.events)-1]
	f.eventSpace += EventVblankSize
	return e, true
}

// WaitEvent blocks until an event is available or ctx ends (EINTR).
func (f *File) WaitEvent(ctx context.Context) (Event, error) {
	for {
		f.dev.mu.Lock()
		e, ok := f.popEventLocked()
		closed := f.closed
		f.dev.mu.Unlock()
		if ok {
			return e, nil
		}
		if closed {
			return Event{}, fmt.Errorf("wait for DRM event: %w", syscall.EBADF)
		}
		select {
		case <-f.eventReady:
		case <-ctx.Done():
			return Event{}, fmt.Errorf("wait for DRM event: %w: %w", syscall.EINTR, ctx.Err())
		}
	}
}

func (f *File) pushEventLocked(e Event) {
	f.events = append(f.events, e)
	select {
	case f.eventReady <- struct{}{}:
	default:
	}
}

// Close closes the file: its framebuffers are removed (disabling the planes
// that show them, as drm_fb_release does), its blobs destroyed, its
// descriptors closed and its undelivered events dropped.
func (f *File) Close() error {
	fds, err := f.release()
	if err != nil {
		return err
	}
	// Closed after the device lock is dropped, as the vblank handler
	// signals fences: fence code never runs under the device lock.
	for _, sf := range fds {
		sf.Close()
	}
	return nil
}

// release is Close's locked part; it hands back the descriptors to close.
func (f *File) release() (map[int32]*syncfile.File, error) {
	if err := f.lock(); err != nil {
		return nil, err
	}
	defer f.unlock()
	fbs := f.fbs
	f.fbs = nil
	for _, fb := range fbs {
		f.dev.rmFBLocked(fb)
	}
	for _, b := range f.blobs {
		f.dev.removeObject(b.id)
	}
	f.blobs = nil
	fds := f.fds
	f.fds = map[int32]*syncfile.File{}
	f.handles = map[uint32]*Buffer{}
	f.events = nil
	f.closed = true
	select {
	case f.eventReady <- struct{}{}:
	default:
	}
	return fds, nil
}
