package compose

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

// setClipPlane puts the whole of fb on p at x, y, shown at dw x dh.
func (r *devRig) setClipPlane(req *device.Request, p *device.Plane, fb *device.Framebuffer, x, y int32, dw, dh int) {
	req.Add(p.ID(), p.PropertyID("FB_ID"), uint64(fb.ID()))
	req.Add(p.ID(), p.PropertyID("CRTC_ID"), uint64(r.crtc.ID()))
	req.Add(p.ID(), p.PropertyID("SRC_X"), 0)
	req.Add(p.ID(), p.PropertyID("SRC_Y"), 0)
	req.Add(p.ID(), p.PropertyID("SRC_W"), uint64(fb.Width())<<16)
	req.Add(p.ID(), p.PropertyID("SRC_H"), uint64(fb.Height())<<16)
	req.Add(p.ID(), p.PropertyID("CRTC_X"), uint64(int64(x)))
	req.Add(p.ID(), p.PropertyID("CRTC_Y"), uint64(int64(y)))
	req.Add(p.ID(), p.PropertyID("CRTC_W"), uint64(dw))
	req.Add(p.ID(), p.PropertyID("CRTC_H"), uint64(dh))
}

// clipSample is the source pixel nearest scaling shows at destination
// pixel u when s source pixels span d destination pixels: the one under
// u's centre, (u+1/2)·s/d. The tests use exact factors, for which the
// clipped and unclipped mappings agree.
func clipSample(u, s, d int) int { return (2*u + 1) * s / (2 * d) }

// TestDeviceClippedPlaneCRC is IGT's reference-CRC method for clipping: a
// plane hanging off the CRTC must give the frame of a plane holding just
// the visible part, drawn by hand and shown unclipped and unscaled; a
// plane entirely off the CRTC must give the frame without it.
func TestDeviceClippedPlaneCRC(t *testing.T) {
	const dw, dh = 64, 48
	for _, name := range profile.Names() {
		t.Run(name, func(t *testing.T) {
			r := newDevRig(t, name)
			r.modeset(r.fb(fourcc.XRGB8888, r.w, r.h, solid(rgb8(0xff, 0x20, 0x40, 0x60))))
			rd, err := r.crtc.CRC().Open(false)
			require.NoError(t, err)
			defer rd.Close()
			w, h := int32(r.w), int32(r.h)

			type setup struct {
				label  string
				p      *device.Plane
				f      fourcc.Format
				pic    picture
				sw, sh int
			}
			setups := []setup{{label: "primary/1:1", p: r.prim, f: fourcc.XRGB8888, pic: checker, sw: dw, sh: dh}}
			if p, f := clipScaler(r); p != nil {
				// NV12 keeps to greys: with neutral chroma, where the 2x2
				// chroma sites fall cannot differ between the clipped plane
				// and the hand-clipped one.
				pic := checker
				if f == fourcc.NV12 {
					pic = greyQuarters
				}
				for _, s := range []struct {
					name   string
					sw, sh int
				}{{"1:1", dw, dh}, {"up2", dw / 2, dh / 2}, {"down2", dw * 2, dh * 2}} {
					setups = append(setups, setup{label: "scaling-" + p.Type().String() + "/" + s.name, p: p, f: f, pic: pic, sw: s.sw, sh: s.sh})
				}
			}

			positions := []struct {
				name   string
				x, y   int32
				keep   device.Rect // visible part, plane-relative pixels
				hidden bool
			}{
				{name: "off-left", x: -16, y: 40, keep: device.Rect{X1: 16, X2: 64, Y2: 48}},
				{name: "off-right", x: w - 48, y: 40, keep: device.Rect{X2: 48, Y2: 48}},
				{name: "off-top", x: 40, y: -16, keep: device.Rect{Y1: 16, X2: 64, Y2: 48}},
				{name: "off-bottom", x: 40, y: h - 32, keep: device.Rect{X2: 64, Y2: 32}},
				{name: "off-top-left-corner", x: -40, y: -20, keep: device.Rect{X1: 40, Y1: 20, X2: 64, Y2: 48}},
				{name: "fully-left", x: -dw, y: 40, hidden: true},
				{name: "fully-right", x: w, y: 40, hidden: true},
				{name: "fully-above", x: 40, y: -dh, hidden: true},
				{name: "fully-below", x: 40, y: h, hidden: true},
				{name: "x-int-max-minus-width", x: math.MaxInt32 - dw, y: 40, hidden: true},
				{name: "y-int-max-minus-height", x: 40, y: math.MaxInt32 - dh, hidden: true},
			}

			for _, s := range setups {
				fb := r.fb(s.f, s.sw, s.sh, s.pic)
				var off device.Request
				off.Add(s.p.ID(), s.p.PropertyID("FB_ID"), 0)
				off.Add(s.p.ID(), s.p.PropertyID("CRTC_ID"), 0)
				// A plane that was never on the CRTC brings no CRTC into the
				// request, and the flip event needs one.
				off.Add(r.crtc.ID(), r.crtc.PropertyID("ACTIVE"), 1)
				without := readUntil(t, rd, r.commit(&off, 0))
				for _, ps := range positions {
					t.Run(s.label+"/"+ps.name, func(t *testing.T) {
						var req device.Request
						r.setClipPlane(&req, s.p, fb, ps.x, ps.y, dw, dh)
						seq := r.commit(&req, 0)
						// The check's verdict first: a plane left unclipped
						// would make the composer refuse the frame, and the
						// CRC wait below would only time out.
						st := r.d.PlaneState(s.p)
						require.Equal(t, !ps.hidden, st.Visible, "visible")
						if st.Visible {
							require.True(t, st.Dst.X1 >= 0 && st.Dst.Y1 >= 0 && st.Dst.X2 <= w && st.Dst.Y2 <= h,
								"destination %+v inside the %dx%d mode", st.Dst, w, h)
						}
						got := readUntil(t, rd, seq)
						if ps.hidden {
							assert.Equal(t, without, got, "a plane off the CRTC shows nothing")
							return
						}
						k := ps.keep
						kw, kh := int(k.Width()), int(k.Height())
						ox, oy := int(k.X1), int(k.Y1)
						exp := r.fb(s.f, kw, kh, func(x, y int) Pixel {
							return s.pic(clipSample(x+ox, s.sw, dw), clipSample(y+oy, s.sh, dh))
						})
						var ereq device.Request
						r.setClipPlane(&ereq, s.p, exp, ps.x+k.X1, ps.y+k.Y1, kw, kh)
						want := readUntil(t, rd, r.commit(&ereq, 0))
						assert.Equal(t, want, got, "the clipped plane shows the hand-clipped picture")
						assert.NotEqual(t, without, got, "guard: the plane shows")
					})
				}
			}
		})
	}
}

// clipScaler is the first plane on CRTC 0 that scales by 2 both ways,
// with a linear format it takes (RGB, else NV12 as on Exynos' video
// layer), or nil.
func clipScaler(r *devRig) (*device.Plane, fourcc.Format) {
	for _, p := range r.d.Planes() {
		pp := p.Profile()
		sc := pp.Scaling
		if pp.PossibleCRTCs&1 == 0 || sc.Min == 0 || sc.Min > profile.FixedOne/2 || sc.Max < 2*profile.FixedOne {
			continue
		}
		for _, f := range []fourcc.Format{fourcc.XRGB8888, fourcc.NV12} {
			if pp.Supports(f, modifier.Linear) {
				return p, f
			}
		}
	}
	return nil, 0
}
