package syncfd

import (
	"context"
	"encoding/binary"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/syncobj/fence"
)

// No machine headway's CI runs on has a source of kernel sync_files
// (sw_sync needs debugfs and CONFIG_SW_SYNC, udmabuf a /dev node), so the
// kernel path is tested in its parts: recognition never mistakes another
// fd for a sync_file, and the poll-based wait, the part that has logic of
// its own, runs on an eventfd, which polls readable the same way.

func TestKernelRecognition(t *testing.T) {
	efd, err := unix.Eventfd(0, unix.EFD_CLOEXEC)
	require.NoError(t, err)
	defer unix.Close(efd)
	memfd, err := unix.MemfdCreate("x", unix.MFD_CLOEXEC)
	require.NoError(t, err)
	defer unix.Close(memfd)
	for name, fd := range map[string]int{"eventfd": efd, "memfd": memfd, "stdin": 0} {
		assert.False(t, isKernelSyncFile(fd), name)
	}
	_, err = Import(efd)
	require.ErrorIs(t, err, syscall.EINVAL)
}

func TestPollWait(t *testing.T) {
	newEventfd := func(t *testing.T) int {
		efd, err := unix.Eventfd(0, unix.EFD_CLOEXEC)
		require.NoError(t, err)
		t.Cleanup(func() { unix.Close(efd) })
		return efd
	}
	dup := func(t *testing.T, fd int) int {
		d, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
		require.NoError(t, err)
		return d
	}
	signal := func(fd int) {
		var one [8]byte
		binary.NativeEndian.PutUint64(one[:], 1)
		_, _ = unix.Write(fd, one[:])
	}

	t.Run("past deadline is a query", func(t *testing.T) {
		efd := newEventfd(t)
		require.ErrorIs(t, pollWait(nil, dup(t, efd), 0), syscall.ETIME)
		signal(efd)
		require.NoError(t, pollWait(nil, dup(t, efd), 0))
	})
	t.Run("deadline", func(t *testing.T) {
		efd := newEventfd(t)
		require.ErrorIs(t, pollWait(nil, dup(t, efd), fence.Now()+int64(time.Millisecond)), syscall.ETIME)
	})
	t.Run("woken by the signal", func(t *testing.T) {
		efd := newEventfd(t)
		time.AfterFunc(time.Millisecond, func() { signal(efd) })
		require.NoError(t, pollWait(nil, dup(t, efd), forever))
	})
	t.Run("interrupted", func(t *testing.T) {
		efd := newEventfd(t)
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(time.Millisecond, cancel)
		err := pollWait(ctx, dup(t, efd), forever)
		require.ErrorIs(t, err, fence.ERESTARTSYS)
		require.ErrorIs(t, err, context.Canceled)
	})
	t.Run("fence over a pollable fd", func(t *testing.T) {
		efd := newEventfd(t)
		f, err := kernelFence(efd)
		require.NoError(t, err)
		defer f.Put()
		assert.False(t, f.IsSignaled())
		time.AfterFunc(time.Millisecond, func() { signal(efd) })
		_, err = f.Wait(nil, fence.Forever)
		require.NoError(t, err)
		// FILE_INFO fails on an eventfd, so no error is read: status 1.
		assert.Equal(t, 1, f.Status())
	})
}
