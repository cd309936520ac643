package compositor

import (
	"github.com/headwaywl/headway/compositor/region"
	"github.com/headwaywl/headway/protocol/server"
	"github.com/headwaywl/headway/protocol/wayland"
	"github.com/headwaywl/headway/protocol/wire"
	"github.com/headwaywl/headway/syncobj/fence"
	"github.com/headwaywl/headway/syncobj/syncfd"
)

// surfaceState is one set of double-buffered wl_surface state: what a
// client has sent since its last commit (pending), what a synchronized
// subsurface has committed but its parent not yet applied (cached), or
// what the surface shows (current). Flags say which fields a pending or
// cached state sets, so merging keeps the newer value of each.
type surfaceState struct {
	attached bool
	buffer   *server.Resource // the wl_buffer; nil with attached detaches
	dx, dy   int32

	damage       region.Region // surface coordinates
	bufferDamage region.Region // buffer coordinates

	frames    []*server.Resource
	feedbacks []*server.Resource

	opaqueSet bool
	opaque    region.Region
	inputSet  bool
	input     region.Region
	inputAll  bool // the default: infinite

	transformSet bool
	transform    int32
	scaleSet     bool
	scale        int32

	viewportSet bool
	srcX, srcY  wire.Fixed
	srcW, srcH  wire.Fixed // -1: unset
	dstW, dstH  int32      // -1: unset

	// Subsurface order and positions are state of the parent.
	subOrderSet bool
	subOrder    []*surface
	subPos      map[*surface][2]int32

	committed bool // a cached state that holds a commit

	// Explicit sync. wp_linux_drm_syncobj_surface_v1's points each hold
	// a reference to their timeline until consumed (acquire: applied;
	// release: signalled once the buffer is free);
	// zwp_linux_surface_synchronization_v1's acquire fence is owned here
	// until applied, and its buffer release object is answered once the
	// buffer is free.
	acquire, release syncPoint
	acquireFence     *syncfd.File
	releaseObj       *server.Resource
	// implicit is the buffer's write fences taken at commit, for a
	// dmabuf without explicit sync (see implicitsync.go).
	implicit *fence.Fence
}

func (s *surfaceState) reset() {
	frames, feedbacks := s.frames[:0], s.feedbacks[:0]
	s.damage.Clear()
	s.bufferDamage.Clear()
	d, bd, op, in := s.damage, s.bufferDamage, s.opaque, s.input
	*s = surfaceState{damage: d, bufferDamage: bd, opaque: op, input: in, frames: frames, feedbacks: feedbacks}
}

// surface is a wl_surface.
type surface struct {
	c     *Compositor
	res   *server.Resource
	owner *clientData
	ord   uint64 // per-client creation ordinal: a stable stacking tie-break

	pending surfaceState
	cached  surfaceState

	// current state
	buf        *buffer
	bufRes     *server.Resource
	transform  int32
	scale      int32
	viewport   *viewport
	srcX, srcY wire.Fixed
	srcW, srcH wire.Fixed
	dstW, dstH int32
	opaque     region.Region
	input      region.Region
	inputAll   bool
	width      int32 // surface size, surface coordinates
	height     int32
	frames     []*server.Resource // committed frame callbacks, not yet latched
	feedbacks  []*server.Resource // committed presentation feedback, not yet latched
	contentSeq uint64             // bumped by every commit that changes what is shown
	latchedSeq uint64
	damaged    bool
	dx, dy     int32 // accumulated attach offsets, moving the surface
	subOrder   []*surface
	subPos     map[*surface][2]int32
	role       role
	sub        *subsurface // non-nil when the role is subsurface
	destroyed  bool
	// forgetFrameFn is s.forgetFrame, made once: a method value per frame
	// callback was a third of the compositor's allocations per frame.
	forgetFrameFn func(*server.Resource)
	frameWaiter   bool // its frame callback fired at the last vblank (lockstep)
	latched       bool // the last latched frame showed it

	syncobj *syncobjSurface // its wp_linux_drm_syncobj_surface_v1, if any
	sync    *surfaceSync    // its zwp_linux_surface_synchronization_v1, if any
	held    []*heldCommit   // commits waiting for an acquire point, in order
}

