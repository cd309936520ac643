package linuxdmabuf

import (
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
	fb := &ZwpLinuxDmabufFeedbackV1{}
	fb.SetDoneHandler(func(ZwpLinuxDmabufFeedbackV1DoneEvent) {})
	fb.SetFormatTableHandler(func(ZwpLinuxDmabufFeedbackV1FormatTableEvent) {})
	fb.SetMainDeviceHandler(func(ZwpLinuxDmabufFeedbackV1MainDeviceEvent) {})
	fb.SetTrancheDoneHandler(func(ZwpLinuxDmabufFeedbackV1TrancheDoneEvent) {})
	fb.SetTrancheTargetDeviceHandler(func(ZwpLinuxDmabufFeedbackV1TrancheTargetDeviceEvent) {})
	fb.SetTrancheFormatsHandler(func(ZwpLinuxDmabufFeedbackV1TrancheFormatsEvent) {})
	fb.SetTrancheFlagsHandler(func(ZwpLinuxDmabufFeedbackV1TrancheFlagsEvent) {})
	f.Fuzz(func(t *testing.T, opcode uint32, data []byte) {
		fb.Dispatch(opcode, -1, data) // must not panic
	})
}
