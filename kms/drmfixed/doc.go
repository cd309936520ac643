// Package drmfixed is the kernel's include/drm/drm_fixed.h 32.32 signed
// fixed point, as VKMS computes with it (the gamma LUT, RGB565 and YUV
// conversion), transcribed operation for operation so that results agree
// bit for bit: shifts of signed values are arithmetic, as the kernel's are,
// division truncates toward zero (div64_s64), and Mul drops low bits of its
// operands instead of forming a 128-bit product.
//
// The version followed is the one whose drm_fixp2int_round adds one half
// (DRM_FIXED_ONE/2). Nothing here allocates; every function is small enough
// to inline into the per-pixel paths that call it.
package drmfixed
