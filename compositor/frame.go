package compositor

import (
	"slices"
	"strings"

	"github.com/headwaywl/headway/kms/compose"
	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/headwaywl/headway/protocol/headwaytest"
	"github.com/headwaywl/headway/protocol/presentation"
	"github.com/headwaywl/headway/protocol/server"
	"github.com/headwaywl/headway/protocol/wayland"
)

// The loop's half of the output path: latching a frame, and sending what
// a committed and flipped frame means to clients.

type frameCB struct {
	s  *surface
	cb *server.Resource
}

type feedbackRef struct {
	s  *surface
	fb *server.Resource
}

// layerSig identifies what one layer of a frame shows.
type layerSig struct {
	s        *surface
	b        *buffer
	content  uint64
	src, dst device.Rect
	rot      profile.Rotation
}

type lockState struct {
	unlatched bool
	waiting   []string // stable names, sorted
}

// lockState is what the lockstep clock decides on: whether some surface
// committed since the last latch, and which clients were given a frame
// callback at the last vblank, or a first configure, and have not
// committed (a buffer) since. Counting the configure makes clients that
// set up together map in the same frame, whichever is scheduled first.
func (c *Compositor) lockState() lockState {
	st := lockState{unlatched: c.scene.dirty}
	for _, cd := range c.clients {
		for _, s := range cd.surfaces {
			if s.frameWaiter || s.awaitingFirstBuffer() {
				st.waiting = append(st.waiting, cd.name)
				break
			}
		}
	}
	slices.Sort(st.waiting)
	st.waiting = slices.Compact(st.waiting)
	return st
}

func (c *Compositor) lockstepKick() {
	if c.out != nil && c.cfg.Clock != Realtime {
		c.out.kickLockstep()
	}
}

// clientsSorted lists clients by stable name: the order in which one
// frame's effects on several clients happen.
func (c *Compositor) clientsSorted() []*clientData {
	out := make([]*clientData, 0, len(c.clients))
	for _, cd := range c.clients {
		out = append(out, cd)
	}
	slices.SortFunc(out, func(a, b *clientData) int { return strings.Compare(a.name, b.name) })
	return out
}

// latch snapshots the scene for vblank seq.
func (c *Compositor) latch(seq uint64, ts int64) *frameSnap {
	snap := &frameSnap{seq: seq, ts: ts}
	c.nlog.setFrame(seq)
	// Acquire points are read here, once per frame: commits held for
	// them apply now if they have signalled.
	if c.holding > 0 {
		for _, cd := range c.clientsSorted() {
			for _, s := range cd.surfaces {
				if len(s.held) > 0 {
					s.applyHeld()
				}
			}
		}
	}
	c.seat.updateFocus()
	var cursor *surface
	if f := c.seat.pFocus; f != nil && f.owner.cursor != nil && f.owner.cursor.mapped() {
		cursor = f.owner.cursor
	}
	vis := c.scene.visible(nil, cursor, int32(c.seat.px>>8), int32(c.seat.py>>8))
	c.dmabuf.updateScanoutFeedback(vis)
	c.scene.dirty = false
	for s := range c.lastShown {
		s.latched = false
	}
	clear(c.lastShown)
	shown := c.lastShown
	snap.layers = make([]snapLayer, 0, len(vis))
	sig := c.sigScratch[:0]
	for _, p := range vis {
		b := p.s.buf
		if b == nil || b.faulted {
			continue
		}
		shown[p.s] = true
		p.s.latched = true
		src, dst, rot := layerOf(p)
		b.ref()
		b.addReadFence()
		if c.cfg.CheckOwnership {
			c.ownCheck(b, "latch")
		}
		snap.layers = append(snap.layers, snapLayer{buf: b, src: b.source(), srcRect: src, dst: dst, rot: rot})
		sig = append(sig, layerSig{s: p.s, b: b, content: p.s.contentSeq, src: src, dst: dst, rot: rot})
	}
	// Damage is a change in what the output shows: a surface that got a
	// role but no buffer yet, or a commit that changed nothing visible,
	// costs no rendering and no flip.
	snap.damaged = !slices.Equal(sig, c.lastSig)
	c.scene.shownAny = len(sig) > 0
	c.sigScratch, c.lastSig = c.lastSig, sig
	for _, cd := range c.clientsSorted() {
		for _, s := range cd.surfaces {
			if shown[s] {
				for _, cb := range s.frames {
					snap.frames = append(snap.frames, frameCB{s, cb})
				}
				s.frames = s.frames[:0]
				for _, fb := range s.feedbacks {
					snap.feedbacks = append(snap.feedbacks, feedbackRef{s, fb})
				}
				s.feedbacks = s.feedbacks[:0]
				continue
			}
			// Content that is not on the output will never be presented.
			for _, fb := range s.feedbacks {
				c.discardFeedback(s, fb)
			}
			s.feedbacks = s.feedbacks[:0]
		}
	}
	snap.captures, c.captures = c.captures, nil
	return snap
}

