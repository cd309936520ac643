package socket

import (
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// waitLimit bounds how long a test waits for an event that must happen; it
// is a deadline against hangs, never a timing assertion.
const waitLimit = 10 * time.Second

// runtimeDir gives the test its own XDG_RUNTIME_DIR. t.TempDir paths can be
// long; a short one under /tmp keeps every name well inside sun_path.
func runtimeDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "hws")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	t.Setenv("XDG_RUNTIME_DIR", dir)
	t.Setenv("WAYLAND_DISPLAY", "")
	return dir
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// roundTrip dials l, accepts, and checks bytes flow both ways.
func roundTrip(t *testing.T, l *Listener) {
	t.Helper()
	client, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: l.Path(), Net: "unix"})
	require.NoError(t, err)
	defer client.Close()
	server, err := l.Accept()
	require.NoError(t, err)
	defer server.Close()
	require.NoError(t, client.SetDeadline(time.Now().Add(waitLimit)))
	require.NoError(t, server.SetDeadline(time.Now().Add(waitLimit)))

	_, err = client.Write([]byte("ping"))
	require.NoError(t, err)
	buf := make([]byte, 4)
	_, err = io.ReadFull(server, buf)
	require.NoError(t, err)
	assert.Equal(t, "ping", string(buf))
	_, err = server.Write([]byte("pong"))
	require.NoError(t, err)
	_, err = io.ReadFull(client, buf)
	require.NoError(t, err)
	assert.Equal(t, "pong", string(buf))
}

func TestListenRoundTrip(t *testing.T) {
	dir := runtimeDir(t)
	l, err := Listen("wayland-7")
	require.NoError(t, err)
	defer l.Close()
	assert.Equal(t, "wayland-7", l.Name())
	assert.Equal(t, filepath.Join(dir, "wayland-7"), l.Path())
	require.NotNil(t, l.Addr())
	assert.Equal(t, "unix", l.Addr().Network())
	assert.Equal(t, l.Path(), l.Addr().String())
	roundTrip(t, l)

	st, err := os.Stat(l.Path() + ".lock")
	require.NoError(t, err)
	assert.Zero(t, st.Mode().Perm()&^0o660, "lock file mode %v wider than libwayland's 0660", st.Mode().Perm())
	fi, err := os.Lstat(l.Path())
	require.NoError(t, err)
	assert.Equal(t, os.ModeSocket, fi.Mode().Type())
}

func TestListenDefaultName(t *testing.T) {
	tests := []struct {
		name, env, want string
	}{
		{name: "", env: "", want: "wayland-0"},
		{name: "", env: "wayland-9", want: "wayland-9"},
		{name: "explicit", env: "wayland-9", want: "explicit"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			dir := runtimeDir(t)
			t.Setenv("WAYLAND_DISPLAY", tc.env)
			l, err := Listen(tc.name)
			require.NoError(t, err)
			defer l.Close()
			assert.Equal(t, tc.want, l.Name())
			assert.Equal(t, dir+"/"+tc.want, l.Path())
		})
	}
}

func TestListenAbsolutePathWithoutRuntimeDir(t *testing.T) {
	dir, err := os.MkdirTemp("", "hws")
	require.NoError(t, err)
	defer os.RemoveAll(dir)
	t.Setenv("XDG_RUNTIME_DIR", "")
	path := dir + "/abs-display"
	l, err := Listen(path)
	require.NoError(t, err)
	defer l.Close()
	assert.Equal(t, path, l.Path())
	assert.Equal(t, path, l.Name())
	roundTrip(t, l)
}

func TestListenInUseThenFreeAfterClose(t *testing.T) {
	runtimeDir(t)
	first, err := Listen("wayland-3")
	require.NoError(t, err)

	_, err = Listen("wayland-3")
	require.Error(t, err)
	assert.ErrorIs(t, err, unix.EADDRINUSE)
	assert.ErrorIs(t, err, unix.EWOULDBLOCK)
	// The refused attempt must not have touched the live server's files.
	assert.True(t, exists(first.Path()))
	assert.True(t, exists(first.Path()+".lock"))
	roundTrip(t, first)

	require.NoError(t, first.Close())
	second, err := Listen("wayland-3")
	require.NoError(t, err)
	defer second.Close()
	roundTrip(t, second)
}

