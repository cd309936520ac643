package compose

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/drmfixed"
)

// The cases of the kernel's drivers/gpu/drm/vkms/tests/vkms_color_test.c
// (KUnit suite "vkms-color"), with their expected values as the kernel
// states them: the outside reference for the fixed-point steps.

// kunitLinear16 is the suite's test_linear_array: 16 entries 0x1111·i,
// whose channel_value2index_ratio the suite gives as 0xf000f.
func kunitLinear16() []byte {
	lut := make([]byte, 16*lutEntries)
	for i := 0; i < 16; i++ {
		for ch := 0; ch < 3; ch++ {
			binary.LittleEndian.PutUint16(lut[i*lutEntries+2*ch:], uint16(0x1111*i))
		}
	}
	return lut
}

func TestVKMSColorLUTRatio(t *testing.T) {
	// vkms_color_test.c's test_linear_lut (16 entries) and vkms_luts.c's
	// linear_eotf, srgb_eotf and srgb_inv_eotf (LUT_SIZE 256) write the
	// ratios as constants; the composer worker computes them.
	assert.Equal(t, int64(0xf000f), lutRatio(16))
	assert.Equal(t, int64(0xff00ff), lutRatio(256))
	assert.Equal(t, int64(0), lutRatio(1), "one entry: every value indexes entry 0")
}

// vkms_color_test_get_lut_index.
func TestVKMSColorGetLUTIndex(t *testing.T) {
	ratio16 := lutRatio(16)
	assert.Equal(t, int64(0), drmfixed.Fixp2Int(lutIndex(ratio16, 0)))
	for i := 0; i < 16; i++ {
		assert.Equal(t, int64(i), drmfixed.Fixp2IntCeil(lutIndex(ratio16, uint16(0x1111*i))), "entry %d", i)
	}
	// The sRGB EOTF and inverse EOTF LUTs are 256 entries with ratio
	// 0xff00ff; only the index is tested, so their values do not matter.
	const srgb = 0xff00ff
	for _, tc := range []struct {
		v    uint16
		ceil bool
		want int64
	}{
		{0x0, false, 0x0},
		{0x0, true, 0x0},
		{0x101, true, 0x1},
		{0x202, true, 0x2},
		{0xfefe, true, 0xfe},
		{0xffff, true, 0xff},
	} {
		got := drmfixed.Fixp2Int(lutIndex(srgb, tc.v))
		if tc.ceil {
			got = drmfixed.Fixp2IntCeil(lutIndex(srgb, tc.v))
		}
		assert.Equal(t, tc.want, got, "value %#x ceil %v", tc.v, tc.ceil)
	}
}

