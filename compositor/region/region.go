package region

import (
	"math"
	"strings"
)

// Region is a set of pixels kept as canonical y-x banded rectangles (see
// the package documentation). The zero value is an empty region ready to
// use. Assigning a Region value shares its storage, so after such an
// assignment only one of the two may be used (moving is fine); Copy and
// Clone make independent copies.
type Region struct {
	rects []Rect
	// scratch receives the result of an operation and then swaps with
	// rects, so a region that keeps changing stops allocating once both
	// slices have grown to its working size.
	scratch []Rect
	ext     Rect
}

// New returns the union of rects; empty ones are ignored.
func New(rects ...Rect) *Region {
	r := &Region{}
	for _, rc := range rects {
		r.Add(rc)
	}
	return r
}

// Clear empties r, keeping its memory for reuse.
func (r *Region) Clear() {
	r.rects = r.rects[:0]
	r.ext = Rect{}
}

// Empty reports whether r covers no pixel.
func (r *Region) Empty() bool { return len(r.rects) == 0 }

// Extents returns the smallest rectangle covering r, Rect{} when r is empty.
func (r *Region) Extents() Rect { return r.ext }

// Rects returns r's rectangles in banded order. The slice is r's own
// storage, returned without copying because the compositor walks damage
// every frame: it must not be modified and is valid only until r next
// changes.
func (r *Region) Rects() []Rect { return r.rects }

// NumRects returns len(r.Rects()).
func (r *Region) NumRects() int { return len(r.rects) }

// Area returns the number of pixels in r. It cannot overflow: the whole
// coordinate plane holds (2^32-1)^2 pixels, less than 2^64.
func (r *Region) Area() uint64 {
	var a uint64
	for _, rc := range r.rects {
		a += uint64(rc.Width()) * uint64(rc.Height())
	}
	return a
}

// Equal reports whether r and o cover the same pixels. Canonical form
// makes that a comparison of rectangle lists.
func (r *Region) Equal(o *Region) bool {
	if r.ext != o.ext || len(r.rects) != len(o.rects) {
		return false
	}
	for i := range r.rects {
		if r.rects[i] != o.rects[i] {
			return false
		}
	}
	return true
}

// Copy makes r cover exactly the pixels of src (pixman_region32_copy with
// r as the destination), reusing r's memory.
func (r *Region) Copy(src *Region) {
	if r == src {
		return
	}
	r.rects = append(r.rects[:0], src.rects...)
	r.ext = src.ext
}

// Clone returns an independent copy of r.
func (r *Region) Clone() *Region {
	c := &Region{}
	if len(r.rects) > 0 {
		c.rects = make([]Rect, len(r.rects))
		copy(c.rects, r.rects)
	}
	c.ext = r.ext
	return c
}

