package syncfd

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/syncobj/shmtimeline"
)

// Import resolves fd, a sync_file received from a peer, into a File. The
// caller keeps its fd: the File works on its own duplicate (a kernel
// sync_file) or on its own page mappings (an emulated one). Anything that
// is neither fails with an error wrapping EINVAL that says what fd was.
func Import(fd int) (*File, error) {
	if fd < 0 {
		return nil, fmt.Errorf("syncfd: import fd %d: %w", fd, syscall.EBADF)
	}
	if isKernelSyncFile(fd) {
		return importKernel(fd)
	}
	return importEmulated(fd)
}

func notSyncFile(fd int, why string, args ...any) error {
	return fmt.Errorf("syncfd: fd %d is not a sync_file: %s: %w", fd, fmt.Sprintf(why, args...), syscall.EINVAL)
}

// isKernelSyncFile checks the anon inode's name before any ioctl: an
// unknown fd (a tty, a DRM node) must never see an ioctl number meant for
// another driver.
func isKernelSyncFile(fd int) bool {
	var buf [64]byte
	n, err := unix.Readlink("/proc/self/fd/"+strconv.Itoa(fd), buf[:])
	return err == nil && string(buf[:n]) == "anon_inode:sync_file"
}

func importKernel(fd int) (*File, error) {
	_, in, err := kernelInfo(fd, nil)
	if err != nil {
		return nil, err
	}
	dup, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("syncfd: import kernel sync_file: dup: %w", err)
	}
	return &File{fd: dup, kind: Kernel, name: in.Name}, nil
}

// importEmulated peeks the datagram (see doc.go), validates it and maps
// every page. Every fd the peek installed is closed before returning.
func importEmulated(fd int) (*File, error) {
	typ, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TYPE)
	if err != nil {
		if errors.Is(err, unix.ENOTSOCK) {
			return nil, notSyncFile(fd, "neither a sync_file nor a socket")
		}
		return nil, notSyncFile(fd, "SO_TYPE: %v", err)
	}
	if typ != unix.SOCK_DGRAM {
		return nil, notSyncFile(fd, "socket type %d, not SOCK_DGRAM", typ)
	}
	if dom, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_DOMAIN); err != nil || dom != unix.AF_UNIX {
		return nil, notSyncFile(fd, "socket domain %d, not AF_UNIX", dom)
	}
	// One byte more than the largest datagram, and room for one fd more
	// than the most we accept, so oversize shows up as a size mismatch
	// even before MSG_TRUNC/MSG_CTRUNC are looked at.
	var body [headerSize + pointSize*MaxPoints + 1]byte
	oob := make([]byte, unix.CmsgSpace(4*(MaxPoints+1)))
	n, oobn, flags, _, err := unix.Recvmsg(fd, body[:], oob, unix.MSG_PEEK|unix.MSG_DONTWAIT|unix.MSG_CMSG_CLOEXEC)
	if err != nil {
		if errors.Is(err, unix.EAGAIN) {
			return nil, notSyncFile(fd, "no fence datagram queued")
		}
		return nil, notSyncFile(fd, "peek: %v", err)
	}
	fds, ferr := parseRights(oob[:oobn])
	defer func() {
		for _, x := range fds {
			unix.Close(x)
		}
	}()
	if ferr != nil {
		return nil, notSyncFile(fd, "%v", ferr)
	}
	if flags&(unix.MSG_TRUNC|unix.MSG_CTRUNC) != 0 {
		return nil, notSyncFile(fd, "datagram or its fds truncated (flags %#x)", flags)
	}
	name, values, err := parseBody(body[:n], len(fds))
	if err != nil {
		return nil, notSyncFile(fd, "%v", err)
	}
	ps := make([]point, 0, len(values))
	ok := false
	defer func() {
		if !ok {
			for _, p := range ps {
				_ = p.tl.Close()
			}
		}
	}()
	for i, v := range values {
		id, err := identify(fds[i])
		if err != nil {
			return nil, notSyncFile(fd, "point %d: %v", i, err)
		}
		if indexOf(ps, id) >= 0 {
			return nil, notSyncFile(fd, "point %d repeats a timeline", i)
		}
		tl, err := shmtimeline.Open(fds[i])
		if err != nil {
			return nil, fmt.Errorf("syncfd: fd %d is not a sync_file: point %d: %w", fd, i, err)
		}
		ps = append(ps, point{tl: tl, value: v, id: id})
	}
	dup, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("syncfd: import: dup: %w", err)
	}
	ok = true
	return &File{fd: dup, kind: Emulated, name: name, points: ps}, nil
}

// parseRights collects every fd of every SCM_RIGHTS message, so that all
// of them get closed whatever else the control data holds.
func parseRights(oob []byte) ([]int, error) {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return nil, fmt.Errorf("control data: %v", err)
	}
	var fds []int
	var bad error
	for _, m := range msgs {
		if m.Header.Level != unix.SOL_SOCKET || m.Header.Type != unix.SCM_RIGHTS {
			bad = fmt.Errorf("unexpected control message %d/%d", m.Header.Level, m.Header.Type)
			continue
		}
		got, err := unix.ParseUnixRights(&m)
		if err != nil {
			bad = fmt.Errorf("SCM_RIGHTS: %v", err)
			continue
		}
		fds = append(fds, got...)
	}
	return fds, bad
}

// parseBody validates the datagram against nfds attached fds and returns
// the name and the points. It is the whole of the format's parsing, so it
// is what the fuzz target drives.
func parseBody(b []byte, nfds int) (string, []uint64, error) {
	if len(b) < headerSize {
		return "", nil, fmt.Errorf("datagram of %d bytes, shorter than the %d-byte header", len(b), headerSize)
	}
	if string(b[:8]) != Magic {
		return "", nil, fmt.Errorf("bad magic %q", b[:8])
	}
	if v := binary.NativeEndian.Uint32(b[8:]); v != Version {
		return "", nil, fmt.Errorf("version %d, want %d", v, Version)
	}
	n := binary.NativeEndian.Uint32(b[12:])
	if n > MaxPoints {
		return "", nil, fmt.Errorf("%d points, more than %d", n, MaxPoints)
	}
	if want := headerSize + pointSize*int(n); len(b) != want {
		return "", nil, fmt.Errorf("datagram of %d bytes, want %d for %d points", len(b), want, n)
	}
	if int(n) != nfds {
		return "", nil, fmt.Errorf("%d points but %d fds attached", n, nfds)
	}
	rawName := b[16:48]
	end := bytes.IndexByte(rawName, 0)
	if end < 0 || end > NameMax {
		return "", nil, fmt.Errorf("name not NUL-terminated within %d bytes", NameMax+1)
	}
	values := make([]uint64, n)
	for i := range values {
		values[i] = binary.NativeEndian.Uint64(b[headerSize+pointSize*i:])
	}
	return string(rawName[:end]), values, nil
}
