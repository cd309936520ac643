package compose

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/crc"
	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/kms/modeinfo"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
)

// These tests are IGT's kms_cursor_crc run against the device: the
// cursor plane is placed by atomic commits (CRTC_X/Y/W/H, SRC_*), so
// every position off an edge is clipped by the device's atomic check,
// and the frame's CRC must equal the CRC of the same cursor drawn by
// the test into the primary framebuffer, pixel by pixel with its own
// bounds check, and shown without a cursor plane ("hw vs sw").

// IGT's draw_cursor quadrants, ARGB8888: red, green, blue, white.
var cursorQuadrants = [4]uint32{0xffff0000, 0xff00ff00, 0xff0000ff, 0xffffffff}

// cursorBackground is the primary's picture (IGT paints
// igt_paint_test_pattern; any picture in which neighbouring pixels
// differ will do, so that a cursor one pixel off shows), XRGB8888 with
// the unused byte set.
func cursorBackground(x, y int) uint32 {
	return 0xff000000 | uint32(uint8(x*7+y))<<16 | uint32(uint8(y*3))<<8 | uint32(uint8(x^y))
}

// cursorScreen is the mode size the tests of a w x h cursor light the
// CRTC with: the cursor twice over plus 64 pixels each way, a CVT
// reduced-blanking mode. IGT's positions depend only on the cursor's
// size and the screen's edges, and this leaves room for every one of
// them (fully inside, the 16 sliding steps, 2 and 1 pixels inside each
// edge). The device, like the kernel's atomic path, takes any valid
// mode, not only the connector's list; and frames this small keep the
// few thousand of them affordable (a 1920x1080 frame has 6 to 190 times
// their pixels).
func cursorScreen(w, h int) (int, int) { return 2*w + 64, 2*h + 64 }

// cursorImage is a cursor as IGT's create_cursor_fb paints it: w x h
// pixels in four quadrants (draw_cursor's split for odd sizes), of
// alpha 0xff, or all transparent black for alpha 0, in a framebuffer one
// line taller whose extra line is opaque white, so that a device that
// scans past SRC_H shows it.
type cursorImage struct {
	w, h int
	px   []uint32 // w*h, ARGB8888; alpha is 0 or 0xff
	fb   *device.Framebuffer
}

func cursorPixels(w, h int, opaque bool) []uint32 {
	px := make([]uint32, w*h)
	if !opaque {
		// IGT paints the quadrants OVER transparent black with alpha 0:
		// nothing changes.
		return px
	}
	wl, ht := w/2, h/2
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			q := 0
			if x >= wl {
				q++
			}
			if y >= ht {
				q += 2
			}
			px[y*w+x] = cursorQuadrants[q]
		}
	}
	return px
}

// cursorDetail is a w x h cursor in which neighbouring pixels differ:
// opaque colours that change along both axes, and every fifth pixel
// along a diagonal transparent (alpha 0, colour 0), so that both kinds
// of pixel meet every edge.
func cursorDetail(w, h int) []uint32 {
	px := make([]uint32, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if (x+2*y)%5 == 0 {
				continue
			}
			px[y*w+x] = 0xff000000 | uint32(uint8(x*37+y))<<16 | uint32(uint8(y*53+x))<<8 | uint32(uint8(x*y+11))
		}
	}
	return px
}

// swPrimary is one of IGT's two SW comparison buffers: a primary
// framebuffer the cursor is drawn into, whose memory the device scans.
type swPrimary struct {
	mem   []byte
	fb    *device.Framebuffer
	drawn struct{ x, y, w, h int } // restore_image's oldcursorarea
}

// cursorRig is a device with a CRC reader open, the cursor plane of
// CRTC 0, and the current screen: its size, the background on a
// primary, the two SW buffers and the CRC of the background alone.
type cursorRig struct {
	*devRig
	cur        *device.Plane
	capW, capH int         // DRM_CAP_CURSOR_WIDTH/HEIGHT
	rd         *crc.Reader // nil while closed
	bg         *device.Framebuffer
	sw         [2]swPrimary
	next       int    // the SW buffer to draw into next
	bare       uint32 // the CRC of the background alone
}

