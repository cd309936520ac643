package compositor

import (
	"slices"
	"strings"

	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/kms/profile"
)

// scene is what the output shows: toplevels in a deterministic stacking
// order with their subsurfaces and popups, and the cursor.
//
// Stacking is ordered by (raise level, client stable name, per-client
// surface ordinal): two clients that map windows in the same frame always
// stack the same way, whichever goroutine delivered their requests first.
// headway_test_v1.raise_surface and lower_surface set the level.
type scene struct {
	toplevels []*surface
	level     map[*surface]int64
	pos       map[*surface][2]int32
	top, bot  int64
	dirty     bool // something may have changed the output since the last latch (lockstep)
	shownAny  bool // the last latch showed at least one surface
}

func newScene() *scene {
	return &scene{level: map[*surface]int64{}, pos: map[*surface][2]int32{}}
}

// changed notes a change that may alter what is shown (a cursor, a
// subsurface or popup going, a rename reordering stacking ties). It makes
// a frame due only while something is shown: changes made while clients
// set up must not start vblanks, or frame numbers would depend on
// scheduling. Damage itself is decided at the latch, by comparing what
// the frame shows with the previous one.
func (sc *scene) changed() {
	if sc.shownAny {
		sc.dirty = true
	}
}

// committed notes a commit. Only one that can change the output makes a
// frame due: a surface that is or was shown. A role's initial commit
// (nothing attached yet) must not start a vblank, or clients that set up
// in parallel would see frame numbers that depend on scheduling.
func (sc *scene) committed(s *surface) {
	if s.latched || s.mapped() {
		sc.dirty = true
	}
}

func (sc *scene) addToplevel(s *surface) {
	sc.toplevels = append(sc.toplevels, s)
	sc.changed()
}

func (sc *scene) removeToplevel(s *surface) {
	if s.latched {
		sc.dirty = true // it must disappear from the output
	}
	sc.toplevels = removeSurface(sc.toplevels, s)
	delete(sc.level, s)
	delete(sc.pos, s)
	sc.changed()
}

func (sc *scene) remove(s *surface) {
	sc.removeToplevel(s)
}

func (sc *scene) raise(s *surface) {
	sc.top++
	sc.level[s] = sc.top
	sc.changed()
}

func (sc *scene) lower(s *surface) {
	sc.bot--
	sc.level[s] = sc.bot
	sc.changed()
}

func (sc *scene) move(s *surface, x, y int32) {
	sc.pos[s] = [2]int32{x, y}
	sc.changed()
}

// ordered returns the toplevels bottom first.
func (sc *scene) ordered() []*surface {
	out := slices.Clone(sc.toplevels)
	slices.SortStableFunc(out, func(a, b *surface) int {
		if la, lb := sc.level[a], sc.level[b]; la != lb {
			if la < lb {
				return -1
			}
			return 1
		}
		if c := strings.Compare(a.owner.name, b.owner.name); c != 0 {
			return c
		}
		switch {
		case a.ord < b.ord:
			return -1
		case a.ord > b.ord:
			return 1
		}
		return 0
	})
	return out
}

// placed is one visible surface at its output position.
type placed struct {
	s    *surface
	x, y int32
}

// visible lists every shown surface bottom first: per toplevel its
// subsurface tree (children below the parent first, as their order says),
// then its popups; the cursor last.
func (sc *scene) visible(dst []placed, cursor *surface, cx, cy int32) []placed {
	for _, t := range sc.ordered() {
		if !t.mapped() {
			continue
		}
		xs := t.role.(*xdgSurface)
		gx, gy, _, _ := xs.geometry()
		p := sc.pos[t]
		dst = sc.tree(dst, t, p[0]-gx+t.dx, p[1]-gy+t.dy)
		dst = sc.popups(dst, xs, p[0], p[1])
	}
	if cursor != nil && cursor.buf != nil {
		cr := cursor.role.(*cursorRole)
		dst = sc.tree(dst, cursor, cx-cr.hx, cy-cr.hy)
	}
	return dst
}

// popups places the popups of xs; (ox, oy) is xs's window geometry origin
// on the output.
func (sc *scene) popups(dst []placed, xs *xdgSurface, ox, oy int32) []placed {
	for _, p := range xs.children {
		ps := p.xs.s
		if !ps.mapped() {
			continue
		}
		gx, gy, _, _ := p.xs.geometry()
		px, py := ox+p.x, oy+p.y
		dst = sc.tree(dst, ps, px-gx+ps.dx, py-gy+ps.dy)
		dst = sc.popups(dst, p.xs, px, py)
	}
	return dst
}

func (sc *scene) tree(dst []placed, s *surface, x, y int32) []placed {
	for _, ch := range s.subOrder {
		if ch == s {
			if s.buf != nil {
				dst = append(dst, placed{s: s, x: x, y: y})
			}
			continue
		}
		if ch.sub == nil || !ch.sub.res.Alive() || ch.buf == nil {
			continue
		}
		dst = sc.tree(dst, ch, x+ch.sub.x, y+ch.sub.y)
	}
	return dst
}

