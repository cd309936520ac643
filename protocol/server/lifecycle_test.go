package server

import (
	"context"
	"io"
	"log/slog"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/headwaywl/headway/clients/rawwire/rawwiretest"
	"github.com/headwaywl/headway/protocol/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// pipeProbe is the write end of a pipe to pass to the server, and the read
// end that sees EOF once every copy of the write end is closed: how a test
// observes that the server closed an fd it received.
type pipeProbe struct {
	r *os.File
	w int
}

func newPipeProbe(t *testing.T) *pipeProbe {
	t.Helper()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	t.Cleanup(func() { r.Close() })
	wfd, err := unix.FcntlInt(w.Fd(), unix.F_DUPFD_CLOEXEC, 3)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	t.Cleanup(func() { unix.Close(wfd) })
	return &pipeProbe{r: r, w: wfd}
}

// dropOwn closes the test's copy of the write end once it is sent, so that
// only the server's copy is left.
func (p *pipeProbe) dropOwn(t *testing.T) {
	t.Helper()
	require.NoError(t, unix.Close(p.w))
	p.w = -1
}

// requireClosed waits until the server has closed its copy of the write
// end: the read end then reports EOF.
func (p *pipeProbe) requireClosed(t *testing.T, msg string) {
	t.Helper()
	require.NoError(t, p.r.SetReadDeadline(time.Now().Add(testTimeout)))
	_, err := p.r.Read(make([]byte, 1))
	require.ErrorIs(t, err, io.EOF, msg)
}

// TestHangupDestroysTheClient closes the client's end of the connection:
// wl_client_connection_data sees the read return 0 and destroys the client
// without a protocol error. Its resources' destructors run, then its
// destroy listeners, which find the failure in FailErr; the fds it sent and
// no request consumed are closed.
func TestHangupDestroysTheClient(t *testing.T) {
	h := newTestHandler()
	d := startDisplay(t, h)
	sc, c := connectClient(t, d)
	type gone struct {
		failErr   error
		posted    PostedError
		destroyed int // destructors run before the listener
	}
	goneC := make(chan gone, 1)
	doSync(t, d, func() {
		sc.AddDestroyListener(func(c *Client) { goneC <- gone{c.FailErr(), c.Error(), len(h.destroyed)} })
	})
	id := bindTest(t, c)
	// An fd sent with a request that takes none waits in the queue for a
	// later fd argument, until the client hangs up.
	probe := newPipeProbe(t)
	c.MustWriteRaw(rawwiretest.Encode(t, id, testReqFlood, func(e *wire.Encoder) { e.Uint(0) }), probe.w)
	probe.dropOwn(t)
	require.Empty(t, c.MustRoundtrip())
	require.NoError(t, c.Close())

	select {
	case g := <-goneC:
		assert.ErrorIs(t, g.failErr, syscall.ECONNRESET, "EOF is reported as a reset connection")
		assert.False(t, g.posted.Sent, "no protocol error on hangup")
		assert.Equal(t, 1, g.destroyed, "resource destructors run before the destroy listener")
	case <-timeoutC():
		t.Fatal("the client was not destroyed after it hung up")
	}
	probe.requireClosed(t, "a queued fd is closed when its client goes")
}

// ignoreIface's request has an fd argument its handler never reads.
var ignoreIface = &Interface{Name: "test_ignore", Version: 1, Requests: []Message{
	{Name: "ignore", Signature: "h", Since: 1, Types: []*Interface{nil}},
}}

// TestUntakenFDArgumentIsClosed sends an fd argument the handler does not
// take: it is closed once the request is dispatched, so that the queue
// stays aligned.
func TestUntakenFDArgumentIsClosed(t *testing.T) {
	d := startDisplayWith(t, func(d *Display) {
		d.AddGlobal(ignoreIface, 1, func(c *Client, r *Resource) {
			r.SetHandler(handlerFunc(func(*Resource, uint16, *wire.Decoder) error { return nil }))
		})
	})
	c := connect(t, d)
	reg, _ := c.MustRegistry()
	id := c.MustBindOn(reg, 1, "test_ignore", 1)
	probe := newPipeProbe(t)
	c.MustWriteRaw(rawwiretest.Encode(t, id, 0, func(e *wire.Encoder) { e.FD(0) }), probe.w)
	probe.dropOwn(t)
	probe.requireClosed(t, "the untaken fd is closed after its request")
	assert.Empty(t, c.MustRoundtrip(), "the client carries on")
}

// TestDetachedClientOwnsNoFD: the fuzz harness drives clients without a
// connection; destroying one must close none of the process's fds (stdin,
// stdout and stderr are the ones a wrong "no fd" value would hit).
func TestDetachedClientOwnsNoFD(t *testing.T) {
	open := func() [3]bool {
		var st [3]bool
		for fd := range st {
			_, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
			st[fd] = err == nil
		}
		return st
	}
	var saved [3]int
	for fd := range saved {
		saved[fd], _ = unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 3)
	}
	before := open()
	d := NewDisplay(WithTrace(nil))
	c, err := newClient(d, nil)
	require.NoError(t, err)
	r, err := c.NewResource(2, testIface, 1)
	require.NoError(t, err)
	e := r.BeginEvent(0)
	e.Uint(1)
	require.NoError(t, r.EndEvent(e))
	c.write()
	c.Destroy()
	after := open()
	for fd, s := range saved {
		if s >= 0 {
			if !after[fd] {
				_ = unix.Dup3(s, fd, 0) // put it back for the rest of the run
			}
			unix.Close(s)
		}
	}
	assert.Equal(t, before, after)
}

