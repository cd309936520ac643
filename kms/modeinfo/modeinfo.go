package modeinfo

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"syscall"

	"github.com/headwaywl/headway/kms/vblank"
)

// Size is sizeof(struct drm_mode_modeinfo).
const Size = 68

// NameLen is DRM_DISPLAY_MODE_LEN, the size of the name field.
const NameLen = 32

// Mode is struct drm_mode_modeinfo field for field.
type Mode struct {
	Clock                                         uint32 // kHz
	HDisplay, HSyncStart, HSyncEnd, HTotal, HSkew uint16
	VDisplay, VSyncStart, VSyncEnd, VTotal, VScan uint16
	VRefresh                                      uint32
	Flags                                         uint32        // DRM_MODE_FLAG_*
	Type                                          uint32        // DRM_MODE_TYPE_*
	Name                                          [NameLen]byte // NUL-padded
}

// DRM_MODE_FLAG_* (include/uapi/drm/drm_mode.h).
const (
	FlagPHSync    = 1 << 0
	FlagNHSync    = 1 << 1
	FlagPVSync    = 1 << 2
	FlagNVSync    = 1 << 3
	FlagInterlace = 1 << 4
	FlagDblScan   = 1 << 5
	FlagCSync     = 1 << 6
	FlagPCSync    = 1 << 7
	FlagNCSync    = 1 << 8
	FlagHSkew     = 1 << 9
	FlagBCast     = 1 << 10 // deprecated; refused by Validate
	FlagPixMux    = 1 << 11 // deprecated; refused by Validate
	FlagDblClk    = 1 << 12
	FlagClkDiv2   = 1 << 13

	// The 3D layout is a 5-bit field, not bits.
	Flag3DMask              = 0x1f << 14
	Flag3DNone              = 0 << 14
	Flag3DFramePacking      = 1 << 14
	Flag3DFieldAlternative  = 2 << 14
	Flag3DLineAlternative   = 3 << 14
	Flag3DSideBySideFull    = 4 << 14
	Flag3DLDepth            = 5 << 14
	Flag3DLDepthGfxGfxDepth = 6 << 14
	Flag3DTopAndBottom      = 7 << 14
	Flag3DSideBySideHalf    = 8 << 14
	Flag3DMax               = Flag3DSideBySideHalf // DRM_MODE_FLAG_3D_MAX (include/drm/drm_modes.h)

	// The picture aspect ratio is a 4-bit field, not bits.
	FlagPicARMask    = 0x0f << 19
	FlagPicARNone    = 0 << 19
	FlagPicAR4x3     = 1 << 19
	FlagPicAR16x9    = 2 << 19
	FlagPicAR64x27   = 3 << 19
	FlagPicAR256x135 = 4 << 19

	// FlagAll is DRM_MODE_FLAG_ALL (include/drm/drm_modes.h): what
	// drm_mode_validate_basic accepts once the aspect ratio is taken out.
	// BCAST and PIXMUX are not in it.
	FlagAll = FlagPHSync | FlagNHSync | FlagPVSync | FlagNVSync | FlagInterlace | FlagDblScan |
		FlagCSync | FlagPCSync | FlagNCSync | FlagHSkew | FlagDblClk | FlagClkDiv2 | Flag3DMask
)

const (
	flag3DShift  = 14
	flagARShift  = 19
	flagPicARMax = FlagPicAR256x135
)

// DRM_MODE_TYPE_*.
const (
	TypeBuiltin   = 1 << 0 // deprecated
	TypeClockC    = (1 << 1) | TypeBuiltin
	TypeCrtcC     = (1 << 2) | TypeBuiltin
	TypePreferred = 1 << 3
	TypeDefault   = 1 << 4 // deprecated
	TypeUserdef   = 1 << 5
	TypeDriver    = 1 << 6
	TypeAll       = TypePreferred | TypeUserdef | TypeDriver // DRM_MODE_TYPE_ALL
)

// Byte offsets of the uapi struct fields.
const (
	offClock      = 0
	offHDisplay   = 4
	offHSyncStart = 6
	offHSyncEnd   = 8
	offHTotal     = 10
	offHSkew      = 12
	offVDisplay   = 14
	offVSyncStart = 16
	offVSyncEnd   = 18
	offVTotal     = 20
	offVScan      = 22
	offVRefresh   = 24
	offFlags      = 28
	offType       = 32
	offName       = 36
)

var ne = binary.NativeEndian

