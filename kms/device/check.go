package device

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"syscall"

	"github.com/headwaywl/headway/kms/profile"
)

// check is drm_atomic_check_only followed by the helpers the fake driver
// uses (drm_atomic_helper_check: modeset, planes, zpos normalisation), in
// the kernel's order, so each failure has the kernel's errno.
func (s *atomicState) check() error {
	d := s.d
	// Whatever sits on a CRTC of the request takes part: planes and
	// connectors are added the way drm_atomic_add_affected_planes and
	// drm_atomic_add_affected_connectors add them.
	for m := s.crtcMask; m != 0; m &= m - 1 {
		c := d.crtcs[bits.TrailingZeros64(m)]
		for i := range d.planes {
			if v := s.planeView(i); v.CRTC == c || d.sw.planes[i].CRTC == c {
				s.plane(i)
			}
		}
		for i := range d.connectors {
			if v := s.connView(i); v.CRTC == c || d.sw.conns[i].CRTC == c {
				s.conn(i)
			}
		}
	}
	for m := s.planeMask; m != 0; m &= m - 1 {
		if err := s.checkPlaneBasic(bits.TrailingZeros64(m)); err != nil {
			return err
		}
	}
	for m := s.crtcMask; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		ns, os := &s.crtcs[i], &d.sw.crtcs[i]
		c := d.crtcs[i]
		if ns.Active && !ns.Enable {
			return fmt.Errorf("atomic check: CRTC %d active without a mode: %w", c.id, syscall.EINVAL)
		}
		// prepare_signaling gives a real commit's CRTC a vblank event for a
		// page-flip event or an out-fence alike, and drm_atomic_crtc_check
		// refuses either on a CRTC that is off and stays off.
		event := s.events&(1<<i) != 0 || s.flags&AtomicTestOnly == 0 && s.outFencePtr[i] != 0
		if event && !ns.Active && !os.Active {
			return fmt.Errorf("atomic check: CRTC %d is off and stays off, so it can send no event or out-fence: %w", c.id, syscall.EINVAL)
		}
	}
	for m := s.connMask; m != 0; m &= m - 1 {
		if err := s.checkConnector(bits.TrailingZeros64(m)); err != nil {
			return err
		}
	}
	if err := s.checkModeset(); err != nil {
		return err
	}
	for m := s.planeMask; m != 0; m &= m - 1 {
		if err := s.checkPlaneState(bits.TrailingZeros64(m)); err != nil {
			return err
		}
	}
	for m := s.crtcMask; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		ns := &s.crtcs[i]
		if ns.GammaLUT != nil {
			n, size := uint32(len(ns.GammaLUT.data)/ColorLUTSize), d.prof.CRTCs.GammaLUTSize
			if n > size || (n != size && !d.prof.CRTCs.GammaLUTAtMost) {
				rule := "exactly"
				if d.prof.CRTCs.GammaLUTAtMost {
					rule = "at most"
				}
				return fmt.Errorf("atomic check: CRTC %d: GAMMA_LUT has %d entries, the driver takes %s GAMMA_LUT_SIZE (%d): %w",
					d.crtcs[i].id, n, rule, size, syscall.EINVAL)
			}
		}
		s.normalizeZpos(i)
	}
	if s.flags&AtomicAllowModeset == 0 {
		for m := s.crtcMask; m != 0; m &= m - 1 {
			i := bits.TrailingZeros64(m)
			if s.crtcs[i].NeedsModeset() {
				return fmt.Errorf("atomic check: CRTC %d needs a full modeset, which the request does not allow: %w", d.crtcs[i].id, syscall.EINVAL)
			}
		}
	}
	return nil
}

