package neglog

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func lines(b *bytes.Buffer) []string {
	return strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
}

func TestSortBatch(t *testing.T) {
	ev := func(frame uint64, client string, ord uint64, typ string) Event {
		return Event{Frame: frame, Client: client, Ord: ord, Type: typ}
	}
	tests := []struct {
		name string
		in   []Event
		want []Event
	}{
		{
			name: "compositor-wide first, in added order",
			in:   []Event{ev(1, "b", 1, "x"), ev(1, "", 0, "first"), ev(1, "a", 1, "x"), ev(1, "", 0, "second")},
			want: []Event{ev(1, "", 0, "first"), ev(1, "", 0, "second"), ev(1, "a", 1, "x"), ev(1, "b", 1, "x")},
		},
		{
			name: "by name then ordinal",
			in:   []Event{ev(1, "b", 2, "x"), ev(1, "a", 9, "x"), ev(1, "b", 1, "x"), ev(1, "a", 3, "x")},
			want: []Event{ev(1, "a", 3, "x"), ev(1, "a", 9, "x"), ev(1, "b", 1, "x"), ev(1, "b", 2, "x")},
		},
		{
			name: "names in byte order",
			in:   []Event{ev(1, "a", 1, "x"), ev(1, "B", 1, "x"), ev(1, "a-2", 1, "x"), ev(1, "a-10", 1, "x")},
			want: []Event{ev(1, "B", 1, "x"), ev(1, "a", 1, "x"), ev(1, "a-10", 1, "x"), ev(1, "a-2", 1, "x")},
		},
		{
			name: "frame before everything",
			in:   []Event{ev(2, "", 0, "x"), ev(1, "z", 5, "x"), ev(2, "a", 6, "x"), ev(1, "", 0, "y")},
			want: []Event{ev(1, "", 0, "y"), ev(1, "z", 5, "x"), ev(2, "", 0, "x"), ev(2, "a", 6, "x")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := append([]Event(nil), tt.in...)
			SortBatch(in)
			assert.Equal(t, tt.want, in)
		})
	}
}

// TestBatchIgnoresArrivalOrder is the point of Batch: however the
// dispatch of two clients' requests interleaves, the written frame is the
// same bytes, as long as each client's own events keep their order.
func TestBatchIgnoresArrivalOrder(t *testing.T) {
	const alice, bob ClientID = 1, 2
	names := map[ClientID]string{alice: "alice", bob: "bob"}
	aliceEvents := []Event{ClientConnect("a", 10), Bind("wl_compositor", 6, 1), Bind("wl_shm", 2, 2)}
	bobEvents := []Event{ClientConnect("b", 11), Bind("wp_presentation", 2, 7)}

	render := func(rng *rand.Rand) string {
		var b Batch
		var out bytes.Buffer
		b.SetFrame(4)
		ia, ib := 0, 0
		for ia < len(aliceEvents) || ib < len(bobEvents) {
			if ib == len(bobEvents) || (ia < len(aliceEvents) && rng.IntN(2) == 0) {
				b.Add(alice, aliceEvents[ia])
				ia++
			} else {
				b.Add(bob, bobEvents[ib])
				ib++
			}
			if rng.IntN(3) == 0 {
				b.Add(NoClient, FrameCommit(uint32(ia+ib), nil, "ok"))
			}
		}
		b.Add(NoClient, FrameRender(Render{Surfaces: 1, PrimaryFormat: "XRGB8888"}))
		require.NoError(t, b.Flush(NewWriter(&out), func(id ClientID) string { return names[id] }))
		// Compositor-wide lines depend on the loop's own order, which
		// the test varies on purpose; the client lines must not move.
		var clientLines []string
		for _, l := range lines(&out) {
			if strings.Contains(l, `"client":`) {
				clientLines = append(clientLines, l)
			}
		}
		return strings.Join(clientLines, "\n")
	}
	want := render(rand.New(rand.NewPCG(0, 0)))
	assert.Equal(t, `{"v":1,"frame":4,"client":"alice","ord":1,"event":"client_connect","comm":"a","vol":{"pid":10}}
{"v":1,"frame":4,"client":"alice","ord":2,"event":"bind","interface":"wl_compositor","version":6,"global":1}
{"v":1,"frame":4,"client":"alice","ord":3,"event":"bind","interface":"wl_shm","version":2,"global":2}
{"v":1,"frame":4,"client":"bob","ord":1,"event":"client_connect","comm":"b","vol":{"pid":11}}
{"v":1,"frame":4,"client":"bob","ord":2,"event":"bind","interface":"wp_presentation","version":2,"global":7}`, want)
	for seed := uint64(1); seed < 50; seed++ {
		require.Equal(t, want, render(rand.New(rand.NewPCG(seed, seed))), "seed %d", seed)
	}
}

