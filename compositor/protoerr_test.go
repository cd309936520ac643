package compositor_test

// TestProtocolErrors drives one raw-wire client into every protocol error
// the XML defines for the interfaces headway serves, one case per
// (interface, error) pair, and checks the wl_display.error it gets (object,
// interface as libwayland's wl_display_get_protocol_error names it, code,
// a message naming the cause) while a second client on the same compositor
// keeps drawing.
//
// The pairs without a case, and why. peUntriggerable holds the same table;
// the test fails unless it and the cases together are exactly the error
// entries (from protocol/xml via protocol/spec) of the interfaces the
// advertised globals reach, so a new entry in the XML needs a case or a
// line here:
//
//	pair                               why there is no case
//	wl_display/no_memory               nothing in headway posts it: a Go allocation failure is fatal, not reported
//	wl_data_offer/invalid_finish       headway never creates a wl_data_offer (no selection or drag is offered)
//	wl_data_offer/invalid_action_mask  headway never creates a wl_data_offer
//	wl_data_offer/invalid_action       headway never creates a wl_data_offer
//	wl_data_offer/invalid_offer        headway never creates a wl_data_offer
//	xdg_wm_base/unresponsive           headway never sends xdg_wm_base.ping
//	wp_presentation/invalid_timestamp  no wp_presentation request carries a timestamp
//	wp_presentation/invalid_flag       no wp_presentation request carries flags

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/clients/rawwire"
	"github.com/headwaywl/headway/compositor"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/headwaywl/headway/protocol/drmsyncobjv1"
	"github.com/headwaywl/headway/protocol/headwaytest"
	"github.com/headwaywl/headway/protocol/spec"
	"github.com/headwaywl/headway/protocol/viewporter"
	"github.com/headwaywl/headway/protocol/wayland"
	"github.com/headwaywl/headway/protocol/wire"
	"github.com/headwaywl/headway/protocol/xdgshell"
)

// peUntriggerable is the table above: pairs no client can make headway
// post, with the reason.
var peUntriggerable = map[string]string{
	"wl_display/no_memory":              "nothing in headway posts it: a Go allocation failure is fatal, not reported",
	"wl_data_offer/invalid_finish":      "headway never creates a wl_data_offer (no selection or drag is offered)",
	"wl_data_offer/invalid_action_mask": "headway never creates a wl_data_offer",
	"wl_data_offer/invalid_action":      "headway never creates a wl_data_offer",
	"wl_data_offer/invalid_offer":       "headway never creates a wl_data_offer",
	"xdg_wm_base/unresponsive":          "headway never sends xdg_wm_base.ping",
	"wp_presentation/invalid_timestamp": "no wp_presentation request carries a timestamp",
	"wp_presentation/invalid_flag":      "no wp_presentation request carries flags",
}

// pePool is a wl_shm_pool on a fresh 4096-byte memfd.
func (c *tclient) pePool(t *testing.T) uint32 {
	fd, err := unix.MemfdCreate("headway-test", unix.MFD_CLOEXEC)
	require.NoError(t, err)
	t.Cleanup(func() { unix.Close(fd) })
	require.NoError(t, unix.Ftruncate(fd, 4096))
	shm := c.bind("wl_shm")
	pool := c.NewObject("wl_shm_pool")
	c.send(shm, wayland.WlShmRequestCreatePool, func(e *wire.Encoder) { e.NewID(pool); e.FD(fd); e.Int(4096) })
	return pool
}

// peDmaPlane is plane idx of a sealed 512-byte memfd (16x8 XRGB8888).
func peDmaPlane(t *testing.T, idx, offset, stride uint32, m modifier.Modifier) dmaPlane {
	return dmaPlane{fd: dmabufMemfd(t, make([]byte, 512), true), idx: idx, offset: offset, stride: stride, mod: m}
}

// peWant is the wl_display.error a case expects: the object it names, that
// object's interface in the client's table, and substrings of the message
// that name the cause.
type peWant struct {
	obj   uint32
	iface string
	msg   []string
}

type peCase struct {
	iface, err string // the XML pair; the code is its value
	variant    string // set when one pair has several cases
	lockstep   bool   // a lockstep clock instead of the manual one
	run        func(t *testing.T, r *rig, c *tclient) peWant
	// after runs once the error arrived, before the second client's frame.
	after func(t *testing.T, r *rig, by *peBystander)
}

func (pc peCase) pair() string { return pc.iface + "/" + pc.err }

func (pc peCase) name() string {
	if pc.variant != "" {
		return pc.pair() + "/" + pc.variant
	}
	return pc.pair()
}

// peRig is a compositor on vkms with a small mode added: every case
// renders a few frames, and the race detector makes full-size frames slow.
// Nothing a case checks depends on the output's size.
func peRig(t *testing.T, clock compositor.ClockMode) *rig {
	return startRig(t, compositor.Config{Clock: clock})
}

const peOutW, peOutH = rigW, rigH

// peSolid is a w x h XRGB8888 picture of one colour.
func peSolid(w, h int, r, g, b uint8) []byte {
	pix := make([]byte, w*h*4)
	for i := 0; i < w*h; i++ {
		pix[i*4], pix[i*4+1], pix[i*4+2], pix[i*4+3] = b, g, r, 0xff
	}
	return pix
}

// peBystander is the second client: a toplevel showing one picture, which
// must keep getting frames while the other client fails.
type peBystander struct {
	r      *rig
	c      *tclient
	w      window
	buf    uint32
	manual bool
	crc    uint32 // the frame showing the picture (manual clock only)
}

func newPeBystander(t *testing.T, r *rig, manual bool) *peBystander {
	b := &peBystander{r: r, c: r.dial(), manual: manual}
	b.w = b.c.toplevel()
	b.buf, _ = b.c.shmBuffer(fourcc.XRGB8888, 40, 30, 40*4, peSolid(40, 30, 30, 160, 90))
	seq := b.frame()
	if manual {
		b.crc = r.crc(seq)
		require.NotEqual(t, r.crc(seq-1), b.crc, "the picture changes the output")
	}
	return b
}

// frame commits the picture again with a frame callback and waits for the
// callback; on the manual clock it returns the frame that shows the commit.
func (b *peBystander) frame() uint64 {
	cb := b.c.show(b.w.surface, b.buf)
	var seq uint64
	if b.manual {
		// Latched at the first vblank, scanned out from the second.
		seq = b.c.advance(2)
	}
	b.c.waitFor(cb, rawwire.EvCallbackDone)
	return seq
}

// check is the bystander's proof of life after the other client's error:
// a round trip, then a new frame that is rendered and, on the manual
// clock, shows exactly what it showed before the other client came.
func (b *peBystander) check(t *testing.T) {
	b.c.sync()
	renders := b.r.comp.Renders()
	seq := b.frame()
	assert.Greater(t, b.r.comp.Renders(), renders, "the second client's commit was rendered")
	if b.manual {
		assert.Equal(t, b.crc, b.r.crc(seq), "%s shows the second client's picture alone", fmtSeq(seq))
	}
}

// Small request helpers for the cases; ids come from c in request order.

