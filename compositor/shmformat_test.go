package compositor_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/compositor"
	"github.com/headwaywl/headway/kms/pixfmt"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/protocol/wayland"
)

// The palette every RGB format represents exactly: each channel 0 or 255
// (5-, 6- and 10-bit channels hold both ends exactly). Grey formats only
// hold black and white.
var rgbPalette = [][3]uint8{{0, 0, 0}, {255, 255, 255}, {255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 0}, {0, 255, 255}, {255, 0, 255}}
var greyPalette = [][3]uint8{{0, 0, 0}, {255, 255, 255}}

const picW, picH = 24, 10

func pictureColour(pal [][3]uint8, x, y int) [3]uint8 { return pal[(x/3+y)%len(pal)] }

// referenceXRGB draws the picture in XRGB8888 by hand.
func referenceXRGB(pal [][3]uint8) []byte {
	pix := make([]byte, picW*picH*4)
	for y := 0; y < picH; y++ {
		for x := 0; x < picW; x++ {
			c := pictureColour(pal, x, y)
			o := (y*picW + x) * 4
			pix[o], pix[o+1], pix[o+2], pix[o+3] = c[2], c[1], c[0], 0xff
		}
	}
	return pix
}

// drawn writes the picture in format f: through kms/pixfmt's writer where
// it has one, by hand for the sub-byte grey formats it lacks.
func drawn(t *testing.T, f fourcc.Format, pal [][3]uint8) ([]byte, int) {
	info, ok := fourcc.Lookup(f)
	require.True(t, ok)
	bits := info.BPP(0)
	stride := (picW*bits + 7) / 8
	stride = (stride + 3) &^ 3
	pix := make([]byte, stride*picH)
	if bits < 8 {
		for y := 0; y < picH; y++ {
			for x := 0; x < picW; x++ {
				if pictureColour(pal, x, y)[0] == 0 {
					continue
				}
				// Pixel 0 sits in the most significant bits.
				per := 8 / bits
				shift := 8 - bits*(x%per+1)
				pix[y*stride+x/per] |= byte((1<<bits)-1) << shift
			}
		}
		return pix, stride
	}
	w, err := pixfmt.NewWriter(f, profile.BT601, profile.RangeFull)
	require.NoError(t, err, "no writer for %s", fourcc.DRMName(f))
	img := pixfmt.Image{Width: picW, Height: picH}
	img.Planes[0] = pixfmt.Plane{Data: pix, Stride: stride}
	row := make([]pixfmt.Pixel, picW)
	for y := 0; y < picH; y++ {
		for x := range row {
			c := pictureColour(pal, x, y)
			row[x] = pixfmt.Pixel{A: 0xffff, R: uint16(c[0]) * 257, G: uint16(c[1]) * 257, B: uint16(c[2]) * 257}
		}
		w.WriteSpan(&img, 0, y, row)
	}
	return pix, stride
}

// TestShmFormatsMatchXRGB8888 is IGT's reference-CRC method for every
// format wl_shm advertises: the same picture drawn in that format and in
// XRGB8888 gives the same frame CRC.
func TestShmFormatsMatchXRGB8888(t *testing.T) {
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	c := r.dial()
	c.bind("wl_shm")
	w := c.toplevel()
	c.sync()
	var formats []fourcc.Format
	for _, m := range c.events {
		if m.Object == c.bound["wl_shm"] && m.Opcode == wayland.WlShmEventFormat {
			code, err := m.Uint()
			require.NoError(t, err)
			switch code {
			case 0:
				code = uint32(fourcc.ARGB8888)
			case 1:
				code = uint32(fourcc.XRGB8888)
			}
			formats = append(formats, fourcc.Format(code))
		}
	}
	require.GreaterOrEqual(t, len(formats), 20, "wl_shm lists every single-plane format kms/pixfmt reads")
	refCRC := map[bool]uint32{}
	show := func(f fourcc.Format, pix []byte, stride int) uint32 {
		buf, _ := c.shmBuffer(f, picW, picH, stride, pix)
		c.show(w.surface, buf)
		seq := c.advance(2)
		return r.crc(seq)
	}
	for _, grey := range []bool{false, true} {
		pal := rgbPalette
		if grey {
			pal = greyPalette
		}
		refCRC[grey] = show(fourcc.XRGB8888, referenceXRGB(pal), picW*4)
	}
	for _, f := range formats {
		info, _ := fourcc.Lookup(f)
		grey := info.Name[0] == 'R' && len(info.Name) == 2
		pal := rgbPalette
		if grey {
			pal = greyPalette
		}
		pix, stride := drawn(t, f, pal)
		assert.Equal(t, refCRC[grey], show(f, pix, stride), "%s", info.Name)
	}
}
