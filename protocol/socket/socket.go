package socket

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

const (
	// DefaultName is the display name used when neither the caller nor
	// WAYLAND_DISPLAY names one, as in libwayland.
	DefaultName = "wayland-0"

	// MaxAutoDisplay is the highest N ListenAuto tries for wayland-N;
	// libwayland's add_socket_auto stops at the same number.
	MaxAutoDisplay = 32

	// sunPathMax is the size of sockaddr_un.sun_path on Linux, NUL included.
	sunPathMax = 108
	lockSuffix = ".lock"
	// backlog matches libwayland's listen(fd, 128).
	backlog = 128
	// lockMode is libwayland's S_IRUSR|S_IWUSR|S_IRGRP|S_IWGRP.
	lockMode = 0o660
)

// Listener is a listening Wayland socket. Its methods are safe for concurrent
// use; Close may be called while another goroutine is blocked in Accept.
type Listener struct {
	name     string
	path     string
	lockPath string // "" when there is no lock file of ours (ListenFD)
	lockFD   int    // -1 when no lock is held
	unlink   bool   // whether Close removes path (false for ListenFD)
	ln       *net.UnixListener

	closeOnce sync.Once
	closeErr  error
}

// Name returns the display name as given to Listen (or chosen by ListenAuto),
// the value a client puts in WAYLAND_DISPLAY. It is empty for ListenFD.
func (l *Listener) Name() string {
	if l == nil {
		return ""
	}
	return l.name
}

// Path returns the filesystem path of the socket.
func (l *Listener) Path() string {
	if l == nil {
		return ""
	}
	return l.path
}

// Addr returns the listener's network address.
func (l *Listener) Addr() net.Addr {
	if l == nil || l.ln == nil {
		return nil
	}
	return l.ln.Addr()
}

// Accept waits for the next client. After Close it returns an error wrapping
// net.ErrClosed; any other error concerns this attempt only (for example
// EMFILE) and the listener stays usable, as libwayland logs and keeps
// listening.
func (l *Listener) Accept() (*net.UnixConn, error) {
	if l == nil || l.ln == nil {
		return nil, fmt.Errorf("socket: accept on nil listener: %w", net.ErrClosed)
	}
	c, err := l.ln.AcceptUnix()
	if err != nil {
		return nil, fmt.Errorf("socket: accept on %s: %w", l.path, err)
	}
	return c, nil
}

// Close stops listening and removes the socket and lock files in libwayland's
// order (socket path, socket fd, lock path, lock fd). Only the first call does
// anything; later calls return the first call's result.
func (l *Listener) Close() error {
	if l == nil {
		return nil
	}
	l.closeOnce.Do(func() { l.closeErr = l.close() })
	return l.closeErr
}

func (l *Listener) close() error {
	var errs []error
	if l.unlink && l.path != "" {
		if err := unix.Unlink(l.path); err != nil && !errors.Is(err, unix.ENOENT) {
			errs = append(errs, fmt.Errorf("socket: unlink %s: %w", l.path, err))
		}
	}
	if l.ln != nil {
		if err := l.ln.Close(); err != nil {
			errs = append(errs, fmt.Errorf("socket: close %s: %w", l.path, err))
		}
	}
	if l.lockPath != "" {
		if err := unix.Unlink(l.lockPath); err != nil && !errors.Is(err, unix.ENOENT) {
			errs = append(errs, fmt.Errorf("socket: unlink %s: %w", l.lockPath, err))
		}
	}
	if l.lockFD >= 0 {
		if err := unix.Close(l.lockFD); err != nil {
			errs = append(errs, fmt.Errorf("socket: close lock %s: %w", l.lockPath, err))
		}
	}
	return errors.Join(errs...)
}

// Listen creates the socket for display name, locking "<path>.lock" first.
// An empty name means $WAYLAND_DISPLAY, else DefaultName. A relative name lives
// in $XDG_RUNTIME_DIR; an absolute one is used as-is. A name in use is refused
// with an error wrapping EADDRINUSE and EWOULDBLOCK.
func Listen(name string) (*Listener, error) {
	if name == "" {
		name = os.Getenv("WAYLAND_DISPLAY")
	}
	if name == "" {
		name = DefaultName
	}
	path, err := resolvePath(name, os.Getenv("XDG_RUNTIME_DIR"))
	if err != nil {
		return nil, err
	}
	lockFD, err := lockName(path)
	if err != nil {
		return nil, err
	}
	return listenLocked(name, path, lockFD)
}

