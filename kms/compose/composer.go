package compose

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"

	"github.com/headwaywl/headway/kms/crc"
	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/kms/pixfmt"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/headwaywl/headway/modifiers/sample"
)

// Options configures a Composer.
type Options struct {
	// Workers is how many goroutines compose rows; 0 means GOMAXPROCS.
	Workers int
}

// Composer composes frames of a device.Device: it implements
// device.Composer. Compose calls are serialised; the rows of one frame
// are spread over the workers.
type Composer struct {
	mu      sync.Mutex
	workers int

	readers map[readerKey]*pixfmt.Reader
	writers map[fourcc.Format]*pixfmt.Writer
	tiled   map[*device.Framebuffer]*tiledSource
	gamma   gammaTables

	// Per-frame state, reused so a steady frame allocates nothing but
	// the goroutines it starts.
	planes   []planeJob
	ws       []*worker
	tasks    []detileTask
	bandCRC  []uint32
	next     atomic.Int32
	frame    frameJob
	firstErr atomic.Pointer[error]
	// The CRC shift over one band of the last frame width, which rarely
	// changes.
	shiftWidth int
	shiftBand  uint32
}

type readerKey struct {
	f   fourcc.Format
	enc profile.ColorEncoding
	rng profile.ColorRange
}

// New returns a Composer.
func New(opts Options) *Composer {
	w := opts.Workers
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	return &Composer{
		workers: w,
		readers: make(map[readerKey]*pixfmt.Reader),
		writers: make(map[fourcc.Format]*pixfmt.Writer),
		tiled:   make(map[*device.Framebuffer]*tiledSource),
	}
}

// planeJob is one visible plane, prepared for reading.
type planeJob struct {
	fp     *device.FramePlane
	rd     *pixfmt.Reader
	img    pixfmt.Image
	m      mapping
	pa     uint32
	blend  profile.BlendMode
	key    keySpec
	direct bool // opaque, unkeyed, contiguous: read straight into the output
	fused  bool // ARGB8888, pre-multiplied, unkeyed, contiguous: blend from the bytes
}

// tiledSource is a tiled framebuffer read back into linear planes once per
// frame; its buffers are kept for the next frame.
type tiledSource struct {
	buf  *sample.Buffer
	lin  [4][]byte
	used bool
}

type detileTask struct {
	ts     *tiledSource
	plane  int
	y0, y1 int
}

// frameJob is what the workers share for one frame.
type frameJob struct {
	width, height int
	bands         int
	y0            int // first row of the hashed area
	gamma         bool
	crcPlane      int // index into planes for a plane CRC source, -1 for auto
	wantCRC       bool
	wb            *pixfmt.Writer
	wbImg         pixfmt.Image
	capture       []Pixel // when set, every hashed row is also copied here
}

type worker struct {
	out   []Pixel
	stage []Pixel
	tmp   []Pixel
}

const rowsPerBand = 8

// Compose implements device.Composer.
func (c *Composer) Compose(f *device.Frame, t device.Target) (uint32, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.compose(f, t, nil)
}

// Capture composes f and returns the pixels that src hashes: the whole
// frame after the gamma LUT for crc.Auto, or one plane's converted pixels
// over its destination rectangle. It also returns that area's CRC. A
// plane that is not in the frame gives an empty image and CRC 0.
func (c *Composer) Capture(f *device.Frame, src crc.Source) (*Image, uint32, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	img := &Image{}
	v, err := c.compose(f, device.Target{CRC: true, Source: src}, img)
	if err != nil {
		return nil, 0, err
	}
	return img, v, nil
}