func TestListenRefusedWhileLockHeldElsewhere(t *testing.T) {
	dir := runtimeDir(t)
	lockPath := dir + "/wayland-4.lock"
	fd, err := unix.Open(lockPath, unix.O_CREAT|unix.O_RDWR|unix.O_CLOEXEC, 0o660)
	require.NoError(t, err)
	// flock belongs to the open file description, so this fd conflicts
	// with the one Listen opens even within one process.
	require.NoError(t, unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB))

	_, err = Listen("wayland-4")
	assert.ErrorIs(t, err, unix.EADDRINUSE)
	got, err := lockName(dir + "/wayland-4")
	assert.ErrorIs(t, err, unix.EADDRINUSE)
	assert.Equal(t, -1, got, "a refused lock returns no fd")
	got, err = lockName(dir + "/missing-dir/wayland-4")
	assert.ErrorIs(t, err, unix.ENOENT)
	assert.Equal(t, -1, got, "an unopenable lock file returns no fd")
	assert.True(t, exists(lockPath), "a refused Listen must not unlink the other server's lock")

	require.NoError(t, unix.Close(fd))
	l, err := Listen("wayland-4")
	require.NoError(t, err)
	defer l.Close()
	roundTrip(t, l)
}

func TestListenStaleSocketFile(t *testing.T) {
	tests := []struct {
		name    string
		make    func(t *testing.T, path string)
		wantErr error
	}{
		{
			name: "socket left by a listener closed without unlink",
			make: func(t *testing.T, path string) {
				fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
				require.NoError(t, err)
				require.NoError(t, unix.Bind(fd, &unix.SockaddrUnix{Name: path}))
				require.NoError(t, unix.Listen(fd, 1))
				require.NoError(t, unix.Close(fd))
			},
		},
		{
			name: "socket node made by mknod",
			make: func(t *testing.T, path string) {
				require.NoError(t, unix.Mknod(path, unix.S_IFSOCK|0o600, 0))
			},
		},
		{
			name: "writable regular file",
			make: func(t *testing.T, path string) {
				require.NoError(t, os.WriteFile(path, nil, 0o644))
			},
		},
		{
			// libwayland leaves a file it may not write, so bind fails.
			name: "read-only file",
			make: func(t *testing.T, path string) {
				require.NoError(t, os.WriteFile(path, nil, 0o444))
			},
			wantErr: unix.EADDRINUSE,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := runtimeDir(t)
			path := dir + "/wayland-5"
			tc.make(t, path)
			l, err := Listen("wayland-5")
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				// Failed attempt released the lock and its file.
				assert.False(t, exists(path+".lock"))
				return
			}
			require.NoError(t, err)
			defer l.Close()
			roundTrip(t, l)
		})
	}
}

func TestListenAuto(t *testing.T) {
	runtimeDir(t)
	a, err := ListenAuto()
	require.NoError(t, err)
	defer a.Close()
	assert.Equal(t, "wayland-0", a.Name(), "libwayland starts at wayland-0")

	b, err := ListenAuto()
	require.NoError(t, err)
	defer b.Close()
	assert.Equal(t, "wayland-1", b.Name())

	c, err := ListenAuto()
	require.NoError(t, err)
	assert.Equal(t, "wayland-2", c.Name())
	roundTrip(t, c)

	// A freed lower name is picked again first.
	require.NoError(t, a.Close())
	d, err := ListenAuto()
	require.NoError(t, err)
	defer d.Close()
	assert.Equal(t, "wayland-0", d.Name())
	require.NoError(t, c.Close())
}

func TestListenAutoSkipsHeldLocks(t *testing.T) {
	dir := runtimeDir(t)
	for _, n := range []string{"wayland-0", "wayland-1"} {
		fd, err := unix.Open(dir+"/"+n+".lock", unix.O_CREAT|unix.O_RDWR|unix.O_CLOEXEC, 0o660)
		require.NoError(t, err)
		defer unix.Close(fd)
		require.NoError(t, unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB))
	}
	l, err := ListenAuto()
	require.NoError(t, err)
	defer l.Close()
	assert.Equal(t, "wayland-2", l.Name())
}

