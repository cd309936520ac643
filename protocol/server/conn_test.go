package server

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/headwaywl/headway/clients/rawwire"
	"github.com/headwaywl/headway/clients/rawwire/rawwiretest"
	"github.com/headwaywl/headway/protocol/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

func bindTest(t *testing.T, c *rawwiretest.Client) uint32 {
	t.Helper()
	reg, _ := c.MustRegistry()
	id := c.MustBindOn(reg, 1, "test_obj", 1)
	require.Empty(t, c.MustRoundtrip())
	return id
}

// takeFD encodes take_fd with a placeholder fd: the tests pass the real fds
// to the write that carries the batch.
func takeFD(tb testing.TB, id, a, b uint32) []byte {
	return rawwiretest.Encode(tb, id, testReqTakeFD, func(e *wire.Encoder) { e.Uint(a); e.FD(0); e.Uint(b) })
}

func TestFDsHandedOutInMessageOrder(t *testing.T) {
	h := newTestHandler()
	d := startDisplay(t, h)
	c := connect(t, d)
	id := bindTest(t, c)

	fd1, ino1 := memfd(t)
	fd2, ino2 := memfd(t)
	fd3, ino3 := memfd(t)
	fd4, ino4 := memfd(t)

	// Three messages with an fd in the middle of each, in one sendmsg
	// carrying three fds.
	var batch []byte
	batch = append(batch, takeFD(t, id, 1, 10)...)
	batch = append(batch, takeFD(t, id, 2, 20)...)
	batch = append(batch, takeFD(t, id, 3, 30)...)
	c.MustWriteRaw(batch, fd1, fd2, fd3)
	// A message split over two writes, its fd arriving with the first half.
	m := takeFD(t, id, 4, 40)
	c.MustWriteRaw(m[:6], fd4)
	c.MustWriteRaw(m[6:])
	require.Empty(t, c.MustRoundtrip())

	want := []fdCall{{1, 10, ino1}, {2, 20, ino2}, {3, 30, ino3}, {4, 40, ino4}}
	for _, w := range want {
		select {
		case got := <-h.fds:
			assert.Equal(t, w, got)
		default:
			t.Fatalf("handler did not receive %v", w)
		}
	}
}

// TestTooManyFDsInOneSendmsgKeepsTheFirst28 sends 29 take_fd in one
// sendmsg with 29 fds: as with libwayland, the 28 that fit in one read are
// handed out in order and only the request left without an fd fails.
func TestTooManyFDsInOneSendmsgKeepsTheFirst28(t *testing.T) {
	h := newTestHandler()
	d := startDisplay(t, h)
	c := connect(t, d)
	id := bindTest(t, c)
	fds := make([]int, wire.MaxFDsPerRead+1)
	inos := make([]uint64, len(fds))
	for i := range fds {
		fds[i], inos[i] = memfd(t)
	}
	var batch []byte
	for i := range fds {
		batch = append(batch, takeFD(t, id, uint32(i), 0)...)
	}
	c.MustWriteRaw(batch, fds...)
	e := c.MustExpectError()
	assert.Equal(t, ErrorInvalidMethod, e.Code)
	assert.Equal(t, fmt.Sprintf("invalid arguments for test_obj#%d.take_fd", id), e.Message)
	for i := 0; i < wire.MaxFDsPerRead; i++ {
		require.Equal(t, fdCall{uint32(i), 0, inos[i]}, receiveFDCall(t, h), "take_fd %d", i)
	}
	assert.Empty(t, h.fds)
}

// TestTruncatedFDsAreKeptForLaterMessages attaches 30 fds to one message
// that takes one: the kernel delivers 28 with MSG_CTRUNC, which libwayland
// ignores, so the client stays and the 27 spare fds go to the next
// messages that ask for one.
func TestTruncatedFDsAreKeptForLaterMessages(t *testing.T) {
	h := newTestHandler()
	d := startDisplay(t, h)
	c := connect(t, d)
	id := bindTest(t, c)
	fds := make([]int, 30)
	inos := make([]uint64, len(fds))
	for i := range fds {
		fds[i], inos[i] = memfd(t)
	}
	c.MustWriteRaw(takeFD(t, id, 0, 0), fds...)
	require.Empty(t, c.MustRoundtrip())
	require.Equal(t, fdCall{0, 0, inos[0]}, receiveFDCall(t, h))

	var batch []byte
	for i := 1; i < wire.MaxFDsPerRead; i++ {
		batch = append(batch, takeFD(t, id, uint32(i), 0)...)
	}
	c.MustWriteRaw(batch)
	require.Empty(t, c.MustRoundtrip())
	for i := 1; i < wire.MaxFDsPerRead; i++ {
		require.Equal(t, fdCall{uint32(i), 0, inos[i]}, receiveFDCall(t, h), "take_fd %d", i)
	}
	assert.Empty(t, h.fds)
}

