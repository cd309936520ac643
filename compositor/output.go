package compositor

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/headwaywl/headway/kms/compose"
	"github.com/headwaywl/headway/kms/crc"
	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/kms/modeinfo"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/kms/vblank"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/headwaywl/headway/syncobj/fence"
)

// crcHistory is how many recent frames keep their CRC.
const crcHistory = 1024

// output is the output path: the fake KMS device, its one CRTC and primary
// plane, the double-buffered primary framebuffers, the clock and the
// goroutine that turns each vblank into a latched, rendered and committed
// frame. It never touches protocol state: it asks the loop for a
// snapshot (Display.Call) and hands results back (Display.Do).
type output struct {
	c    *Compositor
	mode modeinfo.Mode

	dev      *device.Device
	file     *device.File
	clock    vblank.Clock
	virt     *vblank.Virtual
	rt       *vblank.Realtime
	sub      *vblank.Subscription
	composer *compose.Composer

	crtc    *device.CRTC
	conn    *device.Connector
	primary *device.Plane

	period     int64 // ns
	refreshMHz uint32
	format     fourcc.Format
	// primaryFormats are the formats the primary plane lists.
	primaryFormats []fourcc.Format
	physW          int32
	physH          int32
	connName       string
	profileName    string
	monoBase       int64 // CLOCK_MONOTONIC at start, for virtual timestamps

	fbs   [2]primaryFB
	front int

	doneMu    sync.Mutex
	doneSeq   uint64        // the last vblank whose frame was handled
	doneCh2   chan struct{} // closed and replaced whenever doneSeq moves
	crcOn     atomic.Bool
	renders   atomic.Uint64
	crcReader *crc.Reader
	crcMu     sync.Mutex
	crcSeq    [crcHistory]uint64
	crcVal    [crcHistory]uint32
	crcBuf    []byte

	vblankCh  chan uint64
	kick      chan struct{}
	advanceCh chan *advanceReq
	stopCh    chan struct{}
	doneCh    chan struct{}
	stopOnce  sync.Once
	runCtx    context.Context
	cancel    context.CancelFunc

	// output goroutine only
	started      bool
	inflight     *frameSnap // committed, not flipped
	lockDeadline time.Time
}

type primaryFB struct {
	id     uint32
	mem    []byte
	stride int
}

