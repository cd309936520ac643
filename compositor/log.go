package compositor

import (
	"errors"
	"syscall"

	"fmt"
	"golang.org/x/sys/unix"
	"io"
	"time"

	"github.com/headwaywl/headway/compositor/neglog"
	"github.com/headwaywl/headway/modifiers/formatset"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/headwaywl/headway/protocol/server"
)

// negLog feeds the negotiation log. Lines of one frame are collected in a
// neglog.Batch and written at the end of the frame, ordered by client
// stable name and per-client ordinal (compositor-wide lines first), so two
// clients acting in one frame give the same bytes whichever was handled
// first. Names are resolved at the flush: a client named through
// headway_test_v1 after its binds has every line of that frame under its
// new name. Runs on the loop only.
type negLog struct {
	w       *neglog.Writer
	batch   neglog.Batch
	clients map[neglog.ClientID]*clientData
	nextID  neglog.ClientID
	log     interface{ Warn(string, ...any) }
}

func newNegLog(w io.Writer) *negLog {
	if w == nil {
		return &negLog{}
	}
	return &negLog{w: neglog.NewWriter(w), clients: map[neglog.ClientID]*clientData{}}
}

func (l *negLog) on() bool { return l != nil && l.w != nil }

func (l *negLog) idOf(cd *clientData) neglog.ClientID {
	if cd.logID == 0 {
		l.nextID++
		cd.logID = l.nextID
		l.clients[cd.logID] = cd
	}
	return cd.logID
}

func (l *negLog) add(cd *clientData, ev neglog.Event) {
	if !l.on() {
		return
	}
	id := neglog.NoClient
	if cd != nil {
		id = l.idOf(cd)
	}
	l.batch.Add(id, ev)
}

func (l *negLog) setFrame(seq uint64) {
	if l.on() {
		l.batch.SetFrame(seq)
	}
}

// flush writes the frame's lines; it runs after every frame and at
// shutdown.
func (l *negLog) flush(c *Compositor) {
	if !l.on() || l.batch.Len() == 0 {
		return
	}
	err := l.batch.Flush(l.w, func(id neglog.ClientID) string {
		if cd := l.clients[id]; cd != nil {
			return cd.name
		}
		return ""
	})
	if err != nil {
		c.log.Warn("compositor: negotiation log", "err", err)
	}
	for id, cd := range l.clients {
		cd.logged = true
		if cd.gone {
			delete(l.clients, id)
			l.batch.Forget(id)
		}
	}
}

// unflushedGone finds a client with pid that has gone but whose lines
// wait in the batch.
func (l *negLog) unflushedGone(pid int32) *clientData {
	if !l.on() {
		return nil
	}
	for _, cd := range l.clients {
		if cd.gone && !cd.logged && cd.pid == pid {
			return cd
		}
	}
	return nil
}

func (l *negLog) output(c *Compositor) {
	m := &c.out.mode
	l.add(nil, neglog.Output(neglog.OutputInfo{
		Profile:       c.out.profileName,
		Mode:          fmt.Sprintf("%dx%d@%d", m.HDisplay, m.VDisplay, m.RefreshRate()),
		PrimaryFormat: fourcc.DRMName(c.out.format),
		Clock:         c.cfg.Clock.String(),
		MonoBaseNs:    c.out.logBase(),
		Socket:        c.cfg.SocketName,
	}))
}

func (l *negLog) clientConnect(cd *clientData) { l.add(cd, neglog.ClientConnect(cd.comm, int(cd.pid))) }

func (l *negLog) clientName(cd *clientData, old string) { l.add(cd, neglog.ClientName(cd.name, old)) }

func (l *negLog) clientDisconnect(cd *clientData, reason, detail string, pe server.PostedError) {
	var perr *neglog.ProtocolError
	if pe.Sent {
		perr = &neglog.ProtocolError{Interface: pe.Interface, Code: pe.Code, Message: pe.Message}
	}
	ev := neglog.ClientDisconnect(reason, perr)
	if detail != "" {
		ev.Vol = append(ev.Vol, neglog.Field{Key: "detail", Value: neglog.Str(detail)})
	}
	l.add(cd, ev)
}

