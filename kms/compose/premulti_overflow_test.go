package compose

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/crc"
	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
)

// premultiCase is one channel of a pre-multiplied blend: src with pixel
// alpha a over dst. vkms is VKMS's pre_mul_blend_channel worked by hand
// in u32: x = src·0xffff + dst·(0xffff−a) mod 2^32, then
// ((x + 0x7fff) mod 2^32) / 0xffff, kept as a u16. sat is the saturating
// rule every other profile and Render follow.
type premultiCase struct {
	src, a, dst uint16
	vkms, sat   uint16
}

var premultiCases = []premultiCase{
	// 2·0xfffe0001 = 0x1_fffc0002 wraps to 0xfffc0002; +0x7fff =
	// 0xfffc8001 = 4294737921, / 65535 = 65533.
	{src: 0xffff, a: 0, dst: 0xffff, vkms: 65533, sat: 0xffff},
	// 0xfffe0001 + 0x7fff = 4294868992 does not wrap: 65535.
	{src: 0xffff, a: 0, dst: 0, vkms: 0xffff, sat: 0xffff},
	// 0xfffe0001 + 0xffff = 65536·65535: the quotient 65536 is cut to 0.
	{src: 0xffff, a: 0, dst: 1, vkms: 0, sat: 0xffff},
	// The sum is 0xffffffff; the rounding term wraps it to 32766: 0.
	{src: 0xffff, a: 0, dst: 2, vkms: 0, sat: 0xffff},
	// The sum wraps to 65534; + 0x7fff = 98301, / 65535 = 1.
	{src: 0xffff, a: 0, dst: 3, vkms: 1, sat: 0xffff},
	// 65535·(0x8000 + 0xbfff) = 5368561665 wraps to 1073594369;
	// + 0x7fff = 1073627136, / 65535 = 16382.
	{src: 0x8000, a: 0x4000, dst: 0xffff, vkms: 16382, sat: 0xffff},
	// Colour without alpha: 65535·(0x100 + 0xff00) = 65536·65535 + 0,
	// and the rounded quotient 65536 is cut to 0.
	{src: 0x100, a: 0, dst: 0xff00, vkms: 0, sat: 0xffff},
	// The wrapped sum lands one short of half a step: 0xfffb·0xffff +
	// 0xedb6·7 = 4295000063 wraps to 32767 (0x7fff); + 0x7fff = 0xfffe,
	// / 0xffff = 0. A rounding term of 0x8000 would make it 1.
	{src: 0xfffb, a: 0xfff8, dst: 0xedb6, vkms: 0, sat: 0xffff},
	// Valid data never wraps: 0x4000·0xffff + 0x1000·0x7fff =
	// 1207939072, + 0x7fff = 1207971839, / 65535 = 18432 (0x4800), which
	// is also 0x4000 + r(0x1000·0x7fff) = 0x4000 + 0x800.
	{src: 0x4000, a: 0x8000, dst: 0x1000, vkms: 0x4800, sat: 0x4800},
}

// premultiPictures draws the cases as columns of 10x10 pictures (the
// profiles' smallest framebuffer), the cases repeating past the last
// one: the top's pixels, the background and the expected result by
// either rule.
func premultiPictures() (top, bottom, wantVKMS, wantSat picture) {
	c := func(x int) premultiCase { return premultiCases[x%len(premultiCases)] }
	grey := func(a, v uint16) Pixel { return Pixel{A: a, R: v, G: v, B: v} }
	top = func(x, _ int) Pixel { return grey(c(x).a, c(x).src) }
	bottom = func(x, _ int) Pixel { return grey(0xffff, c(x).dst) }
	wantVKMS = func(x, _ int) Pixel { return grey(0xffff, c(x).vkms) }
	wantSat = func(x, _ int) Pixel { return grey(0xffff, c(x).sat) }
	return
}

func imageOf(w, h int, p picture) *Image {
	img := &Image{Width: w, Height: h, Pix: make([]Pixel, w*h)}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Pix[y*w+x] = p(x, y)
		}
	}
	return img
}

