package compose

import (
	"fmt"
	"math/bits"
	"syscall"

	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/kms/pixfmt"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

// Source is any readable buffer: a wl_shm pool's bytes, a single-pixel
// buffer, a dma-buf's mapping, a framebuffer's memory.
type Source struct {
	Format   fourcc.Format
	Modifier modifier.Modifier // LINEAR, or any layout modifiers/sample reads
	// Width and Height are in pixels, 1 to 32767.
	Width, Height int
	// Planes are the memory planes, as many as the format and modifier
	// need (auxiliary CCS planes included), the first one without Data
	// ending the list. Planes may share one Data at different offsets.
	Planes        [4]SourcePlane
	ColorEncoding profile.ColorEncoding // YUV formats only
	ColorRange    profile.ColorRange    // YUV formats only
}

// SourcePlane is one memory plane: the whole mapped object it lives in and
// where in it the plane starts, as a client hands it over.
type SourcePlane struct {
	Data           []byte
	Offset, Stride int
}

// Layer places a Source on the target.
type Layer struct {
	Source *Source
	// Src is the part of the source shown, 16.16 fixed point, non-empty
	// and inside the source.
	Src device.Rect
	// Dst is where it is shown, in target pixels. It may hang off the
	// target or lie entirely outside it (coordinates within ±2^28).
	Dst      device.Rect
	Rotation profile.Rotation // 0 is Rotate0
	Alpha    uint16           // 0xffff opaque
	Blend    profile.BlendMode
}

// Target is a LINEAR single-plane image in any format pixfmt can write.
// It must not share memory with a layer's source.
type Target struct {
	Format        fourcc.Format
	Width, Height int // 1 to 32767
	Data          []byte
	Stride        int
}

// LayerError says which layer failed: Layer indexes Render's layers (or,
// inside Compose's errors, the frame's planes). Err wraps EFAULT when the
// layer's memory faulted, EINVAL when the layer or its source is invalid,
// pixfmt.ErrUnsupported for a format (or YUV encoding) it cannot read.
type LayerError struct {
	Layer int
	Err   error
}

func (e *LayerError) Error() string { return fmt.Sprintf("layer %d: %v", e.Layer, e.Err) }

func (e *LayerError) Unwrap() error { return e.Err }

// Render composes layers bottom first over opaque black into t and
// returns the CRC of the composed rows, as the package doc defines both.
// Invisible layers (fully clipped, or with Alpha 0, which the equations
// turn into the background) are not read. An error about one layer is a
// *LayerError; nothing is then guaranteed about t's contents, and the
// Composer stays usable.
func (c *Composer) Render(t *Target, layers []Layer) (uint32, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !pixfmt.HostLE {
		return 0, fmt.Errorf("render: big-endian machines are not supported: %w", syscall.ENOSYS)
	}
	if t == nil {
		return 0, fmt.Errorf("render: no target: %w", syscall.EINVAL)
	}
	defer c.release()
	fj := &c.frame
	*fj = frameJob{width: t.Width, height: t.Height, crcPlane: -1, wantCRC: true}
	if err := c.prepareTarget(t); err != nil {
		return 0, fmt.Errorf("render: target: %w", err)
	}
	c.planes = grow(c.planes, len(layers))
	c.placed = grow(c.placed, len(layers))
	c.tasks = c.tasks[:0]
	clip := device.Rect{X2: int32(t.Width), Y2: int32(t.Height)}
	n := 0
	for i := range layers {
		l := &layers[i]
		fp := &c.placed[i]
		visible, err := l.place(fp, clip)
		if err != nil {
			c.planes = c.planes[:n]
			return 0, &LayerError{Layer: i, Err: err}
		}
		if !visible {
			continue
		}
		if err := c.prepareLayer(&c.planes[n], n, i, l.Source, fp); err != nil {
			c.planes = c.planes[:n+1]
			return 0, &LayerError{Layer: i, Err: err}
		}
		n++
	}
	c.planes = c.planes[:n]
	fj.bands = (t.Height + rowsPerBand - 1) / rowsPerBand
	c.bandCRC = grow(c.bandCRC, fj.bands)
	c.sizeWorkers(t.Width)
	v, err := c.execute()
	if err != nil {
		if _, ok := err.(*LayerError); ok {
			return 0, err
		}
		return 0, fmt.Errorf("render: target: %w", err)
	}
	return v, nil
}

// maxCoord bounds a layer's destination coordinates, so that clipping
// arithmetic on int32 never overflows.
const maxCoord = 1 << 28

// place checks a layer and clips it to clip as the device's plane check
// clips planes, into fp. It reports whether anything is left to show.
func (l *Layer) place(fp *device.FramePlane, clip device.Rect) (bool, error) {
	s := l.Source
	if s == nil {
		return false, fmt.Errorf("no source: %w", syscall.EINVAL)
	}
	if s.Width < 1 || s.Height < 1 || s.Width > maxSize || s.Height > maxSize {
		return false, fmt.Errorf("source size %dx%d outside 1x1..%dx%d: %w", s.Width, s.Height, maxSize, maxSize, syscall.EINVAL)
	}
	if l.Rotation&^(profile.RotateMask|profile.ReflectMask) != 0 || bits.OnesCount32(uint32(l.Rotation&profile.RotateMask)) > 1 {
		return false, fmt.Errorf("rotation %#x: %w", uint32(l.Rotation), syscall.EINVAL)
	}
	if l.Blend > profile.BlendNone {
		return false, fmt.Errorf("blend mode %d: %w", l.Blend, syscall.EINVAL)
	}
	src, dst := l.Src, l.Dst
	if src.X1 < 0 || src.Y1 < 0 || src.X1 >= src.X2 || src.Y1 >= src.Y2 ||
		int64(src.X2) > int64(s.Width)<<16 || int64(src.Y2) > int64(s.Height)<<16 {
		return false, fmt.Errorf("source rectangle %#x,%#x-%#x,%#x (16.16) empty or outside the %dx%d source: %w",
			src.X1, src.Y1, src.X2, src.Y2, s.Width, s.Height, syscall.EINVAL)
	}
	if dst.X1 > dst.X2 || dst.Y1 > dst.Y2 || dst.X1 < -maxCoord || dst.Y1 < -maxCoord || dst.X2 > maxCoord || dst.Y2 > maxCoord {
		return false, fmt.Errorf("destination %d,%d-%d,%d inverted or beyond ±%d: %w", dst.X1, dst.Y1, dst.X2, dst.Y2, maxCoord, syscall.EINVAL)
	}
	if l.Alpha == 0 {
		// r(bg·0xffff) = bg in every mode: the layer shows nothing.
		return false, nil
	}
	*fp = device.FramePlane{
		Rotation: l.Rotation, Alpha: l.Alpha, Blend: l.Blend,
		ColorEncoding: s.ColorEncoding, ColorRange: s.ColorRange,
	}
	var visible bool
	fp.Src, fp.Dst, visible = device.ClipPlane(src, dst, uint32(s.Width), uint32(s.Height), l.Rotation, clip)
	return visible, nil
}

// prepareTarget points the frame's writer at a Render target.
func (c *Composer) prepareTarget(t *Target) error {
	if t.Width < 1 || t.Height < 1 || t.Width > maxSize || t.Height > maxSize {
		return fmt.Errorf("size %dx%d outside 1x1..%dx%d: %w", t.Width, t.Height, maxSize, maxSize, syscall.EINVAL)
	}
	info, ok := fourcc.Lookup(t.Format)
	if !ok {
		return fmt.Errorf("unknown format %v: %w", t.Format, syscall.EINVAL)
	}
	if info.NumPlanes != 1 {
		return fmt.Errorf("%s has %d planes; a target has one: %w", info.Name, info.NumPlanes, syscall.EINVAL)
	}
	wr, err := c.writer(t.Format)
	if err != nil {
		return err
	}
	pitch := int(info.MinPitch(0, uint32(t.Width)))
	if t.Stride < pitch || len(t.Data) < t.Stride*(t.Height-1)+pitch {
		return fmt.Errorf("%d bytes with stride %d do not hold %dx%d %s: %w", len(t.Data), t.Stride, t.Width, t.Height, info.Name, syscall.EINVAL)
	}
	fj := &c.frame
	fj.wb, fj.wbFast = wr, fastWriteFor(t.Format)
	fj.wbImg = pixfmt.Image{Width: t.Width, Height: t.Height}
	fj.wbImg.Planes[0] = pixfmt.Plane{Data: t.Data, Stride: t.Stride}
	return nil
}
