package compositor_test

import (
	"os"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/clients/rawwire"
	"github.com/headwaywl/headway/compositor"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/formatset"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/headwaywl/headway/modifiers/tiling"
	"github.com/headwaywl/headway/protocol/linuxdmabuf"
	"github.com/headwaywl/headway/protocol/viewporter"
	"github.com/headwaywl/headway/protocol/wayland"
	"github.com/headwaywl/headway/protocol/wire"
)

// dmabufMemfd is a client's fake dma-buf: a memfd holding data, sealed
// against shrinking when sealed is true.
func dmabufMemfd(t testing.TB, data []byte, sealed bool) int {
	t.Helper()
	fd, err := unix.MemfdCreate("headway-test-dmabuf", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	require.NoError(t, err)
	t.Cleanup(func() { unix.Close(fd) })
	require.NoError(t, unix.Ftruncate(fd, int64(len(data))))
	_, err = unix.Pwrite(fd, data, 0)
	require.NoError(t, err)
	if sealed {
		_, err = unix.FcntlInt(uintptr(fd), unix.F_ADD_SEALS, unix.F_SEAL_SHRINK|unix.F_SEAL_GROW)
		require.NoError(t, err)
	}
	return fd
}

type dmaPlane struct {
	fd             int
	idx            uint32
	offset, stride uint32
	mod            modifier.Modifier
}

// params creates zwp_linux_buffer_params_v1 and adds the planes.
func (c *tclient) params(planes ...dmaPlane) uint32 {
	dm := c.bind("zwp_linux_dmabuf_v1")
	p := c.NewObject("zwp_linux_buffer_params_v1")
	c.send(dm, linuxdmabuf.ZwpLinuxDmabufV1RequestCreateParams, func(e *wire.Encoder) { e.NewID(p) })
	for _, pl := range planes {
		c.send(p, linuxdmabuf.ZwpLinuxBufferParamsV1RequestAdd, func(e *wire.Encoder) {
			e.FD(pl.fd)
			e.Uint(pl.idx)
			e.Uint(pl.offset)
			e.Uint(pl.stride)
			e.Uint(uint32(uint64(pl.mod) >> 32))
			e.Uint(uint32(pl.mod))
		})
	}
	return p
}

func (c *tclient) createImmed(p uint32, w, h int32, f fourcc.Format, flags uint32) uint32 {
	buf := c.NewObject("wl_buffer")
	c.send(p, linuxdmabuf.ZwpLinuxBufferParamsV1RequestCreateImmed, func(e *wire.Encoder) {
		e.NewID(buf)
		e.Int(w)
		e.Int(h)
		e.Uint(uint32(f))
		e.Uint(flags)
	})
	return buf
}

func TestDmabufLinearEqualsShm(t *testing.T) {
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	c := r.dial()
	w := c.toplevel()
	pic := testPicture(16, 8)
	c.showPicture(w.surface, pic)
	want := crcAfter(c, r)

	fd := dmabufMemfd(t, pic.bytes(), true)
	buf := c.createImmed(c.params(dmaPlane{fd: fd, stride: 64, mod: modifier.Linear}), 16, 8, fourcc.XRGB8888, 0)
	c.show(w.surface, buf)
	assert.Equal(t, want, crcAfter(c, r), "a LINEAR dmabuf shows as the same picture in shm")

	// The implicit modifier (INVALID) means LINEAR on headway's device.
	fdi := dmabufMemfd(t, pic.bytes(), true)
	bufi := c.createImmed(c.params(dmaPlane{fd: fdi, stride: 64, mod: modifier.Invalid}), 16, 8, fourcc.XRGB8888, 0)
	c.show(w.surface, bufi)
	assert.Equal(t, want, crcAfter(c, r), "INVALID imports and renders as LINEAR")

	// y_invert: rows stored bottom up show the same picture.
	inv := picture{w: 16, h: 8, px: make([]uint32, 128)}
	for y := 0; y < 8; y++ {
		copy(inv.px[y*16:(y+1)*16], pic.px[(7-y)*16:(8-y)*16])
	}
	fd2 := dmabufMemfd(t, inv.bytes(), true)
	buf2 := c.createImmed(c.params(dmaPlane{fd: fd2, stride: 64, mod: modifier.Linear}), 16, 8, fourcc.XRGB8888, 1)
	c.show(w.surface, buf2)
	assert.Equal(t, want, crcAfter(c, r), "y_invert is honoured")
}

func TestDmabufCreateAnswersCreatedOrFailed(t *testing.T) {
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	c := r.dial()
	pic := testPicture(4, 4)

	p := c.params(dmaPlane{fd: dmabufMemfd(t, pic.bytes(), true), stride: 16, mod: modifier.Linear})
	c.send(p, linuxdmabuf.ZwpLinuxBufferParamsV1RequestCreate, func(e *wire.Encoder) { e.Int(4); e.Int(4); e.Uint(uint32(fourcc.XRGB8888)); e.Uint(0) })
	m := c.waitFor(p, linuxdmabuf.ZwpLinuxBufferParamsV1EventCreated)
	a, err := m.Args("n")
	require.NoError(t, err)
	assert.GreaterOrEqual(t, a[0].(uint32), uint32(0xff000000), "a server-created wl_buffer")

	// Memory that could shrink under the mapping is refused: no protocol
	// error may follow once a buffer exists.
	p2 := c.params(dmaPlane{fd: dmabufMemfd(t, pic.bytes(), false), stride: 16, mod: modifier.Linear})
	c.send(p2, linuxdmabuf.ZwpLinuxBufferParamsV1RequestCreate, func(e *wire.Encoder) { e.Int(4); e.Int(4); e.Uint(uint32(fourcc.XRGB8888)); e.Uint(0) })
	c.waitFor(p2, linuxdmabuf.ZwpLinuxBufferParamsV1EventFailed)

	// Neither is anything else: a pipe, a file on tmpfs.
	var pfd [2]int
	require.NoError(t, unix.Pipe2(pfd[:], unix.O_CLOEXEC))
	defer unix.Close(pfd[0])
	defer unix.Close(pfd[1])
	tmp, err := os.CreateTemp(t.TempDir(), "not-a-dmabuf")
	require.NoError(t, err)
	defer tmp.Close()
	_, err = tmp.Write(pic.bytes())
	require.NoError(t, err)
	for _, fd := range []int{pfd[0], int(tmp.Fd())} {
		p := c.params(dmaPlane{fd: fd, stride: 16, mod: modifier.Linear})
		c.send(p, linuxdmabuf.ZwpLinuxBufferParamsV1RequestCreate, func(e *wire.Encoder) { e.Int(4); e.Int(4); e.Uint(uint32(fourcc.XRGB8888)); e.Uint(0) })
		c.waitFor(p, linuxdmabuf.ZwpLinuxBufferParamsV1EventFailed)
	}
	c.sync()
}

// TestDmabufLenientWarnsAndImports: with the checks beyond wlroots' made
// lenient, a pair the profile does not advertise (XRGB8888 Y-tiled on
// vkms) is a dmabuf_warning in the log and the buffer imports; the tiled
// picture renders to the CRC of the same picture in LINEAR.
func TestDmabufLenientWarnsAndImports(t *testing.T) {
	var log lockedBuffer
	r := startRig(t, compositor.Config{Clock: compositor.Manual, DmabufLenient: true, NegotiationLog: &log})
	c := r.dial()
	w := c.toplevel()
	pic := testPicture(16, 8)
	c.showPicture(w.surface, pic)
	want := crcAfter(c, r)

	yTiled := modifier.Modifier(0x0100000000000002)
	tl, err := tiling.For(yTiled, 4)
	require.NoError(t, err)
	tiled := make([]byte, 4096) // one 128-byte x 32-row tile
	require.NoError(t, tl.Tile(tiled, 128, pic.bytes(), 64, 64, 8))
	fd := dmabufMemfd(t, tiled, true)
	buf := c.createImmed(c.params(dmaPlane{fd: fd, stride: 128, mod: yTiled}), 16, 8, fourcc.XRGB8888, 0)
	c.show(w.surface, buf)
	assert.Equal(t, want, crcAfter(c, r))

	r.comp.Close()
	<-r.done
	r.done <- nil
	log.mu.Lock()
	defer log.mu.Unlock()
	assert.Contains(t, log.b.String(), `"event":"dmabuf_warning","error":"invalid_format","rule":"format XRGB8888 with modifier 0x0100000000000002 (Y_TILED) was not advertised"`)
	assert.Contains(t, log.b.String(), `"event":"dmabuf_create","params":`)
	assert.Contains(t, log.b.String(), `"event":"dmabuf_add","params":`)

	assert.Contains(t, log.b.String(), `"result":"ok"`)
}

// TestDmabufLenientCoversExactlyTheExtras: with --dmabuf-strict=off each
// of headway's extra checks becomes a dmabuf_warning and the create goes
// on, while wlroots' own checks stay protocol errors.
func TestDmabufLenientCoversExactlyTheExtras(t *testing.T) {
	yTiled := modifier.Modifier(0x0100000000000002)
	for _, tc := range []struct {
		name   string
		planes func(t *testing.T) []dmaPlane
		w, h   int32
		format fourcc.Format
		extra  bool   // one of headway's extras
		code   string // the check's error
	}{
		{"hole", func(t *testing.T) []dmaPlane {
			return []dmaPlane{peDmaPlane(t, 0, 0, 64, modifier.Linear), peDmaPlane(t, 2, 0, 64, modifier.Linear)}
		}, 16, 8, fourcc.XRGB8888, true, "incomplete"},
		{"unadvertised_pair", func(t *testing.T) []dmaPlane {
			return []dmaPlane{{fd: dmabufMemfd(t, make([]byte, 4096), true), stride: 128, mod: yTiled}}
		}, 16, 8, fourcc.XRGB8888, true, "invalid_format"},
		{"plane_count", func(t *testing.T) []dmaPlane {
			return []dmaPlane{peDmaPlane(t, 0, 0, 16, modifier.Linear)}
		}, 16, 8, fourcc.NV12, true, "incomplete"},
		{"layout_pitch", func(t *testing.T) []dmaPlane {
			return []dmaPlane{peDmaPlane(t, 0, 0, 32, modifier.Linear)} // 16 XRGB8888 pixels need 64
		}, 16, 8, fourcc.XRGB8888, true, "failed"},
		{"out_of_bounds", func(t *testing.T) []dmaPlane {
			return []dmaPlane{peDmaPlane(t, 0, 0, 64, modifier.Linear)}
		}, 16, 9, fourcc.XRGB8888, false, "out_of_bounds"},
		{"invalid_dimensions", func(t *testing.T) []dmaPlane {
			return []dmaPlane{peDmaPlane(t, 0, 0, 64, modifier.Linear)}
		}, 16, 0, fourcc.XRGB8888, false, "invalid_dimensions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var log lockedBuffer
			r := startRig(t, compositor.Config{Clock: compositor.Manual, DmabufLenient: true, NegotiationLog: &log})
			c := r.dial()
			p := c.params(tc.planes(t)...)
			c.send(p, linuxdmabuf.ZwpLinuxBufferParamsV1RequestCreate, func(e *wire.Encoder) {
				e.Int(tc.w)
				e.Int(tc.h)
				e.Uint(uint32(tc.format))
				e.Uint(0)
			})
			if tc.extra {
				// A warning, then the create goes on: created, or failed
				// when the layout cannot be read at all.
				c.sync()
				created := c.drop(p, linuxdmabuf.ZwpLinuxBufferParamsV1EventCreated) + c.drop(p, linuxdmabuf.ZwpLinuxBufferParamsV1EventFailed)
				assert.Equal(t, 1, created, "answered with created or failed")
			} else {
				de, err := c.ExpectError(ctxT(t))
				require.NoError(t, err)
				assert.Equal(t, "zwp_linux_buffer_params_v1", de.Interface)
			}
			r.comp.Close()
			<-r.done
			r.done <- nil
			log.mu.Lock()
			defer log.mu.Unlock()
			warned := strings.Contains(log.b.String(), `"event":"dmabuf_warning","error":"`+tc.code+`"`)
			assert.Equal(t, tc.extra, warned, "a warning exactly for the extras:\n%s", log.b.String())
		})
	}
}