// vkms_color_test_lerp: color_test_lerp_cases, t in 32.32.
func TestVKMSColorLerp(t *testing.T) {
	const half, one = 0x80000000, 0x100000000
	for _, tc := range []struct {
		name        string
		t           int64
		a, b, wantV uint16
	}{
		{"half-way round down", half - 1, 0x0, 0x10, 0x8},
		{"half-way round down, odd a", half - 1, 0x1, 0x10, 0x8},
		{"half-way round down, odd b", half - 1, 0x1, 0xf, 0x8},
		{"half-way round down, b = a", half - 1, 0x10, 0x10, 0x10},
		{"half-way round down, b = a+1", half - 1, 0x10, 0x11, 0x10},
		{"half-way round up", half, 0x0, 0x10, 0x8},
		{"half-way round up, odd a", half, 0x1, 0x10, 0x9},
		{"half-way round up, odd b", half, 0x1, 0xf, 0x8},
		{"half-way round up, b = a", half, 0x10, 0x10, 0x10},
		{"half-way round up, b = a+1", half, 0x10, 0x11, 0x11},
		{"t = 0", 0x0, 0x0, 0x10, 0x0},
		{"t = 0, odd a", 0x0, 0x1, 0x10, 0x1},
		{"t = 0, odd b", 0x0, 0x1, 0xf, 0x1},
		{"t = 0, b = a", 0x0, 0x10, 0x10, 0x10},
		{"t = 0, b = a+1", 0x0, 0x10, 0x11, 0x10},
		{"t = 1", one, 0x0, 0x10, 0x10},
		{"t = 1, odd a", one, 0x1, 0x10, 0x10},
		{"t = 1, odd b", one, 0x1, 0xf, 0xf},
		{"t = 1, b = a", one, 0x10, 0x10, 0x10},
		{"t = 1, b = a+1", one, 0x10, 0x11, 0x11},
		{"t = 0+1", 0x0 + 1, 0x0, 0x10, 0x0},
		{"t = 0+1, odd a", 0x0 + 1, 0x1, 0x10, 0x1},
		{"t = 0+1, odd b", 0x0 + 1, 0x1, 0xf, 0x1},
		{"t = 0+1, b = a", 0x0 + 1, 0x10, 0x10, 0x10},
		{"t = 0+1, b = a+1", 0x0 + 1, 0x10, 0x11, 0x10},
		{"t = 1-1", one - 1, 0x0, 0x10, 0x10},
		{"t = 1-1, odd a", one - 1, 0x1, 0x10, 0x10},
		{"t = 1-1, odd b", one - 1, 0x1, 0xf, 0xf},
		{"t = 1-1, b = a", one - 1, 0x10, 0x10, 0x10},
		{"t = 1-1, b = a+1", one - 1, 0x10, 0x11, 0x11},
		{"flip point, below", half - 1, 0x0, 0x1, 0x0},
		{"flip point", half, 0x0, 0x1, 0x1},
	} {
		assert.Equal(t, tc.wantV, lerpU16(tc.a, tc.b, tc.t), "%s: lerp_u16(%#x, %#x, %#x)", tc.name, tc.a, tc.b, tc.t)
	}
}

// vkms_color_test_linear: the identity LUT (linear_eotf, entries 0x101·i)
// gives back every 8-bit value to within DIV_ROUND_CLOSEST by 0x101.
func TestVKMSColorLinear(t *testing.T) {
	lut := goldenLUT("identity256", 256)
	for i := 0; i < 256; i++ {
		v := vkmsLUT(lut, 0, uint16(i*0x101))
		assert.Equal(t, i, (int(v)+0x101/2)/0x101, "entry %d", i)
	}
}

// vkmsLUT is apply_lut_to_channel_value for one value, built from the
// same steps as the tables but without them.
func vkmsLUT(lut []byte, ch int, v uint16) uint16 {
	n := len(lut) / lutEntries
	lo, hi, t := lutSpan(lutRatio(n), n, v)
	return lerpU16(binary.LittleEndian.Uint16(lut[lo*lutEntries+2*ch:]), binary.LittleEndian.Uint16(lut[hi*lutEntries+2*ch:]), t)
}

// exactRationalLUT is the expansion this package used before it followed
// VKMS's fixed point: lut[i] + floor((lut[i+1] − lut[i])·f/0xffff) with
// the index v·(n−1)/0xffff = i + f/0xffff taken exactly. Kept to show the
// golden test tells the two apart.
func exactRationalLUT(lut []byte, ch int, v uint16) uint16 {
	n := len(lut) / lutEntries
	pos := uint32(v) * uint32(n-1)
	i, f := int(pos/0xffff), int64(pos%0xffff)
	a := int64(binary.LittleEndian.Uint16(lut[i*lutEntries+2*ch:]))
	if f == 0 || i == n-1 {
		return uint16(a)
	}
	b := int64(binary.LittleEndian.Uint16(lut[(i+1)*lutEntries+2*ch:]))
	d := (b - a) * f
	q := d / 0xffff
	if d < 0 && q*0xffff != d {
		q--
	}
	return uint16(a + q)
}

