package modifier

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nullMarker is what modnames.c prints for a NULL result.
const nullMarker = "(null)"

type goldenRow struct {
	m            Modifier
	vendor, name string
}

func loadGolden(t testing.TB) []goldenRow {
	t.Helper()
	f, err := os.Open("testdata/libdrm-modifier-names.tsv")
	require.NoError(t, err)
	defer f.Close()
	var rows []goldenRow
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		parts := strings.Split(sc.Text(), "\t")
		require.Len(t, parts, 3, "line %d", line)
		v, err := strconv.ParseUint(strings.TrimPrefix(parts[0], "0x"), 16, 64)
		require.NoError(t, err, "line %d", line)
		rows = append(rows, goldenRow{Modifier(v), parts[1], parts[2]})
	}
	require.NoError(t, sc.Err())
	require.Greater(t, len(rows), 1000, "golden data looks truncated")
	return rows
}

func orNull(s string, ok bool) string {
	if !ok {
		return nullMarker
	}
	return s
}

func TestLibdrmGolden(t *testing.T) {
	var bad []string
	for _, r := range loadGolden(t) {
		gv := orNull(LibdrmVendor(r.m))
		gn := orNull(LibdrmName(r.m))
		if gv != r.vendor || gn != r.name {
			bad = append(bad, fmt.Sprintf("0x%016x: got %s/%s, libdrm %s/%s", uint64(r.m), gv, gn, r.vendor, r.name))
		}
	}
	assert.Empty(t, bad, "%d mismatches with libdrm 2.4.114", len(bad))
}

func TestNamesNonEmptyAndOwnFormsUnique(t *testing.T) {
	rows := loadGolden(t)
	// libdrm's names per vendor, to check that our own forms never take one.
	libdrmNames := map[string]Modifier{}
	for _, r := range rows {
		if r.name != nullMarker {
			libdrmNames[VendorName(r.m)+"_"+r.name] = r.m
		}
	}
	own := map[string]Modifier{}
	for _, r := range rows {
		vn, n := VendorName(r.m), Name(r.m)
		require.NotEmpty(t, vn, "0x%016x", uint64(r.m))
		require.NotEmpty(t, n, "0x%016x", uint64(r.m))
		assert.Equal(t, n, r.m.String())
		if r.name != nullMarker {
			assert.Equal(t, r.name, n, "Name must be libdrm's when it has one")
			continue
		}
		q := vn + "_" + n
		if prev, dup := own[q]; dup {
			assert.Equal(t, prev, r.m, "own form %q names two values", q)
		}
		own[q] = r.m
		if other, clash := libdrmNames[q]; clash {
			assert.Equal(t, other, r.m, "own form %q is libdrm's name of another value", q)
		}
	}
}

// TestParseRoundTrip checks Parse(VendorName(m)+"_"+Name(m)) for every
// golden value: exact, or the canonical value of a lossy libdrm name.
func TestParseRoundTrip(t *testing.T) {
	exact, canonical := 0, 0
	for _, r := range loadGolden(t) {
		q := VendorName(r.m) + "_" + Name(r.m)
		got, err := Parse(q)
		require.NoError(t, err, "0x%016x %q", uint64(r.m), q)
		if got == r.m {
			exact++
			continue
		}
		// Only libdrm's own (lossy) names may canonicalise.
		_, fromLibdrm := LibdrmName(r.m)
		require.True(t, fromLibdrm, "0x%016x: own form %q parsed to 0x%016x", uint64(r.m), q, uint64(got))
		require.Equal(t, Name(r.m), Name(got), "0x%016x: canonical value must keep the name", uint64(r.m))
		require.Equal(t, got.Vendor(), r.m.Vendor())
		canonical++
		// Canonicalisation is idempotent.
		again, err := Parse(q)
		require.NoError(t, err)
		require.Equal(t, got, again)
	}
	t.Logf("%d exact round trips, %d canonicalised lossy libdrm names", exact, canonical)
	assert.Positive(t, exact)
}