// role is what a surface is for; at most one in its life (xdg toplevel,
// popup, subsurface, cursor).
type role interface {
	name() string
	// precommit checks role rules before state is applied; an error is
	// the protocol error to post.
	precommit(s *surface) error
	// commit runs after the state is applied.
	commit(s *surface)
	// mapped says whether the role shows the surface now.
	mapped(s *surface) bool
}

type compositorGlobal struct{ c *Compositor }

func (g *compositorGlobal) bind(cl *server.Client, r *server.Resource) {
	g.c.bound(cl, r)
	r.SetHandler(wayland.WlCompositorDispatcher(g))
}

func (g *compositorGlobal) CreateSurface(r *server.Resource, id *server.Resource) error {
	c := g.c
	cd := c.clientFor(r.Client())
	cd.surfaceN++
	s := &surface{c: c, res: id, owner: cd, ord: cd.surfaceN, scale: 1, srcW: -1, srcH: -1, dstW: -1, dstH: -1, inputAll: true}
	s.pending.inputAll = true
	s.subOrder = []*surface{s}
	s.subPos = map[*surface][2]int32{}
	s.forgetFrameFn = s.forgetFrame
	cd.surfaces = append(cd.surfaces, s)
	id.SetData(s)
	id.SetHandler(wayland.WlSurfaceDispatcher(s))
	id.SetDestructor(func(*server.Resource) { s.destroy() })
	for _, o := range c.outputs {
		if o.Client() == r.Client() {
			_ = wayland.WlSurfaceSendEnter(id, o)
		}
	}
	if id.Version() >= 6 {
		_ = wayland.WlSurfaceSendPreferredBufferScale(id, 1)
		_ = wayland.WlSurfaceSendPreferredBufferTransform(id, 0)
	}
	return nil
}

func (g *compositorGlobal) CreateRegion(r *server.Resource, id *server.Resource) error {
	rg := &regionObj{}
	id.SetData(rg)
	id.SetHandler(wayland.WlRegionDispatcher(rg))
	return nil
}

// regionObj is a wl_region.
type regionObj struct{ r region.Region }

func (g *regionObj) Destroy(r *server.Resource) error { return nil }
func (g *regionObj) Add(r *server.Resource, x, y, w, h int32) error {
	g.r.Add(region.XYWH(x, y, w, h))
	return nil
}
func (g *regionObj) Subtract(r *server.Resource, x, y, w, h int32) error {
	g.r.SubtractRect(region.XYWH(x, y, w, h))
	return nil
}

func surfaceFrom(r *server.Resource) *surface {
	if r == nil {
		return nil
	}
	s, _ := r.Data().(*surface)
	return s
}

// wl_surface requests

// Destroy is wl_surface.destroy. Since version 6 a surface must outlive
// its role object (wl_subsurface, xdg_surface), as wlroots enforces.
func (s *surface) Destroy(r *server.Resource) error {
	if r.Version() < 6 {
		return nil
	}
	var role *server.Resource
	switch ro := s.role.(type) {
	case *subsurface:
		if s.sub != nil {
			role = ro.res
		}
	case *xdgSurface:
		if !ro.dead {
			role = ro.res
		}
	}
	if role.Alive() {
		return server.Errorf(r, uint32(wayland.WlSurfaceErrorDefunctRoleObject), "wl_surface@%d destroyed before its role object %s@%d", r.ID(), role.Interface().Name, role.ID())
	}
	return nil
}

func (s *surface) Attach(r *server.Resource, b *server.Resource, x, y int32) error {
	if r.Version() >= 5 && (x != 0 || y != 0) {
		return server.Errorf(r, uint32(wayland.WlSurfaceErrorInvalidOffset), "attach offset (%d, %d) must be zero since version 5, use wl_surface.offset", x, y)
	}
	s.pending.attached = true
	s.pending.buffer = b
	if r.Version() < 5 {
		s.pending.dx, s.pending.dy = x, y
	}
	return nil
}

