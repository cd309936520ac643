package compositor

import (
	"context"
	"fmt"
	"math"
	"os"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/protocol/drmsyncobjv1"
	"github.com/headwaywl/headway/protocol/explicitsync"
	"github.com/headwaywl/headway/protocol/linuxdmabuf"
	"github.com/headwaywl/headway/protocol/server"
	"github.com/headwaywl/headway/syncobj/shmtimeline"
	"github.com/headwaywl/headway/syncobj/syncfd"
)

// timeline is an imported wp_linux_drm_syncobj_timeline_v1. Points set on
// it outlive the protocol object (destroying it unsets nothing), so the
// mapping is reference counted: the object holds one reference and every
// point that still has to be waited on or signalled holds one.
type timeline struct {
	c    *Compositor
	tl   *shmtimeline.Timeline
	refs int
	id   uint32 // the protocol object's id, for messages
}

func (t *timeline) ref() *timeline { t.refs++; return t }

func (t *timeline) unref() {
	t.refs--
	if t.refs == 0 {
		_ = t.tl.Close()
	}
}

// syncPoint is a point on an imported timeline; the zero value is unset.
type syncPoint struct {
	t     *timeline
	point uint64
}

func (p syncPoint) set() bool { return p.t != nil }

// drop releases the point's reference to its timeline.
func (p *syncPoint) drop() {
	if p.t != nil {
		p.t.unref()
		*p = syncPoint{}
	}
}

// signalled reads the timeline: whether the point has been reached. A
// timeline abandoned before reaching it, or a corrupt page, never
// signals: only that surface waits.
func (p syncPoint) signalled() bool {
	st, err := p.t.tl.PointStatus(p.point)
	return err == nil && st == 1
}

func (p syncPoint) String() string {
	return fmt.Sprintf("%s point %d", p.timelineName(), p.point)
}

func (p syncPoint) timelineName() string {
	return "wp_linux_drm_syncobj_timeline_v1@" + strconv.FormatUint(uint64(p.t.id), 10)
}

type syncobjManager struct{ c *Compositor }

func (g *syncobjManager) bind(cl *server.Client, r *server.Resource) {
	g.c.bound(cl, r)
	r.SetHandler(drmsyncobjv1.WpLinuxDrmSyncobjManagerV1Dispatcher(g))
}

func (g *syncobjManager) Destroy(r *server.Resource) error { return nil }

func (g *syncobjManager) GetSurface(r *server.Resource, id *server.Resource, sr *server.Resource) error {
	s := surfaceFrom(sr)
	if s.syncobj != nil {
		return server.Errorf(r, uint32(drmsyncobjv1.WpLinuxDrmSyncobjManagerV1ErrorSurfaceExists),
			"wl_surface@%d already has wp_linux_drm_syncobj_surface_v1@%d", sr.ID(), s.syncobj.res.ID())
	}
	so := &syncobjSurface{res: id, s: s}
	s.syncobj = so
	id.SetData(so)
	id.SetHandler(drmsyncobjv1.WpLinuxDrmSyncobjSurfaceV1Dispatcher(so))
	id.SetDestructor(func(*server.Resource) {
		if so.s != nil {
			// Points set since the last commit are discarded; earlier
			// commits keep theirs.
			so.s.pending.acquire.drop()
			so.s.pending.release.drop()
			so.s.syncobj = nil
			so.s = nil
		}
	})
	return nil
}

