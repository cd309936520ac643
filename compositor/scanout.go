package compositor

import (
	"context"
	"fmt"

	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/formatset"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/layout"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/headwaywl/headway/protocol/server"
)

// A scanout candidate is a surface whose geometry some plane can show:
// its size, position, scaling and rotation pass that plane's atomic check
// (a TEST_ONLY commit with a framebuffer of the surface's buffer size),
// whatever buffer it has now. Its surface feedback gets, before the render
// tranche and with the scanout flag, a tranche of those planes' IN_FORMATS
// pairs that the render set also holds, and loses it again when the
// surface stops being a candidate. Plane assignment uses the same
// definition.

// scanoutTester asks the device which planes could show a geometry. It
// has a DRM file of its own, so its TEST_ONLY commits never meet the
// output path's real ones.
type scanoutTester struct {
	dev    *device.Device
	file   *device.File
	crtc   *device.CRTC
	planes []*device.Plane
	fbs    map[[2]int32]uint32 // test framebuffers by size
}

func newScanoutTester(o *output) (*scanoutTester, error) {
	f := o.dev.Open()
	if err := f.SetClientCap(device.ClientCapAtomic, 1); err != nil {
		return nil, err
	}
	st := &scanoutTester{dev: o.dev, file: f, crtc: o.crtc, fbs: map[[2]int32]uint32{}}
	for _, p := range o.dev.Planes() {
		// The cursor plane is for cursors; a surface is never offered it.
		if p.Type() == profile.Cursor {
			continue
		}
		st.planes = append(st.planes, p)
	}
	return st, nil
}

// fb returns an XRGB8888 LINEAR framebuffer of w x h for test commits.
func (st *scanoutTester) fb(w, h int32) (uint32, error) {
	if id, ok := st.fbs[[2]int32{w, h}]; ok {
		return id, nil
	}
	info, _ := fourcc.Lookup(fourcc.XRGB8888)
	l, err := layout.Compute(info, modifier.Linear, uint32(w), uint32(h))
	if err != nil {
		return 0, err
	}
	handle, err := st.file.ImportBuffer(make([]byte, l.Size))
	if err != nil {
		return 0, err
	}
	id, err := st.file.AddFB2(device.FB2{Width: uint32(w), Height: uint32(h), Format: fourcc.XRGB8888,
		Handles: [4]uint32{handle}, Pitches: [4]uint32{l.Planes[0].Stride}})
	if err != nil {
		return 0, err
	}
	st.fbs[[2]int32{w, h}] = id
	return id, nil
}

// planesFor returns the planes whose check accepts showing a bw x bh
// buffer's src rectangle at dst with rotation rot.
func (st *scanoutTester) planesFor(bw, bh int32, src, dst device.Rect, rot profile.Rotation) []*device.Plane {
	if bw <= 0 || bh <= 0 {
		return nil
	}
	fb, err := st.fb(bw, bh)
	if err != nil {
		return nil
	}
	var out []*device.Plane
	var req device.Request
	for _, p := range st.planes {
		if !p.Profile().Supports(fourcc.XRGB8888, modifier.Linear) {
			continue
		}
		req.Reset()
		req.Add(p.ID(), p.PropertyID("FB_ID"), uint64(fb))
		req.Add(p.ID(), p.PropertyID("CRTC_ID"), uint64(st.crtc.ID()))
		req.Add(p.ID(), p.PropertyID("SRC_X"), uint64(uint32(src.X1)))
		req.Add(p.ID(), p.PropertyID("SRC_Y"), uint64(uint32(src.Y1)))
		req.Add(p.ID(), p.PropertyID("SRC_W"), uint64(uint32(src.X2-src.X1)))
		req.Add(p.ID(), p.PropertyID("SRC_H"), uint64(uint32(src.Y2-src.Y1)))
		req.Add(p.ID(), p.PropertyID("CRTC_X"), uint64(int64(dst.X1)))
		req.Add(p.ID(), p.PropertyID("CRTC_Y"), uint64(int64(dst.Y1)))
		req.Add(p.ID(), p.PropertyID("CRTC_W"), uint64(dst.X2-dst.X1))
		req.Add(p.ID(), p.PropertyID("CRTC_H"), uint64(dst.Y2-dst.Y1))
		if id := p.PropertyID("rotation"); id != 0 {
			req.Add(p.ID(), id, uint64(rot))
		} else if rot != profile.Rotate0 {
			continue
		}
		if st.file.Commit(context.Background(), &req, device.AtomicTestOnly, 0) == nil {
			out = append(out, p)
		}
	}
	return out
}

// scanoutSet is the scanout tranche's pairs for planes: their IN_FORMATS
// pairs in plane order, kept only where the render set has them (a pair
// with no fallback path is never offered).
func scanoutSet(planes []*device.Plane, render *formatset.Set) *formatset.Set {
	s := &formatset.Set{}
	for _, p := range planes {
		for _, fm := range p.Profile().Formats {
			for _, m := range fm.Modifiers {
				if render.Has(fm.Format, m) {
					s.Add(fm.Format, m)
				}
			}
		}
	}
	return s
}

// surfaceFeedback is one zwp_linux_dmabuf_feedback_v1 of a surface and
// what it last said.
type surfaceFeedback struct {
	res     *server.Resource
	scanout *formatset.Set // the scanout tranche sent, nil for none
}

// updateScanoutFeedback re-evaluates the surfaces that have surface
// feedback and re-sends those whose candidacy changed. It runs on the loop
// at each latch, with the frame's placed surfaces.
func (g *dmabufGlobal) updateScanoutFeedback(vis []placed) {
	if len(g.surfaceFeedback) == 0 {
		return
	}
	pos := make(map[*surface]placed, len(vis))
	for _, p := range vis {
		pos[p.s] = p
	}
	for s, fbs := range g.surfaceFeedback {
		var set *formatset.Set
		if p, ok := pos[s]; ok && s.buf != nil {
			src, dst, rot := layerOf(p)
			if planes := g.tester.planesFor(s.buf.width, s.buf.height, src, dst, rot); len(planes) > 0 {
				set = scanoutSet(planes, g.render)
				if set.Len() == 0 {
					set = nil
				}
			}
		}
		for _, sf := range fbs {
			if sameSet(sf.scanout, set) || !sf.res.Alive() {
				continue
			}
			sf.scanout = set
			ts, err := g.feedbackFor(set)
			if err != nil {
				g.c.log.Warn("compositor: surface feedback", "err", err)
				continue
			}
			g.sendFeedback(sf.res, ts)
		}
	}
}

func sameSet(a, b *formatset.Set) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.EqualOrdered(b)
}

// feedbackFor is the tranches of a surface feedback: the scanout tranche
// (when set is not nil) before the render tranche.
func (g *dmabufGlobal) feedbackFor(set *formatset.Set) ([]formatset.FeedbackTranche, error) {
	if set == nil {
		return g.defaultTranches, nil
	}
	ts, err := g.tranches([]formatset.Tranche{
		{TargetDevice: MainDevice, Flags: formatset.FlagScanout, Formats: set},
		{TargetDevice: MainDevice, Formats: g.render},
	})
	if err != nil {
		return nil, fmt.Errorf("scanout tranche: %w", err)
	}
	return ts, nil
}
