// Command benchclient is the client program the compositor benchmarks
// (compositor/bench_test.go) build and run against headway serve, an
// in-process compositor or weston. It speaks the wire protocol by hand, so
// it links nothing but the standard library and x/sys, and it behaves the
// same against every server.
//
// Modes:
//
//	benchclient -mode sync
//	    connect to $WAYLAND_DISPLAY (a name in $XDG_RUNTIME_DIR or an
//	    absolute path), do one wl_display.sync round trip, print
//	    "done <CLOCK_MONOTONIC ns>" taken the moment wl_callback.done
//	    arrived, and exit. The parent reads the clock before exec.
//
//	benchclient -mode surfaces -clients N -surfaces S -width W -height H [-fullscreen]
//	    N connections, each with S xdg toplevels showing their own WxH
//	    XRGB8888 shm buffer (filled once, reused). Every surface attaches
//	    its buffer with full buffer damage, asks for a frame callback and
//	    commits, and does it again whenever the callback is done: one
//	    commit per surface per frame. Pings are answered, configures
//	    acked. -fullscreen asks for fullscreen toplevels (weston's
//	    desktop shell then covers the output with them). "ready" is printed once every surface has had a frame
//	    callback done; when stdin reaches EOF it prints
//	    "frames <callbacks done> <ns since ready>" and exits.
package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

func main() {
	mode := flag.String("mode", "sync", "sync or surfaces")
	clients := flag.Int("clients", 1, "connections (surfaces mode)")
	surfaces := flag.Int("surfaces", 1, "toplevels per connection (surfaces mode)")
	width := flag.Int("width", 32, "buffer width (surfaces mode)")
	height := flag.Int("height", 32, "buffer height (surfaces mode)")
	fullscreen := flag.Bool("fullscreen", false, "fullscreen toplevels (surfaces mode)")
	flag.Parse()
	path, err := socketPath()
	if err != nil {
		fail(err)
	}
	switch *mode {
	case "sync":
		err = syncOnce(path)
	case "surfaces":
		err = runSurfaces(path, *clients, *surfaces, *width, *height, *fullscreen)
	default:
		err = fmt.Errorf("unknown mode %q", *mode)
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "benchclient:", err)
	os.Exit(1)
}

func socketPath() (string, error) {
	name := os.Getenv("WAYLAND_DISPLAY")
	if name == "" {
		name = "wayland-0"
	}
	if filepath.IsAbs(name) {
		return name, nil
	}
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		return "", errors.New("XDG_RUNTIME_DIR is not set")
	}
	return filepath.Join(dir, name), nil
}

func monoNow() int64 {
	var ts unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return ts.Nano()
}

// Opcodes used below (wayland.xml, xdg-shell.xml).
const (
	displaySync        = 0
	displayGetRegistry = 1
	evDisplayError     = 0
	evDisplayDeleteID  = 1
	registryBind       = 0
	evRegistryGlobal   = 0
	evCallbackDone     = 0

	compositorCreateSurface = 0
	shmCreatePool           = 0
	shmPoolCreateBuffer     = 0
	shmPoolDestroy          = 1
	surfaceAttach           = 1
	surfaceFrame            = 3
	surfaceCommit           = 6
	surfaceDamageBuffer     = 9
	wmBaseGetXdgSurface     = 2
	wmBasePong              = 3
	evWmBasePing            = 0
	xdgSurfaceGetToplevel   = 1
	xdgSurfaceAckConfigure  = 4
	toplevelSetFullscreen   = 11
	evXdgSurfaceConfigure   = 0
)

