package device

import (
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"syscall"

	"github.com/headwaywl/headway/kms/crc"
	"github.com/headwaywl/headway/kms/modeinfo"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/kms/vblank"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/syncobj/fence"
)

// Config builds a Device.
type Config struct {
	// Profile is the hardware to emulate; required.
	Profile *profile.Profile
	// Clock drives every CRTC's vblanks; required. All CRTCs share it.
	Clock vblank.Clock
	// Composer produces CRCs and writeback output; nil means frames are
	// not composed: CRC entries are not produced and writeback jobs
	// complete with EIO on their fence.
	Composer Composer
	// Logger receives the device's diagnostics; nil means slog.Default().
	Logger *slog.Logger
}

// Device is a fake KMS device. Its methods are safe for concurrent use.
type Device struct {
	prof     *profile.Profile
	clock    vblank.Clock
	composer Composer
	log      *slog.Logger
	sub      *vblank.Subscription

	mu     sync.Mutex
	objs   []objEntry // indexed by object id; nil holes are free ids
	nfree  int        // lowest id that may be free
	closed bool

	planes     []*Plane
	crtcs      []*CRTC
	encoders   []*Encoder
	connectors []*Connector
	writeback  *Connector

	maxWidth, maxHeight uint32

	sw deviceState // the latest committed state
	hw deviceState // the state being scanned out

	queue []*commit // commits not yet flipped, in commit order

	// Scratch of the vblank handler, which never runs concurrently.
	vbWork    []flipWork
	vbJobs    []wbJob
	vbFrames  []*Frame
	statePool sync.Pool

	std stdProps
}

type objEntry struct {
	typ ObjectType
	obj any
}

// stdProps are the properties the kernel creates once per device
// (drm_mode_create_standard_properties and friends).
type stdProps struct {
	planeType, fbID, inFenceFD, crtcID           *Property
	crtcX, crtcY, crtcW, crtcH                   *Property
	srcX, srcY, srcW, srcH                       *Property
	inFormats                                    *Property
	active, modeID, outFencePtr, vrrEnabled      *Property
	gammaLUT, gammaLUTSize                       *Property
	dpms, linkStatus, nonDesktop, tile, connCRTC *Property
	wbPixelFormats, wbFBID, wbOutFencePtr        *Property
}

// New builds a device from cfg. Objects get ids in a fixed order
// (standard properties, then per plane its properties and IN_FORMATS blob,
// then CRTCs, encoders, connectors and the writeback connector), so the
// same profile always yields the same ids. Every CRTC starts off and every
// plane disabled, as after a driver's reset.
func New(cfg Config) (*Device, error) {
	if cfg.Profile == nil {
		return nil, fmt.Errorf("kms device: no profile: %w", syscall.EINVAL)
	}
	if cfg.Clock == nil {
		return nil, fmt.Errorf("kms device: no vblank clock: %w", syscall.EINVAL)
	}
	d := &Device{prof: cfg.Profile, clock: cfg.Clock, composer: cfg.Composer, log: cfg.Logger}
	if d.log == nil {
		d.log = slog.Default()
	}
	d.objs = make([]objEntry, 1, 64) // id 0 is never used
	d.nfree = 1
	if err := d.build(); err != nil {
		return nil, err
	}
	d.sub = d.clock.Subscribe(d.onVblank)
	return d, nil
}

// Close detaches the device from its clock. Pending commits never flip.
func (d *Device) Close() {
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	d.sub.Cancel()
}

// Profile returns the device's profile.
func (d *Device) Profile() *profile.Profile { return d.prof }

// Clock returns the device's vblank clock.
func (d *Device) Clock() vblank.Clock { return d.clock }

// addObject gives obj the lowest free id, as idr_alloc does.
func (d *Device) addObject(t ObjectType, obj any) uint32 {
	for i := d.nfree; i < len(d.objs); i++ {
		if d.objs[i].obj == nil {
			d.objs[i] = objEntry{t, obj}
			d.nfree = i + 1
			return uint32(i)
		}
	}
	d.objs = append(d.objs, objEntry{t, obj})
	d.nfree = len(d.objs)
	return uint32(len(d.objs) - 1)
}

func (d *Device) removeObject(id uint32) {
	d.objs[id] = objEntry{}
	if int(id) < d.nfree {
		d.nfree = int(id)
	}
}

// lookup is __drm_mode_object_find: the object with id, if its type
// matches t (or t is ObjectAny).
func (d *Device) lookup(id uint32, t ObjectType) (any, ObjectType) {
	if id == 0 || int64(id) >= int64(len(d.objs)) {
		return nil, 0
	}
	e := d.objs[id]
	if e.obj == nil || (t != ObjectAny && e.typ != t) {
		return nil, 0
	}
	return e.obj, e.typ
}

