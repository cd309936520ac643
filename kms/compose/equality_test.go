package compose

import (
	"fmt"
	"math/rand"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/kms/pixfmt"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/layout"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/headwaywl/headway/modifiers/sample"
	"github.com/headwaywl/headway/modifiers/tiling"
)

// These tests mirror IGT's reference-CRC method: two configurations that
// must look the same are composed and their CRCs compared bit for bit,
// and an inequality guard shows the comparison could have failed.

// grey16 is an opaque grey with all three channels v.
func grey16(v uint16) Pixel { return Pixel{A: 0xffff, R: v, G: v, B: v} }

// primaries8 are the eight colours with every channel 0 or 0xffff. They
// are the only colours every RGB format of the profiles holds exactly:
// RGB565 and XRGB1555 expand 5 and 6 bits by DIV_ROUND_CLOSEST(v*65535,
// 2^n-1), which equals an 8-bit level times 257 only for 0 and 0xff, and
// half floats give exactly 0 and 0xffff for 0.0 and 1.0.
var primaries8 = [8]Pixel{
	grey16(0), {A: 0xffff, R: 0xffff}, {A: 0xffff, G: 0xffff}, {A: 0xffff, B: 0xffff},
	{A: 0xffff, R: 0xffff, G: 0xffff}, {A: 0xffff, G: 0xffff, B: 0xffff}, {A: 0xffff, R: 0xffff, B: 0xffff}, grey16(0xffff),
}

// checker is a picture of the eight primaries in an irregular pattern, so
// that a misplaced row, column, tile or plane shows.
func checker(x, y int) Pixel { return primaries8[(x/3+y*5+(x*y)/7)%8] }

// quarters are the greys exact in 2, 4 and 8 bits; YUV formats other than
// 8-bit full range show them as yuvPicture says.
var quarters = [4]uint16{0, 0x5555, 0xaaaa, 0xffff}

func quarterIndex(x, y int) int   { return (x/2 + y*3 + (x*y)/5) % 4 }
func greyQuarters(x, y int) Pixel { return grey16(quarters[quarterIndex(x, y)]) }
func greyBinary(x, y int) Pixel   { return grey16(quarters[3*((x/2+y+(x*y)/3)%2)]) }

// greyFull8 uses every 8-bit level: full-range 8-bit YUV greys are exact
// for any Y.
func greyFull8(x, y int) Pixel { return grey16(uint16((x*37+y*11+x*y)&0xff) * 257) }

// -- 1. kms_plane plane-position: covered and hole variants ------------

func TestEqualityPlanePositionHole(t *testing.T) {
	// kms_plane's plane-position-{covered,hole}: a primary showing the
	// picture with a hole (black) plus an overlay filling the hole
	// equals one primary showing the whole picture.
	const w, h = 96, 64
	cases := []struct {
		name       string
		x, y       int
		ow, oh     int
		holeColour Pixel
		blend      profile.BlendMode
	}{
		{"hole-opaque", 16, 8, 32, 24, grey16(0), profile.BlendPremulti},
		{"hole-at-origin", 0, 0, 40, 40, grey16(0), profile.BlendPremulti},
		{"hole-at-corner", 56, 24, 40, 40, grey16(0), profile.BlendNone},
		// covered: the primary has a wrong colour under the overlay, which
		// fully covers it.
		{"covered-blue", 20, 10, 48, 30, Pixel{A: 0xffff, B: 0xffff}, profile.BlendPremulti},
		{"covered-coverage-mode", 20, 10, 48, 30, Pixel{A: 0xffff, R: 0xffff}, profile.BlendCoverage},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "vkms")
			ref := e.fb(fourcc.XRGB8888, w, h, gradient)
			inHole := func(x, y int) bool { return x >= tc.x && x < tc.x+tc.ow && y >= tc.y && y < tc.y+tc.oh }
			holed := e.fb(fourcc.XRGB8888, w, h, func(x, y int) Pixel {
				if inHole(x, y) {
					return tc.holeColour
				}
				return gradient(x, y)
			})
			over := e.fb(fourcc.ARGB8888, tc.ow, tc.oh, func(x, y int) Pixel { return gradient(x+tc.x, y+tc.y) })
			op := at(over, int32(tc.x), int32(tc.y))
			op.Blend = tc.blend
			want := e.crc(frame(w, h, at(ref, 0, 0)))
			assert.Equal(t, want, e.crc(frame(w, h, at(holed, 0, 0), op)))
			// Guard: without the overlay the hole shows.
			assert.NotEqual(t, want, e.crc(frame(w, h, at(holed, 0, 0))))
		})
	}
}

// -- 2. kms_plane_alpha_blend ------------------------------------------

