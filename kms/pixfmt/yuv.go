package pixfmt

//go:generate sh testdata/vkmsyuv/gen.sh

import (
	"fmt"
	"math/big"
	"sync"

	"github.com/headwaywl/headway/kms/drmfixed"
	"github.com/headwaywl/headway/kms/profile"
)

// YUVTables names a set of YCbCr -> RGB coefficient tables. Each is VKMS's
// struct conversion_matrix per (encoding, range), copied constant for
// constant, because the kernel's rounded constants (not the exact ratios
// they approximate) decide the last bit of every pixel.
type YUVTables uint8

const (
	// TablesMainline256 are mainline VKMS's tables, generated there with
	// colour.matrix_YCbCr(is_legal=True, bits=8): limited range expands
	// luma by 256/219 and chroma by 256/224 (so Y 235 overshoots white
	// and clamps). The default, because it is what a mainline kernel's
	// VKMS computes.
	TablesMainline256 YUVTables = iota
	// Tables255 are the drm-intel tree's later limited-range tables, which
	// expand by 255/219 and 255/224 as the DRM UAPI and IGT define limited
	// range; full range is unchanged. For comparing with kernels carrying
	// that change.
	Tables255
	numTables
)

func (t YUVTables) String() string {
	switch t {
	case TablesMainline256:
		return "mainline256"
	case Tables255:
		return "255"
	}
	return fmt.Sprintf("YUVTables(%d)", uint8(t))
}

// yuvConv is one conversion_matrix: m in signed 32.32, rows R, G, B and
// columns Y, Cb, Cr, and the luma offset in 8-bit units (VKMS multiplies it
// by 257, as it does the chroma offset 128).
type yuvConv struct {
	m    [3][3]int64
	yoff int64

	// trunc[i][j][k] is m[i][j] as drm_fixp_mul uses it against a b whose
	// drmfixed.Msbset is k: for b = v<<32 with |v| < 2^16 (every sample
	// difference), drmfixed.Mul(m, b) is exactly trunc[i][j][k] * v.
	trunc   [3][3][truncK]int64
	lutOnce sync.Once
	lut     *[3][3][256]int64
}

// truncK is a power of two above drmfixed.Msbset(v<<32) for any |v| < 2^16
// (at most 47), so a masked index needs no bounds check.
const truncK = 64

// yuvConvs[tables][encoding][range], range 0 limited, 1 full. The numbers
// are VKMS's; the full-range matrices are the same in both sets.
var yuvConvs = [numTables][3][2]yuvConv{
	TablesMainline256: {
		profile.BT601: {
			profile.RangeLimited: {m: [3][3]int64{{5020601039, 0, 6881764740}, {5020601039, -1689204679, -3505362278}, {5020601039, 8697922339, 0}}, yoff: 16},
			profile.RangeFull:    {m: [3][3]int64{{4294967296, 0, 6021544149}, {4294967296, -1478054095, -3067191994}, {4294967296, 7610682049, 0}}},
		},
		profile.BT709: {
			profile.RangeLimited: {m: [3][3]int64{{5020601039, 0, 7729959424}, {5020601039, -919487572, -2297803934}, {5020601039, 9108275786, 0}}, yoff: 16},
			profile.RangeFull:    {m: [3][3]int64{{4294967296, 0, 6763714498}, {4294967296, -804551626, -2010578443}, {4294967296, 7969741314, 0}}},
		},
		profile.BT2020: {
			profile.RangeLimited: {m: [3][3]int64{{5020601039, 0, 7238124312}, {5020601039, -807714626, -2804506279}, {5020601039, 9234915964, 0}}, yoff: 16},
			profile.RangeFull:    {m: [3][3]int64{{4294967296, 0, 6333358775}, {4294967296, -706750298, -2453942994}, {4294967296, 8080551471, 0}}},
		},
	},
	Tables255: {
		profile.BT601: {
			profile.RangeLimited: {m: [3][3]int64{{5000989317, 0, 6854882848}, {5000989317, -1682606224, -3491669458}, {5000989317, 8663946082, 0}}, yoff: 16},
			profile.RangeFull:    {m: [3][3]int64{{4294967296, 0, 6021544149}, {4294967296, -1478054095, -3067191994}, {4294967296, 7610682049, 0}}},
		},
		profile.BT709: {
			profile.RangeLimited: {m: [3][3]int64{{5000989317, 0, 7699764272}, {5000989317, -915895824, -2288828138}, {5000989317, 9072696586, 0}}, yoff: 16},
			profile.RangeFull:    {m: [3][3]int64{{4294967296, 0, 6763714498}, {4294967296, -804551626, -2010578443}, {4294967296, 7969741314, 0}}},
		},
		profile.BT2020: {
			profile.RangeLimited: {m: [3][3]int64{{5000989317, 0, 7209850391}, {5000989317, -804559491, -2793551177}, {5000989317, 9198842076, 0}}, yoff: 16},
			profile.RangeFull:    {m: [3][3]int64{{4294967296, 0, 6333358775}, {4294967296, -706750298, -2453942994}, {4294967296, 8080551471, 0}}},
		},
	},
}

