package compositor_test

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/clients/rawwire"
	"github.com/headwaywl/headway/compositor"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/protocol/headwaytest"
	"github.com/headwaywl/headway/protocol/socket"
	"github.com/headwaywl/headway/protocol/wayland"
	"github.com/headwaywl/headway/protocol/wire"
	"github.com/headwaywl/headway/protocol/xdgshell"
)

// testTimeout bounds every wait on an event; tests wait for the event
// itself, never for time to pass.
const testTimeout = 20 * time.Second

// rig is one in-process compositor listening on a socket in a temporary
// directory.
type rig struct {
	t    testing.TB
	comp *compositor.Compositor
	path string
	done chan error
}

// Tests run on vkms with a small mode added unless they pick a profile:
// every test renders frames, and the race detector makes full-size frames
// slow. The tests with real clients keep the profile's own modes.
const rigW, rigH = 320, 240

func smallVKMS(t testing.TB) *profile.Profile {
	p, err := profile.Load("vkms")
	require.NoError(t, err)
	p.Connectors[0].Modes = append(p.Connectors[0].Modes, profile.Mode{HDisplay: rigW, VDisplay: rigH, Refresh: 60})
	return p
}

func startRig(t testing.TB, cfg compositor.Config) *rig {
	t.Helper()
	if cfg.Profile == nil && cfg.Width == 0 {
		cfg.Profile, cfg.Width, cfg.Height = smallVKMS(t), rigW, rigH
	}
	// The compositor's warnings and errors fail the test: a refused log
	// line, a panic in the output path, a render error.
	var diag lockedBuffer
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(&diag, &slog.HandlerOptions{Level: slog.LevelWarn}))
		t.Cleanup(func() {
			diag.mu.Lock()
			defer diag.mu.Unlock()
			for _, bad := range []string{"negotiation log", "panic", "render failed"} {
				if strings.Contains(diag.b.String(), bad) {
					t.Errorf("compositor diagnostics:\n%s", diag.b.String())
					break
				}
			}
		})
	}
	comp, err := compositor.New(cfg)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "wayland-test")
	l, err := socket.Listen(path)
	require.NoError(t, err)
	comp.Display().AddListener(l)
	r := &rig{t: t, comp: comp, path: path, done: make(chan error, 1)}
	go func() { r.done <- comp.Run(context.Background()) }()
	t.Cleanup(func() {
		comp.Close()
		select {
		case <-r.done:
		case <-time.After(testTimeout):
			t.Errorf("compositor did not stop")
		}
	})
	return r
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

// tclient is a raw-wire test client with the compositor's globals bound.
type tclient struct {
	t testing.TB
	*rawwire.Client
	globals map[string]rawwire.Global
	bound   map[string]uint32
	events  []rawwire.Message // read but not yet consumed
}

func (r *rig) dial() *tclient {
	r.t.Helper()
	c, err := rawwire.Dial(r.path)
	require.NoError(r.t, err)
	r.t.Cleanup(func() { c.Close() })
	_, gs, err := c.Registry(ctxT(r.t))
	require.NoError(r.t, err)
	tc := &tclient{t: r.t, Client: c, globals: map[string]rawwire.Global{}, bound: map[string]uint32{}}
	for _, g := range gs {
		tc.globals[g.Interface] = g
	}
	return tc
}

// bind binds a global at its advertised version (once per client).
func (c *tclient) bind(iface string) uint32 {
	c.t.Helper()
	if id, ok := c.bound[iface]; ok {
		return id
	}
	g, ok := c.globals[iface]
	require.True(c.t, ok, "no global %s", iface)
	id, err := c.Bind(g.Name, iface, g.Version)
	require.NoError(c.t, err)
	c.bound[iface] = id
	return id
}

func (c *tclient) send(obj uint32, op uint16, args func(e *wire.Encoder)) {
	c.t.Helper()
	if args == nil {
		args = func(*wire.Encoder) {}
	}
	require.NoError(c.t, c.Send(obj, op, args))
}

