package syncfd

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/syncobj/drmsyncobj"
	"github.com/headwaywl/headway/syncobj/fence"
	"github.com/headwaywl/headway/syncobj/shmtimeline"
)

// pointOps is the driver behind a fence that stands for a point on a
// shared page. Each fence has its own ops value (and its own mapping), so
// exporting the fence again finds the page instead of making a proxy.
type pointOps struct {
	tl    *shmtimeline.Timeline
	value uint64

	ctx    context.Context
	cancel context.CancelFunc

	mu   sync.Mutex
	done bool
}

func (*pointOps) DriverName() string               { return DriverName }
func (*pointOps) TimelineName(*fence.Fence) string { return ObjName }

// Signaled is the cheap check behind zero-timeout queries: one read of the
// page, no goroutine.
func (o *pointOps) Signaled(f *fence.Fence) bool {
	st, err := o.tl.PointStatus(o.value)
	if err != nil {
		o.finish(f, err)
		return true
	}
	if st == 0 {
		return false
	}
	o.finish(f, nil)
	return true
}

// EnableSignaling starts the one watcher of this fence: a goroutine parked
// in the page's waiter shard (no thread of its own). The fence core holds
// a reference for it until the signal.
func (o *pointOps) EnableSignaling(f *fence.Fence) bool {
	go func() {
		err := o.tl.Wait(o.ctx, o.value, math.MaxInt64)
		if o.ctx.Err() != nil {
			return // released
		}
		o.finish(f, err)
	}()
	return true
}

// finish signals f once, with the page's error for an abandoned point, or
// with the error that made the page unusable (EINVAL for a corrupt page):
// a fence must signal eventually, and a fence nobody can ever signal is
// worse than one that reports why.
func (o *pointOps) finish(f *fence.Fence, werr error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.done {
		return
	}
	o.done = true
	st, err := o.tl.PointStatus(o.value)
	switch {
	case err != nil:
		_ = f.SetError(errnoOf(err))
	case st < 0:
		_ = f.SetError(syscall.Errno(-st))
	case st == 0 && werr != nil:
		_ = f.SetError(errnoOf(werr))
	}
	_ = f.Signal()
}

func errnoOf(err error) syscall.Errno {
	var e syscall.Errno
	if errors.As(err, &e) && e != 0 && e <= 4095 {
		return e
	}
	return syscall.EIO
}

// Release stops the watcher and unmaps the page.
func (o *pointOps) Release(*fence.Fence) {
	o.cancel()
	_ = o.tl.Close()
}

