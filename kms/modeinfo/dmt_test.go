package modeinfo

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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

// The refresh in String has two decimals, zero-padded only below ten
// hundredths: 60.05, 60.10 and 60.99, each from a frame of exactly 100000
// pixels.
func TestStringRefreshDecimals(t *testing.T) {
	for clock, want := range map[uint32]string{6005: "@60.05 ", 6010: "@60.10 ", 6099: "@60.99 ", 6000: "@60.00 "} {
		m := Mode{Clock: clock, HDisplay: 200, HSyncStart: 210, HSyncEnd: 220, HTotal: 250,
			VDisplay: 300, VSyncStart: 310, VSyncEnd: 320, VTotal: 400}
		assert.Contains(t, m.String(), want, "clock %d", clock)
	}
}
