package device

// The atomic check's rules at their edges: drm_atomic_plane_check's
// rectangle and source limits, the rotation, VRR_ENABLED and GAMMA_LUT
// properties, drm_atomic_crtc_check, and requests that span two CRTCs,
// where every CRTC of the request must be checked and no CRTC outside it
// may be pulled in. Expected values come from the kernel (drm_atomic.c,
// drm_atomic_uapi.c, drm_atomic_helper.c) and VKMS.

import (
	"math"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
)

// drm_atomic_plane_check: ERANGE only when CRTC_W > INT_MAX or
// CRTC_X > INT_MAX - CRTC_W (and the same for Y), so a rectangle that
// ends exactly at INT_MAX passes on to the source check; ENOSPC when
// src_w > fb_width or src_x > fb_width - src_w (16.16), so a source that
// ends exactly at the framebuffer's edge is fine.
func TestAtomicPlaneRectangleEdges(t *testing.T) {
	const one = 1 << 16
	type tc struct {
		name  string
		tweak func(r *rig, req *Request)
		errno syscall.Errno // 0: accepted
	}
	set := func(r *rig, req *Request, name string, v uint64) { r.kaSet(req, r.prim.id, r.prim, name, v) }
	// tooWide makes the source one pixel wider than the framebuffer, so a
	// request that passes the rectangle check stops at ENOSPC.
	tooWide := func(r *rig, req *Request) { set(r, req, "SRC_W", uint64(r.w+1)<<16) }
	cases := []tc{
		{"CRTCWIntMaxAtXZero", func(r *rig, req *Request) {
			set(r, req, "CRTC_W", math.MaxInt32)
			tooWide(r, req)
		}, syscall.ENOSPC},
		{"CRTCWIntMaxAtXMinusOne", func(r *rig, req *Request) {
			set(r, req, "CRTC_X", ^uint64(0)) // -1
			set(r, req, "CRTC_W", math.MaxInt32)
			tooWide(r, req)
		}, syscall.ENOSPC},
		{"CRTCWIntMaxAtXOne", func(r *rig, req *Request) {
			set(r, req, "CRTC_X", 1)
			set(r, req, "CRTC_W", math.MaxInt32)
		}, syscall.ERANGE},
		{"CRTCHIntMaxAtYZero", func(r *rig, req *Request) {
			set(r, req, "CRTC_H", math.MaxInt32)
			tooWide(r, req)
		}, syscall.ENOSPC},
		{"CRTCHIntMaxAtYOne", func(r *rig, req *Request) {
			set(r, req, "CRTC_Y", 1)
			set(r, req, "CRTC_H", math.MaxInt32)
		}, syscall.ERANGE},
		{"SrcXPlusWidthPastEdge", func(r *rig, req *Request) {
			set(r, req, "SRC_X", one)
		}, syscall.ENOSPC},
		{"SrcXSubpixelPastEdge", func(r *rig, req *Request) {
			set(r, req, "SRC_X", 1)
		}, syscall.ENOSPC},
		{"SrcXEndsAtEdge", func(r *rig, req *Request) {
			set(r, req, "SRC_X", one)
			set(r, req, "SRC_W", uint64(r.w-1)<<16)
			set(r, req, "CRTC_W", uint64(r.w-1))
		}, 0},
		{"SrcYPlusHeightPastEdge", func(r *rig, req *Request) {
			set(r, req, "SRC_Y", one)
		}, syscall.ENOSPC},
		{"SrcYSubpixelPastEdge", func(r *rig, req *Request) {
			set(r, req, "SRC_Y", 1)
		}, syscall.ENOSPC},
		{"SrcYEndsAtEdge", func(r *rig, req *Request) {
			set(r, req, "SRC_Y", one)
			set(r, req, "SRC_H", uint64(r.h-1)<<16)
			set(r, req, "CRTC_H", uint64(r.h-1))
		}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, fb := kaLitRig(t, "vkms")
			req := kaPlaneReq(r, fb, func(req *Request) { c.tweak(r, req) })
			kaTestOnly(t, r, req, c.errno)
		})
	}
}

