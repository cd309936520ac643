package device

import (
	"context"
	"fmt"
	"syscall"

	"github.com/headwaywl/headway/kms/profile"
)

// SetSpriteColorkey is i915's DRM_IOCTL_I915_SET_SPRITE_COLORKEY on a plane
// whose profile says "colorkey i915", with intel_sprite_set_colorkey_ioctl's
// checks: the NONE flag is ignored, other unknown flags and DESTINATION
// together with SOURCE are EINVAL; the plane must be an overlay (ENOENT for
// id 0, a primary, a cursor or no plane); destination keying only on the
// first sprite of its pipe (EINVAL otherwise, the display-9+ rule). A device
// without the i915 interface answers EINVAL, as the kernel does for a
// driver ioctl the driver lacks. The key is then committed like the
// kernel's blocking commit: it flips at the next vblank and the call
// returns after the flip (EINTR when ctx ends first).
func (f *File) SetSpriteColorkey(ctx context.Context, planeID uint32, ck I915Colorkey) error {
	c, err := f.setColorkey(planeID, ck)
	return f.dev.waitBlocking(ctx, c, err)
}

// setColorkey is SetSpriteColorkey's locked part, as commitRequest is
// Commit's.
func (f *File) setColorkey(planeID uint32, ck I915Colorkey) (*commit, error) {
	if err := f.lock(); err != nil {
		return nil, err
	}
	defer f.unlock()
	d := f.dev
	has := false
	for _, p := range d.planes {
		has = has || p.prof.Colorkey == profile.ColorkeyI915
	}
	if !has {
		return nil, fmt.Errorf("set sprite colorkey: the device has no i915 colorkey interface: %w", syscall.EINVAL)
	}
	ck.Flags &^= I915ColorkeyNone
	if ck.Flags&^(I915ColorkeyDestination|I915ColorkeySource) != 0 {
		return nil, fmt.Errorf("set sprite colorkey: unknown flags %#x: %w", ck.Flags, syscall.EINVAL)
	}
	if ck.Flags == I915ColorkeyDestination|I915ColorkeySource {
		return nil, fmt.Errorf("set sprite colorkey: source and destination keying exclude each other: %w", syscall.EINVAL)
	}
	o, _ := d.lookup(planeID, ObjectPlane)
	p, _ := o.(*Plane)
	if p == nil || p.prof.Type != profile.Overlay || p.prof.Colorkey != profile.ColorkeyI915 {
		return nil, fmt.Errorf("set sprite colorkey: %d is not a sprite plane: %w", planeID, syscall.ENOENT)
	}
	if ck.Flags&I915ColorkeyDestination != 0 {
		for _, q := range d.planes {
			if q.prof.Type == profile.Overlay && q.prof.PossibleCRTCs&p.prof.PossibleCRTCs != 0 {
				if q != p {
					return nil, fmt.Errorf("set sprite colorkey: destination keying only on the first sprite of the pipe: %w", syscall.EINVAL)
				}
				break
			}
		}
	}
	st := d.statePool.Get().(*atomicState)
	st.reset()
	st.d, st.file, st.flags = d, f, 0
	st.plane(p.index).I915Colorkey = ck
	return d.internalCommitLocked(st), nil
}
