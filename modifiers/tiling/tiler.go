package tiling

import (
	"errors"
	"fmt"
	"math/bits"
	"sync"

	"github.com/headwaywl/headway/modifiers/modifier"
)

// ErrShortBuffer reports a source or destination slice too short for the
// surface described by its stride, width and height. It is returned before
// any byte is moved, so a failed call leaves dst untouched.
var ErrShortBuffer = errors.New("buffer too short for surface")

// ErrBadStride reports a stride that is negative, narrower than the
// surface's width, or not a whole number of tiles (Samsung 64x32 also
// needs an even number of tile columns for its 2x2 groups).
var ErrBadStride = errors.New("stride invalid for tiling")

// ErrBadSize reports a negative width or height, or a row outside the
// surface.
var ErrBadSize = errors.New("surface size or row out of range")

// maxDim bounds widths, heights and strides so that the product of any two
// (the largest offset arithmetic does) cannot overflow a 64-bit int.
const maxDim = 1 << 28

type layoutKind uint8

const (
	kindLinear  layoutKind = iota
	kindSwizzle            // power-of-two tiles, bit-deposit inside, tiles row-major
	kindSamsung            // 64x32 linear tiles in Z / flipped-Z 2x2 groups
)

// Tiler converts one plane between a tiled modifier's layout and linear
// rows. It is immutable after For returns it and safe for concurrent use.
type Tiler struct {
	mod  modifier.Modifier
	cpp  int
	geom Geometry
	kind layoutKind

	strideAlign int // strides must be a multiple of this many bytes

	// Bit-deposit description of the inside of one tile (kindSwizzle).
	xMask, yMask uint32
	tileWShift   uint
	tileHShift   uint
	tileShift    uint // log2 of the tile size in bytes
	run          int  // bytes contiguous in memory along x
	runShift     uint
	xOff         []int32 // in-tile offset of each run of a tile row
	yOff         []int32 // in-tile offset of each row of a tile
}

type cacheKey struct {
	m   modifier.Modifier
	cpp int
}

// tilers caches Tilers so that callers asking per surface or per frame do
// not pay for the tables again.
var tilers sync.Map

// For returns the Tiler of modifier m for a plane with cpp bytes per pixel
// (or per block). Compressed modifiers return ErrCompressed, layouts that are
// not implemented ErrUnsupported; Intel CCS modifiers return the Tiler of
// their main surface's base tiling.
func For(m modifier.Modifier, cpp int) (*Tiler, error) {
	key := cacheKey{m, cpp}
	if t, ok := tilers.Load(key); ok {
		return t.(*Tiler), nil
	}
	t, err := build(m, cpp)
	if err != nil {
		return nil, err
	}
	got, _ := tilers.LoadOrStore(key, t)
	return got.(*Tiler), nil
}

// Modifier returns the modifier the Tiler was built for.
func (t *Tiler) Modifier() modifier.Modifier { return t.mod }

// CPP returns the bytes per pixel the Tiler was built for.
func (t *Tiler) CPP() int { return t.cpp }

// Geometry returns the tile shape.
func (t *Tiler) Geometry() Geometry { return t.geom }

// StrideAlign returns the multiple, in bytes, that the stride of a tiled
// plane must be.
func (t *Tiler) StrideAlign() int { return t.strideAlign }

func newSwizzle(m modifier.Modifier, cpp int, xMask, yMask uint32, strideAlign int) *Tiler {
	t := &Tiler{mod: m, cpp: cpp, kind: kindSwizzle, xMask: xMask, yMask: yMask}
	t.tileWShift = uint(bits.OnesCount32(xMask))
	t.tileHShift = uint(bits.OnesCount32(yMask))
	t.tileShift = t.tileWShift + t.tileHShift
	t.geom = Geometry{TileWidthBytes: 1 << t.tileWShift, TileHeight: 1 << t.tileHShift}
	t.runShift = uint(bits.TrailingZeros32(^xMask))
	t.run = 1 << t.runShift
	t.strideAlign = max(strideAlign, t.geom.TileWidthBytes)
	t.xOff = make([]int32, t.geom.TileWidthBytes>>t.runShift)
	for k := range t.xOff {
		t.xOff[k] = int32(deposit(uint32(k)<<t.runShift, xMask))
	}
	t.yOff = make([]int32, t.geom.TileHeight)
	for r := range t.yOff {
		t.yOff[r] = int32(deposit(uint32(r), yMask))
	}
	return t
}

// deposit scatters the low bits of v, in order, into the set bits of mask
// (the PDEP operation): it turns a coordinate inside a tile into the
// address bits that coordinate owns.
func deposit(v, mask uint32) uint32 {
	var r uint32
	for m := mask; m != 0; m &= m - 1 {
		if v&1 != 0 {
			r |= m & -m
		}
		v >>= 1
	}
	return r
}

