package compositor_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/clients/rawwire"
	"github.com/headwaywl/headway/compositor"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/headwaywl/headway/protocol/drmsyncobjv1"
	"github.com/headwaywl/headway/protocol/explicitsync"
	"github.com/headwaywl/headway/protocol/headwaytest"
	"github.com/headwaywl/headway/protocol/wayland"
	"github.com/headwaywl/headway/protocol/wire"
	"github.com/headwaywl/headway/protocol/xdgshell"
	"github.com/headwaywl/headway/syncobj/shmtimeline"
	"github.com/headwaywl/headway/syncobj/syncfd"
)

// syncobjSurface gets s a wp_linux_drm_syncobj_surface_v1.
func (c *tclient) syncobjSurface(s uint32) uint32 {
	mgr := c.bind("wp_linux_drm_syncobj_manager_v1")
	so := c.NewObject("wp_linux_drm_syncobj_surface_v1")
	c.send(mgr, drmsyncobjv1.WpLinuxDrmSyncobjManagerV1RequestGetSurface, func(e *wire.Encoder) { e.NewID(so); e.Object(s) })
	return so
}

// importTimeline makes a timeline page and imports it; the test keeps the
// page to signal and query.
func (c *tclient) importTimeline() (uint32, *shmtimeline.Timeline) {
	c.t.Helper()
	tl, err := shmtimeline.Create()
	require.NoError(c.t, err)
	c.t.Cleanup(func() { tl.Close() })
	mgr := c.bind("wp_linux_drm_syncobj_manager_v1")
	id := c.NewObject("wp_linux_drm_syncobj_timeline_v1")
	c.send(mgr, drmsyncobjv1.WpLinuxDrmSyncobjManagerV1RequestImportTimeline, func(e *wire.Encoder) { e.NewID(id); e.FD(tl.Fd()) })
	return id, tl
}

func (c *tclient) setAcquire(so, tl uint32, point uint64) {
	c.send(so, drmsyncobjv1.WpLinuxDrmSyncobjSurfaceV1RequestSetAcquirePoint, func(e *wire.Encoder) {
		e.Object(tl)
		e.Uint(uint32(point >> 32))
		e.Uint(uint32(point))
	})
}

func (c *tclient) setRelease(so, tl uint32, point uint64) {
	c.send(so, drmsyncobjv1.WpLinuxDrmSyncobjSurfaceV1RequestSetReleasePoint, func(e *wire.Encoder) {
		e.Object(tl)
		e.Uint(uint32(point >> 32))
		e.Uint(uint32(point))
	})
}

// dmabufXRGB is a LINEAR XRGB8888 linux-dmabuf buffer of w x h pixels
// (a sealed memfd standing in for the dma-buf).
func (c *tclient) dmabufXRGB(t testing.TB, w, h int, pix []byte) uint32 {
	fd := dmabufMemfd(t, pix, true)
	p := c.params(dmaPlane{fd: fd, stride: uint32(w * 4), mod: modifier.Linear})
	return c.createImmed(p, int32(w), int32(h), fourcc.XRGB8888, 0)
}

// syncWindow is a toplevel with a syncobj surface.
type syncWindow struct {
	window
	so uint32
}

func (c *tclient) syncToplevel() syncWindow {
	w := c.toplevel()
	return syncWindow{window: w, so: c.syncobjSurface(w.surface)}
}

// showSynced attaches buf with acquire and release points and commits,
// asking for a frame callback.
func (c *tclient) showSynced(w syncWindow, buf, acqTL uint32, acq uint64, relTL uint32, rel uint64) uint32 {
	c.setAcquire(w.so, acqTL, acq)
	c.setRelease(w.so, relTL, rel)
	return c.show(w.surface, buf)
}

func (c *tclient) moveTo(s uint32, x, y int32) {
	test := c.bind("headway_test_v1")
	c.send(test, headwaytest.HeadwayTestV1RequestMoveSurface, func(e *wire.Encoder) { e.Object(s); e.Int(x); e.Int(y) })
}