// ImportTimeline takes a headway timeline page (syncobj/shmtimeline). The
// descriptor is the handler's: the page is mapped through a duplicate and
// the received fd closed here.
func (g *syncobjManager) ImportTimeline(r *server.Resource, id *server.Resource, fd int) error {
	tl, err := shmtimeline.Open(fd)
	kind := fdKind(fd)
	unix.Close(fd)
	if err != nil {
		why := err.Error()
		if kind == "anon_inode:[syncobj]" {
			why = "a kernel DRM syncobj needs a render node to import, and headway has none"
		}
		g.c.log.Info("import_timeline refused", "client", g.c.clientFor(r.Client()).name, "reason", why)
		return server.Errorf(r, uint32(drmsyncobjv1.WpLinuxDrmSyncobjManagerV1ErrorInvalidTimeline),
			"fd %d is not a timeline headway can import: %s", fd, why)
	}
	t := &timeline{c: g.c, tl: tl, refs: 1, id: id.ID()}
	id.SetData(t)
	id.SetHandler(drmsyncobjv1.WpLinuxDrmSyncobjTimelineV1Dispatcher(t))
	id.SetDestructor(func(*server.Resource) { t.unref() })
	return nil
}

// fdKind is what /proc says fd is ("anon_inode:[syncobj]" for a kernel
// syncobj, "/memfd:..." for a memfd), for messages only.
func fdKind(fd int) string {
	k, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(fd))
	if err != nil {
		return ""
	}
	return k
}

func (t *timeline) Destroy(r *server.Resource) error { return nil }

// syncobjSurface is a wp_linux_drm_syncobj_surface_v1: its points are
// pending state of its surface.
type syncobjSurface struct {
	res *server.Resource
	s   *surface // nil once the wl_surface is destroyed
}

func (so *syncobjSurface) Destroy(r *server.Resource) error { return nil }

func (so *syncobjSurface) setPoint(r, tr *server.Resource, hi, lo uint32, dst *syncPoint) error {
	if so.s == nil || so.s.destroyed {
		return server.Errorf(r, uint32(drmsyncobjv1.WpLinuxDrmSyncobjSurfaceV1ErrorNoSurface), "the wl_surface of this syncobj surface was destroyed")
	}
	t := tr.Data().(*timeline)
	dst.drop()
	*dst = syncPoint{t: t.ref(), point: uint64(hi)<<32 | uint64(lo)}
	return nil
}

func (so *syncobjSurface) SetAcquirePoint(r *server.Resource, tr *server.Resource, hi, lo uint32) error {
	return so.setPoint(r, tr, hi, lo, &so.pendingState().acquire)
}

func (so *syncobjSurface) SetReleasePoint(r *server.Resource, tr *server.Resource, hi, lo uint32) error {
	return so.setPoint(r, tr, hi, lo, &so.pendingState().release)
}

func (so *syncobjSurface) pendingState() *surfaceState {
	if so.s == nil {
		return &surfaceState{} // setPoint fails first
	}
	return &so.s.pending
}

// checkSyncobj applies the commit rules of a surface with a syncobj
// surface, in wlroots' order (no_buffer, no_acquire_point,
// no_release_point, conflicting_points), then Smithay's unsupported_buffer
// for a buffer that is not a linux-dmabuf buffer, checked last.
func (s *surface) checkSyncobj() error {
	so := s.syncobj
	if so == nil {
		return nil
	}
	st := &s.pending
	var b *buffer
	if st.attached {
		b = bufferFrom(st.buffer)
	}
	r := so.res
	switch {
	case b == nil && st.acquire.set():
		return server.Errorf(r, uint32(drmsyncobjv1.WpLinuxDrmSyncobjSurfaceV1ErrorNoBuffer), "an acquire point is set but the commit attaches no buffer")
	case b == nil && st.release.set():
		return server.Errorf(r, uint32(drmsyncobjv1.WpLinuxDrmSyncobjSurfaceV1ErrorNoBuffer), "a release point is set but the commit attaches no buffer")
	case b == nil:
		return nil
	case !st.acquire.set():
		return server.Errorf(r, uint32(drmsyncobjv1.WpLinuxDrmSyncobjSurfaceV1ErrorNoAcquirePoint), "wl_buffer@%d is attached without an acquire point", st.buffer.ID())
	case !st.release.set():
		return server.Errorf(r, uint32(drmsyncobjv1.WpLinuxDrmSyncobjSurfaceV1ErrorNoReleasePoint), "wl_buffer@%d is attached without a release point", st.buffer.ID())
	case st.acquire.t == st.release.t && st.acquire.point >= st.release.point:
		return server.Errorf(r, uint32(drmsyncobjv1.WpLinuxDrmSyncobjSurfaceV1ErrorConflictingPoints),
			"acquire point %d is not below release point %d on the same timeline (wp_linux_drm_syncobj_timeline_v1@%d)", st.acquire.point, st.release.point, st.acquire.t.id)
	case b.kind != bufferDmabuf:
		return server.Errorf(r, uint32(drmsyncobjv1.WpLinuxDrmSyncobjSurfaceV1ErrorUnsupportedBuffer),
			"wl_buffer@%d is a %s buffer; explicit sync takes %s buffers", st.buffer.ID(), b.kind, linuxdmabuf.ZwpLinuxDmabufV1Interface.Name)
	}
	return nil
}

