package pixfmt

import (
	"bufio"
	"encoding/binary"
	"math/big"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/drmfixed"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
)

// yuvRGB is one colour of a YCbCr -> RGB case: samples in, 16-bit RGB out.
type yuvRGB struct {
	name      string
	y, cb, cr uint16
	r, g, b   uint16
}

// kunitYUVCase is one parameter of VKMS's KUnit test vkms_format_test.c.
type kunitYUVCase struct {
	enc    profile.ColorEncoding
	rng    profile.ColorRange
	colors []yuvRGB
}

// kunitYUV8 are the 8-bit cases KUnit had while argb_u16_from_yuv888 took
// 8-bit samples (the colour package's RGB_to_YCbCr, out_bits=8).
var kunitYUV8 = []kunitYUVCase{
	{profile.BT601, profile.RangeFull, []yuvRGB{
		{"white", 0xff, 0x80, 0x80, 0xffff, 0xffff, 0xffff},
		{"gray", 0x80, 0x80, 0x80, 0x8080, 0x8080, 0x8080},
		{"black", 0x00, 0x80, 0x80, 0x0000, 0x0000, 0x0000},
		{"red", 0x4c, 0x55, 0xff, 0xffff, 0x0000, 0x0000},
		{"green", 0x96, 0x2c, 0x15, 0x0000, 0xffff, 0x0000},
		{"blue", 0x1d, 0xff, 0x6b, 0x0000, 0x0000, 0xffff},
	}},
	{profile.BT601, profile.RangeLimited, []yuvRGB{
		{"white", 0xeb, 0x80, 0x80, 0xffff, 0xffff, 0xffff},
		{"gray", 0x7e, 0x80, 0x80, 0x8080, 0x8080, 0x8080},
		{"black", 0x10, 0x80, 0x80, 0x0000, 0x0000, 0x0000},
		{"red", 0x51, 0x5a, 0xf0, 0xffff, 0x0000, 0x0000},
		{"green", 0x91, 0x36, 0x22, 0x0000, 0xffff, 0x0000},
		{"blue", 0x29, 0xf0, 0x6e, 0x0000, 0x0000, 0xffff},
	}},
	{profile.BT709, profile.RangeFull, []yuvRGB{
		{"white", 0xff, 0x80, 0x80, 0xffff, 0xffff, 0xffff},
		{"gray", 0x80, 0x80, 0x80, 0x8080, 0x8080, 0x8080},
		{"black", 0x00, 0x80, 0x80, 0x0000, 0x0000, 0x0000},
		{"red", 0x36, 0x63, 0xff, 0xffff, 0x0000, 0x0000},
		{"green", 0xb6, 0x1e, 0x0c, 0x0000, 0xffff, 0x0000},
		{"blue", 0x12, 0xff, 0x74, 0x0000, 0x0000, 0xffff},
	}},
	{profile.BT709, profile.RangeLimited, []yuvRGB{
		{"white", 0xeb, 0x80, 0x80, 0xffff, 0xffff, 0xffff},
		{"gray", 0x7e, 0x80, 0x80, 0x8080, 0x8080, 0x8080},
		{"black", 0x10, 0x80, 0x80, 0x0000, 0x0000, 0x0000},
		{"red", 0x3f, 0x66, 0xf0, 0xffff, 0x0000, 0x0000},
		{"green", 0xad, 0x2a, 0x1a, 0x0000, 0xffff, 0x0000},
		{"blue", 0x20, 0xf0, 0x76, 0x0000, 0x0000, 0xffff},
	}},
	{profile.BT2020, profile.RangeFull, []yuvRGB{
		{"white", 0xff, 0x80, 0x80, 0xffff, 0xffff, 0xffff},
		{"gray", 0x80, 0x80, 0x80, 0x8080, 0x8080, 0x8080},
		{"black", 0x00, 0x80, 0x80, 0x0000, 0x0000, 0x0000},
		{"red", 0x43, 0x5c, 0xff, 0xffff, 0x0000, 0x0000},
		{"green", 0xad, 0x24, 0x0b, 0x0000, 0xffff, 0x0000},
		{"blue", 0x0f, 0xff, 0x76, 0x0000, 0x0000, 0xffff},
	}},
	{profile.BT2020, profile.RangeLimited, []yuvRGB{
		{"white", 0xeb, 0x80, 0x80, 0xffff, 0xffff, 0xffff},
		{"gray", 0x7e, 0x80, 0x80, 0x8080, 0x8080, 0x8080},
		{"black", 0x10, 0x80, 0x80, 0x0000, 0x0000, 0x0000},
		{"red", 0x4a, 0x61, 0xf0, 0xffff, 0x0000, 0x0000},
		{"green", 0xa4, 0x2f, 0x19, 0x0000, 0xffff, 0x0000},
		{"blue", 0x1d, 0xf0, 0x77, 0x0000, 0x0000, 0xffff},
	}},
}

