package pixfmt

import (
	"errors"
	"math/big"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/drmfixed"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
)

// newImage allocates planes of exactly MinPitch x PlaneHeight bytes, so any
// read past a plane's last pixel panics in the test.
func newImage(t testing.TB, f fourcc.Format, w, h int) *Image {
	t.Helper()
	info, ok := fourcc.Lookup(f)
	require.True(t, ok, "%v", f)
	img := &Image{Width: w, Height: h}
	for p := 0; p < int(info.NumPlanes); p++ {
		stride := int(info.MinPitch(p, uint32(w)))
		img.Planes[p] = Plane{Data: make([]byte, stride*info.PlaneHeight(h, p)), Stride: stride}
	}
	return img
}

func randomImage(t testing.TB, rng *rand.Rand, f fourcc.Format, w, h int) *Image {
	img := newImage(t, f, w, h)
	for p := range img.Planes {
		rng.Read(img.Planes[p].Data)
	}
	return img
}

var allEnc = []profile.ColorEncoding{profile.BT601, profile.BT709, profile.BT2020}
var allRange = []profile.ColorRange{profile.RangeLimited, profile.RangeFull}

func TestExpandCompress(t *testing.T) {
	for bits := 1; bits <= 16; bits++ {
		maxv := uint32(1)<<uint(bits) - 1
		assert.Equal(t, uint16(0), Expand(0, bits))
		assert.Equal(t, uint16(0xffff), Expand(maxv, bits))
		for v := uint32(0); v <= maxv; v += 1 + maxv/97 {
			assert.Equal(t, v, Compress(Expand(v, bits), bits), "bits %d v %d", bits, v)
		}
	}
	for v := uint32(0); v < 256; v++ {
		assert.Equal(t, uint16(v*257), Expand(v, 8))
	}
	for v := 0; v < 65536; v++ {
		require.Equal(t, uint32((v+128)/257), Compress(uint16(v), 8), "v %d", v)
	}
	assert.Equal(t, uint16(0), Expand(5, 0))
	assert.Equal(t, uint16(0), Expand(5, 17))
	assert.Equal(t, uint32(0), Compress(5, 0))
	assert.Equal(t, uint16(2114), Expand(1, 5)) // 65535/31 = 2114.03
	assert.Equal(t, uint16(1040), Expand(1, 6)) // 65535/63 = 1040.2
	assert.Equal(t, uint16(64), Expand(1, 10))  // 65535/1023 = 64.06
}

// TestExpandMatchesDrmFixp checks the doc's claim that VKMS's drm_fixp
// RGB565 arithmetic (a 32.32 ratio 65535/31 or 65535/63, drm_fixp_mul, then
// drm_fixp2int_round) equals DIV_ROUND_CLOSEST for every 5- and 6-bit value.
func TestExpandMatchesDrmFixp(t *testing.T) {
	for _, bits := range []int{5, 6} {
		den := int64(1)<<uint(bits) - 1
		ratio := (int64(65535) << 32) / den
		for v := int64(0); v <= den; v++ {
			got := (drmfixed.Mul(v<<32, ratio) + 1<<31) >> 32
			assert.Equal(t, uint16(got), Expand(uint32(v), bits), "bits %d v %d", bits, v)
		}
	}
}

