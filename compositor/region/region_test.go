package region

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	minI = math.MinInt32
	maxI = math.MaxInt32
)

// TestPixmanDocumented reproduces results pixman states in its own tests
// (test/region-test.c, test/region-translate-test.c) and the banding its
// pixman-region.c describes, so the representation is pixman's and not
// merely some valid one.
func TestPixmanDocumented(t *testing.T) {
	tests := []struct {
		name  string
		build func() *Region
		want  []Rect
	}{
		{
			// region-test.c: init_rects with an empty box among the boxes
			// keeps only the good one.
			name: "empty boxes among init_rects are dropped",
			build: func() *Region {
				return New(Rect{10, 10, 20, 20}, Rect{30, 30, 30, 40}, Rect{50, 45, 60, 44})
			},
			want: []Rect{{10, 10, 20, 20}},
		},
		{
			// region-test.c: the broken box must not widen the result to
			// the bounding box of both.
			name:  "empty box does not widen the result",
			build: func() *Region { return New(Rect{2, 6, 7, 6}, Rect{4, 1, 6, 7}) },
			want:  []Rect{{4, 1, 6, 7}},
		},
		{
			name:  "only empty boxes give an empty region",
			build: func() *Region { return New(Rect{2, 6, 7, 6}, Rect{4, 1, 6, 1}) },
			want:  nil,
		},
		{
			// region-test.c: once looped forever with 16-bit variables.
			name: "tall rect minus itself is empty",
			build: func() *Region {
				r := New(XYWH(0, 0, 20, 64000))
				r.Subtract(New(XYWH(0, 0, 20, 64000)))
				return r
			},
			want: nil,
		},
		{
			// region-translate-test.c: 32-bit regions survive translation
			// beyond 16-bit coordinates.
			name: "translate beyond 16 bits and back",
			build: func() *Region {
				const large = 32000
				r := New(Rect{-large, -large, large, large})
				r.Translate(-large, large)
				r.Translate(large, -large)
				return r
			},
			want: []Rect{{-32000, -32000, 32000, 32000}},
		},
		{
			name:  "overlapping squares make three bands",
			build: func() *Region { return New(Rect{0, 0, 10, 10}, Rect{5, 5, 15, 15}) },
			want:  []Rect{{0, 0, 10, 5}, {0, 5, 15, 10}, {5, 10, 15, 15}},
		},
		{
			name:  "side by side rects merge in their band",
			build: func() *Region { return New(Rect{5, 0, 10, 10}, Rect{0, 0, 5, 10}) },
			want:  []Rect{{0, 0, 10, 10}},
		},
		{
			name:  "stacked rects with equal spans coalesce",
			build: func() *Region { return New(Rect{0, 5, 10, 10}, Rect{0, 0, 10, 5}) },
			want:  []Rect{{0, 0, 10, 10}},
		},
		{
			name:  "gap between bands prevents coalescing",
			build: func() *Region { return New(Rect{0, 0, 10, 5}, Rect{0, 6, 10, 10}) },
			want:  []Rect{{0, 0, 10, 5}, {0, 6, 10, 10}},
		},
		{
			name: "hole punched in the middle",
			build: func() *Region {
				r := New(Rect{0, 0, 9, 9})
				r.SubtractRect(Rect{3, 3, 6, 6})
				return r
			},
			want: []Rect{{0, 0, 9, 3}, {0, 3, 3, 6}, {6, 3, 9, 6}, {0, 6, 9, 9}},
		},
		{
			// pixman_region32_translate cuts boxes at its int32 limits.
			name: "translate cuts at the right limit",
			build: func() *Region {
				r := New(Rect{0, 0, 10, 10})
				r.Translate(maxI-5, 0)
				return r
			},
			want: []Rect{{maxI - 5, 0, maxI, 10}},
		},
		{
			name: "translate cuts at the left limit",
			build: func() *Region {
				r := New(Rect{-10, 0, 10, 10})
				r.Translate(minI, 0)
				return r
			},
			want: []Rect{{minI, 0, minI + 10, 10}},
		},
		{
			name: "translate drops what leaves the plane",
			build: func() *Region {
				r := New(Rect{0, 0, 10, 10})
				r.Translate(0, maxI)
				return r
			},
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.build()
			require.NoError(t, checkInvariants(r))
			assert.Equal(t, tt.want, nilIfEmpty(r.Rects()))
			assert.Equal(t, len(tt.want) == 0, r.Empty())
		})
	}
}