func newOutput(c *Compositor, cfg Config) (*output, error) {
	prof := cfg.Profile
	if len(prof.Connectors) == 0 || len(prof.Connectors[0].Modes) == 0 {
		return nil, fmt.Errorf("profile %s has no connector with a mode", prof.Name)
	}
	pc := prof.Connectors[0]
	var pm *profile.Mode
	for i := range pc.Modes {
		m := &pc.Modes[i]
		if cfg.Width == 0 && cfg.Height == 0 {
			if m.Preferred {
				pm = m
				break
			}
		} else if int(m.HDisplay) == cfg.Width && int(m.VDisplay) == cfg.Height {
			pm = m
			break
		}
	}
	if pm == nil && cfg.Width == 0 {
		pm = &pc.Modes[0]
	}
	if pm == nil {
		return nil, fmt.Errorf("connector %s of profile %s has no %dx%d mode", pc.Name, prof.Name, cfg.Width, cfg.Height)
	}
	mode, err := modeinfo.FromProfile(*pm)
	if err != nil {
		return nil, err
	}
	period, err := mode.Period()
	if err != nil {
		return nil, err
	}
	o := &output{
		c: c, mode: mode, period: period, connName: pc.Name, profileName: prof.Name,
		vblankCh:  make(chan uint64, 1),
		kick:      make(chan struct{}, 1),
		advanceCh: make(chan *advanceReq, 16),
		stopCh:    make(chan struct{}),
		doneCh:    make(chan struct{}),
		crcBuf:    make([]byte, crc.LineLen(1)),
	}
	o.runCtx, o.cancel = context.WithCancel(context.Background())
	o.doneCh2 = make(chan struct{})
	// wl_output's refresh is in mHz: the pixel clock over the frame,
	// rounded to nearest.
	tot := uint64(mode.HTotal) * uint64(mode.VTotal)
	if tot > 0 {
		o.refreshMHz = uint32((uint64(mode.Clock)*1_000_000 + tot/2) / tot)
	}
	// A 96-dpi panel, so toolkits that compute DPI get a sane value.
	o.physW = int32(mode.HDisplay) * 254 / 960
	o.physH = int32(mode.VDisplay) * 254 / 960
	for i := range o.crcSeq {
		o.crcSeq[i] = ^uint64(0)
	}

	if cfg.Clock == Realtime {
		rt, err := vblank.NewRealtime(period)
		if err != nil {
			return nil, err
		}
		o.rt, o.clock = rt, rt
	} else {
		v, err := vblank.NewVirtual(period)
		if err != nil {
			return nil, err
		}
		o.virt, o.clock = v, v
		o.monoBase = fence.Now()
	}
	o.composer = compose.New(compose.Options{})
	dev, err := device.New(device.Config{Profile: prof, Clock: o.clock, Composer: o.composer, Logger: c.log})
	if err != nil {
		o.stopClock()
		return nil, err
	}
	o.dev = dev
	o.file = dev.Open()
	if err := o.file.SetClientCap(device.ClientCapAtomic, 1); err != nil {
		return nil, err
	}
	o.crtc = dev.CRTCs()[0]
	for _, cn := range dev.Connectors() {
		if !cn.IsWriteback() {
			o.conn = cn
			break
		}
	}
	for _, p := range dev.Planes() {
		if p.Type() == profile.Primary {
			info, err := dev.PlaneInfo(p.ID())
			if err == nil && info.PossibleCRTCs&(1<<o.crtc.Index()) != 0 {
				o.primary = p
				break
			}
		}
	}
	if o.primary == nil || o.conn == nil {
		return nil, fmt.Errorf("profile %s has no primary plane or connector for CRTC %d", prof.Name, o.crtc.ID())
	}
	if info, err := dev.PlaneInfo(o.primary.ID()); err == nil {
		o.primaryFormats = info.Formats
	}
	o.format, err = pickPrimaryFormat(dev, o.primary, cfg.PrimaryFormat)
	if err != nil {
		return nil, err
	}
	for i := range o.fbs {
		if err := o.makeFB(&o.fbs[i]); err != nil {
			return nil, err
		}
	}
	o.crcOn.Store(!cfg.CRCOnDemand)
	return o, nil
}

// pickPrimaryFormat is XRGB16161616 where the primary lists it (so
// translucent surfaces blend without an 8-bit round trip), else XRGB8888;
// an explicit choice must be one the plane lists.
func pickPrimaryFormat(dev *device.Device, p *device.Plane, want fourcc.Format) (fourcc.Format, error) {
	info, err := dev.PlaneInfo(p.ID())
	if err != nil {
		return 0, err
	}
	has := func(f fourcc.Format) bool {
		for _, x := range info.Formats {
			if x == f {
				return true
			}
		}
		return false
	}
	if want != 0 {
		if !has(want) {
			return 0, fmt.Errorf("primary plane %d does not list %s", p.ID(), fourcc.DRMName(want))
		}
		return want, nil
	}
	if has(fourcc.XRGB16161616) {
		return fourcc.XRGB16161616, nil
	}
	if has(fourcc.XRGB8888) {
		return fourcc.XRGB8888, nil
	}
	return 0, fmt.Errorf("primary plane %d lists neither XRGB16161616 nor XRGB8888", p.ID())
}

