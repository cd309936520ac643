package device

import (
	"fmt"
	"syscall"

	"github.com/headwaywl/headway/kms/modeinfo"
	"github.com/headwaywl/headway/modifiers/fourcc"
)

// Planes returns the device's planes in index order.
func (d *Device) Planes() []*Plane { return append([]*Plane(nil), d.planes...) }

// CRTCs returns the device's CRTCs in index order.
func (d *Device) CRTCs() []*CRTC { return append([]*CRTC(nil), d.crtcs...) }

// Encoders returns the device's encoders.
func (d *Device) Encoders() []*Encoder { return append([]*Encoder(nil), d.encoders...) }

// Connectors returns every connector, the writeback connector included.
func (d *Device) Connectors() []*Connector { return append([]*Connector(nil), d.connectors...) }

// Writeback returns the writeback connector, or nil.
func (d *Device) Writeback() *Connector { return d.writeback }

func propID(props []attached, name string) uint32 {
	for _, a := range props {
		if a.prop.name == name {
			return a.prop.id
		}
	}
	return 0
}

// PropertyID returns the id of the plane's property called name, 0 if none.
func (p *Plane) PropertyID(name string) uint32 { return propID(p.props, name) }

// PropertyID returns the id of the CRTC's property called name, 0 if none.
func (c *CRTC) PropertyID(name string) uint32 { return propID(c.props, name) }

// PropertyID returns the id of the connector's property called name.
func (c *Connector) PropertyID(name string) uint32 { return propID(c.props, name) }

// Property is DRM_IOCTL_MODE_GETPROPERTY: ENOENT for an id that is not a
// property.
func (d *Device) Property(id uint32) (*Property, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	o, _ := d.lookup(id, ObjectProperty)
	if o == nil {
		return nil, fmt.Errorf("get property %d: %w", id, syscall.ENOENT)
	}
	return o.(*Property), nil
}

// PropValue is one entry of DRM_IOCTL_MODE_OBJ_GETPROPERTIES.
type PropValue struct {
	Prop  *Property
	Value uint64
}

// ObjectProperties is DRM_IOCTL_MODE_OBJ_GETPROPERTIES: the object's
// properties with their current values, atomic-only ones only for files
// with the atomic capability. ENOENT when id is not an object of type t
// (ObjectAny matches any), EINVAL when the object has no properties.
func (f *File) ObjectProperties(id uint32, t ObjectType) ([]PropValue, error) {
	if err := f.lock(); err != nil {
		return nil, err
	}
	defer f.unlock()
	d := f.dev
	o, typ := d.lookup(id, t)
	if o == nil {
		return nil, fmt.Errorf("object properties of %d: %w", id, syscall.ENOENT)
	}
	var props []attached
	switch typ {
	case ObjectPlane:
		props = o.(*Plane).props
	case ObjectCRTC:
		props = o.(*CRTC).props
	case ObjectConnector:
		props = o.(*Connector).props
	default:
		return nil, fmt.Errorf("object properties of %s %d: it has none: %w", typ, id, syscall.EINVAL)
	}
	out := make([]PropValue, 0, len(props))
	for _, a := range props {
		if a.prop.Atomic() && !f.atomicCap {
			continue
		}
		out = append(out, PropValue{a.prop, d.propValueLocked(o, typ, a)})
	}
	return out, nil
}

func objID(v interface{ ID() uint32 }, isNil bool) uint64 {
	if isNil {
		return 0
	}
	return uint64(v.ID())
}

