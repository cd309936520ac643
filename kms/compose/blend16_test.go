package compose

import (
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/crc"
	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
)

// With 8-bit sources every product in the blend is a multiple of 257·257
// and every composed value a multiple of 257 plus at most a rounding
// step, so remainders never land next to a rounding boundary: a wrong
// rounding constant or a truncation goes unseen. These cases use 16-bit
// values picked so the remainder sits right at the boundary.

// blend16Case is one channel of VKMS's pre_mul_blend_channel, worked by
// hand: ia = 0xffff − a, new_color = src·0xffff + dst·ia (below 2^32),
// out = (new_color + 0x7fff) / 0xffff = src + q + (r >= 0x8000) where
// dst·ia = q·0xffff + r.
type blend16Case struct {
	name           string
	src, a, dst    uint16
	want           uint16
	rem            uint32 // r, for the record
	roundsUpIfOver bool   // whether +0x8000 for +0x7fff would change it
}

var blend16Cases = []blend16Case{
	// ia = 2, dst·ia = 0x17ffe = 1·0xffff + 0x7fff: one short of half, so
	// out = 0x1234 + 1. With +0x8000 it would round up to 0x1236.
	{name: "remainder 0x7fff", src: 0x1234, a: 0xfffd, dst: 0xbfff, want: 0x1235, rem: 0x7fff, roundsUpIfOver: true},
	// ia = 2, dst·ia = 0x8000: half-way, rounds up to 0xabc + 1; a
	// truncation would leave 0xabc.
	{name: "remainder 0x8000", src: 0x0abc, a: 0xfffd, dst: 0x4000, want: 0x0abd, rem: 0x8000},
	// ia = 0x8000, dst·ia = 0x7fff0000 = 0x7fff·0xffff + 0x7fff: out =
	// 0x123 + 0x7fff = 0x8122; +0x8000 would give 0x8123.
	{name: "half alpha, remainder 0x7fff", src: 0x0123, a: 0x7fff, dst: 0xfffe, want: 0x8122, rem: 0x7fff, roundsUpIfOver: true},
	// ia = 0x7001, dst·ia = 0x7f74235 = 0x7f7·0xffff + 0x4a2c: below
	// half, out = 0x3456 + 0x7f7 = 0x3c4d.
	{name: "remainder 0x4a2c", src: 0x3456, a: 0x8ffe, dst: 0x1235, want: 0x3c4d, rem: 0x4a2c},
	// ia = 0xe, dst·ia = 0xa8c24 = 0xa·0xffff + 0x8c2e: above half, out
	// = 0xfff0 + 0xb = 0xfffb; new_color = 4294544436, just below 2^32.
	{name: "near 2^32", src: 0xfff0, a: 0xfff1, dst: 0xc0de, want: 0xfffb, rem: 0x8c2e},
}

// divRoundClosest is DIV_ROUND_CLOSEST(x, d) written as floor(x/d + 1/2)
// = floor((2x + d) / 2d): the same rounding as the kernel's
// (x + d/2)/d for odd d, spelled independently of the composer's r.
func divRoundClosest(x, d uint64) uint64 { return (2*x + d) / (2 * d) }

func TestBlend16CasesAreVKMSFormula(t *testing.T) {
	// The table's hand arithmetic, checked against the formula spelled
	// as divRoundClosest, so a slip in a comment cannot hide.
	for _, c := range blend16Cases {
		ia := uint64(0xffff - c.a)
		x := uint64(c.src)*0xffff + uint64(c.dst)*ia
		require.Less(t, x, uint64(1)<<32, c.name)
		assert.Equal(t, uint64(c.want), divRoundClosest(x, 0xffff), c.name)
		assert.Equal(t, uint64(c.rem), uint64(c.dst)*ia%0xffff, c.name)
		assert.NotZero(t, c.rem%257, "%s: a remainder 8-bit data could reach", c.name)
		assert.Equal(t, c.roundsUpIfOver, (x+0x8000)/0xffff != uint64(c.want), c.name)
	}
}

