package compose

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/crc"
	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/kms/pixfmt"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

// fbSrc describes a framebuffer's memory as a Source, the way a client
// would hand the same bytes to the compositor.
func fbSrc(fb *device.Framebuffer, enc profile.ColorEncoding, rng profile.ColorRange) *Source {
	s := &Source{Format: fb.Format(), Modifier: fb.Modifier(), Width: int(fb.Width()), Height: int(fb.Height()), ColorEncoding: enc, ColorRange: rng}
	for i, p := range fb.Planes() {
		if p.Buffer != nil {
			s.Planes[i] = SourcePlane{Data: p.Buffer.Bytes(), Offset: int(p.Offset), Stride: int(p.Pitch)}
		}
	}
	return s
}

// layersOf turns a frame's planes into Render layers over the same memory.
func layersOf(f *device.Frame) []Layer {
	ls := make([]Layer, len(f.Planes))
	for i, p := range f.Planes {
		ls[i] = Layer{
			Source: fbSrc(p.FB, p.ColorEncoding, p.ColorRange),
			Src:    p.Src, Dst: p.Dst, Rotation: p.Rotation, Alpha: p.Alpha, Blend: p.Blend,
		}
	}
	return ls
}

// newTarget is a zeroed w x h target of format f, its rows padded by a few
// bytes so that stride and width differ.
func newTarget(t testing.TB, f fourcc.Format, w, h int) *Target {
	t.Helper()
	info, ok := fourcc.Lookup(f)
	require.True(t, ok)
	stride := int(info.MinPitch(0, uint32(w))) + 24
	return &Target{Format: f, Width: w, Height: h, Stride: stride, Data: make([]byte, stride*h)}
}

// readBack converts a target's pixels with pixfmt's reader.
func readBack(t testing.TB, tg *Target) *Image {
	t.Helper()
	rd, err := pixfmt.NewReader(tg.Format, profile.BT601, profile.RangeFull)
	require.NoError(t, err)
	img := pixfmt.Image{Width: tg.Width, Height: tg.Height}
	img.Planes[0] = pixfmt.Plane{Data: tg.Data, Stride: tg.Stride}
	out := &Image{Width: tg.Width, Height: tg.Height, Pix: make([]Pixel, tg.Width*tg.Height)}
	for y := 0; y < tg.Height; y++ {
		rd.ReadSpan(&img, 0, y, out.Pix[y*tg.Width:(y+1)*tg.Width])
	}
	return out
}

// written is what pixfmt's writer stores for img in a target like tg: the
// bytes Render must leave, row padding aside.
func written(t testing.TB, tg *Target, img *Image) []byte {
	t.Helper()
	wr, err := pixfmt.NewWriter(tg.Format, profile.BT601, profile.RangeFull)
	require.NoError(t, err)
	mem := make([]byte, len(tg.Data))
	pi := pixfmt.Image{Width: tg.Width, Height: tg.Height}
	pi.Planes[0] = pixfmt.Plane{Data: mem, Stride: tg.Stride}
	for y := 0; y < img.Height; y++ {
		wr.WriteSpan(&pi, 0, y, img.Pix[y*img.Width:(y+1)*img.Width])
	}
	return mem
}

// rows is a target's pixel bytes without row padding.
func rows(tg *Target) []byte {
	info, _ := fourcc.Lookup(tg.Format)
	pitch := int(info.MinPitch(0, uint32(tg.Width)))
	var b []byte
	for y := 0; y < tg.Height; y++ {
		b = append(b, tg.Data[y*tg.Stride:y*tg.Stride+pitch]...)
	}
	return b
}

func (e *env) render(tg *Target, ls []Layer) uint32 {
	e.t.Helper()
	v, err := e.c.Render(tg, ls)
	require.NoError(e.t, err)
	return v
}