// surfacePos returns where s is on the output (0, 0 if it is not shown).
func (sc *scene) surfacePos(s *surface) (int32, int32) {
	for _, p := range sc.visible(nil, nil, 0, 0) {
		if p.s == s {
			return p.x, p.y
		}
	}
	return 0, 0
}

// surfaceAt is the top-most surface whose input region holds (x, y).
func (sc *scene) surfaceAt(x, y int32) *surface {
	vis := sc.visible(nil, nil, 0, 0)
	for i := len(vis) - 1; i >= 0; i-- {
		p := vis[i]
		lx, ly := x-p.x, y-p.y
		if lx < 0 || ly < 0 || lx >= p.s.width || ly >= p.s.height {
			continue
		}
		if p.s.inputAll || p.s.input.Contains(lx, ly) {
			return p.s
		}
	}
	return nil
}

// topToplevel is the keyboard's focus: the top-most mapped toplevel.
func (sc *scene) topToplevel() *surface {
	o := sc.ordered()
	for i := len(o) - 1; i >= 0; i-- {
		if o[i].mapped() {
			return o[i]
		}
	}
	return nil
}

// layerOf turns a placed surface into the geometry the renderer needs:
// the buffer's source rectangle (16.16), the destination on the output
// and the rotation that undoes the buffer transform.
func layerOf(p placed) (src, dst device.Rect, rot profile.Rotation) {
	s := p.s
	bw, bh := s.buf.width, s.buf.height
	tr := s.transform
	if s.buf.yInvert {
		tr = yInverted[tr]
	}
	tw, th := bw, bh
	if tr&1 == 1 {
		tw, th = bh, bw
	}
	// The source box in transformed-buffer pixels, 24.8 fixed point.
	var bx, by, bbw, bbh int64
	if s.srcW >= 0 {
		sc := int64(s.scale)
		bx, by, bbw, bbh = int64(s.srcX)*sc, int64(s.srcY)*sc, int64(s.srcW)*sc, int64(s.srcH)*sc
	} else {
		bx, by, bbw, bbh = 0, 0, int64(tw)*256, int64(th)*256
	}
	// Into buffer coordinates.
	bx, by, bbw, bbh = surfaceToBuffer(bx, by, bbw, bbh, tr, int64(tw)*256, int64(th)*256)
	src = device.Rect{X1: int32(bx << 8), Y1: int32(by << 8), X2: int32((bx + bbw) << 8), Y2: int32((by + bbh) << 8)}
	dst = device.Rect{X1: p.x, Y1: p.y, X2: p.x + s.width, Y2: p.y + s.height}
	return src, dst, transformRotation[tr]
}

// surfaceToBuffer maps a box of a w x h surface into the buffer drawn
// with buffer transform t: weston's weston_transformed_coord (the
// corrected table of current weston, where 90 maps (x, y) to
// (y, w - x)), applied to a box's corners.
func surfaceToBuffer(x, y, bw, bh int64, t int32, w, h int64) (int64, int64, int64, int64) {
	switch t {
	case 1: // 90
		return y, w - x - bw, bh, bw
	case 2: // 180
		return w - x - bw, h - y - bh, bw, bh
	case 3: // 270
		return h - y - bh, x, bh, bw
	case 4: // flipped
		return w - x - bw, y, bw, bh
	case 5: // flipped 90
		return y, x, bh, bw
	case 6: // flipped 180
		return x, h - y - bh, bw, bh
	case 7: // flipped 270
		return h - y - bh, w - x - bw, bh, bw
	}
	return x, y, bw, bh
}

// transformRotation is the plane rotation that shows a buffer drawn with
// wl_surface buffer transform t upright; the table is checked by drawing
// every transform and comparing CRCs with the untransformed picture.
var transformRotation = [8]profile.Rotation{
	profile.Rotate0,
	profile.Rotate270,
	profile.Rotate180,
	profile.Rotate90,
	profile.Rotate0 | profile.ReflectX,
	profile.Rotate90 | profile.ReflectX,
	profile.Rotate180 | profile.ReflectX,
	profile.Rotate270 | profile.ReflectX,
}

// yInverted[t] is the buffer transform equivalent to t applied to a
// buffer whose rows are stored bottom up (linux-dmabuf's y_invert): the
// surface-to-buffer mapping of t followed by a vertical flip of the
// buffer, found by comparing the mappings on a non-square surface.
var yInverted = func() [8]int32 {
	var out [8]int32
	const w, h = 3, 2
	for t := int32(0); t < 8; t++ {
		for u := int32(0); u < 8; u++ {
			same := true
			for y := int64(0); y < h && same; y++ {
				for x := int64(0); x < w && same; x++ {
					bx, by, _, _ := surfaceToBuffer(x, y, 1, 1, t, w, h)
					bh := int64(h)
					if t&1 == 1 {
						bh = w
					}
					ux, uy, _, _ := surfaceToBuffer(x, y, 1, 1, u, w, h)
					same = ux == bx && uy == bh-1-by
				}
			}
			if same {
				out[t] = u
				break
			}
		}
	}
	return out
}()
