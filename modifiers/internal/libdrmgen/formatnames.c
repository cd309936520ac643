/*
 * formatnames: golden data for headway's modifiers/fourcc tests.
 *
 * Build: cc formatnames.c $(pkg-config --cflags --libs libdrm)
 *
 * With no argument it reads codes (one per line, C-style hex or decimal) on
 * stdin and prints, for each, "0x%08x<TAB>name" where name is what this
 * libdrm's drmGetFormatName returns. Bytes outside '!'..'~' and the
 * backslash are written as \xNN so that spaces, tabs, NULs cut off by
 * libdrm and non-ASCII bytes survive a TSV file unambiguously.
 *
 * With the argument "macros" it prints "NAME<TAB>0x%08x" for every
 * DRM_FORMAT_ pixel-format macro this libdrm's drm_fourcc.h defines, among
 * the names headway knows; names the header lacks are skipped, so the output
 * says which formats this libdrm knows.
 *
 * Written for headway; no code is taken from libdrm.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <drm_fourcc.h>
#include <xf86drm.h>

struct macro {
	const char *name;
	uint32_t value;
};

#define M(n) { #n, DRM_FORMAT_##n },

static const struct macro macros[] = {
	M(INVALID)
#ifdef DRM_FORMAT_C1
	M(C1)
#endif
#ifdef DRM_FORMAT_C2
	M(C2)
#endif
#ifdef DRM_FORMAT_C4
	M(C4)
#endif
#ifdef DRM_FORMAT_C8
	M(C8)
#endif
#ifdef DRM_FORMAT_D1
	M(D1)
#endif
#ifdef DRM_FORMAT_D2
	M(D2)
#endif
#ifdef DRM_FORMAT_D4
	M(D4)
#endif
#ifdef DRM_FORMAT_D8
	M(D8)
#endif
#ifdef DRM_FORMAT_R1
	M(R1)
#endif
#ifdef DRM_FORMAT_R2
	M(R2)
#endif
#ifdef DRM_FORMAT_R4
	M(R4)
#endif
#ifdef DRM_FORMAT_R8
	M(R8)
#endif
#ifdef DRM_FORMAT_R10
	M(R10)
#endif
#ifdef DRM_FORMAT_R12
	M(R12)
#endif
#ifdef DRM_FORMAT_RGB332
	M(RGB332)
#endif
#ifdef DRM_FORMAT_BGR233
	M(BGR233)
#endif
#ifdef DRM_FORMAT_XRGB4444
	M(XRGB4444)
#endif
#ifdef DRM_FORMAT_XBGR4444
	M(XBGR4444)
#endif
#ifdef DRM_FORMAT_RGBX4444
	M(RGBX4444)
#endif
#ifdef DRM_FORMAT_BGRX4444
	M(BGRX4444)
#endif
#ifdef DRM_FORMAT_ARGB4444
	M(ARGB4444)
#endif
#ifdef DRM_FORMAT_ABGR4444
	M(ABGR4444)
#endif
#ifdef DRM_FORMAT_RGBA4444
	M(RGBA4444)
#endif
#ifdef DRM_FORMAT_BGRA4444
	M(BGRA4444)
#endif
#ifdef DRM_FORMAT_XRGB1555
	M(XRGB1555)
#endif
#ifdef DRM_FORMAT_XBGR1555
	M(XBGR1555)
#endif
#ifdef DRM_FORMAT_RGBX5551
	M(RGBX5551)
#endif
#ifdef DRM_FORMAT_BGRX5551
	M(BGRX5551)
#endif
#ifdef DRM_FORMAT_ARGB1555
	M(ARGB1555)
#endif
#ifdef DRM_FORMAT_ABGR1555
	M(ABGR1555)
#endif
#ifdef DRM_FORMAT_RGBA5551
	M(RGBA5551)
#endif
#ifdef DRM_FORMAT_BGRA5551
	M(BGRA5551)
#endif
#ifdef DRM_FORMAT_RGB565
	M(RGB565)
#endif
#ifdef DRM_FORMAT_BGR565
	M(BGR565)
#endif
#ifdef DRM_FORMAT_RGB888
	M(RGB888)
#endif
#ifdef DRM_FORMAT_BGR888
	M(BGR888)
#endif
#ifdef DRM_FORMAT_XRGB8888
	M(XRGB8888)
#endif
#ifdef DRM_FORMAT_XBGR8888
	M(XBGR8888)
#endif
#ifdef DRM_FORMAT_RGBX8888
	M(RGBX8888)
#endif
#ifdef DRM_FORMAT_BGRX8888
	M(BGRX8888)
#endif
#ifdef DRM_FORMAT_RGB565_A8
	M(RGB565_A8)
#endif
#ifdef DRM_FORMAT_BGR565_A8
	M(BGR565_A8)
#endif
#ifdef DRM_FORMAT_XRGB2101010
	M(XRGB2101010)
#endif
#ifdef DRM_FORMAT_XBGR2101010
	M(XBGR2101010)
#endif
#ifdef DRM_FORMAT_RGBX1010102
	M(RGBX1010102)
#endif
#ifdef DRM_FORMAT_BGRX1010102
	M(BGRX1010102)
#endif
#ifdef DRM_FORMAT_ARGB2101010
	M(ARGB2101010)
#endif
#ifdef DRM_FORMAT_ABGR2101010
	M(ABGR2101010)
#endif
#ifdef DRM_FORMAT_RGBA1010102
	M(RGBA1010102)
#endif
#ifdef DRM_FORMAT_BGRA1010102
	M(BGRA1010102)
#endif
#ifdef DRM_FORMAT_RGB161616
	M(RGB161616)
#endif
#ifdef DRM_FORMAT_BGR161616
	M(BGR161616)
#endif
#ifdef DRM_FORMAT_ARGB8888
	M(ARGB8888)
#endif
#ifdef DRM_FORMAT_ABGR8888
	M(ABGR8888)
#endif
#ifdef DRM_FORMAT_RGBA8888
	M(RGBA8888)
#endif
#ifdef DRM_FORMAT_BGRA8888
	M(BGRA8888)
#endif
#ifdef DRM_FORMAT_XRGB16161616F
	M(XRGB16161616F)
#endif
#ifdef DRM_FORMAT_XBGR16161616F
	M(XBGR16161616F)
#endif
#ifdef DRM_FORMAT_ARGB16161616F
	M(ARGB16161616F)
#endif
#ifdef DRM_FORMAT_ABGR16161616F
	M(ABGR16161616F)
#endif
#ifdef DRM_FORMAT_AXBXGXRX106106106106
	M(AXBXGXRX106106106106)
#endif
#ifdef DRM_FORMAT_XRGB16161616
	M(XRGB16161616)
#endif
#ifdef DRM_FORMAT_XBGR16161616
	M(XBGR16161616)
#endif
#ifdef DRM_FORMAT_ARGB16161616
	M(ARGB16161616)
#endif
#ifdef DRM_FORMAT_ABGR16161616
	M(ABGR16161616)
#endif
#ifdef DRM_FORMAT_RGB888_A8
	M(RGB888_A8)
#endif
#ifdef DRM_FORMAT_BGR888_A8
	M(BGR888_A8)
#endif
#ifdef DRM_FORMAT_XRGB8888_A8
	M(XRGB8888_A8)
#endif
#ifdef DRM_FORMAT_XBGR8888_A8
	M(XBGR8888_A8)
#endif
#ifdef DRM_FORMAT_RGBX8888_A8
	M(RGBX8888_A8)
#endif
#ifdef DRM_FORMAT_BGRX8888_A8
	M(BGRX8888_A8)
#endif
#ifdef DRM_FORMAT_YUV410
	M(YUV410)
#endif
#ifdef DRM_FORMAT_YVU410
	M(YVU410)
#endif
#ifdef DRM_FORMAT_YUV411
	M(YUV411)
#endif
#ifdef DRM_FORMAT_YVU411
	M(YVU411)
#endif
#ifdef DRM_FORMAT_YUV420
	M(YUV420)
#endif
#ifdef DRM_FORMAT_YVU420
	M(YVU420)
#endif
#ifdef DRM_FORMAT_YUV422
	M(YUV422)
#endif
#ifdef DRM_FORMAT_YVU422
	M(YVU422)
#endif
#ifdef DRM_FORMAT_YUV444
	M(YUV444)
#endif
#ifdef DRM_FORMAT_YVU444
	M(YVU444)
#endif
#ifdef DRM_FORMAT_NV12
	M(NV12)
#endif
#ifdef DRM_FORMAT_NV21
	M(NV21)
#endif
#ifdef DRM_FORMAT_NV16
	M(NV16)
#endif
#ifdef DRM_FORMAT_NV61
	M(NV61)
#endif
#ifdef DRM_FORMAT_NV24
	M(NV24)
#endif
#ifdef DRM_FORMAT_NV42
	M(NV42)
#endif
#ifdef DRM_FORMAT_YUYV
	M(YUYV)
#endif
#ifdef DRM_FORMAT_YVYU
	M(YVYU)
#endif
#ifdef DRM_FORMAT_UYVY
	M(UYVY)
#endif
#ifdef DRM_FORMAT_VYUY
	M(VYUY)
#endif
#ifdef DRM_FORMAT_XYUV8888
	M(XYUV8888)
#endif
#ifdef DRM_FORMAT_VUY888
	M(VUY888)
#endif
#ifdef DRM_FORMAT_AYUV
	M(AYUV)
#endif
#ifdef DRM_FORMAT_Y210
	M(Y210)
#endif
#ifdef DRM_FORMAT_Y212
	M(Y212)
#endif
#ifdef DRM_FORMAT_Y216
	M(Y216)
#endif
#ifdef DRM_FORMAT_Y410
	M(Y410)
#endif
#ifdef DRM_FORMAT_Y412
	M(Y412)
#endif
#ifdef DRM_FORMAT_Y416
	M(Y416)
#endif
#ifdef DRM_FORMAT_XVYU2101010
	M(XVYU2101010)
#endif
#ifdef DRM_FORMAT_XVYU12_16161616
	M(XVYU12_16161616)
#endif
#ifdef DRM_FORMAT_XVYU16161616
	M(XVYU16161616)
#endif
#ifdef DRM_FORMAT_Y0L0
	M(Y0L0)
#endif
#ifdef DRM_FORMAT_X0L0
	M(X0L0)
#endif
#ifdef DRM_FORMAT_Y0L2
	M(Y0L2)
#endif
#ifdef DRM_FORMAT_X0L2
	M(X0L2)
#endif
#ifdef DRM_FORMAT_P010
	M(P010)
#endif
#ifdef DRM_FORMAT_P012
	M(P012)
#endif
#ifdef DRM_FORMAT_P016
	M(P016)
#endif
#ifdef DRM_FORMAT_P210
	M(P210)
#endif
#ifdef DRM_FORMAT_VUY101010
	M(VUY101010)
#endif
#ifdef DRM_FORMAT_YUV420_8BIT
	M(YUV420_8BIT)
#endif
#ifdef DRM_FORMAT_YUV420_10BIT
	M(YUV420_10BIT)
#endif
#ifdef DRM_FORMAT_NV15
	M(NV15)
#endif
#ifdef DRM_FORMAT_NV20
	M(NV20)
#endif
#ifdef DRM_FORMAT_NV30
	M(NV30)
#endif
#ifdef DRM_FORMAT_Q410
	M(Q410)
#endif
#ifdef DRM_FORMAT_Q401
	M(Q401)
#endif
#ifdef DRM_FORMAT_P030
	M(P030)
#endif
#ifdef DRM_FORMAT_S010
	M(S010)
#endif
#ifdef DRM_FORMAT_S210
	M(S210)
#endif
#ifdef DRM_FORMAT_S410
	M(S410)
#endif
#ifdef DRM_FORMAT_S012
	M(S012)
#endif
#ifdef DRM_FORMAT_S212
	M(S212)
#endif
#ifdef DRM_FORMAT_S412
	M(S412)
#endif
#ifdef DRM_FORMAT_S016
	M(S016)
#endif
#ifdef DRM_FORMAT_S216
	M(S216)
#endif
#ifdef DRM_FORMAT_S416
	M(S416)
#endif
#ifdef DRM_FORMAT_R16
	M(R16)
#endif
#ifdef DRM_FORMAT_RG88
	M(RG88)
#endif
#ifdef DRM_FORMAT_GR88
	M(GR88)
#endif
#ifdef DRM_FORMAT_RG1616
	M(RG1616)
#endif
#ifdef DRM_FORMAT_GR1616
	M(GR1616)
#endif
#ifdef DRM_FORMAT_R16F
	M(R16F)
#endif
#ifdef DRM_FORMAT_GR1616F
	M(GR1616F)
#endif
#ifdef DRM_FORMAT_BGR161616F
	M(BGR161616F)
#endif
#ifdef DRM_FORMAT_R32F
	M(R32F)
#endif
#ifdef DRM_FORMAT_GR3232F
	M(GR3232F)
#endif
#ifdef DRM_FORMAT_BGR323232F
	M(BGR323232F)
#endif
#ifdef DRM_FORMAT_ABGR32323232F
	M(ABGR32323232F)
#endif
#ifdef DRM_FORMAT_AVUY8888
	M(AVUY8888)
#endif
#ifdef DRM_FORMAT_XVUY8888
	M(XVUY8888)
#endif
};

static void print_escaped(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < '!' || c > '~' || c == '\\')
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

static int print_names(void)
{
	char line[64];

	while (fgets(line, sizeof(line), stdin)) {
		char *end;
		unsigned long v = strtoul(line, &end, 0);
		char *name;

		if (end == line)
			continue;
		name = drmGetFormatName((uint32_t)v);
		if (!name) {
			fprintf(stderr, "drmGetFormatName(0x%08lx) failed\n", v);
			return 1;
		}
		printf("0x%08" PRIx32 "\t", (uint32_t)v);
		print_escaped(name);
		putchar('\n');
		free(name);
	}
	return 0;
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc > 1 && strcmp(argv[1], "macros") == 0) {
		for (i = 0; i < sizeof(macros) / sizeof(macros[0]); i++)
			printf("%s\t0x%08" PRIx32 "\n", macros[i].name, macros[i].value);
		return 0;
	}
	return print_names();
}