func TestKnownValues(t *testing.T) {
	ff := uint16(0xffff)
	cases := []struct {
		f    fourcc.Format
		data []byte
		want Pixel
	}{
		{fourcc.XRGB8888, []byte{0x11, 0x22, 0x33, 0x44}, Pixel{ff, 0x3333, 0x2222, 0x1111}},
		{fourcc.ARGB8888, []byte{0x11, 0x22, 0x33, 0x44}, Pixel{0x4444, 0x3333, 0x2222, 0x1111}},
		{fourcc.XBGR8888, []byte{0x11, 0x22, 0x33, 0x44}, Pixel{ff, 0x1111, 0x2222, 0x3333}},
		{fourcc.ABGR8888, []byte{0x11, 0x22, 0x33, 0x44}, Pixel{0x4444, 0x1111, 0x2222, 0x3333}},
		{fourcc.RGBX8888, []byte{0x11, 0x22, 0x33, 0x44}, Pixel{ff, 0x4444, 0x3333, 0x2222}},
		{fourcc.RGBA8888, []byte{0x11, 0x22, 0x33, 0x44}, Pixel{0x1111, 0x4444, 0x3333, 0x2222}},
		{fourcc.BGRX8888, []byte{0x11, 0x22, 0x33, 0x44}, Pixel{ff, 0x2222, 0x3333, 0x4444}},
		{fourcc.BGRA8888, []byte{0x11, 0x22, 0x33, 0x44}, Pixel{0x1111, 0x2222, 0x3333, 0x4444}},
		{fourcc.RGB888, []byte{0x11, 0x22, 0x33}, Pixel{ff, 0x3333, 0x2222, 0x1111}},
		{fourcc.BGR888, []byte{0x11, 0x22, 0x33}, Pixel{ff, 0x1111, 0x2222, 0x3333}},
		{fourcc.RGB565, []byte{0x00, 0xf8}, Pixel{ff, ff, 0, 0}},
		{fourcc.RGB565, []byte{0xe0, 0x07}, Pixel{ff, 0, ff, 0}},
		{fourcc.RGB565, []byte{0x1f, 0x00}, Pixel{ff, 0, 0, ff}},
		{fourcc.RGB565, []byte{0x21, 0x08}, Pixel{ff, 2114, 1040, 2114}},
		{fourcc.BGR565, []byte{0x00, 0xf8}, Pixel{ff, 0, 0, ff}},
		{fourcc.XRGB1555, []byte{0x00, 0x7c}, Pixel{ff, ff, 0, 0}},
		{fourcc.ARGB1555, []byte{0x00, 0x7c}, Pixel{0, ff, 0, 0}},
		{fourcc.ARGB1555, []byte{0x1f, 0x80}, Pixel{ff, 0, 0, ff}},
		{fourcc.XRGB2101010, []byte{0xff, 0x03, 0x00, 0x00}, Pixel{ff, 0, 0, ff}},
		{fourcc.ARGB2101010, []byte{0x00, 0x00, 0xf0, 0x7f}, Pixel{0x5555, ff, 0, 0}},
		{fourcc.XBGR2101010, []byte{0x01, 0x00, 0x00, 0x00}, Pixel{ff, 64, 0, 0}},
		{fourcc.ABGR2101010, []byte{0x00, 0x00, 0x00, 0xc0}, Pixel{ff, 0, 0, 0}},
		{fourcc.XRGB16161616, []byte{1, 2, 3, 4, 5, 6, 7, 8}, Pixel{ff, 0x0605, 0x0403, 0x0201}},
		{fourcc.ARGB16161616, []byte{1, 2, 3, 4, 5, 6, 7, 8}, Pixel{0x0807, 0x0605, 0x0403, 0x0201}},
		{fourcc.XBGR16161616, []byte{1, 2, 3, 4, 5, 6, 7, 8}, Pixel{ff, 0x0201, 0x0403, 0x0605}},
		{fourcc.ABGR16161616, []byte{1, 2, 3, 4, 5, 6, 7, 8}, Pixel{0x0807, 0x0201, 0x0403, 0x0605}},
		// half: 1.0 = 0x3c00, 0.5 = 0x3800, -1 = 0xbc00, NaN = 0x7e00, 2.0 = 0x4000
		{fourcc.ARGB16161616F, []byte{0x00, 0x3c, 0x00, 0x38, 0x00, 0xbc, 0x00, 0x7e}, Pixel{0, 0, 0x8000, ff}},
		{fourcc.XRGB16161616F, []byte{0x00, 0x40, 0x00, 0x7c, 0x01, 0x00, 0x00, 0x00}, Pixel{ff, 0, ff, ff}},
		{fourcc.ABGR16161616F, []byte{0x00, 0x34, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3c}, Pixel{ff, 16384, 0, 0}},
		{fourcc.XBGR16161616F, []byte{0x00, 0x00, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x00}, Pixel{ff, 0, 0, ff}},
		{fourcc.R8, []byte{0x80}, Pixel{ff, 0x8080, 0x8080, 0x8080}},
		{fourcc.R4, []byte{0xa0}, Pixel{ff, 0xaaaa, 0xaaaa, 0xaaaa}},
		{fourcc.R2, []byte{0x40}, Pixel{ff, 0x5555, 0x5555, 0x5555}},
		{fourcc.R1, []byte{0x80}, Pixel{ff, ff, ff, ff}},
		{fourcc.R1, []byte{0x7f}, Pixel{ff, 0, 0, 0}},
	}
	for _, tc := range cases {
		t.Run(tc.f.String(), func(t *testing.T) {
			r, err := NewReader(tc.f, profile.BT601, profile.RangeFull)
			require.NoError(t, err)
			img := &Image{Width: 1, Height: 1, Planes: [4]Plane{{Data: tc.data, Stride: len(tc.data)}}}
			assert.Equal(t, tc.want, r.At(img, 0, 0))
		})
	}
}

