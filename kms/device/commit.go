package device

import (
	"math/bits"
	"syscall"

	"github.com/headwaywl/headway/kms/crc"
	"github.com/headwaywl/headway/syncobj/fence"
)

// commit is a real commit between its swap and its flip.
type commit struct {
	st    *atomicState
	flags uint32
	seq   uint64 // vblank sequence when committed: it flips at seq+1 at the earliest
	crtcs uint64 // CRTC mask
	file  *File
	done  chan struct{}
}

// commitLocked swaps st into the software state and queues the commit for
// the hardware (drm_atomic_helper_commit: setup with the stall check,
// swap, then the nonblocking tail). A nonblocking commit on a CRTC whose
// previous commit has not flipped is EBUSY, as in stall_checks.
func (d *Device) commitLocked(st *atomicState) (*commit, error) {
	if st.flags&AtomicNonblock != 0 {
		for m := st.crtcMask; m != 0; m &= m - 1 {
			c := d.crtcs[bits.TrailingZeros64(m)]
			if len(c.pending) > 0 {
				return nil, errorf(syscall.EBUSY, "atomic commit: CRTC %d is busy with a previous commit", c.id)
			}
		}
	}
	return d.swapAndQueueLocked(st), nil
}

// copyInto writes the state's objects into dst. In-fences and writeback
// jobs belong to one commit and are not kept.
func (st *atomicState) copyInto(dst *deviceState) {
	for m := st.planeMask; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		dst.planes[i] = st.planes[i]
		dst.planes[i].InFence = nil
	}
	for m := st.crtcMask; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		dst.crtcs[i] = st.crtcs[i]
	}
	for m := st.connMask; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		dst.conns[i] = st.conns[i]
		dst.conns[i].WritebackFB = nil
	}
}

// swapAndQueueLocked makes st the software state and queues it for the
// hardware; a commit that touches no CRTC waits for no vblank and reaches
// the hardware at once.
func (d *Device) swapAndQueueLocked(st *atomicState) *commit {
	st.copyInto(&d.sw)
	c := &commit{st: st, flags: st.flags, seq: d.clock.Seq(), crtcs: st.crtcMask, file: st.file, done: make(chan struct{})}
	if c.crtcs == 0 {
		d.applyLocked(c)
		d.statePool.Put(st)
		c.st = nil
		close(c.done)
		return c
	}
	for m := c.crtcs; m != 0; m &= m - 1 {
		cr := d.crtcs[bits.TrailingZeros64(m)]
		cr.pending = append(cr.pending, c)
	}
	d.queue = append(d.queue, c)
	return c
}

// ready reports whether every in-fence of the commit has signalled.
func (c *commit) ready() bool {
	st := c.st
	for m := st.planeMask; m != 0; m &= m - 1 {
		if f := st.planes[bits.TrailingZeros64(m)].InFence; f != nil && !f.IsSignaled() {
			return false
		}
	}
	return true
}

func (d *Device) applyLocked(c *commit) { c.st.copyInto(&d.hw) }

// flipWork is one thing to do at a vblank once the lock is released:
// signal an out-fence or release a blocking committer.
type flipWork struct {
	fence *fence.Fence
	done  chan struct{}
}

type wbJob struct {
	crtc  *CRTC
	fb    *Framebuffer
	fence *fence.Fence
}

