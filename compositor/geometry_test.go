package compositor_test

import (
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/compositor"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/protocol/headwaytest"
	"github.com/headwaywl/headway/protocol/singlepixel"
	"github.com/headwaywl/headway/protocol/viewporter"
	"github.com/headwaywl/headway/protocol/wayland"
	"github.com/headwaywl/headway/protocol/wire"
)

// picture is a small image of distinct exact colours, as XRGB8888 words.
type picture struct {
	w, h int
	px   []uint32
}

func testPicture(w, h int) picture {
	p := picture{w: w, h: h, px: make([]uint32, w*h)}
	for i := range p.px {
		// Distinct 8-bit channels, all exact.
		p.px[i] = 0xff000000 | uint32(i*37%256)<<16 | uint32(i*91%256)<<8 | uint32(255-i*13%256)
	}
	return p
}

func (p picture) at(x, y int) uint32 { return p.px[y*p.w+x] }

func (p picture) bytes() []byte {
	b := make([]byte, len(p.px)*4)
	for i, v := range p.px {
		binary.LittleEndian.PutUint32(b[i*4:], v)
	}
	return b
}

// surfaceToBufferPixel is weston's weston_transformed_coord for pixel
// centres: where surface pixel (x, y) of a w x h surface lies in a buffer
// drawn with buffer transform t.
func surfaceToBufferPixel(t, w, h, x, y int) (int, int) {
	switch t {
	case 1:
		return y, w - 1 - x
	case 2:
		return w - 1 - x, h - 1 - y
	case 3:
		return h - 1 - y, x
	case 4:
		return w - 1 - x, y
	case 5:
		return y, x
	case 6:
		return x, h - 1 - y
	case 7:
		return h - 1 - y, w - 1 - x
	}
	return x, y
}

// cropDoubled is the reference for a viewport showing the 3x2 crop at
// (2, 1) of s at 6x4: each source pixel doubled by hand.
func cropDoubled(s picture) picture {
	crop := picture{w: 6, h: 4, px: make([]uint32, 24)}
	for y := 0; y < 4; y++ {
		for x := 0; x < 6; x++ {
			crop.px[y*6+x] = s.at(2+x/2, 1+y/2)
		}
	}
	return crop
}

// drawnWithTransform is the buffer a client draws to show s with buffer
// transform tr.
func drawnWithTransform(s picture, tr int) picture {
	bw, bh := s.w, s.h
	if tr&1 == 1 {
		bw, bh = s.h, s.w
	}
	b := picture{w: bw, h: bh, px: make([]uint32, bw*bh)}
	for y := 0; y < s.h; y++ {
		for x := 0; x < s.w; x++ {
			bx, by := surfaceToBufferPixel(tr, s.w, s.h, x, y)
			b.px[by*bw+bx] = s.at(x, y)
		}
	}
	return b
}

func (c *tclient) showPicture(s uint32, p picture) uint32 {
	buf, _ := c.shmBuffer(fourcc.XRGB8888, p.w, p.h, p.w*4, p.bytes())
	return c.show(s, buf)
}

// crcOf shows whatever setup does on a fresh window and returns the CRC
// of the first frame that shows it.
func crcAfter(c *tclient, r *rig) uint32 {
	seq := c.advance(2)
	return r.crc(seq)
}

func TestBufferTransformsShowUpright(t *testing.T) {
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	c := r.dial()
	w := c.toplevel()
	s := testPicture(6, 4)
	c.showPicture(w.surface, s)
	want := crcAfter(c, r)
	for tr := 0; tr < 8; tr++ {
		b := drawnWithTransform(s, tr)
		c.send(w.surface, wayland.WlSurfaceRequestSetBufferTransform, func(e *wire.Encoder) { e.Int(int32(tr)) })
		c.showPicture(w.surface, b)
		assert.Equal(t, want, crcAfter(c, r), "buffer transform %d", tr)
	}
}

