package device

import (
	"context"
	"errors"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/syncobj/fence"
)

type testFenceOps struct{}

func (testFenceOps) DriverName() string                 { return "test" }
func (testFenceOps) TimelineName(f *fence.Fence) string { return "test-timeline" }

func newPendingFence() *fence.Fence { return fence.New(testFenceOps{}, fence.AllocContext(), 1) }

func TestInFenceDelaysTheWholeCommit(t *testing.T) {
	r := newRig(t, "vkms")
	old := r.modeset()
	fb2 := r.fb(r.w, r.h, fourcc.XRGB8888)
	in := newPendingFence()
	fd, err := r.f.InstallFence(in)
	require.NoError(t, err)

	var req Request
	req.Add(r.prim.id, r.prim.PropertyID("FB_ID"), uint64(fb2))
	req.Add(r.prim.id, r.prim.PropertyID("IN_FENCE_FD"), uint64(int64(fd)))
	require.NoError(t, r.f.Commit(context.Background(), &req, AtomicNonblock|PageFlipEvent, 7))
	start := r.clk.Seq()

	for i := 0; i < 3; i++ {
		r.clk.Advance()
		assert.Equal(t, old, r.d.ScanoutPlaneState(r.prim).FB.ID(), "flipped before the in-fence signalled")
		_, ok := r.f.PollEvent()
		assert.False(t, ok)
	}
	// The software state already holds the new framebuffer: later commits
	// are checked against it.
	assert.Equal(t, fb2, r.d.PlaneState(r.prim).FB.ID())

	require.NoError(t, in.Signal()) // during frame start+3
	r.clk.Advance()
	ev, err := r.f.WaitEvent(ctxT(t))
	require.NoError(t, err)
	assert.Equal(t, start+4, ev.Seq, "the flip latches at the first vblank after the fence signalled")
	assert.Equal(t, fb2, r.d.ScanoutPlaneState(r.prim).FB.ID())
}

func TestTestOnlyCreatesNoOutFence(t *testing.T) {
	r := newRig(t, "vkms")
	r.modeset()
	ptr, err := r.f.NewOutFencePtr()
	require.NoError(t, err)
	require.NoError(t, r.f.Mem().PutS32(ptr, 1234))
	var req Request
	req.Add(r.crtc.id, r.crtc.PropertyID("OUT_FENCE_PTR"), ptr)
	require.NoError(t, r.f.Commit(context.Background(), &req, AtomicTestOnly, 0))
	v, err := r.f.Mem().GetU32(ptr)
	require.NoError(t, err)
	assert.Equal(t, int32(-1), int32(v), "OUT_FENCE_PTR is cleared to -1 when the property is set")
	_, err = r.f.TakeOutFence(ptr)
	assert.ErrorIs(t, err, syscall.ENOENT)
	r.d.mu.Lock()
	assert.Empty(t, r.f.fds, "TEST_ONLY installed a descriptor")
	assert.Empty(t, r.d.queue)
	r.d.mu.Unlock()
}

func TestOutFenceSignalsExactlyAtTheFlip(t *testing.T) {
	r := newRig(t, "vkms")
	r.modeset()
	r.clk.AdvanceTo(10)
	fb2 := r.fb(r.w, r.h, fourcc.XRGB8888)
	ptr, err := r.f.NewOutFencePtr()
	require.NoError(t, err)
	var req Request
	req.Add(r.prim.id, r.prim.PropertyID("FB_ID"), uint64(fb2))
	req.Add(r.crtc.id, r.crtc.PropertyID("OUT_FENCE_PTR"), ptr)
	require.NoError(t, r.f.Commit(context.Background(), &req, AtomicNonblock, 0))
	sf, err := r.f.TakeOutFence(ptr)
	require.NoError(t, err)
	out := sf.Fence()
	assert.False(t, out.IsSignaled(), "out-fence signalled before the flip")
	assert.Equal(t, r.crtc.fenceCtx, out.Context())

	r.clk.Advance() // vblank 11: the flip
	require.True(t, out.IsSignaled())
	ts, ok := out.Timestamp()
	require.True(t, ok)
	assert.Equal(t, int64(11*testPeriod), ts, "the out-fence carries the flip's vblank timestamp")
	assert.Equal(t, 0, int(out.Error()))
}

func TestBlockingCommitReturnsAfterTheFlip(t *testing.T) {
	r := newRig(t, "vkms")
	r.modeset()
	fb2 := r.fb(r.w, r.h, fourcc.XRGB8888)
	var req Request
	req.Add(r.prim.id, r.prim.PropertyID("FB_ID"), uint64(fb2))
	done := make(chan error, 1)
	go func() { done <- r.f.Commit(ctxT(t), &req, 0, 0) }()
	// The commit is queued before it blocks; advance once it is.
	r.waitQueued(done)
	r.clk.Advance()
	require.NoError(t, <-done)
	assert.Equal(t, fb2, r.d.ScanoutPlaneState(r.prim).FB.ID())
}

func TestBlockingCommitInterrupted(t *testing.T) {
	r := newRig(t, "vkms")
	r.modeset()
	fb2 := r.fb(r.w, r.h, fourcc.XRGB8888)
	var req Request
	req.Add(r.prim.id, r.prim.PropertyID("FB_ID"), uint64(fb2))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := r.f.Commit(ctx, &req, 0, 0)
	assert.True(t, errors.Is(err, syscall.EINTR), "%v", err)
	// The commit itself still happens.
	r.clk.Advance()
	assert.Equal(t, fb2, r.d.ScanoutPlaneState(r.prim).FB.ID())
}

func TestFailedCommitReleasesSignaling(t *testing.T) {
	r := newRig(t, "vkms")
	r.modeset()
	ptr, err := r.f.NewOutFencePtr()
	require.NoError(t, err)
	var req Request
	req.Add(r.crtc.id, r.crtc.PropertyID("OUT_FENCE_PTR"), ptr)
	req.Add(r.prim.id, r.prim.PropertyID("SRC_W"), uint64(r.w+1)<<16) // ENOSPC at check
	err = r.f.Commit(context.Background(), &req, AtomicNonblock|PageFlipEvent, 0)
	require.ErrorIs(t, err, syscall.ENOSPC)
	v, err := r.f.Mem().GetU32(ptr)
	require.NoError(t, err)
	assert.Equal(t, int32(-1), int32(v), "complete_signaling writes -1 back")
	r.d.mu.Lock()
	assert.Empty(t, r.f.fds)
	assert.Equal(t, EventSpace, r.f.eventSpace)
	r.d.mu.Unlock()
}

func TestEventSpaceExhaustedIsENOMEM(t *testing.T) {
	r := newRig(t, "vkms")
	r.modeset()
	var req Request
	req.Add(r.prim.id, r.prim.PropertyID("CRTC_X"), 0)
	for i := 0; i < EventSpace/EventVblankSize; i++ {
		require.NoError(t, r.f.Commit(context.Background(), &req, AtomicNonblock|PageFlipEvent, uint64(i)))
		r.clk.Advance()
	}
	err := r.f.Commit(context.Background(), &req, AtomicNonblock|PageFlipEvent, 0)
	require.ErrorIs(t, err, syscall.ENOMEM)
	ev, ok := r.f.PollEvent()
	require.True(t, ok)
	assert.Equal(t, uint64(0), ev.UserData)
	require.NoError(t, r.f.Commit(context.Background(), &req, AtomicNonblock|PageFlipEvent, 0), "reading an event frees its space")
}
