package compose

import (
	"encoding/binary"
	"math/bits"

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
	writeGeneric fastWrite = iota
	writeXRGB16            // XRGB16161616: B, G, R, X lanes
	writeARGB16            // ARGB16161616: B, G, R, A
	writeXBGR16            // XBGR16161616: R, G, B, X
	writeABGR16            // ABGR16161616: R, G, B, A
)

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
