package compositor

import (
	"github.com/headwaywl/headway/compositor/keymap"
	"github.com/headwaywl/headway/protocol/server"
	"github.com/headwaywl/headway/protocol/wayland"
	"github.com/headwaywl/headway/protocol/wire"
)

// seat is the one headless wl_seat: a pointer and a keyboard that only
// headway_test_v1 moves and presses. Focus follows the pointer for the
// pointer and the top-most toplevel for the keyboard, so injected input
// reaches a predictable client.
type seat struct {
	c       *Compositor
	px, py  wire.Fixed // pointer position, output coordinates
	pFocus  *surface
	kFocus  *surface
	buttons map[uint32]bool
	keys    map[uint32]bool
	timeMs  uint32
}

func newSeat(c *Compositor) *seat {
	return &seat{c: c, buttons: map[uint32]bool{}, keys: map[uint32]bool{}}
}

const seatCapabilities = uint32(wayland.WlSeatCapabilityPointer | wayland.WlSeatCapabilityKeyboard)

func (st *seat) bind(cl *server.Client, r *server.Resource) {
	st.c.bound(cl, r)
	r.SetHandler(wayland.WlSeatDispatcher(st))
	_ = wayland.WlSeatSendCapabilities(r, seatCapabilities)
	if r.Version() >= 2 {
		_ = wayland.WlSeatSendName(r, "seat0")
	}
}

func (st *seat) GetPointer(r *server.Resource, id *server.Resource) error {
	cd := st.c.clientFor(r.Client())
	cd.pointers = append(cd.pointers, id)
	id.SetHandler(wayland.WlPointerDispatcher(&pointerObj{st: st, cd: cd}))
	id.SetDestructor(func(id *server.Resource) { cd.pointers = removeRes(cd.pointers, id) })
	if st.pFocus != nil && st.pFocus.owner == cd {
		sx, sy := st.surfaceLocal(st.pFocus)
		_ = wayland.WlPointerSendEnter(id, cd.nextSerial(), st.pFocus.res, sx, sy)
		if id.Version() >= 5 {
			_ = wayland.WlPointerSendFrame(id)
		}
	}
	return nil
}

func (st *seat) GetKeyboard(r *server.Resource, id *server.Resource) error {
	cd := st.c.clientFor(r.Client())
	cd.keyboards = append(cd.keyboards, id)
	id.SetHandler(wayland.WlKeyboardDispatcher(keyboardObj{}))
	id.SetDestructor(func(id *server.Resource) { cd.keyboards = removeRes(cd.keyboards, id) })
	fd, size, err := keymap.NewFD()
	if err != nil {
		return err
	}
	_ = wayland.WlKeyboardSendKeymap(id, uint32(wayland.WlKeyboardKeymapFormatXkbV1), fd, size)
	closeFD(fd)
	if id.Version() >= 4 {
		// weston's defaults: 40 per second after 400 ms.
		_ = wayland.WlKeyboardSendRepeatInfo(id, 40, 400)
	}
	if st.kFocus != nil && st.kFocus.owner == cd {
		st.keyboardEnter(id, st.kFocus)
	}
	return nil
}

func (st *seat) GetTouch(r *server.Resource, id *server.Resource) error {
	return server.Errorf(r, uint32(wayland.WlSeatErrorMissingCapability), "wl_seat@%d has no touch capability", r.ID())
}

func (st *seat) Release(r *server.Resource) error { return nil }

func removeRes(list []*server.Resource, r *server.Resource) []*server.Resource {
	for i, x := range list {
		if x == r {
			return append(list[:i], list[i+1:]...)
		}
	}
	return list
}

type keyboardObj struct{}

func (keyboardObj) Release(r *server.Resource) error { return nil }

type pointerObj struct {
	st *seat
	cd *clientData
}

func (p *pointerObj) Release(r *server.Resource) error { return nil }

