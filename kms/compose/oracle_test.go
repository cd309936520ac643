package compose

// The oracle is a deliberately plain per-pixel composer written from the
// package doc, not from the composer's code: it shares no helper with it
// (no mapping, keySpec, blendOne, gamma table or band CRC), so an agreement
// between the two checks the fast paths against the written rules.

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/kms/pixfmt"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/headwaywl/headway/modifiers/sample"
)

// oDiv is DIV_ROUND_CLOSEST(x, 0xffff) for unsigned x.
func oDiv(x uint64) uint64 { return (x + 0xffff/2) / 0xffff }

// oFloorDiv is floor(n/d) for d > 0 and any sign of n.
func oFloorDiv(n, d int64) int64 {
	q := n / d
	if n%d != 0 && n < 0 {
		q--
	}
	return q
}

// oRect is a drm_rect in 16.16 units, wide enough for any intermediate.
type oRect struct{ x1, y1, x2, y2 int64 }

// oRotate is drm_rect_rotate: reflection first, then the rotation, in a
// coordinate space w wide and h high (the unrotated one).
func oRotate(r oRect, w, h int64, rot profile.Rotation) oRect {
	if rot&profile.ReflectX != 0 {
		r.x1, r.x2 = w-r.x2, w-r.x1
	}
	if rot&profile.ReflectY != 0 {
		r.y1, r.y2 = h-r.y2, h-r.y1
	}
	t := r
	switch rot & profile.RotateMask {
	case profile.Rotate90:
		r = oRect{x1: t.y1, x2: t.y2, y1: w - t.x2, y2: w - t.x1}
	case profile.Rotate180:
		r = oRect{x1: w - t.x2, x2: w - t.x1, y1: h - t.y2, y2: h - t.y1}
	case profile.Rotate270:
		r = oRect{x1: h - t.y2, x2: h - t.y1, y1: t.x1, y2: t.x2}
	}
	return r
}

// oRat is the exact rational n/d (d > 0), in 16.16 units.
type oRat struct{ n, d int64 }

func (q oRat) from(c int64) oRat { return oRat{c*q.d - q.n, q.d} } // c - q

// oRotateInvPoint is drm_rect_rotate_inv applied to the degenerate
// rectangle x1 = x2 = p.x, y1 = y2 = p.y: the inverse rotation, then the
// reflection.
func oRotateInvPoint(x, y oRat, w, h int64, rot profile.Rotation) (oRat, oRat) {
	switch rot & profile.RotateMask {
	case profile.Rotate90:
		x, y = y.from(w), x
	case profile.Rotate180:
		x, y = x.from(w), y.from(h)
	case profile.Rotate270:
		x, y = y, x.from(h)
	}
	if rot&profile.ReflectX != 0 {
		x = x.from(w)
	}
	if rot&profile.ReflectY != 0 {
		y = y.from(h)
	}
	return x, y
}

// oSource is the framebuffer pixel that destination pixel (u, v) of plane
// p (relative to Dst) shows: its centre, scaled into the rotated source,
// taken back by the inverse rotation, and the pixel containing it.
func oSource(p *device.FramePlane, u, v int) (int, int, error) {
	fbW, fbH := int64(p.FB.Width()), int64(p.FB.Height())
	W, H := fbW<<16, fbH<<16
	rs := oRotate(oRect{int64(p.Src.X1), int64(p.Src.Y1), int64(p.Src.X2), int64(p.Src.Y2)}, W, H, p.Rotation)
	dw, dh := int64(p.Dst.Width()), int64(p.Dst.Height())
	px := oRat{rs.x1*2*dw + (2*int64(u)+1)*(rs.x2-rs.x1), 2 * dw}
	py := oRat{rs.y1*2*dh + (2*int64(v)+1)*(rs.y2-rs.y1), 2 * dh}
	fx, fy := oRotateInvPoint(px, py, W, H, p.Rotation)
	x, y := oFloorDiv(fx.n, fx.d<<16), oFloorDiv(fy.n, fy.d<<16)
	if x < 0 || y < 0 || x >= fbW || y >= fbH {
		return 0, 0, fmt.Errorf("dst (%d,%d) maps to (%d,%d) outside the %dx%d framebuffer", u, v, x, y, fbW, fbH)
	}
	return int(x), int(y), nil
}

// oPlane is a plane ready to be sampled.
type oPlane struct {
	fp  *device.FramePlane
	rd  *pixfmt.Reader
	img *pixfmt.Image
}

