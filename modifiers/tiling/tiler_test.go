package tiling

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/modifiers/modifier"
)

type spotCase struct {
	mod    modifier.Modifier
	cpp    int
	stride int
	height int
	xb, y  int
	want   int
}

func TestOffsetSpotChecks(t *testing.T) {
	perMod := map[string]int{}
	for _, c := range spotChecks {
		name := fmt.Sprintf("%#x/cpp%d", uint64(c.mod), c.cpp)
		tl, err := For(c.mod, c.cpp)
		require.NoError(t, err, name)
		assert.Equal(t, c.want, tl.Offset(c.xb, c.y, c.stride, c.height), "%s (%d,%d) stride %d", name, c.xb, c.y, c.stride)
		perMod[fmt.Sprintf("%#x", uint64(c.mod))]++
	}
	// Every implemented family has at least 20 independent checks.
	for _, m := range implemented() {
		assert.GreaterOrEqual(t, perMod[fmt.Sprintf("%#x", uint64(m.mod))], 20, "spot checks for %#x", uint64(m.mod))
	}
}

type modCPP struct {
	mod modifier.Modifier
	cpp int
}

// implemented lists one Tiler per layout family and interesting cpp.
func implemented() []modCPP {
	var l []modCPP
	for _, cpp := range []int{1, 2, 4, 8, 16} {
		l = append(l,
			modCPP{modifier.Linear, cpp},
			modCPP{modifier.IntelXTiled, cpp},
			modCPP{modifier.IntelYTiled, cpp},
			modCPP{modifier.IntelYfTiled, cpp},
			modCPP{modifier.Intel4Tiled, cpp},
			modCPP{modifier.Samsung64x32Tile, cpp},
			modCPP{modifier.VivanteTiled, cpp},
			modCPP{modifier.VivanteSuperTiled, cpp},
		)
	}
	for h := uint64(0); h <= 5; h++ {
		l = append(l,
			modCPP{modifier.NVIDIA16Bx2Block(h), 4},
			modCPP{modifier.NVIDIABlockLinear2D(0, 1, 2, 0xfe, h), 4},
		)
	}
	l = append(l, modCPP{modifier.Linear, 3}, modCPP{modifier.IntelXTiled, 3}, modCPP{modifier.IntelYTiled, 3})
	return l
}

// alignUp rounds v up to a multiple of a.
func alignUp(v, a int) int { return (v + a - 1) / a * a }

func TestRoundTrip(t *testing.T) {
	sizes := [][2]int{{1, 1}, {17, 33}, {513, 9}, {1000, 37}, {64, 64}, {130, 70}, {3, 100}}
	for _, mc := range implemented() {
		tl, err := For(mc.mod, mc.cpp)
		require.NoError(t, err)
		for _, sz := range sizes {
			w, h := sz[0]*mc.cpp, sz[1]
			t.Run(fmt.Sprintf("%#x/cpp%d/%dx%d", uint64(mc.mod), mc.cpp, sz[0], sz[1]), func(t *testing.T) {
				checkRoundTrip(t, tl, w, h, 0)
				checkRoundTrip(t, tl, w, h, 1) // one spare tile column of stride
			})
		}
	}
}