func TestParseAccepts(t *testing.T) {
	tests := []struct {
		in   string
		want Modifier
	}{
		{"0x0100000000000002", IntelYTiled},
		{"0X0100000000000002", IntelYTiled},
		{" 0x0 ", Linear},
		{"72057594037927937", IntelXTiled},
		{"0", Linear},
		{"I915_FORMAT_MOD_Y_TILED", IntelYTiled},
		{"I915_FORMAT_MOD_Yf_TILED_CCS", IntelYfTiledCCS},
		{"I915_FORMAT_MOD_4_TILED_BMG_CCS", Intel4TiledBMGCCS},
		{"DRM_FORMAT_MOD_LINEAR", Linear},
		{"DRM_FORMAT_MOD_NONE", Linear},
		{"DRM_FORMAT_MOD_INVALID", Invalid},
		{"DRM_FORMAT_MOD_BROADCOM_SAND128", BroadcomSAND128},
		{"DRM_FORMAT_MOD_SAMSUNG_64_32_TILE", Samsung64x32Tile},
		{"DRM_FORMAT_MOD_GENERIC_16_16_TILE", Samsung16x16Tile},
		{"DRM_FORMAT_MOD_NVIDIA_16BX2_BLOCK_FOUR_GOB", NVIDIA16Bx2Block(2)},
		{"DRM_FORMAT_MOD_ARM_16X16_BLOCK_U_INTERLEAVED", ARM16x16BlockUInterleaved},
		{"INTEL_Y_TILED", IntelYTiled},
		{"INTEL_4_TILED_MTL_RC_CCS", Intel4TiledMTLRCCCS},
		{"VIVANTE_TILED", VivanteTiled},
		{"ALLWINNER_TILED", AllwinnerTiled},
		{"NONE_LINEAR", Linear},
		{"LINEAR", Linear},
		{"INVALID", Invalid},
		{"X_TILED", IntelXTiled},
		{"4_TILED_LNL_CCS", Intel4TiledLNLCCS},
		{"SUPER_TILED", VivanteSuperTiled},
		{"SAND256", BroadcomSAND256},
		{"BROADCOM_SAND128,COL_HEIGHT=96", BroadcomSANDColHeight(BroadcomSAND128, 96)},
		{"VIVANTE_SUPER_TILED,TS=64B_4,COMP=DEC400", Code(VendorVivante, 2|VivanteTS64_4|VivanteCompDEC400)},
		{"ARM_BLOCK_SIZE=16x16,MODE=YTR", ARMAFBC(AFBCBlockSize16x16 | AFBCYTR)},
		{"BLOCK_SIZE=32x8,", ARMAFBC(AFBCBlockSize32x8)},
		{"ARM_P0=CU_16,P12=CU_24,SCAN", ARMAFRC(ARMAFRCMode(AFRCCUSize16, AFRCCUSize24, true))},
		{"NVIDIA_BLOCK_LINEAR_2D,HEIGHT=4,KIND=254,GEN=2,SECTOR=1,COMPRESSION=0", NVIDIABlockLinear2D(0, 1, 2, 0xfe, 4)},
		{"AMLOGIC_FBC,LAYOUT=SCATTER,OPTIONS=MEM_SAVING", AmlogicFBC(AmlogicFBCLayoutScatter, AmlogicFBCOptionMemSaving)},
		// Without its prefix, found among the vendors' own forms (Amlogic
		// is the last vendor searched).
		{"FBC,LAYOUT=SCATTER,OPTIONS=MEM_SAVING", AmlogicFBC(AmlogicFBCLayoutScatter, AmlogicFBCOptionMemSaving)},
		{"BROADCOM_SAND32,COL_HEIGHT=1", BroadcomSANDColHeight(BroadcomSAND32, 1)},
		{"BROADCOM_SAND256,COL_HEIGHT=1", BroadcomSANDColHeight(BroadcomSAND256, 1)},
		{"BROADCOM_SAND128,COL_HEIGHT=281474976710655", BroadcomSANDColHeight(BroadcomSAND128, 1<<48-1)},
		{"AMD_GFX10,GFX9_64K_R_X,DCC,DCC_INDEPENDENT_64B,DCC_MAX_COMPRESSED_BLOCK=64B,PIPE_XOR_BITS=3",
			amdMod(AMDTileVerGFX10, AMDTileGFX9_64K_R_X, AMDDCC, AMDDCCIndependent64B, AMDPipeXORBits, AMDPipeXORBits)},
		{"AMD_GFX11,GFX11_256K_R_X,PIPE_XOR_BITS=0,PACKERS=0", amdMod(AMDTileVerGFX11, AMDTileGFX11_256K_R_X)},
		// libdrm hides block size 3, so its absence under DCC means 3.
		{"AMD_GFX9,DCC", amdMod(AMDTileVerGFX9, 0, AMDDCC, AMDDCCMaxCompressedBlock, AMDDCCMaxCompressedBlock)},
		{"AMD_GFX12,GFX12_64K_2D", amdMod(AMDTileVerGFX12, AMDTileGFX12_64K_2D)},
		{"VENDOR_0x0b_RAW=0x0b00000000000001", Code(0x0b, 1)},
		{"RAW=0x0b00000000000001", Code(0x0b, 1)},
		{"INTEL_RAW=0x0100000000000063", Code(VendorIntel, 0x63)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got, "got 0x%016x", uint64(got))
		})
	}
}