func (c *tclient) peXdgSurface(s uint32) uint32 {
	wm := c.bind("xdg_wm_base")
	xs := c.NewObject("xdg_surface")
	c.send(wm, xdgshell.XdgWmBaseRequestGetXdgSurface, func(e *wire.Encoder) { e.NewID(xs); e.Object(s) })
	return xs
}

func (c *tclient) pePositioner(complete bool) uint32 {
	wm := c.bind("xdg_wm_base")
	p := c.NewObject("xdg_positioner")
	c.send(wm, xdgshell.XdgWmBaseRequestCreatePositioner, func(e *wire.Encoder) { e.NewID(p) })
	c.send(p, xdgshell.XdgPositionerRequestSetSize, func(e *wire.Encoder) { e.Int(20); e.Int(10) })
	if complete {
		c.send(p, xdgshell.XdgPositionerRequestSetAnchorRect, func(e *wire.Encoder) { e.Int(0); e.Int(0); e.Int(5); e.Int(5) })
	}
	return p
}

// pePopup makes a popup of parent (an xdg_surface) on a new surface.
func (c *tclient) pePopup(parent uint32) (s, xs, popup uint32) {
	pos := c.pePositioner(true)
	s = c.newSurface()
	xs = c.peXdgSurface(s)
	popup = c.NewObject("xdg_popup")
	c.send(xs, xdgshell.XdgSurfaceRequestGetPopup, func(e *wire.Encoder) { e.NewID(popup); e.Object(parent); e.Object(pos) })
	return s, xs, popup
}

func (c *tclient) peSubsurface(s, parent uint32) uint32 {
	sc := c.bind("wl_subcompositor")
	sub := c.NewObject("wl_subsurface")
	c.send(sc, wayland.WlSubcompositorRequestGetSubsurface, func(e *wire.Encoder) { e.NewID(sub); e.Object(s); e.Object(parent) })
	return sub
}

func (c *tclient) peDataDevice() (mgr, dev uint32) {
	seat := c.bind("wl_seat")
	mgr = c.bind("wl_data_device_manager")
	dev = c.NewObject("wl_data_device")
	c.send(mgr, wayland.WlDataDeviceManagerRequestGetDataDevice, func(e *wire.Encoder) { e.NewID(dev); e.Object(seat) })
	return mgr, dev
}

func (c *tclient) peDataSource(mgr uint32) uint32 {
	src := c.NewObject("wl_data_source")
	c.send(mgr, wayland.WlDataDeviceManagerRequestCreateDataSource, func(e *wire.Encoder) { e.NewID(src) })
	return src
}

func (c *tclient) peViewport(s uint32) uint32 {
	vp := c.bind("wp_viewporter")
	v := c.NewObject("wp_viewport")
	c.send(vp, viewporter.WpViewporterRequestGetViewport, func(e *wire.Encoder) { e.NewID(v); e.Object(s) })
	return v
}

func (c *tclient) peAttachCommit(s, buf uint32) {
	c.send(s, wayland.WlSurfaceRequestAttach, func(e *wire.Encoder) { e.Object(buf); e.Int(0); e.Int(0) })
	c.send(s, wayland.WlSurfaceRequestCommit, nil)
}

func (c *tclient) peSmallBuffer(w, h int) uint32 {
	buf, _ := c.shmBuffer(fourcc.XRGB8888, w, h, w*4, peSolid(w, h, 200, 40, 40))
	return buf
}

func peID(v uint32) string { return fmt.Sprint(v) }

// peShmTruncation is wl_shm.invalid_fd at buffer access: the faulting
// client shows a buffer, truncates its memfd, and the next render faults.
// Its window is away from the bystander's, so the frame would differ if
// any of it were drawn.
func peShmTruncation(t *testing.T, r *rig, c *tclient) peWant {
	w := c.toplevel()
	test := c.bind("headway_test_v1")
	c.send(test, headwaytest.HeadwayTestV1RequestMoveSurface, func(e *wire.Encoder) { e.Object(w.surface); e.Int(100); e.Int(80) })
	buf, fd := c.shmBuffer(fourcc.XRGB8888, 32, 32, 32*4, peSolid(32, 32, 250, 250, 0))
	c.show(w.surface, buf)
	require.NoError(t, unix.Ftruncate(fd, 0))
	c.sync() // the commit is in before the clock moves
	_, err := r.comp.Advance(ctxT(t), 1)
	require.NoError(t, err)
	return peWant{buf, "wl_buffer", []string{"SHM buffer"}}
}

// peShmReference is the bystander's picture with no other client, in a
// compositor of its own: the CRC the faulting client must not change.
func peShmReference(t *testing.T, r *rig, by *peBystander) {
	ref := peRig(t, compositor.Manual)
	alone := newPeBystander(t, ref, true)
	require.Equal(t, alone.crc, by.crc, "the bystander's picture before the faulting client came")
	seq := by.c.advance(2) // the faulted frame and the one after it
	assert.Equal(t, alone.crc, r.crc(seq-1), "%s (rendered as the buffer faulted) lacks the faulty client", fmtSeq(seq-1))
	assert.Equal(t, alone.crc, r.crc(seq), "%s lacks the faulty client", fmtSeq(seq))
}