// An acquire point signalled K frames late delays that surface's content
// by exactly K frames and nothing else: a second client's surface, and
// the first client's other surface, show on time.
func TestAcquireHoldsOnlyItsSurface(t *testing.T) {
	const K = 3
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	mode := r.comp.Mode()
	W, H := int(mode.HDisplay), int(mode.VDisplay)

	a := r.dial()
	wa := a.syncToplevel()
	acqTL, acq := a.importTimeline()
	relTL, rel := a.importTimeline()
	red := a.dmabufXRGB(t, 16, 8, xrgb(16, 8, 255, 0, 0))
	wOther := a.toplevel()
	a.moveTo(wOther.surface, 100, 0)
	blue, _ := a.shmBuffer(fourcc.XRGB8888, 10, 10, 40, xrgb(10, 10, 0, 0, 255))

	b := r.dial()
	wb := b.toplevel()
	b.moveTo(wb.surface, 0, 100)
	green, _ := b.shmBuffer(fourcc.XRGB8888, 20, 20, 80, xrgb(20, 20, 0, 255, 0))

	cbA := a.showSynced(wa, red, acqTL, 1, relTL, 1)
	cbOther := a.show(wOther.surface, blue)
	a.sync()
	cbB := b.show(wb.surface, green)
	b.sync()

	others := []paint{{100, 0, 10, 10, 0, 0, 255}, {0, 100, 20, 20, 0, 255, 0}}
	withRed := append([]paint{{0, 0, 16, 8, 255, 0, 0}}, others...)

	// Unsignalled, the commit would be latched at seq and shown from
	// seq+1; the point signals just before the latch of seq+K.
	seq := a.advance(1)
	a.waitFor(cbOther, rawwire.EvCallbackDone)
	b.waitFor(cbB, rawwire.EvCallbackDone)
	for i := 1; i < K; i++ {
		a.advance(1)
	}
	a.sync()
	assert.Zero(t, a.drop(cbA, rawwire.EvCallbackDone), "the held commit's frame callback waits with it")

	require.NoError(t, acq.Signal(1))
	late := a.advance(1) // latch applies it
	a.waitFor(cbA, rawwire.EvCallbackDone)
	a.advance(1)
	assert.Equal(t, seq+K, late, "signalled K frames late, latched K frames late")
	for f := seq + 1; f <= late; f++ {
		assert.Equal(t, frameCRC(W, H, others...), r.crc(f), "%s: the held surface is not shown, the others are", fmtSeq(f))
	}
	assert.Equal(t, frameCRC(W, H, withRed...), r.crc(late+1), "shown from the frame after its latch")
	assert.Zero(t, rel.Value(), "the buffer is still shown: its release point waits")
}

// Later commits of a held surface queue behind it, in order, and apply
// together once the point signals; release points then signal in the
// order buffers free up, each on its own timeline.
func TestHeldCommitsQueueAndRelease(t *testing.T) {
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	mode := r.comp.Mode()
	W, H := int(mode.HDisplay), int(mode.VDisplay)
	c := r.dial()
	w := c.syncToplevel()
	acqTL, acq := c.importTimeline()
	rel1TL, rel1 := c.importTimeline()
	rel2TL, rel2 := c.importTimeline()
	red := c.dmabufXRGB(t, 16, 8, xrgb(16, 8, 255, 0, 0))
	green := c.dmabufXRGB(t, 16, 8, xrgb(16, 8, 0, 255, 0))

	c.showSynced(w, red, acqTL, 1, rel1TL, 1)
	c.showSynced(w, green, acqTL, 2, rel2TL, 1)
	c.sync()
	seq := c.advance(1)
	c.advance(1)
	assert.Equal(t, frameCRC(W, H), r.crc(seq+1), "both commits are held")

	// The first point alone releases the first commit only; it applies
	// and shows red.
	require.NoError(t, acq.Signal(1))
	seq = c.advance(1)
	c.advance(1)
	assert.Equal(t, frameCRC(W, H, paint{0, 0, 16, 8, 255, 0, 0}), r.crc(seq+1))
	assert.Zero(t, rel1.Value(), "red is shown")

	require.NoError(t, acq.Signal(2))
	seq = c.advance(1)
	c.advance(1)
	assert.Equal(t, frameCRC(W, H, paint{0, 0, 16, 8, 0, 255, 0}), r.crc(seq+1))
	assert.Equal(t, uint64(1), rel1.Value(), "red was replaced and is free")
	assert.Zero(t, rel2.Value(), "green is shown")
}

