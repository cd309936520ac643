package layout

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

func info(t testing.TB, f fourcc.Format) fourcc.Info {
	t.Helper()
	in, ok := fourcc.Lookup(f)
	require.True(t, ok, "format %#x not in the table", uint32(f))
	return in
}

// pl is an expected plane: kind, offset, stride, rows, size.
type pl struct {
	kind   PlaneKind
	main   int
	off    uint32
	stride uint32
	rows   uint32
	size   uint64
}

func amdMod(ver, tile uint64, dcc, retile bool) modifier.Modifier {
	m := modifier.AMDTileVersion.Set(modifier.AMDModBase, ver)
	m = modifier.AMDTile.Set(m, tile)
	if dcc {
		m = modifier.AMDDCC.Set(m, 1)
	}
	if retile {
		m = modifier.AMDDCCRetile.Set(m, 1)
	}
	return m
}

func TestCompute(t *testing.T) {
	nvBL := modifier.NVIDIABlockLinear2D(0, 1, 2, 0xfe, 4)
	nvBLComp := modifier.NVIDIABlockLinear2D(1, 1, 2, 0xfe, 4)
	gfx9 := amdMod(modifier.AMDTileVerGFX9, modifier.AMDTileGFX9_64K_S_X, false, false)
	gfx9DCC := amdMod(modifier.AMDTileVerGFX9, modifier.AMDTileGFX9_64K_S_X, true, false)
	gfx10Retile := amdMod(modifier.AMDTileVerGFX10, modifier.AMDTileGFX9_64K_R_X, true, true)
	gfx12DCC := amdMod(modifier.AMDTileVerGFX12, modifier.AMDTileGFX12_256K_2D, true, false)

	cases := []struct {
		name   string
		f      fourcc.Format
		m      modifier.Modifier
		w, h   uint32
		planes []pl
		total  uint64
	}{
		// LINEAR: stride = min pitch rounded to 64, planes packed at 64-byte offsets.
		{"linear XRGB8888 odd", fourcc.XRGB8888, modifier.Linear, 1921, 1081,
			[]pl{{Color, 0, 0, 7744, 1081, 7744 * 1081}}, 7744 * 1081},
		{"linear NV12 odd", fourcc.NV12, modifier.Linear, 1919, 1079,
			[]pl{{Color, 0, 0, 1920, 1079, 2071680}, {Color, 1, 2071680, 1920, 540, 1036800}}, 3108480},
		{"linear YUV420 odd", fourcc.YUV420, modifier.Linear, 101, 51,
			[]pl{{Color, 0, 0, 128, 51, 6528}, {Color, 1, 6528, 64, 26, 1664}, {Color, 2, 8192, 64, 26, 1664}}, 9856},
		{"linear P010 odd", fourcc.P010, modifier.Linear, 33, 17,
			[]pl{{Color, 0, 0, 128, 17, 2176}, {Color, 1, 2176, 128, 9, 1152}}, 3328},

		// Intel plain tilings (intel_tile_width_bytes: X 512x8, Y/Tile4 128x32, Yf by cpp).
		{"intel X", fourcc.XRGB8888, modifier.IntelXTiled, 1920, 1080,
			[]pl{{Color, 0, 0, 7680, 1080, 8294400}}, 8294400},
		{"intel Y", fourcc.XRGB8888, modifier.IntelYTiled, 1366, 768,
			[]pl{{Color, 0, 0, 5504, 768, 5504 * 768}}, 5504 * 768},
		{"intel Yf cpp1 64x64", fourcc.R8, modifier.IntelYfTiled, 100, 100,
			[]pl{{Color, 0, 0, 128, 128, 16384}}, 16384},
		{"intel Yf cpp8 256x16", fourcc.XRGB16161616F, modifier.IntelYfTiled, 100, 100,
			[]pl{{Color, 0, 0, 1024, 112, 1024 * 112}}, 1024 * 112},
		{"intel 4 NV12", fourcc.NV12, modifier.Intel4Tiled, 1920, 1080,
			[]pl{{Color, 0, 0, 1920, 1088, 2088960}, {Color, 1, 2088960, 1920, 544, 1044480}}, 3133440},

		// gen9-11 CCS: Y-tiled CCS, 1 byte per 8x16 px, 128B x 32-row tiles.
		{"intel Y CCS", fourcc.XRGB8888, modifier.IntelYTiledCCS, 1920, 1080,
			[]pl{{Color, 0, 0, 7680, 1088, 8355840}, {IntelCCS, 0, 8355840, 256, 96, 24576}}, 8380416},
		{"intel Yf CCS", fourcc.ARGB8888, modifier.IntelYfTiledCCS, 64, 64,
			[]pl{{Color, 0, 0, 256, 64, 16384}, {IntelCCS, 0, 16384, 128, 32, 4096}}, 20480},
		// Display WA #0531: above 3840 px the main stride is 4 tiles.
		{"intel Y CCS wide", fourcc.XRGB8888, modifier.IntelYTiledCCS, 3872, 32,
			[]pl{{Color, 0, 0, 15872, 32, 15872 * 32}, {IntelCCS, 0, 15872 * 32, 512, 32, 16384}}, 15872*32 + 16384},

		// GEN12 RC CCS: main stride multiple of 512, aux stride DIV_ROUND_UP(stride, 512)*64
		// (intel_fb.c gen12_ccs_aux_stride), aux rows = main rows / 32.
		{"intel gen12 RC", fourcc.XRGB8888, modifier.IntelYTiledGen12RCCCS, 1920, 1080,
			[]pl{{Color, 0, 0, 7680, 1088, 8355840}, {IntelCCS, 0, 8355840, 960, 34, 32768}}, 8388608},
		{"intel gen12 RC narrow", fourcc.XRGB8888, modifier.IntelYTiledGen12RCCCS, 1000, 10,
			[]pl{{Color, 0, 0, 4096, 32, 131072}, {IntelCCS, 0, 131072, 512, 1, 4096}}, 135168},
		{"intel gen12 RC CC", fourcc.XRGB8888, modifier.IntelYTiledGen12RCCCSCC, 1920, 1080,
			[]pl{{Color, 0, 0, 7680, 1088, 8355840}, {IntelCCS, 0, 8355840, 960, 34, 32768}, {IntelClearColor, 0, 8388608, 64, 1, 64}}, 8392704},
		{"intel gen12 MC NV12", fourcc.NV12, modifier.IntelYTiledGen12MCCCS, 1920, 1080,
			[]pl{{Color, 0, 0, 2048, 1088, 2228224}, {Color, 1, 2228224, 2048, 544, 1114112},
				{IntelCCS, 0, 3342336, 256, 34, 12288}, {IntelCCS, 1, 3354624, 256, 17, 8192}}, 3362816},
		{"intel gen12 MC YUYV", fourcc.YUYV, modifier.IntelYTiledGen12MCCCS, 1920, 1080,
			[]pl{{Color, 0, 0, 4096, 1088, 4096 * 1088}, {IntelCCS, 0, 4096 * 1088, 512, 34, 20480}}, 4096*1088 + 20480},

		// DG2: CCS out of band.
		{"intel DG2 RC", fourcc.XRGB8888, modifier.Intel4TiledDG2RCCCS, 1920, 1080,
			[]pl{{Color, 0, 0, 7680, 1088, 8355840}}, 8355840},
		{"intel DG2 MC NV12", fourcc.NV12, modifier.Intel4TiledDG2MCCCS, 1920, 1080,
			[]pl{{Color, 0, 0, 2048, 1088, 2228224}, {Color, 1, 2228224, 2048, 544, 1114112}}, 3342336},
		{"intel DG2 RC CC", fourcc.XRGB8888, modifier.Intel4TiledDG2RCCCSCC, 1920, 1080,
			[]pl{{Color, 0, 0, 7680, 1088, 8355840}, {IntelClearColor, 0, 8355840, 64, 1, 64}}, 8359936},
		// MTL: in-band aux like gen12, Tile4 main.
		{"intel MTL RC", fourcc.XRGB8888, modifier.Intel4TiledMTLRCCCS, 1920, 1080,
			[]pl{{Color, 0, 0, 7680, 1088, 8355840}, {IntelCCS, 0, 8355840, 960, 34, 32768}}, 8388608},
		{"intel MTL RC CC", fourcc.XRGB8888, modifier.Intel4TiledMTLRCCCSCC, 1920, 1080,
			[]pl{{Color, 0, 0, 7680, 1088, 8355840}, {IntelCCS, 0, 8355840, 960, 34, 32768}, {IntelClearColor, 0, 8388608, 64, 1, 64}}, 8392704},
		{"intel MTL MC NV12", fourcc.NV12, modifier.Intel4TiledMTLMCCCS, 1920, 1080,
			[]pl{{Color, 0, 0, 2048, 1088, 2228224}, {Color, 1, 2228224, 2048, 544, 1114112},
				{IntelCCS, 0, 3342336, 256, 34, 12288}, {IntelCCS, 1, 3354624, 256, 17, 8192}}, 3362816},
		{"intel LNL NV12", fourcc.NV12, modifier.Intel4TiledLNLCCS, 1920, 1080,
			[]pl{{Color, 0, 0, 1920, 1088, 2088960}, {Color, 1, 2088960, 1920, 544, 1044480}}, 3133440},
		{"intel BMG 64K", fourcc.XRGB8888, modifier.Intel4TiledBMGCCS, 1920, 1080,
			[]pl{{Color, 0, 0, 7680, 1088, 8355840}}, 8388608},

		// NVIDIA block linear: 64-byte GOBs, 8 rows (g=2), 2^4 GOBs high.
		{"nvidia BL h4", fourcc.XRGB8888, nvBL, 1920, 1080,
			[]pl{{Color, 0, 0, 7680, 1152, 7680 * 1152}}, 7680 * 1152},
		{"nvidia BL compressed same layout", fourcc.XRGB8888, nvBLComp, 1920, 1080,
			[]pl{{Color, 0, 0, 7680, 1152, 7680 * 1152}}, 7680 * 1152},
		{"nvidia 16Bx2 legacy", fourcc.RGB565, modifier.NVIDIA16Bx2Block(5), 100, 100,
			[]pl{{Color, 0, 0, 256, 256, 65536}}, 65536},
		{"nvidia tegra tiled", fourcc.XRGB8888, modifier.NVIDIATegraTiled, 10, 10,
			[]pl{{Color, 0, 0, 48, 16, 768}}, 768},

		// Samsung NV12MT: every plane whole tiles, so the frame is a
		// multiple of 256x64.
		{"samsung NV12MT", fourcc.NV12, modifier.Samsung64x32Tile, 2048, 1088,
			[]pl{{Color, 0, 0, 2048, 1088, 2228224}, {Color, 1, 2228224, 2048, 544, 1114112}}, 3342336},
		{"samsung NV12MT smallest", fourcc.NV12, modifier.Samsung64x32Tile, 256, 64,
			[]pl{{Color, 0, 0, 256, 64, 16384}, {Color, 1, 16384, 256, 32, 8192}}, 24576},

		// Vivante: 4x4 px tiles and 64x64 px super tiles.
		{"vivante tiled", fourcc.XRGB8888, modifier.VivanteTiled, 100, 50,
			[]pl{{Color, 0, 0, 400, 52, 20800}}, 20800},
		{"vivante super tiled", fourcc.XRGB8888, modifier.VivanteSuperTiled, 100, 50,
			[]pl{{Color, 0, 0, 512, 64, 32768}}, 32768},

		// AMD: 64 KiB blocks are 128x128 px at 4 bytes per pixel.
		{"amd gfx9 64K_S_X", fourcc.XRGB8888, gfx9, 1920, 1080,
			[]pl{{Color, 0, 0, 7680, 1152, 8847360}}, 8847360},
		{"amd gfx9 DCC", fourcc.XRGB8888, gfx9DCC, 1920, 1080,
			[]pl{{Color, 0, 0, 7680, 1152, 8847360}, {AMDDCC, 0, 8847360, 256, 144, 36864}}, 8847360 + 65536},
		{"amd gfx10 DCC retile", fourcc.XRGB8888, gfx10Retile, 1920, 1080,
			[]pl{{Color, 0, 0, 7680, 1152, 8847360}, {AMDDisplayDCC, 0, 8847360, 256, 144, 36864},
				{AMDPipeAlignedDCC, 0, 8884224, 256, 144, 36864}}, 8847360 + 131072},
		{"amd gfx12 DCC single plane", fourcc.XRGB8888, gfx12DCC, 256, 256,
			[]pl{{Color, 0, 0, 1024, 256, 262144}}, 262144},

		// ARM AFBC 16x16: 16-byte headers (rounded to 1 KiB) + 1 KiB payload per superblock at 32 bpp.
		{"arm afbc 16x16", fourcc.XRGB8888, modifier.ARMAFBC(modifier.AFBCBlockSize16x16 | modifier.AFBCSparse), 1920, 1080,
			[]pl{{Color, 0, 0, 7680, 1088, 131072 + 8160*1024}}, 131072 + 8160*1024},
		{"arm afbc 32x8 tiled", fourcc.XRGB8888, modifier.ARMAFBC(modifier.AFBCBlockSize32x8 | modifier.AFBCTiled), 100, 10,
			[]pl{{Color, 0, 0, 1024, 64, 4096 + 64*1024}}, 4096 + 64*1024},
		// Two-plane AFBC (32x8 luma, 64x4 chroma superblocks): each plane
		// is 1 KiB of headers + 4 KiB of payload, so plane 1 starts on the
		// next page, not right after plane 0.
		{"arm afbc nv12 planes page aligned", fourcc.NV12, modifier.ARMAFBC(modifier.AFBCBlockSize32x8_64x4), 64, 64,
			[]pl{{Color, 0, 0, 64, 64, 1024 + 4096}, {Color, 1, 8192, 128, 32, 1024 + 4096}}, 16384},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := info(t, tc.f)
			l, err := Compute(in, tc.m, tc.w, tc.h)
			require.NoError(t, err)
			require.Len(t, l.Planes, len(tc.planes))
			for i, want := range tc.planes {
				got := l.Planes[i]
				assert.Equal(t, want.kind, got.Kind, "plane %d kind", i)
				assert.Equal(t, want.main, got.Main, "plane %d main", i)
				assert.Equal(t, want.off, got.Offset, "plane %d offset", i)
				assert.Equal(t, want.stride, got.Stride, "plane %d stride", i)
				assert.Equal(t, want.rows, got.Rows, "plane %d rows", i)
				assert.Equal(t, want.size, got.Size, "plane %d size", i)
			}
			assert.Equal(t, tc.total, l.Size, "total size")
			assert.Equal(t, tc.f, l.Format)
			assert.Equal(t, tc.m, l.Modifier)
			require.NoError(t, Validate(in, tc.m, tc.w, tc.h, l.ParamsPlanes()), "Validate must accept Compute's layout")
		})
	}
}

