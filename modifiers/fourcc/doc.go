// Package fourcc is headway's model of DRM pixel formats: the fourcc codes,
// the kernel's per-format layout table, and the names people and tools use
// for them.
//
// The fake KMS device must accept and refuse framebuffers exactly as a real
// driver does, and users compare headway's logs with libdrm-based tools, so
// this package copies behaviour rather than designing it:
//
//   - Lookup answers from the kernel's own table (drivers/gpu/drm/drm_fourcc.c,
//     __drm_format_info); a format the uapi header names but that table lacks
//     (R16, RG88, ...) is unknown to Lookup, because the kernel refuses it.
//     Every Info field has the kernel's value, zeros included: block sizes of
//     0 mean 1, and YUV420_8BIT, YUV420_10BIT and VUY101010 have no byte
//     counts because their layout exists only under a modifier.
//   - The Info helpers (BlockWidth, BPP, MinPitch, PlaneWidth, ...) compute
//     what the kernel's drm_format_info_* helpers compute, so strides and
//     plane sizes derived here pass the kernel's checks and no more.
//   - LibdrmName (and Format.String) is byte for byte what libdrm's
//     drmGetFormatName returns, checked against libdrm 2.4.114 by golden
//     files; DRMName is the macro name without DRM_FORMAT_.
//   - BigEndian is a flag, not a format: Lookup of f|BigEndian gives the base
//     layout with the flag kept in Format, and names gain "_BE" the way
//     libdrm's do.
//
// Invariants: the table never changes after init, so everything here is safe
// for concurrent use. Lookup never allocates, nor does Parse of hex or
// upper-case input (lower case costs one copy). No function panics on any
// input, including unknown codes, planes out of range and the zero Info.
//
// # Mutants that live
//
// Parse's "longer than 0x" test as >= 2 is equivalent: a bare "0x" fails as
// an empty hex code instead of as an unknown name, wrapping
// ErrUnknownFormat either way.
package fourcc
