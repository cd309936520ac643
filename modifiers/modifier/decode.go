package modifier

// Vivante extension bits (kernel include/uapi/drm/drm_fourcc.h, added
// after the copy libdrm 2.4.114 ships): a tile-status layout in bits 48..51
// and a compression scheme in bits 52..55, on top of any tiling.
const (
	vivanteTSShift = 48

	VivanteTSMask     uint64 = 0xf << 48
	VivanteTS64_4     uint64 = 1 << 48
	VivanteTS64_2     uint64 = 2 << 48
	VivanteTS128_4    uint64 = 3 << 48
	VivanteTS256_4    uint64 = 4 << 48
	VivanteCompMask   uint64 = 0xf << 52
	VivanteCompDEC400 uint64 = 1 << 52
	VivanteExtMask           = VivanteTSMask | VivanteCompMask
)

// IsAMD reports whether m belongs to the AMD vendor (IS_AMD_FMT_MOD).
func IsAMD(m Modifier) bool { return m.Vendor() == VendorAMD }

// nvidiaReserved are the block-linear bits the kernel header leaves unused:
// 5..11 and 26..55.
const nvidiaReserved uint64 = 0x7f<<5 | (1<<56-1)&^(1<<26-1)

// NVIDIABlockLinear decodes DRM_FORMAT_MOD_NVIDIA_BLOCK_LINEAR_2D into log2
// block height h, page kind k, GOB kind generation g, sector layout s and
// compression c. ok is false unless m is an NVIDIA value with bit 4 set and
// every reserved bit clear: a layout computed from a value with unknown
// bits would be a guess. The legacy 16BX2 values decode with k = 0; pass
// them through Canonicalize first to get the kind the kernel compares.
func NVIDIABlockLinear(m Modifier) (h, k, g, s, c uint64, ok bool) {
	if m.Vendor() != VendorNVIDIA || m&0x10 == 0 || uint64(m)&nvidiaReserved != 0 {
		return 0, 0, 0, 0, 0, false
	}
	h, k, g, s, c = nvidiaFields(m)
	return h, k, g, s, c, true
}

// Canonicalize returns the form of m that drivers compare: for NVIDIA
// block-linear values with page kind 0 (the legacy 16BX2 values) it sets the
// kind to 0xfe, as drm_fourcc_canonicalize_nvidia_format_mod in the kernel
// header does; every other value is returned unchanged. The kernel helper
// does not check the vendor because its callers already have; this one
// does, so it is safe on any modifier.
func Canonicalize(m Modifier) Modifier {
	if m.Vendor() != VendorNVIDIA || m&0x10 == 0 || uint64(m)>>12&0xff != 0 {
		return m
	}
	return m | 0xfe<<12
}

// IsCompressed reports whether buffers with modifier m hold compressed
// data, so that a CPU cannot read or write the pixels directly: Intel CCS
// modifiers, AMD with DCC, ARM AFBC and AFRC, Qualcomm UBWC, Vivante
// with any compression bits (DEC400 is the only one defined), every
// Amlogic FBC value and NVIDIA block-linear with a non-zero compression
// field.
func IsCompressed(m Modifier) bool {
	switch m.Vendor() {
	case VendorIntel:
		switch m {
		case IntelYTiledCCS, IntelYfTiledCCS, IntelYTiledGen12RCCCS, IntelYTiledGen12MCCCS,
			IntelYTiledGen12RCCCSCC, Intel4TiledDG2RCCCS, Intel4TiledDG2MCCCS, Intel4TiledDG2RCCCSCC,
			Intel4TiledMTLRCCCS, Intel4TiledMTLMCCCS, Intel4TiledMTLRCCCSCC, Intel4TiledLNLCCS,
			Intel4TiledBMGCCS:
			return true
		}
	case VendorAMD:
		return AMDDCC.Get(m) != 0
	case VendorARM:
		t := armType(m)
		return t == ARMTypeAFBC || t == ARMTypeAFRC
	case VendorQcom:
		return m == QcomCompressed
	case VendorVivante:
		return uint64(m)&VivanteCompMask != 0
	case VendorAmlogic:
		return true
	case VendorNVIDIA:
		return m&0x10 != 0 && uint64(m)>>23&7 != 0
	}
	return false
}