// A commit replaced before any frame read it releases its buffer at once;
// a held surface that is destroyed releases what it held.
func TestReleaseOfBuffersNeverShown(t *testing.T) {
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	c := r.dial()
	w := c.syncToplevel()
	acqTL, acq := c.importTimeline()
	relTL, rel := c.importTimeline()
	red := c.dmabufXRGB(t, 16, 8, xrgb(16, 8, 255, 0, 0))
	green := c.dmabufXRGB(t, 16, 8, xrgb(16, 8, 0, 255, 0))
	require.NoError(t, acq.Signal(2))

	c.showSynced(w, red, acqTL, 1, relTL, 1)
	c.showSynced(w, green, acqTL, 2, relTL, 5)
	c.sync()
	assert.Equal(t, uint64(1), rel.Value(), "red was replaced before any latch")
	c.advance(1)

	// Held, then destroyed: nothing will read the buffer.
	w2 := c.syncToplevel()
	rel2TL, rel2 := c.importTimeline()
	c.showSynced(w2, red, acqTL, 9, rel2TL, 3)
	c.advance(1)
	assert.Zero(t, rel2.Value())
	c.send(w2.toplevel, xdgshell.XdgToplevelRequestDestroy, nil)
	c.send(w2.xdgSurface, xdgshell.XdgSurfaceRequestDestroy, nil)
	c.send(w2.so, drmsyncobjv1.WpLinuxDrmSyncobjSurfaceV1RequestDestroy, nil)
	c.send(w2.surface, wayland.WlSurfaceRequestDestroy, nil)
	c.sync()
	assert.Equal(t, uint64(3), rel2.Value(), "a destroyed surface's held commit releases its buffer")
	assert.Less(t, rel.Value(), uint64(5), "green is still shown")
}

// On the lockstep clock nothing is due while a commit waits for its
// acquire point; the signal itself must wake the clock.
func TestLockstepWakesOnAcquireSignal(t *testing.T) {
	// A lockstep timeout would move the clock anyway: make it longer
	// than the test's own deadline, so only the signal can.
	r := startRig(t, compositor.Config{Clock: compositor.Lockstep, LockstepTimeout: time.Hour})
	c := r.dial()
	w := c.syncToplevel()
	acqTL, acq := c.importTimeline()
	relTL, _ := c.importTimeline()
	red := c.dmabufXRGB(t, 16, 8, xrgb(16, 8, 255, 0, 0))
	cb := c.showSynced(w, red, acqTL, 1, relTL, 1)
	c.sync()
	require.NoError(t, acq.Signal(1))
	c.waitFor(cb, rawwire.EvCallbackDone)
}

// syncFile makes an emulated sync_file on a fresh timeline, signalled when
// the timeline reaches point.
func syncFile(t testing.TB, point uint64) (*syncfd.File, *shmtimeline.Timeline) {
	tl, err := shmtimeline.Create()
	require.NoError(t, err)
	t.Cleanup(func() { tl.Close() })
	f, err := syncfd.New("headway-test", syncfd.Point{Timeline: tl, Value: point})
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f, tl
}

// surfaceSync gets s a zwp_linux_surface_synchronization_v1.
func (c *tclient) surfaceSync(s uint32) uint32 {
	mgr := c.bind("zwp_linux_explicit_synchronization_v1")
	ss := c.NewObject("zwp_linux_surface_synchronization_v1")
	c.send(mgr, explicitsync.ZwpLinuxExplicitSynchronizationV1RequestGetSynchronization, func(e *wire.Encoder) { e.NewID(ss); e.Object(s) })
	return ss
}

func (c *tclient) setAcquireFence(ss uint32, fd int) {
	c.send(ss, explicitsync.ZwpLinuxSurfaceSynchronizationV1RequestSetAcquireFence, func(e *wire.Encoder) { e.FD(fd) })
}

func (c *tclient) getRelease(ss uint32) uint32 {
	rel := c.NewObject("zwp_linux_buffer_release_v1")
	c.send(ss, explicitsync.ZwpLinuxSurfaceSynchronizationV1RequestGetRelease, func(e *wire.Encoder) { e.NewID(rel) })
	return rel
}