// alphaGradient stands in for IGT's cairo linear gradient (black, yellow,
// cyan, magenta, white along the diagonal). Its exact 8-bit values do not
// matter to any equality: both sides use the same picture.
func alphaGradient(w, h int) func(x, y int) [3]uint8 {
	stops := [5][3]float64{{0, 0, 0}, {1, 1, 0}, {0, 1, 1}, {1, 0, 1}, {1, 1, 1}}
	return func(x, y int) [3]uint8 {
		t := float64(x*w+y*h) / float64(w*w+h*h) * 4
		i := int(t)
		if i >= 4 {
			i = 3
		}
		f := t - float64(i)
		var c [3]uint8
		for k := range c {
			c[k] = uint8((stops[i][k]*(1-f)+stops[i+1][k]*f)*255 + 0.5)
		}
		return c
	}
}

// alphaFBs are the framebuffers of kms_plane_alpha_blend's prepare_crtc.
type alphaFBs struct {
	xrgb, argb0, argbCov0, argb7e, argbCov7e, argbFc, argbCovFc, argb100, black, gray *device.Framebuffer
}

func newAlphaFBs(e *env, w, h int) *alphaFBs {
	g := alphaGradient(w, h)
	grad := func(a uint8) picture {
		return func(x, y int) Pixel { c := g(x, y); return rgb8(a, c[0], c[1], c[2]) }
	}
	// draw_squares paints with cairo's SOURCE operator into a
	// pre-multiplied ARGB32 surface: a colour channel of 1.0 at alpha a
	// is stored as a, a channel of 0 as 0.
	squares := func(a uint8, premult bool) picture {
		one := a
		if !premult {
			one = 0xff // draw_squares_coverage writes straight 0xff colours
		}
		return func(x, y int) Pixel {
			var r, gg, b uint8
			switch {
			case y < h/2 && x < w/2:
				r = one
			case y < h/2:
				gg = one
			case x < w/2:
				b = one
			case x < 3*w/4:
				r, gg, b = one, one, one
			}
			return rgb8(a, r, gg, b)
		}
	}
	return &alphaFBs{
		xrgb:      e.fb(fourcc.XRGB8888, w, h, grad(0xff)),
		argb0:     e.fb(fourcc.ARGB8888, w, h, solid(Pixel{})),
		argbCov0:  e.fb(fourcc.ARGB8888, w, h, grad(0)),
		argb7e:    e.fb(fourcc.ARGB8888, w, h, squares(0x7e, true)),
		argbCov7e: e.fb(fourcc.ARGB8888, w, h, squares(0x7e, false)),
		argbFc:    e.fb(fourcc.ARGB8888, w, h, squares(0xfc, true)),
		argbCovFc: e.fb(fourcc.ARGB8888, w, h, squares(0xfc, false)),
		argb100:   e.fb(fourcc.ARGB8888, w, h, grad(0xff)),
		black:     e.fb(fourcc.XRGB8888, w, h, solid(grey16(0))),
		// igt_create_color_fb(.5, .5, .5): cairo rounds 0.5 to 0x80.
		gray: e.fb(fourcc.XRGB8888, w, h, solid(rgb8(0xff, 0x80, 0x80, 0x80))),
	}
}

// ap is the plane under test with a framebuffer, alpha and blend mode; a
// nil fb disables it.
type ap struct {
	fb    *device.Framebuffer
	alpha uint16
	blend profile.BlendMode
}

