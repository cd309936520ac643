package modifier

//go:generate sh -c "set -e; d=${DOLLAR}(mktemp -d); trap 'rm -rf ${DOLLAR}d' EXIT; go run ./internal/genvalues > testdata/modifier-values.txt; cc -O2 -Wall -o ${DOLLAR}d/modnames ../internal/libdrmgen/modnames.c ${DOLLAR}(pkg-config --cflags --libs libdrm); ${DOLLAR}d/modnames < testdata/modifier-values.txt > testdata/libdrm-modifier-names.tsv"

import (
	"strconv"
)

// simpleEntry is one fixed modifier value with its names. libdrm is the
// name libdrm 2.4.114 prints from its generated table (gen_table_fourcc.py
// in the libdrm repository); own is set for values the kernel header
// defines but libdrm 2.4.114 does not know, whose name is then ours
// (the kernel macro with its prefix removed, as newer libdrm prints it).
type simpleEntry struct {
	m     Modifier
	name  string
	macro string
	own   bool
	// dead marks table entries libdrm can never reach because a vendor
	// callback names the value first (the NVIDIA 16BX2 values).
	dead bool
}

var simpleEntries = []simpleEntry{
	{m: Invalid, name: "INVALID", macro: "DRM_FORMAT_MOD_INVALID"},
	{m: Linear, name: "LINEAR", macro: "DRM_FORMAT_MOD_LINEAR"},

	{m: IntelXTiled, name: "X_TILED", macro: "I915_FORMAT_MOD_X_TILED"},
	{m: IntelYTiled, name: "Y_TILED", macro: "I915_FORMAT_MOD_Y_TILED"},
	{m: IntelYfTiled, name: "Yf_TILED", macro: "I915_FORMAT_MOD_Yf_TILED"},
	{m: IntelYTiledCCS, name: "Y_TILED_CCS", macro: "I915_FORMAT_MOD_Y_TILED_CCS"},
	{m: IntelYfTiledCCS, name: "Yf_TILED_CCS", macro: "I915_FORMAT_MOD_Yf_TILED_CCS"},
	{m: IntelYTiledGen12RCCCS, name: "Y_TILED_GEN12_RC_CCS", macro: "I915_FORMAT_MOD_Y_TILED_GEN12_RC_CCS"},
	{m: IntelYTiledGen12MCCCS, name: "Y_TILED_GEN12_MC_CCS", macro: "I915_FORMAT_MOD_Y_TILED_GEN12_MC_CCS"},
	{m: IntelYTiledGen12RCCCSCC, name: "Y_TILED_GEN12_RC_CCS_CC", macro: "I915_FORMAT_MOD_Y_TILED_GEN12_RC_CCS_CC"},
	{m: Intel4Tiled, name: "4_TILED", macro: "I915_FORMAT_MOD_4_TILED"},
	{m: Intel4TiledDG2RCCCS, name: "4_TILED_DG2_RC_CCS", macro: "I915_FORMAT_MOD_4_TILED_DG2_RC_CCS"},
	{m: Intel4TiledDG2MCCCS, name: "4_TILED_DG2_MC_CCS", macro: "I915_FORMAT_MOD_4_TILED_DG2_MC_CCS"},
	{m: Intel4TiledDG2RCCCSCC, name: "4_TILED_DG2_RC_CCS_CC", macro: "I915_FORMAT_MOD_4_TILED_DG2_RC_CCS_CC"},
	{m: Intel4TiledMTLRCCCS, name: "4_TILED_MTL_RC_CCS", macro: "I915_FORMAT_MOD_4_TILED_MTL_RC_CCS", own: true},
	{m: Intel4TiledMTLMCCCS, name: "4_TILED_MTL_MC_CCS", macro: "I915_FORMAT_MOD_4_TILED_MTL_MC_CCS", own: true},
	{m: Intel4TiledMTLRCCCSCC, name: "4_TILED_MTL_RC_CCS_CC", macro: "I915_FORMAT_MOD_4_TILED_MTL_RC_CCS_CC", own: true},
	{m: Intel4TiledLNLCCS, name: "4_TILED_LNL_CCS", macro: "I915_FORMAT_MOD_4_TILED_LNL_CCS", own: true},
	{m: Intel4TiledBMGCCS, name: "4_TILED_BMG_CCS", macro: "I915_FORMAT_MOD_4_TILED_BMG_CCS", own: true},

	{m: Samsung64x32Tile, name: "64_32_TILE", macro: "DRM_FORMAT_MOD_SAMSUNG_64_32_TILE"},
	{m: Samsung16x16Tile, name: "16_16_TILE", macro: "DRM_FORMAT_MOD_SAMSUNG_16_16_TILE"},

	{m: QcomCompressed, name: "COMPRESSED", macro: "DRM_FORMAT_MOD_QCOM_COMPRESSED"},
	{m: QcomTiled3, name: "TILED3", macro: "DRM_FORMAT_MOD_QCOM_TILED3"},
	{m: QcomTiled2, name: "TILED2", macro: "DRM_FORMAT_MOD_QCOM_TILED2"},

	{m: VivanteTiled, name: "TILED", macro: "DRM_FORMAT_MOD_VIVANTE_TILED"},
	{m: VivanteSuperTiled, name: "SUPER_TILED", macro: "DRM_FORMAT_MOD_VIVANTE_SUPER_TILED"},
	{m: VivanteSplitTiled, name: "SPLIT_TILED", macro: "DRM_FORMAT_MOD_VIVANTE_SPLIT_TILED"},
	{m: VivanteSplitSuperTiled, name: "SPLIT_SUPER_TILED", macro: "DRM_FORMAT_MOD_VIVANTE_SPLIT_SUPER_TILED"},

	{m: NVIDIATegraTiled, name: "TEGRA_TILED", macro: "DRM_FORMAT_MOD_NVIDIA_TEGRA_TILED"},
	{m: NVIDIA16Bx2Block(0), name: "16BX2_BLOCK_ONE_GOB", macro: "DRM_FORMAT_MOD_NVIDIA_16BX2_BLOCK_ONE_GOB", dead: true},
	{m: NVIDIA16Bx2Block(1), name: "16BX2_BLOCK_TWO_GOB", macro: "DRM_FORMAT_MOD_NVIDIA_16BX2_BLOCK_TWO_GOB", dead: true},
	{m: NVIDIA16Bx2Block(2), name: "16BX2_BLOCK_FOUR_GOB", macro: "DRM_FORMAT_MOD_NVIDIA_16BX2_BLOCK_FOUR_GOB", dead: true},
	{m: NVIDIA16Bx2Block(3), name: "16BX2_BLOCK_EIGHT_GOB", macro: "DRM_FORMAT_MOD_NVIDIA_16BX2_BLOCK_EIGHT_GOB", dead: true},
	{m: NVIDIA16Bx2Block(4), name: "16BX2_BLOCK_SIXTEEN_GOB", macro: "DRM_FORMAT_MOD_NVIDIA_16BX2_BLOCK_SIXTEEN_GOB", dead: true},
	{m: NVIDIA16Bx2Block(5), name: "16BX2_BLOCK_THIRTYTWO_GOB", macro: "DRM_FORMAT_MOD_NVIDIA_16BX2_BLOCK_THIRTYTWO_GOB", dead: true},

	{m: BroadcomVC4TTiled, name: "VC4_T_TILED", macro: "DRM_FORMAT_MOD_BROADCOM_VC4_T_TILED"},
	{m: BroadcomSAND32, name: "SAND32", macro: "DRM_FORMAT_MOD_BROADCOM_SAND32"},
	{m: BroadcomSAND64, name: "SAND64", macro: "DRM_FORMAT_MOD_BROADCOM_SAND64"},
	{m: BroadcomSAND128, name: "SAND128", macro: "DRM_FORMAT_MOD_BROADCOM_SAND128"},
	{m: BroadcomSAND256, name: "SAND256", macro: "DRM_FORMAT_MOD_BROADCOM_SAND256"},
	{m: BroadcomUIF, name: "UIF", macro: "DRM_FORMAT_MOD_BROADCOM_UIF"},

	{m: ARM16x16BlockUInterleaved, name: "16X16_BLOCK_U_INTERLEAVED", macro: "DRM_FORMAT_MOD_ARM_16X16_BLOCK_U_INTERLEAVED"},

	{m: AllwinnerTiled, name: "TILED", macro: "DRM_FORMAT_MOD_ALLWINNER_TILED"},
}