// TestPlaneCounts pins the number of memory planes per Intel modifier and
// format to drm_fourcc.h's comments (reference section 3.2).
func TestPlaneCounts(t *testing.T) {
	cases := []struct {
		m       modifier.Modifier
		f       fourcc.Format
		nPlanes int
	}{
		{modifier.IntelYTiledCCS, fourcc.XRGB8888, 2},
		{modifier.IntelYfTiledCCS, fourcc.XRGB8888, 2},
		{modifier.IntelYTiledGen12RCCCS, fourcc.XRGB8888, 2},
		{modifier.IntelYTiledGen12MCCCS, fourcc.YUYV, 2},
		{modifier.IntelYTiledGen12MCCCS, fourcc.NV12, 4},
		{modifier.IntelYTiledGen12MCCCS, fourcc.P010, 4},
		{modifier.IntelYTiledGen12RCCCSCC, fourcc.XRGB8888, 3},
		{modifier.Intel4TiledDG2RCCCS, fourcc.XRGB8888, 1},
		{modifier.Intel4TiledDG2MCCCS, fourcc.NV12, 2},
		{modifier.Intel4TiledDG2RCCCSCC, fourcc.XRGB8888, 2},
		{modifier.Intel4TiledMTLRCCCS, fourcc.XRGB8888, 2},
		{modifier.Intel4TiledMTLMCCCS, fourcc.NV12, 4},
		{modifier.Intel4TiledMTLMCCCS, fourcc.XYUV8888, 2},
		{modifier.Intel4TiledMTLRCCCSCC, fourcc.ABGR8888, 3},
		{modifier.Intel4TiledLNLCCS, fourcc.XRGB8888, 1},
		{modifier.Intel4TiledLNLCCS, fourcc.NV12, 2},
		{modifier.Intel4TiledBMGCCS, fourcc.NV12, 2},
		{amdMod(modifier.AMDTileVerGFX11, modifier.AMDTileGFX11_256K_R_X, false, false), fourcc.XRGB8888, 1},
		{amdMod(modifier.AMDTileVerGFX11, modifier.AMDTileGFX11_256K_R_X, true, false), fourcc.XRGB8888, 2},
		{amdMod(modifier.AMDTileVerGFX10RBPlus, modifier.AMDTileGFX9_64K_R_X, true, true), fourcc.XRGB8888, 3},
		{modifier.ARMAFBC(modifier.AFBCBlockSize32x8_64x4), fourcc.NV12, 2},
	}
	for _, tc := range cases {
		l, err := Compute(info(t, tc.f), tc.m, 640, 480)
		require.NoError(t, err, "%#x %v", uint64(tc.m), tc.f)
		assert.Len(t, l.Planes, tc.nPlanes, "%#x %v", uint64(tc.m), tc.f)
	}
}

