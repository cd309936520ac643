package device

import (
	"context"
	"fmt"
	"math/bits"
	"syscall"

	"github.com/headwaywl/headway/kms/modeinfo"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/syncobj/fence"
	"github.com/headwaywl/headway/syncobj/syncfile"
)

// atomicState is a drm_atomic_state: the new states of the objects a
// request touches, indexed like the device's objects, with masks saying
// which entries are in use. It is pooled: a TEST_ONLY commit allocates
// nothing once the pool is warm.
type atomicState struct {
	d     *Device
	file  *File
	flags uint32

	planeMask, crtcMask, connMask uint64
	planes                        []PlaneState
	crtcs                         []CRTCState
	conns                         []ConnectorState
	outFencePtr                   []uint64 // per CRTC, 0 for none
	wbFencePtr                    []uint64 // per connector
	// wbJobs is the connector mask of writeback jobs: a job exists when
	// the request sets WRITEBACK_FB_ID, even to 0 (drm_writeback_set_fb
	// allocates it), and only then does WRITEBACK_OUT_FENCE_PTR get a
	// fence.
	wbJobs uint64

	// Set by prepareSignaling for real commits.
	events    uint64 // CRTC mask of page-flip events for the file
	outFences []outFence
	userData  uint64
}

type outFence struct {
	ptr   uint64
	fd    int32
	fence *fence.Fence
	crtc  int // -1 for a writeback fence
	conn  int
}

func newAtomicState(planes, crtcs, conns int) *atomicState {
	return &atomicState{
		planes:      make([]PlaneState, planes),
		crtcs:       make([]CRTCState, crtcs),
		conns:       make([]ConnectorState, conns),
		outFencePtr: make([]uint64, crtcs),
		wbFencePtr:  make([]uint64, conns),
	}
}

func (s *atomicState) reset() {
	s.planeMask, s.crtcMask, s.connMask, s.events, s.wbJobs = 0, 0, 0, 0, 0
	clear(s.outFencePtr)
	clear(s.wbFencePtr)
	s.outFences = s.outFences[:0]
	s.file = nil
}

// plane adds plane i to the state (drm_atomic_get_plane_state), which also
// adds the CRTC it is on. The new state starts without an in-fence: a
// fence belongs to one commit.
func (s *atomicState) plane(i int) *PlaneState {
	if s.planeMask&(1<<i) == 0 {
		s.planeMask |= 1 << i
		s.planes[i] = s.d.sw.planes[i]
		s.planes[i].InFence = nil
		if c := s.planes[i].CRTC; c != nil {
			s.crtc(c.index)
		}
	}
	return &s.planes[i]
}

func (s *atomicState) crtc(i int) *CRTCState {
	if s.crtcMask&(1<<i) == 0 {
		s.crtcMask |= 1 << i
		s.crtcs[i] = s.d.sw.crtcs[i]
		s.crtcs[i].modeChanged, s.crtcs[i].activeChanged, s.crtcs[i].connectorsChanged = false, false, false
	}
	return &s.crtcs[i]
}

// conn adds connector i; a writeback job belongs to one commit, so the new
// state starts without a writeback framebuffer.
func (s *atomicState) conn(i int) *ConnectorState {
	if s.connMask&(1<<i) == 0 {
		s.connMask |= 1 << i
		s.conns[i] = s.d.sw.conns[i]
		s.conns[i].WritebackFB = nil
		if c := s.conns[i].CRTC; c != nil {
			s.crtc(c.index)
		}
	}
	return &s.conns[i]
}

// planeView returns the plane's state as this commit would leave it.
func (s *atomicState) planeView(i int) *PlaneState {
	if s.planeMask&(1<<i) != 0 {
		return &s.planes[i]
	}
	return &s.d.sw.planes[i]
}

func (s *atomicState) connView(i int) *ConnectorState {
	if s.connMask&(1<<i) != 0 {
		return &s.conns[i]
	}
	return &s.d.sw.conns[i]
}

