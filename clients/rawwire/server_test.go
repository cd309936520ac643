package rawwire_test

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/headwaywl/headway/clients/rawwire"
	"github.com/headwaywl/headway/clients/rawwire/rawwiretest"
	"github.com/headwaywl/headway/protocol/server"
	"github.com/headwaywl/headway/protocol/socket"
	"github.com/headwaywl/headway/protocol/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// fdIface gives the real server something beyond the core protocol to
// exercise: an fd between two plain arguments, an fd event, and a protocol
// error posted on a client-bound object.
var fdIface = &server.Interface{
	Name:    "rawwire_test",
	Version: 1,
	Requests: []server.Message{
		{Name: "take_fd", Signature: "uhu", Since: 1, Types: []*server.Interface{nil, nil, nil}},
		{Name: "send_fd", Signature: "", Since: 1},
		{Name: "fail", Signature: "u", Since: 1, Types: []*server.Interface{nil}},
	},
	Events: []server.Message{
		{Name: "ping", Signature: "u", Since: 1, Types: []*server.Interface{nil}},
		{Name: "fd", Signature: "h", Since: 1, Types: []*server.Interface{nil}},
	},
}

const (
	reqTakeFD uint16 = iota
	reqSendFD
	reqFail
)

const (
	evPing uint16 = iota
	evFD
)

type took struct {
	a, b uint32
	ino  uint64
}

type fdHandler struct {
	took    chan took
	eventFD int
}

func (h *fdHandler) Dispatch(r *server.Resource, opcode uint16, d *wire.Decoder) error {
	switch opcode {
	case reqTakeFD:
		a, _ := d.Uint()
		fd, err := d.FD()
		if err != nil {
			return err
		}
		defer unix.Close(fd)
		b, _ := d.Uint()
		var st unix.Stat_t
		if err := unix.Fstat(fd, &st); err != nil {
			return err
		}
		h.took <- took{a, b, st.Ino}
	case reqSendFD:
		// A ping first, so the test sees that the fd does not ride on it.
		e := r.BeginEvent(evPing)
		e.Uint(7)
		if err := r.EndEvent(e); err != nil {
			return err
		}
		e = r.BeginEvent(evFD)
		e.FD(h.eventFD)
		return r.EndEvent(e)
	case reqFail:
		code, _ := d.Uint()
		return server.Errorf(r, code, "failed on purpose")
	}
	return nil
}

// serve runs a display with the test global and a listening socket at an
// absolute path in a fresh directory, and returns both.
func serve(t *testing.T) (*server.Display, *fdHandler, string) {
	t.Helper()
	efd, _ := memfd(t)
	h := &fdHandler{took: make(chan took, 16), eventFD: efd}
	d := server.NewDisplay(server.WithTrace(nil))
	d.AddGlobal(fdIface, 1, func(c *server.Client, r *server.Resource) { r.SetHandler(h) })
	path := filepath.Join(t.TempDir(), "wayland-rawwire")
	l, err := socket.Listen(path)
	require.NoError(t, err)
	d.AddListener(l)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(rawwire.DefaultTimeout):
			t.Error("display did not stop")
		}
	})
	return d, h, path
}

func memfd(t testing.TB) (int, uint64) {
	t.Helper()
	fd, err := unix.MemfdCreate("rawwire-test", unix.MFD_CLOEXEC)
	require.NoError(t, err)
	t.Cleanup(func() { unix.Close(fd) })
	return fd, inode(t, fd)
}

func inode(t testing.TB, fd int) uint64 {
	t.Helper()
	var st unix.Stat_t
	require.NoError(t, unix.Fstat(fd, &st))
	return st.Ino
}

// bindTest connects and binds the test global.
func bindTest(t *testing.T, path string) (*rawwiretest.Client, uint32) {
	t.Helper()
	c := rawwiretest.Dial(t, path)
	_, gs := c.MustRegistry()
	require.Equal(t, []rawwire.Global{{Name: 1, Interface: "rawwire_test", Version: 1}}, gs)
	id := c.MustBind(1, "rawwire_test", 1)
	require.Empty(t, c.MustRoundtrip())
	return c, id
}

