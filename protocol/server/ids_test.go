package server

import (
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var childIface = &Interface{Name: "test_child", Version: 1, Requests: []Message{
	{Name: "poke", Signature: "", Since: 1},
}}

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
