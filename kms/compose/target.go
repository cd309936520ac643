package compose

import (
	"encoding/binary"
	"math/bits"
	"sync"

	"github.com/headwaywl/headway/kms/drmfixed"
	"github.com/headwaywl/headway/kms/pixfmt"
	"github.com/headwaywl/headway/modifiers/fourcc"
)

// fastWrite selects a row store that skips pixfmt.Writer's per-channel
// packing for the 16-bit formats a compositor renders into: there a
// composed pixel word only needs its lanes moved. The stores give the
// writer's bytes exactly (16-bit channels copy, X bits are ones); the
// tests hold them to it.
type fastWrite uint8

const (
	writeGeneric    fastWrite = iota
	writeXRGB16               // XRGB16161616: B, G, R, X lanes
	writeARGB16               // ARGB16161616: B, G, R, A
	writeXBGR16               // XBGR16161616: R, G, B, X
	writeABGR16               // ABGR16161616: R, G, B, A
	writeRGB565VKMS           // RGB565 as VKMS's argb_u16_to_RGB565 truncates
)

// vkmsRGB565 is VKMS's argb_u16_to_RGB565 per channel, for 5 and 6 bits:
// drm_fixp2int(drm_fixp_div(drm_int2fixp(v), ratio)) with ratio =
// drm_fixp_div(drm_int2fixp(65535), drm_int2fixp(31 or 63)). That
// truncates, where pixfmt's writer rounds to nearest (DIV_ROUND_CLOSEST,
// as VKMS's 8-bit writers do): 0x0842, which VKMS's own RGB565 reader
// makes of 1, is written back as 0. A vkms frame's writeback takes these
// tables; Render and other profiles keep the writer's rounding.
var vkmsRGB565 = sync.OnceValue(func() *[2][1 << 16]uint8 {
	var t [2][1 << 16]uint8
	for i, maxv := range [2]int64{31, 63} {
		ratio := drmfixed.Div(drmfixed.Int2Fixp(65535), drmfixed.Int2Fixp(maxv))
		for v := range t[i] {
			t[i][v] = uint8(drmfixed.Fixp2Int(drmfixed.Div(drmfixed.Int2Fixp(int64(v)), ratio)))
		}
	}
	return &t
})

func fastWriteFor(f fourcc.Format) fastWrite {
	switch f {
	case fourcc.XRGB16161616:
		return writeXRGB16
	case fourcc.ARGB16161616:
		return writeARGB16
	case fourcc.XBGR16161616:
		return writeXBGR16
	case fourcc.ABGR16161616:
		return writeABGR16
	}
	return writeGeneric
}

// write stores composed row y into the frame's writeback or Render target.
func (fj *frameJob) write(y int, out []Pixel) {
	if fj.wbFast == writeGeneric {
		fj.wb.WriteSpan(&fj.wbImg, 0, y, out)
		return
	}
	p := &fj.wbImg.Planes[0]
	if fj.wbFast == writeRGB565VKMS {
		t := vkmsRGB565()
		t5, t6 := &t[0], &t[1]
		d := p.Data[y*p.Stride : y*p.Stride+2*len(out)]
		for i := range out {
			q := &out[i]
			binary.LittleEndian.PutUint16(d[2*i:], uint16(t5[q.R])<<11|uint16(t6[q.G])<<5|uint16(t5[q.B]))
		}
		return
	}
	src := pixfmt.Words(out) // A | R<<16 | G<<32 | B<<48
	d := p.Data[y*p.Stride : y*p.Stride+8*len(out)]
	d = d[:8*len(src)]
	const top = 0xffff << 48
	switch fj.wbFast {
	case writeXRGB16:
		for i, w := range src {
			binary.LittleEndian.PutUint64(d[8*i:8*i+8], w>>48|w>>16&0xffff0000|w<<16&0xffff_0000_0000|top)
		}
	case writeARGB16:
		for i, w := range src {
			binary.LittleEndian.PutUint64(d[8*i:8*i+8], w>>48|w>>16&0xffff0000|w<<16&0xffff_0000_0000|w<<48)
		}
	case writeXBGR16:
		for i, w := range src {
			binary.LittleEndian.PutUint64(d[8*i:8*i+8], w>>16&0xffff_ffff_ffff|top)
		}
	case writeABGR16:
		for i, w := range src {
			binary.LittleEndian.PutUint64(d[8*i:8*i+8], bits.RotateLeft64(w, -16))
		}
	}
}
