package compositor_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/compositor"
	"github.com/headwaywl/headway/compositor/neglog"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/protocol/headwaytest"
	"github.com/headwaywl/headway/protocol/wire"
)

// TestLockstepTimeoutIsLogged: a client given a frame callback that never
// commits again holds the clock only until the timeout, and the log says
// so, naming the client.
func TestLockstepTimeoutIsLogged(t *testing.T) {
	var log lockedBuffer
	r := startRig(t, compositor.Config{Clock: compositor.Lockstep, LockstepTimeout: 50 * time.Millisecond, NegotiationLog: &log})
	stuck := r.dial()
	test := stuck.bind("headway_test_v1")
	stuck.send(test, headwaytest.HeadwayTestV1RequestSetClientName, func(e *wire.Encoder) { e.String("stuck") })
	w := stuck.toplevel()
	buf, _ := stuck.shmBuffer(fourcc.XRGB8888, 8, 8, 32, xrgb(8, 8, 1, 2, 3))
	cb := stuck.show(w.surface, buf)
	stuck.waitFor(cb, 0) // its frame callback fired; it will not commit again
	seq := r.comp.Seq()

	// Another client commits: a frame is due, but "stuck" owes a commit.
	other := r.dial()
	ow := other.toplevel()
	obuf, _ := other.shmBuffer(fourcc.XRGB8888, 8, 8, 32, xrgb(8, 8, 9, 9, 9))
	ocb := other.show(ow.surface, obuf)
	other.waitFor(ocb, 0) // delivered only once the clock moved past the timeout
	require.Greater(t, r.comp.Seq(), seq)

	r.comp.Close()
	<-r.done
	r.done <- nil
	log.mu.Lock()
	defer log.mu.Unlock()
	rd := neglog.NewReader(bytes.NewReader(log.b.Bytes()))
	found := false
	for {
		ev, err := rd.Next()
		if err != nil {
			break
		}
		if ev.Type == neglog.TypeLockstepTimeout {
			found = true
			v, _ := ev.Get("waiting")
			names, _ := v.AsStrings()
			assert.Equal(t, []string{"stuck"}, names)
			ms, _ := ev.Get("timeout_ms")
			n, _ := ms.AsInt()
			assert.Equal(t, int64(50), n)
		}
	}
	require.True(t, found, "lockstep_timeout was logged")
}

// TestGetCRC: a future frame's CRC is answered when it happens, a frame
// older than the history fails, and with collection on demand nothing is
// answered until enable_crc.
func TestGetCRC(t *testing.T) {
	t.Run("future frame", func(t *testing.T) {
		r := startRig(t, compositor.Config{Clock: compositor.Manual})
		c := r.dial()
		test := c.bind("headway_test_v1")
		res := c.NewObject("headway_test_crc_v1")
		c.send(test, headwaytest.HeadwayTestV1RequestGetCrc, func(e *wire.Encoder) { e.NewID(res); e.Uint(0); e.Uint(5) })
		c.sync()
		assert.Zero(t, c.drop(res, headwaytest.HeadwayTestCrcV1EventCrc), "not before frame 5")
		c.advance(4)
		m := c.waitFor(res, headwaytest.HeadwayTestCrcV1EventCrc)
		a, err := m.Args("uuu")
		require.NoError(t, err)
		assert.Equal(t, []any{uint32(0), uint32(5), r.crc(5)}, a)
	})
	t.Run("older than the history", func(t *testing.T) {
		r := startRig(t, compositor.Config{Clock: compositor.Manual})
		c := r.dial()
		test := c.bind("headway_test_v1")
		// 1030 frames, in steps so each wait's deadline covers only its own
		// frames (under the race detector on a busy machine a thousand take
		// longer than one deadline); frame 2 is then more than 1024 back.
		for range 10 {
			c.advance(103)
		}
		res := c.NewObject("headway_test_crc_v1")
		c.send(test, headwaytest.HeadwayTestV1RequestGetCrc, func(e *wire.Encoder) { e.NewID(res); e.Uint(0); e.Uint(2) })
		c.waitFor(res, headwaytest.HeadwayTestCrcV1EventFailed)
	})
	t.Run("on demand", func(t *testing.T) {
		r := startRig(t, compositor.Config{Clock: compositor.Manual, CRCOnDemand: true})
		c := r.dial()
		test := c.bind("headway_test_v1")
		res := c.NewObject("headway_test_crc_v1")
		c.send(test, headwaytest.HeadwayTestV1RequestGetCrc, func(e *wire.Encoder) { e.NewID(res); e.Uint(0); e.Uint(3) })
		c.waitFor(res, headwaytest.HeadwayTestCrcV1EventFailed)
		c.send(test, headwaytest.HeadwayTestV1RequestEnableCrc, nil)
		seq := c.advance(2)
		res2 := c.NewObject("headway_test_crc_v1")
		c.send(test, headwaytest.HeadwayTestV1RequestGetCrc, func(e *wire.Encoder) { e.NewID(res2); e.Uint(0); e.Uint(uint32(seq)) })
		c.waitFor(res2, headwaytest.HeadwayTestCrcV1EventCrc)
	})
}

// TestDisconnectIsLogged: a client that goes away, cleanly or not, has a
// client_disconnect line; how the connection ended is volatile.
func TestDisconnectIsLogged(t *testing.T) {
	var log lockedBuffer
	r := startRig(t, compositor.Config{Clock: compositor.Manual, NegotiationLog: &log})
	c := r.dial()
	c.bind("wl_compositor")
	c.sync()
	// Unread events pending when it closes make the kernel reset the
	// connection rather than end it.
	c.send(c.bind("wl_shm"), 0xffff, nil)
	c.Close()
	other := r.dial()
	other.sync()
	r.comp.Close()
	<-r.done
	r.done <- nil
	log.mu.Lock()
	defer log.mu.Unlock()
	assert.Contains(t, log.b.String(), `"event":"client_disconnect","reason":`)
}
