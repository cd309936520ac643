package pixfmt

import "sync"

// The half-float tables are built on first use, not at init, because most
// users of the package never touch a 16161616F framebuffer.
var (
	halfOnce sync.Once
	halfRead []uint16 // half bits -> unorm16
	halfEnc  []uint16 // unorm16 -> half bits
)

func halfTables() (read, enc []uint16) {
	halfOnce.Do(func() {
		halfRead = make([]uint16, 1<<16)
		halfEnc = make([]uint16, 1<<16)
		for h := range halfRead {
			halfRead[h] = halfToUnorm(uint16(h))
		}
		for v := range halfEnc {
			halfEnc[v] = unormToHalf(uint16(v))
		}
	})
	return halfRead, halfEnc
}

// halfToUnorm maps an IEEE binary16 value to 16 bits: NaN and values <= 0
// give 0, values >= 1 give 0xffff, and everything between is round-half-up
// of v*65535, computed exactly: v is M*2^-k with integer M and k, so the
// result is (M*65535 + 2^(k-1)) >> k.
func halfToUnorm(h uint16) uint16 {
	if h&0x8000 != 0 { // negative, -0 and negative NaN
		return 0
	}
	e := int(h >> 10 & 0x1f)
	m := uint64(h & 0x3ff)
	if e == 0x1f {
		if m != 0 { // NaN
			return 0
		}
		return 0xffff // +Inf
	}
	if e >= 15 { // >= 1.0
		return 0xffff
	}
	var k uint
	if e == 0 {
		k = 24 // subnormal: m * 2^-24
	} else {
		m |= 0x400
		k = uint(25 - e)
	}
	return uint16((m*65535 + 1<<(k-1)) >> k)
}

// unormToHalf returns the binary16 nearest to v/65535, ties to even. The
// quotient is taken exactly: q = floor(v*2^k/65535) for the largest k that
// keeps q below 2048 (k <= 24, the subnormal scale), and the remainder
// decides the rounding.
func unormToHalf(v uint16) uint16 {
	if v == 0 {
		return 0
	}
	k := uint(24)
	var q, r uint64
	for ; ; k-- {
		n := uint64(v) << k
		q, r = n/65535, n%65535
		if q < 2048 {
			break
		}
	}
	// 65535 is odd, so 2r == 65535 never happens: there are no exact
	// ties, and round-half-to-even needs no case of its own.
	if 2*r > 65535 {
		q++
	}
	if q == 2048 {
		q = 1024
		k--
	}
	if q < 1024 { // only when k == 24: a subnormal
		return uint16(q)
	}
	return uint16((25-k)<<10 | uint(q-1024))
}