// ListenAuto creates the socket for the first free name among wayland-0 to
// wayland-32, as wl_display_add_socket_auto: names whose lock cannot be taken
// are skipped, any other failure ends the search.
func ListenAuto() (*Listener, error) {
	runtimeDir := os.Getenv("XDG_RUNTIME_DIR")
	var lastErr error
	for n := 0; n <= MaxAutoDisplay; n++ {
		name := "wayland-" + strconv.Itoa(n)
		path, err := resolvePath(name, runtimeDir)
		if err != nil {
			return nil, err
		}
		lockFD, err := lockName(path)
		if err != nil {
			lastErr = err
			continue
		}
		return listenLocked(name, path, lockFD)
	}
	return nil, fmt.Errorf("socket: no free display name from wayland-0 to wayland-%d (last: %w): %w: %w",
		MaxAutoDisplay, lastErr, unix.EADDRINUSE, unix.EINVAL)
}

// resolvePath turns a display name into a socket path with libwayland's
// rules (wl_socket_init_for_display_name).
func resolvePath(name, runtimeDir string) (string, error) {
	if name == "" {
		return "", fmt.Errorf("socket: empty display name: %w", unix.EINVAL)
	}
	path := name
	if name[0] != '/' {
		if runtimeDir == "" || runtimeDir[0] != '/' {
			// ENOENT, as libwayland, so callers never report "Success".
			return "", fmt.Errorf("socket: XDG_RUNTIME_DIR is invalid or not set in the environment (needed for relative name %q): %w", name, unix.ENOENT)
		}
		path = runtimeDir + "/" + name
	}
	if strings.IndexByte(path, 0) >= 0 {
		return "", fmt.Errorf("socket: socket path %q contains NUL: %w", path, unix.EINVAL)
	}
	if len(path)+1 > sunPathMax {
		return "", fmt.Errorf("socket: socket path %q plus NUL exceeds %d bytes: %w", path, sunPathMax, unix.ENAMETOOLONG)
	}
	return path, nil
}

// lockName takes "<path>.lock" and removes a stale socket at path, as
// libwayland's wl_socket_lock. On failure nothing on disk is removed and no
// fd is left open.
func lockName(path string) (int, error) {
	lockPath := path + lockSuffix
	fd, err := unix.Open(lockPath, unix.O_CREAT|unix.O_CLOEXEC|unix.O_RDWR, lockMode)
	if err != nil {
		return -1, fmt.Errorf("socket: open lock file %s (check permissions): %w", lockPath, err)
	}
	for {
		err = unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		_ = unix.Close(fd)
		if errors.Is(err, unix.EWOULDBLOCK) {
			return -1, fmt.Errorf("socket: %s is in use: lock %s is held, maybe another compositor is running: %w: %w",
				path, lockPath, unix.EADDRINUSE, err)
		}
		return -1, fmt.Errorf("socket: lock %s: %w", lockPath, err)
	}
	var st unix.Stat_t
	if err := unix.Lstat(path, &st); err != nil {
		if !errors.Is(err, unix.ENOENT) {
			_ = unix.Close(fd)
			return -1, fmt.Errorf("socket: stat %s: %w", path, err)
		}
	} else if st.Mode&(unix.S_IWUSR|unix.S_IWGRP) != 0 {
		// Holding the lock proves no live server owns the name, so what
		// is left there is stale. Like libwayland, a failed unlink is not
		// fatal here: bind reports the real problem.
		_ = unix.Unlink(path)
	}
	return fd, nil
}