// renderStacks are frames Render and Compose must agree on: every read
// path (direct, fused, staged, tiled, YUV, rotated, scaled, sub-pixel).
func renderStacks(e *env) map[string]*device.Frame {
	const w, h = 97, 61
	bg := e.fb(fourcc.XRGB8888, w, h, gradient)
	ov := e.fb(fourcc.ARGB8888, 40, 30, func(x, y int) Pixel { return rgb8(uint8(x*6), uint8(x*3), uint8(y*4), uint8(x*2)) })
	cur := e.fb(fourcc.ARGB8888, 16, 16, func(x, y int) Pixel {
		if x+y > 20 {
			return Pixel{}
		}
		return rgb8(0xff, 0xff, 0xff, 0)
	})
	nv := e.fb(fourcc.NV12, 32, 20, greyFull8, fbOpts{enc: profile.BT709, rng: profile.RangeFull})
	tiled := e.fb(fourcc.XRGB8888, 64, 48, checker, fbOpts{mod: modifier.IntelYTiled})
	rgb565 := e.fb(fourcc.RGB565, 30, 22, checker)
	deep := e.fb(fourcc.ARGB2101010, 20, 20, func(x, y int) Pixel { return rgb8(uint8(y*12), 0x30, uint8(x*12), 0x80) })

	ovc := at(ov, 50, 20)
	ovc.Blend, ovc.Alpha = profile.BlendCoverage, 0x9000
	nvs := at(nv, 5, 3)
	nvs.ColorEncoding = profile.BT709
	nvs.Dst = device.Rect{X1: 5, Y1: 3, X2: 5 + 51, Y2: 3 + 33}
	nvs.Src = device.Rect{X1: 0x18000, Y1: 0x4000, X2: 31 << 16, Y2: 19 << 16}
	rot := at(rgb565, 10, 10)
	rot.Src = device.Rect{X1: 2 << 16, Y1: 1 << 16, X2: 28 << 16, Y2: 21 << 16}
	rot.Dst = device.Rect{X1: 10, Y1: 10, X2: 30, Y2: 36}
	rot.Rotation = profile.Rotate90 | profile.ReflectX
	tl := at(tiled, 20, 5)
	tl.Dst = device.Rect{X1: 20, Y1: 5, X2: 52, Y2: 29} // half size
	tl.Rotation = profile.Rotate180
	dn := at(deep, 70, 35)
	dn.Blend, dn.Alpha = profile.BlendNone, 0x7777

	return map[string]*device.Frame{
		"opaque":                     frame(w, h, at(bg, 0, 0)),
		"overlay and cursor":         frame(w, h, at(bg, 0, 0), ovc, at(cur, 80, 44)),
		"nv12 scaled sub-pixel":      frame(w, h, at(bg, 0, 0), nvs),
		"rgb565 rotated reflected":   frame(w, h, at(bg, 0, 0), rot, at(cur, 0, 0)),
		"y-tiled downscaled rotated": frame(w, h, tl, dn),
		"no background":              frame(w, h, ovc, dn),
	}
}

// Render of layers over framebuffer memory gives Compose's CRC, and the
// target holds the captured frame as pixfmt's writer stores it.
func TestRenderEqualsCompose(t *testing.T) {
	e := newEnv(t, "intel-like")
	targets := []fourcc.Format{
		fourcc.XRGB16161616, fourcc.ARGB16161616, fourcc.XBGR16161616, fourcc.ABGR16161616,
		fourcc.XRGB8888, fourcc.ARGB8888, fourcc.RGB565, fourcc.XRGB2101010, fourcc.ABGR16161616F,
	}
	for name, f := range renderStacks(e) {
		want, wantCRC, err := e.c.Capture(f, crc.Auto)
		require.NoError(t, err)
		require.Equal(t, wantCRC, e.crc(f), name)
		for _, tf := range targets {
			t.Run(fmt.Sprintf("%s/%v", name, tf), func(t *testing.T) {
				tg := newTarget(t, tf, f.Width, f.Height)
				got := e.render(tg, layersOf(f))
				assert.Equal(t, wantCRC, got, "CRC")
				assert.Equal(t, rows(&Target{Format: tf, Width: tg.Width, Height: tg.Height, Stride: tg.Stride, Data: written(t, tg, want)}), rows(tg), "target bytes")
				switch tf {
				case fourcc.XRGB16161616, fourcc.ARGB16161616, fourcc.XBGR16161616, fourcc.ABGR16161616:
					assert.Empty(t, firstDiff(want, readBack(t, tg)), "16-bit target reads back as the captured frame")
				}
			})
		}
	}
}

// The 16-bit row stores that skip pixfmt's writer give its bytes for any pixel,
// not only the opaque ones a composition makes: every 16-bit value in
// every channel, and random pixels.
func TestFastTargetWritesMatchWriter(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	row := make([]Pixel, 1<<16+257)
	for v := 0; v < 1<<16; v++ {
		row[v] = Pixel{A: uint16(v), R: uint16(v), G: uint16(v ^ 0x5555), B: uint16(0xffff - v)}
	}
	for i := 1 << 16; i < len(row); i++ {
		row[i] = Pixel{A: uint16(r.Uint32()), R: uint16(r.Uint32()), G: uint16(r.Uint32()), B: uint16(r.Uint32())}
	}
	for _, f := range []fourcc.Format{fourcc.XRGB16161616, fourcc.ARGB16161616, fourcc.XBGR16161616, fourcc.ABGR16161616} {
		require.NotEqual(t, writeGeneric, fastWriteFor(f), f)
		tg := newTarget(t, f, len(row), 1)
		wr, err := pixfmt.NewWriter(f, profile.BT601, profile.RangeFull)
		require.NoError(t, err)
		fj := frameJob{wb: wr, wbFast: fastWriteFor(f)}
		fj.wbImg.Planes[0] = pixfmt.Plane{Data: tg.Data, Stride: tg.Stride}
		fj.write(0, row)
		want := *tg
		want.Data = written(t, tg, &Image{Width: len(row), Height: 1, Pix: row})
		require.Equal(t, rows(&want), rows(tg), "%v", f)
	}
}