// checkPlaneBasic is drm_atomic_plane_check.
func (s *atomicState) checkPlaneBasic(i int) error {
	d := s.d
	p := d.planes[i]
	ns, os := &s.planes[i], &d.sw.planes[i]
	switch {
	case ns.CRTC != nil && ns.FB == nil:
		return fmt.Errorf("atomic check: plane %d has a CRTC but no framebuffer: %w", p.id, syscall.EINVAL)
	case ns.FB != nil && ns.CRTC == nil:
		return fmt.Errorf("atomic check: plane %d has a framebuffer but no CRTC: %w", p.id, syscall.EINVAL)
	case ns.CRTC == nil:
		return nil
	}
	if p.prof.PossibleCRTCs&(1<<ns.CRTC.index) == 0 {
		return fmt.Errorf("atomic check: plane %d cannot be on CRTC %d: %w", p.id, ns.CRTC.id, syscall.EINVAL)
	}
	fb := ns.FB
	if !p.prof.Supports(fb.format, fb.modifier) {
		return fmt.Errorf("atomic check: plane %d does not take %s with modifier %#x: %w", p.id, fb.info.Name, uint64(fb.modifier), syscall.EINVAL)
	}
	if ns.CRTCW > math.MaxInt32 || ns.CRTCX > math.MaxInt32-int32(ns.CRTCW) ||
		ns.CRTCH > math.MaxInt32 || ns.CRTCY > math.MaxInt32-int32(ns.CRTCH) {
		return fmt.Errorf("atomic check: plane %d: CRTC rectangle %d,%d %dx%d overflows: %w", p.id, ns.CRTCX, ns.CRTCY, ns.CRTCW, ns.CRTCH, syscall.ERANGE)
	}
	fbw, fbh := fb.width<<16, fb.height<<16
	if ns.SrcW > fbw || ns.SrcX > fbw-ns.SrcW || ns.SrcH > fbh || ns.SrcY > fbh-ns.SrcH {
		return fmt.Errorf("atomic check: plane %d: source %#x,%#x %#xx%#x (16.16) is outside the %dx%d framebuffer: %w",
			p.id, ns.SrcX, ns.SrcY, ns.SrcW, ns.SrcH, fb.width, fb.height, syscall.ENOSPC)
	}
	if os.CRTC != nil && os.CRTC != ns.CRTC {
		return fmt.Errorf("atomic check: plane %d cannot switch from CRTC %d to %d in one commit: %w", p.id, os.CRTC.id, ns.CRTC.id, syscall.EINVAL)
	}
	return nil
}

// checkConnector is drm_atomic_connector_check plus the writeback checks
// of drm_atomic_helper_check_wb_connector_state and VKMS.
func (s *atomicState) checkConnector(i int) error {
	d := s.d
	c := d.connectors[i]
	ns := &s.conns[i]
	if !c.IsWriteback() {
		return nil
	}
	fb := ns.WritebackFB
	if fb == nil {
		// drm_atomic_connector_check: a job (WRITEBACK_FB_ID set, here to
		// 0) whose out-fence prepare_signaling created has nothing to
		// signal it. TEST_ONLY creates no fences, so it passes, and a
		// pointer without a job has no fence at all.
		if s.wbJobs&(1<<i) != 0 && s.wbFencePtr[i] != 0 && s.flags&AtomicTestOnly == 0 {
			return fmt.Errorf("atomic check: writeback connector %d: out-fence requested without a framebuffer: %w", c.id, syscall.EINVAL)
		}
		return nil
	}
	if ns.CRTC == nil {
		return fmt.Errorf("atomic check: writeback connector %d has a framebuffer but no CRTC: %w", c.id, syscall.EINVAL)
	}
	cs := &s.crtcs[ns.CRTC.index]
	if !cs.Active {
		return fmt.Errorf("atomic check: writeback connector %d has a framebuffer but CRTC %d is off: %w", c.id, ns.CRTC.id, syscall.EINVAL)
	}
	if !slices.Contains(c.wbFormats, fb.format) {
		return fmt.Errorf("atomic check: writeback connector %d does not write %s: %w", c.id, fb.info.Name, syscall.EINVAL)
	}
	if fb.width != uint32(cs.Mode.HDisplay) || fb.height != uint32(cs.Mode.VDisplay) {
		return fmt.Errorf("atomic check: writeback framebuffer %dx%d does not match the %dx%d mode: %w",
			fb.width, fb.height, cs.Mode.HDisplay, cs.Mode.VDisplay, syscall.EINVAL)
	}
	return nil
}

// checkModeset is the part of drm_atomic_helper_check_modeset that applies
// to virtual outputs: what changed, and whether every enabled CRTC drives
// a connector and every connector's CRTC is enabled.
func (s *atomicState) checkModeset() error {
	d := s.d
	for m := s.connMask; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		ns, os := &s.conns[i], &d.sw.conns[i]
		if ns.CRTC == os.CRTC {
			continue
		}
		for _, c := range []*CRTC{ns.CRTC, os.CRTC} {
			if c != nil {
				s.crtc(c.index).connectorsChanged = true
			}
		}
		if ns.CRTC != nil && d.connectors[i].encoder.possibleCRTCs&(1<<ns.CRTC.index) == 0 {
			return fmt.Errorf("atomic check: connector %d cannot drive CRTC %d: %w", d.connectors[i].id, ns.CRTC.id, syscall.EINVAL)
		}
	}
	for m := s.crtcMask; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		ns, os := &s.crtcs[i], &d.sw.crtcs[i]
		c := d.crtcs[i]
		if !ns.Mode.Equal(&os.Mode) || ns.Enable != os.Enable {
			ns.modeChanged = true
		}
		if ns.Active != os.Active {
			ns.activeChanged = true
		}
		has := false
		for j := range d.connectors {
			if s.connView(j).CRTC == c {
				has = true
				break
			}
		}
		if ns.Enable != has {
			return fmt.Errorf("atomic check: CRTC %d: enabled=%t but drives a connector=%t: %w", c.id, ns.Enable, has, syscall.EINVAL)
		}
		if ns.Enable && (uint32(ns.Mode.HDisplay) > d.maxWidth || uint32(ns.Mode.VDisplay) > d.maxHeight ||
			ns.Mode.HDisplay < MinWidth || ns.Mode.VDisplay < MinHeight) {
			return fmt.Errorf("atomic check: CRTC %d: mode %dx%d outside %dx%d..%dx%d: %w", c.id, ns.Mode.HDisplay, ns.Mode.VDisplay,
				MinWidth, MinHeight, d.maxWidth, d.maxHeight, syscall.EINVAL)
		}
	}
	return nil
}