// feedbackSend is one complete feedback as a client receives it.
type feedbackSend struct {
	tableFD  int
	tranches []feedbackTranche
}

type feedbackTranche struct {
	flags   uint32
	indices []uint16
}

// readFeedback reads one feedback send of fb, up to its done.
func (c *tclient) readFeedback(fb uint32) feedbackSend {
	c.t.Helper()
	out := feedbackSend{tableFD: -1}
	var cur feedbackTranche
	// Events of fb already queued come first, in order; others stay.
	var mine []rawwire.Message
	keep := c.events[:0]
	for _, m := range c.events {
		if m.Object == fb {
			mine = append(mine, m)
		} else {
			keep = append(keep, m)
		}
	}
	c.events = keep
	for {
		var m rawwire.Message
		if len(mine) > 0 {
			m, mine = mine[0], mine[1:]
		} else {
			var err error
			m, err = c.Read(ctxT(c.t))
			require.NoError(c.t, err, "waiting for feedback on %d", fb)
			if m.Object != fb {
				c.events = append(c.events, m)
				continue
			}
		}
		switch m.Opcode {
		case linuxdmabuf.ZwpLinuxDmabufFeedbackV1EventFormatTable:
			require.Len(c.t, m.FDs, 1)
			out.tableFD = m.FDs[0]
		case linuxdmabuf.ZwpLinuxDmabufFeedbackV1EventTrancheFormats:
			a, err := m.Args("a")
			require.NoError(c.t, err)
			idx, err := formatset.ParseIndices(a[0].([]byte))
			require.NoError(c.t, err)
			cur.indices = append(cur.indices, idx...)
		case linuxdmabuf.ZwpLinuxDmabufFeedbackV1EventTrancheFlags:
			v, err := m.Uint()
			require.NoError(c.t, err)
			cur.flags = v
		case linuxdmabuf.ZwpLinuxDmabufFeedbackV1EventTrancheDone:
			out.tranches = append(out.tranches, cur)
			cur = feedbackTranche{}
		case linuxdmabuf.ZwpLinuxDmabufFeedbackV1EventDone:
			return out
		}
	}
}