// newCursorRig is the rig for profile name, or nil with the reason when
// CRTC 0 has no cursor plane.
func newCursorRig(t *testing.T, name string) (*cursorRig, string) {
	r := newDevRig(t, name)
	c := &cursorRig{devRig: r}
	for _, p := range r.d.Planes() {
		if p.Type() == profile.Cursor && p.Profile().PossibleCRTCs&1 != 0 {
			c.cur = p
			break
		}
	}
	if c.cur == nil {
		return nil, fmt.Sprintf("profile %s has no cursor plane for CRTC 0", name)
	}
	// IGT falls back to 64x64 when the driver reports no cursor size.
	c.capW, c.capH = int(r.prof.CRTCs.CursorWidth), int(r.prof.CRTCs.CursorHeight)
	if c.capW == 0 || c.capH == 0 {
		c.capW, c.capH = 64, 64
	}
	t.Cleanup(func() {
		if c.rd != nil {
			c.rd.Close()
		}
	})
	return c, ""
}

// screen lights CRTC 0 at cursorScreen's size for a cw x ch cursor with
// the background on the primary and the cursor plane off, as IGT's
// prepare_crtc does, and reads the CRC of the background alone. The
// previous screen's framebuffers go.
func (c *cursorRig) screen(t *testing.T, cw, ch int) {
	t.Helper()
	w, h := cursorScreen(cw, ch)
	m, err := modeinfo.CVT(w, h, 60, true, false, false)
	require.NoError(t, err)
	require.Equal(t, [2]int{w, h}, [2]int{int(m.HDisplay), int(m.VDisplay)})
	mode, err := c.f.CreateBlob(m.Append(nil))
	require.NoError(t, err)
	if c.rd != nil {
		require.NoError(t, c.rd.Close())
		c.rd = nil
	}
	old := []*device.Framebuffer{c.bg, c.sw[0].fb, c.sw[1].fb}
	c.w, c.h = w, h
	_, c.bg = c.fb32(t, fourcc.XRGB8888, w, h, cursorBackground)
	for i := range c.sw {
		c.sw[i] = swPrimary{}
		c.sw[i].mem, c.sw[i].fb = c.fb32(t, fourcc.XRGB8888, w, h, cursorBackground)
	}
	var req device.Request
	req.Add(c.conn.ID(), c.conn.PropertyID("CRTC_ID"), uint64(c.crtc.ID()))
	req.Add(c.crtc.ID(), c.crtc.PropertyID("MODE_ID"), uint64(mode))
	req.Add(c.crtc.ID(), c.crtc.PropertyID("ACTIVE"), 1)
	c.setPlane(&req, c.prim, c.bg, 0, 0)
	c.cursorOff(&req)
	c.flip(t, &req, device.AtomicAllowModeset)
	require.NoError(t, c.f.DestroyBlob(mode))
	for _, fb := range old {
		if fb != nil {
			require.NoError(t, c.f.RmFB(fb.ID()))
		}
	}
	c.rd, err = c.crtc.CRC().Open(false)
	require.NoError(t, err)
	req = device.Request{}
	req.Add(c.prim.ID(), c.prim.PropertyID("FB_ID"), uint64(c.bg.ID()))
	c.bare = readUntil(t, c.rd, c.flip(t, &req, 0))
}

// fb32 makes a linear w x h framebuffer of a 32-bit format holding px
// and returns the memory the device scans it from.
func (c *cursorRig) fb32(t *testing.T, f fourcc.Format, w, h int, px func(x, y int) uint32) ([]byte, *device.Framebuffer) {
	t.Helper()
	pitch := 4 * w
	mem := make([]byte, pitch*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			binary.LittleEndian.PutUint32(mem[y*pitch+4*x:], px(x, y))
		}
	}
	handle, err := c.f.ImportBuffer(mem)
	require.NoError(t, err)
	req := device.FB2{Width: uint32(w), Height: uint32(h), Format: f}
	req.Handles[0], req.Pitches[0] = handle, uint32(pitch)
	id, err := c.f.AddFB2(req)
	require.NoError(t, err)
	fb, err := c.d.Framebuffer(id)
	require.NoError(t, err)
	return mem, fb
}

