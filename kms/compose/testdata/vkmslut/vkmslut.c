/*
 * vkmslut: an independent reference for headway's GAMMA_LUT expansion and
 * VKMS's RGB565 writeback, written from reading the kernel's
 * include/drm/drm_fixed.h and drivers/gpu/drm/vkms/vkms_composer.c and
 * vkms_formats.c (torvalds/linux; see ../../doc.go for the commits). It
 * shares no code with headway: the Go side is checked against the golden
 * file this prints (vkmslut.golden).
 *
 * Regenerate (from this directory):
 *
 *	gcc -O2 -fwrapv -Wall -o /tmp/vkmslut vkmslut.c && /tmp/vkmslut > vkmslut.golden
 *
 * -fwrapv because the kernel builds with -fno-strict-overflow: signed
 * arithmetic wraps and right shifts of negative values are arithmetic.
 *
 * Output, one record a line:
 *
 *	lut NAME N LUTFNV           the LUT (N entries) and the FNV-1a 64 of
 *	                            its blob bytes, so the Go side knows it
 *	                            built the same LUT
 *	table NAME CH FNV           FNV-1a 64 of the 65536 results of channel
 *	                            CH (0 red, 1 green, 2 blue), each as a
 *	                            little-endian u16, in input order
 *	sample NAME CH V OUT        single results: every input V = k·251,
 *	                            and 0xffff, in hex
 *	rgb565w BITS FNV            argb_u16_to_RGB565 for one channel of
 *	                            BITS (5 or 6) bits: FNV-1a 64 of the 65536
 *	                            results as bytes
 *	rgb565w-sample BITS V OUT   single results, as above
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef int64_t s64;
typedef uint64_t u64;
typedef uint16_t u16;

/* drm_fixed.h: signed 32.32 fixed point. */
#define DRM_FIXED_POINT 32
#define DRM_FIXED_ONE (1ULL << DRM_FIXED_POINT)
#define DRM_FIXED_DECIMAL_MASK (DRM_FIXED_ONE - 1)
#define DRM_FIXED_EPSILON 1LL
#define DRM_FIXED_ALMOST_ONE (DRM_FIXED_ONE - DRM_FIXED_EPSILON)

static s64 drm_int2fixp(int a) { return ((s64)a) << DRM_FIXED_POINT; }

static int drm_fixp2int(s64 a) { return (int)(((s64)a) >> DRM_FIXED_POINT); }

static int drm_fixp2int_round(s64 a) { return drm_fixp2int(a + DRM_FIXED_ONE / 2); }

static int drm_fixp2int_ceil(s64 a)
{
	if (a >= 0)
		return drm_fixp2int(a + DRM_FIXED_ALMOST_ONE);
	return drm_fixp2int(a - DRM_FIXED_ALMOST_ONE);
}

/* The highest bit, scanning 62 down to 1, that differs from the sign. */
static unsigned drm_fixp_msbset(s64 a)
{
	unsigned shift, sign = (a >> 63) & 1;

	for (shift = 62; shift > 0; --shift)
		if (((a >> shift) & 1) != sign)
			return shift;
	return 0;
}

static s64 drm_fixp_mul(s64 a, s64 b)
{
	unsigned shift = drm_fixp_msbset(a) + drm_fixp_msbset(b);
	s64 result;

	if (shift > 61) {
		shift = shift - 61;
		a >>= (shift >> 1) + (shift & 1);
		b >>= shift >> 1;
	} else {
		shift = 0;
	}
	result = a * b;
	if (shift > DRM_FIXED_POINT)
		return result << (shift - DRM_FIXED_POINT);
	if (shift < DRM_FIXED_POINT)
		return result >> (DRM_FIXED_POINT - shift);
	return result;
}

static s64 drm_fixp_div(s64 a, s64 b)
{
	unsigned shift = 62 - drm_fixp_msbset(a);
	s64 result;

	a <<= shift;
	if (shift < DRM_FIXED_POINT)
		b >>= (DRM_FIXED_POINT - shift);
	result = a / b; /* div64_s64 truncates toward zero, as C does */
	if (shift > DRM_FIXED_POINT)
		return result >> (shift - DRM_FIXED_POINT);
	return result;
}

/* vkms_composer.c */
struct lut {
	const u16 *base; /* 4 u16 a entry: red, green, blue, reserved */
	int lut_length;
	s64 channel_value2index_ratio;
};

static u16 lerp_u16(u16 a, u16 b, s64 t)
{
	s64 a_fp = drm_int2fixp(a);
	s64 b_fp = drm_int2fixp(b);
	s64 delta = drm_fixp_mul(b_fp - a_fp, t);

	return drm_fixp2int_round(a_fp + delta);
}

static s64 get_lut_index(const struct lut *lut, u16 channel_value)
{
	s64 color_channel_fp = drm_int2fixp(channel_value);

	return drm_fixp_mul(color_channel_fp, lut->channel_value2index_ratio);
}

