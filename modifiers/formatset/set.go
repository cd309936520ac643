package formatset

import (
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

// Pair is one format+modifier combination: the unit that linux-dmabuf
// advertises and that a format table entry holds.
type Pair struct {
	Format   fourcc.Format
	Modifier modifier.Modifier
}

// Set is an ordered set of format+modifier pairs. Order is preference:
// formats in the order first added, and within a format its modifiers in
// the order first added. The zero value is an empty set ready for use;
// a nil *Set reads as empty. Copying a Set value aliases its storage, so
// use Clone to get an independent copy.
type Set struct {
	formats []fourcc.Format
	mods    map[fourcc.Format][]modifier.Modifier
	members map[Pair]struct{}
}

// New returns a set holding the given pairs in order.
func New(pairs ...Pair) *Set {
	s := &Set{}
	for _, p := range pairs {
		s.Add(p.Format, p.Modifier)
	}
	return s
}

func (s *Set) init(formats, pairs int) {
	if s.members == nil {
		s.members = make(map[Pair]struct{}, pairs)
		s.mods = make(map[fourcc.Format][]modifier.Modifier, formats)
	}
}

// Add appends the modifiers of format f that are not yet members, keeping
// their order. Adding a format with no modifiers does nothing: since
// wlroots' "Require INVALID for implicit format modifiers" (affe9eda5) an
// empty modifier list no longer means "implicit", so callers must say
// modifier.Invalid explicitly, and a format never sits in a set without
// a modifier.
func (s *Set) Add(f fourcc.Format, mods ...modifier.Modifier) {
	if len(mods) == 0 {
		return
	}
	s.init(0, 0)
	for _, m := range mods {
		p := Pair{f, m}
		if _, ok := s.members[p]; ok {
			continue
		}
		s.members[p] = struct{}{}
		list, ok := s.mods[f]
		if !ok {
			s.formats = append(s.formats, f)
		}
		s.mods[f] = append(list, m)
	}
}

// AddSet adds every pair of o, in o's order.
func (s *Set) AddSet(o *Set) {
	if o.Len() == 0 {
		return
	}
	s.init(len(o.formats), len(o.members))
	for _, f := range o.formats {
		s.Add(f, o.mods[f]...)
	}
}

// Has reports whether the exact pair (f, m) is a member. modifier.Invalid
// matches only itself.
func (s *Set) Has(f fourcc.Format, m modifier.Modifier) bool {
	if s == nil {
		return false
	}
	_, ok := s.members[Pair{f, m}]
	return ok
}

// HasFormat reports whether f has at least one modifier in the set.
func (s *Set) HasFormat(f fourcc.Format) bool {
	if s == nil {
		return false
	}
	return len(s.mods[f]) > 0
}

// Formats returns the formats in preference order. The slice is a copy.
func (s *Set) Formats() []fourcc.Format {
	if s == nil {
		return nil
	}
	return slices.Clone(s.formats)
}

// Modifiers returns f's modifiers in preference order, nil when f is not a
// member. The slice is a copy.
func (s *Set) Modifiers(f fourcc.Format) []modifier.Modifier {
	if s == nil {
		return nil
	}
	return slices.Clone(s.mods[f])
}

// Len returns the number of pairs.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	return len(s.members)
}

// Pairs yields every pair in preference order: formats in order, each
// format's modifiers in order. The set must not be modified while ranging.
func (s *Set) Pairs() iter.Seq2[fourcc.Format, modifier.Modifier] {
	return func(yield func(fourcc.Format, modifier.Modifier) bool) {
		if s == nil {
			return
		}
		for _, f := range s.formats {
			for _, m := range s.mods[f] {
				if !yield(f, m) {
					return
				}
			}
		}
	}
}

// AppendPairs appends every pair in preference order to dst.
func (s *Set) AppendPairs(dst []Pair) []Pair {
	for f, m := range s.Pairs() {
		dst = append(dst, Pair{f, m})
	}
	return dst
}

// Remove deletes the pair (f, m) and reports whether it was a member. A
// format left without modifiers leaves the set, so HasFormat and Formats
// never report a format that nothing can be allocated with.
func (s *Set) Remove(f fourcc.Format, m modifier.Modifier) bool {
	if !s.Has(f, m) {
		return false
	}
	delete(s.members, Pair{f, m})
	list := s.mods[f]
	i := slices.Index(list, m)
	// Copy rather than shift in place: Clone and Intersect may share
	// backing arrays with bounded capacity, and a fresh slice keeps
	// this set's edits invisible to any other set.
	list = slices.Concat(list[:i], list[i+1:])
	if len(list) == 0 {
		delete(s.mods, f)
		s.formats = slices.DeleteFunc(s.formats, func(g fourcc.Format) bool { return g == f })
		return true
	}
	s.mods[f] = list
	return true
}

// RemoveFormat deletes f with all its modifiers and reports whether f was
// a member.
func (s *Set) RemoveFormat(f fourcc.Format) bool {
	if !s.HasFormat(f) {
		return false
	}
	for _, m := range s.mods[f] {
		delete(s.members, Pair{f, m})
	}
	delete(s.mods, f)
	s.formats = slices.DeleteFunc(s.formats, func(g fourcc.Format) bool { return g == f })
	return true
}