func TestEqualityAlphaBlend(t *testing.T) {
	const w, h = 64, 48
	e := newEnv(t, "vkms")
	fbs := newAlphaFBs(e, w, h)
	pm, cov, none := profile.BlendPremulti, profile.BlendCoverage, profile.BlendNone

	// compose puts the plane under test over the primary; primary nil
	// means the plane under test is the primary itself (IGT runs every
	// subtest on every plane with an alpha property).
	compose := func(primary *device.Framebuffer, p ap) uint32 {
		var planes []device.FramePlane
		if primary != nil {
			planes = append(planes, at(primary, 0, 0))
		}
		if p.fb != nil {
			fp := at(p.fb, 0, 0)
			fp.Alpha, fp.Blend = p.alpha, p.blend
			planes = append(planes, fp)
		}
		return e.crc(frame(w, h, planes...))
	}

	type eq struct {
		name    string
		primary *device.Framebuffer // under the plane; nil: plane is the primary
		ref     ap
		same    []ap
		differ  []ap // inequality guards
	}
	var cases []eq
	for _, under := range []struct {
		name string
		fb   *device.Framebuffer
	}{{"overlay", fbs.black}, {"primary", nil}} {
		// alpha-basic: the transparent fb at every alpha 0x0707, 0x0f0f, ...
		// 0xffff, and 0, equals the plane showing nothing (ref_crc is
		// taken with the plane on black_fb, i.e. black).
		basic := eq{name: "alpha-basic/" + under.name, primary: under.fb, ref: ap{fb: fbs.black, alpha: 0xffff, blend: pm}}
		if under.fb != nil {
			basic.ref = ap{}
		}
		for i := 7; i < 256; i += 8 {
			basic.same = append(basic.same, ap{fbs.argb0, uint16(i | i<<8), pm})
		}
		basic.same = append(basic.same, ap{fbs.argb0, 0, pm})
		basic.differ = []ap{{fbs.argb100, 0x0707, pm}}
		cases = append(cases, basic,
			// alpha-opaque-fb: an opaque ARGB fb equals the XRGB fb.
			eq{"alpha-opaque-fb/" + under.name, under.fb, ap{fbs.xrgb, 0xffff, pm},
				[]ap{{fbs.argb100, 0xffff, pm}}, []ap{{fbs.argb100, 0xfefe, pm}}},
			// alpha-transparent-fb: a transparent fb equals no plane (or
			// black, for the primary).
			eq{"alpha-transparent-fb/" + under.name, under.fb, basic.ref,
				[]ap{{fbs.argb0, 0xffff, pm}}, []ap{{fbs.argbCov0, 0xffff, pm}}},
			// constant-alpha-min: None at alpha 0 shows nothing.
			eq{"constant-alpha-min/" + under.name, under.fb, basic.ref,
				[]ap{{fbs.argb100, 0, none}, {fbs.argb0, 0, none}}, []ap{{fbs.argb100, 0x0101, none}}},
		)
	}
	for _, under := range []struct {
		name string
		fb   *device.Framebuffer
	}{{"overlay", fbs.gray}, {"primary", nil}} {
		cases = append(cases,
			// constant-alpha-mid: None at 0x7fff ignores the fb's alpha.
			eq{"constant-alpha-mid/" + under.name, under.fb, ap{fbs.xrgb, 0x7fff, none},
				[]ap{{fbs.argbCov0, 0x7fff, none}, {fbs.argb100, 0x7fff, none}},
				[]ap{{fbs.xrgb, 0x8000, none}, {fbs.argb0, 0x7fff, none}}},
			// constant-alpha-max: at 0xffff, None equals Pre-multiplied for
			// opaque pixels and ignores a zero fb alpha.
			eq{"constant-alpha-max/" + under.name, under.fb, ap{fbs.argb100, 0xffff, pm},
				[]ap{{fbs.argb100, 0xffff, none}, {fbs.argbCov0, 0xffff, none}, {fbs.xrgb, 0xffff, none}},
				[]ap{{fbs.argb100, 0xfefe, pm}}},
			// alpha-7efc: plane alpha and pre-multiplied fb alpha commute.
			eq{"alpha-7efc/" + under.name, under.fb, ap{fbs.argbFc, 0x7e7e, pm},
				[]ap{{fbs.argb7e, 0xfcfc, pm}}, []ap{{fbs.argb7e, 0x7e7e, pm}, {fbs.argbFc, 0xfcfc, pm}}},
			// coverage-7efc: the same with straight colours in Coverage.
			eq{"coverage-7efc/" + under.name, under.fb, ap{fbs.argbCovFc, 0x7e7e, cov},
				[]ap{{fbs.argbCov7e, 0xfcfc, cov}}, []ap{{fbs.argbCov7e, 0x7e7e, cov}}},
			// coverage-vs-premult-vs-constant: a straight fb at alpha 0x7e in
			// Coverage, its pre-multiplied twin in Pre-multiplied, and the
			// straight fb in None at plane alpha 0x7e7e all agree.
			eq{"coverage-vs-premult-vs-constant/" + under.name, under.fb, ap{fbs.argbCov7e, 0xffff, cov},
				[]ap{{fbs.argb7e, 0xffff, pm}, {fbs.argbCov7e, 0x7e7e, none}},
				[]ap{{fbs.argbCov7e, 0xffff, pm}, {fbs.argbCov7e, 0x7e7e, cov}}},
		)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := compose(tc.primary, tc.ref)
			for i, p := range tc.same {
				assert.Equal(t, want, compose(tc.primary, p), "equal case %d (alpha %#04x, %v)", i, p.alpha, p.blend)
			}
			for i, p := range tc.differ {
				assert.NotEqual(t, want, compose(tc.primary, p), "guard %d (alpha %#04x, %v)", i, p.alpha, p.blend)
			}
		})
	}
}

// -- 3. every (format, modifier) of every profile plane ------------------

