package profile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustFormat(t testing.TB, s string) fourcc.Format {
	t.Helper()
	f, err := fourcc.Parse(s)
	require.NoError(t, err)
	return f
}

func mustMod(t testing.TB, s string) modifier.Modifier {
	t.Helper()
	m, err := modifier.Parse(s)
	require.NoError(t, err)
	return m
}

func TestNames(t *testing.T) {
	assert.Equal(t, []string{"exynos-like", "intel-like", "nvidia-like", "rcar-like", "vkms"}, Names())
}

func TestLoadUnknown(t *testing.T) {
	for _, name := range []string{"", "nope", "../vkms", "VKMS", "vkms.profile"} {
		_, err := Load(name)
		require.Error(t, err, name)
		assert.ErrorIs(t, err, ErrUnknownProfile, name)
		assert.ErrorIs(t, err, syscall.ENOENT, name)
	}
}

// TestBuiltinInFormats checks that each plane's IN_FORMATS blob
// decodes back into exactly the profile's lists. It also holds every
// built-in profile to the sampling rule.
func TestBuiltinInFormats(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			p, err := Load(name)
			require.NoError(t, err)
			require.NotEmpty(t, p.Planes)
			for i := range p.Planes {
				pl := &p.Planes[i]
				got, err := DecodeInFormats(pl.InFormats())
				require.NoError(t, err, "plane %d", i)
				require.Len(t, got, len(pl.Formats), "plane %d", i)
				for j := range got {
					assert.Equal(t, pl.Formats[j].Format, got[j].Format, "plane %d format %d", i, j)
					assert.Equal(t, pl.Formats[j].Modifiers, got[j].Modifiers, "plane %d format %d", i, j)
					for _, m := range pl.Formats[j].Modifiers {
						assert.NoError(t, CanSample(pl.Formats[j].Format, m))
						assert.True(t, pl.Supports(pl.Formats[j].Format, m))
					}
				}
				fresh, err := EncodeInFormats(pl.Formats)
				require.NoError(t, err)
				assert.Equal(t, fresh, pl.InFormats())
			}
		})
	}
}

func TestVKMS(t *testing.T) {
	p, err := Load("vkms")
	require.NoError(t, err)
	require.Len(t, p.Planes, 10)
	assert.Equal(t, Primary, p.Planes[0].Type)
	for i := 1; i <= 8; i++ {
		assert.Equal(t, Overlay, p.Planes[i].Type)
	}
	assert.Equal(t, Cursor, p.Planes[9].Type)
	assert.Equal(t, 1, p.CRTCs.Count)
	assert.Equal(t, uint32(256), p.CRTCs.GammaLUTSize)
	assert.True(t, p.CRTCs.GammaLUTAtMost, "vkms_atomic_check refuses only more than VKMS_LUT_SIZE")
	for _, pl := range p.Planes {
		assert.Equal(t, []modifier.Modifier{modifier.Linear}, pl.Modifiers)
		assert.Len(t, pl.Formats, 22)
		assert.Equal(t, RotateMask|ReflectMask, pl.Rotations)
		assert.False(t, pl.Scaling.Allowed())
		assert.False(t, pl.Zpos.Present)
		assert.Zero(t, pl.Blend)
		assert.False(t, pl.Alpha)
		assert.Equal(t, BT601, pl.Color.DefaultEncoding)
		assert.Equal(t, RangeFull, pl.Color.DefaultRange)
		assert.Equal(t, uint32(1), pl.PossibleCRTCs)
	}
	assert.True(t, p.Writeback.Present)
	var wb []string
	for _, f := range p.Writeback.Formats {
		wb = append(wb, fourcc.DRMName(f))
	}
	assert.Equal(t, []string{"ARGB8888", "XRGB8888", "XRGB16161616", "ARGB16161616", "RGB565"}, wb)
	require.Len(t, p.Connectors, 1)
	assert.True(t, p.Connectors[0].Modes[0].Preferred)
	assert.Equal(t, Mode{HDisplay: 1024, VDisplay: 768, Refresh: 60, Preferred: true}, p.Connectors[0].Modes[0])
}