// TestHalfExact checks every half against an exact big-number evaluation.
func TestHalfExact(t *testing.T) {
	read, enc := halfTables()
	for h := 0; h < 0x7c00; h++ { // positive finite
		e, m := h>>10, uint64(h&0x3ff)
		k := 24
		if e > 0 {
			m |= 0x400
			k = 25 - e
		}
		var want uint64
		if e >= 15 {
			want = 0xffff
		} else {
			want = (2*m*65535 + 1<<uint(k)) >> uint(k+1) // round half up of m*65535/2^k
		}
		require.Equal(t, uint16(want), read[h], "h %#x", h)
	}
	for v := 0; v < 65536; v++ {
		h := enc[v]
		require.Less(t, h, uint16(0x3c01), "v %d", v)
		// read(write(v)) is within half a half-ulp: idempotent on the read set.
		require.Equal(t, read[h], read[enc[read[h]]], "v %d", v)
	}
	assert.Equal(t, uint16(0x3c00), enc[0xffff])
	assert.Equal(t, uint16(0), enc[0])
	assert.Equal(t, uint16(0x3800), enc[0x8000]) // 0.500008 -> 0.5
}

// TestYUVExactGreys pins the colours the package doc lists as exact.
func TestYUVExactGreys(t *testing.T) {
	for tab := YUVTables(0); tab < numTables; tab++ {
		for _, enc := range allEnc {
			for _, rng := range allRange {
				c := conv(tab, enc, rng)
				name := tab.String() + "/" + enc.String() + "/" + rng.String()
				if rng == profile.RangeFull {
					for y := int64(0); y < 256; y++ {
						v := uint16(y * 257)
						require.Equal(t, Pixel{0xffff, v, v, v}, c.rgb16(uint16(y*257), 128*257, 128*257), "%s Y %d", name, y)
					}
					// P010 words: neutral chroma is 0x8080 (514 << 6), VKMS's
					// 128*257, not 0x8000.
					for y := int64(0); y < 1024; y++ {
						v := uint16(y << 6)
						require.Equal(t, Pixel{0xffff, v, v, v}, c.rgb16(uint16(y<<6), 0x8080, 0x8080), "%s P010 Y %d", name, y)
					}
					continue
				}
				for _, y := range []int64{0, 8, 16} {
					assert.Equal(t, Pixel{0xffff, 0, 0, 0}, c.rgb16(uint16(y*257), 128*257, 128*257), "%s Y %d", name, y)
				}
				for _, y := range []int64{235, 240, 255} {
					assert.Equal(t, Pixel{0xffff, 0xffff, 0xffff, 0xffff}, c.rgb16(uint16(y*257), 128*257, 128*257), "%s Y %d", name, y)
				}
				if tab == Tables255 {
					for i, y := range []int64{16, 89, 162, 235} {
						v := uint16(i * 0x5555)
						assert.Equal(t, Pixel{0xffff, v, v, v}, c.rgb16(uint16(y*257), 128*257, 128*257), "%s Y %d", name, y)
					}
				}
			}
		}
	}
}

