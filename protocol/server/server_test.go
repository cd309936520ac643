package server

import (
	"testing"

	"github.com/headwaywl/headway/protocol/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRegistryGlobalsAndSync(t *testing.T) {
	d := startDisplay(t, newTestHandler())
	c := connect(t, d)
	_, gs := c.registry()
	require.Equal(t, []global{{1, "test_obj", 1}}, gs)
	// A second sync on the same connection reuses nothing and still works.
	assert.Empty(t, c.roundtrip())
}

func TestProtocolErrors(t *testing.T) {
	cases := []struct {
		name string
		run  func(c *rawClient)
		want errorEvent
	}{
		{"unknown object", func(c *rawClient) {
			c.send(42, 0, nil)
		}, errorEvent{1, ErrorInvalidObject, "invalid object 42"}},
		{"unknown opcode", func(c *rawClient) {
			c.send(1, 7, nil)
		}, errorEvent{1, ErrorInvalidMethod, "invalid method 7, object wl_display#1"}},
		{"request above bound version", func(c *rawClient) {
			reg, _ := c.registry()
			id := c.bind(reg, 1, "test_obj", 1)
			c.send(id, testReqV2, nil)
		}, errorEvent{1, ErrorInvalidMethod, "invalid method 4 (since 1 < 2), object test_obj#4"}},
		{"bind version above global", func(c *rawClient) {
			reg, _ := c.registry()
			c.bind(reg, 1, "test_obj", 2)
		}, errorEvent{2, ErrorInvalidObject, "invalid version for global test_obj (1): have 1, wanted 2"}},
		{"bind version 0", func(c *rawClient) {
			reg, _ := c.registry()
			c.bind(reg, 1, "test_obj", 0)
		}, errorEvent{2, ErrorInvalidObject, "invalid version for global test_obj (1): 0 is not a valid version"}},
		{"bind wrong interface", func(c *rawClient) {
			reg, _ := c.registry()
			c.bind(reg, 1, "wl_seat", 1)
		}, errorEvent{2, ErrorInvalidObject, "invalid interface for global 1: have wl_seat, wanted test_obj"}},
		{"bind unknown name", func(c *rawClient) {
			reg, _ := c.registry()
			c.bind(reg, 99, "test_obj", 1)
		}, errorEvent{2, ErrorInvalidObject, "invalid global test_obj (99)"}},
		{"new id skipping ahead", func(c *rawClient) {
			c.send(1, displayRequestSync, func(e *wire.Encoder) { e.NewID(10) })
		}, errorEvent{1, ErrorInvalidMethod, "invalid arguments for wl_display#1.sync"}},
		{"new id in use", func(c *rawClient) {
			c.send(1, displayRequestGetRegistry, func(e *wire.Encoder) { e.NewID(2) })
			c.send(1, displayRequestSync, func(e *wire.Encoder) { e.NewID(2) })
		}, errorEvent{1, ErrorInvalidMethod, "invalid arguments for wl_display#1.sync"}},
		{"truncated body", func(c *rawClient) {
			c.write([]byte{1, 0, 0, 0, 0, 0, 8, 0}) // sync with no new_id
		}, errorEvent{1, ErrorInvalidMethod, "invalid arguments for wl_display#1.sync"}},
		{"fd argument without fd", func(c *rawClient) {
			reg, _ := c.registry()
			id := c.bind(reg, 1, "test_obj", 1)
			c.send(id, testReqTakeFD, func(e *wire.Encoder) { e.Uint(1); e.Uint(2) })
		}, errorEvent{1, ErrorInvalidMethod, "invalid arguments for test_obj#4.take_fd"}},
		{"message larger than the buffer", func(c *rawClient) {
			c.write([]byte{1, 0, 0, 0, 0, 0, 0x10, 0x20}) // size 0x2010
		}, errorEvent{1, ErrorImplementation, "message of 8208 bytes exceeds the 4096-byte buffer"}},
		{"request to the server-destroyed callback", func(c *rawClient) {
			c.roundtrip() // callback 2 destroyed by the server
			c.send(2, 0, nil)
		}, errorEvent{1, ErrorInvalidObject, "invalid object 2"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := startDisplay(t, newTestHandler())
			c := connect(t, d)
			tc.run(c)
			ms := c.expectEOF()
			require.NotEmpty(t, ms, "the error must arrive before the connection closes")
			assert.Equal(t, tc.want, parseError(t, ms[len(ms)-1]))
		})
	}
}

func TestDeleteIDAfterDestructor(t *testing.T) {
	h := newTestHandler()
	d := startDisplay(t, h)
	c := connect(t, d)
	reg, _ := c.registry()
	id := c.bind(reg, 1, "test_obj", 1)
	c.send(id, testReqDestroy, nil)
	m := c.mustRead()
	require.Equal(t, uint32(1), m.obj)
	require.Equal(t, displayEventDeleteID, m.opcode)
	require.Equal(t, id, u32(t, m))
	select {
	case got := <-h.destroyed:
		require.Equal(t, id, got)
	default:
		t.Fatal("destructor did not run before delete_id was sent")
	}
	// The id is free again: binding it anew is accepted (libwayland reuses
	// freed client slots).
	c.next = id
	id2 := c.bind(reg, 1, "test_obj", 1)
	require.Equal(t, id, id2)
	assert.Empty(t, c.roundtrip())
}
