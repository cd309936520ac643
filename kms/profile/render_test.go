package profile

import (
	"errors"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/modifiers/formatset"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

// withRender puts render lines where top-level keys go, after crtc-count
// (line 3 of minimal), so the first render line is line 4.
func withRender(lines string) string {
	return strings.Replace(minimal, "crtc-count 1\n", "crtc-count 1\n"+lines, 1)
}

func TestParseRender(t *testing.T) {
	p, err := Parse(strings.NewReader(withRender("render XRGB8888 NV12 : LINEAR X_TILED\nrender ARGB8888 : Y_TILED LINEAR\nrender XRGB8888 : Y_TILED\n")))
	require.NoError(t, err)
	xr, nv, ar := mustFormat(t, "XRGB8888"), mustFormat(t, "NV12"), mustFormat(t, "ARGB8888")
	assert.Equal(t, []fourcc.Format{xr, nv, ar}, p.Render.Formats())
	assert.Equal(t, []modifier.Modifier{modifier.Linear, modifier.IntelXTiled, modifier.IntelYTiled}, p.Render.Modifiers(xr))
	assert.Equal(t, []modifier.Modifier{modifier.Linear, modifier.IntelXTiled}, p.Render.Modifiers(nv))
	assert.Equal(t, []modifier.Modifier{modifier.IntelYTiled, modifier.Linear}, p.Render.Modifiers(ar),
		"render keeps the file's modifier order: it is the feedback's preference, not an IN_FORMATS blob")
	assert.Equal(t, 7, p.Render.Len())
	assert.NoError(t, p.ValidateRender(nil))
	// The render set is not a plane list: the plane still takes only
	// what its formats line says.
	assert.False(t, p.Planes[0].Supports(nv, modifier.Linear))
}

func TestParseWithoutRender(t *testing.T) {
	p, err := Parse(strings.NewReader(minimal))
	require.NoError(t, err)
	assert.Nil(t, p.Render, "no render line leaves the fallback to the compositor")
	assert.NoError(t, p.ValidateRender(func(fourcc.Format) bool { return false }))
}

func TestParseRenderErrors(t *testing.T) {
	cases := []struct {
		name string
		src  string
		line int
		want string
	}{
		{"no arguments", withRender("render\n"), 4, "want FORMAT... : MODIFIER..."},
		{"no separator", withRender("render XRGB8888 LINEAR\n"), 4, "want FORMAT... : MODIFIER..."},
		{"no formats", withRender("render : LINEAR\n"), 4, "want FORMAT... : MODIFIER..."},
		{"no modifiers", withRender("render XRGB8888 :\n"), 4, "want FORMAT... : MODIFIER..."},
		{"two separators", withRender("render XRGB8888 : LINEAR : X_TILED\n"), 4, "more than one ':'"},
		{"unknown format", withRender("render XRGB9999 : LINEAR\n"), 4, "XRGB9999"},
		{"unknown modifier", withRender("render XRGB8888 : SHINY_TILED\n"), 4, "SHINY_TILED"},
		{"CCS on NV12", withRender("render XRGB8888 : LINEAR\nrender NV12 : Y_TILED_CCS\n"), 5, "cannot be sampled"},
		{"compressed family", withRender("render XRGB8888 : ARM_BLOCK_SIZE=16x16,MODE=SPARSE\n"), 4, "cannot be sampled"},
		{"implicit modifier", withRender("render XRGB8888 : INVALID\n"), 4, "cannot be sampled"},
		{"duplicate on one line", withRender("render XRGB8888 : LINEAR LINEAR\n"), 4, "listed twice"},
		{"duplicate across lines", withRender("render XRGB8888 : LINEAR\n# a comment\nrender ARGB8888 XRGB8888 : LINEAR\n"), 6, "XRGB8888 with LINEAR listed twice"},
		{"too many pairs", withRender("render " + strings.Repeat("XRGB8888 ", 65) + ": " + strings.Repeat("LINEAR ", 64) + "\n"), 4, "more than 4096 render pairs"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tc.src))
			require.Error(t, err)
			var pe *Error
			require.True(t, errors.As(err, &pe), "error %v is not an *Error", err)
			assert.Equal(t, tc.line, pe.Line, "%v", err)
			assert.Equal(t, "render", pe.Field, "%v", err)
			assert.Contains(t, err.Error(), tc.want)
			assert.ErrorIs(t, err, ErrInvalidProfile)
			assert.ErrorIs(t, err, syscall.EINVAL)
		})
	}

	// render is a profile key: after the first section it is misplaced.
	_, err := Parse(strings.NewReader(minimal + "render XRGB8888 : LINEAR\n"))
	var pe *Error
	require.True(t, errors.As(err, &pe), "error %v is not an *Error", err)
	assert.Equal(t, 10, pe.Line)
	assert.Equal(t, "plane 0 render", pe.Field)
	assert.Contains(t, err.Error(), "key not allowed here")
}

