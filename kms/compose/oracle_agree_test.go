package compose

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/crc"
	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/kms/pixfmt"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
)

// gen builds random plane stacks on one profile's device.
type gen struct {
	e   *env
	rng *rand.Rand
}

// palette is a few colours a picture repeats, so colorkeys can hit and
// runs exercise the opaque and transparent fast paths. It always holds an
// opaque colour, transparent black, a transparent pixel with colour and
// invalid pre-multiplied data (colour above alpha).
func (g *gen) palette() []Pixel {
	r := g.rng
	c := func() uint16 {
		if r.IntN(2) == 0 {
			return uint16(r.IntN(256)) * 257
		}
		return uint16(r.Uint32())
	}
	p := []Pixel{
		{A: 0xffff, R: c(), G: c(), B: c()},
		{},
		{A: 0, R: c() | 0x100, G: c(), B: c()},
		{A: 0x4000, R: 0xffff, G: 0x8000 + c()/2, B: c()},
	}
	for i := r.IntN(3); i > 0; i-- {
		p = append(p, Pixel{A: c(), R: c(), G: c(), B: c()})
	}
	return p
}

// picture draws runs of palette colours.
func (g *gen) picture(w, h int) picture {
	pal := g.palette()
	idx := make([]uint8, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; {
			n, k := 1+g.rng.IntN(9), uint8(g.rng.IntN(len(pal)))
			for ; n > 0 && x < w; n, x = n-1, x+1 {
				idx[y*w+x] = k
			}
		}
	}
	return func(x, y int) Pixel { return pal[idx[y*w+x]] }
}

// pick returns a random element.
func pick[T any](r *rand.Rand, s ...T) T { return s[r.IntN(len(s))] }

