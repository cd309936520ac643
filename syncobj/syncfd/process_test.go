package syncfd

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/syncobj/internal/testchild"

	"github.com/headwaywl/headway/syncobj/fence"
)

const helperEnv = "HEADWAY_SYNCFD_HELPER"

// TestHelperProcess is the child of the two-process tests: the test binary
// re-executes itself with helperEnv naming the role; fd 3 is a datagram
// socket to the parent, and sync_files travel over it as SCM_RIGHTS.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(helperEnv)
	if mode == "" {
		t.Skip("only runs as the child of a two-process test")
	}
	if err := helperMain(mode, 3); err != nil {
		fmt.Fprintln(os.Stderr, mode+":", err)
		os.Exit(2)
	}
	os.Exit(0)
}

func helperMain(mode string, sock int) error {
	switch mode {
	case "merge": // merge the two files the parent sends, send the result, exit
		fds, err := recvFds(sock)
		if err != nil {
			return err
		}
		if len(fds) != 2 {
			return fmt.Errorf("got %d fds, want 2", len(fds))
		}
		a, err := Import(fds[0])
		if err != nil {
			return err
		}
		b, err := Import(fds[1])
		if err != nil {
			return err
		}
		m, err := Merge("merged-by-child", a, b)
		if err != nil {
			return err
		}
		return sendFds(sock, m.Fd())
	case "export-and-die": // export an in-process fence, then die with it pending
		f := fence.New(testOps{}, nil, 1)
		sf, err := FromFence("doomed", f)
		if err != nil {
			return err
		}
		if err := sendFds(sock, sf.Fd()); err != nil {
			return err
		}
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // SIGKILL cannot be caught
	}
	return fmt.Errorf("unknown mode %q", mode)
}

func sendFds(sock int, fds ...int) error {
	return unix.Sendmsg(sock, []byte("fds"), unix.UnixRights(fds...), nil, 0)
}

func recvFds(sock int) ([]int, error) {
	var buf [16]byte
	oob := make([]byte, unix.CmsgSpace(4*8))
	_, oobn, _, _, err := unix.Recvmsg(sock, buf[:], oob, unix.MSG_CMSG_CLOEXEC)
	if err != nil {
		return nil, err
	}
	return parseRights(oob[:oobn])
}

// startHelper runs the child in mode and returns it with the parent's end
// of their socket.
func startHelper(t *testing.T, mode string) (*exec.Cmd, int) {
	sv, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	t.Cleanup(func() { unix.Close(sv[0]) })
	child := os.NewFile(uintptr(sv[1]), "child-sock")
	defer child.Close()
	cmd := testchild.Command("^TestHelperProcess$")
	cmd.Env = append(os.Environ(), helperEnv+"="+mode)
	cmd.ExtraFiles = []*os.File{child}
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	return cmd, sv[0]
}

func TestTwoProcessMergedOutlivesMerger(t *testing.T) {
	a, b := mustTimeline(t), mustTimeline(t)
	fa := mustNew(t, "a", Point{a, 1})
	fb := mustNew(t, "b", Point{b, 2})

	cmd, sock := startHelper(t, "merge")
	require.NoError(t, sendFds(sock, fa.Fd(), fb.Fd()))
	fds, err := recvFds(sock)
	require.NoError(t, err)
	require.Len(t, fds, 1)
	defer unix.Close(fds[0])
	require.NoError(t, cmd.Wait(), "the merger exits cleanly")

	// The merging process is gone; its file names our timelines, which
	// the datagram holds in flight.
	m := mustImport(t, fds[0])
	assert.Equal(t, "merged-by-child", m.Name())
	info, err := m.Info()
	require.NoError(t, err)
	require.Len(t, info.Fences, 2)
	assert.Equal(t, int32(0), info.Status)

	require.NoError(t, a.Signal(1))
	require.ErrorIs(t, m.Wait(nil, 0), syscall.ETIME, "b is still pending")
	time.AfterFunc(time.Millisecond, func() { _ = b.Signal(2) })
	require.NoError(t, m.Wait(nil, fence.Now()+int64(time.Minute)))
	assert.Equal(t, int32(1), status(t, m))
}

func TestTwoProcessExporterDies(t *testing.T) {
	cmd, sock := startHelper(t, "export-and-die")
	fds, err := recvFds(sock)
	require.NoError(t, err)
	require.Len(t, fds, 1)
	defer unix.Close(fds[0])
	err = cmd.Wait()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	ws := exit.Sys().(syscall.WaitStatus)
	require.True(t, ws.Signaled() && ws.Signal() == syscall.SIGKILL, "child died by SIGKILL: %v", err)

	// The proxy page of a dead exporter stays pending (package doc): the
	// wait ends at its deadline, never later, and the file stays usable.
	sf := mustImport(t, fds[0])
	assert.Equal(t, "doomed", sf.Name())
	deadline := fence.Now() + int64(20*time.Millisecond)
	require.ErrorIs(t, sf.Wait(nil, deadline), syscall.ETIME)
	assert.GreaterOrEqual(t, fence.Now(), deadline)
	assert.Equal(t, int32(0), status(t, sf))
}
