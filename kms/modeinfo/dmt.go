package modeinfo

import (
	"fmt"
	"syscall"

	"github.com/headwaywl/headway/kms/profile"
)

// dmtMode is one entry of the kernel's drm_dmt_modes (drm_edid.c), in the
// kernel's order; the comment is the DMT ID.
type dmtMode struct {
	clock                                        uint32
	hdisp, hss, hse, htot, vdisp, vss, vse, vtot uint16
	flags                                        uint32
}

const (
	pp = FlagPHSync | FlagPVSync
	nn = FlagNHSync | FlagNVSync
	pn = FlagPHSync | FlagNVSync
	np = FlagNHSync | FlagPVSync
)

// dmtModes is the subset of drm_dmt_modes headway needs: every 60 Hz
// entry (reduced blanking included, since lookups must skip them as the
// kernel does), the 640x480 to 1024x768 entries at other rates, and
// 1280x1024 at 75 and 85 Hz. Order matters: lookups return the first
// match, as drm_mode_find_dmt does. 0x52 (1920x1080) has -hsync -vsync
// here because drm_edid.c says so, although CTA-861 VIC 16 is +/+.
var dmtModes = [...]dmtMode{
	{31500, 640, 672, 736, 832, 350, 382, 385, 445, pn},                     // 0x01 640x350@85
	{31500, 640, 672, 736, 832, 400, 401, 404, 445, np},                     // 0x02 640x400@85
	{35500, 720, 756, 828, 936, 400, 401, 404, 446, np},                     // 0x03 720x400@85
	{25175, 640, 656, 752, 800, 480, 490, 492, 525, nn},                     // 0x04 640x480@60
	{31500, 640, 664, 704, 832, 480, 489, 492, 520, nn},                     // 0x05 640x480@72
	{31500, 640, 656, 720, 840, 480, 481, 484, 500, nn},                     // 0x06 640x480@75
	{36000, 640, 696, 752, 832, 480, 481, 484, 509, nn},                     // 0x07 640x480@85
	{36000, 800, 824, 896, 1024, 600, 601, 603, 625, pp},                    // 0x08 800x600@56
	{40000, 800, 840, 968, 1056, 600, 601, 605, 628, pp},                    // 0x09 800x600@60
	{50000, 800, 856, 976, 1040, 600, 637, 643, 666, pp},                    // 0x0a 800x600@72
	{49500, 800, 816, 896, 1056, 600, 601, 604, 625, pp},                    // 0x0b 800x600@75
	{56250, 800, 832, 896, 1048, 600, 601, 604, 631, pp},                    // 0x0c 800x600@85
	{73250, 800, 848, 880, 960, 600, 603, 607, 636, pn},                     // 0x0d 800x600@120 RB
	{33750, 848, 864, 976, 1088, 480, 486, 494, 517, pp},                    // 0x0e 848x480@60
	{44900, 1024, 1032, 1208, 1264, 768, 768, 776, 817, pp | FlagInterlace}, // 0x0f 1024x768i@43
	{65000, 1024, 1048, 1184, 1344, 768, 771, 777, 806, nn},                 // 0x10 1024x768@60
	{75000, 1024, 1048, 1184, 1328, 768, 771, 777, 806, nn},                 // 0x11 1024x768@70
	{78750, 1024, 1040, 1136, 1312, 768, 769, 772, 800, pp},                 // 0x12 1024x768@75
	{94500, 1024, 1072, 1168, 1376, 768, 769, 772, 808, pp},                 // 0x13 1024x768@85
	{115500, 1024, 1072, 1104, 1184, 768, 771, 775, 813, pn},                // 0x14 1024x768@120 RB
	{108000, 1152, 1216, 1344, 1600, 864, 865, 868, 900, pp},                // 0x15 1152x864@75
	{74250, 1280, 1390, 1430, 1650, 720, 725, 730, 750, pp},                 // 0x55 1280x720@60
	{68250, 1280, 1328, 1360, 1440, 768, 771, 778, 790, pn},                 // 0x16 1280x768@60 RB
	{79500, 1280, 1344, 1472, 1664, 768, 771, 778, 798, np},                 // 0x17 1280x768@60
	{71000, 1280, 1328, 1360, 1440, 800, 803, 809, 823, pn},                 // 0x1b 1280x800@60 RB
	{83500, 1280, 1352, 1480, 1680, 800, 803, 809, 831, np},                 // 0x1c 1280x800@60
	{108000, 1280, 1376, 1488, 1800, 960, 961, 964, 1000, pp},               // 0x20 1280x960@60
	{108000, 1280, 1328, 1440, 1688, 1024, 1025, 1028, 1066, pp},            // 0x23 1280x1024@60
	{135000, 1280, 1296, 1440, 1688, 1024, 1025, 1028, 1066, pp},            // 0x24 1280x1024@75
	{157500, 1280, 1344, 1504, 1728, 1024, 1025, 1028, 1072, pp},            // 0x25 1280x1024@85
	{85500, 1360, 1424, 1536, 1792, 768, 771, 777, 795, pp},                 // 0x27 1360x768@60
	{85500, 1366, 1436, 1579, 1792, 768, 771, 774, 798, pp},                 // 0x51 1366x768@60
	{72000, 1366, 1380, 1436, 1500, 768, 769, 772, 800, pp},                 // 0x56 1366x768@60 RB
	{101000, 1400, 1448, 1480, 1560, 1050, 1053, 1057, 1080, pn},            // 0x29 1400x1050@60 RB
	{121750, 1400, 1488, 1632, 1864, 1050, 1053, 1057, 1089, np},            // 0x2a 1400x1050@60
	{88750, 1440, 1488, 1520, 1600, 900, 903, 909, 926, pn},                 // 0x2e 1440x900@60 RB
	{106500, 1440, 1520, 1672, 1904, 900, 903, 909, 934, np},                // 0x2f 1440x900@60
	{108000, 1600, 1624, 1704, 1800, 900, 901, 904, 1000, pp},               // 0x53 1600x900@60
	{162000, 1600, 1664, 1856, 2160, 1200, 1201, 1204, 1250, pp},            // 0x33 1600x1200@60
	{119000, 1680, 1728, 1760, 1840, 1050, 1053, 1059, 1080, pn},            // 0x39 1680x1050@60 RB
	{146250, 1680, 1784, 1960, 2240, 1050, 1053, 1059, 1089, np},            // 0x3a 1680x1050@60
	{204750, 1792, 1920, 2120, 2448, 1344, 1345, 1348, 1394, np},            // 0x3e 1792x1344@60
	{218250, 1856, 1952, 2176, 2528, 1392, 1393, 1396, 1439, np},            // 0x41 1856x1392@60
	{148500, 1920, 2008, 2052, 2200, 1080, 1084, 1089, 1125, nn},            // 0x52 1920x1080@60
	{154000, 1920, 1968, 2000, 2080, 1200, 1203, 1209, 1235, pn},            // 0x44 1920x1200@60 RB
	{193250, 1920, 2056, 2256, 2592, 1200, 1203, 1209, 1245, np},            // 0x45 1920x1200@60
	{234000, 1920, 2048, 2256, 2600, 1440, 1441, 1444, 1500, np},            // 0x49 1920x1440@60
	{162000, 2048, 2074, 2154, 2250, 1152, 1153, 1156, 1200, pp},            // 0x54 2048x1152@60
	{268500, 2560, 2608, 2640, 2720, 1600, 1603, 1609, 1646, pn},            // 0x4c 2560x1600@60 RB
	{348500, 2560, 2752, 3032, 3504, 1600, 1603, 1609, 1658, np},            // 0x4d 2560x1600@60
	{556744, 4096, 4104, 4136, 4176, 2160, 2208, 2216, 2222, pn},            // 0x57 4096x2160@60 RB
	{556188, 4096, 4104, 4136, 4176, 2160, 2208, 2216, 2222, pn},            // 0x58 4096x2160@59.94 RB
}

