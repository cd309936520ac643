// vkmsyuv prints the expected YCbCr -> RGB results of VKMS's
// argb_u16_from_yuv161616 for a fixed grid of samples, as the golden table
// kms/pixfmt's tests read (golden.txt beside this file).
//
// It is a transcription of the kernel's arithmetic, kept apart from the Go
// code on purpose: drm_fixp_mul's operand truncation, drm_fixp2int_round,
// the clamp, the sample offsets and the coefficient tables are written out
// here again, so a mistake in either copy shows up as a difference.
//
// Sources read (numbers and algorithms only):
//   include/drm/drm_fixed.h (drm_fixp_msbset, drm_fixp_mul, drm_int2fixp,
//     drm_fixp2int_round after its "add 0.5" fix);
//   drivers/gpu/drm/vkms/vkms_formats.c: argb_u16_from_yuv161616, the
//     8-bit read_line callbacks (samples times 257), the P01x callback (raw
//     16-bit words), get_conversion_matrix_to_argb_u16 and its tables:
//     mainline's colour.matrix_YCbCr(is_legal=True) ones (limited range
//     scaled by 256/219 and 256/224) and the drm-intel tree's 255-based
//     limited-range ones.
//
// Build with -fwrapv: the kernel builds with -fno-strict-overflow, and the
// arithmetic right shifts of negative values below are what gcc does.
// Regenerate: sh gen.sh (from this directory) or go generate ./kms/pixfmt/.

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef int64_t s64;

static unsigned fixp_msbset(s64 a)
{
	unsigned shift, sign = (a >> 63) & 1;

	for (shift = 62; shift > 0; --shift)
		if (((a >> shift) & 1) != sign)
			return shift;
	return 0;
}

static s64 fixp_mul(s64 a, s64 b)
{
	unsigned shift = fixp_msbset(a) + fixp_msbset(b);
	s64 result;

	if (shift > 61) {
		shift = shift - 61;
		a >>= (shift >> 1) + (shift & 1);
		b >>= shift >> 1;
	} else {
		shift = 0;
	}
	result = a * b;
	if (shift > 32)
		return result << (shift - 32);
	if (shift < 32)
		return result >> (32 - shift);
	return result;
}

static s64 int2fixp(int a) { return (s64)((uint64_t)(s64)a << 32); }

static int fixp2int_round(s64 a) { return (int)((s64)(a + (1ULL << 31)) >> 32); }

struct conv {
	s64 m[3][3];
	int y_offset;
};

// [tables][encoding][range]: tables 0 mainline (256-based limited range),
// 1 drm-intel (255-based limited range); encoding BT601, BT709, BT2020;
// range 0 limited, 1 full. Full range is the same in both.
static const struct conv convs[2][3][2] = {
	{
		{
			{{{5020601039, 0, 6881764740}, {5020601039, -1689204679, -3505362278}, {5020601039, 8697922339, 0}}, 16},
			{{{4294967296, 0, 6021544149}, {4294967296, -1478054095, -3067191994}, {4294967296, 7610682049, 0}}, 0},
		},
		{
			{{{5020601039, 0, 7729959424}, {5020601039, -919487572, -2297803934}, {5020601039, 9108275786, 0}}, 16},
			{{{4294967296, 0, 6763714498}, {4294967296, -804551626, -2010578443}, {4294967296, 7969741314, 0}}, 0},
		},
		{
			{{{5020601039, 0, 7238124312}, {5020601039, -807714626, -2804506279}, {5020601039, 9234915964, 0}}, 16},
			{{{4294967296, 0, 6333358775}, {4294967296, -706750298, -2453942994}, {4294967296, 8080551471, 0}}, 0},
		},
	},
	{
		{
			{{{5000989317, 0, 6854882848}, {5000989317, -1682606224, -3491669458}, {5000989317, 8663946082, 0}}, 16},
			{{{4294967296, 0, 6021544149}, {4294967296, -1478054095, -3067191994}, {4294967296, 7610682049, 0}}, 0},
		},
		{
			{{{5000989317, 0, 7699764272}, {5000989317, -915895824, -2288828138}, {5000989317, 9072696586, 0}}, 16},
			{{{4294967296, 0, 6763714498}, {4294967296, -804551626, -2010578443}, {4294967296, 7969741314, 0}}, 0},
		},
		{
			{{{5000989317, 0, 7209850391}, {5000989317, -804559491, -2793551177}, {5000989317, 9198842076, 0}}, 16},
			{{{4294967296, 0, 6333358775}, {4294967296, -706750298, -2453942994}, {4294967296, 8080551471, 0}}, 0},
		},
	},
};

