package vblank

import (
	"fmt"
	"syscall"
)

// PeriodFromMode returns the frame duration in ns of a mode exactly as the
// kernel's drm_calc_timestamping_constants computes framedur_ns: integer
// division of htotal*vtotal*10^6 by the pixel clock in kHz, halved for an
// interlaced mode because each field is half a frame. Using the kernel's
// rounding keeps our timestamps equal to what the kernel would report for
// the same mode.
func PeriodFromMode(clockKHz uint32, htotal, vtotal uint16, interlaced bool) (int64, error) {
	if clockKHz == 0 || htotal == 0 || vtotal == 0 {
		return 0, fmt.Errorf("vblank: mode clock %d kHz, htotal %d, vtotal %d: %w",
			clockKHz, htotal, vtotal, syscall.EINVAL)
	}
	// At most 65535*65535*10^6 < 2^63: no overflow.
	ns := uint64(htotal) * uint64(vtotal) * 1_000_000 / uint64(clockKHz)
	if interlaced {
		ns /= 2
	}
	if ns == 0 {
		return 0, fmt.Errorf("vblank: mode clock %d kHz, htotal %d, vtotal %d: frame shorter than 1 ns: %w",
			clockKHz, htotal, vtotal, syscall.EINVAL)
	}
	return int64(ns), nil
}

// PeriodFromRefresh returns the frame duration in ns of a refresh rate in
// millihertz (60000 for 60 Hz), rounded to the nearest ns. Millihertz is
// the unit refresh rates are quoted in when fractional (59940 mHz for NTSC
// timing) and keeps the arithmetic exact in integers.
func PeriodFromRefresh(mHz uint32) (int64, error) {
	if mHz == 0 {
		return 0, fmt.Errorf("vblank: refresh rate 0 mHz: %w", syscall.EINVAL)
	}
	const nsPerSecondMilli = 1_000_000_000_000 // 10^9 ns * 10^3 (mHz)
	return int64((nsPerSecondMilli + uint64(mHz)/2) / uint64(mHz)), nil
}