// SetCursor gives the surface the cursor role; the cursor is drawn at the
// pointer while this client has pointer focus.
func (p *pointerObj) SetCursor(r *server.Resource, serial uint32, sr *server.Resource, hx, hy int32) error {
	if sr == nil {
		p.cd.cursor = nil
		p.st.c.scene.changed()
		return nil
	}
	s := surfaceFrom(sr)
	if s.role != nil {
		if _, ok := s.role.(*cursorRole); !ok {
			return server.Errorf(r, uint32(wayland.WlPointerErrorRole), "wl_surface@%d already has the %s role", sr.ID(), s.role.name())
		}
	} else {
		s.role = &cursorRole{}
	}
	cr := s.role.(*cursorRole)
	cr.hx, cr.hy = hx, hy
	p.cd.cursor = s
	p.st.c.scene.changed()
	return nil
}

// cursorRole is a wl_pointer cursor image.
type cursorRole struct{ hx, hy int32 }

func (cursorRole) name() string              { return "wl_pointer cursor" }
func (*cursorRole) precommit(*surface) error { return nil }
func (*cursorRole) commit(*surface)          {}
func (*cursorRole) mapped(s *surface) bool   { return s.owner.cursor == s }

// surfaceLocal is the pointer position relative to s.
func (st *seat) surfaceLocal(s *surface) (wire.Fixed, wire.Fixed) {
	x, y := st.c.scene.surfacePos(s)
	return st.px - wire.Fixed(x*256), st.py - wire.Fixed(y*256)
}

// updateFocus recomputes pointer and keyboard focus after the scene or
// the pointer changed.
func (st *seat) updateFocus() {
	under := st.c.scene.surfaceAt(int32(st.px>>8), int32(st.py>>8))
	if under != st.pFocus {
		if old := st.pFocus; old != nil && !old.destroyed {
			for _, p := range old.owner.pointers {
				_ = wayland.WlPointerSendLeave(p, old.owner.nextSerial(), old.res)
				if p.Version() >= 5 {
					_ = wayland.WlPointerSendFrame(p)
				}
			}
		}
		st.pFocus = under
		if under != nil {
			sx, sy := st.surfaceLocal(under)
			for _, p := range under.owner.pointers {
				_ = wayland.WlPointerSendEnter(p, under.owner.nextSerial(), under.res, sx, sy)
				if p.Version() >= 5 {
					_ = wayland.WlPointerSendFrame(p)
				}
			}
		}
	}
	top := st.c.scene.topToplevel()
	if top != st.kFocus {
		if old := st.kFocus; old != nil && !old.destroyed {
			for _, k := range old.owner.keyboards {
				_ = wayland.WlKeyboardSendLeave(k, old.owner.nextSerial(), old.res)
			}
		}
		st.kFocus = top
		if top != nil {
			for _, k := range top.owner.keyboards {
				st.keyboardEnter(k, top)
			}
		}
	}
}

func (st *seat) keyboardEnter(k *server.Resource, s *surface) {
	keys := make([]byte, 0, 4*len(st.keys))
	for _, key := range sortedKeys(st.keys) {
		keys = append(keys, byte(key), byte(key>>8), byte(key>>16), byte(key>>24))
	}
	_ = wayland.WlKeyboardSendEnter(k, s.owner.nextSerial(), s.res, keys)
	_ = wayland.WlKeyboardSendModifiers(k, s.owner.nextSerial(), 0, 0, 0, 0)
}

func (st *seat) motion(x, y wire.Fixed) {
	st.px, st.py = x, y
	st.timeMs += 1
	st.updateFocus()
	if s := st.pFocus; s != nil {
		sx, sy := st.surfaceLocal(s)
		for _, p := range s.owner.pointers {
			_ = wayland.WlPointerSendMotion(p, st.timeMs, sx, sy)
			if p.Version() >= 5 {
				_ = wayland.WlPointerSendFrame(p)
			}
		}
	}
	if s := st.pFocus; s != nil && s.owner.cursor != nil {
		st.c.scene.changed()
	}
}

func (st *seat) button(button, state uint32) {
	st.timeMs++
	st.buttons[button] = state == 1
	if s := st.pFocus; s != nil {
		for _, p := range s.owner.pointers {
			_ = wayland.WlPointerSendButton(p, s.owner.nextSerial(), st.timeMs, button, state)
			if p.Version() >= 5 {
				_ = wayland.WlPointerSendFrame(p)
			}
		}
	}
}

