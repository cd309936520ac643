package device

import (
	"context"
	"errors"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/modifiers/fourcc"
)

// propValue reads one property of a plane through ObjectProperties, the
// path a client's drmModeObjectGetProperties takes.
func propValue(t *testing.T, r *rig, p *Plane, name string) (uint64, bool) {
	t.Helper()
	props, err := r.f.ObjectProperties(p.ID(), ObjectPlane)
	require.NoError(t, err)
	for _, pv := range props {
		if pv.Prop.name == name {
			return pv.Value, true
		}
	}
	return 0, false
}

// TestRcarGen3ColorkeyProperties checks which planes carry colorkey and
// colorkey_alpha: every rcar-like plane has both (rcar-gen3), vkms has
// neither, and their defaults are 0 (keying off, keyed pixels vanish).
func TestRcarGen3ColorkeyProperties(t *testing.T) {
	r := newRig(t, "rcar-like")
	require.Len(t, r.d.planes, 5)
	for _, p := range r.d.planes {
		for _, name := range []string{"colorkey", "colorkey_alpha"} {
			v, ok := propValue(t, r, p, name)
			assert.True(t, ok, "plane %d %s", p.ID(), name)
			assert.Zero(t, v, "plane %d %s", p.ID(), name)
			assert.NotZero(t, p.PropertyID(name), "plane %d %s", p.ID(), name)
		}
	}
	v := newRig(t, "vkms")
	for _, p := range v.d.planes {
		_, ok := propValue(t, v, p, "colorkey_alpha")
		assert.False(t, ok, "vkms plane %d", p.ID())
		_, ok = propValue(t, v, p, "colorkey")
		assert.False(t, ok, "vkms plane %d", p.ID())
	}
}

// TestRcarGen3ColorkeyCommit sets both properties on an overlay in a
// commit and reads them back from the property query, the scanout state
// and the frame handed to the composer.
func TestRcarGen3ColorkeyCommit(t *testing.T) {
	r := newRig(t, "rcar-like")
	r.modeset()
	ov := r.d.planes[1]
	fb := r.fb(64, 64, fourcc.ARGB8888)
	var req Request
	r.planeProps(&req, ov, r.crtc, fb, 10, 20, 64, 64)
	const key = 1<<24 | 0x00ff00
	req.Add(ov.id, ov.PropertyID("colorkey"), key)
	req.Add(ov.id, ov.PropertyID("colorkey_alpha"), 0x80)
	req.Add(r.prim.id, r.prim.PropertyID("colorkey_alpha"), 255)
	require.NoError(t, r.f.Commit(context.Background(), &req, AtomicNonblock, 0))
	r.clk.Advance()
	r.requireIdle()

	v, _ := propValue(t, r, ov, "colorkey")
	assert.Equal(t, uint64(key), v)
	v, _ = propValue(t, r, ov, "colorkey_alpha")
	assert.Equal(t, uint64(0x80), v)
	v, _ = propValue(t, r, r.prim, "colorkey_alpha")
	assert.Equal(t, uint64(255), v)
	st := r.d.ScanoutPlaneState(ov)
	assert.Equal(t, uint32(key), st.Colorkey)
	assert.Equal(t, uint8(0x80), st.ColorkeyAlpha)

	r.d.mu.Lock()
	r.d.buildFrameLocked(r.crtc, 1, 0)
	planes := append([]FramePlane(nil), r.crtc.frame.Planes...)
	r.d.mu.Unlock()
	require.Len(t, planes, 2)
	assert.Equal(t, r.prim.id, planes[0].ID)
	assert.Equal(t, uint8(255), planes[0].ColorkeyAlpha)
	assert.Zero(t, planes[0].Colorkey)
	assert.Equal(t, ov.id, planes[1].ID)
	assert.Equal(t, uint32(key), planes[1].Colorkey)
	assert.Equal(t, uint8(0x80), planes[1].ColorkeyAlpha)
}

// TestRcarGen3ColorkeyRange: values outside the properties' ranges are
// EINVAL at drm_property_change_valid_get, and change nothing.
func TestRcarGen3ColorkeyRange(t *testing.T) {
	r := newRig(t, "rcar-like")
	r.modeset()
	ov := r.d.planes[1]
	for _, tc := range []struct {
		prop string
		val  uint64
		ok   bool
	}{
		{"colorkey_alpha", 255, true},
		{"colorkey_alpha", 256, false},
		{"colorkey_alpha", 1 << 40, false},
		{"colorkey", 0x01ffffff, true},
		{"colorkey", 0x02000000, false},
	} {
		var req Request
		req.Add(ov.id, ov.PropertyID(tc.prop), tc.val)
		err := r.f.Commit(context.Background(), &req, AtomicTestOnly, 0)
		if tc.ok {
			assert.NoError(t, err, "%s=%#x", tc.prop, tc.val)
			continue
		}
		require.Error(t, err, "%s=%#x", tc.prop, tc.val)
		assert.True(t, errors.Is(err, syscall.EINVAL), "%s=%#x: %v", tc.prop, tc.val, err)
	}
	assert.Zero(t, r.d.ScanoutPlaneState(ov).ColorkeyAlpha, "a TEST_ONLY or failed commit changes nothing")
}