func (d *Device) exists(id uint32, t ObjectType) bool {
	o, _ := d.lookup(id, t)
	return o != nil
}

func (d *Device) addProp(p *Property) *Property {
	p.id = d.addObject(ObjectProperty, p)
	return p
}

func (d *Device) newBlob(data []byte, owner *File) *Blob {
	b := &Blob{data: data, owner: owner}
	b.id = d.addObject(ObjectBlob, b)
	return b
}

var (
	dpmsEnums       = []EnumValue{{0, "On"}, {1, "Standby"}, {2, "Suspend"}, {3, "Off"}}
	linkStatusEnums = []EnumValue{{0, "Good"}, {1, "Bad"}}
	planeTypeEnums  = []EnumValue{{uint64(profile.Overlay), "Overlay"}, {uint64(profile.Primary), "Primary"}, {uint64(profile.Cursor), "Cursor"}}
)

func (d *Device) build() error {
	s := &d.std
	// The standard properties, in the order drm_mode_create_standard_properties
	// creates them.
	s.planeType = d.addProp(newEnum("type", PropImmutable, planeTypeEnums))
	s.srcX = d.addProp(newRange("SRC_X", PropAtomic, 0, 0xffffffff))
	s.srcY = d.addProp(newRange("SRC_Y", PropAtomic, 0, 0xffffffff))
	s.srcW = d.addProp(newRange("SRC_W", PropAtomic, 0, 0xffffffff))
	s.srcH = d.addProp(newRange("SRC_H", PropAtomic, 0, 0xffffffff))
	s.crtcX = d.addProp(newSignedRange("CRTC_X", PropAtomic, -1<<31, 1<<31-1))
	s.crtcY = d.addProp(newSignedRange("CRTC_Y", PropAtomic, -1<<31, 1<<31-1))
	s.crtcW = d.addProp(newRange("CRTC_W", PropAtomic, 0, 1<<31-1))
	s.crtcH = d.addProp(newRange("CRTC_H", PropAtomic, 0, 1<<31-1))
	s.fbID = d.addProp(newObjectProp("FB_ID", PropAtomic, ObjectFB))
	s.inFenceFD = d.addProp(newSignedRange("IN_FENCE_FD", PropAtomic, -1, 1<<31-1))
	s.crtcID = d.addProp(newObjectProp("CRTC_ID", PropAtomic, ObjectCRTC))
	s.active = d.addProp(newBool("ACTIVE", PropAtomic))
	s.modeID = d.addProp(newBlobProp("MODE_ID", PropAtomic))
	s.outFencePtr = d.addProp(newRange("OUT_FENCE_PTR", PropAtomic, 0, ^uint64(0)))
	s.vrrEnabled = d.addProp(newBool("VRR_ENABLED", 0))
	s.inFormats = d.addProp(newBlobProp("IN_FORMATS", PropImmutable))
	s.dpms = d.addProp(newEnum("DPMS", 0, dpmsEnums))
	s.linkStatus = d.addProp(newEnum("link-status", 0, linkStatusEnums))
	s.nonDesktop = d.addProp(newBool("non-desktop", PropImmutable))
	s.tile = d.addProp(newBlobProp("TILE", PropImmutable))
	s.connCRTC = s.crtcID
	if d.prof.CRTCs.GammaLUTSize > 0 {
		s.gammaLUT = d.addProp(newBlobProp("GAMMA_LUT", 0))
		s.gammaLUTSize = d.addProp(newRange("GAMMA_LUT_SIZE", PropImmutable, 0, 0xffffffff))
	}
	if d.prof.Writeback.Present {
		s.wbPixelFormats = d.addProp(newBlobProp("WRITEBACK_PIXEL_FORMATS", PropImmutable))
		s.wbFBID = d.addProp(newObjectProp("WRITEBACK_FB_ID", PropAtomic, ObjectFB))
		s.wbOutFencePtr = d.addProp(newRange("WRITEBACK_OUT_FENCE_PTR", PropAtomic, 0, ^uint64(0)))
	}

	for i := range d.prof.Planes {
		if err := d.buildPlane(i); err != nil {
			return err
		}
	}
	ctxs, err := fence.AllocContexts(d.prof.CRTCs.Count)
	if err != nil {
		return fmt.Errorf("kms device: fence contexts: %w", err)
	}
	for i := 0; i < d.prof.CRTCs.Count; i++ {
		c := &CRTC{index: i, name: "crtc-" + strconv.Itoa(i), fenceCtx: ctxs[i]}
		c.id = d.addObject(ObjectCRTC, c)
		c.props = []attached{{s.active, 0}, {s.modeID, 0}, {s.outFencePtr, 0}, {s.vrrEnabled, 0}}
		if s.gammaLUT != nil {
			c.props = append(c.props, attached{s.gammaLUT, 0}, attached{s.gammaLUTSize, uint64(d.prof.CRTCs.GammaLUTSize)})
		}
		for _, p := range d.planes {
			if p.prof.PossibleCRTCs&(1<<i) == 0 {
				continue
			}
			if p.prof.Type == profile.Primary && c.primary == nil {
				c.primary = p
			}
			if p.prof.Type == profile.Cursor && c.cursor == nil {
				c.cursor = p
			}
		}
		d.crtcs = append(d.crtcs, c)
		crtc := c
		c.crc, err = crc.New(crc.Config{
			Active:      func() bool { return d.crtcActive(crtc) },
			VerifyPlane: func(id uint32) error { return d.verifyCRCPlane(crtc, id) },
			Logger:      d.log,
		})
		if err != nil {
			return fmt.Errorf("kms device: CRC files of %s: %w", c.name, err)
		}
	}
	allCRTCs := uint32(1)<<d.prof.CRTCs.Count - 1
	for i, pc := range d.prof.Connectors {
		e := &Encoder{index: len(d.encoders), typ: EncoderTypeVirtual, possibleCRTCs: allCRTCs}
		e.id = d.addObject(ObjectEncoder, e)
		d.encoders = append(d.encoders, e)
		c := &Connector{index: len(d.connectors), typ: ConnectorTypeVirtual, typeID: uint32(i + 1), name: pc.Name, encoder: e}
		for _, pm := range pc.Modes {
			m, err := modeinfo.FromProfile(pm)
			if err != nil {
				return fmt.Errorf("kms device: connector %s mode %dx%d@%d: %w", pc.Name, pm.HDisplay, pm.VDisplay, pm.Refresh, err)
			}
			c.modes = append(c.modes, m)
		}
		c.id = d.addObject(ObjectConnector, c)
		c.props = []attached{{s.dpms, 0}, {s.linkStatus, 0}, {s.nonDesktop, 0}, {s.tile, 0}, {s.connCRTC, 0}}
		d.connectors = append(d.connectors, c)
	}
	if d.prof.Writeback.Present {
		e := &Encoder{index: len(d.encoders), typ: EncoderTypeVirtual, possibleCRTCs: allCRTCs}
		e.id = d.addObject(ObjectEncoder, e)
		d.encoders = append(d.encoders, e)
		wbCtx, err := fence.AllocContexts(1)
		if err != nil {
			return fmt.Errorf("kms device: writeback fence context: %w", err)
		}
		c := &Connector{index: len(d.connectors), typ: ConnectorTypeWriteback, typeID: 1, name: "Writeback-1", encoder: e, wbFenceCtx: wbCtx[0]}
		c.wbFormats = append([]fourcc.Format(nil), d.prof.Writeback.Formats...)
		data := make([]byte, 0, 4*len(c.wbFormats))
		for _, f := range c.wbFormats {
			data = appendU32(data, uint32(f))
		}
		c.wbBlob = d.newBlob(data, nil)
		c.id = d.addObject(ObjectConnector, c)
		c.props = []attached{{s.dpms, 0}, {s.linkStatus, 0}, {s.nonDesktop, 0}, {s.tile, 0}, {s.connCRTC, 0},
			{s.wbPixelFormats, uint64(c.wbBlob.id)}, {s.wbFBID, 0}, {s.wbOutFencePtr, 0}}
		d.connectors = append(d.connectors, c)
		d.writeback = c
	}
	for _, p := range d.prof.Planes {
		if p.MaxFB.Width > d.maxWidth {
			d.maxWidth = p.MaxFB.Width
		}
		if p.MaxFB.Height > d.maxHeight {
			d.maxHeight = p.MaxFB.Height
		}
	}
	if d.maxWidth == 0 || d.maxHeight == 0 {
		d.maxWidth, d.maxHeight = 8192, 8192
	}

	d.sw = newDeviceState(len(d.planes), len(d.crtcs), len(d.connectors))
	d.hw = newDeviceState(len(d.planes), len(d.crtcs), len(d.connectors))
	for i, p := range d.planes {
		d.sw.planes[i] = defaultPlaneState(p)
	}
	d.hw.copyFrom(&d.sw)
	np, nc, nn := len(d.planes), len(d.crtcs), len(d.connectors)
	d.statePool.New = func() any { return newAtomicState(np, nc, nn) }
	return nil
}

