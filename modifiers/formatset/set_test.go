package formatset

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

var (
	xr24 = fourcc.Code('X', 'R', '2', '4')
	ar24 = fourcc.Code('A', 'R', '2', '4')
	xb24 = fourcc.Code('X', 'B', '2', '4')
	nv12 = fourcc.Code('N', 'V', '1', '2')

	lin  = modifier.Linear
	inv  = modifier.Invalid
	xt   = modifier.IntelXTiled
	yt   = modifier.IntelYTiled
	t4   = modifier.Intel4Tiled
	afbc = modifier.ARMAFBC(modifier.AFBCBlockSize16x16 | modifier.AFBCSparse)
)

// fm is one format with its modifiers in order, for building sets in tests.
type fm struct {
	f    fourcc.Format
	mods []modifier.Modifier
}

func mk(entries ...fm) *Set {
	s := &Set{}
	for _, e := range entries {
		s.Add(e.f, e.mods...)
	}
	return s
}

func ms(m ...modifier.Modifier) []modifier.Modifier { return m }

func TestZeroValueAndNil(t *testing.T) {
	var z Set
	assert.Equal(t, 0, z.Len())
	assert.False(t, z.Has(xr24, lin))
	z.Add(xr24, lin)
	assert.True(t, z.Has(xr24, lin))
	assert.Equal(t, 1, z.Len())

	var n *Set
	assert.Equal(t, 0, n.Len())
	assert.False(t, n.Has(xr24, lin))
	assert.False(t, n.HasFormat(xr24))
	assert.Nil(t, n.Formats())
	assert.Nil(t, n.Modifiers(xr24))
	assert.Equal(t, "{}", n.String())
	assert.True(t, n.Equal(&Set{}))
	assert.True(t, n.EqualOrdered(&Set{}))
	assert.True(t, z.Contains(n))
	assert.False(t, n.Contains(&z))
	assert.Equal(t, 0, n.Intersect(&z).Len())
	assert.True(t, n.Union(&z).EqualOrdered(&z))
	assert.Equal(t, 0, n.Clone().Len())
	for range n.Pairs() {
		t.Fatal("nil set yielded a pair")
	}
}

func TestAddOrderAndDedup(t *testing.T) {
	s := &Set{}
	s.Add(xr24, yt, lin)
	s.Add(ar24, lin)
	s.Add(xr24, lin, inv, yt) // lin and yt repeat: only inv is new
	s.Add(nv12)               // no modifiers: not a member

	assert.Equal(t, []fourcc.Format{xr24, ar24}, s.Formats())
	assert.Equal(t, ms(yt, lin, inv), s.Modifiers(xr24))
	assert.Equal(t, ms(lin), s.Modifiers(ar24))
	assert.Equal(t, 4, s.Len())
	assert.False(t, s.HasFormat(nv12))
	assert.Nil(t, s.Modifiers(nv12))

	assert.Equal(t, []Pair{{xr24, yt}, {xr24, lin}, {xr24, inv}, {ar24, lin}}, s.AppendPairs(nil))

	// Returned slices are copies: editing them must not change the set.
	s.Formats()[0] = nv12
	s.Modifiers(xr24)[0] = afbc
	assert.Equal(t, []fourcc.Format{xr24, ar24}, s.Formats())
	assert.Equal(t, ms(yt, lin, inv), s.Modifiers(xr24))
}

func TestPairsStopsEarly(t *testing.T) {
	s := mk(fm{xr24, ms(lin, yt)}, fm{ar24, ms(lin)})
	var got []Pair
	for f, m := range s.Pairs() {
		got = append(got, Pair{f, m})
		if len(got) == 2 {
			break
		}
	}
	assert.Equal(t, []Pair{{xr24, lin}, {xr24, yt}}, got)
}

