package socket

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"reflect"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// Pair makes a connected AF_UNIX stream pair for launching a client with
// WAYLAND_SOCKET: server is the compositor's end; client is to be passed to
// ClientEnv and closed by the caller once the child has started. Both ends are
// close-on-exec in this process; exec.Cmd.ExtraFiles is what makes the client
// end survive exec in the child.
func Pair() (server *net.UnixConn, client *os.File, err error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("socket: socketpair: %w", err)
	}
	sf := os.NewFile(uintptr(fds[0]), "wayland-server-end")
	c, err := net.FileConn(sf)
	_ = sf.Close()
	if err != nil {
		_ = unix.Close(fds[1])
		return nil, nil, fmt.Errorf("socket: socketpair server end: %w", err)
	}
	uc, ok := c.(*net.UnixConn)
	if !ok {
		_ = c.Close()
		_ = unix.Close(fds[1])
		return nil, nil, fmt.Errorf("socket: socketpair server end is %T: %w", c, unix.EAFNOSUPPORT)
	}
	return uc, os.NewFile(uintptr(fds[1]), "wayland-client-end"), nil
}

// ClientEnv prepares cmd to receive f as its Wayland connection: f is appended
// to cmd.ExtraFiles, so the child has it without close-on-exec at fd
// 3+index, WAYLAND_SOCKET is set to that number, and WAYLAND_DISPLAY is
// removed (libwayland ignores it when WAYLAND_SOCKET is set; a client without
// WAYLAND_SOCKET support then fails instead of reaching another compositor).
// cmd.Env is filled from cmd.Environ() when it was nil.
func ClientEnv(cmd *exec.Cmd, f *os.File) error {
	if cmd == nil {
		return fmt.Errorf("socket: client env: nil command: %w", unix.EINVAL)
	}
	if f == nil {
		return fmt.Errorf("socket: client env: nil file: %w", unix.EINVAL)
	}
	childFD := 3 + len(cmd.ExtraFiles)
	cmd.ExtraFiles = append(cmd.ExtraFiles, f)
	base := cmd.Environ()
	env := make([]string, 0, len(base)+1)
	for _, kv := range base {
		if strings.HasPrefix(kv, "WAYLAND_SOCKET=") || strings.HasPrefix(kv, "WAYLAND_DISPLAY=") {
			continue
		}
		env = append(env, kv)
	}
	cmd.Env = append(env, "WAYLAND_SOCKET="+strconv.Itoa(childFD))
	return nil
}

// ConnFromEnv is the client side of the handoff, as wl_display_connect does
// it: it parses WAYLAND_SOCKET, marks that fd close-on-exec, unsets the
// variable and returns the connection. ok is false when WAYLAND_SOCKET is not
// set. It exists for headway's own test children and raw-wire clients.
func ConnFromEnv() (conn *net.UnixConn, ok bool, err error) {
	v, set := os.LookupEnv("WAYLAND_SOCKET")
	if !set {
		return nil, false, nil
	}
	fd, err := parseSocketEnv(v)
	if err != nil {
		return nil, true, err
	}
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_SETFD, unix.FD_CLOEXEC); err != nil {
		return nil, true, fmt.Errorf("socket: WAYLAND_SOCKET=%s: %w", v, err)
	}
	_ = os.Unsetenv("WAYLAND_SOCKET")
	f := os.NewFile(uintptr(fd), "wayland-socket")
	c, err := net.FileConn(f)
	_ = f.Close()
	if err != nil {
		return nil, true, fmt.Errorf("socket: WAYLAND_SOCKET=%s: %w", v, err)
	}
	uc, isUnix := c.(*net.UnixConn)
	if !isUnix {
		_ = c.Close()
		return nil, true, fmt.Errorf("socket: WAYLAND_SOCKET=%s is %T: %w", v, c, unix.EAFNOSUPPORT)
	}
	return uc, true, nil
}

// parseSocketEnv accepts what libwayland's strtol check accepts for a
// usable fd: a base-10 number with nothing after it, not negative.
func parseSocketEnv(v string) (int, error) {
	n, err := strconv.ParseInt(strings.TrimLeft(v, " \t\n\v\f\r"), 10, 32)
	if err != nil || n < 0 {
		return -1, fmt.Errorf("socket: WAYLAND_SOCKET=%q is not an fd number: %w", v, unix.EBADF)
	}
	return int(n), nil
}

// Cred is the identity of the process at the other end of a connection.
type Cred struct {
	PID int32
	UID uint32
	GID uint32
}

// PeerCred returns the SO_PEERCRED credentials of c's peer (a *net.UnixConn
// or an *os.File holding a socket), as wl_client_get_credentials.
func PeerCred(c syscall.Conn) (Cred, error) {
	// A typed nil (say a nil *net.UnixConn) would panic inside the net
	// package, so it is refused like an untyped one.
	if c == nil || (reflect.ValueOf(c).Kind() == reflect.Pointer && reflect.ValueOf(c).IsNil()) {
		return Cred{}, fmt.Errorf("socket: peer credentials of nil connection: %w", unix.EBADF)
	}
	rc, err := c.SyscallConn()
	if err != nil {
		return Cred{}, fmt.Errorf("socket: peer credentials: %w", err)
	}
	var uc *unix.Ucred
	var gerr error
	if err := rc.Control(func(fd uintptr) {
		uc, gerr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	}); err != nil {
		return Cred{}, fmt.Errorf("socket: peer credentials: %w", err)
	}
	if gerr != nil {
		return Cred{}, fmt.Errorf("socket: SO_PEERCRED: %w", gerr)
	}
	return Cred{PID: uc.Pid, UID: uc.Uid, GID: uc.Gid}, nil
}
