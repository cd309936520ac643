package device

import (
	"context"
	"math"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

// clipScale is a plane's source size for a 64x48 destination: the same
// size, or a scale the check accepts on planes that scale by 2 both ways.
type clipScale struct {
	name   string
	sw, sh uint32
}

var clipScales = []clipScale{{"1:1", 64, 48}, {"up2", 32, 24}, {"down2", 128, 96}}

const clipDstW, clipDstH = 64, 48

// scalesBy2 says whether the plane's limits take both a 2x upscale and a
// 2x downscale ("scaling none" parses as zero limits or as FixedOne).
func scalesBy2(sc profile.Scaling) bool {
	return sc.Min != 0 && sc.Min <= profile.FixedOne/2 && sc.Max >= 2*profile.FixedOne
}

// clipPlanes are the planes the clip tests use on CRTC 0: the primary
// unscaled, and for the scaled cases the first plane that scales by 2,
// with a linear format it takes (RGB, else NV12 as on Exynos' video
// layer). A profile without one has no scaled cases.
func clipPlanes(r *rig) (prim, scaler *Plane, scalerFormat fourcc.Format) {
	for _, p := range r.d.planes {
		if p.prof.PossibleCRTCs&1 == 0 || !scalesBy2(p.prof.Scaling) {
			continue
		}
		for _, f := range []fourcc.Format{fourcc.XRGB8888, fourcc.NV12} {
			if p.prof.Supports(f, modifier.Linear) {
				return r.prim, p, f
			}
		}
	}
	return r.prim, nil, 0
}

// setPlaneScaled puts the whole of an sw x sh source on p at x, y, shown
// at dw x dh.
func setPlaneScaled(req *Request, p *Plane, crtc *CRTC, fb uint32, sw, sh uint32, x, y int32, dw, dh uint32) {
	req.Add(p.id, p.PropertyID("FB_ID"), uint64(fb))
	req.Add(p.id, p.PropertyID("CRTC_ID"), uint64(crtc.id))
	req.Add(p.id, p.PropertyID("SRC_X"), 0)
	req.Add(p.id, p.PropertyID("SRC_Y"), 0)
	req.Add(p.id, p.PropertyID("SRC_W"), uint64(sw)<<16)
	req.Add(p.id, p.PropertyID("SRC_H"), uint64(sh)<<16)
	req.Add(p.id, p.PropertyID("CRTC_X"), uint64(int64(x)))
	req.Add(p.id, p.PropertyID("CRTC_Y"), uint64(int64(y)))
	req.Add(p.id, p.PropertyID("CRTC_W"), uint64(dw))
	req.Add(p.id, p.PropertyID("CRTC_H"), uint64(dh))
}

func TestAtomicPlaneClipping(t *testing.T) {
	for _, name := range profile.Names() {
		t.Run(name, func(t *testing.T) {
			r := newRig(t, name)
			r.modeset()
			prim, scaler, sf := clipPlanes(r)
			w, h := int32(r.w), int32(r.h)

			// Where the destination lands and which part of it is left:
			// want is in destination pixels relative to the plane's own
			// origin, so the source a scale shows follows from it.
			type pos struct {
				name   string
				x, y   int32
				keep   Rect // visible part, plane-relative pixels
				hidden bool
			}
			positions := []pos{
				{name: "off-left", x: -16, y: 40, keep: Rect{16, 0, 64, 48}},
				{name: "off-right", x: w - 48, y: 40, keep: Rect{0, 0, 48, 48}},
				{name: "off-top", x: 40, y: -16, keep: Rect{0, 16, 64, 48}},
				{name: "off-bottom", x: 40, y: h - 32, keep: Rect{0, 0, 64, 32}},
				{name: "off-top-left-corner", x: -40, y: -20, keep: Rect{40, 20, 64, 48}},
				{name: "fully-left", x: -clipDstW, y: 40, hidden: true},
				{name: "fully-right", x: w, y: 40, hidden: true},
				{name: "fully-above", x: 40, y: -clipDstH, hidden: true},
				{name: "fully-below", x: 40, y: h, hidden: true},
				// IGT's extremes: the destination's end is exactly INT_MAX,
				// which drm_atomic_plane_check still accepts.
				{name: "x-int-max-minus-width", x: math.MaxInt32 - clipDstW, y: 40, hidden: true},
				{name: "y-int-max-minus-height", x: 40, y: math.MaxInt32 - clipDstH, hidden: true},
				{name: "int-min", x: math.MinInt32, y: math.MinInt32, hidden: true},
			}

			type setup struct {
				p      *Plane
				f      fourcc.Format
				sc     clipScale
				scaled bool
			}
			setups := []setup{{p: prim, f: fourcc.XRGB8888, sc: clipScales[0]}}
			if scaler != nil {
				for _, sc := range clipScales {
					setups = append(setups, setup{p: scaler, f: sf, sc: sc, scaled: true})
				}
			}
			for _, s := range setups {
				fb := r.fb(s.sc.sw, s.sc.sh, s.f)
				label := s.p.prof.Type.String() + "/" + s.sc.name
				if s.scaled {
					label = "scaling-" + label
				}
				for _, ps := range positions {
					t.Run(label+"/"+ps.name, func(t *testing.T) {
						var req Request
						setPlaneScaled(&req, s.p, r.crtc, fb, s.sc.sw, s.sc.sh, ps.x, ps.y, clipDstW, clipDstH)
						require.NoError(t, r.f.Commit(context.Background(), &req, AtomicNonblock, 0))
						r.clk.Advance()
						r.requireIdle()
						st := r.d.PlaneState(s.p)
						if ps.hidden {
							assert.False(t, st.Visible, "off-screen is invisible, not an error")
							return
						}
						require.True(t, st.Visible)
						k := ps.keep
						assert.Equal(t, Rect{ps.x + k.X1, ps.y + k.Y1, ps.x + k.X2, ps.y + k.Y2}, st.Dst, "destination clipped to the mode")
						// Exact factors: destination pixel d shows source
						// d*sw/dw, so the kept source follows directly.
						sx := func(d int32) int32 { return d * int32(s.sc.sw) << 16 / clipDstW }
						sy := func(d int32) int32 { return d * int32(s.sc.sh) << 16 / clipDstH }
						assert.Equal(t, Rect{sx(k.X1), sy(k.Y1), sx(k.X2), sy(k.Y2)}, st.Src, "source clipped in proportion")
					})
				}
				// One step past the extremes: the destination would end
				// past INT_MAX, which drm_atomic_plane_check refuses.
				for _, over := range []struct {
					name string
					x, y int32
				}{
					{"x-past-int-max", math.MaxInt32 - clipDstW + 1, 40},
					{"y-past-int-max", 40, math.MaxInt32 - clipDstH + 1},
				} {
					t.Run(label+"/"+over.name, func(t *testing.T) {
						var req Request
						setPlaneScaled(&req, s.p, r.crtc, fb, s.sc.sw, s.sc.sh, over.x, over.y, clipDstW, clipDstH)
						err := r.f.Commit(context.Background(), &req, AtomicTestOnly, 0)
						assert.ErrorIs(t, err, syscall.ERANGE)
					})
				}
			}
		})
	}
}