// propValueLocked is drm_atomic_get_property: state-backed properties read
// the software state, the rest their attached value.
func (d *Device) propValueLocked(o any, typ ObjectType, a attached) uint64 {
	s := &d.std
	switch typ {
	case ObjectPlane:
		p := o.(*Plane)
		ps := &d.sw.planes[p.index]
		switch a.prop {
		case s.fbID:
			return objID(ps.FB, ps.FB == nil)
		case s.inFenceFD:
			return ^uint64(0)
		case s.crtcID:
			return objID(ps.CRTC, ps.CRTC == nil)
		case s.crtcX:
			return uint64(int64(ps.CRTCX))
		case s.crtcY:
			return uint64(int64(ps.CRTCY))
		case s.crtcW:
			return uint64(ps.CRTCW)
		case s.crtcH:
			return uint64(ps.CRTCH)
		case s.srcX:
			return uint64(ps.SrcX)
		case s.srcY:
			return uint64(ps.SrcY)
		case s.srcW:
			return uint64(ps.SrcW)
		case s.srcH:
			return uint64(ps.SrcH)
		case p.rotation:
			return uint64(ps.Rotation)
		case p.zpos:
			return uint64(ps.Zpos)
		case p.alpha:
			return uint64(ps.Alpha)
		case p.blend:
			return uint64(ps.Blend)
		case p.encoding:
			return uint64(ps.ColorEncoding)
		case p.colorRange:
			return uint64(ps.ColorRange)
		case p.colorkey:
			return uint64(ps.Colorkey)
		case p.colorkeyAlpha:
			return uint64(ps.ColorkeyAlpha)
		}
	case ObjectCRTC:
		c := o.(*CRTC)
		cs := &d.sw.crtcs[c.index]
		switch a.prop {
		case s.active:
			if cs.Active {
				return 1
			}
			return 0
		case s.modeID:
			return objID(cs.ModeBlob, cs.ModeBlob == nil)
		case s.outFencePtr:
			return 0
		case s.vrrEnabled:
			if cs.VRR {
				return 1
			}
			return 0
		case s.gammaLUT:
			return objID(cs.GammaLUT, cs.GammaLUT == nil)
		}
	case ObjectConnector:
		c := o.(*Connector)
		cs := &d.sw.conns[c.index]
		switch a.prop {
		case s.connCRTC:
			return objID(cs.CRTC, cs.CRTC == nil)
		case s.dpms:
			if cs.CRTC != nil && d.sw.crtcs[cs.CRTC.index].Active {
				return 0
			}
			return 3
		case s.wbFBID, s.wbOutFencePtr:
			return 0
		}
	}
	return a.value
}

// Resources is DRM_IOCTL_MODE_GETRESOURCES.
type Resources struct {
	FBs, CRTCs, Connectors, Encoders []uint32
	MinWidth, MaxWidth               uint32
	MinHeight, MaxHeight             uint32
}

// Resources lists the objects this file sees: its own framebuffers, and
// the writeback connector only with DRM_CLIENT_CAP_WRITEBACK_CONNECTORS.
func (f *File) Resources() (Resources, error) {
	if err := f.lock(); err != nil {
		return Resources{}, err
	}
	defer f.unlock()
	d := f.dev
	r := Resources{MinWidth: MinWidth, MinHeight: MinHeight, MaxWidth: d.maxWidth, MaxHeight: d.maxHeight}
	for _, fb := range f.fbs {
		r.FBs = append(r.FBs, fb.id)
	}
	for _, c := range d.crtcs {
		r.CRTCs = append(r.CRTCs, c.id)
	}
	for _, c := range d.connectors {
		if c.IsWriteback() && !f.writebackCap {
			continue
		}
		r.Connectors = append(r.Connectors, c.id)
		r.Encoders = append(r.Encoders, c.encoder.id)
	}
	return r, nil
}

// PlaneIDs is DRM_IOCTL_MODE_GETPLANERESOURCES: every plane for a file with
// DRM_CLIENT_CAP_UNIVERSAL_PLANES, otherwise only the overlays.
func (f *File) PlaneIDs() ([]uint32, error) {
	if err := f.lock(); err != nil {
		return nil, err
	}
	defer f.unlock()
	var ids []uint32
	for _, p := range f.dev.planes {
		if f.universal || p.prof.Type == 0 {
			ids = append(ids, p.id)
		}
	}
	return ids, nil
}

// PlaneInfo is DRM_IOCTL_MODE_GETPLANE.
type PlaneInfo struct {
	ID, CRTCID, FBID uint32
	PossibleCRTCs    uint32
	Formats          []fourcc.Format
}

// PlaneInfo describes plane id; ENOENT when it is not a plane.
func (d *Device) PlaneInfo(id uint32) (PlaneInfo, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	o, _ := d.lookup(id, ObjectPlane)
	if o == nil {
		return PlaneInfo{}, fmt.Errorf("get plane %d: %w", id, syscall.ENOENT)
	}
	p := o.(*Plane)
	ps := &d.sw.planes[p.index]
	in := PlaneInfo{ID: p.id, PossibleCRTCs: p.prof.PossibleCRTCs}
	in.CRTCID = uint32(objID(ps.CRTC, ps.CRTC == nil))
	in.FBID = uint32(objID(ps.FB, ps.FB == nil))
	for _, fm := range p.prof.Formats {
		in.Formats = append(in.Formats, fm.Format)
	}
	return in, nil
}