// TestDestroyedRegistryGetsNoGlobals: a registry the compositor destroys
// leaves the display's registry list (unbind_resource removes its link), and
// the client's other registries still hear of new globals.
func TestDestroyedRegistryGetsNoGlobals(t *testing.T) {
	d := startDisplay(t, newTestHandler())
	sc, c := connectClient(t, d)
	first, _ := c.MustRegistry()
	second, _ := c.MustRegistry()
	doSync(t, d, func() { sc.Lookup(first).Destroy() })
	doSync(t, d, func() { d.AddGlobal(CallbackInterface, 1, nil) })
	ms := c.MustRoundtrip()
	require.Len(t, ms, 2)
	assert.True(t, ms[0].Is(1, displayEventDeleteID))
	assert.Equal(t, first, rawwiretest.Uint(t, ms[0]))
	assert.True(t, ms[1].Is(second, registryEventGlobal))
}

// TestClientDestructionOrder hangs up a client with objects in both id
// ranges: as wl_client_destroy's wl_map_for_each, destructors run for the
// client range in id order, then the server range in id order, and the
// destroy listener after them (see AddDestroyListener).
func TestClientDestructionOrder(t *testing.T) {
	order := make(chan uint32, 16)
	record := func(r *Resource) { order <- r.ID() }
	const listener = 0 // stands for the destroy listener in order
	d := startDisplayWith(t, func(d *Display) {
		d.AddGlobal(spawnerIface, 1, func(c *Client, r *Resource) {
			r.SetDestructor(record)
			for range 2 {
				child, err := c.CreateResource(childIface, 1)
				require.NoError(t, err)
				child.SetDestructor(record)
			}
			c.AddDestroyListener(func(*Client) { order <- listener })
		})
		d.AddGlobal(testIface, 1, func(c *Client, r *Resource) { r.SetDestructor(record) })
	})
	c := connect(t, d)
	reg, _ := c.MustRegistry()
	spawner := c.MustBindOn(reg, 1, "test_spawner", 1)
	obj := c.MustBindOn(reg, 2, "test_obj", 1)
	require.Empty(t, c.MustRoundtrip())
	require.NoError(t, c.Close())
	want := []uint32{spawner, obj, ServerIDStart, ServerIDStart + 1, listener}
	var got []uint32
	for range want {
		select {
		case id := <-order:
			got = append(got, id)
		case <-timeoutC():
			t.Fatalf("destruction stopped after %v", got)
		}
	}
	assert.Equal(t, want, got)
}