// drm_atomic_plane_set_property: the rotation value must hold exactly one
// DRM_MODE_ROTATE_* bit (is_power_of_2(val & DRM_MODE_ROTATE_MASK)); the
// reflections may be added to it.
func TestAtomicRotationNeedsOneRotationBit(t *testing.T) {
	for _, c := range []struct {
		name  string
		rot   profile.Rotation
		errno syscall.Errno
	}{
		{"NoRotationBit", profile.ReflectX, syscall.EINVAL},
		{"Zero", 0, syscall.EINVAL},
		{"TwoRotationBits", profile.Rotate0 | profile.Rotate90, syscall.EINVAL},
		{"Rotate0", profile.Rotate0, 0},
		{"Rotate180", profile.Rotate180, 0},
		{"Rotate0ReflectXY", profile.Rotate0 | profile.ReflectX | profile.ReflectY, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, fb := kaLitRig(t, "vkms")
			req := kaPlaneReq(r, fb, func(req *Request) { r.kaSet(req, r.prim.id, r.prim, "rotation", uint64(c.rot)) })
			before := kaSnap(r)
			err := r.f.Commit(ctxT(t), req, AtomicNonblock, 0)
			if c.errno != 0 {
				kaFail(t, r, before, err, c.errno)
				return
			}
			require.NoError(t, err)
			r.clk.Advance()
			r.requireIdle()
			assert.Equal(t, c.rot, r.d.PlaneState(r.prim).Rotation)
		})
	}
}

// crtcProp reads one CRTC property as DRM_IOCTL_MODE_OBJ_GETPROPERTIES does.
func crtcProp(t *testing.T, r *rig, c *CRTC, name string) uint64 {
	t.Helper()
	props, err := r.f.ObjectProperties(c.id, ObjectCRTC)
	require.NoError(t, err)
	for _, pv := range props {
		if pv.Prop.Name() == name {
			return pv.Value
		}
	}
	require.FailNow(t, "no such property", name)
	return 0
}

// VRR_ENABLED is a plain boolean state->vrr_enabled = val that reads back
// as set.
func TestAtomicVRREnabledReadsBack(t *testing.T) {
	r, _ := kaLitRig(t, "vkms")
	for _, v := range []uint64{1, 0, 1} {
		var req Request
		r.kaSet(&req, r.crtc.id, r.crtc, "VRR_ENABLED", v)
		require.NoError(t, r.f.Commit(ctxT(t), &req, AtomicNonblock, 0))
		r.clk.Advance()
		r.requireIdle()
		assert.Equal(t, v, crtcProp(t, r, r.crtc, "VRR_ENABLED"))
		assert.Equal(t, v == 1, r.d.CRTCState(r.crtc).VRR)
	}
}

// GAMMA_LUT: a blob that is not whole struct drm_color_lut entries is
// EINVAL when set (drm_atomic_replace_property_blob_from_id with
// expected_elem_size). The entry count is the driver's: VKMS refuses more
// than VKMS_LUT_SIZE (256) entries and takes fewer (vkms_atomic_check);
// i915 (check_lut_size) and rcar-du (rcar_du_cmm_check) take exactly
// GAMMA_LUT_SIZE. An accepted LUT reads back as the CRTC's GAMMA_LUT; 0
// removes it.
func TestAtomicGammaLUT(t *testing.T) {
	lut := func(r *rig, bytes int) uint64 {
		id, err := r.f.CreateBlob(make([]byte, bytes))
		require.NoError(t, err)
		return uint64(id)
	}
	for _, c := range []struct {
		profile, name string
		bytes         int
		errno         syscall.Errno
	}{
		{"vkms", "FullSize", 256 * ColorLUTSize, 0},
		{"vkms", "OneEntryTooMany", 257 * ColorLUTSize, syscall.EINVAL},
		{"vkms", "OneEntryShort", 255 * ColorLUTSize, 0},
		{"vkms", "OneEntry", ColorLUTSize, 0},
		{"vkms", "HalfAnEntry", 255*ColorLUTSize + ColorLUTSize/2, syscall.EINVAL},
		{"vkms", "OneByte", 1, syscall.EINVAL},
		{"intel-like", "FullSize", 1024 * ColorLUTSize, 0},
		{"intel-like", "OneEntryShort", 1023 * ColorLUTSize, syscall.EINVAL},
		{"intel-like", "OneEntryTooMany", 1025 * ColorLUTSize, syscall.EINVAL},
		{"rcar-like", "FullSize", 256 * ColorLUTSize, 0},
		{"rcar-like", "OneEntryShort", 255 * ColorLUTSize, syscall.EINVAL},
	} {
		t.Run(c.profile+"/"+c.name, func(t *testing.T) {
			r, _ := kaLitRig(t, c.profile)
			id := lut(r, c.bytes)
			var req Request
			r.kaSet(&req, r.crtc.id, r.crtc, "GAMMA_LUT", id)
			before := kaSnap(r)
			err := r.f.Commit(ctxT(t), &req, AtomicNonblock, 0)
			if c.errno != 0 {
				kaFail(t, r, before, err, c.errno)
				return
			}
			require.NoError(t, err)
			r.clk.Advance()
			r.requireIdle()
			assert.Equal(t, id, crtcProp(t, r, r.crtc, "GAMMA_LUT"))

			var off Request
			r.kaSet(&off, r.crtc.id, r.crtc, "GAMMA_LUT", 0)
			require.NoError(t, r.f.Commit(ctxT(t), &off, AtomicNonblock, 0))
			r.clk.Advance()
			r.requireIdle()
			assert.Zero(t, crtcProp(t, r, r.crtc, "GAMMA_LUT"))
		})
	}
}