// edgeCase is a layer hanging off the target and the same layer clipped by
// hand.
type edgeCase struct {
	name        string
	whole, want Layer
}

// TestRenderClipsLikePreclipped: a layer hanging off an edge shows what
// the layer cut by hand to the target shows; one entirely outside shows
// nothing.
func TestRenderClipsLikePreclipped(t *testing.T) {
	e := newEnv(t, "vkms")
	const w, h = 60, 40
	bgFB := e.fb(fourcc.XRGB8888, w, h, gradient)
	bg := Layer{Source: fbSrc(bgFB, 0, 0), Src: device.Rect{X2: w << 16, Y2: h << 16}, Dst: device.Rect{X2: w, Y2: h}, Alpha: 0xffff}
	fb := e.fb(fourcc.ARGB8888, 20, 16, func(x, y int) Pixel { return rgb8(uint8(0x80+x*6), uint8(x*6), uint8(y*8), 0x20) })
	src := fbSrc(fb, 0, 0)
	layer := func(sx1, sy1, sx2, sy2, dx1, dy1, dx2, dy2 int32, rot profile.Rotation) Layer {
		return Layer{
			Source: src, Src: device.Rect{X1: sx1 << 16, Y1: sy1 << 16, X2: sx2 << 16, Y2: sy2 << 16},
			Dst: device.Rect{X1: dx1, Y1: dy1, X2: dx2, Y2: dy2}, Rotation: rot, Alpha: 0xc000, Blend: profile.BlendPremulti,
		}
	}
	r0 := profile.Rotate0
	cases := []edgeCase{
		// 1:1: the cut pixels leave the source by the same count.
		{"left", layer(0, 0, 20, 16, -7, 5, 13, 21, r0), layer(7, 0, 20, 16, 0, 5, 13, 21, r0)},
		{"right", layer(0, 0, 20, 16, 50, 5, 70, 21, r0), layer(0, 0, 10, 16, 50, 5, 60, 21, r0)},
		{"top", layer(0, 0, 20, 16, 10, -9, 30, 7, r0), layer(0, 9, 20, 16, 10, 0, 30, 7, r0)},
		{"bottom", layer(0, 0, 20, 16, 10, 30, 30, 46, r0), layer(0, 0, 20, 10, 10, 30, 30, 40, r0)},
		{"corner", layer(0, 0, 20, 16, -3, -4, 17, 12, r0), layer(3, 4, 20, 16, 0, 0, 17, 12, r0)},
		{"every edge", layer(0, 0, 20, 16, -1, -1, 19, 15, r0), layer(1, 1, 20, 16, 0, 0, 19, 15, r0)},
		// 2x: 4 destination pixels are 2 source pixels.
		{"scaled left", layer(0, 0, 20, 16, -4, 0, 36, 32, r0), layer(2, 0, 20, 16, 0, 0, 36, 32, r0)},
		{"scaled bottom right", layer(0, 0, 20, 16, 30, 20, 70, 52, r0), layer(0, 0, 15, 10, 30, 20, 60, 40, r0)},
		// Rotated 90° counter-clockwise, destination column u shows
		// framebuffer row u: cutting columns on the left cuts rows at
		// the top of the framebuffer.
		{"rotated left", layer(0, 0, 20, 16, -5, 2, 11, 22, profile.Rotate90), layer(0, 5, 20, 16, 0, 2, 11, 22, profile.Rotate90)},
		// Mirrored in x: the left destination columns show the right end
		// of the framebuffer.
		{"mirrored left", layer(0, 0, 20, 16, -6, 2, 14, 18, r0|profile.ReflectX), layer(0, 0, 14, 16, 0, 2, 14, 18, r0|profile.ReflectX)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, tf := range []fourcc.Format{fourcc.XRGB16161616, fourcc.XRGB8888} {
				want := newTarget(t, tf, w, h)
				got := newTarget(t, tf, w, h)
				wantCRC := e.render(want, []Layer{bg, tc.want})
				assert.Equal(t, wantCRC, e.render(got, []Layer{bg, tc.whole}), "%v CRC", tf)
				assert.Equal(t, want.Data, got.Data, "%v pixels", tf)
			}
			// The pre-clipped layer is what the device composes for the
			// same plane.
			fp := at(fb, 0, 0)
			fp.Src, fp.Dst, fp.Rotation, fp.Alpha = tc.want.Src, tc.want.Dst, tc.want.Rotation, tc.want.Alpha
			assert.Equal(t, e.crc(frame(w, h, at(bgFB, 0, 0), fp)), e.render(newTarget(t, fourcc.XRGB8888, w, h), []Layer{bg, tc.whole}))
		})
	}

	alone := e.render(newTarget(t, fourcc.XRGB8888, w, h), []Layer{bg})
	for _, d := range []device.Rect{
		{X1: -20, Y1: 0, X2: 0, Y2: 16}, // touching the left edge
		{X1: 60, Y1: 0, X2: 80, Y2: 16}, // touching the right edge
		{X1: 0, Y1: -16, X2: 20, Y2: 0}, // above
		{X1: 5, Y1: 40, X2: 25, Y2: 56}, // below
		{X1: -900, Y1: -900, X2: -10, Y2: -10},
		{X1: 1 << 20, Y1: 1 << 20, X2: 1<<20 + 20, Y2: 1<<20 + 16},
		{X1: 10, Y1: 10, X2: 10, Y2: 30}, // empty
	} {
		l := layer(0, 0, 20, 16, 0, 0, 0, 0, r0)
		l.Dst = d
		tg := newTarget(t, fourcc.XRGB8888, w, h)
		assert.Equal(t, alone, e.render(tg, []Layer{bg, l}), "outside at %v", d)
	}
}