// TestYUVKnownColours checks primaries against the real matrix: limited
// BT.601 red (81, 90, 240) is close to pure red.
func TestYUVKnownColours(t *testing.T) {
	c := conv(TablesMainline256, profile.BT601, profile.RangeLimited)
	p := c.rgb16(81*257, 90*257, 240*257)
	assert.InDelta(t, 0xffff, int(p.R), 0x200)
	assert.InDelta(t, 0, int(p.G), 0x200)
	assert.InDelta(t, 0, int(p.B), 0x200)
	c = conv(TablesMainline256, profile.BT709, profile.RangeFull)
	p = c.rgb16(255*257, 128*257, 255*257) // strong Cr: red clamps
	assert.Equal(t, uint16(0xffff), p.R)
	assert.Less(t, p.G, uint16(0xffff))
}

func forEachReader(t *testing.T, fn func(t *testing.T, f fourcc.Format, enc profile.ColorEncoding, rng profile.ColorRange)) {
	for _, f := range ReaderFormats() {
		info, _ := fourcc.Lookup(f)
		if !info.IsYUV {
			t.Run(f.String(), func(t *testing.T) { fn(t, f, profile.BT601, profile.RangeFull) })
			continue
		}
		for _, enc := range allEnc {
			for _, rng := range allRange {
				t.Run(f.String()+"/"+enc.String()+"/"+rng.String(), func(t *testing.T) { fn(t, f, enc, rng) })
			}
		}
	}
}

// TestReadAgreement: ReadSpan, ReadColumn and At agree on random data, for
// every format, including odd starting coordinates.
func TestReadAgreement(t *testing.T) {
	const w, h = 37, 23
	forEachReader(t, func(t *testing.T, f fourcc.Format, enc profile.ColorEncoding, rng profile.ColorRange) {
		r, err := NewReader(f, enc, rng)
		require.NoError(t, err)
		src := rand.New(rand.NewSource(int64(f)))
		img := randomImage(t, src, f, w, h)
		want := make([][]Pixel, h)
		for y := range want {
			want[y] = make([]Pixel, w)
			for x := range want[y] {
				want[y][x] = r.At(img, x, y)
			}
		}
		span := make([]Pixel, w)
		for y := 0; y < h; y++ {
			for _, x0 := range []int{0, 1, 3, w - 1} {
				out := span[:w-x0]
				r.ReadSpan(img, x0, y, out)
				require.Equal(t, want[y][x0:], out, "span y %d x %d", y, x0)
			}
		}
		col := make([]Pixel, h)
		for x := 0; x < w; x++ {
			for _, y0 := range []int{0, 1, 5, h - 1} {
				out := col[:h-y0]
				r.ReadColumn(img, x, y0, out)
				for i := range out {
					require.Equal(t, want[y0+i][x], out[i], "column x %d y %d", x, y0+i)
				}
			}
		}
		if !r.YUV() {
			return
		}
		// At agrees with argb_u16_from_yuv161616 on the raw samples, 8-bit
		// ones times 257 as VKMS passes them.
		c := conv(TablesMainline256, enc, rng)
		k := int64(257)
		if f == fourcc.P010 {
			k = 1
		}
		for y := 0; y < h; y += 3 {
			for x := 0; x < w; x += 2 {
				a, b, cr := r.samples(img, x, y)
				require.Equal(t, c.rgb16(uint16(a*k), uint16(b*k), uint16(cr*k)), want[y][x])
			}
		}
	})
}

func TestReaderMetadata(t *testing.T) {
	cases := []struct {
		f          fourcc.Format
		yuv, alpha bool
		bits       [4]int
	}{
		{fourcc.XRGB8888, false, false, [4]int{8, 8, 8, 0}},
		{fourcc.ARGB8888, false, true, [4]int{8, 8, 8, 8}},
		{fourcc.RGB565, false, false, [4]int{5, 6, 5, 0}},
		{fourcc.ARGB1555, false, true, [4]int{5, 5, 5, 1}},
		{fourcc.ARGB2101010, false, true, [4]int{10, 10, 10, 2}},
		{fourcc.XBGR16161616, false, false, [4]int{16, 16, 16, 0}},
		{fourcc.ABGR16161616F, false, true, [4]int{16, 16, 16, 16}},
		{fourcc.R1, false, false, [4]int{1, 1, 1, 0}},
		{fourcc.R4, false, false, [4]int{4, 4, 4, 0}},
		{fourcc.NV12, true, false, [4]int{}},
		{fourcc.P010, true, false, [4]int{}},
	}
	for _, tc := range cases {
		r, err := NewReader(tc.f, profile.BT709, profile.RangeLimited)
		require.NoError(t, err)
		assert.Equal(t, tc.f, r.Format())
		assert.Equal(t, tc.yuv, r.YUV(), "%v", tc.f)
		assert.Equal(t, tc.alpha, r.HasAlpha(), "%v", tc.f)
		rb, gb, bb, ab := r.Bits()
		assert.Equal(t, tc.bits, [4]int{rb, gb, bb, ab}, "%v", tc.f)
		info, _ := fourcc.Lookup(tc.f)
		assert.Equal(t, info.HasAlpha, r.HasAlpha(), "%v agrees with fourcc", tc.f)
	}
}