// plane builds a random visible plane of a profile plane on a w x h CRTC.
func (g *gen) plane(pp *profile.Plane, w, h int) device.FramePlane {
	r := g.rng
	// env.fb draws through pixfmt's writers, so formats without one
	// (R1, R2, R4) are left out.
	var fms []profile.FormatModifiers
	for _, fm := range pp.Formats {
		if _, err := pixfmt.NewWriter(fm.Format, profile.BT601, profile.RangeFull); err == nil {
			fms = append(fms, fm)
		}
	}
	require.NotEmpty(g.e.t, fms)
	fm := pick(r, fms...)
	mod := pick(r, fm.Modifiers...)
	info, ok := fourcc.Lookup(fm.Format)
	require.True(g.e.t, ok)
	enc, rng := profile.BT601, profile.RangeFull
	if info.IsYUV {
		enc = pick(r, profile.BT601, profile.BT709, profile.BT2020)
		rng = pick(r, profile.RangeFull, profile.RangeLimited)
	}
	round := func(v, m int) int { return (v + m - 1) / m * m }
	// The profiles' smallest framebuffer is 10x10.
	fbW := round(10+r.IntN(31), int(info.HSub))
	fbH := round(10+r.IntN(31), int(info.VSub))
	fb := g.e.fb(fm.Format, fbW, fbH, g.picture(fbW, fbH), fbOpts{mod: mod, enc: enc, rng: rng})

	rot := profile.Rotate0
	if pp.Rotations != 0 {
		var rots []profile.Rotation
		for _, b := range []profile.Rotation{profile.Rotate0, profile.Rotate90, profile.Rotate180, profile.Rotate270} {
			if pp.Rotations&b != 0 {
				rots = append(rots, b)
			}
		}
		rot = pick(r, rots...)
		for _, b := range []profile.Rotation{profile.ReflectX, profile.ReflectY} {
			if pp.Rotations&b != 0 && r.IntN(2) == 0 {
				rot |= b
			}
		}
	}
	swap := rot&(profile.Rotate90|profile.Rotate270) != 0
	frac := r.IntN(2) == 0
	// axis picks a source span (16.16) inside size pixels and a destination
	// length inside lim pixels.
	axis := func(size, lim int, scale bool) (s1, s2 int32, d int) {
		if scale {
			var sw int
			if frac {
				sw = 1<<16 + r.IntN((size-1)<<16+1)
			} else {
				sw = (1 + r.IntN(size)) << 16
			}
			o := r.IntN(size<<16 - sw + 1)
			if !frac {
				o &^= 0xffff
			}
			return int32(o), int32(o + sw), 1 + r.IntN(lim)
		}
		d = 1 + r.IntN(min(size, lim))
		o := r.IntN((size-d)<<16 + 1)
		if !frac {
			o &^= 0xffff
		}
		return int32(o), int32(o + d<<16), d
	}
	scale := pp.Scaling.Allowed() && r.IntN(3) != 0
	var src device.Rect
	var dw, dh int
	if swap {
		src.X1, src.X2, dh = axis(fbW, h, scale)
		src.Y1, src.Y2, dw = axis(fbH, w, scale)
	} else {
		src.X1, src.X2, dw = axis(fbW, w, scale)
		src.Y1, src.Y2, dh = axis(fbH, h, scale)
	}
	x, y := int32(r.IntN(w-dw+1)), int32(r.IntN(h-dh+1))
	fp := device.FramePlane{
		Type: pp.Type, FB: fb, Src: src,
		Dst:      device.Rect{X1: x, Y1: y, X2: x + int32(dw), Y2: y + int32(dh)},
		Rotation: rot, Alpha: pick(r, 0xffff, 0xffff, 0, 0x8000, uint16(r.Uint32())),
		Blend:         pick(r, profile.BlendPremulti, profile.BlendCoverage, profile.BlendNone),
		ColorEncoding: enc, ColorRange: rng, ColorkeyKind: pp.Colorkey,
	}
	if pp.Colorkey == profile.ColorkeyRcarGen3 && r.IntN(3) == 0 {
		// No profile offers upstream R-Car keying alone; its rules (k = 0,
		// YUV never keyed) are covered by changing the kind.
		fp.ColorkeyKind = profile.ColorkeyRcar
	}
	if r.IntN(3) != 0 {
		g.key(&fp)
	}
	return fp
}

// key sets a colorkey that hits some of the plane's pixels: the key is
// derived from a pixel of its framebuffer.
func (g *gen) key(fp *device.FramePlane) {
	r := g.rng
	rd, err := pixfmt.NewReader(fp.FB.Format(), fp.ColorEncoding, fp.ColorRange)
	require.NoError(g.e.t, err)
	img, err := oImage(fp.FB)
	require.NoError(g.e.t, err)
	x, y := r.IntN(int(fp.FB.Width())), r.IntN(int(fp.FB.Height()))
	px := rd.At(img, x, y)
	yy, cb, cr := rd.YCbCrAt(img, x, y)
	switch fp.ColorkeyKind {
	case profile.ColorkeyRcar, profile.ColorkeyRcarGen3:
		fp.ColorkeyAlpha = pick(r, 0, 0xff, uint8(r.Uint32()))
		var key uint32
		if rd.YUV() {
			key = uint32(r.IntN(256))<<16 | uint32(yy)<<8 | uint32(r.IntN(256))
		} else {
			rb, gb, bb, _ := rd.Bits()
			for i, c := range []struct {
				v    uint16
				bits int
			}{{px.R, rb}, {px.G, gb}, {px.B, bb}} {
				var k uint32
				if c.bits > 8 {
					k = uint32(c.v >> 8)
				} else {
					// The key's low bits below the channel depth are ignored.
					k = pixfmt.Compress(c.v, c.bits)<<(8-c.bits) | uint32(r.IntN(1<<(8-c.bits)))
				}
				key |= k << (16 - 8*i)
			}
		}
		fp.Colorkey = key | pick(r, uint32(1<<24), 1<<24, 0)
	case profile.ColorkeyI915:
		ck := device.I915Colorkey{Flags: pick(r, device.I915ColorkeySource, device.I915ColorkeyDestination)}
		switch {
		case ck.Flags == device.I915ColorkeyDestination:
			ck.Mask = pick(r, uint32(0xffffff), 0x800000, 0x808080, 0, r.Uint32()&0xffffff)
			ck.Min = pick(r, 0, oTop8(px), r.Uint32()&0xffffff)
			ck.Max = r.Uint32() & 0xffffff
		case rd.YUV():
			s := [3]uint8{cb, yy, cr}
			for i, v := range s {
				m := pick(r, uint32(0xff), 0xff, 0xf0, uint32(r.IntN(256)))
				lo := max(int(uint32(v)&m)-r.IntN(3), 0)
				hi := min(int(uint32(v)&m)+r.IntN(3), 255)
				ck.Mask |= m << (8 * i)
				ck.Min |= uint32(lo) << (8 * i)
				ck.Max |= uint32(hi) << (8 * i)
			}
		default:
			ck.Mask = pick(r, uint32(0xffffff), 0xffffff, 0xf0f0f0, 0x00ff00, r.Uint32()&0xffffff)
			ck.Min = oTop8(px)
			ck.Max = r.Uint32() & 0xffffff
		}
		fp.I915Colorkey = ck
	}
}