func (s *surface) Offset(r *server.Resource, x, y int32) error {
	s.pending.dx, s.pending.dy = x, y
	return nil
}

func (s *surface) Damage(r *server.Resource, x, y, w, h int32) error {
	if w > 0 && h > 0 {
		s.pending.damage.Add(region.XYWH(x, y, w, h))
	}
	return nil
}

func (s *surface) DamageBuffer(r *server.Resource, x, y, w, h int32) error {
	if w > 0 && h > 0 {
		s.pending.bufferDamage.Add(region.XYWH(x, y, w, h))
	}
	return nil
}

func (s *surface) Frame(r *server.Resource, cb *server.Resource) error {
	s.pending.frames = append(s.pending.frames, cb)
	return nil
}

func (s *surface) SetOpaqueRegion(r *server.Resource, rg *server.Resource) error {
	s.pending.opaqueSet = true
	s.pending.opaque.Clear()
	if rg != nil {
		s.pending.opaque.Union(&rg.Data().(*regionObj).r)
	}
	return nil
}

func (s *surface) SetInputRegion(r *server.Resource, rg *server.Resource) error {
	s.pending.inputSet = true
	s.pending.input.Clear()
	s.pending.inputAll = rg == nil
	if rg != nil {
		s.pending.input.Union(&rg.Data().(*regionObj).r)
	}
	return nil
}

func (s *surface) SetBufferTransform(r *server.Resource, t int32) error {
	if t < 0 || t > 7 {
		return server.Errorf(r, uint32(wayland.WlSurfaceErrorInvalidTransform), "buffer transform value %d is invalid", t)
	}
	s.pending.transformSet, s.pending.transform = true, t
	return nil
}

func (s *surface) SetBufferScale(r *server.Resource, scale int32) error {
	if scale < 1 {
		return server.Errorf(r, uint32(wayland.WlSurfaceErrorInvalidScale), "buffer scale value %d is not positive", scale)
	}
	s.pending.scaleSet, s.pending.scale = true, scale
	return nil
}

func (s *surface) Commit(r *server.Resource) error {
	if err := s.check(); err != nil {
		return err
	}
	if err := s.checkSyncobj(); err != nil {
		return err
	}
	if err := s.checkSync(); err != nil {
		return err
	}
	// Any commit answers a frame callback for the lockstep clock, even
	// one a synchronized subsurface caches.
	s.frameWaiter = false
	if s.role != nil {
		if err := s.role.precommit(s); err != nil {
			return err
		}
	}
	s.pending.takeImplicit(s)
	s.c.nlog.syncSet(s, &s.pending)
	if s.hold(&s.pending) {
		return nil
	}
	s.commitState(&s.pending)
	return nil
}

// commitState commits st, which has passed the commit checks and whose
// acquire point (if any) has signalled: a synchronized subsurface caches
// it, anything else applies it.
func (s *surface) commitState(st *surfaceState) {
	if s.sub != nil && s.sub.effectivelySync() {
		st.mergeInto(&s.cached)
		s.cached.committed = true
		st.reset()
		return
	}
	if s.cached.committed {
		// A desynchronized subsurface applies what it cached first.
		st.mergeInto(&s.cached)
		st.reset()
		s.apply(&s.cached)
		return
	}
	s.apply(st)
}

// check enforces the commit-time rules on the state about to apply:
// buffer size against scale, and the viewport's.
func (s *surface) check() error {
	st := &s.pending
	scale := s.scale
	if st.scaleSet {
		scale = st.scale
	}
	transform := s.transform
	if st.transformSet {
		transform = st.transform
	}
	var bw, bh int32
	if st.attached {
		if b := bufferFrom(st.buffer); b != nil {
			bw, bh = b.width, b.height
		}
	} else if s.buf != nil {
		bw, bh = s.buf.width, s.buf.height
	}
	if bw != 0 && (bw%scale != 0 || bh%scale != 0) {
		return server.Errorf(s.res, uint32(wayland.WlSurfaceErrorInvalidSize), "buffer size (%dx%d) must be an integer multiple of the buffer scale (%d)", bw, bh, scale)
	}
	if s.viewport != nil && s.viewport.res.Alive() && bw != 0 {
		return s.viewport.check(st, bw, bh, scale, transform)
	}
	return nil
}