// drm_atomic_crtc_check refuses an event for a CRTC that is off and stays
// off; a request without an event (TEST_ONLY can have none) on such a CRTC
// is fine, and so is an event on a CRTC that is switched on or off.
func TestAtomicEventOnCRTCOffAndStayingOff(t *testing.T) {
	offReq := func(r *rig) *Request {
		var req Request
		r.kaSet(&req, r.crtc.id, r.crtc, "ACTIVE", 0)
		return &req
	}
	t.Run("EventEINVAL", func(t *testing.T) {
		r := newRig(t, "vkms")
		before := kaSnap(r)
		kaFail(t, r, before, r.f.Commit(ctxT(t), offReq(r), AtomicNonblock|PageFlipEvent, 0), syscall.EINVAL)
	})
	t.Run("NoEventTestOnly", func(t *testing.T) {
		r := newRig(t, "vkms")
		require.NoError(t, r.f.Commit(ctxT(t), offReq(r), AtomicTestOnly, 0))
	})
	t.Run("NoEvent", func(t *testing.T) {
		r := newRig(t, "vkms")
		require.NoError(t, r.f.Commit(ctxT(t), offReq(r), AtomicNonblock, 0))
		r.clk.Advance()
		r.requireIdle()
	})
	t.Run("EventWhileSwitchingOff", func(t *testing.T) {
		r, _ := kaLitRig(t, "vkms")
		var req Request
		req.Add(r.conn.id, r.conn.PropertyID("CRTC_ID"), 0)
		req.Add(r.crtc.id, r.crtc.PropertyID("MODE_ID"), 0)
		req.Add(r.crtc.id, r.crtc.PropertyID("ACTIVE"), 0)
		r.planeProps(&req, r.prim, nil, 0, 0, 0, 0, 0)
		require.NoError(t, r.f.Commit(ctxT(t), &req, AtomicNonblock|AtomicAllowModeset|PageFlipEvent, 5))
		r.clk.Advance()
		r.requireIdle()
		ev, ok := r.f.PollEvent()
		require.True(t, ok)
		assert.Equal(t, r.crtc.id, ev.CRTCID)
	})
}

// planeOn returns the first plane of type typ that can only be on CRTC ci.
func planeOn(t testing.TB, r *rig, ci int, typ profile.PlaneType) *Plane {
	t.Helper()
	for _, p := range r.d.planes {
		if p.Type() == typ && p.prof.PossibleCRTCs == 1<<ci {
			return p
		}
	}
	require.FailNow(t, "no such plane")
	return nil
}

