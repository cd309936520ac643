package compose

import (
	"errors"
	"fmt"
	"math"
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
	"github.com/headwaywl/headway/modifiers/layout"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/headwaywl/headway/modifiers/sample"
)

// VKMSProfile is the profile name (device.Frame.Profile) whose frames
// are composed with VKMS's own overflow on invalid pre-multiplied data.
const VKMSProfile = "vkms"

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
	tiled   map[tiledKey]*tiledSource
	gamma   gammaTables

	// Per-frame state, reused so a steady frame allocates nothing but
	// the goroutines it starts.
	planes   []layerJob
	sources  []Source            // the frame's framebuffers as Sources
	placed   []device.FramePlane // Render's layers, clipped
	ws       []*worker
	tasks    []detileTask
	bandCRC  []uint32
	next     atomic.Int32
	wg       sync.WaitGroup
	frame    frameJob
	firstErr atomic.Pointer[failure]
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
		tiled:   make(map[tiledKey]*tiledSource),
	}
}

// layerJob is one visible layer, a device plane or a Render layer,
// prepared for reading: both entry points compose nothing but these.
type layerJob struct {
	index  int    // in the frame's planes or Render's layers, for errors
	id     uint32 // the device plane's id, 0 for Render layers
	rd     *pixfmt.Reader
	img    pixfmt.Image
	dst    device.Rect // inside the output
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
	job    int // the first layer showing it, blamed for a fault
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
	wbFast        fastWrite
	wbImg         pixfmt.Image
	capture       []Pixel // when set, every hashed row is also copied here
	planeIDs      bool    // a device frame: errors name the plane
	// wrap: invalid pre-multiplied data overflows as VKMS's u32
	// arithmetic does instead of saturating (a vkms device's frames).
	wrap bool
}

type worker struct {
	out   []Pixel
	stage []Pixel
	tmp   []Pixel
	// job is the layer whose memory the worker is reading, -1 for none:
	// set before every read, so a fault names the client to blame, and
	// back to -1 only before a write into the writeback buffer, the one
	// client memory a worker touches that belongs to no layer.
	job int
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
	defer c.release()
	if err := c.prepare(f, t); err != nil {
		return 0, fmt.Errorf("compose crtc %d frame %d: %w", f.CRTCID, f.Seq, err)
	}
	if capture != nil {
		fj := &c.frame
		w, h := fj.width, fj.height
		if fj.bands == 0 {
			w, h = 0, 0
		}
		*capture = Image{Width: w, Height: h, Pix: make([]Pixel, w*h)}
		fj.capture = capture.Pix
	}
	v, err := c.execute()
	if err != nil {
		return 0, fmt.Errorf("compose crtc %d frame %d: %w", f.CRTCID, f.Seq, err)
	}
	return v, nil
}

