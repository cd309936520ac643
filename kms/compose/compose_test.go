package compose

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/crc"
	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/kms/pixfmt"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
)

// crcOfRows is the CRC of a frame whose rows are given pixel by pixel,
// hashed in the documented byte order.
func crcOfRows(w, h int, px picture) uint32 {
	var v uint32
	row := make([]byte, w*8)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			p := px(x, y)
			o := row[x*8:]
			o[0], o[1], o[2], o[3] = byte(p.A), byte(p.A>>8), byte(p.R), byte(p.R>>8)
			o[4], o[5], o[6], o[7] = byte(p.G), byte(p.G>>8), byte(p.B), byte(p.B>>8)
		}
		v = crcLE(v, row)
	}
	return v
}

func gradient(x, y int) Pixel {
	return rgb8(0xff, uint8(x*7+y), uint8(y*3), uint8(x^y))
}

func TestOpaquePlaneCRCIsItsRows(t *testing.T) {
	e := newEnv(t, "vkms")
	fb := e.fb(fourcc.XRGB8888, 67, 45, gradient)
	got := e.crc(frame(67, 45, at(fb, 0, 0)))
	assert.Equal(t, crcOfRows(67, 45, gradient), got)

	// The background is opaque black where no plane is.
	small := e.fb(fourcc.XRGB8888, 10, 10, gradient)
	got = e.crc(frame(67, 45, at(small, 5, 7)))
	want := crcOfRows(67, 45, func(x, y int) Pixel {
		if x >= 5 && x < 15 && y >= 7 && y < 17 {
			return gradient(x-5, y-7)
		}
		return black
	})
	assert.Equal(t, want, got)
}

func TestWorkersAgree(t *testing.T) {
	e := newEnv(t, "vkms")
	fb := e.fb(fourcc.ARGB8888, 200, 150, func(x, y int) Pixel { return rgb8(uint8(x), uint8(y), 0x40, uint8(x+y)) })
	bg := e.fb(fourcc.XRGB8888, 300, 170, gradient)
	f := frame(300, 170, at(bg, 0, 0), at(fb, 33, 9))
	want := e.crc(f)
	for _, n := range []int{1, 2, 3, 7} {
		e.c = New(Options{Workers: n})
		require.Equal(t, want, e.crc(f), "workers %d", n)
	}
}

// A framebuffer whose memfd is truncated under its mapping faults (SIGBUS)
// when read; the composer returns EFAULT and goes on composing other
// frames.
func TestTruncatedMemfdFaultsWithEFAULT(t *testing.T) {
	e := newEnv(t, "vkms")
	const w, h = 64, 64
	fb, truncate := e.memfdFB(fourcc.XRGB8888, w, h)
	f := frame(w, h, at(fb, 0, 0))
	_, err := e.c.Compose(f, device.Target{CRC: true})
	require.NoError(t, err, "intact memory composes")

	truncate()
	_, err = e.c.Compose(f, device.Target{CRC: true})
	require.ErrorIs(t, err, syscall.EFAULT)
	assert.Contains(t, err.Error(), "reading client memory")

	// The composer is still usable.
	ok := e.fb(fourcc.XRGB8888, w, h, gradient)
	assert.Equal(t, crcOfRows(w, h, gradient), e.crc(frame(w, h, at(ok, 0, 0))))
}

// An empty destination (zero width or height) is a plane that shows
// nothing, not an error: the frame is the frame without it.
func TestEmptyDestinationShowsNothing(t *testing.T) {
	e := newEnv(t, "vkms")
	const w, h = 20, 20
	bg := e.fb(fourcc.XRGB8888, w, h, gradient)
	ov := e.fb(fourcc.XRGB8888, 16, 16, solid(rgb8(0xff, 0x10, 0x20, 0x30)))
	want := e.crc(frame(w, h, at(bg, 0, 0)))
	for name, dst := range map[string]device.Rect{
		"zero width":  {X1: 5, Y1: 2, X2: 5, Y2: 10},
		"zero height": {X1: 2, Y1: 5, X2: 10, Y2: 5},
	} {
		empty := at(ov, 0, 0)
		empty.Dst = dst
		got, err := e.c.Compose(frame(w, h, at(bg, 0, 0), empty), device.Target{CRC: true})
		require.NoError(t, err, name)
		assert.Equal(t, want, got, name)
	}
}

func TestBadFramesAreErrors(t *testing.T) {
	e := newEnv(t, "vkms")
	fb := e.fb(fourcc.XRGB8888, 16, 16, gradient)
	outside := at(fb, 10, 10)
	for name, f := range map[string]*device.Frame{
		"empty mode":        frame(0, 0),
		"zero width":        frame(0, 20),
		"zero height":       frame(20, 0),
		"plane outside":     frame(20, 20, outside),
		"no framebuffer":    frame(20, 20, device.FramePlane{Dst: device.Rect{X2: 1, Y2: 1}}),
		"inverted dst rect": frame(20, 20, device.FramePlane{FB: fb, Dst: device.Rect{X1: 5, X2: 1, Y2: 1}}),
	} {
		_, err := e.c.Compose(f, device.Target{CRC: true})
		assert.ErrorIs(t, err, syscall.EINVAL, name)
	}
}

