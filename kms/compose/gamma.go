package compose

import (
	"encoding/binary"
	"math/bits"
	"unsafe"
)

// gammaTables holds a GAMMA_LUT expanded to one 65536-entry table per
// channel, so applying it is three loads per pixel.
type gammaTables struct {
	src    *byte // the blob's data, which the device never changes
	srcLen int
	t      [3][]uint16
}

// lutEntries is the size of struct drm_color_lut.
const lutEntries = 8

// load expands lut (struct drm_color_lut entries: red, green, blue,
// reserved, each a little-endian u16) unless it is the one already
// loaded. Every one of the 65536 values of each channel goes through
// vkmsLUT, VKMS's apply_lut_to_channel_value, so the table is VKMS's
// function, not an approximation of it. A blob without a whole entry is
// ignored, as VKMS ignores a LUT of length 0; a single entry maps
// everything to that entry, as VKMS's does.
func (g *gammaTables) load(lut []byte) bool {
	n := len(lut) / lutEntries
	if n < 1 {
		return false
	}
	if g.src == unsafe.SliceData(lut) && g.srcLen == len(lut) {
		return true
	}
	for ch := range g.t {
		g.t[ch] = grow(g.t[ch], 1<<16)
	}
	tr, tg, tb := g.t[0][:1<<16], g.t[1][:1<<16], g.t[2][:1<<16]
	ratio := lutRatio(n)
	for v := range 1 << 16 {
		// The index and the two entries it falls between are shared by
		// the channels; only the entries' values differ.
		lo, hi, t := lutSpan(ratio, n, uint16(v))
		e0, e1 := lut[lo*lutEntries:lo*lutEntries+6], lut[hi*lutEntries:hi*lutEntries+6]
		tr[v] = lerpU16(binary.LittleEndian.Uint16(e0[0:]), binary.LittleEndian.Uint16(e1[0:]), t)
		tg[v] = lerpU16(binary.LittleEndian.Uint16(e0[2:]), binary.LittleEndian.Uint16(e1[2:]), t)
		tb[v] = lerpU16(binary.LittleEndian.Uint16(e0[4:]), binary.LittleEndian.Uint16(e1[4:]), t)
	}
	g.src, g.srcLen = unsafe.SliceData(lut), len(lut)
	return true
}

func (g *gammaTables) apply(row []Pixel) {
	tr, tg, tb := g.t[0][:1<<16], g.t[1][:1<<16], g.t[2][:1<<16]
	for i := range row {
		p := &row[i]
		p.R, p.G, p.B = tr[p.R], tg[p.G], tb[p.B]
	}
}

// lutRatio is VKMS's channel_value2index_ratio for a LUT of n entries,
// set up by vkms_composer_worker: drm_fixp_div(drm_int2fixp(n − 1),
// drm_int2fixp(0xffff)). For 256 entries it is 0xff00ff, a truncation of
// 255/65535 = 1/257.
func lutRatio(n int) int64 {
	return fixpDiv(int2fixp(int64(n-1)), int2fixp(0xffff))
}

// lutIndex is VKMS's get_lut_index: the channel value times the ratio,
// with drm_fixp_mul's pre-shifts, which drop low bits of both factors.
func lutIndex(ratio int64, v uint16) int64 {
	return fixpMul(int2fixp(int64(v)), ratio)
}

// lutSpan is the rest of apply_lut_to_channel_value before the lerp: the
// floor entry lo = drm_fixp2int(index), the ceiling entry
// drm_fixp2int_ceil(index) (lo itself for the last entry, which has no
// next one), and the fraction t = index & DRM_FIXED_DECIMAL_MASK.
func lutSpan(ratio int64, n int, v uint16) (lo, hi int, t int64) {
	idx := lutIndex(ratio, v)
	lo = int(fixp2int(idx))
	hi = lo
	if lo != n-1 {
		hi = int(fixp2intCeil(idx))
	}
	return lo, hi, idx & fixpDecimalMask
}

// lerpU16 is VKMS's lerp_u16: a + (b − a)·t in 32.32, t in [0, 1],
// rounded half up by drm_fixp2int_round and cut to 16 bits.
func lerpU16(a, b uint16, t int64) uint16 {
	af := int2fixp(int64(a))
	delta := fixpMul(int2fixp(int64(b))-af, t)
	return uint16(fixp2intRound(af + delta))
}

// The drm_fixed.h 32.32 signed fixed point VKMS's LUT code uses,
// transcribed operation for operation: shifts of signed values are
// arithmetic, as the kernel's are, and division truncates toward zero
// (div64_s64).
const (
	fixpPoint       = 32
	fixpOne         = int64(1) << fixpPoint
	fixpDecimalMask = fixpOne - 1
	fixpAlmostOne   = fixpOne - 1 // DRM_FIXED_ONE − DRM_FIXED_EPSILON
)

func int2fixp(a int64) int64 { return a << fixpPoint }

// fixp2int is drm_fixp2int: a floor, the shift being arithmetic.
func fixp2int(a int64) int64 { return a >> fixpPoint }

// fixp2intRound is drm_fixp2int_round: adds one half, then floors.
func fixp2intRound(a int64) int64 { return fixp2int(a + fixpOne/2) }

func fixp2intCeil(a int64) int64 {
	if a >= 0 {
		return fixp2int(a + fixpAlmostOne)
	}
	return fixp2int(a - fixpAlmostOne)
}

// fixpMsbset is drm_fixp_msbset: the highest bit below the sign bit that
// differs from it, or 0. (The kernel scans bits 62 down to 1; the
// highest set bit of a XOR its sign extension is the same bit.)
func fixpMsbset(a int64) uint {
	return uint(max(bits.Len64(uint64(a^a>>63))-1, 0))
}

// fixpMul is drm_fixp_mul: when the factors' magnitudes could overflow
// the 64-bit product, both are shifted right first (a by one more bit
// for an odd excess), then the product is shifted back to 32.32.
func fixpMul(a, b int64) int64 {
	shift := fixpMsbset(a) + fixpMsbset(b)
	if shift > 61 {
		shift -= 61
		a >>= (shift >> 1) + (shift & 1)
		b >>= shift >> 1
	} else {
		shift = 0
	}
	result := a * b
	if shift > fixpPoint {
		return result << (shift - fixpPoint)
	}
	if shift < fixpPoint {
		return result >> (fixpPoint - shift)
	}
	return result
}

// fixpDiv is drm_fixp_div: the dividend is shifted up to bit 62 and the
// divisor down to match when that is less than 32 bits, then one
// truncating 64-bit division.
func fixpDiv(a, b int64) int64 {
	shift := 62 - fixpMsbset(a)
	a <<= shift
	if shift < fixpPoint {
		b >>= fixpPoint - shift
	}
	result := a / b
	if shift > fixpPoint {
		return result >> (shift - fixpPoint)
	}
	return result
}