// An acquire fence holds its commit as an acquire point does, and the
// buffer release object is answered (immediate_release) once the buffer
// is free: not while it is shown.
func TestAcquireFenceAndBufferRelease(t *testing.T) {
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	mode := r.comp.Mode()
	W, H := int(mode.HDisplay), int(mode.VDisplay)
	c := r.dial()
	w := c.toplevel()
	ss := c.surfaceSync(w.surface)
	fence, tl := syncFile(t, 4)
	red := c.dmabufXRGB(t, 16, 8, xrgb(16, 8, 255, 0, 0))
	green := c.dmabufXRGB(t, 16, 8, xrgb(16, 8, 0, 255, 0))

	c.setAcquireFence(ss, fence.Fd())
	rel := c.getRelease(ss)
	cb := c.show(w.surface, red)
	seq := c.advance(1)
	c.advance(1)
	assert.Equal(t, frameCRC(W, H), r.crc(seq+1), "held for its fence")
	c.sync()
	assert.Zero(t, c.drop(cb, rawwire.EvCallbackDone))

	require.NoError(t, tl.Signal(4))
	seq = c.advance(1)
	c.waitFor(cb, rawwire.EvCallbackDone)
	c.advance(1)
	assert.Equal(t, frameCRC(W, H, paint{0, 0, 16, 8, 255, 0, 0}), r.crc(seq+1))
	c.sync()
	assert.Zero(t, c.drop(rel, explicitsync.ZwpLinuxBufferReleaseV1EventImmediateRelease), "red is shown")

	c.show(w.surface, green) // no fence: applies at once
	c.advance(1)
	c.waitFor(rel, explicitsync.ZwpLinuxBufferReleaseV1EventImmediateRelease)
}

// The negotiation log follows a buffer through explicit sync, frame by
// frame: points set at commit, the commit held, its acquire signalled at
// the latch that applied it, and its release once the buffer was freed.
func TestSyncNegotiationLog(t *testing.T) {
	var log lockedBuffer
	r := startRig(t, compositor.Config{Clock: compositor.Manual, NegotiationLog: &log})
	c := r.dial()
	w := c.syncToplevel()
	acqTL, acq := c.importTimeline()
	relTL, _ := c.importTimeline()
	red := c.dmabufXRGB(t, 16, 8, xrgb(16, 8, 255, 0, 0))
	green := c.dmabufXRGB(t, 16, 8, xrgb(16, 8, 0, 255, 0))
	c.showSynced(w, red, acqTL, 1, relTL, 1)
	c.sync()
	held := c.advance(1)
	require.NoError(t, acq.Signal(2))
	applied := c.advance(1)
	c.showSynced(w, green, acqTL, 2, relTL, 2)
	c.sync()
	freed := c.advance(1)
	r.comp.Close()
	<-r.done
	r.done <- nil

	log.mu.Lock()
	defer log.mu.Unlock()
	var got []string
	for _, line := range strings.Split(log.b.String(), "\n") {
		if strings.Contains(line, `"event":"sync"`) {
			_, rest, _ := strings.Cut(line, `"frame":`)
			frame, rest, _ := strings.Cut(rest, ",")
			_, ev, _ := strings.Cut(rest, `"event":"sync",`)
			got = append(got, frame+" "+ev)
		}
	}
	s, rb, gb := peID(w.surface), peID(red), peID(green)
	tlA, tlR := "wp_linux_drm_syncobj_timeline_v1@"+peID(acqTL), "wp_linux_drm_syncobj_timeline_v1@"+peID(relTL)
	f := func(seq uint64) string { return fmt.Sprint(seq) }
	// Lines recorded between latches belong to the last latched frame
	// (0 before the first). Green's point has signalled already, so its
	// commit applies at once and frees red; closing frees green.
	require.Equal(t, uint64(2), held, "a fresh manual rig latches frame 2 first")
	assert.Equal(t, []string{
		`0 "buffer":` + rb + `,"kind":"acquire_point","action":"set","surface":` + s + `,"timeline":"` + tlA + `","point":"1"}`,
		`0 "buffer":` + rb + `,"kind":"release_point","action":"set","surface":` + s + `,"timeline":"` + tlR + `","point":"1"}`,
		`0 "buffer":` + rb + `,"kind":"acquire_point","action":"held","surface":` + s + `,"timeline":"` + tlA + `","point":"1"}`,
		f(applied) + ` "buffer":` + rb + `,"kind":"acquire_point","action":"signalled","surface":` + s + `,"timeline":"` + tlA + `","point":"1"}`,
		f(applied) + ` "buffer":` + gb + `,"kind":"acquire_point","action":"set","surface":` + s + `,"timeline":"` + tlA + `","point":"2"}`,
		f(applied) + ` "buffer":` + gb + `,"kind":"release_point","action":"set","surface":` + s + `,"timeline":"` + tlR + `","point":"2"}`,
		f(applied) + ` "buffer":` + rb + `,"kind":"release_point","action":"released","timeline":"` + tlR + `","point":"1"}`,
		f(freed) + ` "buffer":` + gb + `,"kind":"release_point","action":"released","timeline":"` + tlR + `","point":"2"}`,
	}, got)
}