func nilIfEmpty(rs []Rect) []Rect {
	if len(rs) == 0 {
		return nil
	}
	return rs
}

func TestXYWH(t *testing.T) {
	tests := []struct {
		name       string
		x, y, w, h int32
		want       Rect
		width      int64
	}{
		{"plain", 1, 2, 10, 20, Rect{1, 2, 11, 22}, 10},
		{"zero width", 0, 0, 0, 5, Rect{}, 0},
		{"zero height", 0, 0, 5, 0, Rect{}, 0},
		{"negative width", 10, 10, -1, 5, Rect{}, 0},
		{"negative height", 10, 10, 5, math.MinInt32, Rect{}, 0},
		{"right edge saturates", 5, 5, maxI, maxI, Rect{5, 5, maxI, maxI}, maxI - 5},
		{"at the right limit is empty", maxI, 0, 10, 10, Rect{maxI, 0, maxI, 10}, 0},
		{"last pixel column", maxI - 1, 0, maxI, 1, Rect{maxI - 1, 0, maxI, 1}, 1},
		{"from the left limit", minI, minI, maxI, maxI, Rect{minI, minI, -1, -1}, maxI},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := XYWH(tt.x, tt.y, tt.w, tt.h)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.width, got.Width())
			assert.Equal(t, tt.want.Empty(), New(got).Empty(), "regions ignore exactly the empty rects")
		})
	}
}

// TestHostileExtremes drives every operation with rectangles at the int32
// limits: nothing may overflow, and the counts must stay exact.
func TestHostileExtremes(t *testing.T) {
	full := Rect{minI, minI, maxI, maxI}
	r := New(full)
	assert.Equal(t, uint64(math.MaxUint32)*uint64(math.MaxUint32), r.Area(), "the whole plane")
	assert.True(t, r.Contains(minI, minI))
	assert.True(t, r.Contains(maxI-1, maxI-1))
	assert.False(t, r.Contains(maxI, 0), "column MaxCoord is outside every region")

	r.SubtractRect(XYWH(0, 0, maxI, maxI))
	require.NoError(t, checkInvariants(r))
	assert.Equal(t, []Rect{{minI, minI, maxI, 0}, {minI, 0, 0, maxI}}, r.Rects())
	assert.False(t, r.Contains(0, 0))
	assert.True(t, r.Contains(-1, maxI-1))

	r.Translate(maxI, maxI)
	require.NoError(t, checkInvariants(r))
	assert.Equal(t, []Rect{{-1, -1, maxI, maxI}}, r.Rects(), "the lower band moved off the plane, the upper one was cut")

	r.Translate(minI, minI)
	r.Translate(minI, minI)
	require.NoError(t, checkInvariants(r))
	assert.True(t, r.Empty(), "translated off the plane")

	r.Add(XYWH(maxI-1, maxI-1, maxI, maxI))
	assert.Equal(t, []Rect{{maxI - 1, maxI - 1, maxI, maxI}}, r.Rects())
	r.IntersectRect(full)
	assert.Equal(t, uint64(1), r.Area())
}

