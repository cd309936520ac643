package compositor

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/kms/compose"
	"github.com/headwaywl/headway/kms/pixfmt"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/formatset"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/layout"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/headwaywl/headway/protocol/linuxdmabuf"
	"github.com/headwaywl/headway/protocol/server"
	"github.com/headwaywl/headway/protocol/wayland"
)

// MainDevice is the dev_t headway advertises as the linux-dmabuf main
// device and every tranche's target: major 4095, minor 1048575, the
// largest numbers the kernel's dev_t holds (12 and 20 bits). No driver is
// registered there, so a client can never mistake it for a real node;
// clients that look it up find nothing and, as the protocol asks,
// allocate with the modifiers they were offered.
var MainDevice = unix.Mkdev(4095, 1<<20-1)

// dmabufGlobal is zwp_linux_dmabuf_v1: one render set, one format table
// in one sealed memfd shared by every client (a table once sent is never
// changed), and the default feedback built from it.
type dmabufGlobal struct {
	c       *Compositor
	render  *formatset.Set
	table   formatset.Table
	tableFD int
	// defaultTranches are the default feedback's tranches, indexed into
	// table.
	defaultTranches []formatset.FeedbackTranche
	strict          bool
	tester          *scanoutTester
	surfaceFeedback map[*surface][]*surfaceFeedback
}

