package tiling

import (
	"testing"

	"github.com/headwaywl/headway/modifiers/modifier"
)

// BenchmarkDetile1080p detiles a 1920x1080 XRGB8888 plane next to a plain
// copy of the same bytes, so the MB/s columns compare directly.
func BenchmarkDetile1080p(b *testing.B) {
	const w, h, cpp = 1920, 1080, 4
	wb := w * cpp
	lin := filled(wb * h)
	b.Run("copy", func(b *testing.B) {
		src := filled(wb * h)
		b.SetBytes(int64(wb * h))
		b.ReportAllocs()
		for b.Loop() {
			copy(lin, src)
		}
	})
	for _, c := range []struct {
		name string
		mod  modifier.Modifier
	}{
		{"X", modifier.IntelXTiled},
		{"Y", modifier.IntelYTiled},
		{"4", modifier.Intel4Tiled},
		{"Yf", modifier.IntelYfTiled},
		{"NV16Bx2", modifier.NVIDIA16Bx2Block(4)},
		{"Samsung", modifier.Samsung64x32Tile},
		{"VivanteSuper", modifier.VivanteSuperTiled},
	} {
		tl, stride, src := benchPlane(b, c.mod, cpp, wb, h)
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(wb * h))
			b.ReportAllocs()
			for b.Loop() {
				if err := tl.Detile(lin, wb, src, stride, wb, h); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDetileRow measures one scanline at a time, as the compositor
// reads planes.
func BenchmarkDetileRow(b *testing.B) {
	const w, h, cpp = 1920, 1080, 4
	wb := w * cpp
	row := make([]byte, wb)
	for _, c := range []struct {
		name string
		mod  modifier.Modifier
	}{
		{"linear", modifier.Linear},
		{"X", modifier.IntelXTiled},
		{"Y", modifier.IntelYTiled},
		{"4", modifier.Intel4Tiled},
	} {
		tl, stride, src := benchPlane(b, c.mod, cpp, wb, h)
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(wb))
			b.ReportAllocs()
			y := 0
			for b.Loop() {
				if err := tl.DetileRow(row, src, stride, h, y, wb); err != nil {
					b.Fatal(err)
				}
				if y++; y == h {
					y = 0
				}
			}
		})
	}
}

// BenchmarkTile1080p is the inverse direction, used to build test buffers.
func BenchmarkTile1080p(b *testing.B) {
	const w, h, cpp = 1920, 1080, 4
	wb := w * cpp
	lin := filled(wb * h)
	for _, c := range []struct {
		name string
		mod  modifier.Modifier
	}{{"Y", modifier.IntelYTiled}, {"4", modifier.Intel4Tiled}} {
		tl, err := For(c.mod, cpp)
		if err != nil {
			b.Fatal(err)
		}
		stride := alignUp(wb, tl.StrideAlign())
		size, _ := tl.MinSize(stride, wb, h)
		dst := filled(size)
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(wb * h))
			b.ReportAllocs()
			for b.Loop() {
				if err := tl.Tile(dst, stride, lin, wb, wb, h); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// filled returns n bytes of non-zero data. Benchmarks must read written
// memory: untouched pages all map the kernel's one zero page, which stays
// in L1 and makes any reader of it look several times faster than real.
func filled(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*31 + i>>12)
	}
	return b
}

// benchPlane returns the Tiler of mod, the tightest stride it accepts for
// rows of wb bytes, and a written tiled plane of h such rows.
func benchPlane(b *testing.B, mod modifier.Modifier, cpp, wb, h int) (*Tiler, int, []byte) {
	b.Helper()
	tl, err := For(mod, cpp)
	if err != nil {
		b.Fatal(err)
	}
	stride := alignUp(wb, tl.StrideAlign())
	size, err := tl.MinSize(stride, wb, h)
	if err != nil {
		b.Fatal(err)
	}
	return tl, stride, filled(size)
}