// kunitYUV16 are KUnit's current 16-bit cases (argb_u16_from_yuv161616,
// out_bits=16).
var kunitYUV16 = []kunitYUVCase{
	{profile.BT601, profile.RangeFull, []yuvRGB{
		{"white", 0xffff, 0x8000, 0x8000, 0xffff, 0xffff, 0xffff},
		{"gray", 0x8080, 0x8000, 0x8000, 0x8080, 0x8080, 0x8080},
		{"black", 0x0000, 0x8000, 0x8000, 0x0000, 0x0000, 0x0000},
		{"red", 0x4c8b, 0x54ce, 0xffff, 0xffff, 0x0000, 0x0000},
		{"green", 0x9645, 0x2b33, 0x14d1, 0x0000, 0xffff, 0x0000},
		{"blue", 0x1d2f, 0xffff, 0x6b2f, 0x0000, 0x0000, 0xffff},
	}},
	{profile.BT601, profile.RangeLimited, []yuvRGB{
		{"white", 0xeb00, 0x8000, 0x8000, 0xffff, 0xffff, 0xffff},
		{"gray", 0x7dee, 0x8000, 0x8000, 0x8080, 0x8080, 0x8080},
		{"black", 0x1000, 0x8000, 0x8000, 0x0000, 0x0000, 0x0000},
		{"red", 0x517b, 0x5a34, 0xf000, 0xffff, 0x0000, 0x0000},
		{"green", 0x908e, 0x35cc, 0x2237, 0x0000, 0xffff, 0x0000},
		{"blue", 0x28f7, 0xf000, 0x6dc9, 0x0000, 0x0000, 0xffff},
	}},
	{profile.BT709, profile.RangeFull, []yuvRGB{
		{"white", 0xffff, 0x8000, 0x8000, 0xffff, 0xffff, 0xffff},
		{"gray", 0x8080, 0x8000, 0x8000, 0x8080, 0x8080, 0x8080},
		{"black", 0x0000, 0x8000, 0x8000, 0x0000, 0x0000, 0x0000},
		{"red", 0x366d, 0x62ac, 0xffff, 0xffff, 0x0000, 0x0000},
		{"green", 0xb717, 0x1d55, 0x0bbd, 0x0000, 0xffff, 0x0000},
		{"blue", 0x127c, 0xffff, 0x7443, 0x0000, 0x0000, 0xffff},
	}},
	{profile.BT709, profile.RangeLimited, []yuvRGB{
		{"white", 0xeb00, 0x8000, 0x8000, 0xffff, 0xffff, 0xffff},
		{"gray", 0x7dee, 0x8000, 0x8000, 0x8080, 0x8080, 0x8080},
		{"black", 0x1000, 0x8000, 0x8000, 0x0000, 0x0000, 0x0000},
		{"red", 0x3e8f, 0x6656, 0xf000, 0xffff, 0x0000, 0x0000},
		{"green", 0xaca1, 0x29aa, 0x1a45, 0x0000, 0xffff, 0x0000},
		{"blue", 0x1fd0, 0xf000, 0x75bb, 0x0000, 0x0000, 0xffff},
	}},
	{profile.BT2020, profile.RangeFull, []yuvRGB{
		{"white", 0xffff, 0x8000, 0x8000, 0xffff, 0xffff, 0xffff},
		{"gray", 0x8080, 0x8000, 0x8000, 0x8080, 0x8080, 0x8080},
		{"black", 0x0000, 0x8000, 0x8000, 0x0000, 0x0000, 0x0000},
		{"red", 0x4340, 0x5c41, 0xffff, 0xffff, 0x0000, 0x0000},
		{"green", 0xad91, 0x23bf, 0x0a4c, 0x0000, 0xffff, 0x0000},
		{"blue", 0x0f2e, 0xffff, 0x75b5, 0x0000, 0x0000, 0xffff},
	}},
	{profile.BT2020, profile.RangeLimited, []yuvRGB{
		{"white", 0xeb00, 0x8000, 0x8000, 0xffff, 0xffff, 0xffff},
		{"gray", 0x7dee, 0x8000, 0x8000, 0x8080, 0x8080, 0x8080},
		{"black", 0x1000, 0x8000, 0x8000, 0x0000, 0x0000, 0x0000},
		{"red", 0x4988, 0x60b9, 0xf000, 0xffff, 0x0000, 0x0000},
		{"green", 0xa47b, 0x2f47, 0x1902, 0x0000, 0xffff, 0x0000},
		{"blue", 0x1cfd, 0xf000, 0x76fe, 0x0000, 0x0000, 0xffff},
	}},
}

