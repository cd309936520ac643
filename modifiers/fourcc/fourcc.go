package fourcc

// Format is a DRM fourcc pixel format code, possibly with BigEndian set.
type Format uint32

// BigEndian is DRM_FORMAT_BIG_ENDIAN: the format's little-endian layout
// description applies to big-endian words.
const BigEndian Format = 1 << 31

// Code builds fourcc_code(a, b, c, d).
func Code(a, b, c, d byte) Format {
	return Format(a) | Format(b)<<8 | Format(c)<<16 | Format(d)<<24
}

// MaxPlanes is DRM_FORMAT_MAX_PLANES.
const MaxPlanes = 4

// Info describes a format's memory layout, field for field as the kernel's
// struct drm_format_info does. A zero BlockW/BlockH means a 1x1 block.
type Info struct {
	Format         Format
	Name           string // DRM name without the DRM_FORMAT_ prefix, e.g. "XRGB8888"
	Depth          uint8  // legacy colour depth, 0 when the kernel gives none
	NumPlanes      uint8
	CharPerBlock   [MaxPlanes]uint8 // bytes per block, per plane
	BlockW, BlockH [MaxPlanes]uint8
	HSub, VSub     uint8
	HasAlpha       bool
	IsYUV          bool
	IsColorIndexed bool
}