static const char *table_names[2] = {"mainline256", "255"};
static const char *enc_names[3] = {"BT601", "BT709", "BT2020"};
static const char *range_names[2] = {"limited", "full"};

static unsigned clamp16(s64 v) { return v < 0 ? 0 : v > 0xffff ? 0xffff : (unsigned)v; }

// yuv161616 is argb_u16_from_yuv161616: y, c1, c2 are 16-bit samples in
// the order the plane stores them, with the matrix's chroma columns in the
// same order.
static void yuv161616(const struct conv *c, int y, int c1, int c2, unsigned out[3])
{
	s64 fy = int2fixp(y - c->y_offset * 257);
	s64 f1 = int2fixp(c1 - 128 * 257);
	s64 f2 = int2fixp(c2 - 128 * 257);

	for (int i = 0; i < 3; i++) {
		s64 s = fixp_mul(c->m[i][0], fy) + fixp_mul(c->m[i][1], f1) +
			fixp_mul(c->m[i][2], f2);
		out[i] = clamp16(fixp2int_round(s));
	}
}

// convert runs VKMS's path for a Cb-first format and, as a check of the
// equivalence the Go reader relies on, for a Cr-first one (VKMS swaps the
// matrix's chroma columns; the samples then come in the other order).
static void convert(const struct conv *c, int y, int cb, int cr, unsigned out[3])
{
	struct conv sw = *c;
	unsigned alt[3];

	for (int i = 0; i < 3; i++) {
		sw.m[i][1] = c->m[i][2];
		sw.m[i][2] = c->m[i][1];
	}
	yuv161616(c, y, cb, cr, out);
	yuv161616(&sw, y, cr, cb, alt);
	for (int i = 0; i < 3; i++) {
		if (alt[i] != out[i]) {
			fprintf(stderr, "column swap changes the result at %d %d %d\n", y, cb, cr);
			exit(1);
		}
	}
}

// exact161616 is yuv161616 with exact 128-bit products: what the
// conversion would give without drm_fixp_mul's truncation. Only used to
// pick samples where the two differ.
static void exact161616(const struct conv *c, int y, int cb, int cr, unsigned out[3])
{
	__int128 f[3] = {(__int128)(y - c->y_offset * 257), (__int128)(cb - 128 * 257),
			 (__int128)(cr - 128 * 257)};

	for (int i = 0; i < 3; i++) {
		__int128 s = c->m[i][0] * f[0] + c->m[i][1] * f[1] + c->m[i][2] * f[2];

		out[i] = clamp16((s64)((s + ((__int128)1 << 31)) >> 32));
	}
}

static uint32_t lcg = 12345;

static unsigned rnd(unsigned n)
{
	lcg = lcg * 1103515245u + 12345u;
	return (lcg >> 8) % n;
}

// truncated reports whether drm_fixp_mul's truncation changes the result.
static int truncated(const struct conv *c, int bits, int y, int cb, int cr)
{
	unsigned a[3], b[3];
	int k = bits == 8 ? 257 : 1;

	yuv161616(c, y * k, cb * k, cr * k, a);
	exact161616(c, y * k, cb * k, cr * k, b);
	return a[0] != b[0] || a[1] != b[1] || a[2] != b[2];
}

static void row(const struct conv *c, int bits, int y, int cb, int cr)
{
	unsigned out[3];
	int k = bits == 8 ? 257 : 1;

	convert(c, y * k, cb * k, cr * k, out);
	printf("%d %d %d %u %u %u\n", y, cb, cr, out[0], out[1], out[2]);
}

