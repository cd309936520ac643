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
//
// The JSON form (for the CLI) uses lower_snake_case keys; "format" is the
// numeric code, and "fourcc" repeats it as libdrm prints it ("XR24",
// "XR24_BE") because a bare number is unreadable to the people who read that
// output. FourCC is the only field the kernel's struct does not have.
type Info struct {
	Format         Format           `json:"format"`
	FourCC         string           `json:"fourcc"` // LibdrmName(Format), e.g. "XR24"
	Name           string           `json:"name"`   // DRM name without the DRM_FORMAT_ prefix, e.g. "XRGB8888"
	Depth          uint8            `json:"depth"`  // legacy colour depth, 0 when the kernel gives none
	NumPlanes      uint8            `json:"num_planes"`
	CharPerBlock   [MaxPlanes]uint8 `json:"char_per_block"` // bytes per block, per plane
	BlockW         [MaxPlanes]uint8 `json:"block_w"`
	BlockH         [MaxPlanes]uint8 `json:"block_h"`
	HSub           uint8            `json:"hsub"`
	VSub           uint8            `json:"vsub"`
	HasAlpha       bool             `json:"has_alpha"`
	IsYUV          bool             `json:"is_yuv"`
	IsColorIndexed bool             `json:"is_color_indexed"`
}