// formatPicture picks the picture for a format, colours it holds exactly
// (see primaries8), together with the encodings and ranges to draw it in;
// YUV pictures come from yuvPicture.
func formatPicture(rd *pixfmt.Reader, f fourcc.Format) (picture, []fbOpts) {
	switch {
	case rd.YUV():
		var opts []fbOpts
		for _, enc := range []profile.ColorEncoding{profile.BT601, profile.BT709, profile.BT2020} {
			for _, rng := range []profile.ColorRange{profile.RangeLimited, profile.RangeFull} {
				opts = append(opts, fbOpts{enc: enc, rng: rng})
			}
		}
		return nil, opts // the picture depends on the range: yuvPicture
	case f == fourcc.R1:
		return greyBinary, nil
	case f == fourcc.R2 || f == fourcc.R4 || f == fourcc.R8:
		// 0x5555 and 0xaaaa are 1/3 and 2/3: exact in 2, 4 and 8 bits.
		return greyQuarters, nil
	}
	return checker, nil
}

// yuvPicture returns the picture to draw in YUV format f and what VKMS
// shows for it. 8-bit full range shows every grey Y*257 as drawn. Elsewhere
// the quarter greys are drawn and show as the golden table has VKMS convert
// the samples pixfmt's writers store for them: Y 16, 89, 162, 235 with
// chroma 128 (8-bit limited), or the 10-bit Y in the top of the word with
// chroma 512<<6 (P010), which VKMS reads slightly off grey.
func yuvPicture(t testing.TB, f fourcc.Format, enc profile.ColorEncoding, rng profile.ColorRange) (draw, show picture) {
	if rng == profile.RangeFull && f != fourcc.P010 {
		return greyFull8, greyFull8
	}
	var shown [4]Pixel
	for i := range shown {
		if f == fourcc.P010 {
			y10 := [2][4]uint16{
				profile.RangeLimited: {64, 356, 648, 940},
				profile.RangeFull:    {0, 341, 682, 1023},
			}[rng][i]
			shown[i] = vkmsYUV(t, enc, rng, 16, y10<<6, 512<<6, 512<<6)
		} else {
			shown[i] = vkmsYUV(t, enc, rng, 8, [4]uint16{16, 89, 162, 235}[i], 128, 128)
		}
	}
	return greyQuarters, func(x, y int) Pixel { return shown[quarterIndex(x, y)] }
}

// readable reports why the composer cannot read (f, m), or "".
func readable(f fourcc.Format, m modifier.Modifier, w, h int) string {
	if _, err := pixfmt.NewReader(f, profile.BT601, profile.RangeLimited); err != nil {
		return "pixfmt: " + err.Error()
	}
	if m == modifier.Linear {
		return ""
	}
	info, _ := fourcc.Lookup(f)
	for p := 0; p < int(info.NumPlanes); p++ {
		if _, err := tiling.For(m, int(info.CharPerBlock[p])); err != nil {
			return "tiling: " + err.Error()
		}
	}
	l, err := layout.Compute(info, m, uint32(w), uint32(h))
	if err != nil {
		return "layout: " + err.Error()
	}
	mem := make([]byte, l.Size)
	var sp []sample.Plane
	for _, pl := range l.Planes {
		sp = append(sp, sample.Plane{Data: mem, Offset: pl.Offset, Stride: pl.Stride})
	}
	if _, err := sample.Open(info, m, uint32(w), uint32(h), sp); err != nil {
		return "sample: " + err.Error()
	}
	return ""
}

func TestEqualityEveryFormatModifier(t *testing.T) {
	const w, h = 256, 64 // multiples of every subsampling; the device wants NV12MT chroma planes in whole 128x32 tiles too
	wantSkipped := map[string]bool{}
	skipped := map[string]bool{}
	compared := map[string]int{}
	for _, name := range profile.Names() {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, name)
			seen := map[string]bool{}
			for _, pl := range e.prof.Planes {
				for _, fm := range pl.Formats {
					for _, m := range fm.Modifiers {
						key := fmt.Sprintf("%v %v %v", pl.Type, fm.Format, m)
						if seen[key] {
							continue
						}
						seen[key] = true
						if why := readable(fm.Format, m, w, h); why != "" {
							skipped[fmt.Sprintf("%s %v %v", name, fm.Format, m)] = true
							t.Logf("skip %s: %s", key, why)
							continue
						}
						rd, err := pixfmt.NewReader(fm.Format, profile.BT601, profile.RangeFull)
						require.NoError(t, err)
						pic, opts := formatPicture(rd, fm.Format)
						if opts == nil {
							opts = []fbOpts{{rng: profile.RangeFull}}
						}
						for _, o := range opts {
							o.mod = m
							var want uint32
							p := pic
							if p == nil {
								// VKMS's YUV greys need 16 bits, more than
								// every profile's RGB formats hold: hash them
								// as the frame's pixels directly.
								var show picture
								p, show = yuvPicture(t, fm.Format, o.enc, o.rng)
								pix := make([]Pixel, 0, w*h)
								for y := 0; y < h; y++ {
									for x := 0; x < w; x++ {
										pix = append(pix, show(x, y))
									}
								}
								want = oCRC(pix)
							} else {
								ref := e.fb(fourcc.XRGB8888, w, h, p)
								want = e.crc(frame(w, h, at(ref, 0, 0)))
							}
							var fb *device.Framebuffer
							if bits, ok := greyBits[fm.Format]; ok {
								require.Equal(t, modifier.Linear, m, "R formats are drawn linear")
								fb = greyFB(e, fm.Format, bits, w, h, p)
							} else {
								fb = e.fb(fm.Format, w, h, p, o)
							}
							fp := at(fb, 0, 0)
							fp.Type, fp.ColorEncoding, fp.ColorRange = pl.Type, o.enc, o.rng
							got, err := e.c.Compose(frame(w, h, fp), device.Target{CRC: true})
							if assert.NoError(t, err, key) {
								assert.Equal(t, want, got, "%s %v %v", key, o.enc, o.rng)
								compared[name]++
							}
						}
					}
				}
			}
		})
	}
	keys := make([]string, 0, len(skipped))
	for k := range skipped {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	t.Logf("compositions compared per profile: %v", compared)
	for _, name := range profile.Names() {
		assert.Positive(t, compared[name], name)
	}
	t.Logf("skipped (format, modifier) pairs: %q", keys)
	assert.Equal(t, wantSkipped, skipped)
}