// solidSource is a w x h source of one colour in format f, written by
// pixfmt's writer.
func solidSource(t testing.TB, f fourcc.Format, w, h int, p Pixel, enc profile.ColorEncoding, rng profile.ColorRange) *Source {
	t.Helper()
	info, ok := fourcc.Lookup(f)
	require.True(t, ok)
	wr, err := pixfmt.NewWriter(f, enc, rng)
	require.NoError(t, err)
	s := &Source{Format: f, Width: w, Height: h, ColorEncoding: enc, ColorRange: rng}
	img := pixfmt.Image{Width: w, Height: h}
	for i := 0; i < int(info.NumPlanes); i++ {
		stride := int(info.MinPitch(i, uint32(info.PlaneWidth(w, i))))
		mem := make([]byte, stride*info.PlaneHeight(h, i))
		s.Planes[i] = SourcePlane{Data: mem, Stride: stride}
		img.Planes[i] = pixfmt.Plane{Data: mem, Stride: stride}
	}
	row := make([]Pixel, w)
	for i := range row {
		row[i] = p
	}
	for y := 0; y < h; y++ {
		wr.WriteSpan(&img, 0, y, row)
	}
	return s
}

// A 1x1 buffer (wp_single_pixel_buffer, a one-pixel wl_shm) scaled to
// 64x64 shows what a solid 64x64 buffer of its colour shows, over a
// picture, for every blend mode.
func TestRenderSinglePixelScaledEqualsSolid(t *testing.T) {
	e := newEnv(t, "vkms")
	const w, h = 90, 70
	bgFB := e.fb(fourcc.XRGB8888, w, h, gradient)
	bg := Layer{Source: fbSrc(bgFB, 0, 0), Src: device.Rect{X2: w << 16, Y2: h << 16}, Dst: device.Rect{X2: w, Y2: h}, Alpha: 0xffff}
	for _, tc := range []struct {
		format   fourcc.Format
		px       Pixel
		enc      profile.ColorEncoding
		rng      profile.ColorRange
		alpha    uint16
		blend    profile.BlendMode
		rotation profile.Rotation
	}{
		{fourcc.XRGB8888, rgb8(0xff, 0x12, 0x80, 0xfe), 0, 0, 0xffff, profile.BlendPremulti, 0},
		{fourcc.ARGB8888, rgb8(0x80, 0x40, 0x10, 0x7f), 0, 0, 0xffff, profile.BlendPremulti, 0},
		{fourcc.ARGB8888, rgb8(0x80, 0xff, 0x10, 0x7f), 0, 0, 0x4321, profile.BlendCoverage, profile.Rotate270},
		{fourcc.ARGB16161616, Pixel{A: 0x1234, R: 0x1000, G: 0x0234, B: 0x1233}, 0, 0, 0xabcd, profile.BlendPremulti, profile.Rotate90 | profile.ReflectY},
		{fourcc.ABGR2101010, Pixel{A: 0x5555, R: 0xffff, G: 0, B: 0x8000}, 0, 0, 0x8000, profile.BlendNone, 0},
		{fourcc.RGB565, Pixel{A: 0xffff, R: 0x8410, G: 0x4104, B: 0xffff}, 0, 0, 0x9999, profile.BlendPremulti, profile.Rotate180},
		{fourcc.NV12, grey16(0x5555), profile.BT709, profile.RangeLimited, 0xffff, profile.BlendPremulti, 0},
		{fourcc.YUV420, grey16(0xaaaa), profile.BT2020, profile.RangeLimited, 0x7000, profile.BlendCoverage, 0},
		{fourcc.ARGB16161616F, Pixel{A: 0x8000, R: 0x4000, G: 0x2000, B: 0}, 0, 0, 0xffff, profile.BlendPremulti, 0},
	} {
		t.Run(fmt.Sprintf("%v alpha %#x blend %d rot %#x", tc.format, tc.alpha, tc.blend, uint32(tc.rotation)), func(t *testing.T) {
			one := solidSource(t, tc.format, 1, 1, tc.px, tc.enc, tc.rng)
			solid := solidSource(t, tc.format, 64, 64, tc.px, tc.enc, tc.rng)
			dst := device.Rect{X1: 13, Y1: 3, X2: 13 + 64, Y2: 3 + 64}
			l := Layer{Source: solid, Src: device.Rect{X2: 64 << 16, Y2: 64 << 16}, Dst: dst, Alpha: tc.alpha, Blend: tc.blend, Rotation: tc.rotation}
			want := newTarget(t, fourcc.XRGB16161616, w, h)
			wantCRC := e.render(want, []Layer{bg, l})

			for _, src := range []device.Rect{
				{X2: 1 << 16, Y2: 1 << 16},
				{X1: 0x4000, Y1: 0x1000, X2: 0xc000, Y2: 0x8000}, // a viewport inside the pixel
			} {
				l.Source, l.Src = one, src
				got := newTarget(t, fourcc.XRGB16161616, w, h)
				assert.Equal(t, wantCRC, e.render(got, []Layer{bg, l}), "src %v", src)
				assert.Equal(t, want.Data, got.Data, "src %v", src)
			}
		})
	}
}