func TestUnion(t *testing.T) {
	tests := []struct {
		name string
		a, b *Set
		want *Set // compared with order
	}{
		{"both empty", mk(), mk(), mk()},
		{"empty receiver", mk(), mk(fm{xr24, ms(lin)}), mk(fm{xr24, ms(lin)})},
		{"empty argument", mk(fm{xr24, ms(lin)}), mk(), mk(fm{xr24, ms(lin)})},
		{
			"disjoint formats append in argument order",
			mk(fm{xr24, ms(yt, lin)}),
			mk(fm{nv12, ms(lin)}, fm{ar24, ms(inv)}),
			mk(fm{xr24, ms(yt, lin)}, fm{nv12, ms(lin)}, fm{ar24, ms(inv)}),
		},
		{
			"shared format: receiver's modifiers first, new ones in argument order",
			mk(fm{xr24, ms(yt, lin)}, fm{ar24, ms(lin)}),
			mk(fm{ar24, ms(t4, lin)}, fm{xr24, ms(inv, lin, xt)}),
			mk(fm{xr24, ms(yt, lin, inv, xt)}, fm{ar24, ms(lin, t4)}),
		},
		{
			"invalid is an ordinary member",
			mk(fm{xr24, ms(inv)}),
			mk(fm{xr24, ms(lin)}),
			mk(fm{xr24, ms(inv, lin)}),
		},
		{"identical", mk(fm{xr24, ms(lin, yt)}), mk(fm{xr24, ms(yt, lin)}), mk(fm{xr24, ms(lin, yt)})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			aBefore, bBefore := tc.a.Clone(), tc.b.Clone()
			u := tc.a.Union(tc.b)
			assert.True(t, u.EqualOrdered(tc.want), "got %v want %v", u, tc.want)
			assert.True(t, u.Contains(tc.a))
			assert.True(t, u.Contains(tc.b))
			assert.Equal(t, tc.a.Len()+tc.b.Len()-tc.a.Intersect(tc.b).Len(), u.Len())
			// Operands are untouched.
			assert.True(t, tc.a.EqualOrdered(aBefore))
			assert.True(t, tc.b.EqualOrdered(bBefore))
		})
	}
}

func TestIntersect(t *testing.T) {
	tests := []struct {
		name string
		a, b *Set
		want *Set // compared with order
	}{
		{"both empty", mk(), mk(), mk()},
		{"empty argument", mk(fm{xr24, ms(lin)}), mk(), mk()},
		{"empty receiver", mk(), mk(fm{xr24, ms(lin)}), mk()},
		{"disjoint formats", mk(fm{xr24, ms(lin)}), mk(fm{ar24, ms(lin)}), mk()},
		{"same format, disjoint modifiers: format dropped", mk(fm{xr24, ms(yt)}, fm{ar24, ms(lin)}), mk(fm{xr24, ms(xt)}, fm{ar24, ms(lin)}), mk(fm{ar24, ms(lin)})},
		{"invalid does not match linear", mk(fm{xr24, ms(inv)}), mk(fm{xr24, ms(lin)}), mk()},
		{"linear does not match invalid", mk(fm{xr24, ms(lin)}), mk(fm{xr24, ms(inv)}), mk()},
		{"invalid does not match an explicit tiling", mk(fm{xr24, ms(inv)}), mk(fm{xr24, ms(yt, xt)}), mk()},
		{"invalid matches invalid", mk(fm{xr24, ms(inv, yt)}), mk(fm{xr24, ms(inv, lin)}), mk(fm{xr24, ms(inv)})},
		{
			"receiver's order kept for formats and modifiers",
			mk(fm{xr24, ms(afbc, yt, lin, inv)}, fm{nv12, ms(lin)}, fm{ar24, ms(t4, lin)}),
			mk(fm{ar24, ms(lin, t4)}, fm{xr24, ms(inv, lin, afbc)}, fm{xb24, ms(lin)}),
			mk(fm{xr24, ms(afbc, lin, inv)}, fm{ar24, ms(t4, lin)}),
		},
		{"identical", mk(fm{xr24, ms(lin, yt)}), mk(fm{xr24, ms(yt, lin)}), mk(fm{xr24, ms(lin, yt)})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.a.Intersect(tc.b)
			assert.True(t, r.EqualOrdered(tc.want), "got %v want %v", r, tc.want)
			assert.True(t, tc.a.Contains(r))
			assert.True(t, tc.b.Contains(r))
			// Intersection is commutative as a set, not in order.
			assert.True(t, tc.b.Intersect(tc.a).Equal(r))
			for _, f := range r.Formats() {
				assert.NotEmpty(t, r.Modifiers(f))
			}
		})
	}
}

