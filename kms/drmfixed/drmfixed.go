package drmfixed

import "math/bits"

// DRM_FIXED_POINT, DRM_FIXED_ONE, DRM_FIXED_DECIMAL_MASK and DRM_FIXED_ONE
// minus DRM_FIXED_EPSILON.
const (
	Point       = 32
	One         = int64(1) << Point
	DecimalMask = One - 1
	AlmostOne   = One - 1 // DRM_FIXED_ONE − DRM_FIXED_EPSILON
)

// Int2Fixp is drm_int2fixp.
func Int2Fixp(a int64) int64 { return a << Point }

// Fixp2Int is drm_fixp2int: a floor, the shift being arithmetic.
func Fixp2Int(a int64) int64 { return a >> Point }

// Fixp2IntRound is drm_fixp2int_round: adds one half, then floors.
func Fixp2IntRound(a int64) int64 { return Fixp2Int(a + One/2) }

// Fixp2IntCeil is drm_fixp2int_ceil: away from zero by almost one, then
// floored, as the kernel writes it (so negative values round down).
func Fixp2IntCeil(a int64) int64 {
	if a >= 0 {
		return Fixp2Int(a + AlmostOne)
	}
	return Fixp2Int(a - AlmostOne)
}

// Msbset is drm_fixp_msbset: the highest bit below the sign bit that
// differs from it, or 0. (The kernel scans bits 62 down to 1; the
// highest set bit of a XOR its sign extension is the same bit.)
func Msbset(a int64) uint {
	return uint(max(bits.Len64(uint64(a^a>>63))-1, 0))
}

// Mul is drm_fixp_mul: when the factors' magnitudes could overflow
// the 64-bit product, both are shifted right first (a by one more bit
// for an odd excess), then the product is shifted back to 32.32.
func Mul(a, b int64) int64 {
	shift := Msbset(a) + Msbset(b)
	if shift > 61 {
		shift -= 61
		a >>= (shift >> 1) + (shift & 1)
		b >>= shift >> 1
	} else {
		shift = 0
	}
	result := a * b
	if shift > Point {
		return result << (shift - Point)
	}
	if shift < Point {
		return result >> (Point - shift)
	}
	return result
}

// Div is drm_fixp_div: the dividend is shifted up to bit 62 and the
// divisor down to match when that is less than 32 bits, then one
// truncating 64-bit division.
func Div(a, b int64) int64 {
	shift := 62 - Msbset(a)
	a <<= shift
	if shift < Point {
		b >>= Point - shift
	}
	result := a / b
	if shift > Point {
		return result >> (shift - Point)
	}
	return result
}
