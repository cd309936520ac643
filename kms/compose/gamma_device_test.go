package compose

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/modifiers/fourcc"
)

// wbTarget is a writeback framebuffer of format f at the rig's mode
// size, in memory the test holds.
func (r *devRig) wbTarget(f fourcc.Format) (uint32, []byte, int) {
	r.t.Helper()
	info, ok := fourcc.Lookup(f)
	require.True(r.t, ok)
	pitch := int(info.MinPitch(0, uint32(r.w)))
	mem := make([]byte, pitch*r.h)
	handle, err := r.f.ImportBuffer(mem)
	require.NoError(r.t, err)
	req := device.FB2{Width: uint32(r.w), Height: uint32(r.h), Format: f}
	req.Handles[0], req.Pitches[0] = handle, uint32(pitch)
	id, err := r.f.AddFB2(req)
	require.NoError(r.t, err)
	return id, mem, pitch
}

// A GAMMA_LUT set by an atomic commit on a vkms device changes the
// written pixels and the CRC to exactly what the C transcription of
// VKMS (testdata/vkmslut) gives. The primary shows only values the
// golden file samples, so every output pixel has a reference; two LUTs
// in turn check that a new blob replaces the expanded tables.
func TestDeviceGammaLUTMatchesVKMSReference(t *testing.T) {
	g := readVKMSGolden(t)
	r := newDevRig(t, "vkms")
	require.Equal(t, uint32(256), r.prof.CRTCs.GammaLUTSize, "VKMS_LUT_SIZE")
	wb := r.d.Writeback()
	require.NotNil(t, wb)

	// The samples are v = 251·k for k < 262 (and 0xffff); channel c of
	// column x shows sample (x + 7c) mod 262, so channels differ.
	const nSamples = 262
	sample := func(x, c int) uint16 { return uint16((x + 7*c) % nSamples * 251) }
	prim := r.fb(fourcc.XRGB16161616, r.w, r.h, func(x, y int) Pixel {
		return Pixel{A: 0xffff, R: sample(x+y, 0), G: sample(x+y, 1), B: sample(x+y, 2)}
	})
	r.modeset(prim)
	rd, err := r.crtc.CRC().Open(false)
	require.NoError(t, err)
	defer rd.Close()
	wbID, mem, pitch := r.wbTarget(fourcc.XRGB16161616)

	for _, name := range []string{"random256", "decreasing256"} {
		t.Run(name, func(t *testing.T) {
			var rec *goldenLUTRec
			for i := range g.luts {
				if g.luts[i].name == name {
					rec = &g.luts[i]
				}
			}
			require.NotNil(t, rec)
			blob, err := r.f.CreateBlob(goldenLUT(name, 256))
			require.NoError(t, err)
			var req device.Request
			req.Add(r.crtc.ID(), r.crtc.PropertyID("GAMMA_LUT"), uint64(blob))
			req.Add(wb.ID(), wb.PropertyID("CRTC_ID"), uint64(r.crtc.ID()))
			req.Add(wb.ID(), wb.PropertyID("WRITEBACK_FB_ID"), uint64(wbID))
			got := readUntil(t, rd, r.commit(&req, device.AtomicAllowModeset))

			want := func(x, y int) Pixel {
				ref := func(c int) uint16 {
					v, ok := rec.tables[c].samples[sample(x+y, c)]
					require.True(t, ok)
					return v
				}
				return Pixel{A: 0xffff, R: ref(0), G: ref(1), B: ref(2)}
			}
			assert.Equal(t, crcOfRows(r.w, r.h, want), got, "CRC of the frame through the LUT")
			bad := 0
			for y := 0; y < r.h; y++ {
				for x := 0; x < r.w; x++ {
					o := y*pitch + 8*x
					w := want(x, y)
					p := [4]uint16{
						binary.LittleEndian.Uint16(mem[o:]), binary.LittleEndian.Uint16(mem[o+2:]),
						binary.LittleEndian.Uint16(mem[o+4:]), binary.LittleEndian.Uint16(mem[o+6:]),
					}
					if p != [4]uint16{w.B, w.G, w.R, 0xffff} && bad < 5 {
						bad++
						t.Errorf("(%d,%d): written B,G,R,X %#04x, VKMS %#04x", x, y, p, [4]uint16{w.B, w.G, w.R, 0xffff})
					}
				}
			}
		})
	}
	// Guard: without the LUT the frame is the primary itself.
	var req device.Request
	req.Add(r.crtc.ID(), r.crtc.PropertyID("GAMMA_LUT"), 0)
	got := readUntil(t, rd, r.commit(&req, 0))
	assert.Equal(t, crcOfRows(r.w, r.h, func(x, y int) Pixel {
		return Pixel{A: 0xffff, R: sample(x+y, 0), G: sample(x+y, 1), B: sample(x+y, 2)}
	}), got)
}