// Contains reports whether the pixel at (x, y) lies in r.
func (r *Region) Contains(x, y int32) bool {
	if !r.ext.Contains(x, y) {
		return false
	}
	// Bands are sorted and disjoint in y, so Y2 is non-decreasing: find
	// the first rectangle ending below y.
	lo, hi := 0, len(r.rects)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if r.rects[m].Y2 <= y {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == len(r.rects) || r.rects[lo].Y1 > y {
		return false
	}
	for i, y1 := lo, r.rects[lo].Y1; i < len(r.rects) && r.rects[i].Y1 == y1; i++ {
		if x < r.rects[i].X1 {
			return false
		}
		if x < r.rects[i].X2 {
			return true
		}
	}
	return false
}

// Add adds the pixels of rect to r (pixman_region32_union_rect).
func (r *Region) Add(rect Rect) {
	switch {
	case rect.Empty():
		return
	case len(r.rects) == 0 || rect.covers(r.ext):
		r.setRect(rect)
		return
	case len(r.rects) == 1 && r.ext.covers(rect):
		return
	}
	one := [1]Rect{rect}
	r.apply(r.rects, one[:], opUnion)
}

// Union adds the pixels of o to r. o may be r.
func (r *Region) Union(o *Region) {
	switch {
	case r == o || len(o.rects) == 0:
		return
	case len(r.rects) == 0:
		r.Copy(o)
		return
	case len(o.rects) == 1:
		r.Add(o.rects[0])
		return
	}
	r.apply(r.rects, o.rects, opUnion)
}

// SubtractRect removes the pixels of rect from r.
func (r *Region) SubtractRect(rect Rect) {
	if rect.Empty() || len(r.rects) == 0 || r.ext.Intersect(rect).Empty() {
		return
	}
	if rect.covers(r.ext) {
		r.Clear()
		return
	}
	one := [1]Rect{rect}
	r.apply(r.rects, one[:], opSubtract)
}

// Subtract removes the pixels of o from r. o may be r.
func (r *Region) Subtract(o *Region) {
	switch {
	case r == o:
		r.Clear()
		return
	case len(r.rects) == 0 || len(o.rects) == 0 || r.ext.Intersect(o.ext).Empty():
		return
	}
	r.apply(r.rects, o.rects, opSubtract)
}

// IntersectRect keeps only the pixels of r that lie in rect.
func (r *Region) IntersectRect(rect Rect) {
	switch {
	case len(r.rects) == 0:
		return
	case rect.Empty() || r.ext.Intersect(rect).Empty():
		r.Clear()
		return
	case rect.covers(r.ext):
		return
	case len(r.rects) == 1:
		r.setRect(r.rects[0].Intersect(rect))
		return
	}
	one := [1]Rect{rect}
	r.apply(r.rects, one[:], opIntersect)
}

// Intersect keeps only the pixels of r that lie in o. o may be r.
func (r *Region) Intersect(o *Region) {
	switch {
	case r == o:
		return
	case len(o.rects) == 0 || len(r.rects) == 0 || r.ext.Intersect(o.ext).Empty():
		r.Clear()
		return
	case len(o.rects) == 1:
		r.IntersectRect(o.rects[0])
		return
	}
	r.apply(r.rects, o.rects, opIntersect)
}

// Translate moves r by (dx, dy). Sums are computed in 64 bits; as in
// pixman_region32_translate, rectangles that end up wholly outside
// [MinCoord, MaxCoord) are dropped and those crossing a limit are cut at
// it, so translating out and back again loses what crossed the edge.
// Unlike pixman, the result is brought back to canonical form, because
// cutting can make neighbouring bands identical.
func (r *Region) Translate(dx, dy int32) {
	if len(r.rects) == 0 || (dx == 0 && dy == 0) {
		return
	}
	e := r.ext
	if inRange(int64(e.X1)+int64(dx)) && inRange(int64(e.X2)+int64(dx)) &&
		inRange(int64(e.Y1)+int64(dy)) && inRange(int64(e.Y2)+int64(dy)) {
		for i := range r.rects {
			rc := &r.rects[i]
			rc.X1 += dx
			rc.X2 += dx
			rc.Y1 += dy
			rc.Y2 += dy
		}
		r.ext = Rect{e.X1 + dx, e.Y1 + dy, e.X2 + dx, e.Y2 + dy}
		return
	}
	kept := r.rects[:0]
	for _, rc := range r.rects {
		c := Rect{
			X1: saturate(int64(rc.X1) + int64(dx)),
			Y1: saturate(int64(rc.Y1) + int64(dy)),
			X2: saturate(int64(rc.X2) + int64(dx)),
			Y2: saturate(int64(rc.Y2) + int64(dy)),
		}
		if !c.Empty() {
			kept = append(kept, c)
		}
	}
	r.rects = coalesceAll(kept)
	r.updateExtents()
}

func inRange(v int64) bool { return v >= MinCoord && v <= MaxCoord }

func (r *Region) String() string {
	var b strings.Builder
	b.WriteByte('{')
	for i, rc := range r.rects {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(rc.String())
	}
	b.WriteByte('}')
	return b.String()
}

func (r *Region) setRect(rect Rect) {
	if rect.Empty() {
		r.Clear()
		return
	}
	r.rects = append(r.rects[:0], rect)
	r.ext = rect
}

// apply replaces r with a op b. a and b may be r.rects: the result is
// built in r.scratch and only then swapped in.
func (r *Region) apply(a, b []Rect, o op) {
	out := combine(r.scratch[:0], a, b, o)
	r.scratch = r.rects[:0]
	r.rects = out
	r.updateExtents()
}

func (r *Region) updateExtents() {
	if len(r.rects) == 0 {
		r.ext = Rect{}
		return
	}
	e := Rect{X1: MaxCoord, Y1: r.rects[0].Y1, X2: MinCoord, Y2: r.rects[len(r.rects)-1].Y2}
	for _, rc := range r.rects {
		e.X1 = min(e.X1, rc.X1)
		e.X2 = max(e.X2, rc.X2)
	}
	r.ext = e
}

// op is a set operation, decided pixel by pixel from membership in the two
// operands.
type op uint8

const (
	opUnion op = iota
	opIntersect
	opSubtract
)

func (o op) keep(inA, inB bool) bool {
	switch o {
	case opUnion:
		return inA || inB
	case opIntersect:
		return inA && inB
	default:
		return inA && !inB
	}
}

// bandEnd returns the index just past the band starting at rs[i].
func bandEnd(rs []Rect, i int) int {
	y1 := rs[i].Y1
	j := i + 1
	for j < len(rs) && rs[j].Y1 == y1 {
		j++
	}
	return j
}

// combine appends a op b to out in canonical form. It sweeps down both
// band lists at once: between two consecutive horizontal edges of either
// operand each operand has one fixed span list (possibly none), so the
// result there is one band, computed by mergeSpans and coalesced with the
// band above when the two are identical and touch.
func combine(out, a, b []Rect, o op) []Rect {
	ia, ib := 0, 0
	prev := -1 // start in out of the last band written, -1 when none
	var y int64
	switch {
	case len(a) == 0 && len(b) == 0:
		return out
	case len(a) == 0:
		y = int64(b[0].Y1)
	case len(b) == 0:
		y = int64(a[0].Y1)
	default:
		y = int64(min(a[0].Y1, b[0].Y1))
	}
	for ia < len(a) || ib < len(b) {
		// The operations stop early once the rest cannot add anything:
		// intersection needs both operands, subtraction needs a.
		if (o == opIntersect && (ia == len(a) || ib == len(b))) || (o == opSubtract && ia == len(a)) {
			break
		}
		next := int64(math.MaxInt64)
		var sa, sb []Rect
		ea, eb := ia, ib
		if ia < len(a) {
			ea = bandEnd(a, ia)
			if y < int64(a[ia].Y1) {
				next = int64(a[ia].Y1)
			} else {
				sa = a[ia:ea]
				next = int64(a[ia].Y2)
			}
		}
		if ib < len(b) {
			eb = bandEnd(b, ib)
			if y < int64(b[ib].Y1) {
				next = min(next, int64(b[ib].Y1))
			} else {
				sb = b[ib:eb]
				next = min(next, int64(b[ib].Y2))
			}
		}
		start := len(out)
		switch {
		case sa == nil && sb == nil:
		case o == opIntersect && (sa == nil || sb == nil):
		case o == opSubtract && sa == nil:
		case sb == nil:
			out = appendBand(out, sa, int32(y), int32(next))
		case sa == nil:
			out = appendBand(out, sb, int32(y), int32(next))
		default:
			out = mergeSpans(out, sa, sb, int32(y), int32(next), o)
		}
		if len(out) > start {
			out, prev = coalesce(out, prev, start)
		}
		y = next
		if ia < len(a) && y == int64(a[ia].Y2) {
			ia = ea
		}
		if ib < len(b) && y == int64(b[ib].Y2) {
			ib = eb
		}
	}
	return out
}

// appendBand appends the spans of band with its vertical extent replaced.
func appendBand(out, band []Rect, y1, y2 int32) []Rect {
	for _, rc := range band {
		out = append(out, Rect{rc.X1, y1, rc.X2, y2})
	}
	return out
}

// mergeSpans appends the band [y1,y2) whose spans are sa op sb. Walking
// the span edges of both lists in x order and opening or closing an output
// span whenever the operation's answer flips yields maximal spans, so the
// output never has two touching rectangles in a band.
func mergeSpans(out, sa, sb []Rect, y1, y2 int32, o op) []Rect {
	i, j := 0, 0
	inA, inB, open := false, false, false
	var start int64
	for i < len(sa) || j < len(sb) {
		xa, xb := int64(math.MaxInt64), int64(math.MaxInt64)
		if i < len(sa) {
			if inA {
				xa = int64(sa[i].X2)
			} else {
				xa = int64(sa[i].X1)
			}
		}
		if j < len(sb) {
			if inB {
				xb = int64(sb[j].X2)
			} else {
				xb = int64(sb[j].X1)
			}
		}
		x := min(xa, xb)
		if xa == x {
			if inA {
				i++
			}
			inA = !inA
		}
		if xb == x {
			if inB {
				j++
			}
			inB = !inB
		}
		switch k := o.keep(inA, inB); {
		case k && !open:
			start, open = x, true
		case !k && open:
			out = append(out, Rect{int32(start), y1, int32(x), y2})
			open = false
		}
	}
	return out
}

// coalesce merges the band just appended at out[start:] into the band at
// out[prev:start] when they touch vertically and have the same spans, the
// step that makes the banded form unique. It returns the new start of the
// last band.
func coalesce(out []Rect, prev, start int) ([]Rect, int) {
	if prev < 0 || start-prev != len(out)-start || out[prev].Y2 != out[start].Y1 {
		return out, start
	}
	for k := 0; k < start-prev; k++ {
		if out[prev+k].X1 != out[start+k].X1 || out[prev+k].X2 != out[start+k].X2 {
			return out, start
		}
	}
	y2 := out[start].Y2
	for k := prev; k < start; k++ {
		out[k].Y2 = y2
	}
	return out[:start], prev
}

// coalesceAll restores canonical form in place after Translate cut
// rectangles at the limits: bands stay sorted and their spans stay
// disjoint, but a band can lose spans and become identical to a neighbour.
func coalesceAll(rs []Rect) []Rect {
	out := rs[:0]
	prev := -1
	for i := 0; i < len(rs); {
		j := bandEnd(rs, i)
		start := len(out)
		// out never runs ahead of i, so this copy only moves rectangles
		// already read.
		out = append(out, rs[i:j]...)
		out, prev = coalesce(out, prev, start)
		i = j
	}
	return out
}