func TestFormatLists(t *testing.T) {
	rf, wf := ReaderFormats(), WriterFormats()
	assert.Len(t, rf, 26+13+4)
	assert.Len(t, wf, 26+13+1)
	for _, l := range [][]fourcc.Format{rf, wf} {
		for i := 1; i < len(l); i++ {
			assert.Less(t, l[i-1], l[i])
		}
		for _, f := range l {
			_, ok := fourcc.Lookup(f)
			assert.True(t, ok, "%v known to fourcc", f)
		}
	}
	for _, f := range wf {
		_, err := NewReader(f, profile.BT601, profile.RangeFull)
		assert.NoError(t, err, "every writer format has a reader: %v", f)
	}
}

func TestUnsupported(t *testing.T) {
	cases := []struct {
		name   string
		f      fourcc.Format
		enc    profile.ColorEncoding
		rng    profile.ColorRange
		reader bool
	}{
		{"C8", fourcc.C8, 0, 0, true},
		{"YUYV", fourcc.YUYV, 0, 0, true},
		{"big endian", fourcc.XRGB8888 | fourcc.BigEndian, 0, 0, true},
		{"zero", 0, 0, 0, true},
		{"bad encoding", fourcc.NV12, 7, profile.RangeFull, true},
		{"bad range", fourcc.NV12, profile.BT601, 9, true},
		{"bad tables", fourcc.NV12, profile.BT601, profile.RangeFull, true},
		{"writer R1", fourcc.R1, 0, 0, false},
		{"writer C8", fourcc.C8, 0, 0, false},
		{"writer bad encoding", fourcc.P010, 3, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.reader {
				var r *Reader
				tab := TablesMainline256
				if tc.name == "bad tables" {
					tab = numTables
				}
				r, err = NewReaderTables(tc.f, tc.enc, tc.rng, tab)
				assert.Nil(t, r)
			} else {
				var w *Writer
				w, err = NewWriter(tc.f, tc.enc, tc.rng)
				assert.Nil(t, w)
			}
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrUnsupported), "%v", err)
		})
	}
}

// TestRoundTripRGB: for every RGB writer, a Pixel that a reader produced
// survives write-then-read exactly (the exact-colour set of each format is
// its reader's image).
func TestRoundTripRGB(t *testing.T) {
	const w, h = 19, 5
	for _, f := range WriterFormats() {
		info, _ := fourcc.Lookup(f)
		if info.IsYUV {
			continue
		}
		t.Run(f.String(), func(t *testing.T) {
			r, err := NewReader(f, 0, 0)
			require.NoError(t, err)
			wr, err := NewWriter(f, 0, 0)
			require.NoError(t, err)
			assert.Equal(t, f, wr.Format())
			src := randomImage(t, rand.New(rand.NewSource(int64(f)+1)), f, w, h)
			dst := newImage(t, f, w, h)
			row := make([]Pixel, w)
			back := make([]Pixel, w)
			for y := 0; y < h; y++ {
				r.ReadSpan(src, 0, y, row)
				x0 := y % 3 // odd starts too
				wr.WriteSpan(dst, x0, y, row[x0:])
				r.ReadSpan(dst, x0, y, back[x0:])
				require.Equal(t, row[x0:], back[x0:], "row %d", y)
			}
			// 8-bit colours v*257 in every 8-bit channel survive.
			if rb, _, _, _ := r.Bits(); rb == 8 {
				for v := 0; v < 256; v += 5 {
					c := uint16(v * 257)
					p := Pixel{A: 0xffff, R: c, G: uint16((255 - v) * 257), B: c}
					if f == fourcc.R8 {
						p.G = c
					}
					wr.WriteSpan(dst, 0, 0, []Pixel{p})
					assert.Equal(t, p, r.At(dst, 0, 0))
				}
			}
		})
	}
}

