package compositor

import (
	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/protocol/explicitsync"
	"github.com/headwaywl/headway/protocol/server"
	"github.com/headwaywl/headway/syncobj/syncfd"
)

// zwp_linux_explicit_synchronization_v1, as weston serves it: acquire
// fences are sync_file fds (headway's emulated ones, package syncfd, or the
// kernel's), commits wait for them as for a syncobj acquire point, and a
// buffer release object is answered once its buffer is free.

type explicitSyncGlobal struct{ c *Compositor }

func (g *explicitSyncGlobal) bind(cl *server.Client, r *server.Resource) {
	g.c.bound(cl, r)
	r.SetHandler(explicitsync.ZwpLinuxExplicitSynchronizationV1Dispatcher(g))
}

func (g *explicitSyncGlobal) Destroy(r *server.Resource) error { return nil }

func (g *explicitSyncGlobal) GetSynchronization(r *server.Resource, id *server.Resource, sr *server.Resource) error {
	s := surfaceFrom(sr)
	if s.sync != nil {
		return server.Errorf(r, uint32(explicitsync.ZwpLinuxExplicitSynchronizationV1ErrorSynchronizationExists),
			"wl_surface@%d already has zwp_linux_surface_synchronization_v1@%d", sr.ID(), s.sync.res.ID())
	}
	ss := &surfaceSync{res: id, s: s}
	s.sync = ss
	id.SetData(ss)
	id.SetHandler(explicitsync.ZwpLinuxSurfaceSynchronizationV1Dispatcher(ss))
	id.SetDestructor(func(*server.Resource) {
		if ss.s != nil {
			// As weston: the pending fence goes; a pending release object
			// stays with the commit that carries it.
			st := &ss.s.pending
			if st.acquireFence != nil {
				_ = st.acquireFence.Close()
				st.acquireFence = nil
			}
			ss.s.sync = nil
			ss.s = nil
		}
	})
	return nil
}

// surfaceSync is a zwp_linux_surface_synchronization_v1.
type surfaceSync struct {
	res *server.Resource
	s   *surface // nil once the wl_surface is destroyed
}

func (ss *surfaceSync) Destroy(r *server.Resource) error { return nil }

func (ss *surfaceSync) noSurface(r *server.Resource) error {
	return server.Errorf(r, uint32(explicitsync.ZwpLinuxSurfaceSynchronizationV1ErrorNoSurface), "the wl_surface of this synchronization object was destroyed")
}

// SetAcquireFence checks in weston's order: no_surface, invalid_fence,
// duplicate_fence. The fd is the handler's: Import keeps what it needs.
func (ss *surfaceSync) SetAcquireFence(r *server.Resource, fd int) error {
	defer unix.Close(fd)
	if ss.s == nil || ss.s.destroyed {
		return ss.noSurface(r)
	}
	f, err := syncfd.Import(fd)
	if err != nil {
		return server.Errorf(r, uint32(explicitsync.ZwpLinuxSurfaceSynchronizationV1ErrorInvalidFence), "fd %d is not a sync_file: %v", fd, err)
	}
	st := &ss.s.pending
	if st.acquireFence != nil {
		_ = f.Close()
		return server.Errorf(r, uint32(explicitsync.ZwpLinuxSurfaceSynchronizationV1ErrorDuplicateFence), "an acquire fence is already set for this commit")
	}
	st.acquireFence = f
	return nil
}

// GetRelease checks in weston's order: no_surface, duplicate_release.
func (ss *surfaceSync) GetRelease(r *server.Resource, id *server.Resource) error {
	if ss.s == nil || ss.s.destroyed {
		return ss.noSurface(r)
	}
	st := &ss.s.pending
	if st.releaseObj != nil {
		return server.Errorf(r, uint32(explicitsync.ZwpLinuxSurfaceSynchronizationV1ErrorDuplicateRelease),
			"zwp_linux_buffer_release_v1@%d was already requested for this commit", st.releaseObj.ID())
	}
	id.SetHandler(explicitsync.ZwpLinuxBufferReleaseV1Dispatcher(bufferReleaseObj{}))
	st.releaseObj = id
	return nil
}

type bufferReleaseObj struct{}

// checkSync applies weston's commit rules: an acquire fence needs a
// buffer in the commit (no_buffer) that is not a shm buffer
// (unsupported_buffer); a release object needs a buffer (no_buffer).
func (s *surface) checkSync() error {
	ss := s.sync
	if ss == nil {
		return nil
	}
	st := &s.pending
	var b *buffer
	if st.attached {
		b = bufferFrom(st.buffer)
	}
	r := ss.res
	if st.acquireFence != nil {
		if b == nil {
			return server.Errorf(r, uint32(explicitsync.ZwpLinuxSurfaceSynchronizationV1ErrorNoBuffer), "wl_surface@%d: an acquire fence is set but the commit attaches no buffer", s.res.ID())
		}
		if b.kind == bufferShm {
			return server.Errorf(r, uint32(explicitsync.ZwpLinuxSurfaceSynchronizationV1ErrorUnsupportedBuffer), "wl_surface@%d: wl_buffer@%d is a shm buffer, which takes no acquire fence", s.res.ID(), st.buffer.ID())
		}
	}
	if st.releaseObj != nil && b == nil {
		return server.Errorf(r, uint32(explicitsync.ZwpLinuxSurfaceSynchronizationV1ErrorNoBuffer), "wl_surface@%d: a buffer release is requested but the commit attaches no buffer", s.res.ID())
	}
	return nil
}
