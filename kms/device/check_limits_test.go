package device

// The limits the atomic check applies after drm_atomic_plane_check, at
// their exact edges: connectors and CRTCs of every CRTC of a request in
// drm_atomic_helper_check_modeset, the mode size limits, the profile's
// per-plane size limits, and the scale factors and clipping of
// drm_atomic_helper_check_plane_state (drm_rect_calc_hscale/vscale and
// drm_rect_clip_scaled in drm_rect.c).

import (
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/modeinfo"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
)

// drm_atomic_helper_check_modeset looks at every connector and CRTC of
// the request: a connector that moves to a CRTC sets connectors_changed
// (a modeset, EINVAL without ALLOW_MODESET) even when another connector
// of the request is unchanged, and a CRTC enabled without a connector is
// EINVAL even when another CRTC of the request is fine.
func TestAtomicModesetEveryConnectorAndCRTC(t *testing.T) {
	t.Run("SecondConnectorMoves", func(t *testing.T) {
		r, _ := kaLitRig(t, "vkms")
		wb := r.d.Writeback()
		require.NotNil(t, wb)
		require.Less(t, r.conn.index, wb.index)
		var req Request
		r.kaSet(&req, r.conn.id, r.conn, "CRTC_ID", uint64(r.crtc.id))
		r.kaSet(&req, wb.id, wb, "CRTC_ID", uint64(r.crtc.id))
		before := kaSnap(r)
		kaFail(t, r, before, r.f.Commit(ctxT(t), &req, AtomicNonblock, 0), syscall.EINVAL)
		require.NoError(t, r.f.Commit(ctxT(t), &req, AtomicTestOnly|AtomicAllowModeset, 0))
	})
	t.Run("SecondCRTCEnabledWithoutConnector", func(t *testing.T) {
		r := newRig(t, "intel-like")
		r.modeset()
		c1 := r.d.crtcs[1]
		var req Request
		r.kaSet(&req, r.crtc.id, r.crtc, "ACTIVE", 1)
		r.kaSet(&req, c1.id, c1, "MODE_ID", uint64(r.modeBlob(r.d.connectors[1].modes[0])))
		before := kaSnap(r)
		kaFail(t, r, before, r.f.Commit(ctxT(t), &req, AtomicTestOnly|AtomicAllowModeset, 0), syscall.EINVAL)
	})
}

// modeOfSize is a mode of w x h that drm_mode_validate_basic accepts.
func modeOfSize(base modeinfo.Mode, w, h uint16) modeinfo.Mode {
	m := base
	m.HDisplay, m.HSyncStart, m.HSyncEnd, m.HTotal = w, w+8, w+16, w+32
	m.VDisplay, m.VSyncStart, m.VSyncEnd, m.VTotal = h, h+1, h+2, h+4
	return m
}