func checkRoundTrip(t *testing.T, tl *Tiler, w, h, extraTiles int) {
	t.Helper()
	r := rand.New(rand.NewPCG(uint64(w), uint64(h)))
	stride := alignUp(w, tl.StrideAlign()) + extraTiles*tl.StrideAlign()
	size, err := tl.MinSize(stride, w, h)
	require.NoError(t, err)
	linStride := w + 3
	lin := make([]byte, (h-1)*linStride+w)
	for i := range lin {
		lin[i] = byte(r.Uint32())
	}
	// Guard bytes past the allocation and a known fill inside it show that
	// Tile writes only inside the surface's size.
	const guard = 4096
	tiled := make([]byte, size+guard)
	for i := range tiled {
		tiled[i] = 0xa5
	}
	require.NoError(t, tl.Tile(tiled[:size], stride, lin, linStride, w, h))
	for i := size; i < len(tiled); i++ {
		require.Equal(t, byte(0xa5), tiled[i], "Tile wrote past the allocation at %d", i)
	}
	// Every pixel landed where Offset says.
	for y := 0; y < h; y++ {
		for _, xb := range []int{0, w / 2, w - 1} {
			require.Equal(t, lin[y*linStride+xb], tiled[tl.Offset(xb, y, stride, h)], "(%d,%d)", xb, y)
		}
	}
	// Tile wrote exactly w*h bytes: the rest still holds the fill. Bytes
	// that happen to equal the fill are counted as written, so count the
	// fill in lin too.
	changed := 0
	for _, b := range tiled[:size] {
		if b != 0xa5 {
			changed++
		}
	}
	same := 0
	for y := 0; y < h; y++ {
		for _, b := range lin[y*linStride : y*linStride+w] {
			if b == 0xa5 {
				same++
			}
		}
	}
	require.Equal(t, w*h-same, changed, "bytes written by Tile")

	back := make([]byte, len(lin))
	require.NoError(t, tl.Detile(back, linStride, tiled[:size], stride, w, h))
	for y := 0; y < h; y++ {
		require.Equal(t, lin[y*linStride:y*linStride+w], back[y*linStride:y*linStride+w], "row %d", y)
	}
	row := make([]byte, w)
	for _, y := range []int{0, h / 2, h - 1} {
		require.NoError(t, tl.DetileRow(row, tiled[:size], stride, h, y, w))
		require.Equal(t, lin[y*linStride:y*linStride+w], row, "DetileRow %d", y)
	}
	// Tile(Detile(x)) reproduces the tiled surface's plane bytes.
	again := make([]byte, size)
	for i := range again {
		again[i] = 0xa5
	}
	require.NoError(t, tl.Tile(again, stride, back, linStride, w, h))
	require.Equal(t, tiled[:size], again)
}

// TestOffsetBijective checks that inside whole tiles every byte has its own
// offset and all offsets stay inside the allocation.
func TestOffsetBijective(t *testing.T) {
	for _, mc := range implemented() {
		tl, err := For(mc.mod, mc.cpp)
		require.NoError(t, err)
		g := tl.Geometry()
		stride := 2 * tl.StrideAlign()
		h := 2 * g.TileHeight
		size, err := tl.MinSize(stride, stride, h)
		require.NoError(t, err)
		seen := make([]bool, size)
		for y := 0; y < h; y++ {
			for xb := 0; xb < stride; xb++ {
				o := tl.Offset(xb, y, stride, h)
				require.True(t, o >= 0 && o < size, "%#x (%d,%d) -> %d of %d", uint64(mc.mod), xb, y, o, size)
				require.False(t, seen[o], "%#x offset %d twice", uint64(mc.mod), o)
				seen[o] = true
			}
		}
	}
}

func TestGeometryAgrees(t *testing.T) {
	for _, mc := range implemented() {
		tl, err := For(mc.mod, mc.cpp)
		require.NoError(t, err)
		g, err := GeometryFor(mc.mod, mc.cpp)
		require.NoError(t, err)
		assert.Equal(t, g, tl.Geometry(), "%#x cpp %d", uint64(mc.mod), mc.cpp)
		if mc.mod.Vendor() == modifier.VendorIntel {
			// Every Intel tile is 4 KiB on gen8+ (drm_fourcc.h).
			assert.Equal(t, 4096, tl.Geometry().TileSize(), "%#x", uint64(mc.mod))
		}
	}
}