// lut is a random GAMMA_LUT of 2..1024 entries.
func (g *gen) lut() []byte {
	r := g.rng
	n := pick(r, 2, 3, 17, 256, 1024, 2+r.IntN(1023))
	b := make([]byte, n*8)
	for i := 0; i < n; i++ {
		for ch := 0; ch < 3; ch++ {
			v := uint16(r.Uint32())
			if r.IntN(2) == 0 { // mostly rising, as real LUTs are
				v = uint16(min(i*0xffff/(n-1)+r.IntN(0x800), 0xffff))
			}
			binary.LittleEndian.PutUint16(b[i*8+2*ch:], v)
		}
	}
	return b
}

// stack builds a random frame.
func (g *gen) stack() *device.Frame {
	r := g.rng
	w, h := 1+r.IntN(48), 1+r.IntN(40)
	n := 1 + r.IntN(4)
	planes := make([]device.FramePlane, n)
	for i := range planes {
		pp := &g.e.prof.Planes[r.IntN(len(g.e.prof.Planes))]
		planes[i] = g.plane(pp, w, h)
	}
	f := frame(w, h, planes...)
	f.Profile = g.e.prof.Name
	if r.IntN(2) == 0 {
		f.GammaLUT = g.lut()
	}
	return f
}

// checkAgainstOracle composes f with c and compares the frame, its CRC
// and one plane source with the oracle's.
func checkAgainstOracle(t *testing.T, c *Composer, f *device.Frame, plane uint32, what string) {
	t.Helper()
	want, wantCRC := oracle(t, f)
	got, gotCRC, err := c.Capture(f, crc.Auto)
	require.NoError(t, err, "%s\n%s", what, describe(f))
	if d := firstDiff(want, got); d != "" {
		t.Fatalf("%s: composed frame: %s\n%s", what, d, describe(f))
	}
	require.Equal(t, wantCRC, gotCRC, "%s: Capture CRC\n%s", what, describe(f))
	v, err := c.Compose(f, device.Target{CRC: true})
	require.NoError(t, err)
	require.Equal(t, wantCRC, v, "%s: Compose CRC\n%s", what, describe(f))

	wantP, wantPCRC := oraclePlane(t, f, plane)
	gotP, gotPCRC, err := c.Capture(f, crc.Source{Plane: plane})
	require.NoError(t, err)
	if d := firstDiff(wantP, gotP); d != "" {
		t.Fatalf("%s: plane%d source: %s\n%s", what, plane, d, describe(f))
	}
	require.Equal(t, wantPCRC, gotPCRC, "%s: plane%d CRC\n%s", what, plane, describe(f))
}