// Clone returns an independent copy with the same order.
func (s *Set) Clone() *Set {
	c := &Set{}
	if s.Len() == 0 {
		return c
	}
	c.init(len(s.formats), len(s.members))
	c.formats = slices.Clone(s.formats)
	// One backing array for all modifier lists; each list's capacity is
	// clipped to its length so a later append reallocates instead of
	// overwriting the next format's modifiers.
	backing := make([]modifier.Modifier, 0, len(s.members))
	for _, f := range s.formats {
		start := len(backing)
		backing = append(backing, s.mods[f]...)
		c.mods[f] = backing[start:len(backing):len(backing)]
	}
	for p := range s.members {
		c.members[p] = struct{}{}
	}
	return c
}

// Union returns a new set with every pair of s and o. Preference order is
// s's order first, then o's new formats and modifiers in o's order: the
// receiver is taken to be the more authoritative list, as the additive
// merge in wlroots' render/drm_format_set.c (wlr_drm_format_set_union)
// keeps its first argument's order.
func (s *Set) Union(o *Set) *Set {
	if o.Len() == 0 {
		return s.Clone()
	}
	if s.Len() == 0 {
		return o.Clone()
	}
	// Build in one pass over packed storage rather than by repeated Add,
	// which would regrow each modifier list once per new member.
	n := s.Len() + o.Len()
	u := &Set{}
	u.init(len(s.formats)+len(o.formats), n)
	u.formats = make([]fourcc.Format, 0, len(s.formats)+len(o.formats))
	backing := make([]modifier.Modifier, 0, n)
	appendFormat := func(f fourcc.Format, lists ...[]modifier.Modifier) {
		start := len(backing)
		for _, list := range lists {
			for _, m := range list {
				p := Pair{f, m}
				if _, dup := u.members[p]; dup {
					continue
				}
				u.members[p] = struct{}{}
				backing = append(backing, m)
			}
		}
		u.formats = append(u.formats, f)
		u.mods[f] = backing[start:len(backing):len(backing)]
	}
	for _, f := range s.formats {
		appendFormat(f, s.mods[f], o.mods[f])
	}
	for _, f := range o.formats {
		if !s.HasFormat(f) {
			appendFormat(f, o.mods[f])
		}
	}
	return u
}

// Intersect returns a new set with the pairs that are members of both s and
// o, in s's order. The match is exact: modifier.Invalid is an ordinary
// member that meets only Invalid, never an explicit modifier, as in
// wlroots' wlr_drm_format_set_intersect (after commit 98f2efde9 dropped the
// LINEAR/INVALID special case) and weston's
// weston_drm_format_array_intersect. Formats whose modifiers do not meet
// are dropped. An empty result is not an error here; callers that need a
// non-empty intersection (wlroots fails the scanout tranche) check Len.
func (s *Set) Intersect(o *Set) *Set {
	r := &Set{}
	if s.Len() == 0 || o.Len() == 0 {
		return r
	}
	// Size for the smaller operand: the intersection can be no larger,
	// and one allocation per backing store keeps this cheap per pair.
	n := min(s.Len(), o.Len())
	r.init(len(s.formats), n)
	r.formats = make([]fourcc.Format, 0, min(len(s.formats), len(o.formats)))
	backing := make([]modifier.Modifier, 0, n)
	for _, f := range s.formats {
		if !o.HasFormat(f) {
			continue
		}
		start := len(backing)
		for _, m := range s.mods[f] {
			if o.Has(f, m) {
				backing = append(backing, m)
				r.members[Pair{f, m}] = struct{}{}
			}
		}
		if len(backing) > start {
			r.formats = append(r.formats, f)
			r.mods[f] = backing[start:len(backing):len(backing)]
		}
	}
	return r
}

// Contains reports whether every pair of o is a member of s (s ⊇ o). Every
// set contains the empty set.
func (s *Set) Contains(o *Set) bool {
	if o.Len() > s.Len() {
		return false
	}
	if o == nil {
		return true
	}
	for p := range o.members {
		if !s.Has(p.Format, p.Modifier) {
			return false
		}
	}
	return true
}

// Equal reports whether s and o hold the same pairs, whatever their order.
func (s *Set) Equal(o *Set) bool {
	return s.Len() == o.Len() && s.Contains(o)
}

// EqualOrdered reports whether s and o hold the same pairs in the same
// preference order. linux-dmabuf asks compositors not to re-send identical
// feedback, and a reordered set is a different preference, so feedback
// comparisons need this stricter test.
func (s *Set) EqualOrdered(o *Set) bool {
	if s.Len() != o.Len() {
		return false
	}
	if s.Len() == 0 {
		return true
	}
	if !slices.Equal(s.formats, o.formats) {
		return false
	}
	for _, f := range s.formats {
		if !slices.Equal(s.mods[f], o.mods[f]) {
			return false
		}
	}
	return true
}

// String renders the set in order for logs and test failures, formats and
// modifiers in hex, e.g. "{0x34325258:[0x0 0xffffffffffffff]}".
func (s *Set) String() string {
	var b strings.Builder
	b.WriteByte('{')
	if s != nil {
		for i, f := range s.formats {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%#08x:[", uint32(f))
			for j, m := range s.mods[f] {
				if j > 0 {
					b.WriteByte(' ')
				}
				fmt.Fprintf(&b, "%#x", uint64(m))
			}
			b.WriteByte(']')
		}
	}
	b.WriteByte('}')
	return b.String()
}