// amdMod builds an AMD value; fields listed once are set to 1, a field
// listed twice to 3.
func amdMod(ver, tile uint64, fields ...AMDField) Modifier {
	m := AMDTile.Set(AMDTileVersion.Set(AMDModBase, ver), tile)
	for _, f := range fields {
		m = f.Set(m, f.Get(m)<<1|1)
	}
	return m
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		in        string
		ambiguous bool
	}{
		{"", false},
		{"   ", false},
		{"TILED", true},
		{"0x", false},
		{"0xg", false},
		{"0x10000000000000000", false},
		{"18446744073709551616", false},
		{"x_tiled", false},
		{"INTEL_TILED", false},
		{"NONE_X_TILED", false},
		{"VENDOR_0x01_X_TILED", false},
		{"VENDOR_0x0b_LINEAR", false},
		{"FOO_LINEAR", false},
		{"ARM_BLOCK_SIZE=16x16", false},
		{"ARM_BLOCK_SIZE=16x16,MODE=SPARSE|YTR", false},
		{"AMD_GFX9,DCC,DCC_PIPE_ALIGN,DCC_RETILE", false},
		{"AMD_GFX9,DCC,DCC_MAX_COMPRESSED_BLOCK=512B", false},
		{"AMD_GFX10,GFX9_64K_R_X,PIPE_XOR_BITS=8", false},
		{"AMD_GFX10,GFX9_64K_R_X,PIPE_XOR_BITS=03", false},
		{"NVIDIA_BLOCK_LINEAR_2D,HEIGHT=16,KIND=0,GEN=0,SECTOR=0,COMPRESSION=0", false},
		{"NVIDIA_BLOCK_LINEAR_2D,HEIGHT=-1,KIND=0,GEN=0,SECTOR=0,COMPRESSION=0", false},
		{"NVIDIA_BLOCK_LINEAR_2D,HEIGHT,KIND=0,GEN=0,SECTOR=0,COMPRESSION=0", false},
		{"BROADCOM_SAND128,COL_HEIGHT=281474976710656", false},
		{"BROADCOM_SAND128,COL_HEIGHT=0", false},
		{"INTEL_RAW=0x0100000000000001", false}, // has a real name: X_TILED
		{"RAW=0x0B00000000000001", false},
		{"VIVANTE_LINEAR", false},
		{"I915_FORMAT_MOD_Z_TILED", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := Parse(tt.in)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrUnknownModifier)
			assert.Contains(t, err.Error(), strconv.Quote(tt.in))
			assert.Equal(t, tt.ambiguous, errors.Is(err, ErrAmbiguousModifier))
		})
	}
}

func TestParseAmbiguousListsAlternatives(t *testing.T) {
	_, err := Parse("TILED")
	require.ErrorIs(t, err, ErrAmbiguousModifier)
	assert.Contains(t, err.Error(), "VIVANTE_TILED")
	assert.Contains(t, err.Error(), "ALLWINNER_TILED")
}

