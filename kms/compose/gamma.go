package compose

import (
	"encoding/binary"
	"unsafe"
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
// loaded. A LUT with fewer than 2 entries is not interpolable and is
// ignored.
func (g *gammaTables) load(lut []byte) bool {
	n := len(lut) / lutEntries
	if n < 2 {
		return false
	}
	if g.src == unsafe.SliceData(lut) && g.srcLen == len(lut) {
		return true
	}
	for ch := range g.t {
		g.t[ch] = grow(g.t[ch], 1<<16)
		t := g.t[ch]
		for v := range t {
			t[v] = lerpLUT(lut, n, ch, uint32(v))
		}
	}
	g.src, g.srcLen = unsafe.SliceData(lut), len(lut)
	return true
}

// lerpLUT is VKMS's apply_lut_to_channel_value computed exactly: the
// index v·(n−1)/0xffff splits into an entry i and a fraction f/0xffff,
// and the result is lut[i] + floor((lut[i+1] − lut[i])·f/0xffff). VKMS
// computes the fraction in 32.32 fixed point; the exact rational gives
// the same value except where that rounding error crosses an integer.
func lerpLUT(lut []byte, n, ch int, v uint32) uint16 {
	pos := v * uint32(n-1)
	i, f := int(pos/0xffff), int64(pos%0xffff)
	a := int64(binary.LittleEndian.Uint16(lut[i*lutEntries+2*ch:]))
	if f == 0 || i == n-1 {
		return uint16(a)
	}
	b := int64(binary.LittleEndian.Uint16(lut[(i+1)*lutEntries+2*ch:]))
	d := (b - a) * f
	q := d / 0xffff
	if d < 0 && q*0xffff != d {
		q-- // floor, as drm_fixp2int's arithmetic shift does
	}
	return uint16(a + q)
}

func (g *gammaTables) apply(row []Pixel) {
	tr, tg, tb := g.t[0][:1<<16], g.t[1][:1<<16], g.t[2][:1<<16]
	for i := range row {
		p := &row[i]
		p.R, p.G, p.B = tr[p.R], tg[p.G], tb[p.B]
	}
}
