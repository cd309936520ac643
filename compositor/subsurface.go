package compositor

import (
	"github.com/headwaywl/headway/protocol/server"
	"github.com/headwaywl/headway/protocol/wayland"
)

type subcompositorGlobal struct{ c *Compositor }

func (g *subcompositorGlobal) bind(cl *server.Client, r *server.Resource) {
	g.c.bound(cl, r)
	r.SetHandler(wayland.WlSubcompositorDispatcher(g))
}

func (g *subcompositorGlobal) Destroy(r *server.Resource) error { return nil }

func (g *subcompositorGlobal) GetSubsurface(r *server.Resource, id *server.Resource, sr *server.Resource, pr *server.Resource) error {
	s, p := surfaceFrom(sr), surfaceFrom(pr)
	switch {
	case s.role != nil && (s.sub == nil || s.sub.res.Alive()):
		return server.Errorf(r, uint32(wayland.WlSubcompositorErrorBadSurface), "wl_surface@%d already has a role (%s)", sr.ID(), s.role.name())
	case s == p:
		return server.Errorf(r, uint32(wayland.WlSubcompositorErrorBadParent), "wl_surface@%d cannot be its own parent", sr.ID())
	case p.isDescendantOf(s):
		return server.Errorf(r, uint32(wayland.WlSubcompositorErrorBadParent), "wl_surface@%d is an ancestor of parent wl_surface@%d", sr.ID(), pr.ID())
	}
	sub := &subsurface{res: id, s: s, parent: p, sync: true}
	s.role, s.sub = sub, sub
	p.subOrder = append(p.subOrder, s)
	if p.pending.subOrderSet {
		p.pending.subOrder = append(p.pending.subOrder, s)
	}
	id.SetData(sub)
	id.SetHandler(wayland.WlSubsurfaceDispatcher(sub))
	id.SetDestructor(func(*server.Resource) {
		sub.unlink()
		s.sub = nil
		s.c.scene.changed()
		s.c.lockstepKick()
	})
	return nil
}

// subsurface is the wl_subsurface role.
type subsurface struct {
	res    *server.Resource
	s      *surface
	parent *surface
	x, y   int32
	sync   bool
}

func (sub *subsurface) name() string             { return "wl_subsurface" }
func (sub *subsurface) precommit(*surface) error { return nil }
func (sub *subsurface) commit(*surface)          {}

func (sub *subsurface) mapped(s *surface) bool {
	return sub.res.Alive() && sub.parent != nil && sub.parent.mapped()
}

// effectivelySync is the spec's rule: a subsurface is synchronized when it
// or any ancestor subsurface is.
func (sub *subsurface) effectivelySync() bool {
	for x := sub; x != nil; {
		if x.sync {
			return true
		}
		if x.parent == nil || x.parent.sub == nil {
			return false
		}
		x = x.parent.sub
	}
	return false
}

func (s *surface) isDescendantOf(a *surface) bool {
	for x := s; x != nil && x.sub != nil; x = x.sub.parent {
		if x.sub.parent == a {
			return true
		}
	}
	return false
}

// unlink takes the subsurface out of its parent's stacking lists.
func (sub *subsurface) unlink() {
	p := sub.parent
	if p == nil {
		return
	}
	p.subOrder = removeSurface(p.subOrder, sub.s)
	p.pending.subOrder = removeSurface(p.pending.subOrder, sub.s)
	p.cached.subOrder = removeSurface(p.cached.subOrder, sub.s)
	delete(p.subPos, sub.s)
	delete(p.pending.subPos, sub.s)
	delete(p.cached.subPos, sub.s)
	sub.parent = nil
}

func removeSurface(list []*surface, s *surface) []*surface {
	for i, x := range list {
		if x == s {
			return append(list[:i], list[i+1:]...)
		}
	}
	return list
}

func (sub *subsurface) Destroy(r *server.Resource) error { return nil }

func (sub *subsurface) SetPosition(r *server.Resource, x, y int32) error {
	if sub.parent == nil {
		return nil
	}
	p := &sub.parent.pending
	if p.subPos == nil {
		p.subPos = map[*surface][2]int32{}
	}
	p.subPos[sub.s] = [2]int32{x, y}
	return nil
}

func (sub *subsurface) place(r *server.Resource, sibling *server.Resource, above bool) error {
	p := sub.parent
	if p == nil {
		return nil
	}
	sib := surfaceFrom(sibling)
	if sib == nil || sib == sub.s || (sib != p && (sib.sub == nil || sib.sub.parent != p)) {
		id := uint32(0)
		if sibling != nil {
			id = sibling.ID()
		}
		return server.Errorf(r, uint32(wayland.WlSubsurfaceErrorBadSurface), "wl_surface@%d is not a parent or sibling of this subsurface", id)
	}
	st := &p.pending
	if !st.subOrderSet {
		st.subOrderSet = true
		st.subOrder = append(st.subOrder[:0], p.subOrder...)
	}
	order := removeSurface(st.subOrder, sub.s)
	for i, x := range order {
		if x == sib {
			at := i
			if above {
				at = i + 1
			}
			order = append(order, nil)
			copy(order[at+1:], order[at:])
			order[at] = sub.s
			break
		}
	}
	st.subOrder = order
	return nil
}

func (sub *subsurface) PlaceAbove(r *server.Resource, sibling *server.Resource) error {
	return sub.place(r, sibling, true)
}

func (sub *subsurface) PlaceBelow(r *server.Resource, sibling *server.Resource) error {
	return sub.place(r, sibling, false)
}

func (sub *subsurface) SetSync(r *server.Resource) error {
	sub.sync = true
	return nil
}

// SetDesync applies cached state at once when the subsurface becomes
// effectively desynchronized, as the spec asks.
func (sub *subsurface) SetDesync(r *server.Resource) error {
	sub.sync = false
	if !sub.effectivelySync() && sub.s.cached.committed {
		sub.s.apply(&sub.s.cached)
	}
	return nil
}