// memfdSource copies s into memfd-backed memory and returns it with a
// function that truncates the memfd under the mapping.
func memfdSource(t *testing.T, s *Source) (*Source, func()) {
	t.Helper()
	data := s.Planes[0].Data
	for i := 1; i < len(s.Planes) && s.Planes[i].Data != nil; i++ {
		require.Equal(t, &data[0], &s.Planes[i].Data[0], "one object for every plane")
	}
	fd, err := unix.MemfdCreate("headway-render-test", 0)
	require.NoError(t, err)
	t.Cleanup(func() { unix.Close(fd) })
	size := (len(data) + 4095) &^ 4095
	require.NoError(t, unix.Ftruncate(fd, int64(size)))
	mem, err := unix.Mmap(fd, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	require.NoError(t, err)
	t.Cleanup(func() { unix.Munmap(mem) })
	copy(mem, data)
	out := *s
	for i := range out.Planes {
		if out.Planes[i].Data != nil {
			out.Planes[i].Data = mem[:len(data)]
		}
	}
	return &out, func() { require.NoError(t, unix.Ftruncate(fd, 0)) }
}

// A client truncating its memfd under one of three layers gets that layer
// blamed (a *LayerError wrapping EFAULT); the others render again without
// it, on the same composer.
func TestRenderFaultNamesTheLayer(t *testing.T) {
	e := newEnv(t, "intel-like")
	const w, h = 80, 64
	xr := e.fb(fourcc.XRGB8888, w, h, gradient)
	ar := e.fb(fourcc.ARGB8888, 60, 50, func(x, y int) Pixel { return rgb8(0xc0, uint8(x), uint8(y), 0x40) })
	cov := e.fb(fourcc.ARGB8888, 40, 40, func(x, y int) Pixel { return rgb8(uint8(x*6), 0xff, 0, uint8(y*6)) })
	yt := e.fb(fourcc.XRGB8888, 64, 32, checker, fbOpts{mod: modifier.IntelYTiled})
	nv := e.fb(fourcc.NV12, 32, 32, greyFull8)
	layer := func(s *Source, x, y int32, blend profile.BlendMode, alpha uint16) Layer {
		return Layer{Source: s, Src: device.Rect{X2: int32(s.Width) << 16, Y2: int32(s.Height) << 16},
			Dst: device.Rect{X1: x, Y1: y, X2: x + int32(s.Width), Y2: y + int32(s.Height)}, Alpha: alpha, Blend: blend}
	}
	stacks := map[string][3]Layer{
		// The direct, fused and staged read paths.
		"paths": {
			layer(fbSrc(xr, 0, 0), 0, 0, profile.BlendPremulti, 0xffff),
			layer(fbSrc(ar, 0, 0), 10, 8, profile.BlendPremulti, 0xffff),
			layer(fbSrc(cov, 0, 0), 30, 20, profile.BlendCoverage, 0x8000),
		},
		// A tiled source faults while it is read back; a YUV one while
		// it is converted.
		"tiled and yuv": {
			layer(fbSrc(yt, 0, 0), 0, 0, profile.BlendPremulti, 0xffff),
			layer(fbSrc(nv, 0, 0), 40, 20, profile.BlendNone, 0x9000),
			layer(fbSrc(ar, 0, 0), 5, 5, profile.BlendPremulti, 0x8000),
		},
	}
	for name, stack := range stacks {
		for bad := range stack {
			for _, workers := range []int{1, 3} {
				t.Run(fmt.Sprintf("%s/layer %d/%d workers", name, bad, workers), func(t *testing.T) {
					c := New(Options{Workers: workers})
					ls := stack
					var truncate func()
					ls[bad].Source, truncate = memfdSource(t, ls[bad].Source)
					tg := newTarget(t, fourcc.XRGB16161616, w, h)
					first, err := c.Render(tg, ls[:])
					require.NoError(t, err, "intact memory renders")
					truncate()

					_, err = c.Render(tg, ls[:])
					var le *LayerError
					require.ErrorAs(t, err, &le)
					assert.Equal(t, bad, le.Layer)
					assert.ErrorIs(t, err, syscall.EFAULT)

					// Without the faulting layer the same composer renders
					// what a fresh one renders.
					rest := append(append([]Layer(nil), ls[:bad]...), ls[bad+1:]...)
					got, err := c.Render(tg, rest)
					require.NoError(t, err)
					want, err := New(Options{}).Render(newTarget(t, fourcc.XRGB16161616, w, h), rest)
					require.NoError(t, err)
					assert.Equal(t, want, got)
					assert.NotEqual(t, first, got, "guard: the layer showed")
				})
			}
		}
	}
}

// The device path names the faulting plane too, and keeps wrapping
// EFAULT.
func TestComposeFaultNamesThePlane(t *testing.T) {
	e := newEnv(t, "vkms")
	const w, h = 64, 64
	bad, truncate := e.memfdFB(fourcc.ARGB8888, 32, 32)
	f := frame(w, h, at(e.fb(fourcc.XRGB8888, w, h, gradient), 0, 0), at(bad, 10, 10), at(e.fb(fourcc.ARGB8888, 16, 16, solid(rgb8(0x80, 0x80, 0, 0))), 40, 40))
	truncate()

	_, err := e.c.Compose(f, device.Target{CRC: true})
	require.ErrorIs(t, err, syscall.EFAULT)
	var le *LayerError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, 1, le.Layer)
	assert.Contains(t, err.Error(), fmt.Sprintf("plane %d:", f.Planes[1].ID))
}

