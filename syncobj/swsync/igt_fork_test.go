package swsync

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/syncobj/internal/testchild"

	"github.com/headwaywl/headway/syncobj/fence"
	"github.com/headwaywl/headway/syncobj/shmtimeline"
	"github.com/headwaywl/headway/syncobj/syncfd"
)

// The two IGT subtests that need a second process. A sw_sync timeline fd
// that another process can advance is a shared timeline page
// (shmtimeline), and the fence on it is an emulated sync_file (syncfd) at
// the point. IGT forks; the test binary re-executes itself instead, with
// the timeline fd inherited (sync_busy_fork) or a datagram socket over
// which the parent sends it with SCM_RIGHTS (sync_busy_fork_unixsocket).
// IGT's child sleeps a second before advancing so that the parent is
// likely asleep by then; the port needs no sleep, because the parent's
// wait is correct whichever comes first.

const forkHelperEnv = "HEADWAY_SWSYNC_FORK_HELPER"

var igtForkSubtests = []igtCase{
	{"sync_busy_fork", func(t *testing.T) {
		tl, sf := sharedTimelineFence(t)
		require.ErrorIs(t, sf.Wait(nil, 0), syscall.ETIME, "fence signalled before the child advanced")

		cmd := forkChild(t, "inherit", tl.Fd())
		require.NoError(t, sf.Wait(nil, fence.Now()+int64(igtWaitLong)),
			"fence not signalled (timeline value 1, fence seqno 1)")
		require.NoError(t, cmd.Wait())
	}},

	{"sync_busy_fork_unixsocket", func(t *testing.T) {
		tl, sf := sharedTimelineFence(t)
		sv, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		require.NoError(t, err)
		defer unix.Close(sv[0])
		cmd := forkChild(t, "unixsocket", sv[1])
		unix.Close(sv[1])

		require.ErrorIs(t, sf.Wait(nil, 0), syscall.ETIME, "fence signalled before the timeline was sent")
		require.NoError(t, unix.Sendmsg(sv[0], []byte("ABC"), unix.UnixRights(tl.Fd()), nil, 0))
		require.NoError(t, sf.Wait(nil, fence.Now()+int64(igtWaitLong)),
			"fence not signalled (timeline value 1, fence seqno 1)")
		require.NoError(t, cmd.Wait())
	}},
}

func TestSwSyncFork(t *testing.T) {
	for _, c := range igtForkSubtests {
		t.Run(c.name, c.fn)
	}
}

func sharedTimelineFence(t *testing.T) (*shmtimeline.Timeline, *syncfd.File) {
	tl, err := shmtimeline.Create()
	require.NoError(t, err)
	t.Cleanup(func() { _ = tl.Close() })
	sf, err := syncfd.New("", syncfd.Point{Timeline: tl, Value: 1})
	require.NoError(t, err)
	t.Cleanup(func() { _ = sf.Close() })
	return tl, sf
}

// forkChild starts the child with fd as its fd 3.
func forkChild(t *testing.T, mode string, fd int) *exec.Cmd {
	f := os.NewFile(uintptr(fd), "to-child")
	cmd := testchild.Command("^TestForkHelper$")
	cmd.Env = append(os.Environ(), forkHelperEnv+"="+mode)
	cmd.ExtraFiles = []*os.File{f}
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	return cmd
}

// TestForkHelper is the child side; it only runs when re-executed.
func TestForkHelper(t *testing.T) {
	mode := os.Getenv(forkHelperEnv)
	if mode == "" {
		t.Skip("only runs as the child of a sync_busy_fork test")
	}
	if err := forkChildMain(mode); err != nil {
		fmt.Fprintln(os.Stderr, mode+":", err)
		os.Exit(2)
	}
	os.Exit(0)
}

func forkChildMain(mode string) error {
	timelineFd := 3
	if mode == "unixsocket" {
		var buf [256]byte
		oob := make([]byte, 256)
		_, oobn, _, _, err := unix.Recvmsg(3, buf[:], oob, unix.MSG_CMSG_CLOEXEC)
		if err != nil {
			return fmt.Errorf("recvmsg: %w", err)
		}
		msgs, err := unix.ParseSocketControlMessage(oob[:oobn])
		if err != nil || len(msgs) != 1 {
			return fmt.Errorf("control message: %v (%d)", err, len(msgs))
		}
		fds, err := unix.ParseUnixRights(&msgs[0])
		if err != nil || len(fds) != 1 {
			return fmt.Errorf("SCM_RIGHTS: %v (%d fds)", err, len(fds))
		}
		timelineFd = fds[0]
	}
	tl, err := shmtimeline.Open(timelineFd)
	if err != nil {
		return err
	}
	// Advance timeline from 0 to 1, as sw_sync_timeline_inc(timeline, 1).
	_, err = tl.Advance(1)
	return err
}
