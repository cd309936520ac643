package compositor_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/compositor"
	"github.com/headwaywl/headway/compositor/neglog"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/protocol/headwaytest"
	"github.com/headwaywl/headway/protocol/wire"
)

// lockedBuffer is the log sink; the compositor writes from its loop while
// the test reads only after Close.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// twoClientRun runs two animated clients on a lockstep compositor for
// frames frames and returns the frame CRCs and the normalized log.
func twoClientRun(t *testing.T, frames int) ([]uint32, string) {
	var log lockedBuffer
	r := startRig(t, compositor.Config{Clock: compositor.Lockstep, NegotiationLog: &log})
	var wg sync.WaitGroup
	var last [2]uint32 // time of each client's last frame callback
	// Both clients are set up (named, configured, placed) before either
	// draws: a scenario's steps before its first frame are sequential.
	var cs [2]*tclient
	var ws [2]window
	for i, name := range []string{"bravo", "alpha"} {
		c := r.dial()
		test := c.bind("headway_test_v1")
		c.send(test, headwaytest.HeadwayTestV1RequestSetClientName, func(e *wire.Encoder) { e.String(name) })
		w := c.toplevel()
		c.send(test, headwaytest.HeadwayTestV1RequestMoveSurface, func(e *wire.Encoder) {
			e.Object(w.surface)
			e.Int(int32(40 * i))
			e.Int(int32(30 * i))
		})
		c.sync()
		cs[i], ws[i] = c, w
	}
	for i, c := range cs {
		w := ws[i]
		wg.Add(1)
		go func(i int, c *tclient) {
			defer wg.Done()
			for f := 0; f < frames; f++ {
				// Redraw the buffer the compositor last released.
				pix := xrgb(64, 64, uint8(40*f), uint8(100*i), 200)
				buf, _ := c.shmBuffer(fourcc.XRGB8888, 64, 64, 256, pix)
				cb := c.show(w.surface, buf)
				v, err := c.waitFor(cb, 0).Uint()
				require.NoError(t, err)
				last[i] = v
			}
			// Leaving takes the client off the lockstep clock's waiting
			// list, so the last flip needs no timeout.
			c.Close()
		}(i, c)
	}
	wg.Wait()
	// The last callbacks went out at frame k; k+1 shows the last content
	// and latches the empty output, k+2 shows it, and then nothing is due.
	require.Equal(t, last[0], last[1], "lockstep ends both clients in one frame")
	end := r.frameOfCallbackTime(last[0]) + 2
	require.NoError(t, r.comp.WaitFrame(ctxT(t), end))
	crcs := make([]uint32, end)
	for s := uint64(1); s <= end; s++ {
		crcs[s-1] = r.crc(s)
	}
	r.comp.Close()
	<-r.done
	r.done <- nil
	var norm bytes.Buffer
	log.mu.Lock()
	require.NoError(t, neglog.Normalize(bytes.NewReader(log.b.Bytes()), &norm))
	log.mu.Unlock()
	return crcs, norm.String()
}

// TestTwoClientLockstepIsDeterministic: the same two-client lockstep
// scenario gives identical CRCs and identical normalized logs run after
// run, without ever relying on the lockstep timeout.
func TestTwoClientLockstepIsDeterministic(t *testing.T) {
	const runs, frames = 20, 8
	crcs0, log0 := twoClientRun(t, frames)
	require.NotContains(t, log0, "lockstep_timeout")
	require.Contains(t, log0, `"client":"alpha"`)
	require.Contains(t, log0, `"event":"frame_commit"`)
	for i := 1; i < runs; i++ {
		crcs, log := twoClientRun(t, frames)
		require.Equal(t, crcs0, crcs, "run %d CRCs", i)
		if log != log0 {
			a, b := strings.Split(log0, "\n"), strings.Split(log, "\n")
			for j := 0; j < min(len(a), len(b)); j++ {
				require.Equal(t, a[j], b[j], "run %d log line %d", i, j+1)
			}
			require.Equal(t, len(a), len(b), "run %d log length", i)
		}
	}
}
