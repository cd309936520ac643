package region

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// The oracle is the outside reference the tests compare with: a region is
// a set of pixels, and union, subtraction, intersection and translation
// are their set-theoretic definitions. It knows nothing of bands.

type pt struct{ x, y int64 }

type pixelSet map[pt]struct{}

// addRect adds the pixels of the half-open box [x1,x2) × [y1,y2), with
// coordinates already clamped to the representable range.
func (s pixelSet) addBox(x1, y1, x2, y2 int64) {
	for y := y1; y < y2; y++ {
		for x := x1; x < x2; x++ {
			s[pt{x, y}] = struct{}{}
		}
	}
}

// oracleXYWH is XYWH's specification: negative or zero sizes are empty,
// edges are computed exactly and then clamped to the coordinate limits.
func oracleXYWH(x, y, w, h int64) pixelSet {
	s := pixelSet{}
	if w <= 0 || h <= 0 {
		return s
	}
	s.addBox(x, y, min(x+w, MaxCoord), min(y+h, MaxCoord))
	return s
}

func (s pixelSet) clone() pixelSet {
	c := make(pixelSet, len(s))
	for p := range s {
		c[p] = struct{}{}
	}
	return c
}

func (s pixelSet) union(o pixelSet) pixelSet {
	c := s.clone()
	for p := range o {
		c[p] = struct{}{}
	}
	return c
}

func (s pixelSet) subtract(o pixelSet) pixelSet {
	c := pixelSet{}
	for p := range s {
		if _, ok := o[p]; !ok {
			c[p] = struct{}{}
		}
	}
	return c
}

func (s pixelSet) intersect(o pixelSet) pixelSet {
	c := pixelSet{}
	for p := range s {
		if _, ok := o[p]; ok {
			c[p] = struct{}{}
		}
	}
	return c
}

// translate moves every pixel and forgets those that leave the
// representable plane [MinCoord, MaxCoord).
func (s pixelSet) translate(dx, dy int64) pixelSet {
	c := pixelSet{}
	for p := range s {
		q := pt{p.x + dx, p.y + dy}
		if q.x >= MinCoord && q.x < MaxCoord && q.y >= MinCoord && q.y < MaxCoord {
			c[q] = struct{}{}
		}
	}
	return c
}

