package server

import (
	"syscall"
	"testing"

	"github.com/headwaywl/headway/clients/rawwire/rawwiretest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sinkIface only receives events: pings of 12 bytes and blobs of any size.
var sinkIface = &Interface{Name: "test_sink", Version: 1, Events: []Message{
	{Name: "ping", Signature: "u", Since: 1, Types: []*Interface{nil}},
	{Name: "blob", Signature: "a", Since: 1, Types: []*Interface{nil}},
}}

// startSink runs a display whose test_sink global hands each bound
// resource to sinks.
func startSink(t *testing.T, opts ...Option) (d *Display, sinks chan *Resource) {
	sinks = make(chan *Resource, 1)
	d = startDisplayWith(t, func(d *Display) {
		d.AddGlobal(sinkIface, 1, func(c *Client, r *Resource) { sinks <- r })
	}, opts...)
	return d, sinks
}

func ping(t *testing.T, r *Resource, v uint32) {
	e := r.BeginEvent(0)
	require.NotNil(t, e)
	e.Uint(v)
	require.NoError(t, r.EndEvent(e))
}

// TestFloodToAReadingClient queues three times the output bound in one
// handler: as wl_connection_queue flushes when the buffer would overflow,
// a client that reads gets all of it.
func TestFloodToAReadingClient(t *testing.T) {
	d, sinks := startSink(t)
	c := connect(t, d)
	reg, _ := c.MustRegistry()
	id := c.MustBindOn(reg, 1, "test_sink", 1)
	require.Empty(t, c.MustRoundtrip())
	r := <-sinks
	const n = 3 * DefaultMaxBufferSize / 12
	d.Do(func() {
		for i := range uint32(n) {
			ping(t, r, i)
		}
	})
	for i := range uint32(n) {
		m := c.MustRead()
		require.True(t, m.Is(id, 0), "event %d: %v", i, m)
		require.Equal(t, i, rawwiretest.Uint(t, m))
	}
}

// TestOutputBoundIsExact fills the socket of a client that does not read,
// then queues events up to exactly the output bound: libwayland's
// wl_connection_queue accepts a message that fills the buffer to its
// capacity and fails only one that would go past it, so the client is
// dropped (ENOBUFS) by the next byte, not before.
func TestOutputBoundIsExact(t *testing.T) {
	cases := []struct {
		name  string
		opts  []Option
		bound int
	}{
		{"default", nil, DefaultMaxBufferSize},
		{"output left at the default", []Option{WithMaxBufferSize(8192, 0)}, DefaultMaxBufferSize},
		{"larger output", []Option{WithMaxBufferSize(4096, 8192)}, 8192},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, sinks := startSink(t, tc.opts...)
			sc, c := connectClient(t, d)
			reg, _ := c.MustRegistry()
			c.MustBindOn(reg, 1, "test_sink", 1)
			require.Empty(t, c.MustRoundtrip())
			r := <-sinks
			doSync(t, d, func() {
				// Fill the socket: the kernel takes each small sendmsg
				// whole or not at all.
				for sc.write() {
					ping(t, r, 0)
				}
				rest := tc.bound - sc.pendingOut()
				require.Zero(t, rest%4, "the kernel took part of a message")
				for rest > 0 {
					n := min(rest, 4000)
					if rest-n > 0 && rest-n < 12 {
						n -= 12
					}
					e := r.BeginEvent(1)
					e.Array(make([]byte, n-12))
					require.NoError(t, r.EndEvent(e))
					rest -= n
				}
				require.Equal(t, tc.bound, sc.pendingOut())
				require.NoError(t, sc.FailErr(), "a buffer filled exactly to the bound is kept")
				ping(t, r, 1)
				assert.ErrorIs(t, sc.FailErr(), syscall.ENOBUFS, "one message past the bound drops the client")
			})
		})
	}
}