// syncOnce is the exec-to-first-round-trip client: blocking syscalls on a
// raw socket, nothing else.
func syncOnce(path string) error {
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	if err := unix.Connect(fd, &unix.SockaddrUnix{Name: path}); err != nil {
		return fmt.Errorf("connect %s: %w", path, err)
	}
	var req [12]byte
	binary.NativeEndian.PutUint32(req[0:], 1)
	binary.NativeEndian.PutUint32(req[4:], 12<<16|displaySync)
	binary.NativeEndian.PutUint32(req[8:], 2)
	if _, err := unix.Write(fd, req[:]); err != nil {
		return err
	}
	var buf [4096]byte
	have := 0
	for {
		n, err := unix.Read(fd, buf[have:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		if n == 0 {
			return io.ErrUnexpectedEOF
		}
		have += n
		off := 0
		for have-off >= 8 {
			obj := binary.NativeEndian.Uint32(buf[off:])
			w := binary.NativeEndian.Uint32(buf[off+4:])
			size := int(w >> 16)
			if size < 8 || have-off < size {
				break
			}
			if obj == 2 && uint16(w) == evCallbackDone {
				t := monoNow()
				fmt.Printf("done %d\n", t)
				return nil
			}
			if obj == 1 && uint16(w) == evDisplayError {
				return errors.New("protocol error from the server")
			}
			off += size
		}
		have = copy(buf[:], buf[off:have])
	}
}

// conn is one connection of the surfaces mode.
type conn struct {
	c    *net.UnixConn
	out  []byte
	oob  []byte
	next uint32
	free []uint32
	in   []byte
	held []byte
}

func dial(path string) (*conn, error) {
	c, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, err
	}
	return &conn{c: c, next: 2, in: make([]byte, 1<<16)}, nil
}

// newID reuses ids the server released, most recent first, as libwayland's
// client map does, so the server's object table stays small.
func (c *conn) newID() uint32 {
	if n := len(c.free); n > 0 {
		id := c.free[n-1]
		c.free = c.free[:n-1]
		return id
	}
	id := c.next
	c.next++
	return id
}

// req appends one request whose arguments are all 32-bit words.
func (c *conn) req(obj uint32, op uint16, args ...uint32) {
	size := 8 + 4*len(args)
	c.out = binary.NativeEndian.AppendUint32(c.out, obj)
	c.out = binary.NativeEndian.AppendUint32(c.out, uint32(size)<<16|uint32(op))
	for _, a := range args {
		c.out = binary.NativeEndian.AppendUint32(c.out, a)
	}
}

func (c *conn) bind(registry, name uint32, iface string, version uint32) uint32 {
	id := c.newID()
	s := []byte(iface)
	s = append(s, 0)
	for len(s)%4 != 0 {
		s = append(s, 0)
	}
	size := 8 + 4 + 4 + len(s) + 4 + 4
	c.out = binary.NativeEndian.AppendUint32(c.out, registry)
	c.out = binary.NativeEndian.AppendUint32(c.out, uint32(size)<<16|registryBind)
	c.out = binary.NativeEndian.AppendUint32(c.out, name)
	c.out = binary.NativeEndian.AppendUint32(c.out, uint32(len(iface)+1))
	c.out = append(c.out, s...)
	c.out = binary.NativeEndian.AppendUint32(c.out, version)
	c.out = binary.NativeEndian.AppendUint32(c.out, id)
	return id
}

func (c *conn) flush(fds ...int) error {
	if len(c.out) == 0 {
		return nil
	}
	var oob []byte
	if len(fds) > 0 {
		oob = unix.UnixRights(fds...)
	}
	n, _, err := c.c.WriteMsgUnix(c.out, oob, nil)
	if err == nil && n < len(c.out) {
		_, err = c.c.Write(c.out[n:])
	}
	c.out = c.out[:0]
	return err
}

type event struct {
	obj  uint32
	op   uint16
	body []byte
}

// events reads once and returns the complete events (valid until the
// next call).
func (c *conn) events(dst []event) ([]event, error) {
	n, err := c.c.Read(c.in[len(c.held):])
	if err != nil {
		return nil, err
	}
	buf := c.in[:len(c.held)+n]
	off := 0
	for len(buf)-off >= 8 {
		w := binary.NativeEndian.Uint32(buf[off+4:])
		size := int(w >> 16)
		if size < 8 {
			return nil, fmt.Errorf("bad event size %d", size)
		}
		if len(buf)-off < size {
			break
		}
		dst = append(dst, event{obj: binary.NativeEndian.Uint32(buf[off:]), op: uint16(w), body: buf[off+8 : off+size]})
		off += size
	}
	// Events in dst point into c.in; the incomplete tail moves to the
	// front only after they are handled (see keepTail).
	c.held = buf[off:]
	return dst, nil
}

func (c *conn) keepTail() {
	n := copy(c.in, c.held)
	c.held = c.in[:n]
}

func u32(b []byte, i int) uint32 { return binary.NativeEndian.Uint32(b[4*i:]) }

func displayError(body []byte) error {
	if len(body) < 12 {
		return errors.New("protocol error")
	}
	l := int(u32(body, 2))
	msg := ""
	if l > 0 && 12+l <= len(body) {
		msg = string(body[12 : 12+l-1])
	}
	return fmt.Errorf("protocol error on object %d code %d: %s", u32(body, 0), u32(body, 1), msg)
}

// globals gets the registry and its globals with one round trip.
func (c *conn) globals() (registry uint32, gl map[string][2]uint32, err error) {
	registry = c.newID()
	c.req(1, displayGetRegistry, registry)
	cb := c.newID()
	c.req(1, displaySync, cb)
	if err := c.flush(); err != nil {
		return 0, nil, err
	}
	gl = map[string][2]uint32{}
	var evs []event
	for {
		evs, err = c.events(evs[:0])
		if err != nil {
			return 0, nil, err
		}
		done := false
		for _, e := range evs {
			switch {
			case e.obj == registry && e.op == evRegistryGlobal:
				l := int(u32(e.body, 1))
				name := string(e.body[8 : 8+l-1])
				gl[name] = [2]uint32{u32(e.body, 0), u32(e.body, 2+(l+3)/4)}
			case e.obj == 1 && e.op == evDisplayError:
				return 0, nil, displayError(e.body)
			case e.obj == 1 && e.op == evDisplayDeleteID:
				c.free = append(c.free, u32(e.body, 0))
			case e.obj == cb && e.op == evCallbackDone:
				done = true
			}
		}
		c.keepTail()
		if done {
			return registry, gl, nil
		}
	}
}

type surf struct {
	surface, xdgSurface, toplevel, buffer uint32
	w, h                                  uint32
	ackSerial                             uint32
	configured, needAck                   bool
	cb                                    uint32
	first                                 bool
}

func (c *conn) draw(s *surf) {
	if s.needAck {
		c.req(s.xdgSurface, xdgSurfaceAckConfigure, s.ackSerial)
		s.needAck = false
	}
	c.req(s.surface, surfaceAttach, s.buffer, 0, 0)
	c.req(s.surface, surfaceDamageBuffer, 0, 0, s.w, s.h)
	s.cb = c.newID()
	c.req(s.surface, surfaceFrame, s.cb)
	c.req(s.surface, surfaceCommit)
}

func runSurfaces(path string, nclients, nsurf, w, h int, fullscreen bool) error {
	var (
		readyWG sync.WaitGroup
		frames  atomic.Uint64
		errCh   = make(chan error, nclients)
	)
	readyWG.Add(nclients)
	for i := 0; i < nclients; i++ {
		go func() {
			errCh <- surfaceClient(path, nsurf, w, h, fullscreen, &readyWG, &frames)
		}()
	}
	ready := make(chan struct{})
	go func() { readyWG.Wait(); close(ready) }()
	select {
	case <-ready:
	case err := <-errCh:
		return err
	}
	start := time.Now()
	startFrames := frames.Load()
	out := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(out, "ready")
	out.Flush()
	stdinEOF := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); close(stdinEOF) }()
	select {
	case <-stdinEOF:
	case err := <-errCh:
		return err
	}
	fmt.Fprintf(out, "frames %d %d\n", frames.Load()-startFrames, time.Since(start).Nanoseconds())
	return out.Flush()
}

