package server

import (
	"io"
	"testing"

	"github.com/headwaywl/headway/clients/rawwire"
	"github.com/headwaywl/headway/clients/rawwire/rawwiretest"
	"github.com/headwaywl/headway/protocol/wire"
	"github.com/stretchr/testify/require"
)

// BenchmarkSyncRoundTrip measures wl_display.sync → wl_callback.done +
// wl_display.delete_id over a socket pair, through the loop's epoll wait,
// read, dispatch and output flush.
func BenchmarkSyncRoundTrip(b *testing.B) {
	d := startDisplay(b, newTestHandler())
	c := connect(b, d)
	req := rawwiretest.Encode(b, 1, displayRequestSync, func(e *wire.Encoder) { e.NewID(2) })
	conn := c.Conn()
	reply := make([]byte, 24) // done(serial) + delete_id(2)
	// Warm up buffers.
	for i := 0; i < 100; i++ {
		_, err := conn.Write(req)
		require.NoError(b, err)
		_, err = io.ReadFull(conn, reply)
		require.NoError(b, err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(req) + len(reply)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := conn.Write(req); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(conn, reply); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	require.Equal(b, uint32(2), rawwiretest.Uint(b, rawwire.Message{Body: reply[20:24]}))
}

// BenchmarkEventQueue measures queueing one small event (flush excluded).
func BenchmarkEventQueue(b *testing.B) {
	d := NewDisplay(WithTrace(nil))
	c, err := newClient(d, nil)
	require.NoError(b, err)
	r := c.displayRes
	b.ReportAllocs()
	b.SetBytes(12)
	for i := 0; i < b.N; i++ {
		e := r.BeginEvent(displayEventDeleteID)
		e.Uint(uint32(i))
		if err := r.EndEvent(e); err != nil {
			b.Fatal(err)
		}
		if i%256 == 0 {
			d.endRound()
		}
	}
}
