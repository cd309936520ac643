package fourcc

// Flags of a table entry; a bit set instead of three bools keeps each entry
// on one line, which is what makes the table reviewable against the kernel's.
type flag uint8

const (
	alpha   flag = 1 << iota // has_alpha
	yuv                      // is_yuv
	indexed                  // is_color_indexed
)

// px is an entry written with the kernel's .cpp initialiser: one byte count
// per plane, block sizes left 0 (meaning 1x1).
func px(f Format, name string, depth, planes uint8, cpp [3]uint8, hsub, vsub uint8, fl flag) Info {
	return blk(f, name, depth, planes, cpp, [3]uint8{}, [3]uint8{}, hsub, vsub, fl)
}

// blk is an entry written with the kernel's .char_per_block/.block_w/.block_h
// initialisers. The explicit values are kept even where they are 1 so that
// Info compares equal, field for field, with the kernel's struct.
func blk(f Format, name string, depth, planes uint8, cpb, bw, bh [3]uint8, hsub, vsub uint8, fl flag) Info {
	in := Info{
		Format: f, Name: name, Depth: depth, NumPlanes: planes,
		HSub: hsub, VSub: vsub,
		HasAlpha: fl&alpha != 0, IsYUV: fl&yuv != 0, IsColorIndexed: fl&indexed != 0,
	}
	copy(in.CharPerBlock[:], cpb[:])
	copy(in.BlockW[:], bw[:])
	copy(in.BlockH[:], bh[:])
	return in
}

