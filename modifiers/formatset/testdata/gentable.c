/*
 * Golden data for formatset's table and feedback tests.
 *
 * Writes to stdout the bytes a C compositor would put in a
 * zwp_linux_dmabuf_feedback_v1 format_table memfd for a fixed list of
 * pairs, laid out as the C struct that linux-dmabuf-v1.xml describes
 * (u32 format, u32 padding, u64 modifier), with the format and modifier
 * values taken from libdrm's drm_fourcc.h rather than restated by hand.
 * The Go test compares Table.Bytes() with this file, so the native layout,
 * the padding and the named constants are checked against the C headers.
 *
 * Build and run: see the go:generate line in ../gen.go.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <drm_fourcc.h>

struct entry {
	uint32_t format;
	uint32_t padding;
	uint64_t modifier;
};

_Static_assert(sizeof(struct entry) == 16, "format table entry must be 16 bytes");

int main(void)
{
	const struct entry entries[] = {
		{ DRM_FORMAT_XRGB8888, 0, I915_FORMAT_MOD_Y_TILED },
		{ DRM_FORMAT_XRGB8888, 0, DRM_FORMAT_MOD_LINEAR },
		{ DRM_FORMAT_XRGB8888, 0, DRM_FORMAT_MOD_INVALID },
		{ DRM_FORMAT_ARGB8888, 0, I915_FORMAT_MOD_4_TILED },
		{ DRM_FORMAT_ARGB8888, 0, DRM_FORMAT_MOD_LINEAR },
		{ DRM_FORMAT_NV12, 0,
		  DRM_FORMAT_MOD_ARM_AFBC(AFBC_FORMAT_MOD_BLOCK_SIZE_16x16 |
					  AFBC_FORMAT_MOD_SPARSE) },
		{ DRM_FORMAT_XRGB8888 | DRM_FORMAT_BIG_ENDIAN, 0,
		  DRM_FORMAT_MOD_LINEAR },
	};

	if (fwrite(entries, sizeof(entries), 1, stdout) != 1) {
		perror("fwrite");
		return 1;
	}
	return 0;
}