// macroAliases are macro names Parse accepts that MacroName never returns
// because another macro names the same value.
var macroAliases = map[string]Modifier{
	"DRM_FORMAT_MOD_NONE":               Linear,
	"DRM_FORMAT_MOD_GENERIC_16_16_TILE": Samsung16x16Tile,
}

type vendorNameKey struct {
	v    Vendor
	name string
}

var (
	libdrmSimple = map[Modifier]string{}        // libdrm's table, reachable entries
	ownSimple    = map[Modifier]string{}        // our names for kernel values libdrm lacks
	macroOf      = map[Modifier]string{}        // MacroName
	byMacro      = map[string]Modifier{}        // Parse of macro names
	bySimpleName = map[vendorNameKey]Modifier{} // Parse of simple names
)

// libdrmVendors is libdrm's vendor table (gen_table_fourcc.py turns every
// DRM_FORMAT_MOD_VENDOR_* macro into its suffix).
var libdrmVendors = [...]string{
	VendorNone:      "NONE",
	VendorIntel:     "INTEL",
	VendorAMD:       "AMD",
	VendorNVIDIA:    "NVIDIA",
	VendorSamsung:   "SAMSUNG",
	VendorQcom:      "QCOM",
	VendorVivante:   "VIVANTE",
	VendorBroadcom:  "BROADCOM",
	VendorARM:       "ARM",
	VendorAllwinner: "ALLWINNER",
	VendorAmlogic:   "AMLOGIC",
}

