package compositor_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/compositor"
	"github.com/headwaywl/headway/protocol/headwaytest"
	"github.com/headwaywl/headway/protocol/wayland"
	"github.com/headwaywl/headway/protocol/wire"
	"github.com/headwaywl/headway/protocol/xdgshell"
)

// TestWindowGeometryPlacesTheWindow: a toplevel is placed so that its
// window geometry's origin (not its surface's) is at its position, as
// client-side shadows need.
func TestWindowGeometryPlacesTheWindow(t *testing.T) {
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	m := r.comp.Mode()
	W, H := int(m.HDisplay), int(m.VDisplay)
	c := r.dial()
	test := c.bind("headway_test_v1")
	w := c.toplevel()
	c.send(w.xdgSurface, xdgshell.XdgSurfaceRequestSetWindowGeometry, func(e *wire.Encoder) { e.Int(4); e.Int(3); e.Int(10); e.Int(10) })
	c.send(test, headwaytest.HeadwayTestV1RequestMoveSurface, func(e *wire.Encoder) { e.Object(w.surface); e.Int(50); e.Int(40) })
	c.showPicture(w.surface, picture{w: 18, h: 16, px: solid(18*16, 0xff00ff00)})
	assert.Equal(t, frameCRC(W, H, paint{46, 37, 18, 16, 0, 255, 0}), crcAfter(c, r))
}

// TestPopupPlacement follows xdg_positioner's rules: the anchor point on
// the anchor rectangle (relative to the parent's window geometry), the
// gravity's direction from it, then the offset.
func TestPopupPlacement(t *testing.T) {
	for _, tc := range []struct {
		name            string
		anchor, gravity uint32
		x, y            int // expected popup origin relative to the parent's geometry
	}{
		{"bottom_right/bottom_right", uint32(xdgshell.XdgPositionerAnchorBottomRight), uint32(xdgshell.XdgPositionerGravityBottomRight), 30 + 20 + 2, 10 + 8 + 1},
		{"top_left/top_left", uint32(xdgshell.XdgPositionerAnchorTopLeft), uint32(xdgshell.XdgPositionerGravityTopLeft), 30 - 12 + 2, 10 - 6 + 1},
		{"none/none", uint32(xdgshell.XdgPositionerAnchorNone), uint32(xdgshell.XdgPositionerGravityNone), 30 + 10 - 6 + 2, 10 + 4 - 3 + 1},
		{"bottom/right", uint32(xdgshell.XdgPositionerAnchorBottom), uint32(xdgshell.XdgPositionerGravityRight), 30 + 10 + 2, 10 + 8 - 3 + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := startRig(t, compositor.Config{Clock: compositor.Manual})
			m := r.comp.Mode()
			W, H := int(m.HDisplay), int(m.VDisplay)
			c := r.dial()
			test := c.bind("headway_test_v1")
			wm := c.bind("xdg_wm_base")
			w := c.toplevel()
			c.send(test, headwaytest.HeadwayTestV1RequestMoveSurface, func(e *wire.Encoder) { e.Object(w.surface); e.Int(100); e.Int(100) })
			c.showPicture(w.surface, picture{w: 80, h: 60, px: solid(80*60, 0xff0000ff)})
			c.advance(1)

			pos := c.NewObject("xdg_positioner")
			c.send(wm, xdgshell.XdgWmBaseRequestCreatePositioner, func(e *wire.Encoder) { e.NewID(pos) })
			c.send(pos, xdgshell.XdgPositionerRequestSetSize, func(e *wire.Encoder) { e.Int(12); e.Int(6) })
			c.send(pos, xdgshell.XdgPositionerRequestSetAnchorRect, func(e *wire.Encoder) { e.Int(30); e.Int(10); e.Int(20); e.Int(8) })
			c.send(pos, xdgshell.XdgPositionerRequestSetAnchor, func(e *wire.Encoder) { e.Uint(tc.anchor) })
			c.send(pos, xdgshell.XdgPositionerRequestSetGravity, func(e *wire.Encoder) { e.Uint(tc.gravity) })
			c.send(pos, xdgshell.XdgPositionerRequestSetOffset, func(e *wire.Encoder) { e.Int(2); e.Int(1) })
			ps := c.newSurface()
			pxs := c.NewObject("xdg_surface")
			c.send(wm, xdgshell.XdgWmBaseRequestGetXdgSurface, func(e *wire.Encoder) { e.NewID(pxs); e.Object(ps) })
			popup := c.NewObject("xdg_popup")
			c.send(pxs, xdgshell.XdgSurfaceRequestGetPopup, func(e *wire.Encoder) { e.NewID(popup); e.Object(w.xdgSurface); e.Object(pos) })
			c.send(ps, wayland.WlSurfaceRequestCommit, nil)
			cfg := c.waitFor(popup, xdgshell.XdgPopupEventConfigure)
			a, err := cfg.Args("iiii")
			require.NoError(t, err)
			assert.Equal(t, []any{int32(tc.x), int32(tc.y), int32(12), int32(6)}, a, "xdg_popup.configure")
			serial, err := c.waitFor(pxs, xdgshell.XdgSurfaceEventConfigure).Uint()
			require.NoError(t, err)
			c.send(pxs, xdgshell.XdgSurfaceRequestAckConfigure, func(e *wire.Encoder) { e.Uint(serial) })
			c.showPicture(ps, picture{w: 12, h: 6, px: solid(72, 0xffffff00)})
			want := frameCRC(W, H, paint{100, 100, 80, 60, 0, 0, 255}, paint{100 + tc.x, 100 + tc.y, 12, 6, 255, 255, 0})
			assert.Equal(t, want, crcAfter(c, r))
		})
	}
}

// TestBufferReleaseRules: a buffer comes back as soon as nothing needs its
// memory: not while it is the surface's current buffer (a later frame may
// be drawn from it), but at once when a commit replaces it and no frame
// being rendered reads it (the frame on screen is already a copy, as with
// weston's GL renderer).
func TestBufferReleaseRules(t *testing.T) {
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	c := r.dial()
	w := c.toplevel()
	b1, _ := c.shmBuffer(0x34325258, 8, 8, 32, xrgb(8, 8, 1, 1, 1))
	b2, _ := c.shmBuffer(0x34325258, 8, 8, 32, xrgb(8, 8, 2, 2, 2))
	c.show(w.surface, b1)
	c.advance(1)
	c.show(w.surface, b1) // the same buffer again
	c.advance(1)
	c.sync()
	assert.Zero(t, c.drop(b1, wayland.WlBufferEventRelease), "a shown buffer is not released")
	c.show(w.surface, b2)
	c.waitFor(b1, wayland.WlBufferEventRelease)
	c.advance(2)
	c.sync()
	assert.Zero(t, c.drop(b2, wayland.WlBufferEventRelease), "the current buffer is kept")
}
