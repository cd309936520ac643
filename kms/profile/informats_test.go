package profile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"syscall"
	"testing"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func isLittleEndian() bool {
	var b [2]byte
	binary.NativeEndian.PutUint16(b[:], 1)
	return b[0] == 1
}

// TestEncodeInFormatsExactBytes checks one blob worked out by hand from
// create_in_format_blob: 3 formats (12 bytes, padded to 16), so modifiers
// start at 24 + 16 = 40; LINEAR serves formats 0 and 1 (mask 0b011),
// X_TILED formats 0 and 2 (mask 0b101); 40 + 2*24 = 88 bytes.
func TestEncodeInFormatsExactBytes(t *testing.T) {
	if !isLittleEndian() {
		t.Skip("expected bytes are written out for a little-endian host")
	}
	list := []FormatModifiers{
		{Format: fourcc.Format(0x34325258), Modifiers: []modifier.Modifier{modifier.Linear, modifier.IntelXTiled}}, // XR24
		{Format: fourcc.Format(0x34325241), Modifiers: []modifier.Modifier{modifier.Linear}},                       // AR24
		{Format: fourcc.Format(0x3231564e), Modifiers: []modifier.Modifier{modifier.IntelXTiled}},                  // NV12
	}
	want := []byte{
		1, 0, 0, 0, // version
		0, 0, 0, 0, // flags
		3, 0, 0, 0, // count_formats
		24, 0, 0, 0, // formats_offset
		2, 0, 0, 0, // count_modifiers
		40, 0, 0, 0, // modifiers_offset
		'X', 'R', '2', '4',
		'A', 'R', '2', '4',
		'N', 'V', '1', '2',
		0, 0, 0, 0, // padding to 8
		3, 0, 0, 0, 0, 0, 0, 0, // formats bitmask
		0, 0, 0, 0, // offset
		0, 0, 0, 0, // pad
		0, 0, 0, 0, 0, 0, 0, 0, // LINEAR
		5, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0,
		0, 0, 0, 0,
		1, 0, 0, 0, 0, 0, 0, 1, // I915_FORMAT_MOD_X_TILED
	}
	got, err := EncodeInFormats(list)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	n, err := InFormatsSize(list)
	require.NoError(t, err)
	assert.Equal(t, len(want), n)

	// Appending keeps what dst held.
	prefix := []byte{0xaa, 0xbb}
	got2, err := AppendInFormats(prefix, list)
	require.NoError(t, err)
	assert.Equal(t, append([]byte{0xaa, 0xbb}, want...), got2)

	// A full dst longer than the blob grows into a new array too.
	long := bytes.Repeat([]byte{0xcc}, 64)
	got3, err := AppendInFormats(long[:64:64], list)
	require.NoError(t, err)
	assert.Equal(t, append(bytes.Repeat([]byte{0xcc}, 64), want...), got3)
}

func formatsN(n int) []FormatModifiers {
	all := fourcc.All()
	out := make([]FormatModifiers, 0, n)
	for i := 0; i < n; i++ {
		ms := []modifier.Modifier{modifier.Linear}
		if i%3 == 0 {
			ms = append(ms, modifier.IntelYTiled)
		}
		out = append(out, FormatModifiers{Format: all[i].Format, Modifiers: ms})
	}
	return out
}

func TestInFormatsRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		list []FormatModifiers
	}{
		{"one", []FormatModifiers{{Format: 0x34325258, Modifiers: []modifier.Modifier{modifier.Linear}}}},
		{"no modifiers for a format", []FormatModifiers{
			{Format: 0x34325258, Modifiers: []modifier.Modifier{modifier.Linear}},
			{Format: 0x34325241, Modifiers: []modifier.Modifier{}},
		}},
		{"a modifier first used by a later format", []FormatModifiers{
			{Format: 0x34325258, Modifiers: []modifier.Modifier{modifier.Linear}},
			{Format: 0x34325241, Modifiers: []modifier.Modifier{modifier.Linear}},
			{Format: 0x3231564e, Modifiers: []modifier.Modifier{modifier.IntelXTiled}},
			{Format: 0x34324241, Modifiers: []modifier.Modifier{modifier.Linear, modifier.IntelXTiled}},
		}},
		{"odd format count", formatsN(5)},
		{"even format count", formatsN(6)},
		{"64 formats", formatsN(64)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := EncodeInFormats(tc.list)
			require.NoError(t, err)
			assert.Zero(t, len(b)%8, "blob size keeps 8-byte alignment")
			got, err := DecodeInFormats(b)
			require.NoError(t, err)
			require.Len(t, got, len(tc.list))
			for i := range tc.list {
				assert.Equal(t, tc.list[i].Format, got[i].Format)
				assert.Equal(t, []modifier.Modifier(tc.list[i].Modifiers), append([]modifier.Modifier{}, got[i].Modifiers...))
			}
		})
	}
}

func TestEncodeInFormatsRefuses(t *testing.T) {
	dup := []FormatModifiers{
		{Format: 0x34325258, Modifiers: []modifier.Modifier{modifier.Linear}},
		{Format: 0x34325258, Modifiers: []modifier.Modifier{modifier.IntelXTiled}},
	}
	for name, list := range map[string][]FormatModifiers{
		"empty":            nil,
		"65 formats":       formatsN(65),
		"duplicate format": dup,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := EncodeInFormats(list)
			require.Error(t, err)
			assert.ErrorIs(t, err, syscall.EINVAL)
			_, err = InFormatsSize(list)
			assert.ErrorIs(t, err, syscall.EINVAL)
		})
	}
}