// listenLocked binds and listens at path with the lock already held. On
// failure it cleans up as wl_socket_destroy does: the name is ours (we hold
// the lock), so both paths are unlinked before the lock is released.
func listenLocked(name, path string, lockFD int) (*Listener, error) {
	ln, err := bindListen(path)
	if err != nil {
		_ = unix.Unlink(path)
		_ = unix.Unlink(path + lockSuffix)
		_ = unix.Close(lockFD)
		return nil, err
	}
	return &Listener{
		name:     name,
		path:     path,
		lockPath: path + lockSuffix,
		lockFD:   lockFD,
		unlink:   true,
		ln:       ln,
	}, nil
}

func bindListen(path string) (*net.UnixListener, error) {
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("socket: create socket for %s: %w", path, err)
	}
	if err := unix.Bind(fd, &unix.SockaddrUnix{Name: path}); err != nil {
		_ = unix.Close(fd)
		return nil, fmt.Errorf("socket: bind %s: %w", path, err)
	}
	if err := unix.Listen(fd, backlog); err != nil {
		_ = unix.Close(fd)
		return nil, fmt.Errorf("socket: listen on %s: %w", path, err)
	}
	return unixListenerFromFD(fd, path)
}

// unixListenerFromFD hands fd to the Go runtime poller, which is what makes
// Accept interruptible by Close. fd is closed in every case (the runtime
// keeps its own duplicate).
func unixListenerFromFD(fd int, path string) (*net.UnixListener, error) {
	f := os.NewFile(uintptr(fd), path)
	l, err := net.FileListener(f)
	_ = f.Close()
	if err != nil {
		return nil, fmt.Errorf("socket: listener for %s: %w", path, err)
	}
	ul, ok := l.(*net.UnixListener)
	if !ok {
		_ = l.Close()
		return nil, fmt.Errorf("socket: %s is not a unix listener: %w", path, unix.EAFNOSUPPORT)
	}
	// The unlink order belongs to Close, not to the net package.
	ul.SetUnlinkOnClose(false)
	return ul, nil
}

// ListenFD wraps an fd that is already a bound, listening AF_UNIX stream
// socket, as wl_display_add_socket_fd. On success the Listener owns fd and
// Close closes it without unlinking anything (the caller made and locked the
// path). On failure fd is left open and still the caller's.
func ListenFD(fd int) (*Listener, error) {
	if fd < 0 {
		return nil, fmt.Errorf("socket: listen fd %d: %w", fd, unix.EBADF)
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, fmt.Errorf("socket: listen fd %d: fstat: %w", fd, err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFSOCK {
		return nil, fmt.Errorf("socket: listen fd %d is not a socket: %w", fd, unix.ENOTSOCK)
	}
	// libwayland only checks S_ISSOCK; the stricter checks below turn a
	// wrong fd into an error here instead of a confusing one at Accept.
	if dom, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_DOMAIN); err != nil {
		return nil, fmt.Errorf("socket: listen fd %d: SO_DOMAIN: %w", fd, err)
	} else if dom != unix.AF_UNIX {
		return nil, fmt.Errorf("socket: listen fd %d is not AF_UNIX (domain %d): %w", fd, dom, unix.EAFNOSUPPORT)
	}
	if typ, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TYPE); err != nil {
		return nil, fmt.Errorf("socket: listen fd %d: SO_TYPE: %w", fd, err)
	} else if typ != unix.SOCK_STREAM {
		return nil, fmt.Errorf("socket: listen fd %d is not SOCK_STREAM (type %d): %w", fd, typ, unix.EPROTOTYPE)
	}
	if acc, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ACCEPTCONN); err != nil {
		return nil, fmt.Errorf("socket: listen fd %d: SO_ACCEPTCONN: %w", fd, err)
	} else if acc == 0 {
		return nil, fmt.Errorf("socket: listen fd %d is not listening: %w", fd, unix.EINVAL)
	}
	path := ""
	if sa, err := unix.Getsockname(fd); err == nil {
		if su, ok := sa.(*unix.SockaddrUnix); ok {
			path = su.Name
		}
	}
	// Work on a duplicate so that a failure leaves the caller's fd intact.
	dup, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("socket: listen fd %d: dup: %w", fd, err)
	}
	ln, err := unixListenerFromFD(dup, path)
	if err != nil {
		return nil, err
	}
	_ = unix.Close(fd)
	return &Listener{path: path, lockFD: -1, ln: ln}, nil
}