// flip commits req with a flip event, lets one vblank pass and returns
// the sequence of the vblank that flipped it. It takes the running
// test's t, unlike devRig.commit, so that a failure stops the subtest
// that made it.
func (c *cursorRig) flip(t *testing.T, req *device.Request, flags uint32) uint64 {
	t.Helper()
	require.NoError(t, c.f.Commit(context.Background(), req, flags|device.AtomicNonblock|device.PageFlipEvent, 0))
	c.clk.Advance()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ev, err := c.f.WaitEvent(ctx)
	require.NoError(t, err)
	return ev.Seq
}

// setCursor puts the cursor's w x h at x, y, as igt_plane_set_position,
// igt_plane_set_size and igt_fb_set_size do.
func (c *cursorRig) setCursor(req *device.Request, img *cursorImage, x, y int) {
	p := c.cur
	req.Add(p.ID(), p.PropertyID("FB_ID"), uint64(img.fb.ID()))
	req.Add(p.ID(), p.PropertyID("CRTC_ID"), uint64(c.crtc.ID()))
	req.Add(p.ID(), p.PropertyID("SRC_X"), 0)
	req.Add(p.ID(), p.PropertyID("SRC_Y"), 0)
	req.Add(p.ID(), p.PropertyID("SRC_W"), uint64(img.w)<<16)
	req.Add(p.ID(), p.PropertyID("SRC_H"), uint64(img.h)<<16)
	req.Add(p.ID(), p.PropertyID("CRTC_X"), uint64(int64(x)))
	req.Add(p.ID(), p.PropertyID("CRTC_Y"), uint64(int64(y)))
	req.Add(p.ID(), p.PropertyID("CRTC_W"), uint64(img.w))
	req.Add(p.ID(), p.PropertyID("CRTC_H"), uint64(img.h))
}

// cursorOff takes the cursor plane off the CRTC.
func (c *cursorRig) cursorOff(req *device.Request) {
	req.Add(c.cur.ID(), c.cur.PropertyID("FB_ID"), 0)
	req.Add(c.cur.ID(), c.cur.PropertyID("CRTC_ID"), 0)
}

// onScreen is IGT's cursor_visible.
func (c *cursorRig) onScreen(img *cursorImage, x, y int) bool {
	return x+img.w > 0 && y+img.h > 0 && x < c.w && y < c.h
}

// hwCRC shows the cursor plane at x, y over the background and returns the
// frame's CRC. The check's verdict comes first: a plane left unclipped
// would make the composer refuse the frame, and the CRC wait would only
// time out.
func (c *cursorRig) hwCRC(t *testing.T, img *cursorImage, x, y int) uint32 {
	t.Helper()
	var req device.Request
	req.Add(c.prim.ID(), c.prim.PropertyID("FB_ID"), uint64(c.bg.ID()))
	c.setCursor(&req, img, x, y)
	seq := c.flip(t, &req, 0)
	st := c.d.PlaneState(c.cur)
	require.Equal(t, c.onScreen(img, x, y), st.Visible, "cursor %dx%d at %d,%d: visible", img.w, img.h, x, y)
	if st.Visible {
		require.True(t, st.Dst.X1 >= 0 && st.Dst.Y1 >= 0 && st.Dst.X2 <= int32(c.w) && st.Dst.Y2 <= int32(c.h),
			"cursor at %d,%d: destination %+v inside the %dx%d mode", x, y, st.Dst, c.w, c.h)
	}
	return readUntil(t, c.rd, seq)
}