// recordHandler keeps the log records at error level.
type recordHandler struct {
	mu   sync.Mutex
	msgs []string
}

func (h *recordHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }

func (h *recordHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.msgs = append(h.msgs, r.Message)
	return nil
}

func (h *recordHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *recordHandler) WithGroup(string) slog.Handler      { return h }

func (h *recordHandler) errors() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.msgs...)
}

// TestCallbackPanicsAreRecoveredAndLogged: a panic in a Do function, a
// destructor or a destroy listener costs nothing but an error log record
// (Do's documentation); callbacks that return normally log nothing.
func TestCallbackPanicsAreRecoveredAndLogged(t *testing.T) {
	logs := &recordHandler{}
	d := startDisplayWith(t, func(d *Display) {
		d.AddGlobal(testIface, 1, func(c *Client, r *Resource) {
			r.SetHandler(newTestHandler())
			r.SetDestructor(func(r *Resource) {
				if r.ID() == 4 {
					panic("destructor")
				}
			})
		})
	}, WithLogger(slog.New(logs)))
	sc, c := connectClient(t, d)
	doSync(t, d, func() {})
	require.Empty(t, logs.errors(), "a Do function that returns logs nothing")
	d.Do(func() { panic("do") })
	doSync(t, d, func() {})
	assert.Equal(t, []string{"wayland: panic in Do function"}, logs.errors())

	first := bindTest(t, c)
	second := bindTest(t, c)
	c.MustSend(second, testReqDestroy, nil)
	require.Len(t, c.MustRoundtrip(), 1, "delete_id")
	assert.Len(t, logs.errors(), 1, "a destructor that returns logs nothing")
	c.MustSend(first, testReqDestroy, nil)
	ms := c.MustRoundtrip()
	require.Len(t, ms, 1, "the destructor's panic does not stop delete_id")
	assert.True(t, ms[0].Is(1, displayEventDeleteID))
	assert.Equal(t, []string{"wayland: panic in Do function", "wayland: panic in callback"}, logs.errors())

	gone := make(chan struct{})
	doSync(t, d, func() {
		sc.AddDestroyListener(func(*Client) { panic("listener") })
		sc.AddDestroyListener(func(*Client) { close(gone) })
	})
	require.NoError(t, c.Close())
	select {
	case <-gone:
	case <-timeoutC():
		t.Fatal("the listener after the panicking one did not run")
	}
	doSync(t, d, func() {})
	assert.Equal(t, []string{"wayland: panic in Do function", "wayland: panic in callback", "wayland: panic in callback"}, logs.errors())
}

// TestAlive: Alive is true from creation until Destroy, and false for nil.
func TestAlive(t *testing.T) {
	d := NewDisplay(WithTrace(nil))
	c, err := newClient(d, nil)
	require.NoError(t, err)
	r, err := c.NewResource(2, testIface, 1)
	require.NoError(t, err)
	assert.True(t, r.Alive())
	r.Destroy()
	assert.False(t, r.Alive())
	assert.False(t, (*Resource)(nil).Alive())
}

// TestErrorsPostedOnTwoClientsInOneRound disconnects both: every client
// that failed in a round is destroyed at its end.
func TestErrorsPostedOnTwoClientsInOneRound(t *testing.T) {
	d := startDisplay(t, newTestHandler())
	sa, a := connectClient(t, d)
	sb, b := connectClient(t, d)
	ida, idb := bindTest(t, a), bindTest(t, b)
	doSync(t, d, func() {
		sa.Lookup(ida).PostError(5, "first")
		sb.Lookup(idb).PostError(6, "second")
	})
	// ExpectError also requires the connection to close after the error.
	assert.Equal(t, uint32(5), a.MustExpectError().Code)
	assert.Equal(t, uint32(6), b.MustExpectError().Code)
}