func TestOwnForms(t *testing.T) {
	tests := []struct {
		m    Modifier
		want string
	}{
		{Intel4TiledMTLRCCCS, "4_TILED_MTL_RC_CCS"},
		{Intel4TiledBMGCCS, "4_TILED_BMG_CCS"},
		{Code(VendorIntel, 18), "RAW=0x0100000000000012"},
		{BroadcomSANDColHeight(BroadcomSAND128, 96), "SAND128,COL_HEIGHT=96"},
		{BroadcomSANDColHeight(BroadcomSAND32, 1), "SAND32,COL_HEIGHT=1"},
		{BroadcomSANDColHeight(BroadcomSAND256, 1), "SAND256,COL_HEIGHT=1"},
		{Code(VendorVivante, 1|VivanteTS128_4), "TILED,TS=128B_4"},
		{Code(VendorVivante, VivanteCompDEC400), "LINEAR,COMP=DEC400"},
		{Code(VendorVivante, 1|0xf<<48), "TILED,TS=UNKNOWN,RAW=0x060f000000000001"},
		{amdMod(AMDTileVerGFX12, AMDTileGFX12_256K_2D, AMDDCC), "GFX12,GFX12_256K_2D,DCC,DCC_MAX_COMPRESSED_BLOCK=64B"},
		{amdMod(AMDTileVerGFX11, AMDTileGFX9_64K_S), "GFX11,GFX9_64K_S"},
		{amdMod(AMDTileVerGFX11, AMDTileGFX9_64K_S, AMDPipeXORBits), "GFX11,GFX9_64K_S,RAW=0x0200000000200904"},
		{Code(VendorAMD, 6), "RAW=0x0200000000000006"},
		{Code(0x0b, 1), "RAW=0x0b00000000000001"},
		{ARMAFBC(0), "RAW=0x0800000000000000"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			_, libdrm := LibdrmName(tt.m)
			require.False(t, libdrm, "not an own form")
			assert.Equal(t, tt.want, Name(tt.m))
		})
	}
	assert.Equal(t, "VENDOR_0x0b", VendorName(Code(0x0b, 0)))
	assert.Equal(t, "VENDOR_0xff", VendorName(Code(0xff, 0)))
}

func TestMacroName(t *testing.T) {
	tests := []struct {
		m    Modifier
		want string
		ok   bool
	}{
		{Linear, "DRM_FORMAT_MOD_LINEAR", true},
		{Invalid, "DRM_FORMAT_MOD_INVALID", true},
		{IntelYTiled, "I915_FORMAT_MOD_Y_TILED", true},
		{Intel4TiledMTLMCCCS, "I915_FORMAT_MOD_4_TILED_MTL_MC_CCS", true},
		{Samsung64x32Tile, "DRM_FORMAT_MOD_SAMSUNG_64_32_TILE", true},
		{BroadcomSAND128, "DRM_FORMAT_MOD_BROADCOM_SAND128", true},
		{NVIDIA16Bx2Block(5), "DRM_FORMAT_MOD_NVIDIA_16BX2_BLOCK_THIRTYTWO_GOB", true},
		{ARMAFBC(AFBCBlockSize16x16), "", false},
		{Code(0x0b, 1), "", false},
	}
	for _, tt := range tests {
		got, ok := MacroName(tt.m)
		assert.Equal(t, tt.ok, ok, "0x%016x", uint64(tt.m))
		assert.Equal(t, tt.want, got)
		if ok {
			back, err := Parse(got)
			require.NoError(t, err)
			assert.Equal(t, tt.m, back)
		}
	}
}

