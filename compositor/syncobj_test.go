package compositor_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/headwaywl/headway/protocol/drmsyncobjv1"
	"github.com/headwaywl/headway/protocol/wire"
	"github.com/headwaywl/headway/syncobj/shmtimeline"
)

// syncobjSurface gets s a wp_linux_drm_syncobj_surface_v1.
func (c *tclient) syncobjSurface(s uint32) uint32 {
	mgr := c.bind("wp_linux_drm_syncobj_manager_v1")
	so := c.NewObject("wp_linux_drm_syncobj_surface_v1")
	c.send(mgr, drmsyncobjv1.WpLinuxDrmSyncobjManagerV1RequestGetSurface, func(e *wire.Encoder) { e.NewID(so); e.Object(s) })
	return so
}

// importTimeline makes a timeline page and imports it; the test keeps the
// page to signal and query.
func (c *tclient) importTimeline() (uint32, *shmtimeline.Timeline) {
	c.t.Helper()
	tl, err := shmtimeline.Create()
	require.NoError(c.t, err)
	c.t.Cleanup(func() { tl.Close() })
	mgr := c.bind("wp_linux_drm_syncobj_manager_v1")
	id := c.NewObject("wp_linux_drm_syncobj_timeline_v1")
	c.send(mgr, drmsyncobjv1.WpLinuxDrmSyncobjManagerV1RequestImportTimeline, func(e *wire.Encoder) { e.NewID(id); e.FD(tl.Fd()) })
	return id, tl
}

func (c *tclient) setAcquire(so, tl uint32, point uint64) {
	c.send(so, drmsyncobjv1.WpLinuxDrmSyncobjSurfaceV1RequestSetAcquirePoint, func(e *wire.Encoder) {
		e.Object(tl)
		e.Uint(uint32(point >> 32))
		e.Uint(uint32(point))
	})
}

func (c *tclient) setRelease(so, tl uint32, point uint64) {
	c.send(so, drmsyncobjv1.WpLinuxDrmSyncobjSurfaceV1RequestSetReleasePoint, func(e *wire.Encoder) {
		e.Object(tl)
		e.Uint(uint32(point >> 32))
		e.Uint(uint32(point))
	})
}

// dmabufXRGB is a LINEAR XRGB8888 linux-dmabuf buffer of w x h pixels
// (a sealed memfd standing in for the dma-buf).
func (c *tclient) dmabufXRGB(t testing.TB, w, h int, pix []byte) uint32 {
	fd := dmabufMemfd(t, pix, true)
	p := c.params(dmaPlane{fd: fd, stride: uint32(w * 4), mod: modifier.Linear})
	return c.createImmed(p, int32(w), int32(h), fourcc.XRGB8888, 0)
}