func TestDialResolvesNamesLikeLibwayland(t *testing.T) {
	_, _, path := serve(t)
	dir, name := filepath.Split(path)

	t.Run("absolute path", func(t *testing.T) {
		t.Setenv("XDG_RUNTIME_DIR", "")
		c := rawwiretest.Dial(t, path)
		assert.Empty(t, c.MustRoundtrip())
	})
	t.Run("name under XDG_RUNTIME_DIR", func(t *testing.T) {
		t.Setenv("XDG_RUNTIME_DIR", dir)
		c := rawwiretest.Dial(t, name)
		assert.Empty(t, c.MustRoundtrip())
	})
	t.Run("empty name is WAYLAND_DISPLAY", func(t *testing.T) {
		t.Setenv("XDG_RUNTIME_DIR", dir)
		t.Setenv("WAYLAND_DISPLAY", name)
		c := rawwiretest.Dial(t, "")
		assert.Empty(t, c.MustRoundtrip())
	})
	t.Run("relative name without XDG_RUNTIME_DIR", func(t *testing.T) {
		t.Setenv("XDG_RUNTIME_DIR", "")
		_, err := rawwire.Dial(name)
		require.ErrorIs(t, err, unix.ENOENT)
	})
	t.Run("path too long for sun_path", func(t *testing.T) {
		_, err := rawwire.Dial("/" + strings.Repeat("x", 200))
		require.ErrorIs(t, err, unix.ENAMETOOLONG)
	})
	t.Run("nobody listening", func(t *testing.T) {
		_, err := rawwire.Dial(filepath.Join(t.TempDir(), "wayland-none"))
		require.Error(t, err)
	})
}

func TestRegistryBindAndObjectTable(t *testing.T) {
	_, _, path := serve(t)
	c := rawwiretest.Dial(t, path)
	reg, gs := c.MustRegistry()
	assert.Equal(t, uint32(2), reg, "get_registry takes the first id after wl_display")
	assert.Equal(t, []rawwire.Global{{Name: 1, Interface: "rawwire_test", Version: 1}}, gs)
	id := c.MustBind(1, "rawwire_test", 1)
	// The roundtrip's callback took id 3 and was freed by delete_id.
	assert.Equal(t, uint32(4), id)
	assert.Empty(t, c.MustRoundtrip())

	iface, ok := c.Interface(1)
	assert.True(t, ok)
	assert.Equal(t, "wl_display", iface)
	iface, _ = c.Interface(reg)
	assert.Equal(t, "wl_registry", iface)
	iface, _ = c.Interface(id)
	assert.Equal(t, "rawwire_test", iface)
	_, ok = c.Interface(3)
	assert.False(t, ok, "delete_id removes the callback from the table")
}

func TestBindWithoutRegistry(t *testing.T) {
	_, _, path := serve(t)
	c := rawwiretest.Dial(t, path)
	_, err := c.Bind(1, "rawwire_test", 1)
	require.Error(t, err)
}

func TestSendCarriesFDsWithTheirMessage(t *testing.T) {
	_, h, path := serve(t)
	c, id := bindTest(t, path)
	fd1, ino1 := memfd(t)
	fd2, ino2 := memfd(t)

	c.MustSend(id, reqTakeFD, func(e *wire.Encoder) { e.Uint(1); e.FD(fd1); e.Uint(10) })
	// A batch through WriteRaw: both fds ride on its first byte and the
	// server hands them out in message order.
	var batch []byte
	for _, a := range []uint32{2, 3} {
		batch = append(batch, rawwiretest.Encode(t, id, reqTakeFD, func(e *wire.Encoder) { e.Uint(a); e.FD(0); e.Uint(a * 10) })...)
	}
	c.MustWriteRaw(batch, fd2, fd1)
	require.Empty(t, c.MustRoundtrip())

	for _, want := range []took{{1, 10, ino1}, {2, 20, ino2}, {3, 30, ino1}} {
		select {
		case got := <-h.took:
			assert.Equal(t, want, got)
		default:
			t.Fatalf("the server did not receive %v", want)
		}
	}
}

func TestReadHandsEventsTheirFDs(t *testing.T) {
	_, h, path := serve(t)
	c, id := bindTest(t, path)
	want := inode(t, h.eventFD)

	c.MustSend(id, reqSendFD, nil)
	ping := c.MustRead()
	assert.True(t, ping.Is(id, evPing))
	assert.Empty(t, ping.FDs, "the fd must not ride on the event before its own")
	assert.Equal(t, uint32(7), rawwiretest.Uint(t, ping))

	ev := c.MustRead()
	assert.True(t, ev.Is(id, evFD))
	args := rawwiretest.Args(t, ev, "h")
	require.Len(t, ev.FDs, 1)
	assert.Equal(t, ev.FDs[0], args[0])
	assert.Equal(t, want, inode(t, ev.FDs[0]))
	assert.NotEqual(t, h.eventFD, ev.FDs[0])
	flags, err := unix.FcntlInt(uintptr(ev.FDs[0]), unix.F_GETFD, 0)
	require.NoError(t, err)
	assert.NotZero(t, flags&unix.FD_CLOEXEC, "received fds are close-on-exec")
	ev.CloseFDs()
	assert.Nil(t, ev.FDs)
}

