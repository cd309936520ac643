package modifier

// AMDField is one bit field of an AMD modifier (AMD_FMT_MOD_*_SHIFT/MASK).
type AMDField struct {
	Shift uint
	Mask  uint64
}

// The AMD modifier fields, as drm_fourcc.h lays them out.
var (
	AMDTileVersion           = AMDField{0, 0xff}
	AMDTile                  = AMDField{8, 0x1f}
	AMDDCC                   = AMDField{13, 0x1}
	AMDDCCRetile             = AMDField{14, 0x1}
	AMDDCCPipeAlign          = AMDField{15, 0x1}
	AMDDCCIndependent64B     = AMDField{16, 0x1}
	AMDDCCIndependent128B    = AMDField{17, 0x1}
	AMDDCCMaxCompressedBlock = AMDField{18, 0x3}
	AMDDCCConstantEncode     = AMDField{20, 0x1}
	AMDPipeXORBits           = AMDField{21, 0x7}
	AMDBankXORBits           = AMDField{24, 0x7}
	AMDPackers               = AMDField{27, 0x7}
	AMDRB                    = AMDField{30, 0x7}
	AMDPipe                  = AMDField{33, 0x7}
)

// AMD tile versions.
const (
	AMDTileVerGFX9        = 1
	AMDTileVerGFX10       = 2
	AMDTileVerGFX10RBPlus = 3
	AMDTileVerGFX11       = 4
	AMDTileVerGFX12       = 5
)

// AMD tile modes.
const (
	AMDTileGFX9_64K_S     = 9
	AMDTileGFX9_64K_D     = 10
	AMDTileGFX9_64K_S_X   = 25
	AMDTileGFX9_64K_D_X   = 26
	AMDTileGFX9_64K_R_X   = 27
	AMDTileGFX11_256K_R_X = 31
	AMDTileGFX12_256B_2D  = 1
	AMDTileGFX12_4K_2D    = 2
	AMDTileGFX12_64K_2D   = 3
	AMDTileGFX12_256K_2D  = 4
)

// AMD DCC maximum compressed block sizes.
const (
	AMDDCCBlock64B  = 0
	AMDDCCBlock128B = 1
	AMDDCCBlock256B = 2
)

// AMDModBase is AMD_FMT_MOD, the AMD vendor with every field zero.
var AMDModBase = Code(VendorAMD, 0)

// Get returns the field's value in m (AMD_FMT_MOD_GET).
func (f AMDField) Get(m Modifier) uint64 { return uint64(m) >> f.Shift & f.Mask }

// Set returns m with the field set to v (AMD_FMT_MOD_CLEAR then AMD_FMT_MOD_SET).
func (f AMDField) Set(m Modifier, v uint64) Modifier {
	return Modifier(uint64(m)&^(f.Mask<<f.Shift) | (v&f.Mask)<<f.Shift)
}