// splitmix64 is the generator vkmslut.c draws its random LUT from.
func splitmix64(s *uint64) uint64 {
	*s += 0x9e3779b97f4a7c15
	z := *s
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// goldenLUT builds the LUT vkmslut.c calls name, from the same formula
// (its lut_value); the golden file's blob digest checks the two agree.
func goldenLUT(name string, n int) []byte {
	lut := make([]byte, n*lutEntries)
	rng := uint64(0x5eed)
	for i := 0; i < n; i++ {
		for ch := 0; ch < 3; ch++ {
			var v uint64
			ui, uch, un := uint64(i), uint64(ch), uint64(n)
			switch name {
			case "identity256", "identity1024":
				v = (ui*0xffff + (un-1)/2) / (un - 1)
			case "inverted256":
				v = 0xffff - ui*0x101
			case "random256":
				v = splitmix64(&rng)
			case "two":
				v = 0x0123 + uch
				if i != 0 {
					v = 0xfedc - uch*0x1111
				}
			case "ramp4096":
				v = ui*ui/4095*0xffff/4095 + ui*3 + uch*7
			case "decreasing256":
				v = 0xffff - ui*ui*0xffff/(255*255)/(uch+1)
			case "one":
				v = 0x4321 + uch
			}
			binary.LittleEndian.PutUint16(lut[i*lutEntries+2*ch:], uint16(v))
		}
	}
	return lut
}

// vkmsGolden is testdata/vkmslut/vkmslut.golden, printed by vkmslut.c.
type vkmsGolden struct {
	luts    []goldenLUTRec
	rgb565w map[int]goldenTable // by channel bits
}

type goldenLUTRec struct {
	name   string
	n      int
	digest uint64
	tables [3]goldenTable
}

type goldenTable struct {
	digest  uint64
	samples map[uint16]uint16
}

func readVKMSGolden(t *testing.T) *vkmsGolden {
	t.Helper()
	f, err := os.Open("testdata/vkmslut/vkmslut.golden")
	require.NoError(t, err)
	defer f.Close()
	g := &vkmsGolden{rgb565w: map[int]goldenTable{}}
	byName := map[string]*goldenLUTRec{}
	hex := func(s string) uint64 {
		v, err := strconv.ParseUint(s, 16, 64)
		require.NoError(t, err, s)
		return v
	}
	num := func(s string) int {
		v, err := strconv.Atoi(s)
		require.NoError(t, err, s)
		return v
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		w := strings.Fields(sc.Text())
		switch w[0] {
		case "lut":
			g.luts = append(g.luts, goldenLUTRec{name: w[1], n: num(w[2]), digest: hex(w[3])})
			r := &g.luts[len(g.luts)-1]
			for ch := range r.tables {
				r.tables[ch].samples = map[uint16]uint16{}
			}
			byName[w[1]] = r
		case "table":
			byName[w[1]].tables[num(w[2])].digest = hex(w[3])
		case "sample":
			byName[w[1]].tables[num(w[2])].samples[uint16(hex(w[3]))] = uint16(hex(w[4]))
		case "rgb565w":
			tb := g.rgb565w[num(w[1])]
			tb.digest = hex(w[2])
			g.rgb565w[num(w[1])] = tb
		case "rgb565w-sample":
			tb := g.rgb565w[num(w[1])]
			if tb.samples == nil {
				tb.samples = map[uint16]uint16{}
			}
			tb.samples[uint16(hex(w[2]))] = uint16(hex(w[3]))
			g.rgb565w[num(w[1])] = tb
		default:
			t.Fatalf("golden: unknown record %q", sc.Text())
		}
	}
	require.NoError(t, sc.Err())
	return g
}

func fnv64(b []byte) uint64 {
	h := fnv.New64a()
	h.Write(b)
	return h.Sum64()
}

func u16Bytes(v []uint16) []byte {
	b := make([]byte, 0, 2*len(v))
	for _, x := range v {
		b = binary.LittleEndian.AppendUint16(b, x)
	}
	return b
}

// Every entry of every expanded table equals the C transcription of
// VKMS's fixed point (vkmslut.c), for LUTs of 1 to 4096 entries, rising,
// falling and random; and the former exact-rational expansion differs
// from it, so the comparison can tell them apart.
func TestGammaTablesMatchVKMSReference(t *testing.T) {
	g := readVKMSGolden(t)
	require.Len(t, g.luts, 8)
	oldDiffers := 0
	for _, rec := range g.luts {
		t.Run(rec.name, func(t *testing.T) {
			lut := goldenLUT(rec.name, rec.n)
			require.Equal(t, fmt.Sprintf("%016x", rec.digest), fmt.Sprintf("%016x", fnv64(lut)), "the LUT is not vkmslut.c's")
			var gt gammaTables
			require.True(t, gt.load(lut))
			for ch := 0; ch < 3; ch++ {
				tab := gt.t[ch][:1<<16]
				for v, want := range rec.tables[ch].samples {
					require.Equal(t, want, tab[v], "channel %d value %#x", ch, v)
					require.Equal(t, want, vkmsLUT(lut, ch, v), "vkmsLUT, channel %d value %#x", ch, v)
				}
				require.Equal(t, fmt.Sprintf("%016x", rec.tables[ch].digest), fmt.Sprintf("%016x", fnv64(u16Bytes(tab))), "channel %d: the table differs from VKMS's off the samples", ch)
				if rec.n < 2 {
					continue
				}
				for v := range 1 << 16 {
					if exactRationalLUT(lut, ch, uint16(v)) != tab[v] {
						oldDiffers++
					}
				}
			}
		})
	}
	t.Logf("%d table entries differ from the exact-rational expansion", oldDiffers)
	require.Positive(t, oldDiffers)
}

// A concrete entry where the two differ, worked by hand: the 2-entry LUT
// "two", red 0x0123 -> 0xfedc, at value 1.
//
//   - ratio: drm_fixp_div(1<<32, 0xffff<<32). msbset(1<<32) = 32, so the
//     dividend is shifted by 30 to 1<<62 and the divisor down by 2 to
//     0xffff<<30; 2^62/(0xffff·2^30) = 2^32/0xffff truncates to 0x10001.
//   - index: drm_fixp_mul(1<<32, 0x10001): msbsets 32 + 16 <= 61, no
//     pre-shift; (2^32·0x10001)>>32 = 0x10001, so floor entry 0, ceil 1,
//     t = 0x10001.
//   - lerp: drm_fixp_mul(0xfdb9<<32, 0x10001): msbsets 47 + 16 = 63 > 61,
//     excess 2, each factor loses one bit: (0xfdb9<<31)·0x8000 >> 30 =
//     0xfdb90000, 0.991 of a step. 0x123.fdb9 + one half floors to 0x124.
//
// The exact rational is 0x123 + floor(0xfdb9·1/0xffff) = 0x123.
func TestGammaRoundsAsVKMS(t *testing.T) {
	lut := goldenLUT("two", 2)
	assert.Equal(t, int64(0x10001), lutRatio(2))
	assert.Equal(t, int64(0x10001), lutIndex(lutRatio(2), 1))
	assert.Equal(t, int64(0xfdb90000), drmfixed.Mul(drmfixed.Int2Fixp(0xfedc-0x123), 0x10001))
	assert.Equal(t, uint16(0x124), vkmsLUT(lut, 0, 1))
	assert.Equal(t, uint16(0x123), exactRationalLUT(lut, 0, 1))
}

// The tables are cached per blob, and a blob is its data and its length:
// a shorter LUT over the same memory is a different LUT.
func TestGammaCacheKeysOnLength(t *testing.T) {
	lut := make([]byte, 256*lutEntries)
	for i := range 256 {
		v := uint16(0xffff - i*257) // an inverting ramp
		for c := 0; c < 3; c++ {
			binary.LittleEndian.PutUint16(lut[i*lutEntries+2*c:], v)
		}
	}
	short := lut[:2*lutEntries] // two entries: 0xffff, 0xfefe
	var fresh gammaTables
	require.True(t, fresh.load(short))
	var g gammaTables
	require.True(t, g.load(lut))
	require.True(t, g.load(short))
	assert.Equal(t, fresh.t, g.t)
	require.True(t, g.load(short), "the same blob again")
	assert.Equal(t, fresh.t, g.t)
}