func TestExpectErrorInvalidObject(t *testing.T) {
	_, _, path := serve(t)
	c := rawwiretest.Dial(t, path)
	c.MustSend(42, 0, nil)
	de, err := c.ExpectError(context.Background())
	require.NoError(t, err)
	assert.Equal(t, &rawwire.DisplayError{Object: 1, Interface: "wl_display", Code: rawwire.ErrorInvalidObject, Message: "invalid object 42"}, de)
	assert.Equal(t, "wl_display@1: error 0: invalid object 42", de.Error())
	_, err = c.Read(context.Background())
	assert.ErrorIs(t, err, rawwire.ErrDisconnected, "the closed connection stays closed")
}

func TestExpectErrorNamesTheObjectFromTheClientTable(t *testing.T) {
	_, _, path := serve(t)
	c, id := bindTest(t, path)
	c.MustSend(id, reqFail, func(e *wire.Encoder) { e.Uint(5) })
	assert.Equal(t, &rawwire.DisplayError{Object: id, Interface: "rawwire_test", Code: 5, Message: "failed on purpose"}, c.MustExpectError())
}

func TestMalformedHeaderThroughWriteRaw(t *testing.T) {
	_, _, path := serve(t)
	c := rawwiretest.Dial(t, path)
	// wl_display.sync stating a size of 4, below the header itself.
	hdr := make([]byte, wire.HeaderSize)
	wire.PutHeader(hdr, wire.Header{Object: 1, Opcode: rawwire.OpDisplaySync, Size: 4})
	c.MustWriteRaw(hdr)
	de := c.MustExpectError()
	assert.Equal(t, uint32(1), de.Object)
	assert.Equal(t, rawwire.ErrorInvalidMethod, de.Code)
}

func TestRoundtripReportsProtocolError(t *testing.T) {
	_, _, path := serve(t)
	c := rawwiretest.Dial(t, path)
	c.MustSend(1, 9, nil)
	_, err := c.Roundtrip(context.Background())
	var de *rawwire.DisplayError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, rawwire.ErrorInvalidMethod, de.Code)
}

func TestEOFDetection(t *testing.T) {
	d, _, path := serve(t)

	t.Run("silent drop", func(t *testing.T) {
		c, sc := connectPair(t, d)
		require.Empty(t, c.MustRoundtrip())
		drop(t, d, sc)
		ms, err := c.ExpectDisconnect(context.Background())
		require.NoError(t, err)
		assert.Empty(t, ms)
		_, err = c.Read(context.Background())
		assert.ErrorIs(t, err, rawwire.ErrDisconnected)
		assert.ErrorIs(t, err, io.EOF)
	})
	t.Run("drop where an error was expected", func(t *testing.T) {
		c, sc := connectPair(t, d)
		require.Empty(t, c.MustRoundtrip())
		drop(t, d, sc)
		_, err := c.ExpectError(context.Background())
		assert.ErrorIs(t, err, rawwire.ErrDisconnected)
	})
	t.Run("error where a silent drop was expected", func(t *testing.T) {
		c := rawwiretest.Dial(t, path)
		c.MustSend(42, 0, nil)
		_, err := c.ExpectDisconnect(context.Background())
		var de *rawwire.DisplayError
		require.ErrorAs(t, err, &de)
		assert.Equal(t, "invalid object 42", de.Message)
	})
	t.Run("read until close keeps the error", func(t *testing.T) {
		c := rawwiretest.Dial(t, path)
		c.MustSend(42, 0, nil)
		ms := c.MustReadUntilClose()
		require.Len(t, ms, 1)
		de, err := c.ParseError(ms[0])
		require.NoError(t, err)
		assert.Equal(t, rawwire.ErrorInvalidObject, de.Code)
	})
	t.Run("write after close", func(t *testing.T) {
		c := rawwiretest.Dial(t, path)
		c.MustSend(42, 0, nil)
		c.MustExpectError()
		// The kernel may take one more write before it notices; a few
		// suffice to see EPIPE.
		var err error
		for i := 0; i < 8 && err == nil; i++ {
			err = c.Send(1, rawwire.OpDisplaySync, func(e *wire.Encoder) { e.NewID(c.NewID()) })
		}
		assert.ErrorIs(t, err, rawwire.ErrDisconnected)
	})
}

