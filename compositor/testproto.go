package compositor

import (
	"github.com/headwaywl/headway/kms/pixfmt"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/protocol/headwaytest"
	"github.com/headwaywl/headway/protocol/server"
	"github.com/headwaywl/headway/protocol/wayland"
	"github.com/headwaywl/headway/protocol/wire"
	"golang.org/x/sys/unix"
)

// headway_test_v1: the private protocol test clients and the harness use
// to drive the compositor (protocol/headwaytest documents it).

type testGlobal struct{ c *Compositor }

func (g *testGlobal) bind(cl *server.Client, r *server.Resource) {
	c := g.c
	c.bound(cl, r)
	r.SetHandler(headwaytest.HeadwayTestV1Dispatcher(g))
	seq := c.out.clock.Seq()
	_ = headwaytest.HeadwayTestV1SendClock(r, uint32(c.cfg.Clock), uint32(c.out.period), uint32(seq>>32), uint32(seq))
}

func (g *testGlobal) Destroy(r *server.Resource) error { return nil }

// maxAdvance bounds one advance request, so a typo cannot make the
// compositor render for minutes.
const maxAdvance = 1000

func (g *testGlobal) Advance(r *server.Resource, cb *server.Resource, count uint32) error {
	c := g.c
	if c.cfg.Clock != Manual {
		return server.Errorf(r, uint32(headwaytest.HeadwayTestV1ErrorNotManual), "advance needs the manual clock; this compositor runs %s", c.cfg.Clock)
	}
	if count < 1 || count > maxAdvance {
		return server.Errorf(r, uint32(headwaytest.HeadwayTestV1ErrorInvalidCount), "advance count %d is outside 1..%d", count, maxAdvance)
	}
	c.queueAdvance(&advanceReq{count: int(count), done: func(seq uint64) {
		if cb.Alive() {
			_ = wayland.WlCallbackSendDone(cb, uint32(seq))
			cb.Destroy()
		}
	}})
	return nil
}

func (g *testGlobal) GetCrc(r *server.Resource, res *server.Resource, hi, lo uint32) error {
	c := g.c
	seq := uint64(hi)<<32 | uint64(lo)
	res.SetHandler(headwaytest.HeadwayTestCrcV1Dispatcher(nil))
	if !c.out.crcOn.Load() {
		_ = headwaytest.HeadwayTestCrcV1SendFailed(res, "CRC collection is off (serve --crc or enable_crc turns it on)")
		res.Destroy()
		return nil
	}
	cur := c.out.clock.Seq()
	if seq+crcHistory <= cur {
		_ = headwaytest.HeadwayTestCrcV1SendFailed(res, "the frame is older than the CRC history")
		res.Destroy()
		return nil
	}
	c.crcWaiters = append(c.crcWaiters, crcWaiter{res: res, seq: seq})
	c.answerCRCs(0)
	return nil
}

func (g *testGlobal) EnableCrc(r *server.Resource) error {
	g.c.out.crcOn.Store(true)
	return nil
}

// captureReq is a capture into a client's shm buffer, mapped writable for
// the duration.
type captureReq struct {
	res    *server.Resource
	format fourcc.Format
	mem    []byte // the mapping
	whole  []byte // what to unmap
	stride int
	// results, written by the output goroutine
	err   error
	seq   uint64
	crc   uint32
	crcOK bool
}

func (cr *captureReq) finish() {
	if cr.whole != nil {
		_ = unix.Munmap(cr.whole)
		cr.whole, cr.mem = nil, nil
	}
	if !cr.res.Alive() {
		return
	}
	if cr.err != nil {
		_ = headwaytest.HeadwayTestCaptureV1SendFailed(cr.res, "writing the buffer failed: "+cr.err.Error())
	} else {
		_ = headwaytest.HeadwayTestCaptureV1SendDone(cr.res, uint32(cr.seq>>32), uint32(cr.seq), cr.crc)
	}
	cr.res.Destroy()
}