// next returns the next event (queued ones first).
func (c *tclient) next() rawwire.Message {
	c.t.Helper()
	if len(c.events) > 0 {
		m := c.events[0]
		c.events = c.events[1:]
		return m
	}
	m, err := c.Read(ctxT(c.t))
	require.NoError(c.t, err)
	if m.Is(rawwire.DisplayID, rawwire.EvDisplayError) {
		de, _ := c.ParseError(m)
		c.t.Fatalf("unexpected protocol error: %v", de)
	}
	return m
}

// waitFor reads until an event of obj with opcode arrives, keeping the
// others queued in order.
func (c *tclient) waitFor(obj uint32, op uint16) rawwire.Message {
	c.t.Helper()
	for i, m := range c.events {
		if m.Is(obj, op) {
			c.events = append(c.events[:i], c.events[i+1:]...)
			return m
		}
	}
	for {
		m, err := c.Read(ctxT(c.t))
		require.NoError(c.t, err, "waiting for event %d on object %d", op, obj)
		if m.Is(rawwire.DisplayID, rawwire.EvDisplayError) {
			de, _ := c.ParseError(m)
			c.t.Fatalf("unexpected protocol error: %v", de)
		}
		if m.Is(obj, op) {
			return m
		}
		c.events = append(c.events, m)
	}
}

// has reports whether a queued event of obj with opcode exists, after a
// round trip (so everything the server sent before it has arrived).
func (c *tclient) sync() {
	c.t.Helper()
	ms, err := c.Roundtrip(ctxT(c.t))
	require.NoError(c.t, err)
	for _, m := range ms {
		if m.Is(rawwire.DisplayID, rawwire.EvDisplayError) {
			de, _ := c.ParseError(m)
			c.t.Fatalf("unexpected protocol error: %v", de)
		}
	}
	c.events = append(c.events, ms...)
}

func (c *tclient) drop(obj uint32, op uint16) int {
	n := 0
	keep := c.events[:0]
	for _, m := range c.events {
		if m.Is(obj, op) {
			n++
			continue
		}
		keep = append(keep, m)
	}
	c.events = keep
	return n
}

// window is an xdg toplevel that has acked its first configure.
type window struct {
	surface, xdgSurface, toplevel uint32
}

func (c *tclient) newSurface() uint32 {
	comp := c.bind("wl_compositor") // binds first: ids must be used in order
	id := c.NewObject("wl_surface")
	c.send(comp, wayland.WlCompositorRequestCreateSurface, func(e *wire.Encoder) { e.NewID(id) })
	return id
}

func (c *tclient) toplevel() window {
	c.t.Helper()
	wm := c.bind("xdg_wm_base")
	var w window
	w.surface = c.newSurface()
	w.xdgSurface = c.NewObject("xdg_surface")
	c.send(wm, xdgshell.XdgWmBaseRequestGetXdgSurface, func(e *wire.Encoder) { e.NewID(w.xdgSurface); e.Object(w.surface) })
	w.toplevel = c.NewObject("xdg_toplevel")
	c.send(w.xdgSurface, xdgshell.XdgSurfaceRequestGetToplevel, func(e *wire.Encoder) { e.NewID(w.toplevel) })
	c.send(w.surface, wayland.WlSurfaceRequestCommit, nil)
	m := c.waitFor(w.xdgSurface, xdgshell.XdgSurfaceEventConfigure)
	serial, err := m.Uint()
	require.NoError(c.t, err)
	c.drop(w.toplevel, xdgshell.XdgToplevelEventConfigure)
	c.send(w.xdgSurface, xdgshell.XdgSurfaceRequestAckConfigure, func(e *wire.Encoder) { e.Uint(serial) })
	return w
}

