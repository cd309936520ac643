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

// blendSpan blends src over dst with plane alpha pa and blend mode mode.
// dst alpha is never written: the output is opaque by definition. wrap
// picks VKMS's arithmetic for invalid pre-multiplied data (see vkmsOver).
func blendSpan(dst, src []Pixel, pa uint32, mode profile.BlendMode, wrap bool) {
	dst = dst[:len(src)]
	d, s := pixfmt.Words(dst), pixfmt.Words(src)
	switch mode {
	case profile.BlendNone:
		blendNone(d, s, pa)
	case profile.BlendCoverage:
		blendCoverage(d, s, pa)
	default:
		blendPremulti(d, s, pa, wrap)
	}
}

// The blend loops work on whole pixels as 64-bit words: A in bits 0-15,
// R 16-31, G 32-47, B 48-63 (a Pixel's memory on little-endian machines).
// A word splits into two 32-bit-lane words, even = A|G and odd = R|B, so
// one multiply serves two channels: a lane holds a product of two 16-bit
// values plus the rounding term, which stays below 2^32 and never carries
// into the next lane. The A lane is computed along and then overwritten:
// the output is opaque.
const (
	lanes     = 0x0000ffff_0000ffff
	laneRound = 0x00007fff_00007fff
	laneOne   = 0x00000001_00000001
	opaque    = 0xffff
)

// divLanes is r() on both lanes of q, which already holds x + 0x7fff:
// floor(q/0xffff) = (q + (q>>16) + 1) >> 16 exactly for q < 2^32-1
// (checked for every such q), and here q <= 0xfffe8000.
func divLanes(q uint64) uint64 {
	return (q + (q>>16)&lanes + laneOne) >> 16 & lanes
}

// mulLanes is r(v·k) on both lanes.
func mulLanes(v, k uint64) uint64 { return divLanes(v*k + laneRound) }

func even(w uint64) uint64 { return w & lanes }
func odd(w uint64) uint64  { return w >> 16 & lanes }

// satLanes clamps each lane to 0xffff: only invalid pre-multiplied data
// (colour above alpha) gets there.
func satLanes(x uint64) uint64 {
	ov := x >> 16 & laneOne
	return (x | (ov<<16 - ov)) & lanes
}

// vkmsOver is one channel of VKMS's pre_mul_blend_channel on the source
// s (already scaled by the plane alpha) over bg with ia = 0xffff − a:
// u32 new_color = s·0xffff + bg·ia, then DIV_ROUND_CLOSEST(new_color,
// 0xffff) returned as a u16. Both the sum and the rounding term wrap at
// 2^32 as the kernel's u32 (and -fwrapv int) arithmetic does, and the
// quotient is truncated to 16 bits. For valid data nothing wraps and this
// is s + r(bg·ia); only a colour above its alpha can overflow, so the
// lane paths compute the valid sum and come here only when a lane
// exceeds 0xffff.
func vkmsOver(s, bg, ia uint32) uint32 {
	x := s*0xffff + bg*ia
	return (x + 0x7fff) / 0xffff & 0xffff
}

// premultiOver finishes a pre-multiplied pixel from the background word
// d, the source's scaled lanes se and so, and ia: the lane sums when
// they fit, else the invalid data's rule, saturation or VKMS's wrap.
func premultiOver(d, se, so, ia uint64, wrap bool) uint64 {
	ev := mulLanes(even(d), ia) + se
	od := mulLanes(odd(d), ia) + so
	if (ev|od)&(laneOne<<16) == 0 {
		return join(ev, od)
	}
	if !wrap {
		return join(satLanes(ev), satLanes(od))
	}
	// Rare: only invalid data gets here, so plain per-channel code.
	i := uint32(ia)
	g := vkmsOver(uint32(se>>32), uint32(d>>32&0xffff), i)
	r := vkmsOver(uint32(so&0xffff), uint32(d>>16&0xffff), i)
	b := vkmsOver(uint32(so>>32), uint32(d>>48), i)
	return uint64(g)<<32 | uint64(r)<<16 | uint64(b)<<48 | opaque
}

// join builds an opaque pixel word from its even and odd lanes.
func join(ev, od uint64) uint64 { return ev | od<<16 | opaque }