func defaultPlaneState(p *Plane) PlaneState {
	return PlaneState{
		Zpos:          p.prof.Zpos.Value,
		Alpha:         0xffff,
		Blend:         profile.BlendPremulti,
		Rotation:      profile.Rotate0,
		ColorEncoding: p.prof.Color.DefaultEncoding,
		ColorRange:    p.prof.Color.DefaultRange,
	}
}

func rotationName(bit uint64) string { return profile.Rotation(1 << bit).PropertyName() }

func (d *Device) buildPlane(i int) error {
	pp := &d.prof.Planes[i]
	p := &Plane{index: i, prof: pp}
	s := &d.std
	// drm_universal_plane_init attaches the standard properties...
	p.inFormats = d.newBlob(append([]byte(nil), pp.InFormats()...), nil)
	p.id = d.addObject(ObjectPlane, p)
	p.props = []attached{
		{s.planeType, uint64(pp.Type)},
		{s.fbID, 0}, {s.inFenceFD, 0}, {s.crtcID, 0},
		{s.crtcX, 0}, {s.crtcY, 0}, {s.crtcW, 0}, {s.crtcH, 0},
		{s.srcX, 0}, {s.srcY, 0}, {s.srcW, 0}, {s.srcH, 0},
		{s.inFormats, uint64(p.inFormats.id)},
	}
	// ...and the driver adds its own, each a property object of the plane.
	if pp.Rotations != 0 {
		p.rotation = d.addProp(newBitmask("rotation", 0, uint64(pp.Rotations), rotationName))
		p.props = append(p.props, attached{p.rotation, uint64(profile.Rotate0)})
	}
	if pp.Zpos.Present {
		if pp.Zpos.Immutable {
			p.zpos = d.addProp(newRange("zpos", PropImmutable, uint64(pp.Zpos.Value), uint64(pp.Zpos.Value)))
		} else {
			p.zpos = d.addProp(newRange("zpos", 0, uint64(pp.Zpos.Min), uint64(pp.Zpos.Max)))
		}
		p.props = append(p.props, attached{p.zpos, uint64(pp.Zpos.Value)})
	}
	if pp.Alpha {
		p.alpha = d.addProp(newRange("alpha", 0, 0, 0xffff))
		p.props = append(p.props, attached{p.alpha, 0xffff})
	}
	if pp.Blend != 0 {
		var enums []EnumValue
		for _, m := range []profile.BlendMode{profile.BlendPremulti, profile.BlendCoverage, profile.BlendNone} {
			if pp.Blend.Has(m) {
				enums = append(enums, EnumValue{uint64(m), m.String()})
			}
		}
		p.blend = d.addProp(newEnum("pixel blend mode", 0, enums))
		p.props = append(p.props, attached{p.blend, uint64(profile.BlendPremulti)})
	}
	if pp.Color.Encodings != 0 {
		var enc, rng []EnumValue
		for e := profile.BT601; e <= profile.BT2020; e++ {
			if pp.Color.Encodings&(1<<e) != 0 {
				enc = append(enc, EnumValue{uint64(e), e.String()})
			}
		}
		for r := profile.RangeLimited; r <= profile.RangeFull; r++ {
			if pp.Color.Ranges&(1<<r) != 0 {
				rng = append(rng, EnumValue{uint64(r), r.String()})
			}
		}
		p.encoding = d.addProp(newEnum("COLOR_ENCODING", 0, enc))
		p.colorRange = d.addProp(newEnum("COLOR_RANGE", 0, rng))
		p.props = append(p.props, attached{p.encoding, uint64(pp.Color.DefaultEncoding)}, attached{p.colorRange, uint64(pp.Color.DefaultRange)})
	}
	if pp.Colorkey == profile.ColorkeyRcar || pp.Colorkey == profile.ColorkeyRcarGen3 {
		p.colorkey = d.addProp(newRange("colorkey", 0, 0, 0x01ffffff))
		p.props = append(p.props, attached{p.colorkey, 0})
	}
	if pp.Colorkey == profile.ColorkeyRcarGen3 {
		// Our extension from the unmerged Gen3 colorkey alpha patch; the
		// default 0 keeps plain rcar-du behaviour (keyed pixels vanish).
		p.colorkeyAlpha = d.addProp(newRange("colorkey_alpha", 0, 0, 255))
		p.props = append(p.props, attached{p.colorkeyAlpha, 0})
	}
	d.planes = append(d.planes, p)
	return nil
}

func appendU32(b []byte, v uint32) []byte {
	return append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
}

func (d *Device) crtcActive(c *CRTC) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.sw.crtcs[c.index].Active
}

func (d *Device) verifyCRCPlane(c *CRTC, id uint32) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	o, _ := d.lookup(id, ObjectPlane)
	if o == nil {
		return fmt.Errorf("CRC source plane%d: no such plane: %w", id, syscall.EINVAL)
	}
	if o.(*Plane).prof.PossibleCRTCs&(1<<c.index) == 0 {
		return fmt.Errorf("CRC source plane%d: the plane cannot be on %s: %w", id, c.name, syscall.EINVAL)
	}
	return nil
}