// oImage builds a linear image of a framebuffer's memory; tiled planes are
// detiled whole through modifiers/sample.
func oImage(fb *device.Framebuffer) (*pixfmt.Image, error) {
	info := fb.FormatInfo()
	planes := fb.Planes()
	img := &pixfmt.Image{Width: int(fb.Width()), Height: int(fb.Height())}
	if fb.Modifier() == modifier.Linear {
		for i := 0; i < int(info.NumPlanes); i++ {
			img.Planes[i] = pixfmt.Plane{Data: planes[i].Buffer.Bytes()[planes[i].Offset:], Stride: int(planes[i].Pitch)}
		}
		return img, nil
	}
	var sp []sample.Plane
	for i := 0; i < 4 && planes[i].Buffer != nil; i++ {
		sp = append(sp, sample.Plane{Data: planes[i].Buffer.Bytes(), Offset: planes[i].Offset, Stride: planes[i].Pitch})
	}
	sb, err := sample.Open(info, fb.Modifier(), fb.Width(), fb.Height(), sp)
	if err != nil {
		return nil, err
	}
	for p := 0; p < sb.Planes(); p++ {
		buf := make([]byte, sb.Rows(p)*sb.RowBytes(p))
		if err := sb.ReadPlane(p, buf, sb.RowBytes(p)); err != nil {
			return nil, err
		}
		img.Planes[p] = pixfmt.Plane{Data: buf, Stride: sb.RowBytes(p)}
	}
	return img, nil
}

func oPrepare(t testing.TB, fp *device.FramePlane) *oPlane {
	t.Helper()
	rd, err := pixfmt.NewReader(fp.FB.Format(), fp.ColorEncoding, fp.ColorRange)
	require.NoError(t, err)
	img, err := oImage(fp.FB)
	require.NoError(t, err)
	return &oPlane{fp: fp, rd: rd, img: img}
}

// sample returns the converted pixel shown at (u, v) of Dst and where it
// comes from.
func (op *oPlane) sample(t testing.TB, u, v int) (Pixel, int, int) {
	x, y, err := oSource(op.fp, u, v)
	if err != nil {
		t.Fatalf("oracle: plane %d: %v", op.fp.ID, err)
	}
	return op.rd.At(op.img, x, y), x, y
}

// oTop8 is 0x00RRGGBB from the top 8 bits of each 16-bit channel.
func oTop8(p Pixel) uint32 {
	return uint32(p.R>>8)<<16 | uint32(p.G>>8)<<8 | uint32(p.B>>8)
}

// oKey decides source keying for a converted pixel px read at (x, y):
// whether it matched, and the alpha k it then takes.
func (op *oPlane) oKey(px Pixel, x, y int) (bool, uint64) {
	fp := op.fp
	switch fp.ColorkeyKind {
	case profile.ColorkeyRcar, profile.ColorkeyRcarGen3:
		if fp.Colorkey&(1<<24) == 0 {
			return false, 0
		}
		var k uint64
		if fp.ColorkeyKind == profile.ColorkeyRcarGen3 {
			k = uint64(fp.ColorkeyAlpha) * 257
		}
		if op.rd.YUV() {
			if fp.ColorkeyKind != profile.ColorkeyRcarGen3 {
				return false, 0
			}
			yy, _, _ := op.rd.YCbCrAt(op.img, x, y)
			return yy == uint8(fp.Colorkey>>8), k
		}
		rb, gb, bb, _ := op.rd.Bits()
		key := [3]uint32{fp.Colorkey >> 16 & 0xff, fp.Colorkey >> 8 & 0xff, fp.Colorkey & 0xff}
		ch := [3]uint16{px.R, px.G, px.B}
		for i, bits := range [3]int{rb, gb, bb} {
			if bits > 8 {
				if uint32(ch[i]>>8) != key[i] {
					return false, 0
				}
			} else if pixfmt.Compress(ch[i], bits) != key[i]>>(8-bits) {
				return false, 0
			}
		}
		return true, k
	case profile.ColorkeyI915:
		ck := fp.I915Colorkey
		if ck.Flags&device.I915ColorkeySource == 0 {
			return false, 0
		}
		if !op.rd.YUV() {
			return oTop8(px)&ck.Mask&0xffffff == ck.Min&ck.Mask&0xffffff, 0
		}
		yy, cb, cr := op.rd.YCbCrAt(op.img, x, y)
		s := [3]uint32{uint32(cb), uint32(yy), uint32(cr)} // bits 7:0, 15:8, 23:16
		for i := range s {
			sh := 8 * uint(i)
			v := s[i] & (ck.Mask >> sh & 0xff)
			if v < ck.Min>>sh&0xff || v > ck.Max>>sh&0xff {
				return false, 0
			}
		}
		return true, 0
	}
	return false, 0
}

