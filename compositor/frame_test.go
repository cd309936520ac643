package compositor_test

import (
	"encoding/binary"
	"hash/crc32"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/compositor"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/protocol/presentation"
	"github.com/headwaywl/headway/protocol/wayland"
	"github.com/headwaywl/headway/protocol/wire"
	"github.com/headwaywl/headway/protocol/xdgshell"
)

// frameCRC is VKMS's CRC of a frame, computed from its definition
// (crc32_le, seed 0, no final inversion, over A,R,G,B little-endian u16
// per pixel, row by row): opaque black with rectangles of 8-bit colours
// painted over it, last on top.
type paint struct {
	x, y, w, h int
	r, g, b    uint8
}

func frameCRC(width, height int, paints ...paint) uint32 {
	row := make([]byte, width*8)
	var c uint32
	for y := 0; y < height; y++ {
		for x := 0; x < width; x++ {
			var r, g, b uint8
			for _, p := range paints {
				if x >= p.x && x < p.x+p.w && y >= p.y && y < p.y+p.h {
					r, g, b = p.r, p.g, p.b
				}
			}
			binary.LittleEndian.PutUint16(row[x*8:], 0xffff)
			binary.LittleEndian.PutUint16(row[x*8+2:], uint16(r)*257)
			binary.LittleEndian.PutUint16(row[x*8+4:], uint16(g)*257)
			binary.LittleEndian.PutUint16(row[x*8+6:], uint16(b)*257)
		}
		c = ^crc32.Update(^c, crc32.IEEETable, row)
	}
	return c
}

// xrgb fills a w x h XRGB8888 picture with one colour.
func xrgb(w, h int, r, g, b uint8) []byte {
	pix := make([]byte, w*h*4)
	for i := 0; i < w*h; i++ {
		pix[i*4], pix[i*4+1], pix[i*4+2], pix[i*4+3] = b, g, r, 0xff
	}
	return pix
}

func TestFrameCRCIsVKMSDefinition(t *testing.T) {
	for _, pf := range []fourcc.Format{0, fourcc.XRGB8888} {
		t.Run(fourcc.DRMName(pf), func(t *testing.T) {
			r := startRig(t, compositor.Config{Clock: compositor.Manual, PrimaryFormat: pf})
			c := r.dial()
			w := c.toplevel()
			buf, _ := c.shmBuffer(fourcc.XRGB8888, 64, 48, 64*4, xrgb(64, 48, 200, 100, 50))
			cb := c.show(w.surface, buf)
			seq := c.advance(1)
			c.waitFor(cb, 0) // wl_callback.done: the frame was latched
			m := r.comp.Mode()
			// Latched at seq, committed during it, shown from seq+1 on.
			c.advance(1)
			assert.Equal(t, frameCRC(int(m.HDisplay), int(m.VDisplay)), r.crc(seq), "frame %d is still black", seq)
			assert.Equal(t, frameCRC(int(m.HDisplay), int(m.VDisplay), paint{0, 0, 64, 48, 200, 100, 50}), r.crc(seq+1))
		})
	}
}

func TestPresentedCarriesFirstFrameShowingContent(t *testing.T) {
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	c := r.dial()
	w := c.toplevel()
	pres := c.bind("wp_presentation")
	out := c.bind("wl_output")
	c.sync()
	buf, _ := c.shmBuffer(fourcc.XRGB8888, 32, 32, 128, xrgb(32, 32, 0, 255, 0))
	fb := c.NewObject("wp_presentation_feedback")
	c.send(pres, presentation.WpPresentationRequestFeedback, func(e *wire.Encoder) { e.Object(w.surface); e.NewID(fb) })
	c.show(w.surface, buf)
	c.advance(2)
	so := c.waitFor(fb, presentation.WpPresentationFeedbackEventSyncOutput)
	args, err := so.Args("o")
	require.NoError(t, err)
	assert.Equal(t, out, args[0])
	m := c.waitFor(fb, presentation.WpPresentationFeedbackEventPresented)
	a, err := m.Args("uuuuuuu")
	require.NoError(t, err)
	seq := uint64(a[4].(uint32))<<32 | uint64(a[5].(uint32))
	mode := r.comp.Mode()
	shown := frameCRC(int(mode.HDisplay), int(mode.VDisplay), paint{0, 0, 32, 32, 0, 255, 0})
	assert.Equal(t, shown, r.crc(seq), "presented seq %d must show the content", seq)
	assert.NotEqual(t, shown, r.crc(seq-1), "the frame before %d must not", seq)
	assert.Equal(t, uint32(0x7), a[6], "flags vsync|hw_clock|hw_completion")
	period, err := mode.Period()
	require.NoError(t, err)
	assert.Equal(t, uint32(period), a[3], "refresh")
}

