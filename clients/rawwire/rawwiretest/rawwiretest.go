// Package rawwiretest is the testing.TB layer over rawwire: the same
// operations, failing the test instead of returning errors, so protocol
// tests read as the exchange they check. It is separate so that rawwire
// itself stays usable outside tests and free of the testing package.
//
// The Must methods call tb.Fatalf, so like require they belong on the test's
// own goroutine. Reads use the client's timeout (rawwire.DefaultTimeout
// unless changed), so a test that waits for an event that never comes fails
// instead of hanging.
package rawwiretest

import (
	"context"
	"testing"

	"github.com/headwaywl/headway/clients/rawwire"
	"github.com/headwaywl/headway/protocol/wire"
)

// Client is a rawwire.Client bound to a test. The embedded client's
// error-returning methods stay available for tests that expect failures.
type Client struct {
	*rawwire.Client
	TB testing.TB
}

// Wrap binds c to tb and closes it when the test ends.
func Wrap(tb testing.TB, c *rawwire.Client) *Client {
	tb.Cleanup(func() { _ = c.Close() })
	return &Client{Client: c, TB: tb}
}

// Dial is rawwire.Dial bound to tb.
func Dial(tb testing.TB, name string) *Client {
	tb.Helper()
	c, err := rawwire.Dial(name)
	if err != nil {
		tb.Fatalf("rawwire: %v", err)
	}
	return Wrap(tb, c)
}

func (c *Client) check(err error) {
	c.TB.Helper()
	if err != nil {
		c.TB.Fatalf("%v", err)
	}
}

// MustSend is Send.
func (c *Client) MustSend(obj uint32, opcode uint16, args func(*wire.Encoder)) {
	c.TB.Helper()
	c.check(c.Send(obj, opcode, args))
}

// MustWriteRaw is WriteRaw.
func (c *Client) MustWriteRaw(b []byte, fds ...int) {
	c.TB.Helper()
	c.check(c.WriteRaw(b, fds...))
}

// MustRead is Read.
func (c *Client) MustRead() rawwire.Message {
	c.TB.Helper()
	m, err := c.Read(context.Background())
	c.check(err)
	return m
}

// MustRoundtrip is Roundtrip.
func (c *Client) MustRoundtrip() []rawwire.Message {
	c.TB.Helper()
	ms, err := c.Roundtrip(context.Background())
	c.check(err)
	return ms
}

// MustRegistry is Registry.
func (c *Client) MustRegistry() (uint32, []rawwire.Global) {
	c.TB.Helper()
	reg, gs, err := c.Registry(context.Background())
	c.check(err)
	return reg, gs
}

// MustBind is Bind.
func (c *Client) MustBind(name uint32, iface string, version uint32) uint32 {
	c.TB.Helper()
	id, err := c.Bind(name, iface, version)
	c.check(err)
	return id
}

// MustBindOn is BindOn.
func (c *Client) MustBindOn(reg, name uint32, iface string, version uint32) uint32 {
	c.TB.Helper()
	id, err := c.BindOn(reg, name, iface, version)
	c.check(err)
	return id
}

// MustExpectError is ExpectError.
func (c *Client) MustExpectError() *rawwire.DisplayError {
	c.TB.Helper()
	de, err := c.ExpectError(context.Background())
	c.check(err)
	return de
}

// MustExpectDisconnect is ExpectDisconnect.
func (c *Client) MustExpectDisconnect() []rawwire.Message {
	c.TB.Helper()
	ms, err := c.ExpectDisconnect(context.Background())
	c.check(err)
	return ms
}

// MustReadUntilClose is ReadUntilClose.
func (c *Client) MustReadUntilClose() []rawwire.Message {
	c.TB.Helper()
	ms, err := c.ReadUntilClose(context.Background())
	c.check(err)
	return ms
}

// Encode is rawwire.Encode for a message whose fds the test passes to
// WriteRaw itself (batches, split writes), so only the bytes are returned.
func Encode(tb testing.TB, obj uint32, opcode uint16, args func(*wire.Encoder)) []byte {
	tb.Helper()
	b, _, err := rawwire.Encode(obj, opcode, args)
	if err != nil {
		tb.Fatalf("%v", err)
	}
	return b
}

// Uint is Message.Uint.
func Uint(tb testing.TB, m rawwire.Message) uint32 {
	tb.Helper()
	v, err := m.Uint()
	if err != nil {
		tb.Fatalf("%v", err)
	}
	return v
}

// Args is Message.Args.
func Args(tb testing.TB, m rawwire.Message, sig string) []any {
	tb.Helper()
	v, err := m.Args(sig)
	if err != nil {
		tb.Fatalf("%v", err)
	}
	return v
}