// target is an object that has properties.
type target struct {
	typ   ObjectType
	index int
	props []attached
}

// begin starts an atomic ioctl: the checks drm_mode_atomic_ioctl makes
// before it reads any object. The device lock is held from here to finish.
func (d *Device) begin(f *File, flags uint32, reserved, userData uint64) (*atomicState, error) {
	st := d.statePool.Get().(*atomicState)
	st.reset()
	st.d, st.file, st.flags, st.userData = d, f, flags, userData
	switch {
	case !f.atomicCap:
		return st, fmt.Errorf("atomic commit: the file has not enabled DRM_CLIENT_CAP_ATOMIC: %w", syscall.EINVAL)
	case flags&^AtomicFlags != 0:
		return st, fmt.Errorf("atomic commit: unknown flags %#x: %w", flags&^AtomicFlags, syscall.EINVAL)
	case reserved != 0:
		return st, fmt.Errorf("atomic commit: reserved field is %d: %w", reserved, syscall.EINVAL)
	case flags&PageFlipAsync != 0:
		return st, fmt.Errorf("atomic commit: async page flips are not supported: %w", syscall.EINVAL)
	case flags&AtomicTestOnly != 0 && flags&PageFlipEvent != 0:
		return st, fmt.Errorf("atomic commit: TEST_ONLY cannot ask for a page-flip event: %w", syscall.EINVAL)
	}
	return st, nil
}

// object resolves an object id of the request: ENOENT unless it names an
// object that has properties (CRTC, connector or plane).
func (s *atomicState) object(id uint32) (target, error) {
	o, t := s.d.lookup(id, ObjectAny)
	switch t {
	case ObjectPlane:
		p := o.(*Plane)
		return target{ObjectPlane, p.index, p.props}, nil
	case ObjectCRTC:
		c := o.(*CRTC)
		return target{ObjectCRTC, c.index, c.props}, nil
	case ObjectConnector:
		c := o.(*Connector)
		if c.IsWriteback() && !s.file.writebackCap {
			break
		}
		return target{ObjectConnector, c.index, c.props}, nil
	}
	return target{}, fmt.Errorf("atomic commit: object %d is not a CRTC, plane or connector: %w", id, syscall.ENOENT)
}

// findProp is drm_mode_obj_find_prop_id: ENOENT unless the property is
// attached to the object.
func (s *atomicState) findProp(t target, id uint32) (*Property, error) {
	for _, a := range t.props {
		if a.prop.id == id {
			return a.prop, nil
		}
	}
	return nil, fmt.Errorf("atomic commit: %s has no property %d: %w", t.typ, id, syscall.ENOENT)
}

func (s *atomicState) lookupExists(id uint32, t ObjectType) bool { return s.d.exists(id, t) }

// set is drm_atomic_set_property.
func (s *atomicState) set(t target, propID uint32, v uint64) error {
	p, err := s.findProp(t, propID)
	if err != nil {
		return err
	}
	if !p.validValue(v, s.lookupExists) {
		return fmt.Errorf("atomic commit: %s property %q cannot take %d: %w", t.typ, p.name, v, syscall.EINVAL)
	}
	switch t.typ {
	case ObjectPlane:
		return s.setPlane(t.index, p, v)
	case ObjectCRTC:
		return s.setCRTC(t.index, p, v)
	default:
		return s.setConnector(t.index, p, v)
	}
}

