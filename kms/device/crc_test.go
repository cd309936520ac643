package device

import (
	"context"
	"fmt"
	"strconv"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/crc"
	"github.com/headwaywl/headway/modifiers/fourcc"
)

type crcEntry struct {
	frame uint32
	value uint32
}

func readCRC(t *testing.T, rd *crc.Reader) crcEntry {
	t.Helper()
	buf := make([]byte, crc.LineLen(1))
	n, err := rd.ReadContext(ctxT(t), buf)
	require.NoError(t, err)
	require.Equal(t, crc.LineLen(1), n)
	f, err := strconv.ParseUint(string(buf[2:10]), 16, 32)
	require.NoError(t, err)
	v, err := strconv.ParseUint(string(buf[13:21]), 16, 32)
	require.NoError(t, err)
	return crcEntry{uint32(f), uint32(v)}
}

func TestCRCOpenNeedsActiveCRTC(t *testing.T) {
	r := newRig(t, "vkms")
	_, err := r.crtc.CRC().Open(false)
	require.ErrorIs(t, err, syscall.EIO)
	r.modeset()
	rd, err := r.crtc.CRC().Open(false)
	require.NoError(t, err)
	defer rd.Close()
	_, err = r.crtc.CRC().Open(false)
	require.ErrorIs(t, err, syscall.EBUSY)
}

func TestCRCConsecutiveFramesConsecutiveSequences(t *testing.T) {
	r := newRig(t, "vkms")
	r.modeset()
	rd, err := r.crtc.CRC().Open(false)
	require.NoError(t, err)
	defer rd.Close()
	start := r.clk.Seq()
	for i := 0; i < 5; i++ {
		r.clk.Advance()
	}
	first := readCRC(t, rd)
	assert.Equal(t, uint32(start+1), first.frame)
	for i := 1; i < 5; i++ {
		e := readCRC(t, rd)
		assert.Equal(t, first.frame+uint32(i), e.frame)
		assert.Equal(t, first.value, e.value, "an unchanged picture gives the same CRC every frame")
	}
	assert.False(t, rd.Poll())
}

func TestCRCFlipDuringFrameNLatchesAtNPlus1(t *testing.T) {
	r := newRig(t, "vkms")
	r.modeset()
	rd, err := r.crtc.CRC().Open(false)
	require.NoError(t, err)
	defer rd.Close()
	r.clk.Advance()
	n := r.clk.Seq()
	before := readCRC(t, rd)
	require.Equal(t, uint32(n), before.frame)

	fb2 := r.fb(r.w, r.h, fourcc.XRGB8888)
	var req Request
	req.Add(r.prim.id, r.prim.PropertyID("FB_ID"), uint64(fb2))
	require.NoError(t, r.f.Commit(context.Background(), &req, AtomicNonblock|PageFlipEvent, 0)) // during frame n
	r.clk.Advance()
	ev, err := r.f.WaitEvent(ctxT(t))
	require.NoError(t, err)
	after := readCRC(t, rd)
	assert.Equal(t, n+1, ev.Seq)
	assert.Equal(t, uint32(ev.Seq), after.frame, "the CRC of the flip's frame is tagged with the flip event's sequence")
	assert.NotEqual(t, before.value, after.value, "the new framebuffer shows from frame n+1")
}

func TestCRCRingOverflow(t *testing.T) {
	r := newRig(t, "vkms")
	r.modeset()
	rd, err := r.crtc.CRC().Open(true)
	require.NoError(t, err)
	defer rd.Close()
	start := r.clk.Seq()
	r.clk.AdvanceTo(start + crc.EntriesNR + 2)
	assert.Equal(t, crc.Capacity, r.crtc.CRC().Pending())
	st := r.crtc.CRC().Stats()
	assert.Equal(t, uint64(crc.Capacity), st.Added)
	assert.Equal(t, uint64(3), st.Dropped, "128+2 frames into a ring that holds 127")
	assert.True(t, st.Overflowed)
	// The oldest entries survive; the newest were dropped.
	for i := 0; i < crc.Capacity; i++ {
		e := readCRC(t, rd)
		require.Equal(t, uint32(start)+1+uint32(i), e.frame)
	}
	_, err = rd.Read(make([]byte, 64))
	assert.ErrorIs(t, err, syscall.EAGAIN)
}

func TestCRCReadBytesExact(t *testing.T) {
	r := newRig(t, "vkms")
	r.modeset()
	r.clk.AdvanceTo(0x29)
	rd, err := r.crtc.CRC().Open(false)
	require.NoError(t, err)
	defer rd.Close()
	r.clk.Advance()
	// One frame composed: compute what the composer says for it.
	r.d.mu.Lock()
	r.d.buildFrameLocked(r.crtc, 0x2a, 0)
	want, _ := r.comp.Compose(&r.crtc.frame, Target{CRC: true})
	r.d.mu.Unlock()
	short := make([]byte, 22)
	_, err = rd.Read(short)
	require.ErrorIs(t, err, syscall.EINVAL, "a 22-byte buffer is shorter than LINE_LEN(1)")
	buf := make([]byte, 64)
	n, err := rd.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprintf("0x%08x 0x%08x\n\x00", 0x2a, want), string(buf[:n]))
	assert.Equal(t, 23, n)
}

func TestCRCPlaneSourceAndStoppedGeneration(t *testing.T) {
	r := newRig(t, "vkms")
	r.modeset()
	c := r.crtc.CRC()
	_, err := c.WriteControl([]byte("plane999\n"))
	require.ErrorIs(t, err, syscall.EINVAL)
	_, err = c.WriteControl([]byte(fmt.Sprintf("plane%d\n", r.prim.id)))
	require.NoError(t, err)
	rd, err := c.Open(false)
	require.NoError(t, err)
	r.clk.Advance()
	e := readCRC(t, rd)
	assert.Equal(t, uint32(r.clk.Seq()), e.frame)
	require.NoError(t, rd.Close())
	r.comp.mu.Lock()
	frames := r.comp.frames
	r.comp.mu.Unlock()
	r.clk.Advance()
	r.comp.mu.Lock()
	assert.Equal(t, frames, r.comp.frames, "no composition once the reader is closed")
	r.comp.mu.Unlock()
}