// A nonblocking commit is EBUSY only for the CRTCs in its state
// (drm_atomic_helper_setup_commit's stall check runs over
// for_each_new_crtc_in_state); the planes and connectors of another CRTC
// are not in it (drm_atomic_add_affected_planes and
// drm_atomic_add_affected_connectors add only those whose old or new CRTC
// is one of the request's), so a flip on CRTC 0 does not wait for CRTC 1.
func TestAtomicNonblockOtherCRTCNotBusy(t *testing.T) {
	r, ps := twoPipes(t)
	var req1 Request
	r.planeProps(&req1, ps[1].prim, ps[1].crtc, r.fb(ps[1].w, ps[1].h, fourcc.XRGB8888), 0, 0, ps[1].w, ps[1].h)
	require.NoError(t, r.f.Commit(ctxT(t), &req1, AtomicNonblock, 0))

	fb0 := r.fb(ps[0].w, ps[0].h, fourcc.XRGB8888)
	var req0 Request
	r.planeProps(&req0, ps[0].prim, ps[0].crtc, fb0, 0, 0, ps[0].w, ps[0].h)
	require.NoError(t, r.f.Commit(ctxT(t), &req0, AtomicNonblock|PageFlipEvent, 0), "CRTC 1's pending flip made CRTC 0 busy")
	// A CRTC-level change on CRTC 0 pulls in its connector, not CRTC 1's.
	var act Request
	r.kaSet(&act, ps[0].crtc.id, ps[0].crtc, "ACTIVE", 1)
	require.NoError(t, r.f.Commit(ctxT(t), &act, AtomicTestOnly, 0))
	r.clk.Advance()
	r.requireIdle()
	ev, ok := r.f.PollEvent()
	require.True(t, ok)
	assert.Equal(t, ps[0].crtc.id, ev.CRTCID)
	assert.Equal(t, fb0, r.d.ScanoutPlaneState(ps[0].prim).FB.ID())
}

// Every CRTC of a request has its planes added and clipped again
// (drm_atomic_helper_check_modeset adds the affected planes of each CRTC
// whose mode changes): CRTC 1 switching to a smaller mode clips its
// planes, even when CRTC 0 is in the request too.
func TestAtomicModeChangeClipsPlanesOfSecondCRTC(t *testing.T) {
	r, ps := twoPipes(t)
	ov := planeOn(t, r, 1, profile.Overlay)
	var req Request
	r.planeProps(&req, ov, ps[1].crtc, r.fb(300, 300, fourcc.XRGB8888), 1500, 0, 300, 300)
	require.NoError(t, r.f.Commit(ctxT(t), &req, AtomicNonblock, 0))
	r.clk.Advance()
	r.requireIdle()
	require.True(t, r.d.PlaneState(ov).Visible)

	small := ps[1].conn.modes[1]
	require.Less(t, int(small.HDisplay), 1500)
	var mc Request
	r.kaSet(&mc, ps[0].crtc.id, ps[0].crtc, "ACTIVE", 1)
	r.kaSet(&mc, ps[1].crtc.id, ps[1].crtc, "MODE_ID", uint64(r.modeBlob(small)))
	require.NoError(t, r.f.Commit(ctxT(t), &mc, AtomicNonblock|AtomicAllowModeset, 0))
	r.clk.Advance()
	r.requireIdle()
	assert.False(t, r.d.PlaneState(ov).Visible, "an overlay beyond the new mode stays visible")
	prim := r.d.PlaneState(ps[1].prim)
	assert.True(t, prim.Visible)
	assert.Equal(t, Rect{0, 0, int32(small.HDisplay), int32(small.VDisplay)}, prim.Dst, "the primary is clipped to the new mode")
	assert.Equal(t, Rect{0, 0, int32(ps[0].w), int32(ps[0].h)}, r.d.PlaneState(ps[0].prim).Dst)
}