func TestRenderRejectsBadInput(t *testing.T) {
	e := newEnv(t, "vkms")
	good := solidSource(t, fourcc.XRGB8888, 4, 4, black, 0, 0)
	ok := Layer{Source: good, Src: device.Rect{X2: 4 << 16, Y2: 4 << 16}, Dst: device.Rect{X2: 4, Y2: 4}, Alpha: 0xffff}
	short := *good
	short.Planes[0].Data = short.Planes[0].Data[:15*4]
	narrow := *good
	narrow.Planes[0].Stride = 12
	with := func(f func(l *Layer)) Layer { l := ok; f(&l); return l }
	for name, l := range map[string]Layer{
		"no source":        with(func(l *Layer) { l.Source = nil }),
		"src outside":      with(func(l *Layer) { l.Src.X2 = 5 << 16 }),
		"src empty":        with(func(l *Layer) { l.Src.Y2 = 0 }),
		"dst inverted":     with(func(l *Layer) { l.Dst.X1 = 5 }),
		"dst huge":         with(func(l *Layer) { l.Dst.X2 = 1 << 30 }),
		"two rotations":    with(func(l *Layer) { l.Rotation = profile.Rotate90 | profile.Rotate180 }),
		"blend mode":       with(func(l *Layer) { l.Blend = 7 }),
		"short data":       with(func(l *Layer) { l.Source = &short }),
		"stride too small": with(func(l *Layer) { l.Source = &narrow }),
	} {
		tg := newTarget(t, fourcc.XRGB8888, 8, 8)
		_, err := e.c.Render(tg, []Layer{ok, l})
		var le *LayerError
		if assert.ErrorAs(t, err, &le, name) {
			assert.Equal(t, 1, le.Layer, name)
		}
		assert.ErrorIs(t, err, syscall.EINVAL, name)
	}
	for name, tg := range map[string]*Target{
		"nil":          nil,
		"empty":        {Format: fourcc.XRGB8888},
		"short":        {Format: fourcc.XRGB8888, Width: 8, Height: 8, Stride: 32, Data: make([]byte, 8*32-1)},
		"multi-planar": {Format: fourcc.NV12, Width: 8, Height: 8, Stride: 8, Data: make([]byte, 8*12)},
	} {
		_, err := e.c.Render(tg, []Layer{ok})
		assert.ErrorIs(t, err, syscall.EINVAL, name)
		assert.False(t, errors.As(err, new(*LayerError)), name)
	}
	// Still usable.
	tg := newTarget(t, fourcc.XRGB8888, 4, 4)
	assert.Equal(t, crcOfRows(4, 4, solid(black)), e.render(tg, []Layer{ok}))
}