func TestListenAutoExhausted(t *testing.T) {
	runtimeDir(t)
	var ls []*Listener
	defer func() {
		for _, l := range ls {
			_ = l.Close()
		}
	}()
	for n := 0; n <= MaxAutoDisplay; n++ {
		l, err := ListenAuto()
		require.NoError(t, err)
		ls = append(ls, l)
	}
	assert.Equal(t, "wayland-32", ls[len(ls)-1].Name())
	_, err := ListenAuto()
	assert.ErrorIs(t, err, unix.EINVAL)
	assert.ErrorIs(t, err, unix.EADDRINUSE)
}

func TestListenErrors(t *testing.T) {
	long := strings.Repeat("x", 200)
	tests := []struct {
		name       string
		runtimeDir string
		display    string
		want       error
	}{
		{name: "runtime dir unset", runtimeDir: "", display: "wayland-0", want: unix.ENOENT},
		{name: "runtime dir relative", runtimeDir: "run/user", display: "wayland-0", want: unix.ENOENT},
		{name: "name too long", runtimeDir: "/tmp", display: long, want: unix.ENAMETOOLONG},
		{name: "absolute too long", runtimeDir: "", display: "/" + long, want: unix.ENAMETOOLONG},
		{name: "name with NUL", runtimeDir: "/tmp", display: "wayland\x000", want: unix.EINVAL},
		{name: "missing directory", runtimeDir: "/nonexistent-headway-dir", display: "wayland-0", want: unix.ENOENT},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("XDG_RUNTIME_DIR", tc.runtimeDir)
			l, err := Listen(tc.display)
			if l != nil {
				_ = l.Close()
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.want)
		})
	}
}

func TestListenAutoRuntimeDirUnset(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", "")
	_, err := ListenAuto()
	assert.ErrorIs(t, err, unix.ENOENT)
}

func TestPathLengthBoundary(t *testing.T) {
	// 107 bytes plus NUL fit exactly; 108 do not.
	dir := "/" + strings.Repeat("d", 50)
	fits := strings.Repeat("n", 107-len(dir)-1)
	p, err := resolvePath(fits, dir)
	require.NoError(t, err)
	assert.Len(t, p, 107)
	_, err = resolvePath(fits+"n", dir)
	assert.ErrorIs(t, err, unix.ENAMETOOLONG)
}

func TestCloseRemovesFilesAndIsIdempotent(t *testing.T) {
	runtimeDir(t)
	l, err := Listen("wayland-6")
	require.NoError(t, err)
	path := l.Path()
	require.True(t, exists(path))
	require.True(t, exists(path+".lock"))

	require.NoError(t, l.Close())
	assert.False(t, exists(path))
	assert.False(t, exists(path+".lock"))
	assert.NoError(t, l.Close())

	_, err = l.Accept()
	assert.ErrorIs(t, err, net.ErrClosed)
	_, err = net.DialUnix("unix", nil, &net.UnixAddr{Name: path, Net: "unix"})
	assert.Error(t, err)
}

func TestAcceptUnblockedByClose(t *testing.T) {
	runtimeDir(t)
	l, err := Listen("wayland-8")
	require.NoError(t, err)

	done := make(chan error, 1)
	go func() {
		c, err := l.Accept()
		if c != nil {
			_ = c.Close()
		}
		done <- err
	}()
	require.NoError(t, l.Close())
	select {
	case err := <-done:
		assert.ErrorIs(t, err, net.ErrClosed)
	case <-time.After(waitLimit):
		t.Fatal("Accept still blocked after Close")
	}
}

func TestNilListener(t *testing.T) {
	var l *Listener
	_, err := l.Accept()
	assert.ErrorIs(t, err, net.ErrClosed)
	assert.NoError(t, l.Close())
	assert.Empty(t, l.Name())
	assert.Empty(t, l.Path())
	assert.Nil(t, l.Addr())
}