func TestForErrors(t *testing.T) {
	cases := []struct {
		name string
		mod  modifier.Modifier
		cpp  int
		want error
	}{
		{"cpp 0", modifier.Linear, 0, ErrUnsupported},
		{"cpp 17", modifier.IntelYTiled, 17, ErrUnsupported},
		{"Yf cpp 3", modifier.IntelYfTiled, 3, ErrUnsupported},
		{"Vivante cpp 3", modifier.VivanteTiled, 3, ErrUnsupported},
		{"Vivante split", modifier.VivanteSplitTiled, 4, ErrUnsupported},
		{"Vivante TS", modifier.VivanteSuperTiled | 1<<48, 4, ErrCompressed},
		{"Vivante DEC400", modifier.VivanteTiled | 1<<52, 4, ErrCompressed},
		{"AFBC", modifier.ARMAFBC(modifier.AFBCBlockSize16x16), 4, ErrCompressed},
		{"AFRC", modifier.ARMAFRC(modifier.ARMAFRCMode(1, 1, false)), 4, ErrCompressed},
		{"ARM misc", modifier.ARM16x16BlockUInterleaved, 1, ErrUnsupported},
		{"UBWC", modifier.QcomCompressed, 4, ErrCompressed},
		{"Qcom tiled3", modifier.QcomTiled3, 4, ErrUnsupported},
		{"Amlogic FBC", modifier.AmlogicFBC(modifier.AmlogicFBCLayoutBasic, 0), 4, ErrCompressed},
		{"AMD DCC", modifier.AMDDCC.Set(modifier.AMDModBase, 1), 4, ErrCompressed},
		{"AMD plain", modifier.AMDTile.Set(modifier.AMDModBase, modifier.AMDTileGFX9_64K_S), 4, ErrUnsupported},
		{"NV compressed", modifier.NVIDIABlockLinear2D(1, 1, 2, 0xfe, 4), 4, ErrCompressed},
		{"NV G80 GOB", modifier.NVIDIABlockLinear2D(0, 1, 1, 0x70, 4), 4, ErrUnsupported},
		{"NV Fermi desktop", modifier.NVIDIABlockLinear2D(0, 1, 0, 0xfe, 4), 4, ErrUnsupported},
		{"NV h=6", modifier.NVIDIABlockLinear2D(0, 0, 0, 0, 6), 4, ErrUnsupported},
		{"NV reserved", modifier.NVIDIA16Bx2Block(2) | 1<<26, 4, ErrUnsupported},
		{"NV Tegra tiled", modifier.NVIDIATegraTiled, 4, ErrUnsupported},
		{"Broadcom", modifier.BroadcomVC4TTiled, 4, ErrUnsupported},
		{"Invalid", modifier.Invalid, 4, ErrUnsupported},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tl, err := For(c.mod, c.cpp)
			assert.Nil(t, tl)
			assert.ErrorIs(t, err, c.want)
		})
	}
}

func TestCCSUsesBaseTiling(t *testing.T) {
	cases := []struct{ ccs, base modifier.Modifier }{
		{modifier.IntelYTiledCCS, modifier.IntelYTiled},
		{modifier.IntelYTiledGen12RCCCSCC, modifier.IntelYTiled},
		{modifier.IntelYfTiledCCS, modifier.IntelYfTiled},
		{modifier.Intel4TiledMTLMCCCS, modifier.Intel4Tiled},
		{modifier.Intel4TiledBMGCCS, modifier.Intel4Tiled},
	}
	for _, c := range cases {
		a, err := For(c.ccs, 4)
		require.NoError(t, err)
		b, err := For(c.base, 4)
		require.NoError(t, err)
		assert.Equal(t, c.ccs, a.Modifier())
		for _, p := range [][2]int{{0, 0}, {17, 5}, {200, 40}, {255, 63}} {
			assert.Equal(t, b.Offset(p[0], p[1], 256, 64), a.Offset(p[0], p[1], 256, 64), "%#x at %v", uint64(c.ccs), p)
		}
	}
}

