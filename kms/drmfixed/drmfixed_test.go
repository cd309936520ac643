package drmfixed

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Values worked by hand from include/drm/drm_fixed.h.
func TestHandWorked(t *testing.T) {
	half := One / 2
	assert.Equal(t, Int2Fixp(6), Mul(Int2Fixp(3), Int2Fixp(2)), "small factors multiply exactly")
	assert.Equal(t, int64(0x55555555), Div(One, Int2Fixp(3)), "1/3 truncated")
	assert.Equal(t, int64(0xff00ff), Div(Int2Fixp(255), Int2Fixp(0xffff)), "VKMS's 256-entry LUT ratio")
	assert.Equal(t, int64(2), Fixp2IntRound(Int2Fixp(1)+half), "halves round up")
	assert.Equal(t, int64(0), Fixp2IntRound(-half), "-0.5 rounds up to 0")
	assert.Equal(t, int64(-1), Fixp2IntRound(-half-1), "just below -0.5 rounds to -1")
	assert.Equal(t, int64(-1), Fixp2Int(-1), "arithmetic shift floors")
	assert.Equal(t, int64(2), Fixp2IntCeil(Int2Fixp(1)+1))
	assert.Equal(t, int64(-2), Fixp2IntCeil(-Int2Fixp(1)-1), "the kernel's ceil subtracts for negatives")
	assert.Equal(t, int64(0), Fixp2IntCeil(0), "zero takes the non-negative branch")
	assert.Equal(t, int64(1), Fixp2IntCeil(1))
	assert.Equal(t, uint(0), Msbset(0))
	assert.Equal(t, uint(0), Msbset(-1))
	assert.Equal(t, uint(32), Msbset(One))
	assert.Equal(t, uint(62), Msbset(1<<62))
	// Factors too big for a 64-bit product lose low bits first: 2^40 * 2^40
	// in 32.32 is 2^48 exactly, and an odd low bit of the first factor goes.
	assert.Equal(t, Int2Fixp(1<<16), Mul(Int2Fixp(1<<8), Int2Fixp(1<<8)))
	// 2^47 * 2^47 (raw) needs 94 bits: shifted by 33, 17 from the first
	// factor and 16 from the second, the product 2^61 goes back up by one
	// to 2^62, the exact answer.
	assert.Equal(t, int64(1)<<62, Mul(1<<47, 1<<47))
	big := Int2Fixp(1<<20) + 1
	assert.Equal(t, Mul(Int2Fixp(1<<20), Int2Fixp(1<<20)), Mul(big, Int2Fixp(1<<20)), "the low bit of an operand is dropped")
}
