package server

import (
	"context"
	"testing"

	"github.com/headwaywl/headway/clients/rawwire"
	"github.com/headwaywl/headway/clients/rawwire/rawwiretest"
	"github.com/headwaywl/headway/protocol/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRegistryGlobalsAndSync(t *testing.T) {
	d := startDisplay(t, newTestHandler())
	c := connect(t, d)
	_, gs := c.MustRegistry()
	require.Equal(t, []rawwire.Global{{Name: 1, Interface: "test_obj", Version: 1}}, gs)
	// A second sync on the same connection reuses nothing and still works.
	assert.Empty(t, c.MustRoundtrip())
}

func TestProtocolErrors(t *testing.T) {
	cases := []struct {
		name string
		run  func(c *rawwiretest.Client)
		want rawwire.DisplayError
	}{
		{"unknown object", func(c *rawwiretest.Client) {
			c.MustSend(42, 0, nil)
		}, rawwire.DisplayError{Object: 1, Interface: "wl_display", Code: ErrorInvalidObject, Message: "invalid object 42"}},
		{"unknown opcode", func(c *rawwiretest.Client) {
			c.MustSend(1, 7, nil)
		}, rawwire.DisplayError{Object: 1, Interface: "wl_display", Code: ErrorInvalidMethod, Message: "invalid method 7, object wl_display#1"}},
		{"request above bound version", func(c *rawwiretest.Client) {
			reg, _ := c.MustRegistry()
			id := c.MustBindOn(reg, 1, "test_obj", 1)
			c.MustSend(id, testReqV2, nil)
		}, rawwire.DisplayError{Object: 1, Interface: "wl_display", Code: ErrorInvalidMethod, Message: "invalid method 4 (since 1 < 2), object test_obj#4"}},
		{"bind version above global", func(c *rawwiretest.Client) {
			reg, _ := c.MustRegistry()
			c.MustBindOn(reg, 1, "test_obj", 2)
		}, rawwire.DisplayError{Object: 2, Interface: "wl_registry", Code: ErrorInvalidObject, Message: "invalid version for global test_obj (1): have 1, wanted 2"}},
		{"bind version 0", func(c *rawwiretest.Client) {
			reg, _ := c.MustRegistry()
			c.MustBindOn(reg, 1, "test_obj", 0)
		}, rawwire.DisplayError{Object: 2, Interface: "wl_registry", Code: ErrorInvalidObject, Message: "invalid version for global test_obj (1): 0 is not a valid version"}},
		{"bind wrong interface", func(c *rawwiretest.Client) {
			reg, _ := c.MustRegistry()
			c.MustBindOn(reg, 1, "wl_seat", 1)
		}, rawwire.DisplayError{Object: 2, Interface: "wl_registry", Code: ErrorInvalidObject, Message: "invalid interface for global 1: have wl_seat, wanted test_obj"}},
		{"bind unknown name", func(c *rawwiretest.Client) {
			reg, _ := c.MustRegistry()
			c.MustBindOn(reg, 99, "test_obj", 1)
		}, rawwire.DisplayError{Object: 2, Interface: "wl_registry", Code: ErrorInvalidObject, Message: "invalid global test_obj (99)"}},
		{"new id skipping ahead", func(c *rawwiretest.Client) {
			c.MustSend(1, displayRequestSync, func(e *wire.Encoder) { e.NewID(10) })
		}, rawwire.DisplayError{Object: 1, Interface: "wl_display", Code: ErrorInvalidMethod, Message: "invalid arguments for wl_display#1.sync"}},
		{"new id in use", func(c *rawwiretest.Client) {
			c.MustSend(1, displayRequestGetRegistry, func(e *wire.Encoder) { e.NewID(2) })
			c.MustSend(1, displayRequestSync, func(e *wire.Encoder) { e.NewID(2) })
		}, rawwire.DisplayError{Object: 1, Interface: "wl_display", Code: ErrorInvalidMethod, Message: "invalid arguments for wl_display#1.sync"}},
		{"truncated body", func(c *rawwiretest.Client) {
			c.MustWriteRaw([]byte{1, 0, 0, 0, 0, 0, 8, 0}) // sync with no new_id
		}, rawwire.DisplayError{Object: 1, Interface: "wl_display", Code: ErrorInvalidMethod, Message: "invalid arguments for wl_display#1.sync"}},
		{"fd argument without fd", func(c *rawwiretest.Client) {
			reg, _ := c.MustRegistry()
			id := c.MustBindOn(reg, 1, "test_obj", 1)
			c.MustSend(id, testReqTakeFD, func(e *wire.Encoder) { e.Uint(1); e.Uint(2) })
		}, rawwire.DisplayError{Object: 1, Interface: "wl_display", Code: ErrorInvalidMethod, Message: "invalid arguments for test_obj#4.take_fd"}},
		{"message larger than the buffer", func(c *rawwiretest.Client) {
			c.MustWriteRaw([]byte{1, 0, 0, 0, 0, 0, 0x10, 0x20}) // size 0x2010
		}, rawwire.DisplayError{Object: 1, Interface: "wl_display", Code: ErrorImplementation, Message: "message of 8208 bytes exceeds the 4096-byte buffer"}},
		{"request to the server-destroyed callback", func(c *rawwiretest.Client) {
			c.MustRoundtrip() // callback 2 destroyed by the server
			c.MustSend(2, 0, nil)
		}, rawwire.DisplayError{Object: 1, Interface: "wl_display", Code: ErrorInvalidObject, Message: "invalid object 2"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := startDisplay(t, newTestHandler())
			c := connect(t, d)
			tc.run(c)
			// The error must arrive, and be the last thing before the
			// connection closes.
			e, err := c.ExpectError(context.Background())
			require.NoError(t, err)
			assert.Equal(t, tc.want, *e)
		})
	}
}

func TestDeleteIDAfterDestructor(t *testing.T) {
	h := newTestHandler()
	d := startDisplay(t, h)
	c := connect(t, d)
	reg, _ := c.MustRegistry()
	id := c.MustBindOn(reg, 1, "test_obj", 1)
	c.MustSend(id, testReqDestroy, nil)
	m := c.MustRead()
	require.Equal(t, uint32(1), m.Object)
	require.Equal(t, displayEventDeleteID, m.Opcode)
	require.Equal(t, id, rawwiretest.Uint(t, m))
	select {
	case got := <-h.destroyed:
		require.Equal(t, id, got)
	default:
		t.Fatal("destructor did not run before delete_id was sent")
	}
	// The id is free again: binding it anew is accepted (libwayland reuses
	// freed client slots).
	c.SetNextID(id)
	id2 := c.MustBindOn(reg, 1, "test_obj", 1)
	require.Equal(t, id, id2)
	assert.Empty(t, c.MustRoundtrip())
}