// TestFDQueueOverflowDropsWithoutDispatchingTheRead queues fds on requests
// that take none until a read would take the queue past 1024: libwayland's
// wl_connection_read fails before that read's bytes are buffered, so the
// client is dropped silently and the requests of that read never run.
func TestFDQueueOverflowDropsWithoutDispatchingTheRead(t *testing.T) {
	h := newTestHandler()
	d := startDisplay(t, h)
	c := connect(t, d)
	id := bindTest(t, c)
	fd, _ := memfd(t)
	const perWrite = 8
	fds := make([]int, perWrite)
	for i := range fds {
		fds[i] = fd
	}
	flood := rawwiretest.Encode(t, id, testReqFlood, func(e *wire.Encoder) { e.Uint(0) })
	// The kernel ends a read after the bytes that carry fds, so each
	// write is one read and the queue grows by perWrite per flood.
	const fits = maxQueuedFDs / perWrite
	for i := 0; i < fits; i++ {
		c.MustWriteRaw(flood, fds...)
	}
	require.Empty(t, c.MustRoundtrip())
	require.Equal(t, int32(fits), h.floods.Load())

	sync := rawwiretest.Encode(t, 1, displayRequestSync, func(e *wire.Encoder) { e.NewID(c.NewID()) })
	c.MustWriteRaw(append(append([]byte{}, flood...), sync...), fds...)
	assert.Empty(t, c.MustExpectDisconnect(), "neither the flood nor the sync of the overflowing read is answered")
	assert.Equal(t, int32(fits), h.floods.Load(), "the overflowing read is not dispatched")
}

func receiveFDCall(t *testing.T, h *testHandler) fdCall {
	t.Helper()
	select {
	case got := <-h.fds:
		return got
	default:
		t.Fatal("handler did not receive the fd")
		return fdCall{}
	}
}

// TestFDEventInOwnSendmsg reads the way go-wayland does, one message at a
// time: an fd must arrive with the first byte of the event that carries it,
// never with an earlier one.
func TestFDEventInOwnSendmsg(t *testing.T) {
	h := newTestHandler()
	efd, ino := memfd(t)
	h.eventFD = efd
	d := startDisplay(t, h)
	c := connect(t, d)
	id := bindTest(t, c)
	var batch []byte
	batch = append(batch, rawwiretest.Encode(t, id, testReqFlood, func(e *wire.Encoder) { e.Uint(1) })...)
	batch = append(batch, rawwiretest.Encode(t, id, testReqSendFD, nil)...)
	c.MustWriteRaw(batch)

	oob := make([]byte, unix.CmsgSpace(4*4))
	readMsg := func(size int) (body []byte, fds []int) {
		buf := make([]byte, size)
		got := 0
		for got < size {
			n, oobn, _, _, err := c.Conn().ReadMsgUnix(buf[got:], oob)
			require.NoError(t, err)
			require.NotZero(t, n)
			if oobn > 0 {
				scms, err := unix.ParseSocketControlMessage(oob[:oobn])
				require.NoError(t, err)
				for _, s := range scms {
					f, err := unix.ParseUnixRights(&s)
					require.NoError(t, err)
					fds = append(fds, f...)
				}
			}
			got += n
		}
		return buf, fds
	}
	hdr, fds := readMsg(12) // ping(0)
	assert.Empty(t, fds, "the fd must not ride on the event before its own")
	assert.Equal(t, uint32(12<<16|0), uint32(hdr[4])|uint32(hdr[5])<<8|uint32(hdr[6])<<16|uint32(hdr[7])<<24)
	_, fds = readMsg(8) // fd event: header only
	require.Len(t, fds, 1)
	var st unix.Stat_t
	require.NoError(t, unix.Fstat(fds[0], &st))
	assert.Equal(t, ino, st.Ino)
	assert.NotEqual(t, efd, fds[0])
	unix.Close(fds[0])
	_, fds = readMsg(12) // ping(7)
	assert.Empty(t, fds)
}