func TestPeerCred(t *testing.T) {
	runtimeDir(t)
	l, err := Listen("wayland-0")
	require.NoError(t, err)
	defer l.Close()
	client, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: l.Path(), Net: "unix"})
	require.NoError(t, err)
	defer client.Close()
	server, err := l.Accept()
	require.NoError(t, err)
	defer server.Close()

	cred, err := PeerCred(server)
	require.NoError(t, err)
	assert.Equal(t, int32(os.Getpid()), cred.PID)
	assert.Equal(t, uint32(os.Getuid()), cred.UID)
	assert.Equal(t, uint32(os.Getgid()), cred.GID)

	_, err = PeerCred(nil)
	assert.ErrorIs(t, err, unix.EBADF)
	var nilConn *net.UnixConn
	_, err = PeerCred(nilConn)
	assert.ErrorIs(t, err, unix.EBADF)
}

func TestListenFD(t *testing.T) {
	dir := runtimeDir(t)
	path := dir + "/by-fd"
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	require.NoError(t, unix.Bind(fd, &unix.SockaddrUnix{Name: path}))
	require.NoError(t, unix.Listen(fd, 8))

	l, err := ListenFD(fd)
	require.NoError(t, err)
	assert.Equal(t, path, l.Path())
	assert.Empty(t, l.Name())
	roundTrip(t, l)
	// Ownership moved: the original fd number is closed.
	_, err = unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
	assert.ErrorIs(t, err, unix.EBADF)

	require.NoError(t, l.Close())
	assert.True(t, exists(path), "ListenFD's Close must not unlink the caller's path")
	// The Listener holds no lock fd, so Close closed nothing else; a
	// wrong "no lock" value would have closed this process's stdout.
	_, err = unix.FcntlInt(1, unix.F_GETFD, 0)
	assert.NoError(t, err, "ListenFD's Close closed fd 1")
	_, err = l.Accept()
	assert.ErrorIs(t, err, net.ErrClosed)
}

func TestListenFDRejects(t *testing.T) {
	tests := []struct {
		name string
		make func(t *testing.T) int
		want error
	}{
		{name: "negative", make: func(*testing.T) int { return -1 }, want: unix.EBADF},
		{name: "regular file", make: func(t *testing.T) int {
			f, err := os.CreateTemp("", "hws")
			require.NoError(t, err)
			t.Cleanup(func() { _ = os.Remove(f.Name()) })
			fd, err := unix.Dup(int(f.Fd()))
			require.NoError(t, err)
			_ = f.Close()
			return fd
		}, want: unix.ENOTSOCK},
		{name: "datagram", make: func(t *testing.T) int {
			fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
			require.NoError(t, err)
			return fd
		}, want: unix.EPROTOTYPE},
		{name: "inet", make: func(t *testing.T) int {
			fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
			require.NoError(t, err)
			return fd
		}, want: unix.EAFNOSUPPORT},
		{name: "not listening", make: func(t *testing.T) int {
			fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
			require.NoError(t, err)
			return fd
		}, want: unix.EINVAL},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fd := tc.make(t)
			_, err := ListenFD(fd)
			assert.ErrorIs(t, err, tc.want)
			if fd >= 0 {
				// On failure the fd stays open and the caller's.
				_, ferr := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
				assert.NoError(t, ferr)
				_ = unix.Close(fd)
			}
		})
	}
}

func TestErrorsAreErrno(t *testing.T) {
	runtimeDir(t)
	l, err := Listen("wayland-0")
	require.NoError(t, err)
	defer l.Close()
	_, err = Listen("wayland-0")
	var errno unix.Errno
	require.True(t, errors.As(err, &errno))
	assert.Contains(t, err.Error(), "wayland-0.lock")
}

// wl_socket_init_for_display_name refuses a path only when it and its NUL
// exceed sun_path's 108 bytes: 107 characters fit, 108 do not.
func TestResolvePathLengthEdge(t *testing.T) {
	dir := "/" + strings.Repeat("d", 49)
	fits := strings.Repeat("n", sunPathMax-1-len(dir)-1)
	path, err := resolvePath(fits, dir)
	require.NoError(t, err)
	assert.Len(t, path, sunPathMax-1)
	_, err = resolvePath(fits+"n", dir)
	require.ErrorIs(t, err, unix.ENAMETOOLONG)
}