// TestSurfaceFeedbackScanoutTranche: a surface an overlay can show gets a
// scanout tranche listing the overlay's pairs, ahead of the render
// tranche; once it is scaled (vkms planes do not scale) the feedback comes
// again without it.
func TestSurfaceFeedbackScanoutTranche(t *testing.T) {
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	c := r.dial()
	dm := c.bind("zwp_linux_dmabuf_v1")
	w := c.toplevel()
	fb := c.NewObject("zwp_linux_dmabuf_feedback_v1")
	c.send(dm, linuxdmabuf.ZwpLinuxDmabufV1RequestGetSurfaceFeedback, func(e *wire.Encoder) { e.NewID(fb); e.Object(w.surface) })
	first := c.readFeedback(fb)
	require.GreaterOrEqual(t, first.tableFD, 0, "the table comes with the first send")
	require.Len(t, first.tranches, 1)
	assert.Zero(t, first.tranches[0].flags, "not a candidate before it is shown")

	c.showPicture(w.surface, testPicture(32, 16))
	c.advance(1)
	cand := c.readFeedback(fb)
	assert.Equal(t, -1, cand.tableFD, "the table is sent once")
	require.NotEmpty(t, cand.tranches)
	assert.Equal(t, uint32(1), cand.tranches[0].flags, "the scanout tranche comes first")
	cand.tableFD = first.tableFD
	got := resolveFeedback(t, cand)[0]
	// vkms's overlays take every format of theirs as LINEAR; the render
	// set offers the primary's formats, the same list.
	prof, err := profile.Load("vkms")
	require.NoError(t, err)
	want := &formatset.Set{}
	for _, p := range prof.Planes {
		if p.Type == profile.Overlay {
			for _, fm := range p.Formats {
				want.Add(fm.Format, fm.Modifiers...)
			}
			break
		}
	}
	assert.True(t, want.Equal(got), "scanout tranche %v, overlay pairs %v", got, want)

	vpr := c.bind("wp_viewporter")
	vp := c.NewObject("wp_viewport")
	c.send(vpr, viewporter.WpViewporterRequestGetViewport, func(e *wire.Encoder) { e.NewID(vp); e.Object(w.surface) })
	c.send(vp, viewporter.WpViewportRequestSetDestination, func(e *wire.Encoder) { e.Int(64); e.Int(32) })
	c.send(w.surface, wayland.WlSurfaceRequestCommit, nil)
	c.advance(1)
	after := c.readFeedback(fb)
	require.Len(t, after.tranches, 1)
	assert.Zero(t, after.tranches[0].flags, "no scanout tranche once no plane can show it")
}