// mergeInto moves the fields s sets into dst (newer wins; damage, frame
// callbacks and feedback accumulate). A buffer dst held but never applied
// is superseded: nothing showed it, so it is the client's again.
func (s *surfaceState) mergeInto(dst *surfaceState) {
	if s.attached {
		// dst's buffer is superseded unseen: its release point is due
		// once nothing else reads that buffer.
		dst.retireRelease(bufferFrom(dst.buffer))
		dst.attached, dst.buffer = true, s.buffer
	}
	s.moveSync(dst)
	dst.dx += s.dx
	dst.dy += s.dy
	dst.damage.Union(&s.damage)
	dst.bufferDamage.Union(&s.bufferDamage)
	dst.frames = append(dst.frames, s.frames...)
	dst.feedbacks = append(dst.feedbacks, s.feedbacks...)
	if s.opaqueSet {
		dst.opaqueSet = true
		dst.opaque.Clear()
		dst.opaque.Union(&s.opaque)
	}
	if s.inputSet {
		dst.inputSet, dst.inputAll = true, s.inputAll
		dst.input.Clear()
		dst.input.Union(&s.input)
	}
	if s.transformSet {
		dst.transformSet, dst.transform = true, s.transform
	}
	if s.scaleSet {
		dst.scaleSet, dst.scale = true, s.scale
	}
	if s.viewportSet {
		dst.viewportSet = true
		dst.srcX, dst.srcY, dst.srcW, dst.srcH = s.srcX, s.srcY, s.srcW, s.srcH
		dst.dstW, dst.dstH = s.dstW, s.dstH
	}
	if s.subOrderSet {
		dst.subOrderSet = true
		dst.subOrder = append(dst.subOrder[:0], s.subOrder...)
	}
	for k, v := range s.subPos {
		if dst.subPos == nil {
			dst.subPos = map[*surface][2]int32{}
		}
		dst.subPos[k] = v
	}
}

// apply makes st current, then applies the cached state of synchronized
// children, as wl_subsurface requires.
func (s *surface) apply(st *surfaceState) {
	c := s.c
	changed := false
	if st.attached {
		nb := bufferFrom(st.buffer)
		if nb != nil && (nb.gone || nb.faulted) {
			nb = nil
		}
		if nb != nil {
			nb.ref()
			start := "commit"
			if st.acquire.set() || st.acquireFence != nil {
				start = "acquire"
			}
			c.ownOpen(nb, s, start)
		}
		// The release point belongs to this commit's buffer: it signals
		// when that buffer is next free (at once if it is unusable).
		st.retireRelease(nb)
		if old := s.buf; old != nil {
			old.unref()
		}
		s.buf, s.bufRes = nb, st.buffer
		if nb == nil {
			s.bufRes = nil
		}
		changed = true
	}
	if st.dx != 0 || st.dy != 0 {
		s.dx += st.dx
		s.dy += st.dy
		changed = true
	}
	if st.transformSet && st.transform != s.transform {
		s.transform, changed = st.transform, true
	}
	if st.scaleSet && st.scale != s.scale {
		s.scale, changed = st.scale, true
	}
	if st.viewportSet {
		s.srcX, s.srcY, s.srcW, s.srcH = st.srcX, st.srcY, st.srcW, st.srcH
		s.dstW, s.dstH = st.dstW, st.dstH
		changed = true
	}
	if st.opaqueSet {
		s.opaque.Clear()
		s.opaque.Union(&st.opaque)
	}
	if st.inputSet {
		s.inputAll = st.inputAll
		s.input.Clear()
		s.input.Union(&st.input)
	}
	if !st.damage.Empty() || !st.bufferDamage.Empty() {
		changed = true
	}
	if st.subOrderSet {
		s.subOrder = append(s.subOrder[:0], st.subOrder...)
		changed = true
	}
	for k, v := range st.subPos {
		if k.sub != nil && k.sub.parent == s {
			k.sub.x, k.sub.y = v[0], v[1]
			changed = true
		}
	}
	st.dropAcquire()
	s.updateSize()
	// A newer commit replaces feedback that was never latched: that
	// content will never be shown (weston discards the same way).
	for _, fb := range s.feedbacks {
		c.discardFeedback(s, fb)
	}
	s.feedbacks = s.feedbacks[:0]
	s.feedbacks = append(s.feedbacks, st.feedbacks...)
	s.frames = append(s.frames, st.frames...)
	for _, cb := range st.frames {
		cb.SetDestructor(s.forgetFrameFn)
	}
	if changed {
		s.contentSeq++
		c.scene.changed()
	}
	st.reset()
	if s.role != nil {
		s.role.commit(s)
	}
	// Synchronized children apply what they cached, in stacking order.
	for _, ch := range s.subOrder {
		if ch != s && ch.sub != nil && ch.cached.committed && ch.sub.effectivelySync() {
			ch.apply(&ch.cached)
		}
	}
	c.scene.committed(s)
	c.lockstepKick()
}