// TestTranslateRecoalesces covers the one way Translate can break
// canonical form: cutting at a limit removes the only span that told two
// touching bands apart.
func TestTranslateRecoalesces(t *testing.T) {
	r := New(Rect{minI, 0, minI + 10, 5}, Rect{20, 0, 30, 10})
	require.Equal(t, []Rect{{minI, 0, minI + 10, 5}, {20, 0, 30, 5}, {20, 5, 30, 10}}, r.Rects())
	r.Translate(-11, 0)
	require.NoError(t, checkInvariants(r))
	assert.Equal(t, []Rect{{9, 0, 19, 10}}, r.Rects())
	assert.True(t, r.Equal(New(Rect{9, 0, 19, 10})))
}

type regionOp struct {
	name   string
	apply  func(a, b *Region, rc Rect)
	oracle func(a, b, rc pixelSet) pixelSet
}

var regionOps = []regionOp{
	{"Union", func(a, b *Region, _ Rect) { a.Union(b) }, func(a, b, _ pixelSet) pixelSet { return a.union(b) }},
	{"Subtract", func(a, b *Region, _ Rect) { a.Subtract(b) }, func(a, b, _ pixelSet) pixelSet { return a.subtract(b) }},
	{"Intersect", func(a, b *Region, _ Rect) { a.Intersect(b) }, func(a, b, _ pixelSet) pixelSet { return a.intersect(b) }},
	{"Add", func(a, _ *Region, rc Rect) { a.Add(rc) }, func(a, _, rc pixelSet) pixelSet { return a.union(rc) }},
	{"SubtractRect", func(a, _ *Region, rc Rect) { a.SubtractRect(rc) }, func(a, _, rc pixelSet) pixelSet { return a.subtract(rc) }},
	{"IntersectRect", func(a, _ *Region, rc Rect) { a.IntersectRect(rc) }, func(a, _, rc pixelSet) pixelSet { return a.intersect(rc) }},
	{"Translate", func(a, _ *Region, _ Rect) { a.Translate(3, -7) }, func(a, _, _ pixelSet) pixelSet { return a.translate(3, -7) }},
	{"Copy", func(a, b *Region, _ Rect) { a.Copy(b) }, func(_, b, _ pixelSet) pixelSet { return b.clone() }},
	{"Clear", func(a, _ *Region, _ Rect) { a.Clear() }, func(_, _, _ pixelSet) pixelSet { return pixelSet{} }},
}

// TestOpsAgainstOracle compares every operation with the pixel-set oracle
// on random small regions: same pixels, and exactly the canonical
// rectangles of those pixels.
func TestOpsAgainstOracle(t *testing.T) {
	for _, op := range regionOps {
		t.Run(op.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(len(op.name))))
			for i := 0; i < 300; i++ {
				ra, rb := randomRects(rng, rng.IntN(9)), randomRects(rng, rng.IntN(9))
				rc := randomRects(rng, 1)[0]
				a, b := New(ra...), New(rb...)
				pa, pb, pc := pixelsOf(ra), pixelsOf(rb), pixelsOf([]Rect{rc})
				requireOracle(t, a, pa, "building A from %v", ra)
				requireOracle(t, b, pb, "building B from %v", rb)

				op.apply(a, b, rc)
				requireOracle(t, a, op.oracle(pa, pb, pc), "case %d: %v %s (%v | %v)", i, ra, op.name, rb, rc)
				requireOracle(t, b, pb, "case %d: operand B changed", i)
			}
		})
	}
}

// TestSelfOperand passes a region as both operands, which shares the
// input and output storage.
func TestSelfOperand(t *testing.T) {
	tests := []struct {
		name  string
		apply func(r *Region)
		want  func(p pixelSet) pixelSet
	}{
		{"Union", func(r *Region) { r.Union(r) }, func(p pixelSet) pixelSet { return p }},
		{"Intersect", func(r *Region) { r.Intersect(r) }, func(p pixelSet) pixelSet { return p }},
		{"Subtract", func(r *Region) { r.Subtract(r) }, func(pixelSet) pixelSet { return pixelSet{} }},
		{"Copy", func(r *Region) { r.Copy(r) }, func(p pixelSet) pixelSet { return p }},
	}
	rng := rand.New(rand.NewPCG(2, 2))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i := 0; i < 50; i++ {
				rs := randomRects(rng, 1+rng.IntN(8))
				r := New(rs...)
				tt.apply(r)
				requireOracle(t, r, tt.want(pixelsOf(rs)), "%v", rs)
			}
		})
	}
}