// greyBits are the R formats, which pixfmt reads but does not write.
var greyBits = map[fourcc.Format]int{fourcc.R1: 1, fourcc.R2: 2, fourcc.R4: 4, fourcc.R8: 8}

// greyFB draws a grey picture into a linear R1/R2/R4/R8 framebuffer by
// hand: pixel 0 of each byte in its most significant bits (drm_fourcc.h).
func greyFB(e *env, f fourcc.Format, bits, w, h int, pic picture) *device.Framebuffer {
	e.t.Helper()
	pitch := (w*bits + 7) / 8
	pitch = (pitch + 63) &^ 63
	mem := make([]byte, pitch*h)
	per := 8 / bits
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := pixfmt.Compress(pic(x, y).R, bits)
			mem[y*pitch+x/per] |= byte(v) << (8 - bits*(x%per+1))
		}
	}
	handle, err := e.f.ImportBuffer(mem)
	require.NoError(e.t, err)
	req := device.FB2{Width: uint32(w), Height: uint32(h), Format: f}
	req.Handles[0], req.Pitches[0] = handle, uint32(pitch)
	id, err := e.f.AddFB2(req)
	require.NoError(e.t, err)
	fb, err := e.d.Framebuffer(id)
	require.NoError(e.t, err)
	return fb
}

// -- 4. kms_cursor_crc: cursor_crc_test.go, where the device places and
// clips the cursor plane.

// -- 5. colorkey -----------------------------------------------------------

// keyed is an overlay picture in which the pixels keyPix picks are
// replaced by what keying makes of them: alpha k and colour
// pre-multiplied by k (every channel here is 0 or 0xffff, so r(k*c) is 0
// or k, exact in 8 bits for k = n*257).
func keyed(pic picture, keyPix func(x, y int) bool, k uint16) picture {
	return func(x, y int) Pixel {
		p := pic(x, y)
		if !keyPix(x, y) {
			return p
		}
		pm := func(c uint16) uint16 { return uint16(r(uint32(k) * uint32(c))) }
		return Pixel{A: k, R: pm(p.R), G: pm(p.G), B: pm(p.B)}
	}
}

