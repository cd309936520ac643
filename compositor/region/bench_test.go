package region

import (
	"math/rand/v2"
	"testing"
)

// damageRects returns n rectangles scattered over a 1024×768 output, the
// shape of per-frame damage from many small widgets.
func damageRects(seed uint64, n int) []Rect {
	rng := rand.New(rand.NewPCG(seed, seed))
	rs := make([]Rect, n)
	for i := range rs {
		rs[i] = XYWH(int32(rng.IntN(1000)), int32(rng.IntN(750)), int32(8+rng.IntN(120)), int32(8+rng.IntN(90)))
	}
	return rs
}

func BenchmarkUnion100Rects(b *testing.B) {
	rs := damageRects(1, 100)
	var r Region
	b.ReportAllocs()
	for b.Loop() {
		r.Clear()
		for _, rc := range rs {
			r.Add(rc)
		}
	}
	b.ReportMetric(float64(r.NumRects()), "rects")
}

func BenchmarkUnionRegion(b *testing.B) {
	x, y := New(damageRects(1, 100)...), New(damageRects(2, 100)...)
	var r Region
	b.ReportAllocs()
	for b.Loop() {
		r.Copy(x)
		r.Union(y)
	}
}

func BenchmarkSubtract(b *testing.B) {
	x, y := New(damageRects(1, 100)...), New(damageRects(2, 100)...)
	var r Region
	b.ReportAllocs()
	for b.Loop() {
		r.Copy(x)
		r.Subtract(y)
	}
	b.ReportMetric(float64(r.NumRects()), "rects")
}

func BenchmarkSubtractRect(b *testing.B) {
	x := New(damageRects(1, 100)...)
	var r Region
	b.ReportAllocs()
	for b.Loop() {
		r.Copy(x)
		r.SubtractRect(Rect{200, 150, 700, 500})
	}
}