func TestClientThatStopsReadingIsDropped(t *testing.T) {
	h := newTestHandler()
	d := startDisplay(t, h)
	slow := connect(t, d)
	other := connect(t, d)
	slowID := bindTest(t, slow)
	otherID := bindTest(t, other)
	// Far more than any socket buffer plus the 4096-byte bound.
	slow.MustSend(slowID, testReqFlood, func(e *wire.Encoder) { e.Uint(1 << 20) })
	// The slow client's resources are destroyed when it is dropped.
	require.Equal(t, slowID, waitDestroyed(t, h))
	// The other client carries on.
	assert.Empty(t, other.MustRoundtrip())
	other.MustSend(otherID, testReqFlood, func(e *wire.Encoder) { e.Uint(3) })
	ms := other.MustRoundtrip()
	require.Len(t, ms, 3)
	// The slow client, reading at last, finds its connection closed.
	slow.MustExpectDisconnect()
}

func waitDestroyed(t *testing.T, h *testHandler) uint32 {
	t.Helper()
	select {
	case id := <-h.destroyed:
		return id
	case <-timeoutC():
		t.Fatal("resource was not destroyed")
	}
	return 0
}

func TestPanickingHandlerCostsOnlyItsClient(t *testing.T) {
	h := newTestHandler()
	d := startDisplay(t, h)
	bad := connect(t, d)
	good := connect(t, d)
	badID := bindTest(t, bad)
	bindTest(t, good)
	bad.MustSend(badID, testReqBoom, nil)
	// ExpectError also requires the error to be the last thing before the
	// connection closes.
	e := bad.MustExpectError()
	assert.Equal(t, uint32(1), e.Object)
	assert.Equal(t, "wl_display", e.Interface)
	assert.Equal(t, ErrorImplementation, e.Code)
	assert.Contains(t, e.Message, "test_obj#4.boom")
	assert.Empty(t, good.MustRoundtrip())
}

// doSync runs fn on the display's loop and returns once it has run.
func doSync(t *testing.T, d *Display, fn func()) {
	t.Helper()
	done := make(chan struct{})
	d.Do(func() { fn(); close(done) })
	select {
	case <-done:
	case <-timeoutC():
		t.Fatal("the loop did not run the function")
	}
}