// crFirst are the YUV formats whose chroma stores Cr before Cb
// (drm_fourcc.h), written out here rather than taken from yuvFormats so a
// wrong swap there shows.
var crFirst = map[fourcc.Format]bool{
	fourcc.NV21: true, fourcc.NV61: true, fourcc.NV42: true,
	fourcc.YVU420: true, fourcc.YVU422: true, fourcc.YVU444: true,
}

// yuvImage lays out colours in f, one per chroma block: colour i is the
// whole block at x = hsub*i (every Y of the block equal), so reading pixel
// hsub*i of any row gives it. 8-bit formats take the low byte of each
// sample, P010 (16-bit words) the whole word. The layout comes from
// fourcc's table and crFirst, not from the reader's own description.
func yuvImage(t testing.TB, f fourcc.Format, cs []yuvRGB) (*Image, int) {
	t.Helper()
	info, ok := fourcc.Lookup(f)
	require.True(t, ok && info.IsYUV, "%v", f)
	hsub, vsub := int(info.HSub), int(info.VSub)
	words := info.CharPerBlock[0] == 2
	img := newImage(t, f, hsub*len(cs), vsub)
	for i, c := range cs {
		first, second := c.cb, c.cr
		if crFirst[f] {
			first, second = second, first
		}
		for dy := 0; dy < vsub; dy++ {
			for dx := 0; dx < hsub; dx++ {
				x := hsub*i + dx
				p := &img.Planes[0]
				if words {
					binary.LittleEndian.PutUint16(p.Data[dy*p.Stride+2*x:], c.y)
				} else {
					p.Data[dy*p.Stride+x] = uint8(c.y)
				}
			}
		}
		p1 := &img.Planes[1]
		switch {
		case words:
			binary.LittleEndian.PutUint16(p1.Data[4*i:], first)
			binary.LittleEndian.PutUint16(p1.Data[4*i+2:], second)
		case info.NumPlanes == 2:
			p1.Data[2*i], p1.Data[2*i+1] = uint8(first), uint8(second)
		default:
			p1.Data[i], img.Planes[2].Data[i] = uint8(first), uint8(second)
		}
	}
	return img, hsub
}

// readYUVColours reads back what yuvImage laid out, through ReadSpan, At
// and ReadColumn (which must agree).
func readYUVColours(t testing.TB, r *Reader, img *Image, hsub, n int) []Pixel {
	t.Helper()
	span := make([]Pixel, img.Width)
	r.ReadSpan(img, 0, img.Height-1, span)
	col := make([]Pixel, img.Height)
	out := make([]Pixel, n)
	for i := range out {
		out[i] = span[hsub*i]
		require.Equal(t, out[i], r.At(img, hsub*i+hsub-1, 0), "At, colour %d", i)
		r.ReadColumn(img, hsub*i, 0, col)
		for _, p := range col {
			require.Equal(t, out[i], p, "ReadColumn, colour %d", i)
		}
	}
	return out
}