// blend16Pictures draws the cases as columns (case x mod len): the
// overlay's pre-multiplied pixels, the primary below and the expected
// output.
func blend16Pictures() (top, bottom, want picture) {
	c := func(x int) blend16Case { return blend16Cases[x%len(blend16Cases)] }
	// A pixel has one alpha, so G and B take the cases at x+1 and x+2
	// where the alphas agree with R's case; elsewhere they keep R's.
	pick := func(x, k int) blend16Case {
		if c(x+k).a == c(x).a {
			return c(x + k)
		}
		return c(x)
	}
	top = func(x, _ int) Pixel {
		return Pixel{A: c(x).a, R: c(x).src, G: pick(x, 1).src, B: pick(x, 2).src}
	}
	bottom = func(x, _ int) Pixel {
		return Pixel{A: 0xffff, R: c(x).dst, G: pick(x, 1).dst, B: pick(x, 2).dst}
	}
	want = func(x, _ int) Pixel {
		return Pixel{A: 0xffff, R: c(x).want, G: pick(x, 1).want, B: pick(x, 2).want}
	}
	return
}

// blend16Frame is an ARGB16161616 overlay over an XRGB16161616 primary,
// 10x10 (the profiles' smallest framebuffer), and the expected output.
func blend16Frame(e *env) (*device.Frame, picture) {
	top, bottom, want := blend16Pictures()
	under := e.fb(fourcc.XRGB16161616, 10, 10, bottom)
	over := e.fb(fourcc.ARGB16161616, 10, 10, top)
	return frame(10, 10, at(under, 0, 0), at(over, 0, 0)), want
}

// The hand-computed 16-bit cases through Capture, Compose's CRC and
// Render, on a vkms frame (VKMS's u32 arithmetic) and a saturating one:
// the data is valid, so both give VKMS's values; and the oracle agrees.
func TestBlend16HandComputed(t *testing.T) {
	e := newEnv(t, "vkms")
	for _, prof := range []string{VKMSProfile, "intel-like"} {
		t.Run(prof, func(t *testing.T) {
			f, want := blend16Frame(e)
			f.Profile = prof
			img, got, err := e.c.Capture(f, crc.Auto)
			require.NoError(t, err)
			if d := firstDiff(imageOf(10, 10, want), img); d != "" {
				t.Fatal(d)
			}
			assert.Equal(t, crcOfRows(10, 10, want), got)
			checkAgainstOracle(t, New(Options{}), f, f.Planes[1].ID, prof)

			tg := newTarget(t, fourcc.XRGB16161616, 10, 10)
			rv, err := New(Options{}).Render(tg, layersOf(f))
			require.NoError(t, err)
			if d := firstDiff(imageOf(10, 10, want), readBack(t, tg)); d != "" {
				t.Fatal("Render: " + d)
			}
			assert.Equal(t, crcOfRows(10, 10, want), rv)
		})
	}
}

// Plane alpha and the other blend modes on 16-bit data (profiles other
// than vkms have them): each product is rounded once with
// DIV_ROUND_CLOSEST(·, 0xffff), here spelled as divRoundClosest. The
// values put products right at a rounding boundary: pa·fa =
// 0x8000·0xfffe = 0x7fff0000 leaves remainder 0x7fff, so a = 0x7fff and
// not 0x8000; pa·c with c = 0xfffe likewise.
func TestBlend16PlaneAlphaAndModes(t *testing.T) {
	e := newEnv(t, "vkms")
	dr := func(x uint64) uint64 { return divRoundClosest(x, 0xffff) }
	px := Pixel{A: 0xfffe, R: 0xfffe, G: 0x4000, B: 0x1235}
	bg := Pixel{A: 0xffff, R: 0xbfff, G: 0xfffe, B: 0x4000}
	for _, tc := range []struct {
		mode profile.BlendMode
		pa   uint64
	}{
		{profile.BlendPremulti, 0x8000},
		{profile.BlendCoverage, 0x8000},
		{profile.BlendNone, 0x8000},
		{profile.BlendPremulti, 0xfffd},
		{profile.BlendCoverage, 0xfffd},
		{profile.BlendNone, 0x7fff},
	} {
		t.Run(fmt.Sprintf("%v-%#x", tc.mode, tc.pa), func(t *testing.T) {
			// The doc's equations, each product rounded once.
			ch := func(c, b uint16) uint16 {
				a := dr(tc.pa * uint64(px.A))
				switch tc.mode {
				case profile.BlendCoverage:
					return uint16(dr(a*uint64(c)) + dr(uint64(b)*(0xffff-a)))
				case profile.BlendNone:
					return uint16(dr(tc.pa*uint64(c)) + dr(uint64(b)*(0xffff-tc.pa)))
				}
				return uint16(dr(tc.pa*uint64(c)) + dr(uint64(b)*(0xffff-a)))
			}
			want := Pixel{A: 0xffff, R: ch(px.R, bg.R), G: ch(px.G, bg.G), B: ch(px.B, bg.B)}
			top := at(e.fb(fourcc.ARGB16161616, 10, 10, solid(px)), 0, 0)
			top.Alpha, top.Blend = uint16(tc.pa), tc.mode
			f := frame(10, 10, at(e.fb(fourcc.XRGB16161616, 10, 10, solid(bg)), 0, 0), top)
			f.Profile = "intel-like"
			img, _, err := e.c.Capture(f, crc.Auto)
			require.NoError(t, err)
			assert.Equal(t, want, img.Pix[0])
			checkAgainstOracle(t, New(Options{}), f, f.Planes[1].ID, "plane alpha")
		})
	}
	// The boundary the values were picked for.
	require.Equal(t, uint64(0x7fff), dr(0x8000*0xfffe))
	require.Equal(t, uint64(0x7fff0000%0xffff), uint64(0x7fff))
}