// vendorNames is VendorName for every vendor byte, built once so that
// VendorName never allocates.
var vendorNames [256]string

func init() {
	for _, e := range simpleEntries {
		macroOf[e.m] = e.macro
		byMacro[e.macro] = e.m
		switch {
		case e.dead:
		case e.own:
			ownSimple[e.m] = e.name
			bySimpleName[vendorNameKey{e.m.Vendor(), e.name}] = e.m
		default:
			libdrmSimple[e.m] = e.name
			bySimpleName[vendorNameKey{e.m.Vendor(), e.name}] = e.m
		}
	}
	for k, v := range macroAliases {
		byMacro[k] = v
	}
	for i := range vendorNames {
		if i < len(libdrmVendors) {
			vendorNames[i] = libdrmVendors[i]
			continue
		}
		vendorNames[i] = "VENDOR_0x" + hex2(uint8(i))
	}
}

const hexDigits = "0123456789abcdef"

func hex2(b uint8) string { return string([]byte{hexDigits[b>>4], hexDigits[b&0xf]}) }

// LibdrmVendor returns what drmGetFormatModifierVendor of libdrm 2.4.114
// returns for m; ok is false where libdrm returns NULL (vendor bytes it
// does not know).
func LibdrmVendor(m Modifier) (string, bool) {
	v := m.Vendor()
	if int(v) < len(libdrmVendors) {
		return libdrmVendors[v], true
	}
	return "", false
}

// VendorName returns libdrm's vendor name, or VENDOR_0xNN for vendor bytes
// libdrm does not know.
func VendorName(m Modifier) string { return vendorNames[m.Vendor()] }

// LibdrmName returns exactly what drmGetFormatModifierName of libdrm
// 2.4.114 returns for m; ok is false where libdrm returns NULL.
func LibdrmName(m Modifier) (string, bool) {
	// Reachable table entries are never named by a vendor callback (the
	// tests check this), so the table can be asked first without a copy.
	if s, ok := libdrmSimple[m]; ok {
		return s, true
	}
	var buf [nameBufSize]byte
	b, ok := appendLibdrm(buf[:0], m)
	if !ok {
		return "", false
	}
	return string(b), true
}

