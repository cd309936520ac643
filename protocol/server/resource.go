package server

import (
	"fmt"

	"github.com/headwaywl/headway/protocol/wire"
	"golang.org/x/sys/unix"
)

// Resource is one object of one client: an id in the client's table bound
// to an Interface at a version. All methods must be called on the display's
// loop goroutine (in a Handler, a bind callback, a destructor or a Do
// function), or before Run.
type Resource struct {
	id         uint32
	version    uint32
	iface      *Interface
	client     *Client
	handler    Handler
	data       any
	destroy    func(*Resource)
	alive      bool
	destroying bool
}

// ID is the object id.
func (r *Resource) ID() uint32 { return r.id }

// Version is the version the object was created with.
func (r *Resource) Version() uint32 { return r.version }

// Interface is the object's interface.
func (r *Resource) Interface() *Interface { return r.iface }

// Client is the owning client.
func (r *Resource) Client() *Client { return r.client }

// SetHandler sets the request handler. Requests on a resource without one
// are answered with an implementation error naming the interface.
func (r *Resource) SetHandler(h Handler) { r.handler = h }

// SetData attaches compositor data.
func (r *Resource) SetData(v any) { r.data = v }

// Data returns what SetData stored.
func (r *Resource) Data() any { return r.data }

// SetDestructor sets fn to run when the resource is destroyed, by Destroy,
// after a destructor request, or when the client goes away.
func (r *Resource) SetDestructor(fn func(*Resource)) { r.destroy = fn }

// Alive reports whether the resource is still in its client's table.
func (r *Resource) Alive() bool { return r != nil && r.alive }

// Destroy runs the destructor, removes the resource from the table and, for
// a client-allocated id, queues wl_display.delete_id, in libwayland's order
// (remove_and_destroy_resource). Destroying a destroyed resource does nothing.
func (r *Resource) Destroy() {
	if r == nil || !r.alive || r.destroying {
		return
	}
	r.destroying = true
	c := r.client
	if r.destroy != nil {
		c.safeCall(func() { r.destroy(r) })
	}
	r.alive = false
	if r.id < ServerIDStart {
		if !c.closing && c.displayRes != nil && c.displayRes.alive && r != c.displayRes {
			if e := c.displayRes.BeginEvent(displayEventDeleteID); e != nil {
				e.Uint(r.id)
				_ = c.displayRes.EndEvent(e)
			}
		}
		if int(r.id) < len(c.objects) {
			c.objects[r.id] = nil
		}
	} else {
		i := r.id - ServerIDStart
		if int(i) < len(c.serverObjects) {
			c.serverObjects[i] = nil
			c.serverFree = append(c.serverFree, i)
		}
	}
	if r.iface == RegistryInterface {
		c.removeRegistry(r)
	}
}

// PostError sends wl_display.error(r, code, message) and disconnects the
// client once the error is flushed. Only the first error of a client is
// sent, as libwayland does.
func (r *Resource) PostError(code uint32, format string, args ...any) {
	if r == nil || r.client == nil {
		return
	}
	r.client.postError(r.id, code, fmt.Sprintf(format, args...))
}

// BeginEvent starts event opcode on r in the client's output buffer. It
// returns nil when r is destroyed or its client is gone or failing: such an
// event is dropped, as libwayland drops events racing with destruction.
func (r *Resource) BeginEvent(opcode uint16) *wire.Encoder {
	if r == nil || !r.alive {
		return nil
	}
	c := r.client
	if c == nil || c.closing || c.errored {
		return nil
	}
	c.evRes = r
	c.evOpcode = opcode
	c.enc.Begin(c.stage[:0], c.stageFDs[:0], r.id, opcode)
	return &c.enc
}

// EndEvent finishes the event begun by BeginEvent and queues it. fd
// arguments are duplicated here, as libwayland's marshalling does, so the
// caller keeps ownership of the fds it passed. Errors wrap the codec's
// (wire.ErrTooLarge, ...); the event is then dropped.
func (r *Resource) EndEvent(e *wire.Encoder) error {
	if r == nil || r.client == nil || e != &r.client.enc || r.client.evRes != r {
		return fmt.Errorf("server: EndEvent without a matching BeginEvent")
	}
	c := r.client
	c.evRes = nil
	opcode := c.evOpcode
	msg, fds, err := e.Finish()
	c.stage, c.stageFDs = msg[:0], fds[:0]
	if err != nil {
		return fmt.Errorf("server: event %s: %w", eventName(r.iface, opcode), err)
	}
	if c.closing || c.errored {
		return nil
	}
	for i := range fds {
		nfd, derr := unix.FcntlInt(uintptr(fds[i]), unix.F_DUPFD_CLOEXEC, 0)
		if derr != nil {
			for _, d := range fds[:i] {
				unix.Close(d)
			}
			return fmt.Errorf("server: event %s: dup fd %d: %w", eventName(r.iface, opcode), fds[i], derr)
		}
		fds[i] = nfd
	}
	if c.display.trace != nil {
		c.display.traceMessage(true, r, opcode, msg[wire.HeaderSize:], fds)
	}
	c.queue(msg, fds)
	return nil
}

func eventName(iface *Interface, opcode uint16) string {
	if iface == nil {
		return "?"
	}
	if int(opcode) < len(iface.Events) {
		return iface.Name + "." + iface.Events[opcode].Name
	}
	return fmt.Sprintf("%s.#%d", iface.Name, opcode)
}