func init() {
	for t := range yuvConvs {
		for e := range yuvConvs[t] {
			for r := range yuvConvs[t][e] {
				c := &yuvConvs[t][e][r]
				for i := range c.m {
					for j := range c.m[i] {
						for k := range c.trunc[i][j] {
							c.trunc[i][j][k] = fixpTrunc(c.m[i][j], uint(k))
						}
					}
				}
			}
		}
	}
}

// fixpTrunc is a as drmfixed.Mul(a, b) truncates it for a b = v<<32 whose
// drmfixed.Msbset is msbB: with s = msbset(a)+msbB-61 (at least 0), a loses
// ceil(s/2) low bits and b floor(s/2) zero bits, and the product shifted
// right by 32-s is (a>>ceil(s/2))*v shifted left by ceil(s/2): a with its
// low ceil(s/2) bits cleared, times v, exactly. That holds while s <= 32,
// i.e. msbB <= 93-msbset(a); every table entry and sample is far below.
func fixpTrunc(a int64, msbB uint) int64 {
	s := max(drmfixed.Msbset(a)+msbB, 61) - 61
	ka := (s >> 1) + (s & 1)
	return a >> ka << ka
}

// conv returns the matrix for (t, enc, rng), which the caller validated.
func conv(t YUVTables, enc profile.ColorEncoding, rng profile.ColorRange) *yuvConv {
	return &yuvConvs[t][enc][rng]
}

// fixpRound is drm_fixp2int_round then clamp(v, 0, 0xffff).
func fixpRound(s int64) uint16 {
	v := int64(int32((s + 1<<31) >> 32)) // drm_fixp2int returns int
	if v < 0 {
		return 0
	}
	if v > 0xffff {
		return 0xffff
	}
	return uint16(v)
}

// rgb16 is argb_u16_from_yuv161616 for Cb-first 16-bit samples (VKMS
// swaps the matrix's columns for Cr-first formats; swapping the samples
// instead adds the same three products). Each product is drmfixed.Mul's, taken
// through trunc: one multiply, no data-dependent branch.
func (c *yuvConv) rgb16(y, cb, cr uint16) Pixel {
	v := [3]int64{int64(y) - c.yoff*257, int64(cb) - 128*257, int64(cr) - 128*257}
	var k [3]uint
	for j := range v {
		k[j] = drmfixed.Msbset(v[j]<<32) & (truncK - 1)
	}
	var out [3]uint16
	for i := range out {
		t := &c.trunc[i]
		out[i] = fixpRound(t[0][k[0]]*v[0] + t[1][k[1]]*v[1] + t[2][k[2]]*v[2])
	}
	return Pixel{A: 0xffff, R: out[0], G: out[1], B: out[2]}
}

// lut8 holds every product of rgb16 for 8-bit samples (sample*257, as
// VKMS's 8-bit callbacks pass them): each of the nine depends on one
// sample only, so a pixel is nine loads and the rounding of three sums.
func (c *yuvConv) lut8() *[3][3][256]int64 {
	c.lutOnce.Do(func() {
		t := new([3][3][256]int64)
		off := [3]int64{c.yoff * 257, 128 * 257, 128 * 257}
		for i := range t {
			for j := range t[i] {
				for v := range t[i][j] {
					t[i][j][v] = drmfixed.Mul(c.m[i][j], (int64(v)*257-off[j])<<32)
				}
			}
		}
		c.lut = t
	})
	return c.lut
}

// rgb8 is rgb16(y*257, cb*257, cr*257) through the table.
func rgb8(t *[3][3][256]int64, y, cb, cr uint8) Pixel {
	return Pixel{
		A: 0xffff,
		R: fixpRound(t[0][0][y] + t[0][1][cb] + t[0][2][cr]),
		G: fixpRound(t[1][0][y] + t[1][1][cb] + t[1][2][cr]),
		B: fixpRound(t[2][0][y] + t[2][1][cb] + t[2][2][cr]),
	}
}

// yuvMat is the writers' RGB -> YCbCr matrix in signed 32.32 (rows Y, Cb,
// Cr; columns R, G, B) and the sample offsets and maximum. VKMS has no YUV
// writeback, so this is headway's own: the exact inverse of the 255-based
// ranges, rounded once.
type yuvMat struct {
	m          [3][3]int64
	yoff, coff int64
	max        int64 // largest sample value (writers clamp to it)
}

// kr and kb per encoding, as exact rationals of the standards' decimals.
var encKr = map[profile.ColorEncoding][2]string{
	profile.BT601:  {"299/1000", "114/1000"},
	profile.BT709:  {"2126/10000", "722/10000"},
	profile.BT2020: {"2627/10000", "593/10000"},
}

