package pixfmt

import (
	"encoding/binary"
	"fmt"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
)

// The tests below check where each pixel's bits are read from, against the
// layouts drm_fourcc.h gives, on images with padded strides and random
// bytes, through At, ReadSpan and ReadColumn. How a sample becomes a colour
// is checked elsewhere; here the model's samples go into a one-pixel image
// of the same format, so only the addressing differs between the two reads.

const addrW, addrH, addrPad = 13, 7, 5 // odd sizes: partial bytes and blocks

// greyModel reads pixel x of a row of an Rn format: drm_fourcc.h's
// "[7:0] R0:R1:..." puts pixel 0 in the most significant bits, and a
// sample of n bits is v*0xffff/(2^n-1).
func greyModel(row []byte, bits, x int) uint16 {
	per := 8 / bits
	v := int(row[x/per]>>(8-bits*(x%per+1))) & (1<<bits - 1)
	return uint16(v * 0xffff / (1<<bits - 1))
}

func TestGreyAddressing(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	for _, f := range []fourcc.Format{fourcc.R1, fourcc.R2, fourcc.R4, fourcc.R8} {
		bits := greyFormats[f]
		t.Run(f.String(), func(t *testing.T) {
			r, err := NewReader(f, profile.BT601, profile.RangeLimited)
			require.NoError(t, err)
			stride := (addrW*bits+7)/8 + addrPad
			img := &Image{Width: addrW, Height: addrH}
			img.Planes[0] = Plane{Data: make([]byte, stride*addrH), Stride: stride}
			rnd.Read(img.Planes[0].Data)
			want := func(x, y int) Pixel {
				g := greyModel(img.Planes[0].Data[y*stride:], bits, x)
				return Pixel{A: 0xffff, R: g, G: g, B: g}
			}
			checkAddressing(t, r, img, want)
		})
	}
}

// yuvModel gives the samples drm_fourcc.h places at (x, y): Y in plane 0;
// chroma of the block containing the pixel, interleaved Cb:Cr (Cr first for
// NV21, NV61, NV42) in plane 1, or Cb in plane 1 and Cr in plane 2 (swapped
// for YVU). P010 is 16-bit little-endian words, Cb before Cr.
func yuvModel(img *Image, f fourcc.Format, x, y int) (yy, cb, cr uint16) {
	d := yuvFormats[f]
	p0, p1, p2 := img.Planes[0], img.Planes[1], img.Planes[2]
	cx, cy := x/d.hsub, y/d.vsub
	if d.ten {
		yy = binary.LittleEndian.Uint16(p0.Data[y*p0.Stride+2*x:])
		cb = binary.LittleEndian.Uint16(p1.Data[cy*p1.Stride+4*cx:])
		cr = binary.LittleEndian.Uint16(p1.Data[cy*p1.Stride+4*cx+2:])
		return yy, cb, cr
	}
	yy = uint16(p0.Data[y*p0.Stride+x])
	if d.planes == 2 {
		cb, cr = uint16(p1.Data[cy*p1.Stride+2*cx]), uint16(p1.Data[cy*p1.Stride+2*cx+1])
	} else {
		cb, cr = uint16(p1.Data[cy*p1.Stride+cx]), uint16(p2.Data[cy*p2.Stride+cx])
	}
	if d.swap {
		cb, cr = cr, cb
	}
	return yy, cb, cr
}

// onePixel is a 1x1 image of f holding the given samples.
func onePixel(f fourcc.Format, yy, cb, cr uint16) *Image {
	d := yuvFormats[f]
	img := &Image{Width: 1, Height: 1}
	if d.ten {
		img.Planes[0] = Plane{Data: binary.LittleEndian.AppendUint16(nil, yy), Stride: 2}
		c := binary.LittleEndian.AppendUint16(binary.LittleEndian.AppendUint16(nil, cb), cr)
		img.Planes[1] = Plane{Data: c, Stride: 4}
		return img
	}
	if d.swap {
		cb, cr = cr, cb
	}
	img.Planes[0] = Plane{Data: []byte{byte(yy)}, Stride: 1}
	if d.planes == 2 {
		img.Planes[1] = Plane{Data: []byte{byte(cb), byte(cr)}, Stride: 2}
	} else {
		img.Planes[1] = Plane{Data: []byte{byte(cb)}, Stride: 1}
		img.Planes[2] = Plane{Data: []byte{byte(cr)}, Stride: 1}
	}
	return img
}

func TestYUVAddressing(t *testing.T) {
	rnd := rand.New(rand.NewSource(2))
	for f, d := range yuvFormats {
		t.Run(f.String(), func(t *testing.T) {
			r, err := NewReader(f, profile.BT709, profile.RangeFull)
			require.NoError(t, err)
			img := &Image{Width: addrW, Height: addrH}
			cw, ch := (addrW+d.hsub-1)/d.hsub, (addrH+d.vsub-1)/d.vsub
			sample := 1
			if d.ten {
				sample = 2
			}
			rows := []int{addrH, ch, ch}
			widths := []int{addrW * sample, cw * sample, cw}
			if d.planes == 2 {
				widths[1] = 2 * cw * sample
			}
			for i := 0; i < d.planes; i++ {
				stride := widths[i] + addrPad
				img.Planes[i] = Plane{Data: make([]byte, stride*rows[i]), Stride: stride}
				rnd.Read(img.Planes[i].Data)
			}
			want := func(x, y int) Pixel {
				yy, cb, cr := yuvModel(img, f, x, y)
				return r.At(onePixel(f, yy, cb, cr), 0, 0)
			}
			checkAddressing(t, r, img, want)
			for y := 0; y < addrH; y++ {
				for x := 0; x < addrW; x++ {
					yy, cb, cr := yuvModel(img, f, x, y)
					if d.ten {
						yy, cb, cr = yy>>8, cb>>8, cr>>8
					}
					gy, gcb, gcr := r.YCbCrAt(img, x, y)
					require.Equal(t, [3]uint16{yy, cb, cr}, [3]uint16{uint16(gy), uint16(gcb), uint16(gcr)}, "YCbCrAt(%d, %d)", x, y)
				}
			}
		})
	}
}

// checkAddressing compares every pixel of img through At, whole and partial
// rows through ReadSpan, and whole and partial columns through ReadColumn.
func checkAddressing(t *testing.T, r *Reader, img *Image, want func(x, y int) Pixel) {
	t.Helper()
	for y := 0; y < img.Height; y++ {
		for x := 0; x < img.Width; x++ {
			require.Equal(t, want(x, y), r.At(img, x, y), "At(%d, %d)", x, y)
		}
	}
	for y := 0; y < img.Height; y++ {
		for x0 := 0; x0 < 3; x0++ {
			row := make([]Pixel, img.Width-x0)
			r.ReadSpan(img, x0, y, row)
			for i, got := range row {
				require.Equal(t, want(x0+i, y), got, fmt.Sprintf("ReadSpan from (%d, %d), pixel %d", x0, y, i))
			}
		}
	}
	for x := 0; x < img.Width; x++ {
		for y0 := 0; y0 < 3; y0++ {
			col := make([]Pixel, img.Height-y0)
			r.ReadColumn(img, x, y0, col)
			for i, got := range col {
				require.Equal(t, want(x, y0+i), got, fmt.Sprintf("ReadColumn from (%d, %d), pixel %d", x, y0, i))
			}
		}
	}
}