func TestWriterPadding(t *testing.T) {
	cases := []struct {
		f    fourcc.Format
		want []byte
	}{
		{fourcc.XRGB8888, []byte{0, 0, 0, 0xff}},
		{fourcc.RGBX8888, []byte{0xff, 0, 0, 0}},
		{fourcc.XRGB1555, []byte{0, 0x80}},
		{fourcc.XRGB2101010, []byte{0, 0, 0, 0xc0}},
		{fourcc.XBGR16161616, []byte{0, 0, 0, 0, 0, 0, 0xff, 0xff}},
		{fourcc.XRGB16161616F, []byte{0, 0, 0, 0, 0, 0, 0xff, 0xff}},
		{fourcc.ARGB8888, []byte{0, 0, 0, 0}},
		{fourcc.RGB565, []byte{0, 0}},
	}
	for _, tc := range cases {
		wr, err := NewWriter(tc.f, 0, 0)
		require.NoError(t, err)
		img := newImage(t, tc.f, 1, 1)
		wr.WriteSpan(img, 0, 0, []Pixel{{}})
		assert.Equal(t, tc.want, img.Planes[0].Data, "%v", tc.f)
	}
}

func greys(f fourcc.Format, rng profile.ColorRange) []uint16 {
	if rng == profile.RangeFull && f != fourcc.P010 {
		out := make([]uint16, 256)
		for i := range out {
			out[i] = uint16(i * 257)
		}
		return out
	}
	return []uint16{0, 0x5555, 0xaaaa, 0xffff}
}

// roundTrips reports whether grey v survives writing (the writers' exact
// 255-based inverse) and reading with tables tab: 8-bit formats do in full
// range and, in limited range, with the 255-based tables or at black and
// white; P010 never exactly, VKMS reading its neutral chroma 0x8000 as
// 128 below its 0x8080.
func roundTrips(f fourcc.Format, rng profile.ColorRange, tab YUVTables, v uint16) bool {
	switch {
	case f == fourcc.P010:
		return false
	case rng == profile.RangeFull, tab == Tables255:
		return true
	}
	return v == 0 || v == 0xffff
}

// TestRoundTripYUV: every YUV writer stores the documented samples for the
// exact greys, whatever the chroma subsampling and start column, and they
// read back as roundTrips says; otherwise 8-bit ones within 0x100 (the 256
// vs 255 range scale) and P010 ones within 0x300 (VKMS also takes P010's
// 10-bit limited range for 8-bit samples times 257: white 940<<6 is 235
// short of 235*257).
func TestRoundTripYUV(t *testing.T) {
	for _, f := range WriterFormats() {
		info, _ := fourcc.Lookup(f)
		if !info.IsYUV {
			continue
		}
		for _, enc := range allEnc {
			for _, rng := range allRange {
				t.Run(f.String()+"/"+enc.String()+"/"+rng.String(), func(t *testing.T) {
					var rd [numTables]*Reader
					for tab := range rd {
						var err error
						rd[tab], err = NewReaderTables(f, enc, rng, YUVTables(tab))
						require.NoError(t, err)
					}
					wr, err := NewWriter(f, enc, rng)
					require.NoError(t, err)
					g := greys(f, rng)
					const w, h = 9, 4
					img := newImage(t, f, w, h)
					px := make([]Pixel, w)
					back := make([]Pixel, w)
					for i, v := range g {
						// Uniform rows; spans of 1..w starting at odd x still
						// cover every block's top-left pixel.
						for y := 0; y < h; y++ {
							for x := range px {
								px[x] = Pixel{0xffff, v, v, v}
							}
							wr.WriteSpan(img, 0, y, px[:4])
							wr.WriteSpan(img, 4, y, px[4:5])
							wr.WriteSpan(img, 5, y, px[5:])
						}
						for y := 0; y < h; y++ {
							for tab, r := range rd {
								r.ReadSpan(img, 0, y, back)
								if roundTrips(f, rng, YUVTables(tab), v) {
									require.Equal(t, px, back, "%v grey %d (%#x) row %d", YUVTables(tab), i, v, y)
									continue
								}
								tol := float64(0x100)
								if f == fourcc.P010 {
									tol = 0x300
								}
								for x := range back {
									require.InDelta(t, v, back[x].R, tol, "%v grey %d (%#x) row %d", YUVTables(tab), i, v, y)
									require.InDelta(t, v, back[x].G, tol, "%v grey %d (%#x) row %d", YUVTables(tab), i, v, y)
									require.InDelta(t, v, back[x].B, tol, "%v grey %d (%#x) row %d", YUVTables(tab), i, v, y)
								}
							}
							yy, cb, cr := rd[0].YCbCrAt(img, w-1, y)
							assert.Equal(t, uint8(128), cb)
							assert.Equal(t, uint8(128), cr)
							if rng == profile.RangeLimited && f != fourcc.P010 {
								assert.Equal(t, []uint8{16, 89, 162, 235}[i], yy)
							}
						}
					}
				})
			}
		}
	}
}