func TestComputeRefuses(t *testing.T) {
	cases := []struct {
		name  string
		f     fourcc.Format
		m     modifier.Modifier
		w, h  uint32
		kind  Kind
		cause error
	}{
		{"unknown vendor", fourcc.XRGB8888, modifier.Code(0x0b, 1), 64, 64, InvalidFormat, ErrUnsupportedModifier},
		{"unknown intel", fourcc.XRGB8888, modifier.Code(modifier.VendorIntel, 99), 64, 64, InvalidFormat, ErrUnsupportedModifier},
		{"unknown neutral", fourcc.XRGB8888, modifier.Code(modifier.VendorNone, 5), 64, 64, InvalidFormat, ErrUnsupportedModifier},
		{"amd reserved bits", fourcc.XRGB8888, amdMod(1, 9, false, false) | 1<<40, 64, 64, InvalidFormat, ErrUnsupportedModifier},
		{"amd retile without dcc", fourcc.XRGB8888, amdMod(2, 27, false, true), 64, 64, InvalidFormat, ErrUnsupportedModifier},
		{"amd gfx9 with 256K", fourcc.XRGB8888, amdMod(1, 31, false, false), 64, 64, InvalidFormat, ErrUnsupportedModifier},
		{"amd multi-plane", fourcc.NV12, amdMod(1, 9, false, false), 64, 64, InvalidFormat, nil},
		{"nvidia bad gen", fourcc.XRGB8888, modifier.NVIDIABlockLinear2D(0, 1, 3, 0, 0), 64, 64, InvalidFormat, ErrUnsupportedModifier},
		{"nvidia stray bits", fourcc.XRGB8888, modifier.NVIDIABlockLinear2D(0, 1, 2, 0, 0) | 1<<40, 64, 64, InvalidFormat, ErrUnsupportedModifier},
		{"afbc bad block", fourcc.XRGB8888, modifier.ARMAFBC(7), 64, 64, InvalidFormat, ErrUnsupportedModifier},
		{"implicit", fourcc.XRGB8888, modifier.Invalid, 64, 64, InvalidFormat, ErrNoCanonicalLayout},
		{"afrc", fourcc.XRGB8888, modifier.ARMAFRC(modifier.ARMAFRCMode(1, 0, false)), 64, 64, InvalidFormat, ErrNoCanonicalLayout},
		{"ubwc", fourcc.XRGB8888, modifier.QcomCompressed, 64, 64, InvalidFormat, ErrNoCanonicalLayout},
		// Qualcomm's values are 1 to 3 (COMPRESSED, TILED3, TILED2).
		{"qcom 3", fourcc.XRGB8888, modifier.Code(modifier.VendorQcom, 3), 64, 64, InvalidFormat, ErrNoCanonicalLayout},
		{"qcom 4", fourcc.XRGB8888, modifier.Code(modifier.VendorQcom, 4), 64, 64, InvalidFormat, ErrUnsupportedModifier},
		{"qcom 0", fourcc.XRGB8888, modifier.Code(modifier.VendorQcom, 0), 64, 64, InvalidFormat, ErrUnsupportedModifier},
		{"intel Y CCS NV12", fourcc.NV12, modifier.IntelYTiledCCS, 64, 64, InvalidFormat, nil},
		{"intel RC CCS NV12", fourcc.NV12, modifier.IntelYTiledGen12RCCCS, 64, 64, InvalidFormat, nil},
		{"intel MC CCS RGB", fourcc.XRGB8888, modifier.IntelYTiledGen12MCCCS, 64, 64, InvalidFormat, nil},
		{"linear without bytes", fourcc.YUV420_8BIT, modifier.Linear, 64, 64, InvalidFormat, nil},
		{"NV12MT other format", fourcc.XRGB8888, modifier.Samsung64x32Tile, 128, 32, InvalidFormat, nil},
		{"NV12MT width", fourcc.NV12, modifier.Samsung64x32Tile, 1920, 1080, InvalidDimensions, nil},
		{"NV12MT chroma width", fourcc.NV12, modifier.Samsung64x32Tile, 1920, 1088, InvalidDimensions, nil},
		{"NV12MT chroma height", fourcc.NV12, modifier.Samsung64x32Tile, 256, 96, InvalidDimensions, nil},
		{"NV12MT one tile", fourcc.NV12, modifier.Samsung64x32Tile, 128, 32, InvalidDimensions, nil},
		{"zero width", fourcc.XRGB8888, modifier.Linear, 0, 64, InvalidDimensions, nil},
		{"zero height", fourcc.XRGB8888, modifier.Linear, 64, 0, InvalidDimensions, nil},
		{"huge linear", fourcc.XRGB8888, modifier.Linear, 0xffffffff, 0xffffffff, InvalidDimensions, ErrOverflow},
		{"huge width", fourcc.XRGB16161616F, modifier.Linear, 0xffffffff, 1, InvalidDimensions, ErrOverflow},
		{"huge height", fourcc.R8, modifier.Linear, 1, 0xffffffff, InvalidDimensions, ErrOverflow},
		{"huge tiled", fourcc.XRGB8888, modifier.IntelYTiled, 65536, 65536, InvalidDimensions, ErrOverflow},
		{"huge afbc", fourcc.XRGB8888, modifier.ARMAFBC(1), 0xffffffff, 0xffffffff, InvalidDimensions, ErrOverflow},
		{"huge amd dcc", fourcc.XRGB8888, amdMod(2, 27, true, true), 0xffffffff, 0xffffffff, InvalidDimensions, ErrOverflow},
		{"huge NV12 planes sum", fourcc.NV12, modifier.Linear, 65536, 43691, InvalidDimensions, ErrOverflow},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compute(info(t, tc.f), tc.m, tc.w, tc.h)
			require.Error(t, err)
			var le *Error
			require.True(t, errors.As(err, &le), "error %v is not *Error", err)
			assert.Equal(t, tc.kind, le.Kind, "%v", err)
			assert.ErrorIs(t, err, tc.kind.sentinel())
			if tc.cause != nil {
				assert.ErrorIs(t, err, tc.cause)
			}
			if tc.kind == InvalidFormat {
				// A format or modifier refusal names no plane, except
				// when one plane of the format has no byte layout.
				want := -1
				if tc.name == "linear without bytes" {
					want = 0
				}
				assert.Equal(t, want, le.Plane, "%v", err)
			}
		})
	}
}

