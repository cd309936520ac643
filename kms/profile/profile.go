package profile

import (
	"github.com/headwaywl/headway/modifiers/formatset"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

// Profile describes one fake device: what its objects are and which
// properties and limits they advertise. A Profile is built by Parse or Load
// and not changed afterwards; the device core reads it, so sharing one
// Profile between devices is safe as long as nobody writes to it.
type Profile struct {
	Name        string
	Description string
	Connectors  []Connector
	CRTCs       CRTCs
	Planes      []Plane
	Writeback   Writeback
	// Render is what the device's simulated GPU samples: the pairs a
	// compositor on this device advertises as its default linux-dmabuf
	// feedback. Order is the file's (formats by first use, each format's
	// modifiers by first use), which formatset treats as preference. It is
	// nil when the profile has no render line, leaving the fallback to the
	// compositor. Every pair passed CanSample at load; ValidateRender also
	// asks whether composition has a reader for each format.
	Render *formatset.Set

	file       string                // for errors found after Parse
	renderLine map[fourcc.Format]int // line that first named each render format
}

// Connector is a virtual connector and its mode list, in the order the
// device reports it.
type Connector struct {
	Name  string
	Modes []Mode
}

// Mode is one mode of a connector. Sizes are u16 because struct
// drm_mode_modeinfo stores them so.
type Mode struct {
	HDisplay, VDisplay uint16
	Refresh            uint32 // vertical refresh in Hz
	Preferred          bool   // DRM_MODE_TYPE_PREFERRED
}

// CRTCs gives the number of CRTCs and what every one of them offers.
type CRTCs struct {
	Count        int
	GammaLUTSize uint32 // GAMMA_LUT_SIZE; 0 means no GAMMA_LUT property
	// GammaLUTAtMost says a GAMMA_LUT blob may have fewer entries than
	// GAMMA_LUT_SIZE (vkms_atomic_check); without it the count must be
	// exact (i915's check_lut_size, rcar_du_cmm_check).
	GammaLUTAtMost bool
	CursorWidth    uint32 // DRM_CAP_CURSOR_WIDTH
	CursorHeight   uint32 // DRM_CAP_CURSOR_HEIGHT
}

// Writeback describes the optional writeback connector.
type Writeback struct {
	Present bool
	Formats []fourcc.Format // WRITEBACK_PIXEL_FORMATS, in order
}

// PlaneType is the value of the "type" plane property, numbered as the
// kernel's enum drm_plane_type.
type PlaneType uint8

// Plane types, with enum drm_plane_type's values.
const (
	Overlay PlaneType = 0
	Primary PlaneType = 1
	Cursor  PlaneType = 2
)

// String returns the enum name the kernel gives the "type" property value.
func (t PlaneType) String() string {
	switch t {
	case Overlay:
		return "Overlay"
	case Primary:
		return "Primary"
	case Cursor:
		return "Cursor"
	}
	return "Unknown"
}

// FormatModifiers is one format and the modifiers a plane takes it with,
// in the plane's modifier order (the order of IN_FORMATS entries).
type FormatModifiers struct {
	Format    fourcc.Format
	Modifiers []modifier.Modifier
}

// Size is a width and height in pixels.
type Size struct {
	Width, Height uint32
}

// Zpos describes the zpos property. Immutable zpos has Min == Max == Value,
// as drm_plane_create_zpos_immutable_property creates it.
type Zpos struct {
	Present   bool
	Value     uint32
	Min, Max  uint32
	Immutable bool
}

// Rotation is the "rotation" property bitmask with the kernel's bits
// (DRM_MODE_ROTATE_* and DRM_MODE_REFLECT_*).
type Rotation uint32

// Rotation bits, as include/uapi/drm/drm_mode.h numbers them.
const (
	Rotate0   Rotation = 1 << 0
	Rotate90  Rotation = 1 << 1
	Rotate180 Rotation = 1 << 2
	Rotate270 Rotation = 1 << 3
	ReflectX  Rotation = 1 << 4
	ReflectY  Rotation = 1 << 5

	RotateMask  = Rotate0 | Rotate90 | Rotate180 | Rotate270
	ReflectMask = ReflectX | ReflectY
)

// rotationNames lists the bits in bit order with the names profiles use
// (the macro names without DRM_MODE_) and the kernel's enum value names.
var rotationNames = [...]struct {
	bit          Rotation
	file, kernel string
}{
	{Rotate0, "ROTATE_0", "rotate-0"},
	{Rotate90, "ROTATE_90", "rotate-90"},
	{Rotate180, "ROTATE_180", "rotate-180"},
	{Rotate270, "ROTATE_270", "rotate-270"},
	{ReflectX, "REFLECT_X", "reflect-x"},
	{ReflectY, "REFLECT_Y", "reflect-y"},
}

// PropertyName returns the name the kernel's rotation property gives a
// single bit ("rotate-90"), or "" for anything that is not one known bit.
func (r Rotation) PropertyName() string {
	for _, n := range rotationNames {
		if n.bit == r {
			return n.kernel
		}
	}
	return ""
}

// FixedOne is 1.0 in 16.16 fixed point: DRM_PLANE_NO_SCALING.
const FixedOne = 1 << 16

// Scaling gives the scale factors drm_atomic_helper_check_plane_state
// accepts, in 16.16 fixed point. The factor is source size over
// destination size, so Min below FixedOne allows upscaling and Max above
// it allows downscaling. No scaling is Min == Max == FixedOne.
type Scaling struct {
	Min, Max int32
}

// Allowed reports whether the plane scales at all.
func (s Scaling) Allowed() bool { return s.Min != FixedOne || s.Max != FixedOne }

// BlendMode is a "pixel blend mode" value, numbered as DRM_MODE_BLEND_*.
type BlendMode uint8

// Blend modes with the kernel's values.
const (
	BlendPremulti BlendMode = 0
	BlendCoverage BlendMode = 1
	BlendNone     BlendMode = 2
)

// BlendModes is a set of blend modes, bit i for BlendMode i. Zero means the
// plane has no pixel blend mode property.
type BlendModes uint8

// Has reports whether m is in the set.
func (s BlendModes) Has(m BlendMode) bool { return m < 8 && s&(1<<m) != 0 }

var blendNames = [...]string{BlendPremulti: "Pre-multiplied", BlendCoverage: "Coverage", BlendNone: "None"}

// String returns the kernel's enum name of the mode.
func (m BlendMode) String() string {
	if int(m) < len(blendNames) {
		return blendNames[m]
	}
	return "Unknown"
}

// ColorEncoding is a COLOR_ENCODING value, numbered as enum
// drm_color_encoding.
type ColorEncoding uint8

// Colour encodings with the kernel's values.
const (
	BT601  ColorEncoding = 0
	BT709  ColorEncoding = 1
	BT2020 ColorEncoding = 2
)

var encodingNames = [...]struct{ file, kernel string }{
	BT601:  {"BT601", "ITU-R BT.601 YCbCr"},
	BT709:  {"BT709", "ITU-R BT.709 YCbCr"},
	BT2020: {"BT2020", "ITU-R BT.2020 YCbCr"},
}

// String returns the kernel's enum name of the encoding.
func (e ColorEncoding) String() string {
	if int(e) < len(encodingNames) {
		return encodingNames[e].kernel
	}
	return "Unknown"
}

// ColorRange is a COLOR_RANGE value, numbered as enum drm_color_range.
type ColorRange uint8

// Colour ranges with the kernel's values.
const (
	RangeLimited ColorRange = 0
	RangeFull    ColorRange = 1
)

var rangeNames = [...]struct{ file, kernel string }{
	RangeLimited: {"limited", "YCbCr limited range"},
	RangeFull:    {"full", "YCbCr full range"},
}

// String returns the kernel's enum name of the range.
func (r ColorRange) String() string {
	if int(r) < len(rangeNames) {
		return rangeNames[r].kernel
	}
	return "Unknown"
}

// Color describes the COLOR_ENCODING and COLOR_RANGE properties.
// Encodings and Ranges are bitmasks (bit i for value i); zero Encodings
// means the plane has neither property, as drm_plane_create_color_properties
// creates both or none.
type Color struct {
	Encodings       uint8
	Ranges          uint8
	DefaultEncoding ColorEncoding
	DefaultRange    ColorRange
}

// Colorkey names the colorkey interface a plane offers.
type Colorkey uint8

// Colorkey kinds: none, the rcar-du style "colorkey" property, the i915
// legacy DRM_IOCTL_I915_SET_SPRITE_COLORKEY, or rcar-gen3: the upstream
// "colorkey" property plus our "colorkey_alpha" extension from the unmerged
// R-Car Gen3 colorkey alpha blending patch (see the package doc).
const (
	ColorkeyNone Colorkey = iota
	ColorkeyRcar
	ColorkeyI915
	ColorkeyRcarGen3
)

var colorkeyNames = [...]string{ColorkeyNone: "none", ColorkeyRcar: "rcar", ColorkeyI915: "i915", ColorkeyRcarGen3: "rcar-gen3"}

// String returns the name profiles use.
func (c Colorkey) String() string {
	if int(c) < len(colorkeyNames) {
		return colorkeyNames[c]
	}
	return "unknown"
}

// Plane is one plane: its type, where it can go, what it takes and which
// properties it has.
type Plane struct {
	Type          PlaneType
	PossibleCRTCs uint32 // bit i for CRTC index i
	// Formats in the plane's format order (IN_FORMATS's format array);
	// each format's Modifiers follow Modifiers' order.
	Formats []FormatModifiers
	// Modifiers is every modifier the plane takes, in first-use order:
	// the order of the IN_FORMATS modifier entries.
	Modifiers []modifier.Modifier
	Zpos      Zpos
	Rotations Rotation // supported bits; 0 means no rotation property
	Scaling   Scaling
	MaxFB     Size // largest framebuffer the plane accepts
	MaxSrc    Size // largest source rectangle
	MaxDst    Size // largest destination (CRTC) rectangle
	Blend     BlendModes
	Alpha     bool // plane has the "alpha" property
	Color     Color
	Colorkey  Colorkey

	inFormats []byte
}

// InFormats returns the plane's IN_FORMATS blob, built once at load. The
// slice is shared: callers must not modify it.
func (p *Plane) InFormats() []byte { return p.inFormats }

// Supports reports whether the plane takes format f with modifier m. It
// does not allocate: the device core asks it on every TEST_ONLY commit.
func (p *Plane) Supports(f fourcc.Format, m modifier.Modifier) bool {
	for i := range p.Formats {
		if p.Formats[i].Format != f {
			continue
		}
		for _, pm := range p.Formats[i].Modifiers {
			if pm == m {
				return true
			}
		}
		return false
	}
	return false
}

// HasFormat reports whether the plane lists format f at all, which is
// what the legacy format list (drmModeGetPlane) answers.
func (p *Plane) HasFormat(f fourcc.Format) bool {
	for i := range p.Formats {
		if p.Formats[i].Format == f {
			return true
		}
	}
	return false
}