func (c *Compositor) newDmabuf() (*dmabufGlobal, error) {
	// The loader checked every pair against modifiers/sample; the
	// composer's format readers are checked here, where both are known.
	if err := c.cfg.Profile.ValidateRender(readable); err != nil {
		return nil, fmt.Errorf("profile %s: %w", c.cfg.Profile.Name, err)
	}
	g := &dmabufGlobal{c: c, render: renderSet(c), tableFD: -1, strict: !c.cfg.DmabufLenient, surfaceFeedback: map[*surface][]*surfaceFeedback{}}
	var err error
	if g.tester, err = newScanoutTester(c.out); err != nil {
		return nil, fmt.Errorf("dmabuf scanout tests: %w", err)
	}
	if err := g.table.AddSet(g.render); err != nil {
		return nil, fmt.Errorf("dmabuf format table: %w", err)
	}
	fd, err2 := sealedMemfd("headway-dmabuf-formats", g.table.Bytes())
	err = err2
	if err != nil {
		return nil, fmt.Errorf("dmabuf format table: %w", err)
	}
	g.tableFD = fd
	g.defaultTranches, err = g.tranches([]formatset.Tranche{{TargetDevice: MainDevice, Formats: g.render}})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// renderSet is what the simulated GPU samples: the profile's render set,
// limited to what the composer can read.
func renderSet(c *Compositor) *formatset.Set {
	if rs := profileRender(c.cfg.Profile); rs != nil && rs.Len() > 0 {
		return rs.Clone()
	}
	// A profile without a render set offers LINEAR for every format the
	// primary plane lists that the composer reads, as VKMS's GPU-less
	// device would.
	s := &formatset.Set{}
	for _, f := range c.out.primaryFormats {
		if readable(f) {
			s.Add(f, modifier.Linear)
		}
	}
	return s
}

// tranches builds feedback tranches whose indices point into the shared
// table, so one memfd serves every feedback: formatset builds a table per
// feedback, and its indices are mapped onto the shared one.
func (g *dmabufGlobal) tranches(ts []formatset.Tranche) ([]formatset.FeedbackTranche, error) {
	fb, err := formatset.BuildFeedback(ts)
	if err != nil {
		return nil, fmt.Errorf("dmabuf feedback: %w", err)
	}
	out := make([]formatset.FeedbackTranche, len(fb.Tranches))
	for i, tr := range fb.Tranches {
		idx := make([]uint16, len(tr.Indices))
		for j, k := range tr.Indices {
			p, err := fb.Table.Entry(int(k))
			if err != nil {
				return nil, fmt.Errorf("dmabuf feedback: %w", err)
			}
			s, ok := g.table.Index(p.Format, p.Modifier)
			if !ok {
				return nil, fmt.Errorf("dmabuf feedback: %s:%v is not in the render set", fourcc.DRMName(p.Format), p.Modifier)
			}
			idx[j] = s
		}
		out[i] = formatset.FeedbackTranche{Source: tr.Source, TargetDevice: tr.TargetDevice, Flags: tr.Flags, Indices: idx, Chunks: chunkIndices(idx)}
	}
	return out, nil
}

func chunkIndices(idx []uint16) [][]byte {
	var chunks [][]byte
	for len(idx) > 0 {
		n := min(len(idx), formatset.MaxIndicesPerMessage)
		b := make([]byte, 2*n)
		for i, v := range idx[:n] {
			binary.NativeEndian.PutUint16(b[2*i:], v)
		}
		chunks = append(chunks, b)
		idx = idx[n:]
	}
	return chunks
}

// sealedMemfd returns a read-only-shareable memfd holding data, sealed so
// nobody can change what a client mapped.
func sealedMemfd(name string, data []byte) (int, error) {
	fd, err := unix.MemfdCreate(name, unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	if err != nil {
		return -1, fmt.Errorf("memfd_create: %w", err)
	}
	if _, err := unix.Pwrite(fd, data, 0); err != nil && len(data) > 0 {
		unix.Close(fd)
		return -1, fmt.Errorf("write: %w", err)
	}
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_ADD_SEALS, unix.F_SEAL_SHRINK|unix.F_SEAL_GROW|unix.F_SEAL_WRITE|unix.F_SEAL_SEAL); err != nil {
		unix.Close(fd)
		return -1, fmt.Errorf("seal: %w", err)
	}
	return fd, nil
}

func (g *dmabufGlobal) bind(cl *server.Client, r *server.Resource) {
	g.c.bound(cl, r)
	r.SetHandler(linuxdmabuf.ZwpLinuxDmabufV1Dispatcher(g))
	switch {
	case r.Version() >= 4:
		// Feedback replaces the events from v4 on.
	case r.Version() == 3:
		for f, m := range g.render.Pairs() {
			_ = linuxdmabuf.ZwpLinuxDmabufV1SendModifier(r, uint32(f), uint32(uint64(m)>>32), uint32(m))
		}
	default:
		// v1 and v2 know no modifiers: a buffer they create carries the
		// implicit modifier, which on headway's device means LINEAR, so
		// the formats offered are those with LINEAR.
		for _, f := range g.render.Formats() {
			if g.render.Has(f, modifier.Linear) || g.render.Has(f, modifier.Invalid) {
				_ = linuxdmabuf.ZwpLinuxDmabufV1SendFormat(r, uint32(f))
			}
		}
	}
}

func (g *dmabufGlobal) Destroy(r *server.Resource) error { return nil }

func (g *dmabufGlobal) CreateParams(r *server.Resource, id *server.Resource) error {
	p := &dmabufParams{g: g, res: id}
	for i := range p.planes {
		p.planes[i].fd = -1
	}
	id.SetData(p)
	id.SetHandler(linuxdmabuf.ZwpLinuxBufferParamsV1Dispatcher(p))
	id.SetDestructor(func(*server.Resource) { p.closeFDs() })
	return nil
}

func (g *dmabufGlobal) GetDefaultFeedback(r *server.Resource, id *server.Resource) error {
	id.SetHandler(linuxdmabuf.ZwpLinuxDmabufFeedbackV1Dispatcher(feedbackObj{}))
	id.SetData(feedbackSurface{})
	g.sendFeedback(id, g.defaultTranches)
	return nil
}

// GetSurfaceFeedback sends the default feedback at once; each latch then
// re-evaluates whether the surface is a scanout candidate and re-sends
// with or without the scanout tranche when that changes.
func (g *dmabufGlobal) GetSurfaceFeedback(r *server.Resource, id *server.Resource, sr *server.Resource) error {
	s := surfaceFrom(sr)
	id.SetHandler(linuxdmabuf.ZwpLinuxDmabufFeedbackV1Dispatcher(feedbackObj{}))
	id.SetData(feedbackSurface{s: s})
	sf := &surfaceFeedback{res: id}
	g.surfaceFeedback[s] = append(g.surfaceFeedback[s], sf)
	id.SetDestructor(func(*server.Resource) { g.forgetFeedback(s, sf) })
	g.sendFeedback(id, g.defaultTranches)
	return nil
}

func (g *dmabufGlobal) forgetFeedback(s *surface, sf *surfaceFeedback) {
	list := g.surfaceFeedback[s]
	for i, x := range list {
		if x == sf {
			list = append(list[:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(g.surfaceFeedback, s)
	} else {
		g.surfaceFeedback[s] = list
	}
}

// surfaceGone makes a destroyed surface's feedback objects inert.
func (g *dmabufGlobal) surfaceGone(s *surface) { delete(g.surfaceFeedback, s) }

type feedbackObj struct{}

func (feedbackObj) Destroy(r *server.Resource) error { return nil }

// feedbackSurface is a feedback object's data: its surface (nil for the
// default feedback) and whether the table was sent.
type feedbackSurface struct {
	s         *surface
	tableSent bool
}

// sendFeedback sends one complete feedback: the table (first send only,
// as weston does: it never changes), the main device, each tranche, done.
func (g *dmabufGlobal) sendFeedback(r *server.Resource, ts []formatset.FeedbackTranche) {
	fs, _ := r.Data().(feedbackSurface)
	if !fs.tableSent {
		_ = linuxdmabuf.ZwpLinuxDmabufFeedbackV1SendFormatTable(r, g.tableFD, uint32(g.table.Size()))
		fs.tableSent = true
		r.SetData(fs)
	}
	dev := formatset.DevBytes(MainDevice)
	_ = linuxdmabuf.ZwpLinuxDmabufFeedbackV1SendMainDevice(r, dev)
	for _, t := range ts {
		_ = linuxdmabuf.ZwpLinuxDmabufFeedbackV1SendTrancheTargetDevice(r, formatset.DevBytes(t.TargetDevice))
		for _, ch := range t.Chunks {
			_ = linuxdmabuf.ZwpLinuxDmabufFeedbackV1SendTrancheFormats(r, ch)
		}
		_ = linuxdmabuf.ZwpLinuxDmabufFeedbackV1SendTrancheFlags(r, uint32(t.Flags))
		_ = linuxdmabuf.ZwpLinuxDmabufFeedbackV1SendTrancheDone(r)
	}
	_ = linuxdmabuf.ZwpLinuxDmabufFeedbackV1SendDone(r)
	g.c.nlog.feedback(g.c.clientFor(r.Client()), r, g, ts)
}

// dmabufParams is a zwp_linux_buffer_params_v1.
type dmabufParams struct {
	g      *dmabufGlobal
	res    *server.Resource
	used   bool
	planes [4]paramPlane
}

type paramPlane struct {
	set    bool
	fd     int
	offset uint32
	stride uint32
	mod    modifier.Modifier
}

func (p *dmabufParams) closeFDs() {
	for i := range p.planes {
		if p.planes[i].fd >= 0 {
			unix.Close(p.planes[i].fd)
			p.planes[i].fd = -1
		}
	}
}

func paramsErr(r *server.Resource, code linuxdmabuf.ZwpLinuxBufferParamsV1Error, format string, args ...any) error {
	return server.Errorf(r, uint32(code), format, args...)
}

func (p *dmabufParams) Destroy(r *server.Resource) error { return nil }

// Add checks in wlroots' order: already_used, plane_idx, plane_set, then
// modifiers that differ between planes (invalid_format).
func (p *dmabufParams) Add(r *server.Resource, fd int, idx, offset, stride, hi, lo uint32) error {
	m := modifier.Modifier(uint64(hi)<<32 | uint64(lo))
	err := func() error {
		switch {
		case p.used:
			return paramsErr(r, linuxdmabuf.ZwpLinuxBufferParamsV1ErrorAlreadyUsed, "the params were already used to create a wl_buffer")
		case idx >= 4:
			return paramsErr(r, linuxdmabuf.ZwpLinuxBufferParamsV1ErrorPlaneIdx, "plane index %d is too high (4 planes at most)", idx)
		case p.planes[idx].set:
			return paramsErr(r, linuxdmabuf.ZwpLinuxBufferParamsV1ErrorPlaneSet, "a dmabuf was already added for plane %d", idx)
		}
		for i := range p.planes {
			if p.planes[i].set && p.planes[i].mod != m {
				return paramsErr(r, linuxdmabuf.ZwpLinuxBufferParamsV1ErrorInvalidFormat, "plane %d's modifier %s differs from plane %d's %s", idx, modName(m), i, modName(p.planes[i].mod))
			}
		}
		return nil
	}()
	cd := p.g.c.clientFor(r.Client())
	if err != nil {
		unix.Close(fd)
		var pe *server.ProtocolError
		if errors.As(err, &pe) {
			p.g.c.nlog.dmabufAdd(cd, p, idx, offset, stride, m, paramsErrName(linuxdmabuf.ZwpLinuxBufferParamsV1Error(pe.Code)), pe.Message)
		}
		return err
	}
	p.g.c.nlog.dmabufAdd(cd, p, idx, offset, stride, m, "ok", "")
	p.planes[idx] = paramPlane{set: true, fd: fd, offset: offset, stride: stride, mod: m}
	return nil
}

func modName(m modifier.Modifier) string {
	return fmt.Sprintf("0x%016x (%s)", uint64(m), modifier.Name(m))
}

// Flags of zwp_linux_buffer_params_v1.
const (
	flagYInvert     = uint32(linuxdmabuf.ZwpLinuxBufferParamsV1FlagsYInvert)
	flagInterlaced  = uint32(linuxdmabuf.ZwpLinuxBufferParamsV1FlagsInterlaced)
	flagBottomFirst = uint32(linuxdmabuf.ZwpLinuxBufferParamsV1FlagsBottomFirst)
)

// refusal is a create that did not make a buffer: a protocol error, or an
// import failure (failed / invalid_wl_buffer).
type refusal struct {
	code  linuxdmabuf.ZwpLinuxBufferParamsV1Error
	fatal bool // a protocol error whatever the request
	rule  string
}

func (p *dmabufParams) Create(r *server.Resource, w, h int32, format, flags uint32) error {
	return p.create(r, nil, w, h, format, flags)
}

func (p *dmabufParams) CreateImmed(r *server.Resource, id *server.Resource, w, h int32, format, flags uint32) error {
	return p.create(r, id, w, h, format, flags)
}

func (p *dmabufParams) create(r, id *server.Resource, w, h int32, format, flags uint32) error {
	if p.used {
		return paramsErr(r, linuxdmabuf.ZwpLinuxBufferParamsV1ErrorAlreadyUsed, "the params were already used to create a wl_buffer")
	}
	p.used = true
	cd := p.g.c.clientFor(r.Client())
	b, ref := p.validateAndImport(r, w, h, fourcc.Format(format), flags)
	p.closeFDs()
	if ref != nil {
		p.g.c.nlog.dmabufCreate(cd, p, id != nil, w, h, format, flags, refusalName(ref), ref.rule)
		if ref.fatal {
			return paramsErr(r, ref.code, "%s", ref.rule)
		}
		if id != nil {
			return paramsErr(r, linuxdmabuf.ZwpLinuxBufferParamsV1ErrorInvalidWlBuffer, "importing the buffer failed: %s", ref.rule)
		}
		_ = linuxdmabuf.ZwpLinuxBufferParamsV1SendFailed(r)
		return nil
	}
	p.g.c.nlog.dmabufCreate(cd, p, id != nil, w, h, format, flags, "ok", "")
	if id == nil {
		nid, err := r.Client().CreateResource(wayland.WlBufferInterface, 1)
		if err != nil {
			b.release()
			return err
		}
		id = nid
	}
	b.c, b.res, b.owner = p.g.c, id, cd
	id.SetData(b)
	id.SetHandler(wayland.WlBufferDispatcher(b))
	id.SetDestructor(b.resourceGone)
	if id.ID() >= server.ServerIDStart {
		_ = linuxdmabuf.ZwpLinuxBufferParamsV1SendCreated(r, id)
	}
	p.g.c.nlog.bufferImport(cd, b)
	return nil
}

// validateAndImport runs the checks in the documented order (see the
// package doc) and maps the planes.
func (p *dmabufParams) validateAndImport(r *server.Resource, w, h int32, f fourcc.Format, flags uint32) (*buffer, *refusal) {
	g := p.g
	fatal := func(code linuxdmabuf.ZwpLinuxBufferParamsV1Error, format string, args ...any) *refusal {
		return &refusal{code: code, fatal: true, rule: fmt.Sprintf(format, args...)}
	}
	n := 0
	for i := range p.planes {
		if p.planes[i].set {
			n = i + 1
		}
	}
	if n == 0 {
		return nil, fatal(linuxdmabuf.ZwpLinuxBufferParamsV1ErrorIncomplete, "no dmabuf was added to the params")
	}
	if flags&^(flagYInvert|flagInterlaced|flagBottomFirst) != 0 {
		return nil, fatal(linuxdmabuf.ZwpLinuxBufferParamsV1ErrorInvalidFormat, "unknown dmabuf flags 0x%x", flags)
	}
	if w < 1 || h < 1 {
		return nil, fatal(linuxdmabuf.ZwpLinuxBufferParamsV1ErrorInvalidDimensions, "invalid width %d or height %d", w, h)
	}
	// out_of_bounds, wlroots' checks on every plane: 32-bit overflow, then
	// the object's real size.
	var sizes [4]uint64
	for i := 0; i < n; i++ {
		pl := &p.planes[i]
		if !pl.set {
			continue
		}
		if uint64(pl.offset)+uint64(pl.stride) > math.MaxUint32 {
			return nil, fatal(linuxdmabuf.ZwpLinuxBufferParamsV1ErrorOutOfBounds, "plane %d: offset %d + stride %d overflows 32 bits", i, pl.offset, pl.stride)
		}
		if uint64(pl.offset)+uint64(pl.stride)*uint64(h) > math.MaxUint32 {
			return nil, fatal(linuxdmabuf.ZwpLinuxBufferParamsV1ErrorOutOfBounds, "plane %d: offset %d + stride %d * height %d overflows 32 bits", i, pl.offset, pl.stride, h)
		}
		size, err := unix.Seek(pl.fd, 0, 2)
		if err != nil || size < 0 {
			continue // unknown size: the checks against it are skipped, as everywhere
		}
		sizes[i] = uint64(size)
		if uint64(pl.offset) > sizes[i] {
			return nil, fatal(linuxdmabuf.ZwpLinuxBufferParamsV1ErrorOutOfBounds, "plane %d: offset %d is past the end of the %d-byte dmabuf", i, pl.offset, size)
		}
		if pl.stride == 0 || uint64(pl.offset)+uint64(pl.stride) > sizes[i] {
			return nil, fatal(linuxdmabuf.ZwpLinuxBufferParamsV1ErrorOutOfBounds, "plane %d: offset %d + stride %d is past the end of the %d-byte dmabuf", i, pl.offset, pl.stride, size)
		}
		if i == 0 && uint64(pl.offset)+uint64(pl.stride)*uint64(h) > sizes[i] {
			return nil, fatal(linuxdmabuf.ZwpLinuxBufferParamsV1ErrorOutOfBounds, "plane 0: offset %d + stride %d * height %d is past the end of the %d-byte dmabuf", pl.offset, pl.stride, h, size)
		}
	}
	mod := p.planes[0].mod
	for i := 0; i < n; i++ {
		if p.planes[i].set {
			mod = p.planes[i].mod
			break
		}
	}
	// The extras wlroots lacks. Strict, each is the error it names; lenient
	// (--dmabuf-strict=off), a warning in the log and the import goes on.
	extra := func(ref *refusal) *refusal {
		if g.strict {
			return ref
		}
		name := paramsErrName(ref.code)
		if !ref.fatal {
			name = "failed" // what create would have answered
		}
		g.c.nlog.dmabufWarning(p.g.c.clientFor(r.Client()), name, ref.rule)
		return nil
	}
	for i := 0; i < n; i++ {
		if !p.planes[i].set {
			if ref := extra(fatal(linuxdmabuf.ZwpLinuxBufferParamsV1ErrorIncomplete, "plane %d is missing: planes must be 0 to %d without holes", i, n-1)); ref != nil {
				return nil, ref
			}
		}
	}
	advertised := g.render.Has(f, mod) || (mod == modifier.Invalid && g.render.Has(f, modifier.Linear))
	if r.Version() >= 4 && !advertised {
		if ref := extra(fatal(linuxdmabuf.ZwpLinuxBufferParamsV1ErrorInvalidFormat, "format %s with modifier %s was not advertised", fourcc.DRMName(f), modName(mod))); ref != nil {
			return nil, ref
		}
	}
	info, known := fourcc.Lookup(f)
	if !known || !readable(f) {
		return nil, fatal(linuxdmabuf.ZwpLinuxBufferParamsV1ErrorInvalidFormat, "format 0x%08x (%s) is not supported", uint32(f), fourcc.DRMName(f))
	}
	// INVALID (the implicit modifier) means LINEAR on headway's device.
	lm := mod
	if lm == modifier.Invalid {
		lm = modifier.Linear
	}
	lp := make([]layout.Plane, n)
	for i := 0; i < n; i++ {
		lp[i] = layout.Plane{Offset: p.planes[i].offset, Stride: p.planes[i].stride, Size: sizes[i]}
	}
	if err := layout.Validate(info, lm, uint32(w), uint32(h), lp); err != nil {
		var le *layout.Error
		if errors.As(err, &le) {
			if ref := extra(layoutRefusal(le)); ref != nil {
				return nil, ref
			}
		}
	}
	if flags&(flagInterlaced|flagBottomFirst) != 0 {
		return nil, &refusal{code: linuxdmabuf.ZwpLinuxBufferParamsV1ErrorInvalidWlBuffer, rule: fmt.Sprintf("interlaced buffers (flags 0x%x) are not supported", flags)}
	}
	return p.importPlanes(f, lm, w, h, n, flags&flagYInvert != 0)
}

// layoutRefusal maps a layout rule to the protocol's codes; a rule no code
// names (InvalidLayout) fails the import instead.
func layoutRefusal(le *layout.Error) *refusal {
	code := linuxdmabuf.ZwpLinuxBufferParamsV1ErrorInvalidWlBuffer
	fatal := true
	switch le.Kind {
	case layout.Incomplete:
		code = linuxdmabuf.ZwpLinuxBufferParamsV1ErrorIncomplete
	case layout.InvalidFormat:
		code = linuxdmabuf.ZwpLinuxBufferParamsV1ErrorInvalidFormat
	case layout.InvalidDimensions:
		code = linuxdmabuf.ZwpLinuxBufferParamsV1ErrorInvalidDimensions
	case layout.OutOfBounds:
		code = linuxdmabuf.ZwpLinuxBufferParamsV1ErrorOutOfBounds
	default:
		fatal = false
	}
	return &refusal{code: code, fatal: fatal, rule: le.Rule}
}

// importPlanes maps each plane's fd. Only memory that cannot shrink under
// the mapping is accepted, since no protocol error may follow once the
// buffer exists: a memfd sealed with F_SEAL_SHRINK, or a real dma-buf.
func (p *dmabufParams) importPlanes(f fourcc.Format, m modifier.Modifier, w, h int32, n int, yInvert bool) (*buffer, *refusal) {
	b := &buffer{kind: bufferDmabuf, format: f, modifier: m, width: w, height: h, yInvert: yInvert}
	maps := map[[2]uint64]*mapping{}
	for i := 0; i < n; i++ {
		pl := &p.planes[i]
		var st unix.Stat_t
		if err := unix.Fstat(pl.fd, &st); err != nil {
			b.release()
			return nil, &refusal{code: linuxdmabuf.ZwpLinuxBufferParamsV1ErrorInvalidWlBuffer, rule: fmt.Sprintf("plane %d: fstat: %v", i, err)}
		}
		if why := unshrinkable(pl.fd); why != "" {
			b.release()
			return nil, &refusal{code: linuxdmabuf.ZwpLinuxBufferParamsV1ErrorInvalidWlBuffer, rule: fmt.Sprintf("plane %d: %s", i, why)}
		}
		key := [2]uint64{st.Dev, st.Ino}
		mp := maps[key]
		if mp == nil {
			if st.Size <= 0 {
				b.release()
				return nil, &refusal{code: linuxdmabuf.ZwpLinuxBufferParamsV1ErrorInvalidWlBuffer, rule: fmt.Sprintf("plane %d: the dmabuf is empty", i)}
			}
			data, err := unix.Mmap(pl.fd, 0, int(st.Size), unix.PROT_READ, unix.MAP_SHARED)
			if err != nil {
				b.release()
				return nil, &refusal{code: linuxdmabuf.ZwpLinuxBufferParamsV1ErrorInvalidWlBuffer, rule: fmt.Sprintf("plane %d: mmap: %v", i, err)}
			}
			mp = &mapping{data: data}
			maps[key] = mp
		}
		mp.refs++
		b.planes[i] = dmabufPlane{m: mp, offset: pl.offset, stride: pl.stride, syncFD: -1}
		if isDmabuf(pl.fd) {
			// Kept for DMA_BUF_IOCTL_SYNC around every read.
			if dup, err := unix.FcntlInt(uintptr(pl.fd), unix.F_DUPFD_CLOEXEC, 0); err == nil {
				b.planes[i].syncFD = dup
			}
		}
	}
	b.nplanes = n
	return b, nil
}

// unshrinkable says why the fd's memory could shrink under a mapping, or
// "" when it cannot.
func unshrinkable(fd int) string {
	seals, err := unix.FcntlInt(uintptr(fd), unix.F_GET_SEALS, 0)
	if err == nil {
		if seals&unix.F_SEAL_SHRINK == 0 {
			return "a memfd without F_SEAL_SHRINK could be truncated under its mapping"
		}
		return ""
	}
	if isDmabuf(fd) {
		return ""
	}
	return "not a dma-buf or a sealed memfd"
}

// isDmabuf recognises a real dma-buf by the name the kernel gives its
// file ("/dmabuf:" since 5.x, "anon_inode:dmabuf" before).
func isDmabuf(fd int) bool {
	link, err := os.Readlink(fmt.Sprintf("/proc/self/fd/%d", fd))
	return err == nil && (strings.HasPrefix(link, "/dmabuf:") || strings.HasPrefix(link, "anon_inode:dmabuf"))
}

// DMA_BUF_IOCTL_SYNC and its flags (include/uapi/linux/dma-buf.h).
const (
	dmaBufIoctlSync = 0x40086200 // _IOW('b', 0, struct dma_buf_sync)
	dmaBufSyncRead  = 1 << 0
	dmaBufSyncStart = 0 << 2
	dmaBufSyncEnd   = 1 << 2
)

// cpuAccess brackets CPU reads of a real dma-buf's mapping with
// DMA_BUF_IOCTL_SYNC, as the uapi requires for coherent reads; sealed
// memfds need nothing. Errors are ignored: the read goes ahead, as
// compositors' CPU fallbacks do.
func (b *buffer) cpuAccess(start bool) {
	flags := uint64(dmaBufSyncRead | dmaBufSyncEnd)
	if start {
		flags = dmaBufSyncRead | dmaBufSyncStart
	}
	for i := 0; i < b.nplanes; i++ {
		if fd := b.planes[i].syncFD; fd >= 0 {
			_, _, _ = unix.Syscall(unix.SYS_IOCTL, uintptr(fd), dmaBufIoctlSync, uintptr(unsafe.Pointer(&flags)))
		}
	}
}

// dmabufPlane is one imported plane.
type dmabufPlane struct {
	m      *mapping
	offset uint32
	stride uint32
	syncFD int // a real dma-buf's fd, -1 for memfds
}

func (b *buffer) dmabufSource() compose.Source {
	s := compose.Source{Format: b.format, Modifier: b.modifier, Width: int(b.width), Height: int(b.height)}
	for i := 0; i < b.nplanes; i++ {
		pl := &b.planes[i]
		if pl.m == nil {
			continue
		}
		s.Planes[i] = compose.SourcePlane{Data: pl.m.data, Offset: int(pl.offset), Stride: int(pl.stride)}
	}
	return s
}

// paramsErrName is the XML's name of a zwp_linux_buffer_params_v1 error.
func paramsErrName(code linuxdmabuf.ZwpLinuxBufferParamsV1Error) string {
	switch code {
	case linuxdmabuf.ZwpLinuxBufferParamsV1ErrorAlreadyUsed:
		return "already_used"
	case linuxdmabuf.ZwpLinuxBufferParamsV1ErrorPlaneIdx:
		return "plane_idx"
	case linuxdmabuf.ZwpLinuxBufferParamsV1ErrorPlaneSet:
		return "plane_set"
	case linuxdmabuf.ZwpLinuxBufferParamsV1ErrorIncomplete:
		return "incomplete"
	case linuxdmabuf.ZwpLinuxBufferParamsV1ErrorInvalidFormat:
		return "invalid_format"
	case linuxdmabuf.ZwpLinuxBufferParamsV1ErrorInvalidDimensions:
		return "invalid_dimensions"
	case linuxdmabuf.ZwpLinuxBufferParamsV1ErrorOutOfBounds:
		return "out_of_bounds"
	case linuxdmabuf.ZwpLinuxBufferParamsV1ErrorInvalidWlBuffer:
		return "invalid_wl_buffer"
	}
	return fmt.Sprintf("error %d", code)
}

// profileRender is the profile's render set, nil when it has none.
func profileRender(p *profile.Profile) *formatset.Set { return p.Render }

// refusalName is what the log says became of a refused create.
func refusalName(ref *refusal) string { return paramsErrName(ref.code) }

// readable says whether the composer can read format f.
func readable(f fourcc.Format) bool {
	_, err := pixfmt.NewReader(f, profile.BT601, profile.RangeFull)
	return err == nil
}