// table is the kernel's __drm_format_info formats[] array
// (torvalds/linux drivers/gpu/drm/drm_fourcc.c, the version with the S0xx
// formats, NV20/NV30 and RGB161616), in the kernel's order, which All keeps.
// FourCC is filled in by init. The two DRM_FORMAT_BIG_ENDIAN entries the
// kernel compiles in only on big-endian hosts are left out: a fake device
// behaves like a little-endian one, and Lookup handles BigEndian generically.
var table = [...]Info{
	blk(C1, "C1", 1, 1, [3]uint8{1}, [3]uint8{8}, [3]uint8{1}, 1, 1, indexed),
	blk(C2, "C2", 2, 1, [3]uint8{1}, [3]uint8{4}, [3]uint8{1}, 1, 1, indexed),
	blk(C4, "C4", 4, 1, [3]uint8{1}, [3]uint8{2}, [3]uint8{1}, 1, 1, indexed),
	px(C8, "C8", 8, 1, [3]uint8{1}, 1, 1, indexed),
	blk(D1, "D1", 1, 1, [3]uint8{1}, [3]uint8{8}, [3]uint8{1}, 1, 1, 0),
	blk(D2, "D2", 2, 1, [3]uint8{1}, [3]uint8{4}, [3]uint8{1}, 1, 1, 0),
	blk(D4, "D4", 4, 1, [3]uint8{1}, [3]uint8{2}, [3]uint8{1}, 1, 1, 0),
	px(D8, "D8", 8, 1, [3]uint8{1}, 1, 1, 0),
	blk(R1, "R1", 1, 1, [3]uint8{1}, [3]uint8{8}, [3]uint8{1}, 1, 1, 0),
	blk(R2, "R2", 2, 1, [3]uint8{1}, [3]uint8{4}, [3]uint8{1}, 1, 1, 0),
	blk(R4, "R4", 4, 1, [3]uint8{1}, [3]uint8{2}, [3]uint8{1}, 1, 1, 0),
	px(R8, "R8", 8, 1, [3]uint8{1}, 1, 1, 0),
	px(R10, "R10", 10, 1, [3]uint8{2}, 1, 1, 0),
	px(R12, "R12", 12, 1, [3]uint8{2}, 1, 1, 0),
	px(RGB332, "RGB332", 8, 1, [3]uint8{1}, 1, 1, 0),
	px(BGR233, "BGR233", 8, 1, [3]uint8{1}, 1, 1, 0),
	px(XRGB4444, "XRGB4444", 0, 1, [3]uint8{2}, 1, 1, 0),
	px(XBGR4444, "XBGR4444", 0, 1, [3]uint8{2}, 1, 1, 0),
	px(RGBX4444, "RGBX4444", 0, 1, [3]uint8{2}, 1, 1, 0),
	px(BGRX4444, "BGRX4444", 0, 1, [3]uint8{2}, 1, 1, 0),
	px(ARGB4444, "ARGB4444", 0, 1, [3]uint8{2}, 1, 1, alpha),
	px(ABGR4444, "ABGR4444", 0, 1, [3]uint8{2}, 1, 1, alpha),
	px(RGBA4444, "RGBA4444", 0, 1, [3]uint8{2}, 1, 1, alpha),
	px(BGRA4444, "BGRA4444", 0, 1, [3]uint8{2}, 1, 1, alpha),
	px(XRGB1555, "XRGB1555", 15, 1, [3]uint8{2}, 1, 1, 0),
	px(XBGR1555, "XBGR1555", 15, 1, [3]uint8{2}, 1, 1, 0),
	px(RGBX5551, "RGBX5551", 15, 1, [3]uint8{2}, 1, 1, 0),
	px(BGRX5551, "BGRX5551", 15, 1, [3]uint8{2}, 1, 1, 0),
	px(ARGB1555, "ARGB1555", 15, 1, [3]uint8{2}, 1, 1, alpha),
	px(ABGR1555, "ABGR1555", 15, 1, [3]uint8{2}, 1, 1, alpha),
	px(RGBA5551, "RGBA5551", 15, 1, [3]uint8{2}, 1, 1, alpha),
	px(BGRA5551, "BGRA5551", 15, 1, [3]uint8{2}, 1, 1, alpha),
	px(RGB565, "RGB565", 16, 1, [3]uint8{2}, 1, 1, 0),
	px(BGR565, "BGR565", 16, 1, [3]uint8{2}, 1, 1, 0),
	px(RGB888, "RGB888", 24, 1, [3]uint8{3}, 1, 1, 0),
	px(BGR888, "BGR888", 24, 1, [3]uint8{3}, 1, 1, 0),
	px(XRGB8888, "XRGB8888", 24, 1, [3]uint8{4}, 1, 1, 0),
	px(XBGR8888, "XBGR8888", 24, 1, [3]uint8{4}, 1, 1, 0),
	px(RGBX8888, "RGBX8888", 24, 1, [3]uint8{4}, 1, 1, 0),
	px(BGRX8888, "BGRX8888", 24, 1, [3]uint8{4}, 1, 1, 0),
	px(RGB565_A8, "RGB565_A8", 24, 2, [3]uint8{2, 1}, 1, 1, alpha),
	px(BGR565_A8, "BGR565_A8", 24, 2, [3]uint8{2, 1}, 1, 1, alpha),
	px(XRGB2101010, "XRGB2101010", 30, 1, [3]uint8{4}, 1, 1, 0),
	px(XBGR2101010, "XBGR2101010", 30, 1, [3]uint8{4}, 1, 1, 0),
	px(RGBX1010102, "RGBX1010102", 30, 1, [3]uint8{4}, 1, 1, 0),
	px(BGRX1010102, "BGRX1010102", 30, 1, [3]uint8{4}, 1, 1, 0),
	px(ARGB2101010, "ARGB2101010", 30, 1, [3]uint8{4}, 1, 1, alpha),
	px(ABGR2101010, "ABGR2101010", 30, 1, [3]uint8{4}, 1, 1, alpha),
	px(RGBA1010102, "RGBA1010102", 30, 1, [3]uint8{4}, 1, 1, alpha),
	px(BGRA1010102, "BGRA1010102", 30, 1, [3]uint8{4}, 1, 1, alpha),
	blk(RGB161616, "RGB161616", 0, 1, [3]uint8{6}, [3]uint8{1}, [3]uint8{1}, 1, 1, 0),
	blk(BGR161616, "BGR161616", 0, 1, [3]uint8{6}, [3]uint8{1}, [3]uint8{1}, 1, 1, 0),
	px(ARGB8888, "ARGB8888", 32, 1, [3]uint8{4}, 1, 1, alpha),
	px(ABGR8888, "ABGR8888", 32, 1, [3]uint8{4}, 1, 1, alpha),
	px(RGBA8888, "RGBA8888", 32, 1, [3]uint8{4}, 1, 1, alpha),
	px(BGRA8888, "BGRA8888", 32, 1, [3]uint8{4}, 1, 1, alpha),
	px(XRGB16161616F, "XRGB16161616F", 0, 1, [3]uint8{8}, 1, 1, 0),
	px(XBGR16161616F, "XBGR16161616F", 0, 1, [3]uint8{8}, 1, 1, 0),
	px(ARGB16161616F, "ARGB16161616F", 0, 1, [3]uint8{8}, 1, 1, alpha),
	px(ABGR16161616F, "ABGR16161616F", 0, 1, [3]uint8{8}, 1, 1, alpha),
	px(AXBXGXRX106106106106, "AXBXGXRX106106106106", 0, 1, [3]uint8{8}, 1, 1, alpha),
	px(XRGB16161616, "XRGB16161616", 0, 1, [3]uint8{8}, 1, 1, 0),
	px(XBGR16161616, "XBGR16161616", 0, 1, [3]uint8{8}, 1, 1, 0),
	px(ARGB16161616, "ARGB16161616", 0, 1, [3]uint8{8}, 1, 1, alpha),
	px(ABGR16161616, "ABGR16161616", 0, 1, [3]uint8{8}, 1, 1, alpha),
	px(RGB888_A8, "RGB888_A8", 32, 2, [3]uint8{3, 1}, 1, 1, alpha),
	px(BGR888_A8, "BGR888_A8", 32, 2, [3]uint8{3, 1}, 1, 1, alpha),
	px(XRGB8888_A8, "XRGB8888_A8", 32, 2, [3]uint8{4, 1}, 1, 1, alpha),
	px(XBGR8888_A8, "XBGR8888_A8", 32, 2, [3]uint8{4, 1}, 1, 1, alpha),
	px(RGBX8888_A8, "RGBX8888_A8", 32, 2, [3]uint8{4, 1}, 1, 1, alpha),
	px(BGRX8888_A8, "BGRX8888_A8", 32, 2, [3]uint8{4, 1}, 1, 1, alpha),
	px(YUV410, "YUV410", 0, 3, [3]uint8{1, 1, 1}, 4, 4, yuv),
	px(YVU410, "YVU410", 0, 3, [3]uint8{1, 1, 1}, 4, 4, yuv),
	px(YUV411, "YUV411", 0, 3, [3]uint8{1, 1, 1}, 4, 1, yuv),
	px(YVU411, "YVU411", 0, 3, [3]uint8{1, 1, 1}, 4, 1, yuv),
	px(YUV420, "YUV420", 0, 3, [3]uint8{1, 1, 1}, 2, 2, yuv),
	px(YVU420, "YVU420", 0, 3, [3]uint8{1, 1, 1}, 2, 2, yuv),
	px(YUV422, "YUV422", 0, 3, [3]uint8{1, 1, 1}, 2, 1, yuv),
	px(YVU422, "YVU422", 0, 3, [3]uint8{1, 1, 1}, 2, 1, yuv),
	px(YUV444, "YUV444", 0, 3, [3]uint8{1, 1, 1}, 1, 1, yuv),
	px(YVU444, "YVU444", 0, 3, [3]uint8{1, 1, 1}, 1, 1, yuv),
	px(NV12, "NV12", 0, 2, [3]uint8{1, 2}, 2, 2, yuv),
	px(NV21, "NV21", 0, 2, [3]uint8{1, 2}, 2, 2, yuv),
	px(NV16, "NV16", 0, 2, [3]uint8{1, 2}, 2, 1, yuv),
	px(NV61, "NV61", 0, 2, [3]uint8{1, 2}, 2, 1, yuv),
	px(NV24, "NV24", 0, 2, [3]uint8{1, 2}, 1, 1, yuv),
	px(NV42, "NV42", 0, 2, [3]uint8{1, 2}, 1, 1, yuv),
	px(YUYV, "YUYV", 0, 1, [3]uint8{2}, 2, 1, yuv),
	px(YVYU, "YVYU", 0, 1, [3]uint8{2}, 2, 1, yuv),
	px(UYVY, "UYVY", 0, 1, [3]uint8{2}, 2, 1, yuv),
	px(VYUY, "VYUY", 0, 1, [3]uint8{2}, 2, 1, yuv),
	px(XYUV8888, "XYUV8888", 0, 1, [3]uint8{4}, 1, 1, yuv),
	px(VUY888, "VUY888", 0, 1, [3]uint8{3}, 1, 1, yuv),
	px(AYUV, "AYUV", 0, 1, [3]uint8{4}, 1, 1, alpha|yuv),
	px(Y210, "Y210", 0, 1, [3]uint8{4}, 2, 1, yuv),
	px(Y212, "Y212", 0, 1, [3]uint8{4}, 2, 1, yuv),
	px(Y216, "Y216", 0, 1, [3]uint8{4}, 2, 1, yuv),
	px(Y410, "Y410", 0, 1, [3]uint8{4}, 1, 1, alpha|yuv),
	px(Y412, "Y412", 0, 1, [3]uint8{8}, 1, 1, alpha|yuv),
	px(Y416, "Y416", 0, 1, [3]uint8{8}, 1, 1, alpha|yuv),
	px(XVYU2101010, "XVYU2101010", 0, 1, [3]uint8{4}, 1, 1, yuv),
	px(XVYU12_16161616, "XVYU12_16161616", 0, 1, [3]uint8{8}, 1, 1, yuv),
	px(XVYU16161616, "XVYU16161616", 0, 1, [3]uint8{8}, 1, 1, yuv),
	blk(Y0L0, "Y0L0", 0, 1, [3]uint8{8}, [3]uint8{2}, [3]uint8{2}, 2, 2, alpha|yuv),
	blk(X0L0, "X0L0", 0, 1, [3]uint8{8}, [3]uint8{2}, [3]uint8{2}, 2, 2, yuv),
	blk(Y0L2, "Y0L2", 0, 1, [3]uint8{8}, [3]uint8{2}, [3]uint8{2}, 2, 2, alpha|yuv),
	blk(X0L2, "X0L2", 0, 1, [3]uint8{8}, [3]uint8{2}, [3]uint8{2}, 2, 2, yuv),
	blk(P010, "P010", 0, 2, [3]uint8{2, 4}, [3]uint8{1, 1}, [3]uint8{1, 1}, 2, 2, yuv),
	blk(P012, "P012", 0, 2, [3]uint8{2, 4}, [3]uint8{1, 1}, [3]uint8{1, 1}, 2, 2, yuv),
	blk(P016, "P016", 0, 2, [3]uint8{2, 4}, [3]uint8{1, 1}, [3]uint8{1, 1}, 2, 2, yuv),
	blk(P210, "P210", 0, 2, [3]uint8{2, 4}, [3]uint8{1, 1}, [3]uint8{1, 1}, 2, 1, yuv),
	// The kernel gives these three no byte counts at all: their linear
	// layout is undefined and they exist only with a non-linear modifier.
	px(VUY101010, "VUY101010", 0, 1, [3]uint8{}, 1, 1, yuv),
	px(YUV420_8BIT, "YUV420_8BIT", 0, 1, [3]uint8{}, 2, 2, yuv),
	px(YUV420_10BIT, "YUV420_10BIT", 0, 1, [3]uint8{}, 2, 2, yuv),
	blk(NV15, "NV15", 0, 2, [3]uint8{5, 5}, [3]uint8{4, 2}, [3]uint8{1, 1}, 2, 2, yuv),
	blk(NV20, "NV20", 0, 2, [3]uint8{5, 5}, [3]uint8{4, 2}, [3]uint8{1, 1}, 2, 1, yuv),
	blk(NV30, "NV30", 0, 2, [3]uint8{5, 5}, [3]uint8{4, 2}, [3]uint8{1, 1}, 1, 1, yuv),
	blk(Q410, "Q410", 0, 3, [3]uint8{2, 2, 2}, [3]uint8{1, 1, 1}, [3]uint8{1, 1, 1}, 1, 1, yuv),
	blk(Q401, "Q401", 0, 3, [3]uint8{2, 2, 2}, [3]uint8{1, 1, 1}, [3]uint8{1, 1, 1}, 1, 1, yuv),
	blk(P030, "P030", 0, 2, [3]uint8{4, 8}, [3]uint8{3, 3}, [3]uint8{1, 1}, 2, 2, yuv),
	blk(S010, "S010", 0, 3, [3]uint8{2, 2, 2}, [3]uint8{1, 1, 1}, [3]uint8{1, 1, 1}, 2, 2, yuv),
	blk(S210, "S210", 0, 3, [3]uint8{2, 2, 2}, [3]uint8{1, 1, 1}, [3]uint8{1, 1, 1}, 2, 1, yuv),
	blk(S410, "S410", 0, 3, [3]uint8{2, 2, 2}, [3]uint8{1, 1, 1}, [3]uint8{1, 1, 1}, 1, 1, yuv),
	blk(S012, "S012", 0, 3, [3]uint8{2, 2, 2}, [3]uint8{1, 1, 1}, [3]uint8{1, 1, 1}, 2, 2, yuv),
	blk(S212, "S212", 0, 3, [3]uint8{2, 2, 2}, [3]uint8{1, 1, 1}, [3]uint8{1, 1, 1}, 2, 1, yuv),
	blk(S412, "S412", 0, 3, [3]uint8{2, 2, 2}, [3]uint8{1, 1, 1}, [3]uint8{1, 1, 1}, 1, 1, yuv),
	blk(S016, "S016", 0, 3, [3]uint8{2, 2, 2}, [3]uint8{1, 1, 1}, [3]uint8{1, 1, 1}, 2, 2, yuv),
	blk(S216, "S216", 0, 3, [3]uint8{2, 2, 2}, [3]uint8{1, 1, 1}, [3]uint8{1, 1, 1}, 2, 1, yuv),
	blk(S416, "S416", 0, 3, [3]uint8{2, 2, 2}, [3]uint8{1, 1, 1}, [3]uint8{1, 1, 1}, 1, 1, yuv),
}

// nameOnly are formats the uapi header defines but the kernel's format table
// does not describe: the kernel refuses framebuffers of them, so Lookup does
// too, yet DRMName and Parse know their names. Mesa and GBM use several of
// them (R16, GR88) for per-plane imports.
var nameOnly = [...]struct {
	f    Format
	name string
}{
	{Invalid, "INVALID"},
	{R16, "R16"},
	{RG88, "RG88"},
	{GR88, "GR88"},
	{RG1616, "RG1616"},
	{GR1616, "GR1616"},
	{R16F, "R16F"},
	{GR1616F, "GR1616F"},
	{BGR161616F, "BGR161616F"},
	{R32F, "R32F"},
	{GR3232F, "GR3232F"},
	{BGR323232F, "BGR323232F"},
	{ABGR32323232F, "ABGR32323232F"},
	{AVUY8888, "AVUY8888"},
	{XVUY8888, "XVUY8888"},
}