func TestComposeAgreesWithOracle(t *testing.T) {
	for _, tc := range []struct {
		profile string
		frames  int
	}{
		{"vkms", 70},
		{"intel-like", 90},
		{"nvidia-like", 60},
		{"rcar-like", 70},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			e := newEnv(t, tc.profile)
			g := &gen{e: e, rng: rand.New(rand.NewPCG(7, uint64(len(tc.profile))))}
			for i := 0; i < tc.frames; i++ {
				f := g.stack()
				c := New(Options{Workers: 1 + g.rng.IntN(4)})
				plane := f.Planes[g.rng.IntN(len(f.Planes))].ID
				if g.rng.IntN(8) == 0 {
					plane = 99 // not in the frame
				}
				checkAgainstOracle(t, c, f, plane, fmt.Sprintf("%s frame %d", tc.profile, i))
			}
		})
	}
}

// FuzzComposeAgainstOracle draws a random stack from a seed and a profile
// choice, so the fuzzer explores stacks through the generator above.
func FuzzComposeAgainstOracle(f *testing.F) {
	f.Add(uint64(1), uint8(0), uint8(1))
	f.Add(uint64(439), uint8(1), uint8(2))
	f.Add(uint64(77), uint8(2), uint8(3))
	f.Add(uint64(5), uint8(3), uint8(4))
	profiles := []string{"vkms", "intel-like", "nvidia-like", "rcar-like"}
	f.Fuzz(func(t *testing.T, seed uint64, prof, workers uint8) {
		e := newEnv(t, profiles[int(prof)%len(profiles)])
		g := &gen{e: e, rng: rand.New(rand.NewPCG(seed, uint64(prof)))}
		fr := g.stack()
		c := New(Options{Workers: 1 + int(workers%4)})
		checkAgainstOracle(t, c, fr, fr.Planes[0].ID, fmt.Sprintf("seed %d", seed))
	})
}

