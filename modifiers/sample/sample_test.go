package sample

import (
	"errors"
	"fmt"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/layout"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/headwaywl/headway/modifiers/tiling"
)

func lookup(t testing.TB, f fourcc.Format) fourcc.Info {
	t.Helper()
	info, ok := fourcc.Lookup(f)
	require.True(t, ok, "format %s", f)
	return info
}

// pattern is the linear content of row y of colour plane p: distinct per
// plane, row and byte, so a misplaced byte anywhere shows up.
func pattern(p, y, n int) []byte {
	row := make([]byte, n)
	for i := range row {
		row[i] = byte(i*7 + y*13 + p*101 + i>>8)
	}
	return row
}

// allocate lays a buffer out as layout.Compute says, and writes the
// pattern into every colour plane through the modifier's tiler, the way a
// client with a software tiler would.
func allocate(t testing.TB, info fourcc.Info, m modifier.Modifier, w, h uint32) (layout.Layout, []byte, []Plane) {
	t.Helper()
	l, err := layout.Compute(info, m, w, h)
	require.NoError(t, err)
	obj := make([]byte, l.Size)
	planes := make([]Plane, len(l.Planes))
	for i, pl := range l.Planes {
		planes[i] = Plane{Data: obj, Offset: pl.Offset, Stride: pl.Stride}
		if pl.Kind != layout.Color {
			continue
		}
		tl, err := tiling.For(m, int(info.CharPerBlock[pl.Main]))
		if errors.Is(err, tiling.ErrCompressed) {
			continue // no software encoder: the object stays zero
		}
		require.NoError(t, err)
		wb := int(info.MinPitch(pl.Main, uint32(info.PlaneWidth(int(w), pl.Main))))
		rows := info.PlaneHeight(int(h), pl.Main)
		for y := 0; y < rows; y++ {
			require.NoError(t, tl.TileRow(obj[pl.Offset:], pattern(pl.Main, y, wb), int(pl.Stride), rows, y, wb))
		}
	}
	return l, obj, planes
}

func TestRowsMatchWhatTheClientWrote(t *testing.T) {
	nv := modifier.NVIDIA16Bx2Block(2)
	tests := []struct {
		format fourcc.Format
		mod    modifier.Modifier
		w, h   uint32
	}{
		{fourcc.XRGB8888, modifier.Linear, 37, 19},
		{fourcc.NV12, modifier.Linear, 38, 20},
		{fourcc.YUV420, modifier.Linear, 38, 21},
		{fourcc.XRGB8888, modifier.IntelXTiled, 300, 17},
		{fourcc.XRGB8888, modifier.IntelYTiled, 100, 70},
		{fourcc.NV12, modifier.IntelYTiled, 130, 66},
		{fourcc.RGB565, modifier.IntelYfTiled, 90, 40},
		{fourcc.XRGB8888, modifier.Intel4Tiled, 200, 33},
		{fourcc.XRGB8888, modifier.IntelYTiledCCS, 256, 64},
		{fourcc.XRGB8888, modifier.IntelYTiledGen12RCCCS, 256, 64},
		{fourcc.XRGB8888, modifier.IntelYTiledGen12RCCCSCC, 256, 64},
		{fourcc.NV12, modifier.IntelYTiledGen12MCCCS, 256, 64},
		{fourcc.XRGB8888, modifier.Intel4TiledDG2RCCCS, 256, 64},
		{fourcc.XRGB8888, modifier.Intel4TiledMTLRCCCS, 256, 64},
		{fourcc.XRGB8888, nv, 100, 50},
		{fourcc.NV12, modifier.Samsung64x32Tile, 256, 192},
		{fourcc.XRGB8888, modifier.VivanteTiled, 30, 30},
		{fourcc.XRGB8888, modifier.VivanteSuperTiled, 130, 70},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s/%dx%d", tt.format, modifier.Name(tt.mod), tt.w, tt.h), func(t *testing.T) {
			info := lookup(t, tt.format)
			l, _, planes := allocate(t, info, tt.mod, tt.w, tt.h)
			b, err := Open(info, tt.mod, tt.w, tt.h, planes)
			require.NoError(t, err)
			require.Equal(t, int(info.NumPlanes), b.Planes())
			require.NoError(t, b.CheckAux(), "freshly allocated CCS is all zero")
			for p := 0; p < b.Planes(); p++ {
				row := make([]byte, b.RowBytes(p))
				for y := 0; y < b.Rows(p); y++ {
					require.NoError(t, b.Row(p, y, row))
					require.Equal(t, pattern(p, y, len(row)), row, "plane %d row %d", p, y)
				}
				whole := make([]byte, b.RowBytes(p)*b.Rows(p))
				require.NoError(t, b.ReadPlane(p, whole, b.RowBytes(p)))
				for y := 0; y < b.Rows(p); y++ {
					require.Equal(t, pattern(p, y, b.RowBytes(p)), whole[y*b.RowBytes(p):(y+1)*b.RowBytes(p)])
				}
			}
			assert.Len(t, l.Planes, len(planes))
		})
	}
}