// Writeback rounds each 16-bit channel to the target's depth: VKMS's
// argb_u16_to_ARGB8888 / XRGB8888 use DIV_ROUND_CLOSEST(v, 257), and the
// 16-bit writers copy. The primary's values sit on either side of the
// 8-bit rounding boundary: v = 257k + 128 rounds down to k and 257k +
// 129 up to k + 1, which 8-bit sources (v = 257k) never show.
func TestWriteback16Rounding(t *testing.T) {
	e := newEnv(t, "vkms")
	vals := []uint16{257*18 + 128, 257*18 + 129, 257*200 + 1, 257*200 + 256, 0x7fff, 0x8000, 257*254 + 129, 0xffff, 0, 128, 129}
	v := func(x, k int) uint16 { return vals[(x+k)%len(vals)] }
	pic := func(x, y int) Pixel { return Pixel{A: 0xffff, R: v(x+y, 0), G: v(x+y, 3), B: v(x+y, 7)} }
	f := frame(12, 10, at(e.fb(fourcc.XRGB16161616, 12, 10, pic), 0, 0))
	f.Profile = VKMSProfile
	// DIV_ROUND_CLOSEST(v, 257) spelled independently.
	b8 := func(v uint16) byte { return byte(divRoundClosest(uint64(v), 257)) }
	require.Equal(t, byte(18), b8(257*18+128))
	require.Equal(t, byte(19), b8(257*18+129))
	for _, tc := range []struct {
		format fourcc.Format
		cpp    int
		want   func(p Pixel) []byte
	}{
		{fourcc.XRGB8888, 4, func(p Pixel) []byte { return []byte{b8(p.B), b8(p.G), b8(p.R), 0xff} }},
		{fourcc.ARGB8888, 4, func(p Pixel) []byte { return []byte{b8(p.B), b8(p.G), b8(p.R), b8(p.A)} }},
		{fourcc.XRGB16161616, 8, func(p Pixel) []byte {
			return binary.LittleEndian.AppendUint64(nil, uint64(p.B)|uint64(p.G)<<16|uint64(p.R)<<32|0xffff<<48)
		}},
		{fourcc.ARGB16161616, 8, func(p Pixel) []byte {
			return binary.LittleEndian.AppendUint64(nil, uint64(p.B)|uint64(p.G)<<16|uint64(p.R)<<32|uint64(p.A)<<48)
		}},
	} {
		t.Run(tc.format.String(), func(t *testing.T) {
			wb := e.fb(tc.format, 12, 10, solid(Pixel{}))
			_, err := e.c.Compose(f, device.Target{Writeback: wb})
			require.NoError(t, err)
			pl := wb.Planes()[0]
			mem := pl.Buffer.Bytes()[pl.Offset:]
			for y := 0; y < 10; y++ {
				for x := 0; x < 12; x++ {
					o := y*int(pl.Pitch) + tc.cpp*x
					require.Equal(t, tc.want(pic(x, y)), mem[o:o+tc.cpp], "pixel %d,%d: %+v", x, y, pic(x, y))
				}
			}
		})
	}
}

