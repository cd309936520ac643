package linuxdmabuf

import (
	"bytes"
	"encoding/binary"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/rajveermalviya/go-wayland/wayland/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/protocol/wire"
)

// connect dials a listening socket with go-wayland's own Connect and returns
// the client context and the server end.
func connect(t *testing.T) (*client.Context, *net.UnixConn) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "wayland-test")
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	require.NoError(t, err)
	t.Cleanup(func() { _ = l.Close() })
	display, err := client.Connect(path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = display.Context().Close() })
	srv, err := l.AcceptUnix()
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	return display.Context(), srv
}

// readN reads exactly n bytes and every fd that came with them. The deadline
// only keeps a broken test from hanging; it is not a timing assertion.
func readN(t *testing.T, c *net.UnixConn, n int) ([]byte, []int) {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(30*time.Second)))
	buf := make([]byte, 0, n)
	var fds []int
	for len(buf) < n {
		b := make([]byte, n-len(buf))
		oob := make([]byte, unix.CmsgSpace(4*wire.MaxFDsPerRead))
		k, oobn, _, _, err := c.ReadMsgUnix(b, oob)
		require.NoError(t, err)
		buf = append(buf, b[:k]...)
		if oobn > 0 {
			msgs, err := unix.ParseSocketControlMessage(oob[:oobn])
			require.NoError(t, err)
			for _, m := range msgs {
				got, err := unix.ParseUnixRights(&m)
				require.NoError(t, err)
				fds = append(fds, got...)
			}
		}
	}
	return buf, fds
}

func TestRequestsOnTheWire(t *testing.T) {
	ctx, srv := connect(t)
	dmabuf := NewZwpLinuxDmabufV1(ctx) // id 2: the display is 1
	params, err := dmabuf.CreateParams()
	require.NoError(t, err)
	memfd, err := unix.MemfdCreate("plane", unix.MFD_CLOEXEC)
	require.NoError(t, err)
	defer unix.Close(memfd)
	require.NoError(t, params.Add(memfd, 0, 16, 256, 0x00ffffff, 0xffffffff))
	buffer, err := params.CreateImmed(64, 32, 0x34325258, 0)
	require.NoError(t, err)
	require.NoError(t, params.Destroy())

	const total = 12 + 28 + 28 + 8
	data, fds := readN(t, srv, total)
	require.Len(t, fds, 1, "add carries its fd")
	defer unix.Close(fds[0])
	var st1, st2 unix.Stat_t
	require.NoError(t, unix.Fstat(memfd, &st1))
	require.NoError(t, unix.Fstat(fds[0], &st2))
	assert.Equal(t, st1.Ino, st2.Ino, "the received fd is the memfd")

	type msg struct {
		obj    uint32
		opcode uint16
		sig    string
	}
	want := []msg{
		{2, 1, "n"}, // create_params is the second request
		{params.ID(), 1, "huuuuu"},
		{params.ID(), 3, "niiuu"},
		{params.ID(), 0, ""},
	}
	var dec wire.Decoder
	for _, w := range want {
		h, err := wire.ParseHeader(data)
		require.NoError(t, err)
		assert.Equal(t, w.obj, h.Object)
		assert.Equal(t, w.opcode, h.Opcode)
		body := data[wire.HeaderSize:h.Size]
		_, err = wire.Validate(w.sig, body, 1)
		require.NoError(t, err, "request %d body matches %q", h.Opcode, w.sig)
		switch w.sig {
		case "n":
			dec.Reset(body, nil)
			id, _ := dec.NewID()
			assert.Equal(t, params.ID(), id)
		case "huuuuu":
			dec.Reset(body, &wire.FDCursor{FDs: []int{-1}})
			_, _ = dec.FD()
			var got [5]uint32
			for k := range got {
				got[k], _ = dec.Uint()
			}
			assert.Equal(t, [5]uint32{0, 16, 256, 0x00ffffff, 0xffffffff}, got)
		case "niiuu":
			dec.Reset(body, nil)
			id, _ := dec.NewID()
			assert.Equal(t, buffer.ID(), id)
			w, _ := dec.Int()
			hh, _ := dec.Int()
			f, _ := dec.Uint()
			assert.Equal(t, []any{int32(64), int32(32), uint32(0x34325258)}, []any{w, hh, f})
		}
		data = data[h.Size:]
	}
	assert.Empty(t, data)
	assert.Nil(t, ctx.GetProxy(params.ID()), "destroy unregisters the proxy")
	assert.Same(t, buffer, ctx.GetProxy(buffer.ID()).(*client.Buffer))
}

func TestNilObjectIsAnError(t *testing.T) {
	ctx, _ := connect(t)
	dmabuf := NewZwpLinuxDmabufV1(ctx)
	fb, err := dmabuf.GetSurfaceFeedback(nil)
	assert.Nil(t, fb)
	assert.ErrorIs(t, err, wire.ErrNull)
}

