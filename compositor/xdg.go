package compositor

import (
	"github.com/headwaywl/headway/protocol/server"
	"github.com/headwaywl/headway/protocol/xdgshell"
)

// xdg_wm_base and its objects, following xdg-shell v6 and the checks
// wlroots' types/xdg_shell makes (error codes are the XML's).

type xdgWmBase struct {
	c        *Compositor
	res      *server.Resource
	surfaces map[*xdgSurface]bool
}

func (g *xdgWmBase) bind(cl *server.Client, r *server.Resource) {
	g.c.bound(cl, r)
	wm := &xdgWmBase{c: g.c, res: r, surfaces: map[*xdgSurface]bool{}}
	r.SetData(wm)
	r.SetHandler(xdgshell.XdgWmBaseDispatcher(wm))
}

func (wm *xdgWmBase) Destroy(r *server.Resource) error {
	for xs := range wm.surfaces {
		if xs.res.Alive() {
			return server.Errorf(r, uint32(xdgshell.XdgWmBaseErrorDefunctSurfaces), "xdg_wm_base destroyed while xdg_surface@%d still exists", xs.res.ID())
		}
	}
	return nil
}

func (wm *xdgWmBase) CreatePositioner(r *server.Resource, id *server.Resource) error {
	p := &positioner{}
	id.SetData(p)
	id.SetHandler(xdgshell.XdgPositionerDispatcher(p))
	return nil
}

func (wm *xdgWmBase) GetXdgSurface(r *server.Resource, id *server.Resource, sr *server.Resource) error {
	s := surfaceFrom(sr)
	if s.role != nil {
		return server.Errorf(r, uint32(xdgshell.XdgWmBaseErrorRole), "wl_surface@%d already has the %s role", sr.ID(), s.role.name())
	}
	if s.buf != nil || (s.pending.attached && s.pending.buffer != nil) {
		return server.Errorf(r, uint32(xdgshell.XdgWmBaseErrorInvalidSurfaceState), "wl_surface@%d has a buffer attached or committed", sr.ID())
	}
	xs := &xdgSurface{wm: wm, res: id, s: s}
	s.role = xs
	wm.surfaces[xs] = true
	id.SetData(xs)
	id.SetHandler(xdgshell.XdgSurfaceDispatcher(xs))
	id.SetDestructor(func(*server.Resource) {
		delete(wm.surfaces, xs)
		xs.dead = true
		wm.c.scene.changed()
		wm.c.lockstepKick()
	})
	return nil
}

func (wm *xdgWmBase) Pong(r *server.Resource, serial uint32) error { return nil }

// positioner is an xdg_positioner.
type positioner struct {
	w, h                  int32
	ax, ay, aw, ah        int32
	anchorSet             bool
	anchor, gravity       uint32
	constraint            uint32
	offX, offY            int32
	reactive              bool
	parentW, parentH      int32
	parentConfigureSerial uint32
}

func (p *positioner) complete() bool { return p.w > 0 && p.h > 0 && p.anchorSet }

func (p *positioner) Destroy(r *server.Resource) error { return nil }

func (p *positioner) SetSize(r *server.Resource, w, h int32) error {
	if w <= 0 || h <= 0 {
		return server.Errorf(r, uint32(xdgshell.XdgPositionerErrorInvalidInput), "size %dx%d must be positive", w, h)
	}
	p.w, p.h = w, h
	return nil
}

func (p *positioner) SetAnchorRect(r *server.Resource, x, y, w, h int32) error {
	if w < 0 || h < 0 {
		return server.Errorf(r, uint32(xdgshell.XdgPositionerErrorInvalidInput), "anchor rectangle size %dx%d is negative", w, h)
	}
	p.ax, p.ay, p.aw, p.ah, p.anchorSet = x, y, w, h, true
	return nil
}

func (p *positioner) SetAnchor(r *server.Resource, a uint32) error {
	if a > uint32(xdgshell.XdgPositionerAnchorBottomRight) {
		return server.Errorf(r, uint32(xdgshell.XdgPositionerErrorInvalidInput), "invalid anchor %d", a)
	}
	p.anchor = a
	return nil
}

