// Package modeinfo is the display mode as userspace sees it: struct
// drm_mode_modeinfo from include/uapi/drm/drm_mode.h, the 68-byte payload
// of a MODE_ID blob, in host byte order.
//
// The fake device stores every connector mode and every CRTC mode in this
// form, validates the MODE_ID blobs clients create, decides from Equal
// whether a commit changes the mode (and so needs ALLOW_MODESET), and runs
// its vblank clock at the period the mode implies. Keeping all of that in
// one package means the device core never interprets mode bytes itself.
//
// # Invariants and how they map to the kernel
//
//   - Encoding is byte for byte the uapi struct: clock at offset 0, the ten
//     u16 timings from 4 to 23 (hdisplay, hsync_start, hsync_end, htotal,
//     hskew, vdisplay, vsync_start, vsync_end, vtotal, vscan), vrefresh at
//     24, flags at 28, type at 32 and the 32-byte name at 36. Decode refuses
//     any other length with EINVAL, as drm_atomic_set_mode_prop_for_crtc
//     does ("bad mode blob length"). Append and Decode never allocate
//     beyond dst, because a TEST_ONLY commit carrying MODE_ID is decoded
//     and validated on every attempt.
//   - Validate refuses exactly what drm_mode_convert_umode refuses, in its
//     order: clock or vrefresh above INT_MAX is ERANGE; an aspect-ratio
//     field (flags bits 19-22) other than none, 4:3, 16:9, 64:27 or
//     256:135 is EINVAL; then drm_mode_validate_basic on the converted
//     mode: flag bits outside DRM_MODE_FLAG_ALL (BCAST, PIXMUX and bits
//     from 23 up) or a 3D layout above SIDE_BY_SIDE_HALF are EINVAL
//     (MODE_BAD), clock 0 is EINVAL (MODE_CLOCK_LOW), and hdisplay 0 or
//     hdisplay <= hsync_start <= hsync_end <= htotal violated is EINVAL
//     (MODE_H_ILLEGAL), likewise for the vertical timings
//     (MODE_V_ILLEGAL). Unknown type bits are not an error: the kernel
//     masks them with DRM_MODE_TYPE_ALL because old X drivers left type
//     uninitialised. The device has no mode_valid hook (VKMS has none), so
//     nothing else is refused here. The atomic path reports every one of
//     these failures as EINVAL (drm_atomic_set_mode_prop_for_crtc discards
//     the errno), so the device reports EINVAL for any Validate error on
//     that path; the ERANGE is what the legacy SETCRTC path returns.
//   - Equal is drm_mode_equal: timings including hskew and vscan, the
//     clock compared as the kernel does (both converted to picoseconds per
//     pixel, so 148499 and 148500 kHz are equal), and all flags including
//     the 3D layout and the aspect ratio. Type and name are ignored: they
//     do not change what is scanned out, so they never force a modeset.
//   - Period is drm_calc_timestamping_constants' framedur_ns via
//     kms/vblank.PeriodFromMode, halved for interlaced modes; RefreshRate
//     is drm_mode_vrefresh (rounded to the nearest Hz, 0 on overflow),
//     which is what the kernel writes into vrefresh on the way out.
//   - CVT is drm_cvt_mode with the same integer types and the same
//     rounding, including its quirks: hsync_start is always pushed up by a
//     whole cell past an 8-pixel boundary, the 1366 fixup is not applied
//     (that belongs to the command-line path), and, since the kernel moved
//     the clock computation to 64 bits, the 250 kHz clock step is no longer
//     applied (the kernel subtracts clock % 250 before setting clock), so
//     "cvt 1920 1080 60" gives 173106 kHz rather than the 173000 kHz the
//     cvt(1) tool prints. Inputs outside the domain where the kernel's
//     arithmetic yields a mode that fits the uapi struct and passes
//     Validate are refused with EINVAL instead of wrapping.
//   - DMT looks up a subset of drm_edid.c's drm_dmt_modes as
//     drm_mode_find_dmt(dev, h, v, refresh, false) does: the first entry
//     with that size, drm_mode_vrefresh equal to the refresh and no
//     reduced blanking. FromProfile uses DMT and falls back to CVT with
//     reduced blanking, as a virtual connector advertising fixed sizes
//     would; modes are typed DRIVER (plus PREFERRED when the profile says
//     so) and named by drm_mode_set_name ("WxH", "i" when interlaced).
//
// String is headway's own one-line format, drm_info-like:
//
//	1920x1080@60.00 148500 kHz 1920 2008 2052 2200 1080 1084 1089 1125 -hsync -vsync driver
//
// that is hdisplay x vdisplay (plus "i" when interlaced) @ the refresh in
// Hz with two decimals, the clock, the four horizontal then the four
// vertical timings, then the flags (+hsync, -hsync, +vsync, -vsync,
// interlace, dblscan, csync, +csync, -csync, hskew=N, dblclk, clkdiv2,
// 3d=N, aspect=N, unknown bits as flags=0x...) and the types (preferred,
// userdef, driver, others as type=0x...).
//
// # Mutants that live
//
// Equivalent: vscan > 1 as >= 1 (multiplying by 1), the name scan
// reaching the last byte (an unterminated name has NameLen-1 bytes
// either way), and CVT's input-size limits at their own values (such a
// size then fails the uapi-struct or clock check, EINVAL all the same).
// RefreshRate's limits at their own values are equivalent too: an
// htotal*vtotal of exactly INT_MAX would need a factor above 65535
// (2^31-1 is prime), and a denominator of exactly UINT32_MAX likewise
// (2^32-1 = 3*5*17*257*65537, and dblscan makes it even). CVT's
// comparisons at their own values (the 20% blanking floor, the minimum
// vertical blanking) assign the value they compare with, so < and <=
// agree. CVT is checked against testdata/kernelcvt, a C transcription of
// drm_cvt_mode over every combination of reduced blanking, interlace and
// margins.
package modeinfo
