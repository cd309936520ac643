package compositor_test

import (
	"testing"

	"github.com/headwaywl/headway/compositor"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/headwaywl/headway/protocol/linuxdmabuf"
	"github.com/headwaywl/headway/protocol/wayland"
	"github.com/headwaywl/headway/protocol/wire"
)

// BenchmarkDmabufSurfaceFeedback is building and sending one surface's
// feedback, measured as the client sees it: get_surface_feedback to done,
// over the socket.
func BenchmarkDmabufSurfaceFeedback(b *testing.B) {
	r := startRig(b, compositor.Config{Clock: compositor.Manual})
	c := r.dial()
	dm := c.bind("zwp_linux_dmabuf_v1")
	s := c.newSurface()
	c.sync()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fb := c.NewObject("zwp_linux_dmabuf_feedback_v1")
		c.send(dm, linuxdmabuf.ZwpLinuxDmabufV1RequestGetSurfaceFeedback, func(e *wire.Encoder) { e.NewID(fb); e.Object(s) })
		m := c.waitFor(fb, linuxdmabuf.ZwpLinuxDmabufFeedbackV1EventDone)
		m.CloseFDs()
		for _, ev := range c.events {
			ev.CloseFDs()
		}
		c.events = c.events[:0]
		c.send(fb, 0, nil) // destroy
	}
}

// BenchmarkDmabufImportNV12_1080p is validating and importing one
// 1920x1080 NV12 LINEAR dmabuf (two planes in one sealed memfd), from
// params to a usable wl_buffer, and destroying it.
func BenchmarkDmabufImportNV12_1080p(b *testing.B) {
	r := startRig(b, compositor.Config{Clock: compositor.Manual})
	c := r.dial()
	const w, h = 1920, 1080
	fd := dmabufMemfd(b, make([]byte, w*h*3/2), true)
	c.sync()
	b.SetBytes(w * h * 3 / 2)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := c.params(dmaPlane{fd: fd, idx: 0, stride: w, mod: modifier.Linear}, dmaPlane{fd: fd, idx: 1, offset: w * h, stride: w, mod: modifier.Linear})
		buf := c.createImmed(p, w, h, fourcc.NV12, 0)
		c.send(p, linuxdmabuf.ZwpLinuxBufferParamsV1RequestDestroy, nil)
		c.send(buf, wayland.WlBufferRequestDestroy, nil)
		c.sync()
		c.events = c.events[:0]
	}
}