func (o *output) makeFB(fb *primaryFB) error {
	info, _ := fourcc.Lookup(o.format)
	bpp := uint32(info.BPP(0))
	w, h := uint32(o.mode.HDisplay), uint32(o.mode.VDisplay)
	handle, pitch, _, err := o.file.CreateDumb(w, h, bpp)
	if err != nil {
		return fmt.Errorf("primary framebuffer: %w", err)
	}
	buf, err := o.file.Buffer(handle)
	if err != nil {
		return err
	}
	id, err := o.file.AddFB2(device.FB2{Width: w, Height: h, Format: o.format, Handles: [4]uint32{handle}, Pitches: [4]uint32{pitch}})
	if err != nil {
		return fmt.Errorf("primary framebuffer: %w", err)
	}
	fb.id, fb.mem, fb.stride = id, buf.Bytes(), int(pitch)
	// A dumb buffer is zeroed: for an X format that is black, the
	// background the renderer draws over anyway.
	return nil
}

func (o *output) start() error {
	// Light the output: the modeset flips at the first vblank.
	var req device.Request
	blob, err := o.file.CreateBlob(o.mode.Append(nil))
	if err != nil {
		return err
	}
	req.Add(o.conn.ID(), o.conn.PropertyID("CRTC_ID"), uint64(o.crtc.ID()))
	req.Add(o.crtc.ID(), o.crtc.PropertyID("MODE_ID"), uint64(blob))
	req.Add(o.crtc.ID(), o.crtc.PropertyID("ACTIVE"), 1)
	o.planeProps(&req, o.fbs[0].id)
	if err := o.file.Commit(context.Background(), &req, device.AtomicAllowModeset|device.AtomicNonblock|device.PageFlipEvent, 0); err != nil {
		return fmt.Errorf("modeset: %w", err)
	}
	o.inflight = &frameSnap{modeset: true}
	if o.crcOn.Load() {
		o.openCRC()
	}
	if o.virt != nil {
		// On a virtual clock the modeset flips before the loop runs, so no
		// client can race the first vblank: runs start identically.
		o.virt.Advance()
		for {
			if _, ok := o.file.PollEvent(); !ok {
				break
			}
		}
		o.inflight = nil
		o.readCRCs()
		o.frameHandled(o.virt.Seq())
	}
	if o.rt != nil {
		o.sub = o.rt.Subscribe(func(seq uint64, ts int64) {
			select {
			case o.vblankCh <- seq:
			default: // behind: the output goroutine catches up with the latest
			}
		})
	}
	o.started = true
	go o.run()
	return nil
}

func (o *output) planeProps(req *device.Request, fb uint32) {
	p := o.primary
	w, h := uint64(o.mode.HDisplay), uint64(o.mode.VDisplay)
	req.Add(p.ID(), p.PropertyID("FB_ID"), uint64(fb))
	req.Add(p.ID(), p.PropertyID("CRTC_ID"), uint64(o.crtc.ID()))
	req.Add(p.ID(), p.PropertyID("SRC_X"), 0)
	req.Add(p.ID(), p.PropertyID("SRC_Y"), 0)
	req.Add(p.ID(), p.PropertyID("SRC_W"), w<<16)
	req.Add(p.ID(), p.PropertyID("SRC_H"), h<<16)
	req.Add(p.ID(), p.PropertyID("CRTC_X"), 0)
	req.Add(p.ID(), p.PropertyID("CRTC_Y"), 0)
	req.Add(p.ID(), p.PropertyID("CRTC_W"), w)
	req.Add(p.ID(), p.PropertyID("CRTC_H"), h)
}

func (o *output) stop() {
	o.stopOnce.Do(func() {
		close(o.stopCh)
		o.cancel()
		if o.started {
			<-o.doneCh
		}
		if o.sub != nil {
			o.sub.Cancel()
		}
		if o.crcReader != nil {
			o.crcReader.Close()
		}
		o.dev.Close()
		o.stopClock()
	})
}

func (o *output) stopClock() {
	if o.rt != nil {
		o.rt.Stop()
	}
}

// openCRC starts CRC collection; it needs the CRTC on, which the modeset
// commit has already made it in the software state.
func (o *output) openCRC() {
	if o.crcReader != nil {
		return
	}
	r, err := o.crtc.CRC().Open(true)
	if err != nil {
		o.c.log.Warn("compositor: cannot open the CRC reader", "err", err)
		return
	}
	o.crcReader = r
}

