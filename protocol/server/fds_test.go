package server

import (
	"encoding/binary"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unsafe"

	"github.com/headwaywl/headway/clients/rawwire/rawwiretest"
	"github.com/headwaywl/headway/protocol/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// fdsIface's "send" request makes the server send "fds" events carrying
// the fds the test hands it, several per event.
var fdsIface = &Interface{Name: "test_fds", Version: 1, Requests: []Message{
	{Name: "send", Signature: "", Since: 1},
}, Events: []Message{
	{Name: "fds", Signature: "uhhh", Since: 1, Types: []*Interface{nil, nil, nil, nil}},
}}

// TestEventsWithSeveralFDs sends two events of three fds each in one
// flush: each event goes in its own sendmsg with its own fds, in argument
// order (libwayland allows up to MAX_FDS_OUT, 28, per message), and the
// server's duplicates are closed once sent.
func TestEventsWithSeveralFDs(t *testing.T) {
	const events, perEvent = 2, 3
	var fds [events][perEvent]int
	var inos [events][perEvent]uint64
	for i := range fds {
		for j := range fds[i] {
			fds[i][j], inos[i][j] = memfd(t)
		}
	}
	d := startDisplayWith(t, func(d *Display) {
		d.AddGlobal(fdsIface, 1, func(c *Client, r *Resource) {
			r.SetHandler(handlerFunc(func(r *Resource, _ uint16, _ *wire.Decoder) error {
				for i := range fds {
					e := r.BeginEvent(0)
					e.Uint(uint32(i))
					for _, fd := range fds[i] {
						e.FD(fd)
					}
					if err := r.EndEvent(e); err != nil {
						return err
					}
				}
				return nil
			}))
		})
	})
	c := connect(t, d)
	reg, _ := c.MustRegistry()
	id := c.MustBindOn(reg, 1, "test_fds", 1)
	c.MustSend(id, 0, nil)
	for i := range events {
		m := c.MustRead()
		require.True(t, m.Is(id, 0), "event %d: %v", i, m)
		assert.Equal(t, uint32(i), rawwiretest.Uint(t, m))
		require.Len(t, m.FDs, perEvent, "event %d", i)
		for j, fd := range m.FDs {
			var st unix.Stat_t
			require.NoError(t, unix.Fstat(fd, &st))
			assert.Equal(t, inos[i][j], st.Ino, "event %d fd %d", i, j)
		}
		m.CloseFDs()
	}
	assert.Empty(t, c.MustRoundtrip())
}

// TestFDQueueKeepsOnlyUnconsumedFDs passes many fds one request at a time:
// like libwayland's fds_in ring, the queue holds only the fds not yet
// handed out, so a long-lived client passing fds costs no growing memory.
func TestFDQueueKeepsOnlyUnconsumedFDs(t *testing.T) {
	h := newTestHandler()
	d := startDisplay(t, h)
	sc, c := connectClient(t, d)
	id := bindTest(t, c)
	fd, _ := memfd(t)
	const n = 40
	for i := uint32(0); i < n; i++ {
		c.MustWriteRaw(takeFD(t, id, i, 0), fd)
		require.Empty(t, c.MustRoundtrip())
		receiveFDCall(t, h)
	}
	doSync(t, d, func() {
		assert.Empty(t, sc.fdq, "every fd was handed out")
		assert.Less(t, cap(sc.fdq), n, "the queue did not keep the consumed fds")
	})
}

// TestTraceShowsFDArguments: wl_closure_print prints an fd argument as
// "fd %d" with the number the receiver holds.
func TestTraceShowsFDArguments(t *testing.T) {
	var buf lockedBuffer
	d := startDisplay(t, newTestHandler(), WithTrace(&buf))
	c := connect(t, d)
	id := bindTest(t, c)
	fd, _ := memfd(t)
	c.MustWriteRaw(takeFD(t, id, 1, 2), fd)
	require.Empty(t, c.MustRoundtrip())
	want := regexp.MustCompile(fmt.Sprintf(`^\[ *\d+\.\d{3}\] test_obj#%d\.take_fd\(1, fd \d+, 2\)$`, id))
	var found bool
	for _, l := range strings.Split(buf.String(), "\n") {
		found = found || want.MatchString(l)
	}
	assert.True(t, found, "no take_fd line in\n%s", buf.String())
}

func TestFDQueueNextFD(t *testing.T) {
	d := NewDisplay(WithTrace(nil))
	c, err := newClient(d, nil)
	require.NoError(t, err)
	c.fdq = []int{7, 9}
	q := (*fdQueue)(c)
	for _, want := range []int{7, 9} {
		fd, ok := q.NextFD()
		require.True(t, ok)
		assert.Equal(t, want, fd)
	}
	// An empty queue says so (wire.FDSource) with no fd.
	fd, ok := q.NextFD()
	assert.False(t, ok)
	assert.Equal(t, -1, fd)
}

// cmsg builds one control message as the kernel lays it out: a header
// whose length is CMSG_LEN(len(data)), the data, padding to CMSG_SPACE.
func cmsg(level, typ int32, data []byte) []byte {
	b := make([]byte, unix.CmsgSpace(len(data)))
	h := (*unix.Cmsghdr)(unsafe.Pointer(&b[0]))
	h.Level, h.Type = level, typ
	h.SetLen(unix.CmsgLen(len(data)))
	copy(b[unix.CmsgLen(0):], data)
	return b
}

func rights(fds ...int32) []byte {
	var b []byte
	for _, fd := range fds {
		b = binary.NativeEndian.AppendUint32(b, uint32(fd))
	}
	return cmsg(unix.SOL_SOCKET, unix.SCM_RIGHTS, b)
}

// TestParseRights walks control messages as decode_cmsg does with glibc's
// CMSG_FIRSTHDR/CMSG_NXTHDR: fds of every SCM_RIGHTS message, in order;
// other messages skipped; the walk ends at a header whose cmsg_len is
// below the header size or runs past the buffer.
func TestParseRights(t *testing.T) {
	creds := cmsg(unix.SOL_SOCKET, unix.SCM_CREDENTIALS, make([]byte, unix.SizeofUcred))
	bad := rights(9)
	(*unix.Cmsghdr)(unsafe.Pointer(&bad[0])).SetLen(unix.SizeofCmsghdr - 1)
	long := rights(9)
	(*unix.Cmsghdr)(unsafe.Pointer(&long[0])).SetLen(len(long) + 4)
	cat := func(bs ...[]byte) []byte {
		var out []byte
		for _, b := range bs {
			out = append(out, b...)
		}
		return out
	}
	cases := []struct {
		name string
		oob  []byte
		want []int
	}{
		{"one message", rights(3, 4, 5), []int{3, 4, 5}},
		{"two messages", cat(rights(3), rights(4, 5)), []int{3, 4, 5}},
		{"credentials skipped", cat(creds, rights(3), creds, rights(4)), []int{3, 4}},
		{"empty rights then rights", cat(rights(), rights(3)), []int{3}},
		{"length below the header ends the walk", cat(rights(3), bad, rights(4)), []int{3}},
		{"length past the buffer ends the walk", cat(rights(3), long), []int{3}},
		{"truncated header", cat(rights(3), make([]byte, unix.SizeofCmsghdr-1)), []int{3}},
		{"nothing", nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, parseRights(tc.oob, nil))
		})
	}
}