// swCRC draws the cursor at x, y into the next SW buffer, restoring the
// area the buffer's last cursor covered first (IGT's restore_image),
// shows that buffer with the cursor plane off and returns the frame's
// CRC. The buffer drawn into is never the one on screen.
func (c *cursorRig) swCRC(t *testing.T, img *cursorImage, x, y int) uint32 {
	t.Helper()
	b := &c.sw[c.next]
	c.next ^= 1
	pitch := 4 * c.w
	put := func(sx, sy int, v uint32) {
		if sx >= 0 && sx < c.w && sy >= 0 && sy < c.h {
			binary.LittleEndian.PutUint32(b.mem[sy*pitch+4*sx:], v)
		}
	}
	o := b.drawn
	for cy := 0; cy < o.h; cy++ {
		for cx := 0; cx < o.w; cx++ {
			put(o.x+cx, o.y+cy, cursorBackground(o.x+cx, o.y+cy))
		}
	}
	// Opaque pixels replace the background; transparent ones (alpha 0,
	// colour 0) leave it, which is what blending them does.
	for cy := 0; cy < img.h; cy++ {
		for cx := 0; cx < img.w; cx++ {
			if v := img.px[cy*img.w+cx]; v>>24 != 0 {
				put(x+cx, y+cy, v)
			}
		}
	}
	b.drawn.x, b.drawn.y, b.drawn.w, b.drawn.h = x, y, img.w, img.h
	var req device.Request
	req.Add(c.prim.ID(), c.prim.PropertyID("FB_ID"), uint64(b.fb.ID()))
	c.cursorOff(&req)
	seq := c.flip(t, &req, 0)
	require.False(t, c.d.PlaneState(c.cur).Visible, "the cursor plane is off")
	return readUntil(t, c.rd, seq)
}

// cursor makes the w x h cursor and asks the device with a TEST_ONLY
// commit, as IGT's require_cursor_size does, whether the cursor plane
// takes it; it returns nil and the reason when it does not. A plane
// whose largest framebuffer is its largest cursor refuses IGT's extra
// line; the cursor then goes without it, as IGT's does on amdgpu.
func (c *cursorRig) cursor(t *testing.T, w, h int, px []uint32) (*cursorImage, string) {
	t.Helper()
	if w > c.capW || h > c.capH {
		return nil, fmt.Sprintf("cursor %dx%d is larger than DRM_CAP_CURSOR_WIDTH x HEIGHT, %dx%d", w, h, c.capW, c.capH)
	}
	var errs []error
	for _, extra := range []bool{true, false} {
		fh := h
		if extra {
			fh++
		}
		_, fb := c.fb32(t, fourcc.ARGB8888, w, fh, func(x, y int) uint32 {
			if y >= h {
				return 0xffffffff
			}
			return px[y*w+x]
		})
		img := &cursorImage{w: w, h: h, px: px, fb: fb}
		var req device.Request
		req.Add(c.prim.ID(), c.prim.PropertyID("FB_ID"), uint64(c.bg.ID()))
		c.setCursor(&req, img, 0, 0)
		err := c.f.Commit(context.Background(), &req, device.AtomicTestOnly, 0)
		if err == nil {
			if !extra {
				t.Logf("the cursor plane refuses a %dx%d framebuffer (%v); the cursor has no extra line below it", w, h+1, errs[0])
			}
			return img, ""
		}
		errs = append(errs, err)
		require.NoError(t, c.f.RmFB(fb.ID()))
	}
	return nil, fmt.Sprintf("the cursor plane refuses a %dx%d cursor: %v", w, h, errs[1])
}

// cursorCorners are do_test's four positions of one coordinate set:
// left/top, right/top, right/bottom, left/bottom.
func cursorCorners(l, r, t, b int) [][2]int {
	return [][2]int{{l, t}, {r, t}, {r, b}, {l, b}}
}

// hwThenSW is IGT's pattern: every position with the cursor plane
// (moving while enabled), then every position drawn in software, and
// each pair must have equal CRCs. It returns the CRCs.
func (c *cursorRig) hwThenSW(t *testing.T, img *cursorImage, pos [][2]int) []uint32 {
	t.Helper()
	crcs := make([]uint32, len(pos))
	for i, p := range pos {
		crcs[i] = c.hwCRC(t, img, p[0], p[1])
	}
	for i, p := range pos {
		require.Equal(t, crcs[i], c.swCRC(t, img, p[0], p[1]), "cursor %dx%d at %d,%d: cursor plane and cursor drawn into the primary", img.w, img.h, p[0], p[1])
	}
	return crcs
}