var peCases = []peCase{
	// wl_display: what the runtime answers before any handler runs.
	{iface: "wl_display", err: "invalid_object", run: func(t *testing.T, r *rig, c *tclient) peWant {
		c.send(4242, 0, nil)
		return peWant{rawwire.DisplayID, "wl_display", []string{"4242"}}
	}},
	{iface: "wl_display", err: "invalid_method", run: func(t *testing.T, r *rig, c *tclient) peWant {
		comp := c.bind("wl_compositor")
		c.send(comp, 7, nil)
		return peWant{rawwire.DisplayID, "wl_display", []string{"invalid method 7", "wl_compositor#" + peID(comp)}}
	}},
	{iface: "wl_display", err: "implementation", run: func(t *testing.T, r *rig, c *tclient) peWant {
		// A header announcing more bytes than the input buffer holds.
		hdr := make([]byte, 8)
		wire.PutHeader(hdr, wire.Header{Object: rawwire.DisplayID, Opcode: 0, Size: 8192})
		require.NoError(t, c.WriteRaw(hdr))
		return peWant{rawwire.DisplayID, "wl_display", []string{"8192"}}
	}},

	// wl_shm
	{iface: "wl_shm", err: "invalid_format", run: func(t *testing.T, r *rig, c *tclient) peWant {
		pool := c.pePool(t)
		buf := c.NewObject("wl_buffer")
		c.send(pool, wayland.WlShmPoolRequestCreateBuffer, func(e *wire.Encoder) {
			e.NewID(buf)
			e.Int(0)
			e.Int(4)
			e.Int(4)
			e.Int(16)
			e.Uint(0xdeadbeef)
		})
		// libwayland posts it on the pool the buffer was asked of.
		return peWant{pool, "wl_shm_pool", []string{"0xdeadbeef"}}
	}},
	{iface: "wl_shm", err: "invalid_stride", run: func(t *testing.T, r *rig, c *tclient) peWant {
		pool := c.pePool(t)
		buf := c.NewObject("wl_buffer")
		// 12 bytes cannot hold a row of 5 XRGB8888 pixels.
		c.send(pool, wayland.WlShmPoolRequestCreateBuffer, func(e *wire.Encoder) {
			e.NewID(buf)
			e.Int(0)
			e.Int(5)
			e.Int(3)
			e.Int(12)
			e.Uint(1)
		})
		return peWant{pool, "wl_shm_pool", []string{"5x3", "12"}}
	}},
	{iface: "wl_shm", err: "invalid_fd", variant: "create_pool", run: func(t *testing.T, r *rig, c *tclient) peWant {
		// headway maps the pool at create_pool: a pipe cannot be mapped.
		var p [2]int
		require.NoError(t, unix.Pipe2(p[:], unix.O_CLOEXEC))
		t.Cleanup(func() { unix.Close(p[0]); unix.Close(p[1]) })
		shm := c.bind("wl_shm")
		pool := c.NewObject("wl_shm_pool")
		c.send(shm, wayland.WlShmRequestCreatePool, func(e *wire.Encoder) { e.NewID(pool); e.FD(p[0]); e.Int(4096) })
		return peWant{shm, "wl_shm", []string{"mmap"}}
	}},
	{iface: "wl_shm", err: "invalid_fd", variant: "buffer_access", run: peShmTruncation, after: peShmReference},

	// wl_data_source, wl_data_device
	{iface: "wl_data_source", err: "invalid_action_mask", run: func(t *testing.T, r *rig, c *tclient) peWant {
		mgr := c.bind("wl_data_device_manager")
		src := c.peDataSource(mgr)
		c.send(src, wayland.WlDataSourceRequestSetActions, func(e *wire.Encoder) { e.Uint(0x80) })
		return peWant{src, "wl_data_source", []string{"0x80"}}
	}},
	{iface: "wl_data_source", err: "invalid_source", run: func(t *testing.T, r *rig, c *tclient) peWant {
		mgr, dev := c.peDataDevice()
		src := c.peDataSource(mgr)
		c.send(dev, wayland.WlDataDeviceRequestSetSelection, func(e *wire.Encoder) { e.Object(src); e.Uint(0) })
		c.send(src, wayland.WlDataSourceRequestSetActions, func(e *wire.Encoder) { e.Uint(1) })
		return peWant{src, "wl_data_source", []string{"used"}}
	}},
	{iface: "wl_data_device", err: "role", run: func(t *testing.T, r *rig, c *tclient) peWant {
		w := c.toplevel()
		_, dev := c.peDataDevice()
		c.send(dev, wayland.WlDataDeviceRequestStartDrag, func(e *wire.Encoder) {
			e.Object(0)
			e.Object(w.surface)
			e.Object(w.surface)
			e.Uint(0)
		})
		return peWant{dev, "wl_data_device", []string{"wl_surface@" + peID(w.surface), "xdg_surface"}}
	}},
	{iface: "wl_data_device", err: "used_source", run: func(t *testing.T, r *rig, c *tclient) peWant {
		mgr, dev := c.peDataDevice()
		src := c.peDataSource(mgr)
		for range 2 {
			c.send(dev, wayland.WlDataDeviceRequestSetSelection, func(e *wire.Encoder) { e.Object(src); e.Uint(0) })
		}
		return peWant{dev, "wl_data_device", []string{"wl_data_source@" + peID(src)}}
	}},

	// wl_surface
	{iface: "wl_surface", err: "invalid_scale", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		c.send(s, wayland.WlSurfaceRequestSetBufferScale, func(e *wire.Encoder) { e.Int(-3) })
		return peWant{s, "wl_surface", []string{"-3"}}
	}},
	{iface: "wl_surface", err: "invalid_transform", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		c.send(s, wayland.WlSurfaceRequestSetBufferTransform, func(e *wire.Encoder) { e.Int(9) })
		return peWant{s, "wl_surface", []string{"9"}}
	}},
	{iface: "wl_surface", err: "invalid_size", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		buf := c.peSmallBuffer(5, 3)
		c.send(s, wayland.WlSurfaceRequestSetBufferScale, func(e *wire.Encoder) { e.Int(2) })
		c.peAttachCommit(s, buf)
		return peWant{s, "wl_surface", []string{"5x3", "(2)"}}
	}},
	{iface: "wl_surface", err: "defunct_role_object", run: func(t *testing.T, r *rig, c *tclient) peWant {
		w := c.toplevel()
		c.send(w.surface, wayland.WlSurfaceRequestDestroy, nil)
		return peWant{w.surface, "wl_surface", []string{"wl_surface@" + peID(w.surface), "xdg_surface@" + peID(w.xdgSurface)}}
	}},
	{iface: "wl_surface", err: "invalid_offset", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		buf := c.peSmallBuffer(4, 4)
		c.send(s, wayland.WlSurfaceRequestAttach, func(e *wire.Encoder) { e.Object(buf); e.Int(5); e.Int(7) })
		return peWant{s, "wl_surface", []string{"(5, 7)"}}
	}},

	// zwp_linux_buffer_params_v1: wlroots' checks, then headway's extras.
	{iface: "zwp_linux_buffer_params_v1", err: "already_used", run: func(t *testing.T, r *rig, c *tclient) peWant {
		p := c.params(peDmaPlane(t, 0, 0, 64, modifier.Linear))
		c.createImmed(p, 16, 8, fourcc.XRGB8888, 0)
		c.createImmed(p, 16, 8, fourcc.XRGB8888, 0)
		return peWant{p, "zwp_linux_buffer_params_v1", []string{"already used"}}
	}},
	{iface: "zwp_linux_buffer_params_v1", err: "plane_idx", run: func(t *testing.T, r *rig, c *tclient) peWant {
		p := c.params(peDmaPlane(t, 4, 0, 64, modifier.Linear))
		return peWant{p, "zwp_linux_buffer_params_v1", []string{"plane index 4"}}
	}},
	{iface: "zwp_linux_buffer_params_v1", err: "plane_set", run: func(t *testing.T, r *rig, c *tclient) peWant {
		p := c.params(peDmaPlane(t, 0, 0, 64, modifier.Linear), peDmaPlane(t, 0, 0, 64, modifier.Linear))
		return peWant{p, "zwp_linux_buffer_params_v1", []string{"plane 0"}}
	}},
	{iface: "zwp_linux_buffer_params_v1", err: "incomplete", variant: "no_planes", run: func(t *testing.T, r *rig, c *tclient) peWant {
		p := c.params()
		c.createImmed(p, 16, 8, fourcc.XRGB8888, 0)
		return peWant{p, "zwp_linux_buffer_params_v1", []string{"no dmabuf"}}
	}},
	{iface: "zwp_linux_buffer_params_v1", err: "incomplete", variant: "hole", run: func(t *testing.T, r *rig, c *tclient) peWant {
		p := c.params(peDmaPlane(t, 0, 0, 64, modifier.Linear), peDmaPlane(t, 2, 0, 64, modifier.Linear))
		c.createImmed(p, 16, 8, fourcc.XRGB8888, 0)
		return peWant{p, "zwp_linux_buffer_params_v1", []string{"plane 1 is missing"}}
	}},
	{iface: "zwp_linux_buffer_params_v1", err: "incomplete", variant: "plane_count", run: func(t *testing.T, r *rig, c *tclient) peWant {
		p := c.params(peDmaPlane(t, 0, 0, 16, modifier.Linear))
		c.createImmed(p, 16, 8, fourcc.NV12, 0)
		return peWant{p, "zwp_linux_buffer_params_v1", []string{"2"}}
	}},
	{iface: "zwp_linux_buffer_params_v1", err: "invalid_format", variant: "mixed_modifiers", run: func(t *testing.T, r *rig, c *tclient) peWant {
		p := c.params(peDmaPlane(t, 0, 0, 64, modifier.Linear), peDmaPlane(t, 1, 0, 64, modifier.Modifier(0x0100000000000002)))
		return peWant{p, "zwp_linux_buffer_params_v1", []string{"Y_TILED", "LINEAR"}}
	}},
	{iface: "zwp_linux_buffer_params_v1", err: "invalid_format", variant: "unknown_flags", run: func(t *testing.T, r *rig, c *tclient) peWant {
		p := c.params(peDmaPlane(t, 0, 0, 64, modifier.Linear))
		c.createImmed(p, 16, 8, fourcc.XRGB8888, 8)
		return peWant{p, "zwp_linux_buffer_params_v1", []string{"0x8"}}
	}},
	{iface: "zwp_linux_buffer_params_v1", err: "invalid_format", variant: "unadvertised_pair", run: func(t *testing.T, r *rig, c *tclient) peWant {
		// A valid Y-tiled layout (one 128x32 tile), which vkms does not offer.
		fd := dmabufMemfd(t, make([]byte, 4096), true)
		p := c.params(dmaPlane{fd: fd, stride: 128, mod: modifier.Modifier(0x0100000000000002)})
		c.createImmed(p, 16, 8, fourcc.XRGB8888, 0)
		return peWant{p, "zwp_linux_buffer_params_v1", []string{"XRGB8888", "Y_TILED", "not advertised"}}
	}},
	{iface: "zwp_linux_buffer_params_v1", err: "invalid_format", variant: "unknown_format", run: func(t *testing.T, r *rig, c *tclient) peWant {
		p := c.params(peDmaPlane(t, 0, 0, 64, modifier.Linear))
		c.createImmed(p, 16, 8, fourcc.Format(0xdeadbeef), 0)
		return peWant{p, "zwp_linux_buffer_params_v1", []string{"0xdeadbeef"}}
	}},
	{iface: "zwp_linux_buffer_params_v1", err: "invalid_dimensions", run: func(t *testing.T, r *rig, c *tclient) peWant {
		p := c.params(peDmaPlane(t, 0, 0, 64, modifier.Linear))
		c.createImmed(p, 0, 8, fourcc.XRGB8888, 0)
		return peWant{p, "zwp_linux_buffer_params_v1", []string{"width 0"}}
	}},
	{iface: "zwp_linux_buffer_params_v1", err: "out_of_bounds", variant: "offset_stride_overflow", run: func(t *testing.T, r *rig, c *tclient) peWant {
		p := c.params(peDmaPlane(t, 0, 0xffffff00, 0x200, modifier.Linear))
		c.createImmed(p, 16, 8, fourcc.XRGB8888, 0)
		return peWant{p, "zwp_linux_buffer_params_v1", []string{"overflows 32 bits"}}
	}},
	{iface: "zwp_linux_buffer_params_v1", err: "out_of_bounds", variant: "stride_height_overflow", run: func(t *testing.T, r *rig, c *tclient) peWant {
		p := c.params(peDmaPlane(t, 0, 0, 0x10000000, modifier.Linear))
		c.createImmed(p, 16, 32, fourcc.XRGB8888, 0)
		return peWant{p, "zwp_linux_buffer_params_v1", []string{"height 32", "overflows 32 bits"}}
	}},
	{iface: "zwp_linux_buffer_params_v1", err: "out_of_bounds", variant: "past_the_dmabuf", run: func(t *testing.T, r *rig, c *tclient) peWant {
		p := c.params(peDmaPlane(t, 0, 0, 64, modifier.Linear))
		c.createImmed(p, 16, 9, fourcc.XRGB8888, 0) // the memfd holds 8 rows
		return peWant{p, "zwp_linux_buffer_params_v1", []string{"height 9", "512-byte"}}
	}},
	{iface: "zwp_linux_buffer_params_v1", err: "invalid_wl_buffer", run: func(t *testing.T, r *rig, c *tclient) peWant {
		fd := dmabufMemfd(t, make([]byte, 512), false)
		p := c.params(dmaPlane{fd: fd, stride: 64, mod: modifier.Linear})
		c.createImmed(p, 16, 8, fourcc.XRGB8888, 0)
		return peWant{p, "zwp_linux_buffer_params_v1", []string{"F_SEAL_SHRINK"}}
	}},

	// wl_seat, wl_pointer
	{iface: "wl_seat", err: "missing_capability", run: func(t *testing.T, r *rig, c *tclient) peWant {
		seat := c.bind("wl_seat")
		touch := c.NewObject("wl_touch")
		c.send(seat, wayland.WlSeatRequestGetTouch, func(e *wire.Encoder) { e.NewID(touch) })
		return peWant{seat, "wl_seat", []string{"touch"}}
	}},
	{iface: "wl_pointer", err: "role", run: func(t *testing.T, r *rig, c *tclient) peWant {
		w := c.toplevel()
		seat := c.bind("wl_seat")
		ptr := c.NewObject("wl_pointer")
		c.send(seat, wayland.WlSeatRequestGetPointer, func(e *wire.Encoder) { e.NewID(ptr) })
		c.send(ptr, wayland.WlPointerRequestSetCursor, func(e *wire.Encoder) { e.Uint(0); e.Object(w.surface); e.Int(0); e.Int(0) })
		return peWant{ptr, "wl_pointer", []string{"wl_surface@" + peID(w.surface), "xdg_surface"}}
	}},

	// wl_subcompositor, wl_subsurface
	{iface: "wl_subcompositor", err: "bad_surface", run: func(t *testing.T, r *rig, c *tclient) peWant {
		w := c.toplevel()
		p := c.newSurface()
		c.peSubsurface(w.surface, p)
		return peWant{c.bound["wl_subcompositor"], "wl_subcompositor", []string{"wl_surface@" + peID(w.surface), "xdg_surface"}}
	}},
	{iface: "wl_subcompositor", err: "bad_parent", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		c.peSubsurface(s, s)
		return peWant{c.bound["wl_subcompositor"], "wl_subcompositor", []string{"wl_surface@" + peID(s), "own parent"}}
	}},
	{iface: "wl_subsurface", err: "bad_surface", run: func(t *testing.T, r *rig, c *tclient) peWant {
		p := c.newSurface()
		s := c.newSurface()
		stranger := c.newSurface()
		sub := c.peSubsurface(s, p)
		c.send(sub, wayland.WlSubsurfaceRequestPlaceAbove, func(e *wire.Encoder) { e.Object(stranger) })
		return peWant{sub, "wl_subsurface", []string{"wl_surface@" + peID(stranger)}}
	}},

	// xdg_wm_base
	{iface: "xdg_wm_base", err: "role", run: func(t *testing.T, r *rig, c *tclient) peWant {
		p := c.newSurface()
		s := c.newSurface()
		c.peSubsurface(s, p)
		c.peXdgSurface(s)
		return peWant{c.bound["xdg_wm_base"], "xdg_wm_base", []string{"wl_surface@" + peID(s), "wl_subsurface"}}
	}},
	{iface: "xdg_wm_base", err: "defunct_surfaces", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		xs := c.peXdgSurface(s)
		wm := c.bound["xdg_wm_base"]
		c.send(wm, xdgshell.XdgWmBaseRequestDestroy, nil)
		return peWant{wm, "xdg_wm_base", []string{"xdg_surface@" + peID(xs)}}
	}},
	{iface: "xdg_wm_base", err: "not_the_topmost_popup", run: func(t *testing.T, r *rig, c *tclient) peWant {
		w := c.toplevel()
		_, xs1, popup1 := c.pePopup(w.xdgSurface)
		c.pePopup(xs1)
		c.send(popup1, xdgshell.XdgPopupRequestDestroy, nil)
		return peWant{c.bound["xdg_wm_base"], "xdg_wm_base", []string{"xdg_popup@" + peID(popup1)}}
	}},
	{iface: "xdg_wm_base", err: "invalid_popup_parent", run: func(t *testing.T, r *rig, c *tclient) peWant {
		pos := c.pePositioner(true)
		s := c.newSurface()
		xs := c.peXdgSurface(s)
		popup := c.NewObject("xdg_popup")
		c.send(xs, xdgshell.XdgSurfaceRequestGetPopup, func(e *wire.Encoder) { e.NewID(popup); e.Object(0); e.Object(pos) })
		return peWant{c.bound["xdg_wm_base"], "xdg_wm_base", []string{"without a parent"}}
	}},
	{iface: "xdg_wm_base", err: "invalid_surface_state", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		buf := c.peSmallBuffer(4, 4)
		c.send(s, wayland.WlSurfaceRequestAttach, func(e *wire.Encoder) { e.Object(buf); e.Int(0); e.Int(0) })
		c.peXdgSurface(s)
		return peWant{c.bound["xdg_wm_base"], "xdg_wm_base", []string{"wl_surface@" + peID(s), "buffer"}}
	}},
	{iface: "xdg_wm_base", err: "invalid_positioner", run: func(t *testing.T, r *rig, c *tclient) peWant {
		w := c.toplevel()
		pos := c.pePositioner(false) // a size but no anchor rectangle
		s := c.newSurface()
		xs := c.peXdgSurface(s)
		popup := c.NewObject("xdg_popup")
		c.send(xs, xdgshell.XdgSurfaceRequestGetPopup, func(e *wire.Encoder) { e.NewID(popup); e.Object(w.xdgSurface); e.Object(pos) })
		return peWant{c.bound["xdg_wm_base"], "xdg_wm_base", []string{"xdg_positioner@" + peID(pos), "incomplete"}}
	}},

	// xdg_positioner
	{iface: "xdg_positioner", err: "invalid_input", run: func(t *testing.T, r *rig, c *tclient) peWant {
		wm := c.bind("xdg_wm_base")
		p := c.NewObject("xdg_positioner")
		c.send(wm, xdgshell.XdgWmBaseRequestCreatePositioner, func(e *wire.Encoder) { e.NewID(p) })
		c.send(p, xdgshell.XdgPositionerRequestSetSize, func(e *wire.Encoder) { e.Int(0); e.Int(-4) })
		return peWant{p, "xdg_positioner", []string{"0x-4"}}
	}},

	// xdg_surface
	{iface: "xdg_surface", err: "not_constructed", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		xs := c.peXdgSurface(s)
		c.send(s, wayland.WlSurfaceRequestCommit, nil)
		return peWant{xs, "xdg_surface", []string{"xdg_surface@" + peID(xs), "toplevel or popup"}}
	}},
	{iface: "xdg_surface", err: "already_constructed", run: func(t *testing.T, r *rig, c *tclient) peWant {
		w := c.toplevel()
		again := c.NewObject("xdg_toplevel")
		c.send(w.xdgSurface, xdgshell.XdgSurfaceRequestGetToplevel, func(e *wire.Encoder) { e.NewID(again) })
		return peWant{w.xdgSurface, "xdg_surface", []string{"xdg_surface@" + peID(w.xdgSurface), "already"}}
	}},
	{iface: "xdg_surface", err: "unconfigured_buffer", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		xs := c.peXdgSurface(s)
		tl := c.NewObject("xdg_toplevel")
		c.send(xs, xdgshell.XdgSurfaceRequestGetToplevel, func(e *wire.Encoder) { e.NewID(tl) })
		c.send(s, wayland.WlSurfaceRequestCommit, nil)
		// The configure comes, but is never acked.
		c.waitFor(xs, xdgshell.XdgSurfaceEventConfigure)
		c.peAttachCommit(s, c.peSmallBuffer(4, 4))
		return peWant{xs, "xdg_surface", []string{"xdg_surface@" + peID(xs), "configure"}}
	}},
	{iface: "xdg_surface", err: "invalid_serial", run: func(t *testing.T, r *rig, c *tclient) peWant {
		w := c.toplevel()
		c.send(w.xdgSurface, xdgshell.XdgSurfaceRequestAckConfigure, func(e *wire.Encoder) { e.Uint(12345) })
		return peWant{w.xdgSurface, "xdg_surface", []string{"12345"}}
	}},
	{iface: "xdg_surface", err: "invalid_size", run: func(t *testing.T, r *rig, c *tclient) peWant {
		w := c.toplevel()
		c.send(w.xdgSurface, xdgshell.XdgSurfaceRequestSetWindowGeometry, func(e *wire.Encoder) { e.Int(0); e.Int(0); e.Int(0); e.Int(10) })
		return peWant{w.xdgSurface, "xdg_surface", []string{"0x10"}}
	}},
	{iface: "xdg_surface", err: "defunct_role_object", run: func(t *testing.T, r *rig, c *tclient) peWant {
		w := c.toplevel()
		c.send(w.xdgSurface, xdgshell.XdgSurfaceRequestDestroy, nil)
		return peWant{w.xdgSurface, "xdg_surface", []string{"xdg_surface@" + peID(w.xdgSurface), "role object"}}
	}},

	// xdg_toplevel
	{iface: "xdg_toplevel", err: "invalid_resize_edge", run: func(t *testing.T, r *rig, c *tclient) peWant {
		w := c.toplevel()
		seat := c.bind("wl_seat")
		c.send(w.toplevel, xdgshell.XdgToplevelRequestResize, func(e *wire.Encoder) { e.Object(seat); e.Uint(0); e.Uint(11) })
		return peWant{w.toplevel, "xdg_toplevel", []string{"11"}}
	}},
	{iface: "xdg_toplevel", err: "invalid_parent", run: func(t *testing.T, r *rig, c *tclient) peWant {
		w := c.toplevel()
		c.send(w.toplevel, xdgshell.XdgToplevelRequestSetParent, func(e *wire.Encoder) { e.Object(w.toplevel) })
		return peWant{w.toplevel, "xdg_toplevel", []string{"xdg_toplevel@" + peID(w.toplevel)}}
	}},
	{iface: "xdg_toplevel", err: "invalid_size", run: func(t *testing.T, r *rig, c *tclient) peWant {
		// Checked at commit, and posted on the toplevel, not the surface.
		w := c.toplevel()
		c.send(w.toplevel, xdgshell.XdgToplevelRequestSetMinSize, func(e *wire.Encoder) { e.Int(200); e.Int(150) })
		c.send(w.toplevel, xdgshell.XdgToplevelRequestSetMaxSize, func(e *wire.Encoder) { e.Int(100); e.Int(100) })
		c.send(w.surface, wayland.WlSurfaceRequestCommit, nil)
		return peWant{w.toplevel, "xdg_toplevel", []string{"200x150", "100x100"}}
	}},

	// xdg_popup
	{iface: "xdg_popup", err: "invalid_grab", run: func(t *testing.T, r *rig, c *tclient) peWant {
		w := c.toplevel()
		seat := c.bind("wl_seat")
		s, _, popup := c.pePopup(w.xdgSurface)
		c.send(s, wayland.WlSurfaceRequestCommit, nil)
		c.send(popup, xdgshell.XdgPopupRequestGrab, func(e *wire.Encoder) { e.Object(seat); e.Uint(0) })
		return peWant{popup, "xdg_popup", []string{"xdg_popup@" + peID(popup), "committed"}}
	}},

	// wp_viewporter, wp_viewport
	{iface: "wp_viewporter", err: "viewport_exists", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		c.peViewport(s)
		c.peViewport(s)
		return peWant{c.bound["wp_viewporter"], "wp_viewporter", []string{"wl_surface@" + peID(s)}}
	}},
	{iface: "wp_viewport", err: "bad_value", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		v := c.peViewport(s)
		c.send(v, viewporter.WpViewportRequestSetDestination, func(e *wire.Encoder) { e.Int(0); e.Int(5) })
		return peWant{v, "wp_viewport", []string{"0x5"}}
	}},
	{iface: "wp_viewport", err: "bad_size", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		v := c.peViewport(s)
		buf := c.peSmallBuffer(8, 8)
		c.send(v, viewporter.WpViewportRequestSetSource, func(e *wire.Encoder) {
			e.Fixed(0)
			e.Fixed(0)
			e.Fixed(wire.FixedFromFloat(2.5))
			e.Fixed(wire.FixedFromFloat(3.5))
		})
		c.peAttachCommit(s, buf)
		return peWant{v, "wp_viewport", []string{"2.5x3.5"}}
	}},
	{iface: "wp_viewport", err: "out_of_buffer", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		v := c.peViewport(s)
		buf := c.peSmallBuffer(8, 6)
		c.send(v, viewporter.WpViewportRequestSetSource, func(e *wire.Encoder) {
			e.Fixed(wire.FixedFromInt(4))
			e.Fixed(0)
			e.Fixed(wire.FixedFromInt(8))
			e.Fixed(wire.FixedFromInt(2))
		})
		c.peAttachCommit(s, buf)
		return peWant{v, "wp_viewport", []string{"8x6"}}
	}},
	{iface: "wp_viewport", err: "no_surface", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		v := c.peViewport(s)
		c.send(s, wayland.WlSurfaceRequestDestroy, nil)
		c.send(v, viewporter.WpViewportRequestSetDestination, func(e *wire.Encoder) { e.Int(4); e.Int(4) })
		return peWant{v, "wp_viewport", []string{"wl_surface", "destroyed"}}
	}},

	// headway_test_v1
	{iface: "headway_test_v1", err: "not_manual", lockstep: true, run: func(t *testing.T, r *rig, c *tclient) peWant {
		test := c.bind("headway_test_v1")
		cb := c.NewObject("wl_callback")
		c.send(test, headwaytest.HeadwayTestV1RequestAdvance, func(e *wire.Encoder) { e.NewID(cb); e.Uint(1) })
		return peWant{test, "headway_test_v1", []string{"lockstep"}}
	}},
	{iface: "headway_test_v1", err: "invalid_count", run: func(t *testing.T, r *rig, c *tclient) peWant {
		test := c.bind("headway_test_v1")
		cb := c.NewObject("wl_callback")
		c.send(test, headwaytest.HeadwayTestV1RequestAdvance, func(e *wire.Encoder) { e.NewID(cb); e.Uint(5000) })
		return peWant{test, "headway_test_v1", []string{"5000"}}
	}},
	{iface: "headway_test_v1", err: "invalid_buffer", run: func(t *testing.T, r *rig, c *tclient) peWant {
		test := c.bind("headway_test_v1")
		buf := c.peSmallBuffer(4, 4)
		res := c.NewObject("headway_test_capture_v1")
		c.send(test, headwaytest.HeadwayTestV1RequestCapture, func(e *wire.Encoder) { e.NewID(res); e.Object(buf) })
		return peWant{test, "headway_test_v1", []string{"4x4"}}
	}},
	{iface: "headway_test_v1", err: "no_role", run: func(t *testing.T, r *rig, c *tclient) peWant {
		test := c.bind("headway_test_v1")
		s := c.newSurface()
		c.send(test, headwaytest.HeadwayTestV1RequestMoveSurface, func(e *wire.Encoder) { e.Object(s); e.Int(1); e.Int(1) })
		return peWant{test, "headway_test_v1", []string{"wl_surface@" + peID(s)}}
	}},
	{iface: "headway_test_v1", err: "invalid_name", run: func(t *testing.T, r *rig, c *tclient) peWant {
		test := c.bind("headway_test_v1")
		c.send(test, headwaytest.HeadwayTestV1RequestSetClientName, func(e *wire.Encoder) { e.String("no spaces") })
		return peWant{test, "headway_test_v1", []string{"no spaces"}}
	}},
	{iface: "headway_test_v1", err: "not_dmabuf", run: func(t *testing.T, r *rig, c *tclient) peWant {
		buf := c.peSmallBuffer(4, 4)
		f, _ := syncFile(t, 1)
		c.importSyncFile(buf, f.Fd(), syncWrite)
		return peWant{c.bind("headway_test_v1"), "headway_test_v1", []string{"wl_buffer@" + peID(buf)}}
	}},
	{iface: "headway_test_v1", err: "invalid_sync_file", run: func(t *testing.T, r *rig, c *tclient) peWant {
		buf := c.dmabufXRGB(t, 16, 8, make([]byte, 512))
		c.importSyncFile(buf, dmabufMemfd(t, make([]byte, 64), true), syncWrite)
		return peWant{c.bind("headway_test_v1"), "headway_test_v1", []string{"sync_file"}}
	}},
	{iface: "headway_test_v1", err: "invalid_sync_file", variant: "flags", run: func(t *testing.T, r *rig, c *tclient) peWant {
		buf := c.dmabufXRGB(t, 16, 8, make([]byte, 512))
		test := c.bind("headway_test_v1")
		res := c.NewObject("headway_test_sync_file_v1")
		c.send(test, headwaytest.HeadwayTestV1RequestExportSyncFile, func(e *wire.Encoder) { e.NewID(res); e.Object(buf); e.Uint(4) })
		return peWant{test, "headway_test_v1", []string{"0x4"}}
	}},
	{iface: "headway_test_v1", err: "invalid_input", run: func(t *testing.T, r *rig, c *tclient) peWant {
		test := c.bind("headway_test_v1")
		c.send(test, headwaytest.HeadwayTestV1RequestPointerButton, func(e *wire.Encoder) { e.Uint(0x110); e.Uint(2) })
		return peWant{test, "headway_test_v1", []string{"state 2"}}
	}},

	// wp_linux_drm_syncobj_manager_v1 and wp_linux_drm_syncobj_surface_v1.
	// Where several commit errors apply, wlroots' order holds (no_buffer,
	// no_acquire_point, no_release_point, conflicting_points), then
	// Smithay's unsupported_buffer last: the variants pin it.
	{iface: "wp_linux_drm_syncobj_manager_v1", err: "surface_exists", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		c.syncobjSurface(s)
		c.syncobjSurface(s)
		return peWant{c.bind("wp_linux_drm_syncobj_manager_v1"), "wp_linux_drm_syncobj_manager_v1", []string{"wl_surface@" + peID(s)}}
	}},
	{iface: "wp_linux_drm_syncobj_manager_v1", err: "invalid_timeline", run: func(t *testing.T, r *rig, c *tclient) peWant {
		mgr := c.bind("wp_linux_drm_syncobj_manager_v1")
		id := c.NewObject("wp_linux_drm_syncobj_timeline_v1")
		fd := dmabufMemfd(t, make([]byte, 100), true) // a memfd, but no timeline page
		c.send(mgr, drmsyncobjv1.WpLinuxDrmSyncobjManagerV1RequestImportTimeline, func(e *wire.Encoder) { e.NewID(id); e.FD(fd) })
		return peWant{mgr, "wp_linux_drm_syncobj_manager_v1", []string{"size 100"}}
	}},
	{iface: "wp_linux_drm_syncobj_surface_v1", err: "no_surface", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		so := c.syncobjSurface(s)
		tl, _ := c.importTimeline()
		c.send(s, wayland.WlSurfaceRequestDestroy, nil)
		c.setAcquire(so, tl, 1)
		return peWant{so, "wp_linux_drm_syncobj_surface_v1", []string{"wl_surface", "destroyed"}}
	}},
	{iface: "wp_linux_drm_syncobj_surface_v1", err: "no_buffer", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		so := c.syncobjSurface(s)
		tl, _ := c.importTimeline()
		c.setAcquire(so, tl, 1)
		c.setRelease(so, tl, 2)
		c.send(s, wayland.WlSurfaceRequestCommit, nil)
		return peWant{so, "wp_linux_drm_syncobj_surface_v1", []string{"acquire point", "no buffer"}}
	}},
	{iface: "wp_linux_drm_syncobj_surface_v1", err: "no_buffer", variant: "release only, null buffer", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		so := c.syncobjSurface(s)
		tl, _ := c.importTimeline()
		c.setRelease(so, tl, 2)
		c.peAttachCommit(s, 0)
		return peWant{so, "wp_linux_drm_syncobj_surface_v1", []string{"release point", "no buffer"}}
	}},
	{iface: "wp_linux_drm_syncobj_surface_v1", err: "no_acquire_point", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		so := c.syncobjSurface(s)
		tl, _ := c.importTimeline()
		c.setRelease(so, tl, 2)
		buf := c.dmabufXRGB(t, 16, 8, make([]byte, 512))
		c.peAttachCommit(s, buf)
		return peWant{so, "wp_linux_drm_syncobj_surface_v1", []string{"wl_buffer@" + peID(buf), "acquire"}}
	}},
	{iface: "wp_linux_drm_syncobj_surface_v1", err: "no_acquire_point", variant: "before unsupported_buffer", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		so := c.syncobjSurface(s)
		buf := c.peSmallBuffer(4, 4)
		c.peAttachCommit(s, buf)
		return peWant{so, "wp_linux_drm_syncobj_surface_v1", []string{"wl_buffer@" + peID(buf), "acquire"}}
	}},
	{iface: "wp_linux_drm_syncobj_surface_v1", err: "no_release_point", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		so := c.syncobjSurface(s)
		tl, _ := c.importTimeline()
		c.setAcquire(so, tl, 1)
		buf := c.dmabufXRGB(t, 16, 8, make([]byte, 512))
		c.peAttachCommit(s, buf)
		return peWant{so, "wp_linux_drm_syncobj_surface_v1", []string{"wl_buffer@" + peID(buf), "release"}}
	}},
	{iface: "wp_linux_drm_syncobj_surface_v1", err: "conflicting_points", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		so := c.syncobjSurface(s)
		tl, _ := c.importTimeline()
		c.setAcquire(so, tl, 5)
		c.setRelease(so, tl, 5)
		buf := c.dmabufXRGB(t, 16, 8, make([]byte, 512))
		c.peAttachCommit(s, buf)
		return peWant{so, "wp_linux_drm_syncobj_surface_v1", []string{"5", "wp_linux_drm_syncobj_timeline_v1@" + peID(tl)}}
	}},
	{iface: "wp_linux_drm_syncobj_surface_v1", err: "conflicting_points", variant: "before unsupported_buffer", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		so := c.syncobjSurface(s)
		tl, _ := c.importTimeline()
		c.setAcquire(so, tl, 1<<32|7)
		c.setRelease(so, tl, 3) // 3 < 2^32+7: the 64-bit point is compared
		c.peAttachCommit(s, c.peSmallBuffer(4, 4))
		return peWant{so, "wp_linux_drm_syncobj_surface_v1", []string{"4294967303"}}
	}},
	{iface: "wp_linux_drm_syncobj_surface_v1", err: "unsupported_buffer", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		so := c.syncobjSurface(s)
		tl, _ := c.importTimeline()
		c.setAcquire(so, tl, 1)
		c.setRelease(so, tl, 2)
		buf := c.peSmallBuffer(4, 4)
		c.peAttachCommit(s, buf)
		return peWant{so, "wp_linux_drm_syncobj_surface_v1", []string{"wl_buffer@" + peID(buf), "shm"}}
	}},

	// zwp_linux_explicit_synchronization_v1 and
	// zwp_linux_surface_synchronization_v1, in weston's order.
	{iface: "zwp_linux_explicit_synchronization_v1", err: "synchronization_exists", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		c.surfaceSync(s)
		c.surfaceSync(s)
		return peWant{c.bind("zwp_linux_explicit_synchronization_v1"), "zwp_linux_explicit_synchronization_v1", []string{"wl_surface@" + peID(s)}}
	}},
	{iface: "zwp_linux_surface_synchronization_v1", err: "invalid_fence", run: func(t *testing.T, r *rig, c *tclient) peWant {
		ss := c.surfaceSync(c.newSurface())
		c.setAcquireFence(ss, dmabufMemfd(t, make([]byte, 64), true)) // a memfd is no sync_file
		return peWant{ss, "zwp_linux_surface_synchronization_v1", []string{"sync_file"}}
	}},
	{iface: "zwp_linux_surface_synchronization_v1", err: "duplicate_fence", run: func(t *testing.T, r *rig, c *tclient) peWant {
		ss := c.surfaceSync(c.newSurface())
		f, _ := syncFile(t, 1)
		c.setAcquireFence(ss, f.Fd())
		c.setAcquireFence(ss, f.Fd())
		return peWant{ss, "zwp_linux_surface_synchronization_v1", []string{"already"}}
	}},
	{iface: "zwp_linux_surface_synchronization_v1", err: "duplicate_release", run: func(t *testing.T, r *rig, c *tclient) peWant {
		ss := c.surfaceSync(c.newSurface())
		rel := c.getRelease(ss)
		c.getRelease(ss)
		return peWant{ss, "zwp_linux_surface_synchronization_v1", []string{"zwp_linux_buffer_release_v1@" + peID(rel)}}
	}},
	{iface: "zwp_linux_surface_synchronization_v1", err: "no_surface", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		ss := c.surfaceSync(s)
		c.send(s, wayland.WlSurfaceRequestDestroy, nil)
		c.getRelease(ss)
		return peWant{ss, "zwp_linux_surface_synchronization_v1", []string{"wl_surface", "destroyed"}}
	}},
	{iface: "zwp_linux_surface_synchronization_v1", err: "no_surface", variant: "before invalid_fence", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		ss := c.surfaceSync(s)
		c.send(s, wayland.WlSurfaceRequestDestroy, nil)
		c.setAcquireFence(ss, dmabufMemfd(t, make([]byte, 64), true))
		return peWant{ss, "zwp_linux_surface_synchronization_v1", []string{"wl_surface", "destroyed"}}
	}},
	{iface: "zwp_linux_surface_synchronization_v1", err: "unsupported_buffer", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		ss := c.surfaceSync(s)
		f, _ := syncFile(t, 1)
		c.setAcquireFence(ss, f.Fd())
		buf := c.peSmallBuffer(4, 4)
		c.peAttachCommit(s, buf)
		return peWant{ss, "zwp_linux_surface_synchronization_v1", []string{"wl_buffer@" + peID(buf), "shm"}}
	}},
	{iface: "zwp_linux_surface_synchronization_v1", err: "no_buffer", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		ss := c.surfaceSync(s)
		f, _ := syncFile(t, 1)
		c.setAcquireFence(ss, f.Fd())
		c.send(s, wayland.WlSurfaceRequestCommit, nil)
		return peWant{ss, "zwp_linux_surface_synchronization_v1", []string{"acquire fence", "no buffer"}}
	}},
	{iface: "zwp_linux_surface_synchronization_v1", err: "no_buffer", variant: "release without buffer", run: func(t *testing.T, r *rig, c *tclient) peWant {
		s := c.newSurface()
		ss := c.surfaceSync(s)
		c.getRelease(ss)
		c.send(s, wayland.WlSurfaceRequestCommit, nil)
		return peWant{ss, "zwp_linux_surface_synchronization_v1", []string{"release", "no buffer"}}
	}},
}

