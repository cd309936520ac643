package server

import (
	"fmt"

	"github.com/headwaywl/headway/protocol/wire"
)

// Opcodes of the core interfaces (wayland.xml).
const (
	displayRequestSync        uint16 = 0
	displayRequestGetRegistry uint16 = 1
	displayEventError         uint16 = 0
	displayEventDeleteID      uint16 = 1
	registryRequestBind       uint16 = 0
	registryEventGlobal       uint16 = 0
	registryEventGlobalRemove uint16 = 1
	callbackEventDone         uint16 = 0
)

// The core interfaces served by the runtime itself. Generated packages
// alias them instead of declaring their own descriptors.
var (
	DisplayInterface  = &Interface{Name: "wl_display", Version: 1}
	RegistryInterface = &Interface{Name: "wl_registry", Version: 1}
	CallbackInterface = &Interface{Name: "wl_callback", Version: 1}
)

func init() {
	// Assigned here because the descriptors refer to each other.
	DisplayInterface.Requests = []Message{
		{Name: "sync", Signature: "n", Since: 1, Types: []*Interface{CallbackInterface}},
		{Name: "get_registry", Signature: "n", Since: 1, Types: []*Interface{RegistryInterface}},
	}
	DisplayInterface.Events = []Message{
		{Name: "error", Signature: "ous", Since: 1, Types: []*Interface{nil, nil, nil}},
		{Name: "delete_id", Signature: "u", Since: 1, Types: []*Interface{nil}},
	}
	RegistryInterface.Requests = []Message{
		{Name: "bind", Signature: "usun", Since: 1, Types: []*Interface{nil, nil, nil, nil}},
	}
	RegistryInterface.Events = []Message{
		{Name: "global", Signature: "usu", Since: 1, Types: []*Interface{nil, nil, nil}},
		{Name: "global_remove", Signature: "u", Since: 1, Types: []*Interface{nil}},
	}
	CallbackInterface.Events = []Message{
		{Name: "done", Signature: "u", Since: 1, Destructor: true, Types: []*Interface{nil}},
	}
}

type displayHandler struct{}

func (displayHandler) Dispatch(r *Resource, opcode uint16, d *wire.Decoder) error {
	c := r.client
	id, err := d.NewID()
	if err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	switch opcode {
	case displayRequestSync:
		// The callback never reaches compositor code, so a per-client
		// Resource is reused: sync round trips allocate nothing.
		if !c.reserveID(id) {
			return &ProtocolError{Object: 1, Code: ErrorInvalidObject, Message: fmt.Sprintf("invalid new id %d", id)}
		}
		cb := &c.syncCallback
		*cb = Resource{id: id, version: 1, iface: CallbackInterface, client: c, alive: true}
		c.objects[id] = cb
		// libwayland sends the current serial, then destroys the callback
		// (which queues delete_id after done).
		if e := cb.BeginEvent(callbackEventDone); e != nil {
			e.Uint(c.display.serial)
			if err := cb.EndEvent(e); err != nil {
				return err
			}
		}
		cb.Destroy()
	case displayRequestGetRegistry:
		reg, err := c.NewResource(id, RegistryInterface, 1)
		if err != nil {
			return err
		}
		reg.SetHandler(registryHandler{})
		c.registries = append(c.registries, reg)
		for _, g := range c.display.globals {
			if err := sendGlobal(reg, g); err != nil {
				return err
			}
		}
	}
	return nil
}

func sendGlobal(reg *Resource, g *Global) error {
	e := reg.BeginEvent(registryEventGlobal)
	if e == nil {
		return nil
	}
	e.Uint(g.name)
	e.String(g.iface.Name)
	e.Uint(g.version)
	return reg.EndEvent(e)
}

type registryHandler struct{}

func (registryHandler) Dispatch(r *Resource, opcode uint16, d *wire.Decoder) error {
	c := r.client
	name, err := d.Uint()
	if err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	iface, version, id, err := d.UntypedNewID()
	if err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	// Checks and messages in registry_bind's order; the error is posted on
	// the registry with wl_display's invalid_object code.
	var g *Global
	for _, x := range c.display.globals {
		if x.name == name {
			g = x
			break
		}
	}
	switch {
	case g == nil:
		return Errorf(r, ErrorInvalidObject, "invalid global %s (%d)", iface, name)
	case g.iface.Name != iface:
		return Errorf(r, ErrorInvalidObject, "invalid interface for global %d: have %s, wanted %s", name, iface, g.iface.Name)
	case version == 0:
		return Errorf(r, ErrorInvalidObject, "invalid version for global %s (%d): 0 is not a valid version", iface, name)
	case g.version < version:
		return Errorf(r, ErrorInvalidObject, "invalid version for global %s (%d): have %d, wanted %d", iface, name, g.version, version)
	}
	res, err := c.NewResource(id, g.iface, version)
	if err != nil {
		return err
	}
	if g.bind != nil {
		g.bind(c, res)
	}
	return nil
}

// AddGlobal advertises iface at version to every registry, present and
// future; bind runs for each wl_registry.bind with the new resource, whose
// handler it must set. Call on the loop or before Run.
func (d *Display) AddGlobal(iface *Interface, version uint32, bind func(c *Client, r *Resource)) *Global {
	d.nextGlobal++
	g := &Global{d: d, name: d.nextGlobal, iface: iface, version: version, bind: bind}
	d.globals = append(d.globals, g)
	for _, c := range d.clientList() {
		for _, reg := range c.registries {
			if err := sendGlobal(reg, g); err != nil {
				d.log.Warn("wayland: cannot announce global", "err", err)
			}
		}
	}
	return g
}

// Remove withdraws the global: global_remove goes to every registry and
// later binds fail as for an unknown name. Call on the loop or before Run.
func (g *Global) Remove() {
	if g == nil || g.removed {
		return
	}
	g.removed = true
	d := g.d
	for i, x := range d.globals {
		if x == g {
			d.globals = append(d.globals[:i], d.globals[i+1:]...)
			break
		}
	}
	for _, c := range d.clientList() {
		for _, reg := range c.registries {
			if e := reg.BeginEvent(registryEventGlobalRemove); e != nil {
				e.Uint(g.name)
				if err := reg.EndEvent(e); err != nil {
					d.log.Warn("wayland: cannot send global_remove", "err", err)
				}
			}
		}
	}
}
