package rawwire

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/headwaywl/headway/protocol/wire"
)

// DisplayError is a wl_display.error event. Object is the id as the server
// sent it; Interface is what the client's own table says that id is, as
// wl_display_get_protocol_error reports it, and "" for an id the client
// does not know (libwayland then reports no interface).
type DisplayError struct {
	Object    uint32
	Interface string
	Code      uint32
	Message   string
}

// Error reads like libwayland's log line for a protocol error.
func (e *DisplayError) Error() string {
	iface := e.Interface
	if iface == "" {
		iface = "[unknown object]"
	}
	return fmt.Sprintf("%s@%d: error %d: %s", iface, e.Object, e.Code, e.Message)
}

// ParseError decodes m as wl_display.error, naming the object's interface
// from the client's table.
func (c *Client) ParseError(m Message) (*DisplayError, error) {
	if !m.Is(DisplayID, EvDisplayError) {
		return nil, fmt.Errorf("rawwire: %v is not wl_display.error", m)
	}
	d := m.Decoder()
	obj, err := d.Object()
	if err != nil {
		return nil, fmt.Errorf("rawwire: wl_display.error: %w", err)
	}
	code, err := d.Uint()
	if err != nil {
		return nil, fmt.Errorf("rawwire: wl_display.error: %w", err)
	}
	msg, err := d.String()
	if err != nil {
		return nil, fmt.Errorf("rawwire: wl_display.error: %w", err)
	}
	iface, _ := c.Interface(obj)
	return &DisplayError{Object: obj, Interface: iface, Code: code, Message: msg}, nil
}

// Global is one wl_registry.global event.
type Global struct {
	Name      uint32
	Interface string
	Version   uint32
}

// ParseGlobal decodes the body of a wl_registry.global event.
func ParseGlobal(m Message) (Global, error) {
	d := m.Decoder()
	name, err := d.Uint()
	if err != nil {
		return Global{}, fmt.Errorf("rawwire: wl_registry.global: %w", err)
	}
	iface, err := d.String()
	if err != nil {
		return Global{}, fmt.Errorf("rawwire: wl_registry.global: %w", err)
	}
	v, err := d.Uint()
	if err != nil {
		return Global{}, fmt.Errorf("rawwire: wl_registry.global: %w", err)
	}
	return Global{Name: name, Interface: iface, Version: v}, nil
}

// Roundtrip sends wl_display.sync and reads until its wl_callback.done,
// returning every event before it (their fds are the caller's). The
// delete_id that frees the callback must follow done immediately, as
// libwayland's server sends both from one request; anything else there is
// an error. A wl_display.error on the way is returned as a *DisplayError
// (errors.As finds it), with the events before it. That includes an error
// the server sent before closing the connection under an earlier request:
// the sync then cannot be written, but the error is still there to read,
// and it says more than the broken pipe.
func (c *Client) Roundtrip(ctx context.Context) ([]Message, error) {
	cb := c.NewObject("wl_callback")
	sendErr := c.Send(DisplayID, OpDisplaySync, func(e *wire.Encoder) { e.NewID(cb) })
	if sendErr != nil && !errors.Is(sendErr, ErrDisconnected) {
		c.Forget(cb)
		return nil, sendErr
	}
	var ms []Message
	for {
		m, err := c.Read(ctx)
		if err != nil {
			if sendErr != nil {
				err = sendErr
			}
			return ms, fmt.Errorf("rawwire: roundtrip: %w", err)
		}
		if m.Is(DisplayID, EvDisplayError) {
			de, err := c.ParseError(m)
			m.CloseFDs()
			if err != nil {
				return ms, fmt.Errorf("rawwire: roundtrip: %w", err)
			}
			return ms, fmt.Errorf("rawwire: roundtrip: %w", de)
		}
		if !m.Is(cb, EvCallbackDone) {
			ms = append(ms, m)
			continue
		}
		m.CloseFDs()
		del, err := c.Read(ctx)
		if err != nil {
			return ms, fmt.Errorf("rawwire: roundtrip: delete_id after wl_callback@%d.done: %w", cb, err)
		}
		id, uerr := del.Uint()
		if !del.Is(DisplayID, EvDisplayDeleteID) || uerr != nil || id != cb {
			del.CloseFDs()
			return ms, fmt.Errorf("rawwire: roundtrip: after wl_callback@%d.done want wl_display.delete_id(%d), got %v", cb, cb, del)
		}
		del.CloseFDs()
		return ms, nil
	}
}