func TestIntersectResultIsIndependent(t *testing.T) {
	a := mk(fm{xr24, ms(lin, yt)}, fm{ar24, ms(lin, yt)})
	r := a.Intersect(a)
	// The result packs modifier lists into one backing array; growing the
	// first list must not overwrite the second.
	r.Add(xr24, t4)
	assert.Equal(t, ms(lin, yt, t4), r.Modifiers(xr24))
	assert.Equal(t, ms(lin, yt), r.Modifiers(ar24))
	assert.False(t, a.Has(xr24, t4))

	c := a.Clone()
	c.Add(xr24, afbc)
	require.True(t, c.Remove(ar24, lin))
	assert.Equal(t, ms(yt), c.Modifiers(ar24))
	assert.Equal(t, ms(lin, yt), a.Modifiers(ar24))
	assert.Equal(t, ms(lin, yt), a.Modifiers(xr24))
}

func TestContains(t *testing.T) {
	big := mk(fm{xr24, ms(lin, yt, inv)}, fm{ar24, ms(lin)})
	tests := []struct {
		name string
		a, b *Set
		want bool
	}{
		{"empty contains empty", mk(), mk(), true},
		{"anything contains empty", big, mk(), true},
		{"empty does not contain non-empty", mk(), big, false},
		{"itself", big, big.Clone(), true},
		{"subset in another order", big, mk(fm{ar24, ms(lin)}, fm{xr24, ms(inv, lin)}), true},
		{"missing modifier", big, mk(fm{xr24, ms(xt)}), false},
		{"missing format", big, mk(fm{nv12, ms(lin)}), false},
		{"invalid does not cover linear", mk(fm{xr24, ms(inv)}), mk(fm{xr24, ms(lin)}), false},
		{"proper superset is not contained", mk(fm{xr24, ms(lin)}), big, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.a.Contains(tc.b))
		})
	}
}

func TestEqual(t *testing.T) {
	a := mk(fm{xr24, ms(lin, yt)}, fm{ar24, ms(lin)})
	reordered := mk(fm{ar24, ms(lin)}, fm{xr24, ms(yt, lin)})
	modsReordered := mk(fm{xr24, ms(yt, lin)}, fm{ar24, ms(lin)})
	other := mk(fm{xr24, ms(lin, xt)}, fm{ar24, ms(lin)})

	assert.True(t, a.Equal(reordered))
	assert.False(t, a.EqualOrdered(reordered))
	assert.True(t, a.Equal(modsReordered))
	assert.False(t, a.EqualOrdered(modsReordered))
	assert.True(t, a.EqualOrdered(a.Clone()))
	assert.False(t, a.Equal(other))
	assert.False(t, a.Equal(mk(fm{xr24, ms(lin, yt)})))
}

func TestRemove(t *testing.T) {
	s := mk(fm{xr24, ms(lin, yt)}, fm{ar24, ms(lin)}, fm{nv12, ms(lin)})

	assert.False(t, s.Remove(xr24, inv))
	assert.False(t, s.Remove(xb24, lin))
	assert.True(t, s.Remove(xr24, lin))
	assert.False(t, s.Has(xr24, lin))
	assert.Equal(t, ms(yt), s.Modifiers(xr24))
	assert.Equal(t, 3, s.Len())

	// The last modifier takes the format with it.
	assert.True(t, s.Remove(ar24, lin))
	assert.False(t, s.HasFormat(ar24))
	assert.Equal(t, []fourcc.Format{xr24, nv12}, s.Formats())

	assert.True(t, s.RemoveFormat(xr24))
	assert.False(t, s.RemoveFormat(xr24))
	assert.False(t, s.Has(xr24, yt))
	assert.Equal(t, []fourcc.Format{nv12}, s.Formats())
	assert.Equal(t, 1, s.Len())

	// A removed format added again goes to the end: it is a new preference.
	s.Add(xr24, lin)
	assert.Equal(t, []fourcc.Format{nv12, xr24}, s.Formats())

	var z Set
	assert.False(t, z.Remove(xr24, lin))
	assert.False(t, z.RemoveFormat(xr24))
}

