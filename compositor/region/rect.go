package region

import (
	"fmt"
	"math"
)

// The coordinate limits. A region covers only pixels in
// [MinCoord, MaxCoord) on both axes, like pixman_region32, whose boxes are
// int32 and half-open: the pixel column MaxCoord itself cannot be covered
// because no int32 right edge lies beyond it.
const (
	MinCoord = math.MinInt32
	MaxCoord = math.MaxInt32
)

// Rect is the half-open rectangle [X1,X2) × [Y1,Y2), pixman's box32. A
// Rect with X1 >= X2 or Y1 >= Y2 is empty; regions ignore empty rectangles,
// as pixman_region32_union_rect does, so a hostile wl_region.add with a
// zero or negative size changes nothing.
type Rect struct {
	X1, Y1, X2, Y2 int32
}

// XYWH returns the rectangle at (x, y) of the given size, the shape of
// wl_region.add, wl_surface.damage and damage_buffer. The right and bottom
// edges are computed in 64 bits and saturate at MaxCoord, so a client that
// sends a huge width gets "everything to the right of x" instead of an
// int32 wrap-around (pixman computes x + width in int and wraps, which
// turns such a rectangle into a bad one it drops). A zero or negative
// width or height gives the empty Rect{}.
func XYWH(x, y, width, height int32) Rect {
	if width <= 0 || height <= 0 {
		return Rect{}
	}
	return Rect{
		X1: x,
		Y1: y,
		X2: saturate(int64(x) + int64(width)),
		Y2: saturate(int64(y) + int64(height)),
	}
}

// saturate clamps v to the int32 coordinate range.
func saturate(v int64) int32 {
	switch {
	case v < MinCoord:
		return MinCoord
	case v > MaxCoord:
		return MaxCoord
	default:
		return int32(v)
	}
}

// Empty reports whether r covers no pixel.
func (r Rect) Empty() bool { return r.X1 >= r.X2 || r.Y1 >= r.Y2 }

// Width is int64 because X2-X1 reaches 2^32-1, which int32 cannot hold.
func (r Rect) Width() int64 {
	if r.Empty() {
		return 0
	}
	return int64(r.X2) - int64(r.X1)
}

// Height is int64 for the same reason as Width.
func (r Rect) Height() int64 {
	if r.Empty() {
		return 0
	}
	return int64(r.Y2) - int64(r.Y1)
}

// Contains reports whether the pixel at (x, y) lies in r.
func (r Rect) Contains(x, y int32) bool {
	return x >= r.X1 && x < r.X2 && y >= r.Y1 && y < r.Y2
}

// Intersect returns the pixels r and s share, or Rect{} when none.
func (r Rect) Intersect(s Rect) Rect {
	o := Rect{max(r.X1, s.X1), max(r.Y1, s.Y1), min(r.X2, s.X2), min(r.Y2, s.Y2)}
	if o.Empty() {
		return Rect{}
	}
	return o
}

// covers reports whether every pixel of s lies in r; s must not be empty.
func (r Rect) covers(s Rect) bool {
	return r.X1 <= s.X1 && r.Y1 <= s.Y1 && r.X2 >= s.X2 && r.Y2 >= s.Y2
}

func (r Rect) String() string {
	return fmt.Sprintf("[%d,%d %d,%d)", r.X1, r.Y1, r.X2, r.Y2)
}