// Append appends the 68-byte uapi encoding of m to dst. It allocates only
// when dst lacks the capacity.
func (m *Mode) Append(dst []byte) []byte {
	n := len(dst)
	dst = append(dst, make([]byte, Size)...) // does not escape: no allocation when cap suffices
	b := dst[n : n+Size]
	ne.PutUint32(b[offClock:], m.Clock)
	ne.PutUint16(b[offHDisplay:], m.HDisplay)
	ne.PutUint16(b[offHSyncStart:], m.HSyncStart)
	ne.PutUint16(b[offHSyncEnd:], m.HSyncEnd)
	ne.PutUint16(b[offHTotal:], m.HTotal)
	ne.PutUint16(b[offHSkew:], m.HSkew)
	ne.PutUint16(b[offVDisplay:], m.VDisplay)
	ne.PutUint16(b[offVSyncStart:], m.VSyncStart)
	ne.PutUint16(b[offVSyncEnd:], m.VSyncEnd)
	ne.PutUint16(b[offVTotal:], m.VTotal)
	ne.PutUint16(b[offVScan:], m.VScan)
	ne.PutUint32(b[offVRefresh:], m.VRefresh)
	ne.PutUint32(b[offFlags:], m.Flags)
	ne.PutUint32(b[offType:], m.Type)
	copy(b[offName:], m.Name[:])
	return dst
}

// Decode reads a MODE_ID blob payload. Any length but Size is EINVAL, as
// the kernel refuses a MODE_ID blob of the wrong length. Decode does not
// validate: call Validate.
func Decode(b []byte) (Mode, error) {
	var m Mode
	if len(b) != Size {
		return m, fmt.Errorf("modeinfo: bad mode blob length: %d, want %d: %w", len(b), Size, syscall.EINVAL)
	}
	m.Clock = ne.Uint32(b[offClock:])
	m.HDisplay = ne.Uint16(b[offHDisplay:])
	m.HSyncStart = ne.Uint16(b[offHSyncStart:])
	m.HSyncEnd = ne.Uint16(b[offHSyncEnd:])
	m.HTotal = ne.Uint16(b[offHTotal:])
	m.HSkew = ne.Uint16(b[offHSkew:])
	m.VDisplay = ne.Uint16(b[offVDisplay:])
	m.VSyncStart = ne.Uint16(b[offVSyncStart:])
	m.VSyncEnd = ne.Uint16(b[offVSyncEnd:])
	m.VTotal = ne.Uint16(b[offVTotal:])
	m.VScan = ne.Uint16(b[offVScan:])
	m.VRefresh = ne.Uint32(b[offVRefresh:])
	m.Flags = ne.Uint32(b[offFlags:])
	m.Type = ne.Uint32(b[offType:])
	copy(m.Name[:], b[offName:Size])
	return m, nil
}

// Validate applies drm_mode_convert_umode's and drm_mode_validate_basic's
// checks in the kernel's order; see the package documentation for each
// rule. It allocates only when it fails.
func (m *Mode) Validate() error {
	// convert_umode: the kernel's drm_display_mode holds these as int.
	if m.Clock > math.MaxInt32 {
		return fmt.Errorf("modeinfo: clock %d kHz exceeds INT_MAX: %w", m.Clock, syscall.ERANGE)
	}
	if m.VRefresh > math.MaxInt32 {
		return fmt.Errorf("modeinfo: vrefresh %d exceeds INT_MAX: %w", m.VRefresh, syscall.ERANGE)
	}
	// convert_umode: the aspect ratio moves out of flags; an unknown one
	// has no HDMI_PICTURE_ASPECT_* value.
	if ar := m.Flags & FlagPicARMask; ar > flagPicARMax {
		return fmt.Errorf("modeinfo: picture aspect ratio %d unknown: %w", ar>>flagARShift, syscall.EINVAL)
	}
	// validate_basic sees flags without the aspect-ratio bits.
	flags := m.Flags &^ FlagPicARMask
	if extra := flags &^ FlagAll; extra != 0 {
		return fmt.Errorf("modeinfo: unknown mode flags %#x: %w", extra, syscall.EINVAL)
	}
	if l := flags & Flag3DMask; l > Flag3DMax {
		return fmt.Errorf("modeinfo: 3D layout %d unknown: %w", l>>flag3DShift, syscall.EINVAL)
	}
	if m.Clock == 0 {
		return fmt.Errorf("modeinfo: clock 0: %w", syscall.EINVAL)
	}
	if m.HDisplay == 0 || m.HSyncStart < m.HDisplay || m.HSyncEnd < m.HSyncStart || m.HTotal < m.HSyncEnd {
		return fmt.Errorf("modeinfo: illegal horizontal timings %d %d %d %d: %w",
			m.HDisplay, m.HSyncStart, m.HSyncEnd, m.HTotal, syscall.EINVAL)
	}
	if m.VDisplay == 0 || m.VSyncStart < m.VDisplay || m.VSyncEnd < m.VSyncStart || m.VTotal < m.VSyncEnd {
		return fmt.Errorf("modeinfo: illegal vertical timings %d %d %d %d: %w",
			m.VDisplay, m.VSyncStart, m.VSyncEnd, m.VTotal, syscall.EINVAL)
	}
	return nil
}