// onscreen is test_crc_onscreen: fully inside, and 2 and 1 pixels
// inside each edge and corner. The guard draws the reference one pixel
// to the right: every position shows part of the cursor, so that must
// change the CRC.
func (c *cursorRig) onscreen(t *testing.T, img *cursorImage) {
	w, h := img.w, img.h
	l, r, tp, b := 0, c.w-w, 0, c.h-h
	var pos [][2]int
	for _, s := range [][4]int{
		{l, r, tp, b},
		{l - (w - 2), r + (w - 2), tp, b},
		{l, r, tp - (h - 2), b + (h - 2)},
		{l - (w - 2), r + (w - 2), tp - (h - 2), b + (h - 2)},
		{l - (w - 1), r + (w - 1), tp, b},
		{l, r, tp - (h - 1), b + (h - 1)},
		{l - (w - 1), r + (w - 1), tp - (h - 1), b + (h - 1)},
	} {
		pos = append(pos, cursorCorners(s[0], s[1], s[2], s[3])...)
	}
	crcs := c.hwThenSW(t, img, pos)
	for i, p := range pos {
		assert.NotEqual(t, crcs[i], c.swCRC(t, img, p[0]+1, p[1]), "guard: the reference drawn one pixel right of %d,%d differs", p[0], p[1])
	}
}

// offscreen is test_crc_offscreen: positions fully outside, by 0, 1, 2
// and 512 more pixels, and at the ends of int and short, all give the
// CRC of the background alone; a position whose right or bottom edge
// overflows int is ERANGE.
func (c *cursorRig) offscreen(t *testing.T, img *cursorImage) {
	w, h := img.w, img.h
	l, r, tp, b := 0, c.w-w, 0, c.h-h
	var pos [][2]int
	for _, d := range []int{0, 1, 2, 512} {
		pos = append(pos, cursorCorners(l-(w+d), r+(w+d), tp, b)...)
		pos = append(pos, cursorCorners(l, r, tp-(h+d), b+(h+d))...)
		pos = append(pos, cursorCorners(l-(w+d), r+(w+d), tp-(h+d), b+(h+d))...)
	}
	pos = append(pos, cursorCorners(math.MinInt32, math.MaxInt32-w, math.MinInt32, math.MaxInt32-h)...)
	pos = append(pos, cursorCorners(math.MinInt16, math.MaxInt16, math.MinInt16, math.MaxInt16)...)
	// IGT renders only the first set in software: every set must match it.
	ref := c.hwThenSW(t, img, pos[:4])[0]
	assert.Equal(t, c.bare, ref, "a cursor off screen shows nothing")
	for _, p := range pos[4:] {
		assert.Equal(t, ref, c.hwCRC(t, img, p[0], p[1]), "cursor %dx%d at %d,%d", w, h, p[0], p[1])
	}
	assert.NotEqual(t, ref, c.hwCRC(t, img, 0, 0), "guard: a cursor on screen shows")

	// do_fail_test: CRTC_X + CRTC_W and CRTC_Y + CRTC_H past INT_MAX.
	var req device.Request
	req.Add(c.prim.ID(), c.prim.PropertyID("FB_ID"), uint64(c.bg.ID()))
	c.setCursor(&req, img, math.MaxInt32-w+1, math.MaxInt32-h+1)
	require.ErrorIs(t, c.f.Commit(context.Background(), &req, device.AtomicTestOnly, 0), syscall.ERANGE)
}

// sliding is test_crc_sliding: 16 one-pixel steps from the origin,
// horizontal, vertical and diagonal.
func (c *cursorRig) sliding(t *testing.T, img *cursorImage) {
	var pos [][2]int
	for i := 0; i < 16; i++ {
		pos = append(pos, [2]int{i, 0}, [2]int{0, i}, [2]int{i, i})
	}
	c.hwThenSW(t, img, pos)
}