// TestYUVWriterChromaBlocks: a span starting inside a block leaves that
// block's chroma alone; the block's top-left pixel decides it.
func TestYUVWriterChromaBlocks(t *testing.T) {
	wr, err := NewWriter(fourcc.NV12, profile.BT601, profile.RangeFull)
	require.NoError(t, err)
	r, err := NewReader(fourcc.NV12, profile.BT601, profile.RangeFull)
	require.NoError(t, err)
	img := newImage(t, fourcc.NV12, 4, 2)
	red := Pixel{0xffff, 0xffff, 0, 0}
	blue := Pixel{0xffff, 0, 0, 0xffff}
	wr.WriteSpan(img, 0, 0, []Pixel{red, red, red, red})
	wr.WriteSpan(img, 1, 0, []Pixel{blue, blue, blue}) // chroma only for block 1
	wr.WriteSpan(img, 0, 1, []Pixel{blue, blue, blue, blue})
	_, cb0, cr0 := r.YCbCrAt(img, 1, 1)
	_, cb1, cr1 := r.YCbCrAt(img, 2, 0)
	assert.Greater(t, cr0, uint8(200), "block 0 keeps red chroma")
	assert.Greater(t, cb1, uint8(200), "block 1 takes blue chroma")
	assert.Less(t, cb0, uint8(128))
	assert.Less(t, cr1, uint8(128))
	assert.Equal(t, uint16(0xffff), r.At(img, 0, 0).A)
}

func TestYCbCrAt(t *testing.T) {
	img := newImage(t, fourcc.NV21, 2, 2)
	img.Planes[0].Data = []byte{10, 20, 30, 40}
	img.Planes[1].Data = []byte{200, 100} // Cr, Cb
	r, err := NewReader(fourcc.NV21, profile.BT601, profile.RangeFull)
	require.NoError(t, err)
	y, cb, cr := r.YCbCrAt(img, 1, 1)
	assert.Equal(t, [3]uint8{40, 100, 200}, [3]uint8{y, cb, cr})

	p := newImage(t, fourcc.P010, 2, 2)
	p.Planes[0].Data[0], p.Planes[0].Data[1] = 0xc0, 0xff // 1023 << 6
	p.Planes[1].Data[1], p.Planes[1].Data[3] = 0x80, 0x40 // 512, 256
	r, err = NewReader(fourcc.P010, profile.BT601, profile.RangeFull)
	require.NoError(t, err)
	y, cb, cr = r.YCbCrAt(p, 0, 0)
	assert.Equal(t, [3]uint8{255, 128, 64}, [3]uint8{y, cb, cr})

	rgb, err := NewReader(fourcc.XRGB8888, 0, 0)
	require.NoError(t, err)
	y, cb, cr = rgb.YCbCrAt(&Image{}, 0, 0)
	assert.Equal(t, [3]uint8{}, [3]uint8{y, cb, cr})
}