func TestBoundsErrors(t *testing.T) {
	y, err := For(modifier.IntelYTiled, 4)
	require.NoError(t, err)
	sam, err := For(modifier.Samsung64x32Tile, 1)
	require.NoError(t, err)
	tiled := make([]byte, 256*64)
	lin := make([]byte, 200*40)
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"short tiled src", y.Detile(lin, 200, tiled[:256*33], 256, 200, 40), ErrShortBuffer},
		{"short linear dst", y.Detile(lin[:100], 200, tiled, 256, 200, 40), ErrShortBuffer},
		{"stride not tile multiple", y.Detile(lin, 200, tiled, 200, 200, 40), ErrBadStride},
		{"stride below width", y.Detile(lin, 200, tiled, 128, 200, 40), ErrBadStride},
		{"linear stride below width", y.Detile(lin, 100, tiled, 256, 200, 40), ErrBadStride},
		{"negative height", y.Detile(lin, 200, tiled, 256, 200, -1), ErrBadSize},
		{"negative width", y.Tile(tiled, 256, lin, 200, -4, 4), ErrBadSize},
		{"short tiled dst", y.Tile(tiled[:4095], 256, lin, 200, 200, 32), ErrShortBuffer},
		{"row past height", y.DetileRow(lin, tiled, 256, 40, 40, 200), ErrBadSize},
		{"negative row", y.DetileRow(lin, tiled, 256, 40, -1, 200), ErrBadSize},
		{"short row", y.DetileRow(lin[:10], tiled, 256, 40, 3, 200), ErrShortBuffer},
		{"TileRow short", y.TileRow(tiled, lin[:10], 256, 40, 3, 200), ErrShortBuffer},
		{"Samsung odd tile columns", sam.Detile(lin, 200, tiled, 192, 192, 32), ErrBadStride},
		{"huge", y.Detile(lin, 200, tiled, 1<<40, 200, 40), ErrBadStride},
	}
	for _, c := range cases {
		assert.ErrorIs(t, c.err, c.want, c.name)
	}
	size, err := y.MinSize(256, 200, 40)
	require.NoError(t, err)
	assert.Equal(t, 256*64, size)
	_, err = y.MinSize(250, 200, 40)
	assert.True(t, errors.Is(err, ErrBadStride))
	assert.Equal(t, -1, y.Offset(256, 0, 256, 64))
	assert.Equal(t, -1, y.Offset(0, 64, 256, 64))
	assert.Equal(t, -1, y.Offset(-1, 0, 256, 64))
	assert.Equal(t, -1, y.Offset(0, 0, 100, 64))
}

func TestZeroSizeIsNoop(t *testing.T) {
	tl, err := For(modifier.IntelXTiled, 4)
	require.NoError(t, err)
	assert.NoError(t, tl.Detile(nil, 0, nil, 512, 0, 10))
	assert.NoError(t, tl.Tile(nil, 512, nil, 40, 10, 0))
}

func TestForCaches(t *testing.T) {
	a, err := For(modifier.IntelYTiled, 4)
	require.NoError(t, err)
	b, err := For(modifier.IntelYTiled, 4)
	require.NoError(t, err)
	assert.Same(t, a, b)
	allocs := testing.AllocsPerRun(100, func() { _, _ = For(modifier.IntelYTiled, 4) })
	assert.Zero(t, allocs)
}

func TestDetileRowDoesNotAllocate(t *testing.T) {
	for _, m := range []modifier.Modifier{modifier.Linear, modifier.IntelXTiled, modifier.IntelYTiled, modifier.Intel4Tiled, modifier.Samsung64x32Tile, modifier.VivanteSuperTiled} {
		tl, err := For(m, 4)
		require.NoError(t, err)
		stride := 8192
		src := make([]byte, stride*64)
		row := make([]byte, 7680)
		var rowErr error
		allocs := testing.AllocsPerRun(50, func() {
			for y := 0; y < 64; y++ {
				if err := tl.DetileRow(row, src, stride, 64, y, 7680); err != nil {
					rowErr = err
				}
			}
		})
		require.NoError(t, rowErr)
		assert.Zero(t, allocs, "%#x", uint64(m))
	}
}