// readCRCs moves every pending CRC entry into the history.
func (o *output) readCRCs() {
	if o.crcReader == nil {
		return
	}
	for {
		n, err := o.crcReader.Read(o.crcBuf)
		if err != nil || n == 0 {
			return
		}
		frame, val, ok := parseCRCLine(o.crcBuf[:n])
		if !ok {
			continue
		}
		// The record carries the low 32 bits of the frame: widen it
		// against the clock, which is never more than a ring behind.
		seq := o.clock.Seq()
		full := seq&^0xffffffff | uint64(frame)
		if full > seq {
			full -= 1 << 32
		}
		o.crcMu.Lock()
		o.crcSeq[full%crcHistory], o.crcVal[full%crcHistory] = full, val
		o.crcMu.Unlock()
	}
}

// parseCRCLine reads "0x%08x 0x%08x\n\0", the debugfs record.
func parseCRCLine(b []byte) (frame, val uint32, ok bool) {
	hex := func(p []byte) (uint32, bool) {
		if len(p) != 10 || p[0] != '0' || p[1] != 'x' {
			return 0, false
		}
		var v uint32
		for _, ch := range p[2:] {
			switch {
			case ch >= '0' && ch <= '9':
				v = v<<4 | uint32(ch-'0')
			case ch >= 'a' && ch <= 'f':
				v = v<<4 | uint32(ch-'a'+10)
			default:
				return 0, false
			}
		}
		return v, true
	}
	if len(b) < 22 {
		return 0, 0, false
	}
	f, ok1 := hex(b[0:10])
	v, ok2 := hex(b[11:21])
	return f, v, ok1 && ok2
}

func (o *output) crcAt(seq uint64) (uint32, bool) {
	o.crcMu.Lock()
	defer o.crcMu.Unlock()
	if o.crcSeq[seq%crcHistory] != seq {
		return 0, false
	}
	return o.crcVal[seq%crcHistory], true
}

// run is the output goroutine.
func (o *output) run() {
	defer close(o.doneCh)
	for {
		switch o.c.cfg.Clock {
		case Realtime:
			select {
			case seq := <-o.vblankCh:
				o.frame(seq)
			case <-o.stopCh:
				return
			}
		case Manual:
			select {
			case <-o.kick:
				var reqs []*advanceReq
				if err := o.c.display.Call(o.ctx(), func() { reqs = o.c.takeAdvances() }); err != nil {
					return
				}
				for _, req := range reqs {
					for i := 0; i < req.count; i++ {
						select {
						case <-o.stopCh: // a long advance must not hold up shutdown
							return
						default:
						}
						o.virt.Advance()
						o.frame(o.virt.Seq())
					}
					seq, req := o.virt.Seq(), req
					o.c.display.Do(func() { req.done(seq) })
				}
			case <-o.stopCh:
				return
			}
		case Lockstep:
			if !o.lockstepStep() {
				return
			}
		}
	}
}

// lockstepStep waits until a vblank is due and the clients given a frame
// callback have committed again (or the timeout passed), then makes one
// vblank happen. It returns false when the output stops.
func (o *output) lockstepStep() bool {
	var st lockState
	if err := o.c.display.Call(o.ctx(), func() { st = o.c.lockState() }); err != nil {
		return false
	}
	due := st.unlatched || o.inflight != nil
	if !due {
		o.lockDeadline = time.Time{}
		select {
		case <-o.kick:
			return true
		case <-o.stopCh:
			return false
		}
	}
	if len(st.waiting) > 0 {
		if o.lockDeadline.IsZero() {
			o.lockDeadline = time.Now().Add(o.c.cfg.LockstepTimeout)
		}
		t := time.NewTimer(time.Until(o.lockDeadline))
		defer t.Stop()
		select {
		case <-o.kick:
			return true
		case <-o.stopCh:
			return false
		case <-t.C:
			waiting, timeout := st.waiting, o.c.cfg.LockstepTimeout
			o.c.display.Do(func() { o.c.nlog.lockstepTimeout(waiting, timeout) })
		}
	}
	o.lockDeadline = time.Time{}
	o.virt.Advance()
	o.frame(o.virt.Seq())
	return true
}

