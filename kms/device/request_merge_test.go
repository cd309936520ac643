package device

import (
	"context"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/modifiers/fourcc"
)

// libdrm's drmModeAtomicCommit sorts the request by object, property and
// cursor (sort_req_list) and, of a property set more than once, sends only
// the last set; sets of the same property on different objects, and of
// different properties on one object, all reach the kernel.
func TestRequestLaterSetWinsPerObjectAndProperty(t *testing.T) {
	r := newRig(t, "vkms")
	r.modeset()
	var ov *Plane
	for _, p := range r.d.planes {
		if p != r.prim && p != r.crtc.cursor && p.prof.PossibleCRTCs&1 != 0 {
			ov = p
			break
		}
	}
	require.NotNil(t, ov, "vkms has overlay planes on CRTC 0")
	fb := r.fb(64, 64, fourcc.ARGB8888)
	var on Request
	r.planeProps(&on, ov, r.crtc, fb, 0, 0, 64, 64)
	require.NoError(t, r.f.Commit(context.Background(), &on, AtomicNonblock, 0))
	r.clk.Advance()
	r.requireIdle()

	xID, yID := ov.PropertyID("CRTC_X"), ov.PropertyID("CRTC_Y")
	var req Request
	// Added out of order and twice, on two objects that share property ids.
	req.Add(ov.id, xID, 30)
	req.Add(r.prim.id, xID, 0)
	req.Add(ov.id, yID, 40)
	req.Add(ov.id, xID, 10) // the later set of (overlay, CRTC_X) wins
	req.Add(ov.id, yID, 20)
	require.NoError(t, r.f.Commit(context.Background(), &req, AtomicNonblock, 0))
	r.clk.Advance()
	r.requireIdle()

	st := r.d.PlaneState(ov)
	assert.Equal(t, int32(10), st.CRTCX, "last CRTC_X of the overlay")
	assert.Equal(t, int32(20), st.CRTCY, "last CRTC_Y of the overlay")
	assert.Equal(t, int32(0), r.d.PlaneState(r.prim).CRTCX, "the primary's own set still applies")
	assert.Equal(t, 5, req.Cursor(), "the request itself is not modified")
}

// The kernel applies a request object by object in the order libdrm sent
// it, ascending ids, and property by property likewise, so of two bad sets
// the one with the lower (object, property) fails the commit: an invalid
// value is EINVAL (drm_property_change_valid_get), an unknown object or
// property ENOENT (drm_mode_object_find, drm_mode_obj_find_prop_id).
func TestRequestErrorsInAscendingOrder(t *testing.T) {
	r := newRig(t, "vkms")
	r.modeset()
	const missing = 0xfffff0 // neither an object nor a property id
	rot := r.prim.PropertyID("rotation")
	require.NotZero(t, rot)
	active := r.crtc.PropertyID("ACTIVE")
	require.Less(t, active, rot, "the CRTC's ACTIVE is created before the planes' rotation")
	cases := []struct {
		name string
		add  func(req *Request)
		want syscall.Errno
	}{
		{"bad value on the lower object, then an unknown object", func(req *Request) {
			req.Add(missing, rot, 1)
			req.Add(r.prim.id, rot, 1<<31) // no such rotation bit
		}, syscall.EINVAL},
		{"bad value at the lower property, then an unknown property", func(req *Request) {
			req.Add(r.prim.id, missing, 0)
			req.Add(r.prim.id, rot, 1<<31)
		}, syscall.EINVAL},
		{"unknown property below a bad value", func(req *Request) {
			req.Add(r.prim.id, rot, 1<<31)
			req.Add(r.prim.id, active, 0) // a property, but not a plane's
		}, syscall.ENOENT},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var req Request
			tc.add(&req)
			err := r.f.Commit(context.Background(), &req, AtomicTestOnly, 0)
			require.ErrorIs(t, err, tc.want)
		})
	}
}