// blob builds a raw blob from header words, formats and entries.
type rawEntry struct {
	mask        uint64
	offset, pad uint32
	mod         uint64
}

func rawBlob(version, flags, nf, fo, nm, mo uint32, size int, formats []uint32, entries []rawEntry) []byte {
	b := make([]byte, size)
	ne := binary.NativeEndian
	for i, v := range []uint32{version, flags, nf, fo, nm, mo} {
		ne.PutUint32(b[4*i:], v)
	}
	for i, f := range formats {
		ne.PutUint32(b[int(fo)+4*i:], f)
	}
	for i, e := range entries {
		p := int(mo) + 24*i
		ne.PutUint64(b[p:], e.mask)
		ne.PutUint32(b[p+8:], e.offset)
		ne.PutUint32(b[p+12:], e.pad)
		ne.PutUint64(b[p+16:], e.mod)
	}
	return b
}

func TestDecodeInFormatsWindow(t *testing.T) {
	// 70 formats; one modifier split over two windows, as the uapi example
	// describes: offset 0 for formats 0..63 and offset 64 for the rest.
	formats := make([]uint32, 70)
	for i := range formats {
		formats[i] = uint32(0x1000 + i)
	}
	fo, mo := uint32(24), uint32(24+280)
	b := rawBlob(1, 0, 70, fo, 2, mo, int(mo)+48, formats, []rawEntry{
		{mask: 1 << 1, mod: 7},
		{mask: 1<<0 | 1<<5, offset: 64, mod: 7},
	})
	got, err := DecodeInFormats(b)
	require.NoError(t, err)
	require.Len(t, got, 70)
	for i, fm := range got {
		switch i {
		case 1, 64, 69:
			assert.Equal(t, []modifier.Modifier{7}, fm.Modifiers, "format %d", i)
		default:
			assert.Empty(t, fm.Modifiers, "format %d", i)
		}
	}
}

func TestDecodeInFormatsRejects(t *testing.T) {
	f2 := []uint32{0x34325258, 0x34325241}
	ok := func() []byte { return rawBlob(1, 0, 2, 24, 1, 32, 56, f2, []rawEntry{{mask: 3}}) }
	_, err := DecodeInFormats(ok())
	require.NoError(t, err, "the base case must be valid")
	cases := []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"short header", ok()[:23]},
		{"version 0", rawBlob(0, 0, 2, 24, 1, 32, 56, f2, []rawEntry{{mask: 3}})},
		{"version 2", rawBlob(2, 0, 2, 24, 1, 32, 56, f2, []rawEntry{{mask: 3}})},
		{"flags", rawBlob(1, 1, 2, 24, 1, 32, 56, f2, []rawEntry{{mask: 3}})},
		{"no formats", rawBlob(1, 0, 0, 24, 0, 24, 24, nil, nil)},
		{"formats inside header", rawBlob(1, 0, 2, 16, 1, 32, 56, nil, []rawEntry{{mask: 3}})},
		{"formats misaligned", rawBlob(1, 0, 2, 26, 1, 40, 64, nil, nil)},
		{"formats past end", ok()[:28]},
		{"modifiers misaligned", rawBlob(1, 0, 2, 24, 1, 36, 60, f2, []rawEntry{{mask: 3}})},
		{"modifiers past end", ok()[:55]},
		{"huge format count", rawBlob(1, 0, 0xffffffff, 24, 0, 32, 32, nil, nil)},
		{"huge modifier count", rawBlob(1, 0, 2, 24, 0xffffffff, 32, 56, f2, nil)},
		{"offsets near 2^32", rawBlob(1, 0, 2, 0xfffffffc, 1, 32, 56, nil, nil)},
		{"overlap", rawBlob(1, 0, 8, 24, 1, 32, 56, nil, nil)},
		{"bit past formats", rawBlob(1, 0, 2, 24, 1, 32, 56, f2, []rawEntry{{mask: 4}})},
		{"window past formats", rawBlob(1, 0, 2, 24, 1, 32, 56, f2, []rawEntry{{mask: 1, offset: 2}})},
		{"window offset overflow", rawBlob(1, 0, 2, 24, 1, 32, 56, f2, []rawEntry{{mask: 1 << 63, offset: 0xffffffff}})},
		{"pad", rawBlob(1, 0, 2, 24, 1, 32, 56, f2, []rawEntry{{mask: 3, pad: 1}})},
		{"duplicate format", rawBlob(1, 0, 2, 24, 1, 32, 56, []uint32{1, 1}, []rawEntry{{mask: 3}})},
		{"duplicate pair", rawBlob(1, 0, 2, 24, 2, 32, 80, f2, []rawEntry{{mask: 1}, {mask: 1}})},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeInFormats(tc.b)
			require.Error(t, err)
			assert.Nil(t, got)
			assert.ErrorIs(t, err, ErrMalformedInFormats)
			assert.ErrorIs(t, err, syscall.EINVAL)
			assert.False(t, errors.Is(err, syscall.ENOENT))
		})
	}
}

func TestAppendInFormatsNoAlloc(t *testing.T) {
	p, err := Load("intel-like")
	require.NoError(t, err)
	list := p.Planes[0].Formats
	n, err := InFormatsSize(list)
	require.NoError(t, err)
	buf := make([]byte, 0, n)
	allocs := testing.AllocsPerRun(50, func() {
		out, err := AppendInFormats(buf[:0], list)
		if err != nil || len(out) != n {
			t.Fatal("append failed")
		}
	})
	assert.Zero(t, allocs)
}