func TestBufferScaleAndViewport(t *testing.T) {
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	c := r.dial()
	w := c.toplevel()
	s := testPicture(6, 4)
	crop := cropDoubled(s)
	c.showPicture(w.surface, crop)
	wantCrop := crcAfter(c, r)
	c.showPicture(w.surface, s)
	wantPlain := crcAfter(c, r)

	t.Run("scale", func(t *testing.T) {
		big := picture{w: 12, h: 8, px: make([]uint32, 96)}
		for y := 0; y < 8; y++ {
			for x := 0; x < 12; x++ {
				big.px[y*12+x] = s.at(x/2, y/2)
			}
		}
		c.send(w.surface, wayland.WlSurfaceRequestSetBufferScale, func(e *wire.Encoder) { e.Int(2) })
		c.showPicture(w.surface, big)
		assert.Equal(t, wantPlain, crcAfter(c, r))
		c.send(w.surface, wayland.WlSurfaceRequestSetBufferScale, func(e *wire.Encoder) { e.Int(1) })
	})
	t.Run("viewport", func(t *testing.T) {
		vpr := c.bind("wp_viewporter")
		vp := c.NewObject("wp_viewport")
		c.send(vpr, viewporter.WpViewporterRequestGetViewport, func(e *wire.Encoder) { e.NewID(vp); e.Object(w.surface) })
		c.send(vp, viewporter.WpViewportRequestSetSource, func(e *wire.Encoder) {
			e.Fixed(wire.FixedFromInt(2))
			e.Fixed(wire.FixedFromInt(1))
			e.Fixed(wire.FixedFromInt(3))
			e.Fixed(wire.FixedFromInt(2))
		})
		c.send(vp, viewporter.WpViewportRequestSetDestination, func(e *wire.Encoder) { e.Int(6); e.Int(4) })
		c.showPicture(w.surface, s)
		assert.Equal(t, wantCrop, crcAfter(c, r))
	})
}

func TestSinglePixelBufferEqualsSolidShm(t *testing.T) {
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	c := r.dial()
	w := c.toplevel()
	c.showPicture(w.surface, picture{w: 40, h: 30, px: solid(40*30, 0xff20a0f0)})
	want := crcAfter(c, r)

	spm := c.bind("wp_single_pixel_buffer_manager_v1")
	vpr := c.bind("wp_viewporter")
	buf := c.NewObject("wl_buffer")
	c.send(spm, singlepixel.WpSinglePixelBufferManagerV1RequestCreateU32RgbaBuffer, func(e *wire.Encoder) {
		e.NewID(buf)
		e.Uint(0x20 * 0x01010101)
		e.Uint(0xa0 * 0x01010101)
		e.Uint(0xf0 * 0x01010101)
		e.Uint(0xffffffff)
	})
	vp := c.NewObject("wp_viewport")
	c.send(vpr, viewporter.WpViewporterRequestGetViewport, func(e *wire.Encoder) { e.NewID(vp); e.Object(w.surface) })
	c.send(vp, viewporter.WpViewportRequestSetDestination, func(e *wire.Encoder) { e.Int(40); e.Int(30) })
	c.show(w.surface, buf)
	assert.Equal(t, want, crcAfter(c, r))
}

