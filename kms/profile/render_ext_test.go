package profile_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/pixfmt"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/layout"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/headwaywl/headway/modifiers/sample"
)

// hasReader is the check a compositor hands ValidateRender: kms/pixfmt
// imports this package, so the loader cannot ask it itself, and this
// external test is where the built-in profiles meet it.
func hasReader(f fourcc.Format) bool {
	_, err := pixfmt.NewReader(f, profile.BT601, profile.RangeFull)
	return err == nil
}

// TestBuiltinRenderComposable checks every built-in render pair against
// both halves of composition independently of CanSample: pixfmt has a
// reader for the format, and modifiers/sample opens a small buffer that
// layout lays out canonically.
func TestBuiltinRenderComposable(t *testing.T) {
	const w, h = 256, 64 // whole NV12MT tiles in both planes, four tile widths for gen12 CCS
	for _, name := range profile.Names() {
		t.Run(name, func(t *testing.T) {
			p, err := profile.Load(name)
			require.NoError(t, err)
			require.NoError(t, p.ValidateRender(hasReader))
			for f, m := range p.Render.Pairs() {
				info, ok := fourcc.Lookup(f)
				require.True(t, ok)
				assert.True(t, hasReader(f), "no pixfmt reader for %s", info.Name)
				l, err := layout.Compute(info, m, w, h)
				if !assert.NoError(t, err, "%s with %s", info.Name, modifier.Name(m)) {
					continue
				}
				mem := make([]byte, l.Size)
				var planes []sample.Plane
				for _, pp := range l.ParamsPlanes() {
					planes = append(planes, sample.Plane{Data: mem, Offset: pp.Offset, Stride: pp.Stride})
				}
				b, err := sample.Open(info, m, w, h, planes)
				if assert.NoError(t, err, "%s with %s", info.Name, modifier.Name(m)) {
					assert.NoError(t, b.CheckAux(), "%s with %s: a zeroed buffer is clear", info.Name, modifier.Name(m))
				}
			}
		})
	}
}

// TestValidateRenderWithPixfmt: a pair the loader accepts can still be
// one composition cannot show, when modifiers/sample reads its memory but
// pixfmt has no reader for its format (YUYV, at the time of writing).
// ValidateRender is the check that catches it.
func TestValidateRenderWithPixfmt(t *testing.T) {
	require.False(t, hasReader(fourcc.YUYV), "pick another format pixfmt cannot read")
	src := `name user
crtc-count 1
render XRGB8888 : LINEAR
render YUYV : LINEAR
connector Virtual-1
mode 640x480@60 preferred
plane primary
crtcs all
formats XRGB8888 : LINEAR
max-fb 4096x4096
`
	p, err := profile.Parse(strings.NewReader(src))
	require.NoError(t, err, "modifiers/sample reads linear YUYV")
	err = p.ValidateRender(hasReader)
	require.Error(t, err)
	var pe *profile.Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 4, pe.Line)
	assert.Equal(t, "render", pe.Field)
	assert.ErrorIs(t, err, profile.ErrInvalidProfile)
	assert.Contains(t, err.Error(), "no pixel reader for YUYV")
}