// canonical builds the unique banded form of s straight from its rows:
// each row's maximal runs are its spans, and consecutive rows with the
// same spans form one band. It shares no code with the package.
func canonical(s pixelSet) []Rect {
	rows := map[int64][]int64{}
	for p := range s {
		rows[p.y] = append(rows[p.y], p.x)
	}
	ys := make([]int64, 0, len(rows))
	for y := range rows {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	type span struct{ x1, x2 int64 }
	spansOf := func(xs []int64) []span {
		slices.Sort(xs)
		var sp []span
		for _, x := range xs {
			if n := len(sp); n > 0 && sp[n-1].x2 == x {
				sp[n-1].x2++
			} else {
				sp = append(sp, span{x, x + 1})
			}
		}
		return sp
	}
	var out []Rect
	for i := 0; i < len(ys); {
		sp := spansOf(rows[ys[i]])
		j := i + 1
		for j < len(ys) && ys[j] == ys[j-1]+1 && slices.Equal(spansOf(rows[ys[j]]), sp) {
			j++
		}
		for _, v := range sp {
			out = append(out, Rect{int32(v.x1), int32(ys[i]), int32(v.x2), int32(ys[j-1] + 1)})
		}
		i = j
	}
	return out
}

// checkInvariants verifies the banded-form rules of the package doc.
func checkInvariants(r *Region) error {
	rs := r.rects
	if len(rs) == 0 {
		if r.ext != (Rect{}) {
			return fmt.Errorf("empty region has extents %v", r.ext)
		}
		return nil
	}
	ext := Rect{X1: MaxCoord, Y1: MaxCoord, X2: MinCoord, Y2: MinCoord}
	for i, rc := range rs {
		if rc.Empty() {
			return fmt.Errorf("rect %d %v is empty", i, rc)
		}
		ext = Rect{min(ext.X1, rc.X1), min(ext.Y1, rc.Y1), max(ext.X2, rc.X2), max(ext.Y2, rc.Y2)}
		if i == 0 {
			continue
		}
		p := rs[i-1]
		switch {
		case rc.Y1 == p.Y1:
			if rc.Y2 != p.Y2 {
				return fmt.Errorf("rects %d and %d share Y1 but not Y2", i-1, i)
			}
			if rc.X1 <= p.X2 {
				return fmt.Errorf("rects %d %v and %d %v overlap or touch in their band", i-1, p, i, rc)
			}
		case rc.Y1 < p.Y2:
			return fmt.Errorf("band at rect %d starts at %d inside the band above ending at %d", i, rc.Y1, p.Y2)
		}
	}
	if ext != r.ext {
		return fmt.Errorf("extents %v, want %v", r.ext, ext)
	}
	for i := 0; i < len(rs); {
		j := bandEnd(rs, i)
		if j < len(rs) && rs[j].Y1 == rs[i].Y2 {
			k := bandEnd(rs, j)
			if k-j == j-i {
				same := true
				for n := 0; n < j-i; n++ {
					same = same && rs[i+n].X1 == rs[j+n].X1 && rs[i+n].X2 == rs[j+n].X2
				}
				if same {
					return fmt.Errorf("touching bands at y=%d have identical spans (not coalesced)", rs[j].Y1)
				}
			}
		}
		i = j
	}
	return nil
}

// matchOracle reports how r differs from the pixel set want: invariants,
// exact canonical rectangles, area and Contains on every pixel and on the
// ring just outside the extents.
func matchOracle(r *Region, want pixelSet) error {
	if err := checkInvariants(r); err != nil {
		return fmt.Errorf("invariant: %w (region %v)", err, r)
	}
	if r.Area() != uint64(len(want)) {
		return fmt.Errorf("area %d, oracle has %d pixels (region %v)", r.Area(), len(want), r)
	}
	if c := canonical(want); !slices.Equal(r.Rects(), c) {
		return fmt.Errorf("rects %v, canonical form of the oracle is %v", r, c)
	}
	for p := range want {
		if !r.Contains(int32(p.x), int32(p.y)) {
			return fmt.Errorf("Contains(%d,%d) = false for a pixel of the oracle", p.x, p.y)
		}
	}
	e := r.Extents()
	if e.Empty() {
		return nil
	}
	for x := int64(e.X1) - 1; x <= int64(e.X2); x++ {
		for _, y := range []int64{int64(e.Y1) - 1, int64(e.Y2)} {
			if inRange(x) && inRange(y) && r.Contains(int32(x), int32(y)) {
				return fmt.Errorf("Contains(%d,%d) = true outside the extents %v", x, y, e)
			}
		}
	}
	return nil
}

// randomRects returns n small rectangles in [-4, 24)², some empty or
// degenerate, to exercise the way operations skip them.
func randomRects(rng *rand.Rand, n int) []Rect {
	rs := make([]Rect, n)
	for i := range rs {
		x, y := int32(rng.IntN(28)-4), int32(rng.IntN(28)-4)
		rs[i] = XYWH(x, y, int32(rng.IntN(10)-1), int32(rng.IntN(10)-1))
	}
	return rs
}

func pixelsOf(rs []Rect) pixelSet {
	s := pixelSet{}
	for _, rc := range rs {
		if !rc.Empty() {
			s.addBox(int64(rc.X1), int64(rc.Y1), int64(rc.X2), int64(rc.Y2))
		}
	}
	return s
}

func requireOracle(t *testing.T, r *Region, want pixelSet, msgAndArgs ...any) {
	t.Helper()
	require.NoError(t, matchOracle(r, want), msgAndArgs...)
}
