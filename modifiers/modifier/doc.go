// Package modifier models DRM format modifiers: the 64-bit values, their
// vendor bit fields, and the names people and tools use for them.
//
// # Why names follow libdrm exactly
//
// Test logs, negotiation logs and user scenarios compare modifier names
// with what drm_info, weston, wlroots and friends print, and those print
// libdrm's drmGetFormatModifierVendor / drmGetFormatModifierName. So
// LibdrmVendor and LibdrmName reproduce Debian's libdrm 2.4.114 byte for
// byte, including its quirks, and are checked against golden output of
// the real library (testdata/libdrm-modifier-names.tsv, produced by
// modifiers/internal/libdrmgen/modnames.c; rebuild with go generate,
// which needs cc and libdrm-dev; the tests need neither). Quirks kept on
// purpose:
//
//   - AFBC with only a block size ends with a comma ("BLOCK_SIZE=16x16,").
//   - AMD GFX9 prints the pipe as "PIPE_n", without '='.
//   - AMD names omit fields libdrm ignores (reserved bits, an unknown tile,
//     DCC_MAX_COMPRESSED_BLOCK=3, DCC_PIPE_ALIGN next to DCC_RETILE, and
//     chip fields outside the cases libdrm prints them); NVIDIA names omit
//     bits 5..11 and 26..55; AFBC omits unknown mode bits, AFRC an unknown
//     plane-1/2 coding-unit size and bits above 8; Amlogic names print any
//     unknown layout as INVALID_LAYOUT and only the MEM_SAVING option.
//   - The NVIDIA 16BX2 values print as BLOCK_LINEAR_2D,... (the block-linear
//     decoder runs before libdrm's table), and every Amlogic value has a
//     name.
//   - libdrm 2.4.114 has no name (NULL) for Intel MTL/LNL/BMG, AMD GFX11
//     and GFX12 or tile versions 0 and 6+, SAND with a column height,
//     Vivante values with tile-status or compression bits, AFBC block
//     sizes 0 and 5..15, AFRC with plane-0 size 0 or 4..15, ARM MISC other
//     than 1 and ARM types 3..15, and unknown vendors (0x0b..0xff).
//
// # Our own forms
//
// Name and VendorName return libdrm's string whenever libdrm has one. For
// the rest they return our own form, never empty:
//
//   - VendorName: VENDOR_0xNN (two lowercase hex digits) for unknown vendors.
//   - Intel 13..17: the kernel macro without I915_FORMAT_MOD_, e.g.
//     4_TILED_MTL_RC_CCS (newer libdrm prints the same).
//   - AMD GFX11 and GFX12: libdrm's GFX9/GFX10 format with version GFX11 or
//     GFX12 and the new tiles GFX11_256K_R_X, GFX12_256B_2D, GFX12_4K_2D,
//     GFX12_64K_2D, GFX12_256K_2D; GFX11_256K_R_X counts as an _X tile and
//     GFX11 prints PACKERS= like GFX10_RBPLUS.
//   - Broadcom SAND with a column height: SAND128,COL_HEIGHT=96.
//   - Vivante with extension bits, spelled as newer libdrm does:
//     SUPER_TILED,TS=64B_4,COMP=DEC400 (LINEAR for tiling 0).
//   - When such a decoded form does not give back the exact value (unknown
//     fields or bits set), ",RAW=0x" and the 16-digit lowercase hex value
//     are appended: GFX11,GFX11_256K_R_X,PIPE_XOR_BITS=0,PACKERS=0,RAW=0x0200001000001f04
//     (bit 36 is reserved).
//   - Everything else: RAW=0x followed by the 16-digit value.
//
// Invariants (tested): our own forms are distinct for distinct values and
// never equal a libdrm name of another value of the same vendor, because
// they either are kernel names libdrm 2.4.114 lacks, start with a version or
// tiling word libdrm never prints in that shape, or contain "RAW=0x", which
// libdrm never prints.
//
// # Parsing
//
// Parse accepts 0x-prefixed hex, plain decimal, the C macro names (plus the
// aliases DRM_FORMAT_MOD_NONE and DRM_FORMAT_MOD_GENERIC_16_16_TILE),
// vendor-qualified names VendorName(m)+"_"+Name(m), and bare names that
// exactly one vendor uses (LINEAR, X_TILED; TILED is ambiguous). A name is
// accepted only when it is spelled exactly as Name prints it. For every m,
// Parse(VendorName(m)+"_"+Name(m)) returns m, except where libdrm's name
// drops bits (the list above): then it returns the canonical value of that
// name, which has the same Name: dropped bits cleared, an absent AMD
// DCC_MAX_COMPRESSED_BLOCK under DCC read as 3, an absent tile as 0,
// DCC_PIPE_ALIGN next to DCC_RETILE as clear, INVALID_LAYOUT as layout 0.
// Every error wraps ErrUnknownModifier and quotes the input.
//
// No function here panics on any input. Names of fixed values (libdrm's
// table and the Intel additions) and VendorName are returned without
// allocating; other names cost one allocation, and Parse allocates only for
// errors.
//
// # Mutants that live
//
// Each is refused by a later check either way: "0x" alone, a
// "VENDOR_0xNN_" or "VENDOR_" prefix with nothing after it, and a column
// height of 2^48, which would spill into the vendor byte. The array that
// collects a name's readings has room for every vendor, so its size
// never limits them.
package modifier
