package device

import (
	"github.com/headwaywl/headway/kms/crc"
	"github.com/headwaywl/headway/kms/modeinfo"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/headwaywl/headway/syncobj/fence"
)

// attached is one property attached to an object. value is what
// drmModeObjectGetProperties reports for properties that are not part of
// the atomic state (immutable ones such as "type" and IN_FORMATS, and
// legacy ones such as DPMS).
type attached struct {
	prop  *Property
	value uint64
}

// Plane is a KMS plane. Its fields are fixed once the device is built.
type Plane struct {
	id    uint32
	index int
	prof  *profile.Plane
	props []attached

	zpos, rotation, alpha, blend, encoding, colorRange, colorkey *Property
	colorkeyAlpha                                                *Property
	inFormats                                                    *Blob
}

// ID returns the plane's object id.
func (p *Plane) ID() uint32 { return p.id }

// Index returns the plane's index, its bit in masks.
func (p *Plane) Index() int { return p.index }

// Profile returns the profile entry the plane was built from.
func (p *Plane) Profile() *profile.Plane { return p.prof }

// Type returns the plane's type.
func (p *Plane) Type() profile.PlaneType { return p.prof.Type }

// CRTC is a KMS CRTC.
type CRTC struct {
	id    uint32
	index int
	props []attached
	name  string

	primary, cursor *Plane
	fenceCtx        *fence.Context
	fenceSeqno      uint64 // guarded by the device lock
	crc             *crc.CRTC

	// pending holds this CRTC's commits that have not flipped yet, oldest
	// first; lastFlip is the vblank of the latest flip. Guarded by the
	// device lock.
	pending  []*commit
	lastFlip uint64
	frame    Frame
}

// ID returns the CRTC's object id.
func (c *CRTC) ID() uint32 { return c.id }

// Index returns the CRTC's index (pipe), its bit in possible_crtcs.
func (c *CRTC) Index() int { return c.index }

// CRC returns the CRTC's debugfs CRC files (crtc-N/crc/control and data).
func (c *CRTC) CRC() *crc.CRTC { return c.crc }

// Encoder is a KMS encoder. headway gives every connector its own virtual
// encoder that can drive any CRTC, as VKMS does.
type Encoder struct {
	id            uint32
	index         int
	typ           uint32
	possibleCRTCs uint32
}

// ID returns the encoder's object id.
func (e *Encoder) ID() uint32 { return e.id }

// PossibleCRTCs returns the mask of CRTC indices the encoder can drive.
func (e *Encoder) PossibleCRTCs() uint32 { return e.possibleCRTCs }

// Type returns DRM_MODE_ENCODER_*.
func (e *Encoder) Type() uint32 { return e.typ }

// Connector is a KMS connector: a virtual output or the writeback connector.
type Connector struct {
	id        uint32
	index     int
	typ       uint32
	typeID    uint32
	name      string
	modes     []modeinfo.Mode
	encoder   *Encoder
	props     []attached
	wbFormats []fourcc.Format
	wbBlob    *Blob
	// The writeback connector's own fence timeline, as drm_writeback_connector
	// has: a context of its own and a seqno per out-fence.
	wbFenceCtx   *fence.Context
	wbFenceSeqno uint64
}

// ID returns the connector's object id.
func (c *Connector) ID() uint32 { return c.id }

// Name returns the connector's name as the kernel builds it ("Virtual-1").
func (c *Connector) Name() string { return c.name }

// Type returns DRM_MODE_CONNECTOR_*.
func (c *Connector) Type() uint32 { return c.typ }

// IsWriteback reports whether this is the writeback connector.
func (c *Connector) IsWriteback() bool { return c.typ == ConnectorTypeWriteback }

// Modes returns the connector's modes, preferred first as the profile lists
// them.
func (c *Connector) Modes() []modeinfo.Mode { return append([]modeinfo.Mode(nil), c.modes...) }

// Blob is a property blob: immutable bytes with an id.
type Blob struct {
	id    uint32
	data  []byte
	owner *File // nil for blobs the device created
}

// ID returns the blob's object id.
func (b *Blob) ID() uint32 { return b.id }

// Data returns the blob's bytes. Callers must not modify them.
func (b *Blob) Data() []byte { return b.data }

// Buffer is a buffer object (a GEM object): the memory framebuffers point
// into. The device never writes to it except for writeback.
type Buffer struct {
	mem []byte
}

// Bytes returns the buffer's memory.
func (b *Buffer) Bytes() []byte { return b.mem }

// Size returns the buffer's size in bytes.
func (b *Buffer) Size() uint64 { return uint64(len(b.mem)) }

// FBPlane is one plane of a framebuffer.
type FBPlane struct {
	Buffer *Buffer
	Handle uint32
	Pitch  uint32
	Offset uint32
}

// Framebuffer is a KMS framebuffer, created by AddFB2. Its fields never
// change after creation.
type Framebuffer struct {
	id       uint32
	width    uint32
	height   uint32
	format   fourcc.Format
	info     fourcc.Info
	modifier modifier.Modifier
	flags    uint32
	planes   [4]FBPlane
	owner    *File
}

// ID returns the framebuffer's object id.
func (fb *Framebuffer) ID() uint32 { return fb.id }

// Width returns the width in pixels.
func (fb *Framebuffer) Width() uint32 { return fb.width }

// Height returns the height in pixels.
func (fb *Framebuffer) Height() uint32 { return fb.height }

// Format returns the pixel format.
func (fb *Framebuffer) Format() fourcc.Format { return fb.format }

// FormatInfo returns the format's description.
func (fb *Framebuffer) FormatInfo() fourcc.Info { return fb.info }

// Modifier returns the format modifier (LINEAR when created without
// DRM_MODE_FB_MODIFIERS).
func (fb *Framebuffer) Modifier() modifier.Modifier { return fb.modifier }

// Flags returns the DRM_MODE_FB_* flags it was created with.
func (fb *Framebuffer) Flags() uint32 { return fb.flags }

// Planes returns the framebuffer's planes; only the first NumPlanes of the
// format are set.
func (fb *Framebuffer) Planes() [4]FBPlane { return fb.planes }
