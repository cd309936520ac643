package device

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// drm_mode_object_get_properties skips DRM_MODE_PROP_ATOMIC properties for
// a file without DRM_CLIENT_CAP_ATOMIC: a legacy client sees a CRTC without
// ACTIVE and MODE_ID and a plane without CRTC_X or FB_ID, and an atomic
// client sees them all.
func TestAtomicPropertiesHiddenFromLegacyFiles(t *testing.T) {
	r := newRig(t, "vkms")
	legacy := r.d.Open()
	t.Cleanup(func() { legacy.Close() })

	names := func(f *File, id uint32, typ ObjectType) map[string]bool {
		props, err := f.ObjectProperties(id, typ)
		require.NoError(t, err)
		out := map[string]bool{}
		for _, pv := range props {
			out[pv.Prop.Name()] = true
		}
		return out
	}
	for _, tc := range []struct {
		id     uint32
		typ    ObjectType
		atomic []string
		legacy []string
	}{
		{r.crtc.id, ObjectCRTC, []string{"ACTIVE", "MODE_ID"}, nil},
		{r.prim.id, ObjectPlane, []string{"FB_ID", "CRTC_ID", "CRTC_X", "SRC_W"}, []string{"type"}},
		{r.conn.id, ObjectConnector, []string{"CRTC_ID"}, []string{"DPMS"}},
	} {
		a, l := names(r.f, tc.id, tc.typ), names(legacy, tc.id, tc.typ)
		for _, n := range tc.atomic {
			assert.True(t, a[n], "atomic file sees %s", n)
			assert.False(t, l[n], "legacy file does not see %s", n)
		}
		for _, n := range tc.legacy {
			assert.True(t, a[n], "atomic file sees %s", n)
			assert.True(t, l[n], "legacy file sees %s", n)
		}
	}
}
