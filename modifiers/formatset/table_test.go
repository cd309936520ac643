package formatset

import (
	"encoding/binary"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/modifiers/modifier"
)

// littleEndianHost reports whether native order is little-endian; the
// committed golden files were generated on such a host.
func littleEndianHost() bool {
	return binary.NativeEndian.Uint16([]byte{1, 0}) == 1
}

func TestTableAddDedupAndIndex(t *testing.T) {
	var tb Table
	i0, err := tb.Add(xr24, yt)
	require.NoError(t, err)
	i1, err := tb.Add(xr24, lin)
	require.NoError(t, err)
	again, err := tb.Add(xr24, yt)
	require.NoError(t, err)
	assert.Equal(t, uint16(0), i0)
	assert.Equal(t, uint16(1), i1)
	assert.Equal(t, uint16(0), again)
	assert.Equal(t, 2, tb.Len())
	assert.Equal(t, 32, tb.Size())

	idx, ok := tb.Index(xr24, lin)
	assert.True(t, ok)
	assert.Equal(t, uint16(1), idx)
	_, ok = tb.Index(xr24, inv)
	assert.False(t, ok)

	p, err := tb.Entry(1)
	require.NoError(t, err)
	assert.Equal(t, Pair{xr24, lin}, p)
	for _, bad := range []int{-1, 2, 1 << 20} {
		_, err = tb.Entry(bad)
		assert.ErrorIs(t, err, ErrIndexOutOfRange, "index %d", bad)
	}
	assert.Equal(t, []Pair{{xr24, yt}, {xr24, lin}}, tb.Entries())

	var nilTable *Table
	assert.Equal(t, 0, nilTable.Len())
	_, ok = nilTable.Index(xr24, lin)
	assert.False(t, ok)
	assert.Empty(t, nilTable.Bytes())
}

func TestTableBytesKnownEntry(t *testing.T) {
	var tb Table
	require.NoError(t, tb.AddSet(mk(fm{xr24, ms(lin, yt)})))
	b := tb.Bytes()
	require.Len(t, b, 32)

	// Entry 1 is XR24 ('X','R','2','4' = 0x34325258) with I915 Y-tiling
	// (vendor 0x01, value 2 = 0x0100000000000002), at byte offset 16.
	var want []byte
	if littleEndianHost() {
		want = []byte{
			0x58, 0x52, 0x32, 0x34, // format
			0, 0, 0, 0, // padding
			0x02, 0, 0, 0, 0, 0, 0, 0x01, // modifier
		}
	} else {
		want = []byte{
			0x34, 0x32, 0x52, 0x58,
			0, 0, 0, 0,
			0x01, 0, 0, 0, 0, 0, 0, 0x02,
		}
	}
	assert.Equal(t, want, b[16:32])
	// Entry 0 is XR24/LINEAR: everything after the format is zero.
	assert.Equal(t, want[:4], b[:4])
	assert.Equal(t, make([]byte, 12), b[4:16])
}

func TestTableBytesMatchCGolden(t *testing.T) {
	if !littleEndianHost() {
		t.Skip("testdata/table_golden.bin was generated on a little-endian host")
	}
	golden, err := os.ReadFile("testdata/table_golden.bin")
	require.NoError(t, err)

	var tb Table
	pairs := []Pair{
		{xr24, yt}, {xr24, lin}, {xr24, inv},
		{ar24, t4}, {ar24, lin},
		{nv12, afbc},
		{xr24 | 1<<31, lin},
	}
	for _, p := range pairs {
		_, err := tb.Add(p.Format, p.Modifier)
		require.NoError(t, err)
	}
	assert.Equal(t, golden, tb.Bytes())

	parsed, err := ParseTable(golden)
	require.NoError(t, err)
	assert.Equal(t, pairs, parsed.Entries())
}

func TestTableLimit(t *testing.T) {
	var tb Table
	for i := range MaxTableEntries {
		_, err := tb.Add(xr24, modifier.Modifier(i))
		require.NoError(t, err)
	}
	assert.Equal(t, 65536, tb.Len())
	last, ok := tb.Index(xr24, modifier.Modifier(65535))
	require.True(t, ok)
	assert.Equal(t, uint16(65535), last)

	// Re-adding an existing pair is still fine; a new one is not.
	_, err := tb.Add(xr24, modifier.Modifier(7))
	require.NoError(t, err)
	_, err = tb.Add(xr24, modifier.Modifier(65536))
	require.ErrorIs(t, err, ErrTableTooLarge)
	assert.Equal(t, 65536, tb.Len())
	_, ok = tb.Index(xr24, modifier.Modifier(65536))
	assert.False(t, ok)
}