func TestValidateRenderNamesTheLine(t *testing.T) {
	p, err := Parse(strings.NewReader(withRender("render XRGB8888 : LINEAR\nrender NV12 : LINEAR X_TILED\n")))
	require.NoError(t, err)
	nv := mustFormat(t, "NV12")
	err = p.ValidateRender(func(f fourcc.Format) bool { return f != nv })
	require.Error(t, err)
	var pe *Error
	require.True(t, errors.As(err, &pe), "error %v is not an *Error", err)
	assert.Equal(t, "<input>", pe.File)
	assert.Equal(t, 5, pe.Line)
	assert.Equal(t, "render", pe.Field)
	assert.Contains(t, err.Error(), "no pixel reader for NV12")
	assert.ErrorIs(t, err, ErrInvalidProfile)

	// A profile assembled by hand gets the sampling check too.
	hand := &Profile{Name: "hand", Render: formatset.New(formatset.Pair{Format: nv, Modifier: modifier.IntelYTiledCCS})}
	err = hand.ValidateRender(nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "profile hand: render: ")
	assert.ErrorIs(t, err, ErrInvalidProfile)
}

// TestBuiltinRender holds every built-in profile to the render rules: a
// non-empty set, every pair sampleable, and LINEAR for every format, since
// LINEAR is what a client falls back to when it shares no tiling with us.
func TestBuiltinRender(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			p, err := Load(name)
			require.NoError(t, err)
			require.Positive(t, p.Render.Len())
			for f, m := range p.Render.Pairs() {
				assert.NoError(t, CanSample(f, m))
			}
			for _, f := range p.Render.Formats() {
				assert.True(t, p.Render.Has(f, modifier.Linear), "%s has no LINEAR", fourcc.DRMName(f))
			}
			assert.NoError(t, p.ValidateRender(nil))
		})
	}
}

func TestIntelLikeRender(t *testing.T) {
	p, err := Load("intel-like")
	require.NoError(t, err)
	intel := 0
	for f, m := range p.Render.Pairs() {
		if m == modifier.Linear {
			continue
		}
		assert.Equal(t, modifier.VendorIntel, m.Vendor(), "%s with %s", fourcc.DRMName(f), modifier.Name(m))
		_, _, _, _, _, nv := modifier.NVIDIABlockLinear(m)
		assert.False(t, nv, "%s with %s", fourcc.DRMName(f), modifier.Name(m))
		intel++
	}
	assert.Positive(t, intel)
	xr := mustFormat(t, "XRGB8888")
	for _, m := range []modifier.Modifier{modifier.IntelXTiled, modifier.IntelYTiled, modifier.IntelYfTiled, modifier.Intel4Tiled,
		modifier.IntelYTiledCCS, modifier.IntelYTiledGen12RCCCS, modifier.IntelYTiledGen12RCCCSCC, modifier.Intel4TiledMTLRCCCS} {
		assert.True(t, p.Render.Has(xr, m), "XRGB8888 with %s", modifier.Name(m))
	}
	// Out-of-band CCS cannot be checked for clear blocks before reading.
	for _, m := range []modifier.Modifier{modifier.Intel4TiledDG2RCCCS, modifier.Intel4TiledLNLCCS, modifier.Intel4TiledBMGCCS} {
		assert.False(t, p.Render.Has(xr, m), "XRGB8888 with %s", modifier.Name(m))
	}
	yuv := []modifier.Modifier{modifier.Linear, modifier.IntelXTiled, modifier.IntelYTiled}
	assert.Equal(t, yuv, p.Render.Modifiers(mustFormat(t, "NV12")))
	assert.Equal(t, yuv, p.Render.Modifiers(mustFormat(t, "P010")))
}

func TestNvidiaLikeRender(t *testing.T) {
	p, err := Load("nvidia-like")
	require.NoError(t, err)
	for _, f := range p.Render.Formats() {
		ms := p.Render.Modifiers(f)
		require.Len(t, ms, 7, fourcc.DRMName(f))
		assert.Equal(t, modifier.Linear, ms[0])
		for i, m := range ms[1:] {
			h, k, g, s, c, ok := modifier.NVIDIABlockLinear(m)
			require.True(t, ok, "%s with %s", fourcc.DRMName(f), modifier.Name(m))
			assert.Equal(t, [5]uint64{uint64(i), 6, 2, 1, 0}, [5]uint64{h, k, g, s, c}, "%s with %s", fourcc.DRMName(f), modifier.Name(m))
		}
	}
}

func TestExynosLikeRender(t *testing.T) {
	p, err := Load("exynos-like")
	require.NoError(t, err)
	for f, m := range p.Render.Pairs() {
		if m != modifier.Linear {
			assert.Equal(t, [2]any{"NV12", modifier.Samsung64x32Tile}, [2]any{fourcc.DRMName(f), m})
		}
	}
	assert.True(t, p.Render.Has(mustFormat(t, "NV12"), modifier.Samsung64x32Tile))
}

func TestRcarLikeRender(t *testing.T) {
	p, err := Load("rcar-like")
	require.NoError(t, err)
	want := &formatset.Set{}
	for _, fm := range p.Planes[0].Formats {
		want.Add(fm.Format, modifier.Linear)
	}
	assert.True(t, want.EqualOrdered(p.Render), "render %v, planes %v", p.Render, want)
}

func TestVKMSRender(t *testing.T) {
	p, err := Load("vkms")
	require.NoError(t, err)
	require.Equal(t, Primary, p.Planes[0].Type)
	want := &formatset.Set{}
	for _, fm := range p.Planes[0].Formats {
		want.Add(fm.Format, modifier.Linear)
	}
	assert.Equal(t, 22, want.Len())
	assert.True(t, want.EqualOrdered(p.Render), "render %v, primary × LINEAR %v", p.Render, want)
}