func (p *positioner) SetGravity(r *server.Resource, g uint32) error {
	if g > uint32(xdgshell.XdgPositionerGravityBottomRight) {
		return server.Errorf(r, uint32(xdgshell.XdgPositionerErrorInvalidInput), "invalid gravity %d", g)
	}
	p.gravity = g
	return nil
}

func (p *positioner) SetConstraintAdjustment(r *server.Resource, c uint32) error {
	p.constraint = c
	return nil
}

func (p *positioner) SetOffset(r *server.Resource, x, y int32) error {
	p.offX, p.offY = x, y
	return nil
}
func (p *positioner) SetReactive(r *server.Resource) error { p.reactive = true; return nil }
func (p *positioner) SetParentSize(r *server.Resource, w, h int32) error {
	p.parentW, p.parentH = w, h
	return nil
}
func (p *positioner) SetParentConfigure(r *server.Resource, serial uint32) error {
	p.parentConfigureSerial = serial
	return nil
}

// place returns the popup's rectangle relative to the parent's window
// geometry. headway's output has no constraints worth adjusting for in
// tests, so constraint adjustment is not applied (the result is what an
// unconstrained compositor computes).
func (p *positioner) place() (x, y, w, h int32) {
	ax, ay := p.ax+p.aw/2, p.ay+p.ah/2
	a := xdgshell.XdgPositionerAnchor(p.anchor)
	switch a {
	case xdgshell.XdgPositionerAnchorLeft, xdgshell.XdgPositionerAnchorTopLeft, xdgshell.XdgPositionerAnchorBottomLeft:
		ax = p.ax
	case xdgshell.XdgPositionerAnchorRight, xdgshell.XdgPositionerAnchorTopRight, xdgshell.XdgPositionerAnchorBottomRight:
		ax = p.ax + p.aw
	}
	switch a {
	case xdgshell.XdgPositionerAnchorTop, xdgshell.XdgPositionerAnchorTopLeft, xdgshell.XdgPositionerAnchorTopRight:
		ay = p.ay
	case xdgshell.XdgPositionerAnchorBottom, xdgshell.XdgPositionerAnchorBottomLeft, xdgshell.XdgPositionerAnchorBottomRight:
		ay = p.ay + p.ah
	}
	x, y = ax-p.w/2, ay-p.h/2
	g := xdgshell.XdgPositionerGravity(p.gravity)
	switch g {
	case xdgshell.XdgPositionerGravityLeft, xdgshell.XdgPositionerGravityTopLeft, xdgshell.XdgPositionerGravityBottomLeft:
		x = ax - p.w
	case xdgshell.XdgPositionerGravityRight, xdgshell.XdgPositionerGravityTopRight, xdgshell.XdgPositionerGravityBottomRight:
		x = ax
	}
	switch g {
	case xdgshell.XdgPositionerGravityTop, xdgshell.XdgPositionerGravityTopLeft, xdgshell.XdgPositionerGravityTopRight:
		y = ay - p.h
	case xdgshell.XdgPositionerGravityBottom, xdgshell.XdgPositionerGravityBottomLeft, xdgshell.XdgPositionerGravityBottomRight:
		y = ay
	}
	return x + p.offX, y + p.offY, p.w, p.h
}

// awaitingFirstBuffer says the surface was configured as a toplevel or
// popup and has not shown a buffer yet: the client owes a commit.
func (s *surface) awaitingFirstBuffer() bool {
	xs, ok := s.role.(*xdgSurface)
	// A first buffer held for its acquire point has been committed: the
	// point's signal, not the client, makes the next frame due.
	if !ok || xs.dead || !xs.initial || s.buf != nil || len(s.held) > 0 {
		return false
	}
	return (xs.toplevel != nil && xs.toplevel.res.Alive()) || (xs.popup != nil && xs.popup.res.Alive())
}

// xdgSurface is the xdg_surface role object; toplevel or popup hang off it.
type xdgSurface struct {
	wm   *xdgWmBase
	res  *server.Resource
	s    *surface
	dead bool

	toplevel *xdgToplevel
	popup    *xdgPopup
	children []*xdgPopup

	sent       []uint32 // configure serials sent, not yet acked
	configured bool     // a configure was acked
	initial    bool     // the initial configure was sent

	geomSet            bool
	gx, gy, gw, gh     int32
	pgSet              bool
	pgx, pgy, pgw, pgh int32
}

func (xs *xdgSurface) name() string { return "xdg_surface" }

