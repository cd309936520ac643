package syncfd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/syncobj/fence"
	"github.com/headwaywl/headway/syncobj/syncfile"
)

// The kernel's sync_file UAPI (include/uapi/linux/sync_file.h).
const (
	syncIocMerge    = 0xc0303e03 // _IOWR('>', 3, struct sync_merge_data)
	syncIocFileInfo = 0xc0383e04 // _IOWR('>', 4, struct sync_file_info)
)

type syncMergeData struct {
	name  [32]byte
	fd2   int32
	fence int32
	flags uint32
	pad   uint32
}

type syncFileInfo struct {
	name          [32]byte
	status        int32
	flags         uint32
	numFences     uint32
	pad           uint32
	syncFenceInfo uint64
}

type syncFenceInfo struct {
	objName     [32]byte
	driverName  [32]byte
	status      int32
	flags       uint32
	timestampNs uint64
}

func cstr(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

func ioctl(fd int, req uintptr, arg unsafe.Pointer) error {
	_, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), req, uintptr(arg))
	if e != 0 {
		return e
	}
	return nil
}

// kernelInfo asks FILE_INFO for the status (num_fences = 0) and, when dst
// is not nil, for every fence too, as sync_file_info users do: once for
// the count, once with room for it.
func kernelInfo(fd int, dst *syncfile.Info) (int32, syncfile.Info, error) {
	var in syncFileInfo
	if err := ioctl(fd, syncIocFileInfo, unsafe.Pointer(&in)); err != nil {
		return 0, syncfile.Info{}, fmt.Errorf("syncfd: SYNC_IOC_FILE_INFO on fd %d: %w", fd, err)
	}
	out := syncfile.Info{Name: cstr(in.name[:]), Status: in.status}
	if dst == nil || in.numFences == 0 {
		return in.status, out, nil
	}
	fis := make([]syncFenceInfo, in.numFences)
	in2 := syncFileInfo{numFences: in.numFences, syncFenceInfo: uint64(uintptr(unsafe.Pointer(&fis[0])))}
	err := ioctl(fd, syncIocFileInfo, unsafe.Pointer(&in2))
	runtime.KeepAlive(fis)
	if err != nil {
		return 0, out, fmt.Errorf("syncfd: SYNC_IOC_FILE_INFO with %d fences on fd %d: %w", in.numFences, fd, err)
	}
	out.Status = in2.status
	out.Fences = make([]syncfile.FenceInfo, len(fis))
	for i, fi := range fis {
		out.Fences[i] = syncfile.FenceInfo{
			ObjName: cstr(fi.objName[:]), DriverName: cstr(fi.driverName[:]),
			Status: fi.status, Flags: fi.flags, TimestampNs: int64(fi.timestampNs),
		}
	}
	return in2.status, out, nil
}

// mergeKernel is SYNC_IOC_MERGE: the kernel builds the merged sync_file.
func mergeKernel(name string, a, b int) (*File, error) {
	md := syncMergeData{fd2: int32(b)}
	copy(md.name[:NameMax], name)
	if err := ioctl(a, syncIocMerge, unsafe.Pointer(&md)); err != nil {
		return nil, fmt.Errorf("syncfd: SYNC_IOC_MERGE of fds %d and %d: %w", a, b, err)
	}
	unix.CloseOnExec(int(md.fence))
	return &File{fd: int(md.fence), kind: Kernel, name: syncfile.Clip(name)}, nil
}

// pollWait waits for POLLIN on fd, which it owns and closes, through the
// runtime's poller: the goroutine parks in epoll like a network read, so
// thousands of kernel sync_file waits cost no threads.
func pollWait(ctx context.Context, fd int, deadlineNsec int64) error {
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return fmt.Errorf("syncfd: wait: set nonblocking: %w", err)
	}
	f := os.NewFile(uintptr(fd), "sync_file")
	defer f.Close()
	if ready(fd) {
		return nil
	}
	now := fence.Now()
	if deadlineNsec <= now {
		return syscall.ETIME
	}
	if d := deadlineNsec - now; d < int64(100*365*24*time.Hour) {
		if err := f.SetReadDeadline(time.Now().Add(time.Duration(d))); err != nil {
			return fmt.Errorf("syncfd: wait: the fd cannot be polled: %w", err)
		}
	}
	var interrupted atomic.Bool
	if ctx != nil {
		stop := context.AfterFunc(ctx, func() {
			interrupted.Store(true)
			_ = f.SetReadDeadline(time.Unix(1, 0))
		})
		defer stop()
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return fmt.Errorf("syncfd: wait: %w", err)
	}
	err = rc.Read(func(fd uintptr) bool { return ready(int(fd)) })
	switch {
	case err == nil:
		return nil
	case errors.Is(err, os.ErrDeadlineExceeded):
		if ctx != nil && interrupted.Load() {
			return fmt.Errorf("syncfd: wait: %w", fence.Interrupted(ctx))
		}
		return syscall.ETIME
	default:
		return fmt.Errorf("syncfd: wait: %w", err)
	}
}

// ready is one non-blocking poll: a sync_file is readable once its fence
// has signalled, with or without an error.
func ready(fd int) bool {
	pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	n, err := unix.Poll(pfd, 0)
	return err == nil && n > 0 && pfd[0].Revents&(unix.POLLIN|unix.POLLERR|unix.POLLHUP|unix.POLLNVAL) != 0
}