// TestDmabufBindVersions: v3 binds get one modifier event per render
// pair; v1 and v2 binds get a format event for each format offered with
// LINEAR (their implicit modifier means LINEAR on headway's device); v4
// and later binds get neither.
func TestDmabufBindVersions(t *testing.T) {
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	c := r.dial()
	g := c.globals["zwp_linux_dmabuf_v1"]
	count := func(version uint32, opcode uint16) int {
		id, err := c.Bind(g.Name, "zwp_linux_dmabuf_v1", version)
		require.NoError(t, err)
		c.sync()
		return c.drop(id, opcode)
	}
	prof, err := profile.Load("vkms")
	require.NoError(t, err)
	var primary []fourcc.Format
	for _, p := range prof.Planes {
		if p.Type == profile.Primary {
			for _, fm := range p.Formats {
				primary = append(primary, fm.Format)
			}
		}
	}
	assert.Equal(t, len(primary), count(1, 0), "v1: format events")
	assert.Equal(t, len(primary), count(2, 0), "v2: format events")
	assert.Equal(t, len(primary), count(3, 1), "v3: modifier events (LINEAR each)")
	assert.Zero(t, count(4, 0)+count(4, 1), "v4: no events")
	assert.Zero(t, count(5, 0)+count(5, 1), "v5: no events")
}

