package server

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/headwaywl/headway/protocol/socket"
	"github.com/headwaywl/headway/protocol/wire"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

const testTimeout = 20 * time.Second

// testIface is a small interface exercising what wayland.xml's core does
// not: fds in the middle of a message, destructors, versions, floods.
var testIface = &Interface{Name: "test_obj", Version: 2}

const (
	testReqDestroy uint16 = iota
	testReqTakeFD
	testReqFlood
	testReqBoom
	testReqV2
	testReqSendFD
)

func init() {
	testIface.Requests = []Message{
		{Name: "destroy", Signature: "", Since: 1, Destructor: true},
		{Name: "take_fd", Signature: "uhu", Since: 1, Types: []*Interface{nil, nil, nil}},
		{Name: "flood", Signature: "u", Since: 1, Types: []*Interface{nil}},
		{Name: "boom", Signature: "", Since: 1},
		{Name: "v2_only", Signature: "", Since: 2},
		{Name: "send_fd", Signature: "", Since: 1},
	}
	testIface.Events = []Message{
		{Name: "ping", Signature: "u", Since: 1, Types: []*Interface{nil}},
		{Name: "fd", Signature: "h", Since: 1, Types: []*Interface{nil}},
	}
}

type fdCall struct {
	a, b uint32
	ino  uint64
}

type testHandler struct {
	fds       chan fdCall
	destroyed chan uint32
	eventFD   int
	maxFlood  uint32
}

func (h *testHandler) Dispatch(r *Resource, opcode uint16, d *wire.Decoder) error {
	switch opcode {
	case testReqDestroy:
	case testReqTakeFD:
		a, err := d.Uint()
		if err != nil {
			return err
		}
		fd, err := d.FD()
		if err != nil {
			return err
		}
		b, err := d.Uint()
		if err != nil {
			unix.Close(fd)
			return err
		}
		var st unix.Stat_t
		serr := unix.Fstat(fd, &st)
		unix.Close(fd)
		if serr != nil {
			return serr
		}
		h.fds <- fdCall{a: a, b: b, ino: st.Ino}
	case testReqFlood:
		n, err := d.Uint()
		if err != nil {
			return err
		}
		if h.maxFlood > 0 && n > h.maxFlood {
			n = h.maxFlood
		}
		for i := uint32(0); i < n; i++ {
			e := r.BeginEvent(0)
			if e == nil {
				return nil // client gone: events are dropped
			}
			e.Uint(i)
			if err := r.EndEvent(e); err != nil {
				return err
			}
		}
	case testReqBoom:
		var m map[string]int
		m["x"] = 1 // nil map write: a handler bug
	case testReqSendFD:
		e := r.BeginEvent(1)
		if e == nil {
			return nil
		}
		e.FD(h.eventFD)
		if err := r.EndEvent(e); err != nil {
			return err
		}
		e = r.BeginEvent(0)
		if e == nil {
			return nil
		}
		e.Uint(7)
		return r.EndEvent(e)
	}
	return nil
}

func newTestHandler() *testHandler {
	return &testHandler{fds: make(chan fdCall, 64), destroyed: make(chan uint32, 64), eventFD: -1}
}

// startDisplay runs a display with the test global and stops it at cleanup.
func startDisplay(t testing.TB, h *testHandler, opts ...Option) *Display {
	t.Helper()
	d := NewDisplay(append([]Option{WithTrace(nil)}, opts...)...)
	d.AddGlobal(testIface, 1, func(c *Client, r *Resource) {
		r.SetHandler(h)
		r.SetDestructor(func(r *Resource) {
			select {
			case h.destroyed <- r.ID():
			default:
			}
		})
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(testTimeout):
			t.Error("display did not stop")
		}
	})
	return d
}

type msg struct {
	obj    uint32
	opcode uint16
	body   []byte
	fds    []int
}

// rawClient speaks the wire directly with protocol/wire, so tests can send
// anything, including broken messages.
type rawClient struct {
	t    testing.TB
	conn *net.UnixConn
	buf  []byte
	fds  []int
	next uint32
	tmp  []byte
}

func connect(t testing.TB, d *Display) *rawClient {
	t.Helper()
	srv, cli, err := socket.Pair()
	require.NoError(t, err)
	_, err = d.AddClient(srv)
	require.NoError(t, err)
	fc, err := net.FileConn(cli)
	require.NoError(t, err)
	require.NoError(t, cli.Close())
	c := &rawClient{t: t, conn: fc.(*net.UnixConn), next: 2}
	t.Cleanup(func() { c.conn.Close() })
	return c
}

func (c *rawClient) newID() uint32 {
	id := c.next
	c.next++
	return id
}

func encode(obj uint32, opcode uint16, args func(e *wire.Encoder)) []byte {
	var e wire.Encoder
	e.Begin(nil, nil, obj, opcode)
	if args != nil {
		args(&e)
	}
	b, _, err := e.Finish()
	if err != nil {
		panic(err)
	}
	return b
}

func (c *rawClient) write(b []byte, fds ...int) {
	c.t.Helper()
	var oob []byte
	if len(fds) > 0 {
		oob = unix.UnixRights(fds...)
	}
	_, _, err := c.conn.WriteMsgUnix(b, oob, nil)
	require.NoError(c.t, err)
}

