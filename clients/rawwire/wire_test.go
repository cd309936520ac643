package rawwire_test

import (
	"context"
	"io"
	"net"
	"testing"
	"time"

	"github.com/headwaywl/headway/clients/rawwire"
	"github.com/headwaywl/headway/clients/rawwire/rawwiretest"
	"github.com/headwaywl/headway/protocol/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// These tests play the server by hand on a socket pair, to produce what a
// correct server never sends.

func event(t testing.TB, obj uint32, opcode uint16, args func(*wire.Encoder)) []byte {
	t.Helper()
	return rawwiretest.Encode(t, obj, opcode, args)
}

func serverWrite(t testing.TB, srv *net.UnixConn, b []byte, fds ...int) {
	t.Helper()
	var oob []byte
	if len(fds) > 0 {
		oob = unix.UnixRights(fds...)
	}
	n, _, err := srv.WriteMsgUnix(b, oob, nil)
	require.NoError(t, err)
	require.Equal(t, len(b), n)
}

func shortCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	t.Cleanup(cancel)
	return ctx
}

func TestReadResumesAnEventAfterATimeout(t *testing.T) {
	srv, cli := pair(t)
	c := rawwiretest.Wrap(t, rawwire.New(cli))
	fd, ino := memfd(t)
	ev := event(t, 5, 1, func(e *wire.Encoder) { e.Uint(9); e.FD(fd) })

	serverWrite(t, srv, ev[:6], fd)
	_, err := c.Read(shortCtx(t))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	serverWrite(t, srv, ev[6:10])
	_, err = c.Read(shortCtx(t))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	serverWrite(t, srv, ev[10:])

	m := c.MustRead()
	assert.Equal(t, rawwire.Message{Object: 5, Opcode: 1, Body: ev[8:], FDs: m.FDs}, m)
	require.Len(t, m.FDs, 1)
	assert.Equal(t, ino, inode(t, m.FDs[0]))
	args := rawwiretest.Args(t, m, "uh")
	assert.Equal(t, []any{uint32(9), m.FDs[0]}, args)
	m.CloseFDs()
}

func TestFDsGoToTheEventBeingReadWhenTheyArrive(t *testing.T) {
	srv, cli := pair(t)
	c := rawwiretest.Wrap(t, rawwire.New(cli))
	fd1, ino1 := memfd(t)
	fd2, ino2 := memfd(t)
	a := event(t, 3, 0, func(e *wire.Encoder) { e.Uint(1) })
	b := event(t, 3, 1, func(e *wire.Encoder) { e.FD(0) })

	// Each fd-carrying event in its own sendmsg: exact attribution, even
	// with the earlier event still unread in the socket.
	serverWrite(t, srv, a)
	serverWrite(t, srv, b, fd1)
	m := c.MustRead()
	assert.Empty(t, m.FDs)
	m = c.MustRead()
	require.Len(t, m.FDs, 1)
	assert.Equal(t, ino1, inode(t, m.FDs[0]))
	m.CloseFDs()

	// A batch whose fd belongs to its second event: the fd arrives with
	// the first, and that is where it shows, as documented.
	serverWrite(t, srv, append(append([]byte{}, a...), b...), fd2)
	m = c.MustRead()
	require.Len(t, m.FDs, 1)
	assert.Equal(t, ino2, inode(t, m.FDs[0]))
	_, err := m.Args("u")
	assert.Error(t, err, "an fd the signature does not take is reported")
	m.CloseFDs()
	m = c.MustRead()
	assert.Empty(t, m.FDs)
	_, err = m.Args("h")
	assert.ErrorIs(t, err, wire.ErrNoFD)
}

func TestBadEventHeadersEndReading(t *testing.T) {
	cases := []struct {
		name string
		size uint16
		want error
	}{
		{"size below the header", 4, wire.ErrMalformed},
		{"size not a multiple of 4", 14, wire.ErrMalformed},
		{"size above 4096", wire.MaxMessageSize + 4, wire.ErrTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, cli := pair(t)
			c := rawwiretest.Wrap(t, rawwire.New(cli))
			hdr := make([]byte, wire.HeaderSize)
			wire.PutHeader(hdr, wire.Header{Object: 1, Opcode: 0, Size: tc.size})
			serverWrite(t, srv, hdr)
			_, err := c.Read(context.Background())
			require.ErrorIs(t, err, tc.want)
			_, again := c.Read(context.Background())
			assert.Equal(t, err, again, "the stream cannot be framed any more")
		})
	}
}