// Registry gets a wl_registry and returns it with the globals announced by
// one roundtrip. Every event of that roundtrip must be a global of the new
// registry: on a fresh connection nothing else can come, and a test should
// hear about a global vanishing mid-roundtrip rather than have it hidden.
// Bind uses this registry.
func (c *Client) Registry(ctx context.Context) (uint32, []Global, error) {
	reg := c.NewObject("wl_registry")
	// A closed connection is left to Roundtrip, which reports the protocol
	// error that closed it, if any.
	err := c.Send(DisplayID, OpDisplayGetRegistry, func(e *wire.Encoder) { e.NewID(reg) })
	if err != nil && !errors.Is(err, ErrDisconnected) {
		c.Forget(reg)
		return 0, nil, err
	}
	ms, err := c.Roundtrip(ctx)
	if err != nil {
		closeAll(ms)
		return reg, nil, fmt.Errorf("rawwire: registry: %w", err)
	}
	defer closeAll(ms)
	gs := make([]Global, 0, len(ms))
	for _, m := range ms {
		if !m.Is(reg, EvRegistryGlobal) {
			return reg, gs, fmt.Errorf("rawwire: registry: want wl_registry@%d.global, got %v", reg, m)
		}
		g, err := ParseGlobal(m)
		if err != nil {
			return reg, gs, fmt.Errorf("rawwire: registry: %w", err)
		}
		gs = append(gs, g)
	}
	c.mu.Lock()
	c.registry = reg
	c.mu.Unlock()
	return reg, gs, nil
}

// Bind sends wl_registry.bind on the registry from the last Registry call
// and records iface for the new id. It does not wait: an error the server
// finds comes with a later read.
func (c *Client) Bind(name uint32, iface string, version uint32) (uint32, error) {
	c.mu.Lock()
	reg := c.registry
	c.mu.Unlock()
	if reg == 0 {
		return 0, errors.New("rawwire: bind: no registry yet (call Registry first)")
	}
	return c.BindOn(reg, name, iface, version)
}

// BindOn is Bind on a given registry id, which may be any id at all.
func (c *Client) BindOn(reg, name uint32, iface string, version uint32) (uint32, error) {
	id := c.NewObject(iface)
	err := c.Send(reg, OpRegistryBind, func(e *wire.Encoder) {
		e.Uint(name)
		e.UntypedNewID(iface, version, id)
	})
	if err != nil {
		c.Forget(id)
		return 0, fmt.Errorf("rawwire: bind: %w", err)
	}
	return id, nil
}

// ExpectError reads until wl_display.error, discarding (and closing the fds
// of) the events before it, then requires the server to close the
// connection with nothing after the error, as libwayland does after
// posting one. It fails if the connection closes without an error.
func (c *Client) ExpectError(ctx context.Context) (*DisplayError, error) {
	for {
		m, err := c.Read(ctx)
		if err != nil {
			return nil, fmt.Errorf("rawwire: expecting wl_display.error: %w", err)
		}
		if !m.Is(DisplayID, EvDisplayError) {
			m.CloseFDs()
			continue
		}
		de, err := c.ParseError(m)
		m.CloseFDs()
		if err != nil {
			return nil, err
		}
		next, err := c.Read(ctx)
		if err == nil {
			next.CloseFDs()
			return de, fmt.Errorf("rawwire: %v after wl_display.error (%v), want the connection closed", next, de)
		}
		if !errors.Is(err, ErrDisconnected) || errors.Is(err, io.ErrUnexpectedEOF) {
			return de, fmt.Errorf("rawwire: after wl_display.error (%v): %w", de, err)
		}
		return de, nil
	}
}

// ReadUntilClose reads every event until the server closes the
// connection and returns them all, wl_display.error included (their fds are
// the caller's). A connection closed in the middle of an event is an error.
func (c *Client) ReadUntilClose(ctx context.Context) ([]Message, error) {
	var ms []Message
	for {
		m, err := c.Read(ctx)
		if err != nil {
			if errors.Is(err, ErrDisconnected) && !errors.Is(err, io.ErrUnexpectedEOF) {
				return ms, nil
			}
			return ms, fmt.Errorf("rawwire: expecting disconnect: %w", err)
		}
		ms = append(ms, m)
	}
}

// ExpectDisconnect is ReadUntilClose for silent drops: a wl_display.error
// among the events is returned as a *DisplayError error, with the events.
func (c *Client) ExpectDisconnect(ctx context.Context) ([]Message, error) {
	ms, err := c.ReadUntilClose(ctx)
	for _, m := range ms {
		if m.Is(DisplayID, EvDisplayError) {
			de, perr := c.ParseError(m)
			if perr != nil {
				return ms, fmt.Errorf("rawwire: expecting a silent disconnect: %w", perr)
			}
			return ms, fmt.Errorf("rawwire: expecting a silent disconnect: %w", de)
		}
	}
	return ms, err
}
