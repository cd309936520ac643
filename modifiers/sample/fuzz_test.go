package sample

import (
	"testing"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

// FuzzOpen feeds client-chosen layouts to Open: whatever it accepts must be
// readable row by row without a panic or an out-of-range access.
func FuzzOpen(f *testing.F) {
	f.Add(uint32(fourcc.XRGB8888), uint64(modifier.Linear), uint32(16), uint32(8), uint32(0), uint32(64), uint32(0), uint32(0), uint16(1024))
	f.Add(uint32(fourcc.NV12), uint64(modifier.IntelYTiled), uint32(130), uint32(66), uint32(0), uint32(256), uint32(8192*4), uint32(256), uint16(65535))
	f.Add(uint32(fourcc.XRGB8888), uint64(modifier.IntelYTiledGen12RCCCS), uint32(256), uint32(64), uint32(0), uint32(1024), uint32(65536), uint32(128), uint16(40000))
	f.Add(uint32(fourcc.NV12), uint64(modifier.Samsung64x32Tile), uint32(256), uint32(64), uint32(0), uint32(256), uint32(16384), uint32(256), uint16(8192))
	f.Fuzz(func(t *testing.T, format uint32, mod uint64, w, h, off0, stride0, off1, stride1 uint32, size uint16) {
		info, ok := fourcc.Lookup(fourcc.Format(format))
		if !ok {
			return
		}
		obj := make([]byte, int(size)*4)
		offs := []uint32{off0, off1, off1 + stride1, off0 + stride0}
		strides := []uint32{stride0, stride1, stride1 / 2, stride0 / 8}
		for n := 1; n <= 4; n++ {
			planes := make([]Plane, n)
			for i := range planes {
				planes[i] = Plane{Data: obj, Offset: offs[i], Stride: strides[i]}
			}
			b, err := Open(info, modifier.Modifier(mod), w, h, planes)
			if err != nil {
				continue
			}
			_ = b.CheckAux()
			for p := 0; p < b.Planes(); p++ {
				row := make([]byte, b.RowBytes(p))
				for y := 0; y < b.Rows(p); y++ {
					if err := b.Row(p, y, row); err != nil {
						t.Fatalf("Open accepted the buffer but row %d of plane %d fails: %v", y, p, err)
					}
				}
			}
		}
	})
}