// nameBufSize fits every name printed for a realistic value, so building
// one costs a single allocation (the returned string).
const nameBufSize = 224

// appendLibdrm appends libdrm's name of m. libdrm asks the vendor's
// callback first and falls back to its generated table only when the
// callback has no name (xf86drm.c, drmGetFormatModifierName).
func appendLibdrm(b []byte, m Modifier) ([]byte, bool) {
	switch m.Vendor() {
	case VendorARM:
		if r, ok := appendARM(b, m); ok {
			return r, true
		}
	case VendorNVIDIA:
		if r, ok := appendNVIDIA(b, m); ok {
			return r, true
		}
	case VendorAMD:
		if r, ok := appendAMD(b, m, false); ok {
			return r, true
		}
	case VendorAmlogic:
		return appendAmlogic(b, m), true
	}
	if s, ok := libdrmSimple[m]; ok {
		return append(b, s...), true
	}
	return b, false
}

// Name returns libdrm's name for m when libdrm 2.4.114 has one, and
// otherwise our own form (see the package documentation). It is never
// empty.
func Name(m Modifier) string {
	if s, ok := libdrmSimple[m]; ok {
		return s
	}
	if s, ok := ownSimple[m]; ok {
		return s
	}
	var buf [nameBufSize]byte
	return string(appendName(buf[:0], m))
}

func appendName(b []byte, m Modifier) []byte {
	if r, ok := appendLibdrm(b, m); ok {
		return r
	}
	return appendOwn(b, m)
}

// nameIs reports whether Name(m) == s without building a string.
func nameIs(m Modifier, s string) bool {
	var buf [nameBufSize]byte
	return string(appendName(buf[:0], m)) == s
}

// String returns Name(m).
func (m Modifier) String() string { return Name(m) }

// MacroName returns the C macro that names m exactly, such as
// I915_FORMAT_MOD_Y_TILED or DRM_FORMAT_MOD_LINEAR, for the values the
// kernel header defines as plain constants. Values built by function-like
// macros (AMD, AFBC, block-linear, SAND column heights) have none.
func MacroName(m Modifier) (string, bool) {
	s, ok := macroOf[m]
	return s, ok
}

// rawToken is the field our own forms use to carry the exact value.
const rawToken = "RAW=0x"

func appendRaw(b []byte, m Modifier) []byte {
	b = append(b, rawToken...)
	for shift := 60; shift >= 0; shift -= 4 {
		b = append(b, hexDigits[uint64(m)>>uint(shift)&0xf])
	}
	return b
}

// appendOwn appends Name for the values libdrm 2.4.114 cannot name: a decoded
// form when the vendor's fields explain the value, with the exact value
// appended whenever the decoded form alone would not give it back.
func appendOwn(b []byte, m Modifier) []byte {
	if s, ok := ownSimple[m]; ok {
		return append(b, s...)
	}
	start := len(b)
	if d, ok := ownDecoded(b, m); ok {
		if v, ok := parseVendorForm(m.Vendor(), string(d[start:])); ok && v == m {
			return d
		}
		b = append(d, ',')
	}
	return appendRaw(b, m)
}

// ownDecoded appends our decoded form of m, when its vendor has one.
func ownDecoded(b []byte, m Modifier) ([]byte, bool) {
	switch m.Vendor() {
	case VendorAMD:
		return appendAMD(b, m, true)
	case VendorBroadcom:
		return appendSANDColHeight(b, m)
	case VendorVivante:
		return appendVivante(b, m)
	}
	return b, false
}

// afbcFlags lists the AFBC mode flags in the order libdrm prints them
// (bit order; xf86drm.c arm_mode_value_table).
var afbcFlags = [...]struct {
	bit  uint64
	name string
}{
	{AFBCYTR, "YTR"}, {AFBCSplit, "SPLIT"}, {AFBCSparse, "SPARSE"},
	{AFBCCBR, "CBR"}, {AFBCTiled, "TILED"}, {AFBCSC, "SC"},
	{AFBCDB, "DB"}, {AFBCBCH, "BCH"}, {AFBCUSM, "USM"},
}