// 10-bit and half-float sources have no VKMS counterpart (VKMS reads
// neither), so they are held to the oracle only: overlays whose
// converted values are not multiples of 257, with plane alpha and every
// blend mode, over a 16-bit primary whose values put the products next
// to rounding boundaries, on a vkms frame and a saturating one.
func TestBlendDeepFormatsAgreeWithOracle(t *testing.T) {
	// Framebuffers come from the device whose planes take the format; a
	// hand-built frame may mix them, the composer reads memory.
	envs := map[fourcc.Format]*env{fourcc.XRGB16161616: newEnv(t, "vkms")}
	intel, nvidia := newEnv(t, "intel-like"), newEnv(t, "nvidia-like")
	envs[fourcc.ARGB2101010], envs[fourcc.XRGB2101010], envs[fourcc.XRGB16161616F] = intel, intel, intel
	envs[fourcc.ABGR16161616F], envs[fourcc.XBGR16161616F] = nvidia, nvidia
	bgVals := []uint16{0xbfff, 0x4000, 0xfffe, 0x1235, 0xc0de, 0x8000, 0x7fff, 0x0101}
	bg := func(x, y int) Pixel {
		k := x + 3*y
		return Pixel{A: 0xffff, R: bgVals[k%8], G: bgVals[(k+3)%8], B: bgVals[(k+5)%8]}
	}
	// Colours of 10-bit and half-float overlays, as 16-bit values the
	// writers store at their own depth; alpha spans what 2 bits hold.
	ovVals := []uint16{0x0040, 0x7fbf, 0x8040, 0xffbf, 0x1234, 0xfffe, 0x5555, 0xaaaa, 0}
	ov := func(x, y int) Pixel {
		k := 2*x + y
		a := []uint16{0xffff, 0xaaaa, 0x5555, 0, 0xffff}[k%5]
		return Pixel{A: a, R: ovVals[k%9], G: ovVals[(k+4)%9], B: ovVals[(k+7)%9]}
	}
	for _, format := range []fourcc.Format{fourcc.ARGB2101010, fourcc.XRGB2101010, fourcc.XRGB16161616F, fourcc.ABGR16161616F, fourcc.XBGR16161616F} {
		for _, mode := range []profile.BlendMode{profile.BlendPremulti, profile.BlendCoverage, profile.BlendNone} {
			for _, pa := range []uint16{0xffff, 0x8000, 0xfffd} {
				for _, prof := range []string{VKMSProfile, "intel-like"} {
					name := fmt.Sprintf("%v/%v/%#x/%s", format, mode, pa, prof)
					top := at(envs[format].fb(format, 12, 10, ov), 0, 0)
					top.Alpha, top.Blend = pa, mode
					f := frame(12, 10, at(envs[fourcc.XRGB16161616].fb(fourcc.XRGB16161616, 12, 10, bg), 0, 0), top)
					f.Profile = prof
					checkAgainstOracle(t, New(Options{}), f, f.Planes[1].ID, name)
				}
			}
		}
	}
}

// Through a vkms device: the 16-bit cases committed as an overlay over a
// 16-bit primary give the hand-computed pixels in the CRC and in
// ARGB16161616 and XRGB8888 writeback (DIV_ROUND_CLOSEST(v, 257)).
func TestDeviceBlend16Writeback(t *testing.T) {
	r := newDevRig(t, "vkms")
	wb := r.d.Writeback()
	require.NotNil(t, wb)
	top, bottom, want := blend16Pictures()
	const ow, oh = 40, 30
	prim := r.fb(fourcc.XRGB16161616, r.w, r.h, bottom)
	over := r.plane(profile.Overlay)
	ovFB := r.fb(fourcc.ARGB16161616, ow, oh, top)
	// The overlay sits at (0, 0), so its columns meet the primary's
	// columns of the same cases.
	frameWant := func(x, y int) Pixel {
		if x < ow && y < oh {
			return want(x, y)
		}
		return bottom(x, y)
	}
	r.modeset(prim)
	rd, err := r.crtc.CRC().Open(false)
	require.NoError(t, err)
	defer rd.Close()
	b8 := func(v uint16) byte { return byte(divRoundClosest(uint64(v), 257)) }
	for i, tc := range []struct {
		format fourcc.Format
		cpp    int
		bytes  func(p Pixel) []byte
	}{
		{fourcc.ARGB16161616, 8, func(p Pixel) []byte {
			return binary.LittleEndian.AppendUint64(nil, uint64(p.B)|uint64(p.G)<<16|uint64(p.R)<<32|uint64(p.A)<<48)
		}},
		{fourcc.XRGB8888, 4, func(p Pixel) []byte { return []byte{b8(p.B), b8(p.G), b8(p.R), 0xff} }},
	} {
		t.Run(tc.format.String(), func(t *testing.T) {
			wbID, mem, pitch := r.wbTarget(tc.format)
			var req device.Request
			if i == 0 {
				r.setPlane(&req, over, ovFB, 0, 0)
			}
			req.Add(wb.ID(), wb.PropertyID("CRTC_ID"), uint64(r.crtc.ID()))
			req.Add(wb.ID(), wb.PropertyID("WRITEBACK_FB_ID"), uint64(wbID))
			got := readUntil(t, rd, r.commit(&req, device.AtomicAllowModeset))
			assert.Equal(t, crcOfRows(r.w, r.h, frameWant), got, "CRC")
			for y := 0; y < oh+1; y++ {
				for x := 0; x < ow+1; x++ {
					o := y*pitch + tc.cpp*x
					require.Equal(t, tc.bytes(frameWant(x, y)), mem[o:o+tc.cpp], "pixel %d,%d", x, y)
				}
			}
		})
	}
}