// PointFence returns an in-process fence (one reference, the caller's)
// that signals when tl reaches value: how the compositor hands a client's
// acquire point to code that speaks fences (KMS in-fences, syncobjs). The
// fence maps the page itself; tl may be closed afterwards.
func PointFence(tl *shmtimeline.Timeline, value uint64) (*fence.Fence, error) {
	fd := tl.Fd()
	if fd < 0 {
		return nil, fmt.Errorf("syncfd: point fence on a closed timeline: %w", syscall.EBADF)
	}
	own, err := shmtimeline.Open(fd)
	if err != nil {
		return nil, fmt.Errorf("syncfd: point fence: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return fence.New(&pointOps{tl: own, value: value, ctx: ctx, cancel: cancel}, nil, value), nil
}

// Fence returns an in-process fence for the file (one reference, the
// caller's): the signalled stub for a file with no points, a point fence
// for one, a signal-on-all array for several, and for a kernel sync_file
// a fence that a poller goroutine signals.
func (f *File) Fence() (*fence.Fence, error) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if f.fd < 0 {
		return nil, errClosed("fence")
	}
	if f.kind == Kernel {
		return kernelFence(f.fd)
	}
	switch len(f.points) {
	case 0:
		return fence.NewSignaled(), nil
	case 1:
		return PointFence(f.points[0].tl, f.points[0].value)
	}
	fs := make([]*fence.Fence, 0, len(f.points))
	for _, p := range f.points {
		pf, err := PointFence(p.tl, p.value)
		if err != nil {
			for _, x := range fs {
				x.Put()
			}
			return nil, err
		}
		fs = append(fs, pf)
	}
	return fence.NewArray(fs, nil, 1, false)
}

// kernelOps drives a fence that mirrors a kernel sync_file.
type kernelOps struct {
	fd     int // our own dup, closed on release
	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex
	done   bool
}

func (*kernelOps) DriverName() string               { return "kernel" }
func (*kernelOps) TimelineName(*fence.Fence) string { return "sync_file" }

func (o *kernelOps) Signaled(f *fence.Fence) bool {
	if !ready(o.fd) {
		return false
	}
	o.finish(f)
	return true
}

func (o *kernelOps) EnableSignaling(f *fence.Fence) bool {
	dup, err := unix.FcntlInt(uintptr(o.fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return false // signalled at once: better than a fence that never is
	}
	go func() {
		err := pollWait(o.ctx, dup, math.MaxInt64)
		if o.ctx.Err() != nil {
			return
		}
		_ = err
		o.finish(f)
	}()
	return true
}

func (o *kernelOps) finish(f *fence.Fence) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.done {
		return
	}
	o.done = true
	if st, _, err := kernelInfo(o.fd, nil); err == nil && st < 0 {
		_ = f.SetError(syscall.Errno(-st))
	}
	_ = f.Signal()
}

func (o *kernelOps) Release(*fence.Fence) {
	o.cancel()
	unix.Close(o.fd)
}

func kernelFence(fd int) (*fence.Fence, error) {
	dup, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("syncfd: fence: dup: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return fence.New(&kernelOps{fd: dup, ctx: ctx, cancel: cancel}, nil, 1), nil
}

// FromFence exports an in-process fence as an emulated sync_file (see the
// package doc): a signalled-ok fence gives the stub, a fence made only of
// shared points (after flattening arrays and chains) names those points,
// and any other fence gets a proxy page that its signal settles.
func FromFence(name string, f *fence.Fence) (*File, error) {
	if f == nil {
		return nil, fmt.Errorf("syncfd: export: no fence: %w", syscall.EINVAL)
	}
	if f.Status() == 1 {
		return New(name)
	}
	var pts []Point
	direct := true
	for l := range fence.Leaves(f) {
		if l.Status() == 1 {
			continue
		}
		po, ok := l.Ops().(*pointOps)
		if !ok {
			direct = false
			break
		}
		pts = append(pts, Point{Timeline: po.tl, Value: po.value})
	}
	if direct {
		if sf, err := New(name, pts...); err == nil {
			return sf, nil
		}
		// A point's mapping went away under us (its fence was
		// released meanwhile): the proxy still exports the truth.
	}
	return proxy(name, f)
}

// proxy makes a one-point page that f's signal settles.
func proxy(name string, f *fence.Fence) (*File, error) {
	tl, err := shmtimeline.Create()
	if err != nil {
		return nil, fmt.Errorf("syncfd: export: %w", err)
	}
	sf, err := New(name, Point{Timeline: tl, Value: 1})
	if err != nil {
		_ = tl.Close()
		return nil, err
	}
	settle := func(f *fence.Fence) {
		if e := f.Error(); e != 0 {
			_ = tl.AbandonWithError(e)
		} else {
			_ = tl.Signal(1)
		}
		_ = tl.Close()
	}
	cb := new(fence.Callback)
	if err := f.AddCallback(cb, func(f *fence.Fence, _ *fence.Callback) { settle(f) }); err != nil {
		settle(f) // ENOENT: it signalled meanwhile
	}
	return sf, nil
}

// ExportSyncobj is DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD with EXPORT_SYNC_FILE
// (and, for a timeline, the point to export): ENOENT for an unknown
// handle, EINVAL when the syncobj has no fence for the point.
func ExportSyncobj(file *drmsyncobj.File, h drmsyncobj.Handle, point uint64) (*File, error) {
	f, err := file.ExportFence(h, point)
	if err != nil {
		return nil, fmt.Errorf("syncfd: export: %w", err)
	}
	defer f.Put()
	return FromFence("", f)
}

// ImportSyncobj is DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE with IMPORT_SYNC_FILE:
// point 0 replaces the syncobj's fence, another point is added to its
// timeline. A nil or closed file is EINVAL, checked before the handle.
func ImportSyncobj(file *drmsyncobj.File, h drmsyncobj.Handle, point uint64, sf *File) error {
	if sf == nil {
		return fmt.Errorf("syncfd: import: not a sync_file: %w", syscall.EINVAL)
	}
	f, err := sf.Fence()
	if err != nil {
		return fmt.Errorf("syncfd: import: %v: %w", err, syscall.EINVAL)
	}
	defer f.Put()
	return file.ImportFence(h, point, f)
}