var afbcBlockNames = [...]string{
	AFBCBlockSize16x16:     "16x16",
	AFBCBlockSize32x8:      "32x8",
	AFBCBlockSize64x4:      "64x4",
	AFBCBlockSize32x8_64x4: "32x8_64x4",
}

var afrcCUNames = [...]string{AFRCCUSize16: "CU_16", AFRCCUSize24: "CU_24", AFRCCUSize32: "CU_32"}

const armModeMask = 1<<52 - 1

func armType(m Modifier) uint64 { return uint64(m) >> 52 & 0xf }

// appendARM follows libdrm's ARM callback: AFBC and AFRC are decoded, MISC
// and unknown types fall back to the simple table. Mode bits libdrm does
// not know are ignored, as libdrm ignores them.
func appendARM(b []byte, m Modifier) ([]byte, bool) {
	mode := uint64(m) & armModeMask
	switch armType(m) {
	case ARMTypeAFBC:
		bs := mode & AFBCBlockSizeMask
		if bs == 0 || bs >= uint64(len(afbcBlockNames)) {
			return b, false
		}
		b = append(b, "BLOCK_SIZE="...)
		b = append(b, afbcBlockNames[bs]...)
		b = append(b, ',')
		first := true
		for _, f := range afbcFlags {
			if mode&f.bit == 0 {
				continue
			}
			if first {
				b = append(b, "MODE="...)
				first = false
			} else {
				b = append(b, '|')
			}
			b = append(b, f.name...)
		}
		return b, true
	case ARMTypeAFRC:
		p0 := mode & AFRCCUSizeMask
		if p0 == 0 || p0 >= uint64(len(afrcCUNames)) {
			return b, false
		}
		b = append(b, "P0="...)
		b = append(b, afrcCUNames[p0]...)
		b = append(b, ',')
		// libdrm stops at an unknown plane-1/2 size without failing.
		if p12 := mode >> afrcCUSizeP12Sh & AFRCCUSizeMask; p12 != 0 && p12 < uint64(len(afrcCUNames)) {
			b = append(b, "P12="...)
			b = append(b, afrcCUNames[p12]...)
			b = append(b, ',')
		}
		if mode&AFRCLayoutScan != 0 {
			return append(b, "SCAN"...), true
		}
		return append(b, "ROT"...), true
	}
	return b, false
}

// appendNVIDIA follows libdrm: any NVIDIA value with bit 4 set is named as
// block-linear, whatever its reserved bits hold.
func appendNVIDIA(b []byte, m Modifier) ([]byte, bool) {
	if m&0x10 == 0 {
		return b, false
	}
	h, k, g, s, c := nvidiaFields(m)
	b = append(b, "BLOCK_LINEAR_2D,HEIGHT="...)
	b = strconv.AppendUint(b, h, 10)
	b = append(b, ",KIND="...)
	b = strconv.AppendUint(b, k, 10)
	b = append(b, ",GEN="...)
	b = strconv.AppendUint(b, g, 10)
	b = append(b, ",SECTOR="...)
	b = strconv.AppendUint(b, s, 10)
	b = append(b, ",COMPRESSION="...)
	return strconv.AppendUint(b, c, 10), true
}

func nvidiaFields(m Modifier) (h, k, g, s, c uint64) {
	v := uint64(m)
	return v & 0xf, v >> 12 & 0xff, v >> 20 & 3, v >> 22 & 1, v >> 23 & 7
}

var amlogicLayouts = [...]string{0: "INVALID_LAYOUT", AmlogicFBCLayoutBasic: "BASIC", AmlogicFBCLayoutScatter: "SCATTER"}