func TestCCSWithCompressedDataIsReportedNotGuessed(t *testing.T) {
	tests := []struct {
		mod       modifier.Modifier
		format    fourcc.Format
		auxPlane  int
		auxMain   int
		auxOffset uint32
	}{
		{modifier.IntelYTiledGen12RCCCS, fourcc.XRGB8888, 1, 0, 70},
		{modifier.IntelYTiledCCS, fourcc.XRGB8888, 1, 0, 3},
		{modifier.IntelYTiledGen12MCCCS, fourcc.NV12, 3, 1, 0},
		{modifier.Intel4TiledMTLRCCCS, fourcc.XRGB8888, 1, 0, 1},
	}
	for _, tt := range tests {
		t.Run(modifier.Name(tt.mod), func(t *testing.T) {
			info := lookup(t, tt.format)
			l, obj, planes := allocate(t, info, tt.mod, 256, 64)
			require.Equal(t, layout.IntelCCS, l.Planes[tt.auxPlane].Kind)
			obj[l.Planes[tt.auxPlane].Offset+tt.auxOffset] = 0x5a

			b, err := Open(info, tt.mod, 256, 64, planes)
			require.NoError(t, err, "a compressed CCS buffer still imports")
			err = b.CheckAux()
			var ae *AuxError
			require.ErrorAs(t, err, &ae)
			assert.ErrorIs(t, err, ErrAuxNotClear)
			assert.Equal(t, AuxError{Plane: tt.auxPlane, Main: tt.auxMain, Offset: uint64(tt.auxOffset), Value: 0x5a}, *ae)
			assert.Contains(t, err.Error(), "all-zero CCS")

			dst := make([]byte, b.RowBytes(0)*b.Rows(0))
			assert.ErrorIs(t, b.ReadPlane(0, dst, b.RowBytes(0)), ErrAuxNotClear)
		})
	}
}

func TestClearColourPlaneIsIgnored(t *testing.T) {
	info := lookup(t, fourcc.XRGB8888)
	l, obj, planes := allocate(t, info, modifier.IntelYTiledGen12RCCCSCC, 256, 64)
	require.Len(t, l.Planes, 3)
	require.Equal(t, layout.IntelClearColor, l.Planes[2].Kind)
	for i := uint32(0); i < 16; i++ {
		obj[l.Planes[2].Offset+i] = 0xff
	}
	b, err := Open(info, modifier.IntelYTiledGen12RCCCSCC, 256, 64, planes)
	require.NoError(t, err)
	assert.NoError(t, b.CheckAux())
}

func TestOtherCompressedFamiliesAreRefused(t *testing.T) {
	amdDCC := modifier.AMDDCC.Set(modifier.AMDTileVersion.Set(modifier.AMDTile.Set(modifier.AMDModBase, modifier.AMDTileGFX9_64K_S_X), modifier.AMDTileVerGFX10), 1)
	tests := []struct {
		name string
		mod  modifier.Modifier
	}{
		{"ARM AFBC", modifier.ARMAFBC(modifier.AFBCBlockSize16x16 | modifier.AFBCSparse)},
		{"AMD DCC", amdDCC},
		{"NVIDIA compressed", modifier.NVIDIABlockLinear2D(1, 1, 2, 0xfe, 2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info := lookup(t, fourcc.XRGB8888)
			_, _, planes := allocate(t, info, tt.mod, 256, 64)
			_, err := Open(info, tt.mod, 256, 64, planes)
			require.ErrorIs(t, err, tiling.ErrCompressed)
			assert.Contains(t, err.Error(), modifier.Name(tt.mod))
		})
	}

	// UBWC has no canonical layout; a client-made layout that validates is
	// still refused for sampling.
	info := lookup(t, fourcc.XRGB8888)
	obj := make([]byte, 1<<20)
	_, err := Open(info, modifier.QcomCompressed, 256, 64, []Plane{{Data: obj, Stride: 1024}})
	if err != nil && !errors.Is(err, tiling.ErrCompressed) {
		var le *layout.Error
		require.ErrorAs(t, err, &le, "UBWC is refused either by layout or as compressed: %v", err)
	}
	require.Error(t, err)
}