func (c *Composer) compose(f *device.Frame, t device.Target, capture *Image) (uint32, error) {
	if f.Width <= 0 || f.Height <= 0 {
		return 0, fmt.Errorf("compose crtc %d: empty mode %dx%d: %w", f.CRTCID, f.Width, f.Height, syscall.EINVAL)
	}
	if !pixfmt.HostLE {
		// Blending and hashing use a row's memory as the CRC's bytes.
		return 0, fmt.Errorf("compose crtc %d: big-endian machines are not supported: %w", f.CRTCID, syscall.ENOSYS)
	}
	if t.Writeback != nil && t.CRC && !t.Source.IsAuto() {
		// A plane source hashes other rows than writeback writes: two
		// passes over the same frame.
		if _, err := c.compose(f, device.Target{Writeback: t.Writeback}, nil); err != nil {
			return 0, err
		}
		t.Writeback = nil
	}
	if err := c.prepare(f, t); err != nil {
		return 0, fmt.Errorf("compose crtc %d frame %d: %w", f.CRTCID, f.Seq, err)
	}
	defer c.release()
	if capture != nil {
		fj := &c.frame
		w, h := fj.width, fj.height
		if fj.bands == 0 {
			w, h = 0, 0
		}
		*capture = Image{Width: w, Height: h, Pix: make([]Pixel, w*h)}
		fj.capture = capture.Pix
	}
	if err := c.run(c.detileWorker, len(c.tasks)); err != nil {
		return 0, fmt.Errorf("compose crtc %d frame %d: reading a tiled framebuffer: %w", f.CRTCID, f.Seq, err)
	}
	fj := &c.frame
	if fj.bands == 0 {
		return 0, nil
	}
	if err := c.run(c.rowWorker, fj.bands); err != nil {
		return 0, fmt.Errorf("compose crtc %d frame %d: %w", f.CRTCID, f.Seq, err)
	}
	if !fj.wantCRC {
		return 0, nil
	}
	rowBytes := uint64(fj.width) * 8
	if c.shiftWidth != fj.width {
		c.shiftWidth, c.shiftBand = fj.width, xPow8n(rowBytes*rowsPerBand)
	}
	var v uint32
	for b := 0; b < fj.bands; b++ {
		shift := c.shiftBand
		if b == fj.bands-1 {
			if n := fj.height - b*rowsPerBand; n != rowsPerBand {
				shift = xPow8n(rowBytes * uint64(n))
			}
		}
		v = crcCombine(v, c.bandCRC[b], shift)
	}
	return v, nil
}

// release drops references into client memory kept for the frame.
func (c *Composer) release() {
	for i := range c.planes {
		c.planes[i] = planeJob{m: c.planes[i].m}
	}
	c.frame.wbImg = pixfmt.Image{}
	for fb, ts := range c.tiled {
		if !ts.used {
			delete(c.tiled, fb)
		}
		ts.used = false
	}
}

// run calls fn(worker, task) for tasks 0..n-1 on up to c.workers
// goroutines and returns the first error. A fault on client memory (a
// truncated memfd under its mapping) becomes EFAULT; any other panic is
// reported as an error too, so nothing reaches the device's event loop.
func (c *Composer) run(fn func(w *worker, task int) error, n int) error {
	if n == 0 {
		return nil
	}
	c.next.Store(0)
	c.firstErr.Store(nil)
	nw := min(c.workers, n, len(c.ws)) // prepare made and sized the workers
	loop := func(w *worker) {
		defer func(old bool) {
			debug.SetPanicOnFault(old)
			if p := recover(); p != nil {
				var err error
				if re, ok := p.(runtime.Error); ok && isFault(re) {
					err = fmt.Errorf("reading client memory: %v: %w", re, syscall.EFAULT)
				} else {
					err = fmt.Errorf("composer panic: %v: %w", p, syscall.EFAULT)
				}
				c.fail(err)
			}
		}(debug.SetPanicOnFault(true))
		for {
			task := int(c.next.Add(1)) - 1
			if task >= n || c.firstErr.Load() != nil {
				return
			}
			if err := fn(w, task); err != nil {
				c.fail(err)
				return
			}
		}
	}
	var wg sync.WaitGroup
	for i := 1; i < nw; i++ {
		wg.Add(1)
		go func(w *worker) {
			defer wg.Done()
			loop(w)
		}(c.ws[i])
	}
	loop(c.ws[0])
	wg.Wait()
	if p := c.firstErr.Load(); p != nil {
		return *p
	}
	return nil
}

// fail records the frame's first error; only the error path allocates.
func (c *Composer) fail(err error) {
	c.firstErr.CompareAndSwap(nil, &err)
}

// isFault tells a memory fault (SIGBUS/SIGSEGV turned into a panic by
// SetPanicOnFault) from other runtime errors.
func isFault(err runtime.Error) bool {
	var addr interface{ Addr() uintptr }
	return errors.As(err, &addr)
}

var errOutside = errors.New("plane destination outside the CRTC")

