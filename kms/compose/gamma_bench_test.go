package compose

import (
	"encoding/binary"
	"testing"
)

// benchLUT is a 256-entry rising LUT (VKMS_LUT_SIZE) with uneven steps,
// so the expansion does real interpolation.
func benchLUT() []byte {
	lut := make([]byte, 256*lutEntries)
	for i := 0; i < 256; i++ {
		v := uint16(i*i + i*0x3f)
		for ch := 0; ch < 3; ch++ {
			binary.LittleEndian.PutUint16(lut[i*lutEntries+2*ch:], v+uint16(ch))
		}
	}
	return lut
}

// BenchmarkGammaApply is the per-row cost: three table loads a pixel.
func BenchmarkGammaApply(b *testing.B) {
	var g gammaTables
	if !g.load(benchLUT()) {
		b.Fatal("LUT not loaded")
	}
	row := make([]Pixel, 1920)
	for i := range row {
		row[i] = Pixel{A: 0xffff, R: uint16(i * 31), G: uint16(i * 7), B: uint16(i * 3)}
	}
	b.SetBytes(int64(len(row)) * 8)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		g.apply(row)
	}
}

// BenchmarkGammaLoad is the once-per-LUT cost of expanding a new blob
// into the three 65536-entry tables.
func BenchmarkGammaLoad(b *testing.B) {
	luts := [2][]byte{benchLUT(), benchLUT()}
	var g gammaTables
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if !g.load(luts[i&1]) { // a different blob each time: no cache hit
			b.Fatal("LUT not loaded")
		}
	}
}