static u16 apply_lut_to_channel_value(const struct lut *lut, u16 channel_value, int channel)
{
	s64 lut_index = get_lut_index(lut, channel_value);
	const u16 *floor_v, *ceil_v;

	floor_v = &lut->base[4 * drm_fixp2int(lut_index)];
	if (drm_fixp2int(lut_index) == lut->lut_length - 1)
		ceil_v = floor_v; /* the last entry has no next one */
	else
		ceil_v = &lut->base[4 * drm_fixp2int_ceil(lut_index)];
	return lerp_u16(floor_v[channel], ceil_v[channel], lut_index & DRM_FIXED_DECIMAL_MASK);
}

/* vkms_composer_worker's setup of the ratio from the blob's length. */
static void lut_init(struct lut *lut, const u16 *base, int n)
{
	lut->base = base;
	lut->lut_length = n;
	lut->channel_value2index_ratio = drm_fixp_div(drm_int2fixp(n - 1), drm_int2fixp(0xffff));
}

/* vkms_formats.c argb_u16_to_RGB565, one channel of bits 5 or 6. */
static u16 rgb565_channel(u16 v, int bits)
{
	s64 ratio = drm_fixp_div(drm_int2fixp(65535), drm_int2fixp(bits == 5 ? 31 : 63));

	return drm_fixp2int(drm_fixp_div(drm_int2fixp(v), ratio));
}

static u64 fnv_init(void) { return 0xcbf29ce484222325ULL; }

static u64 fnv_byte(u64 h, uint8_t b) { return (h ^ b) * 0x100000001b3ULL; }

/* splitmix64, for the random LUT; the Go test uses the same generator. */
static u64 splitmix64(u64 *s)
{
	u64 z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

#define MAXN 4096
static u16 entries[MAXN * 4];

/*
 * The LUTs, entry i of n, channel ch. Each is defined by a formula the Go
 * test repeats; the printed blob digest proves both built the same bytes.
 */
static u16 lut_value(const char *name, int n, int i, int ch, u64 *rng)
{
	if (!strcmp(name, "identity256") || !strcmp(name, "identity1024"))
		return (u16)(((u64)i * 0xffff + (n - 1) / 2) / (n - 1));
	if (!strcmp(name, "inverted256"))
		return 0xffff - (u16)(i * 0x101);
	if (!strcmp(name, "random256"))
		return (u16)splitmix64(rng);
	if (!strcmp(name, "two"))
		return i ? 0xfedc - ch * 0x1111 : 0x0123 + ch;
	if (!strcmp(name, "ramp4096"))
		/* a rising curve of uneven steps, channels apart */
		return (u16)(((u64)i * i / 4095 * 0xffff / 4095 + (u64)i * 3 + ch * 7) & 0xffff);
	if (!strcmp(name, "decreasing256"))
		/* falling, with steps that vary and channels that differ */
		return (u16)(0xffff - ((u64)i * i * 0xffff / (255 * 255)) / (ch + 1));
	if (!strcmp(name, "one"))
		return 0x4321 + ch;
	return 0;
}

static void emit_lut(const char *name, int n)
{
	struct lut lut;
	u64 rng = 0x5eed;
	u64 h = fnv_init();

	for (int i = 0; i < n; i++) {
		for (int ch = 0; ch < 3; ch++)
			entries[4 * i + ch] = lut_value(name, n, i, ch, &rng);
		entries[4 * i + 3] = 0;
		for (int k = 0; k < 4; k++) {
			h = fnv_byte(h, entries[4 * i + k] & 0xff);
			h = fnv_byte(h, entries[4 * i + k] >> 8);
		}
	}
	printf("lut %s %d %016llx\n", name, n, (unsigned long long)h);
	lut_init(&lut, entries, n);
	for (int ch = 0; ch < 3; ch++) {
		u64 t = fnv_init();

		for (int v = 0; v < 0x10000; v++) {
			u16 o = apply_lut_to_channel_value(&lut, v, ch);

			t = fnv_byte(t, o & 0xff);
			t = fnv_byte(t, o >> 8);
		}
		printf("table %s %d %016llx\n", name, ch, (unsigned long long)t);
	}
	for (int ch = 0; ch < 3; ch++) {
		for (int v = 0; v < 0x10000; v += 251)
			printf("sample %s %d %04x %04x\n", name, ch, v, apply_lut_to_channel_value(&lut, v, ch));
		printf("sample %s %d %04x %04x\n", name, ch, 0xffff, apply_lut_to_channel_value(&lut, 0xffff, ch));
	}
}

int main(void)
{
	emit_lut("identity256", 256);
	emit_lut("inverted256", 256);
	emit_lut("random256", 256);
	emit_lut("two", 2);
	emit_lut("ramp4096", 4096);
	emit_lut("decreasing256", 256);
	emit_lut("identity1024", 1024);
	emit_lut("one", 1);
	for (int bits = 5; bits <= 6; bits++) {
		u64 h = fnv_init();

		for (int v = 0; v < 0x10000; v++)
			h = fnv_byte(h, (uint8_t)rgb565_channel(v, bits));
		printf("rgb565w %d %016llx\n", bits, (unsigned long long)h);
		for (int v = 0; v < 0x10000; v += 251)
			printf("rgb565w-sample %d %04x %02x\n", bits, v, rgb565_channel(v, bits));
		printf("rgb565w-sample %d %04x %02x\n", bits, 0xffff, rgb565_channel(0xffff, bits));
	}
	return 0;
}