// yuvReaderFormats are the YUV formats the reader knows with 16-bit words
// (ten) or 8-bit samples.
func yuvReaderFormats(ten bool) []fourcc.Format {
	var out []fourcc.Format
	for _, f := range ReaderFormats() {
		if info, ok := fourcc.Lookup(f); ok && info.IsYUV && (info.CharPerBlock[0] == 2) == ten {
			out = append(out, f)
		}
	}
	return out
}

// TestVKMSKUnitYUV ports vkms_format_test.c: every 8-bit case through each
// 8-bit format's reader and every 16-bit case through P010's (whose words
// VKMS converts as they are), within KUnit's 0x1ff, with the mainline
// tables KUnit was written for (the 255-based ones miss its 16-bit white
// by more).
func TestVKMSKUnitYUV(t *testing.T) {
	for _, set := range []struct {
		name    string
		cases   []kunitYUVCase
		formats []fourcc.Format
	}{
		{"u8", kunitYUV8, yuvReaderFormats(false)},
		{"u16", kunitYUV16, yuvReaderFormats(true)},
	} {
		for _, tc := range set.cases {
			for _, f := range set.formats {
				t.Run(set.name+"/"+tc.enc.String()+"/"+tc.rng.String()+"/"+f.String(), func(t *testing.T) {
					r, err := NewReader(f, tc.enc, tc.rng)
					require.NoError(t, err)
					img, hsub := yuvImage(t, f, tc.colors)
					got := readYUVColours(t, r, img, hsub, len(tc.colors))
					for i, c := range tc.colors {
						want := Pixel{0xffff, c.r, c.g, c.b}
						assert.Equal(t, want.A, got[i].A, "%s A", c.name)
						assert.InDelta(t, want.R, got[i].R, 0x1ff, "%s R", c.name)
						assert.InDelta(t, want.G, got[i].G, 0x1ff, "%s G", c.name)
						assert.InDelta(t, want.B, got[i].B, 0x1ff, "%s B", c.name)
					}
				})
			}
		}
	}
}

// goldenCase is one section of testdata/vkmsyuv/golden.txt.
type goldenCase struct {
	tables  YUVTables
	enc     profile.ColorEncoding
	rng     profile.ColorRange
	bits    int
	colours []yuvRGB
}

// goldenConst is one matrix as the C transcription holds it.
type goldenConst struct {
	tables YUVTables
	enc    profile.ColorEncoding
	rng    profile.ColorRange
	yoff   int64
	m      [3][3]int64
}

// loadGolden parses golden.txt, written by testdata/vkmsyuv/vkmsyuv.c.
func loadGolden(t testing.TB) ([]goldenConst, []goldenCase) {
	t.Helper()
	f, err := os.Open("testdata/vkmsyuv/golden.txt")
	require.NoError(t, err)
	defer f.Close()
	tables := map[string]YUVTables{"mainline256": TablesMainline256, "255": Tables255}
	encs := map[string]profile.ColorEncoding{"BT601": profile.BT601, "BT709": profile.BT709, "BT2020": profile.BT2020}
	rngs := map[string]profile.ColorRange{"limited": profile.RangeLimited, "full": profile.RangeFull}
	head := func(fields []string, line int) (YUVTables, profile.ColorEncoding, profile.ColorRange) {
		tab, ok1 := tables[fields[1]]
		enc, ok2 := encs[fields[2]]
		rng, ok3 := rngs[fields[3]]
		require.True(t, ok1 && ok2 && ok3, "golden line %d: %v", line, fields)
		return tab, enc, rng
	}
	num := func(s string, line int) int64 {
		v, err := strconv.ParseInt(s, 10, 64)
		require.NoError(t, err, "golden line %d", line)
		return v
	}
	var consts []goldenConst
	var cases []goldenCase
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		switch fields[0] {
		case "const":
			require.Len(t, fields, 14, "golden line %d", line)
			tab, enc, rng := head(fields, line)
			c := goldenConst{tables: tab, enc: enc, rng: rng, yoff: num(fields[4], line)}
			for k := 0; k < 9; k++ {
				c.m[k/3][k%3] = num(fields[5+k], line)
			}
			consts = append(consts, c)
		case "case":
			require.Len(t, fields, 5, "golden line %d", line)
			tab, enc, rng := head(fields, line)
			cases = append(cases, goldenCase{tables: tab, enc: enc, rng: rng, bits: int(num(fields[4], line))})
		default:
			require.Len(t, fields, 6, "golden line %d", line)
			require.NotEmpty(t, cases, "golden line %d: row before any case", line)
			var v [6]uint16
			for k := range v {
				n := num(fields[k], line)
				require.True(t, n >= 0 && n <= 0xffff, "golden line %d", line)
				v[k] = uint16(n)
			}
			c := &cases[len(cases)-1]
			c.colours = append(c.colours, yuvRGB{"line " + strconv.Itoa(line), v[0], v[1], v[2], v[3], v[4], v[5]})
		}
	}
	require.NoError(t, sc.Err())
	return consts, cases
}