func TestCloseInsideAnEvent(t *testing.T) {
	srv, cli := pair(t)
	c := rawwiretest.Wrap(t, rawwire.New(cli))
	fd, _ := memfd(t)
	ev := event(t, 1, rawwire.EvDisplayDeleteID, func(e *wire.Encoder) { e.Uint(3) })
	serverWrite(t, srv, ev[:10], fd)
	require.NoError(t, srv.Close())
	_, err := c.Read(context.Background())
	assert.ErrorIs(t, err, rawwire.ErrDisconnected)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	_, err = c.ExpectDisconnect(context.Background())
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "a truncated event is not a clean close")
}

func TestRoundtripWantsDeleteIDRightAfterDone(t *testing.T) {
	srv, cli := pair(t)
	c := rawwire.New(cli)
	defer c.Close()
	// The client's sync will take id 2.
	var resp []byte
	resp = append(resp, event(t, 7, 0, func(e *wire.Encoder) { e.Uint(1) })...)
	resp = append(resp, event(t, 2, rawwire.EvCallbackDone, func(e *wire.Encoder) { e.Uint(0) })...)
	resp = append(resp, event(t, 7, 0, func(e *wire.Encoder) { e.Uint(2) })...)
	serverWrite(t, srv, resp)
	ms, err := c.Roundtrip(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "want wl_display.delete_id(2)")
	require.Len(t, ms, 1)
	assert.Equal(t, uint32(7), ms[0].Object)
}

func TestExpectErrorWantsNothingAfterTheError(t *testing.T) {
	srv, cli := pair(t)
	c := rawwire.New(cli)
	defer c.Close()
	var resp []byte
	resp = append(resp, event(t, 1, rawwire.EvDisplayError, func(e *wire.Encoder) {
		e.Object(9)
		e.Uint(2)
		e.String("no memory")
	})...)
	resp = append(resp, event(t, 1, rawwire.EvDisplayDeleteID, func(e *wire.Encoder) { e.Uint(9) })...)
	serverWrite(t, srv, resp)
	de, err := c.ExpectError(context.Background())
	require.Error(t, err)
	assert.Equal(t, &rawwire.DisplayError{Object: 9, Code: 2, Message: "no memory"}, de)
	assert.Equal(t, "[unknown object]@9: error 2: no memory", de.Error())
}

func TestMessageArgs(t *testing.T) {
	body := event(t, 1, 0, func(e *wire.Encoder) {
		e.Int(-3)
		e.Uint(4)
		e.Fixed(wire.FixedFromInt(2))
		e.String("hi")
		e.NullString()
		e.Object(0)
		e.NewID(5)
		e.Array([]byte{1, 2, 3})
	})[wire.HeaderSize:]
	m := rawwire.Message{Object: 1, Body: body}
	args, err := m.Args("2iuf s?s?on a")
	require.Error(t, err, "a space is not a type")
	args, err = m.Args("2iufs?s?ona")
	require.NoError(t, err)
	assert.Equal(t, []any{int32(-3), uint32(4), wire.FixedFromInt(2), "hi", nil, uint32(0), uint32(5), []byte{1, 2, 3}}, args)

	_, err = m.Args("iufs?s?on")
	assert.ErrorIs(t, err, wire.ErrMalformed, "left-over bytes")
	_, err = m.Args("iufsson")
	assert.ErrorIs(t, err, wire.ErrNull)
	_, err = m.Uint()
	assert.ErrorIs(t, err, wire.ErrMalformed)
	v, err := rawwire.Message{Body: body[4:8]}.Uint()
	require.NoError(t, err)
	assert.Equal(t, uint32(4), v)
}

func TestCloseWakesABlockedRead(t *testing.T) {
	_, cli := pair(t)
	c := rawwire.New(cli)
	errc := make(chan error, 1)
	go func() {
		_, err := c.Read(context.Background())
		errc <- err
	}()
	require.NoError(t, c.Close())
	select {
	case err := <-errc:
		require.ErrorIs(t, err, net.ErrClosed)
	case <-time.After(rawwire.DefaultTimeout):
		t.Fatal("Read still blocked after Close")
	}
}
