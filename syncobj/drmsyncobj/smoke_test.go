package drmsyncobj

import (
	"context"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/syncobj/fence"
)

type testOps struct{}

func (testOps) DriverName() string                 { return "test" }
func (testOps) TimelineName(f *fence.Fence) string { return "t" }

func TestSmoke(t *testing.T) {
	f := NewFile()
	h, err := f.Create(0)
	require.NoError(t, err)
	require.Equal(t, Handle(1), h)
	_, err = f.Wait(nil, []Handle{h}, 0, 0)
	require.ErrorIs(t, err, syscall.EINVAL)
	_, err = f.Wait(nil, []Handle{h}, 0, WaitForSubmit)
	require.ErrorIs(t, err, syscall.ETIME)
	fn := fence.New(testOps{}, nil, 1)
	require.NoError(t, f.ImportFence(h, 0, fn))
	f.hookBlocked = func() { _ = fn.Signal() }
	_, err = f.Wait(context.Background(), []Handle{h}, fence.Now()+int64(1e10), 0)
	require.NoError(t, err)
	require.NoError(t, f.TimelineSignal([]Handle{h}, []uint64{3}, 0))
	pts := make([]uint64, 1)
	require.NoError(t, f.Query([]Handle{h}, pts, 0))
	require.Equal(t, uint64(3), pts[0])
}