func TestParseTable(t *testing.T) {
	var tb Table
	require.NoError(t, tb.AddSet(mk(fm{xr24, ms(lin, inv)}, fm{nv12, ms(afbc)})))
	raw := tb.Bytes()

	t.Run("round trip", func(t *testing.T) {
		got, err := ParseTable(raw)
		require.NoError(t, err)
		assert.Equal(t, tb.Entries(), got.Entries())
		i, ok := got.Index(nv12, afbc)
		assert.True(t, ok)
		assert.Equal(t, uint16(2), i)
	})
	t.Run("empty", func(t *testing.T) {
		got, err := ParseTable(nil)
		require.NoError(t, err)
		assert.Equal(t, 0, got.Len())
	})
	t.Run("padding ignored, duplicates kept, first index wins", func(t *testing.T) {
		b := append(append([]byte(nil), raw...), raw[:16]...)
		b[4], b[5] = 0xde, 0xad // padding of entry 0
		got, err := ParseTable(b)
		require.NoError(t, err)
		assert.Equal(t, 4, got.Len())
		i, ok := got.Index(xr24, lin)
		assert.True(t, ok)
		assert.Equal(t, uint16(0), i)
		p, err := got.Entry(3)
		require.NoError(t, err)
		assert.Equal(t, Pair{xr24, lin}, p)
	})
	for _, n := range []int{1, 15, 17, 47} {
		_, err := ParseTable(make([]byte, n))
		assert.ErrorIs(t, err, ErrTableSize, "%d bytes", n)
	}
	t.Run("limit", func(t *testing.T) {
		got, err := ParseTable(make([]byte, MaxTableEntries*EntrySize))
		require.NoError(t, err)
		assert.Equal(t, MaxTableEntries, got.Len())
		_, err = ParseTable(make([]byte, (MaxTableEntries+1)*EntrySize))
		assert.ErrorIs(t, err, ErrTableTooLarge)
	})
}

func TestParseIndicesAndResolve(t *testing.T) {
	var tb Table
	require.NoError(t, tb.AddSet(mk(fm{xr24, ms(lin, inv)}, fm{ar24, ms(lin)})))

	b := make([]byte, 0, 8)
	for _, i := range []uint16{2, 0, 2, 1} {
		b = binary.NativeEndian.AppendUint16(b, i)
	}
	idx, err := ParseIndices(b)
	require.NoError(t, err)
	assert.Equal(t, []uint16{2, 0, 2, 1}, idx)

	s, err := tb.Resolve(idx)
	require.NoError(t, err)
	assert.True(t, s.EqualOrdered(mk(fm{ar24, ms(lin)}, fm{xr24, ms(lin, inv)})), "got %v", s)

	_, err = tb.Resolve([]uint16{0, 3})
	assert.ErrorIs(t, err, ErrIndexOutOfRange)

	_, err = ParseIndices([]byte{1, 2, 3})
	assert.ErrorIs(t, err, ErrIndicesSize)
	idx, err = ParseIndices(nil)
	require.NoError(t, err)
	assert.Empty(t, idx)
}

func FuzzParseTable(f *testing.F) {
	var tb Table
	_ = tb.AddSet(mk(fm{xr24, ms(lin, yt, inv)}, fm{nv12, ms(afbc)}))
	f.Add(tb.Bytes(), []byte{0, 0, 1, 0})
	f.Add([]byte{}, []byte{})
	f.Add(make([]byte, 17), []byte{9})
	f.Fuzz(func(t *testing.T, table, indices []byte) {
		got, err := ParseTable(table)
		if err != nil {
			require.Nil(t, got)
			require.True(t, len(table)%EntrySize != 0 || len(table) > MaxTableEntries*EntrySize)
			return
		}
		require.Equal(t, len(table)/EntrySize, got.Len())
		// Re-encoding reproduces the input with padding zeroed.
		want := append([]byte{}, table...)
		for i := 4; i < len(want); i += EntrySize {
			copy(want[i:i+4], []byte{0, 0, 0, 0})
		}
		require.Equal(t, want, got.Bytes())
		for i, p := range got.Entries() {
			j, ok := got.Index(p.Format, p.Modifier)
			require.True(t, ok)
			require.LessOrEqual(t, int(j), i)
		}

		idx, err := ParseIndices(indices)
		if err != nil {
			require.ErrorIs(t, err, ErrIndicesSize)
			return
		}
		s, err := got.Resolve(idx)
		if err != nil {
			require.ErrorIs(t, err, ErrIndexOutOfRange)
			return
		}
		require.LessOrEqual(t, s.Len(), len(idx))
	})
}

func BenchmarkTableBytes(b *testing.B) {
	x, y := realisticSets()
	var tb Table
	require.NoError(b, tb.AddSet(x.Union(y)))
	buf := make([]byte, 0, tb.Size())
	b.SetBytes(int64(tb.Size()))
	b.ReportAllocs()
	for b.Loop() {
		buf = tb.AppendBytes(buf[:0])
	}
}

func BenchmarkParseTable(b *testing.B) {
	x, y := realisticSets()
	var tb Table
	require.NoError(b, tb.AddSet(x.Union(y)))
	raw := tb.Bytes()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseTable(raw); err != nil {
			b.Fatal(err)
		}
	}
}
