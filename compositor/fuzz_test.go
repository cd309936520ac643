package compositor_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"log/slog"
	"path/filepath"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/clients/rawwire"
	"github.com/headwaywl/headway/compositor"
	"github.com/headwaywl/headway/protocol/linuxdmabuf"
	"github.com/headwaywl/headway/protocol/socket"
	"github.com/headwaywl/headway/protocol/wayland"
	"github.com/headwaywl/headway/protocol/wire"
	"github.com/headwaywl/headway/protocol/xdgshell"
)

// fuzzGlobals are the globals in the order the compositor adds them, so a
// fuzz input can name them by id: global i+1 is bound to id i+3.
var fuzzGlobals = []struct {
	iface   string
	version uint32
}{
	{"wl_compositor", 6}, {"wl_subcompositor", 1}, {"wl_shm", 2}, {"wl_output", 4},
	{"xdg_wm_base", 6}, {"wl_seat", 9}, {"wl_data_device_manager", 3}, {"wp_viewporter", 1},
	{"wp_presentation", 2}, {"wp_single_pixel_buffer_manager_v1", 1}, {"headway_test_v1", 2},
	{"zwp_linux_dmabuf_v1", 5}, {"wp_linux_drm_syncobj_manager_v1", 1},
	{"zwp_linux_explicit_synchronization_v1", 2},
}

const fuzzFirstFree = 3 + 14

func fuzzPrefix() []byte {
	var b []byte
	add := func(obj uint32, op uint16, args func(e *wire.Encoder)) {
		m, _, err := rawwire.Encode(obj, op, args)
		if err != nil {
			panic(err)
		}
		b = append(b, m...)
	}
	add(1, rawwire.OpDisplayGetRegistry, func(e *wire.Encoder) { e.NewID(2) })
	for i, g := range fuzzGlobals {
		add(2, rawwire.OpRegistryBind, func(e *wire.Encoder) { e.Uint(uint32(i + 1)); e.UntypedNewID(g.iface, g.version, uint32(3+i)) })
	}
	return b
}

func fuzzSeed(build func(add func(obj uint32, op uint16, args func(e *wire.Encoder)))) []byte {
	var b []byte
	build(func(obj uint32, op uint16, args func(e *wire.Encoder)) {
		if args == nil {
			args = func(*wire.Encoder) {}
		}
		m, _, err := rawwire.Encode(obj, op, args)
		if err != nil {
			panic(err)
		}
		b = append(b, m...)
	})
	return b
}

