package pixfmt

import (
	"math/rand"
	"testing"

	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
)

const benchWidth = 1920

func benchRead(b *testing.B, f fourcc.Format) {
	r, err := NewReader(f, profile.BT709, profile.RangeLimited)
	if err != nil {
		b.Fatal(err)
	}
	img := randomImage(b, rand.New(rand.NewSource(1)), f, benchWidth, 2)
	out := make([]Pixel, benchWidth)
	info, _ := fourcc.Lookup(f)
	b.SetBytes(int64(info.MinPitch(0, benchWidth)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.ReadSpan(img, 0, i&1, out)
	}
}

func BenchmarkReadSpanXRGB8888(b *testing.B)      { benchRead(b, fourcc.XRGB8888) }
func BenchmarkReadSpanARGB8888(b *testing.B)      { benchRead(b, fourcc.ARGB8888) }
func BenchmarkReadSpanRGB565(b *testing.B)        { benchRead(b, fourcc.RGB565) }
func BenchmarkReadSpanNV12(b *testing.B)          { benchRead(b, fourcc.NV12) }
func BenchmarkReadSpanYUV420(b *testing.B)        { benchRead(b, fourcc.YUV420) }
func BenchmarkReadSpanP010(b *testing.B)          { benchRead(b, fourcc.P010) }
func BenchmarkReadSpanXRGB16161616F(b *testing.B) { benchRead(b, fourcc.XRGB16161616F) }

func BenchmarkWriteSpanXRGB8888(b *testing.B) {
	w, err := NewWriter(fourcc.XRGB8888, 0, 0)
	if err != nil {
		b.Fatal(err)
	}
	img := newImage(b, fourcc.XRGB8888, benchWidth, 2)
	px := make([]Pixel, benchWidth)
	for i := range px {
		px[i] = Pixel{0xffff, uint16(i * 31), uint16(i * 17), uint16(i * 7)}
	}
	b.SetBytes(4 * benchWidth)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.WriteSpan(img, 0, i&1, px)
	}
}
