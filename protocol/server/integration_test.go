package server_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/headwaywl/headway/protocol/server"
	"github.com/headwaywl/headway/protocol/socket"
	"github.com/headwaywl/headway/protocol/wayland"
	"github.com/rajveermalviya/go-wayland/wayland/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type rect struct{ x, y, w, h int32 }

type compositor struct{ regions chan rect }

func (c *compositor) CreateSurface(r, id *server.Resource) error {
	return server.Errorf(r, 0, "no surfaces in this test")
}

func (c *compositor) CreateRegion(r, id *server.Resource) error {
	id.SetHandler(wayland.WlRegionDispatcher(c))
	return nil
}

func (c *compositor) Destroy(r *server.Resource) error { return nil }

func (c *compositor) Add(r *server.Resource, x, y, w, h int32) error {
	c.regions <- rect{x, y, w, h}
	return nil
}

func (c *compositor) Subtract(r *server.Resource, x, y, w, h int32) error { return nil }

// TestGeneratedBindingsWithGoWayland serves wl_compositor through the
// generated protocol/wayland bindings and drives it with go-wayland:
// typed new_id, argument decoding and a destructor request end to end.
func TestGeneratedBindingsWithGoWayland(t *testing.T) {
	comp := &compositor{regions: make(chan rect, 4)}
	d := server.NewDisplay(server.WithTrace(nil))
	d.AddGlobal(wayland.WlCompositorInterface, 6, func(c *server.Client, r *server.Resource) {
		r.SetHandler(wayland.WlCompositorDispatcher(comp))
	})
	dir := t.TempDir()
	l, err := socket.Listen(filepath.Join(dir, "wayland-int"))
	require.NoError(t, err)
	d.AddListener(l)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Error("display did not stop")
		}
	}()

	disp, err := client.Connect(filepath.Join(dir, "wayland-int"))
	require.NoError(t, err)
	defer disp.Context().Close()
	disp.SetErrorHandler(func(e client.DisplayErrorEvent) { t.Errorf("protocol error %d: %s", e.Code, e.Message) })
	var deleted []uint32
	disp.SetDeleteIdHandler(func(e client.DisplayDeleteIdEvent) { deleted = append(deleted, e.Id) })
	reg, err := disp.GetRegistry()
	require.NoError(t, err)
	var name uint32
	reg.SetGlobalHandler(func(e client.RegistryGlobalEvent) {
		if e.Interface == "wl_compositor" {
			name = e.Name
		}
	})
	roundtrip := func() {
		cb, err := disp.Sync()
		require.NoError(t, err)
		ok := false
		cb.SetDoneHandler(func(client.CallbackDoneEvent) { ok = true })
		for !ok {
			require.NoError(t, disp.Context().Dispatch())
		}
	}
	roundtrip()
	require.NotZero(t, name)
	wc := client.NewCompositor(disp.Context())
	require.NoError(t, reg.Bind(name, "wl_compositor", 6, wc))
	region, err := wc.CreateRegion()
	require.NoError(t, err)
	require.NoError(t, region.Add(1, 2, 3, 4))
	require.NoError(t, region.Destroy())
	roundtrip()
	select {
	case got := <-comp.regions:
		assert.Equal(t, rect{1, 2, 3, 4}, got)
	default:
		t.Fatal("region.add did not reach the handler")
	}
	assert.Contains(t, deleted, region.ID(), "the destructor request is acknowledged with delete_id")
}
