package compositor

import (
	"strconv"

	"github.com/headwaywl/headway/protocol/server"
	"github.com/headwaywl/headway/protocol/viewporter"
	"github.com/headwaywl/headway/protocol/wire"
)

type viewporterGlobal struct{ c *Compositor }

func (g *viewporterGlobal) bind(cl *server.Client, r *server.Resource) {
	g.c.bound(cl, r)
	r.SetHandler(viewporter.WpViewporterDispatcher(g))
}

func (g *viewporterGlobal) Destroy(r *server.Resource) error { return nil }

func (g *viewporterGlobal) GetViewport(r *server.Resource, id *server.Resource, sr *server.Resource) error {
	s := surfaceFrom(sr)
	if s.viewport != nil && s.viewport.res.Alive() {
		return server.Errorf(r, uint32(viewporter.WpViewporterErrorViewportExists), "wl_surface@%d already has a viewport", sr.ID())
	}
	v := &viewport{res: id, s: s}
	s.viewport = v
	id.SetData(v)
	id.SetHandler(viewporter.WpViewportDispatcher(v))
	id.SetDestructor(func(*server.Resource) {
		if v.s != nil && !v.s.destroyed {
			// Destroying the viewport unsets both rectangles on the next
			// commit.
			st := &v.s.pending
			st.viewportSet = true
			st.srcX, st.srcY, st.srcW, st.srcH = -1, -1, -1, -1
			st.dstW, st.dstH = -1, -1
			v.s.viewport = nil
		}
	})
	return nil
}

// viewport is a wp_viewport: its rectangles are pending surface state.
type viewport struct {
	res *server.Resource
	s   *surface
}

func (v *viewport) Destroy(r *server.Resource) error { return nil }

func (v *viewport) gone(r *server.Resource) error {
	if v.s == nil || v.s.destroyed {
		return server.Errorf(r, uint32(viewporter.WpViewportErrorNoSurface), "the wl_surface of this viewport was destroyed")
	}
	return nil
}

// pendingFrom starts a pending viewport change from the values the surface
// would have after its next commit.
func (v *viewport) pendingFrom() *surfaceState {
	st := &v.s.pending
	if !st.viewportSet {
		st.viewportSet = true
		st.srcX, st.srcY, st.srcW, st.srcH = v.s.srcX, v.s.srcY, v.s.srcW, v.s.srcH
		st.dstW, st.dstH = v.s.dstW, v.s.dstH
	}
	return st
}

func (v *viewport) SetSource(r *server.Resource, x, y, w, h wire.Fixed) error {
	if err := v.gone(r); err != nil {
		return err
	}
	unset := x == -256 && y == -256 && w == -256 && h == -256
	if !unset && (x < 0 || y < 0 || w <= 0 || h <= 0) {
		return server.Errorf(r, uint32(viewporter.WpViewportErrorBadValue), "source rectangle x=%s y=%s w=%s h=%s is invalid", fx(x), fx(y), fx(w), fx(h))
	}
	st := v.pendingFrom()
	if unset {
		st.srcX, st.srcY, st.srcW, st.srcH = -1, -1, -1, -1
	} else {
		st.srcX, st.srcY, st.srcW, st.srcH = x, y, w, h
	}
	return nil
}

func (v *viewport) SetDestination(r *server.Resource, w, h int32) error {
	if err := v.gone(r); err != nil {
		return err
	}
	unset := w == -1 && h == -1
	if !unset && (w <= 0 || h <= 0) {
		return server.Errorf(r, uint32(viewporter.WpViewportErrorBadValue), "destination size %dx%d is invalid", w, h)
	}
	st := v.pendingFrom()
	if unset {
		st.dstW, st.dstH = -1, -1
	} else {
		st.dstW, st.dstH = w, h
	}
	return nil
}

// check is the commit-time rule of wp_viewport: without a destination the
// source size must be whole, and the source must lie inside the buffer
// (in surface coordinates, after transform and scale).
func (v *viewport) check(st *surfaceState, bw, bh, scale, transform int32) error {
	srcX, srcY, srcW, srcH := v.s.srcX, v.s.srcY, v.s.srcW, v.s.srcH
	dstW := v.s.dstW
	if st.viewportSet {
		srcX, srcY, srcW, srcH = st.srcX, st.srcY, st.srcW, st.srcH
		dstW = st.dstW
	}
	if srcW < 0 {
		return nil
	}
	if dstW < 0 && (srcW&0xff != 0 || srcH&0xff != 0) {
		return server.Errorf(v.res, uint32(viewporter.WpViewportErrorBadSize), "source size %sx%s is not integer and no destination is set", fx(srcW), fx(srcH))
	}
	if transform&1 == 1 {
		bw, bh = bh, bw
	}
	// Compare in 1/256 units to stay exact.
	if int64(srcX)+int64(srcW) > int64(bw)*256/int64(scale) || int64(srcY)+int64(srcH) > int64(bh)*256/int64(scale) {
		return server.Errorf(v.res, uint32(viewporter.WpViewportErrorOutOfBuffer), "source rectangle extends outside the %dx%d buffer (scale %d)", bw, bh, scale)
	}
	return nil
}

// fx prints a fixed-point value as libwayland's traces do.
func fx(f wire.Fixed) string { return strconv.FormatFloat(f.Float(), 'f', -1, 64) }
