package compositor_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/compositor"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/protocol/wayland"
)

// ownRig is a manual-clock compositor with ownership checks and a
// negotiation log.
func ownRig(t *testing.T) (*rig, *lockedBuffer) {
	log := &lockedBuffer{}
	return startRig(t, compositor.Config{Clock: compositor.Manual, CheckOwnership: true, NegotiationLog: log}), log
}

// violations closes the rig and returns its ownership_violation lines,
// from "buffer" on.
func violations(t *testing.T, r *rig, log *lockedBuffer) []string {
	r.comp.Close()
	<-r.done
	r.done <- nil
	log.mu.Lock()
	defer log.mu.Unlock()
	var out []string
	for _, line := range strings.Split(log.b.String(), "\n") {
		if _, v, ok := strings.Cut(line, `"event":"ownership_violation",`); ok {
			out = append(out, strings.TrimSuffix(v, "}"))
		}
	}
	return out
}

func scribble(t *testing.T, fd int, off int64) {
	_, err := unix.Pwrite(fd, []byte{1, 2, 3, 4}, off)
	require.NoError(t, err)
}

// A write between commit and latch, and a write while the buffer is shown,
// are each reported once, with the frame the window opened and the frame
// the change was seen.
func TestOwnershipWriteAfterCommit(t *testing.T) {
	r, log := ownRig(t)
	c := r.dial()
	w := c.toplevel()
	buf, fd := c.shmBuffer(fourcc.XRGB8888, 16, 16, 64, xrgb(16, 16, 10, 20, 30))
	c.show(w.surface, buf)
	c.sync()
	committed := r.comp.Seq()
	scribble(t, fd, 0) // before the latch
	latched := c.advance(1)
	c.advance(1)
	scribble(t, fd, 128) // while shown
	seen := c.advance(1)
	c.advance(1)
	b, s := peID(buf), peID(w.surface)
	assert.Equal(t, []string{
		fmt.Sprintf(`"buffer":%s,"surface":%s,"window_start":"commit","since_frame":%d,"seen_frame":%d,"stage":"latch"`, b, s, committed, latched),
		fmt.Sprintf(`"buffer":%s,"surface":%s,"window_start":"commit","since_frame":%d,"seen_frame":%d,"stage":"latch"`, b, s, committed, seen),
	}, violations(t, r, log))
}

// A double-buffered client that writes a buffer only after wl_buffer.release
// is never reported, frame after frame.
func TestOwnershipDoubleBufferedClientIsClean(t *testing.T) {
	r, log := ownRig(t)
	c := r.dial()
	w := c.toplevel()
	var bufs [2]uint32
	var fds [2]int
	for i := range bufs {
		bufs[i], fds[i] = c.shmBuffer(fourcc.XRGB8888, 16, 16, 64, xrgb(16, 16, 10, 20, 30))
	}
	free := [2]bool{true, true}
	for i := 0; i < 8; i++ {
		cur := i % 2
		require.True(t, free[cur], "frame %d: buffer %d should be free by now", i, cur)
		scribble(t, fds[cur], int64(i*4)) // draw
		free[cur] = false
		c.show(w.surface, bufs[cur])
		c.advance(1)
		c.sync()
		for j := range bufs {
			if c.drop(bufs[j], wayland.WlBufferEventRelease) > 0 {
				free[j] = true
			}
		}
	}
	assert.Empty(t, violations(t, r, log))
}

// A client that shares one release timeline between buffers in flight sees
// a later point signal an earlier one: the write it then makes into a
// buffer still shown on another surface is reported.
func TestOwnershipSharedReleaseTimeline(t *testing.T) {
	r, log := ownRig(t)
	c := r.dial()
	a, b := c.syncToplevel(), c.syncToplevel()
	c.moveTo(b.surface, 50, 0)
	acqTL, acq := c.importTimeline()
	relTL, rel := c.importTimeline()
	require.NoError(t, acq.Signal(10))
	x := c.dmabufXRGB(t, 16, 8, xrgb(16, 8, 255, 0, 0))
	fdY := dmabufMemfd(t, xrgb(16, 8, 0, 255, 0), true)
	y := c.createImmed(c.params(dmaPlane{fd: fdY, stride: 64}), 16, 8, fourcc.XRGB8888, 0)
	z := c.dmabufXRGB(t, 16, 8, xrgb(16, 8, 0, 0, 255))

	c.showSynced(a, y, acqTL, 1, relTL, 5) // Y on surface a, release 5
	c.showSynced(b, x, acqTL, 2, relTL, 6) // X on surface b, release 6
	c.sync()
	opened := r.comp.Seq()
	c.advance(1)
	c.showSynced(b, z, acqTL, 3, relTL, 7) // X replaced: 6 signals, and with it 5
	c.sync()
	require.GreaterOrEqual(t, rel.Value(), uint64(5), "the shared timeline says Y is free")
	scribble(t, fdY, 0) // the client believes it; Y is still on screen
	seen := c.advance(1)
	assert.Equal(t, []string{
		fmt.Sprintf(`"buffer":%s,"surface":%s,"window_start":"acquire","since_frame":%d,"seen_frame":%d,"stage":"latch"`, peID(y), peID(a.surface), opened, seen),
	}, violations(t, r, log))
}

// Committing the same buffer again does not open a new window: the
// compositor never let it go, so a write before the second commit is
// still a write into a buffer it owned, and is seen at release.
func TestOwnershipRecommitKeepsWindow(t *testing.T) {
	r, log := ownRig(t)
	c := r.dial()
	w := c.toplevel()
	buf, fd := c.shmBuffer(fourcc.XRGB8888, 16, 16, 64, xrgb(16, 16, 10, 20, 30))
	other, _ := c.shmBuffer(fourcc.XRGB8888, 16, 16, 64, xrgb(16, 16, 1, 2, 3))
	c.show(w.surface, buf)
	c.sync()
	opened := r.comp.Seq()
	c.advance(1)
	scribble(t, fd, 8)
	c.show(w.surface, buf) // again, without waiting for a release
	c.show(w.surface, other)
	c.sync()
	released := r.comp.Seq()
	assert.Equal(t, []string{
		fmt.Sprintf(`"buffer":%s,"surface":%s,"window_start":"commit","since_frame":%d,"seen_frame":%d,"stage":"release"`, peID(buf), peID(w.surface), opened, released),
	}, violations(t, r, log))
}