// Each CRTC of a two-CRTC request gets every per-CRTC check, not only the
// first: drm_atomic_crtc_check (active without a mode), the driver's
// GAMMA_LUT size check, and the modeset check against ALLOW_MODESET.
func TestAtomicSecondCRTCChecked(t *testing.T) {
	t.Run("ActiveWithoutMode", func(t *testing.T) {
		r := newRig(t, "intel-like")
		r.modeset()
		c1 := r.d.crtcs[1]
		var req Request
		r.kaSet(&req, r.crtc.id, r.crtc, "ACTIVE", 1)
		r.kaSet(&req, c1.id, c1, "ACTIVE", 1)
		before := kaSnap(r)
		kaFail(t, r, before, r.f.Commit(ctxT(t), &req, AtomicTestOnly|AtomicAllowModeset, 0), syscall.EINVAL)
	})
	t.Run("GammaLUTSize", func(t *testing.T) {
		r, ps := twoPipes(t)
		size := r.d.prof.CRTCs.GammaLUTSize
		for _, n := range []uint32{size + 1, size} {
			id, err := r.f.CreateBlob(make([]byte, n*ColorLUTSize))
			require.NoError(t, err)
			var req Request
			r.kaSet(&req, ps[0].crtc.id, ps[0].crtc, "ACTIVE", 1)
			r.kaSet(&req, ps[1].crtc.id, ps[1].crtc, "GAMMA_LUT", uint64(id))
			before := kaSnap(r)
			err = r.f.Commit(ctxT(t), &req, AtomicTestOnly, 0)
			if n > size {
				kaFail(t, r, before, err, syscall.EINVAL)
			} else {
				require.NoError(t, err)
			}
		}
	})
	t.Run("ModesetWithoutAllowModeset", func(t *testing.T) {
		r, ps := twoPipes(t)
		var req Request
		r.kaSet(&req, ps[0].crtc.id, ps[0].crtc, "ACTIVE", 1)
		r.kaSet(&req, ps[1].crtc.id, ps[1].crtc, "ACTIVE", 0)
		before := kaSnap(r)
		kaFail(t, r, before, r.f.Commit(ctxT(t), &req, AtomicNonblock, 0), syscall.EINVAL)
		require.NoError(t, r.f.Commit(ctxT(t), &req, AtomicTestOnly|AtomicAllowModeset, 0))
	})
	t.Run("ZposNormalised", func(t *testing.T) {
		r, ps := twoPipes(t)
		ov := planeOn(t, r, 1, profile.Overlay)
		var req Request
		r.kaSet(&req, ps[0].crtc.id, ps[0].crtc, "ACTIVE", 1)
		r.planeProps(&req, ov, ps[1].crtc, r.fb(64, 64, fourcc.XRGB8888), 0, 0, 64, 64)
		require.NoError(t, r.f.Commit(ctxT(t), &req, AtomicNonblock, 0))
		r.clk.Advance()
		r.requireIdle()
		// intel-like's immutable zpos: primary 0 below sprite 1.
		assert.Equal(t, uint32(0), r.d.PlaneState(ps[1].prim).NormalizedZpos)
		assert.Equal(t, uint32(1), r.d.PlaneState(ov).NormalizedZpos)
	})
}

// prepare_signaling creates a vblank event for an out-fence as for a
// page-flip event (crtc_state->event, with event->base.fence set), so
// drm_atomic_crtc_check refuses OUT_FENCE_PTR on a CRTC that is off and
// stays off, with complete_signaling writing -1 back; TEST_ONLY makes no
// event and is accepted.
func TestAtomicOutFenceOnCRTCOffAndStayingOff(t *testing.T) {
	for _, c := range []struct {
		name  string
		flags uint32
		errno syscall.Errno
	}{
		{"Nonblock", AtomicNonblock, syscall.EINVAL},
		{"TestOnly", AtomicTestOnly, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, "vkms")
			ptr, err := r.f.NewOutFencePtr()
			require.NoError(t, err)
			require.NoError(t, r.f.Mem().PutS32(ptr, 0x1234))
			var req Request
			r.kaSet(&req, r.crtc.id, r.crtc, "ACTIVE", 0)
			r.kaSet(&req, r.crtc.id, r.crtc, "OUT_FENCE_PTR", ptr)
			before := kaSnap(r)
			err = r.f.Commit(ctxT(t), &req, c.flags, 0)
			if c.errno != 0 {
				kaFail(t, r, before, err, c.errno)
			} else {
				require.NoError(t, err)
			}
			v, err := r.f.Mem().GetU32(ptr)
			require.NoError(t, err)
			assert.Equal(t, int32(-1), int32(v))
		})
	}
}
