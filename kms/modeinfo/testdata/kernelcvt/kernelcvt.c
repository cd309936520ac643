// kernelcvt prints the timings the kernel's drm_cvt_mode produces for a
// fixed grid of requests, as the golden table kms/modeinfo's tests read
// (golden.txt beside this file).
//
// It is a transcription of the kernel's arithmetic in C, kept apart from
// the Go code on purpose: the Go port spells out every int/unsigned int
// conversion by hand, while here the C compiler applies the usual
// arithmetic conversions itself, as it does in the kernel. A conversion
// the Go port gets wrong shows up as a difference.
//
// Source read (numbers and algorithm only): drivers/gpu/drm/drm_modes.c
// drm_cvt_mode, Linux 6.x (unchanged in substance since the margin and
// interlace handling of 2009, apart from the u64 clock computation), with
// drm_mode_create's zeroed mode: the clock-step line subtracts
// "clock % 250" of the still-zero clock field, so no step applies.
//
// Build with -fwrapv: the kernel builds with -fno-strict-overflow.
// Regenerate: sh gen.sh (from this directory) or go generate ./kms/modeinfo/.

#include <stdint.h>
#include <stdio.h>

struct mode {
	int clock;
	int hdisplay, hsync_start, hsync_end, htotal;
	int vdisplay, vsync_start, vsync_end, vtotal;
};

// cvt returns 0 and fills *m, or -1 where the kernel would divide by zero
// (it does not guard those divisions; headway refuses such requests).
static int cvt(int hdisplay, int vdisplay, int vrefresh, int reduced, int interlaced, int margins, struct mode *m)
{
	unsigned int vfieldrate, hperiod;
	int hdisplay_rnd, hmargin = 0, vdisplay_rnd, vmargin = 0, vsync, interlace;
	uint64_t clk;

	*m = (struct mode){0};
	if (vrefresh == 0)
		vrefresh = 60;
	vfieldrate = interlaced ? vrefresh * 2 : vrefresh;

	// Whole character cells, then 1.8% borders rounded down to cells.
	hdisplay_rnd = hdisplay - hdisplay % 8;
	if (margins) {
		hmargin = hdisplay_rnd * 18 / 1000;
		hmargin -= hmargin % 8;
	}
	m->hdisplay = hdisplay_rnd + 2 * hmargin;

	vdisplay_rnd = interlaced ? vdisplay / 2 : vdisplay;
	if (margins)
		vmargin = vdisplay_rnd * 18 / 1000;
	m->vdisplay = vdisplay + 2 * vmargin;
	interlace = interlaced ? 1 : 0;

	if (vdisplay % 3 == 0 && vdisplay * 4 / 3 == hdisplay)
		vsync = 4;
	else if (vdisplay % 9 == 0 && vdisplay * 16 / 9 == hdisplay)
		vsync = 5;
	else if (vdisplay % 10 == 0 && vdisplay * 16 / 10 == hdisplay)
		vsync = 6;
	else if (vdisplay % 4 == 0 && vdisplay * 5 / 4 == hdisplay)
		vsync = 7;
	else if (vdisplay % 9 == 0 && vdisplay * 15 / 9 == hdisplay)
		vsync = 7;
	else
		vsync = 10;

	if (!reduced) {
		int t1, t2, vsbp, hblank;
		unsigned int hblank_pct;

		// 1e9 minus 550 us of sync and back porch per field, in
		// thousandths; C makes the subtraction unsigned.
		t1 = 1000 * 1000000 - 550 * 1000 * vfieldrate;
		t2 = (vdisplay_rnd + 2 * vmargin + 3) * 2 + interlace;
		if ((unsigned int)t2 * vfieldrate == 0)
			return -1;
		hperiod = t1 * 2 / (t2 * vfieldrate);
		if (hperiod == 0)
			return -1;
		t1 = 550 * 1000 / hperiod + 1;
		vsbp = t1 < vsync + 3 ? vsync + 3 : t1;
		m->vtotal = vdisplay_rnd + 2 * vmargin + vsbp + 3;
		// C' = (40 - 20) * 128 / 256 + 20 = 30, M' = 600 * 128 / 256 = 300.
		hblank_pct = 30 * 1000 - 300 * hperiod / 1000;
		if (hblank_pct < 20 * 1000)
			hblank_pct = 20 * 1000;
		if (100 * 1000 - hblank_pct == 0)
			return -1;
		hblank = m->hdisplay * hblank_pct / (100 * 1000 - hblank_pct);
		hblank -= hblank % 16;
		m->htotal = m->hdisplay + hblank;
		m->hsync_end = m->hdisplay + hblank / 2;
		m->hsync_start = m->hsync_end - m->htotal * 8 / 100;
		m->hsync_start += 8 - m->hsync_start % 8;
		m->vsync_start = m->vdisplay + 3;
		m->vsync_end = m->vsync_start + vsync;
	} else {
		int t1, t2, vbilines;

		t1 = 1000 * 1000000 - 460 * 1000 * vfieldrate;
		t2 = vdisplay_rnd + 2 * vmargin;
		if ((unsigned int)t2 * vfieldrate == 0)
			return -1;
		hperiod = t1 / (t2 * vfieldrate);
		if (hperiod == 0)
			return -1;
		vbilines = 460 * 1000 / hperiod + 1;
		if (vbilines < 3 + vsync + 6)
			vbilines = 3 + vsync + 6;
		m->vtotal = vdisplay_rnd + 2 * vmargin + vbilines;
		m->htotal = m->hdisplay + 160;
		m->hsync_end = m->hdisplay + 80;
		m->hsync_start = m->hsync_end - 32;
		m->vsync_start = m->vdisplay + 3;
		m->vsync_end = m->vsync_start + vsync;
	}
	clk = m->htotal;
	clk *= 1000 * 1000;
	clk /= hperiod;
	clk -= m->clock % 250;
	m->clock = clk;
	if (interlaced)
		m->vtotal *= 2;
	return 0;
}

