package compose

import (
	"testing"

	"github.com/headwaywl/headway/kms/profile"
)

func benchBlend(b *testing.B, pa uint32, mode profile.BlendMode, alpha uint16) {
	src := make([]Pixel, 1920)
	dst := make([]Pixel, 1920)
	for i := range src {
		src[i] = Pixel{A: alpha, R: uint16(i) % alpha, G: 0x1234 % alpha, B: 0x4000 % alpha}
		dst[i] = Pixel{A: 0xffff, R: uint16(i * 31), G: uint16(i * 7), B: uint16(i * 3)}
	}
	b.SetBytes(int64(len(src)) * 8)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		blendSpan(dst, src, pa, mode, false)
	}
}

func BenchmarkBlendRow(b *testing.B) {
	b.Run("premulti-a80", func(b *testing.B) { benchBlend(b, 0xffff, profile.BlendPremulti, 0x8080) })
	b.Run("premulti-opaque", func(b *testing.B) { benchBlend(b, 0xffff, profile.BlendPremulti, 0xffff) })
	b.Run("premulti-pa-a80", func(b *testing.B) { benchBlend(b, 0x7fff, profile.BlendPremulti, 0x8080) })
	b.Run("coverage-a80", func(b *testing.B) { benchBlend(b, 0xffff, profile.BlendCoverage, 0x8080) })
	b.Run("none-pa", func(b *testing.B) { benchBlend(b, 0x7fff, profile.BlendNone, 0x8080) })
}