// TestVKMSGoldenTables: the Go tables are the C transcription's, constant
// for constant. Many one-unit changes to a constant change no pixel
// (drm_fixp_mul drops the low bits), so this is what pins them all.
func TestVKMSGoldenTables(t *testing.T) {
	consts, _ := loadGolden(t)
	require.Len(t, consts, int(numTables)*3*2)
	for _, c := range consts {
		got := conv(c.tables, c.enc, c.rng)
		assert.Equal(t, c.m, got.m, "%v %v %v", c.tables, c.enc, c.rng)
		assert.Equal(t, c.yoff, got.yoff, "%v %v %v", c.tables, c.enc, c.rng)
	}
}

// TestVKMSGolden: every YUV format's reader gives the C transcription's
// results exactly, for every table set, encoding, range and sample of the
// grid (8-bit samples for the 8-bit formats, 16-bit words for P010).
func TestVKMSGolden(t *testing.T) {
	_, cases := loadGolden(t)
	require.Len(t, cases, int(numTables)*3*2*2)
	for _, gc := range cases {
		for _, f := range yuvReaderFormats(gc.bits == 16) {
			t.Run(gc.tables.String()+"/"+gc.enc.String()+"/"+gc.rng.String()+"/"+f.String(), func(t *testing.T) {
				r, err := NewReaderTables(f, gc.enc, gc.rng, gc.tables)
				require.NoError(t, err)
				img, hsub := yuvImage(t, f, gc.colours)
				got := readYUVColours(t, r, img, hsub, len(gc.colours))
				for i, c := range gc.colours {
					require.Equal(t, Pixel{0xffff, c.r, c.g, c.b}, got[i], "%s: Y %d Cb %d Cr %d", c.name, c.y, c.cb, c.cr)
				}
			})
		}
	}
}

// TestVKMSGoldenCoversProfiles: every YUV format a built-in profile lists
// is one TestVKMSGolden reads.
func TestVKMSGoldenCoversProfiles(t *testing.T) {
	covered := map[fourcc.Format]bool{}
	for _, f := range append(yuvReaderFormats(false), yuvReaderFormats(true)...) {
		covered[f] = true
	}
	names := profile.Names()
	require.NotEmpty(t, names)
	for _, name := range names {
		p, err := profile.Load(name)
		require.NoError(t, err)
		for _, pl := range p.Planes {
			for _, fm := range pl.Formats {
				if info, ok := fourcc.Lookup(fm.Format); ok && info.IsYUV && info.NumPlanes > 1 {
					assert.True(t, covered[fm.Format], "%s: %v", name, fm.Format)
				}
			}
		}
	}
}