// ctx ends when the output stops, so a Call into a loop that has already
// shut down cannot hang the output goroutine.
func (o *output) ctx() context.Context { return o.runCtx }

// kickLockstep wakes a lockstep clock to look at the state again.
func (o *output) kickLockstep() {
	select {
	case o.kick <- struct{}{}:
	default:
	}
}

// frameSnap is one latched frame: what to render and what to tell
// clients once it is committed.
type frameSnap struct {
	seq       uint64
	ts        int64
	modeset   bool
	damaged   bool
	layers    []snapLayer
	frames    []frameCB
	feedbacks []feedbackRef
	captures  []*captureReq

	// results
	rendered  bool
	renderCRC uint32
	faulted   []*buffer
	commitErr error
	fb        uint32
	committed bool
}

type snapLayer struct {
	buf          *buffer
	src          compose.Source
	srcRect, dst device.Rect
	rot          profile.Rotation
}

// frameHandled publishes that vblank seq has been handled.
func (o *output) frameHandled(seq uint64) {
	o.doneMu.Lock()
	o.doneSeq = seq
	close(o.doneCh2)
	o.doneCh2 = make(chan struct{})
	o.doneMu.Unlock()
}

// handledSeq is the last vblank whose frame was handled.
func (o *output) handledSeq() uint64 {
	o.doneMu.Lock()
	defer o.doneMu.Unlock()
	return o.doneSeq
}

// waitHandled blocks until vblank seq has been handled (its CRC, if
// collected, is in the history) or ctx ends.
func (o *output) waitHandled(ctx context.Context, seq uint64) error {
	for {
		o.doneMu.Lock()
		done, ch := o.doneSeq, o.doneCh2
		o.doneMu.Unlock()
		if done >= seq {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		case <-o.stopCh:
			return errors.New("compositor stopped")
		}
	}
}