func (xs *xdgSurface) precommit(s *surface) error {
	if xs.dead {
		return nil
	}
	if xs.toplevel == nil && xs.popup == nil {
		return server.Errorf(xs.res, uint32(xdgshell.XdgSurfaceErrorNotConstructed), "xdg_surface@%d committed before it got a toplevel or popup role", xs.res.ID())
	}
	hasBuffer := s.pending.attached && s.pending.buffer != nil
	if hasBuffer && !xs.configured {
		return server.Errorf(xs.res, uint32(xdgshell.XdgSurfaceErrorUnconfiguredBuffer), "xdg_surface@%d has a buffer attached before its first configure was acked", xs.res.ID())
	}
	if t := xs.toplevel; t != nil {
		minW, minH, maxW, maxH := t.pending[0], t.pending[1], t.pending[2], t.pending[3]
		if (maxW > 0 && minW > maxW) || (maxH > 0 && minH > maxH) {
			return server.Errorf(t.res, uint32(xdgshell.XdgToplevelErrorInvalidSize), "minimum size %dx%d exceeds maximum size %dx%d", minW, minH, maxW, maxH)
		}
	}
	return nil
}

func (xs *xdgSurface) commit(s *surface) {
	if xs.dead {
		return
	}
	if xs.pgSet {
		xs.geomSet, xs.gx, xs.gy, xs.gw, xs.gh = true, xs.pgx, xs.pgy, xs.pgw, xs.pgh
		xs.pgSet = false
		xs.wm.c.scene.changed()
	}
	if !xs.initial && (xs.toplevel != nil || xs.popup != nil) {
		xs.initial = true
		xs.configure()
	}
	if s.buf == nil && xs.configured && xs.initial {
		// Unmapping resets the surface to its initial state: the next
		// commit gets a fresh configure (xdg-shell's unmap rule).
		if xs.toplevel != nil && xs.toplevel.mappedOnce {
			xs.configured, xs.initial, xs.toplevel.mappedOnce = false, false, false
		}
	}
	if xs.toplevel != nil && s.buf != nil {
		xs.toplevel.mappedOnce = true
	}
}

func (xs *xdgSurface) mapped(s *surface) bool {
	if xs.dead || !xs.configured {
		return false
	}
	if xs.toplevel != nil {
		return xs.toplevel.res.Alive()
	}
	if xs.popup != nil {
		return xs.popup.res.Alive() && !xs.popup.dismissed && xs.popup.parent != nil && xs.popup.parent.s.mapped()
	}
	return false
}

// configure sends the role's configure then xdg_surface.configure.
func (xs *xdgSurface) configure() {
	cd := xs.s.owner
	serial := cd.nextSerial()
	switch {
	case xs.toplevel != nil:
		t := xs.toplevel
		if t.res.Version() >= 4 {
			m := &xs.wm.c.out.mode
			_ = xdgshell.XdgToplevelSendConfigureBounds(t.res, int32(m.HDisplay), int32(m.VDisplay))
		}
		if t.res.Version() >= 5 && !t.capsSent {
			t.capsSent = true
			_ = xdgshell.XdgToplevelSendWmCapabilities(t.res, nil)
		}
		states := []byte{byte(xdgshell.XdgToplevelStateActivated), 0, 0, 0}
		_ = xdgshell.XdgToplevelSendConfigure(t.res, 0, 0, states)
	case xs.popup != nil:
		p := xs.popup
		x, y, w, h := p.pos.place()
		p.x, p.y = x, y
		_ = xdgshell.XdgPopupSendConfigure(p.res, x, y, w, h)
	}
	xs.sent = append(xs.sent, serial)
	_ = xdgshell.XdgSurfaceSendConfigure(xs.res, serial)
}

func (xs *xdgSurface) Destroy(r *server.Resource) error {
	if (xs.toplevel != nil && xs.toplevel.res.Alive()) || (xs.popup != nil && xs.popup.res.Alive()) {
		return server.Errorf(r, uint32(xdgshell.XdgSurfaceErrorDefunctRoleObject), "xdg_surface@%d destroyed before its role object", r.ID())
	}
	return nil
}

