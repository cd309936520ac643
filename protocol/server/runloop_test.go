package server

import (
	"context"
	"encoding/binary"
	"os"
	"testing"
	"time"

	"github.com/headwaywl/headway/clients/rawwire/rawwiretest"
	"github.com/headwaywl/headway/protocol/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// TestRunReturnsTheContextError: Run returns ctx.Err() when its context
// ends (nil only after Close).
func TestRunReturnsTheContextError(t *testing.T) {
	d := NewDisplay(WithTrace(nil))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	c := connect(t, d)
	assert.Empty(t, c.MustRoundtrip())
	cancel()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, context.Canceled)
	case <-timeoutC():
		t.Fatal("Run did not return after its context ended")
	}
}

// openFDs counts the process's open fds.
func openFDs(t *testing.T) int {
	t.Helper()
	es, err := os.ReadDir("/proc/self/fd")
	require.NoError(t, err)
	return len(es) - 1 // the directory's own fd
}

// captureFD1 runs fn with fd 1 on a pipe and returns what was written to
// it: the display's own fds must never land on a number it does not own.
func captureFD1(t *testing.T, fn func()) []byte {
	t.Helper()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	saved, err := unix.FcntlInt(1, unix.F_DUPFD_CLOEXEC, 3)
	require.NoError(t, err)
	require.NoError(t, unix.Dup3(int(w.Fd()), 1, 0))
	w.Close()
	func() {
		defer func() {
			require.NoError(t, unix.Dup3(saved, 1, 0))
			unix.Close(saved)
		}()
		fn()
	}()
	require.NoError(t, r.SetReadDeadline(time.Now().Add(testTimeout)))
	var out []byte
	buf := make([]byte, 64)
	for {
		n, err := r.Read(buf)
		out = append(out, buf[:n]...)
		if err != nil {
			return out // EOF: the pipe's only writer was fd 1
		}
	}
}

// TestDisplayFDsBeforeAndAfterRun: a display not running has no eventfd to
// wake, so Do before Run and after Run returned writes nowhere, and Run
// leaves no fd behind (its epoll fd and eventfd are closed), whether its
// context ended or Close stopped it.
func TestDisplayFDsBeforeAndAfterRun(t *testing.T) {
	for _, byClose := range []bool{false, true} {
		name := "context"
		if byClose {
			name = "Close"
		}
		t.Run(name, func(t *testing.T) {
			before := openFDs(t)
			ran := make(chan struct{}, 2)
			out := captureFD1(t, func() {
				d := NewDisplay(WithTrace(nil))
				d.Do(func() { ran <- struct{}{} })
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				done := make(chan error, 1)
				go func() { done <- d.Run(ctx) }()
				doSync(t, d, func() {})
				if byClose {
					d.Close()
				} else {
					cancel()
				}
				select {
				case <-done:
				case <-timeoutC():
					t.Fatal("Run did not return")
				}
				d.Do(func() { ran <- struct{}{} })
			})
			assert.Empty(t, out, "nothing written to fd 1")
			assert.Len(t, ran, 1, "the Do queued before Run ran, the one after did not")
			assert.Equal(t, before, openFDs(t), "Run closed its epoll fd and eventfd")
		})
	}
}

// TestMoreReadyClientsThanOneEpollBatch makes more clients ready at once
// than one epoll_wait returns (32, libwayland's batch size): the loop must
// poll again for the rest instead of waiting for a new readiness edge that
// will not come.
func TestMoreReadyClientsThanOneEpollBatch(t *testing.T) {
	d := startDisplay(t, newTestHandler())
	clients := make([]*rawwiretest.Client, maxEvents+8)
	for i := range clients {
		clients[i] = connect(t, d)
		require.Empty(t, clients[i].MustRoundtrip())
	}
	// Hold the loop while every client sends a sync.
	release, held := make(chan struct{}), make(chan struct{})
	d.Do(func() { close(held); <-release })
	select {
	case <-held:
	case <-timeoutC():
		t.Fatal("the loop did not run the function")
	}
	ids := make([]uint32, len(clients))
	for i, c := range clients {
		ids[i] = c.NewID()
		c.MustSend(1, displayRequestSync, func(e *wire.Encoder) { e.NewID(ids[i]) })
	}
	close(release)
	for i, c := range clients {
		m := c.MustRead()
		assert.True(t, m.Is(ids[i], callbackEventDone), "client %d: %v", i, m)
	}
}

// TestClientsComeAndGo hangs up one client and connects two, round after
// round, so that new clients take the epoll slots the old ones left and
// new ones: every live client is served after each round.
func TestClientsComeAndGo(t *testing.T) {
	d := startDisplay(t, newTestHandler())
	type conn struct {
		sc *Client
		c  *rawwiretest.Client
	}
	add := func() conn {
		sc, c := connectClient(t, d)
		return conn{sc, c}
	}
	live := []conn{add(), add()}
	for round := range 4 {
		gone := make(chan struct{})
		victim := live[len(live)-1]
		live = live[:len(live)-1]
		doSync(t, d, func() { victim.sc.AddDestroyListener(func(*Client) { close(gone) }) })
		require.NoError(t, victim.c.Close())
		select {
		case <-gone:
		case <-timeoutC():
			t.Fatalf("round %d: the client was not destroyed", round)
		}
		live = append(live, add(), add())
		for i, l := range live {
			require.Empty(t, l.c.MustRoundtrip(), "round %d, client %d", round, i)
		}
	}
}

// TestInputBufferSize: wl_display_set_default_max_buffer_size never goes
// below the 4096-byte default, and the last setting wins.
func TestInputBufferSize(t *testing.T) {
	cases := []struct {
		name string
		opts []Option
		max  int // largest message accepted
	}{
		{"default", nil, 4096},
		{"below the default", []Option{WithMaxBufferSize(100, 0)}, 4096},
		{"larger", []Option{WithMaxBufferSize(8192, 0)}, 8192},
		{"larger, then the default", []Option{WithMaxBufferSize(8192, 0), WithMaxBufferSize(4096, 0)}, 4096},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, size := range []int{tc.max, tc.max + 4} {
				blobs := make(chan int, 1)
				d := startDisplayWith(t, func(d *Display) {
					d.AddGlobal(blobIface, 1, func(c *Client, r *Resource) {
						r.SetHandler(handlerFunc(func(_ *Resource, _ uint16, d *wire.Decoder) error {
							a, err := d.Array()
							blobs <- len(a)
							return err
						}))
					})
				}, tc.opts...)
				c := connect(t, d)
				reg, _ := c.MustRegistry()
				id := c.MustBindOn(reg, 1, "test_blob", 1)
				body := size - wire.HeaderSize - 4
				msg := append(header(id, 0, uint32(size)), binary.NativeEndian.AppendUint32(nil, uint32(body))...)
				c.MustWriteRaw(append(msg, make([]byte, body)...))
				if size > tc.max {
					assert.Equal(t, ErrorImplementation, c.MustExpectError().Code, "%d bytes", size)
					continue
				}
				require.Empty(t, c.MustRoundtrip(), "%d bytes", size)
				assert.Equal(t, body, <-blobs)
			}
		})
	}
}
