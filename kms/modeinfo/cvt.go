package modeinfo

import (
	"fmt"
	"math"
	"syscall"
)

//go:generate sh testdata/kernelcvt/gen.sh

// CVT constants, with the kernel's names in the comments.
const (
	cvtHVFactor        = 1000                 // HV_FACTOR: fixed-point scale
	cvtMarginPercent   = 18                   // CVT_MARGIN_PERCENTAGE, in tenths of a percent
	cvtHGranularity    = 8                    // CVT_H_GRANULARITY: character cell
	cvtMinVPorch       = 3                    // CVT_MIN_V_PORCH
	cvtMinVBPorch      = 6                    // CVT_MIN_V_BPORCH
	cvtMinVSyncBP      = 550                  // CVT_MIN_VSYNC_BP, us
	cvtHSyncPercent    = 8                    // CVT_HSYNC_PERCENTAGE
	cvtMPrime          = 600 * 128 / 256      // CVT_M_PRIME
	cvtCPrime          = (40-20)*128/256 + 20 // CVT_C_PRIME
	cvtRBMinVBlank     = 460                  // CVT_RB_MIN_VBLANK, us
	cvtRBHSync         = 32                   // CVT_RB_H_SYNC
	cvtRBHBlank        = 160                  // CVT_RB_H_BLANK
	cvtRBVFPorch       = 3                    // CVT_RB_VFPORCH
	cvtMaxInputSize    = math.MaxUint16
	cvtMaxFieldRefresh = 1000 // keeps every kernel product inside 32 bits
)