// drm_fourcc.h's Vivante fields at their ends: tilings 1 to 4, tile-status
// modes 0 to 4, compression 0 or 1 (DEC400). Values inside are known
// (whatever layout they get); one past any end is an unsupported modifier.
func TestVivanteFieldEdges(t *testing.T) {
	viv := func(base, ts, comp uint64) modifier.Modifier {
		return modifier.Code(modifier.VendorVivante, base|ts<<48|comp<<52)
	}
	for _, c := range []struct {
		m     modifier.Modifier
		known bool
	}{
		{viv(1, 0, 0), true}, {viv(4, 0, 0), true}, {viv(1, 4, 0), true}, {viv(1, 0, 1), true},
		{viv(0, 0, 0), false}, {viv(5, 0, 0), false}, {viv(1, 5, 0), false}, {viv(1, 0, 2), false},
	} {
		_, err := Compute(info(t, fourcc.XRGB8888), c.m, 64, 64)
		if c.known {
			assert.NotErrorIs(t, err, ErrUnsupportedModifier, "%#x", uint64(c.m))
		} else {
			assert.ErrorIs(t, err, ErrUnsupportedModifier, "%#x", uint64(c.m))
		}
	}
}

// drm_fourcc.h's NVIDIA block-linear fields at their ends: block height
// 2^0 to 2^5 GOBs (ONE_GOB .. THIRTYTWO_GOB), GOB kind generations 0 to 2,
// compression 0 (none) to 4 (CDE vertical). One past any end is an
// unsupported modifier.
func TestNVIDIAFieldEdges(t *testing.T) {
	bl := modifier.NVIDIABlockLinear2D
	for _, c := range []struct {
		m     modifier.Modifier
		known bool
	}{
		{bl(0, 1, 2, 0xfe, 0), true}, {bl(0, 1, 2, 0xfe, 5), true},
		{bl(0, 1, 0, 0xfe, 4), true}, {bl(0, 1, 1, 0xfe, 4), true},
		{bl(1, 1, 2, 0xfe, 4), true}, {bl(4, 1, 2, 0xfe, 4), true},
		{bl(0, 1, 2, 0xfe, 6), false}, {bl(0, 1, 3, 0xfe, 4), false},
		{bl(5, 1, 2, 0xfe, 4), false}, {bl(7, 1, 2, 0xfe, 4), false},
	} {
		_, err := Compute(info(t, fourcc.XRGB8888), c.m, 64, 64)
		if c.known {
			assert.NoError(t, err, "%#x", uint64(c.m))
		} else {
			assert.ErrorIs(t, err, ErrUnsupportedModifier, "%#x", uint64(c.m))
		}
	}
}

// AMD swizzle modes address power-of-two pixels only (amdgpu_display.c
// get_block_dimensions takes ilog2(cpp)): 1, 2, 4 and 8 bytes tile, the
// 3-byte RGB888 family does not.
func TestAMDBytesPerPixel(t *testing.T) {
	m := amdMod(modifier.AMDTileVerGFX9, modifier.AMDTileGFX9_64K_S_X, false, false)
	for _, c := range []struct {
		f  fourcc.Format
		ok bool
	}{
		{fourcc.R8, true}, {fourcc.RGB565, true}, {fourcc.XRGB8888, true}, {fourcc.ABGR16161616F, true},
		{fourcc.RGB888, false}, {fourcc.BGR888, false},
	} {
		_, err := Compute(info(t, c.f), m, 64, 64)
		if c.ok {
			assert.NoError(t, err, "%v", c.f)
		} else {
			var le *Error
			require.ErrorAs(t, err, &le, "%v", c.f)
			assert.Equal(t, InvalidFormat, le.Kind, "%v", c.f)
		}
	}
}
