package server

import (
	"context"
	"net"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/headwaywl/headway/clients/rawwire"
	"github.com/headwaywl/headway/clients/rawwire/rawwiretest"
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
	floods    atomic.Int32 // flood requests dispatched
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
		h.floods.Add(1)
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

// handlerFunc adapts a function to Handler, for tests whose requests each
// do one specific thing.
type handlerFunc func(r *Resource, opcode uint16, d *wire.Decoder) error

func (f handlerFunc) Dispatch(r *Resource, opcode uint16, d *wire.Decoder) error {
	return f(r, opcode, d)
}

func newTestHandler() *testHandler {
	return &testHandler{fds: make(chan fdCall, 64), destroyed: make(chan uint32, 64), eventFD: -1}
}

// startDisplay runs a display with the test global and stops it at cleanup.
func startDisplay(t testing.TB, h *testHandler, opts ...Option) *Display {
	t.Helper()
	return startDisplayWith(t, func(d *Display) {
		d.AddGlobal(testIface, 1, func(c *Client, r *Resource) {
			r.SetHandler(h)
			r.SetDestructor(func(r *Resource) {
				select {
				case h.destroyed <- r.ID():
				default:
				}
			})
		})
	}, opts...)
}

// startDisplayWith runs a display whose globals setup adds before Run, and
// stops it at cleanup.
func startDisplayWith(t testing.TB, setup func(d *Display), opts ...Option) *Display {
	t.Helper()
	d := NewDisplay(append([]Option{WithTrace(nil)}, opts...)...)
	setup(d)
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

// connect hands the display one end of a socket pair and returns a raw-wire
// client on the other, so tests can send anything, including broken
// messages.
func connect(t testing.TB, d *Display) *rawwiretest.Client {
	t.Helper()
	_, c := connectClient(t, d)
	return c
}

// connectClient is connect that also returns the server's Client.
func connectClient(t testing.TB, d *Display) (*Client, *rawwiretest.Client) {
	t.Helper()
	srv, cli, err := socket.Pair()
	require.NoError(t, err)
	sc, err := d.AddClient(srv)
	require.NoError(t, err)
	fc, err := net.FileConn(cli)
	require.NoError(t, err)
	require.NoError(t, cli.Close())
	return sc, rawwiretest.Wrap(t, rawwire.New(fc.(*net.UnixConn)))
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