func TestSecondCommitInFrameDiscardsFirstFeedback(t *testing.T) {
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	c := r.dial()
	w := c.toplevel()
	pres := c.bind("wp_presentation")
	b1, _ := c.shmBuffer(fourcc.XRGB8888, 16, 16, 64, xrgb(16, 16, 255, 0, 0))
	b2, _ := c.shmBuffer(fourcc.XRGB8888, 16, 16, 64, xrgb(16, 16, 0, 0, 255))
	fb1 := c.NewObject("wp_presentation_feedback")
	c.send(pres, presentation.WpPresentationRequestFeedback, func(e *wire.Encoder) { e.Object(w.surface); e.NewID(fb1) })
	c.show(w.surface, b1)
	fb2 := c.NewObject("wp_presentation_feedback")
	c.send(pres, presentation.WpPresentationRequestFeedback, func(e *wire.Encoder) { e.Object(w.surface); e.NewID(fb2) })
	c.show(w.surface, b2)
	c.waitFor(fb1, presentation.WpPresentationFeedbackEventDiscarded)
	// The first buffer was never shown: it is the client's again at once.
	c.waitFor(b1, wayland.WlBufferEventRelease)
	c.advance(2)
	c.waitFor(fb2, presentation.WpPresentationFeedbackEventPresented)
}

func TestFrameWithoutDamageReusesFramebuffer(t *testing.T) {
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	c := r.dial()
	w := c.toplevel()
	buf, _ := c.shmBuffer(fourcc.XRGB8888, 8, 8, 32, xrgb(8, 8, 9, 9, 9))
	c.show(w.surface, buf)
	c.advance(2)
	// A commit with only a frame callback changes nothing on screen.
	cb := c.NewObject("wl_callback")
	c.send(w.surface, wayland.WlSurfaceRequestFrame, func(e *wire.Encoder) { e.NewID(cb) })
	c.send(w.surface, wayland.WlSurfaceRequestCommit, nil)
	before := r.comp.Renders()
	seq := c.advance(1)
	c.waitFor(cb, 0)
	c.advance(1)
	assert.Equal(t, before, r.comp.Renders(), "no rendering without damage")
	assert.Equal(t, r.crc(seq), r.crc(seq+1))
}

// TestSerialsCountPerClient: one client's events never shift another's
// serials.
func TestSerialsCountPerClient(t *testing.T) {
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	serialOfFirstConfigure := func(c *tclient) uint32 {
		wm := c.bind("xdg_wm_base")
		s := c.newSurface()
		xs := c.NewObject("xdg_surface")
		c.send(wm, xdgshell.XdgWmBaseRequestGetXdgSurface, func(e *wire.Encoder) { e.NewID(xs); e.Object(s) })
		tl := c.NewObject("xdg_toplevel")
		c.send(xs, xdgshell.XdgSurfaceRequestGetToplevel, func(e *wire.Encoder) { e.NewID(tl) })
		c.send(s, wayland.WlSurfaceRequestCommit, nil)
		v, err := c.waitFor(xs, xdgshell.XdgSurfaceEventConfigure).Uint()
		require.NoError(t, err)
		return v
	}
	a, b := r.dial(), r.dial()
	for i := 0; i < 3; i++ {
		serialOfFirstConfigure(a)
	}
	assert.Equal(t, uint32(1), serialOfFirstConfigure(b), "b's first serial does not count a's")
	assert.Equal(t, uint32(4), serialOfFirstConfigure(a))
}