// Period returns the frame duration in ns (a field's for interlaced
// modes), exactly as the kernel's vblank timestamping derives it.
func (m *Mode) Period() (int64, error) {
	p, err := vblank.PeriodFromMode(m.Clock, m.HTotal, m.VTotal, m.Flags&FlagInterlace != 0)
	if err != nil {
		return 0, fmt.Errorf("modeinfo: period of mode %q: %w", m.NameString(), err)
	}
	return p, nil
}

// RefreshRate is drm_mode_vrefresh: the refresh in Hz rounded to nearest,
// doubled for interlace, divided for doublescan and vscan, 0 when htotal
// or vtotal is 0 or the kernel's int and unsigned int products overflow.
func (m *Mode) RefreshRate() uint32 {
	num, den := uint64(m.Clock), uint64(m.HTotal)*uint64(m.VTotal)
	if den == 0 {
		return 0
	}
	// The kernel holds clock and htotal*vtotal in int: beyond INT_MAX they
	// turn negative and its overflow checks return 0.
	if num > math.MaxInt32 || den > math.MaxInt32 {
		return 0
	}
	if m.Flags&FlagInterlace != 0 {
		num *= 2
	}
	if m.Flags&FlagDblScan != 0 {
		den *= 2
	}
	if m.VScan > 1 {
		den *= uint64(m.VScan)
	}
	// clock*2 always fits 32 bits; den may not after dblscan and vscan.
	if den > math.MaxUint32 {
		return 0
	}
	// The quotient can exceed 32 bits (a huge clock over a tiny frame);
	// it is truncated exactly as the kernel's int return truncates it.
	return uint32((num*1000 + den/2) / den)
}

// khz2picos is the kernel's KHZ2PICOS, used by drm_mode_match_clock.
func khz2picos(khz uint32) uint64 { return 1_000_000_000 / uint64(khz) }

// Equal is drm_mode_equal: timings, clock (in picoseconds), flags, 3D
// layout and aspect ratio; not type, vrefresh or name.
func (m *Mode) Equal(o *Mode) bool {
	if m == nil || o == nil {
		return m == o
	}
	if m.HDisplay != o.HDisplay || m.HSyncStart != o.HSyncStart || m.HSyncEnd != o.HSyncEnd ||
		m.HTotal != o.HTotal || m.HSkew != o.HSkew ||
		m.VDisplay != o.VDisplay || m.VSyncStart != o.VSyncStart || m.VSyncEnd != o.VSyncEnd ||
		m.VTotal != o.VTotal || m.VScan != o.VScan {
		return false
	}
	if m.Clock != 0 && o.Clock != 0 {
		if khz2picos(m.Clock) != khz2picos(o.Clock) {
			return false
		}
	} else if m.Clock != o.Clock {
		return false
	}
	return m.Flags == o.Flags
}

// nameLen is the length of the name the kernel keeps: up to the first NUL,
// at most NameLen-1 bytes (strscpy_pad truncates an unterminated name).
func (m *Mode) nameLen() int {
	for i := 0; i < NameLen-1; i++ {
		if m.Name[i] == 0 {
			return i
		}
	}
	return NameLen - 1
}

// NameString returns the name as the kernel sees it: up to the first NUL,
// at most 31 bytes.
func (m *Mode) NameString() string { return string(m.Name[:m.nameLen()]) }

// SetName stores name NUL-padded, truncated to 31 bytes as snprintf into
// DRM_DISPLAY_MODE_LEN would.
func (m *Mode) SetName(name string) {
	m.Name = [NameLen]byte{}
	copy(m.Name[:NameLen-1], name)
}

// setDefaultName is drm_mode_set_name.
func (m *Mode) setDefaultName() {
	var buf [NameLen]byte
	b := strconv.AppendUint(buf[:0], uint64(m.HDisplay), 10)
	b = append(b, 'x')
	b = strconv.AppendUint(b, uint64(m.VDisplay), 10)
	if m.Flags&FlagInterlace != 0 {
		b = append(b, 'i')
	}
	m.Name = [NameLen]byte{}
	copy(m.Name[:NameLen-1], b)
}