func TestIntelLike(t *testing.T) {
	p, err := Load("intel-like")
	require.NoError(t, err)
	ccs := []modifier.Modifier{modifier.IntelYTiledCCS, modifier.IntelYfTiledCCS, modifier.IntelYTiledGen12RCCCS}
	xr24 := mustFormat(t, "XRGB8888")
	nv12 := mustFormat(t, "NV12")
	argb := mustFormat(t, "ARGB8888")
	for i, pl := range p.Planes {
		assert.True(t, pl.Zpos.Present && pl.Zpos.Immutable, "plane %d zpos", i)
		for _, m := range ccs {
			assert.Equal(t, pl.Type == Primary, pl.Supports(xr24, m), "plane %d CCS %s", i, modifier.Name(m))
			assert.False(t, pl.Supports(nv12, m), "plane %d: CCS is RGB only", i)
		}
		switch pl.Type {
		case Cursor:
			assert.Equal(t, Size{256, 256}, pl.MaxFB)
			require.Len(t, pl.Formats, 1)
			assert.Equal(t, FormatModifiers{Format: argb, Modifiers: []modifier.Modifier{modifier.Linear}}, pl.Formats[0])
		default:
			for _, m := range []modifier.Modifier{modifier.Linear, modifier.IntelXTiled, modifier.IntelYTiled, modifier.IntelYfTiled, modifier.Intel4Tiled} {
				assert.True(t, pl.Supports(xr24, m), "plane %d %s", i, modifier.Name(m))
			}
		}
		if pl.Type == Overlay {
			assert.Equal(t, ColorkeyI915, pl.Colorkey)
		}
	}
	assert.Equal(t, uint32(256), p.CRTCs.CursorWidth)
}

func TestNvidiaLike(t *testing.T) {
	p, err := Load("nvidia-like")
	require.NoError(t, err)
	bl := 0
	for _, m := range p.Planes[0].Modifiers {
		if _, _, g, s, c, ok := modifier.NVIDIABlockLinear(m); ok {
			assert.Equal(t, [3]uint64{2, 1, 0}, [3]uint64{g, s, c})
			bl++
		}
	}
	assert.Equal(t, 6, bl)
	assert.False(t, p.Planes[0].Zpos.Immutable)
}

func TestExynosLike(t *testing.T) {
	p, err := Load("exynos-like")
	require.NoError(t, err)
	require.Equal(t, Primary, p.Planes[0].Type)
	assert.Equal(t, []modifier.Modifier{modifier.Linear}, p.Planes[0].Modifiers)
	for _, fm := range p.Planes[0].Formats {
		info, ok := fourcc.Lookup(fm.Format)
		require.True(t, ok)
		assert.False(t, info.IsYUV, "primary is RGB only")
	}
	video := p.Planes[1]
	assert.Equal(t, Overlay, video.Type)
	assert.True(t, video.Supports(mustFormat(t, "NV12"), modifier.Samsung64x32Tile))
	assert.True(t, video.Scaling.Allowed())
}

// TestRcarLike holds rcar-like to what it models: rcar_du_vsp.c's plane
// set (an immutable primary at zpos 0, overlays mutable in 1..4), linear
// formats only, no scaling or rotation, and the rcar-gen3 colorkey (upstream
// "colorkey" plus our colorkey_alpha extension) on every plane.
func TestRcarLike(t *testing.T) {
	p, err := Load("rcar-like")
	require.NoError(t, err)
	assert.Equal(t, "rcar-like", p.Name)
	assert.Equal(t, 1, p.CRTCs.Count)
	assert.False(t, p.Writeback.Present)
	require.Len(t, p.Planes, 5)
	want := []string{"RGB565", "XRGB1555", "ARGB1555", "XRGB8888", "ARGB8888", "NV12", "NV21", "NV16", "NV61", "YUV420", "YVU420"}
	for i := range p.Planes {
		pl := &p.Planes[i]
		if i == 0 {
			assert.Equal(t, Primary, pl.Type)
			assert.Equal(t, Zpos{Present: true, Value: 0, Min: 0, Max: 0, Immutable: true}, pl.Zpos)
		} else {
			assert.Equal(t, Overlay, pl.Type, "plane %d", i)
			assert.Equal(t, Zpos{Present: true, Value: 1, Min: 1, Max: 4}, pl.Zpos, "plane %d", i)
		}
		assert.Equal(t, ColorkeyRcarGen3, pl.Colorkey, "plane %d", i)
		assert.True(t, pl.Alpha, "plane %d", i)
		assert.Equal(t, Rotate0, pl.Rotations, "plane %d", i)
		assert.False(t, pl.Scaling.Allowed(), "plane %d", i)
		assert.Equal(t, []modifier.Modifier{modifier.Linear}, pl.Modifiers, "plane %d", i)
		require.Len(t, pl.Formats, len(want), "plane %d", i)
		for j, name := range want {
			assert.Equal(t, mustFormat(t, name), pl.Formats[j].Format, "plane %d format %d", i, j)
		}
		assert.False(t, pl.Supports(mustFormat(t, "XRGB8888"), modifier.IntelXTiled), "plane %d is linear only", i)
	}
}