// A vkms frame blends invalid pre-multiplied data with VKMS's u32
// overflow; another profile's frame and Render saturate.
func TestPremultiOverflowByProfile(t *testing.T) {
	e := newEnv(t, "vkms")
	top, bottom, wantVKMS, wantSat := premultiPictures()
	under := e.fb(fourcc.XRGB16161616, 10, 10, bottom)
	over := e.fb(fourcc.ARGB16161616, 10, 10, top)
	for _, tc := range []struct {
		profile string
		want    picture
	}{
		{VKMSProfile, wantVKMS},
		{"intel-like", wantSat},
		{"", wantSat},
	} {
		t.Run("profile "+tc.profile, func(t *testing.T) {
			f := frame(10, 10, at(under, 0, 0), at(over, 0, 0))
			f.Profile = tc.profile
			img, v, err := e.c.Capture(f, crc.Auto)
			require.NoError(t, err)
			require.Equal(t, imageOf(10, 10, tc.want), img)
			require.Equal(t, crcOfRows(10, 10, tc.want), v)
			require.Equal(t, crcOfRows(10, 10, tc.want), e.crc(f))
		})
	}

	// Render plays a GPU: it saturates, even with the composer that
	// composes a vkms device's frames.
	f := frame(10, 10, at(under, 0, 0), at(over, 0, 0))
	tg := newTarget(t, fourcc.XRGB16161616, 10, 10)
	v, err := e.c.Render(tg, layersOf(f))
	require.NoError(t, err)
	require.Equal(t, imageOf(10, 10, wantSat), readBack(t, tg))
	require.Equal(t, crcOfRows(10, 10, wantSat), v)
}

// The fused ARGB8888 blend follows the frame's rule too: 0xff colour at
// alpha 0 over white is 65533 on vkms and white elsewhere.
func TestPremultiOverflowFused8888(t *testing.T) {
	e := newEnv(t, "vkms")
	white := solid(rgb8(0xff, 0xff, 0xff, 0xff))
	under := e.fb(fourcc.XRGB8888, 10, 10, white)
	over := e.fb(fourcc.ARGB8888, 10, 10, solid(rgb8(0, 0xff, 0xff, 0xff)))
	f := frame(10, 10, at(under, 0, 0), at(over, 0, 0))
	f.Profile = VKMSProfile
	img, _, err := e.c.Capture(f, crc.Auto)
	require.NoError(t, err)
	assert.Equal(t, Pixel{A: 0xffff, R: 65533, G: 65533, B: 65533}, img.Pix[0])
	f.Profile = "rcar-like"
	img, _, err = e.c.Capture(f, crc.Auto)
	require.NoError(t, err)
	assert.Equal(t, rgb8(0xff, 0xff, 0xff, 0xff), img.Pix[0])
}

// Through a real device: the vkms device's frames carry its profile, so
// the CRC it reports is VKMS's for invalid data.
func TestDevicePremultiOverflowCRC(t *testing.T) {
	r := newDevRig(t, "vkms")
	top, bottom, wantVKMS, _ := premultiPictures()
	black16 := Pixel{A: 0xffff}
	inside := func(p picture, out Pixel) picture {
		return func(x, y int) Pixel {
			if x < 10 && y < 10 {
				return p(x, y)
			}
			return out
		}
	}
	prim := r.fb(fourcc.XRGB16161616, r.w, r.h, inside(bottom, black16))
	over := r.fb(fourcc.ARGB16161616, 10, 10, top)
	r.modeset(prim)
	rd, err := r.crtc.CRC().Open(false)
	require.NoError(t, err)
	defer rd.Close()
	var req device.Request
	r.setPlane(&req, r.plane(profile.Overlay), over, 0, 0)
	seq := r.commit(&req, 0)
	assert.Equal(t, crcOfRows(r.w, r.h, inside(wantVKMS, black16)), readUntil(t, rd, seq))
}
