package fence

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

type testOps struct{}

func (testOps) DriverName() string           { return "test" }
func (testOps) TimelineName(f *Fence) string { return "t" }

func TestSignalWakesWaiter(t *testing.T) {
	f := New(testOps{}, nil, 1)
	done := make(chan error, 1)
	go func() {
		_, err := f.Wait(context.Background(), Forever)
		done <- err
	}()
	require.NoError(t, f.Signal())
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("waiter not woken")
	}
	require.ErrorIs(t, f.Signal(), syscall.EINVAL)
	_, err := f.Wait(nil, 0)
	require.NoError(t, err)
}

func TestWaitTimeoutAndInterrupt(t *testing.T) {
	f := New(testOps{}, nil, 1)
	_, err := f.Wait(nil, 0)
	require.ErrorIs(t, err, syscall.ETIME)
	_, err = f.Wait(nil, time.Millisecond)
	require.ErrorIs(t, err, syscall.ETIME)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = f.Wait(ctx, Forever)
	require.ErrorIs(t, err, ERESTARTSYS)
	require.True(t, errors.Is(err, context.Canceled))
	require.False(t, errors.Is(err, syscall.ETIME))
}

func TestArray(t *testing.T) {
	a, b := New(testOps{}, nil, 1), New(testOps{}, nil, 1)
	arr, err := NewArray([]*Fence{a, b}, nil, 1, false)
	require.NoError(t, err)
	require.Len(t, Unwrap(arr), 2)
	require.NoError(t, b.SetError(syscall.EIO))
	require.NoError(t, b.Signal())
	_, err = arr.Wait(nil, 0)
	require.ErrorIs(t, err, syscall.ETIME)
	require.NoError(t, a.Signal())
	_, err = arr.Wait(nil, time.Second)
	require.NoError(t, err)
	require.Equal(t, -int(syscall.EIO), arr.Status())
}