// connectPair serves one end of a socket pair on d and returns a client on
// the other with the server's handle, so a test can drop it.
func connectPair(t *testing.T, d *server.Display) (*rawwiretest.Client, *server.Client) {
	t.Helper()
	srv, cli := pair(t)
	sc, err := d.AddClient(srv)
	require.NoError(t, err)
	return rawwiretest.Wrap(t, rawwire.New(cli)), sc
}

// drop disconnects sc without a protocol error.
func drop(t *testing.T, d *server.Display, sc *server.Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), rawwire.DefaultTimeout)
	defer cancel()
	require.NoError(t, d.Call(ctx, sc.Destroy))
}

func TestReadDeadlineAndCancel(t *testing.T) {
	_, _, path := serve(t)
	c := rawwiretest.Dial(t, path)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := c.Read(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)

	ctx, cancel = context.WithCancel(context.Background())
	go cancel()
	_, err = c.Read(ctx)
	require.ErrorIs(t, err, context.Canceled)

	c.SetTimeout(10 * time.Millisecond)
	_, err = c.Read(context.Background())
	require.ErrorIs(t, err, os.ErrDeadlineExceeded)
	c.SetTimeout(rawwire.DefaultTimeout)

	// Neither timeout nor cancellation spoils the connection.
	assert.Empty(t, c.MustRoundtrip())
}

// TestConcurrentReaderAndWriters is for the race detector: writers allocate
// ids and send while the reader removes ids from the table on delete_id.
func TestConcurrentReaderAndWriters(t *testing.T) {
	_, _, path := serve(t)
	c := rawwiretest.Dial(t, path)
	const writers, each = 4, 50
	var wg sync.WaitGroup
	// The server refuses a new id more than one past the highest, so an id
	// must go out before the next is allocated.
	var order sync.Mutex
	errs := make(chan error, writers)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				order.Lock()
				cb := c.NewObject("wl_callback")
				err := c.Send(1, rawwire.OpDisplaySync, func(e *wire.Encoder) { e.NewID(cb) })
				order.Unlock()
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	done, deleted := 0, 0
	for deleted < writers*each {
		m := c.MustRead()
		switch {
		case m.Is(rawwire.DisplayID, rawwire.EvDisplayDeleteID):
			id := rawwiretest.Uint(t, m)
			_, known := c.Interface(id)
			assert.False(t, known, "delete_id(%d) must remove it from the table", id)
			deleted++
		case m.Opcode == rawwire.EvCallbackDone && m.Object != rawwire.DisplayID:
			done++
		default:
			t.Fatalf("unexpected %v", m)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Equal(t, writers*each, done)
}

func TestSendRefusesWhatTheEncoderRefuses(t *testing.T) {
	srv, cli := pair(t)
	c := rawwire.New(cli)
	defer c.Close()
	err := c.Send(1, 0, func(e *wire.Encoder) { e.String(strings.Repeat("x", wire.MaxMessageSize)) })
	require.ErrorIs(t, err, wire.ErrTooLarge)
	err = c.WriteRaw(nil, 0)
	require.ErrorIs(t, err, unix.EINVAL)
	// Nothing reached the peer: the next bytes are the sync below.
	require.NoError(t, c.Send(1, rawwire.OpDisplaySync, func(e *wire.Encoder) { e.NewID(2) }))
	buf := make([]byte, 64)
	require.NoError(t, srv.SetReadDeadline(time.Now().Add(rawwire.DefaultTimeout)))
	n, err := srv.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, 12, n)
}

// pair returns the two ends of a socket pair, the first standing in for a
// server.
func pair(t testing.TB) (*net.UnixConn, *net.UnixConn) {
	t.Helper()
	srv, cliFile, err := socket.Pair()
	require.NoError(t, err)
	fc, err := net.FileConn(cliFile)
	require.NoError(t, err)
	require.NoError(t, cliFile.Close())
	t.Cleanup(func() { srv.Close() })
	return srv, fc.(*net.UnixConn)
}