// source describes the buffer's memory for the renderer.
func (b *buffer) source() compose.Source {
	if b.kind == bufferDmabuf {
		return b.dmabufSource()
	}
	s := compose.Source{Format: b.format, Modifier: modifier.Linear, Width: int(b.width), Height: int(b.height)}
	if b.kind == bufferSinglePixel {
		s.Planes[0] = compose.SourcePlane{Data: b.pixel, Stride: 8}
		return s
	}
	if b.m != nil {
		s.Planes[0] = compose.SourcePlane{Data: b.m.data, Offset: int(b.offset), Stride: int(b.stride)}
	}
	return s
}

// frameDone runs on the loop once frame snap is rendered and committed.
func (c *Compositor) frameDone(snap *frameSnap) {
	for _, b := range snap.faulted {
		if b.faulted {
			continue
		}
		b.faulted = true
		if b.kind != bufferShm {
			// A dmabuf admitted under lenient checks that cannot be read
			// is left out; the protocol allows no error once it exists.
			c.log.Warn("compositor: a buffer cannot be read and is not shown", "client", b.owner.name, "buffer", b.res.ID())
			continue
		}
		// libwayland's wl_shm_buffer_end_access: the error goes on the
		// wl_buffer, with wl_shm's code.
		b.res.PostError(uint32(wayland.WlShmErrorInvalidFd), "error accessing SHM buffer")
	}
	for i := range snap.layers {
		snap.layers[i].buf.unref()
	}
	timeMs := uint32(snap.ts / 1_000_000)
	for _, f := range snap.frames {
		if !f.cb.Alive() {
			continue
		}
		_ = wayland.WlCallbackSendDone(f.cb, timeMs)
		f.cb.Destroy()
		if !f.s.destroyed {
			f.s.frameWaiter = true
		}
	}
	if !snap.committed {
		for _, f := range snap.feedbacks {
			c.discardFeedback(f.s, f.fb)
		}
	}
	for _, cr := range snap.captures {
		cr.finish()
	}
	c.nlog.frame(c, snap)
	c.answerCRCs(snap.seq)
	c.seat.updateFocus()
	c.nlog.flush(c)
}

// presented sends wp_presentation feedback for the frame that flipped at
// seq, with ts on CLOCK_MONOTONIC.
func (c *Compositor) presented(snap *frameSnap, seq uint64, ts int64) {
	flags := uint32(presentVsync | presentHWClock | presentHWCompletion)
	refresh := uint32(c.out.period)
	sec, nsec := uint64(ts/1_000_000_000), uint32(ts%1_000_000_000)
	for _, f := range snap.feedbacks {
		if !f.fb.Alive() {
			continue
		}
		for _, o := range c.outputs {
			if o.Client() == f.fb.Client() {
				_ = presentation.WpPresentationFeedbackSendSyncOutput(f.fb, o)
			}
		}
		_ = presentation.WpPresentationFeedbackSendPresented(f.fb, uint32(sec>>32), uint32(sec), nsec, refresh, uint32(seq>>32), uint32(seq), flags)
		c.nlog.presented(f.s, seq, presentFlagNames(flags), refresh, sec, nsec)
		f.fb.Destroy()
	}
}

func presentFlagNames(flags uint32) []string {
	var out []string
	for _, f := range []struct {
		bit  uint32
		name string
	}{{presentVsync, "vsync"}, {presentHWClock, "hw_clock"}, {presentHWCompletion, "hw_completion"}, {presentZeroCopy, "zero_copy"}} {
		if flags&f.bit != 0 {
			out = append(out, f.name)
		}
	}
	return out
}

// CRC requests

type crcWaiter struct {
	res *server.Resource
	seq uint64
}

// answerCRCs answers the CRC requests whose frame has been handled: the
// clock may already be further on, with that frame's CRC not yet read.
func (c *Compositor) answerCRCs(handled uint64) {
	cur := max(c.out.handledSeq(), handled)
	keep := c.crcWaiters[:0]
	for _, w := range c.crcWaiters {
		if !w.res.Alive() {
			continue
		}
		if v, ok := c.out.crcAt(w.seq); ok {
			_ = headwaytest.HeadwayTestCrcV1SendCrc(w.res, uint32(w.seq>>32), uint32(w.seq), v)
			w.res.Destroy()
			continue
		}
		if w.seq <= cur {
			_ = headwaytest.HeadwayTestCrcV1SendFailed(w.res, "no CRC was collected for that frame")
			w.res.Destroy()
			continue
		}
		keep = append(keep, w)
	}
	c.crcWaiters = keep
}

// manual clock

type advanceReq struct {
	count int
	done  func(seq uint64)
}

func (c *Compositor) queueAdvance(req *advanceReq) {
	c.advanceReqs = append(c.advanceReqs, req)
	c.out.kickLockstep()
}

func (c *Compositor) takeAdvances() []*advanceReq {
	r := c.advanceReqs
	c.advanceReqs = nil
	return r
}
