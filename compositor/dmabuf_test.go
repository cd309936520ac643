package compositor_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/compositor"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/headwaywl/headway/modifiers/tiling"
	"github.com/headwaywl/headway/protocol/linuxdmabuf"
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
	assert.Contains(t, log.b.String(), `"result":"ok"`)
}