func (xs *xdgSurface) GetToplevel(r *server.Resource, id *server.Resource) error {
	if xs.toplevel != nil || xs.popup != nil {
		return server.Errorf(r, uint32(xdgshell.XdgSurfaceErrorAlreadyConstructed), "xdg_surface@%d already has a role object", r.ID())
	}
	c := xs.wm.c
	t := &xdgToplevel{xs: xs, res: id}
	xs.toplevel = t
	id.SetData(t)
	id.SetHandler(xdgshell.XdgToplevelDispatcher(t))
	id.SetDestructor(func(*server.Resource) {
		c.scene.removeToplevel(xs.s)
		c.lockstepKick()
	})
	c.scene.addToplevel(xs.s)
	return nil
}

func (xs *xdgSurface) GetPopup(r *server.Resource, id *server.Resource, parent *server.Resource, pr *server.Resource) error {
	if xs.toplevel != nil || xs.popup != nil {
		return server.Errorf(r, uint32(xdgshell.XdgSurfaceErrorAlreadyConstructed), "xdg_surface@%d already has a role object", r.ID())
	}
	pos := pr.Data().(*positioner)
	if !pos.complete() {
		return server.Errorf(xs.wm.res, uint32(xdgshell.XdgWmBaseErrorInvalidPositioner), "xdg_positioner@%d is incomplete (size and anchor rectangle are required)", pr.ID())
	}
	var px *xdgSurface
	if parent != nil {
		px = parent.Data().(*xdgSurface)
	}
	if px == nil {
		// headway has no other protocol to give a parentless popup one.
		return server.Errorf(xs.wm.res, uint32(xdgshell.XdgWmBaseErrorInvalidPopupParent), "popup without a parent is not supported")
	}
	c := xs.wm.c
	p := &xdgPopup{xs: xs, res: id, parent: px, pos: *pos}
	xs.popup = p
	px.children = append(px.children, p)
	id.SetData(p)
	id.SetHandler(xdgshell.XdgPopupDispatcher(p))
	id.SetDestructor(func(*server.Resource) {
		if p.parent != nil {
			p.parent.children = removePopup(p.parent.children, p)
		}
		c.scene.changed()
		c.lockstepKick()
	})
	return nil
}

func (xs *xdgSurface) SetWindowGeometry(r *server.Resource, x, y, w, h int32) error {
	if xs.toplevel == nil && xs.popup == nil {
		return server.Errorf(r, uint32(xdgshell.XdgSurfaceErrorNotConstructed), "set_window_geometry before the surface has a role object")
	}
	if w <= 0 || h <= 0 {
		return server.Errorf(r, uint32(xdgshell.XdgSurfaceErrorInvalidSize), "window geometry %dx%d must be positive", w, h)
	}
	xs.pgSet, xs.pgx, xs.pgy, xs.pgw, xs.pgh = true, x, y, w, h
	return nil
}

func (xs *xdgSurface) AckConfigure(r *server.Resource, serial uint32) error {
	if xs.toplevel == nil && xs.popup == nil {
		return server.Errorf(r, uint32(xdgshell.XdgSurfaceErrorNotConstructed), "ack_configure before the surface has a role object")
	}
	for i, s := range xs.sent {
		if s == serial {
			xs.sent = xs.sent[i+1:]
			xs.configured = true
			return nil
		}
	}
	return server.Errorf(r, uint32(xdgshell.XdgSurfaceErrorInvalidSerial), "wrong configure serial: %d", serial)
}

// geometry is the window geometry, or the surface size when unset.
func (xs *xdgSurface) geometry() (x, y, w, h int32) {
	if xs.geomSet {
		return xs.gx, xs.gy, xs.gw, xs.gh
	}
	return 0, 0, xs.s.width, xs.s.height
}

type xdgToplevel struct {
	xs         *xdgSurface
	res        *server.Resource
	parent     *xdgToplevel
	pending    [4]int32 // min w, h, max w, h
	capsSent   bool
	mappedOnce bool
	title      string
	appID      string
}

func (t *xdgToplevel) Destroy(r *server.Resource) error { return nil }

func (t *xdgToplevel) SetParent(r *server.Resource, pr *server.Resource) error {
	if pr == nil {
		t.parent = nil
		return nil
	}
	p := pr.Data().(*xdgToplevel)
	for x := p; x != nil; x = x.parent {
		if x == t {
			return server.Errorf(r, uint32(xdgshell.XdgToplevelErrorInvalidParent), "xdg_toplevel@%d cannot be a parent of itself or its ancestors", pr.ID())
		}
	}
	t.parent = p
	return nil
}