// onVblank latches the commits that are due, completes their flips and
// produces the frame's CRC entries and writeback output. It runs on the
// clock's delivery goroutine, one vblank at a time.
func (d *Device) onVblank(seq uint64, ts int64) {
	// The scratch slices live on the device: deliveries are serialized, and
	// a steady frame then allocates nothing.
	work, jobs, frames := d.vbWork[:0], d.vbJobs[:0], d.vbFrames[:0]
	defer func() {
		clear(work)
		clear(jobs)
		clear(frames)
		d.vbWork, d.vbJobs, d.vbFrames = work[:0], jobs[:0], frames[:0]
	}()
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return
	}
	var blocked uint64 // CRTCs whose oldest pending commit cannot flip now
	q := d.queue[:0]
	for _, c := range d.queue {
		ok := c.seq < seq && c.crtcs&blocked == 0 && c.ready()
		for m := c.crtcs; ok && m != 0; m &= m - 1 {
			cr := d.crtcs[bits.TrailingZeros64(m)]
			ok = cr.pending[0] == c && cr.lastFlip < seq
		}
		if !ok {
			blocked |= c.crtcs
			q = append(q, c)
			continue
		}
		d.applyLocked(c)
		st := c.st
		for m := c.crtcs; m != 0; m &= m - 1 {
			i := bits.TrailingZeros64(m)
			cr := d.crtcs[i]
			cr.pending = cr.pending[1:]
			cr.lastFlip = seq
			if st.events&(1<<i) != 0 && !c.file.closed {
				c.file.pushEventLocked(Event{Type: EventFlipComplete, UserData: st.userData, Seq: seq, CRTCID: cr.id, Timestamp: ts})
			}
		}
		for _, o := range st.outFences {
			if o.crtc >= 0 {
				work = append(work, flipWork{fence: o.fence})
			}
		}
		for m := st.connMask; m != 0; m &= m - 1 {
			i := bits.TrailingZeros64(m)
			if fb := st.conns[i].WritebackFB; fb != nil {
				j := wbJob{crtc: st.conns[i].CRTC, fb: fb}
				for _, o := range st.outFences {
					if o.conn == i {
						j.fence = o.fence
					}
				}
				jobs = append(jobs, j)
			}
		}
		work = append(work, flipWork{done: c.done})
		st.outFences = st.outFences[:0]
		d.statePool.Put(st)
		c.st = nil
	}
	clear(d.queue[len(q):])
	d.queue = q
	for _, cr := range d.crtcs {
		hs := &d.hw.crtcs[cr.index]
		wantCRC := cr.crc.IsOpen() && hs.Active && hs.Enable
		wantWB := false
		for _, j := range jobs {
			wantWB = wantWB || j.crtc == cr
		}
		if !wantCRC && !wantWB {
			continue
		}
		d.buildFrameLocked(cr, seq, ts)
		cr.frame.crcWanted = wantCRC
		frames = append(frames, &cr.frame)
	}
	d.mu.Unlock()

	for _, w := range work {
		if w.fence != nil {
			_ = w.fence.SignalTimestamp(ts)
		}
		if w.done != nil {
			close(w.done)
		}
	}
	for _, f := range frames {
		d.composeFrame(f, jobs)
	}
}

// composeFrame composes one CRTC's frame for its CRC and writeback.
func (d *Device) composeFrame(f *Frame, jobs []wbJob) {
	cr := f.crtc
	var wb *Framebuffer
	var wbFence *fence.Fence
	for _, j := range jobs {
		if j.crtc == cr {
			wb, wbFence = j.fb, j.fence
		}
	}
	if d.composer == nil {
		if wbFence != nil {
			_ = wbFence.SetError(syscall.EIO)
			_ = wbFence.SignalTimestamp(f.Timestamp)
		}
		return
	}
	src := crc.Auto
	if f.crcWanted {
		src = cr.crc.Source()
	}
	v, err := d.composer.Compose(f, Target{CRC: f.crcWanted, Source: src, Writeback: wb})
	if err != nil {
		d.log.Error("kms: composing a frame failed", "crtc", cr.id, "seq", f.Seq, "err", err)
	} else if f.crcWanted {
		if err := cr.crc.AddEntry(f.Seq, v); err != nil && err != syscall.ENOBUFS && err != syscall.EINVAL {
			d.log.Error("kms: adding a CRC entry failed", "crtc", cr.id, "seq", f.Seq, "err", err)
		}
	}
	if wbFence != nil {
		if err != nil {
			_ = wbFence.SetError(syscall.EIO)
		}
		_ = wbFence.SignalTimestamp(f.Timestamp)
	}
}

// rmFBLocked removes fb from the id table and takes it off every plane,
// switching off CRTCs whose primary plane loses it (drm_framebuffer_remove
// and atomic_remove_fb). The change is an internal commit: it bypasses the
// checks and flips at the next vblank.
func (d *Device) rmFBLocked(fb *Framebuffer) {
	d.removeObject(fb.id)
	st := d.statePool.Get().(*atomicState)
	st.reset()
	st.d = d
	st.flags = AtomicNonblock | AtomicAllowModeset
	for i := range d.planes {
		if d.sw.planes[i].FB != fb {
			continue
		}
		ps := st.plane(i)
		if c := ps.CRTC; c != nil && c.primary == d.planes[i] {
			cs := st.crtc(c.index)
			cs.Active, cs.Enable, cs.ModeBlob = false, false, nil
			for j := range d.connectors {
				if d.sw.conns[j].CRTC == c {
					st.conn(j).CRTC = nil
				}
			}
		}
		ps.FB, ps.CRTC, ps.Visible = nil, nil, false
	}
	if st.planeMask == 0 {
		d.statePool.Put(st)
		return
	}
	d.internalCommitLocked(st)
}

// internalCommitLocked commits a state the device built itself, without the
// checks: it is swapped in and flips at the next vblank like a user commit
// (or at once when it touches no CRTC).
func (d *Device) internalCommitLocked(st *atomicState) *commit {
	for m := st.crtcMask; m != 0; m &= m - 1 {
		st.normalizeZpos(bits.TrailingZeros64(m))
	}
	return d.swapAndQueueLocked(st)
}
