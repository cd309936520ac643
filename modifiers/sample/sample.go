package sample

import (
	"errors"
	"fmt"
	"runtime/debug"
	"syscall"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/layout"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/headwaywl/headway/modifiers/tiling"
)

// ErrAuxNotClear reports compressed data in an Intel CCS plane: the main
// surface alone no longer holds the pixels.
var ErrAuxNotClear = errors.New("auxiliary compression plane is not clear")

// ErrNoSuchRow reports a plane index or row outside the buffer.
var ErrNoSuchRow = errors.New("no such plane or row")

// Plane is one memory plane as a client handed it over: the whole mapped
// object it lives in, and where in that object the plane starts.
type Plane struct {
	Data   []byte
	Offset uint32
	Stride uint32
}

// AuxError locates the first non-zero byte of an Intel CCS plane.
type AuxError struct {
	Plane  int    // memory plane index of the CCS plane
	Main   int    // the colour plane it describes
	Offset uint64 // byte offset from the start of that plane
	Value  byte
}

func (e *AuxError) Error() string {
	return fmt.Sprintf("plane %d (CCS of colour plane %d): byte %#02x at offset %d marks compressed data; headway samples only uncompressed CCS buffers (all-zero CCS)",
		e.Plane, e.Main, e.Value, e.Offset)
}

func (e *AuxError) Unwrap() error { return ErrAuxNotClear }

type colorPlane struct {
	data       []byte // from the plane's offset to the end of the object
	stride     int
	widthBytes int
	rows       int
	tiler      *tiling.Tiler
}

type auxPlane struct {
	index, main int
	data        []byte // exactly the bytes the plane covers
}

// Buffer is an opened buffer: its colour planes ready to be read row by
// row. It holds the caller's slices and copies no pixel.
type Buffer struct {
	info   fourcc.Info
	mod    modifier.Modifier
	width  uint32
	height uint32
	color  []colorPlane
	aux    []auxPlane
}

// Open checks that a buffer of format info, modifier m and size width x
// height can be read from planes, and prepares it. The errors: a
// *layout.Error for a layout the client got wrong, tiling.ErrCompressed
// for a compressed family other than Intel CCS, tiling.ErrUnsupported for
// tilings or formats headway cannot read.
func Open(info fourcc.Info, m modifier.Modifier, width, height uint32, planes []Plane) (*Buffer, error) {
	lp := make([]layout.Plane, len(planes))
	for i, p := range planes {
		lp[i] = layout.Plane{Offset: p.Offset, Stride: p.Stride, Size: uint64(len(p.Data))}
	}
	if err := layout.Validate(info, m, width, height, lp); err != nil {
		return nil, err
	}
	// Intel's compressed modifiers are all CCS, readable through the base
	// tiling; every other compressed family is refused.
	if modifier.IsCompressed(m) && m.Vendor() != modifier.VendorIntel {
		return nil, fmt.Errorf("sample %s buffer with modifier %s: %w", info.Name, modifier.Name(m), tiling.ErrCompressed)
	}
	// The canonical layout names what each plane index holds; that does
	// not depend on the offsets and strides the client chose.
	canon, err := layout.Compute(info, m, width, height)
	if err != nil {
		return nil, err
	}
	b := &Buffer{info: info, mod: m, width: width, height: height}
	for i, pl := range canon.Planes {
		p := planes[i]
		switch pl.Kind {
		case layout.Color:
			cp, err := openColor(info, m, pl.Main, width, height, p)
			if err != nil {
				return nil, err
			}
			b.color = append(b.color, cp)
		case layout.IntelCCS:
			end := uint64(p.Offset) + uint64(p.Stride)*uint64(pl.Rows)
			if end > uint64(len(p.Data)) {
				end = uint64(len(p.Data))
			}
			b.aux = append(b.aux, auxPlane{index: i, main: pl.Main, data: p.Data[p.Offset:end]})
		}
	}
	if len(b.color) != int(info.NumPlanes) {
		return nil, fmt.Errorf("sample %s buffer with modifier %s: %d colour planes found, format has %d: %w",
			info.Name, modifier.Name(m), len(b.color), info.NumPlanes, tiling.ErrUnsupported)
	}
	return b, nil
}