func (t *xdgToplevel) SetTitle(r *server.Resource, s string) error { t.title = s; return nil }
func (t *xdgToplevel) SetAppId(r *server.Resource, s string) error { t.appID = s; return nil }
func (t *xdgToplevel) ShowWindowMenu(r *server.Resource, seat *server.Resource, serial uint32, x, y int32) error {
	return nil
}
func (t *xdgToplevel) Move(r *server.Resource, seat *server.Resource, serial uint32) error {
	return nil
}

func (t *xdgToplevel) Resize(r *server.Resource, seat *server.Resource, serial uint32, edges uint32) error {
	switch edges {
	case 0, 1, 2, 4, 5, 6, 8, 9, 10:
	default:
		return server.Errorf(r, uint32(xdgshell.XdgToplevelErrorInvalidResizeEdge), "invalid resize edge %d", edges)
	}
	return nil
}

func (t *xdgToplevel) SetMaxSize(r *server.Resource, w, h int32) error {
	if w < 0 || h < 0 {
		return server.Errorf(r, uint32(xdgshell.XdgToplevelErrorInvalidSize), "maximum size %dx%d is negative", w, h)
	}
	t.pending[2], t.pending[3] = w, h
	return nil
}

func (t *xdgToplevel) SetMinSize(r *server.Resource, w, h int32) error {
	if w < 0 || h < 0 {
		return server.Errorf(r, uint32(xdgshell.XdgToplevelErrorInvalidSize), "minimum size %dx%d is negative", w, h)
	}
	t.pending[0], t.pending[1] = w, h
	return nil
}

// The window-management requests are answered with a configure that
// keeps the state: a headless output has nothing to maximize into that
// tests would want.
func (t *xdgToplevel) SetMaximized(r *server.Resource) error   { return t.reconfigure() }
func (t *xdgToplevel) UnsetMaximized(r *server.Resource) error { return t.reconfigure() }
func (t *xdgToplevel) SetFullscreen(r *server.Resource, o *server.Resource) error {
	return t.reconfigure()
}
func (t *xdgToplevel) UnsetFullscreen(r *server.Resource) error { return t.reconfigure() }
func (t *xdgToplevel) SetMinimized(r *server.Resource) error    { return nil }

func (t *xdgToplevel) reconfigure() error {
	if t.xs.initial {
		t.xs.configure()
	}
	return nil
}

type xdgPopup struct {
	xs        *xdgSurface
	res       *server.Resource
	parent    *xdgSurface
	pos       positioner
	x, y      int32
	grabbed   bool
	dismissed bool
}

func removePopup(list []*xdgPopup, p *xdgPopup) []*xdgPopup {
	for i, x := range list {
		if x == p {
			return append(list[:i], list[i+1:]...)
		}
	}
	return list
}

func (p *xdgPopup) Destroy(r *server.Resource) error {
	if p.parent != nil {
		for _, ch := range p.xs.children {
			if ch.res.Alive() && !ch.dismissed {
				return server.Errorf(p.xs.wm.res, uint32(xdgshell.XdgWmBaseErrorNotTheTopmostPopup), "xdg_popup@%d destroyed while it has a child popup", r.ID())
			}
		}
	}
	return nil
}

func (p *xdgPopup) Grab(r *server.Resource, seat *server.Resource, serial uint32) error {
	if p.xs.initial {
		return server.Errorf(r, uint32(xdgshell.XdgPopupErrorInvalidGrab), "xdg_popup@%d grab after the popup was committed", r.ID())
	}
	p.grabbed = true
	return nil
}

func (p *xdgPopup) Reposition(r *server.Resource, pr *server.Resource, token uint32) error {
	pos := pr.Data().(*positioner)
	if !pos.complete() {
		return server.Errorf(p.xs.wm.res, uint32(xdgshell.XdgWmBaseErrorInvalidPositioner), "xdg_positioner@%d is incomplete", pr.ID())
	}
	p.pos = *pos
	if p.res.Version() >= 3 {
		_ = xdgshell.XdgPopupSendRepositioned(p.res, token)
	}
	p.xs.configure()
	return nil
}