// VKMS's RGB565 writeback truncates in 32.32 fixed point: every entry of
// the per-channel tables equals vkmslut.c's transcription of
// argb_u16_to_RGB565 (its digest and samples in the golden file).
func TestVKMSRGB565WritebackMatchesReference(t *testing.T) {
	g := readVKMSGolden(t)
	tabs := vkmsRGB565()
	for i, bits := range []int{5, 6} {
		ref, ok := g.rgb565w[bits]
		require.True(t, ok, "%d bits", bits)
		for v, want := range ref.samples {
			require.Equal(t, want, uint16(tabs[i][v]), "%d bits, value %#x", bits, v)
		}
		assert.Equal(t, fmt.Sprintf("%016x", ref.digest), fmt.Sprintf("%016x", fnv64(tabs[i][:])), "%d bits", bits)
	}
	// By hand: 5-bit 1 reads as 0x0842 (round(65535/31) = 2114), and
	// writes back as 2114·31/65535 = 0.99998, truncated to 0; the ratio
	// 65535/31 is itself truncated in 32.32, which keeps it below 1.
	assert.Equal(t, uint8(0), tabs[0][0x0842])
	assert.Equal(t, uint8(1), tabs[0][0x0843])
	assert.Equal(t, uint8(31), tabs[0][0xffff])
	assert.Equal(t, uint8(63), tabs[1][0xffff])
}

// A vkms frame written back to RGB565 takes VKMS's truncation; another
// profile's frame keeps pixfmt's rounding to nearest.
func TestRGB565WritebackByProfile(t *testing.T) {
	e := newEnv(t, "vkms")
	vals := []uint16{0x0842, 0x0843, 0x8000, 0xffff, 0x1234, 0x7bef, 0, 0x0821}
	pic := func(x, y int) Pixel {
		k := x + y
		return Pixel{A: 0xffff, R: vals[k%8], G: vals[(k+3)%8], B: vals[(k+5)%8]}
	}
	f := frame(10, 10, at(e.fb(fourcc.XRGB16161616, 10, 10, pic), 0, 0))
	trunc := func(v uint16, bits int) uint16 { // VKMS, from the tables checked above
		return uint16(vkmsRGB565()[bits-5][v])
	}
	round := func(v uint16, bits int) uint16 { // DIV_ROUND_CLOSEST(v·(2^n−1), 65535)
		return uint16(divRoundClosest(uint64(v)*(1<<bits-1), 65535))
	}
	for _, tc := range []struct {
		prof string
		ch   func(uint16, int) uint16
	}{{VKMSProfile, trunc}, {"intel-like", round}} {
		t.Run(tc.prof, func(t *testing.T) {
			f.Profile = tc.prof
			wb := e.fb(fourcc.RGB565, 10, 10, solid(Pixel{}))
			_, err := e.c.Compose(f, device.Target{Writeback: wb})
			require.NoError(t, err)
			pl := wb.Planes()[0]
			mem := pl.Buffer.Bytes()[pl.Offset:]
			for y := 0; y < 10; y++ {
				for x := 0; x < 10; x++ {
					p := pic(x, y)
					want := tc.ch(p.R, 5)<<11 | tc.ch(p.G, 6)<<5 | tc.ch(p.B, 5)
					require.Equal(t, want, binary.LittleEndian.Uint16(mem[y*int(pl.Pitch)+2*x:]), "pixel %d,%d %+v", x, y, p)
				}
			}
		})
	}
	require.NotEqual(t, trunc(0x0842, 5), round(0x0842, 5), "guard: the rules differ on these values")
}
