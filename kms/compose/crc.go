package compose

import "hash/crc32"

// crcPoly is the reflected CRC-32 (IEEE 802.3) polynomial, the one
// crc32_le and hash/crc32's IEEE table use.
const crcPoly = 0xedb88320

// crcLE is the kernel's crc32_le: seed c, no inversion on entry or exit.
// hash/crc32 inverts both ways, so inverting around it cancels that.
func crcLE(c uint32, p []byte) uint32 {
	return ^crc32.Update(^c, crc32.IEEETable, p)
}

// mulModP multiplies two polynomials modulo the CRC polynomial, both in
// the reflected bit order (bit 31 holds x^0).
func mulModP(a, b uint32) uint32 {
	var p uint32
	for m := uint32(1) << 31; m != 0; m >>= 1 {
		if a&m != 0 {
			p ^= b
		}
		if b&1 != 0 {
			b = b>>1 ^ crcPoly
		} else {
			b >>= 1
		}
	}
	return p
}

// xPow8n returns x^(8n) mod P in reflected order: the operator that
// advances a raw CRC state over n zero bytes.
func xPow8n(n uint64) uint32 {
	r := uint32(1) << 31  // x^0
	sq := uint32(1) << 23 // x^8
	for ; n != 0; n >>= 1 {
		if n&1 != 0 {
			r = mulModP(r, sq)
		}
		sq = mulModP(sq, sq)
	}
	return r
}

// crcCombine returns the crc32_le of A followed by B, given crcA (the
// crc32_le of A from seed 0), crcB (of B from seed 0) and shift =
// xPow8n(len(B)). Because a seed-0, uninverted CRC is linear over GF(2),
// the state after A only needs moving past len(B) bytes before the two
// are added; this is what lets rows be hashed on several cores.
func crcCombine(crcA, crcB, shift uint32) uint32 {
	return mulModP(crcA, shift) ^ crcB
}