// TestOracleRules pins the oracle itself on hand-computed pixels, so an
// agreement above cannot come from both sides sharing one mistake.
func TestOracleRules(t *testing.T) {
	e := newEnv(t, "vkms")
	one := func(p Pixel, alpha uint16, mode profile.BlendMode, bg Pixel) Pixel {
		under := e.fb(fourcc.ARGB16161616, 10, 10, solid(bg))
		top := e.fb(fourcc.ARGB16161616, 10, 10, solid(p))
		tp := at(top, 0, 0)
		tp.Alpha, tp.Blend = alpha, mode
		img, _ := oracle(t, frame(10, 10, at(under, 0, 0), tp))
		return img.Pix[0]
	}
	grey := Pixel{A: 0xffff, R: 0x1000, G: 0x8000, B: 0xffff}
	for _, tc := range []struct {
		name  string
		p     Pixel
		alpha uint16
		mode  profile.BlendMode
		want  Pixel
	}{
		// a = r(0x8000·0xffff) = 0x8000; s = r(0x8000·0x4000) = 0x2000;
		// r(0x1000·0x7fff) = 0x800 (0x7ff.f8), so R = 0x2800.
		{"premulti", Pixel{A: 0xffff, R: 0x4000, G: 0, B: 0xffff}, 0x8000, profile.BlendPremulti, Pixel{A: 0xffff, R: 0x2800, G: 0x4000, B: 0xffff}},
		// colour above alpha saturates: 0xffff + r(0xffff·0xfffe) > 0xffff.
		{"premulti saturates", Pixel{A: 1, R: 0xffff, G: 0xffff, B: 0xffff}, 0xffff, profile.BlendPremulti, Pixel{A: 0xffff, R: 0xffff, G: 0xffff, B: 0xffff}},
		// a = r(0xffff·0x8000) = 0x8000, s = r(0x8000·0xffff) = 0x8000,
		// G = 0x8000 + r(0x8000·0x7fff) = 0x8000 + 0x4000.
		{"coverage", Pixel{A: 0x8000, R: 0xffff, G: 0xffff, B: 0}, 0xffff, profile.BlendCoverage, Pixel{A: 0xffff, R: 0x8000 + 0x800, G: 0xc000, B: 0x7fff}},
		// None ignores the pixel's alpha.
		{"none", Pixel{A: 0, R: 0xffff, G: 0, B: 0}, 0xffff, profile.BlendNone, Pixel{A: 0xffff, R: 0xffff}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, one(tc.p, tc.alpha, tc.mode, grey))
		})
	}

	// On vkms invalid data wraps as VKMS's u32 sum does.
	white := Pixel{A: 0xffff, R: 0xffff, G: 0xffff, B: 0xffff}
	// 0xffff at alpha 0 over white: 2·0xfffe0001 wraps to 0xfffc0002,
	// + 0x7fff and / 0xffff gives 65533.
	require.Equal(t, Pixel{A: 0xffff, R: 65533, G: 65533, B: 65533},
		oBlend(white, Pixel{R: 0xffff, G: 0xffff, B: 0xffff}, 0xffff, profile.BlendPremulti, true))
	require.Equal(t, white, oBlend(white, Pixel{R: 0xffff, G: 0xffff, B: 0xffff}, 0xffff, profile.BlendPremulti, false))
	// Valid data is the same either way: the premulti row above.
	require.Equal(t, Pixel{A: 0xffff, R: 0x2800, G: 0x4000, B: 0xffff},
		oBlend(grey, Pixel{A: 0xffff, R: 0x4000, G: 0, B: 0xffff}, 0x8000, profile.BlendPremulti, true))

	// 90° (counter-clockwise) rotation: destination (u, v) shows
	// framebuffer (W-1-v, u) (drm_rect_rotate_inv: x = W - y', y = x').
	fb := e.fb(fourcc.XRGB8888, 10, 10, gradient)
	p := at(fb, 0, 0)
	p.Src = device.Rect{X2: 3 << 16, Y2: 2 << 16}
	p.Dst = device.Rect{X2: 2, Y2: 3}
	p.Rotation = profile.Rotate90
	for v := 0; v < 3; v++ {
		for u := 0; u < 2; u++ {
			x, y, err := oSource(&p, u, v)
			require.NoError(t, err)
			require.Equal(t, [2]int{2 - v, u}, [2]int{x, y}, "dst (%d,%d)", u, v)
		}
	}

	// Gamma: a 2-entry LUT 0 -> 0x1000. ratio = 2^32/0xffff truncated,
	// 0x10001. 0x8000: drm_fixp_mul(0x8000<<32, 0x10001) shifts both
	// factors right by one (msbsets 47 + 16 = 63 > 61): (0x8000<<31)·
	// 0x8000 >> 30 = 0x80000000, one half; lerp 0x1000·one half = 0x800
	// exactly. 0xffff: index 0xffff0000, lerp 0x1000·(1 − 2^-16) =
	// 0xfff.f rounds to 0x1000.
	lut := make([]byte, 16)
	binary.LittleEndian.PutUint16(lut[8:], 0x1000)
	require.Equal(t, uint16(0x800), oGamma(lut, 0, 0x8000))
	require.Equal(t, uint16(0x1000), oGamma(lut, 0, 0xffff))
	// 0x0123 -> 0xfedc at 1 (worked in TestGammaRoundsAsVKMS): index
	// 0x10001, 0xfdb9 times it with one bit off each factor is 0.991 of a
	// step, which rounds up to 0x124 where a floor would keep 0x123.
	binary.LittleEndian.PutUint16(lut[0:], 0x0123)
	binary.LittleEndian.PutUint16(lut[8:], 0xfedc)
	require.Equal(t, uint16(0x124), oGamma(lut, 0, 1))
	// One entry: everything maps to it, as VKMS's ratio is then 0.
	require.Equal(t, uint16(0x0123), oGamma(lut[:8], 0, 0xffff))

	// The CRC of nothing but opaque black, one pixel: crc32_le of
	// ff ff 00 00 00 00 00 00 from seed 0.
	require.Equal(t, crcOfRows(1, 1, solid(black)), oCRC([]Pixel{black}))
}

