package device

// The flip rules of the package doc's Timing section at their edges: a
// CRTC flips at most once per vblank, an in-fence on any plane of a
// commit holds the whole commit, and every connector of a commit reaches
// the committed state.

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/modifiers/fourcc"
)

// Two commits queued on one CRTC (a nonblocking one, then a blocking one,
// which is not subject to the EBUSY stall check) flip at consecutive
// vblanks: hardware latches one update per frame, and drm_crtc_send_vblank_event
// reports each at its own vblank.
func TestTwoQueuedCommitsFlipAtConsecutiveVblanks(t *testing.T) {
	r, _ := kaLitRig(t, "vkms")
	fbA, fbB := r.fb(r.w, r.h, fourcc.XRGB8888), r.fb(r.w, r.h, fourcc.XRGB8888)
	start := r.clk.Seq()
	require.NoError(t, r.f.Commit(ctxT(t), kaPlaneReq(r, fbA, nil), AtomicNonblock|PageFlipEvent, 1))
	done := make(chan error, 1)
	reqB := kaPlaneReq(r, fbB, nil)
	go func() { done <- r.f.Commit(ctxT(t), reqB, PageFlipEvent, 2) }()
	// Wait until B is queued behind A.
	ctx := ctxT(t)
	for {
		r.d.mu.Lock()
		n := len(r.d.queue)
		r.d.mu.Unlock()
		if n == 2 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("blocking commit returned before its flip: %v", err)
		case <-ctx.Done():
			t.Fatal("second commit never queued")
		default:
		}
		waitOnce()
	}
	r.clk.Advance()
	ev, ok := r.f.PollEvent()
	require.True(t, ok)
	assert.Equal(t, uint64(1), ev.UserData)
	assert.Equal(t, start+1, ev.Seq)
	_, ok = r.f.PollEvent()
	require.False(t, ok, "the second commit flipped at the same vblank as the first")
	assert.Equal(t, fbA, r.d.ScanoutPlaneState(r.prim).FB.ID())

	r.clk.Advance()
	require.NoError(t, <-done)
	ev, ok = r.f.PollEvent()
	require.True(t, ok)
	assert.Equal(t, uint64(2), ev.UserData)
	assert.Equal(t, start+2, ev.Seq)
	assert.Equal(t, fbB, r.d.ScanoutPlaneState(r.prim).FB.ID())
}

// An unsignalled in-fence on the second plane of a commit holds the whole
// commit, the first plane's change included.
func TestInFenceOnSecondPlaneHoldsTheCommit(t *testing.T) {
	r, fb := kaLitRig(t, "vkms")
	ov := kaOverlay(t, r)
	require.Less(t, r.prim.index, ov.index)
	fd, fe := kaPendingFence(t, r)
	fb2 := r.fb(r.w, r.h, fourcc.XRGB8888)
	req := kaPlaneReq(r, fb2, nil)
	r.planeProps(req, ov, r.crtc, r.fb(64, 64, fourcc.XRGB8888), 0, 0, 64, 64)
	r.kaSet(req, ov.id, ov, "IN_FENCE_FD", uint64(fd))
	require.NoError(t, r.f.Commit(ctxT(t), req, AtomicNonblock, 0))
	r.clk.Advance()
	assert.Equal(t, fb, r.d.ScanoutPlaneState(r.prim).FB.ID(), "flipped before the overlay's in-fence signalled")
	require.NoError(t, fe.Signal())
	r.clk.Advance()
	r.requireIdle()
	assert.Equal(t, fb2, r.d.ScanoutPlaneState(r.prim).FB.ID())
}

// Every connector of a commit takes its new state, the second (the
// writeback connector) as well as the first.
func TestCommitUpdatesEveryConnector(t *testing.T) {
	r, _ := kaLitRig(t, "vkms")
	wb := r.d.Writeback()
	require.Less(t, r.conn.index, wb.index)
	var req Request
	r.kaSet(&req, r.conn.id, r.conn, "CRTC_ID", uint64(r.crtc.id))
	r.kaSet(&req, wb.id, wb, "CRTC_ID", uint64(r.crtc.id))
	require.NoError(t, r.f.Commit(ctxT(t), &req, AtomicNonblock|AtomicAllowModeset, 0))
	r.clk.Advance()
	r.requireIdle()
	props, err := r.f.ObjectProperties(wb.id, ObjectConnector)
	require.NoError(t, err)
	found := false
	for _, pv := range props {
		if pv.Prop.Name() == "CRTC_ID" {
			found = true
			assert.Equal(t, uint64(r.crtc.id), pv.Value)
		}
	}
	require.True(t, found)
}