// shmBuffer makes a wl_buffer of format f from pixel bytes (stride per
// row) in a fresh memfd; it returns the buffer and the memfd.
func (c *tclient) shmBuffer(f fourcc.Format, w, h, stride int, pix []byte) (uint32, int) {
	c.t.Helper()
	fd, err := unix.MemfdCreate("headway-test", unix.MFD_CLOEXEC)
	require.NoError(c.t, err)
	c.t.Cleanup(func() { unix.Close(fd) })
	size := stride * h
	require.NoError(c.t, unix.Ftruncate(fd, int64(size)))
	if len(pix) > 0 {
		_, err = unix.Pwrite(fd, pix[:size], 0)
		require.NoError(c.t, err)
	}
	shm := c.bind("wl_shm")
	pool := c.NewObject("wl_shm_pool")
	c.send(shm, wayland.WlShmRequestCreatePool, func(e *wire.Encoder) { e.NewID(pool); e.FD(fd); e.Int(int32(size)) })
	buf := c.NewObject("wl_buffer")
	code := uint32(f)
	switch f {
	case fourcc.ARGB8888:
		code = 0
	case fourcc.XRGB8888:
		code = 1
	}
	c.send(pool, wayland.WlShmPoolRequestCreateBuffer, func(e *wire.Encoder) {
		e.NewID(buf)
		e.Int(0)
		e.Int(int32(w))
		e.Int(int32(h))
		e.Int(int32(stride))
		e.Uint(code)
	})
	c.send(pool, wayland.WlShmPoolRequestDestroy, nil)
	return buf, fd
}

// show attaches buf to s with full damage and commits, asking for a
// frame callback; it returns the callback id.
func (c *tclient) show(s, buf uint32) uint32 {
	c.send(s, wayland.WlSurfaceRequestAttach, func(e *wire.Encoder) { e.Object(buf); e.Int(0); e.Int(0) })
	c.send(s, wayland.WlSurfaceRequestDamageBuffer, func(e *wire.Encoder) { e.Int(0); e.Int(0); e.Int(1 << 30); e.Int(1 << 30) })
	cb := c.NewObject("wl_callback")
	c.send(s, wayland.WlSurfaceRequestFrame, func(e *wire.Encoder) { e.NewID(cb) })
	c.send(s, wayland.WlSurfaceRequestCommit, nil)
	return cb
}

// advance moves a manual clock by n vblanks and returns the sequence.
func (c *tclient) advance(n uint32) uint64 {
	c.t.Helper()
	test := c.bind("headway_test_v1")
	cb := c.NewObject("wl_callback")
	c.send(test, headwaytest.HeadwayTestV1RequestAdvance, func(e *wire.Encoder) { e.NewID(cb); e.Uint(n) })
	m := c.waitFor(cb, rawwire.EvCallbackDone)
	v, err := m.Uint()
	require.NoError(c.t, err)
	return uint64(v)
}

// expectError reads until the protocol error and checks object,
// interface and code.
func (c *tclient) expectError(obj uint32, iface string, code uint32) *rawwire.DisplayError {
	c.t.Helper()
	de, err := c.ExpectError(ctxT(c.t))
	require.NoError(c.t, err)
	require.Equal(c.t, obj, de.Object, "error object (message %q)", de.Message)
	require.Equal(c.t, iface, de.Interface, "error interface (message %q)", de.Message)
	require.Equal(c.t, code, de.Code, "error code (message %q)", de.Message)
	return de
}

// frameOfCallbackTime is the vblank whose frame callbacks carry time ms
// (seq·period in ms, truncated).
func (r *rig) frameOfCallbackTime(ms uint32) uint64 {
	r.t.Helper()
	m := r.comp.Mode()
	period, err := m.Period()
	require.NoError(r.t, err)
	seq := uint64(ms) * 1_000_000 / uint64(period)
	for uint32(int64(seq)*period/1_000_000) < ms {
		seq++
	}
	require.Equal(r.t, ms, uint32(int64(seq)*period/1_000_000), "no frame has callback time %d", ms)
	return seq
}

// crc returns the CRC of frame seq, which must be known.
func (r *rig) crc(seq uint64) uint32 {
	r.t.Helper()
	v, ok := r.comp.CRC(seq)
	require.True(r.t, ok, "no CRC for frame %d", seq)
	return v
}

func fmtSeq(seq uint64) string { return fmt.Sprintf("frame %d", seq) }
