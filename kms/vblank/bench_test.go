package vblank

import (
	"fmt"
	"testing"
)

func BenchmarkVirtualAdvance(b *testing.B) {
	for _, n := range []int{0, 1, 8, 64} {
		b.Run(fmt.Sprintf("subs=%d", n), func(b *testing.B) {
			v, err := NewVirtual(16666667)
			if err != nil {
				b.Fatal(err)
			}
			var sum uint64
			for i := 0; i < n; i++ {
				v.Subscribe(func(seq uint64, ts int64) { sum += seq })
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				v.Advance()
			}
			if n > 0 && sum == 0 {
				b.Fatal("handlers not called")
			}
		})
	}
}