// TestCanonicalIsOrderIndependent builds one pixel set in many orders and
// by different operations; canonical form means identical rectangles.
func TestCanonicalIsOrderIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for i := 0; i < 200; i++ {
		rs := randomRects(rng, 2+rng.IntN(8))
		ref := New(rs...)
		rng.Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
		shuffled := New(rs...)
		require.True(t, ref.Equal(shuffled), "%v vs %v", ref, shuffled)
		require.Equal(t, ref.Rects(), shuffled.Rects())

		// Extents minus (extents minus region) is the region again.
		e := ref.Extents()
		inv := New(e)
		inv.Subtract(ref)
		round := New(e)
		round.Subtract(inv)
		require.True(t, ref.Equal(round), "%v vs %v", ref, round)
	}
	assert.False(t, New(Rect{0, 0, 2, 2}).Equal(New(Rect{0, 0, 2, 1})))
	assert.False(t, New(Rect{0, 0, 2, 2}, Rect{4, 0, 6, 2}).Equal(New(Rect{0, 0, 2, 2}, Rect{4, 0, 5, 2})),
		"same extents, different pixels")
}

func TestContains(t *testing.T) {
	r := New(Rect{0, 0, 10, 5}, Rect{20, 0, 30, 5}, Rect{0, 8, 5, 9})
	tests := []struct {
		x, y int32
		want bool
	}{
		{0, 0, true}, {9, 4, true}, {10, 0, false}, {19, 2, false}, {20, 2, true}, {29, 4, true},
		{30, 4, false}, {5, 5, false}, {0, 7, false}, {4, 8, true}, {5, 8, false}, {0, 9, false},
		{-1, 0, false}, {0, -1, false}, {minI, minI, false}, {maxI, maxI, false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, r.Contains(tt.x, tt.y), "(%d,%d)", tt.x, tt.y)
	}
	assert.False(t, (&Region{}).Contains(0, 0), "zero value is empty")
}

func TestCloneAndCopyAreIndependent(t *testing.T) {
	a := New(Rect{0, 0, 10, 10}, Rect{20, 20, 30, 30})
	c := a.Clone()
	var d Region
	d.Copy(a)
	a.SubtractRect(Rect{0, 0, 100, 100})
	assert.True(t, a.Empty())
	assert.Equal(t, []Rect{{0, 0, 10, 10}, {20, 20, 30, 30}}, c.Rects())
	assert.True(t, c.Equal(&d))
	assert.Equal(t, "{[0,0 10,10) [20,20 30,30)}", c.String())
}

// TestSteadyStateDoesNotAllocate holds the allocation-light promise: a
// reused region, once grown, runs a frame's worth of operations with no
// allocation.
func TestSteadyStateDoesNotAllocate(t *testing.T) {
	var dmg, opaque, out Region
	opaque.Add(Rect{100, 100, 300, 300})
	opaque.Add(Rect{500, 0, 600, 700})
	frame := func() {
		dmg.Clear()
		for i := int32(0); i < 16; i++ {
			dmg.Add(XYWH(i*37%800, i*53%600, 64, 48))
		}
		dmg.SubtractRect(Rect{0, 0, 50, 50})
		dmg.IntersectRect(Rect{0, 0, 1024, 768})
		out.Copy(&dmg)
		out.Subtract(&opaque)
		out.Union(&opaque)
		out.Intersect(&dmg)
		out.Translate(5, 5)
	}
	frame()
	assert.Zero(t, testing.AllocsPerRun(20, frame))
}
