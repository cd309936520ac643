package compose

import (
	"unsafe"

	"github.com/headwaywl/headway/kms/pixfmt"
	"github.com/headwaywl/headway/kms/profile"
)

// Pixel is the 16-bit intermediate pixel, VKMS's pixel_argb_u16.
type Pixel = pixfmt.Pixel

// r is DIV_ROUND_CLOSEST(x, 0xffff): every product of two 16-bit
// quantities is rounded once, with this. x stays below 2^32 for any two
// 16-bit factors plus the rounding term, and the compiler turns the
// constant division into a multiply.
func r(x uint32) uint32 { return (x + 0x7fff) / 0xffff }

// sat clamps a blended channel: pre-multiplied data whose colour exceeds
// its alpha would otherwise wrap.
func sat(x uint32) uint16 {
	if x > 0xffff {
		return 0xffff
	}
	return uint16(x)
}

// blendSpan blends src over dst with plane alpha pa and blend mode mode.
// dst alpha is never written: the output is opaque by definition.
func blendSpan(dst, src []Pixel, pa uint32, mode profile.BlendMode) {
	dst = dst[:len(src)]
	switch mode {
	case profile.BlendNone:
		blendNone(dst, src, pa)
	case profile.BlendCoverage:
		blendCoverage(dst, src, pa)
	default:
		blendPremulti(dst, src, pa)
	}
}

// blendPremulti: a = r(pa·fa), s = r(pa·c), out = s + r(bg·(0xffff−a)).
func blendPremulti(dst, src []Pixel, pa uint32) {
	if pa == 0xffff {
		// a = fa and s = c exactly, so an opaque pixel is a copy and a
		// pixel that is zero throughout leaves the background alone.
		for i := range src {
			s := &src[i]
			switch {
			case s.A == 0xffff:
				d := &dst[i]
				d.R, d.G, d.B = s.R, s.G, s.B
			case s.A == 0 && s.R|s.G|s.B == 0:
			default:
				d := &dst[i]
				ia := 0xffff - uint32(s.A)
				d.R = sat(uint32(s.R) + r(uint32(d.R)*ia))
				d.G = sat(uint32(s.G) + r(uint32(d.G)*ia))
				d.B = sat(uint32(s.B) + r(uint32(d.B)*ia))
			}
		}
		return
	}
	for i := range src {
		s := &src[i]
		if s.A == 0 && s.R|s.G|s.B == 0 {
			continue
		}
		d := &dst[i]
		ia := 0xffff - r(pa*uint32(s.A))
		d.R = sat(r(pa*uint32(s.R)) + r(uint32(d.R)*ia))
		d.G = sat(r(pa*uint32(s.G)) + r(uint32(d.G)*ia))
		d.B = sat(r(pa*uint32(s.B)) + r(uint32(d.B)*ia))
	}
}

// blendCoverage: a = r(pa·fa), s = r(a·c), out = s + r(bg·(0xffff−a)).
func blendCoverage(dst, src []Pixel, pa uint32) {
	for i := range src {
		s := &src[i]
		a := uint32(s.A)
		if pa != 0xffff {
			a = r(pa * a)
		}
		switch a {
		case 0: // s = 0 whatever the colour: the background stays
		case 0xffff:
			d := &dst[i]
			d.R, d.G, d.B = s.R, s.G, s.B
		default:
			d := &dst[i]
			ia := 0xffff - a
			d.R = uint16(r(a*uint32(s.R)) + r(uint32(d.R)*ia))
			d.G = uint16(r(a*uint32(s.G)) + r(uint32(d.G)*ia))
			d.B = uint16(r(a*uint32(s.B)) + r(uint32(d.B)*ia))
		}
	}
}

// blendNone ignores the pixel alpha: s = r(pa·c), out = s + r(bg·(0xffff−pa)).
func blendNone(dst, src []Pixel, pa uint32) {
	if pa == 0xffff {
		for i := range src {
			d, s := &dst[i], &src[i]
			d.R, d.G, d.B = s.R, s.G, s.B
		}
		return
	}
	if pa == 0 {
		return
	}
	ia := 0xffff - pa
	for i := range src {
		d, s := &dst[i], &src[i]
		d.R = uint16(r(pa*uint32(s.R)) + r(uint32(d.R)*ia))
		d.G = uint16(r(pa*uint32(s.G)) + r(uint32(d.G)*ia))
		d.B = uint16(r(pa*uint32(s.B)) + r(uint32(d.B)*ia))
	}
}

// blendOne is the per-pixel form of the three equations, for the keyed
// slow paths. A keyed pixel is blended as pre-multiplied whatever the
// plane's mode (see the package doc).
func blendOne(d *Pixel, s Pixel, pa uint32, mode profile.BlendMode) {
	one := [1]Pixel{s}
	blendSpan(unsafe.Slice(d, 1), one[:], pa, mode)
}
