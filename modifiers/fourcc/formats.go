package fourcc

// Format codes, with the values of the DRM_FORMAT_ macros in the kernel's
// include/uapi/drm/drm_fourcc.h (torvalds/linux). The libdrm-macros golden
// test checks each one libdrm 2.4.114 also defines.
const (
	// Invalid is DRM_FORMAT_INVALID, reserved so that 0 never names a format.
	Invalid Format = 0

	C1 = Format('C') | Format('1')<<8 | Format(' ')<<16 | Format(' ')<<24
	C2 = Format('C') | Format('2')<<8 | Format(' ')<<16 | Format(' ')<<24
	C4 = Format('C') | Format('4')<<8 | Format(' ')<<16 | Format(' ')<<24
	C8 = Format('C') | Format('8')<<8 | Format(' ')<<16 | Format(' ')<<24
	D1 = Format('D') | Format('1')<<8 | Format(' ')<<16 | Format(' ')<<24
	D2 = Format('D') | Format('2')<<8 | Format(' ')<<16 | Format(' ')<<24
	D4 = Format('D') | Format('4')<<8 | Format(' ')<<16 | Format(' ')<<24
	D8 = Format('D') | Format('8')<<8 | Format(' ')<<16 | Format(' ')<<24
	R1 = Format('R') | Format('1')<<8 | Format(' ')<<16 | Format(' ')<<24
	R2 = Format('R') | Format('2')<<8 | Format(' ')<<16 | Format(' ')<<24
	R4 = Format('R') | Format('4')<<8 | Format(' ')<<16 | Format(' ')<<24
	R8 = Format('R') | Format('8')<<8 | Format(' ')<<16 | Format(' ')<<24

	R10 = Format('R') | Format('1')<<8 | Format('0')<<16 | Format(' ')<<24
	R12 = Format('R') | Format('1')<<8 | Format('2')<<16 | Format(' ')<<24
	R16 = Format('R') | Format('1')<<8 | Format('6')<<16 | Format(' ')<<24

	RG88   = Format('R') | Format('G')<<8 | Format('8')<<16 | Format('8')<<24
	GR88   = Format('G') | Format('R')<<8 | Format('8')<<16 | Format('8')<<24
	RG1616 = Format('R') | Format('G')<<8 | Format('3')<<16 | Format('2')<<24
	GR1616 = Format('G') | Format('R')<<8 | Format('3')<<16 | Format('2')<<24

	RGB332 = Format('R') | Format('G')<<8 | Format('B')<<16 | Format('8')<<24
	BGR233 = Format('B') | Format('G')<<8 | Format('R')<<16 | Format('8')<<24

	XRGB4444 = Format('X') | Format('R')<<8 | Format('1')<<16 | Format('2')<<24
	XBGR4444 = Format('X') | Format('B')<<8 | Format('1')<<16 | Format('2')<<24
	RGBX4444 = Format('R') | Format('X')<<8 | Format('1')<<16 | Format('2')<<24
	BGRX4444 = Format('B') | Format('X')<<8 | Format('1')<<16 | Format('2')<<24
	ARGB4444 = Format('A') | Format('R')<<8 | Format('1')<<16 | Format('2')<<24
	ABGR4444 = Format('A') | Format('B')<<8 | Format('1')<<16 | Format('2')<<24
	RGBA4444 = Format('R') | Format('A')<<8 | Format('1')<<16 | Format('2')<<24
	BGRA4444 = Format('B') | Format('A')<<8 | Format('1')<<16 | Format('2')<<24

	XRGB1555 = Format('X') | Format('R')<<8 | Format('1')<<16 | Format('5')<<24
	XBGR1555 = Format('X') | Format('B')<<8 | Format('1')<<16 | Format('5')<<24
	RGBX5551 = Format('R') | Format('X')<<8 | Format('1')<<16 | Format('5')<<24
	BGRX5551 = Format('B') | Format('X')<<8 | Format('1')<<16 | Format('5')<<24
	ARGB1555 = Format('A') | Format('R')<<8 | Format('1')<<16 | Format('5')<<24
	ABGR1555 = Format('A') | Format('B')<<8 | Format('1')<<16 | Format('5')<<24
	RGBA5551 = Format('R') | Format('A')<<8 | Format('1')<<16 | Format('5')<<24
	BGRA5551 = Format('B') | Format('A')<<8 | Format('1')<<16 | Format('5')<<24

	RGB565 = Format('R') | Format('G')<<8 | Format('1')<<16 | Format('6')<<24
	BGR565 = Format('B') | Format('G')<<8 | Format('1')<<16 | Format('6')<<24

	RGB888 = Format('R') | Format('G')<<8 | Format('2')<<16 | Format('4')<<24
	BGR888 = Format('B') | Format('G')<<8 | Format('2')<<16 | Format('4')<<24

	XRGB8888 = Format('X') | Format('R')<<8 | Format('2')<<16 | Format('4')<<24
	XBGR8888 = Format('X') | Format('B')<<8 | Format('2')<<16 | Format('4')<<24
	RGBX8888 = Format('R') | Format('X')<<8 | Format('2')<<16 | Format('4')<<24
	BGRX8888 = Format('B') | Format('X')<<8 | Format('2')<<16 | Format('4')<<24
	ARGB8888 = Format('A') | Format('R')<<8 | Format('2')<<16 | Format('4')<<24
	ABGR8888 = Format('A') | Format('B')<<8 | Format('2')<<16 | Format('4')<<24
	RGBA8888 = Format('R') | Format('A')<<8 | Format('2')<<16 | Format('4')<<24
	BGRA8888 = Format('B') | Format('A')<<8 | Format('2')<<16 | Format('4')<<24

	XRGB2101010 = Format('X') | Format('R')<<8 | Format('3')<<16 | Format('0')<<24
	XBGR2101010 = Format('X') | Format('B')<<8 | Format('3')<<16 | Format('0')<<24
	RGBX1010102 = Format('R') | Format('X')<<8 | Format('3')<<16 | Format('0')<<24
	BGRX1010102 = Format('B') | Format('X')<<8 | Format('3')<<16 | Format('0')<<24
	ARGB2101010 = Format('A') | Format('R')<<8 | Format('3')<<16 | Format('0')<<24
	ABGR2101010 = Format('A') | Format('B')<<8 | Format('3')<<16 | Format('0')<<24
	RGBA1010102 = Format('R') | Format('A')<<8 | Format('3')<<16 | Format('0')<<24
	BGRA1010102 = Format('B') | Format('A')<<8 | Format('3')<<16 | Format('0')<<24

	RGB161616 = Format('R') | Format('G')<<8 | Format('4')<<16 | Format('8')<<24
	BGR161616 = Format('B') | Format('G')<<8 | Format('4')<<16 | Format('8')<<24

	XRGB16161616 = Format('X') | Format('R')<<8 | Format('4')<<16 | Format('8')<<24
	XBGR16161616 = Format('X') | Format('B')<<8 | Format('4')<<16 | Format('8')<<24
	ARGB16161616 = Format('A') | Format('R')<<8 | Format('4')<<16 | Format('8')<<24
	ABGR16161616 = Format('A') | Format('B')<<8 | Format('4')<<16 | Format('8')<<24

	XRGB16161616F = Format('X') | Format('R')<<8 | Format('4')<<16 | Format('H')<<24
	XBGR16161616F = Format('X') | Format('B')<<8 | Format('4')<<16 | Format('H')<<24
	ARGB16161616F = Format('A') | Format('R')<<8 | Format('4')<<16 | Format('H')<<24
	ABGR16161616F = Format('A') | Format('B')<<8 | Format('4')<<16 | Format('H')<<24

	R16F          = Format('R') | Format(' ')<<8 | Format(' ')<<16 | Format('H')<<24
	GR1616F       = Format('G') | Format('R')<<8 | Format(' ')<<16 | Format('H')<<24
	BGR161616F    = Format('B') | Format('G')<<8 | Format('R')<<16 | Format('H')<<24
	R32F          = Format('R') | Format(' ')<<8 | Format(' ')<<16 | Format('F')<<24
	GR3232F       = Format('G') | Format('R')<<8 | Format(' ')<<16 | Format('F')<<24
	BGR323232F    = Format('B') | Format('G')<<8 | Format('R')<<16 | Format('F')<<24
	ABGR32323232F = Format('A') | Format('B')<<8 | Format('8')<<16 | Format('F')<<24

	AXBXGXRX106106106106 = Format('A') | Format('B')<<8 | Format('1')<<16 | Format('0')<<24

	YUYV = Format('Y') | Format('U')<<8 | Format('Y')<<16 | Format('V')<<24
	YVYU = Format('Y') | Format('V')<<8 | Format('Y')<<16 | Format('U')<<24
	UYVY = Format('U') | Format('Y')<<8 | Format('V')<<16 | Format('Y')<<24
	VYUY = Format('V') | Format('Y')<<8 | Format('U')<<16 | Format('Y')<<24

	AYUV      = Format('A') | Format('Y')<<8 | Format('U')<<16 | Format('V')<<24
	AVUY8888  = Format('A') | Format('V')<<8 | Format('U')<<16 | Format('Y')<<24
	XYUV8888  = Format('X') | Format('Y')<<8 | Format('U')<<16 | Format('V')<<24
	XVUY8888  = Format('X') | Format('V')<<8 | Format('U')<<16 | Format('Y')<<24
	VUY888    = Format('V') | Format('U')<<8 | Format('2')<<16 | Format('4')<<24
	VUY101010 = Format('V') | Format('U')<<8 | Format('3')<<16 | Format('0')<<24

	Y210 = Format('Y') | Format('2')<<8 | Format('1')<<16 | Format('0')<<24
	Y212 = Format('Y') | Format('2')<<8 | Format('1')<<16 | Format('2')<<24
	Y216 = Format('Y') | Format('2')<<8 | Format('1')<<16 | Format('6')<<24
	Y410 = Format('Y') | Format('4')<<8 | Format('1')<<16 | Format('0')<<24
	Y412 = Format('Y') | Format('4')<<8 | Format('1')<<16 | Format('2')<<24
	Y416 = Format('Y') | Format('4')<<8 | Format('1')<<16 | Format('6')<<24

	XVYU2101010     = Format('X') | Format('V')<<8 | Format('3')<<16 | Format('0')<<24
	XVYU12_16161616 = Format('X') | Format('V')<<8 | Format('3')<<16 | Format('6')<<24
	XVYU16161616    = Format('X') | Format('V')<<8 | Format('4')<<16 | Format('8')<<24

	Y0L0 = Format('Y') | Format('0')<<8 | Format('L')<<16 | Format('0')<<24
	X0L0 = Format('X') | Format('0')<<8 | Format('L')<<16 | Format('0')<<24
	Y0L2 = Format('Y') | Format('0')<<8 | Format('L')<<16 | Format('2')<<24
	X0L2 = Format('X') | Format('0')<<8 | Format('L')<<16 | Format('2')<<24

	YUV420_8BIT  = Format('Y') | Format('U')<<8 | Format('0')<<16 | Format('8')<<24
	YUV420_10BIT = Format('Y') | Format('U')<<8 | Format('1')<<16 | Format('0')<<24

	XRGB8888_A8 = Format('X') | Format('R')<<8 | Format('A')<<16 | Format('8')<<24
	XBGR8888_A8 = Format('X') | Format('B')<<8 | Format('A')<<16 | Format('8')<<24
	RGBX8888_A8 = Format('R') | Format('X')<<8 | Format('A')<<16 | Format('8')<<24
	BGRX8888_A8 = Format('B') | Format('X')<<8 | Format('A')<<16 | Format('8')<<24
	RGB888_A8   = Format('R') | Format('8')<<8 | Format('A')<<16 | Format('8')<<24
	BGR888_A8   = Format('B') | Format('8')<<8 | Format('A')<<16 | Format('8')<<24
	RGB565_A8   = Format('R') | Format('5')<<8 | Format('A')<<16 | Format('8')<<24
	BGR565_A8   = Format('B') | Format('5')<<8 | Format('A')<<16 | Format('8')<<24

	NV12 = Format('N') | Format('V')<<8 | Format('1')<<16 | Format('2')<<24
	NV21 = Format('N') | Format('V')<<8 | Format('2')<<16 | Format('1')<<24
	NV16 = Format('N') | Format('V')<<8 | Format('1')<<16 | Format('6')<<24
	NV61 = Format('N') | Format('V')<<8 | Format('6')<<16 | Format('1')<<24
	NV24 = Format('N') | Format('V')<<8 | Format('2')<<16 | Format('4')<<24
	NV42 = Format('N') | Format('V')<<8 | Format('4')<<16 | Format('2')<<24
	NV15 = Format('N') | Format('V')<<8 | Format('1')<<16 | Format('5')<<24
	NV20 = Format('N') | Format('V')<<8 | Format('2')<<16 | Format('0')<<24
	NV30 = Format('N') | Format('V')<<8 | Format('3')<<16 | Format('0')<<24

	P210 = Format('P') | Format('2')<<8 | Format('1')<<16 | Format('0')<<24
	P010 = Format('P') | Format('0')<<8 | Format('1')<<16 | Format('0')<<24
	P012 = Format('P') | Format('0')<<8 | Format('1')<<16 | Format('2')<<24
	P016 = Format('P') | Format('0')<<8 | Format('1')<<16 | Format('6')<<24
	P030 = Format('P') | Format('0')<<8 | Format('3')<<16 | Format('0')<<24

	Q410 = Format('Q') | Format('4')<<8 | Format('1')<<16 | Format('0')<<24
	Q401 = Format('Q') | Format('4')<<8 | Format('0')<<16 | Format('1')<<24

	S010 = Format('S') | Format('0')<<8 | Format('1')<<16 | Format('0')<<24
	S210 = Format('S') | Format('2')<<8 | Format('1')<<16 | Format('0')<<24
	S410 = Format('S') | Format('4')<<8 | Format('1')<<16 | Format('0')<<24
	S012 = Format('S') | Format('0')<<8 | Format('1')<<16 | Format('2')<<24
	S212 = Format('S') | Format('2')<<8 | Format('1')<<16 | Format('2')<<24
	S412 = Format('S') | Format('4')<<8 | Format('1')<<16 | Format('2')<<24
	S016 = Format('S') | Format('0')<<8 | Format('1')<<16 | Format('6')<<24
	S216 = Format('S') | Format('2')<<8 | Format('1')<<16 | Format('6')<<24
	S416 = Format('S') | Format('4')<<8 | Format('1')<<16 | Format('6')<<24

	YUV410 = Format('Y') | Format('U')<<8 | Format('V')<<16 | Format('9')<<24
	YVU410 = Format('Y') | Format('V')<<8 | Format('U')<<16 | Format('9')<<24
	YUV411 = Format('Y') | Format('U')<<8 | Format('1')<<16 | Format('1')<<24
	YVU411 = Format('Y') | Format('V')<<8 | Format('1')<<16 | Format('1')<<24
	YUV420 = Format('Y') | Format('U')<<8 | Format('1')<<16 | Format('2')<<24
	YVU420 = Format('Y') | Format('V')<<8 | Format('1')<<16 | Format('2')<<24
	YUV422 = Format('Y') | Format('U')<<8 | Format('1')<<16 | Format('6')<<24
	YVU422 = Format('Y') | Format('V')<<8 | Format('1')<<16 | Format('6')<<24
	YUV444 = Format('Y') | Format('U')<<8 | Format('2')<<16 | Format('4')<<24
	YVU444 = Format('Y') | Format('V')<<8 | Format('2')<<16 | Format('4')<<24
)