func TestEqualityColorkey(t *testing.T) {
	const w, h = 64, 48
	red := func(x, y int) bool { p := checker(x, y); return p.R == 0xffff && p.G == 0 && p.B == 0 }
	anyRed := func(x, y int) bool { return checker(x, y).R == 0xffff }
	green := func(x, y int) bool { p := checker(x, y); return p.G == 0xffff && p.R == 0 && p.B == 0 }
	never := func(int, int) bool { return false }
	yIs := func(v uint16) func(x, y int) bool {
		return func(x, y int) bool { return greyFull8(x, y).R == v*257 }
	}
	type kc struct {
		name    string
		prof    string
		kind    profile.Colorkey
		format  fourcc.Format
		pic     picture
		key     uint32
		alpha   uint8
		i915    device.I915Colorkey
		keyPix  func(x, y int) bool
		k       uint16
		primary picture // below the keyed plane
	}
	src := device.I915ColorkeySource
	cases := []kc{
		// R-Car (upstream): bit 24 enables, exact RGB888 match, keyed
		// pixels transparent.
		{"rcar/XRGB8888", "rcar-like", profile.ColorkeyRcar, fourcc.XRGB8888, checker, 1<<24 | 0xff0000, 0, device.I915Colorkey{}, red, 0, gradient},
		{"rcar/RGB565", "rcar-like", profile.ColorkeyRcar, fourcc.RGB565, checker, 1<<24 | 0xff0000, 0, device.I915Colorkey{}, red, 0, gradient},
		// RGB565 compares the key's top 5/6/5 bits: 0xf8fc00 is yellow.
		{"rcar/RGB565-truncated", "rcar-like", profile.ColorkeyRcar, fourcc.RGB565, checker, 1<<24 | 0xf8fc00, 0, device.I915Colorkey{},
			func(x, y int) bool { p := checker(x, y); return p.R == 0xffff && p.G == 0xffff && p.B == 0 }, 0, gradient},
		{"rcar/XRGB8888-truncated-key-misses", "rcar-like", profile.ColorkeyRcar, fourcc.XRGB8888, checker, 1<<24 | 0xf8fc00, 0, device.I915Colorkey{}, never, 0, gradient},
		{"rcar/ARGB1555", "rcar-like", profile.ColorkeyRcar, fourcc.ARGB1555, checker, 1<<24 | 0x00ff00, 0, device.I915Colorkey{}, green, 0, gradient},
		{"rcar/disabled", "rcar-like", profile.ColorkeyRcar, fourcc.XRGB8888, checker, 0xff0000, 0, device.I915Colorkey{}, never, 0, gradient},
		// Upstream R-Car never keys YUV.
		{"rcar/NV12-not-keyed", "rcar-like", profile.ColorkeyRcar, fourcc.NV12, greyFull8, 1<<24 | 0x004000, 0, device.I915Colorkey{}, never, 0, gradient},
		// R-Car Gen3 extension: colorkey_alpha k.
		{"rcar-gen3/alpha-0", "rcar-like", profile.ColorkeyRcarGen3, fourcc.XRGB8888, checker, 1<<24 | 0xff0000, 0, device.I915Colorkey{}, red, 0, gradient},
		{"rcar-gen3/alpha-0x80", "rcar-like", profile.ColorkeyRcarGen3, fourcc.XRGB8888, checker, 1<<24 | 0xff0000, 0x80, device.I915Colorkey{}, red, 0x8080, gradient},
		{"rcar-gen3/alpha-0x80-RGB565", "rcar-like", profile.ColorkeyRcarGen3, fourcc.RGB565, checker, 1<<24 | 0x00ff00, 0x80, device.I915Colorkey{}, green, 0x8080, gradient},
		// Gen3 on YUV compares Y with the key's G byte. The keyed grey is
		// 0xff so that r(k*0xffff) = k stays exact in 8 bits.
		{"rcar-gen3/NV12-Y", "rcar-like", profile.ColorkeyRcarGen3, fourcc.NV12, greyFull8, 1<<24 | 0x004000, 0, device.I915Colorkey{}, yIs(0x40), 0, gradient},
		{"rcar-gen3/NV12-Y-alpha-0x80", "rcar-like", profile.ColorkeyRcarGen3, fourcc.NV12, greyFull8, 1<<24 | 0x00ff00, 0x80, device.I915Colorkey{}, yIs(0xff), 0x8080, gradient},
		// i915 source key: (pixel & mask) == (min & mask).
		{"i915/source-exact", "intel-like", profile.ColorkeyI915, fourcc.XRGB8888, checker, 0, 0, device.I915Colorkey{Min: 0x00ff00, Max: 0x00ff00, Mask: 0xffffff, Flags: src}, green, 0, gradient},
		{"i915/source-mask-red", "intel-like", profile.ColorkeyI915, fourcc.XRGB8888, checker, 0, 0, device.I915Colorkey{Min: 0xff0000, Max: 0xffffff, Mask: 0xff0000, Flags: src}, anyRed, 0, gradient},
		{"i915/none", "intel-like", profile.ColorkeyI915, fourcc.XRGB8888, checker, 0, 0, device.I915Colorkey{Min: 0x00ff00, Mask: 0xffffff, Flags: device.I915ColorkeyNone}, never, 0, gradient},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.prof)
			rng := profile.RangeFull
			prim := e.fb(fourcc.XRGB8888, w, h, tc.primary)
			fb := e.fb(tc.format, w, h, tc.pic, fbOpts{rng: rng})
			kp := at(fb, 0, 0)
			kp.ColorkeyKind, kp.Colorkey, kp.ColorkeyAlpha, kp.I915Colorkey = tc.kind, tc.key, tc.alpha, tc.i915
			ref := at(e.fb(fourcc.ARGB8888, w, h, keyed(tc.pic, tc.keyPix, tc.k)), 0, 0)
			want := e.crc(frame(w, h, at(prim, 0, 0), ref))
			assert.Equal(t, want, e.crc(frame(w, h, at(prim, 0, 0), kp)))
			// Guard: the unkeyed plane differs whenever a pixel is keyed.
			unkeyed := at(fb, 0, 0)
			plain := e.crc(frame(w, h, at(prim, 0, 0), unkeyed))
			anyKeyed := false
			for y := 0; y < h && !anyKeyed; y++ {
				for x := 0; x < w && !anyKeyed; x++ {
					anyKeyed = tc.keyPix(x, y)
				}
			}
			if anyKeyed {
				assert.NotEqual(t, want, plain)
			} else {
				assert.Equal(t, want, plain)
			}
		})
	}
}