// appendAmlogic follows libdrm, which names every Amlogic value: an unknown
// layout prints as INVALID_LAYOUT and only the MEM_SAVING option is shown.
func appendAmlogic(b []byte, m Modifier) []byte {
	layout := amlogicLayouts[0]
	if l := uint64(m) & 0xff; l < uint64(len(amlogicLayouts)) {
		layout = amlogicLayouts[l]
	}
	opts := "0"
	if uint64(m)>>8&AmlogicFBCOptionMemSaving != 0 {
		opts = "MEM_SAVING"
	}
	b = append(b, "FBC,LAYOUT="...)
	b = append(b, layout...)
	b = append(b, ",OPTIONS="...)
	return append(b, opts...)
}

var amdVersionNames = [...]string{
	AMDTileVerGFX9:        "GFX9",
	AMDTileVerGFX10:       "GFX10",
	AMDTileVerGFX10RBPlus: "GFX10_RBPLUS",
	AMDTileVerGFX11:       "GFX11",
	AMDTileVerGFX12:       "GFX12",
}

// amdTileName names the tiles libdrm 2.4.114 knows (the GFX9 ones) and, in
// our own forms, the GFX11 and GFX12 tiles of the kernel header.
func amdTileName(ver, tile uint64, ext bool) string {
	if ext && ver == AMDTileVerGFX12 {
		switch tile {
		case AMDTileGFX12_256B_2D:
			return "GFX12_256B_2D"
		case AMDTileGFX12_4K_2D:
			return "GFX12_4K_2D"
		case AMDTileGFX12_64K_2D:
			return "GFX12_64K_2D"
		case AMDTileGFX12_256K_2D:
			return "GFX12_256K_2D"
		}
		return ""
	}
	switch tile {
	case AMDTileGFX9_64K_S:
		return "GFX9_64K_S"
	case AMDTileGFX9_64K_D:
		return "GFX9_64K_D"
	case AMDTileGFX9_64K_S_X:
		return "GFX9_64K_S_X"
	case AMDTileGFX9_64K_D_X:
		return "GFX9_64K_D_X"
	case AMDTileGFX9_64K_R_X:
		return "GFX9_64K_R_X"
	case AMDTileGFX11_256K_R_X:
		if ext && ver == AMDTileVerGFX11 {
			return "GFX11_256K_R_X"
		}
	}
	return ""
}

func amdIsXTile(ver, tile uint64, ext bool) bool {
	switch {
	case ver == AMDTileVerGFX12:
		return false
	case tile == AMDTileGFX9_64K_S_X, tile == AMDTileGFX9_64K_D_X, tile == AMDTileGFX9_64K_R_X:
		return true
	}
	return ext && ver == AMDTileVerGFX11 && tile == AMDTileGFX11_256K_R_X
}

var amdBlockNames = [...]string{AMDDCCBlock64B: "64B", AMDDCCBlock128B: "128B", AMDDCCBlock256B: "256B"}