// execute runs a prepared frame, Compose's or Render's: tiled sources are
// read back, then the bands composed, hashed and written. It returns the
// CRC of the hashed area.
func (c *Composer) execute() (uint32, error) {
	if err := c.runJobs(phaseDetile, len(c.tasks)); err != nil {
		return 0, err
	}
	fj := &c.frame
	if fj.bands == 0 {
		return 0, nil
	}
	if err := c.runJobs(phaseRows, fj.bands); err != nil {
		return 0, err
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

// runJobs is run with the failure pinned on the layer being read: a
// *LayerError, inside "plane <ID>" for a device frame.
func (c *Composer) runJobs(ph phase, n int) error {
	job, err := c.run(ph, n)
	if err == nil || job < 0 {
		return err
	}
	pj := &c.planes[job]
	le := &LayerError{Layer: pj.index, Err: err}
	if c.frame.planeIDs {
		return fmt.Errorf("plane %d: %w", pj.id, le)
	}
	return le
}

// release drops references into client memory kept for the frame.
func (c *Composer) release() {
	for i := range c.planes {
		c.planes[i] = layerJob{m: c.planes[i].m}
	}
	clear(c.sources)
	c.frame.wbImg = pixfmt.Image{}
	c.frame.capture = nil
	for k, ts := range c.tiled {
		if !ts.used {
			delete(c.tiled, k)
		}
		ts.used = false
	}
}

// failure is a frame's first error and the layer (index into planes, -1
// for none) whose memory the failing worker was reading.
type failure struct {
	job int
	err error
}

// phase is what run's workers do with their tasks: named rather than
// passed as a function value, because a method value allocates per frame.
type phase uint8

const (
	phaseDetile phase = iota // tasks are detileTasks
	phaseRows                // tasks are bands
)

// run does tasks 0..n-1 of phase ph on up to c.workers goroutines and
// returns the first error and the layer it happened on. A fault on client
// memory (a truncated memfd under its mapping) becomes EFAULT; any other
// panic is reported as an error too, so nothing reaches the device's
// event loop.
func (c *Composer) run(ph phase, n int) (int, error) {
	if n == 0 {
		return -1, nil
	}
	c.next.Store(0)
	c.firstErr.Store(nil)
	nw := min(c.workers, n, len(c.ws)) // prepare made and sized the workers
	for i := 1; i < nw; i++ {
		c.wg.Add(1)
		go func(w *worker) {
			defer c.wg.Done()
			c.loop(w, ph, n)
		}(c.ws[i])
	}
	c.loop(c.ws[0], ph, n)
	c.wg.Wait()
	if p := c.firstErr.Load(); p != nil {
		return p.job, p.err
	}
	return -1, nil
}

// loop takes tasks until none are left or a worker failed.
func (c *Composer) loop(w *worker, ph phase, n int) {
	w.job = -1
	defer func(old bool) {
		debug.SetPanicOnFault(old)
		if p := recover(); p != nil {
			var err error
			if re, ok := p.(runtime.Error); ok && isFault(re) {
				what := "reading client memory"
				if w.job < 0 {
					what = "writing client memory"
				}
				err = fmt.Errorf("%s: %v: %w", what, re, syscall.EFAULT)
			} else {
				err = fmt.Errorf("composer panic: %v: %w", p, syscall.EFAULT)
			}
			c.fail(w.job, err)
		}
	}(debug.SetPanicOnFault(true))
	for {
		task := int(c.next.Add(1)) - 1
		if task >= n || c.firstErr.Load() != nil {
			return
		}
		var err error
		if ph == phaseDetile {
			err = c.detileWorker(w, task)
		} else {
			err = c.rowWorker(w, task)
		}
		if err != nil {
			c.fail(w.job, err)
			return
		}
	}
}

// fail records the frame's first error; only the error path allocates.
func (c *Composer) fail(job int, err error) {
	c.firstErr.CompareAndSwap(nil, &failure{job: job, err: err})
}

// isFault tells a memory fault (SIGBUS/SIGSEGV turned into a panic by
// SetPanicOnFault) from other runtime errors.
func isFault(err runtime.Error) bool {
	var addr interface{ Addr() uintptr }
	return errors.As(err, &addr)
}

var errOutside = errors.New("plane destination outside the CRTC")

// prepare resolves readers, images, mappings and keys for every plane of a
// device frame and lays out the frame's bands.
func (c *Composer) prepare(f *device.Frame, t device.Target) error {
	c.planes = grow(c.planes, len(f.Planes))
	c.sources = grow(c.sources, len(f.Planes))
	c.tasks = c.tasks[:0]
	fj := &c.frame
	// A vkms device's CRCs must be VKMS's for every input, so its frames
	// take VKMS's overflow on invalid pre-multiplied data; other devices
	// saturate, as the GPUs they stand for do.
	*fj = frameJob{width: f.Width, height: f.Height, crcPlane: -1, wantCRC: t.CRC, planeIDs: true, wrap: f.Profile == VKMSProfile}
	for i := range f.Planes {
		fp := &f.Planes[i]
		if err := c.preparePlane(i, fp, f); err != nil {
			return fmt.Errorf("plane %d: %w", fp.ID, &LayerError{Layer: i, Err: err})
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
	c.sizeWorkers(f.Width)
	return nil
}

// sizeWorkers makes and sizes the workers a prepared frame needs, for
// output rows width pixels long.
func (c *Composer) sizeWorkers(width int) {
	n := 1
	for i := range c.planes {
		n = max(n, c.planes[i].img.Width, c.planes[i].img.Height)
	}
	width = max(width, 1)
	for _, w := range c.ws {
		w.ensure(width, n)
	}
	for len(c.ws) < min(c.workers, max(c.frame.bands, len(c.tasks))) {
		w := &worker{}
		w.ensure(width, n)
		c.ws = append(c.ws, w)
	}
}

// ensure sizes a worker's rows: the output row, the stage row and a
// scratch row long enough for any source span a layer reads.
func (w *worker) ensure(width, span int) {
	w.out = grow(w.out, width)
	w.stage = grow(w.stage, width)
	w.tmp = grow(w.tmp, span)
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

func (c *Composer) writer(f fourcc.Format) (*pixfmt.Writer, error) {
	if wr, ok := c.writers[f]; ok {
		return wr, nil
	}
	wr, err := pixfmt.NewWriter(f, profile.BT601, profile.RangeFull)
	if err != nil {
		return nil, err
	}
	c.writers[f] = wr
	return wr, nil
}

// preparePlane prepares plane i of a device frame, whose check already
// clipped it to the CRTC.
func (c *Composer) preparePlane(i int, fp *device.FramePlane, f *device.Frame) error {
	fb := fp.FB
	if fb == nil {
		return fmt.Errorf("no framebuffer: %w", syscall.EINVAL)
	}
	d := fp.Dst
	if d.X1 < 0 || d.Y1 < 0 || int(d.X2) > f.Width || int(d.Y2) > f.Height || d.X1 > d.X2 || d.Y1 > d.Y2 {
		return fmt.Errorf("%w: %v in %dx%d: %w", errOutside, d, f.Width, f.Height, syscall.EINVAL)
	}
	src := &c.sources[i]
	fbSource(src, fb, fp.ColorEncoding, fp.ColorRange)
	return c.prepareLayer(&c.planes[i], i, i, src, fp)
}

// fbSource describes a framebuffer as a Source.
func fbSource(s *Source, fb *device.Framebuffer, enc profile.ColorEncoding, rng profile.ColorRange) {
	*s = Source{
		Format: fb.Format(), Modifier: fb.Modifier(),
		Width: int(fb.Width()), Height: int(fb.Height()),
		ColorEncoding: enc, ColorRange: rng,
	}
	planes := fb.Planes()
	for i := 0; i < 4 && planes[i].Buffer != nil; i++ {
		p := &planes[i]
		s.Planes[i] = SourcePlane{Data: p.Buffer.Bytes(), Offset: int(p.Offset), Stride: int(p.Pitch)}
	}
}

// prepareLayer is the preparation both entry points share: layer index
// (job job of the frame) shows s as fp places it. fp's Dst is inside the
// output and its Src inside s; fp.FB is not used.
func (c *Composer) prepareLayer(pj *layerJob, job, index int, s *Source, fp *device.FramePlane) error {
	rd, err := c.reader(s.Format, s.ColorEncoding, s.ColorRange)
	if err != nil {
		return err
	}
	*pj = layerJob{index: index, id: fp.ID, rd: rd, dst: fp.Dst, pa: uint32(fp.Alpha), blend: fp.Blend, m: pj.m}
	if err := c.sourceImage(&pj.img, s, job); err != nil {
		return err
	}
	pj.m.build(fp.Src, fp.Dst, fp.Rotation, int32(s.Width), int32(s.Height))
	pj.key = resolveKey(fp, rd)
	plain := pj.key.mode == keyNone && !pj.m.swap && pj.m.alongStep == 1
	pj.direct = plain && !rd.HasAlpha() && pj.pa == 0xffff
	pj.fused = plain && s.Format == fourcc.ARGB8888 && pj.blend == profile.BlendPremulti
	return nil
}

// image points img at a framebuffer's pixels.
func (c *Composer) image(img *pixfmt.Image, fb *device.Framebuffer) error {
	var s Source
	fbSource(&s, fb, profile.BT601, profile.RangeFull)
	if err := c.sourceImage(img, &s, -1); err != nil {
		return fmt.Errorf("framebuffer %d: %w", fb.ID(), err)
	}
	return nil
}

// sourceImage points img at a source's pixels: straight at the client's
// memory for LINEAR, at a per-frame linear copy for tiled modifiers, whose
// read-back tasks blame layer job.
func (c *Composer) sourceImage(img *pixfmt.Image, s *Source, job int) error {
	info, ok := fourcc.Lookup(s.Format)
	if !ok {
		return fmt.Errorf("unknown format %v: %w", s.Format, syscall.EINVAL)
	}
	if s.Width < 1 || s.Height < 1 || s.Width > maxSize || s.Height > maxSize {
		return fmt.Errorf("source size %dx%d outside 1x1..%dx%d: %w", s.Width, s.Height, maxSize, maxSize, syscall.EINVAL)
	}
	n := 0
	for n < len(s.Planes) && len(s.Planes[n].Data) > 0 {
		p := &s.Planes[n]
		if p.Offset < 0 || p.Stride < 0 || p.Offset > math.MaxUint32 || p.Stride > math.MaxUint32 {
			return fmt.Errorf("source plane %d: offset %d, stride %d: %w", n, p.Offset, p.Stride, syscall.EINVAL)
		}
		n++
	}
	*img = pixfmt.Image{Width: s.Width, Height: s.Height}
	if s.Modifier == modifier.Linear {
		// The rule dma-buf import and AddFB2 apply, so that every pixel a
		// reader may touch is inside Data.
		var lp [4]layout.Plane
		for i := 0; i < n; i++ {
			p := &s.Planes[i]
			lp[i] = layout.Plane{Offset: uint32(p.Offset), Stride: uint32(p.Stride), Size: uint64(len(p.Data))}
		}
		if err := layout.Validate(info, modifier.Linear, uint32(s.Width), uint32(s.Height), lp[:n]); err != nil {
			return fmt.Errorf("%w: %w", err, syscall.EINVAL)
		}
		for i := 0; i < n; i++ {
			p := &s.Planes[i]
			img.Planes[i] = pixfmt.Plane{Data: p.Data[p.Offset:], Stride: p.Stride}
		}
		return nil
	}
	key := tiledKey{format: s.Format, mod: s.Modifier, w: s.Width, h: s.Height}
	for i := 0; i < n; i++ {
		p := &s.Planes[i]
		key.planes[i] = keyPlane{data: unsafe.SliceData(p.Data), n: len(p.Data), off: p.Offset, stride: p.Stride}
	}
	ts, ok := c.tiled[key]
	if !ok {
		sp := make([]sample.Plane, n)
		for i := range sp {
			p := &s.Planes[i]
			sp[i] = sample.Plane{Data: p.Data, Offset: uint32(p.Offset), Stride: uint32(p.Stride)}
		}
		sb, err := sample.Open(info, s.Modifier, uint32(s.Width), uint32(s.Height), sp)
		if err != nil {
			if le := (*layout.Error)(nil); errors.As(err, &le) {
				// A layout the client got wrong is an invalid source, as
				// on the LINEAR path.
				return fmt.Errorf("%w: %w", err, syscall.EINVAL)
			}
			return err
		}
		ts = &tiledSource{buf: sb}
		c.tiled[key] = ts
	}
	if !ts.used {
		ts.used = true
		// Clients may write compressed data at any time; check per frame.
		if err := ts.buf.CheckAux(); err != nil {
			return err
		}
		for p := 0; p < ts.buf.Planes(); p++ {
			rows, rb := ts.buf.Rows(p), ts.buf.RowBytes(p)
			ts.lin[p] = grow(ts.lin[p], rows*rb)
			for y := 0; y < rows; y += 32 {
				c.tasks = append(c.tasks, detileTask{ts: ts, job: job, plane: p, y0: y, y1: min(y+32, rows)})
			}
		}
	}
	for p := 0; p < ts.buf.Planes(); p++ {
		img.Planes[p] = pixfmt.Plane{Data: ts.lin[p], Stride: ts.buf.RowBytes(p)}
	}
	return nil
}

// maxSize bounds a source's and a target's width and height: the largest
// whose 16.16 coordinates fit an int32, as drm_rect's do.
const maxSize = 1<<15 - 1

// tiledKey names a tiled source by its layout and memory, not by the
// object describing it: a compositor builds a new Source for the same
// client buffer every frame, and the read-back state must survive that.
type tiledKey struct {
	format fourcc.Format
	mod    modifier.Modifier
	w, h   int
	planes [4]keyPlane
}

type keyPlane struct {
	data           *byte
	n, off, stride int
}

func (c *Composer) detileWorker(w *worker, task int) error {
	t := &c.tasks[task]
	w.job = t.job
	rb := t.ts.buf.RowBytes(t.plane)
	for y := t.y0; y < t.y1; y++ {
		if err := t.ts.buf.Row(t.plane, y, t.ts.lin[t.plane][y*rb:(y+1)*rb]); err != nil {
			return fmt.Errorf("reading a tiled buffer: %w", err)
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
		d := pj.dst
		w.job = fj.crcPlane
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
			fj.write(y, out)
		}
	}
	c.bandCRC[band] = v
	return nil
}

var black = Pixel{A: 0xffff}

// composeRow builds output row y: opaque black, then every layer that
// covers the row, bottom first.
func (c *Composer) composeRow(w *worker, y int, out []Pixel) {
	for i := range out {
		out[i] = black
	}
	for i := range c.planes {
		pj := &c.planes[i]
		d := pj.dst
		if y < int(d.Y1) || y >= int(d.Y2) || d.X1 == d.X2 {
			continue
		}
		w.job = i
		v := y - int(d.Y1)
		dst := out[d.X1:d.X2]
		if pj.direct {
			pj.rd.ReadSpan(&pj.img, int(pj.m.alongMin), int(pj.m.across[v]), dst)
			continue
		}
		if pj.fused {
			pl := &pj.img.Planes[0]
			off := int(pj.m.across[v])*pl.Stride + 4*int(pj.m.alongMin)
			blendPremulti8888(pixfmt.Words(dst), pl.Data[off:off+4*len(dst)], pj.pa, c.frame.wrap)
			continue
		}
		stage := w.stage[d.X1:d.X2]
		c.readStage(w, pj, v, stage)
		switch pj.key.mode {
		case keyNone:
			blendSpan(dst, stage, pj.pa, pj.blend, c.frame.wrap)
		case keyI915Dest:
			for u := range stage {
				if pj.key.matchRGB(dst[u]) {
					blendOne(&dst[u], stage[u], pj.pa, pj.blend, c.frame.wrap)
				}
			}
		default:
			c.blendKeyed(pj, v, dst, stage)
		}
	}
	w.job = -1
}

// blendKeyed is the source-keying slow path: matched pixels are keyed and
// blended as pre-multiplied, the others by the plane's mode.
func (c *Composer) blendKeyed(pj *layerJob, v int, dst, stage []Pixel) {
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
			blendOne(&dst[u], p, pj.pa, profile.BlendPremulti, c.frame.wrap)
		} else {
			blendOne(&dst[u], stage[u], pj.pa, pj.blend, c.frame.wrap)
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

// readStage converts destination row v of a layer into stage (its
// destination span), following the layer's mapping.
func (c *Composer) readStage(w *worker, pj *layerJob, v int, stage []Pixel) {
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
	wr, err := c.writer(fb.Format())
	if err != nil {
		return fmt.Errorf("writeback framebuffer %d: %w", fb.ID(), err)
	}
	c.frame.wb, c.frame.wbFast = wr, fastWriteFor(fb.Format())
	if f.Profile == VKMSProfile && fb.Format() == fourcc.RGB565 {
		// VKMS's RGB565 writer truncates; its CRC is unaffected, but
		// the written pixels are VKMS's only with its arithmetic.
		c.frame.wbFast = writeRGB565VKMS
	}
	return c.image(&c.frame.wbImg, fb)
}

var _ device.Composer = (*Composer)(nil)
