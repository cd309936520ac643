package device

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/profile"
)

// Every plane's IN_FORMATS property, read the way userspace reads it
// (object properties, then the blob), decodes back into exactly the
// profile's format and modifier lists.
func TestInFormatsBlobPerProfile(t *testing.T) {
	for _, name := range profile.Names() {
		t.Run(name, func(t *testing.T) {
			r := newRig(t, name)
			for _, p := range r.d.Planes() {
				props, err := r.f.ObjectProperties(p.ID(), ObjectPlane)
				require.NoError(t, err)
				var blobID uint64
				for _, pv := range props {
					if pv.Prop.Name() == "IN_FORMATS" {
						blobID = pv.Value
						assert.True(t, pv.Prop.Immutable())
					}
				}
				require.NotZero(t, blobID, "plane %d has no IN_FORMATS", p.ID())
				data, err := r.d.Blob(uint32(blobID))
				require.NoError(t, err)
				got, err := profile.DecodeInFormats(data)
				require.NoError(t, err)
				assert.Equal(t, p.Profile().Formats, got, "plane %d", p.ID())
			}
		})
	}
}

func TestIDsAreDeterministic(t *testing.T) {
	a, b := newRig(t, "intel-like"), newRig(t, "intel-like")
	for i, p := range a.d.Planes() {
		assert.Equal(t, p.ID(), b.d.Planes()[i].ID())
		assert.Equal(t, p.PropertyID("zpos"), b.d.Planes()[i].PropertyID("zpos"))
	}
	for i, c := range a.d.CRTCs() {
		assert.Equal(t, c.ID(), b.d.CRTCs()[i].ID())
	}
}