func (s *atomicState) setPlane(i int, p *Property, v uint64) error {
	d, std := s.d, &s.d.std
	ps := s.plane(i)
	pl := d.planes[i]
	switch p {
	case std.fbID:
		ps.FB = nil
		if v != 0 {
			o, _ := d.lookup(uint32(v), ObjectFB)
			ps.FB = o.(*Framebuffer)
		}
	case std.inFenceFD:
		if ps.InFence != nil {
			return fmt.Errorf("atomic commit: plane %d: IN_FENCE_FD set twice: %w", pl.id, syscall.EINVAL)
		}
		fd := int32(v)
		if fd == -1 {
			return nil
		}
		sf := s.file.fds[fd]
		if sf == nil {
			return fmt.Errorf("atomic commit: plane %d: IN_FENCE_FD %d is not a sync_file: %w", pl.id, fd, syscall.EINVAL)
		}
		ps.InFence = sf.Fence()
	case std.crtcID:
		var c *CRTC
		if v != 0 {
			o, _ := d.lookup(uint32(v), ObjectCRTC)
			c = o.(*CRTC)
			s.crtc(c.index)
		}
		ps.CRTC = c
	case std.crtcX:
		ps.CRTCX = int32(v)
	case std.crtcY:
		ps.CRTCY = int32(v)
	case std.crtcW:
		ps.CRTCW = uint32(v)
	case std.crtcH:
		ps.CRTCH = uint32(v)
	case std.srcX:
		ps.SrcX = uint32(v)
	case std.srcY:
		ps.SrcY = uint32(v)
	case std.srcW:
		ps.SrcW = uint32(v)
	case std.srcH:
		ps.SrcH = uint32(v)
	case pl.rotation:
		if bits.OnesCount64(v&uint64(profile.RotateMask)) != 1 {
			return fmt.Errorf("atomic commit: plane %d: rotation %#x needs exactly one rotation bit: %w", pl.id, v, syscall.EINVAL)
		}
		ps.Rotation = profile.Rotation(v)
	case pl.zpos:
		ps.Zpos = uint32(v)
	case pl.alpha:
		ps.Alpha = uint16(v)
	case pl.blend:
		ps.Blend = profile.BlendMode(v)
	case pl.encoding:
		ps.ColorEncoding = profile.ColorEncoding(v)
	case pl.colorRange:
		ps.ColorRange = profile.ColorRange(v)
	case pl.colorkey:
		ps.Colorkey = uint32(v)
	case pl.colorkeyAlpha:
		ps.ColorkeyAlpha = uint8(v)
	default:
		return fmt.Errorf("atomic commit: plane %d: property %q is not settable: %w", pl.id, p.name, syscall.EINVAL)
	}
	return nil
}

func (s *atomicState) setCRTC(i int, p *Property, v uint64) error {
	d, std := s.d, &s.d.std
	cs := s.crtc(i)
	c := d.crtcs[i]
	switch p {
	case std.active:
		cs.Active = v == 1
	case std.modeID:
		var b *Blob
		if v != 0 {
			o, _ := d.lookup(uint32(v), ObjectBlob)
			b = o.(*Blob)
		}
		if b == cs.ModeBlob {
			return nil
		}
		cs.ModeBlob, cs.Mode, cs.Enable = nil, modeinfo.Mode{}, false
		if b == nil {
			return nil
		}
		if len(b.data) != modeinfo.Size {
			return fmt.Errorf("atomic commit: CRTC %d: MODE_ID blob %d has %d bytes, not %d: %w", c.id, b.id, len(b.data), modeinfo.Size, syscall.EINVAL)
		}
		m, err := modeinfo.Decode(b.data)
		if err == nil {
			err = m.Validate()
		}
		if err != nil {
			// The atomic path reports every bad mode as EINVAL, whatever
			// the conversion said.
			return fmt.Errorf("atomic commit: CRTC %d: MODE_ID blob %d: %w: %w", c.id, b.id, err, syscall.EINVAL)
		}
		cs.ModeBlob, cs.Mode, cs.Enable = b, m, true
	case std.outFencePtr:
		if v == 0 {
			return nil
		}
		if err := s.file.mem.PutS32(v, -1); err != nil {
			return fmt.Errorf("atomic commit: CRTC %d: OUT_FENCE_PTR %#x is not writable: %w", c.id, v, syscall.EFAULT)
		}
		s.outFencePtr[i] = v
	case std.vrrEnabled:
		cs.VRR = v == 1
	case std.gammaLUT:
		var b *Blob
		if v != 0 {
			o, _ := d.lookup(uint32(v), ObjectBlob)
			b = o.(*Blob)
			if len(b.data)%ColorLUTSize != 0 {
				return fmt.Errorf("atomic commit: CRTC %d: GAMMA_LUT blob of %d bytes is not whole drm_color_lut entries: %w", c.id, len(b.data), syscall.EINVAL)
			}
		}
		cs.GammaLUT = b
	default:
		return fmt.Errorf("atomic commit: CRTC %d: property %q is not settable: %w", c.id, p.name, syscall.EINVAL)
	}
	return nil
}