func TestNoAllocs(t *testing.T) {
	for _, f := range []fourcc.Format{fourcc.XRGB8888, fourcc.RGB565, fourcc.ARGB16161616F, fourcc.R2, fourcc.NV12, fourcc.P010} {
		r, err := NewReader(f, profile.BT709, profile.RangeLimited)
		require.NoError(t, err)
		wr, err := NewWriter(f, profile.BT709, profile.RangeLimited)
		if f == fourcc.R2 {
			wr, err = NewWriter(fourcc.R8, 0, 0)
		}
		require.NoError(t, err)
		img := newImage(t, f, 64, 4)
		r8 := newImage(t, fourcc.R8, 64, 4)
		out := make([]Pixel, 64)
		allocs := testing.AllocsPerRun(20, func() {
			r.ReadSpan(img, 0, 1, out)
			r.ReadColumn(img, 3, 0, out[:4])
			out[0] = r.At(img, 5, 3)
			if f == fourcc.R2 {
				wr.WriteSpan(r8, 0, 1, out)
			} else {
				wr.WriteSpan(img, 0, 1, out)
			}
		})
		assert.Zero(t, allocs, "%v", f)
	}
}

func TestConcurrentReaders(t *testing.T) {
	r, err := NewReader(fourcc.ARGB16161616F, 0, 0)
	require.NoError(t, err)
	img := randomImage(t, rand.New(rand.NewSource(3)), fourcc.ARGB16161616F, 64, 8)
	want := make([]Pixel, 64)
	r.ReadSpan(img, 0, 2, want)
	done := make(chan []Pixel, 4)
	for i := 0; i < 4; i++ {
		go func() {
			out := make([]Pixel, 64)
			r.ReadSpan(img, 0, 2, out)
			done <- out
		}()
	}
	for i := 0; i < 4; i++ {
		assert.Equal(t, want, <-done)
	}
}

// TestHotPathsMatchSafe: the uint64 fast paths equal the portable loop and
// the generic packed reader on random data.
func TestHotPathsMatchSafe(t *testing.T) {
	src := rand.New(rand.NewSource(9))
	for _, f := range []fourcc.Format{fourcc.XRGB8888, fourcc.ARGB8888} {
		r, err := NewReader(f, 0, 0)
		require.NoError(t, err)
		img := randomImage(t, src, f, 67, 3)
		d := img.Planes[0].Data[img.Planes[0].Stride:]
		d = d[:4*67]
		fast := make([]Pixel, 67)
		safe := make([]Pixel, 67)
		generic := make([]Pixel, 67)
		r.ReadSpan(img, 0, 1, fast)
		read8888Safe(d, safe, f == fourcc.ARGB8888)
		r.readPacked(&img.Planes[0], 0, 1, 1, 0, generic)
		assert.Equal(t, safe, fast, "%v", f)
		assert.Equal(t, generic, fast, "%v", f)
	}
	assert.True(t, HostLE, "tests run on little-endian machines")
}

// TestHalfWriterNearest: the written half is the binary16 nearest to
// v/65535, checked with exact rationals against both neighbours.
func TestHalfWriterNearest(t *testing.T) {
	_, enc := halfTables()
	val := func(h uint16) *big.Rat {
		e, m := int64(h>>10), int64(h&0x3ff)
		if e == 0 {
			return big.NewRat(m, 1<<24)
		}
		r := big.NewRat(1024+m, 1<<25)
		return r.Mul(r, new(big.Rat).SetInt64(int64(1)<<uint(e)))
	}
	dist := func(h uint16, x *big.Rat) *big.Rat {
		d := new(big.Rat).Sub(val(h), x)
		return d.Abs(d)
	}
	for v := 0; v < 65536; v += 7 {
		x := big.NewRat(int64(v), 65535)
		h := enc[v]
		d := dist(h, x)
		if h > 0 {
			require.LessOrEqual(t, d.Cmp(dist(h-1, x)), 0, "v %d h %#x", v, h)
		}
		require.LessOrEqual(t, d.Cmp(dist(h+1, x)), 0, "v %d h %#x", v, h)
	}
}