func TestDecoders(t *testing.T) {
	bl := NVIDIABlockLinear2D(2, 1, 2, 0x7a, 3)
	h, k, g, s, c, ok := NVIDIABlockLinear(bl)
	require.True(t, ok)
	assert.Equal(t, []uint64{3, 0x7a, 2, 1, 2}, []uint64{h, k, g, s, c})
	_, _, _, _, _, ok = NVIDIABlockLinear(NVIDIATegraTiled)
	assert.False(t, ok)
	_, _, _, _, _, ok = NVIDIABlockLinear(bl | 1<<30)
	assert.False(t, ok, "reserved bits")
	_, _, _, _, _, ok = NVIDIABlockLinear(Code(VendorAMD, 0x10))
	assert.False(t, ok)

	assert.Equal(t, NVIDIABlockLinear2D(0, 0, 0, 0xfe, 4), Canonicalize(NVIDIA16Bx2Block(4)))
	assert.Equal(t, bl, Canonicalize(bl))
	assert.Equal(t, NVIDIATegraTiled, Canonicalize(NVIDIATegraTiled))
	assert.Equal(t, Code(VendorAMD, 0x10), Canonicalize(Code(VendorAMD, 0x10)))

	assert.True(t, IsAMD(AMDModBase))
	assert.False(t, IsAMD(IntelXTiled))

	compressed := []Modifier{
		IntelYTiledCCS, Intel4TiledDG2RCCCS, Intel4TiledBMGCCS, amdMod(AMDTileVerGFX10, 27, AMDDCC),
		ARMAFBC(AFBCBlockSize16x16), ARMAFRC(ARMAFRCMode(1, 0, false)), QcomCompressed,
		Code(VendorVivante, 2|VivanteCompDEC400), AmlogicFBC(1, 0), NVIDIABlockLinear2D(1, 1, 2, 0xfe, 4),
	}
	for _, m := range compressed {
		assert.True(t, IsCompressed(m), "%v", m)
	}
	plain := []Modifier{
		Linear, Invalid, IntelYTiled, Intel4Tiled, amdMod(AMDTileVerGFX10, 27), ARM16x16BlockUInterleaved,
		QcomTiled3, Code(VendorVivante, 2|VivanteTS64_4), NVIDIABlockLinear2D(0, 1, 2, 0xfe, 4),
		NVIDIATegraTiled, BroadcomSAND128, Code(0x0b, 1),
	}
	for _, m := range plain {
		assert.False(t, IsCompressed(m), "%v", m)
	}
}

func TestNameDoesNotAllocateForTableValues(t *testing.T) {
	for _, m := range []Modifier{Linear, IntelYTiled, Intel4TiledMTLRCCCS, BroadcomSAND128} {
		allocs := testing.AllocsPerRun(100, func() {
			_ = Name(m)
			_ = VendorName(m)
		})
		assert.Zero(t, allocs, "%v", m)
	}
}

func FuzzName(f *testing.F) {
	for _, m := range []Modifier{Linear, Invalid, IntelYTiled, Code(VendorAMD, 0x1b02), NVIDIA16Bx2Block(3),
		ARMAFBC(0x1ff1), AmlogicFBC(3, 0xff), Code(VendorVivante, 0x1f0000000000004), Code(0x42, 7)} {
		f.Add(uint64(m))
	}
	f.Fuzz(func(t *testing.T, v uint64) {
		m := Modifier(v)
		n, vn := Name(m), VendorName(m)
		if n == "" || vn == "" {
			t.Fatalf("0x%016x: empty name %q/%q", v, vn, n)
		}
		got, err := Parse(vn + "_" + n)
		if err != nil {
			t.Fatalf("0x%016x: Parse(%q): %v", v, vn+"_"+n, err)
		}
		if got != m {
			if _, lib := LibdrmName(m); !lib || Name(got) != n {
				t.Fatalf("0x%016x: Parse(%q) = 0x%016x", v, vn+"_"+n, uint64(got))
			}
		}
	})
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"LINEAR", "TILED", "0x0100000000000002", "123", "INTEL_Y_TILED",
		"AMD_GFX9,GFX9_64K_R_X,DCC,DCC_RETILE,DCC_MAX_COMPRESSED_BLOCK=64B,PIPE_XOR_BITS=1,BANK_XOR_BITS=2,RB=3,PIPE_4",
		"ARM_BLOCK_SIZE=16x16,MODE=YTR|SPARSE", "ARM_P0=CU_16,ROT", "RAW=0x0b00000000000001",
		"BROADCOM_SAND64,COL_HEIGHT=7", "VIVANTE_TILED,TS=64B_2,COMP=DEC400", "VENDOR_0x0c_RAW=0x0c00000000000000",
		"NVIDIA_BLOCK_LINEAR_2D,HEIGHT=1,KIND=2,GEN=3,SECTOR=0,COMPRESSION=4", "AMLOGIC_FBC,LAYOUT=BASIC,OPTIONS=0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrUnknownModifier) {
				t.Fatalf("Parse(%q): error %v does not wrap ErrUnknownModifier", s, err)
			}
			return
		}
		// Whatever parsed must print a name that parses back to it.
		q := VendorName(m) + "_" + Name(m)
		again, err := Parse(q)
		if err != nil || again != m {
			if _, lib := LibdrmName(m); !lib || err != nil || Name(again) != Name(m) {
				t.Fatalf("Parse(%q) = 0x%016x, but Parse(%q) = 0x%016x, %v", s, uint64(m), q, uint64(again), err)
			}
		}
	})
}