func (s *atomicState) setConnector(i int, p *Property, v uint64) error {
	d, std := s.d, &s.d.std
	cs := s.conn(i)
	c := d.connectors[i]
	switch p {
	case std.connCRTC:
		var crtc *CRTC
		if v != 0 {
			o, _ := d.lookup(uint32(v), ObjectCRTC)
			crtc = o.(*CRTC)
			s.crtc(crtc.index)
		}
		cs.CRTC = crtc
	case std.linkStatus:
		// Userspace may only reset the status to Good, which is all a
		// virtual link ever is.
	case std.dpms:
		return fmt.Errorf("atomic commit: connector %d: DPMS cannot be set atomically (use ACTIVE): %w", c.id, syscall.EINVAL)
	case std.wbFBID:
		s.wbJobs |= 1 << i
		cs.WritebackFB = nil
		if v != 0 {
			o, _ := d.lookup(uint32(v), ObjectFB)
			cs.WritebackFB = o.(*Framebuffer)
		}
	case std.wbOutFencePtr:
		if v == 0 {
			return nil
		}
		if err := s.file.mem.PutS32(v, -1); err != nil {
			return fmt.Errorf("atomic commit: connector %d: WRITEBACK_OUT_FENCE_PTR %#x is not writable: %w", c.id, v, syscall.EFAULT)
		}
		s.wbFencePtr[i] = v
	default:
		return fmt.Errorf("atomic commit: connector %d: property %q is not settable: %w", c.id, p.name, syscall.EINVAL)
	}
	return nil
}

// outFenceOps names out-fences as drm_crtc_fence_ops and
// drm_writeback_fence_ops do: the driver, then the CRTC's or the writeback
// connector's timeline.
type outFenceOps struct {
	driver, timeline string
}

func (o *outFenceOps) DriverName() string                 { return o.driver }
func (o *outFenceOps) TimelineName(f *fence.Fence) string { return o.timeline }

func (d *Device) newOutFence(c *CRTC) *fence.Fence {
	c.fenceSeqno++
	return fence.New(&outFenceOps{driver: "headway-" + d.prof.Name, timeline: fmt.Sprintf("CRTC:%d-%s", c.id, c.name)}, c.fenceCtx, c.fenceSeqno)
}

// newWritebackFence is drm_writeback_get_out_fence: the writeback
// connector's own context and seqno, and the timeline "CONNECTOR:<id>-<name>".
func (d *Device) newWritebackFence(c *Connector) *fence.Fence {
	c.wbFenceSeqno++
	return fence.New(&outFenceOps{driver: "headway-" + d.prof.Name, timeline: fmt.Sprintf("CONNECTOR:%d-%s", c.id, c.name)}, c.wbFenceCtx, c.wbFenceSeqno)
}