func event(t testing.TB, opcode uint16, args func(e *wire.Encoder)) []byte {
	var e wire.Encoder
	e.Begin(nil, nil, 9, opcode)
	args(&e)
	msg, _, err := e.Finish()
	require.NoError(t, err)
	return msg[wire.HeaderSize:]
}

func fdClosed(fd int) bool {
	_, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
	return err == unix.EBADF
}

func TestFeedbackDispatch(t *testing.T) {
	ctx, _ := connect(t)
	fb := NewZwpLinuxDmabufFeedbackV1(ctx)

	var table ZwpLinuxDmabufFeedbackV1FormatTableEvent
	calls := 0
	fb.SetFormatTableHandler(func(e ZwpLinuxDmabufFeedbackV1FormatTableEvent) { table = e; calls++ })
	var dev []byte
	fb.SetMainDeviceHandler(func(e ZwpLinuxDmabufFeedbackV1MainDeviceEvent) { dev = e.Device })

	memfd, err := unix.MemfdCreate("table", unix.MFD_CLOEXEC)
	require.NoError(t, err)
	fb.Dispatch(1, memfd, event(t, 1, func(e *wire.Encoder) { e.FD(memfd); e.Uint(4096) }))
	require.Equal(t, 1, calls)
	assert.Equal(t, memfd, table.Fd)
	assert.Equal(t, uint32(4096), table.Size)
	assert.False(t, fdClosed(memfd), "the handler owns the fd")
	require.NoError(t, unix.Close(memfd))

	fb.Dispatch(2, -1, event(t, 2, func(e *wire.Encoder) { e.Array([]byte{1, 2, 3, 4, 5, 6, 7, 8}) }))
	assert.Equal(t, []byte{1, 2, 3, 4, 5, 6, 7, 8}, dev)

	// A truncated format_table: dropped, and its fd closed.
	memfd2, err := unix.MemfdCreate("table2", unix.MFD_CLOEXEC)
	require.NoError(t, err)
	fb.Dispatch(1, memfd2, []byte{1, 2})
	assert.Equal(t, 1, calls, "malformed event reaches no handler")
	assert.True(t, fdClosed(memfd2))

	// An fd for an event without a handler is closed too.
	memfd3, err := unix.MemfdCreate("table3", unix.MFD_CLOEXEC)
	require.NoError(t, err)
	fb.SetFormatTableHandler(nil)
	fb.Dispatch(1, memfd3, event(t, 1, func(e *wire.Encoder) { e.FD(memfd3); e.Uint(1) }))
	assert.True(t, fdClosed(memfd3))
}

func TestCreatedEventCarriesServerID(t *testing.T) {
	ctx, _ := connect(t)
	dmabuf := NewZwpLinuxDmabufV1(ctx)
	params, err := dmabuf.CreateParams()
	require.NoError(t, err)
	var got *client.Buffer
	params.SetCreatedHandler(func(e ZwpLinuxBufferParamsV1CreatedEvent) { got = e.Buffer })
	params.Dispatch(0, -1, event(t, 0, func(e *wire.Encoder) { e.NewID(0xff000000) }))
	require.NotNil(t, got, "no panic, unlike go-wayland's scanner output")
	assert.Equal(t, uint32(0xff000000), got.ID())
	assert.Same(t, ctx, got.Context())
}