func TestEqualityI915DestinationKey(t *testing.T) {
	// i915 destination keying: the sprite shows only where the result
	// below matches the key; that equals a sprite whose other pixels
	// are transparent.
	const w, h = 64, 48
	e := newEnv(t, "intel-like")
	blue := func(x, y int) bool { p := checker(x, y); return p.B == 0xffff && p.R == 0 && p.G == 0 }
	prim := e.fb(fourcc.XRGB8888, w, h, checker)
	sprite := e.fb(fourcc.XRGB8888, w, h, gradient)
	sp := at(sprite, 0, 0)
	sp.ColorkeyKind = profile.ColorkeyI915
	sp.I915Colorkey = device.I915Colorkey{Min: 0x0000ff, Max: 0x0000ff, Mask: 0xffffff, Flags: device.I915ColorkeyDestination}
	ref := e.fb(fourcc.ARGB8888, w, h, func(x, y int) Pixel {
		if blue(x, y) {
			return gradient(x, y)
		}
		return Pixel{}
	})
	want := e.crc(frame(w, h, at(prim, 0, 0), at(ref, 0, 0)))
	assert.Equal(t, want, e.crc(frame(w, h, at(prim, 0, 0), sp)))
	assert.NotEqual(t, want, e.crc(frame(w, h, at(prim, 0, 0), at(sprite, 0, 0))))
	// Only the blue channel compared: blue, cyan, magenta and white match.
	sp.I915Colorkey.Mask = 0x0000ff
	ref2 := e.fb(fourcc.ARGB8888, w, h, func(x, y int) Pixel {
		if checker(x, y).B == 0xffff {
			return gradient(x, y)
		}
		return Pixel{}
	})
	assert.Equal(t, e.crc(frame(w, h, at(prim, 0, 0), at(ref2, 0, 0))), e.crc(frame(w, h, at(prim, 0, 0), sp)))
}

// -- 6. rotation and reflection (kms_rotation_crc) -------------------------

func TestEqualityRotation(t *testing.T) {
	const w, h = 64, 32
	pic := gradient
	rot180 := func(x, y int) Pixel { return pic(w-1-x, h-1-y) }
	mirrorX := func(x, y int) Pixel { return pic(w-1-x, y) }
	mirrorY := func(x, y int) Pixel { return pic(x, h-1-y) }
	e := newEnv(t, "intel-like")
	for _, m := range []modifier.Modifier{modifier.Linear, modifier.IntelYTiled, modifier.IntelYfTiled} {
		t.Run(m.String(), func(t *testing.T) {
			o := fbOpts{mod: m, rng: profile.RangeFull}
			plain := e.fb(fourcc.XRGB8888, w, h, pic, o)
			turned := e.fb(fourcc.XRGB8888, w, h, rot180, o)
			mx := e.fb(fourcc.XRGB8888, w, h, mirrorX, o)
			my := e.fb(fourcc.XRGB8888, w, h, mirrorY, o)
			rotated := func(fb *device.Framebuffer, r profile.Rotation) uint32 {
				fp := at(fb, 0, 0)
				fp.Rotation = r
				if r&(profile.Rotate90|profile.Rotate270) != 0 {
					fp.Dst = device.Rect{X2: h, Y2: w}
					return e.crc(frame(h, w, fp))
				}
				return e.crc(frame(w, h, fp))
			}
			want := rotated(plain, profile.Rotate0)
			assert.Equal(t, want, rotated(turned, profile.Rotate180), "180 of a 180-stored image")
			assert.Equal(t, want, rotated(mx, profile.Rotate0|profile.ReflectX), "reflect-x of a mirrored image")
			assert.Equal(t, want, rotated(my, profile.Rotate0|profile.ReflectY), "reflect-y of a mirrored image")
			assert.Equal(t, want, rotated(turned, profile.Rotate0|profile.ReflectX|profile.ReflectY), "both reflections are 180")
			assert.NotEqual(t, want, rotated(turned, profile.Rotate0), "guard")
			// 90 and 270 differ by 180.
			r90 := rotated(plain, profile.Rotate90)
			assert.Equal(t, r90, rotated(turned, profile.Rotate270))
			assert.Equal(t, rotated(plain, profile.Rotate270), rotated(turned, profile.Rotate90))
			assert.NotEqual(t, r90, rotated(plain, profile.Rotate270), "guard: 90 is not 270")
			// 90 with reflect-x of the x-mirrored image is plain 90.
			assert.Equal(t, r90, rotated(mx, profile.Rotate90|profile.ReflectX))
		})
	}
}