// oDestShows reports whether an i915 destination-keyed plane shows over bg.
func (op *oPlane) oDestShows(bg Pixel) bool {
	ck := op.fp.I915Colorkey
	if op.fp.ColorkeyKind != profile.ColorkeyI915 || ck.Flags&device.I915ColorkeySource != 0 || ck.Flags&device.I915ColorkeyDestination == 0 {
		return true
	}
	return oTop8(bg)&ck.Mask&0xffffff == ck.Min&ck.Mask&0xffffff
}

// oBlend is the doc's three equations, literally. vkms takes VKMS's
// pre_mul_blend_channel for the pre-multiplied sum: u32 new_color =
// s·0xffff + bg·(0xffff−a), DIV_ROUND_CLOSEST in u32, kept as a u16.
func oBlend(bg, px Pixel, pa uint64, mode profile.BlendMode, vkms bool) Pixel {
	fa := uint64(px.A)
	src := [3]uint64{uint64(px.R), uint64(px.G), uint64(px.B)}
	dst := [3]uint64{uint64(bg.R), uint64(bg.G), uint64(bg.B)}
	var out [3]uint64
	for i := range src {
		c, b := src[i], dst[i]
		switch mode {
		case profile.BlendCoverage:
			a := oDiv(pa * fa)
			out[i] = oDiv(a*c) + oDiv(b*(0xffff-a))
		case profile.BlendNone:
			out[i] = oDiv(pa*c) + oDiv(b*(0xffff-pa))
		default:
			a := oDiv(pa * fa)
			s := oDiv(pa * c)
			if vkms {
				nc := uint32(s)*0xffff + uint32(b)*uint32(0xffff-a)
				out[i] = uint64(uint16((nc + 0xffff/2) / 0xffff))
				break
			}
			out[i] = min(s+oDiv(b*(0xffff-a)), 0xffff)
		}
	}
	return Pixel{A: 0xffff, R: uint16(out[0]), G: uint16(out[1]), B: uint16(out[2])}
}

// oMsbset, oFixMul and oFixDiv are drm_fixed.h's drm_fixp_msbset,
// drm_fixp_mul and drm_fixp_div as the header writes them (the bit scan
// included), on signed 32.32 values.
func oMsbset(a int64) uint {
	sign := a >> 63 & 1
	for shift := uint(62); shift > 0; shift-- {
		if a>>shift&1 != sign {
			return shift
		}
	}
	return 0
}

func oFixMul(a, b int64) int64 {
	shift := oMsbset(a) + oMsbset(b)
	if shift > 61 {
		shift -= 61
		a >>= (shift >> 1) + (shift & 1)
		b >>= shift >> 1
	} else {
		shift = 0
	}
	p := a * b
	switch {
	case shift > 32:
		return p << (shift - 32)
	case shift < 32:
		return p >> (32 - shift)
	}
	return p
}

func oFixDiv(a, b int64) int64 {
	shift := 62 - oMsbset(a)
	a <<= shift
	if shift < 32 {
		b >>= 32 - shift
	}
	q := a / b
	if shift > 32 {
		return q >> (shift - 32)
	}
	return q
}

// oGamma is VKMS's apply_lut_to_channel_value for one channel value,
// read straight from the LUT bytes: index = v·ratio in 32.32 with ratio
// = (n−1)/0xffff, the floor entry and the next (the same for the last
// entry), and lerp_u16 rounding a + (b−a)·frac half up.
func oGamma(lut []byte, ch int, v uint16) uint16 {
	n := int64(len(lut) / 8)
	entry := func(i int64) int64 { return int64(binary.LittleEndian.Uint16(lut[i*8+int64(2*ch):])) }
	ratio := oFixDiv((n-1)<<32, 0xffff<<32)
	idx := oFixMul(int64(v)<<32, ratio)
	lo := idx >> 32
	hi := lo
	if lo != n-1 {
		hi = (idx + 1<<32 - 1) >> 32
	}
	a, b := entry(lo)<<32, entry(hi)<<32
	return uint16((a + oFixMul(b-a, idx&(1<<32-1)) + 1<<31) >> 32)
}

// oCRC serialises pixels in the CRC's byte order and hashes them in one go
// with crc32_le (seed 0, no final inversion).
func oCRC(pix []Pixel) uint32 {
	b := make([]byte, 0, len(pix)*8)
	for _, p := range pix {
		b = binary.LittleEndian.AppendUint16(b, p.A)
		b = binary.LittleEndian.AppendUint16(b, p.R)
		b = binary.LittleEndian.AppendUint16(b, p.G)
		b = binary.LittleEndian.AppendUint16(b, p.B)
	}
	return ^crc32.Update(0xffffffff, crc32.IEEETable, b)
}