func (l *negLog) bind(cd *clientData, iface string, version, global uint32) {
	l.add(cd, neglog.Bind(iface, version, global))
}

func (l *negLog) bufferImport(cd *clientData, b *buffer) {
	info, _ := fourcc.Lookup(b.format)
	nb := neglog.Buffer{ID: b.res.ID(), Type: neglog.BufferSHM, Format: info.Name, Fourcc: info.FourCC,
		Width: b.width, Height: b.height, Stride: uint32(b.stride)}
	switch b.kind {
	case bufferSinglePixel:
		nb.Type = neglog.BufferSinglePixel
	case bufferDmabuf:
		nb.Type, nb.Stride, nb.Modifier = neglog.BufferDMABUF, b.planes[0].stride, uint64(b.modifier)
	}
	l.add(cd, neglog.BufferImport(nb))
}

func (l *negLog) presented(s *surface, seq uint64, flags []string, refresh uint32, sec uint64, nsec uint32) {
	l.add(s.owner, neglog.Presentation(s.res.ID(), seq, flags, uint64(refresh), int64(sec), int64(nsec)))
}

func (l *negLog) discarded(s *surface) { l.add(s.owner, neglog.PresentationDiscarded(s.res.ID())) }

func (l *negLog) lockstepTimeout(waiting []string, timeout time.Duration) {
	l.add(nil, neglog.LockstepTimeout(waiting, timeout.Milliseconds()))
}

func (l *negLog) frame(c *Compositor, snap *frameSnap) {
	if !l.on() || (!snap.damaged && !snap.committed && snap.commitErr == nil) {
		return
	}
	crc, ok := c.out.crcAt(snap.seq)
	l.add(nil, neglog.FrameRender(neglog.Render{Surfaces: len(snap.layers), Damaged: snap.damaged, CRC: crc, HasCRC: ok, PrimaryFormat: fourcc.DRMName(c.out.format)}))
	if snap.committed || snap.commitErr != nil {
		result := "ok"
		if snap.commitErr != nil {
			result = errnoName(snap.commitErr)
		}
		l.add(nil, neglog.FrameCommit(snap.fb, []string{"PAGE_FLIP_EVENT", "NONBLOCK"}, result))
	}
}

// errnoName names a commit's errno as the kernel headers do ("EBUSY").
func errnoName(err error) string {
	var e syscall.Errno
	if errors.As(err, &e) {
		if n := unix.ErrnoName(e); n != "" {
			return n
		}
	}
	return err.Error()
}

func devString(dev uint64) string { return fmt.Sprintf("%d:%d", unix.Major(dev), unix.Minor(dev)) }

// pairName names a pair as libdrm prints it: drmGetFormatName, then
// drmGetFormatModifierName (vendor names such as INTEL come first in
// libdrm's own tools; the name alone is unambiguous with the format).
func pairName(f fourcc.Format, m modifier.Modifier) string {
	return fourcc.LibdrmName(f) + ":" + modifier.Name(m)
}

func (l *negLog) feedback(cd *clientData, fb *server.Resource, g *dmabufGlobal, ts []formatset.FeedbackTranche) {
	if !l.on() {
		return
	}
	kind, surface := "default", uint32(0)
	if s, ok := fb.Data().(feedbackSurface); ok && s.s != nil {
		kind, surface = "surface", s.s.res.ID()
	}
	out := make([]neglog.FeedbackTranche, len(ts))
	for i, t := range ts {
		var flags []string
		if t.Flags&formatset.FlagScanout != 0 {
			flags = append(flags, "scanout")
		}
		pairs := make([]string, len(t.Indices))
		for j, k := range t.Indices {
			p, _ := g.table.Entry(int(k))
			pairs[j] = pairName(p.Format, p.Modifier)
		}
		out[i] = neglog.FeedbackTranche{Target: devString(t.TargetDevice), Flags: flags, Pairs: pairs}
	}
	l.add(cd, neglog.DmabufFeedback(fb.ID(), kind, surface, devString(MainDevice), g.table.Len(), out))
}