// oldYUVToRGB is the conversion this package had before following VKMS's
// arithmetic: a matrix derived exactly with 255-based limited ranges,
// exact 64-bit products, one rounding. The golden table must differ from
// it somewhere, or the tests could not tell the two apart.
func oldYUVToRGB(enc profile.ColorEncoding, rng profile.ColorRange, y, cb, cr int64) Pixel {
	kr, kb := rat(encKr[enc][0]), rat(encKr[enc][1])
	one := big.NewRat(1, 1)
	kg := new(big.Rat).Sub(one, kr)
	kg.Sub(kg, kb)
	ys, cs, yoff := one, one, int64(0)
	if rng == profile.RangeLimited {
		ys, cs, yoff = big.NewRat(255, 219), big.NewRat(255, 224), 16
	}
	m := derivedMatrix(kr, kb, ys, cs)
	f := [3]int64{(y - yoff) * 257, (cb - 128) * 257, (cr - 128) * 257}
	var out [3]uint16
	for i := range out {
		out[i] = fixpRound(m[i][0]*f[0] + m[i][1]*f[1] + m[i][2]*f[2])
	}
	return Pixel{0xffff, out[0], out[1], out[2]}
}

// derivedMatrix is the YCbCr -> RGB matrix from Kr and Kb with range
// scales ys (luma) and cs (chroma), each entry rounded to nearest 32.32:
//
//	R = Y + 2(1-Kr) Cr
//	G = Y - 2Kb(1-Kb)/Kg Cb - 2Kr(1-Kr)/Kg Cr
//	B = Y + 2(1-Kb) Cb
func derivedMatrix(kr, kb, ys, cs *big.Rat) [3][3]int64 {
	one := big.NewRat(1, 1)
	kg := new(big.Rat).Sub(one, kr)
	kg.Sub(kg, kb)
	two := big.NewRat(2, 1)
	zero := new(big.Rat)
	omkr := new(big.Rat).Sub(one, kr)
	omkb := new(big.Rat).Sub(one, kb)
	ikg := new(big.Rat).Inv(kg)
	m := [3][3]*big.Rat{
		{one, zero, mul(two, omkr)},
		{one, mul(big.NewRat(-2, 1), kb, omkb, ikg), mul(big.NewRat(-2, 1), kr, omkr, ikg)},
		{one, mul(two, omkb), zero},
	}
	var out [3][3]int64
	for i := range m {
		out[i][0] = fixed(mul(m[i][0], ys))
		out[i][1] = fixed(mul(m[i][1], cs))
		out[i][2] = fixed(mul(m[i][2], cs))
	}
	return out
}

// TestVKMSTablesDerive: each table is what its generator claims, derived
// here from Kr and Kb: full range and the 255-based tables exactly; the
// mainline limited ones (floating point through numpy) within 3 units of
// 2^-32 of the exact value. A wrong Kr or Kb moves entries by millions.
func TestVKMSTablesDerive(t *testing.T) {
	for tab := YUVTables(0); tab < numTables; tab++ {
		for _, enc := range allEnc {
			for _, rng := range allRange {
				kr, kb := rat(encKr[enc][0]), rat(encKr[enc][1])
				ys, cs, slack := big.NewRat(1, 1), big.NewRat(1, 1), int64(0)
				if rng == profile.RangeLimited {
					if tab == TablesMainline256 {
						ys, cs, slack = big.NewRat(256, 219), big.NewRat(256, 224), 3
					} else {
						ys, cs = big.NewRat(255, 219), big.NewRat(255, 224)
					}
				}
				want := derivedMatrix(kr, kb, ys, cs)
				got := conv(tab, enc, rng).m
				for i := range want {
					for j := range want[i] {
						assert.InDelta(t, want[i][j], got[i][j], float64(slack), "%v %v %v [%d][%d]", tab, enc, rng, i, j)
					}
				}
			}
		}
	}
}

