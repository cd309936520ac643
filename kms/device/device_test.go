package device

import (
	"context"
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestModesetFlipsAtNextVblank(t *testing.T) {
	r := newRig(t, "vkms")
	fb := r.modeset()
	ps := r.d.ScanoutPlaneState(r.prim)
	assert.True(t, ps.Visible)
	assert.Equal(t, fb, ps.FB.ID())
	assert.Equal(t, Rect{0, 0, int32(r.w), int32(r.h)}, ps.Dst)
	cs := r.d.ScanoutCRTCState(r.crtc)
	assert.True(t, cs.Active)
	assert.Equal(t, uint16(r.w), cs.Mode.HDisplay)
}

func TestPageFlipEventCarriesSequenceAndTimestamp(t *testing.T) {
	r := newRig(t, "vkms")
	r.modeset()
	fb2 := r.fb(r.w, r.h, 0x34325258) // XRGB8888
	r.clk.AdvanceTo(5)
	var req Request
	req.Add(r.prim.id, r.prim.PropertyID("FB_ID"), uint64(fb2))
	require.NoError(t, r.f.Commit(context.Background(), &req, AtomicNonblock|PageFlipEvent, 0xfeed))
	_, ok := r.f.PollEvent()
	require.False(t, ok, "no event before the vblank")
	r.clk.Advance()
	ev, err := r.f.WaitEvent(ctxT(t))
	require.NoError(t, err)
	assert.Equal(t, Event{Type: EventFlipComplete, UserData: 0xfeed, Seq: 6, CRTCID: r.crtc.id, Timestamp: 6 * testPeriod}, ev)
	b := ev.Append(nil)
	require.Len(t, b, EventVblankSize)
	ne := binary.NativeEndian
	assert.Equal(t, EventFlipComplete, ne.Uint32(b[0:]))
	assert.Equal(t, uint32(EventVblankSize), ne.Uint32(b[4:]))
	assert.Equal(t, uint64(0xfeed), ne.Uint64(b[8:]))
	assert.Equal(t, uint32(0), ne.Uint32(b[16:]), "tv_sec")
	assert.Equal(t, uint32(6*testPeriod/1000), ne.Uint32(b[20:]), "tv_usec")
	assert.Equal(t, uint32(6), ne.Uint32(b[24:]), "sequence")
	assert.Equal(t, r.crtc.id, ne.Uint32(b[28:]), "crtc_id")
}
