package server

import (
	"encoding/binary"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/headwaywl/headway/protocol/wire"
)

// process dispatches every complete message in c.in and keeps the rest,
// following wl_client_connection_data: unknown object → invalid_object;
// opcode beyond the interface or above the resource's version →
// invalid_method; malformed arguments, unknown object arguments and bad
// new ids → "invalid arguments" (invalid_method). Processing stops at the
// first error.
func (c *Client) process() {
	off := 0
	for !c.errored && !c.closing && len(c.in)-off >= wire.HeaderSize {
		p := c.in[off:]
		id := binary.NativeEndian.Uint32(p[0:4])
		w := binary.NativeEndian.Uint32(p[4:8])
		opcode, size := uint16(w), int(w>>16)
		if size > c.display.maxIn {
			// libwayland cannot buffer it either and drops the client;
			// saying why helps whoever debugs the client.
			c.postError(1, ErrorImplementation, fmt.Sprintf("message of %d bytes exceeds the %d-byte buffer", size, c.display.maxIn))
			break
		}
		if len(p) < size {
			break
		}
		if size < wire.HeaderSize {
			size = wire.HeaderSize // consumed anyway; the error below ends the client
		}
		c.dispatchOne(id, opcode, p[:size], w>>16)
		off += size
	}
	if off > 0 {
		n := copy(c.in, c.in[off:])
		c.in = c.in[:n]
	}
	if c.fdh > 0 {
		n := copy(c.fdq, c.fdq[c.fdh:])
		c.fdq, c.fdh = c.fdq[:n], 0
	}
}

func (c *Client) dispatchOne(id uint32, opcode uint16, msg []byte, rawSize uint32) {
	r := c.Lookup(id)
	if r == nil {
		c.postError(1, ErrorInvalidObject, fmt.Sprintf("invalid object %d", id))
		return
	}
	iface := r.iface
	if int(opcode) >= len(iface.Requests) {
		c.postError(1, ErrorInvalidMethod, fmt.Sprintf("invalid method %d, object %s#%d", opcode, iface.Name, id))
		return
	}
	m := &iface.Requests[opcode]
	if since := m.Since; r.version > 0 && r.version < since {
		c.postError(1, ErrorInvalidMethod, fmt.Sprintf("invalid method %d (since %d < %d), object %s#%d", opcode, r.version, since, iface.Name, id))
		return
	}
	body := msg[wire.HeaderSize:]
	nfds := len(c.fdq) - c.fdh
	fdsUsed, err := wire.Validate(m.Signature, body, nfds)
	if err == nil && (rawSize < wire.HeaderSize || rawSize%4 != 0) {
		err = wire.ErrMalformed
	}
	if err == nil {
		err = c.checkObjects(m, body)
	}
	if err != nil {
		c.display.log.Debug("wayland: bad request", "object", id, "request", m.Name, "err", err)
		c.postError(1, ErrorInvalidMethod, fmt.Sprintf("invalid arguments for %s#%d.%s", iface.Name, id, m.Name))
		return
	}
	if c.display.trace != nil {
		c.display.traceMessage(false, r, opcode, body, c.fdq[c.fdh:c.fdh+fdsUsed])
	}
	fdStart := c.fdh
	c.dec.Reset(body, (*fdQueue)(c))
	if r.handler == nil {
		err = &ProtocolError{Object: 1, Code: ErrorImplementation, Message: fmt.Sprintf("%s#%d has no implementation", iface.Name, id)}
	} else {
		err = c.callHandler(r, opcode)
	}
	// fds of this message the handler did not take are closed, so the
	// queue stays aligned with the messages that follow.
	for c.fdh < fdStart+fdsUsed && c.fdh < len(c.fdq) {
		closeFD(c.fdq[c.fdh])
		c.fdh++
	}
	if err != nil {
		var pe *ProtocolError
		if errors.As(err, &pe) {
			c.postError(pe.Object, pe.Code, pe.Message)
		} else {
			c.postError(1, ErrorImplementation, fmt.Sprintf("%s#%d.%s: %v", iface.Name, id, m.Name, err))
		}
		return
	}
	if m.Destructor && r.alive {
		r.Destroy()
	}
}

// callHandler runs the handler, turning a panic into an error so that one
// broken handler costs one client, not the compositor.
func (c *Client) callHandler(r *Resource, opcode uint16) (err error) {
	defer func() {
		if p := recover(); p != nil {
			c.display.log.Error("wayland: panic in request handler", "interface", r.iface.Name, "id", r.id, "opcode", opcode, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			err = fmt.Errorf("internal error: panic in handler: %v", p)
		}
	}()
	return r.handler.Dispatch(r, opcode, &c.dec)
}

func (c *Client) safeCall(fn func()) {
	defer func() {
		if p := recover(); p != nil {
			c.display.log.Error("wayland: panic in callback", "panic", fmt.Sprint(p))
		}
	}()
	fn()
}

var errBadObject = fmt.Errorf("unknown or mistyped object argument: %w", wire.ErrMalformed)
var errBadNewID = fmt.Errorf("invalid new id: %w", wire.ErrMalformed)

// checkObjects is libwayland's demarshal new-id reservation plus
// wl_closure_lookup_objects: object arguments must name live objects of the
// right interface, new ids must be free and at most one past the end (a
// slot is reserved for each, as wl_map_reserve_new does).
func (c *Client) checkObjects(m *Message, body []byte) error {
	var d wire.Decoder
	d.Reset(body, skipFDs{})
	sig := m.Signature
	arg := 0
	for i := 0; i < len(sig); i++ {
		var err error
		switch sig[i] {
		case '?', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			continue
		case 'i', 'u', 'f':
			_, err = d.Uint()
		case 's':
			_, _, err = d.NullableStringBytes()
		case 'a':
			_, err = d.Array()
		case 'h':
			_, err = d.FD()
		case 'o':
			var id uint32
			id, err = d.NullableObject()
			if err == nil && id != 0 {
				o := c.Lookup(id)
				if o == nil {
					return errBadObject
				}
				if arg < len(m.Types) && m.Types[arg] != nil && !sameInterface(o.iface, m.Types[arg]) {
					return errBadObject
				}
			}
		case 'n':
			var id uint32
			id, err = d.NewID()
			if err == nil && !c.reserveID(id) {
				return errBadNewID
			}
		default:
			// unknown letters: Validate already refused them.
		}
		if err != nil {
			return err
		}
		arg++
	}
	return nil
}
