package server

import (
	"fmt"
	"syscall"
	"testing"

	"github.com/headwaywl/headway/clients/rawwire"
	"github.com/headwaywl/headway/protocol/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// spawnerIface's bind makes two server-allocated childIface objects, as a
// compositor does for wl_data_offer or wl_drm_lease_device_v1.
var (
	spawnerIface = &Interface{Name: "test_spawner", Version: 1}
	childIface   = &Interface{Name: "test_child", Version: 1, Requests: []Message{
		{Name: "poke", Signature: "", Since: 1},
	}}
)

// startSpawner runs a display whose test_spawner global (name 1) creates two
// server objects per bind; pokes reports the id of each poked child.
func startSpawner(t *testing.T) (d *Display, pokes chan uint32) {
	pokes = make(chan uint32, 8)
	d = startDisplayWith(t, func(d *Display) {
		d.AddGlobal(spawnerIface, 1, func(c *Client, r *Resource) {
			for range 2 {
				child, err := c.CreateResource(childIface, 1)
				require.NoError(t, err)
				child.SetHandler(handlerFunc(func(r *Resource, _ uint16, _ *wire.Decoder) error {
					pokes <- r.ID()
					return nil
				}))
			}
		})
	})
	return d, pokes
}

// TestRequestsReachServerAllocatedObjects: wl_map_lookup looks ids from
// WL_SERVER_ID_START (0xff000000) up in the server range, so a request to
// a server-created object is dispatched to it.
func TestRequestsReachServerAllocatedObjects(t *testing.T) {
	d, pokes := startSpawner(t)
	c := connect(t, d)
	reg, _ := c.MustRegistry()
	c.MustBindOn(reg, 1, "test_spawner", 1)
	c.MustSend(ServerIDStart, 0, nil)
	c.MustSend(ServerIDStart+1, 0, nil)
	require.Empty(t, c.MustRoundtrip())
	for _, want := range []uint32{ServerIDStart, ServerIDStart + 1} {
		select {
		case got := <-pokes:
			assert.Equal(t, want, got)
		default:
			t.Fatalf("object %#x was not poked", want)
		}
	}
}

// TestUnknownIDsAtTheEndOfEachRange sends requests to the first id past
// each range's table: wl_map_lookup finds nothing there, and
// wl_client_connection_data answers "invalid object %u".
func TestUnknownIDsAtTheEndOfEachRange(t *testing.T) {
	cases := []struct {
		name string
		bind bool // bind the spawner: client id 4, server ids 0xff000000-1
		id   uint32
	}{
		// After get_registry (2) and its sync (3) the client table ends
		// at 3.
		{"client id one past the table", false, 4},
		{"server id with no server object", false, ServerIDStart},
		{"server id one past the table", true, ServerIDStart + 2},
		{"last server id", true, 0xffffffff},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, _ := startSpawner(t)
			c := connect(t, d)
			reg, _ := c.MustRegistry()
			if tc.bind {
				c.MustBindOn(reg, 1, "test_spawner", 1)
			}
			c.MustSend(tc.id, 0, nil)
			assert.Equal(t, &rawwire.DisplayError{Object: 1, Interface: "wl_display", Code: ErrorInvalidObject,
				Message: fmt.Sprintf("invalid object %d", tc.id)}, c.MustExpectError())
		})
	}
}

// TestServerIDsReusedLastFreedFirst: wl_map_remove pushes a freed server id
// on the head of the free list and wl_map_insert_new takes the head, so
// freed ids come back most recent first before the table grows.
func TestServerIDsReusedLastFreedFirst(t *testing.T) {
	d := NewDisplay(WithTrace(nil))
	c, err := newClient(d, nil)
	require.NoError(t, err)
	create := func() *Resource {
		r, err := c.CreateResource(childIface, 1)
		require.NoError(t, err)
		return r
	}
	a, b := create(), create()
	create()
	assert.Equal(t, ServerIDStart+1, b.ID())
	a.Destroy()
	b.Destroy()
	var got []uint32
	for range 3 {
		got = append(got, create().ID())
	}
	assert.Equal(t, []uint32{ServerIDStart + 1, ServerIDStart, ServerIDStart + 3}, got)
}

// TestClientIDRangeEndsAtMaxObjects: wl_map_insert_at and
// wl_map_reserve_new refuse an index above WL_MAP_MAX_OBJECTS (0xf00000),
// so the client range ends at id 0xf00000 itself.
func TestClientIDRangeEndsAtMaxObjects(t *testing.T) {
	d := NewDisplay(WithTrace(nil))
	c, err := newClient(d, nil)
	require.NoError(t, err)
	// A table of 0xf00000 slots, as a client that created that many
	// objects has (125 MB of pointers).
	objects := make([]*Resource, maxObjects, maxObjects+2)
	copy(objects, c.objects)
	c.objects = objects
	r, err := c.NewResource(maxObjects, testIface, 1)
	require.NoError(t, err, "id 0xf00000 is in range")
	assert.Equal(t, uint32(maxObjects), r.ID())
	assert.Same(t, r, c.Lookup(maxObjects))
	_, err = c.NewResource(maxObjects+1, testIface, 1)
	var pe *ProtocolError
	require.ErrorAs(t, err, &pe, "id 0xf00001 is one past the range")
	assert.Equal(t, &ProtocolError{Object: 1, Code: ErrorInvalidObject, Message: "invalid new id 15728641"}, pe)
}

// TestServerIDRangeEndsAtMaxObjects: wl_map_insert_new refuses only an
// index above WL_MAP_MAX_OBJECTS (count > WL_MAP_MAX_OBJECTS), so the last
// server id is 0xff000000 + 0xf00000, and the one after fails with ENOSPC.
func TestServerIDRangeEndsAtMaxObjects(t *testing.T) {
	d := NewDisplay(WithTrace(nil))
	c, err := newClient(d, nil)
	require.NoError(t, err)
	c.serverObjects = make([]*Resource, maxObjects, maxObjects+2)
	r, err := c.CreateResource(childIface, 1)
	require.NoError(t, err)
	assert.Equal(t, ServerIDStart+maxObjects, r.ID())
	assert.Same(t, r, c.Lookup(ServerIDStart+maxObjects))
	_, err = c.CreateResource(childIface, 1)
	assert.ErrorIs(t, err, syscall.ENOSPC)
}