func (d *dmtMode) mode() Mode {
	m := Mode{
		Clock:    d.clock,
		HDisplay: d.hdisp, HSyncStart: d.hss, HSyncEnd: d.hse, HTotal: d.htot,
		VDisplay: d.vdisp, VSyncStart: d.vss, VSyncEnd: d.vse, VTotal: d.vtot,
		Flags: d.flags,
		Type:  TypeDriver,
	}
	m.setDefaultName()
	m.VRefresh = m.RefreshRate()
	return m
}

// isReduced is the kernel's mode_is_rb: CVT reduced-blanking timings.
func (m *Mode) isReduced() bool {
	// int arithmetic as in the kernel, so a wrapped difference never matches.
	return int(m.HTotal)-int(m.HDisplay) == 160 && int(m.HSyncEnd)-int(m.HDisplay) == 80 &&
		int(m.HSyncEnd)-int(m.HSyncStart) == 32 && int(m.VSyncStart)-int(m.VDisplay) == 3
}

// DMT returns the VESA DMT mode of that size and refresh, as
// drm_mode_find_dmt(dev, h, v, refresh, false) finds it in drm_dmt_modes:
// the first entry whose drm_mode_vrefresh equals vrefresh and whose
// timings are not CVT reduced blanking. Type is DRIVER, as in the table.
func DMT(hdisplay, vdisplay, vrefresh int) (Mode, bool) {
	for i := range dmtModes {
		d := &dmtModes[i]
		if int(d.hdisp) != hdisplay || int(d.vdisp) != vdisplay {
			continue
		}
		m := d.mode()
		if int(m.VRefresh) != vrefresh || m.isReduced() {
			continue
		}
		return m, true
	}
	return Mode{}, false
}

// FromProfile turns a profile's connector mode into the mode the device
// advertises: the DMT mode when the table has one, else CVT with reduced
// blanking (what a panel without EDID timings would get). Type is DRIVER,
// plus PREFERRED when the profile marks the mode preferred.
func FromProfile(p profile.Mode) (Mode, error) {
	if p.Refresh == 0 {
		// CVT would read 0 as 60; a profile mode must say its rate.
		return Mode{}, fmt.Errorf("modeinfo: profile mode %dx%d@0: %w", p.HDisplay, p.VDisplay, syscall.EINVAL)
	}
	m, ok := DMT(int(p.HDisplay), int(p.VDisplay), int(p.Refresh))
	if !ok {
		var err error
		m, err = CVT(int(p.HDisplay), int(p.VDisplay), int(p.Refresh), true, false, false)
		if err != nil {
			return Mode{}, fmt.Errorf("modeinfo: profile mode %dx%d@%d: %w", p.HDisplay, p.VDisplay, p.Refresh, err)
		}
	}
	m.Type = TypeDriver
	if p.Preferred {
		m.Type |= TypePreferred
	}
	return m, nil
}
