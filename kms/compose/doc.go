// Package compose is the fake KMS device's composer: it turns a
// device.Frame (the planes a CRTC scans out) into the frame's pixels, its
// CRC, a writeback framebuffer's contents and PNG images. It implements
// device.Composer. Render composes client buffers with the same
// arithmetic, for the compositor.
//
// Users compare frames by CRC, as IGT does: configurations that must look
// the same have to give the same CRC bit for bit, and two runs must agree
// on every CRC. So the arithmetic is defined here exactly, and every fast
// path gives the same bits as the plain formula.
//
// # The arithmetic
//
// Pixels are converted by kms/pixfmt into VKMS's intermediate pixel,
// pixel_argb_u16: four 16-bit channels (8-bit values times 257; RGB565,
// 10-bit, 16-bit, half-float and YUV as that package's doc says).
//
// The output row starts as opaque black (A = 0xffff, R = G = B = 0), and
// its alpha stays 0xffff. Planes blend in normalized zpos order. With
// r(x) = DIV_ROUND_CLOSEST(x, 0xffff), pa the plane alpha, fa the pixel
// alpha (0xffff for X formats), c a colour channel and bg the channel
// below, each product of two 16-bit quantities is rounded once:
//
//	Pre-multiplied: a = r(pa·fa), s = r(pa·c), out = s + r(bg·(0xffff−a))
//	Coverage:       a = r(pa·fa), s = r(a·c),  out = s + r(bg·(0xffff−a))
//	None:           s = r(pa·c),               out = s + r(bg·(0xffff−pa))
//
// Pre-multiplied data whose colour exceeds its alpha is invalid, and the
// sum can pass 0xffff. What it becomes depends on who composes:
//
//   - Frames of the vkms profile (device.Frame.Profile, VKMSProfile) take
//     VKMS's pre_mul_blend_channel to the bit, overflow included, so their
//     CRCs are VKMS's for every input: per channel, in u32 arithmetic
//     that wraps at 2^32, x = s·0xffff + bg·(0xffff−a), then
//     (x + 0x7fff) / 0xffff, of which the low 16 bits are kept. 0xffff at
//     alpha 0 over 0xffff gives 65533; over 1 it gives 0. VKMS has no
//     plane alpha, so pa is always 0xffff there and s and a are the
//     pixel's own. For valid data nothing wraps and x rounds to
//     s + r(bg·(0xffff−a)), the equation above.
//   - Every other profile, and Render (which plays a GPU, whatever the
//     device), saturate the sum at 0xffff.
//
// With pa = 0xffff,
// r(0xffff·v) = v, which is what makes the fast paths exact: an opaque
// pixel is a copy, a pixel with a = 0 and colour 0 leaves the background,
// and a plane of an X format at full plane alpha is read straight into
// the output row.
//
// Writeback stores the composed rows through kms/pixfmt's writers, which
// round to nearest as VKMS's 8-bit writers do (DIV_ROUND_CLOSEST(v, 257))
// and copy 16-bit channels. RGB565 is the exception on a vkms frame:
// VKMS's argb_u16_to_RGB565 truncates, drm_fixp2int(drm_fixp_div(v,
// 65535/31 or 65535/63)) (vkms_formats.c, torvalds/linux
// 0c86b42439b6c11d758b3392a21117934fef00c1), so 0x0842, what its reader
// makes of 5-bit 1, is written back as 0. A vkms frame's RGB565
// writeback follows it (checked against testdata/vkmslut); other
// profiles and Render keep the rounding.
//
// # Geometry
//
// A plane's Dst (CRTC pixels) shows its Src (16.16 framebuffer
// coordinates, both already clipped by the device's atomic check). Each
// destination pixel samples the framebuffer pixel under its centre:
// centre u+1/2 maps to (u+1/2)·srcW/dstW in the rotated source, and
// drm_rect_rotate_inv's rotation and reflection take it back into the
// framebuffer. That is nearest scaling; without scaling and with whole
// source coordinates it is VKMS's pixel-for-pixel read in the direction
// its direction_for_rotation picks. VKMS truncates a fractional source
// origin instead, so the two differ only for sub-pixel SRC_X/SRC_Y.
//
// The cursor tests (TestCursorCRC) are IGT's kms_cursor_crc through a
// device on every profile with a cursor plane, at each of IGT's sizes up
// to DRM_CAP_CURSOR_WIDTH x HEIGHT that the plane takes. Every cursor
// position, on screen, hanging off an edge or entirely off it out to the
// ends of int, is an atomic commit, so the device's check clips the
// plane; the frame's CRC must equal that of the same cursor drawn by the
// test into the primary and shown with the cursor plane off. A cursor
// off screen gives the frame without it, and one whose right or bottom
// edge passes INT_MAX is ERANGE.
//
// # Colorkey
//
// A plane's pixels are keyed after conversion and before blending. A
// matched pixel takes alpha k and its colour is pre-multiplied by k
// (c' = r(k·c)), so k = 0 is fully transparent, not additive; it is then
// blended with the pre-multiplied equation whatever the plane's blend
// mode. The spec leaves the mode open; pre-multiplied is the only one in
// which (k, r(k·c)) is the keyed pixel itself: None would ignore k and
// Coverage would apply it twice.
//
//   - R-Car ("colorkey" property, upstream rcar-du): bit 24 enables, bits
//     23:0 are an RGB888 key, k = 0. The match is exact after truncating
//     the key to the format's channel depth (RGB565 compares the top 5, 6
//     and 5 bits of the key's bytes, as rcar_du_plane_setup_mode programs
//     it); for channels deeper than 8 bits the top 8 bits of the 16-bit
//     value are compared. YUV formats are never keyed, as upstream.
//   - R-Car Gen3 extension (ours, from the unmerged patch "rcar-du, vsp1:
//     rcar-gen3: Add support for colorkey alpha blending"): k =
//     colorkey_alpha·257, and YUV formats compare the Y sample (its top 8
//     bits) with the key's G byte.
//   - i915 (the sprite colorkey ioctl): source keying on RGB compares
//     (pixel & mask) == (min & mask) on 0x00RRGGBB built from the top 8
//     bits of each channel, k = 0; on YUV, min <= (sample & mask) <= max
//     per channel on 0x00VVYYUU (Cr, Y, Cb). Destination keying makes the
//     plane show only where the composed result below matches min under
//     mask. Mask bits mean "compare this bit"; the register polarity is
//     an assumption the reference also flags. In the YUV range test min
//     and max are used as given, not masked. Source and destination
//     never meet on one plane: the device refuses both flags (EINVAL).
//
// # Gamma and CRC
//
// The CRTC's GAMMA_LUT applies to each composed row as VKMS's
// apply_lut_to_channel_value computes it, bit for bit: in drm_fixed.h's
// signed 32.32 fixed point, with n the number of entries,
//
//	ratio = drm_fixp_div(drm_int2fixp(n−1), drm_int2fixp(0xffff))
//	index = drm_fixp_mul(drm_int2fixp(v), ratio)
//	lo = drm_fixp2int(index), hi = drm_fixp2int_ceil(index), or lo for
//	     the last entry
//	out = drm_fixp2int_round(a + drm_fixp_mul(b − a, index & 0xffffffff))
//
// with a and b entries lo and hi in 32.32. drm_fixp_div and drm_fixp_mul
// pre-shift their operands by the positions of their top bits
// (drm_fixp_msbset), so the ratio is truncated (0xff00ff for 256
// entries) and products lose low bits; drm_fixp2int_round adds one half
// (DRM_FIXED_ONE/2) and floors. That is not the exact interpolation: a
// 2-entry LUT 0x0123 -> 0xfedc gives 0x124 at 1, where the exact value
// floored is 0x123. Each channel's 65536 results are computed once per
// LUT into a table, so the row pays three loads a pixel. The device only
// accepts a LUT of the profile's size (GAMMA_LUT_SIZE; VKMS_LUT_SIZE is
// 256); for a frame built by hand, a blob without one whole entry is
// ignored, as VKMS skips a LUT of length 0, and a single entry maps every
// value to that entry, as VKMS's zero ratio does.
//
// Sources, torvalds/linux unless named: include/drm/drm_fixed.h at
// a23e1966932464e1c5226cb9ac4ce1d5fc10ba22 (drm_fixp2int_round adding
// DRM_FIXED_ONE/2; earlier kernels added 1<<15, which the KUnit lerp
// cases reject); drivers/gpu/drm/vkms/tests/vkms_color_test.c at
// f03bf05c2061e66fe156d5cf80765bd863dcb122, whose get_lut_index and
// lerp_u16 cases the tests repeat; drivers/gpu/drm/vkms/vkms_composer.c
// as of Kingxukai/linux 9b44fff655e2c6f4cc53cb499dd2c038e99cb013 and
// ckborah/drm-tip-experiments 10cae927a07e5c4beb86ca6dd1d3994961b6b450,
// which agree on every line of the LUT code (the searchable copy of
// torvalds/linux, 4caa1affc00c98af8cd9f2de70991fc7172797b0, predates
// it). testdata/vkmslut holds a C transcription of these functions and
// the digests it prints for LUTs of 1 to 4096 entries; every table entry
// is checked against them.
//
// The CRC is the kernel's crc32_le (reflected 0xEDB88320, seed 0, no final
// inversion), chained over every row of the frame after the gamma LUT,
// each pixel 8 bytes: A, R, G, B as little-endian u16. In Go that is
// ^crc32.Update(^c, crc32.IEEETable, row). A per-plane source
// ("plane<ID>") hashes the plane's converted pixels over its destination
// rectangle instead, after rotation and scaling and before keying and
// blending; a plane that is not shown hashes nothing (CRC 0).
//
// # Rendering client buffers
//
// The compositor draws its clients' buffers (wl_shm memory, single-pixel
// buffers, cursors, formats no plane takes) into the primary plane's
// framebuffer. If it blended them by other rules, a test could not tell a
// client drawn by the compositor from the same buffer on its own plane,
// and CRCs would stop being comparable. So Render takes any readable
// buffer (a Source) placed by a Layer and composes it exactly as Compose
// composes a plane: both build the same per-layer jobs and run the same
// rows, and Render's CRC is the one Compose gives for the same planes.
// The device-only features, colorkeys and the gamma LUT, have no place in
// a Layer.
//
// A layer's Dst may hang off the target or miss it entirely. It is
// clipped the way the device's atomic check clips a plane (the shared
// device.ClipPlane, drm_rect_clip_scaled in the rotated source space), so
// a client window half off the screen shows the same pixels as that
// window on a plane half off the CRTC. Sampling then follows the clipped
// rectangles as for any plane.
//
// A layer whose memory faults (a client truncating its memfd under the
// mapping) fails the render with a *LayerError naming it and wrapping
// EFAULT: the caller can blame that client and render again without it.
// Workers record which layer they are reading before they read it, so the
// blame is exact whichever worker faults. An invalid layer or source
// (Src outside the buffer, a stride too small for its rows) is a
// *LayerError wrapping EINVAL, found before anything is read. A fault on
// the target is a plain error: it is not a layer's fault.
//
// # Speed
//
// Rows are split into bands of 8 that the workers take in turn; each band
// is hashed from seed 0 and the band CRCs are combined in order with the
// GF(2) shift x^(8·len) mod P (crcCombine), which hash/crc32 lacks. Tiled
// buffers are read back to linear planes once per frame (in parallel)
// through modifiers/sample; Intel CCS buffers must have clear CCS. The
// read-back state is cached by the buffer's memory and layout rather than
// by the object describing it, because a compositor describes the same
// client buffer afresh every frame. Scratch rows are reused, so a steady
// frame allocates only the goroutines it starts. The fast paths (an
// opaque X-format plane read straight into the output row, the fused
// ARGB8888 pre-multiplied blend, two channels per multiply in 32-bit
// lanes, 16-bit targets stored by moving lanes) are held to the plain
// equations and to pixfmt's writers by the tests and by a per-pixel
// oracle on random stacks. The lanes hold the valid sum; a lane past
// 0xffff, which only invalid data reaches, sends the pixel to a plain
// per-channel path that saturates or wraps as the frame's profile asks.
// Blending and hashing use a pixel's memory as one little-endian word;
// on a big-endian machine Compose returns ENOSYS rather than wrong CRCs.
//
// # Faults
//
// Workers read client memory with debug.SetPanicOnFault: a memfd
// truncated under its mapping becomes an error wrapping EFAULT, and any
// other panic while composing is returned as an error too, so nothing
// reaches the device's vblank goroutine. Compose's error names the plane
// ("plane <ID>") and wraps a *LayerError indexing the frame's planes, as
// Render's does its layers.
//
// # Mutants that live
//
// gremlins' mutants that no test kills, and why none can change a pixel,
// a CRC or an error a caller sees:
//
//   - Loops over memory planes and detile bands run to <= instead of <:
//     the extra plane has no memory and the extra band no rows, unless a
//     format had four memory planes, and none that pixfmt reads has.
//   - Bounds hints: the row slices the fused ARGB8888 path takes, which
//     only let the compiler drop checks (each pixel is resliced with a
//     capacity).
//   - lutSpan's guard for the last entry: the index lands on the last
//     entry only as a whole number, whose ceiling is the entry itself.
//   - The job run returns with a nil error, the job image passes for the
//     writeback buffer (always LINEAR, so no detile task is blamed), and
//     a worker's -1 at the start of a loop (every task sets its own job
//     before touching client memory).
//   - Checks a later one repeats: a source plane's negative stride and its
//     offset or stride of exactly 2^32-1 are EINVAL here with <= or >=,
//     and EINVAL in layout.Validate too.
//   - Spawning a worker more than needed (worker count < against <=), and
//     grow's spare capacity.
//   - fillAxis's clamp to the framebuffer: the exact fraction it floors
//     never leaves the source rectangle, which the device keeps inside
//     the framebuffer, so the clamp is a guard that never acts.
//   - A colour key on an 8-bit channel compared by its top byte (the
//     deeper-channel rule) or by its whole 16-bit value: 8-bit values are
//     byte times 257, so the two agree.
package compose
