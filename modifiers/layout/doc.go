// Package layout computes how a buffer of a DRM format and format modifier
// is laid out in memory, and judges layouts that clients hand to the
// compositor through zwp_linux_buffer_params_v1.
//
// Two questions need the same knowledge: a test client has to allocate a
// buffer the way a real driver would (Compute), and the compositor has to
// refuse a bad one the way the protocol and the kernel would, saying
// exactly which rule broke (Validate). Keeping both in one package, driven
// by one per-plane rule table, guarantees that every layout Compute
// produces is accepted by Validate.
//
// # Canonical layouts (Compute)
//
// All planes live in one object, in plane order, each at the first offset
// after the previous plane that satisfies its offset alignment. Sizes are
// computed in 64-bit arithmetic with overflow checks; any layout whose
// strides, offsets or offset + stride * rows would not fit the protocol's
// 32-bit fields fails with ErrOverflow instead of wrapping.
//
//   - LINEAR: one plane per format plane, stride = minimum pitch
//     (drm_format_info_min_pitch) rounded up to 64 bytes, rows = the plane's
//     (subsampled) height, planes at 64-byte aligned offsets. 64 is the
//     allocator's choice (i915's linear stride alignment, a cache line);
//     the validator accepts any stride >= the minimum pitch, as the kernel
//     does.
//   - Tiled (Intel X/Y/Yf/Tile4, NVIDIA block linear and Tegra tiles,
//     Samsung 64x32, Vivante tiled/super-tiled): the tile shape comes from
//     tiling.GeometryFor; stride = minimum pitch rounded up to the tile
//     width in bytes, rows rounded up to the tile height, plane size whole
//     tiles, offsets tile aligned. Samsung NV12MT also needs width % 128,
//     height % 32 and pitch % 128 for every plane, the chroma plane's
//     subsampled size included, as drm_framebuffer.c framebuffer_check
//     applies them: frames are therefore multiples of 256x64, and Compute
//     refuses any other size with Validate's error rather than laying out
//     a buffer the kernel's ADDFB2 would refuse.
//   - Intel CCS (i915 display/intel_fb.c): Y/Yf_TILED_CCS add a Y-tiled CCS
//     plane of one byte per 8x16 pixels (128-byte x 32-row tiles), RGB8888
//     only. GEN12 and MTL RC/MC CCS add one linear CCS plane per colour
//     plane, with stride DIV_ROUND_UP(main stride, 512) * 64 (exactly, as
//     i915 demands) and one row per 32 main rows, and need a main stride of
//     four tile widths (512 bytes); MC with NV12/P01x therefore has 4
//     planes (Y, UV, CCS-Y, CCS-UV). *_RC_CCS_CC adds a clear-colour plane
//     (32 meaningful bytes, 64 allocated, 64-byte aligned offset, stride
//     ignored). DG2, LNL and BMG keep the CCS outside the object: no aux
//     plane, DG2_RC_CCS_CC still carries the clear colour, BMG needs the
//     object size to be a multiple of 64 KiB.
//   - AMD: one plane, two with DCC, three with DCC_RETILE (main, displayable
//     DCC, pipe-aligned DCC); GFX12 always one. Main plane: stride a
//     multiple of the swizzle block width (64 KiB or 256 KiB blocks split
//     into a 2D shape by bytes per pixel), rows whole blocks. DCC planes
//     use a deliberately simple model (one byte per 256-byte block of the
//     main surface, page-rounded) because the real sizes come from addrlib
//     tables; the validator only requires each DCC plane to start inside
//     the object.
//   - ARM AFBC: one plane per format plane; size = a 16-byte header per
//     superblock (header area rounded to 1 KiB, 4 KiB with TILED) plus each
//     superblock's payload rounded to 128 bytes, with the frame rounded up
//     to whole superblocks (whole 8x8 or 4x4 superblock tiles with TILED).
//     The stride is reported as the aligned width in bytes but not checked.
//     Planes start at page-aligned offsets.
//   - Families whose sizes headway does not model (ARM AFRC and MISC,
//     Qualcomm, Broadcom, Allwinner, Amlogic, Samsung 16x16, Vivante split
//     tilings, tile status and DEC400, and the implicit modifier INVALID)
//     are validated permissively and Compute returns ErrNoCanonicalLayout.
//   - Anything else (unknown vendor, unknown or malformed value) is
//     ErrUnsupportedModifier: headway never guesses a layout.
//
// # Validation (Validate)
//
// The checks run in this order and the first failure is returned, so the
// same input always yields the same error:
//
//  1. The format description: 1 to 4 planes, subsampling at least 1
//     (InvalidFormat).
//  2. Width and height at least 1 (InvalidDimensions).
//  3. The modifier and its combination with the format: unknown or
//     malformed modifiers (InvalidFormat + ErrUnsupportedModifier), formats
//     the modifier does not take, e.g. NV12 with Y_TILED_CCS
//     (InvalidFormat); then multiples the modifier needs, e.g. NV12MT's
//     whole tiles in every plane (InvalidDimensions); then dimensions so large that even the tightest
//     layout does not fit in 32 bits (InvalidDimensions + ErrOverflow).
//  4. The plane count against the format and modifier (Incomplete, naming
//     both numbers).
//  5. For each plane in index order: offset + stride and offset + the bytes
//     the plane spans must not exceed UINT32_MAX (OutOfBounds +
//     ErrOverflow); the stride must be non-zero, at least the minimum
//     pitch, a multiple of the tile width, and equal to the i915 formula
//     for gen12 CCS planes (InvalidLayout); the offset must meet the
//     modifier's alignment, e.g. 4096 for every Intel tiled plane
//     (InvalidLayout); and when the object's size is known, offset <
//     size, offset + stride <= size and offset + stride * rows <= size
//     (OutOfBounds); for BMG CCS, the object size must be a multiple of
//     64 KiB (InvalidLayout).
//
// Not enforced, because they depend on the platform rather than the
// modifier: i915's tile-row alignment of the NV12 UV plane on display 12+,
// its 16 KiB/256 KiB/1 MiB surface alignments (intel_surf_alignment), its
// "plane 0 offset must be 0" and maximum strides, and the gen9 wide-surface
// stride workaround (Compute still applies the last one).
//
// Headway is stricter than the compositors surveyed (weston, wlroots,
// smithay, kwin), which check offset + stride * height against the object
// for plane 0 only: it checks every plane, using that plane's own rows
// (subsampled, and rounded up to whole tiles for tiled modifiers, since the
// last tile row occupies the memory whether or not it holds pixels). The
// same rows feed the 32-bit rule, which drm_framebuffer.c applies to the
// unrounded plane height. An object size of 0 means unknown and skips only the object-size checks.
//
// Invariants: Validate(info, m, w, h, Compute(info, m, w, h).ParamsPlanes())
// is nil whenever Compute succeeds; no input makes either function panic;
// every error is an *Error whose Kind matches one of the per-kind sentinels
// under errors.Is; Validate does not allocate when it succeeds.
//
// # Mutants that live
//
// Equivalent: comparisons of a multiple or an alignment against 1 where 1
// divides everything (strideMul, offsetAlign, the object alignment,
// alignUp's a <= 1); Display WA #0531 applied at exactly 3840 px, where a
// 32-bit-per-pixel stride is already four tiles; and a format of exactly
// fourcc.MaxPlanes planes, which no format has; AMD's cpp > 16 as >= 16
// (no format has 16-byte pixels).
package layout