// MinSize returns the smallest buffer, in bytes, that holds a plane of
// widthBytes by height with the given stride: whole tile rows for tiled
// layouts (the allocated height is rounded up to the tile height), and
// (height-1)*stride+widthBytes for linear ones.
func (t *Tiler) MinSize(stride, widthBytes, height int) (int, error) {
	if err := t.checkSurface(stride, widthBytes, height); err != nil {
		return 0, err
	}
	return t.minSize(stride, widthBytes, height), nil
}

func (t *Tiler) minSize(stride, widthBytes, height int) int {
	if height == 0 || widthBytes == 0 {
		return 0
	}
	if t.kind == kindLinear {
		return (height-1)*stride + widthBytes
	}
	rows := (height + t.geom.TileHeight - 1) &^ (t.geom.TileHeight - 1)
	return rows * stride
}

func (t *Tiler) checkSurface(stride, widthBytes, height int) error {
	if widthBytes < 0 || height < 0 || widthBytes > maxDim || height > maxDim {
		return fmt.Errorf("%dx%d bytes: %w", widthBytes, height, ErrBadSize)
	}
	if stride < widthBytes || stride > maxDim {
		return fmt.Errorf("stride %d for width %d bytes: %w", stride, widthBytes, ErrBadStride)
	}
	if t.kind != kindLinear && stride%t.strideAlign != 0 {
		return fmt.Errorf("stride %d is not a multiple of %d: %w", stride, t.strideAlign, ErrBadStride)
	}
	return nil
}

func checkLinear(buf []byte, stride, widthBytes, height int, what string) error {
	if stride < widthBytes || stride > maxDim {
		return fmt.Errorf("%s stride %d for width %d bytes: %w", what, stride, widthBytes, ErrBadStride)
	}
	if height == 0 || widthBytes == 0 {
		return nil
	}
	if need := (height-1)*stride + widthBytes; len(buf) < need {
		return fmt.Errorf("%s has %d bytes, needs %d: %w", what, len(buf), need, ErrShortBuffer)
	}
	return nil
}

func (t *Tiler) checkTiled(buf []byte, stride, widthBytes, height int, what string) error {
	if err := t.checkSurface(stride, widthBytes, height); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if need := t.minSize(stride, widthBytes, height); len(buf) < need {
		return fmt.Errorf("%s has %d bytes, needs %d: %w", what, len(buf), need, ErrShortBuffer)
	}
	return nil
}

// Offset returns the byte offset in the tiled plane of the byte at column
// xb (in bytes: pixel x times cpp, plus the byte within the pixel) of row y,
// for a plane with the given stride and height. height matters only to
// Samsung 64x32, whose last tile row is ordered differently when the number
// of tile rows is odd. Offset returns -1 for coordinates outside the plane
// or an invalid stride.
func (t *Tiler) Offset(xb, y, stride, height int) int {
	if xb < 0 || y < 0 || y >= height || xb >= stride || t.checkSurface(stride, 0, height) != nil {
		return -1
	}
	switch t.kind {
	case kindLinear:
		return y*stride + xb
	case kindSamsung:
		return t.samsungTile(xb>>6, y>>5, stride, height)<<11 + (y&31)<<6 + xb&63
	}
	base := (y>>t.tileHShift)*(stride<<t.tileHShift) + (xb>>t.tileWShift)<<t.tileShift
	in := xb & (t.geom.TileWidthBytes - 1)
	return base + int(t.xOff[in>>t.runShift]) + in&(t.run-1) + int(t.yOff[y&(t.geom.TileHeight-1)])
}

// samsungTile returns the memory index of tile (tx, ty) of a Samsung 64x32
// plane. Tiles go in 2x2 groups; within a pair of tile rows the groups
// alternate Z and mirrored-Z shapes, and when the number of tile rows is
// odd the last row is plain left-to-right (GStreamer video-tile.c,
// gst_video_tile_get_index, GST_VIDEO_TILE_MODE_ZFLIPZ_2X2; the V4L2
// V4L2_PIX_FMT_NV12MT documentation draws the same order).
func (t *Tiler) samsungTile(tx, ty, stride, height int) int {
	xTiles := stride >> 6
	yTiles := (height + 31) >> 5
	idx := (ty&^1)*xTiles + tx
	switch {
	case ty&1 != 0:
		idx += 2 + tx&^3
	case yTiles&1 == 0 || ty != yTiles-1:
		idx += (tx + 2) &^ 3
	}
	return idx
}
