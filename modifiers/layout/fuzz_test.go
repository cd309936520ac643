package layout

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

// fuzzInfo returns the table entry for f, or, for codes the table does not
// know, a synthetic Info built from raw bytes so that malformed descriptions
// (zero planes, zero subsampling, odd blocks) are exercised too.
func fuzzInfo(f uint32, raw []byte) fourcc.Info {
	if in, ok := fourcc.Lookup(fourcc.Format(f)); ok {
		return in
	}
	var b [16]byte
	copy(b[:], raw)
	in := fourcc.Info{Format: fourcc.Format(f), NumPlanes: b[0] % 6, HSub: b[1] % 5, VSub: b[2] % 5}
	for i := 0; i < fourcc.MaxPlanes; i++ {
		in.CharPerBlock[i] = b[3+i]
		in.BlockW[i] = b[7+i] % 5
		in.BlockH[i] = b[11+i] % 3
	}
	return in
}

// decodePlanes reads 16-byte records: offset, stride (uint32), object size
// (uint64), little-endian.
func decodePlanes(data []byte) []Plane {
	var out []Plane
	for len(data) >= 16 && len(out) < 6 {
		out = append(out, Plane{
			Offset: binary.LittleEndian.Uint32(data),
			Stride: binary.LittleEndian.Uint32(data[4:]),
			Size:   binary.LittleEndian.Uint64(data[8:]),
		})
		data = data[16:]
	}
	return out
}

func FuzzValidate(f *testing.F) {
	seedPlanes := func(ps ...Plane) []byte {
		var b []byte
		for _, p := range ps {
			b = binary.LittleEndian.AppendUint32(b, p.Offset)
			b = binary.LittleEndian.AppendUint32(b, p.Stride)
			b = binary.LittleEndian.AppendUint64(b, p.Size)
		}
		return b
	}
	f.Add(uint32(fourcc.XRGB8888), uint64(modifier.Linear), uint32(1920), uint32(1080), seedPlanes(Plane{0, 7680, 8294400}))
	f.Add(uint32(fourcc.NV12), uint64(modifier.IntelYTiledGen12MCCCS), uint32(1920), uint32(1080),
		seedPlanes(Plane{0, 2048, 0}, Plane{2228224, 2048, 0}, Plane{3342336, 256, 0}, Plane{3354624, 256, 0}))
	f.Add(uint32(fourcc.XRGB8888), uint64(amdMod(2, 27, true, true)), uint32(0xffffffff), uint32(3), seedPlanes(Plane{0xffffffff, 0xffffffff, 1}))
	f.Add(uint32(fourcc.NV12), uint64(modifier.Samsung64x32Tile), uint32(256), uint32(64), seedPlanes(Plane{0, 256, 0}, Plane{16384, 256, 0}))
	f.Add(uint32(0x31313131), uint64(modifier.ARMAFBC(4)), uint32(7), uint32(9), []byte{3, 0, 0, 1, 2, 3, 4, 2, 2, 0, 0, 1, 1})
	f.Add(uint32(fourcc.XRGB8888), uint64(modifier.Invalid), uint32(1), uint32(1), []byte{})
	f.Add(uint32(fourcc.P010), uint64(0xff)<<56|17, uint32(4097), uint32(2161), []byte{})

	// A vendor byte of 0xff (no such vendor) selects one of the modelled
	// modifiers instead, so the fuzzer spends time inside every family
	// rather than mostly on unknown vendors.
	known := modifiersUnderTest()
	f.Fuzz(func(t *testing.T, format uint32, mod uint64, w, h uint32, data []byte) {
		in := fuzzInfo(format, data)
		m := modifier.Modifier(mod)
		if m.Vendor() == 0xff {
			m = known[m.Value()%uint64(len(known))]
		}
		err := Validate(in, m, w, h, decodePlanes(data))
		if err != nil {
			var le *Error
			if !errors.As(err, &le) || le.Kind.sentinel() == nil || le.Rule == "" {
				t.Fatalf("Validate returned a malformed error %#v", err)
			}
			if !errors.Is(err, le.Kind.sentinel()) {
				t.Fatalf("error %v does not match its kind's sentinel", err)
			}
		}
		l, cerr := Compute(in, m, w, h)
		if cerr != nil {
			var le *Error
			if !errors.As(cerr, &le) {
				t.Fatalf("Compute returned a non-*Error %v", cerr)
			}
			return
		}
		if verr := Validate(in, m, w, h, l.ParamsPlanes()); verr != nil {
			t.Fatalf("Validate rejects Compute's own layout for %#x %#x %dx%d: %v", format, uint64(m), w, h, verr)
		}
		var prevEnd uint64
		for i, p := range l.Planes {
			if uint64(p.Offset) < prevEnd || uint64(p.Offset)+p.Size > l.Size {
				t.Fatalf("plane %d of %#x %#x %dx%d overlaps or leaves the object: %+v", i, format, uint64(m), w, h, l)
			}
			prevEnd = uint64(p.Offset) + p.Size
		}
	})
}