func TestGlobalAddAndRemoveReachRegistries(t *testing.T) {
	d := startDisplay(t, newTestHandler())
	c := connect(t, d)
	reg, _ := c.MustRegistry()
	var g *Global
	// Do is asynchronous: wait until the loop has run each change, or
	// the client's sync may overtake it.
	doSync(t, d, func() { g = d.AddGlobal(CallbackInterface, 1, nil) })
	ms := c.MustRoundtrip()
	require.Len(t, ms, 1)
	assert.Equal(t, registryEventGlobal, ms[0].Opcode)
	doSync(t, d, func() { g.Remove() })
	ms = c.MustRoundtrip()
	require.Len(t, ms, 1)
	assert.Equal(t, reg, ms[0].Object)
	assert.Equal(t, registryEventGlobalRemove, ms[0].Opcode)
	assert.Equal(t, uint32(2), rawwiretest.Uint(t, ms[0]))
	// Binding the removed global fails like an unknown name.
	c.MustBindOn(reg, 2, "wl_callback", 1)
	assert.Equal(t, &rawwire.DisplayError{Object: reg, Interface: "wl_registry", Code: ErrorInvalidObject, Message: "invalid global wl_callback (2)"},
		c.MustExpectError())
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestTraceFormat(t *testing.T) {
	var buf lockedBuffer
	d := startDisplay(t, newTestHandler(), WithTrace(&buf))
	c := connect(t, d)
	reg, _ := c.MustRegistry()
	c.MustBindOn(reg, 1, "test_obj", 1)
	c.MustRoundtrip()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	stamp := regexp.MustCompile(`^\[ *\d{1,10}\.\d{3}\] `)
	var got []string
	for _, l := range lines {
		require.Regexp(t, stamp, l)
		got = append(got, stamp.ReplaceAllString(l, ""))
	}
	assert.Equal(t, []string{
		"wl_display#1.get_registry(new id wl_registry#2)",
		` -> wl_registry#2.global(1, "test_obj", 1)`,
		"wl_display#1.sync(new id wl_callback#3)",
		" -> wl_callback#3.done(0)",
		" -> wl_display#1.delete_id(3)",
		`wl_registry#2.bind(1, "test_obj", 1, new id [unknown]#4)`,
		"wl_display#1.sync(new id wl_callback#5)",
		" -> wl_callback#5.done(0)",
		" -> wl_display#1.delete_id(5)",
	}, got)
}

func TestTraceFixed(t *testing.T) {
	cases := []struct {
		v    int32
		want string
	}{
		{0, "0.00000000"}, {256, "1.00000000"}, {384, "1.50000000"}, {1, "0.00390625"}, {-384, "-1.50000000"}, {-1, "-0.00390625"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, string(appendFixed(nil, tc.v)))
	}
}

// TestSlowButReadingClientGetsEverything queues more than the socket holds
// under a large bound: the loop must deliver all of it as the socket drains, in
// order, with the fd of a later event still on its own message.
func TestSlowButReadingClientGetsEverything(t *testing.T) {
	h := newTestHandler()
	efd, ino := memfd(t)
	h.eventFD = efd
	d := startDisplay(t, h, WithMaxBufferSize(4096, 8<<20))
	c := connect(t, d)
	id := bindTest(t, c)
	const n = 50000 // 600 KB: more than a Unix socket buffers
	var batch []byte
	batch = append(batch, rawwiretest.Encode(t, id, testReqFlood, func(e *wire.Encoder) { e.Uint(n) })...)
	batch = append(batch, rawwiretest.Encode(t, id, testReqSendFD, nil)...)
	c.MustWriteRaw(batch)
	for i := uint32(0); i < n; i++ {
		m := c.MustRead()
		require.Equal(t, id, m.Object)
		require.Empty(t, m.FDs)
		require.Equal(t, i, rawwiretest.Uint(t, m))
	}
	m := c.MustRead()
	require.Equal(t, uint16(1), m.Opcode)
	require.Len(t, m.FDs, 1)
	var st unix.Stat_t
	require.NoError(t, unix.Fstat(m.FDs[0], &st))
	assert.Equal(t, ino, st.Ino)
	m.CloseFDs()
	assert.Equal(t, uint32(7), rawwiretest.Uint(t, c.MustRead()))
	assert.Empty(t, c.MustRoundtrip())
}

// TestInputLeftBehindFDMessagesIsRead sends several fd-carrying writes back
// to back: the kernel ends a read after a message with fds, so the loop must
// read the socket again without waiting for a new readiness report.
func TestInputLeftBehindFDMessagesIsRead(t *testing.T) {
	h := newTestHandler()
	d := startDisplay(t, h)
	c := connect(t, d)
	id := bindTest(t, c)
	const n = 8
	var want []fdCall
	for i := uint32(0); i < n; i++ {
		fd, ino := memfd(t)
		c.MustWriteRaw(takeFD(t, id, i, 100+i), fd)
		want = append(want, fdCall{i, 100 + i, ino})
	}
	require.Empty(t, c.MustRoundtrip())
	for _, w := range want {
		select {
		case got := <-h.fds:
			assert.Equal(t, w, got)
		default:
			t.Fatalf("handler did not receive %v", w)
		}
	}
}

// TestWriteLargerThanInputBuffer sends more requests in one write than the
// input buffer holds: the loop must come back for the rest on its own, and
// answer every one in order.
func TestWriteLargerThanInputBuffer(t *testing.T) {
	d := startDisplay(t, newTestHandler(), WithMaxBufferSize(4096, 1<<20))
	c := connect(t, d)
	sync := rawwiretest.Encode(t, 1, displayRequestSync, func(e *wire.Encoder) { e.NewID(2) })
	const n = 1000 // 12000 bytes
	batch := bytes.Repeat(sync, n)
	c.MustWriteRaw(batch)
	for i := 0; i < n; i++ {
		done := c.MustRead()
		require.Equal(t, uint32(2), done.Object, "reply %d", i)
		require.Equal(t, callbackEventDone, done.Opcode)
		del := c.MustRead()
		require.Equal(t, uint32(1), del.Object)
		require.Equal(t, displayEventDeleteID, del.Opcode)
		require.Equal(t, uint32(2), rawwiretest.Uint(t, del))
	}
}

// TestDoFromManyGoroutinesWhileClientsRoundtrip runs Do from several
// goroutines while clients make round trips: every function runs once and
// no client stalls.
func TestDoFromManyGoroutinesWhileClientsRoundtrip(t *testing.T) {
	d := startDisplay(t, newTestHandler())
	const goroutines, each = 4, 500
	var ran sync.WaitGroup
	ran.Add(goroutines * each)
	count := 0
	for g := 0; g < goroutines; g++ {
		go func() {
			for i := 0; i < each; i++ {
				d.Do(func() { count++; ran.Done() })
			}
		}()
	}
	var clients sync.WaitGroup
	for k := 0; k < 3; k++ {
		c := connect(t, d)
		clients.Add(1)
		go func() {
			defer clients.Done()
			for i := 0; i < 200; i++ {
				if ms, err := c.Roundtrip(context.Background()); err != nil || len(ms) != 0 {
					t.Errorf("round trip %d: %v %v", i, ms, err)
					return
				}
			}
		}()
	}
	clients.Wait()
	ran.Wait()
	doSync(t, d, func() { assert.Equal(t, goroutines*each, count) })
}