// checkPlaneState is drm_atomic_helper_check_plane_state with the plane's
// scaling limits, positioning allowed and updates of disabled CRTCs
// allowed (VKMS's arguments), followed by the profile's size limits.
func (s *atomicState) checkPlaneState(i int) error {
	d := s.d
	p := d.planes[i]
	ps := &s.planes[i]
	ps.Visible = false
	ps.Src = Rect{int32(ps.SrcX), int32(ps.SrcY), int32(ps.SrcX + ps.SrcW), int32(ps.SrcY + ps.SrcH)}
	ps.Dst = Rect{ps.CRTCX, ps.CRTCY, ps.CRTCX + int32(ps.CRTCW), ps.CRTCY + int32(ps.CRTCH)}
	if ps.FB == nil || ps.CRTC == nil {
		return nil
	}
	fb := ps.FB
	pp := p.prof
	if lim := pp.MaxFB; lim.Width != 0 && (fb.width > lim.Width || fb.height > lim.Height) {
		return fmt.Errorf("atomic check: plane %d takes framebuffers up to %dx%d, not %dx%d: %w", p.id, lim.Width, lim.Height, fb.width, fb.height, syscall.EINVAL)
	}
	if lim := pp.MaxSrc; lim.Width != 0 && (ps.SrcW>>16 > lim.Width || ps.SrcH>>16 > lim.Height) {
		return fmt.Errorf("atomic check: plane %d takes sources up to %dx%d: %w", p.id, lim.Width, lim.Height, syscall.EINVAL)
	}
	if lim := pp.MaxDst; lim.Width != 0 && (ps.CRTCW > lim.Width || ps.CRTCH > lim.Height) {
		return fmt.Errorf("atomic check: plane %d takes destinations up to %dx%d: %w", p.id, lim.Width, lim.Height, syscall.EINVAL)
	}
	cs := &s.crtcs[ps.CRTC.index]
	w, h := int32(fb.width<<16), int32(fb.height<<16)
	src := rotateRect(ps.Src, w, h, ps.Rotation)
	dst := ps.Dst
	sc := p.prof.Scaling
	if sc.Min == 0 && sc.Max == 0 {
		sc = profile.Scaling{Min: profile.FixedOne, Max: profile.FixedOne}
	}
	hs := calcScale(src.Width(), dst.Width(), sc.Min, sc.Max)
	vs := calcScale(src.Height(), dst.Height(), sc.Min, sc.Max)
	if hs < 0 || vs < 0 {
		return fmt.Errorf("atomic check: plane %d: scaling %#x/%d x %#x/%d is outside %#x..%#x (16.16): %w",
			p.id, src.Width(), dst.Width(), src.Height(), dst.Height(), sc.Min, sc.Max, syscall.ERANGE)
	}
	if !cs.Enable {
		ps.Src = rotateRectInv(src, w, h, ps.Rotation)
		return nil
	}
	clip := Rect{0, 0, int32(cs.Mode.HDisplay), int32(cs.Mode.VDisplay)}
	ps.Src, ps.Dst, ps.Visible = ClipPlane(ps.Src, dst, fb.width, fb.height, ps.Rotation, clip)
	return nil
}

// ClipPlane is the clipping step of drm_atomic_helper_check_plane_state,
// for the check here and for anyone who must place a buffer exactly as a
// plane would be placed (the compositor's renderer): dst (pixels) is
// clipped to clip, and src (16.16, inside a width x height buffer, before
// rotation) shrinks in proportion, in the rotated space and rounding
// towards a scale factor of 1 (drm_rect_clip_scaled). It returns the
// clipped rectangles and whether any destination pixel is left. width and
// height must be below 32768, so that their 16.16 form fits an int32.
func ClipPlane(src, dst Rect, width, height uint32, rot profile.Rotation, clip Rect) (Rect, Rect, bool) {
	w, h := int32(width<<16), int32(height<<16)
	s := rotateRect(src, w, h, rot)
	visible := clipScaled(&s, &dst, clip)
	return rotateRectInv(s, w, h, rot), dst, visible
}