func (c *rawClient) send(obj uint32, opcode uint16, args func(e *wire.Encoder)) {
	c.t.Helper()
	c.write(encode(obj, opcode, args))
}

// read returns the next message, or an error (io.EOF-like) when the server
// closed the connection.
func (c *rawClient) read() (msg, error) {
	oob := make([]byte, unix.CmsgSpace(28*4))
	deadline := time.Now().Add(testTimeout)
	for {
		if len(c.buf) >= 8 {
			size := int(binary.NativeEndian.Uint32(c.buf[4:8]) >> 16)
			if size >= 8 && len(c.buf) >= size {
				m := msg{
					obj:    binary.NativeEndian.Uint32(c.buf[0:4]),
					opcode: uint16(binary.NativeEndian.Uint32(c.buf[4:8])),
					body:   append([]byte(nil), c.buf[8:size]...),
				}
				c.buf = c.buf[size:]
				return m, nil
			}
		}
		if err := c.conn.SetReadDeadline(deadline); err != nil {
			return msg{}, err
		}
		if c.tmp == nil {
			c.tmp = make([]byte, 65536)
		}
		tmp := c.tmp
		n, oobn, _, _, err := c.conn.ReadMsgUnix(tmp, oob)
		if oobn > 0 {
			scms, perr := unix.ParseSocketControlMessage(oob[:oobn])
			require.NoError(c.t, perr)
			for _, s := range scms {
				fds, ferr := unix.ParseUnixRights(&s)
				require.NoError(c.t, ferr)
				c.fds = append(c.fds, fds...)
			}
		}
		if n == 0 && err == nil {
			return msg{}, errEOF
		}
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				c.t.Fatalf("no message from the server within %v", testTimeout)
			}
			if errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) {
				return msg{}, errEOF
			}
			return msg{}, err
		}
		c.buf = append(c.buf, tmp[:n]...)
	}
}

var errEOF = errors.New("connection closed by server")

func (c *rawClient) mustRead() msg {
	c.t.Helper()
	m, err := c.read()
	require.NoError(c.t, err)
	return m
}

// expectEOF reads until the server closes, returning what came before.
func (c *rawClient) expectEOF() []msg {
	c.t.Helper()
	var ms []msg
	for {
		m, err := c.read()
		if err != nil {
			require.ErrorIs(c.t, err, errEOF)
			return ms
		}
		ms = append(ms, m)
	}
}

type errorEvent struct {
	object, code uint32
	message      string
}

func parseError(t testing.TB, m msg) errorEvent {
	t.Helper()
	require.Equal(t, uint32(1), m.obj, "error comes from wl_display")
	require.Equal(t, displayEventError, m.opcode)
	var d wire.Decoder
	d.Reset(m.body, nil)
	o, err := d.Object()
	require.NoError(t, err)
	code, err := d.Uint()
	require.NoError(t, err)
	s, err := d.String()
	require.NoError(t, err)
	return errorEvent{o, code, s}
}

func u32(t testing.TB, m msg) uint32 {
	t.Helper()
	var d wire.Decoder
	d.Reset(m.body, nil)
	v, err := d.Uint()
	require.NoError(t, err)
	return v
}

// roundtrip sends wl_display.sync and returns every message before done.
func (c *rawClient) roundtrip() []msg {
	c.t.Helper()
	cb := c.newID()
	c.send(1, displayRequestSync, func(e *wire.Encoder) { e.NewID(cb) })
	var ms []msg
	for {
		m := c.mustRead()
		if m.obj == cb && m.opcode == callbackEventDone {
			del := c.mustRead()
			require.Equal(c.t, uint32(1), del.obj)
			require.Equal(c.t, displayEventDeleteID, del.opcode)
			require.Equal(c.t, cb, u32(c.t, del))
			return ms
		}
		ms = append(ms, m)
	}
}

type global struct {
	name    uint32
	iface   string
	version uint32
}

// registry gets the registry and returns it with the globals.
func (c *rawClient) registry() (uint32, []global) {
	c.t.Helper()
	reg := c.newID()
	c.send(1, displayRequestGetRegistry, func(e *wire.Encoder) { e.NewID(reg) })
	var gs []global
	for _, m := range c.roundtrip() {
		require.Equal(c.t, reg, m.obj)
		require.Equal(c.t, registryEventGlobal, m.opcode)
		var d wire.Decoder
		d.Reset(m.body, nil)
		name, _ := d.Uint()
		iface, _ := d.String()
		v, err := d.Uint()
		require.NoError(c.t, err)
		gs = append(gs, global{name, iface, v})
	}
	return reg, gs
}

func (c *rawClient) bind(reg, name uint32, iface string, version uint32) uint32 {
	id := c.newID()
	c.send(reg, registryRequestBind, func(e *wire.Encoder) {
		e.Uint(name)
		e.UntypedNewID(iface, version, id)
	})
	return id
}

func memfd(t testing.TB) (int, uint64) {
	t.Helper()
	fd, err := unix.MemfdCreate("test", unix.MFD_CLOEXEC)
	require.NoError(t, err)
	t.Cleanup(func() { unix.Close(fd) })
	var st unix.Stat_t
	require.NoError(t, unix.Fstat(fd, &st))
	return fd, st.Ino
}

func timeoutC() <-chan time.Time { return time.After(testTimeout) }

func pairForTest() (*net.UnixConn, *os.File, error) { return socket.Pair() }
