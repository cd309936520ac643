package compose

import (
	"encoding/binary"
	"unsafe"

	"github.com/headwaywl/headway/kms/drmfixed"
)

// gammaTables holds a GAMMA_LUT expanded to one 65536-entry table per
// channel, so applying it is three loads per pixel.
type gammaTables struct {
	src    *byte // the blob's data, which the device never changes
	srcLen int
	t      [3][]uint16
}

// lutEntries is the size of struct drm_color_lut.
const lutEntries = 8

// load expands lut (struct drm_color_lut entries: red, green, blue,
// reserved, each a little-endian u16) unless it is the one already
// loaded. Every one of the 65536 values of each channel goes through
// vkmsLUT, VKMS's apply_lut_to_channel_value, so the table is VKMS's
// function, not an approximation of it. A blob without a whole entry is
// ignored, as VKMS ignores a LUT of length 0; a single entry maps
// everything to that entry, as VKMS's does.
func (g *gammaTables) load(lut []byte) bool {
	n := len(lut) / lutEntries
	if n < 1 {
		return false
	}
	if g.src == unsafe.SliceData(lut) && g.srcLen == len(lut) {
		return true
	}
	for ch := range g.t {
		g.t[ch] = grow(g.t[ch], 1<<16)
	}
	tr, tg, tb := g.t[0][:1<<16], g.t[1][:1<<16], g.t[2][:1<<16]
	ratio := lutRatio(n)
	for v := range 1 << 16 {
		// The index and the two entries it falls between are shared by
		// the channels; only the entries' values differ.
		lo, hi, t := lutSpan(ratio, n, uint16(v))
		e0, e1 := lut[lo*lutEntries:lo*lutEntries+6], lut[hi*lutEntries:hi*lutEntries+6]
		tr[v] = lerpU16(binary.LittleEndian.Uint16(e0[0:]), binary.LittleEndian.Uint16(e1[0:]), t)
		tg[v] = lerpU16(binary.LittleEndian.Uint16(e0[2:]), binary.LittleEndian.Uint16(e1[2:]), t)
		tb[v] = lerpU16(binary.LittleEndian.Uint16(e0[4:]), binary.LittleEndian.Uint16(e1[4:]), t)
	}
	g.src, g.srcLen = unsafe.SliceData(lut), len(lut)
	return true
}

func (g *gammaTables) apply(row []Pixel) {
	tr, tg, tb := g.t[0][:1<<16], g.t[1][:1<<16], g.t[2][:1<<16]
	for i := range row {
		p := &row[i]
		p.R, p.G, p.B = tr[p.R], tg[p.G], tb[p.B]
	}
}

// lutRatio is VKMS's channel_value2index_ratio for a LUT of n entries,
// set up by vkms_composer_worker: drm_fixp_div(drm_int2fixp(n − 1),
// drm_int2fixp(0xffff)). For 256 entries it is 0xff00ff, a truncation of
// 255/65535 = 1/257.
func lutRatio(n int) int64 {
	return drmfixed.Div(drmfixed.Int2Fixp(int64(n-1)), drmfixed.Int2Fixp(0xffff))
}

// lutIndex is VKMS's get_lut_index: the channel value times the ratio,
// with drm_fixp_mul's pre-shifts, which drop low bits of both factors.
func lutIndex(ratio int64, v uint16) int64 {
	return drmfixed.Mul(drmfixed.Int2Fixp(int64(v)), ratio)
}

// lutSpan is the rest of apply_lut_to_channel_value before the lerp: the
// floor entry lo = drm_fixp2int(index), the ceiling entry
// drm_fixp2int_ceil(index) (lo itself for the last entry, which has no
// next one), and the fraction t = index & DRM_FIXED_DECIMAL_MASK.
func lutSpan(ratio int64, n int, v uint16) (lo, hi int, t int64) {
	idx := lutIndex(ratio, v)
	lo = int(drmfixed.Fixp2Int(idx))
	hi = lo
	if lo != n-1 {
		hi = int(drmfixed.Fixp2IntCeil(idx))
	}
	return lo, hi, idx & drmfixed.DecimalMask
}

// lerpU16 is VKMS's lerp_u16: a + (b − a)·t in 32.32, t in [0, 1],
// rounded half up by drm_fixp2int_round and cut to 16 bits.
func lerpU16(a, b uint16, t int64) uint16 {
	af := drmfixed.Int2Fixp(int64(a))
	delta := drmfixed.Mul(drmfixed.Int2Fixp(int64(b))-af, t)
	return uint16(drmfixed.Fixp2IntRound(af + delta))
}