// blendPremulti: a = r(pa·fa), s = r(pa·c), out = s + r(bg·(0xffff−a)),
// with invalid data saturating or, with wrap, as VKMS computes it.
func blendPremulti(dst, src []uint64, pa uint32, wrap bool) {
	dst = dst[:len(src)]
	if pa == 0xffff {
		// a = fa and s = c exactly, so an opaque pixel is a copy and a
		// pixel that is zero throughout leaves the background alone.
		for i, s := range src {
			a := s & 0xffff
			if a == 0xffff {
				dst[i] = s
				continue
			}
			if s == 0 {
				continue
			}
			dst[i] = premultiOver(dst[i], even(s), odd(s), 0xffff-a, wrap)
		}
		return
	}
	p := uint64(pa)
	for i, s := range src {
		if s == 0 {
			continue
		}
		ia := 0xffff - uint64(r(pa*uint32(s&0xffff)))
		dst[i] = premultiOver(dst[i], mulLanes(even(s), p), mulLanes(odd(s), p), ia, wrap)
	}
}

// blendPremulti8888 is blendPremulti reading ARGB8888 bytes (B, G, R, A
// in memory) directly, so the overlay's converted row never goes through
// memory: each byte is expanded by 257 as kms/pixfmt does.
func blendPremulti8888(dst []uint64, src []byte, pa uint32, wrap bool) {
	src = src[:4*len(dst)]
	if pa != 0xffff {
		p := uint64(pa)
		for i := range dst {
			b := src[4*i : 4*i+4 : 4*i+4]
			s := uint64(b[3]) | uint64(b[2])<<16 | uint64(b[1])<<32 | uint64(b[0])<<48
			s |= s << 8
			if s == 0 {
				continue
			}
			ia := 0xffff - uint64(r(pa*uint32(s&0xffff)))
			dst[i] = premultiOver(dst[i], mulLanes(even(s), p), mulLanes(odd(s), p), ia, wrap)
		}
		return
	}
	for i := range dst {
		b := src[4*i : 4*i+4 : 4*i+4]
		a8 := b[3]
		// The source's lanes straight from its bytes, times 257.
		ev := uint64(a8) | uint64(b[1])<<32
		od := uint64(b[2]) | uint64(b[0])<<32
		ev |= ev << 8
		od |= od << 8
		if a8 == 0xff {
			dst[i] = join(ev, od)
			continue
		}
		if ev|od == 0 {
			continue
		}
		dst[i] = premultiOver(dst[i], ev, od, uint64(0xff-a8)*257, wrap)
	}
}

// blendCoverage: a = r(pa·fa), s = r(a·c), out = s + r(bg·(0xffff−a)).
func blendCoverage(dst, src []uint64, pa uint32) {
	dst = dst[:len(src)]
	for i, s := range src {
		a := uint32(s & 0xffff)
		if pa != 0xffff {
			a = r(pa * a)
		}
		switch a {
		case 0: // s = 0 whatever the colour: the background stays
		case 0xffff:
			dst[i] = s | opaque
		default:
			d := dst[i]
			a64, ia := uint64(a), uint64(0xffff-a)
			ev := mulLanes(even(d), ia) + mulLanes(even(s), a64)
			od := mulLanes(odd(d), ia) + mulLanes(odd(s), a64)
			dst[i] = join(ev&lanes, od)
		}
	}
}

// blendNone ignores the pixel alpha: s = r(pa·c), out = s + r(bg·(0xffff−pa)).
func blendNone(dst, src []uint64, pa uint32) {
	dst = dst[:len(src)]
	if pa == 0xffff {
		for i, s := range src {
			dst[i] = s | opaque
		}
		return
	}
	if pa == 0 {
		return
	}
	p, ia := uint64(pa), uint64(0xffff-pa)
	for i, s := range src {
		d := dst[i]
		ev := mulLanes(even(d), ia) + mulLanes(even(s), p)
		od := mulLanes(odd(d), ia) + mulLanes(odd(s), p)
		dst[i] = join(ev&lanes, od)
	}
}

// blendOne is the per-pixel form of the three equations, for the keyed
// slow paths. A keyed pixel is blended as pre-multiplied whatever the
// plane's mode (see the package doc).
func blendOne(d *Pixel, s Pixel, pa uint32, mode profile.BlendMode, wrap bool) {
	one := [1]Pixel{s}
	blendSpan(unsafe.Slice(d, 1), one[:], pa, mode, wrap)
}