// The device refuses modes outside MinWidth x MinHeight .. the largest
// framebuffer, inclusively at both ends, as drm_mode_validate_size and
// drm_internal_framebuffer_create bound sizes (a size equal to the limit
// is fine).
func TestAtomicModeSizeLimits(t *testing.T) {
	for _, c := range []struct {
		name  string
		w, h  func(r *rig) uint16
		errno syscall.Errno
	}{
		{"MaxWidth", func(r *rig) uint16 { return uint16(r.d.maxWidth) }, func(*rig) uint16 { return 600 }, 0},
		{"MaxWidthPlusOne", func(r *rig) uint16 { return uint16(r.d.maxWidth + 1) }, func(*rig) uint16 { return 600 }, syscall.EINVAL},
		{"MaxHeight", func(*rig) uint16 { return 800 }, func(r *rig) uint16 { return uint16(r.d.maxHeight) }, 0},
		{"MaxHeightPlusOne", func(*rig) uint16 { return 800 }, func(r *rig) uint16 { return uint16(r.d.maxHeight + 1) }, syscall.EINVAL},
		{"MinWidth", func(*rig) uint16 { return MinWidth }, func(*rig) uint16 { return 600 }, 0},
		{"MinWidthMinusOne", func(*rig) uint16 { return MinWidth - 1 }, func(*rig) uint16 { return 600 }, syscall.EINVAL},
		{"MinHeight", func(*rig) uint16 { return 800 }, func(*rig) uint16 { return MinHeight }, 0},
		{"MinHeightMinusOne", func(*rig) uint16 { return 800 }, func(*rig) uint16 { return MinHeight - 1 }, syscall.EINVAL},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, _ := kaLitRig(t, "vkms")
			m := modeOfSize(r.conn.modes[0], c.w(r), c.h(r))
			var req Request
			r.kaSet(&req, r.crtc.id, r.crtc, "MODE_ID", uint64(r.modeBlob(m)))
			before := kaSnap(r)
			err := r.f.Commit(ctxT(t), &req, AtomicTestOnly|AtomicAllowModeset, 0)
			if c.errno == 0 {
				require.NoError(t, err)
				return
			}
			kaFail(t, r, before, err, c.errno)
		})
	}
}

// The profile's per-plane limits are inclusive maxima, as i915's plane
// checks compare "w > max_width" (intel-like: a 256x256 cursor
// framebuffer, sources and destinations up to 5120x4096 on the primary).
func TestAtomicPlaneProfileLimits(t *testing.T) {
	type tc struct {
		name       string
		cursor     bool
		fbW, fbH   uint32
		srcW, srcH uint32
		dstW, dstH uint32
		errno      syscall.Errno
	}
	cases := []tc{
		{"CursorFBAtLimit", true, 256, 256, 64, 64, 64, 64, 0},
		{"CursorFBOneWider", true, 257, 256, 64, 64, 64, 64, syscall.EINVAL},
		{"CursorFBOneTaller", true, 256, 257, 64, 64, 64, 64, syscall.EINVAL},
		{"SourceAtLimit", false, 5121, 4097, 5120, 4096, 5120, 4096, 0},
		{"SourceOneWider", false, 5121, 4097, 5121, 4096, 5120, 4096, syscall.EINVAL},
		{"SourceOneTaller", false, 5121, 4097, 5120, 4097, 5120, 4096, syscall.EINVAL},
		{"DestinationOneWider", false, 5121, 4097, 5120, 4096, 5121, 4096, syscall.EINVAL},
		{"DestinationOneTaller", false, 5121, 4097, 5120, 4096, 5120, 4097, syscall.EINVAL},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, fb := kaLitRig(t, "intel-like")
			p := r.prim
			format := fourcc.XRGB8888
			if c.cursor {
				p = planeOn(t, r, 0, profile.Cursor)
				format = fourcc.ARGB8888
			}
			pp := p.prof
			if c.cursor {
				require.Equal(t, profile.Size{Width: 256, Height: 256}, pp.MaxFB)
			} else {
				require.Equal(t, profile.Size{Width: 5120, Height: 4096}, pp.MaxSrc)
				require.Equal(t, profile.Size{Width: 5120, Height: 4096}, pp.MaxDst)
			}
			req := kaPlaneReq(r, fb, nil)
			r.planeProps(req, p, r.crtc, r.fb(c.fbW, c.fbH, format), 0, 0, c.dstW, c.dstH)
			r.kaSet(req, p.id, p, "SRC_W", uint64(c.srcW)<<16)
			r.kaSet(req, p.id, p, "SRC_H", uint64(c.srcH)<<16)
			kaTestOnly(t, r, req, c.errno)
		})
	}
}

