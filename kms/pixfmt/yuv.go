package pixfmt

import (
	"math/big"

	"github.com/headwaywl/headway/kms/profile"
)

// yuvMat is a 3x3 matrix in signed 32.32 fixed point plus the sample
// offsets it applies around it.
//
// For reading (YCbCr -> RGB), rows are R, G, B and columns Y, Cb, Cr; the
// inputs are (Y-yoff)*mul, (Cb-coff)*mul, (Cr-coff)*mul.
// For writing (RGB -> YCbCr), rows are Y, Cb, Cr and columns R, G, B; the
// outputs are round(row . rgb) + yoff (or coff).
type yuvMat struct {
	m          [3][3]int64
	yoff, coff int64
	mul        int64
	max        int64 // largest sample value (writers clamp to it)
}

// kr and kb per encoding, as exact rationals of the standards' decimals.
var encKr = map[profile.ColorEncoding][2]string{
	profile.BT601:  {"299/1000", "114/1000"},
	profile.BT709:  {"2126/10000", "722/10000"},
	profile.BT2020: {"2627/10000", "593/10000"},
}

// matKey indexes the precomputed matrices.
type matKey struct {
	enc  profile.ColorEncoding
	rng  profile.ColorRange
	ten  bool
	back bool // RGB -> YCbCr
}

var matrices = map[matKey]*yuvMat{}

func init() {
	for enc := range encKr {
		for _, rng := range []profile.ColorRange{profile.RangeLimited, profile.RangeFull} {
			for _, ten := range []bool{false, true} {
				for _, back := range []bool{false, true} {
					k := matKey{enc, rng, ten, back}
					matrices[k] = buildMatrix(k)
				}
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

// buildMatrix derives the matrix for k exactly from Kr and Kb.
//
// Normalised Y' in [0,1] and Cb, Cr in [-1/2, 1/2]:
//
//	R = Y + 2(1-Kr) Cr
//	G = Y - 2Kb(1-Kb)/Kg Cb - 2Kr(1-Kr)/Kg Cr
//	B = Y + 2(1-Kb) Cb
//
// 8-bit: the sample-to-16-bit factor 257 is applied to the integer inputs,
// so the matrix only carries the range scale (full 1, limited 255/219 for Y
// and 255/224 for chroma). 10-bit: inputs are the raw differences and the
// matrix carries 65535/1023 times the range scale (full 1, limited 1023/876
// and 1023/896), i.e. 65535/876 and 65535/896 in limited range.
func buildMatrix(k matKey) *yuvMat {
	kr, kb := rat(encKr[k.enc][0]), rat(encKr[k.enc][1])
	one := big.NewRat(1, 1)
	two := big.NewRat(2, 1)
	kg := new(big.Rat).Sub(one, kr)
	kg.Sub(kg, kb)
	omkr := new(big.Rat).Sub(one, kr)
	omkb := new(big.Rat).Sub(one, kb)

	var ys, cs *big.Rat // per-unit range scales in the sample domain
	mt := &yuvMat{}
	if k.ten {
		mt.max = 1023
		mt.coff = 512
		if k.rng == profile.RangeFull {
			ys, cs = big.NewRat(1023, 1023), big.NewRat(1023, 1023)
		} else {
			mt.yoff = 64
			ys, cs = big.NewRat(1023, 876), big.NewRat(1023, 896)
		}
	} else {
		mt.max = 255
		mt.coff = 128
		if k.rng == profile.RangeFull {
			ys, cs = big.NewRat(1, 1), big.NewRat(1, 1)
		} else {
			mt.yoff = 16
			ys, cs = big.NewRat(255, 219), big.NewRat(255, 224)
		}
	}
	// unit converts a sample difference to 16 bits beyond the factor 257
	// (8-bit, applied to the inputs) or entirely (10-bit).
	unit := big.NewRat(1, 1)
	mt.mul = 257
	if k.ten {
		unit = big.NewRat(65535, 1023)
		mt.mul = 1
	}

	if !k.back {
		zero := new(big.Rat)
		m := [3][3]*big.Rat{
			{one, zero, mul(two, omkr)},
			{one, mul(big.NewRat(-2, 1), kb, omkb, new(big.Rat).Inv(kg)), mul(big.NewRat(-2, 1), kr, omkr, new(big.Rat).Inv(kg))},
			{one, mul(two, omkb), zero},
		}
		for i := range m {
			mt.m[i][0] = fixed(mul(m[i][0], ys, unit))
			mt.m[i][1] = fixed(mul(m[i][1], cs, unit))
			mt.m[i][2] = fixed(mul(m[i][2], cs, unit))
		}
		return mt
	}

	// Inverse: from 16-bit R, G, B to samples. Y = Kr R + Kg G + Kb B,
	// Cb = (B - Y) / (2(1-Kb)), Cr = (R - Y) / (2(1-Kr)), each then scaled
	// from 16 bits to the sample range: divided by 65535/max and by the range
	// scale.
	toSample := big.NewRat(mt.max, 65535)
	yScale := mul(toSample, new(big.Rat).Inv(ys))
	cScale := mul(toSample, new(big.Rat).Inv(cs))
	cb := new(big.Rat).Inv(mul(two, omkb))
	cr := new(big.Rat).Inv(mul(two, omkr))
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

func clamp16(v int64) uint16 {
	if v < 0 {
		return 0
	}
	if v > 0xffff {
		return 0xffff
	}
	return uint16(v)
}

// toRGB converts one sample triple; the arithmetic shift rounds halves up.
func (mt *yuvMat) toRGB(y, cb, cr int64) Pixel {
	fy := (y - mt.yoff) * mt.mul
	f1 := (cb - mt.coff) * mt.mul
	f2 := (cr - mt.coff) * mt.mul
	const half = 1 << 31
	return Pixel{
		A: 0xffff,
		R: clamp16((mt.m[0][0]*fy + mt.m[0][1]*f1 + mt.m[0][2]*f2 + half) >> 32),
		G: clamp16((mt.m[1][0]*fy + mt.m[1][1]*f1 + mt.m[1][2]*f2 + half) >> 32),
		B: clamp16((mt.m[2][0]*fy + mt.m[2][1]*f1 + mt.m[2][2]*f2 + half) >> 32),
	}
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