func TestBadLayoutIsALayoutError(t *testing.T) {
	info := lookup(t, fourcc.XRGB8888)
	obj := make([]byte, 64*64*4)
	_, err := Open(info, modifier.Linear, 64, 64, []Plane{{Data: obj, Stride: 100}})
	var le *layout.Error
	require.ErrorAs(t, err, &le)

	_, err = Open(info, modifier.Linear, 64, 64, []Plane{{Data: obj[:100], Stride: 256}})
	require.ErrorAs(t, err, &le, "an object too small for its rows")
	assert.ErrorIs(t, err, layout.ErrOutOfBounds)
}

func TestRowOutOfRange(t *testing.T) {
	info := lookup(t, fourcc.NV12)
	_, _, planes := allocate(t, info, modifier.Linear, 16, 16)
	b, err := Open(info, modifier.Linear, 16, 16, planes)
	require.NoError(t, err)
	row := make([]byte, 16)
	for _, c := range []struct{ p, y int }{{-1, 0}, {2, 0}, {0, 16}, {1, 8}, {0, -1}} {
		assert.ErrorIs(t, b.Row(c.p, c.y, row), ErrNoSuchRow, "plane %d row %d", c.p, c.y)
	}
	assert.Error(t, b.Row(0, 0, row[:3]), "a short destination is refused, not overrun")

	// The plane index one past the last is refused by every accessor.
	require.Equal(t, 2, b.Planes())
	for _, p := range []int{-1, 2} {
		assert.Zero(t, b.RowBytes(p), "RowBytes(%d)", p)
		assert.Zero(t, b.Rows(p), "Rows(%d)", p)
		assert.ErrorIs(t, b.ReadPlane(p, make([]byte, 16*16), 16), ErrNoSuchRow, "ReadPlane(%d)", p)
	}
	assert.Equal(t, 16, b.RowBytes(1), "NV12's CbCr plane: 8 pairs")
	assert.Equal(t, 8, b.Rows(1))
}

// A client may shrink its memfd after handing it over; reading the mapping
// past the new end raises SIGBUS, which must become EFAULT, not a crash.
func TestTruncatedMemfdIsEFAULT(t *testing.T) {
	const w, h = 256, 256
	size := w * h * 4
	fd, err := unix.MemfdCreate("headway-sample-test", unix.MFD_CLOEXEC)
	require.NoError(t, err)
	defer unix.Close(fd)
	require.NoError(t, unix.Ftruncate(fd, int64(size)))
	mem, err := unix.Mmap(fd, 0, size, unix.PROT_READ, unix.MAP_SHARED)
	require.NoError(t, err)
	defer unix.Munmap(mem)

	info := lookup(t, fourcc.XRGB8888)
	b, err := Open(info, modifier.Linear, w, h, []Plane{{Data: mem, Stride: w * 4}})
	require.NoError(t, err)
	row := make([]byte, w*4)
	require.NoError(t, b.Row(0, h-1, row))

	require.NoError(t, unix.Ftruncate(fd, 4096))
	err = b.Row(0, h-1, row)
	require.ErrorIs(t, err, syscall.EFAULT)
	assert.NoError(t, b.Row(0, 0, row), "the part still backed by the file reads fine")
	dst := make([]byte, size)
	assert.ErrorIs(t, b.ReadPlane(0, dst, w*4), syscall.EFAULT)
}

func TestRowDoesNotAllocate(t *testing.T) {
	info := lookup(t, fourcc.XRGB8888)
	_, _, planes := allocate(t, info, modifier.IntelYTiled, 640, 480)
	b, err := Open(info, modifier.IntelYTiled, 640, 480, planes)
	require.NoError(t, err)
	row := make([]byte, b.RowBytes(0))
	y := 0
	allocs := testing.AllocsPerRun(100, func() {
		if err := b.Row(0, y%480, row); err != nil {
			t.Fatal(err)
		}
		y++
	})
	assert.Zero(t, allocs)
}

func BenchmarkRow(b *testing.B) {
	for _, m := range []modifier.Modifier{modifier.Linear, modifier.IntelXTiled, modifier.IntelYTiled, modifier.Intel4Tiled, modifier.IntelYTiledGen12RCCCS} {
		b.Run(modifier.Name(m), func(b *testing.B) {
			info := lookup(b, fourcc.XRGB8888)
			_, _, planes := allocate(b, info, m, 1920, 1080)
			buf, err := Open(info, m, 1920, 1080, planes)
			require.NoError(b, err)
			row := make([]byte, buf.RowBytes(0))
			b.SetBytes(int64(len(row)) * 1080)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for y := 0; y < 1080; y++ {
					if err := buf.Row(0, y, row); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