func TestNewAndString(t *testing.T) {
	s := New(Pair{xr24, lin}, Pair{xr24, inv}, Pair{ar24, yt}, Pair{xr24, lin})
	assert.Equal(t, 3, s.Len())
	assert.Equal(t, "{0x34325258:[0x0 0xffffffffffffff] 0x34325241:[0x100000000000002]}", s.String())
}

// setFromBytes turns fuzz input into a set over a small alphabet, so that
// two inputs share pairs often enough to exercise every branch.
func setFromBytes(b []byte) *Set {
	formats := []fourcc.Format{xr24, ar24, xb24, nv12}
	mods := []modifier.Modifier{lin, inv, xt, yt, t4, afbc}
	s := &Set{}
	for _, c := range b {
		s.Add(formats[int(c>>4)%len(formats)], mods[int(c&0xf)%len(mods)])
	}
	return s
}

func FuzzSetAlgebra(f *testing.F) {
	f.Add([]byte{0x00, 0x11, 0x23}, []byte{0x11, 0x00, 0x35})
	f.Add([]byte{}, []byte{0x01})
	f.Add([]byte{0x01, 0x02, 0x03}, []byte{0x01, 0x02, 0x03})
	f.Fuzz(func(t *testing.T, x, y []byte) {
		a, b := setFromBytes(x), setFromBytes(y)
		i, u := a.Intersect(b), a.Union(b)
		require.True(t, a.Contains(i) && b.Contains(i))
		require.True(t, u.Contains(a) && u.Contains(b))
		require.Equal(t, a.Len()+b.Len(), u.Len()+i.Len())
		require.True(t, i.Equal(b.Intersect(a)))
		require.True(t, u.Equal(b.Union(a)))
		require.Equal(t, a.Contains(b), a.Union(b).Equal(a))
		// Order: the intersection is a's pairs filtered, in a's order.
		var want []Pair
		for f, m := range a.Pairs() {
			if b.Has(f, m) {
				want = append(want, Pair{f, m})
			}
		}
		require.Equal(t, want, i.AppendPairs(nil))
		// Removing every pair of b from the union leaves a minus b.
		for f, m := range b.Pairs() {
			u.Remove(f, m)
		}
		require.Equal(t, a.Len()-i.Len(), u.Len())
		for _, f := range u.Formats() {
			require.NotEmpty(t, u.Modifiers(f))
		}
	})
}

// realisticSets builds two 40-format by 20-modifier sets that overlap in
// half their formats and, within those, half their modifiers, shaped like
// a KMS plane's IN_FORMATS against a renderer's texture formats.
func realisticSets() (*Set, *Set) {
	a, b := &Set{}, &Set{}
	for i := range 40 {
		fa := fourcc.Format(0x30303030 + i)
		fb := fourcc.Format(0x30303030 + i + 20)
		for j := range 20 {
			a.Add(fa, modifier.Code(modifier.VendorAMD, uint64(j)))
			b.Add(fb, modifier.Code(modifier.VendorAMD, uint64(j+10)))
		}
	}
	return a, b
}

func BenchmarkIntersect(b *testing.B) {
	x, y := realisticSets()
	want := x.Intersect(y).Len()
	require.Equal(b, 20*10, want)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if x.Intersect(y).Len() != want {
			b.Fatal("wrong intersection")
		}
	}
}

func BenchmarkUnion(b *testing.B) {
	x, y := realisticSets()
	b.ReportAllocs()
	for b.Loop() {
		if x.Union(y).Len() != 800+800-200 {
			b.Fatal("wrong union")
		}
	}
}