func surfaceClient(path string, nsurf, w, h int, fullscreen bool, ready *sync.WaitGroup, frames *atomic.Uint64) error {
	c, err := dial(path)
	if err != nil {
		return err
	}
	registry, gl, err := c.globals()
	if err != nil {
		return err
	}
	need := func(name string, max uint32) (uint32, error) {
		g, ok := gl[name]
		if !ok {
			return 0, fmt.Errorf("no global %s", name)
		}
		return c.bind(registry, g[0], name, min(g[1], max)), nil
	}
	comp, err := need("wl_compositor", 4)
	if err != nil {
		return err
	}
	shm, err := need("wl_shm", 1)
	if err != nil {
		return err
	}
	wm, err := need("xdg_wm_base", 1)
	if err != nil {
		return err
	}
	stride := w * 4
	size := stride * h
	var fds []int
	surfs := make([]*surf, nsurf)
	byXdg := map[uint32]*surf{}
	byCB := map[uint32]*surf{}
	for i := range surfs {
		fd, err := unix.MemfdCreate("benchclient", unix.MFD_CLOEXEC)
		if err != nil {
			return err
		}
		if err := unix.Ftruncate(fd, int64(size)); err != nil {
			return err
		}
		m, err := unix.Mmap(fd, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
		if err != nil {
			return err
		}
		for p := 0; p+4 <= len(m); p += 4 {
			binary.LittleEndian.PutUint32(m[p:], 0xff3366cc+uint32(i)*0x10)
		}
		_ = unix.Munmap(m)
		pool := c.newID()
		c.req(shm, shmCreatePool, pool, uint32(size)) // the fd travels out of band
		fds = append(fds, fd)
		s := &surf{w: uint32(w), h: uint32(h)}
		s.buffer = c.newID()
		c.req(pool, shmPoolCreateBuffer, s.buffer, 0, uint32(w), uint32(h), uint32(stride), 1 /* XRGB8888 */)
		c.req(pool, shmPoolDestroy)
		s.surface = c.newID()
		c.req(comp, compositorCreateSurface, s.surface)
		s.xdgSurface = c.newID()
		c.req(wm, wmBaseGetXdgSurface, s.xdgSurface, s.surface)
		s.toplevel = c.newID()
		c.req(s.xdgSurface, xdgSurfaceGetToplevel, s.toplevel)
		if fullscreen {
			c.req(s.toplevel, toplevelSetFullscreen, 0)
		}
		c.req(s.surface, surfaceCommit)
		byXdg[s.xdgSurface] = s
		surfs[i] = s
	}
	if err := c.flush(fds...); err != nil {
		return err
	}
	for _, fd := range fds {
		unix.Close(fd)
	}
	pending := nsurf
	var evs []event
	for {
		evs, err = c.events(evs[:0])
		if err != nil {
			return err
		}
		for _, e := range evs {
			switch {
			case e.obj == 1 && e.op == evDisplayError:
				return displayError(e.body)
			case e.obj == 1 && e.op == evDisplayDeleteID:
				c.free = append(c.free, u32(e.body, 0))
			case e.obj == wm && e.op == evWmBasePing:
				c.req(wm, wmBasePong, u32(e.body, 0))
			case e.op == evXdgSurfaceConfigure && byXdg[e.obj] != nil:
				s := byXdg[e.obj]
				s.ackSerial, s.needAck = u32(e.body, 0), true
				if !s.configured {
					s.configured = true
					c.draw(s)
					byCB[s.cb] = s
				}
			case e.op == evCallbackDone && byCB[e.obj] != nil:
				s := byCB[e.obj]
				delete(byCB, e.obj)
				frames.Add(1)
				if !s.first {
					s.first = true
					if pending--; pending == 0 {
						ready.Done()
					}
				}
				c.draw(s)
				byCB[s.cb] = s
			}
		}
		c.keepTail()
		if err := c.flush(); err != nil {
			return err
		}
	}
}