// drm_rect_calc_hscale/vscale: a zero-sized destination is factor 0 and
// not range-checked, so the plane is accepted and simply not visible;
// a downscale factor is rounded up (DIV_ROUND_UP) and an upscale factor
// down before it is compared with the limits, so a factor a hair past a
// limit is ERANGE. intel-like's sprites take 1/8 (0x2000) .. 0x2ffff.
func TestAtomicScaleFactorRounding(t *testing.T) {
	const dst = 10
	type tc struct {
		name       string
		srcW, dstW uint32 // SRC_W in 16.16, CRTC_W in pixels
		errno      syscall.Errno
		visible    bool
	}
	cases := []tc{
		{"ZeroDestination", dst << 16, 0, 0, false},
		{"ZeroSourceZeroDestination", 0, 0, 0, false},
		{"DownscaleExactlyMax", 0x2ffff * dst, dst, 0, true},
		{"DownscaleMaxPlusOneUnit", 0x2ffff*dst + 1, dst, syscall.ERANGE, false},
		{"UpscaleExactlyMin", 0x2000 * dst, dst, 0, true},
		{"UpscaleMinMinusOneUnit", 0x2000*dst - 1, dst, syscall.ERANGE, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, fb := kaLitRig(t, "intel-like")
			ov := kaOverlay(t, r)
			require.Equal(t, profile.Scaling{Min: 0x2000, Max: 0x2ffff}, ov.prof.Scaling)
			req := kaPlaneReq(r, fb, nil)
			r.planeProps(req, ov, r.crtc, r.fb(64, 64, fourcc.XRGB8888), 100, 100, c.dstW, dst)
			r.kaSet(req, ov.id, ov, "SRC_W", uint64(c.srcW))
			r.kaSet(req, ov.id, ov, "SRC_H", dst<<16)
			before := kaSnap(r)
			err := r.f.Commit(ctxT(t), req, AtomicNonblock, 0)
			if c.errno != 0 {
				kaFail(t, r, before, err, c.errno)
				return
			}
			require.NoError(t, err)
			r.clk.Advance()
			r.requireIdle()
			assert.Equal(t, c.visible, r.d.PlaneState(ov).Visible)
		})
	}
	// The same in the vertical direction, where the destination height is
	// zero.
	t.Run("ZeroDestinationHeight", func(t *testing.T) {
		r, fb := kaLitRig(t, "intel-like")
		ov := kaOverlay(t, r)
		req := kaPlaneReq(r, fb, nil)
		r.planeProps(req, ov, r.crtc, r.fb(64, 64, fourcc.XRGB8888), 100, 100, dst, 0)
		r.kaSet(req, ov.id, ov, "SRC_H", dst<<16)
		require.NoError(t, r.f.Commit(ctxT(t), req, AtomicTestOnly, 0))
	})
}

// drm_rect_clip_scaled's clip_scaled rounds the clipped source towards a
// factor of 1: up when upscaling, down when downscaling. Values worked out
// from its DIV_ROUND_UP_ULL / DIV_ROUND_DOWN_ULL of src * (dst - clip) / dst.
func TestClipPlaneRoundsTowardsOne(t *testing.T) {
	for _, c := range []struct {
		name    string
		srcW    int32 // 16.16
		dstW    int32
		clipW   int32
		wantSrc int32 // clipped source width, 16.16
	}{
		// 1 px onto 3, 1 px clipped: 65536 * 2 / 3 = 43690.67, up.
		{"Upscale", 1 << 16, 3, 2, 43691},
		// 5 px onto 3, 1 px clipped: 327680 * 2 / 3 = 218453.33, down.
		{"Downscale", 5 << 16, 3, 2, 218453},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := Rect{0, 0, c.srcW, 1 << 16}
			dst := Rect{0, 0, c.dstW, 1}
			s, d, vis := ClipPlane(src, dst, 16, 16, profile.Rotate0, Rect{0, 0, c.clipW, 1})
			require.True(t, vis)
			assert.Equal(t, Rect{0, 0, c.wantSrc, 1 << 16}, s)
			assert.Equal(t, Rect{0, 0, c.clipW, 1}, d)
		})
	}
}