var sinkString string
var sinkMod Modifier

func BenchmarkName(b *testing.B) {
	cases := []struct {
		name string
		m    Modifier
	}{
		{"table", IntelYTiled},
		{"amd", amdMod(AMDTileVerGFX10, AMDTileGFX9_64K_R_X, AMDDCC, AMDDCCIndependent64B, AMDPipeXORBits)},
		{"afbc", ARMAFBC(AFBCBlockSize16x16 | AFBCYTR | AFBCSparse)},
		{"nvidia", NVIDIABlockLinear2D(0, 1, 2, 0xfe, 4)},
		{"own_raw", Code(0x0b, 1)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				sinkString = Name(c.m)
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	for _, s := range []string{
		"0x0100000000000002", "I915_FORMAT_MOD_Y_TILED", "INTEL_Y_TILED", "X_TILED",
		"AMD_GFX10,GFX9_64K_R_X,DCC,DCC_INDEPENDENT_64B,DCC_MAX_COMPRESSED_BLOCK=64B,PIPE_XOR_BITS=3",
		"BLOCK_SIZE=16x16,MODE=YTR|SPARSE",
	} {
		b.Run(s, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				m, err := Parse(s)
				if err != nil {
					b.Fatal(err)
				}
				sinkMod = m
			}
		})
	}
}

// LibdrmName and Name read libdrm's table before running the vendor
// decoders; that is only right while no decoder names a table value.
func TestTableValuesAreNotNamedByDecoders(t *testing.T) {
	require.NotEmpty(t, libdrmSimple)
	for m, name := range libdrmSimple {
		var named bool
		switch m.Vendor() {
		case VendorARM:
			_, named = appendARM(nil, m)
		case VendorNVIDIA:
			_, named = appendNVIDIA(nil, m)
		case VendorAMD:
			_, named = appendAMD(nil, m, false)
		case VendorAmlogic:
			named = true
		}
		assert.False(t, named, "%s (0x%016x) is shadowed by its vendor decoder", name, uint64(m))
	}
}

func TestParseDoesNotAllocateForTableNames(t *testing.T) {
	for _, s := range []string{"0x0100000000000002", "I915_FORMAT_MOD_Y_TILED", "INTEL_Y_TILED", "X_TILED", "NVIDIA_BLOCK_LINEAR_2D,HEIGHT=4,KIND=254,GEN=2,SECTOR=1,COMPRESSION=0"} {
		allocs := testing.AllocsPerRun(100, func() {
			_, err := Parse(s)
			if err != nil {
				t.Fatal(err)
			}
		})
		assert.Zero(t, allocs, s)
	}
}

func TestDocumentedRawExample(t *testing.T) {
	m := Modifier(0x0200001000001f04)
	assert.Equal(t, "GFX11,GFX11_256K_R_X,PIPE_XOR_BITS=0,PACKERS=0,RAW=0x0200001000001f04", Name(m))
	back, err := Parse("AMD_" + Name(m))
	require.NoError(t, err)
	assert.Equal(t, m, back)
}
