package compose

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/pixfmt"
	"github.com/headwaywl/headway/kms/profile"
)

// blendRef is the three equations of the package doc written out per
// channel, the way a reader checks them by hand; wrap takes VKMS's u32
// arithmetic for the pre-multiplied sum instead of saturating.
func blendRef(d, s Pixel, pa uint32, mode profile.BlendMode, wrap bool) Pixel {
	rr := func(x uint64) uint64 { return (x + 0x7fff) / 0xffff }
	ch := func(bg, c uint16) uint16 {
		var a, sv, ia uint64
		switch mode {
		case profile.BlendNone:
			sv, ia = rr(uint64(pa)*uint64(c)), 0xffff-uint64(pa)
		case profile.BlendCoverage:
			a = rr(uint64(pa) * uint64(s.A))
			sv, ia = rr(a*uint64(c)), 0xffff-a
		default:
			a = rr(uint64(pa) * uint64(s.A))
			sv, ia = rr(uint64(pa)*uint64(c)), 0xffff-a
		}
		if wrap && mode == profile.BlendPremulti {
			x := uint32(sv)*0xffff + uint32(bg)*uint32(ia)
			return uint16((x + 0x7fff) / 0xffff)
		}
		return uint16(min(sv+rr(uint64(bg)*ia), 0xffff))
	}
	return Pixel{A: 0xffff, R: ch(d.R, s.R), G: ch(d.G, s.G), B: ch(d.B, s.B)}
}

func TestBlendMatchesEquations(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	pick := func() uint16 {
		switch rng.IntN(6) {
		case 0:
			return 0
		case 1:
			return 0xffff
		case 2:
			return uint16(rng.IntN(256)) * 257
		case 3:
			return uint16(1 + rng.IntN(2))
		}
		return uint16(rng.Uint32())
	}
	for _, mode := range []profile.BlendMode{profile.BlendPremulti, profile.BlendCoverage, profile.BlendNone} {
		for iter := 0; iter < 400; iter++ {
			wrap := iter%2 == 1
			pa := uint32(pick())
			src := make([]Pixel, 64)
			dst := make([]Pixel, 64)
			for i := range src {
				src[i] = Pixel{A: pick(), R: pick(), G: pick(), B: pick()} // invalid pre-multiplied data included
				dst[i] = Pixel{A: 0xffff, R: pick(), G: pick(), B: pick()}
			}
			want := make([]Pixel, len(dst))
			for i := range dst {
				want[i] = blendRef(dst[i], src[i], pa, mode, wrap)
			}
			blendSpan(dst, src, pa, mode, wrap)
			for i := range dst {
				require.Equal(t, want[i], dst[i], "mode %v pa %#x wrap %v src %+v", mode, pa, wrap, src[i])
			}
		}
	}
}

func TestDivLanesExactAtEdges(t *testing.T) {
	for _, x := range []uint64{0, 1, 0x7ffe, 0x7fff, 0x8000, 0xfffe, 0xffff, 0x10000, 0xfffe0001, 0xfffe0001 - 0x7fff} {
		for _, y := range []uint64{0, 0xfffe0001, 0x12345678} {
			q := (x+0x7fff)&0xffffffff | (y+0x7fff)<<32
			got := divLanes(q)
			require.Equal(t, (x+0x7fff)/0xffff, got&0xffff, "x=%#x", x)
			require.Equal(t, (y+0x7fff)/0xffff, got>>32, "y=%#x", y)
		}
	}
}

// The fused ARGB8888 path equals converting the bytes and blending.
func TestBlendPremulti8888MatchesSlowPath(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	for iter := 0; iter < 600; iter++ {
		wrap := iter%2 == 1
		n := 1 + rng.IntN(40)
		raw := make([]byte, 4*n)
		for i := range raw {
			switch rng.IntN(4) {
			case 0:
				raw[i] = 0
			case 1:
				raw[i] = 0xff
			default:
				raw[i] = byte(rng.Uint32())
			}
		}
		pa := []uint32{0xffff, 0, 0x7fff, rng.Uint32() & 0xffff}[rng.IntN(4)]
		dst := make([]Pixel, n)
		for i := range dst {
			dst[i] = Pixel{A: 0xffff, R: uint16(rng.Uint32()), G: uint16(rng.Uint32()), B: uint16(rng.Uint32())}
		}
		want := append([]Pixel(nil), dst...)
		src := make([]Pixel, n)
		for i := range src {
			b := raw[4*i:]
			src[i] = rgb8(b[3], b[2], b[1], b[0])
		}
		blendSpan(want, src, pa, profile.BlendPremulti, wrap)
		blendPremulti8888(pixfmt.Words(dst), raw, pa, wrap)
		require.Equal(t, want, dst, "pa %#x wrap %v", pa, wrap)
	}
}