// peErrorEntries loads the protocol XML and returns the error entries
// ("interface/error" → code) of every interface a client of these globals
// can reach: wl_display and the globals, then every interface a request or
// event creates (new_id), transitively.
func peErrorEntries(t *testing.T, globals []string) map[string]uint32 {
	set, err := spec.Load(os.DirFS("../protocol/xml"))
	require.NoError(t, err)
	seen := map[string]bool{}
	queue := append([]string{"wl_display"}, globals...)
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		if seen[name] {
			continue
		}
		iface := set.Interface(name)
		require.NotNil(t, iface, "interface %s is in no protocol XML", name)
		seen[name] = true
		for _, ms := range [][]spec.Message{iface.Requests, iface.Events} {
			for _, m := range ms {
				for _, a := range m.Args {
					if a.Type == spec.ArgNewID && a.Interface != "" {
						queue = append(queue, a.Interface)
					}
				}
			}
		}
	}
	names := slices.Sorted(maps.Keys(seen))
	t.Logf("served interfaces: %s", strings.Join(names, " "))
	out := map[string]uint32{}
	for _, name := range names {
		if e := set.Interface(name).Enum("error"); e != nil {
			for _, en := range e.Entries {
				out[name+"/"+en.Name] = en.Value
			}
		}
	}
	return out
}