// appendAMD prints an AMD modifier the way libdrm 2.4.114 does
// (xf86drm.c drmGetFormatModifierNameFromAmd and its Dcc/Tile helpers).
// libdrm knows GFX9, GFX10 and GFX10_RBPLUS only; with ext set, GFX11 and
// GFX12 are printed the same way with the kernel header's new tiles, and
// GFX11 shows PACKERS as GFX10_RBPLUS does.
func appendAMD(b []byte, m Modifier, ext bool) ([]byte, bool) {
	ver := AMDTileVersion.Get(m)
	maxVer := uint64(AMDTileVerGFX10RBPlus)
	if ext {
		maxVer = AMDTileVerGFX12
	}
	if ver == 0 || ver > maxVer {
		return b, false
	}
	b = append(b, amdVersionNames[ver]...)
	tile := AMDTile.Get(m)
	if t := amdTileName(ver, tile, ext); t != "" {
		b = append(b, ',')
		b = append(b, t...)
	}
	dcc := AMDDCC.Get(m) != 0
	retile := AMDDCCRetile.Get(m) != 0
	align := AMDDCCPipeAlign.Get(m) != 0
	if dcc {
		b = append(b, ",DCC"...)
		if retile {
			b = append(b, ",DCC_RETILE"...)
		} else if align {
			b = append(b, ",DCC_PIPE_ALIGN"...)
		}
		if AMDDCCIndependent64B.Get(m) != 0 {
			b = append(b, ",DCC_INDEPENDENT_64B"...)
		}
		if AMDDCCIndependent128B.Get(m) != 0 {
			b = append(b, ",DCC_INDEPENDENT_128B"...)
		}
		if blk := AMDDCCMaxCompressedBlock.Get(m); blk < uint64(len(amdBlockNames)) {
			b = append(b, ",DCC_MAX_COMPRESSED_BLOCK="...)
			b = append(b, amdBlockNames[blk]...)
		}
		if AMDDCCConstantEncode.Get(m) != 0 {
			b = append(b, ",DCC_CONSTANT_ENCODE"...)
		}
	}
	if amdIsXTile(ver, tile, ext) {
		b = append(b, ",PIPE_XOR_BITS="...)
		b = strconv.AppendUint(b, AMDPipeXORBits.Get(m), 10)
		if ver == AMDTileVerGFX9 {
			b = append(b, ",BANK_XOR_BITS="...)
			b = strconv.AppendUint(b, AMDBankXORBits.Get(m), 10)
		}
		if ver == AMDTileVerGFX10RBPlus || ver == AMDTileVerGFX11 {
			b = append(b, ",PACKERS="...)
			b = strconv.AppendUint(b, AMDPackers.Get(m), 10)
		}
		if dcc && ver == AMDTileVerGFX9 {
			b = append(b, ",RB="...)
			b = strconv.AppendUint(b, AMDRB.Get(m), 10)
			if retile || align {
				// libdrm prints this one without '='.
				b = append(b, ",PIPE_"...)
				b = strconv.AppendUint(b, AMDPipe.Get(m), 10)
			}
		}
	}
	return b, true
}

// appendSANDColHeight is our form for a SAND modifier with a column height
// (DRM_FORMAT_MOD_BROADCOM_SANDxx_COL_HEIGHT), which libdrm 2.4.114 only
// names when the height is zero.
func appendSANDColHeight(b []byte, m Modifier) ([]byte, bool) {
	base := m.Value() & 0xff
	height := m.Value() >> 8
	if base < BroadcomSAND32.Value() || base > BroadcomSAND256.Value() || height == 0 {
		return b, false
	}
	b = append(b, libdrmSimple[Code(VendorBroadcom, base)]...)
	b = append(b, ",COL_HEIGHT="...)
	return strconv.AppendUint(b, height, 10), true
}

var vivanteTSNames = [...]string{
	VivanteTS64_4 >> vivanteTSShift:  "64B_4",
	VivanteTS64_2 >> vivanteTSShift:  "64B_2",
	VivanteTS128_4 >> vivanteTSShift: "128B_4",
	VivanteTS256_4 >> vivanteTSShift: "256B_4",
}

var vivanteTilingNames = [...]string{0: "LINEAR", 1: "TILED", 2: "SUPER_TILED", 3: "SPLIT_TILED", 4: "SPLIT_SUPER_TILED"}

// appendVivante is our form for Vivante values with tile-status or
// compression bits, spelled as newer libdrm spells them
// (drmGetFormatModifierNameFromVivante, added after 2.4.114).
func appendVivante(b []byte, m Modifier) ([]byte, bool) {
	ext := uint64(m) & VivanteExtMask
	base := m.Value() &^ VivanteExtMask
	if ext == 0 || base >= uint64(len(vivanteTilingNames)) {
		return b, false
	}
	b = append(b, vivanteTilingNames[base]...)
	if ts := ext & VivanteTSMask >> vivanteTSShift; ts != 0 {
		b = append(b, ",TS="...)
		if ts < uint64(len(vivanteTSNames)) {
			b = append(b, vivanteTSNames[ts]...)
		} else {
			b = append(b, "UNKNOWN"...)
		}
	}
	switch ext & VivanteCompMask {
	case 0:
	case VivanteCompDEC400:
		b = append(b, ",COMP=DEC400"...)
	default:
		b = append(b, ",COMP=UNKNOWN"...)
	}
	return b, true
}