// normalizeZpos is drm_atomic_normalize_zpos for one CRTC: the planes on it
// ordered by zpos, ties broken by plane id, numbered from 0.
func (s *atomicState) normalizeZpos(ci int) {
	d := s.d
	c := d.crtcs[ci]
	var order [64]int
	n := 0
	for i := range d.planes {
		if s.planeView(i).CRTC == c {
			order[n] = i
			n++
		}
	}
	list := order[:n]
	slices.SortFunc(list, func(a, b int) int {
		za, zb := s.planeView(a).Zpos, s.planeView(b).Zpos
		if za != zb {
			if za < zb {
				return -1
			}
			return 1
		}
		return int(d.planes[a].id) - int(d.planes[b].id)
	})
	for z, i := range list {
		s.plane(i).NormalizedZpos = uint32(z)
	}
}

// calcScale is drm_rect_calc_hscale/vscale: the 16.16 factor src/dst, or
// ERANGE (-1) outside [min, max]. A zero destination is factor 0.
func calcScale(src, dst, min, max int32) int32 {
	if src < 0 || dst < 0 {
		return -1
	}
	if dst == 0 {
		return 0
	}
	var scale int64
	if int64(src) > int64(dst)<<16 {
		scale = (int64(src) + int64(dst) - 1) / int64(dst)
	} else {
		scale = int64(src) / int64(dst)
	}
	if scale < int64(min) || scale > int64(max) {
		return -1
	}
	return int32(scale)
}

func clipScaledLen(src, dst, clip int32) int32 {
	if dst == 0 {
		return 0
	}
	if clip > dst {
		clip = dst
	}
	tmp := uint64(uint32(src)) * uint64(uint32(dst-clip))
	if int64(src) < int64(dst)<<16 {
		return int32((tmp + uint64(dst) - 1) / uint64(dst))
	}
	return int32(tmp / uint64(dst))
}

// clipScaled is drm_rect_clip_scaled: dst is clipped to clip and src by
// the same proportion, rounding towards a scale factor of 1.
func clipScaled(src, dst *Rect, clip Rect) bool {
	if diff := clip.X1 - dst.X1; diff > 0 {
		src.X1 = src.X2 - clipScaledLen(src.Width(), dst.Width(), diff)
		dst.X1 = clip.X1
	}
	if diff := clip.Y1 - dst.Y1; diff > 0 {
		src.Y1 = src.Y2 - clipScaledLen(src.Height(), dst.Height(), diff)
		dst.Y1 = clip.Y1
	}
	if diff := dst.X2 - clip.X2; diff > 0 {
		src.X2 = src.X1 + clipScaledLen(src.Width(), dst.Width(), diff)
		dst.X2 = clip.X2
	}
	if diff := dst.Y2 - clip.Y2; diff > 0 {
		src.Y2 = src.Y1 + clipScaledLen(src.Height(), dst.Height(), diff)
		dst.Y2 = clip.Y2
	}
	return dst.Width() > 0 && dst.Height() > 0
}

// rotateRect is drm_rect_rotate: reflection first, then rotation, inside a
// width x height space.
func rotateRect(r Rect, width, height int32, rot profile.Rotation) Rect {
	if rot&profile.ReflectX != 0 {
		r.X1, r.X2 = width-r.X2, width-r.X1
	}
	if rot&profile.ReflectY != 0 {
		r.Y1, r.Y2 = height-r.Y2, height-r.Y1
	}
	t := r
	switch rot & profile.RotateMask {
	case profile.Rotate90:
		r = Rect{t.Y1, width - t.X2, t.Y2, width - t.X1}
	case profile.Rotate180:
		r = Rect{width - t.X2, height - t.Y2, width - t.X1, height - t.Y1}
	case profile.Rotate270:
		r = Rect{height - t.Y2, t.X1, height - t.Y1, t.X2}
	}
	return r
}

// rotateRectInv is drm_rect_rotate_inv, the inverse of rotateRect.
func rotateRectInv(r Rect, width, height int32, rot profile.Rotation) Rect {
	t := r
	switch rot & profile.RotateMask {
	case profile.Rotate90:
		r = Rect{width - t.Y2, t.X1, width - t.Y1, t.X2}
	case profile.Rotate180:
		r = Rect{width - t.X2, height - t.Y2, width - t.X1, height - t.Y1}
	case profile.Rotate270:
		r = Rect{t.Y1, height - t.X2, t.Y2, height - t.X1}
	}
	if rot&profile.ReflectX != 0 {
		r.X1, r.X2 = width-r.X2, width-r.X1
	}
	if rot&profile.ReflectY != 0 {
		r.Y1, r.Y2 = height-r.Y2, height-r.Y1
	}
	return r
}