func TestParseColorkeyKinds(t *testing.T) {
	for _, tc := range []struct {
		line string
		want Colorkey
	}{
		{"colorkey none\n", ColorkeyNone},
		{"colorkey rcar\n", ColorkeyRcar},
		{"colorkey i915\n", ColorkeyI915},
		{"colorkey rcar-gen3\n", ColorkeyRcarGen3},
	} {
		p, err := Parse(strings.NewReader(minimal + tc.line))
		require.NoError(t, err, tc.line)
		assert.Equal(t, tc.want, p.Planes[0].Colorkey, tc.line)
		assert.Equal(t, strings.TrimSpace(strings.TrimPrefix(tc.line, "colorkey ")), tc.want.String())
	}
	_, err := Parse(strings.NewReader(minimal + "colorkey rcar-gen4\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "plane 0 colorkey")
}

const minimal = `# a minimal valid profile
name test
crtc-count 1
connector Virtual-1
mode 640x480@60 preferred
plane primary
crtcs all
formats XRGB8888 : LINEAR
max-fb 4096x4096
`

func TestParseMinimal(t *testing.T) {
	p, err := Parse(strings.NewReader(minimal))
	require.NoError(t, err)
	assert.Equal(t, "test", p.Name)
	require.Len(t, p.Planes, 1)
	pl := p.Planes[0]
	assert.Equal(t, Size{4096, 4096}, pl.MaxSrc, "max-src defaults to max-fb")
	assert.Equal(t, Scaling{FixedOne, FixedOne}, pl.Scaling)
	assert.Zero(t, pl.Rotations)
}

func TestParseValues(t *testing.T) {
	src := minimal + `zpos 2 0 7
rotation ROTATE_0 REFLECT_Y
scaling 1/3 0x30000
blend None Pre-multiplied
alpha yes
color-encoding BT709 BT2020 default BT2020
color-range limited default limited
colorkey rcar
formats NV12 XRGB8888 : X_TILED
formats XRGB8888 : Y_TILED
`
	p, err := Parse(strings.NewReader(src))
	require.NoError(t, err)
	pl := p.Planes[0]
	assert.Equal(t, Zpos{Present: true, Value: 2, Min: 0, Max: 7}, pl.Zpos)
	assert.Equal(t, Rotate0|ReflectY, pl.Rotations)
	assert.Equal(t, Scaling{Min: 65536 / 3, Max: 3 << 16}, pl.Scaling)
	assert.True(t, pl.Blend.Has(BlendNone) && pl.Blend.Has(BlendPremulti) && !pl.Blend.Has(BlendCoverage))
	assert.True(t, pl.Alpha)
	assert.Equal(t, Color{Encodings: 0b110, Ranges: 0b01, DefaultEncoding: BT2020, DefaultRange: RangeLimited}, pl.Color)
	assert.Equal(t, ColorkeyRcar, pl.Colorkey)
	xr, nv := mustFormat(t, "XRGB8888"), mustFormat(t, "NV12")
	assert.Equal(t, []modifier.Modifier{modifier.Linear, modifier.IntelXTiled, modifier.IntelYTiled}, pl.Modifiers)
	assert.Equal(t, []FormatModifiers{
		{Format: xr, Modifiers: []modifier.Modifier{modifier.Linear, modifier.IntelXTiled, modifier.IntelYTiled}},
		{Format: nv, Modifiers: []modifier.Modifier{modifier.IntelXTiled}},
	}, pl.Formats)
}

// TestParseOrderCanonical: a format listing modifiers in another order
// than the plane's first-use order is stored in the plane's order, which
// is what its IN_FORMATS blob decodes to.
func TestParseGammaLUTRule(t *testing.T) {
	for _, c := range []struct {
		line   string
		atMost bool
	}{
		{"gamma-lut-size 256", false},
		{"gamma-lut-size 256 exact", false},
		{"gamma-lut-size 256 at-most", true},
	} {
		p, err := Parse(strings.NewReader(strings.Replace(minimal, "crtc-count 1", "crtc-count 1\n"+c.line, 1)))
		require.NoError(t, err, c.line)
		assert.Equal(t, uint32(256), p.CRTCs.GammaLUTSize, c.line)
		assert.Equal(t, c.atMost, p.CRTCs.GammaLUTAtMost, c.line)
	}
}

func TestParseOrderCanonical(t *testing.T) {
	src := strings.Replace(minimal, "formats XRGB8888 : LINEAR", "formats XRGB8888 : LINEAR X_TILED\nformats ARGB8888 : X_TILED LINEAR", 1)
	p, err := Parse(strings.NewReader(src))
	require.NoError(t, err)
	pl := p.Planes[0]
	assert.Equal(t, []modifier.Modifier{modifier.Linear, modifier.IntelXTiled}, pl.Formats[1].Modifiers)
	got, err := DecodeInFormats(pl.InFormats())
	require.NoError(t, err)
	assert.Equal(t, pl.Formats[1].Modifiers, got[1].Modifiers)
}

func TestParseErrors(t *testing.T) {
	sub := func(old, new string) string { return strings.Replace(minimal, old, new, 1) }
	add := func(s string) string { return minimal + s }
	cases := []struct {
		name  string
		src   string
		line  int
		field string
	}{
		{"unknown key", add("shiny yes\n"), 10, "plane 0 shiny"},
		{"top key in plane", add("crtc-count 2\n"), 10, "plane 0 crtc-count"},
		{"plane key at top", "name x\nzpos 0 0 0\n", 2, "zpos"},
		{"repeated key", add("max-fb 10x10\n"), 10, "plane 0 max-fb"},
		{"bad name", sub("name test", "name Test"), 2, "name"},
		{"no name", sub("name test\n", ""), 0, "name"},
		{"no crtc count", sub("crtc-count 1\n", ""), 0, "crtc-count"},
		{"zero crtcs", sub("crtc-count 1", "crtc-count 0"), 3, "crtc-count"},
		{"no connector", sub("connector Virtual-1\nmode 640x480@60 preferred\n", ""), 0, "connector"},
		{"no modes", sub("mode 640x480@60 preferred\n", ""), 4, "connector 0"},
		{"bad mode", sub("640x480@60", "640x480"), 5, "connector 0 mode"},
		{"two preferred", sub("preferred\n", "preferred\nmode 800x600@60 preferred\n"), 6, "connector 0 mode"},
		{"mode too big", sub("640x480@60", "70000x480@60"), 5, "connector 0 mode"},
		{"no planes", strings.Split(minimal, "plane primary")[0], 0, "plane"},
		{"bad plane type", sub("plane primary", "plane sprite"), 6, "plane"},
		{"no formats", sub("formats XRGB8888 : LINEAR\n", ""), 6, "plane 0 formats"},
		{"no max-fb", sub("max-fb 4096x4096\n", ""), 6, "plane 0 max-fb"},
		{"no crtcs", sub("crtcs all\n", ""), 6, "plane 0 crtcs"},
		{"crtc past count", sub("crtcs all", "crtcs 1"), 6, "plane 0 crtcs"},
		{"unknown format", sub("XRGB8888 :", "XRGB9999 :"), 8, "plane 0 formats"},
		{"unknown modifier", sub(": LINEAR", ": SHINY_TILED"), 8, "plane 0 formats"},
		{"no separator", sub(": LINEAR", "LINEAR"), 8, "plane 0 formats"},
		{"unsampleable compressed", sub(": LINEAR", ": ARM_BLOCK_SIZE=16x16,MODE=SPARSE"), 8, "plane 0 formats"},
		{"CCS on NV12", sub("XRGB8888 : LINEAR", "NV12 : Y_TILED_CCS"), 8, "plane 0 formats"},
		{"duplicate pair", add("formats XRGB8888 : LINEAR\n"), 10, "plane 0 formats"},
		{"zpos out of range", add("zpos 9 0 3\n"), 10, "plane 0 zpos"},
		{"immutable range", add("zpos 1 0 3 immutable\n"), 10, "plane 0 zpos"},
		{"rotation without 0", add("rotation ROTATE_90\n"), 10, "plane 0 rotation"},
		{"rotation name", add("rotation rotate-0\n"), 10, "plane 0 rotation"},
		{"blend without premulti", add("blend None\n"), 10, "plane 0 blend"},
		{"scaling inverted", add("scaling 2 4\n"), 10, "plane 0 scaling"},
		{"scaling zero", add("scaling 0 4\n"), 10, "plane 0 scaling"},
		{"encoding default outside", add("color-encoding BT601 default BT709\n"), 10, "plane 0 color-encoding"},
		{"range without default", add("color-range full\n"), 10, "plane 0 color-range"},
		{"colorkey kind", add("colorkey amd\n"), 10, "plane 0 colorkey"},
		{"alpha value", add("alpha maybe\n"), 10, "plane 0 alpha"},
		{"count on primary", add("count 2\n"), 6, "plane 0 count"},
		{"too many planes", add("plane overlay\ncrtcs all\nformats XRGB8888 : LINEAR\nmax-fb 8x8\ncount 32\n"), 10, "plane 1"},
		{"no primary for crtc", strings.Replace(sub("crtc-count 1", "crtc-count 2"), "crtcs all", "crtcs 0", 1), 0, "plane"},
		{"writeback format", sub("crtc-count 1", "crtc-count 1\nwriteback XRGB9999"), 4, "writeback"},
		{"gamma rule", sub("crtc-count 1", "crtc-count 1\ngamma-lut-size 256 at-least"), 4, "gamma-lut-size"},
		{"gamma extra word", sub("crtc-count 1", "crtc-count 1\ngamma-lut-size 256 exact exact"), 4, "gamma-lut-size"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tc.src))
			require.Error(t, err)
			var pe *Error
			require.True(t, errors.As(err, &pe), "error %v is not an *Error", err)
			assert.Equal(t, "<input>", pe.File)
			assert.Equal(t, tc.line, pe.Line, "%v", err)
			assert.Equal(t, tc.field, pe.Field, "%v", err)
			assert.ErrorIs(t, err, ErrInvalidProfile)
			assert.ErrorIs(t, err, syscall.EINVAL)
		})
	}
}

func TestParseNamesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mine.profile")
	require.NoError(t, os.WriteFile(path, []byte(minimal+"bogus 1\n"), 0o644))
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	_, err = Parse(f)
	require.Error(t, err)
	assert.Contains(t, err.Error(), path+":10: plane 0 bogus: ")
}

func TestParseLongLine(t *testing.T) {
	_, err := Parse(strings.NewReader("name x\ndescription " + strings.Repeat("a", maxLineBytes+1) + "\n"))
	require.Error(t, err)
	var pe *Error
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, 2, pe.Line)
}

func TestSupportsNoAlloc(t *testing.T) {
	p, err := Load("intel-like")
	require.NoError(t, err)
	pl := &p.Planes[0]
	f := mustFormat(t, "P010")
	m := mustMod(t, "4_TILED")
	allocs := testing.AllocsPerRun(100, func() {
		if !pl.Supports(f, m) {
			t.Fatal("intel-like primary takes P010 Tile4")
		}
	})
	assert.Zero(t, allocs)
}

func TestEnumNames(t *testing.T) {
	assert.Equal(t, "rotate-90", Rotate90.PropertyName())
	assert.Equal(t, "", (Rotate0 | Rotate90).PropertyName())
	assert.Equal(t, "Pre-multiplied", BlendPremulti.String())
	assert.Equal(t, "ITU-R BT.709 YCbCr", BT709.String())
	assert.Equal(t, "YCbCr full range", RangeFull.String())
	assert.Equal(t, "Primary", Primary.String())
	assert.Equal(t, "i915", ColorkeyI915.String())
	assert.Equal(t, "Unknown", PlaneType(9).String())
	// One past each enum's last value.
	assert.Equal(t, "None", BlendNone.String())
	assert.Equal(t, "Unknown", (BlendNone + 1).String())
	assert.Equal(t, "ITU-R BT.2020 YCbCr", BT2020.String())
	assert.Equal(t, "Unknown", (BT2020 + 1).String())
	assert.Equal(t, "Unknown", (RangeFull + 1).String())
}