// KUnit's 16-bit samples (vkms_format_test.c), every encoding's and range's
// in every table, so its colours are pinned exactly here too.
static const int kunit16[][3] = {
	{0xffff, 0x8000, 0x8000}, {0x8080, 0x8000, 0x8000}, {0x0000, 0x8000, 0x8000},
	{0x4c8b, 0x54ce, 0xffff}, {0x9645, 0x2b33, 0x14d1}, {0x1d2f, 0xffff, 0x6b2f},
	{0xeb00, 0x8000, 0x8000}, {0x7dee, 0x8000, 0x8000}, {0x1000, 0x8000, 0x8000},
	{0x517b, 0x5a34, 0xf000}, {0x908e, 0x35cc, 0x2237}, {0x28f7, 0xf000, 0x6dc9},
	{0x366d, 0x62ac, 0xffff}, {0xb717, 0x1d55, 0x0bbd}, {0x127c, 0xffff, 0x7443},
	{0x3e8f, 0x6656, 0xf000}, {0xaca1, 0x29aa, 0x1a45}, {0x1fd0, 0xf000, 0x75bb},
	{0x4340, 0x5c41, 0xffff}, {0xad91, 0x23bf, 0x0a4c}, {0x0f2e, 0xffff, 0x75b5},
	{0x4988, 0x60b9, 0xf000}, {0xa47b, 0x2f47, 0x1902}, {0x1cfd, 0xf000, 0x76fe},
};

int main(void)
{
	printf("# Generated by vkmsyuv.c; do not edit. Regenerate with gen.sh.\n");
	printf("# 'const TABLES ENC RANGE yoff m00 m01 m02 m10 m11 m12 m20 m21 m22' lists each matrix.\n");
	printf("# 'case TABLES ENC RANGE BITS' starts a section of 'Y Cb Cr R G B' rows:\n");
	printf("# BITS 8 are 8-bit samples (NV12 etc.), BITS 16 are 16-bit words (P010).\n");
	printf("# Each section ends with samples where drm_fixp_mul's truncation shows.\n");
	for (int t = 0; t < 2; t++)
		for (int e = 0; e < 3; e++)
			for (int r = 0; r < 2; r++) {
				const struct conv *c = &convs[t][e][r];

				printf("const %s %s %s %d", table_names[t], enc_names[e], range_names[r], c->y_offset);
				for (int i = 0; i < 3; i++)
					for (int j = 0; j < 3; j++)
						printf(" %lld", (long long)c->m[i][j]);
				printf("\n");
			}
	for (int t = 0; t < 2; t++)
		for (int e = 0; e < 3; e++)
			for (int r = 0; r < 2; r++) {
				const struct conv *c = &convs[t][e][r];

				printf("case %s %s %s 8\n", table_names[t], enc_names[e], range_names[r]);
				for (int y = 0; y < 256; y++)
					row(c, 8, y, 128, 128);
				for (int v = 0; v < 256; v += 5) {
					row(c, 8, 128, v, 128);
					row(c, 8, 128, 128, v);
					row(c, 8, 16 + v % 220, v, 255 - v);
				}
				for (int i = 0; i < 100; i++)
					row(c, 8, rnd(256), rnd(256), rnd(256));
				for (int found = 0, tries = 0; found < 40 && tries < 50000000; tries++) {
					int y = rnd(256), cb = rnd(256), cr = rnd(256);

					if (truncated(c, 8, y, cb, cr)) {
						row(c, 8, y, cb, cr);
						found++;
					}
				}

				printf("case %s %s %s 16\n", table_names[t], enc_names[e], range_names[r]);
				for (size_t i = 0; i < sizeof(kunit16) / sizeof(kunit16[0]); i++)
					row(c, 16, kunit16[i][0], kunit16[i][1], kunit16[i][2]);
				for (int y = 0; y < 1024; y += 31) {
					row(c, 16, y << 6, 512 << 6, 512 << 6);
					row(c, 16, y << 6, 514 << 6, 514 << 6);
				}
				// The greys 0, 0x5555, 0xaaaa, 0xffff as kms/pixfmt's P010
				// writer stores them (full, then limited range).
				for (int i = 0; i < 8; i++) {
					static const int y10[8] = {0, 341, 682, 1023, 64, 356, 648, 940};

					row(c, 16, y10[i] << 6, 512 << 6, 512 << 6);
				}
				for (int i = 0; i < 60; i++)
					row(c, 16, rnd(1024) << 6, rnd(1024) << 6, rnd(1024) << 6);
				for (int i = 0; i < 40; i++)
					row(c, 16, rnd(65536), rnd(65536), rnd(65536));
				for (int found = 0, tries = 0; found < 20 && tries < 50000000; tries++) {
					int y = rnd(65536), cb = rnd(65536), cr = rnd(65536);

					if (truncated(c, 16, y, cb, cr)) {
						row(c, 16, y, cb, cr);
						found++;
					}
				}
			}
	return 0;
}