// A steady render allocates nothing on one worker (more workers cost only
// their goroutines), also when the compositor describes its buffers
// afresh every frame: a tiled buffer's read-back state is found by its
// memory, not by the Source value.
func TestRenderSteadyStateAllocatesNothing(t *testing.T) {
	e := newEnv(t, "intel-like")
	const w, h = 128, 96
	bg := fbSrc(e.fb(fourcc.XRGB8888, w, h, gradient), 0, 0)
	yt := fbSrc(e.fb(fourcc.XRGB8888, 64, 32, checker, fbOpts{mod: modifier.IntelYTiled}), 0, 0)
	nv := fbSrc(e.fb(fourcc.NV12, 32, 32, greyFull8), 0, 0)
	c := New(Options{Workers: 1})
	tg := newTarget(t, fourcc.XRGB16161616, w, h)
	var s1, s2, s3 Source
	ls := make([]Layer, 3)
	frame := func() {
		s1, s2, s3 = *bg, *yt, *nv // new descriptions of the same buffers
		ls[0] = Layer{Source: &s1, Src: device.Rect{X2: w << 16, Y2: h << 16}, Dst: device.Rect{X2: w, Y2: h}, Alpha: 0xffff}
		ls[1] = Layer{Source: &s2, Src: device.Rect{X2: 64 << 16, Y2: 32 << 16}, Dst: device.Rect{X1: -10, Y1: 70, X2: 118, Y2: 134}, Alpha: 0xffff, Rotation: profile.Rotate180}
		ls[2] = Layer{Source: &s3, Src: device.Rect{X2: 32 << 16, Y2: 32 << 16}, Dst: device.Rect{X1: 100, Y1: 5, X2: 150, Y2: 45}, Alpha: 0x8000}
		if _, err := c.Render(tg, ls); err != nil {
			t.Fatal(err)
		}
	}
	frame()
	require.Len(t, c.tiled, 1)
	var ts *tiledSource
	for _, v := range c.tiled {
		ts = v
	}
	assert.Zero(t, testing.AllocsPerRun(20, frame))
	require.Len(t, c.tiled, 1)
	for _, v := range c.tiled {
		assert.Same(t, ts, v, "the tiled source was kept")
	}
}

// Sources may be 1 to 32767 pixels on each side, as Source documents: both
// ends are accepted, one past either end is EINVAL. The shown pixel is the
// source's first, whatever its size.
func TestRenderSourceSizeLimits(t *testing.T) {
	const limit = 1<<15 - 1
	red := []byte{0x00, 0x00, 0xff, 0xff}
	src := func(w, h int) *Source {
		s := &Source{Format: fourcc.XRGB8888, Width: w, Height: h}
		stride := 4 * w
		data := make([]byte, stride*h)
		copy(data, red)
		s.Planes[0] = SourcePlane{Data: data, Stride: stride}
		return s
	}
	want := New(Options{})
	wantTg := newTarget(t, fourcc.XRGB8888, 2, 2)
	wantCRC, err := want.Render(wantTg, []Layer{{Source: src(1, 1), Src: device.Rect{X2: 1 << 16, Y2: 1 << 16}, Dst: device.Rect{X2: 1, Y2: 1}, Alpha: 0xffff}})
	require.NoError(t, err)
	for _, c := range []struct {
		w, h int
		ok   bool
	}{
		{limit, 1, true}, {1, limit, true},
		{limit + 1, 1, false}, {1, limit + 1, false},
	} {
		tg := newTarget(t, fourcc.XRGB8888, 2, 2)
		l := Layer{Source: src(c.w, c.h), Src: device.Rect{X2: 1 << 16, Y2: 1 << 16}, Dst: device.Rect{X2: 1, Y2: 1}, Alpha: 0xffff}
		got, err := New(Options{}).Render(tg, []Layer{l})
		if !c.ok {
			assert.ErrorIs(t, err, syscall.EINVAL, "%dx%d", c.w, c.h)
			continue
		}
		require.NoError(t, err, "%dx%d", c.w, c.h)
		assert.Equal(t, wantCRC, got, "%dx%d", c.w, c.h)
	}
}

// Memory planes past the format's are refused, even when all four are
// given: an error, not a panic.
func TestRenderTooManyPlanes(t *testing.T) {
	s := &Source{Format: fourcc.XRGB8888, Width: 4, Height: 4}
	for i := range s.Planes {
		s.Planes[i] = SourcePlane{Data: make([]byte, 64), Stride: 16}
	}
	l := Layer{Source: s, Src: device.Rect{X2: 4 << 16, Y2: 4 << 16}, Dst: device.Rect{X2: 4, Y2: 4}, Alpha: 0xffff}
	_, err := New(Options{}).Render(newTarget(t, fourcc.XRGB8888, 4, 4), []Layer{l})
	assert.ErrorIs(t, err, syscall.EINVAL)
}