// hold queues st (already checked) behind the surface's held commits when
// its acquire point has not signalled, or when earlier commits are held:
// only this surface waits. It reports whether it took the state.
func (s *surface) hold(st *surfaceState) bool {
	if len(s.held) == 0 && st.acquireReady() {
		return false
	}
	s.c.nlog.syncAcquire(s, st, "held", true)
	h := &heldCommit{}
	st.mergeInto(&h.st)
	st.reset()
	if len(s.held) == 0 {
		s.c.holding++
	}
	s.held = append(s.held, h)
	if s.c.cfg.Clock != Manual && !h.st.acquireReady() {
		// Virtual clocks stand still while nothing is due; wake the loop
		// when the acquire signals so the next latch can apply it. The
		// manual clock reads it at each latch it is asked for.
		ctx, cancel := context.WithCancel(context.Background())
		h.cancel = cancel
		var tl *shmtimeline.Timeline
		var point uint64
		if p := h.st.acquire; p.set() {
			tl, point = p.t.tl, p.point
		}
		acqFence, implicit := h.st.acquireFence, h.st.implicit
		if implicit != nil {
			implicit.Get() // the waiter's own reference
		}
		go func() {
			if implicit != nil {
				defer implicit.Put()
			}
			if tl != nil && tl.Wait(ctx, point, math.MaxInt64) != nil {
				return
			}
			if acqFence != nil && acqFence.Wait(ctx, math.MaxInt64) != nil {
				return
			}
			if implicit != nil && waitFence(ctx, implicit) != nil {
				return
			}
			s.c.display.Do(func() {
				s.c.scene.dirty = true
				s.c.lockstepKick()
			})
		}()
	}
	return true
}

// heldCommit is a commit waiting for its acquire point.
type heldCommit struct {
	st     surfaceState
	cancel context.CancelFunc // stops the waker; nil on the manual clock
}

// applyHeld applies, in order, the held commits whose acquire points have
// signalled, stopping at the first that has not. It runs at latch: the
// acquire state is read there, once per frame.
func (s *surface) applyHeld() {
	n := 0
	for _, h := range s.held {
		if !h.st.acquireReady() {
			break
		}
		if h.cancel != nil {
			h.cancel()
		}
		s.c.nlog.syncAcquire(s, &h.st, "signalled", false)
		s.commitState(&h.st)
		n++
	}
	if n > 0 {
		s.held = append(s.held[:0], s.held[n:]...)
		if len(s.held) == 0 {
			s.c.holding--
		}
	}
}

// dropHeld forgets held commits (the surface is gone): their buffers were
// never read, so their release points signal now.
func (s *surface) dropHeld() {
	for _, h := range s.held {
		if h.cancel != nil {
			h.cancel()
		}
		for _, fb := range h.st.feedbacks {
			s.c.discardFeedback(s, fb)
		}
		h.st.dropAcquire()
		h.st.retireRelease(nil)
		h.st.reset()
	}
	if len(s.held) > 0 {
		s.c.holding--
	}
	s.held = nil
}

