package tiling

import (
	"bytes"
	"errors"
	"testing"

	"github.com/headwaywl/headway/modifiers/modifier"
)

// FuzzDetile drives every Tiler with arbitrary geometry, strides and buffer
// lengths. Calls must never panic; whenever a call accepts its input,
// Tile followed by Detile must give back the original bytes, and rejected
// inputs must carry one of the package's sentinel errors.
func FuzzDetile(f *testing.F) {
	f.Add(uint8(2), uint8(4), uint16(17), uint16(33), uint8(0), int16(0), int16(3), uint64(0x1f))
	f.Add(uint8(1), uint8(4), uint16(513), uint16(9), uint8(1), int16(0), int16(0), uint64(7))
	f.Add(uint8(5), uint8(1), uint16(200), uint16(100), uint8(0), int16(-5), int16(0), uint64(0))
	f.Add(uint8(7), uint8(2), uint16(1), uint16(1), uint8(3), int16(0), int16(-1), uint64(0))
	f.Add(uint8(9), uint8(4), uint16(1000), uint16(37), uint8(0), int16(1), int16(1), uint64(2))
	f.Add(uint8(200), uint8(0), uint16(0), uint16(0), uint8(0), int16(0), int16(0), uint64(0xffffffffffffffff))
	f.Fuzz(func(t *testing.T, modIdx, cpp uint8, w, h uint16, extraTiles uint8, strideDelta, lenDelta int16, raw uint64) {
		mods := fuzzMods()
		var m modifier.Modifier
		if int(modIdx) < len(mods) {
			m = mods[modIdx]
		} else {
			m = modifier.Modifier(raw) // arbitrary modifiers must not panic For
		}
		tl, err := For(m, int(cpp))
		if err != nil {
			if !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrCompressed) {
				t.Fatalf("For(%#x, %d): unexpected error %v", uint64(m), cpp, err)
			}
			return
		}
		wb := int(w) % 2048 * tl.CPP()
		hh := int(h) % 300
		stride := alignUp(wb, tl.StrideAlign()) + int(extraTiles%4)*tl.StrideAlign() + int(strideDelta)
		size, err := tl.MinSize(stride, wb, hh)
		if err != nil {
			size = max(0, stride*hh)
		}
		size = max(0, size+int(lenDelta))
		tiled := make([]byte, size)
		lin := make([]byte, wb*hh)
		for i := range lin {
			lin[i] = byte(i*131 + i>>8)
		}
		_ = tl.Offset(int(strideDelta), int(lenDelta), stride, hh)
		if err := tl.Tile(tiled, stride, lin, wb, wb, hh); err != nil {
			if !errors.Is(err, ErrShortBuffer) && !errors.Is(err, ErrBadStride) && !errors.Is(err, ErrBadSize) {
				t.Fatalf("Tile: unexpected error %v", err)
			}
			// A rejected Tile leaves the buffer alone.
			if !bytes.Equal(tiled, make([]byte, size)) {
				t.Fatal("Tile wrote before failing")
			}
			return
		}
		back := make([]byte, len(lin))
		if err := tl.Detile(back, wb, tiled, stride, wb, hh); err != nil {
			t.Fatalf("Detile rejected what Tile accepted: %v", err)
		}
		if !bytes.Equal(lin, back) {
			t.Fatalf("%#x cpp %d %dx%d stride %d: detile(tile(x)) != x", uint64(m), tl.CPP(), wb, hh, stride)
		}
		if hh > 0 {
			row := make([]byte, wb)
			y := int(uint16(lenDelta)) % hh
			if err := tl.DetileRow(row, tiled, stride, hh, y, wb); err != nil {
				t.Fatalf("DetileRow: %v", err)
			}
			if !bytes.Equal(row, lin[y*wb:y*wb+wb]) {
				t.Fatalf("DetileRow %d differs", y)
			}
		}
	})
}

func fuzzMods() []modifier.Modifier {
	return []modifier.Modifier{
		modifier.Linear, modifier.IntelXTiled, modifier.IntelYTiled, modifier.IntelYfTiled,
		modifier.Intel4Tiled, modifier.Samsung64x32Tile, modifier.VivanteTiled, modifier.VivanteSuperTiled,
		modifier.NVIDIA16Bx2Block(0), modifier.NVIDIA16Bx2Block(5), modifier.NVIDIABlockLinear2D(0, 1, 2, 0xfe, 3),
		modifier.IntelYTiledGen12RCCCS,
	}
}