// A tiled source whose layout the client got wrong is EINVAL, as a LINEAR
// one is: a stride of 0, and one whose rows overflow 32 bits.
func TestRenderBadTiledLayoutIsEINVAL(t *testing.T) {
	for _, m := range []modifier.Modifier{modifier.Linear, modifier.IntelXTiled} {
		for _, stride := range []int{0, 1<<32 - 1} {
			s := &Source{Format: fourcc.XRGB8888, Modifier: m, Width: 4, Height: 1}
			s.Planes[0] = SourcePlane{Data: make([]byte, 8192), Stride: stride}
			l := Layer{Source: s, Src: device.Rect{X2: 4 << 16, Y2: 1 << 16}, Dst: device.Rect{X2: 4, Y2: 1}, Alpha: 0xffff}
			_, err := New(Options{}).Render(newTarget(t, fourcc.XRGB8888, 4, 4), []Layer{l})
			assert.ErrorIs(t, err, syscall.EINVAL, "%v stride %d", m, stride)
			var le *LayerError
			assert.ErrorAs(t, err, &le)
		}
	}
}

// Layer checks at their edges: a source rectangle must not be empty, and
// destination coordinates may reach ±2^28 but not pass them.
func TestRenderLayerEdges(t *testing.T) {
	s := &Source{Format: fourcc.XRGB8888, Width: 4, Height: 4}
	s.Planes[0] = SourcePlane{Data: make([]byte, 64), Stride: 16}
	const m = 1 << 28
	whole := device.Rect{X2: 4 << 16, Y2: 4 << 16}
	cases := []struct {
		name     string
		src, dst device.Rect
		ok       bool
	}{
		{"empty source width", device.Rect{X1: 1 << 16, X2: 1 << 16, Y2: 4 << 16}, device.Rect{X2: 1, Y2: 1}, false},
		{"empty source height", device.Rect{Y1: 1 << 16, X2: 4 << 16, Y2: 1 << 16}, device.Rect{X2: 1, Y2: 1}, false},
		{"empty destination width", whole, device.Rect{X1: 2, X2: 2, Y2: 4}, true},
		{"empty destination height", whole, device.Rect{Y1: 2, Y2: 2, X2: 4}, true},
		{"left at -2^28", whole, device.Rect{X1: -m, X2: -m + 4, Y2: 4}, true},
		{"left past -2^28", whole, device.Rect{X1: -m - 1, X2: -m + 3, Y2: 4}, false},
		{"top at -2^28", whole, device.Rect{Y1: -m, Y2: -m + 4, X2: 4}, true},
		{"top past -2^28", whole, device.Rect{Y1: -m - 1, Y2: -m + 3, X2: 4}, false},
		{"right at 2^28", whole, device.Rect{X1: m - 4, X2: m, Y2: 4}, true},
		{"right past 2^28", whole, device.Rect{X1: m - 3, X2: m + 1, Y2: 4}, false},
		{"bottom at 2^28", whole, device.Rect{Y1: m - 4, Y2: m, X2: 4}, true},
		{"bottom past 2^28", whole, device.Rect{Y1: m - 3, Y2: m + 1, X2: 4}, false},
	}
	for _, c := range cases {
		l := Layer{Source: s, Src: c.src, Dst: c.dst, Alpha: 0xffff}
		_, err := New(Options{}).Render(newTarget(t, fourcc.XRGB8888, 4, 4), []Layer{l})
		if c.ok {
			assert.NoError(t, err, c.name)
		} else {
			assert.ErrorIs(t, err, syscall.EINVAL, c.name)
		}
	}
}

// Targets at their edges: 1 to 32767 pixels a side, a stride of exactly
// the minimum pitch and memory of exactly the size needed are accepted.
func TestRenderTargetEdges(t *testing.T) {
	const limit = 1<<15 - 1
	exact := func(w, h int) *Target {
		return &Target{Format: fourcc.XRGB8888, Width: w, Height: h, Stride: 4 * w, Data: make([]byte, 4*w*h)}
	}
	for _, c := range []struct {
		name string
		tg   *Target
		ok   bool
	}{
		{"exact 3x2", exact(3, 2), true},
		{"widest", exact(limit, 1), true},
		{"tallest", exact(1, limit), true},
		{"too wide", exact(limit+1, 1), false},
		{"too tall", exact(1, limit+1), false},
		{"stride below pitch", &Target{Format: fourcc.XRGB8888, Width: 3, Height: 2, Stride: 11, Data: make([]byte, 24)}, false},
		{"one byte short", &Target{Format: fourcc.XRGB8888, Width: 3, Height: 2, Stride: 12, Data: make([]byte, 23)}, false},
	} {
		_, err := New(Options{}).Render(c.tg, nil)
		if c.ok {
			assert.NoError(t, err, c.name)
		} else {
			assert.ErrorIs(t, err, syscall.EINVAL, c.name)
		}
	}
}