func openColor(info fourcc.Info, m modifier.Modifier, plane int, width, height uint32, p Plane) (colorPlane, error) {
	cpp := int(info.CharPerBlock[plane])
	if cpp == 0 {
		return colorPlane{}, fmt.Errorf("sample %s: plane %d has no byte-addressable blocks: %w", info.Name, plane, tiling.ErrUnsupported)
	}
	t, err := tiling.For(m, cpp)
	if err != nil {
		return colorPlane{}, fmt.Errorf("sample %s plane %d with modifier %s: %w", info.Name, plane, modifier.Name(m), err)
	}
	pw := info.PlaneWidth(int(width), plane)
	cp := colorPlane{
		data:       p.Data[p.Offset:],
		stride:     int(p.Stride),
		widthBytes: int(info.MinPitch(plane, uint32(pw))),
		rows:       info.PlaneHeight(int(height), plane),
		tiler:      t,
	}
	// Validate proved the plane fits for its modifier's rules; the tiler's
	// own check is the last word on what it will touch.
	if _, err := t.MinSize(cp.stride, cp.widthBytes, cp.rows); err != nil {
		return colorPlane{}, fmt.Errorf("sample %s plane %d: %w", info.Name, plane, err)
	}
	return cp, nil
}

// Info returns the buffer's format.
func (b *Buffer) Info() fourcc.Info { return b.info }

// Modifier returns the buffer's modifier.
func (b *Buffer) Modifier() modifier.Modifier { return b.mod }

// Size returns the buffer's size in pixels.
func (b *Buffer) Size() (width, height uint32) { return b.width, b.height }

// Planes returns the number of colour planes.
func (b *Buffer) Planes() int { return len(b.color) }

// RowBytes returns the length of one linear row of colour plane p.
func (b *Buffer) RowBytes(p int) int {
	if p < 0 || p >= len(b.color) {
		return 0
	}
	return b.color[p].widthBytes
}

// Rows returns the number of rows of colour plane p.
func (b *Buffer) Rows(p int) int {
	if p < 0 || p >= len(b.color) {
		return 0
	}
	return b.color[p].rows
}

// CheckAux scans the in-band CCS planes and returns an *AuxError for the
// first non-zero byte. Clients may write their buffer at any time, so a
// caller checks before each frame it composes, not only at Open.
func (b *Buffer) CheckAux() (err error) {
	defer recoverFault(debug.SetPanicOnFault(true), &err)
	for _, a := range b.aux {
		for i, v := range a.data {
			if v != 0 {
				return &AuxError{Plane: a.index, Main: a.main, Offset: uint64(i), Value: v}
			}
		}
	}
	return nil
}

// Row copies row y of colour plane p, as linear bytes, into dst, which must
// hold RowBytes(p). It does not check the CCS planes; see CheckAux.
func (b *Buffer) Row(p, y int, dst []byte) (err error) {
	if p < 0 || p >= len(b.color) || y < 0 || y >= b.color[p].rows {
		return fmt.Errorf("row %d of plane %d of a %d-plane buffer: %w", y, p, len(b.color), ErrNoSuchRow)
	}
	c := &b.color[p]
	defer recoverFault(debug.SetPanicOnFault(true), &err)
	return c.tiler.DetileRow(dst, c.data, c.stride, c.rows, y, c.widthBytes)
}

// ReadPlane checks the CCS planes, then copies the whole of colour plane p
// into dst as linear rows dstStride bytes apart.
func (b *Buffer) ReadPlane(p int, dst []byte, dstStride int) (err error) {
	if p < 0 || p >= len(b.color) {
		return fmt.Errorf("plane %d of a %d-plane buffer: %w", p, len(b.color), ErrNoSuchRow)
	}
	if err := b.CheckAux(); err != nil {
		return err
	}
	c := &b.color[p]
	defer recoverFault(debug.SetPanicOnFault(true), &err)
	return c.tiler.Detile(dst, dstStride, c.data, c.stride, c.widthBytes, c.rows)
}

// recoverFault turns a memory fault while reading client memory (a memfd
// truncated under its mapping raises SIGBUS) into an error wrapping EFAULT,
// and restores the goroutine's previous fault mode. Any other panic is a bug
// and goes on up. Use: defer recoverFault(debug.SetPanicOnFault(true), &err).
func recoverFault(old bool, err *error) {
	debug.SetPanicOnFault(old)
	r := recover()
	if r == nil {
		return
	}
	if f, ok := r.(interface{ Addr() uintptr }); ok {
		*err = fmt.Errorf("reading client memory at %#x: %w", f.Addr(), syscall.EFAULT)
		return
	}
	panic(r)
}
