package modeinfo

import (
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The expected timings were worked by hand through drm_cvt_mode's integer
// arithmetic. Where cvt(1) (the VESA reference generator) has the same
// mode, its timings agree and its clock is ours rounded down to 250 kHz:
// the kernel skips that step (see the package documentation), so the
// table carries cvt(1)'s clock too and the test checks the relation.
func TestCVT(t *testing.T) {
	type timings [8]uint16
	cases := []struct {
		name                        string
		h, v, r                     int
		reduced, interlaced, margin bool
		clock, cvtTool              uint32 // kHz; cvtTool 0: not checked
		tm                          timings
		flags                       uint32
		modeName                    string
		vrefresh                    uint32
	}{
		// cvt 1920 1080 60: 173.00 MHz 1920 2048 2248 2576 1080 1083 1088 1120 -hsync +vsync
		{"1080p", 1920, 1080, 60, false, false, false, 173106, 173000,
			timings{1920, 2048, 2248, 2576, 1080, 1083, 1088, 1120}, FlagNHSync | FlagPVSync, "1920x1080", 60},
		// cvt -r 1920 1080 60: 138.50 MHz 1920 1968 2000 2080 1080 1083 1088 1111 +hsync -vsync
		{"1080p reduced", 1920, 1080, 60, true, false, false, 138611, 138500,
			timings{1920, 1968, 2000, 2080, 1080, 1083, 1088, 1111}, FlagPHSync | FlagNVSync, "1920x1080", 60},
		// cvt 800 600 60: 38.25 MHz 800 832 912 1024 600 603 607 624 -hsync +vsync
		{"800x600 4:3", 800, 600, 60, false, false, false, 38313, 38250,
			timings{800, 832, 912, 1024, 600, 603, 607, 624}, FlagNHSync | FlagPVSync, "800x600", 60},
		// cvt -r 2560 1440 60: 241.50 MHz 2560 2608 2640 2720 1440 1443 1448 1481 +hsync -vsync
		{"1440p reduced", 2560, 1440, 60, true, false, false, 241691, 241500,
			timings{2560, 2608, 2640, 2720, 1440, 1443, 1448, 1481}, FlagPHSync | FlagNVSync, "2560x1440", 60},
		// 1366 is not a multiple of 8: the kernel's CVT gives 1360.
		{"1366 rounds down", 1366, 768, 60, false, false, false, 84963, 0,
			timings{1360, 1432, 1568, 1776, 768, 771, 781, 798}, FlagNHSync | FlagPVSync, "1360x768", 60},
		// 0 means 60 Hz.
		{"refresh 0", 800, 600, 0, false, false, false, 38313, 0,
			timings{800, 832, 912, 1024, 600, 603, 607, 624}, FlagNHSync | FlagPVSync, "800x600", 60},
		// Margins: 1.8% each side, horizontal ones rounded to a cell.
		{"margins", 1024, 768, 60, false, false, true, 68048, 0,
			timings{1056, 1112, 1216, 1376, 794, 797, 801, 825}, FlagNHSync | FlagPVSync, "1056x794", 60},
		// Interlaced: the field rate is doubled and vtotal counts both
		// fields, so drm_mode_vrefresh reports 120 (fields per second).
		{"interlaced", 1920, 1080, 60, false, true, false, 179888, 0,
			timings{1920, 2048, 2248, 2576, 1080, 1083, 1088, 1164}, FlagNHSync | FlagPVSync | FlagInterlace, "1920x1080i", 120},
		// Custom aspect: vsync 10 lines; the reduced minimum vblank wins.
		{"custom aspect reduced", 1000, 100, 60, true, false, false, 7157, 0,
			timings{1000, 1048, 1080, 1160, 100, 103, 113, 119}, FlagPHSync | FlagNVSync, "1000x100", 52},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := CVT(c.h, c.v, c.r, c.reduced, c.interlaced, c.margin)
			require.NoError(t, err)
			assert.Equal(t, c.clock, m.Clock)
			if c.cvtTool != 0 {
				assert.Equal(t, c.cvtTool, m.Clock-m.Clock%250, "cvt(1) steps the clock to 250 kHz")
			}
			got := timings{m.HDisplay, m.HSyncStart, m.HSyncEnd, m.HTotal, m.VDisplay, m.VSyncStart, m.VSyncEnd, m.VTotal}
			assert.Equal(t, c.tm, got)
			assert.Equal(t, c.flags, m.Flags)
			assert.Equal(t, c.modeName, m.NameString())
			assert.Equal(t, c.vrefresh, m.VRefresh)
			assert.Zero(t, m.Type, "drm_cvt_mode leaves type to the caller")
			assert.Zero(t, m.HSkew)
			assert.Zero(t, m.VScan)
			assert.NoError(t, m.Validate())
		})
	}
}

func TestCVTRefused(t *testing.T) {
	cases := []struct {
		name    string
		h, v, r int
		reduced bool
		il      bool
	}{
		{"width 0", 0, 1080, 60, false, false},
		{"height 0", 1920, 0, 60, false, false},
		{"negative width", -8, 1080, 60, false, false},
		{"width too large", 65536, 1080, 60, false, false},
		{"negative refresh", 1920, 1080, -1, false, false},
		{"refresh too high", 1920, 1080, 1001, false, false},
		{"interlaced field rate too high", 1920, 1080, 501, false, true},
		{"width below a cell", 7, 480, 60, true, false},
		{"result too wide", 65535, 1080, 60, true, false},
		{"result too tall", 1920, 65535, 60, false, false},
		{"result too tall, reduced", 1920, 65535, 60, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := CVT(c.h, c.v, c.r, c.reduced, c.il, false)
			require.Error(t, err)
			assert.ErrorIs(t, err, syscall.EINVAL)
		})
	}
}

// The refresh limits' own values are accepted: 1000 Hz progressive, and
// 500 Hz interlaced (1000 fields a second).
func TestCVTRefreshLimits(t *testing.T) {
	for _, il := range []bool{false, true} {
		r := 1000
		if il {
			r = 500
		}
		_, err := CVT(640, 480, r, false, il, false)
		require.NoError(t, err, "%d Hz interlaced=%t", r, il)
	}
}
