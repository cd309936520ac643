package server

import (
	"encoding/binary"
	"testing"

	"github.com/headwaywl/headway/clients/rawwire/rawwiretest"
	"github.com/headwaywl/headway/protocol/wire"
	"github.com/stretchr/testify/require"
)

func fuzzSeeds(tb testing.TB) [][]byte {
	var s []byte
	s = append(s, rawwiretest.Encode(tb, 1, displayRequestGetRegistry, func(e *wire.Encoder) { e.NewID(2) })...)
	s = append(s, rawwiretest.Encode(tb, 1, displayRequestSync, func(e *wire.Encoder) { e.NewID(3) })...)
	s = append(s, rawwiretest.Encode(tb, 2, registryRequestBind, func(e *wire.Encoder) { e.Uint(1); e.UntypedNewID("test_obj", 1, 4) })...)
	s = append(s, takeFD(tb, 4, 1, 2)...)
	s = append(s, rawwiretest.Encode(tb, 4, testReqFlood, func(e *wire.Encoder) { e.Uint(5) })...)
	s = append(s, rawwiretest.Encode(tb, 4, testReqDestroy, nil)...)
	return [][]byte{
		s,
		rawwiretest.Encode(tb, 1, displayRequestSync, func(e *wire.Encoder) { e.NewID(2) }),
		{1, 0, 0, 0, 0, 0, 0x10, 0x20},
		{1, 0, 0, 0, 1, 0, 4, 0},
		{},
	}
}

// FuzzClientInput feeds arbitrary byte streams, cut into arbitrary chunks,
// with some queued fds, to a client's reader/dispatcher: no panic, input
// and output stay bounded, and a broken stream ends in a disconnect.
func FuzzClientInput(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s, uint8(0), uint8(1))
		f.Add(s, uint8(5), uint8(2))
	}
	f.Fuzz(func(t *testing.T, data []byte, chunk, nfds uint8) {
		h := newTestHandler()
		h.maxFlood = 64
		h.fds = make(chan fdCall, 1024)
		d := NewDisplay(WithTrace(nil))
		d.AddGlobal(testIface, 1, func(c *Client, r *Resource) { r.SetHandler(h) })
		c, err := newClient(d, nil)
		require.NoError(t, err)
		for i := 0; i < int(nfds%8); i++ {
			c.fdq = append(c.fdq, -1)
		}
		step := int(chunk)%97 + 1
		for len(data) > 0 && !c.closing {
			n := min(step, len(data), cap(c.in)-len(c.in))
			require.Positive(t, n, "input buffer full with a complete message pending")
			c.in = append(c.in, data[:n]...)
			data = data[n:]
			c.process()
			d.endRound()
			require.LessOrEqual(t, len(c.in), d.maxIn)
			require.Equal(t, d.maxIn, cap(c.in), "the input buffer never grows")
			require.Zero(t, c.pendingOut())
		}
		if !c.closing && len(c.in) >= wire.HeaderSize {
			// What is left must be an incomplete message within the bound.
			size := int(binary.NativeEndian.Uint32(c.in[4:8]) >> 16)
			require.Greater(t, size, len(c.in))
			require.LessOrEqual(t, size, d.maxIn)
		}
		d.destroyClient(c)
	})
}