// -- 7. CCS (kms_ccs) -------------------------------------------------------

func TestEqualityCCS(t *testing.T) {
	// kms_ccs: a CCS buffer whose auxiliary surface is clear composes as
	// its base tiling, and as LINEAR.
	const w, h = 256, 64
	e := newEnv(t, "intel-like")
	ref := e.crc(frame(w, h, at(e.fb(fourcc.XRGB8888, w, h, gradient), 0, 0)))
	cases := []struct {
		ccs, base modifier.Modifier
	}{
		{modifier.IntelYTiledCCS, modifier.IntelYTiled},
		{modifier.IntelYfTiledCCS, modifier.IntelYfTiled},
		{modifier.IntelYTiledGen12RCCCS, modifier.IntelYTiled},
	}
	for _, tc := range cases {
		t.Run(tc.ccs.String(), func(t *testing.T) {
			for _, f := range []fourcc.Format{fourcc.XRGB8888, fourcc.ARGB8888} {
				ccs := e.crc(frame(w, h, at(e.fb(f, w, h, gradient, fbOpts{mod: tc.ccs}), 0, 0)))
				base := e.crc(frame(w, h, at(e.fb(f, w, h, gradient, fbOpts{mod: tc.base}), 0, 0)))
				assert.Equal(t, base, ccs, "%v", f)
				assert.Equal(t, ref, ccs, "%v", f)
			}
			other := e.crc(frame(w, h, at(e.fb(fourcc.XRGB8888, w, h, checker, fbOpts{mod: tc.ccs}), 0, 0)))
			assert.NotEqual(t, ref, other, "guard")
		})
	}
}

// -- 8. inequalities ----------------------------------------------------

func TestInequalityDistinctPictures(t *testing.T) {
	const w, h = 48, 32
	e := newEnv(t, "vkms")
	base := e.crc(frame(w, h, at(e.fb(fourcc.XRGB8888, w, h, gradient), 0, 0)))
	t.Run("one-pixel-change", func(t *testing.T) {
		for _, pt := range [][2]int{{0, 0}, {w - 1, 0}, {0, h - 1}, {w - 1, h - 1}, {17, 9}, {w / 2, h / 2}} {
			for _, ch := range []int{0, 1, 2} {
				fb := e.fb(fourcc.XRGB8888, w, h, func(x, y int) Pixel {
					p := gradient(x, y)
					if x == pt[0] && y == pt[1] {
						c := [3]*uint16{&p.R, &p.G, &p.B}[ch]
						*c ^= 257 // one 8-bit LSB
					}
					return p
				})
				assert.NotEqual(t, base, e.crc(frame(w, h, at(fb, 0, 0))), "pixel %v channel %d", pt, ch)
			}
		}
	})
	t.Run("swap-two-pixels", func(t *testing.T) {
		for _, sw := range [][4]int{{0, 0, 1, 0}, {0, 0, 0, 1}, {5, 3, 40, 30}, {w - 2, h - 1, w - 1, h - 1}} {
			a, b := [2]int{sw[0], sw[1]}, [2]int{sw[2], sw[3]}
			require.NotEqual(t, gradient(a[0], a[1]), gradient(b[0], b[1]))
			fb := e.fb(fourcc.XRGB8888, w, h, func(x, y int) Pixel {
				switch [2]int{x, y} {
				case a:
					return gradient(b[0], b[1])
				case b:
					return gradient(a[0], a[1])
				}
				return gradient(x, y)
			})
			assert.NotEqual(t, base, e.crc(frame(w, h, at(fb, 0, 0))), "swap %v", sw)
		}
	})
	t.Run("random-pictures-pairwise-distinct", func(t *testing.T) {
		rng := rand.New(rand.NewSource(7))
		seen := map[uint32]int{}
		for i := 0; i < 64; i++ {
			px := make([]Pixel, w*h)
			for j := range px {
				px[j] = rgb8(0xff, uint8(rng.Intn(256)), uint8(rng.Intn(256)), uint8(rng.Intn(256)))
			}
			v := e.crc(frame(w, h, at(e.fb(fourcc.XRGB8888, w, h, func(x, y int) Pixel { return px[y*w+x] }), 0, 0)))
			prev, dup := seen[v]
			assert.False(t, dup, "pictures %d and %d share CRC %#08x", prev, i, v)
			seen[v] = i
		}
		assert.Len(t, seen, 64)
	})
}