// CRTCInfo is DRM_IOCTL_MODE_GETCRTC.
type CRTCInfo struct {
	ID, FBID  uint32
	X, Y      uint32
	Mode      modeinfo.Mode
	ModeValid bool
	GammaSize uint32
}

// CRTCInfo describes CRTC id; ENOENT when it is not a CRTC.
func (d *Device) CRTCInfo(id uint32) (CRTCInfo, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	o, _ := d.lookup(id, ObjectCRTC)
	if o == nil {
		return CRTCInfo{}, fmt.Errorf("get CRTC %d: %w", id, syscall.ENOENT)
	}
	c := o.(*CRTC)
	cs := &d.sw.crtcs[c.index]
	in := CRTCInfo{ID: c.id, Mode: cs.Mode, ModeValid: cs.Enable, GammaSize: d.prof.CRTCs.GammaLUTSize}
	if c.primary != nil {
		ps := &d.sw.planes[c.primary.index]
		if ps.CRTC == c && ps.FB != nil {
			in.FBID = ps.FB.id
			in.X, in.Y = ps.SrcX>>16, ps.SrcY>>16
		}
	}
	return in, nil
}

// ConnectorInfo is DRM_IOCTL_MODE_GETCONNECTOR.
type ConnectorInfo struct {
	ID, Type, TypeID uint32
	Name             string
	Connection       uint32
	EncoderID        uint32 // the encoder in use, 0 when unrouted
	Encoders         []uint32
	Modes            []modeinfo.Mode
	// Width and height in mm; a virtual output has none.
	MMWidth, MMHeight uint32
}

// ConnectorInfo describes connector id; ENOENT when it is not a connector.
func (d *Device) ConnectorInfo(id uint32) (ConnectorInfo, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	o, _ := d.lookup(id, ObjectConnector)
	if o == nil {
		return ConnectorInfo{}, fmt.Errorf("get connector %d: %w", id, syscall.ENOENT)
	}
	c := o.(*Connector)
	in := ConnectorInfo{ID: c.id, Type: c.typ, TypeID: c.typeID, Name: c.name, Connection: ConnectionConnected,
		Encoders: []uint32{c.encoder.id}, Modes: append([]modeinfo.Mode(nil), c.modes...)}
	if c.IsWriteback() {
		in.Connection = ConnectionUnknown
	}
	if d.sw.conns[c.index].CRTC != nil {
		in.EncoderID = c.encoder.id
	}
	return in, nil
}

// EncoderInfo is DRM_IOCTL_MODE_GETENCODER.
type EncoderInfo struct {
	ID, Type, CRTCID uint32
	PossibleCRTCs    uint32
}

// EncoderInfo describes encoder id; ENOENT when it is not an encoder.
func (d *Device) EncoderInfo(id uint32) (EncoderInfo, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	o, _ := d.lookup(id, ObjectEncoder)
	if o == nil {
		return EncoderInfo{}, fmt.Errorf("get encoder %d: %w", id, syscall.ENOENT)
	}
	e := o.(*Encoder)
	in := EncoderInfo{ID: e.id, Type: e.typ, PossibleCRTCs: e.possibleCRTCs}
	for i, c := range d.connectors {
		if c.encoder == e && d.sw.conns[i].CRTC != nil {
			in.CRTCID = d.sw.conns[i].CRTC.id
		}
	}
	return in, nil
}

// PlaneState returns the plane's committed (software) state.
func (d *Device) PlaneState(p *Plane) PlaneState {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.sw.planes[p.index]
}

// ScanoutPlaneState returns the plane's state as currently scanned out.
func (d *Device) ScanoutPlaneState(p *Plane) PlaneState {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.hw.planes[p.index]
}

// CRTCState returns the CRTC's committed (software) state.
func (d *Device) CRTCState(c *CRTC) CRTCState {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.sw.crtcs[c.index]
}

// ScanoutCRTCState returns the CRTC's state as currently scanned out.
func (d *Device) ScanoutCRTCState(c *CRTC) CRTCState {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.hw.crtcs[c.index]
}
