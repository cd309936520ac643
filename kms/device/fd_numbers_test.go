package device

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/modifiers/fourcc"
)

// The file's descriptors go to the lowest free number above the DRM file's
// 3 (the package doc's promise, as get_unused_fd_flags does in a process
// whose 0-2 are taken): a commit with a CRTC and a writeback out-fence
// installs 4 then 5, in prepare_signaling's order.
func TestOutFenceDescriptorsCountUpFromFour(t *testing.T) {
	r := newRig(t, "vkms")
	wb := r.d.Writeback()
	r.modeset()
	crtcPtr, err := r.f.NewOutFencePtr()
	require.NoError(t, err)
	wbPtr, err := r.f.NewOutFencePtr()
	require.NoError(t, err)
	var req Request
	req.Add(r.crtc.id, r.crtc.PropertyID("OUT_FENCE_PTR"), crtcPtr)
	req.Add(wb.id, wb.PropertyID("CRTC_ID"), uint64(r.crtc.id))
	req.Add(wb.id, wb.PropertyID("WRITEBACK_FB_ID"), uint64(r.fb(r.w, r.h, fourcc.XRGB8888)))
	req.Add(wb.id, wb.PropertyID("WRITEBACK_OUT_FENCE_PTR"), wbPtr)
	require.NoError(t, r.f.Commit(ctxT(t), &req, AtomicNonblock|AtomicAllowModeset, 0))
	for ptr, want := range map[uint64]int32{crtcPtr: 4, wbPtr: 5} {
		v, err := r.f.Mem().GetU32(ptr)
		require.NoError(t, err)
		assert.Equal(t, want, int32(v))
	}
	r.clk.Advance()
	r.requireIdle()
}
