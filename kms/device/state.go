package device

import (
	"github.com/headwaywl/headway/kms/modeinfo"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/syncobj/fence"
)

// Rect is a rectangle as struct drm_rect: X1,Y1 inclusive, X2,Y2 exclusive.
// Source rectangles are in 16.16 fixed point, destination ones in pixels.
type Rect struct {
	X1, Y1, X2, Y2 int32
}

// Width returns X2-X1.
func (r Rect) Width() int32 { return r.X2 - r.X1 }

// Height returns Y2-Y1.
func (r Rect) Height() int32 { return r.Y2 - r.Y1 }

// I915Colorkey is the key set through the i915 sprite colorkey ioctl
// (struct drm_intel_sprite_colorkey without the plane id).
type I915Colorkey struct {
	Min, Max, Mask uint32
	Flags          uint32
}

// i915 colorkey flags, I915_SET_COLORKEY_*.
const (
	I915ColorkeyNone        uint32 = 1 << 0
	I915ColorkeyDestination uint32 = 1 << 1
	I915ColorkeySource      uint32 = 1 << 2
)

// PlaneState is a plane's atomic state: the property values, plus what the
// check derives from them (Visible, Src, Dst, NormalizedZpos).
type PlaneState struct {
	CRTC    *CRTC
	FB      *Framebuffer
	InFence *fence.Fence

	CRTCX, CRTCY           int32
	CRTCW, CRTCH           uint32
	SrcX, SrcY, SrcW, SrcH uint32 // 16.16

	Zpos          uint32
	Alpha         uint16
	Blend         profile.BlendMode
	Rotation      profile.Rotation
	ColorEncoding profile.ColorEncoding
	ColorRange    profile.ColorRange
	Colorkey      uint32 // rcar-du "colorkey" property value
	ColorkeyAlpha uint8  // "colorkey_alpha" (our rcar-gen3 extension): alpha of keyed pixels
	I915Colorkey  I915Colorkey

	// Derived by the check, as drm_atomic_helper_check_plane_state does:
	// the source (16.16) and destination (pixels) rectangles clipped to
	// the CRTC, and whether anything is left to show.
	Visible        bool
	Src, Dst       Rect
	NormalizedZpos uint32
}

// CRTCState is a CRTC's atomic state.
type CRTCState struct {
	Active   bool
	Enable   bool // a mode is set: drm_crtc_state.enable
	Mode     modeinfo.Mode
	ModeBlob *Blob
	GammaLUT *Blob
	VRR      bool

	modeChanged, activeChanged, connectorsChanged bool
}

// NeedsModeset reports drm_atomic_crtc_needs_modeset for a state a check
// produced.
func (s *CRTCState) NeedsModeset() bool {
	return s.modeChanged || s.activeChanged || s.connectorsChanged
}

// ConnectorState is a connector's atomic state.
type ConnectorState struct {
	CRTC        *CRTC
	WritebackFB *Framebuffer
}

// deviceState is one complete state: the software state commits are
// checked against, or the state the hardware scans out.
type deviceState struct {
	planes []PlaneState
	crtcs  []CRTCState
	conns  []ConnectorState
}

func (s *deviceState) copyFrom(o *deviceState) {
	copy(s.planes, o.planes)
	copy(s.crtcs, o.crtcs)
	copy(s.conns, o.conns)
}

func newDeviceState(planes, crtcs, conns int) deviceState {
	return deviceState{
		planes: make([]PlaneState, planes),
		crtcs:  make([]CRTCState, crtcs),
		conns:  make([]ConnectorState, conns),
	}
}