func (s *surface) forgetFrame(cb *server.Resource) {
	for i, x := range s.frames {
		if x == cb {
			s.frames = append(s.frames[:i], s.frames[i+1:]...)
			return
		}
	}
}

// updateSize derives the surface size from the buffer, its transform and
// scale, and the viewport.
func (s *surface) updateSize() {
	if s.buf == nil {
		s.width, s.height = 0, 0
		return
	}
	w, h := s.buf.width, s.buf.height
	if s.transform&1 == 1 {
		w, h = h, w
	}
	w, h = w/s.scale, h/s.scale
	if s.srcW >= 0 {
		w, h = int32(s.srcW>>8), int32(s.srcH>>8)
	}
	if s.dstW > 0 {
		w, h = s.dstW, s.dstH
	}
	s.width, s.height = w, h
}

func (s *surface) destroy() {
	c := s.c
	s.destroyed = true
	s.dropHeld()
	for _, st := range []*surfaceState{&s.pending, &s.cached} {
		st.dropAcquire()
		st.retireRelease(bufferFrom(st.buffer))
	}
	if s.syncobj != nil {
		s.syncobj.s = nil
		s.syncobj = nil
	}
	if s.sync != nil {
		s.sync.s = nil
		s.sync = nil
	}
	if s.buf != nil {
		s.buf.unref()
		s.buf = nil
	}
	for _, fb := range s.feedbacks {
		c.discardFeedback(s, fb)
	}
	for _, fb := range s.pending.feedbacks {
		c.discardFeedback(s, fb)
	}
	for _, fb := range s.cached.feedbacks {
		c.discardFeedback(s, fb)
	}
	s.feedbacks = nil
	if s.sub != nil {
		s.sub.unlink()
	}
	// Children lose their parent: they are no longer shown.
	for _, ch := range s.subOrder {
		if ch != s && ch.sub != nil {
			ch.sub.parent = nil
		}
	}
	s.subOrder = nil
	cd := s.owner
	for i, x := range cd.surfaces {
		if x == s {
			cd.surfaces = append(cd.surfaces[:i], cd.surfaces[i+1:]...)
			break
		}
	}
	if s.latched {
		c.scene.dirty = true
	}
	c.scene.remove(s)
	c.seat.surfaceGone(s)
	c.dmabuf.surfaceGone(s)
	c.lockstepKick()
}

// mapped says whether the surface is shown: it has a buffer and its role
// shows it (a subsurface also needs a mapped parent).
func (s *surface) mapped() bool {
	if s.destroyed || s.buf == nil || s.role == nil {
		return false
	}
	return s.role.mapped(s)
}