// frame handles vblank seq: collect the flip, latch, render, commit.
func (o *output) frame(seq uint64) {
	// The frame counts as handled once the loop has sent its results
	// (frameDone), so a waiter sees its callbacks, CRC answers and log
	// lines; paths that end earlier publish it here.
	handed := false
	defer func() {
		if !handed {
			o.frameHandled(seq)
		}
	}()
	// A bug here must cost a frame, not the compositor: nothing else
	// recovers on this goroutine.
	defer func() {
		if p := recover(); p != nil {
			o.c.log.Error("compositor: panic in the output path", "frame", seq, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		}
	}()
	ts := o.clock.Timestamp(seq)
	var flipped *frameSnap
	var flipSeq uint64
	var flipTS int64
	for {
		ev, ok := o.file.PollEvent()
		if !ok {
			break
		}
		if o.inflight != nil {
			flipped, flipSeq, flipTS = o.inflight, ev.Seq, ev.Timestamp
			o.inflight = nil
		}
	}
	if o.crcOn.Load() && o.crcReader == nil {
		o.openCRC()
	}
	o.readCRCs()
	if o.inflight != nil {
		// The previous commit has not flipped (a late real-time frame):
		// this vblank is skipped rather than queue behind it.
		return
	}
	var snap *frameSnap
	err := o.c.display.Call(o.ctx(), func() {
		if flipped != nil {
			o.c.presented(flipped, flipSeq, flipTS+o.monoBaseFor())
		}
		snap = o.c.latch(seq, ts)
	})
	if err != nil || snap == nil {
		return
	}
	o.capture(snap)
	if snap.damaged {
		o.render(snap)
	}
	if snap.damaged || len(snap.feedbacks) > 0 {
		o.commit(snap)
	}
	handed = true
	o.c.display.Do(func() {
		defer o.frameHandled(seq)
		o.c.frameDone(snap)
	})
}

// logBase is the CLOCK_MONOTONIC time the clock counts from: the start
// time on every clock (a real-time clock's timestamps are absolute).
func (o *output) logBase() int64 {
	if o.rt != nil {
		return o.rt.Start()
	}
	return o.monoBase
}

// monoBaseFor is the offset that turns the clock's timestamps into
// CLOCK_MONOTONIC: the start time for a virtual clock, 0 for real time.
func (o *output) monoBaseFor() int64 {
	if o.virt != nil {
		return o.monoBase
	}
	return 0
}

// render draws the snapshot into the back framebuffer. A layer whose
// memory faults is dropped and the frame drawn again without it, so one
// broken client costs nobody else a frame.
func (o *output) render(snap *frameSnap) {
	back := &o.fbs[1-o.front]
	t := compose.Target{Format: o.format, Width: int(o.mode.HDisplay), Height: int(o.mode.VDisplay), Data: back.mem, Stride: back.stride}
	layers := make([]compose.Layer, 0, len(snap.layers))
	owners := make([]*buffer, 0, len(snap.layers))
	for i := range snap.layers {
		l := &snap.layers[i]
		layers = append(layers, compose.Layer{Source: &l.src, Src: l.srcRect, Dst: l.dst, Rotation: l.rot, Alpha: 0xffff, Blend: profile.BlendPremulti})
		owners = append(owners, l.buf)
	}
	// Real dma-bufs are read between DMA_BUF_IOCTL_SYNC start and end.
	synced := append([]*buffer(nil), owners...) // owners loses faulted layers
	for _, b := range synced {
		b.cpuAccess(true)
	}
	defer func() {
		for _, b := range synced {
			b.cpuAccess(false)
		}
	}()
	for {
		v, err := o.composer.Render(&t, layers)
		if err == nil {
			snap.rendered, snap.renderCRC = true, v
			break
		}
		var le *compose.LayerError
		if !errors.As(err, &le) || le.Layer < 0 || le.Layer >= len(layers) {
			o.c.log.Error("compositor: render failed", "frame", snap.seq, "err", err)
			break
		}
		snap.faulted = append(snap.faulted, owners[le.Layer])
		layers = append(layers[:le.Layer], layers[le.Layer+1:]...)
		owners = append(owners[:le.Layer], owners[le.Layer+1:]...)
	}
	if snap.rendered {
		o.front = 1 - o.front
		o.renders.Add(1)
	}
}

func (o *output) commit(snap *frameSnap) {
	var req device.Request
	fb := o.fbs[o.front].id
	o.planeProps(&req, fb)
	snap.fb = fb
	err := o.file.Commit(context.Background(), &req, device.AtomicNonblock|device.PageFlipEvent, snap.seq)
	snap.commitErr = err
	if err == nil {
		snap.committed = true
		o.inflight = snap
	}
}

// capture writes the frame being scanned out (the front framebuffer)
// into the clients' buffers.
func (o *output) capture(snap *frameSnap) {
	if len(snap.captures) == 0 {
		return
	}
	front := &o.fbs[o.front]
	src := compose.Source{Format: o.format, Modifier: modifier.Linear, Width: int(o.mode.HDisplay), Height: int(o.mode.VDisplay)}
	src.Planes[0] = compose.SourcePlane{Data: front.mem, Stride: front.stride}
	w, h := int32(o.mode.HDisplay), int32(o.mode.VDisplay)
	layer := []compose.Layer{{Source: &src, Src: device.Rect{X2: w << 16, Y2: h << 16}, Dst: device.Rect{X2: w, Y2: h}, Rotation: profile.Rotate0, Alpha: 0xffff, Blend: profile.BlendPremulti}}
	for _, cr := range snap.captures {
		t := compose.Target{Format: cr.format, Width: int(w), Height: int(h), Data: cr.mem, Stride: cr.stride}
		_, cr.err = o.composer.Render(&t, layer)
		cr.crc, cr.crcOK = o.crcAt(snap.seq)
		cr.seq = snap.seq
	}
}