// CVT computes a mode with the VESA Coordinated Video Timing formula
// exactly as the kernel's drm_cvt_mode does: the same int and unsigned int
// arithmetic, truncations and quirks (see the package documentation, in
// particular the clock step the current kernel no longer applies). A
// vrefresh of 0 means 60, as in the kernel. Type is left 0, as the kernel
// leaves it; Name is set by drm_mode_set_name and VRefresh by
// drm_mode_vrefresh. Sizes outside 1..65535, a negative refresh, a field
// rate above 1000 Hz, or a result that does not fit the uapi struct or
// fails Validate are EINVAL.
func CVT(hdisplay, vdisplay, vrefresh int, reduced, interlaced, margins bool) (Mode, error) {
	fail := func(why string) (Mode, error) {
		return Mode{}, fmt.Errorf("modeinfo: cvt %dx%d@%d reduced=%t interlaced=%t margins=%t: %s: %w",
			hdisplay, vdisplay, vrefresh, reduced, interlaced, margins, why, syscall.EINVAL)
	}
	if hdisplay < 1 || hdisplay > cvtMaxInputSize || vdisplay < 1 || vdisplay > cvtMaxInputSize {
		return fail("size out of range")
	}
	if vrefresh < 0 || vrefresh > cvtMaxFieldRefresh {
		return fail("refresh out of range")
	}
	if vrefresh == 0 {
		vrefresh = 60
	}
	var vfieldrate uint32 = uint32(vrefresh)
	if interlaced {
		vfieldrate *= 2
	}
	if vfieldrate > cvtMaxFieldRefresh {
		return fail("field rate out of range")
	}
	hdisp, vdisp := int32(hdisplay), int32(vdisplay)

	hdisplayRnd := hdisp - hdisp%cvtHGranularity
	var hmargin int32
	if margins {
		hmargin = hdisplayRnd * cvtMarginPercent / 1000
		hmargin -= hmargin % cvtHGranularity
	}
	outHDisplay := hdisplayRnd + 2*hmargin

	vdisplayRnd := vdisp
	if interlaced {
		vdisplayRnd = vdisp / 2
	}
	var vmargin int32
	if margins {
		vmargin = vdisplayRnd * cvtMarginPercent / 1000
	}
	outVDisplay := vdisp + 2*vmargin
	var interlace int32
	if interlaced {
		interlace = 1
	}

	// The vsync width encodes the aspect ratio of the requested size.
	var vsync int32
	switch {
	case vdisp%3 == 0 && vdisp*4/3 == hdisp:
		vsync = 4
	case vdisp%9 == 0 && vdisp*16/9 == hdisp:
		vsync = 5
	case vdisp%10 == 0 && vdisp*16/10 == hdisp:
		vsync = 6
	case vdisp%4 == 0 && vdisp*5/4 == hdisp:
		vsync = 7
	case vdisp%9 == 0 && vdisp*15/9 == hdisp:
		vsync = 7
	default:
		vsync = 10
	}

	var hperiod uint32
	var htotal, hsyncStart, hsyncEnd, vtotal, vsyncStart, vsyncEnd int32
	if !reduced {
		// 1e9 - 550*1000*vfieldrate: int minus unsigned is unsigned in C,
		// stored back into an int.
		tmp1 := int32(uint32(cvtHVFactor*1000000) - cvtMinVSyncBP*cvtHVFactor*vfieldrate)
		tmp2 := (vdisplayRnd+2*vmargin+cvtMinVPorch)*2 + interlace
		div := uint32(tmp2) * vfieldrate
		if div == 0 {
			return fail("zero horizontal period divisor")
		}
		hperiod = uint32(tmp1*2) / div
		if hperiod == 0 {
			return fail("zero horizontal period")
		}
		tmp1 = int32(cvtMinVSyncBP*cvtHVFactor/hperiod + 1)
		vsyncAndBackPorch := tmp1
		if tmp1 < vsync+cvtMinVPorch {
			vsyncAndBackPorch = vsync + cvtMinVPorch
		}
		vtotal = vdisplayRnd + 2*vmargin + vsyncAndBackPorch + cvtMinVPorch
		hblankPercentage := uint32(cvtCPrime*cvtHVFactor) - cvtMPrime*hperiod/1000
		if hblankPercentage < 20*cvtHVFactor {
			hblankPercentage = 20 * cvtHVFactor
		}
		hdiv := uint32(100*cvtHVFactor) - hblankPercentage
		if hdiv == 0 {
			return fail("zero blanking divisor")
		}
		hblank := int32(uint32(outHDisplay) * hblankPercentage / hdiv)
		hblank -= hblank % (2 * cvtHGranularity)
		htotal = outHDisplay + hblank
		hsyncEnd = outHDisplay + hblank/2
		hsyncStart = hsyncEnd - (htotal*cvtHSyncPercent)/100
		hsyncStart += cvtHGranularity - hsyncStart%cvtHGranularity
		vsyncStart = outVDisplay + cvtMinVPorch
		vsyncEnd = vsyncStart + vsync
	} else {
		tmp1 := int32(uint32(cvtHVFactor*1000000) - cvtRBMinVBlank*cvtHVFactor*vfieldrate)
		tmp2 := vdisplayRnd + 2*vmargin
		div := uint32(tmp2) * vfieldrate
		if div == 0 {
			return fail("zero horizontal period divisor")
		}
		hperiod = uint32(tmp1) / div
		if hperiod == 0 {
			return fail("zero horizontal period")
		}
		vbilines := int32(cvtRBMinVBlank*cvtHVFactor/hperiod + 1)
		if vbilines < cvtRBVFPorch+vsync+cvtMinVBPorch {
			vbilines = cvtRBVFPorch + vsync + cvtMinVBPorch
		}
		vtotal = vdisplayRnd + 2*vmargin + vbilines
		htotal = outHDisplay + cvtRBHBlank
		hsyncEnd = outHDisplay + cvtRBHBlank/2
		hsyncStart = hsyncEnd - cvtRBHSync
		vsyncStart = outVDisplay + cvtRBVFPorch
		vsyncEnd = vsyncStart + vsync
	}
	// The kernel computes the clock in 64 bits from the int htotal (sign
	// extended) and truncates it back to int. Its "clock -= clock % 250"
	// runs on the still-zero clock field, so no step is applied.
	clock := uint64(int64(htotal)) * (cvtHVFactor * 1000) / uint64(hperiod)
	if interlaced {
		vtotal *= 2
	}

	for _, v := range [...]int32{outHDisplay, hsyncStart, hsyncEnd, htotal, outVDisplay, vsyncStart, vsyncEnd, vtotal} {
		if v < 0 || v > math.MaxUint16 {
			return fail("timings do not fit the uapi struct")
		}
	}
	if clock == 0 || clock > math.MaxInt32 {
		return fail("clock out of range")
	}
	m := Mode{
		Clock:    uint32(clock),
		HDisplay: uint16(outHDisplay), HSyncStart: uint16(hsyncStart), HSyncEnd: uint16(hsyncEnd), HTotal: uint16(htotal),
		VDisplay: uint16(outVDisplay), VSyncStart: uint16(vsyncStart), VSyncEnd: uint16(vsyncEnd), VTotal: uint16(vtotal),
	}
	if interlaced {
		m.Flags |= FlagInterlace
	}
	m.setDefaultName()
	if reduced {
		m.Flags |= FlagPHSync | FlagNVSync
	} else {
		m.Flags |= FlagPVSync | FlagNHSync
	}
	m.VRefresh = m.RefreshRate()
	if err := m.Validate(); err != nil {
		return fail(err.Error())
	}
	return m, nil
}