// prepare resolves readers, images, mappings and keys for every plane and
// lays out the frame's bands.
func (c *Composer) prepare(f *device.Frame, t device.Target) error {
	c.planes = grow(c.planes, len(f.Planes))
	c.tasks = c.tasks[:0]
	fj := &c.frame
	*fj = frameJob{width: f.Width, height: f.Height, crcPlane: -1, wantCRC: t.CRC}
	for i := range f.Planes {
		fp := &f.Planes[i]
		if err := c.preparePlane(&c.planes[i], fp, f); err != nil {
			return fmt.Errorf("plane %d: %w", fp.ID, err)
		}
		if t.CRC && !t.Source.IsAuto() && fp.ID == t.Source.Plane {
			fj.crcPlane = i
		}
	}
	fj.gamma = f.GammaLUT != nil && c.gamma.load(f.GammaLUT)
	composed := t.Writeback != nil || (t.CRC && t.Source.IsAuto()) // the output rows are needed
	if t.Writeback != nil {
		if err := c.prepareWriteback(t.Writeback, f); err != nil {
			return err
		}
	}
	// The hashed area: the whole CRTC, or the CRC plane's destination.
	rows, y0, width := f.Height, 0, f.Width
	if t.CRC && !t.Source.IsAuto() {
		if fj.crcPlane < 0 {
			rows = 0 // a plane that is not shown hashes nothing
		} else {
			d := f.Planes[fj.crcPlane].Dst
			rows, y0, width = int(d.Height()), int(d.Y1), int(d.Width())
		}
	}
	if !composed && fj.crcPlane < 0 {
		rows = 0
	}
	fj.y0 = y0
	fj.bands = (rows + rowsPerBand - 1) / rowsPerBand
	if fj.crcPlane >= 0 {
		fj.height, fj.width = rows, width
	}
	c.bandCRC = grow(c.bandCRC, fj.bands)
	need := max(f.Width, 1)
	for _, w := range c.ws {
		w.ensure(need, f)
	}
	for len(c.ws) < min(c.workers, max(fj.bands, len(c.tasks))) {
		w := &worker{}
		w.ensure(need, f)
		c.ws = append(c.ws, w)
	}
	return nil
}

// ensure sizes a worker's rows for a frame: the output row, the stage row
// and a scratch row long enough for any source span a plane reads.
func (w *worker) ensure(width int, f *device.Frame) {
	w.out = grow(w.out, width)
	w.stage = grow(w.stage, width)
	n := 1
	for i := range f.Planes {
		fb := f.Planes[i].FB
		n = max(n, int(fb.Width()), int(fb.Height()))
	}
	w.tmp = grow(w.tmp, n)
}

func (c *Composer) reader(f fourcc.Format, enc profile.ColorEncoding, rng profile.ColorRange) (*pixfmt.Reader, error) {
	k := readerKey{f, enc, rng}
	if rd, ok := c.readers[k]; ok {
		return rd, nil
	}
	rd, err := pixfmt.NewReader(f, enc, rng)
	if err != nil {
		return nil, err
	}
	c.readers[k] = rd
	return rd, nil
}

func (c *Composer) preparePlane(pj *planeJob, fp *device.FramePlane, f *device.Frame) error {
	fb := fp.FB
	if fb == nil {
		return fmt.Errorf("no framebuffer: %w", syscall.EINVAL)
	}
	d := fp.Dst
	if d.X1 < 0 || d.Y1 < 0 || int(d.X2) > f.Width || int(d.Y2) > f.Height || d.X1 > d.X2 || d.Y1 > d.Y2 {
		return fmt.Errorf("%w: %v in %dx%d: %w", errOutside, d, f.Width, f.Height, syscall.EINVAL)
	}
	rd, err := c.reader(fb.Format(), fp.ColorEncoding, fp.ColorRange)
	if err != nil {
		return err
	}
	*pj = planeJob{fp: fp, rd: rd, pa: uint32(fp.Alpha), blend: fp.Blend, m: pj.m}
	if err := c.image(&pj.img, fb); err != nil {
		return err
	}
	pj.m.build(fp, int32(fb.Width()), int32(fb.Height()))
	pj.key = resolveKey(fp, rd)
	plain := pj.key.mode == keyNone && !pj.m.swap && pj.m.alongStep == 1
	pj.direct = plain && !rd.HasAlpha() && pj.pa == 0xffff
	pj.fused = plain && fb.Format() == fourcc.ARGB8888 && pj.blend == profile.BlendPremulti
	return nil
}