func (l *negLog) dmabufCreate(cd *clientData, p *dmabufParams, immed bool, w, h int32, format, flags uint32, result, rule string) {
	if !l.on() {
		return
	}
	var planes []neglog.DmabufPlane
	for i := range p.planes {
		if pl := &p.planes[i]; pl.set {
			planes = append(planes, neglog.DmabufPlane{Plane: i, Offset: pl.offset, Stride: pl.stride, Modifier: uint64(pl.mod)})
		}
	}
	name := fourcc.DRMName(fourcc.Format(format))
	if _, ok := fourcc.Lookup(fourcc.Format(format)); !ok {
		name = fmt.Sprintf("0x%08x", format)
	}
	req := "create"
	if immed {
		req = "create_immed"
	}
	l.add(cd, neglog.DmabufCreate(p.res.ID(), req, w, h, name, flags, planes, result, rule))
}

func (l *negLog) dmabufWarning(cd *clientData, errName, rule string) {
	l.add(cd, neglog.DmabufWarning(errName, rule))
}

func (l *negLog) dmabufAdd(cd *clientData, p *dmabufParams, idx, offset, stride uint32, m modifier.Modifier, result, rule string) {
	l.add(cd, neglog.DmabufAdd(p.res.ID(), int(idx), offset, stride, uint64(m), result, rule))
}

// Explicit-sync kinds and actions of the sync line.
const (
	syncAcquirePoint  = "acquire_point"
	syncReleasePoint  = "release_point"
	syncAcquireFence  = "acquire_fence"
	syncBufferRelease = "buffer_release"
	syncImplicitFence = "implicit_write_fence"
)

// syncSet logs every explicit-sync item a commit carries.
func (l *negLog) syncSet(s *surface, st *surfaceState) {
	if !l.on() || st.buffer == nil {
		return
	}
	l.syncAcquire(s, st, "set", false)
	buf := st.buffer.ID()
	if p := st.release; p.set() {
		l.add(s.owner, neglog.Sync(buf, syncReleasePoint, "set", s.res.ID(), p.timelineName(), p.point))
	}
	if st.releaseObj != nil {
		l.add(s.owner, neglog.Sync(buf, syncBufferRelease, "set", s.res.ID(), "", 0))
	}
}

// syncAcquire logs action for st's acquire point and fence; unsignalled
// limits it to those that have not signalled.
func (l *negLog) syncAcquire(s *surface, st *surfaceState, action string, unsignalled bool) {
	if !l.on() || st.buffer == nil {
		return
	}
	buf := st.buffer.ID()
	if p := st.acquire; p.set() && !(unsignalled && p.signalled()) {
		l.add(s.owner, neglog.Sync(buf, syncAcquirePoint, action, s.res.ID(), p.timelineName(), p.point))
	}
	if f := st.acquireFence; f != nil && !(unsignalled && fenceSignalled(f)) {
		l.add(s.owner, neglog.Sync(buf, syncAcquireFence, action, s.res.ID(), "", 0))
	}
	if f := st.implicit; f != nil && !(unsignalled && f.IsSignaled()) {
		l.add(s.owner, neglog.Sync(buf, syncImplicitFence, action, s.res.ID(), "", 0))
	}
}

// released logs that a buffer's release point or object fired.
func (l *negLog) released(r *bufRelease) {
	if !l.on() || r.owner == nil {
		return
	}
	if r.p.set() {
		l.add(r.owner, neglog.Sync(r.buf, syncReleasePoint, "released", 0, r.p.timelineName(), r.p.point))
	}
	if r.obj != nil {
		l.add(r.owner, neglog.Sync(r.buf, syncBufferRelease, "released", 0, "", 0))
	}
}