func TestCanSampleRefusesHugeProbe(t *testing.T) {
	// Block-linear with blocks 2^15 GOBs tall: 262144 rows per block.
	m := modifier.NVIDIABlockLinear2D(0, 1, 2, 6, 15)
	err := CanSample(mustFormat(t, "XRGB8888"), m)
	require.Error(t, err)
	assert.ErrorIs(t, err, syscall.EINVAL)
	assert.NoError(t, CanSample(mustFormat(t, "XRGB8888"), modifier.NVIDIABlockLinear2D(0, 1, 2, 6, 5)))
}

// Values at the edges the parser promises: names of 1 to 64 characters
// from [a-z0-9-] not starting with '-', refresh rates of 1 to 1000 Hz, and
// modes that differ in any one of width, height and refresh.
func TestParseEdges(t *testing.T) {
	parse := func(src string) error {
		_, err := Parse(strings.NewReader(src))
		return err
	}
	name := func(n string) string { return strings.Replace(minimal, "name test", "name "+n, 1) }
	for _, ok := range []string{strings.Repeat("a", 64), "a", "z", "0", "9", "a-9"} {
		assert.NoError(t, parse(name(ok)), "name %q", ok)
	}
	for _, bad := range []string{strings.Repeat("a", 65), "-a", "a`", "a{", "a/", "a:", "aA"} {
		assert.ErrorIs(t, parse(name(bad)), ErrInvalidProfile, "name %q", bad)
	}
	mode := func(m string) string { return strings.Replace(minimal, "mode 640x480@60 preferred", m, 1) }
	for _, ok := range []string{"mode 640x480@1", "mode 640x480@1000"} {
		assert.NoError(t, parse(mode(ok)), ok)
	}
	for _, bad := range []string{"mode 640x480@0", "mode 640x480@1001"} {
		assert.ErrorIs(t, parse(mode(bad)), ErrInvalidProfile, bad)
	}
	distinct := "mode 640x480@60 preferred\nmode 640x480@75\nmode 640x400@60\nmode 800x480@60"
	p, err := Parse(strings.NewReader(mode(distinct)))
	require.NoError(t, err)
	assert.Len(t, p.Connectors[0].Modes, 4)
	assert.ErrorIs(t, parse(mode("mode 640x480@60 preferred\nmode 640x480@60")), ErrInvalidProfile)

	// Sizes are 1 to 65536 on each side.
	fb := func(size string) string { return strings.Replace(minimal, "max-fb 4096x4096", "max-fb "+size, 1) }
	for _, ok := range []string{"1x1", "65536x65536"} {
		assert.NoError(t, parse(fb(ok)), ok)
	}
	for _, bad := range []string{"0x5", "5x0", "65537x5", "5x65537"} {
		assert.ErrorIs(t, parse(fb(bad)), ErrInvalidProfile, bad)
	}
	// MaxPlanes planes in all, counting the primary.
	overlays := func(n int) string {
		return minimal + fmt.Sprintf("plane overlay\ncrtcs all\nformats XRGB8888 : LINEAR\nmax-fb 8x8\ncount %d\n", n)
	}
	assert.NoError(t, parse(overlays(MaxPlanes-1)))
	assert.ErrorIs(t, parse(overlays(MaxPlanes)), ErrInvalidProfile)

	// Scaling limits must bracket 1.0, which either may equal.
	for _, ok := range []string{"scaling 1 1", "scaling 1 4", "scaling 1/4 1"} {
		assert.NoError(t, parse(minimal+ok+"\n"), ok)
	}
	for _, bad := range []string{"scaling 2 4", "scaling 1/4 1/2"} {
		assert.ErrorIs(t, parse(minimal+bad+"\n"), ErrInvalidProfile, bad)
	}
}