// signal signals the point now and drops it. A peer may have corrupted
// or abandoned the timeline; that is its problem, and the log says so.
func (p *syncPoint) signal() {
	if !p.set() {
		return
	}
	if err := p.t.tl.Signal(p.point); err != nil {
		p.t.c.log.Info("release point not signalled", "point", p.String(), "err", err)
	}
	p.drop()
}

// acquireReady says whether st's buffer may be read: every acquire point
// and fence it carries has signalled (with or without an error: a failed
// fence still ends the wait, and the content is the client's problem).
func (st *surfaceState) acquireReady() bool {
	if st.acquire.set() && !st.acquire.signalled() {
		return false
	}
	if st.implicit != nil && !st.implicit.IsSignaled() {
		return false
	}
	return st.acquireFence == nil || fenceSignalled(st.acquireFence)
}

func fenceSignalled(f *syncfd.File) bool {
	status, err := f.Status()
	return err == nil && status != 0
}

// dropAcquire forgets st's acquire point and fence.
func (st *surfaceState) dropAcquire() {
	st.acquire.drop()
	if st.implicit != nil {
		st.implicit.Put()
		st.implicit = nil
	}
	if st.acquireFence != nil {
		_ = st.acquireFence.Close()
		st.acquireFence = nil
	}
}

// moveSync moves the explicit-sync state s sets into dst, replacing what
// dst had (a replaced release object is answered at once: its commit
// never happened).
func (s *surfaceState) moveSync(dst *surfaceState) {
	if s.acquire.set() {
		dst.acquire.drop()
		dst.acquire, s.acquire = s.acquire, syncPoint{}
	}
	if s.release.set() {
		dst.release.signal()
		dst.release, s.release = s.release, syncPoint{}
	}
	if s.implicit != nil {
		if dst.implicit != nil {
			dst.implicit.Put()
		}
		dst.implicit, s.implicit = s.implicit, nil
	}
	if s.acquireFence != nil {
		if dst.acquireFence != nil {
			_ = dst.acquireFence.Close()
		}
		dst.acquireFence, s.acquireFence = s.acquireFence, nil
	}
	if s.releaseObj != nil {
		releaseNow(dst.releaseObj)
		dst.releaseObj, s.releaseObj = s.releaseObj, nil
	}
}

// bufRelease is what is owed to a client once a buffer is free: a release
// point to signal or a zwp_linux_buffer_release_v1 to answer.
type bufRelease struct {
	p     syncPoint
	obj   *server.Resource
	owner *clientData // for the log
	buf   uint32      // the wl_buffer's id, for the log
}

func (r *bufRelease) fire() {
	if r.owner != nil {
		r.owner.c.nlog.released(r)
	}
	r.p.signal()
	releaseNow(r.obj)
	r.obj = nil
}

// releaseNow answers a buffer release object with immediate_release (a
// destructor event): headway's renderer has finished with a buffer by
// the time it lets go of it, so there is nothing to fence.
func releaseNow(obj *server.Resource) {
	if obj == nil || !obj.Alive() {
		return
	}
	_ = explicitsync.ZwpLinuxBufferReleaseV1SendImmediateRelease(obj)
	obj.Destroy()
}

// retireRelease hands st's release point and release object to buffer b:
// they fire when b is next free, or now when b is not in use (nil, never
// shown, or unusable).
func (st *surfaceState) retireRelease(b *buffer) {
	r := bufRelease{p: st.release, obj: st.releaseObj}
	st.release, st.releaseObj = syncPoint{}, nil
	if !r.p.set() && r.obj == nil {
		return
	}
	if sb := bufferFrom(st.buffer); sb != nil {
		r.owner, r.buf = sb.owner, st.buffer.ID()
	}
	if b != nil && b.refs > 0 {
		b.releases = append(b.releases, r)
		return
	}
	r.fire()
}