// prepareSignaling is the kernel's prepare_signaling: events and out-fences
// for a real commit, created before the check so that failures undo them.
func (s *atomicState) prepareSignaling() error {
	if s.flags&AtomicTestOnly != 0 {
		return nil
	}
	f := s.file
	for m := s.crtcMask; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		if s.flags&PageFlipEvent != 0 {
			if f.eventSpace < EventVblankSize {
				return fmt.Errorf("atomic commit: the file has %d undelivered events: %w", len(f.events), syscall.ENOMEM)
			}
			f.eventSpace -= EventVblankSize
			s.events |= 1 << i
		}
		if ptr := s.outFencePtr[i]; ptr != 0 {
			if err := s.addOutFence(ptr, s.d.newOutFence(s.d.crtcs[i]), i, -1); err != nil {
				return err
			}
		}
	}
	// Only connectors with a writeback job get a fence; a pointer without
	// a job keeps the -1 written when the property was set.
	for m := s.connMask & s.wbJobs; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		if ptr := s.wbFencePtr[i]; ptr != 0 {
			var fe *fence.Fence
			if s.conns[i].CRTC != nil && s.conns[i].WritebackFB != nil {
				fe = s.d.newWritebackFence(s.d.connectors[i])
			} else {
				// The check refuses this commit (a job without a
				// framebuffer, or a framebuffer without a CRTC); the fence
				// only has to exist until then.
				fe = fence.NewSignaled()
			}
			if err := s.addOutFence(ptr, fe, -1, i); err != nil {
				return err
			}
		}
	}
	if s.crtcMask == 0 && s.flags&PageFlipEvent != 0 {
		return fmt.Errorf("atomic commit: page-flip event requested but the request touches no CRTC: %w", syscall.EINVAL)
	}
	return nil
}

func (s *atomicState) addOutFence(ptr uint64, fe *fence.Fence, crtc, conn int) error {
	sf := syncfile.New(fe)
	fd := s.file.installLocked(sf)
	s.outFences = append(s.outFences, outFence{ptr: ptr, fd: fd, fence: fe, crtc: crtc, conn: conn})
	if err := s.file.mem.PutS32(ptr, fd); err != nil {
		return fmt.Errorf("atomic commit: storing out-fence fd at %#x: %w", ptr, syscall.EFAULT)
	}
	return nil
}

// completeSignalingFailed is complete_signaling for a failed commit: the
// event space comes back, the descriptors are freed and -1 is written
// back to every out-fence pointer.
func (s *atomicState) completeSignalingFailed() {
	f := s.file
	f.eventSpace += EventVblankSize * bits.OnesCount64(s.events)
	s.events = 0
	for _, o := range s.outFences {
		delete(f.fds, o.fd)
		_ = f.mem.PutS32(o.ptr, -1)
		// Nobody can wait on it any more; signal it with an error so a
		// fence that leaked elsewhere cannot hang.
		_ = o.fence.SetError(syscall.ECANCELED)
		_ = o.fence.Signal()
	}
	s.outFences = s.outFences[:0]
}

// finish ends an atomic ioctl whose properties have been read (err is the
// first failure so far): signaling, check, and for real commits the swap
// and queueing. It returns the queued commit for a blocking caller. The
// caller holds the device lock.
func (d *Device) finish(st *atomicState, err error) (*commit, error) {
	defer func() {
		if st != nil {
			d.statePool.Put(st)
		}
	}()
	if err == nil {
		err = st.prepareSignaling()
	}
	if err == nil {
		err = st.check()
	}
	if err == nil && st.flags&AtomicTestOnly == 0 {
		var c *commit
		c, err = d.commitLocked(st)
		if err == nil {
			st = nil // the commit owns it now
			return c, nil
		}
	}
	if err != nil && st.flags&AtomicTestOnly == 0 {
		st.completeSignalingFailed()
	}
	return nil, err
}

// waitBlocking waits for a blocking commit to flip.
func (d *Device) waitBlocking(ctx context.Context, c *commit, err error) error {
	if err != nil || c == nil || c.flags&AtomicNonblock != 0 {
		return err
	}
	select {
	case <-c.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("atomic commit: waiting for the flip: %w: %w", syscall.EINTR, ctx.Err())
	}
}

func errorf(errno syscall.Errno, format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, errno)...)
}