func (st *seat) key(key, state uint32) {
	st.timeMs++
	if state == 1 {
		st.keys[key] = true
	} else {
		delete(st.keys, key)
	}
	if s := st.kFocus; s != nil {
		for _, k := range s.owner.keyboards {
			_ = wayland.WlKeyboardSendKey(k, s.owner.nextSerial(), st.timeMs, key, state)
		}
	}
}

func (st *seat) surfaceGone(s *surface) {
	if st.pFocus == s {
		st.pFocus = nil
	}
	if st.kFocus == s {
		st.kFocus = nil
	}
	if s.owner.cursor == s {
		s.owner.cursor = nil
	}
}

func (st *seat) clientGone(cd *clientData) {
	if st.pFocus != nil && st.pFocus.owner == cd {
		st.pFocus = nil
	}
	if st.kFocus != nil && st.kFocus.owner == cd {
		st.kFocus = nil
	}
}

func sortedKeys(m map[uint32]bool) []uint32 {
	out := make([]uint32, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j-1] > out[j]; j-- {
			out[j-1], out[j] = out[j], out[j-1]
		}
	}
	return out
}

// wl_data_device_manager: the objects exist so toolkits start; selection
// and drag-and-drop are not offered to anyone yet.

type dataDeviceManager struct{ c *Compositor }

func (m *dataDeviceManager) bind(cl *server.Client, r *server.Resource) {
	m.c.bound(cl, r)
	r.SetHandler(wayland.WlDataDeviceManagerDispatcher(m))
}

func (m *dataDeviceManager) CreateDataSource(r *server.Resource, id *server.Resource) error {
	ds := &dataSource{}
	id.SetData(ds)
	id.SetHandler(wayland.WlDataSourceDispatcher(ds))
	return nil
}

func (m *dataDeviceManager) GetDataDevice(r *server.Resource, id *server.Resource, seat *server.Resource) error {
	id.SetHandler(wayland.WlDataDeviceDispatcher(&dataDevice{}))
	return nil
}

type dataSource struct {
	used    bool
	actions bool
}

const dndActionsAll = uint32(wayland.WlDataDeviceManagerDndActionCopy | wayland.WlDataDeviceManagerDndActionMove | wayland.WlDataDeviceManagerDndActionAsk)

func (d *dataSource) Offer(r *server.Resource, mime string) error { return nil }
func (d *dataSource) Destroy(r *server.Resource) error            { return nil }
func (d *dataSource) SetActions(r *server.Resource, actions uint32) error {
	if actions&^dndActionsAll != 0 {
		return server.Errorf(r, uint32(wayland.WlDataSourceErrorInvalidActionMask), "invalid action mask 0x%x", actions)
	}
	if d.used {
		return server.Errorf(r, uint32(wayland.WlDataSourceErrorInvalidSource), "set_actions after the source was used")
	}
	d.actions = true
	return nil
}

type dataDevice struct{}

func (d *dataDevice) StartDrag(r *server.Resource, source, origin, icon *server.Resource, serial uint32) error {
	if icon != nil {
		if s := surfaceFrom(icon); s.role != nil {
			return server.Errorf(r, uint32(wayland.WlDataDeviceErrorRole), "wl_surface@%d already has the %s role", icon.ID(), s.role.name())
		}
	}
	if source != nil {
		if ds, ok := source.Data().(*dataSource); ok {
			if ds.used {
				return server.Errorf(r, uint32(wayland.WlDataDeviceErrorUsedSource), "wl_data_source@%d was already used", source.ID())
			}
			ds.used = true
		}
	}
	// No drag can start without a pointer grab; cancel at once.
	if source != nil {
		_ = wayland.WlDataSourceSendCancelled(source)
	}
	return nil
}

func (d *dataDevice) SetSelection(r *server.Resource, source *server.Resource, serial uint32) error {
	if source != nil {
		if ds, ok := source.Data().(*dataSource); ok {
			if ds.used {
				return server.Errorf(r, uint32(wayland.WlDataDeviceErrorUsedSource), "wl_data_source@%d was already used", source.ID())
			}
			ds.used = true
		}
	}
	return nil
}

func (d *dataDevice) Release(r *server.Resource) error { return nil }
