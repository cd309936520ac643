package server

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCallRunsOnTheLoopAndWaits(t *testing.T) {
	d := startDisplay(t, newTestHandler())
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	var ran bool
	require.NoError(t, d.Call(ctx, func() { ran = true }))
	assert.True(t, ran, "Call returns only after fn ran")
	// A panicking fn still returns (the loop recovers it).
	require.NoError(t, d.Call(ctx, func() { panic("boom") }))
}

func TestCallAfterCloseFails(t *testing.T) {
	d := NewDisplay(WithTrace(nil))
	d.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := d.Call(ctx, func() {})
	require.ErrorIs(t, err, net.ErrClosed)
}

func TestCallHonoursContext(t *testing.T) {
	d := NewDisplay(WithTrace(nil)) // never run: nothing executes fn
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := d.Call(ctx, func() {})
	require.True(t, errors.Is(err, context.Canceled), "%v", err)
}

func TestDestroyListenerSeesThePostedError(t *testing.T) {
	d := startDisplay(t, newTestHandler())
	gone := make(chan PostedError, 1)
	c := connect(t, d)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	require.NoError(t, d.Call(ctx, func() {
		for _, cl := range d.clientList() {
			cl.AddDestroyListener(func(cl *Client) { gone <- cl.Error() })
		}
	}))
	c.MustSend(42, 0, nil) // no object 42
	c.MustExpectError()
	select {
	case pe := <-gone:
		assert.True(t, pe.Sent)
		assert.Equal(t, uint32(1), pe.Object)
		assert.Equal(t, "wl_display", pe.Interface)
		assert.Equal(t, ErrorInvalidObject, pe.Code)
		assert.Equal(t, "invalid object 42", pe.Message)
	case <-ctx.Done():
		t.Fatal("destroy listener not called")
	}
}
