package compositor

import (
	"errors"
	"hash/crc32"
	"runtime"
	"runtime/debug"

	"github.com/headwaywl/headway/compositor/neglog"
)

// Buffer ownership checks (Config.CheckOwnership, serve
// --check-ownership). The compositor owns a buffer from the moment it
// takes it, at commit for a buffer without explicit sync and at the
// signal of its acquire point or fence (observed when the held commit
// applies) with it, until it lets the buffer go (release). A client that
// writes in between races the compositor's reads: on real hardware it
// shows as tearing or garbage, intermittently. headway makes it
// deterministic: the buffer's bytes are hashed when the window opens,
// at every latch that shows the buffer, and just before release; any
// change is an ownership_violation line naming the client, surface,
// buffer, the frame the window opened and the frame it was seen.
//
// The hash covers what the renderer reads: for shm, stride x height bytes
// from the buffer's offset; for dmabuf, every plane's stride x height
// bytes from its offset (over-covering subsampled planes, clamped to the
// mapping). Off, none of this runs.

// ownWindow is a buffer's current ownership window.
type ownWindow struct {
	active  bool
	sum     uint32
	since   uint64 // the frame the window opened in
	start   string // "commit" or "acquire"
	surface uint32
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// contentSum hashes the bytes the renderer reads. ok is false when the
// memory faults (a truncated memfd): the render path reports that.
func (b *buffer) contentSum() (sum uint32, ok bool) {
	defer func(old bool) {
		debug.SetPanicOnFault(old)
		if p := recover(); p != nil {
			var re runtime.Error
			var addr interface{ Addr() uintptr }
			if err, isErr := p.(error); !isErr || !errors.As(err, &re) || !errors.As(err, &addr) {
				panic(p) // not a memory fault: a bug, not the client's doing
			}
			ok = false
		}
	}(debug.SetPanicOnFault(true))
	add := func(data []byte, off, stride uint64) {
		end := min(off+stride*uint64(b.height), uint64(len(data)))
		if off < end {
			sum = crc32.Update(sum, castagnoli, data[off:end])
		}
	}
	switch b.kind {
	case bufferSinglePixel:
		sum = crc32.Update(0, castagnoli, b.pixel)
	case bufferShm:
		if b.m != nil {
			add(b.m.data, uint64(b.offset), uint64(b.stride))
		}
	case bufferDmabuf:
		for i := 0; i < b.nplanes; i++ {
			if pl := &b.planes[i]; pl.m != nil {
				add(pl.m.data, uint64(pl.offset), uint64(pl.stride))
			}
		}
	}
	return sum, true
}

// ownOpen opens b's window when s takes it; a buffer already owned (shown
// by another surface, or committed again) keeps its open window.
func (c *Compositor) ownOpen(b *buffer, s *surface, start string) {
	if !c.cfg.CheckOwnership || b.own.active {
		return
	}
	sum, ok := b.contentSum()
	if !ok {
		return
	}
	b.own = ownWindow{active: true, sum: sum, since: c.out.clock.Seq(), start: start, surface: s.res.ID()}
}

// ownCheck compares b's bytes with the window's and reports a change
// seen at stage ("latch" or "release"). The new bytes become the
// reference, so one write is reported once.
func (c *Compositor) ownCheck(b *buffer, stage string) {
	if !b.own.active {
		return
	}
	sum, ok := b.contentSum()
	if !ok || sum == b.own.sum {
		return
	}
	b.own.sum = sum
	c.log.Warn("buffer ownership violation", "client", b.owner.name, "buffer", b.res.ID(), "since_frame", b.own.since, "stage", stage)
	c.nlog.add(b.owner, neglog.OwnershipViolation(b.res.ID(), b.own.surface, b.own.start, b.own.since, c.out.clock.Seq(), stage))
}

// ownClose checks b one last time as the compositor lets it go.
func (c *Compositor) ownClose(b *buffer) {
	if b.own.active {
		c.ownCheck(b, "release")
		b.own.active = false
	}
}
