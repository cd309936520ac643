package device

// Rules that must hold on every pipe of a two-pipe device (intel-like),
// not only on the first: the nonblocking stall check and i915's
// destination colorkey rule.

import (
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
)

// drm_atomic_helper_setup_commit's stall check runs over every CRTC of the
// request: a nonblocking commit touching both CRTCs is EBUSY while CRTC 1
// has a commit that has not flipped, even though CRTC 0 is idle.
func TestAtomicNonblockBusyOnSecondCRTC(t *testing.T) {
	r, ps := twoPipes(t)
	var pending Request
	r.planeProps(&pending, ps[1].prim, ps[1].crtc, r.fb(ps[1].w, ps[1].h, fourcc.XRGB8888), 0, 0, ps[1].w, ps[1].h)
	require.NoError(t, r.f.Commit(ctxT(t), &pending, AtomicNonblock, 0))

	var both Request
	for _, p := range ps {
		r.planeProps(&both, p.prim, p.crtc, r.fb(p.w, p.h, fourcc.XRGB8888), 0, 0, p.w, p.h)
	}
	before := kaSnap(r)
	kaFail(t, r, before, r.f.Commit(ctxT(t), &both, AtomicNonblock, 0), syscall.EBUSY)
	r.clk.Advance()
	r.requireIdle()
	require.NoError(t, r.f.Commit(ctxT(t), &both, AtomicNonblock, 0))
	r.clk.Advance()
	r.requireIdle()
}

// i915's sprite colorkey ioctl on display 9+: only the first sprite of a
// pipe (PLANE_SPRITE0) may do destination keying; the rule is per pipe, so
// the first sprite of pipe 1 may (intel-like's pipe 1 has one sprite), the
// second of pipe 0 may not.
func TestSpriteDestinationColorkeyPerPipe(t *testing.T) {
	r := newRig(t, "intel-like")
	for ci := range r.d.crtcs {
		var sprites []*Plane
		for _, p := range r.d.planes {
			if p.Type() == profile.Overlay && p.prof.PossibleCRTCs == 1<<ci {
				sprites = append(sprites, p)
			}
		}
		require.NotEmpty(t, sprites, "pipe %d", ci)
		dest := I915Colorkey{Min: 0x10, Max: 0x20, Mask: 0xffffff, Flags: I915ColorkeyDestination}
		// Neither sprite is on a CRTC, so the change takes effect at once.
		require.NoError(t, r.f.SetSpriteColorkey(ctxT(t), sprites[0].id, dest), "first sprite of pipe %d", ci)
		assert.Equal(t, dest, r.d.PlaneState(sprites[0]).I915Colorkey)
		for _, sp := range sprites[1:] {
			assert.ErrorIs(t, r.f.SetSpriteColorkey(ctxT(t), sp.id, dest), syscall.EINVAL, "later sprite of pipe %d", ci)
		}
	}
}
