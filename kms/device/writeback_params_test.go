package device

import (
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/modifiers/fourcc"
)

// IGT kms_writeback's writeback-invalid-parameters and writeback-fb-id,
// with the errnos the kernel gives, plus the pointer-without-job cases
// that follow from the same code:
//
//   - drm_atomic_connector_set_property: WRITEBACK_FB_ID allocates the
//     writeback job (drm_writeback_set_fb), even for 0;
//     WRITEBACK_OUT_FENCE_PTR only stores the pointer after
//     set_out_fence_for_connector's put_user(-1), EFAULT if that fails.
//   - prepare_signaling skips connectors without a job, so a pointer alone
//     gets no fence and keeps -1; TEST_ONLY creates no fences at all.
//   - drm_atomic_connector_check refuses (EINVAL) a job whose out-fence
//     exists but whose framebuffer does not, and drops a job without
//     framebuffer or fence.
//   - An object id that is not a framebuffer fails
//     drm_property_change_valid_get: EINVAL.
//   - vkms_wb_atomic_check: a framebuffer not of the mode's size is EINVAL.
//
// IGT sets CRTC_ID, WRITEBACK_FB_ID and WRITEBACK_OUT_FENCE_PTR in every
// request (do_writeback_test) and commits with ALLOW_MODESET; after each
// commit the pointer holds -1 and WRITEBACK_FB_ID reads back 0.
func TestWritebackParameters(t *testing.T) {
	const unwritable = 0x8 // IGT's invalid pointer: the first page is never mapped
	cases := []struct {
		name     string
		testOnly bool
		fb       string // "": no WRITEBACK_FB_ID; "zero", "valid", "half", "connector"
		ptr      string // "": no WRITEBACK_OUT_FENCE_PTR; "valid", "unwritable"
		errno    syscall.Errno
		fence    bool // a writeback out-fence is installed
	}{
		// writeback-invalid-parameters: every case fails.
		{name: "no framebuffer, with fence pointer", fb: "zero", ptr: "valid", errno: syscall.EINVAL},
		{name: "framebuffer of half the mode size", fb: "half", ptr: "valid", errno: syscall.EINVAL},
		{name: "fence pointer not writable", fb: "valid", ptr: "unwritable", errno: syscall.EFAULT},
		// writeback-fb-id.
		{name: "WRITEBACK_FB_ID names a connector", fb: "connector", errno: syscall.EINVAL},
		{name: "WRITEBACK_FB_ID zero", fb: "zero"},
		{name: "valid framebuffer", fb: "valid"},
		// The kernel paths the IGT cases do not reach.
		{name: "valid framebuffer with fence pointer", fb: "valid", ptr: "valid", fence: true},
		{name: "fence pointer without job", ptr: "valid"},
		{name: "fence pointer without job, TEST_ONLY", testOnly: true, ptr: "valid"},
		{name: "no framebuffer, with fence pointer, TEST_ONLY", testOnly: true, fb: "zero", ptr: "valid"},
		{name: "unwritable fence pointer without job", ptr: "unwritable", errno: syscall.EFAULT},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, "vkms")
			wb := r.d.Writeback()
			require.NotNil(t, wb)
			r.modeset()
			var req Request
			req.Add(wb.id, wb.PropertyID("CRTC_ID"), uint64(r.crtc.id))
			switch c.fb {
			case "zero":
				req.Add(wb.id, wb.PropertyID("WRITEBACK_FB_ID"), 0)
			case "valid":
				req.Add(wb.id, wb.PropertyID("WRITEBACK_FB_ID"), uint64(r.fb(r.w, r.h, fourcc.XRGB8888)))
			case "half":
				req.Add(wb.id, wb.PropertyID("WRITEBACK_FB_ID"), uint64(r.fb(r.w/2, r.h/2, fourcc.XRGB8888)))
			case "connector":
				req.Add(wb.id, wb.PropertyID("WRITEBACK_FB_ID"), uint64(wb.id))
			}
			var ptr uint64
			switch c.ptr {
			case "valid":
				var err error
				ptr, err = r.f.NewOutFencePtr()
				require.NoError(t, err)
				// IGT stores 0 first, so that -1 afterwards is the kernel's.
				require.NoError(t, r.f.Mem().PutS32(ptr, 0))
				req.Add(wb.id, wb.PropertyID("WRITEBACK_OUT_FENCE_PTR"), ptr)
			case "unwritable":
				req.Add(wb.id, wb.PropertyID("WRITEBACK_OUT_FENCE_PTR"), unwritable)
			}
			flags := AtomicAllowModeset | AtomicNonblock
			if c.testOnly {
				flags = AtomicAllowModeset | AtomicTestOnly
			}
			err := r.f.Commit(ctxT(t), &req, flags, 0)
			if c.errno != 0 {
				require.ErrorIs(t, err, c.errno)
			} else {
				require.NoError(t, err)
			}
			if ptr != 0 {
				sf, err := r.f.TakeOutFence(ptr)
				if c.fence {
					require.NoError(t, err)
					defer sf.Close()
				} else {
					assert.ErrorIs(t, err, syscall.ENOENT, "the pointer must hold -1")
				}
			}
			require.NoError(t, r.f.lock())
			fds := len(r.f.fds)
			r.f.unlock()
			assert.Zero(t, fds, "a descriptor was left installed")
			r.clk.Advance()
			r.requireIdle()
			props, err := r.f.ObjectProperties(wb.id, ObjectConnector)
			require.NoError(t, err)
			for _, pv := range props {
				if pv.Prop.Name() == "WRITEBACK_FB_ID" {
					assert.Zero(t, pv.Value, "WRITEBACK_FB_ID must always read as zero")
				}
			}
		})
	}
}
