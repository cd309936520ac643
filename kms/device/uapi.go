package device

// Values from include/uapi/drm/drm_mode.h and drm.h. They are ABI: tools
// that speak to a real KMS device use the same numbers, so headway keeps them.

// ObjectType is a mode object's type, DRM_MODE_OBJECT_*.
type ObjectType uint32

// Object types with the kernel's values.
const (
	ObjectAny       ObjectType = 0
	ObjectCRTC      ObjectType = 0xcccccccc
	ObjectConnector ObjectType = 0xc0c0c0c0
	ObjectEncoder   ObjectType = 0xe0e0e0e0
	ObjectMode      ObjectType = 0xdededede
	ObjectProperty  ObjectType = 0xb0b0b0b0
	ObjectFB        ObjectType = 0xfbfbfbfb
	ObjectBlob      ObjectType = 0xbbbbbbbb
	ObjectPlane     ObjectType = 0xeeeeeeee
)

// String returns the kernel's name for the object type.
func (t ObjectType) String() string {
	switch t {
	case ObjectAny:
		return "any"
	case ObjectCRTC:
		return "CRTC"
	case ObjectConnector:
		return "connector"
	case ObjectEncoder:
		return "encoder"
	case ObjectMode:
		return "mode"
	case ObjectProperty:
		return "property"
	case ObjectFB:
		return "framebuffer"
	case ObjectBlob:
		return "blob"
	case ObjectPlane:
		return "plane"
	}
	return "unknown"
}

// Property flags, DRM_MODE_PROP_*. The legacy types are single bits; the
// extended types live in bits 6..15.
const (
	PropPending      uint32 = 1 << 0
	PropRange        uint32 = 1 << 1
	PropImmutable    uint32 = 1 << 2
	PropEnum         uint32 = 1 << 3
	PropBlob         uint32 = 1 << 4
	PropBitmask      uint32 = 1 << 5
	PropLegacyType          = PropRange | PropEnum | PropBlob | PropBitmask
	PropExtendedType uint32 = 0x0000ffc0
	PropObject       uint32 = 1 << 6
	PropSignedRange  uint32 = 2 << 6
	PropAtomic       uint32 = 0x80000000
)

// Atomic commit flags, DRM_MODE_PAGE_FLIP_* and DRM_MODE_ATOMIC_*.
const (
	PageFlipEvent      uint32 = 0x01
	PageFlipAsync      uint32 = 0x02
	AtomicTestOnly     uint32 = 0x0100
	AtomicNonblock     uint32 = 0x0200
	AtomicAllowModeset uint32 = 0x0400
	// AtomicFlags is DRM_MODE_ATOMIC_FLAGS, every flag the ioctl knows.
	AtomicFlags = PageFlipEvent | PageFlipAsync | AtomicTestOnly | AtomicNonblock | AtomicAllowModeset
)

// Client capabilities, DRM_CLIENT_CAP_*.
const (
	ClientCapStereo3D            uint64 = 1
	ClientCapUniversalPlanes     uint64 = 2
	ClientCapAtomic              uint64 = 3
	ClientCapAspectRatio         uint64 = 4
	ClientCapWritebackConnectors uint64 = 5
)

// Connector types and states used by the fake device.
const (
	ConnectorTypeVirtual   uint32 = 15
	ConnectorTypeWriteback uint32 = 18

	ConnectionConnected    uint32 = 1
	ConnectionDisconnected uint32 = 2
	ConnectionUnknown      uint32 = 3
)

// Encoder types.
const (
	EncoderTypeVirtual uint32 = 5
)

// Framebuffer flags, DRM_MODE_FB_*.
const (
	FBInterlaced uint32 = 1 << 0
	FBModifiers  uint32 = 1 << 1
)

// Event types, DRM_EVENT_*.
const (
	EventVblank       uint32 = 0x01
	EventFlipComplete uint32 = 0x02
	EventCRTCSequence uint32 = 0x03
)

// EventVblankSize is sizeof(struct drm_event_vblank).
const EventVblankSize = 32

// EventSpace is the kernel's per-file budget for undelivered events
// (drm_file.event_space): a commit asking for an event that does not fit
// fails with ENOMEM.
const EventSpace = 4096

// ColorLUTSize is sizeof(struct drm_color_lut): red, green, blue and a
// reserved u16.
const ColorLUTSize = 8

// Limits of the device, as VKMS sets mode_config (vkms_drv.h).
const (
	MinWidth  = 10
	MinHeight = 10
)