// A plane CRC source and a writeback job in one frame: the plane's CRC
// and the whole composed frame in the writeback buffer.
func TestPlaneSourceWithWriteback(t *testing.T) {
	e := newEnv(t, "vkms")
	const w, h = 40, 30
	bg := e.fb(fourcc.XRGB8888, w, h, gradient)
	ov := e.fb(fourcc.ARGB8888, 16, 12, func(x, y int) Pixel { return rgb8(0x80, 0x40, uint8(x), uint8(y)) })
	wb := e.fb(fourcc.XRGB8888, w, h, solid(black))
	f := frame(w, h, at(bg, 0, 0), at(ov, 3, 4))
	planeSrc := crc.Source{Plane: f.Planes[1].ID}

	_, wantPlane, err := e.c.Capture(f, planeSrc)
	require.NoError(t, err)
	frameImg, _, err := e.c.Capture(f, crc.Auto)
	require.NoError(t, err)

	got, err := e.c.Compose(f, device.Target{CRC: true, Source: planeSrc, Writeback: wb})
	require.NoError(t, err)
	assert.Equal(t, wantPlane, got)

	rd, err := pixfmt.NewReader(fourcc.XRGB8888, 0, 0)
	require.NoError(t, err)
	var img pixfmt.Image
	require.NoError(t, e.c.image(&img, wb))
	row := make([]Pixel, w)
	for y := 0; y < h; y++ {
		rd.ReadSpan(&img, 0, y, row)
		for x := range row {
			p := frameImg.At(x, y)
			want := rgb8(0xff, uint8(pixfmt.Compress(p.R, 8)), uint8(pixfmt.Compress(p.G, 8)), uint8(pixfmt.Compress(p.B, 8)))
			require.Equal(t, want, row[x], "pixel %d,%d", x, y)
		}
	}
}

// The oracle's reproducer: a mirrored axis with a fractional origin and
// scaling whose exact sample point lies just below a pixel edge.
func TestMirroredFractionalSampleStaysBelowEdge(t *testing.T) {
	e := newEnv(t, "intel-like")
	fb := e.fb(fourcc.XRGB8888, 10, 10, func(x, y int) Pixel { return rgb8(0xff, uint8(x*20), 0, 0) })
	p := at(fb, 0, 0)
	p.Src = device.Rect{X1: 32767, X2: 98304, Y1: 0, Y2: 1 << 16}
	p.Dst = device.Rect{X2: 1, Y2: 1}
	p.Rotation = profile.Rotate0 | profile.ReflectX
	img, _, err := e.c.Capture(frame(1, 1, p), crc.Auto)
	require.NoError(t, err)
	assert.Equal(t, uint16(0), img.At(0, 0).R, "pixel 0 is sampled: x = 65535.5/65536")
}

// A captured frame and a captured plane survive a PNG round trip value for
// value, 16 bits per channel.
func TestCapturePNGRoundTrip(t *testing.T) {
	e := newEnv(t, "vkms")
	bg := e.fb(fourcc.XRGB8888, 32, 24, gradient)
	ov := e.fb(fourcc.ARGB8888, 12, 10, func(x, y int) Pixel { return rgb8(uint8(x*20), uint8(x*10), uint8(y*10), 0) })
	f := frame(32, 24, at(bg, 0, 0), at(ov, 4, 5))
	for _, src := range []crc.Source{crc.Auto, {Plane: f.Planes[1].ID}} {
		img, _, err := e.c.Capture(f, src)
		require.NoError(t, err)
		var buf bytes.Buffer
		require.NoError(t, img.WritePNG(&buf))
		dec, err := png.Decode(&buf)
		require.NoError(t, err)
		require.Equal(t, image.Rect(0, 0, img.Width, img.Height), dec.Bounds(), "source %v", src)
		for y := 0; y < img.Height; y++ {
			for x := 0; x < img.Width; x++ {
				c := color.NRGBA64Model.Convert(dec.At(x, y)).(color.NRGBA64)
				p := img.At(x, y)
				require.Equal(t, Pixel{A: c.A, R: c.R, G: c.G, B: c.B}, p, "source %v pixel %d,%d", src, x, y)
			}
		}
	}
	empty := &Image{}
	assert.Error(t, empty.WritePNG(io.Discard))
}

// A writeback buffer truncated under its mapping faults when written: the
// error wraps EFAULT, says it was writing, and blames no plane, because the
// planes read fine.
func TestTruncatedWritebackFaultsWithEFAULT(t *testing.T) {
	e := newEnv(t, "vkms")
	const w, h = 64, 64
	wb, truncate := e.memfdFB(fourcc.XRGB8888, w, h)
	f := frame(w, h, at(e.fb(fourcc.XRGB8888, w, h, gradient), 0, 0), at(e.fb(fourcc.ARGB8888, 16, 16, solid(rgb8(0x80, 0x80, 0, 0))), 40, 40))
	_, err := e.c.Compose(f, device.Target{CRC: true, Writeback: wb})
	require.NoError(t, err, "intact memory composes")

	truncate()
	_, err = e.c.Compose(f, device.Target{CRC: true, Writeback: wb})
	require.ErrorIs(t, err, syscall.EFAULT)
	assert.Contains(t, err.Error(), "writing client memory")
	var le *LayerError
	assert.False(t, errors.As(err, &le), "no plane is to blame: %v", err)
}
