package modifier

// Modifier is a 64-bit DRM format modifier: the vendor in the top 8 bits,
// a vendor-defined value in the low 56.
type Modifier uint64

// Vendor is the 8-bit vendor code of a modifier.
type Vendor uint8

// Vendor codes, as drm_fourcc.h numbers them.
const (
	VendorNone      Vendor = 0x00
	VendorIntel     Vendor = 0x01
	VendorAMD       Vendor = 0x02
	VendorNVIDIA    Vendor = 0x03
	VendorSamsung   Vendor = 0x04
	VendorQcom      Vendor = 0x05
	VendorVivante   Vendor = 0x06
	VendorBroadcom  Vendor = 0x07
	VendorARM       Vendor = 0x08
	VendorAllwinner Vendor = 0x09
	VendorAmlogic   Vendor = 0x0a
)

// valueMask keeps the vendor-defined low 56 bits of a modifier.
const valueMask = 0x00ffffffffffffff

// Code builds a modifier the way fourcc_mod_code does: the value is
// truncated to 56 bits, never allowed to spill into the vendor byte.
func Code(v Vendor, val uint64) Modifier {
	return Modifier(uint64(v)<<56 | val&valueMask)
}

// Vendor returns the vendor byte.
func (m Modifier) Vendor() Vendor { return Vendor(m >> 56) }

// Value returns the vendor-defined low 56 bits.
func (m Modifier) Value() uint64 { return uint64(m) & valueMask }

// Vendor-neutral values.
const (
	// Reserved is DRM_FORMAT_RESERVED, the all-ones 56-bit value.
	Reserved uint64 = 1<<56 - 1
	// Invalid is DRM_FORMAT_MOD_INVALID: "no explicit modifier", and the
	// list terminator in kernel tables. In format sets it is an ordinary
	// member that means implicit modifiers.
	Invalid Modifier = Modifier(uint64(VendorNone)<<56 | Reserved)
	// Linear is DRM_FORMAT_MOD_LINEAR (formerly DRM_FORMAT_MOD_NONE).
	Linear Modifier = 0
)

// Intel (I915_FORMAT_MOD_*).
var (
	IntelXTiled             = Code(VendorIntel, 1)
	IntelYTiled             = Code(VendorIntel, 2)
	IntelYfTiled            = Code(VendorIntel, 3)
	IntelYTiledCCS          = Code(VendorIntel, 4)
	IntelYfTiledCCS         = Code(VendorIntel, 5)
	IntelYTiledGen12RCCCS   = Code(VendorIntel, 6)
	IntelYTiledGen12MCCCS   = Code(VendorIntel, 7)
	IntelYTiledGen12RCCCSCC = Code(VendorIntel, 8)
	Intel4Tiled             = Code(VendorIntel, 9)
	Intel4TiledDG2RCCCS     = Code(VendorIntel, 10)
	Intel4TiledDG2MCCCS     = Code(VendorIntel, 11)
	Intel4TiledDG2RCCCSCC   = Code(VendorIntel, 12)
	Intel4TiledMTLRCCCS     = Code(VendorIntel, 13)
	Intel4TiledMTLMCCCS     = Code(VendorIntel, 14)
	Intel4TiledMTLRCCCSCC   = Code(VendorIntel, 15)
	Intel4TiledLNLCCS       = Code(VendorIntel, 16)
	Intel4TiledBMGCCS       = Code(VendorIntel, 17)
)

// Samsung, Qualcomm, Vivante, Allwinner and single-value Broadcom/NVIDIA/ARM.
var (
	Samsung64x32Tile = Code(VendorSamsung, 1)
	Samsung16x16Tile = Code(VendorSamsung, 2)

	QcomCompressed = Code(VendorQcom, 1)
	QcomTiled2     = Code(VendorQcom, 2)
	QcomTiled3     = Code(VendorQcom, 3)

	VivanteTiled           = Code(VendorVivante, 1)
	VivanteSuperTiled      = Code(VendorVivante, 2)
	VivanteSplitTiled      = Code(VendorVivante, 3)
	VivanteSplitSuperTiled = Code(VendorVivante, 4)

	AllwinnerTiled = Code(VendorAllwinner, 1)

	NVIDIATegraTiled = Code(VendorNVIDIA, 1)

	BroadcomVC4TTiled = Code(VendorBroadcom, 1)
	BroadcomSAND32    = Code(VendorBroadcom, 2)
	BroadcomSAND64    = Code(VendorBroadcom, 3)
	BroadcomSAND128   = Code(VendorBroadcom, 4)
	BroadcomSAND256   = Code(VendorBroadcom, 5)
	BroadcomUIF       = Code(VendorBroadcom, 6)
)

