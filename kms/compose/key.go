package compose

import (
	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/kms/pixfmt"
	"github.com/headwaywl/headway/kms/profile"
)

type keyMode uint8

const (
	keyNone     keyMode = iota
	keyRGB              // R-Car: exact RGB888 match, after truncation to the format
	keyY                // R-Car Gen3 extension: Y sample against the key's G bits
	keyI915RGB          // i915 source key on RGB: (pixel & mask) == (min & mask)
	keyI915YUV          // i915 source key on YUV: min <= (sample & mask) <= max per channel
	keyI915Dest         // i915 destination key: the plane shows where the result below matches
)

// keySpec is a plane's colorkey, resolved for its format once per frame.
type keySpec struct {
	mode keyMode
	k    uint32 // the alpha a keyed pixel takes, 16-bit
	// keyRGB: per channel, the 16-bit value an exact match has, or for
	// channels deeper than 8 bits, the top 8 bits it must have.
	want [3]uint16
	top8 [3]bool
	y    uint8 // keyY
	// i915 fields, 0x00RRGGBB (RGB) or 0x00VVYYUU (YUV: Cr, Y, Cb).
	min, max, mask uint32
}

// resolveKey turns a plane's colorkey state into a keySpec for reader rd.
func resolveKey(p *device.FramePlane, rd *pixfmt.Reader) keySpec {
	switch p.ColorkeyKind {
	case profile.ColorkeyRcar, profile.ColorkeyRcarGen3:
		if p.Colorkey&(1<<24) == 0 {
			return keySpec{}
		}
		ks := keySpec{}
		if p.ColorkeyKind == profile.ColorkeyRcarGen3 {
			ks.k = uint32(p.ColorkeyAlpha) * 257
		}
		if rd.YUV() {
			// Upstream rcar-du disables keying on YUV; the Gen3 patch
			// compares Y with the key's green byte.
			if p.ColorkeyKind != profile.ColorkeyRcarGen3 {
				return keySpec{}
			}
			ks.mode, ks.y = keyY, uint8(p.Colorkey>>8)
			return ks
		}
		ks.mode = keyRGB
		rb, gb, bb, _ := rd.Bits()
		for i, bits := range [3]int{rb, gb, bb} {
			k8 := uint32(p.Colorkey >> (16 - 8*i) & 0xff)
			if bits > 8 {
				ks.top8[i], ks.want[i] = true, uint16(k8)
			} else {
				ks.want[i] = pixfmt.Expand(k8>>(8-bits), bits)
			}
		}
		return ks
	case profile.ColorkeyI915:
		ck := p.I915Colorkey
		ks := keySpec{min: ck.Min & 0xffffff, max: ck.Max & 0xffffff, mask: ck.Mask & 0xffffff}
		switch {
		case ck.Flags&device.I915ColorkeySource != 0 && rd.YUV():
			ks.mode = keyI915YUV
		case ck.Flags&device.I915ColorkeySource != 0:
			ks.mode = keyI915RGB
		case ck.Flags&device.I915ColorkeyDestination != 0:
			ks.mode = keyI915Dest
		}
		return ks
	}
	return keySpec{}
}

// rgb888 packs the top 8 bits of each channel as 0x00RRGGBB.
func rgb888(p Pixel) uint32 {
	return uint32(p.R>>8)<<16 | uint32(p.G>>8)<<8 | uint32(p.B>>8)
}

// matchRGB reports whether a converted pixel matches an RGB key.
func (ks *keySpec) matchRGB(p Pixel) bool {
	switch ks.mode {
	case keyRGB:
		c := [3]uint16{p.R, p.G, p.B}
		for i := range c {
			v := c[i]
			if ks.top8[i] {
				v >>= 8
			}
			if v != ks.want[i] {
				return false
			}
		}
		return true
	case keyI915RGB, keyI915Dest:
		return rgb888(p)&ks.mask == ks.min&ks.mask
	}
	return false
}

// matchYUV reports whether raw samples match a YUV key.
func (ks *keySpec) matchYUV(y, cb, cr uint8) bool {
	switch ks.mode {
	case keyY:
		return y == ks.y
	case keyI915YUV:
		for i, v := range [3]uint8{cb, y, cr} {
			sh := 8 * uint(i)
			m := ks.mask >> sh & 0xff
			s := uint32(v) & m
			if s < ks.min>>sh&0xff || s > ks.max>>sh&0xff {
				return false
			}
		}
		return true
	}
	return false
}

// apply keys a matched pixel: it takes alpha k and its colour is
// pre-multiplied by k, so k = 0 is fully transparent.
func (ks *keySpec) apply(p *Pixel) {
	k := ks.k
	p.A = uint16(k)
	p.R = uint16(r(k * uint32(p.R)))
	p.G = uint16(r(k * uint32(p.G)))
	p.B = uint16(r(k * uint32(p.B)))
}
