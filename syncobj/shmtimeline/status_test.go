package shmtimeline

import (
	"math"
	"syscall"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAbandonWithErrorCarriesErrno(t *testing.T) {
	tl := mustCreate(t)
	peer := mustOpen(t, tl.Fd())
	require.NoError(t, tl.Signal(3))

	require.ErrorIs(t, tl.AbandonWithError(0), syscall.EINVAL)
	require.ErrorIs(t, tl.AbandonWithError(4096), syscall.EINVAL)
	require.NoError(t, tl.AbandonWithError(syscall.EIO))
	// The first error sticks: a later abandon does not rewrite it.
	require.NoError(t, tl.AbandonWithError(syscall.EPIPE))

	err := peer.Wait(nil, 4, farDeadline())
	require.ErrorIs(t, err, syscall.EIO)
	require.NoError(t, peer.Wait(nil, 3, farDeadline()), "points reached before the abandon stay signalled")

	st, err := peer.PointStatus(4)
	require.NoError(t, err)
	assert.Equal(t, -int32(syscall.EIO), st)

	// MAX_ERRNO itself is an error dma_fence_set_error takes.
	last := mustCreate(t)
	require.NoError(t, last.AbandonWithError(4095))
	st, err = last.PointStatus(1)
	require.NoError(t, err)
	assert.Equal(t, int32(-4095), st)
}

func TestPointStatus(t *testing.T) {
	tl := mustCreate(t)
	require.NoError(t, tl.Signal(5))
	for _, tc := range []struct {
		point uint64
		want  int32
	}{{0, 1}, {5, 1}, {6, 0}, {math.MaxUint64, 0}} {
		st, err := tl.PointStatus(tc.point)
		require.NoError(t, err)
		assert.Equal(t, tc.want, st, "point %d", tc.point)
	}
	require.NoError(t, tl.Abandon())
	st, err := tl.PointStatus(6)
	require.NoError(t, err)
	assert.Equal(t, -int32(syscall.ENOENT), st)

	// A dead page holding an error above MAX_ERRNO is corrupt.
	*(*uint32)(unsafe.Pointer(&tl.mem[offError])) = 5000
	_, err = tl.PointStatus(6)
	require.ErrorIs(t, err, syscall.EINVAL)

	require.NoError(t, tl.Close())
	_, err = tl.PointStatus(1)
	require.ErrorIs(t, err, syscall.EBADF)
}

func TestAdvance(t *testing.T) {
	tl := mustCreate(t)
	peer := mustOpen(t, tl.Fd())
	v, err := tl.Advance(1)
	require.NoError(t, err)
	assert.Equal(t, uint64(1), v)
	v, err = peer.Advance(2)
	require.NoError(t, err)
	assert.Equal(t, uint64(3), v)
	v, err = tl.Advance(0)
	require.NoError(t, err)
	assert.Equal(t, uint64(3), v)
	v, err = tl.Advance(1)
	require.NoError(t, err)
	assert.Equal(t, uint64(4), v, "a step smaller than the value")
	require.NoError(t, tl.Signal(math.MaxUint64-1))
	_, err = tl.Advance(2)
	require.ErrorIs(t, err, syscall.EINVAL)
	v, err = tl.Advance(1)
	require.NoError(t, err, "reaching the largest value is no wrap")
	assert.Equal(t, uint64(math.MaxUint64), v)
	_, err = tl.Advance(1)
	require.ErrorIs(t, err, syscall.EINVAL)
	require.NoError(t, tl.Abandon())
	_, err = tl.Advance(1)
	require.ErrorIs(t, err, syscall.ENOENT)
}