// FuzzCompositorRequests sends arbitrary requests (after binding every
// global) from one client and checks that the compositor never panics in
// a handler and that a second client still gets a frame rendered.
func FuzzCompositorRequests(f *testing.F) {
	s, x, tl := uint32(fuzzFirstFree), uint32(fuzzFirstFree+1), uint32(fuzzFirstFree+2)
	f.Add(fuzzSeed(func(add func(uint32, uint16, func(*wire.Encoder))) {
		add(3, wayland.WlCompositorRequestCreateSurface, func(e *wire.Encoder) { e.NewID(s) })
		add(7, xdgshell.XdgWmBaseRequestGetXdgSurface, func(e *wire.Encoder) { e.NewID(x); e.Object(s) })
		add(x, xdgshell.XdgSurfaceRequestGetToplevel, func(e *wire.Encoder) { e.NewID(tl) })
		add(s, wayland.WlSurfaceRequestCommit, nil)
		add(s, wayland.WlSurfaceRequestSetBufferScale, func(e *wire.Encoder) { e.Int(3) })
		add(s, wayland.WlSurfaceRequestDamageBuffer, func(e *wire.Encoder) { e.Int(-5); e.Int(1 << 30); e.Int(1 << 30); e.Int(-1) })
		add(s, wayland.WlSurfaceRequestCommit, nil)
	}))
	f.Add(fuzzSeed(func(add func(uint32, uint16, func(*wire.Encoder))) {
		add(3, wayland.WlCompositorRequestCreateRegion, func(e *wire.Encoder) { e.NewID(s) })
		add(s, wayland.WlRegionRequestAdd, func(e *wire.Encoder) { e.Int(-1 << 31); e.Int(-1 << 31); e.Int(1<<31 - 1); e.Int(1<<31 - 1) })
		add(4, wayland.WlSubcompositorRequestGetSubsurface, func(e *wire.Encoder) { e.NewID(x); e.Object(s); e.Object(s) })
	}))
	// linux-dmabuf params: fd arguments draw on the sealed memfds every
	// input is sent with.
	f.Add(fuzzSeed(func(add func(uint32, uint16, func(*wire.Encoder))) {
		add(14, linuxdmabuf.ZwpLinuxDmabufV1RequestCreateParams, func(e *wire.Encoder) { e.NewID(s) })
		add(s, linuxdmabuf.ZwpLinuxBufferParamsV1RequestAdd, func(e *wire.Encoder) {
			e.FD(0) // the fd travels out of band; the input carries none
			e.Uint(0)
			e.Uint(0)
			e.Uint(64)
			e.Uint(0)
			e.Uint(0)
		})
		add(s, linuxdmabuf.ZwpLinuxBufferParamsV1RequestCreateImmed, func(e *wire.Encoder) { e.NewID(x); e.Int(16); e.Int(8); e.Uint(0x34325258); e.Uint(1) })
	}))
	f.Add([]byte{})

	var plog lockedBuffer // catches what the compositor logs about a recovered panic
	comp, err := compositor.New(compositor.Config{Clock: compositor.Manual, Logger: slog.New(slog.NewTextHandler(&plog, &slog.HandlerOptions{Level: slog.LevelError}))})
	require.NoError(f, err)
	path := filepath.Join(f.TempDir(), "wayland-fuzz")
	l, err := socket.Listen(path)
	require.NoError(f, err)
	comp.Display().AddListener(l)
	done := make(chan error, 1)
	go func() { done <- comp.Run(context.Background()) }()
	f.Cleanup(func() { comp.Close(); <-done })
	prefix := fuzzPrefix()
	// Sealed memfds, sent with every input for the fd arguments of
	// zwp_linux_buffer_params_v1.add.
	var fds []int
	for i := 0; i < 4; i++ {
		fds = append(fds, dmabufMemfd(f, make([]byte, 4096), true))
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		bad, err := rawwire.Dial(path)
		require.NoError(t, err)
		defer bad.Close()
		// Only whole messages: a cut one would swallow the round trip's
		// sync, and a server waiting for the rest of a message is not a
		// finding. (Cut streams are protocol/server's fuzz target.)
		_ = bad.WriteRaw(append(append([]byte{}, prefix...), wholeMessages(data)...), fds...)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, _ = bad.Roundtrip(ctx)

		good, err := rawwire.Dial(path)
		require.NoError(t, err)
		defer good.Close()
		gc := &tclient{t: t, Client: good, globals: map[string]rawwire.Global{}, bound: map[string]uint32{}}
		good.SetTimeout(5 * time.Second)
		_, gs, err := good.Registry(context.Background())
		if err != nil {
			var dump bytes.Buffer
			_ = pprof.Lookup("goroutine").WriteTo(&dump, 2)
			t.Fatalf("the compositor stopped answering: %v\n%s", err, dump.String())
		}
		for _, g := range gs {
			gc.globals[g.Interface] = g
		}
		gc.advance(1)
		plog.mu.Lock()
		logged := plog.b.String()
		plog.mu.Unlock()
		require.NotContains(t, logged, "panic", "a handler panicked")
	})
}

// wholeMessages keeps the complete messages at the front of data: those
// whose header's size fits in what follows (a size below the header is
// kept too: the server must refuse it).
func wholeMessages(data []byte) []byte {
	off := 0
	for len(data)-off >= wire.HeaderSize {
		size := int(binary.NativeEndian.Uint32(data[off+4:]) >> 16)
		if size > len(data)-off {
			break
		}
		if size < wire.HeaderSize {
			return data[:off+wire.HeaderSize]
		}
		off += size
	}
	return data[:off]
}
