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

func TestDMT(t *testing.T) {
	cases := []struct {
		h, v, r int
		ok      bool
		clock   uint32
		htotal  uint16
		name    string
	}{
		{640, 480, 60, true, 25175, 800, "640x480"},
		{800, 600, 60, true, 40000, 1056, "800x600"},
		{1024, 768, 60, true, 65000, 1344, "1024x768"},
		{1024, 768, 75, true, 78750, 1312, "1024x768"},
		{1024, 768, 87, true, 44900, 1264, "1024x768i"}, // DMT 0x0f "43 Hz" interlaced: 87 fields/s
		{1280, 720, 60, true, 74250, 1650, "1280x720"},
		{1280, 768, 60, true, 79500, 1664, "1280x768"}, // skips the reduced-blanking 0x16 listed first
		{1280, 1024, 60, true, 108000, 1688, "1280x1024"},
		{1366, 768, 60, true, 85500, 1792, "1366x768"}, // 0x51, the first of two
		{1600, 900, 60, true, 108000, 1800, "1600x900"},
		{1920, 1080, 60, true, 148500, 2200, "1920x1080"},
		{1920, 1200, 60, true, 193250, 2592, "1920x1200"},
		{1440, 900, 60, true, 106500, 1904, "1440x900"},
		{2560, 1440, 60, false, 0, 0, ""},
		{2560, 1600, 60, true, 348500, 3504, "2560x1600"}, // skips the reduced-blanking 0x4c
		{4096, 2160, 60, true, 556744, 4176, "4096x2160"}, // 0x57; 0x58 also rounds to 60 but comes later
		{1920, 1440, 60, true, 234000, 2600, "1920x1440"},
		{1920, 1080, 75, false, 0, 0, ""},
		{800, 600, 120, false, 0, 0, ""}, // only a reduced-blanking entry exists
		{0, 0, 0, false, 0, 0, ""},
	}
	for _, c := range cases {
		m, ok := DMT(c.h, c.v, c.r)
		require.Equal(t, c.ok, ok, "%dx%d@%d", c.h, c.v, c.r)
		if !ok {
			assert.Equal(t, Mode{}, m)
			continue
		}
		assert.Equal(t, c.clock, m.Clock, "%dx%d@%d", c.h, c.v, c.r)
		assert.Equal(t, c.htotal, m.HTotal)
		assert.Equal(t, c.name, m.NameString())
		assert.Equal(t, uint32(TypeDriver), m.Type)
		assert.Equal(t, uint32(c.r), m.VRefresh)
		assert.NoError(t, m.Validate())
	}
}

// Every table entry must be a valid mode and its recorded name must match
// drm_mode_set_name, so a typo in the table cannot go unnoticed.
func TestDMTTable(t *testing.T) {
	for i := range dmtModes {
		m := dmtModes[i].mode()
		assert.NoError(t, m.Validate(), m.String())
		assert.NotZero(t, m.VRefresh, m.String())
	}
}