// BroadcomSANDColHeight builds DRM_FORMAT_MOD_BROADCOM_SANDxx_COL_HEIGHT:
// base is one of the BroadcomSAND* values, height the column height in lines
// (48 bits, from bit 8).
func BroadcomSANDColHeight(base Modifier, height uint64) Modifier {
	return Code(VendorBroadcom, height<<8|base.Value()&0xff)
}

// NVIDIABlockLinear2D builds DRM_FORMAT_MOD_NVIDIA_BLOCK_LINEAR_2D(c, s, g, k, h):
// compression c, sector layout s, GOB kind generation g, page kind k and
// log2 block height in GOBs h.
func NVIDIABlockLinear2D(c, s, g, k, h uint64) Modifier {
	return Code(VendorNVIDIA, 0x10|h&0xf|(k&0xff)<<12|(g&3)<<20|(s&1)<<22|(c&7)<<23)
}

// NVIDIA16Bx2Block builds the legacy DRM_FORMAT_MOD_NVIDIA_16BX2_BLOCK(v).
func NVIDIA16Bx2Block(v uint64) Modifier { return NVIDIABlockLinear2D(0, 0, 0, 0, v) }

// ARM modifier types (bits 55:52).
const (
	ARMTypeAFBC = 0x00
	ARMTypeMISC = 0x01
	ARMTypeAFRC = 0x02
)

// ARMCode builds DRM_FORMAT_MOD_ARM_CODE(type, val).
func ARMCode(typ, val uint64) Modifier {
	return Code(VendorARM, typ<<52|val&0x000fffffffffffff)
}

// ARM AFBC mode bits.
const (
	AFBCBlockSizeMask      = 0xf
	AFBCBlockSize16x16     = 1
	AFBCBlockSize32x8      = 2
	AFBCBlockSize64x4      = 3
	AFBCBlockSize32x8_64x4 = 4
	AFBCYTR                = 1 << 4
	AFBCSplit              = 1 << 5
	AFBCSparse             = 1 << 6
	AFBCCBR                = 1 << 7
	AFBCTiled              = 1 << 8
	AFBCSC                 = 1 << 9
	AFBCDB                 = 1 << 10
	AFBCBCH                = 1 << 11
	AFBCUSM                = 1 << 12
)

// ARMAFBC builds DRM_FORMAT_MOD_ARM_AFBC(mode).
func ARMAFBC(mode uint64) Modifier { return ARMCode(ARMTypeAFBC, mode) }

// ARM AFRC mode fields.
const (
	AFRCCUSizeMask  = 0xf
	AFRCCUSize16    = 1
	AFRCCUSize24    = 2
	AFRCCUSize32    = 3
	AFRCLayoutScan  = 1 << 8
	afrcCUSizeP12Sh = 4
)

// ARMAFRC builds DRM_FORMAT_MOD_ARM_AFRC(mode).
func ARMAFRC(mode uint64) Modifier { return ARMCode(ARMTypeAFRC, mode) }

// ARMAFRCMode packs the AFRC coding-unit sizes for plane 0 and planes 1-2.
func ARMAFRCMode(p0, p12 uint64, scan bool) uint64 {
	m := p0&AFRCCUSizeMask | (p12&AFRCCUSizeMask)<<afrcCUSizeP12Sh
	if scan {
		m |= AFRCLayoutScan
	}
	return m
}

// ARM16x16BlockUInterleaved is DRM_FORMAT_MOD_ARM_16X16_BLOCK_U_INTERLEAVED.
var ARM16x16BlockUInterleaved = ARMCode(ARMTypeMISC, 1)

// Amlogic FBC layouts and options.
const (
	AmlogicFBCLayoutBasic     = 1
	AmlogicFBCLayoutScatter   = 2
	AmlogicFBCOptionMemSaving = 1
)

// AmlogicFBC builds DRM_FORMAT_MOD_AMLOGIC_FBC(layout, options).
func AmlogicFBC(layout, options uint64) Modifier {
	return Code(VendorAmlogic, layout&0xff|(options&0xff)<<8)
}