// TestRealDmabufThroughUdmabuf imports a real dma-buf made by the udmabuf
// driver from a sealed memfd. It needs /dev/udmabuf, which CI runners and
// containers rarely have.
func TestRealDmabufThroughUdmabuf(t *testing.T) {
	dev, err := unix.Open("/dev/udmabuf", unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Skipf("no /dev/udmabuf (%v): the real dma-buf path needs the udmabuf driver", err)
	}
	defer unix.Close(dev)
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	c := r.dial()
	w := c.toplevel()
	pic := testPicture(1024, 4) // one page
	c.showPicture(w.surface, pic)
	want := crcAfter(c, r)
	memfd := dmabufMemfd(t, pic.bytes(), true)
	// struct udmabuf_create { u32 memfd; u32 flags; u64 offset; u64 size; }
	arg := struct {
		memfd, flags uint32
		offset, size uint64
	}{uint32(memfd), 1 /* UDMABUF_FLAGS_CLOEXEC */, 0, uint64(len(pic.bytes()))}
	const udmabufCreate = 0x40187542 // _IOW('u', 0x42, struct udmabuf_create)
	fd, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(dev), udmabufCreate, uintptr(unsafe.Pointer(&arg)))
	if errno != 0 {
		t.Skipf("UDMABUF_CREATE: %v", errno)
	}
	defer unix.Close(int(fd))
	buf := c.createImmed(c.params(dmaPlane{fd: int(fd), stride: 4096, mod: modifier.Linear}), 1024, 4, fourcc.XRGB8888, 0)
	c.show(w.surface, buf)
	assert.Equal(t, want, crcAfter(c, r))
}

// TestDmabufNegotiationLog: feedback sends, adds (the refused one with its
// rule) are lines of the log.
func TestDmabufNegotiationLog(t *testing.T) {
	var log lockedBuffer
	r := startRig(t, compositor.Config{Clock: compositor.Manual, NegotiationLog: &log})
	c := r.dial()
	dm := c.bind("zwp_linux_dmabuf_v1")
	fb := c.NewObject("zwp_linux_dmabuf_feedback_v1")
	c.send(dm, linuxdmabuf.ZwpLinuxDmabufV1RequestGetDefaultFeedback, func(e *wire.Encoder) { e.NewID(fb) })
	c.readFeedback(fb)
	c.params(peDmaPlane(t, 0, 0, 64, modifier.Linear), peDmaPlane(t, 5, 0, 64, modifier.Linear))
	_, err := c.ExpectError(ctxT(t))
	require.NoError(t, err)
	r.comp.Close()
	<-r.done
	r.done <- nil
	log.mu.Lock()
	defer log.mu.Unlock()
	s := log.b.String()
	assert.Contains(t, s, `"event":"dmabuf_feedback","feedback":`)
	assert.Contains(t, s, `"kind":"default","main_device":"4095:1048575","table_entries":22,"tranches":[{"target":"4095:1048575","flags":[],"pairs":["AR24:LINEAR","XR24:LINEAR",`)
	assert.Contains(t, s, `"event":"dmabuf_add","params":`)
	assert.Contains(t, s, `"plane":0,"offset":0,"stride":64,"modifier":"0x0000000000000000","result":"ok"}`)
	assert.Contains(t, s, `"plane":5,"offset":0,"stride":64,"modifier":"0x0000000000000000","result":"plane_idx","rule":"plane index 5 is too high (4 planes at most)"}`)
}