const syncRead, syncWrite = 1, 2

func (c *tclient) importSyncFile(buf uint32, fd int, flags uint32) {
	test := c.bind("headway_test_v1")
	c.send(test, headwaytest.HeadwayTestV1RequestImportSyncFile, func(e *wire.Encoder) { e.Object(buf); e.FD(fd); e.Uint(flags) })
}

// exportSyncFile asks for buf's implicit fence for an access of the kind
// flags names and imports the fd it gets.
func (c *tclient) exportSyncFile(buf uint32, flags uint32) *syncfd.File {
	c.t.Helper()
	test := c.bind("headway_test_v1")
	res := c.NewObject("headway_test_sync_file_v1")
	c.send(test, headwaytest.HeadwayTestV1RequestExportSyncFile, func(e *wire.Encoder) { e.NewID(res); e.Object(buf); e.Uint(flags) })
	m := c.waitFor(res, headwaytest.HeadwayTestSyncFileV1EventFence)
	require.Len(c.t, m.FDs, 1)
	f, err := syncfd.Import(m.FDs[0])
	unix.Close(m.FDs[0])
	require.NoError(c.t, err)
	c.t.Cleanup(func() { f.Close() })
	return f
}

func status(t *testing.T, f *syncfd.File) int32 {
	s, err := f.Status()
	require.NoError(t, err)
	return s
}

// Implicit sync: a write fence on a dmabuf holds the commit that shows it
// until the fence signals; the compositor's own read fence then keeps a
// writer waiting until the buffer is free again.
func TestImplicitSync(t *testing.T) {
	r := startRig(t, compositor.Config{Clock: compositor.Manual})
	mode := r.comp.Mode()
	W, H := int(mode.HDisplay), int(mode.VDisplay)
	c := r.dial()
	w := c.toplevel()
	red := c.dmabufXRGB(t, 16, 8, xrgb(16, 8, 255, 0, 0))
	green := c.dmabufXRGB(t, 16, 8, xrgb(16, 8, 0, 255, 0))
	gpu, gpuTL := syncFile(t, 1)
	c.importSyncFile(red, gpu.Fd(), syncWrite)
	assert.Zero(t, status(t, c.exportSyncFile(red, syncRead)), "a reader waits for the writer")

	c.show(w.surface, red)
	seq := c.advance(1)
	c.advance(1)
	assert.Equal(t, frameCRC(W, H), r.crc(seq+1), "held for the write fence")

	require.NoError(t, gpuTL.Signal(1))
	seq = c.advance(1)
	c.advance(1)
	assert.Equal(t, frameCRC(W, H, paint{0, 0, 16, 8, 255, 0, 0}), r.crc(seq+1))
	assert.Equal(t, int32(1), status(t, c.exportSyncFile(red, syncRead)), "readers no longer wait")
	write := c.exportSyncFile(red, syncWrite)
	assert.Zero(t, status(t, write), "the compositor still reads red")
	// Committing red again waits for writers only, never for the
	// compositor's own read.
	cb := c.show(w.surface, red)
	c.advance(1)
	c.waitFor(cb, rawwire.EvCallbackDone)

	c.show(w.surface, green)
	c.advance(1)
	require.NoError(t, write.Wait(ctxT(t), math.MaxInt64), "the read fence signals once red is free")
	assert.Equal(t, int32(1), status(t, write))
}