// whole reports whether every plane of f shows whole source pixels one
// for one, the case in which clipping cuts whole source pixels and a
// clipped render is exactly a crop of the unclipped frame.
func whole(f *device.Frame) bool {
	for _, p := range f.Planes {
		sw, sh := p.Src.Width(), p.Src.Height()
		if p.Rotation&(profile.Rotate90|profile.Rotate270) != 0 {
			sw, sh = sh, sw
		}
		if (p.Src.X1|p.Src.Y1)&0xffff != 0 || sw != p.Dst.Width()<<16 || sh != p.Dst.Height()<<16 {
			return false
		}
	}
	return true
}

// Render of random stacks without the device-only features (colorkey,
// gamma) agrees with the oracle pixel for pixel and in its CRC; stacks of
// whole pixels also render shifted into a smaller target, where every
// layer is clipped, as the oracle frame's crop.
func TestRenderAgreesWithOracle(t *testing.T) {
	for _, name := range []string{"vkms", "intel-like", "nvidia-like", "rcar-like"} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, name)
			g := &gen{e: e, rng: rand.New(rand.NewPCG(11, uint64(len(name))))}
			crops := 0
			for i := 0; i < 60; i++ {
				f := g.stack()
				// Render plays a GPU: invalid data saturates whatever the
				// device, so the oracle models it as a non-vkms frame.
				f.Profile = ""
				f.GammaLUT = nil
				for j := range f.Planes {
					f.Planes[j].ColorkeyKind = profile.ColorkeyNone
				}
				want, wantCRC := oracle(t, f)
				c := New(Options{Workers: 1 + g.rng.IntN(4)})
				tg := newTarget(t, fourcc.XRGB16161616, f.Width, f.Height)
				got, err := c.Render(tg, layersOf(f))
				require.NoError(t, err, describe(f))
				if d := firstDiff(want, readBack(t, tg)); d != "" {
					t.Fatalf("frame %d: %s\n%s", i, d, describe(f))
				}
				require.Equal(t, wantCRC, got, "frame %d\n%s", i, describe(f))

				if !whole(f) || f.Width < 3 || f.Height < 3 {
					continue
				}
				crops++
				ox, oy := 1+g.rng.IntN(f.Width-2), 1+g.rng.IntN(f.Height-2)
				cw, ch := 1+g.rng.IntN(f.Width-ox-1), 1+g.rng.IntN(f.Height-oy-1)
				ls := layersOf(f)
				for j := range ls {
					d := &ls[j].Dst
					d.X1, d.X2, d.Y1, d.Y2 = d.X1-int32(ox), d.X2-int32(ox), d.Y1-int32(oy), d.Y2-int32(oy)
				}
				crop := &Image{Width: cw, Height: ch, Pix: make([]Pixel, cw*ch)}
				for y := 0; y < ch; y++ {
					copy(crop.Pix[y*cw:(y+1)*cw], want.Pix[(y+oy)*f.Width+ox:])
				}
				tg = newTarget(t, fourcc.XRGB16161616, cw, ch)
				got, err = c.Render(tg, ls)
				require.NoError(t, err)
				if d := firstDiff(crop, readBack(t, tg)); d != "" {
					t.Fatalf("frame %d cropped to %d,%d %dx%d: %s\n%s", i, ox, oy, cw, ch, d, describe(f))
				}
				require.Equal(t, oCRC(crop.Pix), got, "frame %d cropped", i)
			}
			t.Logf("%d stacks also compared cropped", crops)
		})
	}
}