func FuzzFeedbackDispatch(f *testing.F) {
	f.Add(uint32(0), []byte{})
	f.Add(uint32(1), []byte{0, 16, 0, 0})
	f.Add(uint32(2), []byte{8, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Add(uint32(2), []byte{0xff, 0xff, 0xff, 0xff})
	f.Add(uint32(5), []byte{2, 0, 0, 0, 1, 0, 0, 0})
	f.Add(uint32(99), []byte{1})
	f.Add(uint32(1), []byte{1, 2})
	f.Add(uint32(3), []byte{9, 9, 9, 9})
	f.Add(uint32(4), []byte{3, 0, 0, 0, 1, 2, 3})
	f.Add(uint32(4), []byte{3, 0, 0, 0, 1, 2, 3, 0, 0xaa})
	f.Add(uint32(5), []byte{0, 0, 0, 0})
	f.Add(uint32(6), []byte{1, 0, 0, 0, 2, 0, 0, 0})
	f.Add(uint32(6), []byte{1, 0, 0})
	f.Add(uint32(7), []byte{})

	var got []feedbackCall
	fb := &ZwpLinuxDmabufFeedbackV1{}
	fb.SetDoneHandler(func(ZwpLinuxDmabufFeedbackV1DoneEvent) {
		got = append(got, feedbackCall{opcode: 0, fd: -1})
	})
	fb.SetFormatTableHandler(func(e ZwpLinuxDmabufFeedbackV1FormatTableEvent) {
		got = append(got, feedbackCall{opcode: 1, fd: e.Fd, u: e.Size})
	})
	fb.SetMainDeviceHandler(func(e ZwpLinuxDmabufFeedbackV1MainDeviceEvent) {
		got = append(got, feedbackCall{opcode: 2, fd: -1, array: e.Device})
	})
	fb.SetTrancheDoneHandler(func(ZwpLinuxDmabufFeedbackV1TrancheDoneEvent) {
		got = append(got, feedbackCall{opcode: 3, fd: -1})
	})
	fb.SetTrancheTargetDeviceHandler(func(e ZwpLinuxDmabufFeedbackV1TrancheTargetDeviceEvent) {
		got = append(got, feedbackCall{opcode: 4, fd: -1, array: e.Device})
	})
	fb.SetTrancheFormatsHandler(func(e ZwpLinuxDmabufFeedbackV1TrancheFormatsEvent) {
		got = append(got, feedbackCall{opcode: 5, fd: -1, array: e.Indices})
	})
	fb.SetTrancheFlagsHandler(func(e ZwpLinuxDmabufFeedbackV1TrancheFlagsEvent) {
		got = append(got, feedbackCall{opcode: 6, fd: -1, u: e.Flags})
	})

	null, err := unix.Open("/dev/null", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	require.NoError(f, err)
	f.Cleanup(func() { _ = unix.Close(null) })

	f.Fuzz(func(t *testing.T, opcode uint32, data []byte) {
		// Each input goes in twice: as the fuzz target always sent it,
		// without an fd, and with one queued, which only format_table may
		// take and which must be closed whenever no handler got it.
		for _, withFD := range []bool{false, true} {
			fd := -1
			if withFD {
				fd, err = unix.FcntlInt(uintptr(null), unix.F_DUPFD_CLOEXEC, 0)
				require.NoError(t, err)
			}
			orig := bytes.Clone(data)
			got = got[:0]
			fb.Dispatch(opcode, fd, data)
			assert.Equal(t, orig, data, "Dispatch wrote into the message")

			want, ok := feedbackModel(opcode, fd, data)
			if !ok {
				assert.Empty(t, got, "a handler ran for an event that does not decode")
			} else if assert.Len(t, got, 1) {
				g := got[0]
				assert.Equal(t, want.opcode, g.opcode)
				assert.Equal(t, want.fd, g.fd)
				assert.Equal(t, want.u, g.u)
				assert.True(t, bytes.Equal(want.array, g.array), "array %x, want %x", g.array, want.array)
				// The array aliases the message, so a handler that
				// appends must not be able to write over what follows it.
				assert.Equal(t, len(g.array), cap(g.array), "array capacity reaches past its end")
			}
			if fd >= 0 {
				if ok && want.fd == fd {
					assert.False(t, fdClosed(fd), "the handler's fd was closed under it")
					require.NoError(t, unix.Close(fd))
				} else {
					assert.True(t, fdClosed(fd), "an fd no handler took was leaked")
				}
			}
		}
	})
}

// feedbackCall is one handler invocation, reduced to its arguments.
type feedbackCall struct {
	opcode uint32
	fd     int
	u      uint32
	array  []byte
}

// feedbackModel is zwp_linux_dmabuf_feedback_v1's event signatures decoded
// by hand: which handler a message reaches and with what, or false if it
// reaches none. Trailing bytes are ignored, as libwayland does.
func feedbackModel(opcode uint32, fd int, data []byte) (feedbackCall, bool) {
	u32 := func() (uint32, bool) {
		if len(data) < 4 {
			return 0, false
		}
		return binary.NativeEndian.Uint32(data), true
	}
	switch opcode {
	case 0, 3: // done, tranche_done: no arguments
		return feedbackCall{opcode: opcode, fd: -1}, true
	case 1: // format_table: fd, then uint size
		size, ok := u32()
		if fd < 0 || !ok {
			return feedbackCall{}, false
		}
		return feedbackCall{opcode: opcode, fd: fd, u: size}, true
	case 2, 4, 5: // main_device, tranche_target_device, tranche_formats: array
		n, ok := u32()
		if !ok || (uint64(n)+3)/4*4 > uint64(len(data)-4) {
			return feedbackCall{}, false
		}
		return feedbackCall{opcode: opcode, fd: -1, array: data[4 : 4+int(n)]}, true
	case 6: // tranche_flags: uint
		flags, ok := u32()
		if !ok {
			return feedbackCall{}, false
		}
		return feedbackCall{opcode: opcode, fd: -1, u: flags}, true
	}
	return feedbackCall{}, false
}
