// Package device is the fake KMS device: mode objects, properties, blobs,
// framebuffers and atomic commits that behave like an atomic DRM driver
// (VKMS is the model), including its errors, built from a kms/profile
// description and driven by a kms/vblank clock.
//
// # Objects and ids
//
// Every object (properties, blobs, planes, CRTCs, encoders, connectors,
// framebuffers) lives in one id space and takes the lowest free id, as the
// kernel's idr does; ids are assigned in a fixed order at New, so a profile
// always yields the same ids. Property, plane and CRTC values follow the
// uapi: DRM_MODE_OBJECT_*, DRM_MODE_PROP_* flags, the standard property
// names and types (FB_ID object, IN_FENCE_FD signed range -1..INT_MAX,
// CRTC_X signed range, SRC_* 16.16 ranges, "rotation" bitmask whose enum
// values are bit indices, immutable "type", IN_FORMATS and zpos where the
// profile says so). Each connector has its own virtual encoder able to
// drive every CRTC. A writeback connector (WRITEBACK_PIXEL_FORMATS,
// WRITEBACK_FB_ID, WRITEBACK_OUT_FENCE_PTR) exists when the profile has
// one and is visible only to files with DRM_CLIENT_CAP_WRITEBACK_CONNECTORS.
//
// # Files
//
// A File is an open DRM file plus the parts of a process the uapi reaches
// into: a descriptor table (sync_files for IN_FENCE_FD and the out-fences,
// numbered from 4, the DRM file itself being 3) and a simulated address
// space (kms/uaccess) for OUT_FENCE_PTR and the raw atomic ioctl, so that
// EFAULT happens exactly where the kernel's get_user/put_user fail.
// Framebuffers and user blobs belong to their file and go away with it.
//
// # Atomic commits
//
// Commit (a libdrm-style Request) and AtomicIoctl (struct drm_mode_atomic
// in user memory) share one path, drm_mode_atomic_ioctl's:
//
//  1. flag checks (no atomic cap, unknown flags, reserved != 0, async flips,
//     TEST_ONLY with PAGE_FLIP_EVENT: EINVAL);
//  2. per object: ENOENT unless it is a CRTC, plane or connector; per
//     property: ENOENT unless attached to the object, EINVAL unless
//     drm_property_change_valid_get accepts the value (immutable, out of
//     range, unknown enum or bitmask bits, missing blob or object), then the
//     property's own rule (IN_FENCE_FD not a sync_file or set twice,
//     rotation without exactly one rotation bit, a MODE_ID blob of the wrong
//     size or an invalid mode, GAMMA_LUT not whole entries: EINVAL;
//     OUT_FENCE_PTR not writable: EFAULT). Touching a plane or connector
//     adds the CRTC it is on.
//  3. prepare_signaling for real commits: page-flip events (ENOMEM once the
//     file's 4096-byte event space is used up) and out-fences, whose
//     descriptors are written through the pointers (EFAULT); PAGE_FLIP_EVENT
//     on a request without CRTC is EINVAL.
//  4. the check, in drm_atomic_check_only's order: plane checks (CRTC
//     without FB and FB without CRTC, possible_crtcs, format and modifier
//     via Plane.Supports: EINVAL; CRTC rectangle overflow: ERANGE; source
//     outside the framebuffer: ENOSPC; switching CRTC directly: EINVAL),
//     CRTC checks (active without mode; an event or out-fence on a CRTC that is off and
//     stays off: EINVAL), writeback checks (below), the modeset checks (enabled
//     CRTC without connector and the reverse, mode size limits: EINVAL),
//     per plane the profile's size limits (framebuffer, source and
//     destination: EINVAL) and then drm_atomic_helper_check_plane_state
//     (scaling outside the profile's limits: ERANGE; clipping to the mode;
//     VKMS's can_position and can_update_disabled), the GAMMA_LUT entry
//     count (at most GAMMA_LUT_SIZE or exactly it, as the profile's driver
//     checks: EINVAL), zpos normalisation (zpos, then plane id), and finally
//     EINVAL for a modeset without ALLOW_MODESET.
//  5. TEST_ONLY stops here: nothing changes, no fence or event is created.
//     A real commit that fails undoes step 3 (complete_signaling: -1 is
//     written back, descriptors and event space are released).
//  6. a NONBLOCK commit on a CRTC whose previous commit has not flipped is
//     EBUSY; otherwise the state is swapped at once (later commits are
//     checked against it) and the commit is queued.
//
// # Writeback
//
// As in the kernel, a writeback job exists only when the request sets
// WRITEBACK_FB_ID, even to 0 (drm_writeback_set_fb). WRITEBACK_OUT_FENCE_PTR
// gets -1 written when it is set (EFAULT if it cannot be) and a fence only
// for a real commit with a job (prepare_signaling); a pointer without a job
// is accepted and keeps -1. The check (drm_atomic_connector_check, VKMS's
// vkms_wb_atomic_check) refuses with EINVAL a job whose out-fence exists
// without a framebuffer (WRITEBACK_FB_ID 0 with the pointer, in a real
// commit only: TEST_ONLY creates no fence), a framebuffer without a CRTC or
// on a CRTC that is off, a format not in WRITEBACK_PIXEL_FORMATS and a size
// other than the mode's. WRITEBACK_FB_ID always reads back as 0.
//
// # Timing
//
// A commit issued during frame N (the clock's sequence is N) flips at
// vblank N+1 at the earliest: at the first vblank at which all its
// in-fences have signalled, every earlier commit on its CRTCs has flipped
// and no other flip happened on them at that vblank. An unsignalled
// in-fence therefore delays the whole commit, as on hardware. At the flip
// the scanout state changes, page-flip events (sequence and timestamp of
// that vblank) are queued on the file, and out-fences signal with the
// vblank's timestamp. Each CRTC's out-fences form a timeline of their own
// ("CRTC:<id>-<name>"), and so do the writeback connector's
// ("CONNECTOR:<id>-<name>"), as the kernel allocates one fence context
// per CRTC and per writeback connector. A blocking commit returns after its flip. A commit
// that touches no CRTC takes effect at once. Then, for every active CRTC
// with an open CRC reader, the frame that vblank starts is handed to the
// Composer and its CRC is added to the CRTC's ring tagged with the
// vblank's sequence, so a flip issued during frame N gives a CRC tagged
// N+1, the flip event's sequence, as IGT expects. Writeback jobs are
// composed at their flip and their fence signals after the frame.
//
// # Colorkey
//
// A plane whose profile says "colorkey rcar" or "colorkey rcar-gen3" has
// rcar-du's upstream "colorkey" range property (bit 24 enable, bits 23:0
// the RGB888 key). "rcar-gen3" planes also have "colorkey_alpha" (0..255,
// default 0), which is our extension, not upstream: it comes from the
// unmerged R-Car Gen3 patch "rcar-du, vsp1: rcar-gen3: Add support for
// colorkey alpha blending", as does comparing only Y (held in the key's G
// bits) on YUV formats. The device only stores and reports both values
// (PlaneState, FramePlane); the composer gives them meaning. "colorkey
// i915" planes take SetSpriteColorkey instead.
//
// Deviations, chosen for determinism: all CRTCs share one clock; a CRTC
// switched off flips at the next vblank like any other (the kernel
// completes it at once); framebuffer removal (RmFB, closing the file)
// disables the planes through an internal commit that flips at the next
// vblank rather than blocking.
//
// Locking: one device mutex guards all state; the vblank handler takes it,
// latches, and releases it before signalling fences and composing, so
// fence callbacks and composers may call back into the device. Every
// ioctl releases the lock on its way out even if it panics, so a bug in
// one call leaves the device usable rather than deadlocked.
//
// # Mutants that live
//
// Mutation testing leaves these changes alive because none can change
// what a client observes:
//
//   - Comparisons at a point where both sides give the same result:
//     calcScale's rounding branch (src > dst<<16 as >=) and
//     clipScaledLen's (src < dst<<16 as <=) at equality, where the
//     division is exact; clipScaledLen's clip > dst as >=; clipScaled's
//     diff > 0 as >= 0, since clipping nothing leaves both rectangles as
//     they were; normalizeZpos's za < zb as <=, inside za != zb.
//   - The writeback connector index of a CRTC out-fence (-1 as 1): it is
//     read only to find a writeback job's fence; a CRTC fence has signalled
//     at the flip before any composition, and a writeback fence of the
//     same commit is added later and wins.
//   - prepareSignaling returning early after a writeback out-fence (err !=
//     nil as ==): a profile has one writeback connector, so only the
//     page-flip-event-without-CRTC check is skipped, and the check then
//     refuses the same request with the same EINVAL. addOutFence's EFAULT
//     itself cannot happen: the pointer was written when the property was
//     set, within the same locked ioctl.
//   - The zero Scaling fallback in checkPlaneState (both negations): parsed
//     profiles always carry Min and Max (FixedOne when the profile says
//     nothing), so only a hand-built profile reaches it.
//   - Error-message arguments (the GAMMA_LUT entry count in the message).
//   - addObject's nfree = i+1 as i-1: slot i-1 is in use (every slot below
//     the lowest free one is), so the next search finds the same slot one
//     step later; only i == 1 would reach the unused id 0, and id 1 is the
//     "type" property, never freed. removeObject's id < nfree as <=: at
//     equality it stores the value already there.
//   - build's PossibleCRTCs/type tests for CRTC.cursor (Type == Cursor as
//     !=): nothing but tests reads CRTC.cursor (there is no legacy cursor
//     ioctl). The max_width/max_height scan's > as >= (it stores an equal
//     value). The WRITEBACK_PIXEL_FORMATS buffer's capacity (4*len as
//     4/len): a hint to append.
//   - buildFrame's insertion sort on Zpos (> as >=): normalized zpos is
//     unique among a CRTC's planes, so equal keys never meet.
//   - onVblank's c.seq < seq as <=: equality needs a commit made after the
//     clock's sequence moved but before that vblank's delivery took the
//     device lock, a race no test can order; the rule it keeps (a commit
//     flips at the next vblank at the earliest) is tested for every other
//     commit.
//   - composeFrame's logging of AddEntry errors other than ENOBUFS (err !=
//     EINVAL as ==): AddEntry returns only nil, EINVAL and ENOBUFS, and
//     EINVAL only when the reader closes between the vblank and the entry
//     (a race); either way only the log changes.
//   - CreateDumb's p > MaxUint32 as >=: such a pitch already fails the
//     size check (sz > 1<<31) with the same EINVAL. sz > 1<<31 as >= is
//     headway's own 2 GiB bound, not the kernel's; a test would have to
//     allocate 2 GiB.
//   - AddFB2's minPitch > MaxUint32 as >=: width is at most max_width, so
//     the minimum pitch is far below UINT_MAX and the check cannot fire.
//     len(l.Planes) > n as >= (n gets the same value). The non-linear
//     modifier rule for formats without a block size (== Linear as !=):
//     no profile plane takes such a format, so "no plane takes it" gives
//     the same EINVAL.
//   - The request sort's comparisons as <= (cmpItems): they sit inside
//     "a.obj != b.obj" and "a.prop != b.prop", where equality cannot occur.
package device
