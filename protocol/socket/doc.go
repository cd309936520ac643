// Package socket creates the listening sockets of a headway Wayland server and
// the pre-connected sockets handed to launched clients, following the rules of
// libwayland's server (wl_display_add_socket, wl_display_add_socket_auto,
// wl_display_add_socket_fd) so that every libwayland or go-wayland client finds
// and connects to headway exactly as it would to weston or mutter.
//
// # Names and paths
//
// A relative name is joined to $XDG_RUNTIME_DIR, which must be set and
// absolute; otherwise Listen fails with an error wrapping ENOENT, the errno
// libwayland reports, so that callers do not print "Success". An absolute name
// is used as-is, as libwayland's server has always allowed and its clients
// allow since 1.15. An empty name means $WAYLAND_DISPLAY, else "wayland-0".
// The resulting path plus its NUL must fit sun_path (108 bytes): a longer one
// is refused with ENAMETOOLONG before anything is touched on disk. A name
// containing NUL is refused with EINVAL because the kernel would silently
// truncate it to another path.
//
// # The lock file
//
// Two compositors must never serve the same name, and a compositor that
// crashed must not block the name forever. libwayland solves both with an
// advisory lock, and headway takes the same one so that it and libwayland
// compositors exclude each other: "<path>.lock" is opened
// O_CREAT|O_CLOEXEC|O_RDWR with mode 0660 and locked with
// flock(LOCK_EX|LOCK_NB). If the lock is held the name is in use; the error
// wraps EWOULDBLOCK (the errno libwayland leaves) and EADDRINUSE (what it
// means), and nothing is unlinked, because the files belong to the other
// server. Once the lock is held, whatever sits at the socket path is the
// leftover of a dead server: libwayland lstat()s it and unlinks it if it is
// owner- or group-writable, without looking at its type, and so does this
// package. A non-writable leftover is left alone, bind then fails with
// EADDRINUSE, and the failed attempt's cleanup unlinks the path (libwayland's
// wl_socket_destroy does the same, since the lock makes the name ours).
// The socket is AF_UNIX SOCK_STREAM|SOCK_CLOEXEC with a listen backlog of
// 128, as libwayland's.
//
// ListenAuto tries wayland-0 through wayland-32 in order, as
// wl_display_add_socket_auto: a name whose lock cannot be taken (held, or the
// lock file cannot be opened) is skipped; any other failure ends the search.
// When all 33 names are taken the error wraps EINVAL (libwayland's errno) and
// EADDRINUSE.
//
// # Closing
//
// Listener.Close undoes Listen in libwayland's wl_socket_destroy order:
// unlink the socket path, close the socket, unlink the lock file, and close the
// lock fd last, which releases the lock only once the name is gone from disk,
// so a competitor that wins the lock never sees a half-removed name. Close is
// idempotent and safe to call from any goroutine; it interrupts a blocked
// Accept, which then returns an error wrapping net.ErrClosed. A Listener made
// by ListenFD owns only the fd: like wl_display_add_socket_fd it never
// unlinks, because the caller created and locked the path.
//
// # Accepted connections
//
// Accept and Pair return *net.UnixConn. The connection layer does its own
// recvmsg/sendmsg with SCM_RIGHTS; *net.UnixConn gives it ReadMsgUnix and
// WriteMsgUnix, and SyscallConn for raw access to the fd, all integrated with
// the Go runtime poller, so reads can be interrupted by Close or a deadline
// without a thread per client. The fd is close-on-exec, like libwayland's
// accept4(SOCK_CLOEXEC).
//
// # WAYLAND_SOCKET
//
// libwayland clients check WAYLAND_SOCKET before WAYLAND_DISPLAY: its value
// is the number of an inherited, already connected fd, which the client marks
// close-on-exec and then removes from its environment. Pair makes the
// socketpair and ClientEnv installs the client end in an exec.Cmd: it is
// appended to ExtraFiles (so the child receives it without close-on-exec at
// 3+index) and WAYLAND_SOCKET names that number. ClientEnv also removes
// WAYLAND_DISPLAY from the child: a libwayland client would ignore it anyway,
// and a client that does not implement WAYLAND_SOCKET (go-wayland) then fails
// instead of silently testing against the desktop's compositor.
// ConnFromEnv is the child's half, for headway's own test children: it
// follows wl_display_connect (strict decimal, FD_CLOEXEC set, variable unset).
//
// # Credentials
//
// PeerCred reads SO_PEERCRED as wl_client_get_credentials does. For a
// socketpair, the kernel reports the process that created the pair (the
// compositor), not the launched client, as libwayland documents.
//
// # Mutants that live
//
// Four mutants gremlins reports cannot change behaviour: the NUL check's
// ">= 0" as "> 0" (a path starts with '/' or the runtime directory, never
// with NUL); the capacity hint of ClientEnv's environment slice; and
// "fd < 0" as "fd <= 0" in ListenFD and
// in Close's lock-fd check, which differ only for descriptor 0, which a
// server never gets for its lock file or passes as its listening socket
// (stdin is open in every process that runs one), and which tests cannot
// borrow without racing the rest of the process for that number.
package socket