int main(void)
{
	// Sizes: common 4:3, 16:9, 16:10, 5:4 and 15:9 ones (each vsync
	// width), sizes off the character grid, tiny and huge ones, and
	// low-line-count ones whose long line period takes the 20% minimum
	// blanking of the full-blanking formula.
	static const int sizes[][2] = {
		{640, 480}, {800, 600}, {1024, 768}, {1280, 1024}, {1280, 768},
		{1280, 720}, {1920, 1080}, {2560, 1440}, {3840, 2160}, {1280, 800},
		{1920, 1200}, {2560, 1600}, {1366, 768}, {1365, 768}, {1440, 900},
		{320, 200}, {640, 200}, {640, 350}, {720, 400}, {1920, 100},
		{1200, 720}, {8, 6}, {17, 3}, {1, 1}, {7680, 4320}, {65535, 65535},
		{4096, 16},
	};
	static const int rates[] = {0, 1, 24, 30, 50, 60, 75, 85, 120, 144, 240, 500, 1000};
	struct mode m;

	printf("# h v refresh reduced interlaced margins: clock hdisplay hsync_start hsync_end htotal vdisplay vsync_start vsync_end vtotal\n");
	printf("# (or: div0 where the kernel divides by zero)\n");
	for (unsigned s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		for (unsigned r = 0; r < sizeof(rates) / sizeof(rates[0]); r++)
			for (int f = 0; f < 8; f++) {
				int red = f & 1, il = (f >> 1) & 1, mg = (f >> 2) & 1;

				printf("%d %d %d %d %d %d: ", sizes[s][0], sizes[s][1], rates[r], red, il, mg);
				if (cvt(sizes[s][0], sizes[s][1], rates[r], red, il, mg, &m) < 0) {
					printf("div0\n");
					continue;
				}
				printf("%d %d %d %d %d %d %d %d %d\n", m.clock,
				       m.hdisplay, m.hsync_start, m.hsync_end, m.htotal,
				       m.vdisplay, m.vsync_start, m.vsync_end, m.vtotal);
			}
	return 0;
}