// matKey indexes the writers' matrices.
type matKey struct {
	enc profile.ColorEncoding
	rng profile.ColorRange
	ten bool
}

var matrices = map[matKey]*yuvMat{}

func init() {
	for enc := range encKr {
		for _, rng := range []profile.ColorRange{profile.RangeLimited, profile.RangeFull} {
			for _, ten := range []bool{false, true} {
				k := matKey{enc, rng, ten}
				matrices[k] = buildMatrix(k)
			}
		}
	}
}

func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic("pixfmt: bad constant " + s) // init-time constant, never input
	}
	return r
}

// fixed rounds q to the nearest 32.32 integer (halves up).
func fixed(q *big.Rat) int64 {
	n := new(big.Int).Mul(q.Num(), big.NewInt(1<<33))
	n.Add(n, q.Denom())
	d := new(big.Int).Mul(q.Denom(), big.NewInt(2))
	// Div is Euclidean: floor for a positive divisor, also for negative n.
	return new(big.Int).Div(n, d).Int64()
}

func mul(a ...*big.Rat) *big.Rat {
	r := big.NewRat(1, 1)
	for _, x := range a {
		r.Mul(r, x)
	}
	return r
}

// buildMatrix derives the writer matrix for k exactly from Kr and Kb:
// Y = Kr R + Kg G + Kb B, Cb = (B - Y) / (2(1-Kb)), Cr = (R - Y) / (2(1-Kr)),
// each scaled from 16 bits to the sample range (8 or 10 bits) and, in
// limited range, by 219/255 (luma) and 224/255 (chroma), or 876/1023 and
// 896/1023 for 10 bits.
func buildMatrix(k matKey) *yuvMat {
	kr, kb := rat(encKr[k.enc][0]), rat(encKr[k.enc][1])
	one := big.NewRat(1, 1)
	two := big.NewRat(2, 1)
	kg := new(big.Rat).Sub(one, kr)
	kg.Sub(kg, kb)

	var ys, cs *big.Rat // per-unit range scales in the sample domain
	mt := &yuvMat{}
	if k.ten {
		mt.max = 1023
		mt.coff = 512
		ys, cs = one, one
		if k.rng == profile.RangeLimited {
			mt.yoff = 64
			ys, cs = big.NewRat(1023, 876), big.NewRat(1023, 896)
		}
	} else {
		mt.max = 255
		mt.coff = 128
		ys, cs = one, one
		if k.rng == profile.RangeLimited {
			mt.yoff = 16
			ys, cs = big.NewRat(255, 219), big.NewRat(255, 224)
		}
	}
	toSample := big.NewRat(mt.max, 65535)
	yScale := mul(toSample, new(big.Rat).Inv(ys))
	cScale := mul(toSample, new(big.Rat).Inv(cs))
	cb := new(big.Rat).Inv(mul(two, new(big.Rat).Sub(one, kb)))
	cr := new(big.Rat).Inv(mul(two, new(big.Rat).Sub(one, kr)))
	neg := func(r *big.Rat) *big.Rat { return new(big.Rat).Neg(r) }
	m := [3][3]*big.Rat{
		{mul(kr, yScale), mul(kg, yScale), mul(kb, yScale)},
		{mul(neg(kr), cb, cScale), mul(neg(kg), cb, cScale), mul(new(big.Rat).Sub(one, kb), cb, cScale)},
		{mul(new(big.Rat).Sub(one, kr), cr, cScale), mul(neg(kg), cr, cScale), mul(neg(kb), cr, cScale)},
	}
	for i := range m {
		for j := range m[i] {
			mt.m[i][j] = fixed(m[i][j])
		}
	}
	return mt
}

func (mt *yuvMat) clampS(v int64) int64 {
	if v < 0 {
		return 0
	}
	if v > mt.max {
		return mt.max
	}
	return v
}

// toY and toC convert 16-bit RGB to samples (writers).
func (mt *yuvMat) toY(p Pixel) int64 {
	r, g, b := int64(p.R), int64(p.G), int64(p.B)
	return mt.clampS((mt.m[0][0]*r+mt.m[0][1]*g+mt.m[0][2]*b+1<<31)>>32 + mt.yoff)
}

func (mt *yuvMat) toC(p Pixel) (cb, cr int64) {
	r, g, b := int64(p.R), int64(p.G), int64(p.B)
	cb = mt.clampS((mt.m[1][0]*r+mt.m[1][1]*g+mt.m[1][2]*b+1<<31)>>32 + mt.coff)
	cr = mt.clampS((mt.m[2][0]*r+mt.m[2][1]*g+mt.m[2][2]*b+1<<31)>>32 + mt.coff)
	return cb, cr
}