func (g *testGlobal) Capture(r *server.Resource, res *server.Resource, br *server.Resource) error {
	c := g.c
	res.SetHandler(headwaytest.HeadwayTestCaptureV1Dispatcher(nil))
	b := bufferFrom(br)
	m := &c.out.mode
	if b == nil || b.kind != bufferShm || b.pool == nil || b.pool.fd < 0 {
		return server.Errorf(r, uint32(headwaytest.HeadwayTestV1ErrorInvalidBuffer), "capture needs a wl_shm buffer")
	}
	if b.width != int32(m.HDisplay) || b.height != int32(m.VDisplay) {
		return server.Errorf(r, uint32(headwaytest.HeadwayTestV1ErrorInvalidBuffer), "capture buffer is %dx%d, the output %dx%d", b.width, b.height, m.HDisplay, m.VDisplay)
	}
	if !canWrite(b.format) {
		return server.Errorf(r, uint32(headwaytest.HeadwayTestV1ErrorInvalidBuffer), "cannot write format %s", fourcc.DRMName(b.format))
	}
	// Map the pool writable from the page that holds the buffer's start.
	page := int64(unix.Getpagesize())
	start := int64(b.offset) / page * page
	end := int64(b.offset) + int64(b.stride)*int64(b.height)
	whole, err := unix.Mmap(b.pool.fd, start, int(end-start), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		_ = headwaytest.HeadwayTestCaptureV1SendFailed(res, "cannot map the buffer writable: "+err.Error())
		res.Destroy()
		return nil
	}
	cr := &captureReq{res: res, format: b.format, whole: whole, mem: whole[int64(b.offset)-start:], stride: int(b.stride)}
	c.captures = append(c.captures, cr)
	c.scene.dirty = true // a frame is due
	c.lockstepKick()
	return nil
}

func canWrite(f fourcc.Format) bool {
	for _, x := range pixfmt.WriterFormats() {
		if x == f {
			return true
		}
	}
	return false
}

func validState(s uint32) bool { return s == 0 || s == 1 }

func (g *testGlobal) PointerMotion(r *server.Resource, x, y wire.Fixed) error {
	g.c.seat.motion(x, y)
	return nil
}

func (g *testGlobal) PointerButton(r *server.Resource, button, state uint32) error {
	if !validState(state) {
		return server.Errorf(r, uint32(headwaytest.HeadwayTestV1ErrorInvalidInput), "button state %d is neither released (0) nor pressed (1)", state)
	}
	g.c.seat.button(button, state)
	return nil
}

func (g *testGlobal) Key(r *server.Resource, key, state uint32) error {
	if !validState(state) {
		return server.Errorf(r, uint32(headwaytest.HeadwayTestV1ErrorInvalidInput), "key state %d is neither released (0) nor pressed (1)", state)
	}
	g.c.seat.key(key, state)
	return nil
}

// positioned returns the toplevel a surface request acts on.
func (g *testGlobal) positioned(r *server.Resource, sr *server.Resource) (*surface, error) {
	s := surfaceFrom(sr)
	if xs, ok := s.role.(*xdgSurface); ok && xs.toplevel != nil {
		return s, nil
	}
	return nil, server.Errorf(r, uint32(headwaytest.HeadwayTestV1ErrorNoRole), "wl_surface@%d is not an xdg_toplevel", sr.ID())
}

// restack runs op on the toplevel behind sr and makes a frame due.
func (g *testGlobal) restack(r, sr *server.Resource, op func(s *surface)) error {
	s, err := g.positioned(r, sr)
	if err != nil {
		return err
	}
	op(s)
	g.c.scene.dirty = true
	g.c.lockstepKick()
	return nil
}

func (g *testGlobal) MoveSurface(r *server.Resource, sr *server.Resource, x, y int32) error {
	return g.restack(r, sr, func(s *surface) { g.c.scene.move(s, x, y) })
}

func (g *testGlobal) RaiseSurface(r *server.Resource, sr *server.Resource) error {
	return g.restack(r, sr, g.c.scene.raise)
}

func (g *testGlobal) LowerSurface(r *server.Resource, sr *server.Resource) error {
	return g.restack(r, sr, g.c.scene.lower)
}

func (g *testGlobal) SetClientName(r *server.Resource, name string) error {
	if !validName(name) {
		return server.Errorf(r, uint32(headwaytest.HeadwayTestV1ErrorInvalidName), "client name %q must be 1..64 bytes of [A-Za-z0-9._-]", name)
	}
	g.c.rename(g.c.clientFor(r.Client()), name)
	return nil
}

func (g *testGlobal) NameClientPid(r *server.Resource, pid uint32, name string) error {
	if !validName(name) {
		return server.Errorf(r, uint32(headwaytest.HeadwayTestV1ErrorInvalidName), "client name %q must be 1..64 bytes of [A-Za-z0-9._-]", name)
	}
	g.c.nameClientPid(int32(pid), name)
	return nil
}