// slidingEdge is not IGT's: one-pixel steps, 8 of them, out across
// each edge, so that the device clips every small amount off each side.
// Its cursor differs from pixel to pixel (cursorDetail): in IGT's
// quadrants a source one pixel off mostly shows the same colour.
func (c *cursorRig) slidingEdge(t *testing.T, img *cursorImage) {
	img, why := c.cursor(t, img.w, img.h, cursorDetail(img.w, img.h))
	require.NotNil(t, img, why)
	r, b := c.w-img.w, c.h-img.h
	var pos [][2]int
	for i := 1; i <= 8; i++ {
		pos = append(pos, [2]int{-i, b / 2}, [2]int{r / 2, -i}, [2]int{r + i, b / 2}, [2]int{r / 2, b + i})
	}
	c.hwThenSW(t, img, pos)
}

// random is test_crc_random: 50 positions from one cursor size before
// the screen's origin to one size past its far edges, from a fixed seed
// so that every run checks the same ones.
func (c *cursorRig) random(t *testing.T, img *cursorImage) {
	rng := rand.New(rand.NewPCG(uint64(img.w), uint64(img.h)))
	pos := make([][2]int, 50)
	for i := range pos {
		pos[i] = [2]int{rng.IntN(c.w+2*img.w) - img.w, rng.IntN(c.h+2*img.h) - img.h}
	}
	c.hwThenSW(t, img, pos)
}

// rapidMovement is test_rapid_movement: 400 position updates along a
// 100-pixel square. IGT times them against 400 vblanks, because the
// legacy cursor ioctl is not throttled; atomic commits are, one per
// vblank, so here each must flip at the very next vblank, and the last
// position's CRC must match the cursor drawn there. The CRC reader is
// closed while the cursor moves, so no frame in between is composed.
func (c *cursorRig) rapidMovement(t *testing.T, img *cursorImage) {
	var pos [][2]int
	x, y := 0, 0
	for ; x < 100; x++ {
		pos = append(pos, [2]int{x, y})
	}
	for ; y < 100; y++ {
		pos = append(pos, [2]int{x, y})
	}
	for ; x > 0; x-- {
		pos = append(pos, [2]int{x, y})
	}
	for ; y > 0; y-- {
		pos = append(pos, [2]int{x, y})
	}
	require.Len(t, pos, 400)
	require.NoError(t, c.rd.Close())
	c.rd = nil
	// The later subtests need the reader, whether or not this one fails.
	defer func() {
		if c.rd == nil {
			var err error
			c.rd, err = c.crtc.CRC().Open(false)
			require.NoError(t, err)
		}
	}()
	prev := c.clk.Seq()
	for _, p := range pos[:len(pos)-1] {
		var req device.Request
		c.setCursor(&req, img, p[0], p[1])
		seq := c.flip(t, &req, 0)
		require.Equal(t, prev+1, seq, "cursor at %d,%d flips at the next vblank", p[0], p[1])
		prev = seq
	}
	var err error
	c.rd, err = c.crtc.CRC().Open(false)
	require.NoError(t, err)
	last := pos[len(pos)-1]
	c.hwThenSW(t, img, [][2]int{last})
}

// cursorSizes are kms_cursor_crc's sizes: 32 to 512 square and a third
// as high (a non-power-of-two height), then max-size (0x0), the
// DRM_CAP_CURSOR size.
var cursorSizes = [][2]int{
	{32, 32}, {32, 10}, {64, 64}, {64, 21}, {128, 128}, {128, 42},
	{256, 256}, {256, 85}, {512, 512}, {512, 170}, {0, 0},
}