func solid(n int, v uint32) []uint32 {
	out := make([]uint32, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func TestSubsurfaceSyncAndDesync(t *testing.T) {
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	m := r.comp.Mode()
	W, H := int(m.HDisplay), int(m.VDisplay)
	c := r.dial()
	w := c.toplevel()
	c.showPicture(w.surface, picture{w: 20, h: 20, px: solid(400, 0xffff0000)})
	sub := c.bind("wl_subcompositor")
	child := c.newSurface()
	ss := c.NewObject("wl_subsurface")
	c.send(sub, wayland.WlSubcompositorRequestGetSubsurface, func(e *wire.Encoder) { e.NewID(ss); e.Object(child); e.Object(w.surface) })
	c.send(ss, wayland.WlSubsurfaceRequestSetPosition, func(e *wire.Encoder) { e.Int(5); e.Int(6) })
	c.showPicture(child, picture{w: 10, h: 10, px: solid(100, 0xff0000ff)})
	parentOnly := frameCRC(W, H, paint{0, 0, 20, 20, 255, 0, 0})
	both := frameCRC(W, H, paint{0, 0, 20, 20, 255, 0, 0}, paint{5, 6, 10, 10, 0, 0, 255})
	assert.Equal(t, parentOnly, crcAfter(c, r), "a synchronized child waits for its parent's commit")
	c.send(w.surface, wayland.WlSurfaceRequestCommit, nil)
	assert.Equal(t, both, crcAfter(c, r), "the parent's commit applies the child's cached state and position")

	c.send(ss, wayland.WlSubsurfaceRequestSetDesync, nil)
	c.showPicture(child, picture{w: 10, h: 10, px: solid(100, 0xff00ff00)})
	assert.Equal(t, frameCRC(W, H, paint{0, 0, 20, 20, 255, 0, 0}, paint{5, 6, 10, 10, 0, 255, 0}), crcAfter(c, r), "a desynchronized child shows at once")

	c.send(ss, wayland.WlSubsurfaceRequestPlaceBelow, func(e *wire.Encoder) { e.Object(w.surface) })
	c.send(w.surface, wayland.WlSurfaceRequestCommit, nil)
	assert.Equal(t, parentOnly, crcAfter(c, r), "place_below the parent hides the child under it")
}

func TestCaptureWritesTheScannedOutFrame(t *testing.T) {
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	m := r.comp.Mode()
	W, H := int(m.HDisplay), int(m.VDisplay)
	c := r.dial()
	w := c.toplevel()
	test := c.bind("headway_test_v1")
	c.showPicture(w.surface, picture{w: 8, h: 4, px: solid(32, 0xff112233)})
	c.advance(2)
	buf, fd := c.shmBuffer(fourcc.XRGB8888, W, H, W*4, nil)
	res := c.NewObject("headway_test_capture_v1")
	c.send(test, headwaytest.HeadwayTestV1RequestCapture, func(e *wire.Encoder) { e.NewID(res); e.Object(buf) })
	c.advance(1)
	done := c.waitFor(res, headwaytest.HeadwayTestCaptureV1EventDone)
	a, err := done.Args("uuu")
	require.NoError(t, err)
	seq := uint64(a[0].(uint32))<<32 | uint64(a[1].(uint32))
	assert.Equal(t, r.crc(seq), a[2], "done carries the frame's CRC")
	assert.Equal(t, frameCRC(W, H, paint{0, 0, 8, 4, 0x11, 0x22, 0x33}), a[2])
	mem, err := unix.Mmap(fd, 0, W*H*4, unix.PROT_READ, unix.MAP_SHARED)
	require.NoError(t, err)
	defer unix.Munmap(mem)
	for _, pt := range [][2]int{{0, 0}, {7, 3}, {8, 3}, {7, 4}, {W - 1, H - 1}} {
		got := binary.LittleEndian.Uint32(mem[(pt[1]*W+pt[0])*4:]) & 0xffffff
		want := uint32(0)
		if pt[0] < 8 && pt[1] < 4 {
			want = 0x112233
		}
		assert.Equal(t, want, got, fmt.Sprintf("pixel %v", pt))
	}
}

func TestInjectedInputReachesTheFocusedClient(t *testing.T) {
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	c := r.dial()
	seat := c.bind("wl_seat")
	test := c.bind("headway_test_v1")
	w := c.toplevel()
	ptr, kbd := c.NewObject("wl_pointer"), c.NewObject("wl_keyboard")
	c.send(seat, wayland.WlSeatRequestGetPointer, func(e *wire.Encoder) { e.NewID(ptr) })
	c.send(seat, wayland.WlSeatRequestGetKeyboard, func(e *wire.Encoder) { e.NewID(kbd) })
	km := c.waitFor(kbd, wayland.WlKeyboardEventKeymap)
	km.CloseFDs()
	c.send(test, headwaytest.HeadwayTestV1RequestMoveSurface, func(e *wire.Encoder) { e.Object(w.surface); e.Int(100); e.Int(50) })
	c.showPicture(w.surface, picture{w: 30, h: 30, px: solid(900, 0xffffffff)})
	c.advance(1)
	c.waitFor(kbd, wayland.WlKeyboardEventEnter)
	c.send(test, headwaytest.HeadwayTestV1RequestPointerMotion, func(e *wire.Encoder) { e.Fixed(wire.FixedFromInt(110)); e.Fixed(wire.FixedFromInt(53)) })
	c.send(test, headwaytest.HeadwayTestV1RequestPointerButton, func(e *wire.Encoder) { e.Uint(0x110); e.Uint(1) })
	c.send(test, headwaytest.HeadwayTestV1RequestKey, func(e *wire.Encoder) { e.Uint(30); e.Uint(1) })
	enter := c.waitFor(ptr, wayland.WlPointerEventEnter)
	a, err := enter.Args("uoff")
	require.NoError(t, err)
	assert.Equal(t, w.surface, a[1])
	assert.Equal(t, wire.FixedFromInt(10), a[2], "surface-local x")
	assert.Equal(t, wire.FixedFromInt(3), a[3], "surface-local y")
	btn := c.waitFor(ptr, wayland.WlPointerEventButton)
	a, err = btn.Args("uuuu")
	require.NoError(t, err)
	assert.Equal(t, []any{uint32(0x110), uint32(1)}, a[2:])
	key := c.waitFor(kbd, wayland.WlKeyboardEventKey)
	a, err = key.Args("uuuu")
	require.NoError(t, err)
	assert.Equal(t, []any{uint32(30), uint32(1)}, a[2:])
}

func TestCursorSurfaceDrawnAtPointer(t *testing.T) {
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	m := r.comp.Mode()
	W, H := int(m.HDisplay), int(m.VDisplay)
	c := r.dial()
	seat := c.bind("wl_seat")
	test := c.bind("headway_test_v1")
	w := c.toplevel()
	ptr := c.NewObject("wl_pointer")
	c.send(seat, wayland.WlSeatRequestGetPointer, func(e *wire.Encoder) { e.NewID(ptr) })
	c.showPicture(w.surface, picture{w: 100, h: 80, px: solid(8000, 0xff808080)})
	c.advance(1)
	c.send(test, headwaytest.HeadwayTestV1RequestPointerMotion, func(e *wire.Encoder) { e.Fixed(wire.FixedFromInt(40)); e.Fixed(wire.FixedFromInt(30)) })
	enter := c.waitFor(ptr, wayland.WlPointerEventEnter)
	serial, err := enter.Uint()
	if err != nil { // enter has more arguments than one uint: take the first
		a, aerr := enter.Args("uoff")
		require.NoError(t, aerr)
		serial = a[0].(uint32)
	}
	cur := c.newSurface()
	c.send(ptr, wayland.WlPointerRequestSetCursor, func(e *wire.Encoder) { e.Uint(serial); e.Object(cur); e.Int(2); e.Int(3) })
	// A 16x16 cursor in a format no vkms plane lists.
	pix := make([]byte, 16*16*3)
	for i := 0; i < 256; i++ {
		pix[i*3+2] = 0xff // RGB888 is B, G, R in memory: red
	}
	buf, _ := c.shmBuffer(fourcc.RGB888, 16, 16, 48, pix)
	c.show(cur, buf)
	want := frameCRC(W, H, paint{0, 0, 100, 80, 0x80, 0x80, 0x80}, paint{38, 27, 16, 16, 255, 0, 0})
	assert.Equal(t, want, crcAfter(c, r))
}

// TestViewportSourceUnderEveryTransform: the viewport's source rectangle
// is in surface coordinates, after the buffer transform, so the same crop
// shows whatever transform the buffer was drawn with.
func TestViewportSourceUnderEveryTransform(t *testing.T) {
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	c := r.dial()
	w := c.toplevel()
	s := testPicture(6, 4)
	crop := cropDoubled(s)
	c.showPicture(w.surface, crop)
	want := crcAfter(c, r)
	vpr := c.bind("wp_viewporter")
	vp := c.NewObject("wp_viewport")
	c.send(vpr, viewporter.WpViewporterRequestGetViewport, func(e *wire.Encoder) { e.NewID(vp); e.Object(w.surface) })
	c.send(vp, viewporter.WpViewportRequestSetSource, func(e *wire.Encoder) {
		e.Fixed(wire.FixedFromInt(2))
		e.Fixed(wire.FixedFromInt(1))
		e.Fixed(wire.FixedFromInt(3))
		e.Fixed(wire.FixedFromInt(2))
	})
	c.send(vp, viewporter.WpViewportRequestSetDestination, func(e *wire.Encoder) { e.Int(6); e.Int(4) })
	for tr := 0; tr < 8; tr++ {
		b := drawnWithTransform(s, tr)
		c.send(w.surface, wayland.WlSurfaceRequestSetBufferTransform, func(e *wire.Encoder) { e.Int(int32(tr)) })
		c.showPicture(w.surface, b)
		assert.Equal(t, want, crcAfter(c, r), "buffer transform %d", tr)
	}
}