// TestVKMSGoldenDiffers: the golden table tells VKMS's arithmetic from the
// old one (255-based, exact products) in both ranges, and from exact
// products with VKMS's own tables in both ranges, so it pins drm_fixp_mul's
// truncation and the 256 vs 255 scale, not only the colours.
func TestVKMSGoldenDiffers(t *testing.T) {
	_, cases := loadGolden(t)
	exact := func(c *yuvConv, y, cb, cr int64) Pixel {
		f := [3]int64{y*257 - c.yoff*257, cb*257 - 128*257, cr*257 - 128*257}
		var out [3]uint16
		for i := range out {
			out[i] = fixpRound(c.m[i][0]*f[0] + c.m[i][1]*f[1] + c.m[i][2]*f[2])
		}
		return Pixel{0xffff, out[0], out[1], out[2]}
	}
	type key struct {
		rng profile.ColorRange
		vs  string
	}
	diffs := map[key]int{}
	for _, gc := range cases {
		if gc.bits != 8 || gc.tables != TablesMainline256 {
			continue
		}
		c := conv(gc.tables, gc.enc, gc.rng)
		for _, col := range gc.colours {
			want := Pixel{0xffff, col.r, col.g, col.b}
			y, cb, cr := int64(col.y), int64(col.cb), int64(col.cr)
			if oldYUVToRGB(gc.enc, gc.rng, y, cb, cr) != want {
				diffs[key{gc.rng, "old"}]++
			}
			if exact(c, y, cb, cr) != want {
				diffs[key{gc.rng, "exact products"}]++
			}
		}
	}
	for _, rng := range allRange {
		for _, vs := range []string{"old", "exact products"} {
			assert.Positive(t, diffs[key{rng, vs}], "%v vs %s", rng, vs)
		}
	}
	t.Logf("golden rows differing: %v", diffs)
}

// TestFixpMul checks drm_fixp_mul's emulation where it is exact (operands
// small enough) and where it drops bits, by hand.
func TestFixpMul(t *testing.T) {
	cases := []struct {
		name    string
		a, b    int64
		want    int64
		msbA    uint
		exactly bool
	}{
		{"one times five", 1 << 32, 5 << 32, 5 << 32, 32, true},
		{"minus one times three", -1 << 32, 3 << 32, -3 << 32, 31, true},
		{"zero", 0, 7 << 32, 0, 0, true},
		{"half times three", 1 << 31, 3 << 32, 3 << 31, 31, true},
		// msbset 32 + 46 = 78: a loses 9 bits, b 8, the product is
		// shifted right 32-17: (5020601039>>9)*(18761<<24)>>15.
		{"limited luma", 5020601039, 18761 << 32, (5020601039 >> 9) * 18761 << 9, 32, false},
		// Negative b: msbset of -128<<32 is 38; 33+38 = 71, a loses 5 bits
		// (floor), b 5.
		{"negative chroma", 8697922339, -128 << 32, (8697922339 >> 5) * (-128 << 27) >> 22, 33, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.msbA, drmfixed.Msbset(tc.a))
			got := drmfixed.Mul(tc.a, tc.b)
			assert.Equal(t, tc.want, got)
			exact := new(big.Int).Mul(big.NewInt(tc.a), big.NewInt(tc.b))
			exact.Rsh(exact, 32)
			if tc.exactly {
				assert.Equal(t, exact.Int64(), got)
			} else {
				assert.NotEqual(t, exact.Int64(), got, "a case that shows the truncation")
			}
		})
	}
}

// TestFixpTrunc: rgb16's one-multiply products are drmfixed.Mul's for every
// coefficient of every table and every sample difference a 16-bit sample
// can give (Y less either offset, chroma less 128*257).
func TestFixpTrunc(t *testing.T) {
	for tab := YUVTables(0); tab < numTables; tab++ {
		for _, enc := range allEnc {
			for _, rng := range allRange {
				c := conv(tab, enc, rng)
				off := [3]int64{c.yoff * 257, 128 * 257, 128 * 257}
				for i := range c.m {
					for j := range c.m[i] {
						for s := int64(0); s < 1<<16; s++ {
							v := s - off[j]
							k := drmfixed.Msbset(v << 32)
							if k >= 48 || drmfixed.Mul(c.m[i][j], v<<32) != c.trunc[i][j][k]*v {
								require.Less(t, k, uint(48))
								require.Equal(t, drmfixed.Mul(c.m[i][j], v<<32), c.trunc[i][j][k]*v,
									"%v %v %v [%d][%d] v %d", tab, enc, rng, i, j, v)
							}
						}
					}
				}
			}
		}
	}
}