func TestProtocolErrors(t *testing.T) {
	// The served interfaces come from a live registry, not a list here.
	probe := peRig(t, compositor.Manual)
	var globals []string
	for name := range probe.dial().globals {
		globals = append(globals, name)
	}
	entries := peErrorEntries(t, globals)

	t.Run("coverage", func(t *testing.T) {
		tested := map[string]bool{}
		names := map[string]bool{}
		for _, pc := range peCases {
			assert.False(t, names[pc.name()], "two cases named %s", pc.name())
			names[pc.name()] = true
			tested[pc.pair()] = true
			_, untrig := peUntriggerable[pc.pair()]
			assert.False(t, untrig, "%s has a case and is listed as untriggerable", pc.pair())
		}
		var missing, unknown []string
		for pair := range entries {
			if _, ok := peUntriggerable[pair]; !tested[pair] && !ok {
				missing = append(missing, pair)
			}
		}
		for pair := range tested {
			if _, ok := entries[pair]; !ok {
				unknown = append(unknown, pair)
			}
		}
		for pair := range peUntriggerable {
			if _, ok := entries[pair]; !ok {
				unknown = append(unknown, pair)
			}
		}
		slices.Sort(missing)
		slices.Sort(unknown)
		assert.Empty(t, missing, "error entries with neither a case nor a reason in peUntriggerable")
		assert.Empty(t, unknown, "cases or untriggerable pairs that are no error entry of a served interface")
	})

	for _, pc := range peCases {
		t.Run(pc.name(), func(t *testing.T) {
			code, ok := entries[pc.pair()]
			require.True(t, ok, "%s is no error entry of a served interface", pc.pair())
			clock := compositor.Manual
			if pc.lockstep {
				clock = compositor.Lockstep
			}
			r := peRig(t, clock)
			by := newPeBystander(t, r, clock == compositor.Manual)

			c := r.dial()
			want := pc.run(t, r, c)
			de := c.expectError(want.obj, want.iface, code)
			assert.NotEmpty(t, strings.TrimSpace(de.Message), "error message")
			for _, s := range want.msg {
				assert.Contains(t, de.Message, s, "the message names the cause")
			}

			if pc.after != nil {
				pc.after(t, r, by)
			}
			by.check(t)
		})
	}
}