// TestCursorCRC runs kms_cursor_crc on every profile with a cursor
// plane: per size onscreen, offscreen, sliding, random and
// rapid-movement (and sliding-edge, ours), then size-change and the two
// alpha subtests at the largest cursor. The cursor-dpms and
// cursor-suspend subtests are random placement around a DPMS cycle or a
// suspend, which the device does not have.
func TestCursorCRC(t *testing.T) {
	for _, name := range profile.Names() {
		t.Run(name, func(t *testing.T) {
			c, why := newCursorRig(t, name)
			if c == nil {
				t.Skip(why)
			}
			subtests := []struct {
				name string
				run  func(*testing.T, *cursorImage)
			}{
				{"onscreen", c.onscreen}, {"offscreen", c.offscreen}, {"sliding", c.sliding},
				{"sliding-edge", c.slidingEdge}, {"random", c.random}, {"rapid-movement", c.rapidMovement},
			}
			sized := 0
			for _, sz := range cursorSizes {
				w, h := sz[0], sz[1]
				label := fmt.Sprintf("%dx%d", w, h)
				if w == 0 {
					w, h, label = c.capW, c.capH, "max-size"
				}
				t.Run(label, func(t *testing.T) {
					if label == "max-size" && w == h && w <= 512 && bits.OnesCount(uint(w)) == 1 {
						t.Skipf("max size %dx%d is one of the sizes above", w, h)
					}
					if w > c.capW || h > c.capH {
						t.Skipf("cursor %dx%d is larger than DRM_CAP_CURSOR_WIDTH x HEIGHT, %dx%d", w, h, c.capW, c.capH)
					}
					if raceDetector && sized > 0 {
						t.Skip("under the race detector one size per profile runs; the plain run covers every size")
					}
					c.screen(t, w, h)
					img, why := c.cursor(t, w, h, cursorPixels(w, h, true))
					if img == nil {
						t.Skip(why)
					}
					sized++
					for _, st := range subtests {
						t.Run(st.name, func(t *testing.T) { st.run(t, img) })
					}
				})
			}
			t.Run("size-change", c.sizeChange)
			t.Run("alpha-opaque", func(t *testing.T) { c.alpha(t, true) })
			t.Run("alpha-transparent", func(t *testing.T) { c.alpha(t, false) })
		})
	}
}

// sizeChange is test_cursor_size: the largest square cursor, then each
// half as large down to 64, at the origin. Here the size changes while
// the plane stays on, as the subtest's name says (IGT's loop switches
// the plane off between sizes); each size must match its drawing and
// differ from the one before.
func (c *cursorRig) sizeChange(t *testing.T) {
	c.screen(t, c.capW, c.capH)
	var imgs []*cursorImage
	for s := c.capW; s >= 64; s /= 2 {
		img, why := c.cursor(t, s, s, cursorPixels(s, s, true))
		if img == nil {
			t.Skip(why)
		}
		imgs = append(imgs, img)
	}
	if len(imgs) < 2 {
		t.Logf("the largest cursor is %dx%d: there is no smaller size of 64 or more to change to", c.capW, c.capH)
	}
	crcs := make([]uint32, len(imgs))
	for i, img := range imgs {
		crcs[i] = c.hwCRC(t, img, 0, 0)
		if i > 0 {
			assert.NotEqual(t, crcs[i-1], crcs[i], "the cursor's new size %dx%d shows", img.w, img.h)
		}
	}
	for i, img := range imgs {
		assert.Equal(t, crcs[i], c.swCRC(t, img, 0, 0), "cursor %dx%d", img.w, img.h)
	}
}

// alpha is test_cursor_opaque and test_cursor_transparent: the largest
// cursor at the origin, painted with alpha 1.0 or 0.0. The transparent
// one must leave the background as it is, its opaque white extra line
// included; the opaque one must show.
func (c *cursorRig) alpha(t *testing.T, opaque bool) {
	c.screen(t, c.capW, c.capH)
	img, why := c.cursor(t, c.capW, c.capH, cursorPixels(c.capW, c.capH, opaque))
	if img == nil {
		t.Skip(why)
	}
	got := c.hwCRC(t, img, 0, 0)
	assert.Equal(t, c.swCRC(t, img, 0, 0), got)
	if opaque {
		assert.NotEqual(t, c.bare, got, "guard: the opaque cursor shows")
	} else {
		assert.Equal(t, c.bare, got, "the transparent cursor shows nothing")
	}
}