// image points img at a framebuffer's pixels: straight at the client's
// memory for LINEAR, at a per-frame linear copy for tiled modifiers.
func (c *Composer) image(img *pixfmt.Image, fb *device.Framebuffer) error {
	info := fb.FormatInfo()
	planes := fb.Planes()
	*img = pixfmt.Image{Width: int(fb.Width()), Height: int(fb.Height())}
	if fb.Modifier() == modifier.Linear {
		for i := 0; i < int(info.NumPlanes); i++ {
			p := planes[i]
			if p.Buffer == nil {
				return fmt.Errorf("framebuffer %d plane %d has no buffer: %w", fb.ID(), i, syscall.EINVAL)
			}
			mem := p.Buffer.Bytes()
			if int(p.Offset) > len(mem) {
				return fmt.Errorf("framebuffer %d plane %d offset %d beyond its %d-byte buffer: %w", fb.ID(), i, p.Offset, len(mem), syscall.EINVAL)
			}
			img.Planes[i] = pixfmt.Plane{Data: mem[p.Offset:], Stride: int(p.Pitch)}
		}
		return nil
	}
	ts, ok := c.tiled[fb]
	if !ok {
		sp := make([]sample.Plane, 0, 4)
		for i := 0; i < 4 && planes[i].Buffer != nil; i++ {
			sp = append(sp, sample.Plane{Data: planes[i].Buffer.Bytes(), Offset: planes[i].Offset, Stride: planes[i].Pitch})
		}
		sb, err := sample.Open(info, fb.Modifier(), fb.Width(), fb.Height(), sp)
		if err != nil {
			return fmt.Errorf("framebuffer %d: %w", fb.ID(), err)
		}
		ts = &tiledSource{buf: sb}
		c.tiled[fb] = ts
	}
	if !ts.used {
		ts.used = true
		// Clients may write compressed data at any time; check per frame.
		if err := ts.buf.CheckAux(); err != nil {
			return fmt.Errorf("framebuffer %d: %w", fb.ID(), err)
		}
		for p := 0; p < ts.buf.Planes(); p++ {
			rows, rb := ts.buf.Rows(p), ts.buf.RowBytes(p)
			ts.lin[p] = grow(ts.lin[p], rows*rb)
			for y := 0; y < rows; y += 32 {
				c.tasks = append(c.tasks, detileTask{ts: ts, plane: p, y0: y, y1: min(y+32, rows)})
			}
		}
	}
	for p := 0; p < ts.buf.Planes(); p++ {
		img.Planes[p] = pixfmt.Plane{Data: ts.lin[p], Stride: ts.buf.RowBytes(p)}
	}
	return nil
}

func (c *Composer) detileWorker(_ *worker, task int) error {
	t := &c.tasks[task]
	rb := t.ts.buf.RowBytes(t.plane)
	for y := t.y0; y < t.y1; y++ {
		if err := t.ts.buf.Row(t.plane, y, t.ts.lin[t.plane][y*rb:(y+1)*rb]); err != nil {
			return err
		}
	}
	return nil
}

// rowWorker composes, hashes and writes back one band of rows.
func (c *Composer) rowWorker(w *worker, band int) error {
	fj := &c.frame
	y0 := band * rowsPerBand
	y1 := min(y0+rowsPerBand, fj.height)
	var v uint32
	if fj.crcPlane >= 0 {
		pj := &c.planes[fj.crcPlane]
		d := pj.fp.Dst
		for y := fj.y0 + y0; y < fj.y0+y1; y++ {
			span := w.stage[d.X1:d.X2]
			c.readStage(w, pj, y-int(d.Y1), span)
			v = crcLE(v, rowBytes(span))
			if fj.capture != nil {
				copy(fj.capture[(y-fj.y0)*fj.width:], span)
			}
		}
		c.bandCRC[band] = v
		return nil
	}
	for y := y0; y < y1; y++ {
		out := w.out[:fj.width]
		c.composeRow(w, y, out)
		if fj.gamma {
			c.gamma.apply(out)
		}
		if fj.wantCRC {
			v = crcLE(v, rowBytes(out))
		}
		if fj.capture != nil {
			copy(fj.capture[y*fj.width:], out)
		}
		if fj.wb != nil {
			fj.wb.WriteSpan(&fj.wbImg, 0, y, out)
		}
	}
	c.bandCRC[band] = v
	return nil
}

var black = Pixel{A: 0xffff}