// oracle composes f pixel by pixel, applies its gamma LUT and returns the
// frame and its CRC. A frame of the vkms profile blends invalid
// pre-multiplied data as VKMS does, any other saturates.
func oracle(t testing.TB, f *device.Frame) (*Image, uint32) {
	t.Helper()
	vkms := f.Profile == "vkms"
	w, h := f.Width, f.Height
	out := make([]Pixel, w*h)
	for i := range out {
		out[i] = Pixel{A: 0xffff}
	}
	for i := range f.Planes {
		op := oPrepare(t, &f.Planes[i])
		d := op.fp.Dst
		for y := int(d.Y1); y < int(d.Y2); y++ {
			for x := int(d.X1); x < int(d.X2); x++ {
				bg := &out[y*w+x]
				px, sx, sy := op.sample(t, x-int(d.X1), y-int(d.Y1))
				if !op.oDestShows(*bg) {
					continue
				}
				mode := op.fp.Blend
				if hit, k := op.oKey(px, sx, sy); hit {
					px = Pixel{A: uint16(k), R: uint16(oDiv(k * uint64(px.R))), G: uint16(oDiv(k * uint64(px.G))), B: uint16(oDiv(k * uint64(px.B)))}
					mode = profile.BlendPremulti
				}
				*bg = oBlend(*bg, px, uint64(op.fp.Alpha), mode, vkms)
			}
		}
	}
	if lut := f.GammaLUT; len(lut)/8 >= 1 {
		for i := range out {
			p := &out[i]
			p.R, p.G, p.B = oGamma(lut, 0, p.R), oGamma(lut, 1, p.G), oGamma(lut, 2, p.B)
		}
	}
	return &Image{Width: w, Height: h, Pix: out}, oCRC(out)
}

// oraclePlane is a plane CRC source: the plane's converted pixels over its
// Dst, before keying and blending. A plane not in f gives an empty image
// and CRC 0.
func oraclePlane(t testing.TB, f *device.Frame, id uint32) (*Image, uint32) {
	t.Helper()
	for i := range f.Planes {
		if f.Planes[i].ID != id {
			continue
		}
		op := oPrepare(t, &f.Planes[i])
		d := op.fp.Dst
		img := &Image{Width: int(d.Width()), Height: int(d.Height())}
		img.Pix = make([]Pixel, img.Width*img.Height)
		for v := 0; v < img.Height; v++ {
			for u := 0; u < img.Width; u++ {
				img.Pix[v*img.Width+u], _, _ = op.sample(t, u, v)
			}
		}
		if len(img.Pix) == 0 {
			return img, 0
		}
		return img, oCRC(img.Pix)
	}
	return &Image{}, 0
}

// describe is a frame's plane stack, for failure messages.
func describe(f *device.Frame) string {
	var b strings.Builder
	fmt.Fprintf(&b, "frame %dx%d lut=%d entries", f.Width, f.Height, len(f.GammaLUT)/8)
	for _, p := range f.Planes {
		fb := p.FB
		fmt.Fprintf(&b, "\n  plane %d: fb %dx%d %v mod %#x enc %d range %d src [%d,%d]-[%d,%d] (16.16) dst [%d,%d]-[%d,%d] rot %#x alpha %#04x blend %d key %v %#x alpha %d i915 %+v",
			p.ID, fb.Width(), fb.Height(), fb.FormatInfo().Name, uint64(fb.Modifier()), p.ColorEncoding, p.ColorRange,
			p.Src.X1, p.Src.Y1, p.Src.X2, p.Src.Y2, p.Dst.X1, p.Dst.Y1, p.Dst.X2, p.Dst.Y2,
			uint32(p.Rotation), p.Alpha, p.Blend, p.ColorkeyKind, p.Colorkey, p.ColorkeyAlpha, p.I915Colorkey)
	}
	return b.String()
}

// firstDiff describes the first pixel where two images differ, or "".
func firstDiff(want, got *Image) string {
	if want.Width != got.Width || want.Height != got.Height {
		return fmt.Sprintf("size: oracle %dx%d, composer %dx%d", want.Width, want.Height, got.Width, got.Height)
	}
	for i := range want.Pix {
		if want.Pix[i] != got.Pix[i] {
			return fmt.Sprintf("first difference at (%d,%d): oracle %+v, composer %+v", i%want.Width, i/want.Width, want.Pix[i], got.Pix[i])
		}
	}
	return ""
}
