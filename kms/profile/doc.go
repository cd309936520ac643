// Package profile describes the fake KMS device's hardware: which
// connectors, CRTCs and planes it has, which formats and modifiers each
// plane scans out, and which plane properties and limits it advertises. The
// built-in profiles (vkms, intel-like, nvidia-like, exynos-like, rcar-like)
// are data
// files embedded from profiles/*.profile, so adding a device is editing
// text, not code; users load their own with Parse.
//
// # Colorkey kinds, and which parts are upstream
//
// "colorkey rcar" is the rcar-du "colorkey" range property as merged
// upstream: 0..0x01ffffff, bit 24 the enable, bits 23:0 an RGB888 key that
// matched pixels make transparent. "colorkey rcar-gen3" adds things that
// are NOT upstream: they are our extension, taken from the unmerged R-Car
// Gen3 patch "rcar-du, vsp1: rcar-gen3: Add support for colorkey alpha
// blending", because the reference-CRC colorkey equalities need a key
// alpha other than 0. The extension is a "colorkey_alpha" range property
// 0..255 (default 0), the alpha a matched pixel takes, and, on YUV formats,
// comparing only Y, which the key holds in its G bits (bits 15:8). The
// "colorkey" property itself stays exactly the upstream one, so a client
// written for rcar-du works unchanged on either kind. "colorkey i915" is
// the i915 sprite colorkey ioctl.
//
// # Why a line format of our own
//
// Profiles are written and reviewed by people. JSON has no comments, and
// the comments are where a profile says which driver source it copies;
// the standard library has no YAML or TOML. So a profile is lines of
// "key arguments...", '#' starting a comment line, parsed by a strict
// parser: unknown keys, keys in the wrong section, repeated keys, bad
// values and impossible combinations are errors naming the file, the line
// and the field ("plane 2 zpos"). Top-level keys (name, description,
// crtc-count, gamma-lut-size, cursor-max, writeback, render) come first; then
// "connector NAME" sections with "mode WxH@HZ [preferred]" lines, and
// "plane primary|overlay|cursor" sections with crtcs, count, formats
// ("formats F... : M..." adds every pair; repeat the line for other
// combinations), zpos, rotation, scaling, max-fb, max-src, max-dst, blend,
// alpha, color-encoding, color-range and colorkey. "gamma-lut-size N" may
// end in "exact" (the default: a GAMMA_LUT blob has N entries, as i915
// and rcar-du check) or "at-most" (1 to N entries, as VKMS checks). Names are the ones
// people know: formats and modifiers as modifiers/fourcc and
// modifiers/modifier parse them (libdrm names, macro names, hex), rotation
// as the DRM_MODE_ macro suffixes, blend modes as the kernel's enum names.
//
// # Invariants and how they follow the kernel
//
//   - A plane and the render set list only (format, modifier) pairs
//     composition can read:
//     CanSample asks modifiers/sample.Open to open a canonically laid out
//     (modifiers/layout.Compute) probe buffer, because modifiers/sample has
//     no separate query; anything Open refuses (compressed families other
//     than Intel CCS, tilings modifiers/tiling lacks, pairs layout rejects
//     such as CCS on NV12) is refused at load. That is also why a CCS
//     buffer can be imported but shown only on a plane that lists CCS.
//   - At most 64 formats per plane and 32 planes and CRTCs: the kernel's
//     plane init refuses more, since IN_FORMATS bitmasks and possible_crtcs
//     masks are 64 and 32 bits wide.
//   - Property sets obey their kernel constructors: rotation includes
//     ROTATE_0 (drm_plane_create_rotation_property), blend modes include
//     Pre-multiplied (drm_plane_create_blend_mode_property), an immutable
//     zpos has min = max = value (drm_plane_create_zpos_immutable_property),
//     colour properties come with a default inside their set, and every
//     CRTC has a primary plane. Enum values and bits are the kernel's.
//   - A plane's modifier order is first use in the file, and each format's
//     modifiers are kept in that order: this is the order of IN_FORMATS
//     entries, so a plane's blob decodes back into exactly its Formats.
//   - Scale factors are 16.16 source/destination ratios with the meaning
//     drm_atomic_helper_check_plane_state gives min_scale and max_scale.
//
// # Render sets
//
// "render F... : M..." lines, repeatable, with the syntax of a plane's
// formats lines, give Profile.Render: the pairs the device's simulated GPU
// samples, which a compositor on the device advertises as its default
// linux-dmabuf feedback. Order is the file's, formats by first use and
// each format's modifiers as written, because the feedback's order is
// preference; a pair named twice is an error. A profile without render
// lines has a nil Render and the compositor falls back to its own choice.
// The loader refuses any pair CanSample refuses, as for planes. Whether
// composition has a pixel reader for each format is kms/pixfmt's to say,
// and kms/pixfmt imports this package, so that half is ValidateRender,
// which takes the reader check as an argument: a compositor calls it with
// pixfmt's before advertising the set, and a test does the same for every
// built-in profile.
//
// The built-in sets follow each vendor's GPU: LINEAR for every format,
// plus the vendor's own modifiers where its GPU samples them.
//
//	profile      formats                                  modifiers
//	intel-like   XRGB8888 ARGB8888 XBGR8888 ABGR8888      LINEAR X_TILED Y_TILED Yf_TILED 4_TILED
//	                                                      Y_TILED_CCS Yf_TILED_CCS Y_TILED_GEN12_RC_CCS
//	                                                      Y_TILED_GEN12_RC_CCS_CC* 4_TILED_MTL_RC_CCS*
//	                                                      4_TILED_MTL_RC_CCS_CC*
//	             RGB565 XRGB2101010 ARGB2101010           LINEAR X_TILED Y_TILED Yf_TILED 4_TILED
//	             XBGR2101010* ABGR2101010* XRGB16161616F
//	             ARGB16161616F* XBGR16161616F*
//	             ABGR16161616F*
//	             NV12 P010                                LINEAR X_TILED Y_TILED
//	nvidia-like  XRGB8888 ARGB8888 XBGR8888 ABGR8888      LINEAR and NVIDIA_BLOCK_LINEAR_2D with
//	             RGB565 XRGB2101010 ARGB2101010           KIND=6 (Turing's generic 16Bx2), GEN=2,
//	             XBGR2101010 ABGR2101010 XBGR16161616F    SECTOR=1, COMPRESSION=0, HEIGHT=0..5
//	             ABGR16161616F NV12 P010
//	exynos-like  XRGB8888 ARGB8888 XBGR8888* ABGR8888*    LINEAR
//	             RGB565 XRGB1555 ARGB1555
//	             NV12                                     LINEAR SAMSUNG_64_32_TILE
//	             NV21                                     LINEAR
//	rcar-like    RGB565 XRGB1555 ARGB1555 XRGB8888        LINEAR (R-Car has no modifiers of its own)
//	             ARGB8888 NV12 NV21 NV16 NV61 YUV420
//	             YVU420
//	vkms         the primary plane's 22 formats, in its   LINEAR (VKMS has no GPU)
//	             order
//
// A star marks pairs importable but on no plane: a client may render into
// them and composition shows them, but they never go to a plane directly.
// On intel-like that is the starred modifiers with the 8888 formats and
// every modifier with the starred formats. The reverse exists too: NV12
// and P010 in Yf_TILED and 4_TILED are on planes but not in the render
// set, as the GPU is not modelled as sampling YUV in those tilings.
// Intel's render set leaves out the DG2, LNL and BMG compression
// modifiers although modifiers/sample reads them: their CCS lives outside
// the buffer, so nothing shows whether a buffer is clear, and a
// compressed one would be composed wrongly without an error; the in-band
// families are checked for clear blocks every frame.
//
// # IN_FORMATS
//
// AppendInFormats builds struct drm_format_modifier_blob byte for byte as
// drm_plane.c's create_in_format_blob does (host byte order, formats padded
// to 8 bytes, one 24-byte entry per modifier with its window at offset 0);
// DecodeInFormats reads any blob the uapi allows, which includes windows at
// other offsets, and treats its input as hostile. Each Plane's blob is built
// once at load; Plane.Supports answers format/modifier questions without
// allocating, for the TEST_ONLY commits libliftoff issues every frame.
//
// A Profile is immutable after Parse or Load returns and safe to share
// between goroutines as long as nobody writes to it. No function here
// panics on any input.
//
// # Mutants that live
//
// gremlins' mutants that no test kills, and why none changes a profile or
// an error class:
//
//   - Unreachable edges: a scale of exactly 2^31-1 (no N/D with a 16-bit N
//     floors to it), exactly MaxRenderPairs pairs (fewer sampleable pairs
//     exist), a CRTC index of exactly MaxCRTCs (refused later as past the
//     CRTC count), a probe of exactly the byte limit, BlendModes.Has(8).
//   - Refused either way: a header-only IN_FORMATS blob, a "formats" line
//     whose first ':' is its first word.
//   - No effect on results: capacity hints, the decoder's per-format
//     counts (a wrong count only costs an append's allocation), the
//     numbers in error messages, and format 0 in a blob, which no kernel
//     emits.
package profile