// composeRow builds output row y: opaque black, then every plane that
// covers the row, bottom first.
func (c *Composer) composeRow(w *worker, y int, out []Pixel) {
	for i := range out {
		out[i] = black
	}
	for i := range c.planes {
		pj := &c.planes[i]
		d := pj.fp.Dst
		if y < int(d.Y1) || y >= int(d.Y2) || d.X1 == d.X2 {
			continue
		}
		v := y - int(d.Y1)
		dst := out[d.X1:d.X2]
		if pj.direct {
			pj.rd.ReadSpan(&pj.img, int(pj.m.alongMin), int(pj.m.across[v]), dst)
			continue
		}
		if pj.fused {
			pl := &pj.img.Planes[0]
			off := int(pj.m.across[v])*pl.Stride + 4*int(pj.m.alongMin)
			blendPremulti8888(pixfmt.Words(dst), pl.Data[off:off+4*len(dst)], pj.pa)
			continue
		}
		stage := w.stage[d.X1:d.X2]
		c.readStage(w, pj, v, stage)
		switch pj.key.mode {
		case keyNone:
			blendSpan(dst, stage, pj.pa, pj.blend)
		case keyI915Dest:
			for u := range stage {
				if pj.key.matchRGB(dst[u]) {
					blendOne(&dst[u], stage[u], pj.pa, pj.blend)
				}
			}
		default:
			c.blendKeyed(pj, v, dst, stage)
		}
	}
}

// blendKeyed is the source-keying slow path: matched pixels are keyed and
// blended as pre-multiplied, the others by the plane's mode.
func (c *Composer) blendKeyed(pj *planeJob, v int, dst, stage []Pixel) {
	yuv := pj.key.mode == keyY || pj.key.mode == keyI915YUV
	for u := range stage {
		var hit bool
		if yuv {
			x, y := pj.m.source(u, v)
			hit = pj.key.matchYUV(pj.rd.YCbCrAt(&pj.img, x, y))
		} else {
			hit = pj.key.matchRGB(stage[u])
		}
		if hit {
			p := stage[u]
			pj.key.apply(&p)
			blendOne(&dst[u], p, pj.pa, profile.BlendPremulti)
		} else {
			blendOne(&dst[u], stage[u], pj.pa, pj.blend)
		}
	}
}

// source returns the framebuffer pixel destination pixel (u, v) shows.
func (m *mapping) source(u, v int) (x, y int) {
	if m.swap {
		return int(m.across[v]), int(m.along[u])
	}
	return int(m.along[u]), int(m.across[v])
}

// readStage converts destination row v of a plane into stage (its
// destination span), following the plane's mapping.
func (c *Composer) readStage(w *worker, pj *planeJob, v int, stage []Pixel) {
	m := &pj.m
	a := int(m.across[v])
	lo := int(m.alongMin)
	if m.alongStep == 1 {
		if m.swap {
			pj.rd.ReadColumn(&pj.img, a, lo, stage)
		} else {
			pj.rd.ReadSpan(&pj.img, lo, a, stage)
		}
		return
	}
	n := int(m.alongMax) - lo + 1
	tmp := w.tmp[:n]
	if m.swap {
		pj.rd.ReadColumn(&pj.img, a, lo, tmp)
	} else {
		pj.rd.ReadSpan(&pj.img, lo, a, tmp)
	}
	for u, s := range m.along[:len(stage)] {
		stage[u] = tmp[int(s)-lo]
	}
}

// rowBytes returns the bytes the CRC hashes for a row: on the
// little-endian machines Compose runs on, the row's own memory.
func rowBytes(row []Pixel) []byte {
	if len(row) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&row[0])), len(row)*8)
}

// prepareWriteback points the frame's writer at the writeback framebuffer.
func (c *Composer) prepareWriteback(fb *device.Framebuffer, f *device.Frame) error {
	if int(fb.Width()) != f.Width || int(fb.Height()) != f.Height {
		return fmt.Errorf("writeback framebuffer %d is %dx%d, the mode %dx%d: %w", fb.ID(), fb.Width(), fb.Height(), f.Width, f.Height, syscall.EINVAL)
	}
	if fb.Modifier() != modifier.Linear {
		return fmt.Errorf("writeback framebuffer %d: only LINEAR is written: %w", fb.ID(), syscall.EINVAL)
	}
	wr, ok := c.writers[fb.Format()]
	if !ok {
		var err error
		wr, err = pixfmt.NewWriter(fb.Format(), profile.BT601, profile.RangeFull)
		if err != nil {
			return fmt.Errorf("writeback framebuffer %d: %w", fb.ID(), err)
		}
		c.writers[fb.Format()] = wr
	}
	c.frame.wb = wr
	return c.image(&c.frame.wbImg, fb)
}

var _ device.Composer = (*Composer)(nil)