func TestBatchOrdinalsAndRenames(t *testing.T) {
	const c1, c2 ClientID = 7, 8
	names := map[ClientID]string{c1: "zed-1", c2: "amy-1"}
	name := func(id ClientID) string { return names[id] }
	var b Batch
	var out bytes.Buffer
	w := NewWriter(&out)

	b.SetFrame(1)
	b.Add(NoClient, Output(OutputInfo{"vkms", "64x64@60", "XRGB8888", ClockManual, 1, "s"}))
	b.Add(c1, ClientConnect("zed", 1))
	b.Add(c2, ClientConnect("amy", 2))
	assert.Equal(t, 3, b.Len())
	require.NoError(t, b.Flush(w, name))
	assert.Zero(t, b.Len())

	b.SetFrame(2)
	b.Add(c1, Bind("wl_shm", 1, 3))
	// c1 renames itself before the frame is flushed: all of this frame's
	// lines of c1 go out under the new name, which now sorts first.
	names[c1] = "aaa"
	b.Add(c1, ClientName("aaa", "zed-1"))
	b.Add(c2, ClientDisconnect("disconnected", nil))
	b.Forget(c2)
	require.NoError(t, b.Flush(w, name))

	b.SetFrame(3)
	b.Add(c2, Bind("wl_shm", 1, 3)) // a new life after Forget starts at 1 again
	names[c2] = "amy-2"
	require.NoError(t, b.Flush(w, name))

	assert.Equal(t, []string{
		`{"v":1,"frame":1,"event":"output","profile":"vkms","mode":"64x64@60","primary_format":"XRGB8888","clock":"manual","vol":{"mono_base_ns":1,"socket":"s"}}`,
		`{"v":1,"frame":1,"client":"amy-1","ord":1,"event":"client_connect","comm":"amy","vol":{"pid":2}}`,
		`{"v":1,"frame":1,"client":"zed-1","ord":1,"event":"client_connect","comm":"zed","vol":{"pid":1}}`,
		`{"v":1,"frame":2,"client":"aaa","ord":2,"event":"bind","interface":"wl_shm","version":1,"global":3}`,
		`{"v":1,"frame":2,"client":"aaa","ord":3,"event":"client_name","name":"aaa","previous":"zed-1"}`,
		`{"v":1,"frame":2,"client":"amy-1","ord":2,"event":"client_disconnect","reason":"disconnected"}`,
		`{"v":1,"frame":3,"client":"amy-2","ord":1,"event":"bind","interface":"wl_shm","version":1,"global":3}`,
	}, lines(&out))
}

func TestBatchOverridesEnvelope(t *testing.T) {
	var b Batch
	var out bytes.Buffer
	b.SetFrame(5)
	e := FrameCommit(1, nil, "ok")
	e.Frame, e.Client, e.Ord = 99, "stale", 42
	b.Add(NoClient, e)
	require.NoError(t, b.Flush(NewWriter(&out), nil))
	assert.Equal(t, `{"v":1,"frame":5,"event":"frame_commit","fb":1,"flags":[],"result":"ok"}`+"\n", out.String())
	assert.Equal(t, uint64(5), b.Frame())
}

func TestBatchFlushReportsBadEventsAndWritesTheRest(t *testing.T) {
	var b Batch
	var out bytes.Buffer
	b.Add(1, Bind("wl_shm", 1, 3))
	b.Add(2, Bind("wl_seat", 7, 4))
	b.Add(NoClient, Event{Type: "no_such_event"})
	err := b.Flush(NewWriter(&out), func(id ClientID) string {
		if id == 1 {
			return "" // an unnamed client cannot be logged
		}
		return "named"
	})
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrInvalid)
	assert.Contains(t, err.Error(), "no_such_event")
	assert.Contains(t, err.Error(), "needs a client name")
	assert.Equal(t, []string{`{"v":1,"frame":0,"client":"named","ord":1,"event":"bind","interface":"wl_seat","version":7,"global":4}`}, lines(&out))
	assert.Zero(t, b.Len())
}

type failingWriter struct {
	writes int
	failAt int
}

func (f *failingWriter) Write(p []byte) (int, error) {
	f.writes++
	if f.writes >= f.failAt {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWriterErrorsAreSticky(t *testing.T) {
	fw := &failingWriter{failAt: 2}
	w := NewWriter(fw)
	ok := at(0, "", 0, FrameCommit(1, nil, "ok"))
	require.NoError(t, w.WriteEvent(ok))
	assert.Equal(t, 1, fw.writes, "one Write call per line")

	require.ErrorIs(t, w.WriteEvent(Event{Type: "bogus"}), ErrInvalid)
	assert.Equal(t, 1, fw.writes, "an invalid event writes nothing")
	assert.NoError(t, w.Err(), "and does not stop the writer")

	err := w.WriteEvent(ok)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "disk full")
	assert.Equal(t, err, w.Err())
	assert.Equal(t, err, w.WriteEvent(ok))
	assert.Equal(t, 2, fw.writes, "nothing is written after a failure")
}
